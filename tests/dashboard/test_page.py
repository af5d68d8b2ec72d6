"""Tests of planmon.dashboard.page: the HTML the payload is embedded in, the links to the
reports that exist, and the writer (atomic, deterministic, never over somebody's folder)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from importlib import resources
from pathlib import Path

import pytest

import planmon
from planmon.core.exceptions import PlanmonError
from planmon.dashboard.page import (
    BUILD_HINT,
    DASHBOARD_GENERATOR,
    REPORT_LINK_PATTERN,
    render_index,
    report_links,
    write_dashboard,
)
from planmon.dashboard.payload import payload_for

ASSET_NAMES = [
    "app.js",
    "chart.js",
    "lib.js",
    "plotly.min.js",
    "style.css",
    "words.js",
]


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


@pytest.fixture(scope="module")
def payload(tiny) -> dict:
    return payload_for(tiny)


def extract_data(page: str) -> dict:
    """The JSON in <script id="data">, cut where an HTML parser would end the element."""
    start = page.index('<script type="application/json" id="data">')
    start = page.index(">", start) + 1
    end = page.lower().index("</script", start)
    return json.loads(page[start:end])


def assets_of(index: Path) -> Path:
    """The asset folder index.html names (assets/<version>)."""
    data = extract_data(index.read_text("utf-8"))
    return index.parent / data["assets"]


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script><!--"


def test_a_name_cannot_break_out_of_the_data_script(tiny):
    departments = tiny.departments.copy()
    departments.loc[departments["dept_id"] == "district_1", ["name_fa", "name_en"]] = HOSTILE
    plan = dataclasses.replace(
        tiny, departments=departments, meta={**tiny.meta, "name_en": HOSTILE}
    )
    page = render_index(payload_for(plan), lang="en")
    assert "alert(1)" in page  # the text is there…
    assert "<script>alert" not in page  # …but never as markup
    assert page.count("<script") == 5  # the data block and the four scripts, nothing injected
    assert "<!--" not in page
    data = extract_data(page)
    assert [HOSTILE, HOSTILE] == data["depts"]["rows"][1][2:4]
    assert "<title>&lt;/script&gt;" in page  # the title is escaped HTML, not raw


def test_index_page_language_and_markers(payload):
    fa = render_index(payload)
    assert '<html lang="fa" dir="rtl">' in fa
    assert f'<meta name="generator" content="{DASHBOARD_GENERATOR} ' in fa
    assert "<title>برنامه آزمایشی کوچک</title>" in fa
    for script in ("words.js", "lib.js", "chart.js", "app.js"):
        assert f'<script src="assets/{script}"></script>' in fa
    assert "http://" not in fa and "https://" not in fa  # nothing fetched from elsewhere
    en = render_index(payload, lang="en")
    assert '<html lang="en" dir="ltr">' in en and "<title>Tiny test plan</title>" in en
    with pytest.raises(PlanmonError):
        render_index(payload, lang="de")


def _scripts() -> dict[str, str]:
    folder = resources.files("planmon.dashboard").joinpath("assets")
    return {
        n: folder.joinpath(n).read_text("utf-8")
        for n in ("words.js", "lib.js", "chart.js", "app.js")
    }


def test_scripts_never_write_markup():
    for name, code in _scripts().items():
        code = re.sub(r"/\*.*?\*/", "", code, flags=re.DOTALL)  # the comments may name them
        code = re.sub(r"^\s*//.*$", "", code, flags=re.MULTILINE)
        for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert unsafe not in code, (name, unsafe)
        # no fetch and no absolute URL: the page must open from file:// without a network
        # (the only URIs are the XML namespaces of the .xlsx parts, which nothing fetches)
        urls = set(re.findall(r"https?://[^'\"]*", code))
        assert urls <= {u for u in urls if u.startswith("http://schemas.openxmlformats.org/")}
        assert "fetch(" not in code, name
    assert "performance.mark('rendered')" in _scripts()["app.js"]


def test_words_have_the_same_keys_in_both_languages():
    words = _scripts()["words.js"]
    fa, en = words.split("\n    en: {")
    keys = [re.findall(r"^\s{6}(\w+):", part, flags=re.MULTILINE) for part in (fa, en)]
    assert keys[0] == keys[1] and len(keys[0]) > 100


# --------------------------------------------------------------------------------------------
# links to the reports
# --------------------------------------------------------------------------------------------


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<!doctype html><title>r</title>", encoding="utf-8")


def test_report_links_list_only_the_reports_that_exist(tmp_path):
    root = tmp_path / "reports"
    _touch(root / "1398" / "fa" / "services.html")
    _touch(root / "1398" / "fa" / "services.pdf")
    _touch(root / "1398" / "fa" / "overview.html")
    _touch(root / "1398" / "publication.fa.pdf")
    _touch(root / "index.html")
    links = report_links(root, root / "dashboard", [1397, 1398], ["services", "district_1"])
    assert links["prefix"] == ".."
    assert links["pattern"] == REPORT_LINK_PATTERN
    assert links["index"] == "index.html"
    # no English report was built, nothing at all for 1397
    assert links["built"] == {
        "1398": {"fa": {"html": ["services", "overview"], "pdf": ["services"], "publication": True}}
    }
    assert links["build_hint"] == BUILD_HINT
    assert BUILD_HINT["en"] == "make reports REPORT_LANGS=fa,en"
    away = report_links(root, tmp_path / "site" / "dash", [1398], ["services"])
    assert away["prefix"] == "../../reports" and away["index"] == "index.html"


def test_every_pattern_in_the_links_resolves(tmp_path, tiny):
    # The page fills the patterns; a link it can make must name a file that exists.
    root = tmp_path / "reports"
    for lang in ("fa", "en"):
        _touch(root / "1398" / lang / "district_1.html")
    index = write_dashboard(tiny, root / "dashboard")
    links = extract_data(index.read_text("utf-8"))["links"]
    for year, langs in links["built"].items():
        for lang, found in langs.items():
            for ext in ("html", "pdf"):
                for stem in found[ext]:
                    rel = links["pattern"].format(year=year, lang=lang, dept_id=stem, ext=ext)
                    assert (index.parent / links["prefix"] / rel).is_file()
    assert links["built"]["1398"]["en"]["html"] == ["district_1"]


# --------------------------------------------------------------------------------------------
# write_dashboard
# --------------------------------------------------------------------------------------------


def test_write_dashboard_files(tiny, tmp_path):
    index = write_dashboard(tiny, tmp_path / "reports" / "dashboard")
    assert index == tmp_path / "reports" / "dashboard" / "index.html"
    assets = assets_of(index)
    assert re.fullmatch(r"[0-9a-f]{12}", assets.name) and assets.parent.name == "assets"
    assert sorted(p.name for p in assets.iterdir()) == ASSET_NAMES
    assert (assets / "plotly.min.js").stat().st_size > 1_000_000  # the bundle, not a stub
    page = index.read_text("utf-8")
    assert f'href="assets/{assets.name}/style.css"' in page
    data = extract_data(page)
    assert data["links"]["prefix"] == ".."  # reports/dashboard → reports/


def test_write_dashboard_is_deterministic(tiny, tmp_path):
    a = write_dashboard(tiny, tmp_path / "a" / "dashboard").parent
    b = write_dashboard(tiny, tmp_path / "b" / "dashboard").parent
    files = sorted(p for p in a.rglob("*") if p.is_file())
    assert len(files) == 1 + len(ASSET_NAMES)
    for path in files:
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path


def test_write_dashboard_replaces_an_old_dashboard_only(tiny, tmp_path):
    out = tmp_path / "dashboard"
    first = assets_of(write_dashboard(tiny, out, year=1397))
    write_dashboard(tiny, out)  # an earlier dashboard is replaced
    assert extract_data((out / "index.html").read_text("utf-8"))["years"] == [1397, 1398]
    # the assets depend on planmon's version only, so the same folder serves both pages
    assert [p.name for p in (out / "assets").iterdir()] == [first.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dashboard"]  # nothing beside it

    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(PlanmonError, match="not a planmon dashboard"):
        write_dashboard(tiny, precious)
    assert sorted(p.name for p in precious.iterdir()) == ["keep.txt"]


def test_write_dashboard_failure_leaves_the_old_dashboard(tiny, tmp_path, monkeypatch):
    out = tmp_path / "dashboard"
    write_dashboard(tiny, out, year=1397)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("planmon.dashboard.page.shutil.copyfile", broken)
    with pytest.raises(OSError, match="disk full"):
        write_dashboard(tiny, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # the old page and its assets, untouched, and no temporary folder


def test_a_killed_run_leaves_old_or_new_and_the_next_run_cleans_up(tiny, tmp_path):
    # What a kill at any moment can leave: a temporary folder, a complete new version that
    # index.html does not name yet, first-layout files. The old page still works (its assets
    # exist); the next run removes the rest.
    out = tmp_path / "dashboard"
    old = assets_of(write_dashboard(tiny, out, year=1397))
    stale_tmp = out / "assets" / ".tmp-killed"
    stale_tmp.mkdir()
    (stale_tmp / "app.js").write_text("// half written")
    orphan = out / "assets" / "0123456789ab"
    orphan.mkdir()
    (out / "assets" / "app.js").write_text("// the first layout")
    assert (old / "app.js").is_file()  # the page still has everything it names
    index = write_dashboard(tiny, out)
    assert sorted(p.name for p in (out / "assets").iterdir()) == [assets_of(index).name]
    # someone else's file in the dashboard folder is left alone
    (out / "README.txt").write_text("mine")
    write_dashboard(tiny, out)
    assert (out / "README.txt").read_text() == "mine"


def test_write_dashboard_accepts_handed_frames(tiny, tmp_path):
    from planmon.dashboard.payload import frames_for

    frames = frames_for(tiny)
    scores = frames.scores.assign(caveats="jump")
    handed = dataclasses.replace(frames, scores=scores)
    index = write_dashboard(tiny, tmp_path / "d", frames=handed)
    data = extract_data(index.read_text("utf-8"))
    caveats = data["ind_years"]["fields"].index("caveats")
    assert data["ind_years"]["rows"]["1398"][0][caveats] == ["jump"]


def test_the_folder_is_readable_by_a_web_server(tiny, tmp_path):
    index = write_dashboard(tiny, tmp_path / "d")
    for path in [index.parent, *index.parent.rglob("*")]:
        mode = os.stat(path).st_mode
        assert mode & 0o004, path  # world-readable
        if path.is_dir():
            assert mode & 0o001, path
