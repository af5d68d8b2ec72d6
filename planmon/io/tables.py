"""Writing result frames (scores, roll-ups) to CSV, Parquet or Excel, atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.io.atomic import atomic_path

__all__ = ["TABLE_FORMATS", "write_table"]

TABLE_FORMATS = (".csv", ".parquet", ".xlsx")


def write_table(
    frame: pd.DataFrame, target: str | os.PathLike[str], *, sheet_name: str = "scores"
) -> Path:
    """Write ``frame`` to ``target``; the format follows the suffix.

    CSV is UTF-8 with a byte-order mark so Excel on Windows shows Persian text correctly; its
    text cells are neutralised like the workbook's (text a spreadsheet would evaluate, such as
    ``=cmd|' /C calc'!A0``, starts with ``'``; numbers are written as numbers). Excel output has a right-to-left sheet, a bold frozen header and text cells neutralised
    against formula injection (see :mod:`planmon.io.excel`).

    Raises
    ------
    PlanmonError
        If the suffix is not one of :data:`TABLE_FORMATS`.
    """
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise PlanmonError(
            f"{target}: unknown output format {suffix or '(none)'!r}; use one of "
            + ", ".join(TABLE_FORMATS)
        )
    with atomic_path(target) as tmp:
        if suffix == ".csv":
            _neutralised(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            from planmon.io.excel import excel_workbook, write_frame

            with excel_workbook(tmp, {"title": f"planmon {sheet_name}"}) as book:
                write_frame(book, sheet_name, frame, right_to_left=True)
    return target


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text cell prefixed with ``'`` (as in the workbook)."""
    from planmon.io.excel import is_formula_like

    def cell(value: object) -> object:
        return f"'{value}" if isinstance(value, str) and is_formula_like(value) else value

    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(cell)
    out.columns = [cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out
