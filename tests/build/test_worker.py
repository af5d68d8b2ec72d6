"""planmon.build.worker: one job in a worker; a failed or short write never lands, OS errors
name the file and the fix."""

from __future__ import annotations

import errno
from pathlib import Path

import nbformat
import pytest

from planmon.build.jobs import Job
from planmon.build.worker import run_job
from planmon.io import atomic


@pytest.fixture
def job(tmp_path) -> Job:
    """A department job whose notebook has run: it needs only its HTML and PDF."""
    executed = tmp_path / "1398" / "notebooks" / "department_report.parks.fa.ipynb"
    executed.parent.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# پارک‌ها")])
    nbformat.write(nb, executed)
    return Job(
        key="1398/fa/department/parks",
        kind="department",
        year=1398,
        lang="fa",
        dept_id="parks",
        name="پارک‌ها",
        title="پارک‌ها — ۱۳۹۸",
        stages=("html", "pdf"),
        executed=executed,
        html=tmp_path / "1398" / "fa" / "parks.html",
        pdf=tmp_path / "1398" / "fa" / "parks.pdf",
    )


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_a_job_writes_its_html_and_pdf(job):
    outcome = run_job(job)
    assert outcome.status == "built", outcome.error
    assert "پارک‌ها" in job.html.read_text("utf-8") and job.pdf.read_bytes()[:5] == b"%PDF-"
    assert outcome.html_s > 0 and outcome.pdf_s > 0


def test_a_crashing_pdf_writer_leaves_the_previous_pdf(job, monkeypatch):
    import weasyprint

    job.pdf.parent.mkdir(parents=True)
    job.pdf.write_bytes(b"%PDF-1.7 the previous report %%EOF")

    def half_then_crash(self, target=None, **kwargs):
        Path(target).write_bytes(b"%PDF-1.7 half a report")
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", half_then_crash)
    outcome = run_job(job)
    assert outcome.status == "failed"
    assert outcome.error == f"cannot write {job.pdf}: disk full; check the path and the disk"
    assert job.pdf.read_bytes() == b"%PDF-1.7 the previous report %%EOF"
    assert _leftovers(job.pdf.parent) == []


def test_a_short_pdf_never_lands(job, monkeypatch):
    import weasyprint

    def short(self, target=None, **kwargs):  # returns as if all went well
        Path(target).write_bytes(b"%PDF-1.7 the first half of a report")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", short)
    outcome = run_job(job)
    assert outcome.status == "failed"
    assert outcome.error == (
        f"cannot write {job.pdf}: the new file is damaged (the PDF is cut short); the previous "
        "version was kept. Check the free space of the disk and run again"
    )
    assert not job.pdf.exists() and _leftovers(job.pdf.parent) == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "the disk is full (ENOSPC); free some space or write to another disk"),
        (errno.EROFS, "the file system is read-only (EROFS); write to a folder on a writable disk"),
        (
            errno.EACCES,
            "permission denied (EACCES); make the folder writable for this user or write "
            "somewhere else",
        ),
    ],
)
def test_an_os_error_at_the_write_names_the_file_and_the_fix(job, monkeypatch, code, message):
    """Simulated at the write itself (chmod would not stop root, who runs the tests in CI)."""
    job.html.parent.mkdir(parents=True)
    job.html.write_text("the previous report")
    real_open = open

    def failing_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode and Path(file).name.startswith(atomic.TEMP_PREFIX + "parks.html"):
            handle.write(b"<html>half")
            handle.close()
            raise OSError(code, "simulated", str(job.html))
        return handle

    monkeypatch.setattr(atomic, "open", failing_open, raising=False)
    outcome = run_job(job)
    assert outcome.status == "failed" and outcome.error == f"cannot write {job.html}: {message}"
    assert job.html.read_text() == "the previous report"
    assert _leftovers(job.html.parent) == []


def test_a_publication_binds_the_chapters_pdfs(tmp_path, monkeypatch):
    from planmon.publish import publication

    seen = {}

    def capture(chapters, target, **kwargs):
        seen["chapters"] = list(chapters)
        seen["cover"] = kwargs["cover"]
        Path(target).write_bytes(b"%PDF-")
        return Path(target)

    monkeypatch.setattr(publication, "assemble_publication", capture)
    pub = Job(
        key="1398/fa/publication",
        kind="publication",
        year=1398,
        lang="fa",
        dept_id="",
        name="p",
        title="p",
        stages=("publication",),
        pdf=tmp_path / "publication.fa.pdf",
        sections=(("A", tmp_path / "a.html"), ("B", tmp_path / "b.html")),
        subtitle="city",
    )
    assert run_job(pub).status == "built"
    # the chapters are the PDFs beside the reports' HTML (publish/layout.py)
    assert seen["chapters"] == [("A", tmp_path / "a.pdf"), ("B", tmp_path / "b.pdf")]
    assert seen["cover"] == publication.Cover(subtitle="city")
