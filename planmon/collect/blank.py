"""A new, empty plan folder to fill in: ``planmon init``.

``plan.xlsx`` gets the plan settings sheet and the four tables of ``docs/data-contract.md``,
each with bilingual headers the reader understands («شناسه حوزه (dept_id)»), frozen header
rows, drop-down lists for the accepted words (kind, direction, level) and for ids defined on
another sheet (a department, a goal, an indicator), a note on every header, and a guide sheet
«راهنما (guide)» that explains every column in Persian and English with a filled example row
per table. Beside it: an empty ``reports/`` folder and a ``README.md``.

The folder is assembled under a temporary name beside the target and renamed into place, so
an interrupted ``init`` leaves nothing half-made.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from planmon.core.exceptions import ParameterError
from planmon.core.schema import COLUMN_ALIASES, DIRECTIONS, KINDS, LEVELS, TABLE_ALIASES
from planmon.core.vocabulary import WORDS, direction_label, kind_label, level_label, unit_label
from planmon.io.excel import Column, excel_workbook, write_sheet
from planmon.plan.validation import YEAR_RANGES

__all__ = [
    "_CALENDAR_YEARS",
    "PLAN_GUIDE_SHEET",
    "TABLE_COLUMNS",
    "header",
    "sheet_name",
    "init_plan",
]

#: Calendars a plan may use, with their plausible year range.
_CALENDAR_YEARS = {"jalali": YEAR_RANGES[0], "gregorian": YEAR_RANGES[1]}
#: The guide sheet of a new plan workbook (ignored by the reader).
PLAN_GUIDE_SHEET = "راهنما (guide)"
#: Columns of each table in a new plan, in order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "departments": ("dept_id", "kind", "name_fa", "name_en", "parent_id"),
    "goals": ("goal_id", "name_fa", "name_en", "parent_id", "dept_id", "weight"),
    "indicators": (
        "indicator_id", "dept_id", "goal_id", "name_fa", "name_en", "unit", "direction",
        "baseline_year", "baseline_value", "limit", "weight", "tolerance", "level",
        "definition", "formula", "responsible", "source", "frequency",
    ),
    "targets": ("indicator_id", "year", "target"),
}  # fmt: skip
_ROWS = 5000  # rows covered by the drop-down lists
# column → (Persian help, English help)
_HELP: dict[str, tuple[str, str]] = {
    "dept_id": ("شناسه کوتاه لاتین حوزه، مثلاً parks", "short Latin id, e.g. parks"),
    "kind": ("معاونت، منطقه یا سازمان", "deputy, district or organization"),
    "name_fa": ("نام فارسی", "Persian name"),
    "name_en": ("نام انگلیسی (اختیاری)", "English name (optional)"),
    "parent_id": ("شناسه والد (اختیاری)", "parent's id (optional)"),
    "goal_id": ("شناسه کوتاه لاتین هدف، مثلاً G1_1", "short Latin id, e.g. G1_1"),
    "weight": ("وزن (اختیاری، پیش‌فرض ۱)", "weight (optional, default 1)"),
    "indicator_id": ("شناسه کوتاه لاتین شاخص، مثلاً PRK01", "short Latin id, e.g. PRK01"),
    "unit": ("واحد سنجش، مثلاً درصد", "unit, e.g. %"),
    "direction": ("افزایشی، کاهشی یا بدون جهت", "increase, decrease or maintain"),
    "baseline_year": ("سال وضع موجود", "year of the baseline value"),
    "baseline_value": ("مقدار وضع موجود", "baseline value"),
    "limit": ("حد طبیعی، مثلاً ۱۰۰ برای درصد (اختیاری)", "natural limit, e.g. 100 (optional)"),
    "tolerance": ("رواداری شاخص بدون جهت، مثلاً ۰٫۰۵", "tolerance of a maintain indicator"),
    "level": ("ورودی، خروجی، پیامد یا اثر (اختیاری)", "input, output, outcome or impact"),
    "definition": ("تعریف شاخص (اختیاری)", "definition (optional)"),
    "formula": ("نحوه محاسبه (اختیاری)", "formula (optional)"),
    "responsible": ("واحد مسئول (اختیاری)", "responsible unit (optional)"),
    "source": ("منبع داده (اختیاری)", "data source (optional)"),
    "frequency": ("دوره اندازه‌گیری (اختیاری)", "frequency (optional)"),
    "year": ("سال برنامه", "plan year"),
    "target": ("مقدار هدف آن سال", "target value of that year"),
}
_TABLE_HELP = {
    "departments": ("حوزه‌ها: معاونت‌ها، مناطق و سازمان‌ها", "Departments: deputies, districts"),
    "goals": ("اهداف کلان و خرد (هدف خرد، هدف کلان والد خود را دارد)", WORDS["goals"]["en"]),
    "indicators": ("شاخص‌ها و شناسنامه آن‌ها", "Indicators and their passports"),
    "targets": ("هدف کمی هر شاخص در هر سال برنامه", "Each indicator's target per plan year"),
}
_WORDS = {"kind": KINDS, "direction": DIRECTIONS, "level": LEVELS}
# id column → the table (and column A) that defines it, for drop-down lists
_REFERENCES = {
    ("departments", "parent_id"): "departments",
    ("goals", "parent_id"): "goals",
    ("goals", "dept_id"): "departments",
    ("indicators", "dept_id"): "departments",
    ("indicators", "goal_id"): "goals",
    ("targets", "indicator_id"): "indicators",
}


def header(column: str) -> str:
    """The bilingual header of a column: its first Persian alias and its name."""
    return f"{COLUMN_ALIASES[column][0]} ({column})"


def sheet_name(table: str) -> str:
    """The bilingual sheet name of a table (``حوزه‌ها (departments)``)."""
    return f"{TABLE_ALIASES[table][0]} ({table})"


def _word_list(column: str) -> list[str]:
    words = _WORDS[column]
    return [aliases[0] for aliases in words.values()] + list(words)


def _validation(table: str, column: str) -> dict | None:
    fa, en = _HELP.get(column, ("", ""))
    prompt = {"input_title": header(column)[:32], "input_message": f"{fa}\n{en}"[:255]}
    if column in _WORDS:
        words = _word_list(column)
        return {
            "validate": "list",
            "source": words,
            "error_type": "warning",
            "error_title": "واژه ناشناخته / unknown word",
            "error_message": "یکی از این‌ها: / one of: " + "، ".join(words),
            **prompt,
        }
    source = _REFERENCES.get((table, column))
    if source is not None:
        return {
            "validate": "list",
            "source": f"='{sheet_name(source)}'!$A$2:$A${_ROWS + 1}",
            "error_type": "warning",
            "error_title": "شناسه ناشناخته / unknown id",
            "error_message": f"این شناسه در برگه «{sheet_name(source)}» نیست / not on that sheet",
            **prompt,
        }
    return {"validate": "any", **prompt}


def _table_columns(table: str) -> list[Column]:
    return [
        Column(
            header(c),
            width=max(14, len(header(c)) + 2),
            wrap=c in ("definition", "formula"),
            comment=" / ".join(_HELP.get(c, ("", ""))),
        )
        for c in TABLE_COLUMNS[table]
    ]


def _write_table(book: xlsxwriter.Workbook, table: str) -> None:
    sheet = write_sheet(book, sheet_name(table), _table_columns(table), [], right_to_left=True)
    for col, column in enumerate(TABLE_COLUMNS[table]):
        rule = _validation(table, column)
        if rule is not None:
            sheet.data_validation(1, col, _ROWS, col, rule)


def _settings_rows(calendar: str, first: int, horizon: int, name_fa: str | None) -> list[list]:
    return [
        ["name_fa", name_fa, "نام فارسی برنامه / the plan's Persian name"],
        ["name_en", None, "نام انگلیسی برنامه / the plan's English name"],
        ["city_fa", None, "نام شهر / city (Persian)"],
        ["city_en", None, "city (English)"],
        ["baseline_year", first - 1, "سال وضع موجود / baseline year"],
        ["first_year", first, "نخستین سال برنامه / first plan year"],
        ["horizon_year", horizon, "سال افق برنامه / horizon (last plan year)"],
        ["calendar", calendar, "تقویم: jalali یا gregorian / calendar"],
        ["plan_id", uuid.uuid4().hex, "شناسه برنامه؛ تغییر ندهید / the plan's id: keep it"],
        [
            "deadline",
            None,
            "مهلت بازگشت گزارش‌ها (اختیاری)، مثلاً 03-31 (ماه-روز سال بعد) یا 1404-03-31 / "
            "reports due (optional): MM-DD of the next year, or a date",
        ],
    ]


def _examples(first: int) -> dict[str, list[object]]:
    return {
        "departments": ["parks", kind_label("organization", "fa"), "سازمان سیما، منظر و فضای سبز شهری",
                        "Parks and Green Space Organization", ""],
        "goals": ["G1_1", "افزایش سرانه فضای سبز", "More green space per capita", "G1",
                  "parks", 1],
        "indicators": ["PRK01", "parks", "G1_1", "سرانه فضای سبز شهری",
                       "Urban green space per capita", unit_label("m² per capita", "fa"),
                       direction_label("increase", "fa"), first - 1,
                       12.4, "", 2, "", level_label("outcome", "fa"), "مساحت فضای سبز عمومی به ازای هر نفر",
                       "مساحت فضای سبز ÷ جمعیت", "سازمان پارک‌ها", "سامانه GIS", "سالانه"],
        "targets": ["PRK01", first, 12.8],
    }  # fmt: skip


def _guide_rows(first: int) -> list[list[object]]:
    rows: list[list[object]] = [
        ["راهنمای برنامه / How to fill in this plan"],
        ["هر برگه یک جدول است؛ سطر اول عنوان ستون‌هاست و تغییر نمی‌کند. شناسه‌ها فقط حروف لاتین، "
         "رقم، _ و - هستند. ارقام فارسی پذیرفته است. پس از پر کردن: planmon validate"],
        ["Each sheet is one table; keep the header row. Ids use Latin letters, digits, _ and - "
         "only. Persian digits are fine. When filled in, run: planmon validate PLAN"],
    ]  # fmt: skip
    examples = _examples(first)
    for table, columns in TABLE_COLUMNS.items():
        fa, en = _TABLE_HELP[table]
        rows += [[], [f"{sheet_name(table)}: {fa} / {en}"]]
        rows += [[header(c), *_HELP.get(c, ("", ""))] for c in columns]
        rows += [["نمونه / example:"], [header(c) for c in columns], examples[table]]
    return rows


def _write_workbook(target: Path, calendar: str, first: int, horizon: int, name: str | None):
    with excel_workbook(
        target, {"title": name or "planmon plan", "comments": "planmon init"}
    ) as book:
        settings = write_sheet(
            book,
            sheet_name("plan"),
            [
                Column(header("key"), width=16),
                Column(header("value"), width=36),
                Column(header("note"), width=70),
            ],
            _settings_rows(calendar, first, horizon, name),
            right_to_left=True,
        )
        settings.activate()
        for table in TABLE_COLUMNS:
            _write_table(book, table)
        write_sheet(
            book,
            PLAN_GUIDE_SHEET,
            [Column("راهنما / Guide", width=30), Column("", width=50), Column("", width=50)]
            + [Column("", width=16)] * (max(map(len, TABLE_COLUMNS.values())) - 3),
            _guide_rows(first),
            right_to_left=True,
            freeze_header=False,
        )


def _readme(name: str | None) -> str:
    title = name or "planmon plan"
    return (
        f"# {title}\n\n"
        "A plan folder for planmon: fill in `plan.xlsx` (its guide sheet explains every "
        "column), check it with `planmon validate .`, then collect the departments' reports "
        "with `planmon template` and `planmon ingest`, which files them in `reports/<year>/`.\n\n"
        "پوشه برنامه planmon: «plan.xlsx» را پر کنید (برگه راهنما هر ستون را توضیح می‌دهد) و با "
        "«planmon validate .» بررسی کنید.\n"
    )


@dataclass(frozen=True)
class NewPlan:
    """What :func:`init_plan` wrote."""

    folder: Path
    workbook: Path
    first_year: int
    horizon_year: int


def _years(calendar: str, first: int | None, horizon: int | None) -> tuple[int, int]:
    if calendar not in _CALENDAR_YEARS:
        raise ParameterError(f"--calendar must be jalali or gregorian, not {calendar!r}")
    if first is None:
        if calendar == "jalali":
            from persiantools.jdatetime import JalaliDate

            first = JalaliDate.today().year
        else:
            first = dt.date.today().year
    horizon = first + 4 if horizon is None else horizon
    low, high = _CALENDAR_YEARS[calendar]
    for label, year in (("first year", first), ("horizon year", horizon)):
        if not low <= year <= high:
            raise ParameterError(f"{label} {year} is not a {calendar} year ({low}–{high})")
    if horizon < first:
        raise ParameterError(f"the horizon year {horizon} is before the first year {first}")
    return first, horizon


def init_plan(
    path: str | os.PathLike[str],
    *,
    calendar: str = "jalali",
    first_year: int | None = None,
    horizon_year: int | None = None,
    name_fa: str | None = None,
) -> NewPlan:
    """Write a new, empty plan folder.

    Parameters
    ----------
    path : path-like
        The folder to create; it must not exist or be empty.
    calendar : {"jalali", "gregorian"}
    first_year, horizon_year : int, optional
        The plan years; default this year (in ``calendar``) and four years later. The baseline
        year is the year before the first.
    name_fa : str, optional
        The plan's Persian name.

    Raises
    ------
    ParameterError
        A non-empty target, an unknown calendar, years outside the calendar or in the wrong
        order.
    """
    folder = Path(path)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ParameterError(f"{folder} is not empty; give a new folder for the plan")
    first, horizon = _years(calendar, first_year, horizon_year)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.planmon-init-", dir=folder.parent))
    try:
        _write_workbook(tmp / "plan.xlsx", calendar, first, horizon, name_fa)
        (tmp / "reports").mkdir()
        (tmp / "README.md").write_text(_readme(name_fa), encoding="utf-8")
        os.chmod(tmp, 0o755)
        os.replace(tmp, folder)  # an empty folder is replaced; a non-empty one makes this fail
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return NewPlan(folder, folder / "plan.xlsx", first, horizon)
