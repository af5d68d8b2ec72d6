"""Pass 1 of validation: what one table can know alone.

Cells are cleaned and parsed first (text tidied, numbers and words parsed); a cell that does
not parse becomes an :class:`Invalid` that keeps the text seen, so the message can quote it.
:func:`failures` then checks required columns, empty cells, ids that are not simple slugs,
numbers that are not (finite) numbers, years that are not years and words that are not
accepted, one column at a time over the whole table (all report files at once). It replaces a
pandera schema that gave the same failures in the same order but cost a third of a second to
import and more to run on a cold load.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import YEAR_RANGES, TableSpec, canonical_word, is_slug, parse_year
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.read import RawTable

__all__ = [
    "YEAR_RANGES",
    "WORD_COLUMNS",
    "TABLE_WORD_COLUMNS",
    "Invalid",
    "Where",
    "WhereMany",
    "is_year",
    "parse_year",
    "number_or_invalid",
    "Failure",
    "failures",
    "check_table",
    "typed",
]

#: Columns holding one of the accepted words of :mod:`planmon.core.schema`, with the hint.
WORD_COLUMNS = {
    "kind": "deputy, district or organization (معاونت، منطقه، سازمان)",
    "direction": "increase, decrease or maintain (افزایشی، کاهشی، بدون جهت)",
    "level": "input, output, outcome or impact (ورودی، خروجی، پیامد، اثر)",
}
#: Word columns of the optional tables whose words differ from the column's usual ones:
#: (table, column) → (concept of :func:`~planmon.core.schema.canonical_word`, hint).
TABLE_WORD_COLUMNS = {
    ("commentary", "kind"): (
        "commentary_kind",
        "analysis, recommendation or caveat (تحلیل، توصیه، ملاحظه)",
    ),
    ("actions", "status"): (
        "status",
        "planned, in progress, done, delayed or cancelled "
        "(برنامه‌ریزی‌شده، در حال اجرا، انجام‌شده، با تأخیر، لغوشده)",
    ),
}


def _word_column(spec: TableSpec, column: str) -> tuple[str, str] | None:
    """(concept, hint) of a word column of ``spec``, or None for other columns."""
    if (spec.name, column) in TABLE_WORD_COLUMNS:
        return TABLE_WORD_COLUMNS[spec.name, column]
    if column in WORD_COLUMNS and spec.name not in {n for n, _ in TABLE_WORD_COLUMNS}:
        return column, WORD_COLUMNS[column]
    return None


class Invalid:
    """Marks a cell that failed to parse; keeps the text seen and why it failed."""

    __slots__ = ("seen", "reason")

    def __init__(self, seen: object, reason: str = "not_a_number"):
        self.seen = seen
        self.reason = reason

    def __repr__(self) -> str:
        return repr(self.seen)


def is_year(value: object) -> bool:
    """True for a parsed cell (float) that is a plausible plan year."""
    return isinstance(value, float) and parse_year(value) is not None


def number_or_invalid(value: object) -> object:
    """A finite float, None for an empty cell, or :class:`Invalid` (not a number, infinite)."""
    try:
        number = parse_number(value)
    except NotANumberError:
        return Invalid(value)
    if math.isnan(number):
        # a text "nan" never parses; a NaN here is an empty cell or a NaN the reader produced
        return None if value is None or isinstance(value, (str, float)) else Invalid(value)
    if math.isinf(number):
        return Invalid(value, "infinite")
    return number


def _year_or_invalid(value: object) -> object:
    if clean_text(value) is None:
        return None
    year = parse_year(value)
    return float(year) if year is not None else Invalid(value, "not_a_year")


def _parse_column(values: pd.Series, parse: Callable[[object], object]) -> list[object]:
    """Apply ``parse`` once per distinct value (reports repeat ids and numbers a lot)."""
    cache: dict[object, object] = {}
    out = []
    numbers = parse is number_or_invalid
    isfinite = math.isfinite
    for value in values.tolist():
        if numbers and value.__class__ is float and isfinite(value):
            out.append(value)  # what number_or_invalid returns for a finite float
            continue
        key = (type(value), value)
        try:
            out.append(cache[key])
        except KeyError:
            cache[key] = parsed = parse(value)
            out.append(parsed)
        except TypeError:  # unhashable cell value
            out.append(parse(value))
    return out


def _word_parser(column: str) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if clean_text(value) is None:
            return None
        return canonical_word(column, value) or Invalid(value, "not_a_word")

    return parse


def _parse_cells(raw: RawTable, spec: TableSpec) -> pd.DataFrame:
    """Clean text, parse numbers, years and words; unparseable cells become ``Invalid``."""
    columns: dict[str, list[object]] = {}
    for column in raw.frame.columns:
        if column in spec.integer:
            parse = _year_or_invalid
        elif column in spec.numeric:
            parse = number_or_invalid
        elif _word_column(spec, column) is not None:
            parse = _word_parser(_word_column(spec, column)[0])
        else:
            parse = clean_text
        columns[column] = _parse_column(raw.frame[column], parse)
    return pd.DataFrame(columns, index=raw.frame.index, dtype=object)


def _each_distinct(check: Callable[[object], bool]) -> Callable[[list[object]], list[bool]]:
    """A test of each cell, run once per distinct value: a column of 50,000 report rows holds
    a few thousand ids."""

    def test(values: list[object]) -> list[bool]:
        cache: dict[tuple, bool] = {}
        out = []
        for value in values:
            key = (value.__class__, value)
            try:
                out.append(cache[key])
            except KeyError:
                cache[key] = passed = check(value)
                out.append(passed)
            except TypeError:  # unhashable cell value
                out.append(check(value))
        return out

    return test


def _not_invalid(reason: str) -> Callable[[list[object]], list[bool]]:
    """No cell is an :class:`Invalid` for ``reason`` (a cell that did not parse)."""
    return lambda values: [v.__class__ is not Invalid or v.reason != reason for v in values]


_Test = tuple[str, Callable[[list[object]], list[bool]]]


def _column_tests(name: str, spec: TableSpec) -> list[_Test]:
    """(message, test of a column's cells) for each rule on the column ``name``."""
    tests: list[_Test] = []
    if name in spec.ids:
        slug = "is not a simple id: use only letters A-Z a-z, digits, _ and - (at most 64)"
        tests.append((slug, _each_distinct(is_slug)))
    if name in spec.integer:
        year = "is not a year (expected a whole number like 1398 or 2024)"
        tests.append((year, _not_invalid("not_a_year")))
    elif name in spec.numeric:
        tests.append(("is not a number", _not_invalid("not_a_number")))
        infinite = "is not a finite number (too large, infinite or NaN); write an ordinary number"
        tests.append((infinite, _not_invalid("infinite")))
    word = _word_column(spec, name)
    if word is not None:
        tests.append((f"must be {word[1]}", _not_invalid("not_a_word")))
    return tests


#: (check, column, index, cell) of one failure: ``check`` is "column_in_dataframe" (``cell``
#: names the missing column), "not_nullable" or the rule's message.
Failure = tuple[str, str | None, object, object]


def failures(parsed: pd.DataFrame, spec: TableSpec) -> list[Failure]:
    """Every rule of ``spec`` that ``parsed`` breaks, in a fixed order: missing required columns
    (in the spec's order), then column by column the empty cells of a column that needs a value
    and the cells failing each rule, in row order. An empty cell passes every rule.

    One vectorised pass per column over the whole table (every report file at once); this is
    the order the pandera schema it replaces reported in.
    """
    present = set(parsed.columns)
    found: list[Failure] = [
        ("column_in_dataframe", None, None, name)
        for name in spec.columns
        if name in spec.required and name not in present
    ]
    index = parsed.index.tolist()
    for name in spec.columns:
        if name not in present:
            continue
        values = parsed[name].tolist()
        empty = parsed[name].isna().to_numpy()
        if name in spec.required and name not in ("value", "baseline_value", "baseline_year"):
            found += [("not_nullable", name, index[i], values[i]) for i in np.flatnonzero(empty)]
        for message, test in _column_tests(name, spec):
            failed = ~np.asarray(test(values), dtype=bool) & ~empty
            found += [(message, name, index[i], values[i]) for i in np.flatnonzero(failed)]
    return found


class Where:
    """Maps a frame's index back to (file, row, header) as the analyst sees them."""

    def __init__(self, raw: RawTable):
        self.raw = raw

    def __call__(self, index: object, column: str) -> tuple[str, int | None, str]:
        row = None if index is None or pd.isna(index) else int(index)
        return self.raw.label, row, self.raw.header(column)

    def many(self, indexes: Iterable[object], column: str) -> list[tuple[str, int, str]]:
        """``self(index, column)`` for many indexes at once (fast)."""
        label, header = self.raw.label, self.raw.header(column)
        return [(label, int(index), header) for index in indexes]


class WhereMany:
    """The same for many report files concatenated into one frame (index = position)."""

    def __init__(self, raws: list[RawTable], file_pos: np.ndarray, rows: np.ndarray):
        self.raws, self.file_pos, self.rows = raws, file_pos, rows

    def __call__(self, index: object, column: str) -> tuple[str, int | None, str]:
        raw = self.raws[self.file_pos[int(index)]]
        return raw.label, int(self.rows[int(index)]), raw.header(column)

    def many(self, indexes: Iterable[object], column: str) -> list[tuple[str, int, str]]:
        """``self(index, column)`` for many indexes at once (fast)."""
        places = np.asarray(list(indexes), dtype="int64")
        files = {pos: (raw.label, raw.header(column)) for pos, raw in enumerate(self.raws)}
        return [
            (files[f][0], int(r), files[f][1])
            for f, r in zip(self.file_pos[places].tolist(), self.rows[places].tolist(), strict=True)
        ]


def check_table(
    raw: RawTable, spec: TableSpec, where: Where | WhereMany | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``raw`` against the rules of ``spec``; return parsed cells and problems.

    Columns the table lacks are added empty, so later passes can run; the problem of a
    missing required column is in the list.
    """
    where = where or Where(raw)
    parsed = _parse_cells(raw, spec)
    problems = [_problem(raw, failure, where) for failure in failures(parsed, spec)]
    for name in spec.columns:
        if name not in parsed.columns:
            parsed[name] = None
    return parsed, problems


def _problem(raw: RawTable, failure: Failure, where: Where | WhereMany) -> Problem:
    check, column, index, seen = failure
    if check == "column_in_dataframe":
        return Problem(raw.label, 1, str(seen), f"required column {str(seen)!r} is missing")
    located = where(index, str(column))
    if check == "not_nullable":
        return Problem(*located, f"is empty; every row needs a {column}")
    seen_text = seen.seen if isinstance(seen, Invalid) else seen
    if isinstance(seen_text, float) and seen_text.is_integer():
        seen_text = int(seen_text)
    return Problem(*located, f"{check} ({seen_text!s} seen)")


def typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Replace invalid cells by missing values and give each column its final dtype."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = [None if isinstance(v, Invalid) else v for v in frame[column].tolist()]
        if column in spec.numeric or column in spec.integer:
            out[column] = pd.array([np.nan if v is None else v for v in values], dtype="float64")
        else:
            series = pd.Series(values, index=frame.index, dtype=object)
            out[column] = series.astype(pd.StringDtype(na_value=np.nan))
    return out


def invalid_mask(frame: pd.DataFrame, column: str) -> pd.Series:
    """True where ``column`` holds a cell that did not parse (already reported)."""
    return frame[column].map(lambda v: isinstance(v, Invalid)).astype(bool)
