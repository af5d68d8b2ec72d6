"""Problems of a returned workbook, explained for the person who filled it in.

Validation (:mod:`planmon.plan.validation`) locates a problem by file, row and header. For a
department's returned workbook that is not enough: the analyst passed ``bad/fire.xlsx``, not
``reports/1400/fire.xlsx``; Excel users look for cell ``H3``; and the fix depends on what was
typed (``۱۲/۵`` is a slash decimal, ``12,5`` a comma decimal, ``۱۲ مورد`` a unit in the value
cell). :func:`explain` turns a located problem into an :class:`Explained` one: the file as the
user named it, the cell in A1 style, the fix, and the message in Persian and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planmon.core.exceptions import InputFileError, Problem
from planmon.core.schema import canonical_column
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.csv_read import read_csv_rows
from planmon.io.read import read_workbook

__all__ = [
    "Explained",
    "SheetIndex",
    "column_letter",
    "explain",
    "hint",
    "persian",
    "wrong_column_warnings",
]

_DIGIT = "0-9\u06f0-\u06f9\u0660-\u0669"
_SLASH_DECIMAL = re.compile(rf"^\s*[-+]?[{_DIGIT}]+\s*/\s*[{_DIGIT}]+\s*$")
_COMMA_DECIMAL = re.compile(rf"^\s*[-+]?[{_DIGIT}]+,[{_DIGIT}]{{1,2}}\s*$")
_HAS_DIGIT = re.compile(rf"[{_DIGIT}]")


def column_letter(number: int) -> str:
    """Excel's letters of a 1-based column number (1 → ``A``, 28 → ``AB``)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetIndex:
    """Where the cells of a report's data sheet are: header row and header positions.

    Attributes
    ----------
    rows : list of list
        The sheet's cells as read (row 1 first).
    header_row : int
        1-based row of the header (the first non-blank row).
    positions : dict
        Header as written (cleaned) → 1-based column number; canonical column → the same.
    headers : dict
        1-based column number → header as written.
    """

    rows: list[list[object]]
    header_row: int
    positions: dict[str, int]
    headers: dict[int, str]

    @classmethod
    def of_rows(cls, rows: list[list[object]]) -> SheetIndex:
        start = next((i for i, r in enumerate(rows) if any(clean_text(c) for c in r)), 0)
        positions: dict[str, int] = {}
        headers: dict[int, str] = {}
        for col, cell in enumerate(rows[start] if rows else [], start=1):
            text = clean_text(cell)
            if text is None:
                continue
            headers[col] = text
            positions.setdefault(text, col)
            canonical = canonical_column(text)
            if canonical is not None:
                positions.setdefault(canonical, col)
        return cls(rows, start + 1, positions, headers)

    @classmethod
    def of_file(cls, path: Path, label: str) -> SheetIndex | None:
        """Index the data sheet of a report file (first sheet; a CSV); None if unreadable."""
        try:
            if path.suffix.lower() == ".csv":
                rows, _ = read_csv_rows(path, label)
            else:
                # the first visible sheet, as the report reader reads it
                visible = lambda entries: [e for e in entries if e.visible][:1]  # noqa: E731
                sheets, _ = read_workbook(path, label, visible)
                rows = sheets[0].rows if sheets else []
        except InputFileError:
            return None
        return cls.of_rows([list(r) for r in rows])

    def column_of(self, header: str | None) -> int | None:
        if header is None:
            return None
        return self.positions.get(clean_text(header) or "") or self.positions.get(
            canonical_column(header) or ""
        )

    def value(self, row: int, col: int) -> object:
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[col - 1] if 0 < col <= len(cells) else None


@dataclass(frozen=True)
class Explained:
    """One problem of a returned file, told for people.

    Attributes
    ----------
    problem : Problem
        Located in the file the user passed; the message starts with the cell (``cell H3:``)
        and ends with the fix.
    row, col : int or None
        1-based cell (``col`` None when only the row is known).
    cell : str or None
        The cell in A1 style (``H3``).
    fa, en : str
        The explanation in Persian and English (with the fix).
    """

    problem: Problem
    row: int | None
    col: int | None
    cell: str | None
    fa: str
    en: str

    @property
    def severity(self) -> str:
        return self.problem.severity


def hint(column: str | None, seen: object) -> tuple[str, str] | None:
    """The fix for a value that could not be read (``(fa, en)``), or None."""
    if column != "value" or seen is None:
        return None
    text = str(seen)
    if _SLASH_DECIMAL.match(text):
        fixed = re.sub(r"\s*/\s*", "\u066b", text.strip())
        return (
            f"اعشار را با «٫» یا «.» جدا کنید، نه با «/»: {fixed}",
            f"separate the decimals with a point or ٫, not a slash: {fixed}",
        )
    if _COMMA_DECIMAL.match(text):
        fixed = text.strip().replace(",", "\u066b")
        return (
            f"«,» جداکننده هزارگان است؛ اعشار را با «٫» یا «.» بنویسید: {fixed}",
            f"a comma separates thousands; write the decimals with a point or ٫: {fixed}",
        )
    if _HAS_DIGIT.search(text):
        return (
            "فقط عدد را بنویسید؛ واحد یا توضیح را در ستون «توضیحات» بیاورید",
            "write the number only; put a unit or remark in the note column",
        )
    return (
        "مقدار را با رقم بنویسید (ارقام فارسی هم پذیرفته است، مثلاً ۱۲٫۵)؛ اگر داده نیست خانه را "
        "خالی بگذارید و دلیل را در «توضیحات» بنویسید",
        "write the value in digits (Persian digits are fine, e.g. ۱۲٫۵); if there is no value, "
        "leave the cell empty and give the reason in the note",
    )


# English message of validation → Persian; matched by pattern, the English is kept beside it.
_PERSIAN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^is not a number \((?P<a>.*) seen\)$"), "عدد نیست («{a}» نوشته شده)"),
    (
        re.compile(r"^unknown indicator '(?P<a>[^']*)'"),
        "شاخص «{a}» در برنامه نیست؛ شناسه شاخص را تغییر ندهید",
    ),
    (
        re.compile(r"^indicator '(?P<a>[^']*)' belongs to department '(?P<b>[^']*)'"),
        "شاخص «{a}» به حوزه «{b}» تعلق دارد، نه به این حوزه",
    ),
    (
        re.compile(r"^duplicate indicator_id '(?P<a>[^']*)' \(first on row (?P<b>\d+)\)"),
        "شاخص «{a}» دو بار آمده است (نخستین بار در ردیف {b})؛ یکی را نگه دارید",
    ),
    (re.compile(r"^is empty; every row needs"), "خالی است؛ شناسه شاخص هر ردیف لازم است"),
    (re.compile(r"^required column '(?P<a>[^']*)' is missing"), "ستون «{a}» در برگه نیست"),
    (re.compile(r"^percentage outside 0–100 \((?P<a>.*)\)"), "درصد خارج از بازه ۰ تا ۱۰۰ ({a})"),
    (
        re.compile(r"^(?P<a>\S+) is more than ten times off (?P<b>the previous value|the target)"),
        "مقدار {a} بیش از ده برابر با {b} فاصله دارد؛ واحد سنجش و ممیز اعشار را بررسی کنید",
    ),
    (re.compile(r"^no row for (?P<a>.*) \(a data gap\)"), "ردیفی برای {a} نیست (داده ناقص)"),
    (
        re.compile(r"^year (?P<a>\d+) disagrees with the folder"),
        "سال {a} با سال گزارش یکی نیست",
    ),
    (
        re.compile(r"the workbook is damaged"),
        "فایل آسیب دیده است؛ آن را در اکسل باز کنید و دوباره ذخیره کنید",
    ),
    (
        re.compile(r"this is the template for (?P<a>\d+), not (?P<b>\d+)"),
        "این فرم سال {a} است، نه {b}",
    ),
    (
        re.compile(r"this is the template of department '(?P<a>[^']*)'"),
        "این فرم حوزه «{a}» است؛ نام فایل را تغییر ندهید",
    ),
    (re.compile(r"written for another plan"), "این فرم برای برنامه دیگری نوشته شده است"),
    (
        re.compile(r"holds a number .* and the value is empty"),
        "در ستون توضیحات عدد آمده و خانه مقدار خالی است؛ اگر این مقدار شاخص است، آن را به ستون "
        "«مقدار محقق شده» ببرید",
    ),
]
_PERSIAN_BENEFIT = {"the previous value": "مقدار سال قبل", "the target": "هدف"}


def persian(message: str) -> str:
    """A Persian rendering of a validation message (a generic one if the pattern is unknown)."""
    for pattern, template in _PERSIAN:
        match = pattern.search(message)
        if match:
            parts = {k: _PERSIAN_BENEFIT.get(v, v) for k, v in match.groupdict().items()}
            return template.format(**parts)
    return "مشکل در این خانه؛ توضیح انگلیسی را ببینید"


def _seen(problem: Problem, index: SheetIndex | None, row: int | None, col: int | None) -> object:
    if index is not None and row is not None and col is not None:
        return index.value(row, col)
    match = re.search(r"\((.*) seen\)", problem.message)
    return match.group(1) if match else None


def explain(problem: Problem, source: str, index: SheetIndex | None) -> Explained:
    """Relocate ``problem`` to ``source`` (the file the user passed), with cell and fix.

    Parameters
    ----------
    problem : Problem
        A problem of the staged copy of the file (any label).
    source : str
        The file as the user named it (``bad/fire.xlsx``).
    index : SheetIndex or None
        The file's data sheet, to find the cell; None if it could not be read.
    """
    row = problem.row
    col = index.column_of(problem.column) if index is not None else None
    cell = f"{column_letter(col)}{row}" if (row is not None and col is not None) else None
    canonical = canonical_column(problem.column) if problem.column else None
    seen = _seen(problem, index, row, col) if problem.severity == "error" else None
    fix = hint(canonical, seen) if "is not a number" in problem.message else None
    en = problem.message + (f"; {fix[1]}" if fix else "")
    fa = persian(problem.message) + (f"؛ {fix[0]}" if fix else "")
    where = f"cell {cell}: " if cell else ""
    located = Problem(
        source,
        row,
        problem.column,
        where + en,
        problem.severity,
        code=problem.code,
        indicator_id=problem.indicator_id,
        year=problem.year,
    )
    return Explained(located, row, col, cell, fa, en)


def wrong_column_warnings(source: str, index: SheetIndex) -> list[Problem]:
    """Warnings for numbers typed into the note or source column while the value is empty."""
    value_col = index.column_of("value")
    if value_col is None:
        return []
    out = []
    for row in range(index.header_row + 1, len(index.rows) + 1):
        if clean_text(index.value(row, value_col)) is not None:
            continue
        for column in ("note", "source"):
            col = index.column_of(column)
            seen = index.value(row, col) if col else None
            if clean_text(seen) is None:
                continue
            try:
                parse_number(seen)
            except NotANumberError:
                continue
            out.append(
                Problem(
                    source,
                    row,
                    index.headers[col],
                    f"the {column} holds a number ({clean_text(seen)}) and the value is empty; "
                    "if it is the indicator's value, move it to the value column",
                    "warning",
                )
            )
    return out
