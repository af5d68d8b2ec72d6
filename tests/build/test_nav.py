"""Every HTML report links to the index, the dashboard, its other years and language, and
every href of a built report resolves (issue 11, item 6)."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from tests.build.helpers import build_tiny, notebooks_folder

_HREF = re.compile(r'href="([^"]*)"')


def _hrefs(page: Path) -> list[str]:
    return [urllib.parse.unquote(h) for h in _HREF.findall(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("langs", [["fa"], ["fa", "en"]])
def test_every_href_of_every_report_resolves(tmp_path, tiny_path, home, langs):
    dashboard = tmp_path / "reports" / "dashboard" / "index.html"
    dashboard.parent.mkdir(parents=True)
    dashboard.write_text("<html></html>", encoding="utf-8")
    notebooks = notebooks_folder(tmp_path / "notebooks")
    result = build_tiny(tmp_path, tiny_path, notebooks, years=[1397, 1398], langs=langs)
    pages = sorted((tmp_path / "reports").glob("13*/*/*.html"))
    assert len(pages) >= 2 * len(langs)
    for page in pages:
        hrefs = _hrefs(page)
        assert hrefs, page
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), (page, href)
        targets = {(page.parent / h).resolve() for h in hrefs}
        assert (tmp_path / "reports" / "index.html").resolve() in targets
        assert dashboard.resolve() in targets
        other_year = "1397" if "1398" in page.parts else "1398"
        assert any(other_year in t.parts for t in targets), page
        if len(langs) == 2:
            other = "en" if page.parent.name == "fa" else "fa"
            assert (page.parent.parent / other / page.name).resolve() in targets
    assert all(job.status != "failed" for job in result.jobs)


def test_no_dashboard_link_when_there_is_no_dashboard(tmp_path, tiny_path, home):
    notebooks = notebooks_folder(tmp_path / "notebooks")
    build_tiny(tmp_path, tiny_path, notebooks)
    page = next((tmp_path / "reports").glob("1398/fa/*.html"))
    hrefs = _hrefs(page)
    assert not any("dashboard" in h for h in hrefs)
    assert "../../index.html" in hrefs
