"""Helpers of the build tests: stand-in notebooks, one call to build the tiny plan, PDF text."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import planmon
from planmon.build.api import build
from planmon.build.jobs import BuildResult

STANDINS = Path(__file__).parents[1] / "data" / "notebooks"
YEAR = 1398
NAMES_FA = {"services": "معاونت خدمات شهری", "district_1": "منطقه یک", "district_2": "منطقه دو"}


def notebooks_folder(folder: Path, **stand_ins: str) -> Path:
    """A notebooks folder: the report stand-in under each report name, unless overridden."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = {
        "department_report": "report",
        "plan_overview": "report",
        "district_comparison": "report",
        **stand_ins,
    }
    for name, stand_in in chosen.items():
        shutil.copyfile(STANDINS / f"{stand_in}.ipynb", folder / f"{name}.ipynb")
    return folder


def build_tiny(root: Path, plan: Path, notebooks: Path, **kwargs):
    options = {
        "years": [YEAR],
        "langs": ["fa"],
        "formats": ["html"],
        "jobs": 2,
        "output_dir": root / "reports",
        "notebooks_dir": notebooks,
        "scores_dir": root / "scores",
        **kwargs,
    }
    return build(planmon.load(plan, cache=False), **options)


def statuses(result: BuildResult) -> dict[str, str]:
    return {job.key: job.status for job in result.jobs}


def pdf_text(path: Path) -> str:
    """pdftotext output in logical order, comparable with the Persian we wrote."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return normalise(text)


def normalise(text: str) -> str:
    # pdftotext wraps right-to-left runs in bidi embedding marks (U+202A–U+202E) and may emit
    # presentation forms; lam-alef comes out split (FACTS.md). Compare what a reader sees.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", "", text)
    return re.sub(r"\s+", " ", text.replace("لا", "ال"))
