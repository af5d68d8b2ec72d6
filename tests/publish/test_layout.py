"""planmon.publish.layout: the one definition of where every output lives."""

from __future__ import annotations

from pathlib import Path

from planmon.dashboard import page
from planmon.publish.layout import REPORT_LINK_PATTERN, OutputLayout, scores_path


def test_the_paths_of_a_year():
    layout = OutputLayout(Path("/r"))
    assert layout.report(1398, "fa", "overview", "pdf") == Path("/r/1398/fa/overview.pdf")
    assert layout.department_report(1398, "en", "parks", "html") == Path("/r/1398/en/parks.html")
    assert layout.executed_notebook(1398, "department_report", "fa", "parks") == Path(
        "/r/1398/notebooks/department_report.parks.fa.ipynb"
    )
    assert layout.executed_notebook(1398, "plan_overview", "en") == Path(
        "/r/1398/notebooks/plan_overview.en.ipynb"
    )
    assert layout.publication(1398, "fa") == Path("/r/1398/publication.fa.pdf")
    assert layout.relative(layout.index) == "index.html"
    assert scores_path(Path("/s"), "abc") == Path("/s/abc.parquet")


def test_the_dashboard_links_with_the_same_pattern():
    assert page.REPORT_LINK_PATTERN is REPORT_LINK_PATTERN


def test_existing_folders_are_the_layouts_only(tmp_path):
    layout = OutputLayout(tmp_path)
    for folder in ("1398/fa", "1398/notebooks", "dashboard", "notes"):
        (tmp_path / folder).mkdir(parents=True)
    assert set(layout.existing_folders()) == {
        tmp_path,
        tmp_path / "1398",
        tmp_path / "1398" / "fa",
        tmp_path / "1398" / "notebooks",
    }
