"""Data-collection templates: one Excel workbook per department and year, ready to fill in.

Each workbook is itself a valid annual report (``reports/<year>/<dept_id>.xlsx``): the first
sheet, «گزارش عملکرد», has one row per indicator of the department, with headers the report
reader understands (Persian aliases of ``indicator_id``, ``value``, ``note``, ``source``). The
reference columns (names, unit, direction, this year's target, last year's value) help the
person filling it in and are locked; only ``value``, ``note`` and ``source`` are editable. The
second sheet, «راهنما», explains in Persian and English what to fill in and where to send it.

The department returns the file unchanged in name; ``planmon ingest`` (:func:`planmon.collect.ingest.ingest`)
validates it and adds it to the plan.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import xlsxwriter

from planmon.collect.guard import TemplateMetadata, new_metadata, plan_identity
from planmon.core import config
from planmon.core.exceptions import ParameterError
from planmon.core.schema import DIRECTIONS, REPORT_REFERENCE_COLUMNS, is_slug
from planmon.core.text import to_persian_digits
from planmon.core.vocabulary import COLUMN_LABELS, direction_label, unit_label
from planmon.io.atomic import atomic_write_text, remove_stale_temps
from planmon.io.excel import Column, excel_workbook, write_sheet
from planmon.io.plan_files import discover
from planmon.plan.load import load
from planmon.plan.model import Plan

__all__ = [
    "DATA_SHEET",
    "GUIDE_SHEET",
    "MANIFEST",
    "TEMPLATE_HEADERS",
    "REFERENCE_COLUMNS",
    "template_rows",
    "write_templates",
    "read_manifest",
]

#: Name of the first sheet (the one the report reader reads).
DATA_SHEET = "گزارش عملکرد"
#: Name of the instructions sheet.
GUIDE_SHEET = "راهنما"
#: The record of the templates written for one year: ``<templates folder>/<year>/templates.json``.
MANIFEST = "templates.json"

#: Column of the template → its header. Every header is a Persian alias that
#: ``planmon.core.schema.COLUMN_ALIASES`` maps to the column, except ``previous_value``, which the
#: report reader must learn (see REFERENCE_COLUMNS).
TEMPLATE_HEADERS: dict[str, str] = {
    "indicator_id": "شناسه شاخص",
    "name_fa": "عنوان",
    "name_en": "عنوان انگلیسی",
    "unit": COLUMN_LABELS["unit"]["fa"],
    "direction": COLUMN_LABELS["direction"]["fa"],
    "target": "هدف کمی",
    "previous_value": "عملکرد سال قبل",
    "value": "مقدار محقق شده",
    "note": "توضیحات",
    "source": "منبع داده",
}

#: Columns shown for reference only: a report may carry them, the reader ignores them.
REFERENCE_COLUMNS = REPORT_REFERENCE_COLUMNS

# An input message, not a number-only rule: Persian keyboards type digits (۱۲٫۵) that Excel
# keeps as text, and ingest reads them; a "numbers only" check would wrongly reject them.
_VALUE_VALIDATION = {
    "validate": "any",
    "input_title": "مقدار محقق شده",
    "input_message": "فقط عدد، به واحد سنجش همین ردیف؛ ارقام فارسی یا انگلیسی (۱۲٫۵ یا 12.5). "
    "اگر داده نیست خالی بگذارید و دلیل را در توضیحات بنویسید.",
}
#: The example row of the guide sheet, in the data sheet's column order.
_EXAMPLE_ROW = (
    "PRK01",
    "سرانه فضای سبز شهری",
    "Urban green space per capita",
    unit_label("m² per capita", "fa"),
    direction_label("increase", "fa"),
    14.5,
    13.8,
    "۱۵٫۵",
    "با احتساب دو بوستان جدید محله‌ای",
    "سامانه GIS سازمان پارک‌ها",
)


def template_rows(plan: Plan, year: int, dept_id: str) -> pd.DataFrame:
    """The rows of one department's template for ``year``.

    Parameters
    ----------
    plan : Plan
    year : int
        Report year (a plan year).
    dept_id : str

    Returns
    -------
    DataFrame
        One row per indicator of the department, in the plan's order: ``indicator_id``,
        ``name_fa``, ``name_en``, ``unit`` (in Persian, from the vocabulary), ``direction``
        (Persian word), ``target`` (this year's
        target, NaN if none) and ``previous_value`` (the value reported for ``year - 1``, or the
        baseline value when ``year - 1`` is the indicator's baseline year; NaN if neither).
    """
    inds = plan.indicators_of(dept_id)
    targets = plan.targets[plan.targets["year"] == year].set_index("indicator_id")["target"]
    before = plan.actuals[plan.actuals["year"] == year - 1]
    previous = before.drop_duplicates("indicator_id").set_index("indicator_id")["value"]
    words = {word: aliases[0] for word, aliases in DIRECTIONS.items()}
    baseline_last_year = inds["baseline_year"].astype("int64") == year - 1
    return pd.DataFrame(
        {
            "indicator_id": inds["indicator_id"].astype(object),
            "name_fa": inds["name_fa"].astype(object),
            "name_en": inds["name_en"].astype(object),
            "unit": inds["unit"].map(lambda u: unit_label(u, "fa")).astype(object),
            "direction": inds["direction"].map(words).astype(object),
            "target": inds["indicator_id"].map(targets).astype("float64"),
            "previous_value": inds["baseline_value"]
            .where(baseline_last_year, inds["indicator_id"].map(previous))
            .astype("float64"),
        }
    )


def _columns(year: int) -> list[Column]:
    fa_year, fa_before = to_persian_digits(year), to_persian_digits(year - 1)
    reference = {"locked": True}
    return [
        Column(TEMPLATE_HEADERS["indicator_id"], width=12, **reference),
        Column(TEMPLATE_HEADERS["name_fa"], width=40, wrap=True, **reference),
        Column(TEMPLATE_HEADERS["name_en"], width=34, wrap=True, **reference),
        Column(TEMPLATE_HEADERS["unit"], width=14, wrap=True, **reference),
        Column(TEMPLATE_HEADERS["direction"], width=11, **reference),
        Column(TEMPLATE_HEADERS["target"], width=11, comment=f"هدف کمی سال {fa_year}", **reference),
        Column(
            TEMPLATE_HEADERS["previous_value"],
            width=13,
            comment=f"عملکرد گزارش‌شده سال {fa_before} (یا وضع موجود در سال پایه)",
            **reference,
        ),
        Column(
            TEMPLATE_HEADERS["value"],
            width=16,
            locked=False,
            validation=_VALUE_VALIDATION,
            comment=f"عملکرد سال {fa_year} را اینجا وارد کنید",
        ),
        Column(TEMPLATE_HEADERS["note"], width=40, locked=False, wrap=True),
        Column(TEMPLATE_HEADERS["source"], width=24, locked=False, wrap=True),
    ]


def _guide(plan: Plan, year: int, dept: pd.Series, contact: str | None) -> list[str]:
    fa_year = to_persian_digits(year)
    file_name = f"{dept['dept_id']}.xlsx"
    send_fa = contact or "دفتر پایش برنامه که این فایل را فرستاده است"
    send_en = contact or "the plan monitoring office that sent you this file"
    lines = [
        f"فرم گزارش عملکرد سال {fa_year}",
        f"برنامه: {plan.name}",
        f"حوزه: {dept['name_fa']} ({dept['dept_id']})",
        "",
        f"۱. در برگه «{DATA_SHEET}» برای هر شاخص فقط ستون‌های «{TEMPLATE_HEADERS['value']}»، "
        f"«{TEMPLATE_HEADERS['note']}» و «{TEMPLATE_HEADERS['source']}» را پر کنید "
        "(خانه‌های زرد).",
        f"۲. مقدار را به «{TEMPLATE_HEADERS['unit']}» همان ردیف بنویسید. برای شاخص‌های درصدی خود "
        "درصد را بنویسید: ۴۵ یعنی ۴۵ درصد (نه ۰٫۴۵).",
        "۳. اعشار را با ممیز فارسی (٫) یا نقطه (.) جدا کنید، نه با اسلش (/). ارقام فارسی یا "
        "انگلیسی هر دو پذیرفته است و جداکننده هزارگان لازم نیست.",
        "۴. اگر مقدار شاخصی در دسترس نیست، خانه مقدار را خالی بگذارید و دلیل را در "
        f"«{TEMPLATE_HEADERS['note']}» بنویسید.",
        f"۵. «{TEMPLATE_HEADERS['target']}» هدف سال {fa_year} و «{TEMPLATE_HEADERS['previous_value']}» "
        f"مقدار سال {to_persian_digits(year - 1)} است و فقط برای مقایسه آمده‌اند.",
        "۶. شناسه شاخص‌ها و ستون‌های مرجع را تغییر ندهید، ردیفی اضافه یا حذف نکنید و نام برگه‌ها "
        f"و نام فایل ({file_name}) را عوض نکنید.",
        f"۷. فایل را با همین نام به {send_fa} بازگردانید.",
        "۸. نمونه یک ردیف پرشده در پایین همین برگه آمده است.",
        "",
        f"Performance report form, year {year}",
        f"Plan: {plan.meta.get('name_en') or plan.name}",
        f"Department: {dept['name_en']} ({dept['dept_id']})",
        "",
        f"1. On the sheet «{DATA_SHEET}», fill in only the columns value "
        f"(«{TEMPLATE_HEADERS['value']}»), note («{TEMPLATE_HEADERS['note']}») and source "
        f"(«{TEMPLATE_HEADERS['source']}») — the yellow cells.",
        "2. Give each value in the unit of its row. For percentages write the percentage: 45 "
        "means 45 % (not 0.45).",
        "3. Separate decimals with a point (.) or the Persian decimal sign (٫), never a slash "
        "(/). Persian or Latin digits are both fine; no thousands separators needed.",
        "4. If a value is not available, leave its cell empty and give the reason in the note.",
        f"5. The target column is the target for {year}; the previous-value column is the value "
        f"for {year - 1}. Both are for reference only.",
        "6. Do not change the indicator ids or the reference columns, do not add or delete rows, "
        f"and keep the sheet names and the file name ({file_name}).",
        f"7. Send the file back, under the same name, to {send_en}.",
        "8. A filled example row is shown at the bottom of this sheet.",
    ]
    return lines


def _write_guide(book: xlsxwriter.Workbook, lines: list[str], year: int) -> None:
    """The guide sheet: the instructions, then a filled example row under the data headers."""
    columns = _columns(year)
    # Lines are not wrapped: each overflows across the empty cells beside it, and the columns
    # keep the data sheet's widths so the example below looks like the data sheet.
    specs = [Column("راهنما / Guide", width=columns[0].width)]
    specs += [Column("", width=c.width) for c in columns[1:]]
    rows: list[list[object]] = [[line] for line in lines]
    rows += [[], ["نمونه یک ردیف پرشده / A filled example row"]]
    rows += [list(TEMPLATE_HEADERS.values()), list(_EXAMPLE_ROW)]
    sheet = write_sheet(book, GUIDE_SHEET, specs, rows, right_to_left=True, freeze_header=False)
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
    example_header = len(lines) + 3  # 0-based row of the example's header
    for col, header in enumerate(TEMPLATE_HEADERS.values()):
        sheet.write_string(example_header, col, header, bold)
    filled = book.add_format({"bg_color": "#FFF9E0"})
    for col in (7, 8, 9):  # value, note, source: the cells a department fills in
        sheet.write_string(example_header + 1, col, str(_EXAMPLE_ROW[col]), filled)


def _write_workbook(
    plan: Plan,
    year: int,
    dept_id: str,
    target: Path,
    metadata: TemplateMetadata,
    contact: str | None,
) -> None:
    dept = plan.department(dept_id)
    rows = template_rows(plan, year, dept_id)
    properties = {
        "title": f"گزارش عملکرد {dept['name_fa']} — {year}",
        "subject": f"{plan.name} / {dept_id} / {year}",
        "comments": "planmon data-collection template",
    }
    with excel_workbook(target, properties) as book:
        for name, value in metadata.properties().items():
            book.set_custom_property(name, value)
        data = write_sheet(
            book,
            DATA_SHEET,
            _columns(year),
            (
                [*r, None, None, None]
                for r in rows.astype(object).itertuples(index=False, name=None)
            ),
            right_to_left=True,
            protect=True,
        )
        data.set_landscape()
        data.fit_to_pages(1, 0)
        data.repeat_rows(0)
        data.activate()
        _write_guide(book, _guide(plan, year, dept, contact), year)


def _departments(plan: Plan, dept_ids: Iterable[str] | None) -> list[str]:
    with_indicators = set(plan.indicators["dept_id"])
    if dept_ids is None:
        if not with_indicators:
            raise ParameterError(
                "no department has indicators yet: fill in the plan's indicators table first"
            )
        return [d for d in plan.dept_ids if d in with_indicators]
    chosen = list(dict.fromkeys(dept_ids))
    unknown = [d for d in chosen if d not in set(plan.dept_ids)]
    if unknown:
        raise ParameterError(
            f"unknown department {', '.join(map(repr, unknown))}; known: "
            + ", ".join(plan.dept_ids)
        )
    empty = [d for d in chosen if d not in with_indicators]
    if empty:
        raise ParameterError(
            f"department {', '.join(map(repr, empty))} has no indicators; there is nothing to "
            "report"
        )
    return chosen


def write_templates(
    plan: Plan | str | os.PathLike[str],
    year: int,
    dept_ids: Iterable[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    contact: str | None = None,
) -> list[Path]:
    """Write one data-collection workbook per department for ``year``.

    Each workbook carries, in hidden custom properties, the plan, year and department it was
    written for (see :mod:`planmon.collect.guard`), and the year's folder gets a record of the
    templates written, :data:`MANIFEST` (read by ``planmon status``).

    Parameters
    ----------
    plan : Plan or path-like
        A loaded plan, or a plan folder to load.
    year : int
        The report year the departments will fill in (must be a plan year).
    dept_ids : iterable of str, optional
        Departments to write; default every department that is responsible for an indicator.
    out_dir : path-like, optional
        Root folder; files go to ``<out_dir>/<year>/<dept_id>.xlsx``. Default
        ``planmon.core.config.REPORTS / "templates"``.
    contact : str, optional
        Where to send the filled-in file (office, e-mail), printed on the instructions sheet.

    Returns
    -------
    list of Path
        The workbooks written, in department order. Each is written atomically.

    Raises
    ------
    ParameterError
        If ``year`` is not a plan year or a department is unknown or has no indicators.
    """
    if not isinstance(plan, Plan):
        plan = load(plan)
    if isinstance(year, bool) or int(year) not in plan.plan_years:
        raise ParameterError(
            f"year {year} is not a plan year ({plan.plan_years[0]}–{plan.horizon_year})"
        )
    year = int(year)
    root = Path(out_dir) if out_dir is not None else config.REPORTS / "templates"
    identity = plan_identity(discover(plan.path))
    written: list[Path] = []
    records: dict[str, dict[str, object]] = {}
    for dept_id in _departments(plan, dept_ids):
        # Ids are validated slugs already; checked again because this one becomes a file name.
        if not is_slug(dept_id):
            raise ParameterError(f"department id {dept_id!r} cannot be a file name")
        target = root / str(year) / f"{dept_id}.xlsx"
        metadata = new_metadata(identity, year, dept_id)
        _write_workbook(plan, year, dept_id, target, metadata, contact)
        records[dept_id] = {
            "file": target.name,
            "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
            **{k: v for k, v in vars(metadata).items() if k not in ("year", "dept_id")},
        }
        written.append(target)
    if records:
        _update_manifest(root / str(year), year, records)
        remove_stale_temps(root / str(year))  # workbooks a killed run left half-written
    return written


def read_manifest(folder: str | os.PathLike[str], year: int) -> dict[str, dict[str, object]]:
    """The templates written for ``year`` under a templates folder: ``dept_id → record``.

    A record holds ``file``, ``sha256``, ``plan_id``, ``plan_name``, ``template_version``,
    ``template_id`` and ``written`` (UTC, ISO 8601). A missing or unreadable manifest is {}.
    """
    path = Path(folder) / str(int(year)) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        templates = data["templates"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {str(k): v for k, v in templates.items() if isinstance(v, dict)}


def _update_manifest(folder: Path, year: int, records: dict[str, dict[str, object]]) -> None:
    """Merge ``records`` into the year's manifest (templates written earlier are kept)."""
    templates = read_manifest(folder.parent, year)
    templates.update(records)
    data = {"format": 1, "year": year, "templates": dict(sorted(templates.items()))}
    atomic_write_text(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
