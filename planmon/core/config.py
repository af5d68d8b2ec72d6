"""Project paths and defaults.

Every path planmon reads or writes by default comes from here, so a reader can see the
flow of data in one place: ``data/raw`` (immutable input) → ``data/processed`` (rebuildable
caches) → ``reports`` (generated outputs).

The root can be moved with the ``PLANMON_HOME`` environment variable (used by tests and by
installations outside a source checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "DATA_RAW",
    "DATA_PROCESSED",
    "REPORTS",
    "NOTEBOOKS",
    "SAMPLE_PLAN",
    "CACHE_DIR",
    "project_root",
]


def project_root() -> Path:
    """Return the project root: ``$PLANMON_HOME`` if set, else the source checkout."""
    env = os.environ.get("PLANMON_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


PROJECT_ROOT: Path = project_root()
DATA_RAW: Path = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED: Path = PROJECT_ROOT / "data" / "processed"
REPORTS: Path = PROJECT_ROOT / "reports"
NOTEBOOKS: Path = PROJECT_ROOT / "notebooks"
#: The bundled sample: Qazvin's second five-year plan (1397–1401, baseline 1396).
SAMPLE_PLAN: Path = DATA_RAW / "qazvin"
#: Parsed plans are cached here as Parquet, keyed by the source files' content hash.
CACHE_DIR: Path = DATA_PROCESSED / "cache"
