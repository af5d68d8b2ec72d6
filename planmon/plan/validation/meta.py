"""The plan's settings and years: the optional ``plan`` key/value table, what the data says.

A plan has one calendar (Jalali or Gregorian, from the ``calendar`` setting, else from the
years it states, else from most of its years); a year of the other calendar anywhere is an
error, and is left out when the plan years are inferred, so a stray ``2023`` in a Jalali plan
is named as such instead of making a 626-year plan.

Years the settings leave out are inferred from all the evidence: the baseline year (the most
common indicator baseline year), then the first plan year (the year after the baseline, else
the earliest target or report year) and the horizon (the latest target or report year, else
four years after the first). Reports are accepted for every year after the baseline up to the
horizon (an SDG-style plan: baseline 2015, targets 2025 and 2030, reports 2016–2024).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planmon.core.exceptions import Problem
from planmon.core.schema import META_KEYS, parse_year
from planmon.core.text import clean_text
from planmon.core.vocabulary import canonical_calendar
from planmon.io.limits import MAX_NAME_CHARS
from planmon.io.read import RawTable

__all__ = [
    "Settings",
    "read_settings",
    "calendar_of",
    "plan_calendar",
    "other_calendar",
    "infer_years",
    "MAX_PLAN_YEARS",
    "YEAR_KEYS",
]

YEAR_KEYS = ("baseline_year", "first_year", "horizon_year")
#: A plan spans at most this many years, first to horizon.
MAX_PLAN_YEARS = 50
_CALENDAR_NAMES = {"jalali": "Jalali", "gregorian": "Gregorian"}


def calendar_of(year: int) -> str:
    """``jalali`` for 1300–1500, ``gregorian`` otherwise (years are already plausible)."""
    return "jalali" if year <= 1500 else "gregorian"


@dataclass
class Settings:
    """What the ``plan`` table states, and where (row of each key) for messages."""

    meta: dict = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    raw: RawTable | None = None
    value_header: str = "value"

    def where(self, key: str) -> tuple[str, int | None, str | None]:
        """Location of ``key``'s value, or of the table (or ``plan``) when it is not stated."""
        if self.raw is None:
            return "plan", None, None
        if key not in self.rows:
            return self.raw.label, None, None
        return self.raw.label, self.rows[key], self.value_header


def _setting(settings: Settings, key: str, value: object, row: int) -> Problem | None:
    """Store one setting's value; the problem of a value that is not acceptable."""
    where = (settings.raw.label, row, settings.value_header)
    text = clean_text(value)
    if key in YEAR_KEYS:
        year = parse_year(value)
        if year is None:
            return Problem(*where, f"{key} is not a year ({text} seen)")
        settings.meta[key] = year
    elif key == "calendar":
        calendar = canonical_calendar(text)
        if calendar is None:
            return Problem(
                *where, f"calendar must be jalali or gregorian (شمسی، میلادی) ({text} seen)"
            )
        settings.meta[key] = calendar
    elif text is not None and len(text) > MAX_NAME_CHARS:
        return Problem(
            *where,
            f"{key} is {len(text):,} characters long; a name may have at most "
            f"{MAX_NAME_CHARS}: shorten it",
        )
    else:
        settings.meta[key] = text
    return None


def read_settings(raw: RawTable | None) -> tuple[Settings, list[Problem]]:
    """The settings the ``plan`` table states, with the problems of its rows."""
    settings = Settings(raw=raw)
    problems: list[Problem] = []
    if raw is None or raw.frame.empty:
        return settings, problems
    frame = raw.frame
    key_col = "key" if "key" in frame.columns else frame.columns[0]
    value_col = "value" if "value" in frame.columns else frame.columns[-1]
    settings.value_header = raw.header(value_col)
    for row, key, value in zip(frame.index, frame[key_col], frame[value_col], strict=True):
        key_text = clean_text(key)
        if key_text not in META_KEYS:
            problems.append(
                Problem(
                    raw.label,
                    int(row),
                    raw.header(key_col),
                    f"unknown plan setting {key_text!r}, ignored; expected one of "
                    + ", ".join(META_KEYS),
                    "warning",
                )
            )
            continue
        settings.rows[key_text] = int(row)
        found = _setting(settings, key_text, value, int(row))
        if found:
            problems.append(found)
    return settings, problems


def plan_calendar(settings: Settings, years: list[int]) -> tuple[str, list[Problem]]:
    """The plan's calendar, and the stated years that contradict a stated calendar."""
    stated = {k: settings.meta[k] for k in YEAR_KEYS if k in settings.meta}
    word = settings.meta.get("calendar")
    problems = []
    if word is not None:
        for key, year in stated.items():
            if calendar_of(year) != word:
                problems.append(
                    Problem(
                        *settings.where(key),
                        f"{key} {year} is a "
                        f"{_CALENDAR_NAMES[calendar_of(year)]} year but the plan's calendar "
                        f"is {word}; write every year of the plan in one calendar",
                    )
                )
        return word, problems
    votes = list(stated.values()) or years
    jalali = sum(calendar_of(y) == "jalali" for y in votes)
    return ("jalali" if 2 * jalali >= len(votes) else "gregorian"), problems


def other_calendar(year: int, calendar: str, years: str) -> str | None:
    """The message for a ``year`` that is not of the plan's ``calendar`` (None if it is)."""
    if calendar_of(year) == calendar:
        return None
    return (
        f"{year} is a {_CALENDAR_NAMES[calendar_of(year)]} year but the plan's years are "
        f"{_CALENDAR_NAMES[calendar]} ({years}); one plan uses one calendar: convert the year"
    )


def infer_years(
    settings: Settings, baselines: list[int], targets: list[int], reports: list[int]
) -> tuple[dict, list[Problem]]:
    """Fill in the years the settings leave out (see the module docstring) and check that
    horizon ≥ first year > baseline year. Every year given is of the plan's calendar."""
    meta = dict(settings.meta)
    if "baseline_year" not in meta and baselines:
        meta["baseline_year"] = max(set(baselines), key=lambda y: (baselines.count(y), -y))
    evidence = targets + reports
    if "first_year" not in meta:
        if "baseline_year" in meta:
            meta["first_year"] = meta["baseline_year"] + 1
        elif evidence:
            meta["first_year"] = min(evidence)
    if "horizon_year" not in meta and "first_year" in meta:
        meta["horizon_year"] = (
            max([*evidence, meta["first_year"]]) if evidence else meta["first_year"] + 4
        )
    for key in ("name_fa", "name_en", "city_fa", "city_en"):
        meta.setdefault(key, None)
    return meta, _order_problems(settings, meta)


def _order_problems(settings: Settings, meta: dict) -> list[Problem]:
    base, first, horizon = (meta.get(k) for k in YEAR_KEYS)
    problems = []
    if base is not None and first is not None and first <= base:
        key = "first_year" if "first_year" in settings.rows else "baseline_year"
        problems.append(
            Problem(
                *settings.where(key),
                f"first_year {first} is not after baseline_year "
                f"{base}; the plan's first year comes after its baseline",
            )
        )
    if first is not None and horizon is not None:
        if horizon < first:
            key = "horizon_year" if "horizon_year" in settings.rows else "first_year"
            problems.append(
                Problem(
                    *settings.where(key),
                    f"horizon_year {horizon} is before first_year "
                    f"{first}; the horizon is the plan's last year",
                )
            )
        elif horizon - first + 1 > MAX_PLAN_YEARS:
            problems.append(
                Problem(
                    *settings.where("horizon_year"),
                    f"the plan years {first}–{horizon} "
                    f"span {horizon - first + 1} years, more than {MAX_PLAN_YEARS}; check "
                    "the years (one calendar?)",
                )
            )
    return problems
