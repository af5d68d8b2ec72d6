"""The yearly collection loop through the command line, end to end: a new plan, templates,
returns, history and undo; and nothing written into the checkout by any command run against a
plan elsewhere."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from typer.testing import CliRunner

from planmon.cli.app import app
from planmon.collect.audit import history
from planmon.collect.templates import write_templates
from planmon.core import config
from tests.collect.filling import fill_plan
from tests.collect.test_ingest import fill, tree_digest

WIDE = {"COLUMNS": "250"}


def _run(*args: object, code: int = 0) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env=WIDE)
    assert result.exit_code == code, result.output
    return result.output


def test_init_fill_template_fill_ingest_history_undo_round_trip(tmp_path: Path):
    plan = tmp_path / "plan"
    out = _run("init", plan, "--first-year", 1400, "--horizon-year", 1401, "--name", "آزمون")
    assert "wrote a new plan for 1400–1401" in out
    fill_plan(plan / "plan.xlsx")
    _run("validate", plan)
    before = tree_digest(plan)

    templates = tmp_path / "templates"
    _run("template", plan, "--year", 1400, "--out", templates)
    parks = fill(templates / "1400" / "parks.xlsx", {"PRK01": "۱۲٫۹", "PRK02": 28500})
    out = _run("ingest", parks, "--year", 1400, "--plan", plan)
    assert "28,500" in out and "2.85e+04" not in out  # numbers for people
    assert "ingested 1 report(s): 2 new" in out
    assert "1 departments have not reported" not in out  # one missing department, one line

    out = _run("history", plan, "--changes")
    assert "ingest" in out and "parks" in out
    assert "PRK02 new:  → 28,500" in out

    out = _run("undo", plan)
    assert f"removed {plan / 'reports' / '1400' / 'parks.xlsx'}" in out
    assert tree_digest(plan) == before  # the same plan folder, byte for byte
    assert "undo" in _run("history", plan)
    assert history(plan)["undone_by"].notna().tolist() == [True, False]
    _run("undo", plan, code=1)  # nothing left to undo


def test_ingest_needs_an_explicit_plan_and_sample_an_explicit_folder(tiny_path, tmp_path):
    (path,) = write_templates(tiny_path, 1399, ["district_1"], out_dir=tmp_path)
    assert "--plan" in _run("ingest", path, "--year", 1399, code=2)
    assert "--out" in _run("sample", code=2)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    if folder.exists():
        for path in sorted(folder.rglob("*")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def checkout_untouched(monkeypatch):
    """Fail if the block changes a file under data/raw or data/processed of the checkout."""
    # the suite keeps caches in a temporary folder (tests/conftest.py); here the real rules run
    monkeypatch.delenv("PLANMON_CACHE_DIR", raising=False)
    trees = [config.DATA_RAW, config.DATA_PROCESSED]
    before = [_digest(t) for t in trees]
    existing = {p for t in trees if t.exists() for p in t.rglob("*")}
    try:
        yield
    finally:
        after = [_digest(t) for t in trees]
        # leave the checkout as it was even when a command did write into it
        new = {p for t in trees if t.exists() for p in t.rglob("*")} - existing
        for path in sorted(new, key=lambda p: len(p.parts), reverse=True):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
    assert after == before, "a command wrote into the checkout's data/"


def test_no_command_writes_into_the_checkout(monkeypatch, tmp_path: Path):
    with checkout_untouched(monkeypatch):
        _every_command(tmp_path)


def _every_command(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    _run("init", plan, "--first-year", 1400, "--horizon-year", 1401)
    fill_plan(plan / "plan.xlsx")
    _run("validate", plan)
    templates, feedback = tmp_path / "templates", tmp_path / "feedback"
    _run("template", plan, "--year", 1400, "--out", templates)
    parks = fill(templates / "1400" / "parks.xlsx", {"PRK01": "۱۲/۹"})
    _run("check-return", parks, "--year", 1400, "--plan", plan, "--out", feedback, code=1)
    _run("ingest", parks, "--year", 1400, "--plan", plan, "--feedback", feedback, code=1)
    fill(parks, {"PRK01": "۱۲٫۹", "PRK02": 28500})
    _run("ingest", parks, "--year", 1400, "--plan", plan)
    _run("scores", plan, "--year", 1400, "--out", tmp_path / "scores.csv")
    _run("status", plan, "--year", 1400, "--templates", templates, "--json")
    _run("history", plan)
    _run("dashboard", plan, "--out", tmp_path / "dashboard")
    _run("undo", plan)
    _run("sample", "--out", tmp_path / "sample", "--departments", 2, "--indicators-per-dept", 2)
    # the parse cache of a plan elsewhere lives with it
    assert list((plan / ".planmon" / "cache" / "parse").iterdir())


def test_build_writes_nothing_into_the_checkout(monkeypatch, tiny_copy, tmp_path: Path):
    with checkout_untouched(monkeypatch):
        _build(tiny_copy, tmp_path)


def _build(plan: Path, tmp_path: Path) -> None:
    _run(
        "build",
        plan,
        "--year",
        1398,
        "--dept",
        "district_1",
        "--format",
        "html",
        "--jobs",
        1,
        "--out",
        tmp_path / "reports",
    )
