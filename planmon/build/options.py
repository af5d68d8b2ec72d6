"""The options of a build, and their checks (before anything is read or written).

:class:`BuildOptions` holds what a caller may choose; :meth:`BuildOptions.checked` turns it into
a :class:`CheckedOptions` with every value normalised, or raises a
:class:`~planmon.core.exceptions.ParameterError` naming the fix.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planmon.content.parameters import LANGUAGES, PARAMETERS
from planmon.core import config
from planmon.core.exceptions import ParameterError

__all__ = ["FORMATS", "EXECUTORS", "KERNELS", "BuildOptions", "CheckedOptions", "split_words"]

#: Output formats; HTML is always written (the index and the publication are made from it).
FORMATS: tuple[str, ...] = ("html", "pdf")
#: Where jobs run: a local process pool, or a dask.distributed cluster.
EXECUTORS: tuple[str, ...] = ("local", "dask")
#: Kernel choice: forked from the zygote where possible ("auto"), always ("zygote") or never.
KERNELS: tuple[str, ...] = ("auto", "shell", "zygote", "plain")

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class BuildOptions:
    """What to build, where, and how.

    Attributes
    ----------
    years : iterable of int, optional
        Report years to build (default: every report year).
    dept_ids : iterable of str, optional
        Build only these departments' reports. Plan-wide reports (overview, district
        comparison, publication) are built only when no department is selected.
    langs : iterable of {"fa", "en"}
        Report languages (``"fa,en"`` is accepted too).
    formats : iterable of {"html", "pdf"}
        ``pdf`` adds a PDF beside every HTML report and the yearly publication. HTML is
        always written.
    jobs : int, optional
        Notebooks run at the same time (default: the number of usable cores).
    force : bool
        Rebuild everything, even outputs that are up to date.
    executor : {"local", "dask"}
        A local process pool, or the dask.distributed scheduler at ``scheduler`` (the
        workers must see the plan, notebooks and reports folders at the same paths).
    scheduler : str, optional
        Address of the dask scheduler (``tcp://host:8786``); needed with ``executor="dask"``.
    output_dir : path, optional
        Reports folder (default :data:`planmon.core.config.REPORTS`). It may not lie inside
        the plan folder.
    notebooks_dir : path, optional
        Folder of the report notebooks (default :data:`planmon.core.config.NOTEBOOKS`).
    scores_dir : path, optional
        Where the scores file goes (default ``data/processed/scores``).
    parameters : mapping, optional
        Extra notebook parameters for every report; each must be declared in the notebooks.
    lock_timeout : float or None
        Seconds to wait for another build on the same reports folder to finish; 0 (default)
        fails at once, None waits for ever.
    kernel : {"auto", "shell", "zygote", "plain"}
        Where a notebook's cells run: "shell", an IPython shell forked from a pre-imported
        zygote, no kernel (:mod:`planmon.execution.engine`); "zygote", a kernel forked from
        it; "plain", a stock IPython kernel per notebook. "auto" is "shell" where the zygote
        works (Linux), else "plain". Dask workers use "plain".
    timeout : float or None
        Seconds one notebook cell may run before the job fails.
    dashboard : bool
        The caller writes the dashboard into the reports folder when the build ends
        (``planmon build --dashboard``): the reports link to it from the start, so a later
        build does not rebuild them all only because the dashboard appeared.
    """

    years: Iterable[int] | None = None
    dept_ids: Iterable[str] | None = None
    langs: Iterable[str] = ("fa",)
    formats: Iterable[str] = FORMATS
    jobs: int | None = None
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    output_dir: PathLike | None = None
    notebooks_dir: PathLike | None = None
    scores_dir: PathLike | None = None
    parameters: Mapping[str, Any] | None = None
    lock_timeout: float | None = 0.0
    kernel: str = "auto"
    timeout: float | None = 600.0
    dashboard: bool = False

    def replace(self, **changes: Any) -> BuildOptions:
        """A copy with ``changes``; an unknown option name is a :class:`ParameterError`."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ParameterError(
                f"unknown build option {', '.join(unknown)}; options: {', '.join(sorted(known))}"
            )
        return dataclasses.replace(self, **changes)

    def checked(self) -> CheckedOptions:
        """The options normalised and checked.

        Raises
        ------
        ParameterError
            An unknown language, format, executor or kernel, a bad job count or timeout, a
            missing scheduler, or a parameter the build sets itself.
        """
        langs = tuple(dict.fromkeys(split_words(self.langs)))
        bad = [lang for lang in langs if lang not in LANGUAGES]
        if bad or not langs:
            raise ParameterError(
                f"unknown report language {', '.join(bad) or '(none)'}; use fa and/or en"
            )
        formats = tuple(dict.fromkeys(split_words(self.formats)))
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ParameterError(
                f"unknown output format {', '.join(bad) or '(none)'}; use html and/or pdf"
            )
        jobs = _usable_cores() if self.jobs is None else self.jobs
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise ParameterError(f"jobs must be a whole number of at least 1, got {jobs!r}")
        self._check_runner()
        extra = dict(self.parameters or {})
        fixed = [name for name in PARAMETERS if name in extra]
        if fixed:
            raise ParameterError(
                f"parameter {fixed[0]!r} is set by the build for each "
                "report; choose plans, years, departments and languages with their own options"
            )
        timeout = self.timeout
        if timeout is not None and not timeout > 0:
            raise ParameterError(f"timeout must be a positive number of seconds, got {timeout!r}")
        return CheckedOptions(
            langs=langs,
            pdf="pdf" in formats,
            jobs=jobs,
            force=bool(self.force),
            executor=self.executor,
            scheduler=self.scheduler,
            kernel=self.kernel,
            dashboard=bool(self.dashboard),
            parameters=extra,
            timeout=timeout,
            lock_timeout=self.lock_timeout,
            years=None if self.years is None else tuple(sorted({int(y) for y in self.years})),
            dept_ids=None if self.dept_ids is None else tuple(split_words(self.dept_ids)),
            output_dir=Path(self.output_dir or config.REPORTS).resolve(),
            notebooks_dir=Path(self.notebooks_dir or config.NOTEBOOKS).resolve(),
            scores_dir=Path(self.scores_dir) if self.scores_dir else None,
        )

    def _check_runner(self) -> None:
        if self.executor not in EXECUTORS:
            raise ParameterError(f"unknown executor {self.executor!r}; use local or dask")
        if self.executor == "dask" and not self.scheduler:
            raise ParameterError(
                "the dask executor needs the scheduler's address, e.g. "
                "--scheduler tcp://127.0.0.1:8786"
            )
        if self.kernel not in KERNELS:
            raise ParameterError(f"unknown kernel {self.kernel!r}; use one of {', '.join(KERNELS)}")


@dataclass(frozen=True)
class CheckedOptions:
    """:class:`BuildOptions` after :meth:`BuildOptions.checked`: normalised, valid, picklable."""

    langs: tuple[str, ...]
    pdf: bool
    jobs: int
    executor: str
    scheduler: str | None
    kernel: str
    dashboard: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    force: bool = False
    lock_timeout: float | None = 0.0
    years: tuple[int, ...] | None = None
    dept_ids: tuple[str, ...] | None = None
    output_dir: Path = Path("reports")
    notebooks_dir: Path = Path("notebooks")
    #: None: the plan's own score cache (:func:`planmon.core.config.cache_dir_for`)
    scores_dir: Path | None = None


def split_words(values: Iterable[str] | str) -> list[str]:
    """Accept ``["fa", "en"]`` as well as the CLI's ``"fa,en"``."""
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
