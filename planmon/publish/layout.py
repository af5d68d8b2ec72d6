"""Where every output of a build lives: the one definition of the reports folder's layout.

``planmon build`` writes this tree, ``index.html`` links into it and the dashboard links to the
department reports by :data:`REPORT_LINK_PATTERN`::

    reports/
      index.html                         links to everything below (works from file://)
      dashboard/                         written by ``planmon dashboard``
      <year>/
        publication.<lang>.pdf           the yearly publication
        <lang>/
          overview.html  overview.pdf    plan_overview
          districts.html districts.pdf   district_comparison
          <dept_id>.html <dept_id>.pdf   department_report
        notebooks/
          department_report.<dept_id>.<lang>.ipynb
          plan_overview.<lang>.ipynb
          district_comparison.<lang>.ipynb
      .manifest.json                     what the build wrote, and from which inputs
      .build.lock  .build.log            the lock; kernels' and workers' stderr

The precomputed scores go elsewhere (``data/processed/scores/<fingerprint>.parquet``,
:func:`scores_path`): they are an input of the reports, not a report.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from planmon.core.locale import LANGS as LANGUAGES

__all__ = [
    "REPORT_LINK_PATTERN",
    "PUBLICATION_LINK_PATTERN",
    "SITE_INDEX",
    "RESERVED_STEMS",
    "DASHBOARD_INDEX",
    "OutputLayout",
    "scores_path",
]

#: Where a department's report lives, relative to the reports root. ``{ext}`` is ``html`` or
#: ``pdf``; the dashboard fills ``{year}`` and ``{lang}`` from the year and language the reader
#: has chosen.
REPORT_LINK_PATTERN = "{year}/{lang}/{dept_id}.{ext}"

#: Where the yearly publication lives, relative to the reports root.
PUBLICATION_LINK_PATTERN = "{year}/publication.{lang}.pdf"

#: The site index ``planmon build`` writes, relative to the reports root.
SITE_INDEX = "index.html"

#: File stems of the plan-wide reports: a department may not be called so.
RESERVED_STEMS: frozenset[str] = frozenset({"overview", "districts"})

#: The dashboard's page, relative to the reports root.
DASHBOARD_INDEX = "dashboard/index.html"


@dataclass(frozen=True)
class OutputLayout:
    """The paths of one reports folder.

    Parameters
    ----------
    root : Path
        The reports folder (``reports/`` by default, ``--out`` on the command line).
    """

    root: Path

    @property
    def index(self) -> Path:
        """``index.html``, linking every report."""
        return self.root / SITE_INDEX

    @property
    def manifest(self) -> Path:
        """``.manifest.json``: what the build wrote, and from which inputs."""
        return self.root / ".manifest.json"

    @property
    def lock(self) -> Path:
        """``.build.lock``: one build at a time."""
        return self.root / ".build.lock"

    @property
    def lock_owner(self) -> Path:
        """``.build.lock.owner``: which process holds the lock, for the message to the next."""
        return self.root / ".build.lock.owner"

    @property
    def log(self) -> Path:
        """``.build.log``: the stderr of the pool workers and kernels."""
        return self.root / ".build.log"

    def year_dir(self, year: int) -> Path:
        """``<year>/``."""
        return self.root / str(year)

    def lang_dir(self, year: int, lang: str) -> Path:
        """``<year>/<lang>/``: that year's reports in that language."""
        return self.year_dir(year) / lang

    def notebooks_dir(self, year: int) -> Path:
        """``<year>/notebooks/``: the executed notebooks (kept with their tracebacks)."""
        return self.year_dir(year) / "notebooks"

    def report(self, year: int, lang: str, stem: str, ext: str) -> Path:
        """A report file: ``<year>/<lang>/<stem>.<ext>`` (stem: a department id or a kind)."""
        return self.lang_dir(year, lang) / f"{stem}.{ext}"

    def department_report(self, year: int, lang: str, dept_id: str, ext: str) -> Path:
        """A department's report, at :data:`REPORT_LINK_PATTERN` under the root."""
        relative = REPORT_LINK_PATTERN.format(year=year, lang=lang, dept_id=dept_id, ext=ext)
        return self.root / relative

    def executed_notebook(self, year: int, notebook: str, lang: str, dept_id: str = "") -> Path:
        """``<year>/notebooks/<notebook>[.<dept_id>].<lang>.ipynb``."""
        suffix = f".{dept_id}" if dept_id else ""
        return self.notebooks_dir(year) / f"{notebook}{suffix}.{lang}.ipynb"

    def publication(self, year: int, lang: str) -> Path:
        """``<year>/publication.<lang>.pdf``."""
        return self.root / PUBLICATION_LINK_PATTERN.format(year=year, lang=lang)

    def existing_folders(self) -> list[Path]:
        """The layout's folders that exist: the root, ``<year>/``, its languages and notebooks.

        Not ``dashboard/`` or any other folder the build does not write into.
        """
        folders = [self.root]
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.root):
                if entry.name.isdigit() and entry.is_dir(follow_symlinks=False):
                    year = int(entry.name)
                    folders += [self.year_dir(year), self.notebooks_dir(year)]
                    folders += [self.lang_dir(year, lang) for lang in LANGUAGES]
        return [f for f in folders if f.is_dir()]

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, with ``/`` (as the manifest and links use it)."""
        return path.relative_to(self.root).as_posix()


def scores_path(scores_dir: Path, fingerprint: str) -> Path:
    """The precomputed scores of the plan with ``fingerprint``: ``<scores_dir>/<fp>.parquet``."""
    return scores_dir / f"{fingerprint}.parquet"
