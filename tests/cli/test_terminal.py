"""Untrusted text on the terminal (planmon.cli.app, planmon.core.text.terminal_safe): plan
names, paths and values print literally — no rich markup, no emoji, no escape sequences."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planmon.cli.app import app
from planmon.core.text import terminal_safe

HOSTILE_NAME = "[/] [bold]x[/bold] :x: :warning:"


def _rename_plan(plan: Path, name: str) -> None:
    path = plan / "plan" / "plan.csv"
    text = path.read_text(encoding="utf-8").replace("برنامه آزمایشی کوچک", name)
    path.write_text(text, encoding="utf-8")


def test_a_plan_named_with_markup_and_emoji_codes_prints_literally(tiny_copy: Path):
    _rename_plan(tiny_copy, HOSTILE_NAME)
    result = CliRunner().invoke(app, ["validate", str(tiny_copy)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert HOSTILE_NAME in result.output  # not parsed as markup, ":x:" not turned into ❌
    assert "❌" not in result.output and "⚠" not in result.output


def test_escape_sequences_in_a_path_never_reach_the_terminal(tiny_copy: Path):
    folder = tiny_copy.with_name("plan\x1b]0;pwned\x07\x1b[2J[bold]x")
    tiny_copy.rename(folder)
    result = CliRunner().invoke(app, ["validate", str(folder)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "plan[bold]x" in result.output


def test_problems_with_markup_in_values_print_literally(tiny_copy: Path):
    report = tiny_copy / "reports" / "1398" / "services.csv"
    report.write_text("indicator_id,value\nSRV01,[red]:x:[/]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tiny_copy)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "reports/1398/services.csv:2:value: is not a number ([red]:x:[/] seen)" in result.output


def test_terminal_safe_removes_escapes_and_controls_and_keeps_text():
    # ECMA-48: CSI = ESC [ params final, OSC = ESC ] … BEL or ESC \
    assert terminal_safe("a\x1b[31mred\x1b[0m b") == "ared b"
    assert terminal_safe("t\x1b]0;title\x07x\x1b]8;;http://e\x1b\\link") == "txlink"
    assert terminal_safe("nul\x00 bell\x07 del\x7f c1\x9b2J") == "nul bell del c1"
    assert terminal_safe("rtl\u202eoverride") == "rtloverride"
    assert terminal_safe("سطر یک\n\tسطر دو [/] :x:") == "سطر یک\n\tسطر دو [/] :x:"
