"""Turn executed report notebooks into self-contained HTML and print-ready PDF.

* :func:`notebook_to_html` — nbconvert's ``HTMLExporter`` in-process with planmon's lean
  template (``planmon/templates/report.html.j2``): no code cells, no prompts, no JavaScript,
  images embedded as data URIs, a right-to-left layout for Persian. The result opens offline.
* :func:`html_to_pdf` — WeasyPrint in-process (default) or headless Chromium (fallback), with
  every network and file fetch refused, written atomically.
* :func:`publication_html` / :func:`merge_publication` — the yearly publication: cover,
  contents with page numbers, then one chapter per report.

Text planmon inserts itself (titles, plan and department names, which come from user files) is
always HTML-escaped.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from persiantools.digits import en_to_fa

from planmon.core.exceptions import PlanmonError
from planmon.core.locale import LANGS
from planmon.io.atomic import atomic_path

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "ENGINES",
    "Section",
    "notebook_to_html",
    "report_body",
    "html_to_pdf",
    "html_to_pdf_chromium",
    "publication_html",
    "merge_publication",
]

#: PDF engines :func:`html_to_pdf` can use.
ENGINES: tuple[str, ...] = ("weasyprint", "chromium")

_LANGUAGES = LANGS
_TEMPLATE = "report.html.j2"
_PUBLICATION_TEMPLATE = "publication.html.j2"
_BODY_START = "<!-- planmon:body:start -->"
_BODY_END = "<!-- planmon:body:end -->"

_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "image_alt": "نمودار",
        "year_report": "گزارش پایش سال",
        "contents": "فهرست مطالب",
        "language": "زبان گزارش: فارسی",
    },
    "en": {
        "image_alt": "Chart",
        "year_report": "Monitoring report for",
        "contents": "Contents",
        "language": "Report language: English",
    },
}

# Cell tags notebook authors can use to keep helper cells or their outputs out of the report
# (the names Jupyter Book and nbconvert users already know).
_REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
_REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}


def _check_lang(lang: str) -> str:
    if lang not in _LANGUAGES:
        raise PlanmonError(f"unknown report language {lang!r}; expected one of {_LANGUAGES}")
    return lang


def _direction(lang: str) -> str:
    return "rtl" if lang == "fa" else "ltr"


def _templates_dir() -> Path:
    return Path(str(importlib_resources.files("planmon.publish") / "templates"))


@functools.cache
def _stylesheet() -> str:
    return (_templates_dir() / "report.css").read_text(encoding="utf-8")


def _page_css(lang: str, *, running_header: bool) -> str:
    """``@page`` rules: A4, margins and numbered pages (Persian digits for Persian)."""
    style = "persian" if lang == "fa" else "decimal"
    header = (
        "@top-center { content: string(chapter); font-size: 8pt; color: #5f5f5f; }"
        if running_header
        else ""
    )
    return (
        "@page { size: A4; margin: 18mm 16mm 20mm 16mm; "
        f"@bottom-center {{ content: counter(page, {style}); font-size: 8.5pt; color: #5f5f5f; }} "
        f"{header} }}\n"
        "@page cover { @top-center { content: none; } @bottom-center { content: none; } }\n"
    )


def _css(lang: str, *, running_header: bool = False) -> str:
    return _stylesheet() + "\n" + _page_css(lang, running_header=running_header)


# --------------------------------------------------------------------------------------------
# Notebook → HTML
# --------------------------------------------------------------------------------------------

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
        template_file=str(_templates_dir() / _TEMPLATE),
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


def _scrub_html(html: str) -> str:
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

    Returns
    -------
    str
        The HTML document.
    """
    _check_lang(lang)
    resources = {
        "planmon": {
            "lang": lang,
            "dir": _direction(lang),
            "title": title,
            "css": _css(lang),
            "image_alt": _WORDS[lang]["image_alt"],
            "show_stderr": show_stderr,
        }
    }
    exporter = _exporter()
    with _exporter_lock:
        html, _ = exporter.from_notebook_node(nb, resources=resources)
    return _scrub_html(html)


def report_body(html: str) -> str:
    """Return the content of a report made by :func:`notebook_to_html` (no ``<html>`` shell).

    Other HTML is reduced to the inside of its ``<body>``; a fragment is returned unchanged.
    """
    start, end = html.find(_BODY_START), html.rfind(_BODY_END)
    if start != -1 and end > start:
        return html[start + len(_BODY_START) : end].strip()
    match = re.search(r"<body[^>]*>(.*)</body>", html, flags=re.DOTALL | re.IGNORECASE)
    return match.group(1).strip() if match else html


# --------------------------------------------------------------------------------------------
# HTML → PDF
# --------------------------------------------------------------------------------------------


def html_to_pdf(html: str, target: str | os.PathLike[str], *, engine: str = "weasyprint") -> Path:
    """Print ``html`` to an A4 PDF at ``target`` (atomically: never a half-written file).

    Parameters
    ----------
    html : str
        A complete, self-contained HTML document (as from :func:`notebook_to_html` or
        :func:`publication_html`).
    target : path
        Where to write the PDF; parent folders are created.
    engine : {"weasyprint", "chromium"}
        WeasyPrint runs in-process (about 0.2 s for a five-page report, after a 0.4 s import)
        and is the default. Chromium is a fallback for layouts WeasyPrint cannot do; it does
        not fill in contents page numbers.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    PlanmonError
        Unknown engine, or the engine failed.
    """
    if engine == "weasyprint":
        return _html_to_pdf_weasyprint(html, target)
    if engine == "chromium":
        return html_to_pdf_chromium(html, target)
    raise PlanmonError(f"unknown PDF engine {engine!r}; expected one of {ENGINES}")


@functools.cache
def _offline_fetcher() -> Any:
    from weasyprint import URLFetcher

    # Only data: URIs (embedded images) may be read; http(s), file and the rest are refused,
    # so rendering never touches the network or the disk beyond the fonts.
    return URLFetcher(allowed_protocols={"data"})


def _html_to_pdf_weasyprint(html: str, target: str | os.PathLike[str]) -> Path:
    import weasyprint

    target = Path(target)
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_offline_fetcher())
        with atomic_path(target) as tmp:
            document.write_pdf(tmp)
    except PlanmonError:
        raise
    except Exception as exc:  # WeasyPrint raises many types; the reader needs which file failed.
        raise PlanmonError(f"could not render the PDF {target}: {exc}") from exc
    return target


_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _find_chromium() -> str:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PlanmonError(
        "Chromium was not found (looked for /usr/bin/chromium and "
        f"{', '.join(_CHROMIUM_NAMES)} on PATH); install it or use engine='weasyprint'"
    )


def html_to_pdf_chromium(
    html: str,
    target: str | os.PathLike[str],
    *,
    executable: str | None = None,
    timeout: float = 120.0,
) -> Path:
    """Print ``html`` to PDF with headless Chromium (``--print-to-pdf``), atomically.

    The fallback engine: about 1–1.4 s per file against WeasyPrint's 0.2 s. Chromium runs with
    a throw-away profile and with background networking, component updates and sync off;
    the HTML is self-contained, so nothing is fetched. CSS ``target-counter()`` is not
    supported, so a publication's contents list has no page numbers.

    Parameters
    ----------
    html : str
        A complete, self-contained HTML document.
    target : path
        Where to write the PDF.
    executable : str, optional
        Chromium binary; default ``/usr/bin/chromium`` or the first Chromium/Chrome on PATH.
    timeout : float
        Seconds before Chromium (and its child processes) are killed.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    PlanmonError
        Chromium is missing, failed, timed out or wrote no PDF.
    """
    binary = executable or _find_chromium()
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="planmon-chromium-") as workdir:
        page = Path(workdir) / "report.html"
        page.write_text(html, encoding="utf-8")
        with atomic_path(target) as tmp:
            command = [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={Path(workdir) / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                page.as_uri(),
            ]
            _run_chromium(command, timeout=timeout, target=target)
            with open(tmp, "rb") as handle:
                if handle.read(5) != b"%PDF-":
                    raise PlanmonError(f"Chromium wrote no PDF for {target}")
    return target


def _run_chromium(command: list[str], *, timeout: float, target: Path) -> None:
    try:
        # A session of its own, so a timeout can end Chromium's helper processes with it.
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise PlanmonError(f"could not start Chromium ({command[0]}): {exc}") from exc
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PlanmonError(f"Chromium took longer than {timeout:g} s to print {target}") from exc
    if process.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise PlanmonError(
            f"Chromium failed (exit {process.returncode}) printing {target}: " + " | ".join(tail)
        )


# --------------------------------------------------------------------------------------------
# Yearly publication
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One chapter of the publication.

    Attributes
    ----------
    title : str
        Chapter title for the contents, the running header and (if ``show_title``) the
        chapter's first heading. Plain text; it is escaped.
    body_html : str
        Rendered report HTML — a full document from :func:`notebook_to_html` or a fragment.
        Inserted as markup (not escaped); scripts and remote references are still removed.
    show_title : bool
        Print ``title`` as the chapter heading; turn off when the body starts with its own.
    """

    title: str
    body_html: str
    show_title: bool = True


@functools.cache
def _publication_template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template(_PUBLICATION_TEMPLATE)


_ID_ATTRIBUTE = re.compile(r"""(\sid\s*=\s*["'])([^"']+)(["'])""")
_FRAGMENT_LINK = re.compile(r"""(\shref\s*=\s*["']#)([^"']+)(["'])""")


def _prefix_ids(body: str, prefix: str) -> str:
    """Make a chapter's element ids (and links to them) unique within the publication.

    Reports share headings ("Summary") and so heading ids; repeated ids would send contents
    links and PDF bookmarks to the wrong chapter.
    """
    body = _ID_ATTRIBUTE.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", body)
    return _FRAGMENT_LINK.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", body)


def publication_html(
    sections: Iterable[Section | tuple[str, str]],
    *,
    plan_name: str,
    year: int | str,
    lang: str,
    subtitle: str | None = None,
) -> str:
    """Build the yearly publication as one HTML document, ready for :func:`html_to_pdf`.

    A cover page (plan name, year, language), a contents page whose entries carry page
    numbers (WeasyPrint fills them with ``target-counter``), then each section starting on a
    new page, with numbered pages and the chapter title as running header.

    Parameters
    ----------
    sections : iterable of Section or (title, body_html)
        The chapters in order, e.g. the overview and then every department's report.
    plan_name : str
        Shown on the cover and as the document title.
    year : int or str
        The report year (shown in Persian digits for Persian).
    lang : {"fa", "en"}
        Publication language.
    subtitle : str, optional
        A second cover line (e.g. the city).

    Returns
    -------
    str
        The HTML document. Titles and names are escaped; section bodies are inserted as they
        are, then scripts and remote references are removed as in :func:`notebook_to_html`.
    """
    from markupsafe import Markup

    _check_lang(lang)
    chapters = []
    for number, item in enumerate(sections, start=1):
        section = item if isinstance(item, Section) else Section(*item)
        chapters.append(
            {
                "anchor": f"planmon-section-{number}",
                "title": section.title,
                "show_title": section.show_title,
                # Bodies are rendered reports: markup, not text (scrubbed below).
                "body": Markup(_prefix_ids(report_body(section.body_html), f"s{number}-")),
            }
        )
    year_label = en_to_fa(str(year)) if lang == "fa" else str(year)
    html = _publication_template().render(
        lang=lang,
        dir=_direction(lang),
        css=Markup(_css(lang, running_header=True)),
        plan_name=plan_name,
        year_label=year_label,
        subtitle=subtitle,
        words=_WORDS[lang],
        sections=chapters,
    )
    # Bodies passed as fragments have not been through notebook_to_html; make them inert too.
    return _scrub_html(html)


def merge_publication(
    sections: Sequence[Section | tuple[str, str]],
    target: str | os.PathLike[str],
    *,
    plan_name: str,
    year: int | str,
    lang: str,
    subtitle: str | None = None,
    engine: str = "weasyprint",
) -> Path:
    """Write the yearly publication PDF: :func:`publication_html` then :func:`html_to_pdf`.

    Parameters
    ----------
    sections, plan_name, year, lang, subtitle
        As for :func:`publication_html`.
    target : path
        The PDF to write (atomically).
    engine : {"weasyprint", "chromium"}
        PDF engine; see :func:`html_to_pdf`.

    Returns
    -------
    Path
        ``target``.
    """
    html = publication_html(sections, plan_name=plan_name, year=year, lang=lang, subtitle=subtitle)
    return html_to_pdf(html, target, engine=engine)
