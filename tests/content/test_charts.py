"""Tests for planmon.content.charts: figures, Persian text, status colours, style isolation."""

from __future__ import annotations

import itertools

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection, QuadMesh
from matplotlib.figure import Figure

from planmon.content import charts
from planmon.core.exceptions import PlanmonError
from planmon.core.locale import LANGS
from planmon.core.vocabulary import STATUS_LABELS

NAME_FA = "سرانه فضای سبز شهری"
LONG_NAME_FA = "درصد رضایت شهروندان از خدمات پسماند و پاکیزگی شهری در مناطق کم‌برخوردار"


@pytest.fixture
def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [1396, 1397, 1398, 1399, 1400],
            "value": [12.0, 13.1, np.nan, 15.2, 15.9],
            "is_baseline": [True, False, False, False, False],
        }
    )


@pytest.fixture
def targets() -> pd.DataFrame:
    return pd.DataFrame(
        {"year": [1397, 1398, 1399, 1400, 1401], "target": [13.5, 15, 16.5, 18, 20]}
    )


@pytest.fixture
def trend() -> pd.Series:
    return pd.Series(
        {"trend_horizon_value": 17.4, "trend_low": 15.6, "trend_high": 19.2, "horizon_year": 1401}
    )


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i3", "i4", "i5"],
            "name_fa": [NAME_FA, LONG_NAME_FA, "طول شبکه دوچرخه‌سواری", "درآمد پایدار", "پوشش"],
            "name_en": ["Green space", "Satisfaction", "Cycle network", "Revenue", "Coverage"],
            "dept_id": ["d1", "d1", "d2", "d2", "d2"],
            "goal_id": ["g1", "g2", "g1", "g1", "g2"],
            "achievement_pct": [104.0, 87.5, 210.0, -20.0, np.nan],
            "distance_covered_pct": [100.0, 62.0, 130.0, -10.0, np.nan],
            "status": [
                "target_achieved",
                "substantial_progress",
                "target_achieved",
                "deterioration",
                "not_available",
            ],
            "score": [4.0, 2.0, 5.0, -3.0, np.nan],
            "year": 1400,
            "baseline_year": 1396,
            "horizon_year": 1401,
        }
    )


def _tick_texts(ax, axis: str = "y") -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [label.get_text() for label in labels]


# ------------------------------------------------------------------ statuses and colours


def test_every_status_has_a_colour_and_labels_in_both_languages():
    assert set(charts.STATUS_COLOURS) == set(charts.STATUSES)
    assert set(STATUS_LABELS) == set(charts.STATUSES)
    for lang in LANGS:
        assert all(STATUS_LABELS[s][lang] for s in charts.STATUSES)
    assert STATUS_LABELS["target_achieved"]["fa"] == "هدف محقق شده"
    assert len(set(charts.STATUS_COLOURS.values())) == len(charts.STATUSES)
    for colour in charts.STATUS_COLOURS.values():
        assert mpl.colors.is_color_like(colour)


# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", IEEE TVCG 15(6), Table 1, severity 1.0 (applied to linear RGB).
_MACHADO_2009 = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIE 1976 L*a*b* of linear sRGB (D65), the textbook sRGB→XYZ→Lab formulas."""
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear_rgb
    )
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_lab_conversion_matches_reference_white_and_red():
    # sRGB white is L*=100, a*=b*=0; pure sRGB red is L*≈53.24, a*≈80.09, b*≈67.20
    # (Lindbloom's calculator, D65).
    np.testing.assert_allclose(_lab(np.ones(3)), [100, 0, 0], atol=0.05)
    np.testing.assert_allclose(_lab(np.array([1.0, 0, 0])), [53.24, 80.09, 67.20], atol=0.1)


@pytest.mark.parametrize("deficiency", sorted(_MACHADO_2009))
def test_status_colours_stay_distinct_under_colour_blindness(deficiency):
    matrix = np.array(_MACHADO_2009[deficiency])
    # Each simulation matrix keeps white white (its rows sum to 1), as the paper's model does.
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-5)
    lab = {}
    for status, colour in charts.STATUS_COLOURS.items():
        rgb = np.array(mpl.colors.to_rgb(colour))
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        lab[status] = _lab(np.clip(matrix @ linear, 0, 1))
    closest = min(np.linalg.norm(lab[a] - lab[b]) for a, b in itertools.combinations(lab, 2))
    # ΔE*ab ≥ 10 is clearly distinguishable side by side; the palette was chosen at ≥ 16.
    assert closest > 10


# ------------------------------------------------------------------ helpers


def test_unknown_language_is_refused(history, targets):
    with pytest.raises(PlanmonError, match="language"):
        charts.indicator_chart(history, targets, name="x", lang="de")


def test_chart_style_restores_global_rcparams(history, targets, trend):
    before = dict(mpl.rcParams)
    charts.indicator_chart(history, targets, trend, name=NAME_FA, lang="fa")
    with charts.chart_style("fa"):
        assert mpl.rcParams["axes.unicode_minus"] is False
    assert dict(mpl.rcParams) == before


# ------------------------------------------------------------------ indicator chart


def test_indicator_chart_keeps_persian_title_and_draws_trend_band(history, targets, trend):
    fig = charts.indicator_chart(
        history, targets, trend, name=NAME_FA, unit="متر مربع", lang="fa", status="limited_progress"
    )
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    # Logical order, not reversed or reshaped into presentation forms.
    assert ax.get_title() == NAME_FA
    assert ax.get_ylabel() == "متر مربع"
    assert any(isinstance(c, PolyCollection) for c in ax.collections)
    fig.canvas.draw()
    assert "۱۴۰۰" in _tick_texts(ax, "x")
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "وضعیت: پیشرفت محدود" in legend_texts


def test_indicator_chart_band_spans_last_value_to_horizon_interval(history, targets, trend):
    fig = charts.indicator_chart(history, targets, trend, name="Green space", lang="en")
    band = next(c for c in fig.axes[0].collections if isinstance(c, PolyCollection))
    vertices = band.get_paths()[0].vertices
    # From the last reported value (1400, 15.9) to the interval at the horizon (1401, 15.6–19.2).
    assert vertices[:, 0].min() == pytest.approx(1400)
    assert vertices[:, 0].max() == pytest.approx(1401)
    assert vertices[:, 1].min() == pytest.approx(15.6)
    assert vertices[:, 1].max() == pytest.approx(19.2)
    fig.canvas.draw()
    assert "1396" in _tick_texts(fig.axes[0], "x")


@pytest.mark.parametrize("unit", ["%", "درصد"])
def test_percentage_band_stays_within_0_and_100(history, targets, unit):
    wide = pd.Series(
        {"trend_horizon_value": 60.0, "trend_low": -20.0, "trend_high": 130.0, "horizon_year": 1401}
    )
    fig = charts.indicator_chart(history, targets, wide, name="Share", unit=unit, lang="en")
    band = next(c for c in fig.axes[0].collections if isinstance(c, PolyCollection))
    y = band.get_paths()[0].vertices[:, 1]
    assert y.min() == pytest.approx(0.0) and y.max() == pytest.approx(100.0)
    # other units keep the interval as computed
    fig = charts.indicator_chart(history, targets, wide, name="Count", unit="count", lang="en")
    band = next(c for c in fig.axes[0].collections if isinstance(c, PolyCollection))
    assert band.get_paths()[0].vertices[:, 1].min() == pytest.approx(-20.0)


def test_indicator_chart_trend_band_matches_statsmodels_prediction_interval(history, targets):
    import statsmodels.api as sm

    points = history.dropna(subset=["value"])
    design = sm.add_constant(points["year"].to_numpy(dtype=float))
    fit = sm.OLS(points["value"].to_numpy(), design).fit()
    # statsmodels' get_prediction().summary_frame() gives the 95 % interval for a new
    # observation (obs_ci_*): the reference the chart's band must reproduce at every year.
    frame = fit.get_prediction(sm.add_constant(np.array([1400.0, 1401.0]), has_constant="add"))
    reference = frame.summary_frame(alpha=0.05)
    trend = {
        "trend_horizon_value": reference["mean"].iloc[1],
        "trend_low": reference["obs_ci_lower"].iloc[1],
        "trend_high": reference["obs_ci_upper"].iloc[1],
        "trend_slope": fit.params[1],
        "horizon_year": 1401,
        "year": 1400,
    }
    fig = charts.indicator_chart(history, targets, trend, name="Green space", lang="en")
    ax = fig.axes[0]
    band = next(c for c in ax.collections if isinstance(c, PolyCollection))
    vertices = band.get_paths()[0].vertices
    at_last_year = vertices[np.isclose(vertices[:, 0], 1400.0), 1]
    assert at_last_year.min() == pytest.approx(reference["obs_ci_lower"].iloc[0], rel=1e-9)
    assert at_last_year.max() == pytest.approx(reference["obs_ci_upper"].iloc[0], rel=1e-9)
    line = next(ln for ln in ax.lines if ln.get_label() == "Linear trend")
    # The drawn line is the fitted line: at the baseline year it equals b0 + b1 · 1396.
    assert line.get_ydata()[0] == pytest.approx(fit.params[0] + fit.params[1] * 1396)


def test_indicator_chart_without_trend_has_no_band(history, targets):
    fig = charts.indicator_chart(history, targets, None, name="Green space", lang="en")
    assert not any(isinstance(c, PolyCollection) for c in fig.axes[0].collections)


# ------------------------------------------------------------------ bar charts


def test_comparison_chart_mirrors_for_persian_and_caps_bars(indicators):
    fig = charts.comparison_chart(indicators, lang="fa", cap=150)
    ax = fig.axes[0]
    assert ax.xaxis_inverted()
    assert ax.yaxis.get_ticks_position() == "right"
    labels = [t.replace("\n", " ") for t in _tick_texts(ax)]
    assert labels == indicators["name_fa"].tolist()
    widths = [patch.get_width() for patch in ax.patches]
    # 210 % is drawn at the 150 % cap, −20 % as is, a missing value as no bar.
    assert widths == pytest.approx([104.0, 87.5, 150.0, -20.0, 0.0])
    texts = [t.get_text() for t in ax.texts]
    # no value is the one missing mark, not a status name (its status may be any)
    assert "۲۱۰٪" in texts and "—" in texts and "داده ناکافی" not in texts
    # −20 % with the Persian minus, left of the digits (LRM + U+2212)
    assert "\u200e−۲۰٪" in texts


def test_comparison_chart_english_reads_left_to_right(indicators):
    fig = charts.comparison_chart(indicators, lang="en")
    ax = fig.axes[0]
    assert not ax.xaxis_inverted()
    assert _tick_texts(ax)[0] == "Green space"


def test_distance_chart_marks_share_of_time_elapsed(indicators):
    fig = charts.distance_chart(indicators, lang="fa")
    ax = fig.axes[0]
    coloured = [p.get_width() for p in ax.patches][len(indicators) :]
    assert coloured == pytest.approx([100.0, 62.0, 100.0, 0.0, 0.0])
    ticks = next(c for c in ax.collections if c.get_gid() == "expected-share").get_offsets()
    # (1400 − 1396) / (1401 − 1396) = 4/5 of the plan period elapsed → 80 %.
    assert np.asarray(ticks)[:, 0] == pytest.approx([80.0] * len(indicators))


def test_status_heatmap_counts_by_department_and_status(indicators):
    fig = charts.status_heatmap(indicators, row="dept_id", col="status", lang="en")
    mesh = next(c for c in fig.axes[0].collections if isinstance(c, QuadMesh))
    grid = np.asarray(mesh.get_array()).reshape(2, len(charts.STATUSES))
    # d1: one achieved, one substantial; d2: one achieved, one deterioration, one n/a.
    expected = np.array([[1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 1, 1]])
    np.testing.assert_array_equal(grid, expected)
    columns = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_xticklabels()]
    assert columns[0] == "Target achieved"


def test_status_heatmap_mean_score_in_persian_puts_first_column_right(indicators):
    labels = {"d1": "معاونت خدمات شهری", "d2": "منطقه یک", "g1": "شهر سبز", "g2": "رضایت"}
    fig = charts.status_heatmap(
        indicators, row="dept_id", col="goal_id", lang="fa", value="score", labels=labels
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["رضایت", "شهر سبز"]
    assert _tick_texts(ax) == ["معاونت خدمات شهری", "منطقه یک"]
    annotations = [t.get_text() for t in ax.texts]
    # d1/g1 = 4.0; d2/g1 = mean(5, −3) = 1.0; d2/g2 is missing (NaN only) → blank.
    assert "۴٫۰" in annotations and "۱٫۰" in annotations


def test_ranking_chart_puts_best_first_and_missing_last():
    frame = pd.DataFrame(
        {"name_en": ["District 1", "District 2", "District 3"], "score": [-0.6, 2.7, np.nan]}
    )
    fig = charts.ranking_chart(frame, lang="en")
    assert _tick_texts(fig.axes[0]) == ["1. District 2", "2. District 1", "3. District 3"]
    fa = charts.ranking_chart(frame.rename(columns={"name_en": "name_fa"}), lang="fa")
    assert _tick_texts(fa.axes[0])[0] == "۱. District 2"


def test_missing_column_is_a_planmon_error(indicators):
    with pytest.raises(PlanmonError, match="achievement_pct"):
        charts.comparison_chart(indicators.drop(columns="achievement_pct"), lang="en")


def test_figure_to_png_bytes_is_a_png(history, targets):
    fig = charts.indicator_chart(history, targets, name="x", lang="en")
    data = charts.figure_to_png_bytes(fig, dpi=50)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------ plan text is drawn literally

DOLLARS = "Cost in $ and $ per capita"  # two "$": matplotlib would typeset " and " as math


def _texts_with_dollars(fig: Figure) -> list[str]:
    from matplotlib.text import Text

    charts.figure_to_png_bytes(fig)  # draws without a mathtext error
    return [t.get_text() for t in fig.findobj(Text) if "$" in t.get_text()]


def test_indicator_names_and_units_with_dollars_are_not_mathtext(history, targets, trend):
    from matplotlib import cbook

    fig = charts.indicator_chart(history, targets, trend, name=DOLLARS, unit="$ per $", lang="en")
    texts = _texts_with_dollars(fig)
    assert r"Cost in \$ and \$ per capita" in texts and r"\$ per \$" in texts
    assert not any(cbook.is_math_text(t) for t in texts)


def test_bar_heatmap_and_district_labels_with_dollars_are_not_mathtext(indicators):
    from matplotlib import cbook

    frame = indicators.assign(name_en=[f"{DOLLARS} {i}" for i in range(len(indicators))])
    figures = [
        charts.comparison_chart(frame, lang="en"),
        charts.distance_chart(frame, lang="en"),
        charts.ranking_chart(frame.assign(score=[1.0, 2.0, 3.0, -1.0, np.nan]), lang="en"),
        charts.status_heatmap(frame, lang="en", labels={"d1": DOLLARS, "g1": DOLLARS}),
        charts.district_chart(
            pd.DataFrame({"group": [DOLLARS], "dept_id": ["d1"], "achievement_pct": [90.0]}),
            [DOLLARS],
            ["d1"],
            {"d1": DOLLARS},
            "en",
            "",
        ),
    ]
    for fig in figures:
        texts = _texts_with_dollars(fig)
        assert texts, "the labels with dollars are drawn"
        assert not any(cbook.is_math_text(t) for t in texts), texts
