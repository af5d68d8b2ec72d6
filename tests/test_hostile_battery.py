"""The hostile battery (issue 14): hostile and contradictory inputs, each run through the real
command line in a subprocess bounded in CPU time (10 s, RLIMIT_CPU) and memory (RLIMIT_AS 1.5 GiB).

Every case must end in exit 0 or 1 as appropriate (never a signal, never 2 unless a usage
error), print no traceback and no "internal error", name the file (or ``file:row``) of a
refusal, and leave the plan folder byte-identical unless the command is an ingest that
succeeded. The inputs are built in a temporary folder from the tiny fixture plan
(tests/data/tiny) and the bad-input corpus (tests/data/bad).
"""

from __future__ import annotations

import csv
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tests.conftest import DATA, TINY, overlay

MEMORY_CAP = 1536 << 20
#: The bound in time is on the CPU a command uses (RLIMIT_CPU, seconds): it holds however busy
#: the machine is. The wall-clock timeout only catches a command that hangs without working.
TIMEOUT = 10
WALL_FACTOR = 6
REPORT = "reports/1398/services"
ESC = "\x1b[2J\x1b]0;pwned\x07"
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tx", "\rx"]

# A case: builds its input in (plan, tmp) and returns the command-line arguments.
Make = Callable[[Path, Path], list[str]]


@dataclass(frozen=True)
class Case:
    id: str
    make: Make
    code: int  # the expected exit code
    says: str | None = None  # a text the output must hold (the located message)
    check: Callable[[Path, Path, str], None] | None = None  # (plan, tmp, output) → asserts
    writes_plan: bool = False  # an ingest that succeeds changes the plan
    timeout: float = TIMEOUT  # a build runs a notebook kernel: more


# ------------------------------------------------------------------------------ inputs


def _set(plan: Path, rel: str, text: str) -> None:
    path = plan / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _replace(plan: Path, rel: str, old: str, new: str) -> None:
    path = plan / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _report_book(path: Path, far: tuple[int, int] | None = None, blank: bool = False) -> None:
    """The tiny plan's 1398 services report as a workbook, maybe with one far cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value", "note"])
    sheet.write_row(1, 0, ["SRV01", 13])
    sheet.write_row(2, 0, ["SRV02", 10.5])
    if far and blank:
        sheet.write_blank(*far, None, book.add_format({"bold": True}))
    elif far:
        sheet.write_string(*far, "x")
    book.close()


def _xlsx_report(plan: Path, far=None, blank=False) -> None:
    (plan / f"{REPORT}.csv").unlink()
    _report_book(plan / f"{REPORT}.xlsx", far, blank)


def _openpyxl_report(plan: Path, edit) -> None:
    (plan / f"{REPORT}.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "report"
    for row in (["indicator_id", "value", "note"], ["SRV01", 13], ["SRV02", 10.5]):
        sheet.append(row)
    edit(book, sheet)
    book.save(plan / f"{REPORT}.xlsx")


def _edit_sheet(path: Path, edit: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _corpus(name: str) -> Make:
    def make(plan: Path, tmp: Path) -> list[str]:
        overlay(plan, DATA / "bad" / name)
        return ["validate", str(plan)]

    return make


def _expected(name: str) -> str:
    return (DATA / "bad" / name / "expected.txt").read_text("utf-8").strip()


def _validate(prepare: Callable[[Path, Path], None], command: str = "validate") -> Make:
    def make(plan: Path, tmp: Path) -> list[str]:
        prepare(plan, tmp)
        extra = {"scores": ["--out", str(tmp / "s.csv")], "dashboard": ["--out", str(tmp / "d")]}
        extra["template"] = ["--year", "1399", "--out", str(tmp / "t")]
        return [command, str(plan), *extra.get(command, [])]

    return make


def _ingest(prepare: Callable[[Path, Path], Path], year: int = 1399, *more: str) -> Make:
    def make(plan: Path, tmp: Path) -> list[str]:
        return ["ingest", str(prepare(plan, tmp)), "--year", str(year), "--plan", str(plan), *more]

    return make


def _incoming_csv(text: str, name: str = "services.csv") -> Callable[[Path, Path], Path]:
    def prepare(plan: Path, tmp: Path) -> Path:
        path = tmp / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return prepare


def _far_incoming(plan: Path, tmp: Path) -> Path:
    path = tmp / "in" / "services.xlsx"
    _report_book(path, far=(1048575, 16383))
    return path


def _symlinked_year(plan: Path, tmp: Path) -> Path:
    outside = tmp / "outside"
    outside.mkdir()
    (plan / "reports" / "1399").symlink_to(outside, target_is_directory=True)
    return _incoming_csv("indicator_id,value,note,source\nSRV01,15,,\nSRV02,9.5,,\n")(plan, tmp)


def _exponent_year_folder(plan: Path, tmp: Path) -> Path:
    (plan / "reports" / "13.99e2").mkdir()
    return _incoming_csv("indicator_id,value,note,source\nSRV01,15,,\nSRV02,9.5,,\n")(plan, tmp)


def _dollar_name(plan: Path, tmp: Path) -> None:
    _replace(
        plan,
        "plan/indicators.csv",
        "Complaint response time",
        "Cost per resident ($) vs the 2020 budget ($ million) \\\\nosuchmacro",
    )
    _replace(plan, "plan/indicators.csv", "مدت پاسخ به شکایات", "هزینه $\\\\frac{a}{ $ ریال")


def _formula_units(plan: Path, tmp: Path) -> None:
    path = plan / "plan" / "indicators.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    for row, text in zip(rows[1:], FORMULAS, strict=False):
        row[5] = text  # unit
        row[4] = text + " name"  # name_en
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _neutralised_csv(plan: Path, tmp: Path, output: str) -> None:
    with open(tmp / "s.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # only numbers may start so (-2.5)
    assert {"'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'@SUM(1)", "'-2+3+cmd|' /C calc'!A0"} <= set(
        cells
    )


def _neutralised_xlsx(plan: Path, tmp: Path, output: str) -> None:
    book = openpyxl.load_workbook(tmp / "s.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'=cmd|' /C calc'!A0" in [c.value for c in cells]


def _duplicate_rows(n: int, unknown: bool = False) -> Callable[[Path, Path], None]:
    def prepare(plan: Path, tmp: Path) -> None:
        ids = (f"X{i:06d}" for i in range(n)) if unknown else ("SRV01" for _ in range(n))
        lines = "".join(f"{i},13,,\n" for i in ids)
        _set(plan, f"{REPORT}.csv", "indicator_id,value,note,source\n" + lines)

    return prepare


def _plan_workbook(plan: Path, tmp: Path, *, second: bool = False) -> Path:
    """The tiny plan's tables as one plan.xlsx (optionally with a second indicators sheet)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("plan", "departments", "goals", "indicators", "targets"):
        sheet = book.create_sheet(name)
        for row in csv.reader((plan / "plan" / f"{name}.csv").open(encoding="utf-8")):
            sheet.append(row)
    if second:
        copy = book.copy_worksheet(book["indicators"])
        copy.title = "شاخص‌ها"
        copy["A1"] = "indicator_id"
    shutil.rmtree(plan / "plan")
    book.save(plan / "plan.xlsx")
    return plan


def _ole(path: Path, streams: list[str]) -> None:
    names = b"".join(name.encode("utf-16-le") + b"\0\0" for name in streams)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + names)


def _no_output(where: str) -> Callable[[Path, Path, str], None]:
    def check(plan: Path, tmp: Path, output: str) -> None:
        assert not (tmp / where).exists(), f"{where} was left behind"

    return check


def _outside_untouched(plan: Path, tmp: Path, output: str) -> None:
    assert list((tmp / "outside").iterdir()) == []


def _into_1399(plan: Path, tmp: Path, output: str) -> None:
    assert (plan / "reports" / "1399" / "services.csv").is_file()
    assert list((plan / "reports" / "13.99e2").iterdir()) == []


def _dollars_literal(plan: Path, tmp: Path, output: str) -> None:
    import html

    page = html.unescape((tmp / "out" / "1398" / "en" / "services.html").read_text("utf-8"))
    assert "Cost per resident ($) vs the 2020 budget ($ million)" in page


def _no_escape_or_emoji(plan: Path, tmp: Path, output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "❌" not in output


def _full_disk(tmp: Path) -> Path:
    """A 256 kB tmpfs mounted under ``tmp`` (root only), or a skip."""
    mount = tmp / "full"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a full disk needs a tmpfs mount (root only)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    return mount


def _on_full_disk(command: str) -> Make:
    def make(plan: Path, tmp: Path) -> list[str]:
        mount = _full_disk(tmp)
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill it up
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        out = {"scores": "--out", "dashboard": "--out", "template": "--out"}[command]
        target = str(mount / ("s.csv" if command == "scores" else "d"))
        more = ["--year", "1399"] if command == "template" else []
        return [command, str(plan), out, target, *more]

    return make


# ------------------------------------------------------------------------------ cases


def _cases() -> list[Case]:
    far = (1048575, 16383)  # XFD1048576, from 0
    located = f"{REPORT}.xlsx"
    cases = [
        # 1. a stray far cell, through every reading command
        Case("far-value-validate", _validate(lambda p, t: _xlsx_report(p, far)), 1, located),
        Case(
            "far-value-scores", _validate(lambda p, t: _xlsx_report(p, far), "scores"), 1, located
        ),
        Case(
            "far-value-dashboard",
            _validate(lambda p, t: _xlsx_report(p, far), "dashboard"),
            1,
            located,
        ),
        Case(
            "far-value-template",
            _validate(lambda p, t: _xlsx_report(p, far), "template"),
            1,
            located,
        ),
        Case("far-value-ingest", _ingest(_far_incoming, 1399), 1, "services.xlsx"),
        Case("far-formatted-blank", _validate(lambda p, t: _xlsx_report(p, far, True)), 0),
        Case(
            "declared-dimension-huge",
            _validate(
                lambda p, t: (
                    _xlsx_report(p),
                    _edit_sheet(
                        p / located,
                        lambda x: x.replace(
                            b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFD1048576"/>'
                        ),
                    ),
                )
            ),
            0,
        ),
        Case(
            "zip-bomb",
            _validate(
                lambda p, t: (
                    _xlsx_report(p),
                    _edit_sheet(
                        p / located,
                        lambda x: x.replace(b"<sheetData>", b" " * (64 << 20) + b"<sheetData>"),
                    ),
                )
            ),
            1,
            located,
        ),
        Case(
            "huge-file-sparse",
            _validate(lambda p, t: os.truncate(p / f"{REPORT}.csv", 60 << 20)),
            1,
            f"{REPORT}.csv: file is",
        ),
        # 3. numbers that are not finite
        Case(
            "value-1e309",
            _validate(lambda p, t: _replace(p, f"{REPORT}.csv", "SRV01,13", "SRV01,1e309")),
            1,
            f"{REPORT}.csv:2:value",
        ),
        Case(
            "value-1e309-scores",
            _validate(
                lambda p, t: _replace(p, f"{REPORT}.csv", "SRV01,13", "SRV01,1e309"), "scores"
            ),
            1,
            f"{REPORT}.csv:2:value",
        ),
        Case(
            "target-1e309",
            _validate(
                lambda p, t: _replace(p, "plan/targets.csv", "SRV01,1399,16", "SRV01,1399,1e309")
            ),
            1,
            "plan/targets.csv:4:target",
        ),
        Case("value-inf", _corpus("inf_value"), 1, _expected("inf_value")),
        Case("value-nan", _corpus("nan_value"), 1, _expected("nan_value")),
        Case(
            "value-1e309-ingest",
            _ingest(_incoming_csv("indicator_id,value,note,source\nSRV01,1e309,,\n")),
            1,
            "services.csv:2:value",
        ),
        # 4. markup, emoji codes and escape sequences in names and paths
        Case(
            "markup-in-plan-name",
            _validate(
                lambda p, t: _replace(
                    p, "plan/plan.csv", "Tiny test plan", "Tiny [/] [bold]plan :x:"
                )
            ),
            0,
            check=_no_escape_or_emoji,
        ),
        Case(
            "markup-in-plan-name-scores",
            _validate(
                lambda p, t: _replace(p, "plan/plan.csv", "Tiny test plan", "Tiny [/] plan"),
                "scores",
            ),
            0,
        ),
        Case(
            "markup-escape-in-id",
            _validate(lambda p, t: _replace(p, f"{REPORT}.csv", "SRV02,", f"[/]:x:{ESC},")),
            1,
            f"{REPORT}.csv:3:indicator_id",
            _no_escape_or_emoji,
        ),
        Case(
            "markup-escape-in-path",
            _validate(
                lambda p, t: _set(p, f"reports/1398/[red]:x:{ESC}.csv", "indicator_id,value\n")
            ),
            1,
            "reports/1398/[red]:x:",
            _no_escape_or_emoji,
        ),
        Case(
            "markup-note-ingest",
            _ingest(
                _incoming_csv(
                    "indicator_id,value,note,source\nSRV01,15,[/] :x: [red]x,\nSRV02,9,,\n"
                )
            ),
            0,
            check=_no_escape_or_emoji,
            writes_plan=True,
        ),
        Case(
            "nul-control-in-note",
            _validate(
                lambda p, t: _replace(
                    p, f"{REPORT}.csv", "SRV02,10.5,,", f'SRV02,10.5,"a\x00b{ESC}",'
                )
            ),
            0,
            "control characters",
            _no_escape_or_emoji,
        ),
        # 5. formula text in output tables
        Case(
            "formula-units-csv",
            lambda p, t: (_formula_units(p, t), ["scores", str(p), "--out", str(t / "s.csv")])[1],
            0,
            check=_neutralised_csv,
        ),
        Case(
            "formula-units-xlsx",
            lambda p, t: (_formula_units(p, t), ["scores", str(p), "--out", str(t / "s.xlsx")])[1],
            0,
            check=_neutralised_xlsx,
        ),
        Case("formula-units-template", _validate(_formula_units, "template"), 0),
        # 7. cells that would silently become gaps
        Case(
            "div0-cell",
            _validate(
                lambda p, t: _openpyxl_report(p, lambda b, s: s.__setitem__("B2", "#DIV/0!"))
            ),
            1,
            f"{located}:2:value",
        ),
        Case(
            "formula-no-cache",
            _validate(lambda p, t: _openpyxl_report(p, lambda b, s: s.__setitem__("B3", "=B2*2"))),
            1,
            f"{located}:3:value",
        ),
        Case(
            "merged-value",
            _validate(lambda p, t: _openpyxl_report(p, lambda b, s: s.merge_cells("B2:B3"))),
            1,
            f"{located}:2:value",
        ),
        Case(
            "hidden-first-sheet",
            _validate(lambda p, t: _openpyxl_report(p, _hide_first)),
            0,
            "is hidden",
        ),
        Case(
            "header-only-report-xlsx",
            _validate(lambda p, t: _openpyxl_report(p, lambda b, s: s.delete_rows(2, 2))),
            0,
        ),
        Case(
            "encrypted-workbook",
            _validate(
                lambda p, t: (
                    p.joinpath(f"{REPORT}.csv").unlink(),
                    _ole(p / located, ["EncryptionInfo", "EncryptedPackage"]),
                )
            ),
            1,
            f"{located}: the workbook is encrypted",
        ),
        Case(
            "binary-as-csv",
            _validate(lambda p, t: (p / f"{REPORT}.csv").write_bytes(bytes(range(256)) * 10)),
            1,
            f"{REPORT}.csv",
        ),
        Case(
            "empty-report-file",
            _validate(lambda p, t: (p / f"{REPORT}.csv").write_bytes(b"")),
            1,
            f"{REPORT}.csv",
        ),
        # 13. encodings and quotes
        Case(
            "mixed-encodings",
            _validate(
                lambda p, t: (p / f"{REPORT}.csv").write_bytes(
                    "indicator_id,value,note,source\nSRV01,13,افزایش,\n".encode()
                    + "SRV02,10.5,بدون تغيير,\n".encode("cp1256")
                )
            ),
            0,
            "mixes two text encodings",
        ),
        Case("unterminated-quote", _corpus("unclosed_quote"), 1, _expected("unclosed_quote")),
        # symlinks out of the plan
        Case(
            "symlink-read",
            _validate(
                lambda p, t: (
                    _secret(t),
                    (p / f"{REPORT}.csv").unlink(),
                    (p / f"{REPORT}.csv").symlink_to(t / "secret.csv"),
                )
            ),
            1,
            f"{REPORT}.csv",
        ),
        Case(
            "symlink-ingest-write", _ingest(_symlinked_year), 1, "reports/1399", _outside_untouched
        ),
        # year folders
        Case(
            "year-folder-formatted",
            _corpus("year_folder_formatted"),
            1,
            _expected("year_folder_formatted"),
        ),
        Case(
            "year-folder-exponent",
            _corpus("year_folder_exponent"),
            1,
            _expected("year_folder_exponent"),
        ),
        Case(
            "ingest-beside-exponent-folder",
            _ingest(_exponent_year_folder),
            0,
            check=_into_1399,
            writes_plan=True,
        ),
        # long names
        Case(
            "name-120000-chars",
            _validate(
                lambda p, t: _replace(p, "plan/departments.csv", "District 1", "x" * 120_000)
            ),
            1,
            "plan/departments.csv:3:name_en",
        ),
        # 9. contradictory plans
        *[
            Case(name, _corpus(name), 1, _expected(name))
            for name in (
                "horizon_before_first",
                "calendar_mix",
                "baseline_after_horizon",
                "calendar_word",
                "negative_weight",
                "negative_tolerance",
                "tolerance_percent",
                "header_only_table",
                "unreadable_table",
                "duplicate_table_file",
            )
        ],
        Case(
            "negative-weight-scores",
            lambda p, t: (overlay(p, DATA / "bad" / "negative_weight"), ["scores", str(p)])[1],
            1,
            "plan/",
        ),
        Case(
            "duplicate-sheets-plan-xlsx",
            lambda p, t: ["validate", str(_plan_workbook(p, t, second=True))],
            1,
            "plan.xlsx",
        ),
        Case("plan-xlsx-ok", lambda p, t: ["validate", str(_plan_workbook(p, t))], 0),
        # load
        Case(
            "200000-duplicate-rows",
            _validate(_duplicate_rows(200_000)),
            1,
            f"{REPORT}.csv:3:indicator_id",
        ),
        Case(
            "200000-unknown-ids",
            _validate(_duplicate_rows(200_000, unknown=True)),
            1,
            f"{REPORT}.csv:2:indicator_id",
        ),
        # outputs that cannot be written
        Case(
            "scores-out-under-proc",
            lambda p, t: ["scores", str(p), "--out", "/proc/planmon/s.csv"],
            1,
            "/proc/planmon",
        ),
        Case(
            "scores-out-parent-is-file",
            lambda p, t: (_file(t), ["scores", str(p), "--out", str(t / "file" / "s.csv")])[1],
            1,
            "file",
        ),
        Case(
            "scores-out-is-folder",
            lambda p, t: (_file(t), ["scores", str(p), "--out", str(t)])[1],
            1,
            "unknown output format",
        ),
        Case(
            "dashboard-out-is-file",
            lambda p, t: (_file(t), ["dashboard", str(p), "--out", str(t / "file")])[1],
            1,
            "file",
        ),
        Case(
            "dashboard-out-under-proc",
            lambda p, t: ["dashboard", str(p), "--out", "/proc/planmon/d"],
            1,
            "/proc/planmon",
        ),
        Case(
            "template-out-is-file",
            lambda p, t: (
                _file(t),
                ["template", str(p), "--year", "1399", "--out", str(t / "file")],
            )[1],
            1,
            "file",
        ),
        Case(
            "template-out-under-proc",
            lambda p, t: ["template", str(p), "--year", "1399", "--out", "/proc/planmon/t"],
            1,
            "/proc/planmon",
        ),
        Case("init-under-proc", lambda p, t: ["init", "/proc/planmon/new"], 1, "/proc/planmon"),
        Case(
            "init-into-file",
            lambda p, t: (_file(t), ["init", str(t / "file" / "new")])[1],
            1,
            "file",
        ),
        Case("full-disk-scores", _on_full_disk("scores"), 1, "full/s.csv"),
        Case("full-disk-template", _on_full_disk("template"), 1, "full"),
        Case("full-disk-dashboard", _on_full_disk("dashboard"), 1, "full"),
        # build: a few, it is slow
        Case(
            "build-dept-parent",
            lambda p, t: [
                "build",
                str(p),
                "--dept",
                "../x",
                "--out",
                str(t / "out"),
                "--format",
                "html",
            ],
            2,
            "unknown department ../x",
            _no_output("out"),
        ),
        Case(
            "build-out-inside-plan",
            lambda p, t: ["build", str(p), "--out", str(p / "reports"), "--format", "html"],
            1,
            "reports",
        ),
        Case(
            "dollar-signs-build",
            lambda p, t: (
                _dollar_name(p, t),
                ["build", str(p), "--dept", "services", "--year", "1398", "--lang", "fa,en"]
                + ["--format", "html", "--jobs", "1", "--out", str(t / "out")],
            )[1],
            0,
            "2 built, 0 up to date, 0 failed",
            _dollars_literal,
            timeout=90,
        ),
        Case("usage-error", lambda p, t: ["validate", str(p), "--no-such-option"], 2),
    ]
    return cases


def _hide_first(book, sheet) -> None:
    stale = book.create_sheet("old", 0)
    stale.append(["indicator_id", "value"])
    stale.append(["SRV01", 999])
    stale.sheet_state = "hidden"


def _secret(tmp: Path) -> None:
    (tmp / "secret.csv").write_text("indicator_id,value,note,source\nSRV01,666,root:x:0:0,\n")


def _file(tmp: Path) -> None:
    (tmp / "file").write_text("a user's file\n")


CASES = _cases()


# ------------------------------------------------------------------------------ the runner


def _capped(seconds: float) -> Callable[[], None]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        resource.setrlimit(resource.RLIMIT_CPU, (int(seconds), int(seconds) + 1))

    return cap


def _tree_hash(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder`` with its content hash (links by their target).

    ``.planmon/lock`` and empty folders of ``.planmon/`` are planmon's bookkeeping (the ingest
    lock, the journal's folder); any file it leaves in the journal counts.
    """
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(".planmon") and (rel == ".planmon/lock" or path.is_dir()):
            continue
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def run_cli(
    args: list[str], cwd: Path, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``planmon ARGS`` in a subprocess capped in CPU time and memory (a wall-clock timeout of
    :data:`WALL_FACTOR` times the CPU bound catches a hang)."""
    env = {**os.environ, "COLUMNS": "300", "PLANMON_HOME": str(cwd)}
    env.pop("PLANMON_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "planmon.cli.app", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout * WALL_FACTOR,
        preexec_fn=_capped(timeout),
        cwd=cwd,
        env=env,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    work = tmp_path / "work"
    work.mkdir()
    try:
        args = case.make(plan, work)
        before = _tree_hash(plan)
        proc = run_cli(args, work, case.timeout)
    finally:
        if (work / "full").is_mount():
            subprocess.run(["umount", str(work / "full")], check=True)
    output = proc.stdout + proc.stderr
    assert proc.returncode == case.code, output[-3000:]
    assert "Traceback" not in output and "internal error" not in output, output[-3000:]
    assert "This is a bug" not in output
    if case.says is not None:
        assert case.says in output, output[-3000:]
    if not case.writes_plan:
        assert _tree_hash(plan) == before, "the plan folder changed"
    if case.check is not None:
        case.check(plan, work, output)


def test_the_battery_is_large_enough():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


# ------------------------------------------------------------------------------ kills


def _page_is_whole(out: Path) -> str:
    """The assets version ``index.html`` names, after checking every file of it is there."""
    import re

    page = (out / "index.html").read_text("utf-8")
    assert page.rstrip().endswith("</html>")
    versions = set(re.findall(r"assets/([0-9a-f]{12,})/", page))
    assert len(versions) == 1, versions
    (version,) = versions
    named = set(re.findall(rf"assets/{version}/([\w.\-]+)", page))
    assert named and all((out / "assets" / version / name).is_file() for name in named)
    return version


def test_a_dashboard_killed_at_random_points_leaves_the_old_or_the_new_page(tmp_path: Path):
    import random
    import signal
    import time

    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    out = tmp_path / "dash"
    args = [sys.executable, "-m", "planmon.cli.app", "dashboard", str(plan), "--out", str(out)]
    started = time.monotonic()
    first = run_cli(["dashboard", str(plan), "--out", str(out), "--year", "1397"], tmp_path, 60)
    assert first.returncode == 0, first.stderr
    whole = time.monotonic() - started
    seen = {_page_is_whole(out)}
    chance = random.Random(14)
    for _ in range(5):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.4, 1.1) * whole)  # mostly while it writes
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.add(_page_is_whole(out))
    # a half-written index.html of a killed run, untouched for an hour
    stale = out / ".planmon-tmp-index.html.killed.tmp"
    stale.write_text("<html")
    os.utime(stale, (time.time() - 3600,) * 2)
    done = run_cli(["dashboard", str(plan), "--out", str(out)], tmp_path, 60)
    assert done.returncode == 0, done.stderr
    version = _page_is_whole(out)
    assert sorted(p.name for p in (out / "assets").iterdir()) == [version]
    assert not stale.exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_templates_of_a_killed_run_are_removed_at_the_next_run(tmp_path: Path):
    import time

    import planmon
    from planmon.collect.templates import write_templates

    plan = planmon.load(TINY, cache=False)
    year_folder = tmp_path / "t" / "1399"
    year_folder.mkdir(parents=True)
    killed = year_folder / ".planmon-tmp-services.xlsx.abc123.tmp"
    fresh = year_folder / ".planmon-tmp-district_1.xlsx.def456.tmp"  # another run, writing now
    users = year_folder / ".notes.tmp"
    for path in (killed, fresh, users):
        path.write_bytes(b"PK")
    os.utime(killed, (time.time() - 3600,) * 2)
    os.utime(users, (time.time() - 3600,) * 2)
    assert write_templates(plan, 1399, out_dir=tmp_path / "t")
    assert not killed.exists() and fresh.exists() and users.exists()
