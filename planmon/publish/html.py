"""Executed report notebooks as self-contained, offline HTML.

:func:`notebook_to_html` runs nbconvert's ``HTMLExporter`` in-process with planmon's lean
template (``planmon/publish/templates/report.html.j2``): no code cells, no prompts, no
JavaScript, images embedded as data URIs, a right-to-left layout for Persian. The result opens
offline. :func:`scrub_html` makes any HTML inert in the same way (the publication uses it too).

Text planmon inserts itself (titles, plan and department names, which come from user files) is
always HTML-escaped.
"""

from __future__ import annotations

import functools
import html as _html
import re
import threading
import urllib.parse
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.content.parameters import LANGUAGES
from planmon.core.exceptions import PlanmonError
from planmon.core.vocabulary import word

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "nav_html",
    "notebook_to_html",
    "report_body",
    "scrub_html",
    "is_planmon_report",
    "check_lang",
    "direction",
    "report_css",
    "templates_dir",
]

_TEMPLATE = "report.html.j2"
_BODY_START = "<!-- planmon:body:start -->"
_BODY_END = "<!-- planmon:body:end -->"

# --- words: a marked table until the lead moves them into core/vocabulary.py -----------------
_WORDS: dict[str, dict[str, str]] = {
    "fa": {"image_alt": "نمودار"},
    "en": {"image_alt": "Chart"},
}
# ----------------------------------------------------------------------------------------------

# Cell tags notebook authors can use to keep helper cells or their outputs out of the report
# (the names Jupyter Book and nbconvert users already know).
_REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
_REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise :class:`PlanmonError`."""
    if lang not in LANGUAGES:
        raise PlanmonError(f"unknown report language {lang!r}; expected one of {LANGUAGES}")
    return lang


def direction(lang: str) -> str:
    """``"rtl"`` for Persian, ``"ltr"`` otherwise."""
    return "rtl" if lang == "fa" else "ltr"


def templates_dir() -> Path:
    """The folder of planmon's report templates and stylesheet."""
    return Path(str(importlib_resources.files("planmon.publish") / "templates"))


@functools.cache
def _stylesheet() -> str:
    return (templates_dir() / "report.css").read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_number_css(lang: str, style: str) -> str:
    """The footer's "page N of M" (:func:`planmon.core.vocabulary.word` ``page_of``) as CSS
    content: the words as strings, the numbers as the page counters in ``style``."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", word("page_of", lang)):
        if piece == "{page}":
            parts.append(f"counter(page, {style})")
        elif piece == "{pages}":
            parts.append(f"counter(pages, {style})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def _page_css(lang: str, *, running_header: bool) -> str:
    """``@page`` rules: A4, margins and numbered pages (Persian digits for Persian): the
    footer names the report (its ``<h1>``) and says "page N of M" of that report."""
    style = "persian" if lang == "fa" else "decimal"
    header = (
        "@top-center { content: string(chapter); font-size: 8pt; color: #5f5f5f; }"
        if running_header
        else ""
    )
    # a chapter bound into the publication keeps its footer: "title – page N of M" reads as
    # the chapter's own numbering, never as a second, conflicting publication page number
    footer = f'string(report-title) "  –  " {_page_number_css(lang, style)}'
    return (
        "@page { size: A4; margin: 18mm 16mm 20mm 16mm; "
        f"@bottom-center {{ content: {footer}; font-size: 8.5pt; color: #5f5f5f; }} "
        f"{header} }}\n"
        "@page cover { @top-center { content: none; } @bottom-center { content: none; } }\n"
    )


def report_css(lang: str, *, running_header: bool = False) -> str:
    """The reports' stylesheet with the page rules for ``lang`` (and a running header)."""
    return _stylesheet() + "\n" + _page_css(lang, running_header=running_header)


_exporter_lock = threading.Lock()


@functools.cache
def _exporter() -> Any:
    """One configured HTMLExporter per process: building it costs more than a conversion."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = _REMOVE_CELL_TAGS
    config.TagRemovePreprocessor.remove_all_outputs_tags = _REMOVE_OUTPUT_TAGS
    exporter = HTMLExporter(
        config=config,
        # "base" has no conf.json, so none of the lab/classic preprocessors (pygments CSS,
        # theme CSS) run; the template extends classic's cell markup by path.
        template_name="base",
        template_file=str(templates_dir() / _TEMPLATE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    return exporter


_URL_ATTRIBUTES = ("src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href")
_REMOTE = re.compile(r"^\s*(?:https?:|ftp:|file:|//)", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript):", re.IGNORECASE)
_CSS_REMOTE = re.compile(
    r"@import[^;]*;|url\(\s*['\"]?\s*(?:https?:|ftp:|file:|//)[^)]*\)", re.IGNORECASE
)


# A table cell holding one number: optional sign, digits (\d also matches Persian digits),
# Latin or Persian separators, optional percent sign; or pandas' marks for a missing number.
_NUMBER = re.compile(
    r"^\s*(?:[-+\u2212]?[\d.,\u066b\u066c]*\d[\d.,\u066b\u066c]*\s*[%\u066a]?|NaN|nan|<NA>|–)\s*$"
)


def scrub_html(html: str) -> str:
    """Strip what would run code or fetch from elsewhere, so the page is inert and offline.

    Scripts, ``<link>``, frames and embeds go; event-handler attributes and ``javascript:``
    URLs go; remote ``src``-like attributes and CSS ``url()``/``@import`` go. Ordinary
    hyperlinks (``<a href="https://…">``) stay: they fetch nothing until clicked.

    Also marks table cells that hold a bare number ``dir="ltr" class="num"`` (see report.css).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    # Frames go too, even nbconvert's data: iframes for "isolated" outputs: they may hold scripts.
    for element in soup.find_all(["script", "link", "iframe", "frame", "object", "embed", "base"]):
        element.decompose()
    for element in soup.find_all(True):
        for attribute in list(element.attrs):
            value = element.attrs[attribute]
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on") or _SCRIPT_URL.match(text):
                del element.attrs[attribute]
            elif attribute.lower() in _URL_ATTRIBUTES and _REMOTE.match(text):
                if not (element.name == "a" and attribute.lower() == "href"):
                    del element.attrs[attribute]
            elif attribute.lower() == "style" and _CSS_REMOTE.search(text):
                element.attrs[attribute] = _CSS_REMOTE.sub("none", text)
    # An image whose only source was remote shows nothing offline; drop the empty frame.
    for image in soup.find_all("img"):
        if not image.get("src"):
            image.decompose()
    for cell in soup.find_all(["td", "th"]):
        if _NUMBER.match(cell.get_text()):
            cell["dir"] = "ltr"
            cell["class"] = [*cell.get("class", []), "num"]
    for style in soup.find_all("style"):
        if style.string and _CSS_REMOTE.search(style.string):
            style.string = _CSS_REMOTE.sub("none", style.string)
    return str(soup)


def notebook_to_html(
    nb: nbformat.NotebookNode,
    *,
    lang: str,
    title: str,
    show_stderr: bool = False,
    nav: tuple[tuple[str, str], ...] = (),
) -> str:
    """Render an executed notebook as one self-contained, offline HTML report.

    Code cells show only their outputs (no input, no prompts). Cells tagged ``remove-cell`` are
    left out, and so are the outputs of cells tagged ``remove-output``. Images become data URIs;
    scripts, remote resources and JavaScript outputs are dropped; styles are inline.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (nbformat 4).
    lang : {"fa", "en"}
        Report language: sets ``<html lang dir>`` (``rtl`` for Persian) and the font stack.
    title : str
        Document title (escaped).
    show_stderr : bool
        Keep cells' stderr output (warnings). Off by default: readers are not programmers.
    nav : tuple of (label, href)
        Links shown above the report (screen only; hidden in print and left out of the
        publication's chapters): :func:`nav_html`.

    Returns
    -------
    str
        The HTML document.
    """
    check_lang(lang)
    resources = {
        "planmon": {
            "lang": lang,
            "dir": direction(lang),
            "title": title,
            "css": report_css(lang),
            "image_alt": _WORDS[lang]["image_alt"],
            "show_stderr": show_stderr,
            "nav": nav_html(nav, lang),
        }
    }
    exporter = _exporter()
    with _exporter_lock:
        html, _ = exporter.from_notebook_node(nb, resources=resources)
    return scrub_html(html)


def nav_html(links: tuple[tuple[str, str], ...], lang: str) -> str:
    """The navigation block: each (label, relative href) as a link, escaped; "" for none."""
    if not links:
        return ""
    items = " · ".join(
        f'<a href="{_html.escape(urllib.parse.quote(href), quote=True)}">{_html.escape(label)}</a>'
        for label, href in links
    )
    label = _html.escape(word("nav_label", lang))
    return f'<nav class="planmon-nav" aria-label="{label}">{items}</nav>'


def is_planmon_report(html: str) -> bool:
    """True for a report :func:`notebook_to_html` made (it marks where the body starts)."""
    return _BODY_START in html


def report_body(html: str) -> str:
    """Return the content of a report made by :func:`notebook_to_html` (no ``<html>`` shell).

    Other HTML is reduced to the inside of its ``<body>``; a fragment is returned unchanged.
    """
    start, end = html.find(_BODY_START), html.rfind(_BODY_END)
    if start != -1 and end > start:
        return html[start + len(_BODY_START) : end].strip()
    match = re.search(r"<body[^>]*>(.*)</body>", html, flags=re.DOTALL | re.IGNORECASE)
    return match.group(1).strip() if match else html
