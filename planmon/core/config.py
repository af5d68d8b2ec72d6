"""Project paths and defaults: every path planmon reads or writes by default comes from here.

A reader can see the flow of data in one place: ``data/raw`` (immutable input) →
``data/processed`` (rebuildable caches) → ``reports`` (generated outputs).

Where things go
---------------
``PLANMON_HOME`` (environment variable)
    The project folder that holds the bundled sample (``data/raw/qazvin``), its caches
    (``data/processed``) and the default output folder (``reports/``). Default: the source
    checkout. It does **not** move the notebooks.
``PLANMON_NOTEBOOKS``
    The folder of the report notebooks. Default: ``notebooks/`` of the source checkout.
``PLANMON_CACHE_DIR``
    If set, every parse and score cache goes under this folder (one sub-folder per plan).
Caches (:func:`cache_dir_for`)
    The bundled sample's stay in ``data/processed/``; any other plan's live in the hidden
    folder ``<plan>/.planmon/cache/``, or — for a plan inside the checkout or a plan folder
    planmon may not write — in the user cache directory (``platformdirs``), never in the
    checkout.
planmon's own state of a plan (:func:`state_dir_for`)
    ``<plan>/.planmon/``: the audit log of ``planmon ingest``, kept versions, the commit
    journal. Written only by ``ingest`` and ``undo``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

__all__ = [
    "SOURCE_ROOT",
    "PROJECT_ROOT",
    "DATA_RAW",
    "DATA_PROCESSED",
    "REPORTS",
    "NOTEBOOKS",
    "SAMPLE_PLAN",
    "CACHE_DIR",
    "STATE_DIR_NAME",
    "CACHE_KINDS",
    "project_root",
    "state_dir_for",
    "cache_dir_for",
    "is_bundled_sample",
]

#: The source tree planmon was imported from (a checkout when it holds ``pyproject.toml``).
SOURCE_ROOT: Path = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """Return the project root: ``$PLANMON_HOME`` if set, else the source checkout."""
    env = os.environ.get("PLANMON_HOME")
    if env:
        return Path(env).resolve()
    return SOURCE_ROOT


PROJECT_ROOT: Path = project_root()
DATA_RAW: Path = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED: Path = PROJECT_ROOT / "data" / "processed"
#: Default output folder (reports, dashboard, templates, feedback workbooks).
REPORTS: Path = PROJECT_ROOT / "reports"
#: The report notebooks: code, found beside the package (not moved by ``PLANMON_HOME``).
NOTEBOOKS: Path = Path(os.environ.get("PLANMON_NOTEBOOKS") or SOURCE_ROOT / "notebooks")
#: The bundled sample: Qazvin's second five-year plan (1397–1401, baseline 1396).
SAMPLE_PLAN: Path = DATA_RAW / "qazvin"
#: The bundled sample's parse cache (Parquet, keyed by the source files' content hash).
CACHE_DIR: Path = DATA_PROCESSED / "cache"
#: Name of planmon's hidden folder inside a plan folder.
STATE_DIR_NAME = ".planmon"
#: Kinds of cache :func:`cache_dir_for` knows: parsed plans and computed scores.
CACHE_KINDS = ("parse", "scores")

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.is_relative_to(folder.resolve())
    except OSError:
        return False


def is_bundled_sample(plan_path: str | os.PathLike[str]) -> bool:
    """True if ``plan_path`` is the bundled sample (:data:`SAMPLE_PLAN`)."""
    return Path(plan_path).resolve() == SAMPLE_PLAN.resolve()


def state_dir_for(plan_path: str | os.PathLike[str]) -> Path:
    """planmon's own hidden folder of a plan: ``<plan>/.planmon`` (audit log, versions, journal)."""
    return Path(plan_path) / STATE_DIR_NAME


def _in_checkout(path: Path) -> bool:
    checkout = (SOURCE_ROOT / "pyproject.toml").is_file() and _inside(path, SOURCE_ROOT)
    return checkout or _inside(path, PROJECT_ROOT)


def _writable(plan: Path) -> bool:
    state = plan / STATE_DIR_NAME
    target = state if state.exists() else plan
    return plan.is_dir() and os.access(target, os.W_OK | os.X_OK)


def _plan_key(plan: Path) -> str:
    """A folder name for one plan in a shared cache: readable name + hash of the full path."""
    digest = hashlib.sha256(str(plan).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = _UNSAFE.sub("_", plan.name)[:40].strip("_") or "plan"
    return f"{name}-{digest}"


def _user_cache_root() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("planmon", appauthor=False))


def cache_dir_for(plan_path: str | os.PathLike[str], kind: str = "parse") -> Path:
    """The folder for one plan's cache of ``kind`` (``"parse"`` or ``"scores"``).

    Parameters
    ----------
    plan_path : path-like
        The plan folder.
    kind : {"parse", "scores"}
        Parsed plan frames (:func:`planmon.load`) or computed scores (``planmon build``).

    Returns
    -------
    Path
        In order of precedence: ``$PLANMON_CACHE_DIR/<plan>/<kind>`` if that variable is set;
        for the bundled sample :data:`CACHE_DIR` (``data/processed/cache``) or
        ``data/processed/scores``; for a plan inside the checkout (or ``PLANMON_HOME``) or one
        planmon may not write, ``<user cache dir>/planmon/plans/<plan>/<kind>``; otherwise
        ``<plan>/.planmon/cache/<kind>``. The folder is not created.
    """
    if kind not in CACHE_KINDS:
        raise ValueError(f"unknown cache kind {kind!r}; expected one of {CACHE_KINDS}")
    plan = Path(plan_path).resolve()
    override = os.environ.get("PLANMON_CACHE_DIR")
    if override:
        return Path(override) / _plan_key(plan) / kind
    if is_bundled_sample(plan):
        return CACHE_DIR if kind == "parse" else DATA_PROCESSED / kind
    if _in_checkout(plan) or not _writable(plan):
        return _user_cache_root() / "plans" / _plan_key(plan) / kind
    return plan / STATE_DIR_NAME / "cache" / kind
