"""planmon.execution.papermill: the one papermill call, in memory; the notebook lands whole.

Kernels here are stock IPython kernels on this interpreter (about 2 s each).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

import planmon
from planmon.content.parameters import PLAN_CACHE_KEY, load_plan
from planmon.core.exceptions import OutputError
from planmon.execution import papermill as run
from planmon.execution.kernel import PLAIN_KERNEL, ensure_plain_kernelspec
from tests.conftest import TINY

NOTEBOOKS = Path(__file__).parents[1] / "data" / "notebooks"


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    """The stand-in that raises, run once from a copy in an otherwise empty folder."""
    folder = tmp_path_factory.mktemp("fails")
    notebook = folder / "fails.ipynb"
    notebook.write_bytes((NOTEBOOKS / "fails.ipynb").read_bytes())
    ensure_plain_kernelspec()
    result = run.execute(notebook, {"year": 1398}, kernel_name=PLAIN_KERNEL, cwd=folder)
    return folder, result


def test_a_failing_cell_gives_the_notebook_with_its_traceback(failed):
    folder, result = failed
    assert result.error.startswith("RuntimeError: stand-in failure for the plan in 1398 (cell ")
    errors = [o for c in result.notebook.cells for o in c.get("outputs", []) if "ename" in o]
    assert errors and errors[0]["ename"] == "RuntimeError"
    # nothing was written while it ran: papermill's output stayed in memory
    assert sorted(os.listdir(folder)) == ["fails.ipynb"]
    assert run._memory_handler().written == {}


def test_the_time_is_split_into_start_cells_and_shutdown(failed):
    _, result = failed
    assert result.kernel_start_s > 0 and result.execute_s > 0 and result.shutdown_s > 0


def test_the_parameters_cell_gets_a_fixed_id(failed):
    _, result = failed
    injected = [c for c in result.notebook.cells if "injected-parameters" in c.metadata["tags"]]
    assert [c["id"] for c in injected] == ["injected-parameters"]


def test_the_executed_notebook_is_written_whole(failed, tmp_path):
    _, result = failed
    target = write = run.write_notebook(result.notebook, tmp_path / "out.ipynb")
    nb = nbformat.read(write, as_version=4)
    assert nb.metadata.papermill.output_path == str(target)


def test_a_truncated_notebook_never_lands(failed, tmp_path, monkeypatch):
    _, result = failed
    target = tmp_path / "department_report.parks.fa.ipynb"
    target.write_text("the previous run")
    whole = nbformat.writes(result.notebook)
    monkeypatch.setattr(nbformat, "writes", lambda nb, **kw: whole[: len(whole) // 2])
    with pytest.raises(OutputError, match=r"the new file is damaged \(not a valid notebook: "):
        run.write_notebook(result.notebook, target)
    assert target.read_text() == "the previous run" and os.listdir(tmp_path) == [target.name]


def test_a_kernel_handed_the_builds_scores_does_not_hash_the_plan_again(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from planmon.core import config
    from planmon.plan import load as model  # where load() searches and hashes

    plan = planmon.load(TINY)  # writes the cache entry, as the build's load does
    table = pa.Table.from_pandas(plan.scores(), preserve_index=False)
    entry = str(config.cache_dir_for(TINY) / plan.fingerprint).encode()
    table = table.replace_schema_metadata({**table.schema.metadata, PLAN_CACHE_KEY: entry})
    scores = tmp_path / f"{plan.fingerprint}.parquet"
    pq.write_table(table, scores)

    def refuse(*args, **kwargs):
        raise AssertionError("the plan folder was searched and hashed again")

    monkeypatch.setattr(model, "discover", refuse)
    monkeypatch.setattr(model, "content_hash", refuse)
    again = load_plan(str(TINY), str(scores))
    assert again.fingerprint == plan.fingerprint and again.path == TINY
    assert again.actuals.equals(plan.actuals)
    # without the build's scores, the plan is loaded (and hashed) as before
    with pytest.raises(AssertionError, match="hashed again"):
        load_plan(str(TINY))


def test_write_notebook_checks_json_before_nbformat(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_text(json.dumps({"cells": "not a list", "nbformat": 4}))
    with pytest.raises(ValueError, match="not a valid notebook"):
        run._check_notebook(bad)
