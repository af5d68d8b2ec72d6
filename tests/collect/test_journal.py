"""Ingest commits through a journal (planmon.io.journal): a `kill -9` at any step of the commit
leaves either the old plan or the new one once the next command has run, never a mixture, and
the audit log holds the record exactly once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import planmon
import planmon.io.journal as journal
from planmon.collect.audit import read_log
from planmon.collect.ingest import ingest
from planmon.collect.templates import write_templates
from planmon.core.exceptions import PlanmonError
from tests.collect.test_ingest import fill, tree_digest

REPO = Path(__file__).resolve().parents[2]

# The child ingests two reports for 1398 with --replace: services.xlsx replaces services.csv
# (a kept version, a removal and a write), district_1.xlsx replaces district_1.csv — and kills
# itself with SIGKILL at the chosen step of the commit.
CHILD = """
import os, sys
import planmon.io.journal as journal
from planmon.collect.ingest import ingest

step, nth, plan, *files = sys.argv[1:]
seen = []

def hook(name):
    if name.startswith(step):
        seen.append(name)
        if len(seen) == int(nth):
            os.kill(os.getpid(), 9)

journal._step_hook = hook
ingest(files, 1398, plan, replace=True)
sys.exit(3)  # not killed: the step was never reached
"""


@pytest.fixture(scope="module")
def returned(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("returned")
    tiny = REPO / "tests" / "data" / "tiny"
    paths = write_templates(tiny, 1398, ["services", "district_1"], out_dir=folder)
    fill(paths[0], {"SRV01": 13.5, "SRV02": 10.0})
    fill(paths[1], {"D1_01": 9.1})
    return paths


@pytest.fixture(scope="module")
def digests(tmp_path_factory, returned) -> dict[str, str]:
    """Digests of the plan's data before and after the ingest, run without interruption."""
    plan = tmp_path_factory.mktemp("reference") / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    old = tree_digest(plan)
    ingest(returned, 1398, plan, replace=True)
    return {"old": old, "new": tree_digest(plan)}


def _killed_ingest(plan: Path, returned: list[Path], step: str, nth: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(nth), str(plan), *map(str, returned)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr  # killed by SIGKILL at that step


@pytest.mark.parametrize(
    ("step", "nth", "expected"),
    [
        ("staged", 1, "old"),  # the journal is not written yet: nothing happened
        ("committed", 1, "new"),  # the journal is written, no file changed yet
        ("applied", 2, "new"),  # halfway: the kept version and one report written
        ("applied", 4, "new"),  # services.csv removed, district_1.xlsx not yet written
        ("appended", 1, "new"),  # every file written and the audit line appended
        ("done", 1, "new"),  # journal removed, work folder not yet
    ],
)
def test_kill_at_any_step_leaves_the_old_or_the_new_plan(
    tmp_path: Path, returned, digests, step: str, nth: int, expected: str
):
    plan = tmp_path / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    _killed_ingest(plan, returned, step, nth)
    # the next command that opens the plan finishes (or drops) the interrupted commit
    loaded = planmon.load(plan, cache=False)
    assert tree_digest(plan) == digests[expected]
    records = read_log(plan)
    assert len(records) == (1 if expected == "new" else 0)
    assert not list((plan / ".planmon" / "txn").iterdir())
    leftovers = [p for p in plan.rglob("*.tmp")]
    assert leftovers == []
    reports = loaded.report_files[loaded.report_files["year"] == 1398]["file"].tolist()
    if expected == "new":
        assert sorted(reports) == [
            "reports/1398/district_1.xlsx",
            "reports/1398/district_2.csv",
            "reports/1398/services.xlsx",
        ]
        # the kept versions are complete: the record can be undone exactly
        versions = plan / records[0]["versions"]
        assert (versions / "reports/1398/services.csv").is_file()
    else:
        assert "reports/1398/services.csv" in reports


def test_a_killed_commit_is_finished_by_any_command(tmp_path: Path, returned, digests):
    plan = tmp_path / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    _killed_ingest(plan, returned, "applied", 3)
    # before recovery the folder is mid-commit (both reports of services may be there)…
    assert tree_digest(plan) not in digests.values()
    from typer.testing import CliRunner

    from planmon.cli.app import app

    result = CliRunner().invoke(app, ["validate", str(plan), "--quiet"])
    assert result.exit_code == 0, result.output
    assert tree_digest(plan) == digests["new"]  # …and validate finished the job first


def test_a_failing_write_rolls_back_in_process(tmp_path: Path, returned, digests, monkeypatch):
    plan = tmp_path / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    calls = []
    real = journal._write_file

    def full_disk(target, data, tag):
        calls.append(target)
        if len(calls) == 4:  # the journal, the kept version, services.xlsx, then district_1
            raise OSError(28, "No space left on device", str(target))
        real(target, data, tag)

    monkeypatch.setattr(journal, "_write_file", full_disk)
    with pytest.raises(PlanmonError, match="No space left on device.*nothing was changed"):
        ingest(returned, 1398, plan, replace=True)
    assert tree_digest(plan) == digests["old"]
    assert read_log(plan) == [] and not list((plan / ".planmon" / "txn").iterdir())


def test_a_torn_audit_line_is_dropped_before_the_next_record(tmp_path: Path, returned):
    plan = tmp_path / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    log = plan / ".planmon" / "audit.jsonl"
    log.parent.mkdir()
    log.write_text('{"id": "x", "kind": "ingest", "ti', encoding="utf-8")  # killed mid-write
    ingest(returned, 1398, plan, replace=True)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["kind"] == "ingest"


def test_an_uncommitted_work_folder_is_removed(tmp_path: Path):
    plan = tmp_path / "plan"
    shutil.copytree(REPO / "tests" / "data" / "tiny", plan)
    stale = plan / ".planmon" / "txn" / "0123abcd"
    (stale / "view").mkdir(parents=True)
    (stale / "view" / "x.csv").write_text("staged")
    planmon.load(plan, cache=False)
    assert not stale.exists()


def test_journal_never_writes_outside_the_plan(tmp_path: Path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (tmp_path / "outside").mkdir()
    (plan / "reports").symlink_to(tmp_path / "outside")
    with journal.plan_lock(plan):
        txn = journal.begin(plan)
        with pytest.raises(PlanmonError, match="not inside the plan"):
            txn.put("../evil.csv", b"x")
        with pytest.raises(PlanmonError, match="leaves the plan folder"):
            txn.put("reports/evil.csv", b"x")
        txn.abandon()
    assert list((tmp_path / "outside").iterdir()) == []
