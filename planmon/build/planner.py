"""Which jobs a build has, what each one's outputs depend on, and which are already current.

* :func:`select` checks the years and departments asked for against the plan.
* :func:`plan_jobs` lays out every job (paths from :class:`~planmon.publish.layout.OutputLayout`)
  with an input hash: the report's own slice of the plan (a department's indicators, targets
  and actuals; the whole plan for the overview and publication; the districts for the
  comparison), the notebook file, the parameters (not the paths), planmon's version and
  source. The slices are hashed from the loaded frames: the report files themselves were
  hashed once, by :func:`planmon.load`, and are not read again.
* :func:`with_stages` compares the hashes with the manifest: what must run, what is current.
* :func:`prepare_notebooks` writes the scores once and checks every notebook's parameters,
  before the first kernel starts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.build.jobs import REPORT_KINDS, BuildProgress, Job
from planmon.build.manifest import Manifest, plan_name
from planmon.build.nav import with_navigation
from planmon.build.options import CheckedOptions
from planmon.build.stamp import code_digest
from planmon.core import config
from planmon.core.exceptions import BuildError, ParameterError
from planmon.io.atomic import atomic_path
from planmon.publish.layout import RESERVED_STEMS, OutputLayout, scores_path

if TYPE_CHECKING:
    import pandas as pd

    from planmon.plan.model import Plan

__all__ = ["Selection", "select", "plan_jobs", "with_stages", "prepare_notebooks"]

# --- words: a marked table until the lead moves them into core/vocabulary.py -----------------
_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "overview": "نمای کلی برنامه",
        "districts": "مقایسه مناطق",
        "publication": "نشریه سالانه (PDF)",
    },
    "en": {
        "overview": "Plan overview",
        "districts": "District comparison",
        "publication": "Yearly publication (PDF)",
    },
}
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The reports a build makes: these years and departments (and the plan-wide ones?)."""

    years: tuple[int, ...]
    dept_ids: tuple[str, ...]
    plan_wide: bool


def select(plan: Plan, options: CheckedOptions) -> Selection:
    """The years and departments of ``options``, checked against ``plan``.

    Raises
    ------
    ParameterError
        A year without reports, or a department the plan does not have.
    BuildError
        A department whose id would overwrite a plan-wide report.
    """
    known_years = plan.report_years
    years = tuple(known_years) if options.years is None else options.years
    unknown = [y for y in years if y not in known_years]
    if unknown:
        raise ParameterError(
            f"no reports for year {', '.join(map(str, unknown))} in {plan.path}; "
            f"report years: {', '.join(map(str, known_years)) or 'none'}"
        )
    known = plan.dept_ids
    depts = known
    if options.dept_ids is not None:
        wanted = set(options.dept_ids)
        missing = sorted(wanted - set(known))
        if missing:
            raise ParameterError(
                f"unknown department {', '.join(missing)}; departments of the plan: "
                + ", ".join(known)
            )
        depts = [d for d in known if d in wanted]
    clash = [d for d in depts if d.lower() in RESERVED_STEMS]
    if clash:
        raise BuildError(
            f"department id {clash[0]!r} would overwrite the {clash[0].lower()} report "
            f"(reports/<year>/<lang>/{clash[0].lower()}.html); rename the department"
        )
    return Selection(tuple(years), tuple(depts), plan_wide=options.dept_ids is None)


def _year_label(year: int, lang: str) -> str:
    from planmon.core.locale import format_year

    return format_year(year, lang)  # type: ignore[arg-type]


def plan_jobs(
    plan: Plan, selection: Selection, options: CheckedOptions, layout: OutputLayout
) -> list[Job]:
    """Every job of the build, year by year (so early publications can start early)."""
    digests = _Digests(plan)
    out: list[Job] = []
    for year in selection.years:
        for lang in options.langs:
            sections = []
            for spec in _report_specs(plan, selection, digests, lang, year):
                if spec.kind == "department" and spec.not_received:
                    job = _not_received_job(plan, spec, year, lang, options, layout, digests.code)
                else:
                    job = _notebook_job(plan, spec, year, lang, options, layout, digests.code)
                out.append(job)
                if job.kind in ("overview", "districts", "department"):
                    sections.append(job)
            if selection.plan_wide and options.pdf and sections:
                out.append(_publication_job(plan, sections, year, lang, layout, digests))
    return with_navigation(out, layout, plan.report_years, dashboard=options.dashboard)


@dataclass(frozen=True)
class _Spec:
    kind: str
    dept_id: str
    name: str
    data_digest: str
    weight: float  # about one unit per chart drawn
    not_received: bool = False  # no report for the year: a short page, no notebook


def _report_specs(
    plan: Plan, selection: Selection, digests: _Digests, lang: str, year: int
) -> list[_Spec]:
    import pandas as pd

    words = _WORDS[lang]
    specs = []
    if selection.plan_wide:
        specs.append(_Spec("overview", "", words["overview"], digests.plan, 6.0))
        kinds = plan.kinds()
        if any(kinds.get(d) == "district" for d in plan.dept_ids):
            specs.append(_Spec("districts", "", words["districts"], digests.districts, 2.0))
    departments = plan.departments.set_index("dept_id")
    n_indicators = plan.indicators["dept_id"].value_counts().to_dict()
    missing = set(plan.not_reported(year))
    for dept_id in selection.dept_ids:
        name = departments.loc[dept_id, f"name_{lang}"]
        name = str(name) if not pd.isna(name) and str(name).strip() else dept_id
        absent = dept_id in missing
        weight = 0.2 if absent else 2.0 + float(n_indicators.get(dept_id, 0))
        digest = digests.department(dept_id)
        specs.append(_Spec("department", dept_id, name, digest, weight, not_received=absent))
    return specs


def _not_received_job(
    plan: Plan,
    spec: _Spec,
    year: int,
    lang: str,
    options: CheckedOptions,
    layout: OutputLayout,
    code_digest: str,
) -> Job:
    """A department without a report for ``year``: its short page, written with no kernel."""
    from planmon.content.not_received import not_received_report

    body = not_received_report(plan, year, spec.dept_id, lang).to_html()
    job = Job(
        key=f"{year}/{lang}/department/{spec.dept_id}",
        kind="department",
        year=int(year),
        lang=lang,
        dept_id=spec.dept_id,
        name=spec.name,
        title=f"{spec.name} — {_year_label(year, lang)}",
        html=layout.report(year, lang, spec.dept_id, "html"),
        pdf=layout.report(year, lang, spec.dept_id, "pdf") if options.pdf else None,
        weight=spec.weight,
        body_html=body,
    )
    digest = _hash_json(
        {"kind": "not_received", "body": body, "data": spec.data_digest, "code": code_digest}
    )
    return dataclasses.replace(job, input_hash=digest)


def _notebook_job(
    plan: Plan,
    spec: _Spec,
    year: int,
    lang: str,
    options: CheckedOptions,
    layout: OutputLayout,
    code_digest: str,
) -> Job:
    notebook_name = REPORT_KINDS[spec.kind]
    assert notebook_name is not None
    notebook = options.notebooks_dir / f"{notebook_name}.ipynb"
    stem = spec.dept_id if spec.kind == "department" else spec.kind
    parameters = {
        "plan_path": str(Path(plan.path).resolve()),
        "year": int(year),
        "lang": lang,
        **options.parameters,
        "dept_id": spec.dept_id,
    }
    job = Job(
        key=f"{year}/{lang}/{spec.kind}" + (f"/{spec.dept_id}" if spec.dept_id else ""),
        kind=spec.kind,
        year=int(year),
        lang=lang,
        dept_id=spec.dept_id,
        name=spec.name,
        title=f"{spec.name} — {_year_label(year, lang)}",
        notebook=notebook,
        parameters=parameters,
        executed=layout.executed_notebook(year, notebook_name, lang, spec.dept_id),
        html=layout.report(year, lang, stem, "html"),
        pdf=layout.report(year, lang, stem, "pdf") if options.pdf else None,
        weight=spec.weight,
    )
    return dataclasses.replace(
        job, input_hash=_job_hash(job, spec.data_digest, code_digest, notebook)
    )


def _publication_job(
    plan: Plan, sections: list[Job], year: int, lang: str, layout: OutputLayout, digests: _Digests
) -> Job:
    pub_hash = _hash_json(
        {
            "kind": "publication",
            "sections": [[j.key, j.name, j.input_hash] for j in sections],
            "plan": digests.plan,
            "code": digests.code,
        }
    )
    name = plan_name(plan, lang)
    return Job(
        key=f"{year}/{lang}/publication",
        kind="publication",
        year=int(year),
        lang=lang,
        dept_id="",
        name=_WORDS[lang]["publication"],
        title=f"{name} — {_year_label(year, lang)}",
        input_hash=pub_hash,
        pdf=layout.publication(year, lang),
        sections=tuple((j.name, j.html) for j in sections if j.html is not None),
        parameters={"plan_path": str(Path(plan.path).resolve())},
        plan_name=name,
        subtitle=str(plan.meta.get(f"city_{lang}") or ""),
    )


def _job_hash(job: Job, data_digest: str, code_digest: str, notebook: Path) -> str:
    try:
        notebook_digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
    except OSError:
        notebook_digest = "missing"  # reported as a ParameterError before anything runs
    return _hash_json(
        {
            "kind": job.kind,
            "notebook": notebook_digest,
            # Paths are left out: scores_path names the whole plan's fingerprint, so it would
            # rebuild every report whenever any department changes; plan_path says where the
            # plan is, not what is in it (the data digest does), so a moved plan rebuilds nothing.
            "parameters": {
                k: v for k, v in job.parameters.items() if k not in ("scores_path", "plan_path")
            },
            "data": data_digest,
            "code": code_digest,
            "title": job.title,
        }
    )


def _hash_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Digests:
    """Content hashes of the slices of a plan that each report depends on (from its frames).

    Every row of the plan's tables is hashed once, vectorised; a slice's digest is the
    SHA-256 of its columns and its rows' hashes, in order.
    """

    _TABLES = ("departments", "indicators", "targets", "actuals", "report_files")

    def __init__(self, plan: Plan):
        from planmon._version import __version__

        self._plan = plan
        self.plan = hashlib.sha256(f"{plan.fingerprint}".encode()).hexdigest()
        self.code = code_digest(__version__)
        self._common = _frame_digest(plan.goals) + _hash_json(plan.meta)
        self._rows = {name: _row_hashes(getattr(plan, name)) for name in self._TABLES}
        self._cache: dict[str, str] = {}

    def _slice(self, table: str, mask: pd.Series) -> str:
        columns, hashes = self._rows[table]
        digest = hashlib.sha256(columns.encode("utf-8"))
        digest.update(hashes[mask.to_numpy(dtype=bool)].tobytes())
        return digest.hexdigest()

    def department(self, dept_id: str) -> str:
        """One department's row, indicators, their targets, its actuals and report files."""
        if dept_id in self._cache:
            return self._cache[dept_id]
        plan = self._plan
        mine = plan.indicators["dept_id"] == dept_id
        ids = plan.indicators.loc[mine, "indicator_id"]
        of_ids = plan.actuals["indicator_id"].isin(ids)
        parts = [
            self._common,
            self._slice("departments", plan.departments["dept_id"] == dept_id),
            self._slice("indicators", mine),
            self._slice("targets", plan.targets["indicator_id"].isin(ids)),
            self._slice("actuals", (plan.actuals["dept_id"] == dept_id) | of_ids),
            # which reports it sent: what the parsed actuals are made of
            self._slice("report_files", plan.report_files["dept_id"] == dept_id),
        ]
        self._cache[dept_id] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self._cache[dept_id]

    @property
    def districts(self) -> str:
        """Every district's slice, plus the department table (names, kinds)."""
        kinds = self._plan.kinds()
        parts = [_frame_digest(self._plan.departments)]
        parts += [self.department(d) for d in self._plan.dept_ids if kinds.get(d) == "district"]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _row_hashes(frame: pd.DataFrame) -> tuple[str, Any]:
    """The frame's columns (as JSON) and one 64-bit hash per row (pandas' fixed-key hash)."""
    import pandas as pd

    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return json.dumps([str(c) for c in frame.columns]), hashes


def _frame_digest(frame: pd.DataFrame) -> str:
    columns, hashes = _row_hashes(frame)
    return hashlib.sha256(columns.encode("utf-8") + hashes.tobytes()).hexdigest()


def with_stages(job: Job, manifest: Manifest, *, force: bool) -> Job:
    """The job with the stages it still needs (none when everything is current)."""
    if job.kind == "publication":
        assert job.pdf is not None
        stale = force or not manifest.current(job.pdf, job.input_hash)
        return dataclasses.replace(job, stages=("publication",) if stale else ())
    wanted = (["execute"] if job.notebook is not None else []) + ["html"]
    wanted += ["pdf"] if job.pdf is not None else []
    outputs = job.outputs()
    for index, stage in enumerate(wanted):
        if force or not manifest.current(outputs[stage], job.input_hash):
            # An up-to-date executed notebook is converted again rather than re-run.
            return dataclasses.replace(job, stages=tuple(wanted[index:]))
    return dataclasses.replace(job, stages=())


def prepare_notebooks(
    plan: Plan, jobs: list[Job], scores_dir: Path, report: BuildProgress
) -> tuple[Path | None, list[Job]]:
    """Write the scores once, check every notebook's parameters, point the jobs at the scores.

    Returns the scores file (None when no notebook runs) and the jobs with ``scores_path``.
    """
    executing = [job for job in jobs if "execute" in job.stages]
    if not executing:
        return None, jobs
    for job in executing:
        assert job.notebook is not None
        if not job.notebook.is_file():
            raise ParameterError(
                f"report notebook {job.notebook.name} not found in {job.notebook.parent} "
                f"(needed for {job.key})"
            )
    report.phase("computing the scores")
    scores = _write_scores(plan, scores_dir)
    jobs = [
        dataclasses.replace(job, parameters={**job.parameters, "scores_path": str(scores)})
        if job.notebook is not None
        else job
        for job in jobs
    ]
    report.phase("checking the notebooks' parameters")
    from planmon.content.parameters import validate_parameters

    seen: set[Path] = set()
    for job in jobs:
        if "execute" in job.stages and job.notebook not in seen:
            assert job.notebook is not None
            seen.add(job.notebook)
            validate_parameters(job.notebook, job.parameters, plan=plan)
    return scores, jobs


def _write_scores(plan: Plan, scores_dir: Path) -> Path:
    """The plan's scores as Parquet; its metadata names the plan's cache entry for kernels."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from planmon.content.parameters import PLAN_CACHE_KEY

    target = scores_path(scores_dir, plan.fingerprint).resolve()
    table = pa.Table.from_pandas(plan.scores(), preserve_index=False)
    entry = config.cache_dir_for(plan.path) / plan.fingerprint
    if plan.fingerprint and (entry / "meta.json").is_file():
        metadata = {**(table.schema.metadata or {}), PLAN_CACHE_KEY: str(entry).encode("utf-8")}
        table = table.replace_schema_metadata(metadata)
    with atomic_path(target, verify=_check_parquet) as tmp:
        pq.write_table(table, tmp)
    return target


def _check_parquet(path: Path) -> None:
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid (a ValueError) or OSError
        raise ValueError(f"not a readable Parquet file: {exc}") from exc
