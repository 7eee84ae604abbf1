"""Where the commands write: `console` (stdout, through rich) for what they show, `print_error`
(stderr, plain text) for what went wrong, and the table of counts that ends a run."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trnews.records import RunReport

console = Console()

# "unchanged": the articles among them whose outputs were current (no stage ran for them).
_COUNT_COLUMNS = ("ok", "skipped", "failed", "unchanged", "sentences translated", "reused", "time")


def print_error(message: str) -> None:
    """`trnews: <message>` on stderr, as it is: messages hold paths and brackets, never markup."""
    typer.echo(f"trnews: {message}", err=True)


def print_note(message: str) -> None:
    """A line about what the command is doing (on stderr, beside the errors: stdout is the result)."""
    print_error(message)


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
                f" {article.id} ({article.source}): {article.reason}")
            console.print(line, highlight=False, soft_wrap=True)
