"""Building several plans (one city each) in one run: :func:`build_plans`.

Each plan is built into ``<out>/<plan folder name>/`` exactly as :func:`planmon.build.api.build`
builds one plan (its own lock, manifest, index and publication). With the dask executor the
plans are built at once, one client each on the same scheduler, so the cluster is handed every
city's jobs together and never idles between two cities; with the local pool they are built
one after another (each build already uses every core). A plan that cannot be loaded or built
is reported in its result and does not stop the others.

>>> results = build_plans(["data/raw/qazvin", "data/raw/zanjan"], BuildOptions(
...     output_dir="reports/national", executor="dask", scheduler="tcp://10.0.0.5:8786"))
... # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from planmon.build.api import BuildOptions, build
from planmon.build.jobs import BuildProgress, BuildResult, NullProgress
from planmon.core.exceptions import ParameterError, PlanmonError

__all__ = ["PlanBuild", "build_plans", "plan_output_dirs"]

#: Plans built at once with the dask executor (each holds a client and its plan in memory).
MAX_CONCURRENT_PLANS = 32


@dataclass
class PlanBuild:
    """One plan's outcome in :func:`build_plans`: its result, or the error that stopped it."""

    plan: Path
    output_dir: Path
    result: BuildResult | None = None
    error: PlanmonError | None = None

    @property
    def ok(self) -> bool:
        """Built, and no report failed."""
        return self.error is None and self.result is not None and self.result.ok


def plan_output_dirs(plans: Sequence[str | os.PathLike[str]], out: Path) -> dict[Path, Path]:
    """Plan folder → its reports folder ``out/<plan folder name>``.

    Raises
    ------
    ParameterError
        Two plans with the same folder name (their reports would share a folder).
    """
    dirs: dict[Path, Path] = {}
    seen: dict[str, Path] = {}
    for plan in map(Path, plans):
        name = plan.resolve().name
        if name in seen:
            raise ParameterError(
                f"plans {seen[name]} and {plan} have the same folder name {name!r}: their "
                f"reports would share {out / name}; rename one folder"
            )
        seen[name] = plan
        dirs[plan] = out / name
    return dirs


def build_plans(
    plans: Sequence[str | os.PathLike[str]],
    options: BuildOptions,
    *,
    progress: Callable[[Path], BuildProgress] | None = None,
) -> list[PlanBuild]:
    """Build every plan into ``options.output_dir/<plan folder name>/``.

    Parameters
    ----------
    plans : sequence of path
        Plan folders (one city each).
    options : BuildOptions
        As for :func:`~planmon.build.api.build`; ``output_dir`` is required (the parent of
        the plans' report folders).
    progress : callable, optional
        Plan folder → the progress receiver of its build (default: none).

    Returns
    -------
    list of PlanBuild
        In the order given.
    """
    if options.output_dir is None:
        raise ParameterError("several plans need an output folder (--out DIR): DIR/<plan>/")
    dirs = plan_output_dirs(plans, Path(options.output_dir))
    progress = progress or (lambda _plan: NullProgress())

    def one(plan: Path) -> PlanBuild:
        outcome = PlanBuild(plan, dirs[plan])
        try:
            outcome.result = build(
                plan, options.replace(output_dir=dirs[plan]), progress=progress(plan)
            )
        except PlanmonError as exc:
            outcome.error = exc
        return outcome

    if options.executor != "dask" or len(dirs) == 1:
        return [one(plan) for plan in dirs]
    with ThreadPoolExecutor(min(len(dirs), MAX_CONCURRENT_PLANS)) as pool:
        return list(pool.map(one, dirs))
