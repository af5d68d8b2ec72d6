"""Persian text and number normalisation.

Real plan files mix Arabic ي/ك with Persian ی/ک, write the same word with a zero-width
non-joiner, a space or nothing between its parts (برنامه‌ریزی / برنامه ریزی / برنامهریزی), and
write numbers with Persian or Arabic-Indic digits and separators (۱۲٬۵۰۰٫۵). These helpers make
such input comparable and numeric. Character and digit tables come from ``persiantools``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
from persiantools import characters, digits

__all__ = [
    "clean_text",
    "name_key",
    "parse_number",
    "to_persian_digits",
    "NotANumberError",
]

ZWNJ = "\u200c"
_TATWEEL = "\u0640"
# Marks that never carry meaning in a plan's names: bidi controls, zero-width chars, tatweel.
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# name_key drops everything that is not a letter or digit, so ZWNJ / space / none compare equal.
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Harakat (short vowels) are optional in Persian writing.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")


def clean_text(value: Any) -> str | None:
    """Tidy one text cell for display and storage.

    Arabic ي/ك become Persian ی/ک, invisible marks (bidi controls, BOM, tatweel) are removed,
    runs of whitespace collapse to one space, and the result is stripped. ZWNJ is kept (it is
    part of correct Persian spelling). Empty cells become ``None``.

    Examples
    --------
    >>> clean_text("  مديريت  پسماند ")
    'مدیریت پسماند'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = characters.ar_to_fa(text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # A ZWNJ next to a space is a typing slip, not a joiner.
    text = re.sub(f" ?{ZWNJ}+ ?", ZWNJ, text).strip(ZWNJ)
    return text or None


def name_key(value: Any) -> str:
    """Return a comparison key for a name or header: spelling variants map to one key.

    ZWNJ, spaces, punctuation, tatweel and harakat are dropped, Arabic letters become Persian,
    digits become ASCII and Latin letters lower case.

    Examples
    --------
    >>> name_key("برنامه‌ریزی") == name_key("برنامه ريزي") == name_key("برنامهریزی.")
    True
    """
    text = clean_text(value) or ""
    text = digits.fa_to_en(digits.ar_to_fa(text))
    text = _DIACRITICS.sub("", text)
    return _NOT_WORD.sub("", text).casefold()


class NotANumberError(ValueError):
    """Raised by :func:`parse_number` for text that is not a number."""


_THOUSANDS = re.compile(r"(?<=\d)[,\u066c'’](?=\d{3}(\D|$))")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def parse_number(value: Any) -> float:
    """Parse one numeric cell written the way Iranian offices write numbers.

    Accepts Persian (۰–۹) and Arabic-Indic (٠–٩) digits, the Persian decimal separator ``٫``,
    thousands separators (``٬``, ``,``), a trailing or leading percent sign (``%`` or ``٪``),
    the Unicode minus and surrounding spaces. Empty cells give NaN.

    Raises
    ------
    NotANumberError
        If the text is not a number (the message quotes it).

    Examples
    --------
    >>> parse_number("۱۲٬۵۰۰٫۵")
    12500.5
    >>> parse_number("45%")
    45.0
    """
    if value is None or value is pd.NA:
        return math.nan
    if isinstance(value, bool):
        raise NotANumberError(repr(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = clean_text(value)
    if text is None:
        return math.nan
    text = digits.fa_to_en(digits.ar_to_fa(text))
    text = text.replace("\u066b", ".").replace("\u2212", "-").replace("\u2013", "-")
    text = text.replace(" ", "").replace(ZWNJ, "")
    text = text.strip("%\u066a")
    text = _THOUSANDS.sub("", text)
    if not _NUMBER.match(text):
        raise NotANumberError(str(value))
    return float(text)


def to_persian_digits(value: Any) -> str:
    """Render ASCII digits of ``value`` as Persian digits, ``.`` as ``٫`` and ``,`` as ``٬``.

    Examples
    --------
    >>> to_persian_digits("1,234.5")
    '۱٬۲۳۴٫۵'
    """
    text = str(value).replace(",", "\u066c")
    text = re.sub(r"(?<=\d)\.(?=\d)", "\u066b", text)
    return digits.en_to_fa(text)
