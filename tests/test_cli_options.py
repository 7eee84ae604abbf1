"""The command line's options come from the settings' declarations: every setting, with its variable,
help and default, and bad values stop with a short message, never a traceback; a `TrnewsError`
becomes `trnews: <message>` and its exit code in one place. No flow runs here."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from trnews.cli import TrnewsGroup, app
from trnews.cli.options import takes_settings
from trnews.config import Settings, leaf, leaves
from trnews.errors import TrnewsError

WIDE = 200  # every option's help on one line


def option_entries(help_text: str) -> list[str]:
    """Each option of a --help as one line: its names and metavar, help, variable and default."""
    entries: list[str] = []
    for line in help_text.splitlines():
        if re.match(r"  -", line):
            entries.append(line.strip())
        elif entries and line.startswith("    ") and line.strip():
            # click wraps long help after a hyphen too ("Helsinki-" / "NLP"): no space was there
            entries[-1] += ("" if entries[-1].endswith("-") else " ") + line.strip()
        elif not line.strip():
            entries.append("")
    return [entry for entry in entries if entry]


def entry_for(entries: list[str], option_names: tuple[str, ...]) -> str:
    [entry] = [e for e in entries if set(option_names) <= set(re.findall(r"(-[-\w]+)", e.split("  ")[0]))]
    return entry


@pytest.fixture(scope="module")
def run_help() -> list[str]:
    result = CliRunner().invoke(app, ["run", "--help"], terminal_width=WIDE)
    assert result.exit_code == 0, result.output
    return option_entries(result.stdout)


@pytest.mark.parametrize("setting", leaves(), ids=lambda setting: setting.flag.name)
def test_run_help_has_every_setting_with_its_variable_help_and_default(run_help, setting):
    entry = entry_for(run_help, setting.flag.option_names)
    assert setting.field.description and setting.field.description in entry
    shown = entry.rsplit("  [", 1)[1]  # "env var: ...; default: (...); x>=1]"
    assert shown.startswith(f"env var: {setting.flag.env}")
    if setting.field.default is None:
        assert "default:" not in shown
    else:
        assert f"default: ({setting.field.default})" in shown


def test_ranges_and_choices_come_from_the_fields(run_help):
    assert "x>=1" in entry_for(run_help, ("--beam-size",)) and "x>=64" in entry_for(run_help, ("--batch-tokens",))
    assert "<transformers|ctranslate2>" in entry_for(run_help, ("--engine",))
    assert "<path>" in entry_for(run_help, ("--output", "-o"))
    assert "<" not in entry_for(run_help, ("--offline",)).split("  ")[0]  # a flag takes no value


def test_commands_that_use_a_few_settings_take_only_those():
    runner = CliRunner()
    listed = option_entries(runner.invoke(app, ["list", "--help"], terminal_width=WIDE).stdout)
    assert [e.split("  ")[0] for e in listed] == ["--flagged", "-o, --output <path>", "--help"]  # its own, then settings
    pruning = option_entries(runner.invoke(app, ["cache", "prune", "--help"], terminal_width=WIDE).stdout)
    assert "env var: TRNEWS_CACHE_MAX_AGE_DAYS" in entry_for(pruning, ("--max-age-days",))
    assert "env var: TRNEWS_CACHE_DIR" in entry_for(pruning, ("--cache-dir",))
    served = option_entries(runner.invoke(app, ["serve", "--help"], terminal_width=WIDE).stdout)
    for setting in leaves():
        entry_for(served, setting.flag.option_names)
    entry_for(served, ("--param",))


@pytest.mark.parametrize("command", [["run", "articles"], ["serve", "articles"], ["list"]])
@pytest.mark.parametrize("variable, value", [("TRNEWS_THREADS", "abc"), ("TRNEWS_CHUNK_SIZE", "0"),
                                             ("TRNEWS_STORY_WINDOW_DAYS", "0")])
def test_a_bad_value_in_a_variable_stops_with_a_short_message_naming_it(command, variable, value):
    result = CliRunner().invoke(app, command, env={variable: value})
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert variable in result.output and "Traceback" not in result.output
    assert len(result.output.splitlines()) <= 4


def test_options_win_over_variables_which_win_over_defaults(monkeypatch):
    received: list[Settings] = []

    @takes_settings("beam_size", "summary_beam_size", "output_dir", "offline")
    def command(*, settings: Settings) -> None:
        received.append(settings)

    probe = typer.Typer()
    probe.command()(command)
    monkeypatch.setenv("TRNEWS_BEAM_SIZE", "3")
    monkeypatch.setenv("TRNEWS_SUMMARY_BEAM_SIZE", "5")
    result = CliRunner().invoke(probe, ["--summary-beam-size", "2", "-o", "elsewhere"])
    assert result.exit_code == 0, result.output
    [settings] = received
    assert (settings.translation.beam_size, settings.summary.beam_size) == (3, 2)
    assert str(settings.output_dir) == "elsewhere" and settings.offline is leaf("offline").field.default


class Refused(TrnewsError):
    exit_code = 3
    headline = "refused"


def test_a_trnews_error_is_its_message_on_stderr_and_its_exit_code():
    probe = typer.Typer(cls=TrnewsGroup)

    @probe.command()
    def fails() -> None:
        raise Refused("no [bold]entry[/] for /srv/haber [1]")

    @probe.command()
    def works() -> None:
        pass

    result = CliRunner().invoke(probe, ["fails"])
    assert result.exit_code == 3
    assert result.stderr == "trnews: refused\nno [bold]entry[/] for /srv/haber [1]\n"
    assert result.stdout == ""
