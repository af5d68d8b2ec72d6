"""The parse cache: a validated plan's frames as Parquet, keyed by the content hash of its files.

An entry is a folder ``<cache>/<key>/`` (one Parquet file per frame and ``meta.json`` with the
plan settings and warnings), written to a temporary folder and renamed, so a reader sees a
whole entry or none. A damaged entry is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.plan.model import FRAMES, Plan

__all__ = ["CACHE_VERSION", "read_cache", "write_cache"]

#: Bump when the parsed frames or the cached warnings change shape, so old caches are not reused.
CACHE_VERSION = "3"
_PROBLEM_FIELDS = tuple(f.name for f in dataclasses.fields(Problem))


def read_cache(entry: Path, folder: Path) -> Plan | None:
    """The plan cached in ``entry`` (for the plan folder ``folder``), or None."""
    meta_file = entry / "meta.json"
    if not meta_file.is_file():
        return None
    try:
        info = json.loads(meta_file.read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(entry / f"{name}.parquet") for name in FRAMES}
        warnings = [Problem(**{k: w.get(k) for k in _PROBLEM_FIELDS}) for w in info["warnings"]]
        meta = info["meta"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is rebuilt, never trusted
    return Plan(path=folder, meta=meta, warnings=warnings, fingerprint=entry.name, **frames)


def write_cache(entry: Path, plan: Plan) -> None:
    """Write a cache entry as a folder, atomically (temp folder, then rename).

    Failing to write (a read-only install, a full disk) is not an error: the plan still
    loads, just without the cache.
    """
    if entry.exists():
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    except OSError:
        return
    try:
        for name in FRAMES:
            getattr(plan, name).to_parquet(tmp / f"{name}.parquet", index=False)
        info = {
            "meta": plan.meta,
            "warnings": [dataclasses.asdict(w) for w in plan.warnings],
        }
        (tmp / "meta.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
