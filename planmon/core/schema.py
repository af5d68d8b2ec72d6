"""The data contract in code: tables, columns, Persian header aliases and accepted words.

``docs/data-contract.md`` is the prose version of this module; keep the two together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planmon.core.text import name_key
from planmon.core.vocabulary import COLUMN_LABELS, accepted_words

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

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "dept_id": ("شناسه حوزه", "کد حوزه", "شناسه واحد", "department", "dept"),
    "kind": ("نوع", "نوع حوزه"),
    "name_fa": ("نام", "نام فارسی", "عنوان", "name"),
    "name_en": ("نام انگلیسی", "عنوان انگلیسی"),
    "parent_id": ("شناسه والد", "والد", "هدف کلان", "parent"),
    "goal_id": ("شناسه هدف", "کد هدف", "goal"),
    "weight": ("وزن",),
    "indicator_id": ("شناسه شاخص", "کد شاخص", "indicator"),
    "unit": ("واحد",),
    "direction": ("جهت",),
    "baseline_year": (),
    "baseline_value": ("وضع موجود", "baseline"),
    "limit": ("حد", "حد طبیعی"),
    "tolerance": ("رواداری", "تلورانس"),
    "level": ("سطح", "سطح شاخص"),
    "definition": ("تعریف",),
    "formula": ("فرمول", "نحوه محاسبه"),
    "responsible": ("مسئول",),
    "source": ("منبع", "منبع داده"),
    "frequency": ("تناوب", "دوره اندازه‌گیری"),
    "year": ("سال",),
    "target": ("هدف کمی", "مقدار هدف", "وضع مطلوب"),
    "value": ("مقدار", "عملکرد", "مقدار محقق شده"),
    "note": ("توضیحات", "یادداشت", "notes"),
    "previous_value": ("عملکرد سال قبل", "مقدار سال قبل", "previous value"),
    "key": ("کلید", "مشخصه"),
}

#: The words accepted for each ``kind``, ``direction`` and ``level``: the labels planmon prints
#: (first the Persian one) and the other spellings, all from :mod:`planmon.core.vocabulary`.
KINDS: dict[str, tuple[str, ...]] = accepted_words("kind")
DIRECTIONS: dict[str, tuple[str, ...]] = accepted_words("direction")
LEVELS: dict[str, tuple[str, ...]] = accepted_words("level")


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, aliases in table.items():
        for alias in (canonical, *aliases):
            out[name_key(alias)] = canonical
    return out


#: Header spellings accepted for each column: the header planmon prints
#: (:data:`planmon.core.vocabulary.COLUMN_LABELS`, Persian then English) and the other aliases.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    column: tuple(
        dict.fromkeys(
            [*(COLUMN_LABELS[column].values() if column in COLUMN_LABELS else ()), *aliases]
        )
    )
    for column, aliases in _HEADER_ALIASES.items()
}

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
