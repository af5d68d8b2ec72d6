"""Tests of the report notebooks and planmon.content.parameters (their parameter contract).

The static tests (contract, jupytext twins, thin cells, validation) need no kernel. Five
notebook executions on the tiny fixture plan check that the notebooks run standalone under
papermill; each costs about 3-5 s, so each runs once in a module-scoped fixture and several
tests read it. Under ``pytest-xdist --dist loadfile`` this file runs on one worker while the
other workers take the other test files.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from planmon.content import parameters as notebooks
from planmon.core import config
from planmon.core.exceptions import ParameterError
from planmon.execution.papermill import run_notebook

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = notebooks.NOTEBOOK_NAMES
CONTRACT = {"plan_path": str, "year": int, "dept_id": str, "lang": str, "scores_path": str}
PARAMETERS_SOURCE = (
    'plan_path: str = ""\nyear: int = 0\ndept_id: str = ""\nlang: str = "fa"\nscores_path: str = ""'
)
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _code_cells(name: str) -> list:
    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


def _is_parameters(cell) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


# --------------------------------------------------------------------------------------------
# The notebooks as files
# --------------------------------------------------------------------------------------------


def test_notebooks_live_where_config_says():
    assert config.NOTEBOOKS.resolve() == NOTEBOOK_DIR
    assert notebooks.notebook_path("explore") == config.NOTEBOOKS / "explore.ipynb"
    with pytest.raises(ParameterError, match="unknown report notebook"):
        notebooks.notebook_path("budget")


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_follows_the_contract(name):
    cells = [c for c in _code_cells(name) if _is_parameters(c)]
    assert len(cells) == 1
    assert cells[0].source.strip() == PARAMETERS_SOURCE
    assert notebooks.notebook_parameters(name) == CONTRACT  # via papermill.inspect_notebook


@pytest.mark.parametrize("name", NAMES)
def test_ipynb_and_py_twins_are_in_sync(name):
    ipynb = jupytext.read(NOTEBOOK_DIR / f"{name}.ipynb")
    twin = jupytext.read(NOTEBOOK_DIR / f"{name}.py")
    assert ipynb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    assert [(c.cell_type, c.source) for c in ipynb.cells] == [
        (c.cell_type, c.source) for c in twin.cells
    ]
    assert [c.metadata.get("tags") for c in ipynb.cells] == [
        c.metadata.get("tags") for c in twin.cells
    ]
    # Stored without outputs: the executed copies are build products.
    assert not any(c.get("outputs") for c in ipynb.cells if c.cell_type == "code")


# Names that mean the notebook is computing instead of displaying.
_COMPUTING = {"groupby", "agg", "apply", "pivot", "pivot_table", "merge", "mean", "sum", "loc"}
_FORBIDDEN_NODES = (
    ast.For,
    ast.While,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.BinOp,
    ast.Compare,
    ast.Lambda,
    ast.FunctionDef,
    ast.ClassDef,
    ast.Subscript,
)


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_thin(name):
    for cell in _code_cells(name):
        if _is_parameters(cell):
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= 6, f"{name}: a cell of {len(lines)} lines belongs in planmon"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, _FORBIDDEN_NODES), (
                f"{name}: {type(node).__name__} in {cell.source!r}: move it to planmon.content.report"
            )
            if isinstance(node, ast.Attribute):
                assert node.attr not in _COMPUTING, f"{name}: .{node.attr} in {cell.source!r}"
            if isinstance(node, ast.ImportFrom | ast.Import):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else []
                modules += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                assert all(m.split(".")[0] == "planmon" for m in modules), cell.source


def test_no_code_cell_is_copied_between_notebooks():
    seen: dict[str, str] = {}
    for name in NAMES:
        for cell in _code_cells(name):
            if _is_parameters(cell):
                continue  # the one cell every notebook shares by contract
            assert cell.source not in seen, f"{name} repeats a cell of {seen.get(cell.source)}"
            seen[cell.source] = name


# --------------------------------------------------------------------------------------------
# validate_parameters: refused before any kernel starts
# --------------------------------------------------------------------------------------------


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if papermill is asked to execute anything."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook was executed")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def test_unknown_parameter_fails_before_execution(tiny_path, tmp_path, no_kernel):
    output = tmp_path / "out.ipynb"
    with pytest.raises(ParameterError) as error:
        run_notebook("department_report", output, {"plan_path": str(tiny_path), "yeer": 1398})
    assert str(error.value) == (
        "unknown parameter 'yeer' for department_report; known: plan_path, year, dept_id, "
        "lang, scores_path (did you mean 'year'?)"
    )
    assert not output.exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "1398"}, "parameter 'year' of plan_overview must be int, got str '1398'"),
        ({"year": True}, "must be int, got bool"),
        ({"lang": 1}, "parameter 'lang' of plan_overview must be str"),
        ({"plan_path": Path("/tmp")}, "parameter 'plan_path' of plan_overview must be str"),
    ],
)
def test_wrong_type_fails_before_execution(tiny_path, tmp_path, no_kernel, params, message):
    params = {"plan_path": str(tiny_path), **params}
    with pytest.raises(ParameterError, match=re.escape(message)):
        run_notebook("plan_overview", tmp_path / "out.ipynb", params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lang": "de"}, "lang must be 'fa' or 'en', got 'de'"),
        ({"dept_id": "distrct_2"}, "(did you mean 'district_2'?)"),
        ({"year": 1400}, "year 1400 has no reports"),
        ({"year": 1400}, "report years: 1397, 1398 (or year=0 for the latest)"),
        ({"scores_path": "missing.parquet"}, 'or scores_path="" to compute the scores'),
    ],
)
def test_values_are_checked_against_the_plan(tiny_path, no_kernel, params, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        notebooks.validate_parameters(
            NOTEBOOK_DIR / "department_report.ipynb", {"plan_path": str(tiny_path), **params}
        )


def test_valid_parameters_pass(tiny_path, no_kernel):
    import planmon

    plan = planmon.load(tiny_path)
    params = {"plan_path": str(tiny_path), "year": 1397, "dept_id": "district_1", "lang": "en"}
    for name in NAMES:
        notebooks.validate_parameters(name, params, plan=plan)
    resolved = notebooks.check_values("department_report", plan, {"plan_path": str(tiny_path)})
    assert (resolved.year, resolved.dept_id, resolved.lang) == (1398, "services", "fa")


def test_missing_plan_folder_is_a_parameter_error(tmp_path, no_kernel):
    with pytest.raises(ParameterError, match="does not exist"):
        notebooks.validate_parameters("explore", {"plan_path": str(tmp_path / "nowhere")})


# --------------------------------------------------------------------------------------------
# Executions (papermill API, tiny plan)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kernel_home(tmp_path_factory):
    """A PLANMON_HOME for the kernels, so their parse cache stays out of data/processed."""
    home = tmp_path_factory.mktemp("planmon_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANMON_HOME", str(home))
        yield home


def _execute(name: str, params: dict, folder: Path) -> nbformat.NotebookNode:
    nb = run_notebook(name, folder / f"{name}.ipynb", params, cwd=folder)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
    return nb


def _html_outputs(nb) -> str:
    return "\n".join(
        output["data"]["text/html"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    )


def _mime_types(nb) -> list[str]:
    return [
        mime
        for cell in nb.cells
        for output in cell.get("outputs", [])
        for mime in output.get("data", {})
    ]


def _write_tampered_tiny(target: Path) -> Path:
    """The tiny plan with a script in the first department's name and in one of its notes."""
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "data" / "tiny", target)
    for path, old, new in (
        (target / "plan" / "departments.csv", "معاونت خدمات شهری,", f"معاونت خدمات شهری {SCRIPT},"),
        (target / "reports" / "1398" / "services.csv", "افزایش ظرفیت کارخانه کود آلی", SCRIPT),
    ):
        text = path.read_text(encoding="utf-8-sig")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def department_fa_defaults(kernel_home, tmp_path_factory):
    """department_report run standalone with nothing but plan_path (all other defaults)."""
    folder = tmp_path_factory.mktemp("department_fa")
    plan = _write_tampered_tiny(folder / "plan")
    return _execute("department_report", {"plan_path": str(plan)}, folder)


def test_department_report_runs_with_defaults_and_shows_the_persian_name(department_fa_defaults):
    html = _html_outputs(department_fa_defaults)
    assert "معاونت خدمات شهری" in html  # the first department (dept_id "")
    assert "گزارش پایش سال ۱۳۹۸" in html  # the latest report year (year 0)
    assert "خلاصه عملکرد" in html and "جدول شاخص‌ها" in html
    assert "1398" not in html  # Persian digits throughout


def test_department_report_escapes_plan_text(department_fa_defaults):
    html = _html_outputs(department_fa_defaults)
    assert ESCAPED in html
    assert "<script" not in html


def test_department_report_charts_are_png_figures_with_html_legends(department_fa_defaults):
    mimes = _mime_types(department_fa_defaults)
    html = _html_outputs(department_fa_defaults)
    # comparison, distance and one chart per indicator (services has two): each one HTML
    # <figure> with its PNG, its legend (swatches as SVG images) and, for an indicator, its title
    assert html.count('<figure class="planmon-chart"') == 4
    assert html.count("data:image/png;base64,") == 4
    assert html.count("<figcaption") == 2
    assert "image/png" not in mimes and "image/svg+xml" not in mimes
    assert "application/pdf" not in mimes


def test_department_report_exports_to_html(department_fa_defaults):
    from planmon.publish.html import notebook_to_html

    html = notebook_to_html(department_fa_defaults, lang="fa", title="گزارش")
    assert re.search(r'<html[^>]* dir="rtl"', html)
    assert ESCAPED in html and "<script" not in html
    assert html.count("data:image/png;base64,") == 4
    assert "report.open_report" not in html  # no code in the report


@pytest.fixture(scope="module")
def department_en_with_scores(kernel_home, tmp_path_factory, tiny_path_module):
    """department_report in English, reading the build's scores file."""
    import planmon

    folder = tmp_path_factory.mktemp("department_en")
    scores = planmon.load(tiny_path_module, cache=False).scores()
    # Computed, D1_01 makes substantial progress; only the file says it achieved its target.
    scores.loc[scores["indicator_id"] == "D1_01", "status"] = "target_achieved"
    scores_path = folder / "scores.parquet"
    scores.to_parquet(scores_path)
    params = {
        "plan_path": str(tiny_path_module),
        "year": 1398,
        "dept_id": "district_1",
        "lang": "en",
        "scores_path": str(scores_path),
    }
    return _execute("department_report", params, folder)


@pytest.fixture(scope="module")
def tiny_path_module() -> Path:
    return Path(__file__).parents[1] / "data" / "tiny"


def test_department_report_english_reads_the_scores_file(department_en_with_scores):
    html = _html_outputs(department_en_with_scores)
    assert "District 1" in html and "Monitoring report for 1398" in html
    assert "Summary" in html and "Indicators" in html and "Data gaps" in html
    assert "Target achieved" in html  # from the file, not recomputed
    assert not re.search("[\u06f0-\u06f9]", html)  # no Persian digits in English


@pytest.fixture(scope="module")
def plan_overview_fa(kernel_home, tmp_path_factory, tiny_path_module):
    folder = tmp_path_factory.mktemp("overview")
    return _execute("plan_overview", {"plan_path": str(tiny_path_module)}, folder)


def test_plan_overview_runs(plan_overview_fa):
    html = _html_outputs(plan_overview_fa)
    for heading in ("برنامه آزمایشی کوچک", "خلاصه برنامه", "عملکرد اهداف کلان و خرد"):
        assert heading in html
    assert "تغییر نسبت به سال ۱۳۹۷" in html
    assert _mime_types(plan_overview_fa).count("image/png") == 2  # ranking and heat map


@pytest.fixture(scope="module")
def district_comparison_en(kernel_home, tmp_path_factory, tiny_path_module):
    folder = tmp_path_factory.mktemp("districts")
    params = {"plan_path": str(tiny_path_module), "lang": "en", "dept_id": "district_2"}
    return _execute("district_comparison", params, folder)


def test_district_comparison_runs(district_comparison_en):
    html = _html_outputs(district_comparison_en)
    assert "Green space per capita" in html
    assert "District 1" in html and "District 2" in html
    assert _mime_types(district_comparison_en).count("image/png") == 1


@pytest.fixture(scope="module")
def explore_fa(kernel_home, tmp_path_factory, tiny_path_module):
    folder = tmp_path_factory.mktemp("explore")
    return _execute("explore", {"plan_path": str(tiny_path_module)}, folder)


def test_explore_runs(explore_fa):
    html = _html_outputs(explore_fa)
    assert "کاوش داده‌های برنامه" in html
    assert "achievement_pct" in html  # the scores frame, shown as a table
    mimes = _mime_types(explore_fa)
    # The Figure from report.indicator_figure goes through the inline backend: PNG only.
    assert mimes.count("image/png") == 1 and "image/svg+xml" not in mimes
