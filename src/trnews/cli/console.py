"""Where the commands write: `console` (stdout, through rich) for what they show, `print_error`
(stderr, plain text) for what went wrong, and the table of counts that ends a run."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trnews.config import Settings
from trnews.records import RunReport
from trnews.text.visible import terminal_safe
from trnews.translation.catalog import notices

console = Console()

# "unchanged": the articles among them whose outputs were current (no stage ran for them).
_COUNT_COLUMNS = ("ok", "skipped", "failed", "unchanged", "sentences translated", "reused", "time")


def print_error(message: str) -> None:
    """`trnews: <message>` on stderr, as plain text: messages hold paths and brackets, never
    markup, and nothing of a path reaches the terminal as a control sequence."""
    typer.echo(f"trnews: {terminal_safe(message)}", err=True)


class _ErrorLines(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        print_error(f"warning: {' '.join(record.getMessage().split())}")


@contextmanager
def warnings_as_lines() -> Iterator[None]:
    """trnews's own warnings during the block (a damaged file it read and what it did instead)
    as one `trnews: warning: ...` line each on stderr, whatever logging is set up."""
    logger, handler = logging.getLogger("trnews"), _ErrorLines(logging.WARNING)
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def print_note(message: str) -> None:
    """A line about what the command is doing (on stderr, beside the errors: stdout is the result)."""
    print_error(message)


def tell_model_notices(settings: Settings) -> None:
    """What the user must know about the translation models before a run: a non-commercial licence,
    a model known to be useless for Turkish -> English (`catalog.notices`)."""
    models = [settings.translation.chosen_model]
    if settings.summary.kind == "abstractive":
        models.append(settings.back_translation().chosen_model)
    for model in models:
        for notice in notices(model):
            print_error(notice)


def print_report(report: RunReport, title: str) -> None:
    """A run's counts, then a line for each article that is not ok, with its reason."""
    table = Table(title=title)
    for column in _COUNT_COLUMNS:
        table.add_column(column, justify="right")
    table.add_row(*(str(report.counts.get(k, 0)) for k in ("ok", "skipped", "failed")), str(report.unchanged),
                  str(report.translation.translated), str(report.translation.reused), f"{report.seconds:.1f} s")
    console.print(table)
    for problem in report.input_problems:
        console.print(Text("  ").append("failed", style="red").append(f" {problem.path}: {problem.reason}"),
                      highlight=False, soft_wrap=True)
    for article in report.articles:
        if article.status != "ok":
            # Paths and reasons come from the inputs: Text, never markup ("[/]" in a path would raise).
            line = Text("  ").append(article.status, style="yellow").append(
                terminal_safe(f" {article.id} ({article.source}): {article.reason}"))
            console.print(line, highlight=False, soft_wrap=True)
