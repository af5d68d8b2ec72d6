"""The audit trail (planmon.collect.audit): every ingest is recorded with its old and new values,
`history` lists it, `undo` gives back every data file byte for byte and refuses when later
changes depend on the ingest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from planmon.collect.audit import history, read_log, undo
from planmon.collect.ingest import ingest
from planmon.collect.templates import write_templates
from planmon.core.exceptions import PlanmonError
from tests.collect.test_ingest import fill, tree_digest


@pytest.fixture
def services_1399(tiny_path: Path, tmp_path: Path) -> Path:
    (path,) = write_templates(tiny_path, 1399, ["services"], out_dir=tmp_path / "returned")
    return fill(path, {"SRV01": "۱۵٫۵", "SRV02": 28500})


def test_an_ingest_is_recorded_with_source_and_values(services_1399: Path, tiny_copy: Path):
    result = ingest([services_1399], 1399, tiny_copy)
    (record,) = read_log(tiny_copy)
    assert record["id"] == result.record_id and record["kind"] == "ingest"
    assert record["year"] == 1399 and record["user"]
    (source,) = record["sources"]
    assert source["file"] == str(services_1399) and source["dept_id"] == "services"
    assert source["sha256"] == hashlib.sha256(services_1399.read_bytes()).hexdigest()
    assert record["paths"] == {
        "reports/1399/services.xlsx": {"before": None, "after": source["sha256"]}
    }
    assert record["created_dirs"] == ["reports/1399"]
    assert {(c["indicator_id"], c["change"], c["old"], c["new"]) for c in record["changes"]} == {
        ("SRV01", "new", None, 15.5),
        ("SRV02", "new", None, 28500.0),
    }
    frame = history(tiny_copy)
    assert frame[["action", "year", "dept_id", "new", "corrected"]].values.tolist() == [
        ["ingest", 1399, "services", 2, 0]
    ]
    assert history(tiny_copy, year=1398).empty and history(tiny_copy, dept_id="parks").empty


def test_undo_gives_back_every_data_file_exactly(services_1399: Path, tiny_copy: Path):
    before = tree_digest(tiny_copy)
    first = ingest([services_1399], 1399, tiny_copy)
    done = undo(tiny_copy)
    assert done.undone["id"] == first.record_id
    assert done.removed == [tiny_copy / "reports/1399/services.xlsx"]
    assert tree_digest(tiny_copy) == before  # the created reports/1399/ folder is gone too
    kinds = [r["kind"] for r in read_log(tiny_copy)]
    assert kinds == ["ingest", "undo"]
    assert history(tiny_copy)["undone_by"].tolist() == [done.record_id, None]
    # the undone version is kept
    assert (
        tiny_copy / ".planmon/versions" / done.record_id / "reports/1399/services.xlsx"
    ).is_file()
    with pytest.raises(PlanmonError, match="nothing to undo"):
        undo(tiny_copy)


def test_undo_of_a_replace_restores_the_csv_it_replaced(tiny_path: Path, tiny_copy, tmp_path):
    (path,) = write_templates(tiny_path, 1398, ["services"], out_dir=tmp_path)
    fill(path, {"SRV01": 13, "SRV02": 10})
    before = tree_digest(tiny_copy)
    csv = (tiny_copy / "reports/1398/services.csv").read_bytes()
    ingest([path], 1398, tiny_copy, replace=True)
    assert not (tiny_copy / "reports/1398/services.csv").exists()
    result = undo(tiny_copy)
    assert result.restored == [tiny_copy / "reports/1398/services.csv"]
    assert (tiny_copy / "reports/1398/services.csv").read_bytes() == csv
    assert tree_digest(tiny_copy) == before


def test_undo_refuses_when_a_file_changed_since(services_1399: Path, tiny_copy: Path):
    ingest([services_1399], 1399, tiny_copy)
    report = tiny_copy / "reports/1399/services.xlsx"
    report.write_bytes(report.read_bytes() + b"edited by hand")
    before = tree_digest(tiny_copy)
    with pytest.raises(PlanmonError, match="has changed since the ingest"):
        undo(tiny_copy)
    assert tree_digest(tiny_copy) == before and len(read_log(tiny_copy)) == 1


def test_undo_refuses_an_ingest_a_later_one_depends_on(services_1399: Path, tiny_copy: Path):
    first = ingest([services_1399], 1399, tiny_copy)
    fill(services_1399, {"SRV01": 16.0})
    second = ingest([services_1399], 1399, tiny_copy, replace=True)
    before = tree_digest(tiny_copy)
    with pytest.raises(PlanmonError, match=f"ingest {second.record_id[:8]} .* undo that one first"):
        undo(tiny_copy, first.record_id[:8])
    assert tree_digest(tiny_copy) == before
    # the last one first, then the first: back to the plan as it was
    undo(tiny_copy)
    undo(tiny_copy, first.record_id)
    assert not (tiny_copy / "reports/1399").exists()
    with pytest.raises(PlanmonError, match="undone already"):
        undo(tiny_copy, first.record_id)


def test_an_identical_return_writes_no_record(services_1399: Path, tiny_copy: Path):
    ingest([services_1399], 1399, tiny_copy)
    result = ingest([services_1399], 1399, tiny_copy)
    assert result.record_id is None and len(read_log(tiny_copy)) == 1
