"""The site's ``index.html``: every report on disk, by year and language, with relative links.

:func:`write_index` is called by ``planmon build`` with what its manifest knows (one
:class:`IndexEntry` per report). The page works from ``file://``: every link is relative, and a
link is written only when its file exists. Names come from user files and are escaped.

planmon writes ``index.html`` only over its own: :func:`check_index` refuses a file of that
name that planmon did not write (a user's page in the folder given as ``--out``).
"""

from __future__ import annotations

import html as html_lib
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from planmon.content.parameters import LANGUAGES
from planmon.core.exceptions import OutputError
from planmon.io.atomic import atomic_write_text
from planmon.publish.layout import DASHBOARD_INDEX

__all__ = ["IndexEntry", "index_html", "write_index", "check_index", "is_planmon_index"]

# --- words: a marked table until the lead moves them into core/vocabulary.py -----------------
_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "publication": "نشریه سالانه (PDF)",
        "dashboard": "داشبورد مدیریتی",
        "index": "گزارش‌های پایش برنامه",
        "year": "سال",
        "language": "فارسی",
        "pdf": "PDF",
        "empty": "هنوز گزارشی ساخته نشده است.",
    },
    "en": {
        "publication": "Yearly publication (PDF)",
        "dashboard": "Management dashboard",
        "index": "Plan monitoring reports",
        "year": "Year",
        "language": "English",
        "pdf": "PDF",
        "empty": "No reports have been built yet.",
    },
}
# ----------------------------------------------------------------------------------------------

_INDEX_CSS = """
body { font-family: "Vazirmatn", "Noto Sans Arabic", "DejaVu Sans", sans-serif;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f1f1f; line-height: 1.6; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-bottom: 0.3rem; }
section.lang { margin: 0 0 1.5rem; }
ul { padding-inline-start: 1.2rem; margin: 0.3rem 0; }
a { color: #1F4E79; } .pdf { font-size: 0.85em; margin-inline-start: 0.5em; }
"""
_ORDER = {"overview": 0, "districts": 1, "department": 2, "publication": 3}


@dataclass(frozen=True)
class IndexEntry:
    """One report the index may link.

    Attributes
    ----------
    kind : {"overview", "districts", "department", "publication"}
    year : int
    lang : {"fa", "en"}
    name : str
        The link text (a department's name; the publication gets its own words).
    html, pdf : str or None
        The files, relative to the reports root.
    order : int
        Position among the departments (the plan's order); -1 for plan-wide reports.
    """

    kind: str
    year: int
    lang: str
    name: str
    html: str | None
    pdf: str | None
    order: int = -1

    @classmethod
    def of(cls, record: Mapping[str, object]) -> IndexEntry:
        """An entry from a manifest record (extra keys are ignored)."""
        return cls(
            kind=str(record["kind"]),
            year=int(record["year"]),  # type: ignore[call-overload]
            lang=str(record["lang"]),
            name=str(record["name"]),
            html=record.get("html"),  # type: ignore[arg-type]
            pdf=record.get("pdf"),  # type: ignore[arg-type]
            order=int(record.get("order", -1)),  # type: ignore[call-overload]
        )


def _year_label(year: int, lang: str) -> str:
    from planmon.core.locale import format_year

    return format_year(year, lang)  # type: ignore[arg-type]


def is_planmon_index(text: str) -> bool:
    """True when ``text`` is an ``index.html`` planmon wrote (any version that had this style)."""
    return f"<style>{_INDEX_CSS}</style>" in text


def check_index(root: Path) -> None:
    """Refuse to go on when ``root/index.html`` exists and planmon did not write it.

    Raises
    ------
    OutputError
        Naming the file and the fix.
    """
    target = root / "index.html"
    try:
        text = target.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError.of(exc, target) from exc
    if not is_planmon_index(text):
        raise OutputError(
            f"{target} exists and was not written by planmon; planmon will not overwrite it. "
            "Move it away, or build into another folder (--out)"
        )


def write_index(
    root: Path,
    entries: Iterable[IndexEntry],
    plan_names: Mapping[str, str],
    *,
    dashboard: bool = False,
) -> Path:
    """Write ``root/index.html`` (atomically; not at all when it would not change).

    Parameters
    ----------
    root : Path
        The reports folder.
    entries : iterable of IndexEntry
        The reports to list; those whose files are missing are left out.
    plan_names : mapping
        ``name_fa`` and ``name_en``, the page's title.

    Raises
    ------
    OutputError
        ``index.html`` exists and planmon did not write it, or it cannot be written.
    """
    target = root / "index.html"
    text = index_html(root, entries, plan_names, dashboard=dashboard)
    try:
        unchanged = target.read_text(encoding="utf-8") == text
    except OSError:
        unchanged = False
    if not unchanged:
        check_index(root)
        atomic_write_text(target, text)
    return target


def index_html(
    root: Path,
    entries: Iterable[IndexEntry],
    plan_names: Mapping[str, str],
    *,
    dashboard: bool = False,
) -> str:
    """The index page: the dashboard, then each year (latest first) by language.

    The dashboard is linked when it exists, or when ``dashboard`` says the build's caller
    writes it next (``planmon build --dashboard``).
    """
    esc = html_lib.escape
    reports = [e for e in entries if (root / (e.html or e.pdf or "")).is_file()]
    langs = [lang for lang in LANGUAGES if any(e.lang == lang for e in reports)] or ["fa"]
    main = langs[0]
    title = plan_names.get(f"name_{main}") or _WORDS[main]["index"]

    def link(rel: str | None, text: str, css: str = "", *, expected: bool = False) -> str:
        if not rel or not (expected or (root / rel).is_file()):
            return ""
        cls = f' class="{css}"' if css else ""
        return f'<a href="{esc(urllib.parse.quote(rel))}"{cls}>{esc(text)}</a>'

    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{main}" dir="{"rtl" if main == "fa" else "ltr"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_INDEX_CSS}</style></head>",
        f"<body><h1>{esc(title)}</h1>",
    ]
    # `planmon dashboard` (or `planmon build --dashboard`) writes reports/dashboard/
    board = link(DASHBOARD_INDEX, _WORDS[main]["dashboard"], expected=dashboard)
    if board:
        parts.append(f"<p>{board}</p>")
    if not reports:
        parts.append(f"<p>{esc(_WORDS[main]['empty'])}</p>")
    for year in sorted({e.year for e in reports}, reverse=True):
        parts.append(f"<h2>{esc(_WORDS[main]['year'])} {esc(_year_label(year, main))}</h2>")
        for lang in langs:
            here = [e for e in reports if e.year == year and e.lang == lang]
            if here:
                parts += _language_section(here, lang, link)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _language_section(entries: list[IndexEntry], lang: str, link) -> list[str]:
    words = _WORDS[lang]
    entries = sorted(entries, key=lambda e: (_ORDER.get(e.kind, 9), e.order, e.name))
    direction = "rtl" if lang == "fa" else "ltr"
    parts = [f'<section class="lang" lang="{lang}" dir="{direction}">']
    parts.append(f"<h3>{html_lib.escape(words['language'])}</h3><ul>")
    for entry in entries:
        if entry.kind == "publication":
            parts.append(f"<li>{link(entry.pdf, words['publication'])}</li>")
            continue
        pdf = link(entry.pdf, words["pdf"], "pdf")
        parts.append(f"<li>{link(entry.html, entry.name)}{pdf}</li>")
    parts.append("</ul></section>")
    return parts
