"""The data contract in code: tables, columns, Persian header aliases and accepted words.

``docs/data-contract.md`` is the prose version of this module; keep the two together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from planmon.core.text import clean_text, name_key

__all__ = [
    "SLUG_PATTERN",
    "TableSpec",
    "PLAN_TABLES",
    "REPORT_SPEC",
    "REPORT_REFERENCE_COLUMNS",
    "TABLE_ALIASES",
    "COLUMN_ALIASES",
    "KINDS",
    "DIRECTIONS",
    "LEVELS",
    "META_KEYS",
    "canonical_column",
    "canonical_table",
    "canonical_word",
    "is_slug",
    "is_percentage_unit",
    "YEAR_RANGES",
    "parse_year",
]

#: Ids are simple slugs, so an id can never become a path (``../x``, ``/etc``).
SLUG_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class TableSpec:
    """Columns of one table: which must be there, which may, and which hold numbers."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    key: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


PASSPORT_COLUMNS = ("level", "definition", "formula", "responsible", "source", "frequency")

PLAN_TABLES: dict[str, TableSpec] = {
    "departments": TableSpec(
        "departments",
        required=("dept_id", "kind", "name_fa"),
        optional=("name_en", "parent_id"),
        ids=("dept_id", "parent_id"),
        key=("dept_id",),
    ),
    "goals": TableSpec(
        "goals",
        required=("goal_id", "name_fa"),
        optional=("name_en", "parent_id", "dept_id", "weight"),
        numeric=("weight",),
        ids=("goal_id", "parent_id", "dept_id"),
        key=("goal_id",),
    ),
    "indicators": TableSpec(
        "indicators",
        required=(
            "indicator_id",
            "dept_id",
            "goal_id",
            "name_fa",
            "unit",
            "direction",
            "baseline_year",
            "baseline_value",
        ),
        optional=("name_en", "limit", "weight", "tolerance", *PASSPORT_COLUMNS),
        numeric=("baseline_value", "limit", "weight", "tolerance"),
        integer=("baseline_year",),
        ids=("indicator_id", "dept_id", "goal_id"),
        key=("indicator_id",),
    ),
    "targets": TableSpec(
        "targets",
        required=("indicator_id", "year", "target"),
        numeric=("target",),
        integer=("year",),
        ids=("indicator_id",),
        key=("indicator_id", "year"),
    ),
}

#: Columns a data-collection template carries for the department's reference (names, unit,
#: this year's target, last year's value). A returned template is a valid report as it is, so
#: the report reader accepts these and ignores them.
REPORT_REFERENCE_COLUMNS = ("name_fa", "name_en", "unit", "direction", "target", "previous_value")

#: An annual performance report ``reports/<year>/<dept_id>.xlsx|csv``.
REPORT_SPEC = TableSpec(
    "report",
    required=("indicator_id", "value"),
    optional=("note", "source", "year", "dept_id"),
    numeric=("value",),
    integer=("year",),
    ids=("indicator_id", "dept_id"),
    key=("indicator_id",),
)

#: Keys of the optional ``plan`` sheet (key/value pairs).
META_KEYS = (
    "name_fa",
    "name_en",
    "city_fa",
    "city_en",
    "baseline_year",
    "first_year",
    "horizon_year",
    "calendar",
)

TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "plan": ("برنامه", "مشخصات برنامه", "meta"),
    "departments": ("حوزه‌ها", "حوزه ها", "واحدها", "حوزه"),
    "goals": ("اهداف", "هدف‌ها", "هدف"),
    "indicators": ("شاخص‌ها", "شاخص ها", "شاخص"),
    "targets": ("اهداف کمی", "هدف‌گذاری", "مقادیر هدف"),
}

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "dept_id": ("شناسه حوزه", "کد حوزه", "شناسه واحد", "department", "dept"),
    "kind": ("نوع", "نوع حوزه"),
    "name_fa": ("نام", "نام فارسی", "عنوان", "name"),
    "name_en": ("نام انگلیسی", "عنوان انگلیسی"),
    "parent_id": ("شناسه والد", "والد", "هدف کلان", "parent"),
    "goal_id": ("شناسه هدف", "کد هدف", "goal"),
    "weight": ("وزن",),
    "indicator_id": ("شناسه شاخص", "کد شاخص", "indicator"),
    "unit": ("واحد", "واحد سنجش"),
    "direction": ("جهت", "جهت مطلوب"),
    "baseline_year": ("سال پایه",),
    "baseline_value": ("مقدار پایه", "وضع موجود", "baseline"),
    "limit": ("حد", "حد طبیعی"),
    "tolerance": ("رواداری", "تلورانس"),
    "level": ("سطح", "سطح شاخص"),
    "definition": ("تعریف",),
    "formula": ("فرمول", "نحوه محاسبه"),
    "responsible": ("مسئول", "واحد مسئول"),
    "source": ("منبع", "منبع داده"),
    "frequency": ("تناوب", "دوره اندازه‌گیری"),
    "year": ("سال",),
    "target": ("هدف کمی", "مقدار هدف", "وضع مطلوب"),
    "value": ("مقدار", "عملکرد", "مقدار محقق شده"),
    "note": ("توضیحات", "یادداشت", "notes"),
    "previous_value": ("عملکرد سال قبل", "مقدار سال قبل", "previous value"),
    "key": ("کلید", "مشخصه"),
}

KINDS: dict[str, tuple[str, ...]] = {
    "deputy": ("معاونت",),
    "district": ("منطقه",),
    "organization": ("سازمان", "organisation"),
}
DIRECTIONS: dict[str, tuple[str, ...]] = {
    "increase": ("افزایشی", "افزایش", "مثبت", "increasing"),
    "decrease": ("کاهشی", "کاهش", "منفی", "decreasing"),
    "maintain": ("بدون جهت", "ثابت", "حفظ", "تثبیت"),
}
LEVELS: dict[str, tuple[str, ...]] = {
    "input": ("ورودی", "درونداد"),
    "output": ("خروجی", "برونداد"),
    "outcome": ("پیامد",),
    "impact": ("اثر", "اثرگذاری"),
}


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, aliases in table.items():
        for alias in (canonical, *aliases):
            out[name_key(alias)] = canonical
    return out


_COLUMN_LOOKUP = _lookup(COLUMN_ALIASES)
_TABLE_LOOKUP = _lookup(TABLE_ALIASES)
_WORD_LOOKUPS = {"kind": _lookup(KINDS), "direction": _lookup(DIRECTIONS), "level": _lookup(LEVELS)}


def canonical_column(header: object) -> str | None:
    """Canonical column name for a header as written (English or a Persian alias), else None."""
    return _COLUMN_LOOKUP.get(name_key(header))


def canonical_table(name: object) -> str | None:
    """Canonical table name for a sheet or CSV file name, else None."""
    return _TABLE_LOOKUP.get(name_key(name))


def canonical_word(column: str, value: object) -> str | None:
    """Canonical word for ``kind``, ``direction`` or ``level`` (English or Persian), else None."""
    return _WORD_LOOKUPS[column].get(name_key(value))


def is_slug(value: object) -> bool:
    """True if ``value`` is a simple id: ASCII letters, digits, ``_``, ``-``; 1–64 chars."""
    return isinstance(value, str) and bool(_SLUG.match(value))


def is_percentage_unit(unit: object) -> bool:
    """True for units that mean a percentage (``%``, ``٪``, ``درصد``, ``percent``)."""
    key = name_key(unit)
    return (isinstance(unit, str) and ("%" in unit or "٪" in unit) and len(key) <= 2) or key in {
        "درصد",
        "percent",
        "percentage",
        "pct",
    }


#: Plausible plan years: Jalali (solar Hijri) or Gregorian.
YEAR_RANGES = ((1300, 1500), (1900, 2100))
# A year written as text: four digits (Persian or Arabic-Indic digits are made ASCII first),
# optionally ".0" as a spreadsheet exported it. "+1,397.0%" or "13.98e2" are not years.
_YEAR_TEXT = re.compile(r"^[0-9]{4}(\.0+)?$")
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def parse_year(value: object) -> int | None:
    """The year a cell or folder name means, or None.

    A number must be whole and a text must be four digits (Persian digits accepted), in one
    of :data:`YEAR_RANGES`; ``+1,397.0%`` and ``13.98e2`` are not years.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number) or not number.is_integer():
            return None
        year = int(number)
    else:
        text = (clean_text(value) or "").translate(_TO_ASCII_DIGITS)
        if not _YEAR_TEXT.match(text):
            return None
        year = int(float(text))
    return year if any(lo <= year <= hi for lo, hi in YEAR_RANGES) else None
