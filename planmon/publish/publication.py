"""The yearly publication: a cover, contents with page numbers, then one chapter per report.

:func:`publication_html` assembles the chapters into one HTML document; :func:`merge_publication`
prints it (:func:`planmon.publish.pdf.html_to_pdf`). Chapter titles, plan and department names
come from user files and are always escaped; chapter bodies are rendered reports and are made
inert (:func:`planmon.publish.html.scrub_html`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planmon.core.exceptions import PlanmonError
from planmon.core.locale import format_year
from planmon.publish.html import (
    check_lang,
    direction,
    report_body,
    report_css,
    scrub_html,
    templates_dir,
)
from planmon.publish.pdf import html_to_pdf

__all__ = [
    "Section",
    "Cover",
    "publication_html",
    "merge_publication",
    "front_matter_html",
    "assemble_publication",
]

_PUBLICATION_TEMPLATE = "publication.html.j2"
_FRONT_TEMPLATE = "publication_front.html.j2"

# --- words: a marked table until the lead moves them into core/vocabulary.py -----------------
_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "year_report": "گزارش پایش سال",
        "contents": "فهرست مطالب",
        "language": "زبان گزارش: فارسی",
    },
    "en": {
        "year_report": "Monitoring report for",
        "contents": "Contents",
        "language": "Report language: English",
    },
}
# ----------------------------------------------------------------------------------------------

# The opening tag of a first-level heading (not "<h1x", not text that mentions one).
_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)


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
    show_title : bool or None
        Print ``title`` as the chapter heading. ``None``: only when the body has no
        first-level heading of its own (what ``planmon build`` asks for every report).
    """

    title: str
    body_html: str
    show_title: bool | None = True

    def shows_title(self, body: str) -> bool:
        """Whether the chapter prints its title above ``body`` (its report body)."""
        if self.show_title is None:
            return _H1.search(body) is None
        return self.show_title


@functools.cache
def _publication_template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
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

    check_lang(lang)
    chapters = []
    for number, item in enumerate(sections, start=1):
        section = item if isinstance(item, Section) else Section(*item)
        body = report_body(section.body_html)
        chapters.append(
            {
                "anchor": f"planmon-section-{number}",
                "title": section.title,
                "show_title": section.shows_title(body),
                # Bodies are rendered reports: markup, not text (scrubbed below).
                "body": Markup(_prefix_ids(body, f"s{number}-")),
            }
        )
    year_label = format_year(year, lang)
    html = _publication_template().render(
        lang=lang,
        dir=direction(lang),
        css=Markup(report_css(lang, running_header=True)),
        plan_name=plan_name,
        year_label=year_label,
        subtitle=subtitle,
        words=_WORDS[lang],
        sections=chapters,
    )
    # Bodies passed as fragments have not been through notebook_to_html; make them inert too.
    return scrub_html(html)


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


@dataclass(frozen=True)
class Cover:
    """What the publication's cover says besides the plan's name and the year.

    Attributes
    ----------
    subtitle : str
        A second line (the city); "" for none.
    issuer : str
        The issuing office (plan setting ``issuer_<lang>``); "" for none.
    issue_date : str
        The date of issue as written in the plan settings (``issue_date``); "" for none.
    provisional : bool
        The year's plan roll-up is provisional: the cover carries a banner saying so.
    """

    subtitle: str = ""
    issuer: str = ""
    issue_date: str = ""
    provisional: bool = False


@functools.cache
def _front_template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template(_FRONT_TEMPLATE)


def front_matter_html(
    entries: Sequence[tuple[str, int]],
    *,
    plan_name: str,
    year: int | str,
    lang: str,
    cover: Cover = Cover(),
) -> str:
    """The cover and the contents alone, each entry with its (given) page number.

    Parameters
    ----------
    entries : sequence of (title, page)
        The chapters' titles (plain text, escaped) and the publication page each starts on.
    plan_name, year, lang
        As for :func:`publication_html`.
    cover : Cover
        Subtitle, issuing office, date of issue and the provisional banner.

    Returns
    -------
    str
        A self-contained HTML document (no chapter bodies).
    """
    from markupsafe import Markup

    from planmon.core.locale import localise_digits
    from planmon.core.vocabulary import word

    check_lang(lang)
    issuer = word("issued_by", lang, issuer=cover.issuer) if cover.issuer else ""
    issue_date = (
        word("issue_date", lang, date=localise_digits(cover.issue_date, lang))
        if cover.issue_date
        else ""
    )
    return _front_template().render(
        lang=lang,
        dir=direction(lang),
        css=Markup(report_css(lang, running_header=False)),
        plan_name=plan_name,
        year_label=format_year(year, lang),
        subtitle=cover.subtitle,
        issuer=issuer,
        issue_date=issue_date,
        provisional=word("provisional_banner", lang) if cover.provisional else "",
        words=_WORDS[lang],
        entries=[
            {"title": title, "page": localise_digits(str(page), lang)} for title, page in entries
        ],
    )


def _page_counts(paths: Sequence[Path]) -> list[int]:
    import pikepdf

    counts = []
    for path in paths:
        with pikepdf.open(path) as pdf:
            counts.append(len(pdf.pages))
    return counts


def _render_front(
    titles: Sequence[str],
    counts: Sequence[int],
    workdir: Path,
    **front: Any,
) -> Path:
    """Render cover + contents until the page numbers agree with the front matter's length."""
    front_pages = 2  # cover and a one-page contents: the usual case, checked below
    target = workdir / "front.pdf"
    for _ in range(4):
        starts, page = [], front_pages + 1
        for count in counts:
            starts.append(page)
            page += count
        html_to_pdf(front_matter_html(list(zip(titles, starts, strict=True)), **front), target)
        (rendered,) = _page_counts([target])
        if rendered == front_pages:
            return target
        front_pages = rendered
    raise PlanmonError(f"the publication's contents would not settle on a length ({target})")


def _chapter_bookmarks(chapter: Any, start: int) -> list[Any]:
    """The chapter PDF's own outline (its headings), pointing into the publication's pages."""
    from pikepdf import OutlineItem, Page

    def copy(items: Any) -> list[Any]:
        out = []
        for item in items:
            try:
                page = chapter.pages.index(Page(item.destination[0]))
            except (TypeError, IndexError, ValueError, AttributeError):
                continue  # no page destination: nothing to point at
            entry = OutlineItem(item.title, start + page)
            entry.children.extend(copy(item.children))
            out.append(entry)
        return out

    with chapter.open_outline() as outline:
        return copy(outline.root)


def assemble_publication(
    chapters: Sequence[tuple[str, str | os.PathLike[str]]],
    target: str | os.PathLike[str],
    *,
    plan_name: str,
    year: int | str,
    lang: str,
    cover: Cover = Cover(),
) -> Path:
    """Write the yearly publication from the chapters' PDFs, without re-rendering them.

    The chapters' pages are counted first; the cover and contents are then rendered alone
    (:func:`front_matter_html`) with the real page numbers, and everything is concatenated
    (pikepdf) with one outline entry per chapter and page labels: the front matter in
    lower-case roman numerals, the chapters in decimals continuing the publication's page
    count (the numbers the contents give).

    Parameters
    ----------
    chapters : sequence of (title, path)
        The chapters in order: their titles (plain text) and the PDFs the build made.
    target : path
        The PDF to write (atomically).
    plan_name, year, lang, cover
        As for :func:`front_matter_html`.

    Returns
    -------
    Path
        ``target``.
    """
    import tempfile

    import pikepdf
    from pikepdf import Dictionary, Name, OutlineItem

    from planmon.io.atomic import atomic_path
    from planmon.publish.pdf import check_pdf

    target = Path(target)
    titles = [title for title, _ in chapters]
    paths = [Path(path) for _, path in chapters]
    counts = _page_counts(paths)
    with tempfile.TemporaryDirectory(prefix="planmon-publication-") as workdir:
        front = _render_front(
            titles, counts, Path(workdir), plan_name=plan_name, year=year, lang=lang, cover=cover
        )
        with pikepdf.open(front) as out:
            n_front = len(out.pages)
            entries = []
            for title, path in zip(titles, paths, strict=True):
                start = len(out.pages)
                with pikepdf.open(path) as chapter:
                    entry = OutlineItem(title, start)
                    entry.children.extend(_chapter_bookmarks(chapter, start))
                    out.pages.extend(chapter.pages)
                entries.append(entry)
            with out.open_outline() as outline:
                # the front matter's own bookmarks (WeasyPrint's "Contents") give way to one
                # entry per chapter, holding the chapter's own headings
                outline.root[:] = entries
            labels = [0, Dictionary(S=Name.r)]
            if len(out.pages) > n_front:
                labels += [n_front, Dictionary(S=Name.D, St=n_front + 1)]
            out.Root.PageLabels = Dictionary(Nums=pikepdf.Array(labels))
            out.docinfo[Name.Title] = f"{plan_name} — {format_year(year, lang)}"
            with atomic_path(target, verify=check_pdf) as tmp:
                out.save(tmp)
    return target
