"""Tests of planmon.core.vocabulary: one label per concept, defined once, accepted on input."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import planmon
from planmon.core import vocabulary as v
from planmon.core.locale import LANGS
from planmon.core.schema import DIRECTIONS, KINDS, LEVELS, canonical_word
from planmon.measures.progress import STATUSES

PACKAGE = Path(planmon.__file__).parent
APP_JS = PACKAGE / "dashboard" / "assets" / "app.js"

#: Tables whose every label is a concept's one name: a copy anywhere else is a second definition.
STRICT = {
    "STATUS_LABELS": v.STATUS_LABELS,
    "DIRECTION_LABELS": v.DIRECTION_LABELS,
    "KIND_LABELS": v.KIND_LABELS,
    "KIND_PLURALS": v.KIND_PLURALS,
    "LEVEL_LABELS": v.LEVEL_LABELS,
    "MEASURES": v.MEASURES,
    "MEASURE_SHORT": v.MEASURE_SHORT,
    "TERMS": v.TERMS,
    "CAVEATS": v.CAVEATS,
}
#: Tables of words and phrases: a copy of one of two words or more is a second definition (a
#: lone word such as «سال» or «منبع» is also a column alias of the data contract).
LOOSE = {
    "COLUMN_LABELS": v.COLUMN_LABELS,
    "FREQUENCY_LABELS": v.FREQUENCY_LABELS,
    "UNIT_LABELS": v.UNIT_LABELS,
    "WORDS": v.WORDS,
}

#: Modules other helpers own that still hold copies, switched to the vocabulary by the lead
#: after merging; then this list is emptied. (Relative to planmon/.)
ALLOWED_COPIES: set[str] = set()


def _labels(tables: dict[str, dict[str, dict[str, str]]], *, min_words: int) -> dict[str, str]:
    """label → where it is defined, for every label that is not its own code."""
    out: dict[str, str] = {}
    for name, table in tables.items():
        for code, labels in table.items():
            for lang, label in labels.items():
                if label != code and len(label.split()) >= min_words:
                    out[label.strip()] = f"{name}[{code!r}][{lang!r}]"
    return out


LABELS = {**_labels(LOOSE, min_words=2), **_labels(STRICT, min_words=1)}
STRICT_LABELS = _labels(STRICT, min_words=1)


def _python_modules() -> list[Path]:
    own = {PACKAGE / "core" / "vocabulary.py"}
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p not in own and p.relative_to(PACKAGE).as_posix() not in ALLOWED_COPIES
    ]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_every_status_has_one_label_per_language():
    assert tuple(v.STATUS_LABELS) == STATUSES  # same codes, best first
    for labels in v.STATUS_LABELS.values():
        assert set(labels) == set(LANGS) and all(labels.values())
    fa = [labels["fa"] for labels in v.STATUS_LABELS.values()]
    assert len(set(fa)) == len(fa)


def test_every_table_names_every_code_in_every_language():
    for table in [*STRICT.values(), *LOOSE.values()]:
        for code, labels in table.items():
            assert set(labels) == set(LANGS), code
            assert all(text.strip() for text in labels.values()), code


@pytest.mark.parametrize(
    "column, table, printed",
    [
        ("kind", KINDS, v.KIND_LABELS),
        ("direction", DIRECTIONS, v.DIRECTION_LABELS),
        ("level", LEVELS, v.LEVEL_LABELS),
    ],
)
def test_every_printed_label_is_accepted_on_input(column, table, printed):
    assert set(table) == set(printed)
    for code, labels in printed.items():
        assert canonical_word(column, code) == code
        for label in labels.values():
            assert canonical_word(column, label) == code, label
        # the printed Persian label comes first: the Excel templates print aliases[0]
        assert table[code][0] == labels["fa"]


def test_maintain_is_printed_one_way_and_read_both_ways():
    assert v.direction_label("maintain", "fa") == "حفظ وضع موجود"
    assert canonical_word("direction", "حفظ وضع موجود") == "maintain"
    assert canonical_word("direction", "بدون جهت") == "maintain"
    assert canonical_word("direction", "حفظ‌وضع موجود") == "maintain"  # ZWNJ variant


def test_measure_and_interval_terms():
    # one term for the roll-up's conformity; the band is a prediction interval
    assert v.measure_label("conformity_pct", "fa") == "انطباق با اهداف سالانه"
    assert v.term("prediction_interval", "fa") == "بازه پیش‌بینی ۹۵٪"
    assert v.term("provisional", "fa") == "موقت" and v.term("provisional", "en") == "provisional"
    assert v.term("data_caveats", "fa") == "ملاحظات داده‌ها"
    assert v.term("data_caveats", "en") == "Data caveats"
    assert "not received" in v.term("report_not_received", "en")


def test_units_and_passport_words_in_either_language():
    assert v.unit_label("days", "fa") == "روز"
    assert v.unit_label("روز", "en") == "days"
    assert v.unit_label("%", "fa") == "درصد"
    assert v.unit_label("نامعلوم", "fa") == "نامعلوم"  # unknown units pass through
    assert v.frequency_label("Yearly", "fa") == "سالانه"
    assert v.frequency_label("سالانه", "en") == "annual"
    assert v.level_label("outcome", "fa") == "پیامد"
    assert v.kind_label("district", "fa") == "منطقه"
    assert v.status_label("no such status", "en") == "Insufficient data"


def test_no_label_is_defined_twice_in_the_python_code():
    """A string literal equal to a vocabulary label, outside the vocabulary, is a second
    definition: the place that prints it must call the vocabulary instead."""
    copies = []
    for path in _python_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and node.value.strip() in LABELS
            ):
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                copies.append(f"{where} {node.value!r} = {LABELS[node.value.strip()]}")
    assert not copies, "labels defined outside planmon.core.vocabulary:\n" + "\n".join(copies)


def test_no_status_table_outside_the_vocabulary():
    """A dict keyed by status codes whose values are words (not colours) is a label table."""
    tables = []
    for path in _python_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & set(STATUSES)) < 3:
                continue
            values = [x.value for x in node.values if isinstance(x, ast.Constant)]
            colours = all(
                isinstance(x, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", x) for x in values
            )
            if not (values and colours and len(values) == len(node.values)):
                tables.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not tables, "status label tables outside planmon.core.vocabulary: " + ", ".join(tables)


def test_the_dashboard_script_takes_its_labels_from_the_payload():
    literals = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", APP_JS.read_text("utf-8"))
    copies = sorted({text for pair in literals for text in pair if text.strip() in STRICT_LABELS})
    assert not copies, f"labels defined in app.js instead of the payload: {copies}"
