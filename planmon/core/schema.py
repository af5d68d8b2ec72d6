"""The data contract in code: tables, columns, Persian header aliases and accepted words.

``docs/data-contract.md`` is the prose version of this module; keep the two together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planmon.core.text import clean_text, name_key
from planmon.core.vocabulary import COLUMN_LABELS, MEASURE_SHORT, accepted_words

__all__ = [
    "SLUG_PATTERN",
    "TableSpec",
    "PASSPORT_COLUMNS",
    "PLAN_TABLES",
    "REPORT_SPEC",
    "REPORT_REFERENCE_COLUMNS",
    "TABLE_ALIASES",
    "COLUMN_ALIASES",
    "KINDS",
    "DIRECTIONS",
    "COMMENTARY_KIND_WORDS",
    "ACTION_STATUS_WORDS",
    "ACTION_ID_SEPARATORS",
    "LEVELS",
    "META_KEYS",
    "canonical_column",
    "canonical_table",
    "canonical_word",
    "is_slug",
    "is_percentage_unit",
    "FRAME_DTYPES",
    "typed_frame",
    "PlanTables",
    "is_non_negative_unit",
    "NON_NEGATIVE_UNIT_WORDS",
    "SIGNED_UNIT_WORDS",
    "DEFAULT_TOLERANCE",
    "YEAR_RANGES",
    "parse_year",
]

#: Relative tolerance of "maintain" indicators when the plan gives none (0.05 = ±5 % of the
#: target). The one home of this default: validation, the measures and the texts read it here.
DEFAULT_TOLERANCE = 0.05

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
    #: False for a table a plan may leave out (``commentary``, ``actions``)
    needed: bool = True

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
    # optional tables (``needed=False``): a plan without them is valid
    "commentary": TableSpec(
        "commentary",
        required=("year", "dept_id", "kind"),
        optional=("indicator_id", "text_fa", "text_en"),
        integer=("year",),
        ids=("dept_id", "indicator_id"),
        needed=False,
    ),
    # ``indicator_id`` of an action may name several indicators, separated by ";"
    # (:data:`ACTION_ID_SEPARATORS`), so it is checked id by id, not as one slug
    "actions": TableSpec(
        "actions",
        required=("action_id", "dept_id", "title_fa", "status"),
        optional=(
            "indicator_id",
            "title_en",
            "owner",
            "start_year",
            "due_year",
            "progress_pct",
            "note",
        ),
        numeric=("progress_pct",),
        integer=("start_year", "due_year"),
        ids=("action_id", "dept_id"),
        key=("action_id",),
        needed=False,
    ),
}

#: Characters that separate the indicator ids of one action's ``indicator_id`` cell
#: (``ind_a; ind_b``); the in-memory frame joins them with ``;``.
ACTION_ID_SEPARATORS = ";,؛،"

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
    "plan_id",
    "deadline",
    "issuer_fa",
    "issuer_en",
    "issue_date",
)

TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "plan": ("برنامه", "مشخصات برنامه", "meta"),
    "departments": ("حوزه‌ها", "حوزه ها", "واحدها", "حوزه"),
    "goals": ("اهداف", "هدف‌ها", "هدف"),
    "indicators": ("شاخص‌ها", "شاخص ها", "شاخص"),
    "targets": ("اهداف کمی", "هدف‌گذاری", "مقادیر هدف"),
    "commentary": ("تحلیل‌ها", "تحلیل ها", "تفسیر", "یادداشت‌های تحلیلی"),
    "actions": ("اقدامات", "اقدام‌ها", "پروژه‌ها", "ابتکارات", "initiatives"),
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
    "text_fa": ("متن فارسی", "متن", "text"),
    "text_en": ("متن انگلیسی",),
    "action_id": ("شناسه اقدام", "کد اقدام", "action"),
    "title_fa": ("عنوان اقدام", "عنوان فارسی", "title"),
    "title_en": ("عنوان اقدام انگلیسی",),
    "owner": ("مجری", "مسئول اقدام", "متولی"),
    "start_year": ("سال شروع", "شروع"),
    "due_year": ("سال پایان", "مهلت", "سررسید"),
    "progress_pct": ("درصد پیشرفت", "پیشرفت"),
    "status": ("وضعیت", "وضعیت اقدام"),
}

#: The words accepted for each ``kind``, ``direction`` and ``level``: the labels planmon prints
#: (first the Persian one) and the other spellings, all from :mod:`planmon.core.vocabulary`.
KINDS: dict[str, tuple[str, ...]] = accepted_words("kind")
DIRECTIONS: dict[str, tuple[str, ...]] = accepted_words("direction")
LEVELS: dict[str, tuple[str, ...]] = accepted_words("level")
#: The words accepted for a commentary's ``kind`` and an action's ``status``.
COMMENTARY_KIND_WORDS: dict[str, tuple[str, ...]] = accepted_words("commentary_kind")
ACTION_STATUS_WORDS: dict[str, tuple[str, ...]] = accepted_words("action_status")


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
_WORD_LOOKUPS = {
    "kind": _lookup(KINDS),
    "direction": _lookup(DIRECTIONS),
    "level": _lookup(LEVELS),
    "commentary_kind": _lookup(COMMENTARY_KIND_WORDS),
    "status": _lookup(ACTION_STATUS_WORDS),
}


# A bilingual header or sheet name: «شناسه حوزه (dept_id)» or «شناسه حوزه / dept_id».
_BILINGUAL = re.compile(r"^(?P<a>[^()/]+?)\s*(?:\((?P<b>[^()/]+)\)|/(?P<c>[^()/]+))\s*$")


def _lookup_name(lookup: dict[str, str], text: object) -> str | None:
    found = lookup.get(name_key(text))
    if found is not None or not isinstance(text, str):
        return found
    match = _BILINGUAL.match(text)
    if match is None:
        return None
    # both halves must name the same thing: «هدف کمی (سال قبل)» is not the target column
    first = lookup.get(name_key(match["a"]))
    second = lookup.get(name_key(match["b"] or match["c"]))
    return first if first is not None and first == second else None


def canonical_column(header: object) -> str | None:
    """Canonical column name for a header as written (English, a Persian alias, or both as
    ``«فارسی (english)»`` / ``«فارسی / english»``), else None."""
    return _lookup_name(_COLUMN_LOOKUP, header)


def canonical_table(name: object) -> str | None:
    """Canonical table name for a sheet or CSV file name (bilingual forms as for columns)."""
    return _lookup_name(_TABLE_LOOKUP, name)


def canonical_word(column: str, value: object) -> str | None:
    """Canonical word for ``kind``, ``direction``, ``level``, ``commentary_kind`` (a
    commentary's kind) or ``status`` (an action's), English or Persian, else None."""
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


# ---------------------------------------------------------------------------------------------
# The plan as in-memory frames (docs/internal-frames.md)
# ---------------------------------------------------------------------------------------------

#: Column order and dtypes of each in-memory table (docs/internal-frames.md); ``reports`` is
#: every department's annual reports in one frame (``Plan.actuals`` once loaded).
FRAME_DTYPES: dict[str, dict[str, str]] = {
    "departments": {
        "dept_id": "str",
        "kind": "str",
        "name_fa": "str",
        "name_en": "str",
        "parent_id": "str",
    },
    "goals": {
        "goal_id": "str",
        "name_fa": "str",
        "name_en": "str",
        "parent_id": "str",
        "dept_id": "str",
        "weight": "float64",
    },
    "indicators": {
        "indicator_id": "str",
        "dept_id": "str",
        "goal_id": "str",
        "name_fa": "str",
        "name_en": "str",
        "unit": "str",
        "direction": "str",
        "baseline_year": "int64",
        "baseline_value": "float64",
        "limit": "float64",
        "weight": "float64",
        "tolerance": "float64",
        **dict.fromkeys(PASSPORT_COLUMNS, "str"),
    },
    "targets": {"indicator_id": "str", "year": "int64", "target": "float64"},
    "commentary": {
        "year": "int64",
        "dept_id": "str",
        "indicator_id": "str",
        "kind": "str",
        "text_fa": "str",
        "text_en": "str",
    },
    "actions": {
        "action_id": "str",
        "dept_id": "str",
        "indicator_id": "str",
        "title_fa": "str",
        "title_en": "str",
        "owner": "str",
        "start_year": "Int64",
        "due_year": "Int64",
        "progress_pct": "float64",
        "status": "str",
        "note": "str",
    },
    "reports": {
        "indicator_id": "str",
        "dept_id": "str",
        "year": "int64",
        "value": "float64",
        "note": "str",
        "source": "str",
    },
}


def typed_frame(columns: Mapping[str, Any], table: str) -> pd.DataFrame:
    """Build ``table`` from column arrays, in :data:`FRAME_DTYPES` column order and dtypes.

    Parameters
    ----------
    columns : mapping
        Column name → values (list or array); every column of the table must be present,
        extra keys are ignored.
    table : str
        A key of :data:`FRAME_DTYPES`.
    """
    dtypes = FRAME_DTYPES[table]
    return pd.DataFrame({name: pd.Series(columns[name], dtype=dt) for name, dt in dtypes.items()})


@dataclass(frozen=True, eq=False)
class PlanTables:
    """The tables of one plan folder, in memory: what a plan writer writes.

    Attributes
    ----------
    meta : dict
        The ``plan`` key/value table (:data:`META_KEYS`): ``name_fa``, ``name_en``, ``city_fa``,
        ``city_en``, ``baseline_year``, ``first_year``, ``horizon_year`` (int), ``calendar``.
    departments, goals, indicators, targets : pandas.DataFrame
        As in docs/internal-frames.md (:data:`FRAME_DTYPES`).
    reports : pandas.DataFrame
        Every department's annual reports in one frame, columns ``indicator_id, dept_id, year,
        value, note, source``; the writer splits it into ``reports/<year>/<dept_id>.*``. A
        department-year with no rows is a report that was never sent.
    commentary, actions : pandas.DataFrame, optional
        The optional tables (:data:`FRAME_DTYPES`); None or empty: not written.
    """

    meta: dict[str, Any]
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    reports: pd.DataFrame
    commentary: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None

    @property
    def report_years(self) -> list[int]:
        """Years that have at least one report, ascending."""
        return sorted(int(y) for y in self.reports["year"].unique())


#: Words of a unit that name a quantity which cannot be negative: counts, lengths, areas,
#: durations, money, masses and the things a city counts. A unit containing one of them (as a
#: whole word, case and Arabic/Persian letter variants ignored) is non-negative, unless it also
#: contains one of :data:`SIGNED_UNIT_WORDS`.
NON_NEGATIVE_UNIT_WORDS: frozenset[str] = frozenset(
    {
        # counts
        "count", "number", "persons", "person", "people", "residents", "households", "staff",
        "users", "passengers", "vehicles", "trees", "events", "accidents", "deaths", "cases",
        "units", "permits", "items", "trips", "visits", "thousand", "million", "billion",
        "تعداد", "نفر", "مورد", "دستگاه", "اصله", "عدد", "هزار", "میلیون", "میلیارد",
        # lengths and areas
        "m", "m2", "m²", "km", "km2", "km²", "ha", "hectare", "hectares", "metre", "meter",
        "metres", "meters", "متر", "مترمربع", "کیلومتر", "هکتار",
        # durations and speeds
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "km/h", "h",
        "ثانیه", "دقیقه", "ساعت", "روز", "هفته", "ماه", "سال",
        # money
        "rial", "rials", "toman", "tomans", "dollar", "dollars", "usd", "eur", "euro", "euros",
        "ریال", "تومان", "دلار", "یورو",
        # masses and volumes
        "kg", "g", "t", "ton", "tons", "tonne", "tonnes", "litre", "litres", "liter", "liters",
        "m3", "m³", "کیلوگرم", "گرم", "تن", "لیتر", "مترمکعب",
    }
)  # fmt: skip

#: Words that make a unit signed even when it names a non-negative quantity ("change in
#: rials", "net balance", «رشد», «تغییر», «تراز»): such quantities can fall below zero.
SIGNED_UNIT_WORDS: frozenset[str] = frozenset(
    {
        "change", "growth", "balance", "net", "difference", "delta", "surplus", "deficit",
        "profit", "index", "score", "temperature", "°c", "celsius",
        "تغییر", "رشد", "تراز", "خالص", "اختلاف", "سود", "کسری", "دما", "شاخص",
        MEASURE_SHORT["progress_score"]["fa"],  # a score can be negative
    }
)  # fmt: skip

_UNIT_TOKEN = re.compile(r"[^\w²³°/]+", re.UNICODE)


def _unit_words(unit: object) -> set[str]:
    text = clean_text(unit) or ""
    text = text.replace("\u200c", "").casefold()
    return {w for w in _UNIT_TOKEN.split(text) if w}


def is_non_negative_unit(unit: object) -> bool:
    """True for a unit whose quantity cannot be negative (counts, areas, times, money, %).

    Percentages (:func:`is_percentage_unit`) are non-negative too; a unit that names a change
    or a balance (:data:`SIGNED_UNIT_WORDS`) is not.

    Examples
    --------
    >>> [is_non_negative_unit(u) for u in ("m² per capita", "billion rials", "روز", "% change")]
    [True, True, True, False]
    """
    words = _unit_words(unit)
    if words & SIGNED_UNIT_WORDS:
        return False
    return is_percentage_unit(unit) or bool(words & NON_NEGATIVE_UNIT_WORDS)


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
