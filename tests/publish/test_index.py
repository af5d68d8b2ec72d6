"""planmon.publish.index: the site's index page, its escaping, and what it will not overwrite."""

from __future__ import annotations

import pytest

from planmon.core.exceptions import OutputError
from planmon.publish.index import IndexEntry, check_index, index_html, write_index

PLAN = {"name_fa": "برنامه", "name_en": "Plan"}


def _entry(**fields) -> IndexEntry:
    values = {
        "kind": "department",
        "year": 1398,
        "lang": "en",
        "name": "X",
        "html": "1398/en/x.html",
        "pdf": "1398/en/x.pdf",
    }
    return IndexEntry(**{**values, **fields})


def test_index_escapes_names_from_the_plan(tmp_path):
    (tmp_path / "1398" / "en").mkdir(parents=True)
    (tmp_path / "1398" / "en" / "x.html").write_text("<p>report</p>")
    entry = _entry(name='<script>alert("x")</script>')  # its PDF is not on disk: not linked
    page = index_html(tmp_path, [entry], {"name_fa": "", "name_en": "Plan <b>&</b>"})
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Plan &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert '<html lang="en" dir="ltr">' in page and "x.pdf" not in page


def test_index_links_the_dashboard_when_there_is_one(tmp_path):
    assert "dashboard/index.html" not in index_html(tmp_path, [], PLAN)
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "dashboard" / "index.html").write_text("<html></html>")
    page = index_html(tmp_path, [], PLAN)
    assert '<a href="dashboard/index.html">داشبورد مدیریتی</a>' in page


def test_index_links_the_dashboard_the_build_caller_writes_next(tmp_path):
    # planmon build --dashboard: the dashboard is written after the index
    page = index_html(tmp_path, [], PLAN, dashboard=True)
    assert '<a href="dashboard/index.html">داشبورد مدیریتی</a>' in page


def test_index_lists_departments_in_the_plans_order(tmp_path):
    (tmp_path / "1398" / "en").mkdir(parents=True)
    for stem in ("b", "a"):
        (tmp_path / "1398" / "en" / f"{stem}.html").write_text("<p>r</p>")
    entries = [
        _entry(name="Alpha", html="1398/en/a.html", order=1),
        _entry(name="Beta", html="1398/en/b.html", order=0),
    ]
    page = index_html(tmp_path, entries, PLAN)
    assert page.index("Beta") < page.index("Alpha")


def test_an_index_planmon_did_not_write_is_never_overwritten(tmp_path):
    mine = "<html><body>my own start page</body></html>"
    (tmp_path / "index.html").write_text(mine)
    with pytest.raises(OutputError) as raised:
        write_index(tmp_path, [], PLAN)
    assert str(raised.value) == (
        f"{tmp_path / 'index.html'} exists and was not written by planmon; planmon will not "
        "overwrite it. Move it away, or build into another folder (--out)"
    )
    assert (tmp_path / "index.html").read_text() == mine


def test_planmons_own_index_is_replaced(tmp_path):
    write_index(tmp_path, [], PLAN)
    check_index(tmp_path)  # recognised as planmon's
    (tmp_path / "1398" / "en").mkdir(parents=True)
    (tmp_path / "1398" / "en" / "x.html").write_text("<p>r</p>")
    write_index(tmp_path, [_entry()], PLAN)
    assert "1398/en/x.html" in (tmp_path / "index.html").read_text("utf-8")
