"""Where the commands write: `console` (stdout, through rich) for what they show, `print_error`
(stderr, plain text) for what went wrong, and the table of counts that ends a run."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trnews.config import Settings
from trnews.records import RunReport
from trnews.translation.catalog import notices

console = Console()

_COUNT_COLUMNS = ("ok", "skipped", "failed", "sentences translated", "reused", "time")


def print_error(message: str) -> None:
    """`trnews: <message>` on stderr, as it is: messages hold paths and brackets, never markup."""
    typer.echo(f"trnews: {message}", err=True)


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
    table.add_row(*(str(report.counts.get(k, 0)) for k in ("ok", "skipped", "failed")),
                  str(report.translation.translated), str(report.translation.reused), f"{report.seconds:.1f} s")
    console.print(table)
    for article in report.articles:
        if article.status != "ok":
            # Paths and reasons come from the inputs: Text, never markup ("[/]" in a path would raise).
            line = Text("  ").append(article.status, style="yellow").append(
                f" {article.id} ({article.source}): {article.reason}")
            console.print(line, highlight=False, soft_wrap=True)
