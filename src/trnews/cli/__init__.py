"""The `trnews` command line: the app, its commands (each module's own concern: `run`, `fetch`,
`read`, `serve`, `cache`, `qa`), and the one place where an error trnews explains becomes a message
and an exit code.

Every `TrnewsError` a command raises ends the command as `trnews: <message>` on stderr, as plain
text, and the error's `exit_code`; the app does this itself (`TrnewsGroup`), so that `main`, the
`app` object and a test's `CliRunner` all behave as a user sees it.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from trnews import __version__
from trnews.cli import cache, evaluate, fetch, forget, qa, read, run, serve
from trnews.cli.console import print_error
from trnews.errors import TrnewsError

__all__ = ["TrnewsGroup", "app", "main"]


class TrnewsGroup(TyperGroup):
    """The command group that turns a `TrnewsError` into its message and exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrnewsError as error:
            print_error("\n".join(line for line in (error.headline, str(error)) if line))
            raise typer.Exit(error.exit_code) from None


# Plain (click) help: it wraps every option's help, environment variable and default to the
# terminal's width, where rich's panels cut long option names at 80 columns.
app = typer.Typer(cls=TrnewsGroup, help="Turkish news in English: bilingual side-by-side summaries.",
                  no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None)
cache_app = typer.Typer(help="Inspect, prune or empty the cache (manifest, translations, statistics, converted models).",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"trnews {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = False) -> None:
    """Turkish news in English: bilingual side-by-side summaries."""

app.command()(run.run)
app.command()(fetch.fetch)
app.command()(serve.serve)
app.command()(serve.trigger)
app.command()(read.runs)
app.command()(run.clean)
app.command()(read.schema)
app.command("eval")(evaluate.evaluate)
app.command()(read.show)
app.command("list")(read.list_articles)
app.command()(forget.forget)
app.command()(read.stories)
app.command()(qa.qa)
cache_app.command()(cache.info)
cache_app.command()(cache.prune)
cache_app.command()(cache.clear)


def main() -> None:
    """The `trnews` console command."""
    app(prog_name="trnews")
