"""Persian text and number normalisation.

Real plan files mix Arabic ي/ك with Persian ی/ک, write the same word with a zero-width
non-joiner, a space or nothing between its parts (برنامه‌ریزی / برنامه ریزی / برنامهریزی), and
write numbers with Persian or Arabic-Indic digits and separators (۱۲٬۵۰۰٫۵). These helpers make
such input comparable and numeric. Character and digit tables come from ``persiantools``.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from typing import Any

from persiantools import characters, digits

__all__ = [
    "clean_text",
    "is_blank_text",
    "strip_controls",
    "terminal_safe",
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
# A character that survives clean_text: not a space, an invisible mark or ZWNJ.
_VISIBLE = re.compile(
    "[^\\s\u00a0\u2009\u202f\u200c\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]"
)
# name_key drops everything that is not a letter or digit, so ZWNJ / space / none compare equal.
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Harakat (short vowels) are optional in Persian writing.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")


# C0 controls (but tab, line feed, carriage return), DEL and C1 controls: never text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\n\r]")
# Terminal escape sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), DCS/SOS/
# PM/APC strings, any other ESC + one character, and the 8-bit CSI/OSC forms.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
# Bidi overrides and isolates reorder what a terminal shows ("Trojan source").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str, *, keep_breaks: bool = False) -> tuple[str, bool]:
    r"""Remove control characters from one cell's text; return the text and whether any was.

    NUL, the other C0 controls, DEL and the C1 controls are never text. Tab, line feed and
    carriage return are kept when ``keep_breaks`` (notes) and otherwise replaced by a space
    (names, ids); either way they count as found only when removed.

    Examples
    --------
    >>> strip_controls("a\x00b\x1b[2Jc")
    ('ab[2Jc', True)
    >>> strip_controls("line 1\nline 2", keep_breaks=True)
    ('line 1\nline 2', False)
    """
    found = False
    if _CONTROLS.search(text):
        text, found = _CONTROLS.sub("", text), True
    if not keep_breaks and _BREAKS.search(text):
        text, found = _BREAKS.sub(" ", text), True
    return text, found


def terminal_safe(text: object) -> str:
    r"""``text`` made safe to print on a terminal.

    Escape sequences (colours, window title, clear screen, hyperlinks), control characters
    (but line feed and tab) and bidi overrides are removed; everything else is kept.

    Examples
    --------
    >>> terminal_safe("plan\x1b]0;title\x07 name\x1b[2J")
    'plan name'
    """
    text = str(text)
    if not _TERMINAL_UNSAFE.search(text):  # the common case, one fast scan
        return text
    text = _ESCAPES.sub("", text)
    text = _BIDI_CONTROLS.sub("", text)
    return _TERMINAL_CONTROLS.sub("", text)


def _is_pandas_na(value: Any) -> bool:
    """``value is pandas.NA``, without importing pandas (no NA exists before it is imported)."""
    pd = sys.modules.get("pandas")
    return pd is not None and value is pd.NA


def _is_numpy_number(value: Any) -> bool:
    """A numpy integer or float scalar, without importing numpy (the CLI starts faster)."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, (np.integer, np.floating))


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
    if value is None or (isinstance(value, float) and math.isnan(value)) or _is_pandas_na(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isascii() and value.isprintable():
        # the common case (ids, numbers, English), identical to the general path below
        return " ".join(value.split()) or None
    text = unicodedata.normalize("NFC", str(value))
    text = characters.ar_to_fa(text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # A ZWNJ next to a space is a typing slip, not a joiner.
    text = re.sub(f" ?{ZWNJ}+ ?", ZWNJ, text).strip(ZWNJ)
    return text or None


def is_blank_text(text: str) -> bool:
    """``clean_text(text) is None`` for a text, without building the cleaned text.

    Examples
    --------
    >>> is_blank_text(" \u200c\u200f "), is_blank_text(" x ")
    (True, False)
    """
    return _VISIBLE.search(text) is None


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
    if value is None or _is_pandas_na(value):
        return math.nan
    if isinstance(value, bool):
        raise NotANumberError(repr(value))
    if isinstance(value, (int, float)) or _is_numpy_number(value):
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
