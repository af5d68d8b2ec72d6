"""The status colours shared by every chart, report table and the dashboard.

Status colours run green → yellow → orange → red with grey for missing data. They were chosen so
that every pair stays distinguishable (CIELAB ΔE ≥ 16) under simulated protanopia, deuteranopia
and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0), and every chart and table
also names the status, so colour is never the only cue. Pure Python: no matplotlib needed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STATUS_COLOURS", "status_of", "text_colour_on"]

#: One colour per status (hex RGB), shared by every chart, table and the dashboard.
STATUS_COLOURS: dict[str, str] = {
    "target_achieved": "#0B7A75",
    "substantial_progress": "#6DBE8C",
    "moderate_progress": "#F3D550",
    "limited_progress": "#EE8A2A",
    "deterioration": "#B8223A",
    "not_available": "#BDBDBD",
}


def status_of(value: Any) -> str:
    """``value`` if it is a status code, else ``"not_available"`` (missing or unknown)."""
    return value if isinstance(value, str) and value in STATUS_COLOURS else "not_available"


def text_colour_on(background: str) -> str:
    """``#000000`` or ``#ffffff``, whichever reads better on ``background`` (``#rrggbb``).

    The WCAG 2.x relative luminance, ``L = 0.2126 R + 0.7152 G + 0.0722 B`` of the linearised
    sRGB channels; black text above ``L = 0.35``.
    """
    rgb = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.35 else "#ffffff"
