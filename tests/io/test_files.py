"""Guarded reading of CSV files and plan folders (planmon.io.limits, planmon.io.csv_read,
planmon.io.plan_files, planmon.io.read): sizes before reading, encodings, control characters,
length limits, links out of the plan, and what a year folder is."""

from __future__ import annotations

import builtins
import hashlib
import os
from pathlib import Path

import pytest

import planmon
from planmon.core.exceptions import InputFileError
from planmon.core.schema import parse_year
from planmon.io import limits
from planmon.io.plan_files import content_hash, discover

SERVICES = "reports/1398/services.csv"


def _warnings(plan: Path) -> list[str]:
    errors, warnings = planmon.check(plan)
    assert errors == [], errors
    return [str(w) for w in warnings]


def test_a_huge_file_is_refused_before_a_byte_is_read(tiny_copy: Path, monkeypatch):
    report = tiny_copy / SERVICES
    with open(report, "r+b") as handle:
        handle.truncate(limits.MAX_INPUT_BYTES + 1)  # sparse: fast, takes no disk space
    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(Path(file) if isinstance(file, (str, os.PathLike)) else file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    with pytest.raises(InputFileError) as info:
        planmon.load(tiny_copy, cache=False)  # hashing comes first: it must check the size
    assert str(info.value) == (
        f"{SERVICES}: file is 52 MB, more than the 50 MiB planmon accepts for one input; "
        "check it is the right file"
    )
    assert report not in opened


def test_the_content_hash_is_streamed_and_equals_sha256_of_names_and_bytes(tiny_path: Path):
    files = discover(tiny_path)
    expected = hashlib.sha256(b"x")
    for path in files.paths:
        expected.update(path.relative_to(tiny_path).as_posix().encode() + b"\0")
        expected.update(path.read_bytes() + b"\0")
    assert content_hash(files.paths, tiny_path, extra="x") == expected.hexdigest()


def test_a_csv_mixing_utf8_and_windows_1256_is_read_line_by_line_and_reported(tiny_copy: Path):
    report = tiny_copy / SERVICES
    utf8 = "indicator_id,value,note,source\nSRV01,13,افزایش ظرفیت,\n".encode()
    # Windows-1256 has the Arabic ي, which planmon normalises to the Persian ی
    cp1256 = "SRV02,10.5,بدون تغيير,\n".encode("cp1256")
    report.write_bytes(utf8 + cp1256)
    warnings = _warnings(tiny_copy)
    assert (
        f"{SERVICES}:3: the file mixes two text encodings: line 3 Windows-1256, line 2 UTF-8; "
        "each line was read in its own encoding: check those rows, and save the file as CSV UTF-8"
    ) in warnings
    plan = planmon.load(tiny_copy, cache=False)
    notes = plan.actuals.query("year == 1398 and dept_id == 'services'")["note"].tolist()
    assert notes == ["افزایش ظرفیت", "بدون تغییر"]


def test_a_multi_line_note_in_quotes_is_not_an_unclosed_quote(tiny_copy: Path):
    report = tiny_copy / SERVICES
    report.write_text(
        'indicator_id,value,note,source\nSRV01,13,"first line\nsecond, line",\nSRV02,10.5,,\n',
        encoding="utf-8",
    )
    plan = planmon.load(tiny_copy, cache=False)
    note = plan.actuals.query("indicator_id == 'SRV01' and year == 1398")["note"].item()
    assert note == "first line second, line"  # line breaks are kept in notes, shown as spaces


def test_control_characters_are_stripped_with_a_warning(tiny_copy: Path):
    report = tiny_copy / SERVICES
    report.write_text(
        "indicator_id,value,note,source\nSRV01,13,note\x00 with\x1b[2J escapes,\nSRV02,10.5,,\n",
        encoding="utf-8",
    )
    warnings = _warnings(tiny_copy)
    assert (
        f"{SERVICES}:2:note: control characters (line breaks, NUL, ESC, …) removed from the text"
        in warnings
    )
    plan = planmon.load(tiny_copy, cache=False)
    note = plan.actuals.query("indicator_id == 'SRV01' and year == 1398")["note"].item()
    assert note == "note with[2J escapes"


def test_a_note_longer_than_the_limit_is_cut_with_a_warning(tiny_copy: Path):
    report = tiny_copy / SERVICES
    report.write_text(
        "indicator_id,value,note,source\nSRV01,13," + "ی" * 2500 + ",\nSRV02,10.5,,\n",
        encoding="utf-8",
    )
    warnings = _warnings(tiny_copy)
    assert (
        f"{SERVICES}:2:note: text of 2,500 characters cut to 2,000 (the most a note may have)"
    ) in warnings
    plan = planmon.load(tiny_copy, cache=False)
    note = plan.actuals.query("indicator_id == 'SRV01' and year == 1398")["note"].item()
    assert len(note) == limits.MAX_NOTE_CHARS


def test_links_out_of_the_plan_folder_are_refused_and_never_read(tiny_copy: Path, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("indicator_id,value\nSRV01,999\n", encoding="utf-8")
    report = tiny_copy / SERVICES
    report.unlink()
    report.symlink_to(secret)
    (tiny_copy / "reports" / "1397").rename(tmp_path / "1397")
    (tiny_copy / "reports" / "1397").symlink_to(tmp_path / "1397", target_is_directory=True)
    errors, _ = planmon.check(tiny_copy)
    outside = (
        "is a link that leads out of the plan folder; planmon reads only the plan's own files: "
        "copy it into the plan instead"
    )
    assert sorted(str(e) for e in errors) == [f"reports/1397/: {outside}", f"{SERVICES}: {outside}"]
    assert all("999" not in str(e) for e in errors)
    assert secret not in discover(tiny_copy).paths


def test_a_link_inside_the_plan_folder_is_followed(tiny_copy: Path):
    report = tiny_copy / SERVICES
    kept = tiny_copy / "reports" / "services-1398.txt"
    report.rename(kept)
    report.symlink_to(Path("..") / kept.name)
    errors, _ = planmon.check(tiny_copy)
    assert errors == []


@pytest.mark.parametrize(
    ("text", "year"),
    [("1398", 1398), ("۱۳۹۸", 1398), ("١٣٩٨", 1398), (1398.0, 1398), ("2024", 2024),
     ("+1,397.0%", None), ("13.98e2", None), ("1397.5", None), ("next", None), ("1250", None),
     (float("inf"), None), (True, None)],
)  # fmt: skip
def test_a_year_is_four_digits_or_a_whole_number_in_a_plausible_range(text, year):
    assert parse_year(text) == year


def test_a_csv_beyond_the_cell_limit_is_refused(tiny_copy: Path, monkeypatch):
    monkeypatch.setattr("planmon.io.csv_read.MAX_CELLS", 5)
    errors, _ = planmon.check(tiny_copy)
    assert (
        f"{SERVICES}: the file has more than 5 cells, more than planmon reads from one table; "
        "check it is the right file"
    ) in [str(e) for e in errors]
