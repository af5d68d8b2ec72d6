"""planmon.build.stamp: a rebuild with nothing changed does not load the plan, and any change to
what a build reads — a plan or report file, a notebook, planmon's code, an option, an output
deleted or edited, a dashboard written since — makes the build proper run and rebuild what the
change affects.

One build of the tiny plan (by path, so that it leaves a stamp) serves every test: each test
copies it, builds the copy once (the copy's paths differ, so that build runs in full and skips
every job) and then changes one thing.
"""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import planmon._version
from planmon.build.api import build
from planmon.build.jobs import NullProgress
from planmon.build.many import build_plans
from planmon.build.options import BuildOptions
from planmon.cli.app import app
from planmon.core import config
from planmon.core.exceptions import PlanValidationError
from tests.build.helpers import YEAR, notebooks_folder, statuses
from tests.conftest import TINY

LOADING = "loading the plan"
KEYS = {
    f"{YEAR}/fa/overview",
    f"{YEAR}/fa/districts",
    f"{YEAR}/fa/department/services",
    f"{YEAR}/fa/department/district_1",
    f"{YEAR}/fa/department/district_2",
}


class Recorder(NullProgress):
    """A progress receiver that keeps the phases and notes it was told."""

    def __init__(self) -> None:
        self.phases: list[str] = []
        self.notes: list[tuple[str, bool]] = []

    def phase(self, text: str) -> None:
        self.phases.append(text)

    def note(self, text: str, *, warning: bool = False) -> None:
        self.notes.append((text, warning))


def build_site(root, **changes):
    """Build ``root/plan`` (by path) into ``root/reports``; the result and what it said."""
    recorder = Recorder()
    options = {
        "years": [YEAR],
        "langs": ["fa"],
        "formats": ["html"],
        "jobs": 2,
        "output_dir": root / "reports",
        "notebooks_dir": root / "notebooks",
        "scores_dir": root / "scores",
        **changes,
    }
    return build(root / "plan", progress=recorder, **options), recorder


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    root = tmp_path_factory.mktemp("stamped")
    shutil.copytree(TINY, root / "plan")
    notebooks_folder(root / "notebooks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANMON_HOME", str(root / "home"))
        result, recorder = build_site(root)
    assert set(statuses(result)) == KEYS and set(statuses(result).values()) == {"built"}
    return SimpleNamespace(root=root, result=result, recorder=recorder)


@pytest.fixture
def site(first, tmp_path, home):
    """A copy of the first build (outputs with their times), built once where it now lies."""
    root = tmp_path / "site"
    for name in ("plan", "notebooks", "reports"):
        shutil.copytree(first.root / name, root / name)  # copy2: sizes and times kept
    result, recorder = build_site(root)
    assert LOADING in recorder.phases  # another folder: the old stamp does not hold here
    assert set(statuses(result).values()) == {"skipped"}
    return root


def test_a_rebuild_with_nothing_changed_does_not_load_the_plan(first, site):
    manifest = site / "reports" / ".manifest.json"
    written = manifest.stat().st_mtime_ns
    result, recorder = build_site(site)
    assert LOADING not in recorder.phases
    assert statuses(result) == dict.fromkeys(KEYS, "skipped")
    assert result.index == site / "reports" / "index.html" and result.kernel == ""
    services = next(j for j in result.jobs if j.dept_id == "services")
    html = site / "reports" / str(YEAR) / "fa" / "services.html"
    assert html in services.outputs and services.executed.is_file()
    # the completeness lines of the build that left the stamp, without its warnings
    assert recorder.notes == [n for n in first.recorder.notes if not n[1]] and recorder.notes
    assert manifest.stat().st_mtime_ns == written  # nothing written


def test_a_file_touched_but_unchanged_is_still_a_no_op(site):
    report = site / "plan" / "reports" / str(YEAR) / "services.csv"
    report.write_bytes(report.read_bytes())
    _, recorder = build_site(site)
    assert LOADING not in recorder.phases


def test_a_changed_report_file_rebuilds_what_depends_on_it(site):
    report = site / "plan" / "reports" / str(YEAR) / "services.csv"
    report.write_text(report.read_text("utf-8").replace("SRV02,10.5", "SRV02,9.5"), "utf-8")
    result, recorder = build_site(site)
    assert LOADING in recorder.phases
    assert {j.key for j in result.built} == {
        f"{YEAR}/fa/overview",
        f"{YEAR}/fa/department/services",
    }
    _, recorder = build_site(site)  # and then nothing is left to do
    assert LOADING not in recorder.phases


def test_a_changed_plan_table_is_seen(site):
    table = site / "plan" / "plan" / "departments.csv"
    table.write_text(table.read_text("utf-8") + "\n", "utf-8")
    _, recorder = build_site(site)
    assert LOADING in recorder.phases


def test_a_new_file_in_the_plan_is_seen(site):
    (site / "plan" / "reports" / str(YEAR) / "notes.txt").write_text("x", "utf-8")
    with pytest.raises(PlanValidationError, match="is not a spreadsheet"):
        build_site(site)  # the build proper reads the plan again, and refuses it


def test_a_changed_notebook_rebuilds_its_reports(site):
    notebook = site / "notebooks" / "district_comparison.ipynb"
    data = json.loads(notebook.read_text("utf-8"))
    data["metadata"]["changed"] = True
    notebook.write_text(json.dumps(data), "utf-8")
    result, recorder = build_site(site)
    assert LOADING in recorder.phases
    assert {j.key for j in result.built} == {f"{YEAR}/fa/districts"}


def test_a_new_planmon_version_rebuilds_everything(site, monkeypatch):
    # The version is part of the code digest, as planmon's source is: a changed digest.
    monkeypatch.setattr(planmon._version, "__version__", planmon._version.__version__ + "+test")
    result, recorder = build_site(site)
    assert LOADING in recorder.phases
    assert {j.key for j in result.built} == KEYS


@pytest.mark.parametrize(
    ("change", "built"),
    [
        ({"langs": ["fa", "en"]}, {k.replace("/fa/", "/en/") for k in KEYS}),
        ({"formats": ["html", "pdf"]}, KEYS | {f"{YEAR}/fa/publication"}),
        ({"years": [YEAR - 1, YEAR]}, {k.replace(str(YEAR), str(YEAR - 1)) for k in KEYS}),
    ],
)
def test_a_changed_option_builds_what_it_adds(site, change, built):
    result, recorder = build_site(site, **change)
    assert LOADING in recorder.phases
    # a new language or year also adds links to the reports already there
    assert built <= {j.key for j in result.built}
    _, recorder = build_site(site, **change)
    assert LOADING not in recorder.phases
    _, recorder = build_site(site)  # back to the first options: the stamp was replaced
    assert LOADING in recorder.phases


def test_force_always_builds(site):
    result, recorder = build_site(site, force=True)
    assert LOADING in recorder.phases and {j.key for j in result.built} == KEYS


def test_a_deleted_output_is_rebuilt(site):
    (site / "reports" / str(YEAR) / "fa" / "district_1.html").unlink()
    result, _ = build_site(site)
    assert {j.key for j in result.built} == {f"{YEAR}/fa/department/district_1"}
    assert (site / "reports" / str(YEAR) / "fa" / "district_1.html").is_file()


def test_an_edited_output_is_rebuilt(site):
    html = site / "reports" / str(YEAR) / "fa" / "district_2.html"
    original = html.read_bytes()
    html.write_bytes(original.replace(b"</body>", b"<p>edited</p></body>"))
    result, _ = build_site(site)
    assert {j.key for j in result.built} == {f"{YEAR}/fa/department/district_2"}
    assert result.kernel == ""  # its executed notebook is current: exported again, not re-run
    assert html.read_bytes() == original


def test_a_deleted_index_is_written_again(site):
    (site / "reports" / "index.html").unlink()
    result, recorder = build_site(site)
    assert LOADING in recorder.phases and not result.built
    assert (site / "reports" / "index.html").is_file()


def test_a_dashboard_written_since_is_linked(site):
    dashboard = site / "reports" / "dashboard" / "index.html"
    dashboard.parent.mkdir()
    dashboard.write_text("<html></html>", "utf-8")
    result, recorder = build_site(site)
    assert LOADING in recorder.phases
    assert {j.key for j in result.built} == KEYS  # every report now links to it
    assert "dashboard/index.html" in (site / "reports" / "index.html").read_text("utf-8")


def test_a_failed_build_leaves_no_stamp(site):
    notebooks_folder(site / "notebooks", district_comparison="fails")
    result, _ = build_site(site)
    assert [j.key for j in result.failed] == [f"{YEAR}/fa/districts"]
    result, recorder = build_site(site)
    assert LOADING in recorder.phases and [j.key for j in result.failed] == [f"{YEAR}/fa/districts"]


def test_several_plans_are_a_no_op_each(site, tmp_path):
    second = tmp_path / "second"
    shutil.copytree(site / "plan", second)
    for name in ("plan", "second"):  # their reports, as built before (copy2: times kept)
        shutil.copytree(site / "reports", tmp_path / "national" / name)
    options = BuildOptions(
        years=[YEAR],
        formats=["html"],
        jobs=2,
        output_dir=tmp_path / "national",
        notebooks_dir=site / "notebooks",
        scores_dir=tmp_path / "scores",
    )
    plans = [site / "plan", second]
    first = build_plans(plans, options)
    assert [set(statuses(o.result).values()) for o in first] == [{"skipped"}, {"skipped"}]
    recorders: dict = {}
    again = build_plans(plans, options, progress=lambda p: recorders.setdefault(p, Recorder()))
    assert [set(statuses(o.result).values()) for o in again] == [{"skipped"}, {"skipped"}]
    assert len(recorders) == 2 and all(LOADING not in r.phases for r in recorders.values())


def test_the_command_line_no_op_prints_the_completeness_lines(first, site, monkeypatch):
    monkeypatch.setattr(config, "NOTEBOOKS", site / "notebooks")  # the CLI's default folder
    args = ["build", str(site / "plan"), "--out", str(site / "reports"), "--format", "html"]
    result = CliRunner().invoke(app, [*args, "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    lines = [text for text, warning in first.recorder.notes if not warning]
    assert lines and all(line in result.output for line in lines)
    assert "0 built, 5 up to date, 0 failed" in result.output
