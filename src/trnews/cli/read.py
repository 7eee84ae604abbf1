"""Reading an output folder in the terminal: `show` (one article, side by side), `list`, `stories`,
`runs` (past runs' reports) and `schema` (of the article JSON)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from trnews.cli.console import console, warnings_as_lines
from trnews.cli.options import takes_settings
from trnews.config import Settings
from trnews.errors import TrnewsError


class NotInOutputs(TrnewsError):
    """What the user asked to see is not in the output folder; the message says what makes it."""


@takes_settings("output_dir")
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id, as `trnews list` shows it")],
    full: Annotated[bool, typer.Option("--full", help="The whole article too, sentence by sentence")] = False,
    *,
    settings: Settings,
) -> None:
    """Print an article's bilingual summary side by side (with --full, the whole article)."""
    from trnews.cli.terminal import article_view
    from trnews.output.files import DamagedFile
    from trnews.output.folder import load_article, read_index

    output_dir = settings.output_dir
    with warnings_as_lines():
        try:
            output = load_article(output_dir, article_id)
        except FileNotFoundError:
            row = next((r for r in read_index(output_dir) if r.id == article_id), None)
            why = f" ({row.status}: {row.reason})" if row and row.reason else ""
            raise NotInOutputs(f"no output for {article_id!r} in {output_dir}{why}.\n"
                               f"`trnews list --output {output_dir}` shows the available ids.") from None
        except DamagedFile as damage:
            raise NotInOutputs(f"{damage}; the next `trnews run` over its input writes it again.") from None
    console.print(article_view(output, full=full))


@takes_settings("output_dir")
def list_articles(
    flagged: Annotated[bool, typer.Option("--flagged", help="Only articles with doubtful translations")] = False,
    *,
    settings: Settings,
) -> None:
    """List the articles in the output folder (index.json), newest first, with status and reason."""
    from trnews.cli.terminal import index_table
    from trnews.output.folder import read_index

    output_dir = settings.output_dir
    with warnings_as_lines():
        rows = read_index(output_dir)
    if not rows:
        raise NotInOutputs(f"no articles in {output_dir} yet (no index.json); "
                           f"`trnews run FILES --output {output_dir}` makes them.")
    if flagged:
        rows = [row for row in rows if row.flagged]
        if not rows:
            console.print(f"No article in {output_dir} has a doubtful translation.")
            return
    console.print(index_table(rows, title=str(output_dir)))


@takes_settings("output_dir")
def stories(
    all_stories: Annotated[bool, typer.Option("--all", help="Single-article stories too")] = False,
    *,
    settings: Settings,
) -> None:
    """List the stories in the output folder (stories.json), biggest first, with their outlets."""
    from trnews.cli.terminal import stories_table
    from trnews.output.files import DamagedFile
    from trnews.output.folder import load_stories

    output_dir = settings.output_dir
    try:
        listed = load_stories(output_dir)
    except DamagedFile as damage:
        raise NotInOutputs(f"{damage}; the next `trnews run` into {output_dir} rebuilds it from the story "
                           "store.") from None
    found = [s for s in listed if all_stories or len(s.article_ids) > 1]
    if not found:
        raise NotInOutputs(f"no stories of several articles in {output_dir} (stories.json); "
                           "`trnews stories --all` lists single-article ones too.")
    found.sort(key=lambda s: len(s.article_ids), reverse=True)
    console.print(stories_table(found, title=f"stories in {output_dir}"))


@takes_settings("output_dir")
def runs(
    limit: Annotated[int, typer.Option(min=1, help="How many runs to show")] = 20,
    *,
    settings: Settings,
) -> None:
    """List past runs from their reports (run-*.json in the output folder), newest first.

    A run that failed as a whole wrote no report: `prefect flow-run ls` shows it."""
    from trnews.cli.schedule import run_name, run_status
    from trnews.output.folder import read_run_reports

    output_dir = settings.output_dir
    with warnings_as_lines():
        found = read_run_reports(output_dir, limit)
    if not found:
        raise NotInOutputs(f"no run reports in {output_dir} yet.")
    # One line a run, in 80 columns: counts as ok/skipped/failed and translated/reused pairs, the
    # local time without its zone. A run is named by its Prefect flow-run name, else the random
    # tail of its id (scheduled runs' ids start with a timestamp, so their heads are alike); a
    # name too long for the terminal is cut short with "…", never broken over two lines.
    table = Table(title=Text(f"runs in {output_dir}"), box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    rows = []
    for report in found:
        finished = datetime.fromisoformat(report.finished).astimezone()
        counts = "/".join(str(report.counts.get(k, 0)) for k in ("ok", "skipped", "failed"))
        sentences = f"{report.translation.translated}/{report.translation.reused}"
        rows.append((f"{finished:%Y-%m-%d %H:%M}", run_name(report), counts, sentences, f"{report.seconds:.1f} s",
                     run_status(report)))
    headers = ("finished", "run", "ok/skip/fail", "new/reused", "time", "status")
    widths = [max(len(value) for value in [header, *(row[number] for row in rows)]) for number, header in enumerate(headers)]
    # Every column but the name as wide as its widest value; the name gets what is left of the
    # line (between two columns: a space and the padding on each side).
    widths[1] = max(len(headers[1]), min(widths[1], console.width - 3 * (len(headers) - 1) - sum(widths) + widths[1]))
    for number, (header, width) in enumerate(zip(headers, widths)):
        table.add_column(header, no_wrap=True, overflow="ellipsis", width=width,
                         justify="right" if header in ("ok/skip/fail", "new/reused", "time") else "left")
    for row in rows:
        table.add_row(*map(Text, row))
    console.print(table)


def schema() -> None:
    """Print the JSON Schema of `outputs/articles/<id>.json`."""
    from trnews.records import ArticleOutput

    json.dump(ArticleOutput.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
