"""Rebuild tests/data/tiny_fa/ from tests/data/tiny/: the same plan as a Persian office writes it.

Persian headers (from the documented alias table) and Persian direction/kind words everywhere.
The plan tables are Windows-1256 (as Persian Excel on Windows saves CSV): that code page has no
Persian ی/ک or Persian digits, so they carry Arabic ي/ك and ASCII digits, and goals.csv uses ``;``.
The reports are UTF-8 with BOM and use Persian and Arabic-Indic digits, the Persian decimal
separator, a percent sign, and blank trailing rows. ``tests/test_plan.py`` checks the folder
loads to the same frames as tiny/.
Run: .venv/bin/python tests/data/make_tiny_fa.py
"""

import csv
import io
import shutil
from pathlib import Path

from persiantools import digits

HERE = Path(__file__).parent
SRC, DST = HERE / "tiny", HERE / "tiny_fa"

HEADERS = {
    "dept_id": "شناسه حوزه",
    "kind": "نوع",
    "name_fa": "نام",
    "name_en": "نام انگلیسی",
    "parent_id": "شناسه والد",
    "goal_id": "شناسه هدف",
    "weight": "وزن",
    "indicator_id": "شناسه شاخص",
    "unit": "واحد سنجش",
    "direction": "جهت",
    "baseline_year": "سال پایه",
    "baseline_value": "مقدار پایه",
    "limit": "حد طبیعی",
    "tolerance": "رواداری",
    "level": "سطح",
    "definition": "تعریف",
    "formula": "فرمول",
    "responsible": "واحد مسئول",
    "year": "سال",
    "target": "هدف کمی",
    "value": "مقدار",
    "note": "توضیحات",
    "source": "منبع",
    "key": "کلید",
}
WORDS = {"increase": "افزایشی", "decrease": "کاهشی", "deputy": "معاونت", "district": "منطقه"}
NUMERIC = {"weight", "baseline_year", "baseline_value", "limit", "year", "target", "value"}


def persian_number(text: str, column: str) -> str:
    if column == "value" and text == "13":
        return "۱۳٪"  # a percent sign the unit already implies
    if column == "value" and text == "620":
        return "٦٢٠"  # Arabic-Indic digits, as Arabic keyboards type them
    return digits.en_to_fa(text.replace(".", "٫"))


def arabic_letters(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def convert(src: Path, dst: Path, *, windows: bool, delimiter: str = ",") -> None:
    rows = list(csv.reader(src.open(encoding="utf-8")))
    header = rows[0]
    out = [[HEADERS.get(h, h) for h in header]]
    for row in rows[1:]:
        new = []
        for column, cell in zip(header, row, strict=True):
            if column in NUMERIC and cell and not windows:
                cell = persian_number(cell, column)
            elif cell in WORDS and column in ("direction", "kind"):
                cell = WORDS[cell]
            new.append(cell)
        out.append(new)
    out += [[""] * len(header), [""] * len(header)]  # blank trailing rows
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(out)
    dst.parent.mkdir(parents=True, exist_ok=True)
    if windows:
        dst.write_bytes(arabic_letters(buffer.getvalue()).encode("cp1256"))
    else:
        dst.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def main() -> None:
    shutil.rmtree(DST, ignore_errors=True)
    for src in sorted(SRC.rglob("*.csv")):
        rel = src.relative_to(SRC)
        convert(
            src,
            DST / rel,
            windows=rel.parts[0] == "plan",
            delimiter=";" if rel.name == "goals.csv" else ",",
        )


if __name__ == "__main__":
    main()
