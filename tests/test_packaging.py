"""environment.yml (conda users) and pyproject.toml (pip) must ask for the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r): r for r in project["dependencies"]}
    runtime_lab = {_name(r): r for r in project["optional-dependencies"]["lab"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {
        _name(d): d.replace(" ", "")
        for d in env["dependencies"]
        if isinstance(d, str) and _name(d) not in ("python", "pip")
    }
    assert set(conda) == set(runtime) | set(runtime_lab)
    for name, requirement in {**runtime, **runtime_lab}.items():
        # same lower bounds, so a conda install cannot get an older version than pip would
        assert conda[name] == requirement.replace(" ", ""), name


def test_jupyterlab_is_not_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "jupyterlab" not in {_name(r) for r in project["dependencies"]}
    assert "jupyterlab" in {_name(r) for r in project["optional-dependencies"]["lab"]}
