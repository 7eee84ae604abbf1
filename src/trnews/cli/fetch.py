"""`trnews fetch`: what is new at the outlets of the sources file, fetched politely into the
archive (`trnews.fetch`), with a table of what each source gave and why pages were left."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from trnews.cli.console import console, print_error
from trnews.cli.options import takes_settings
from trnews.config import Settings
from trnews.records import FetchReport
from trnews.text.visible import terminal_safe

_OUTCOMES = ("new", "known", "duplicate", "skipped", "failed", "deferred")
# Problems shown per source; the rest are counted.
_SHOWN_PROBLEMS = 10

RefetchOpt = Annotated[bool, typer.Option("--refetch", help="Fetch listed articles again, even those fetched before.")]
SourceOpt = Annotated[Optional[list[str]], typer.Option(
    "--source", metavar="NAME", help="Only the source of this name (as in the sources file); repeatable.")]


@takes_settings("cache_dir", "lock_timeout", "sources", "fetch_dir", "fetch_contact", "fetch_delay", "fetch_timeout",
                "fetch_max_bytes", "fetch_retries", "fetch_hosts", "fetch_max_articles", "fetch_max_age_days")
def fetch(refetch: RefetchOpt = False, source: SourceOpt = None, *, settings: Settings) -> None:
    """Fetch new articles from the outlets in the sources file (RSS/Atom feeds, sitemaps) into
    the archive: a WARC file a day in --fetch-dir, which `trnews run` reads. Obeys robots.txt, one
    request at a time per host. Exit code 1 when a source gave nothing because it failed."""
    from trnews.fetch.fetcher import fetch_sources

    report = fetch_sources(settings, refetch=refetch, only=source or [])
    print_fetch_report(report)
    if not settings.fetch.contact:
        print_error("no contact in the User-Agent: set --fetch-contact (TRNEWS_FETCH_CONTACT) to an e-mail or URL "
                    "where the sites you fetch from can reach you")
    if any(s.failed for s in report.sources):
        raise typer.Exit(1)


def print_fetch_report(report: FetchReport) -> None:
    """Per source: listings read (unchanged), articles listed and by outcome; then each source's
    problems and where the new articles went."""
    table = Table(title=f"fetch · {report.user_agent}")
    for column in ("source", "listings", "unchanged", "listed", *_OUTCOMES):
        table.add_column(column, justify="left" if column == "source" else "right")
    for source in report.sources:
        table.add_row(Text(source.name), str(source.listings), str(source.unchanged), str(source.listed),
                      *(str(source.articles.get(outcome, 0)) for outcome in _OUTCOMES))
    console.print(table)
    for source in report.sources:
        if source.failed:
            failed = terminal_safe(f" {source.name}: {source.failed}")
            console.print(Text("  ").append("failed", style="red").append(failed),
                          soft_wrap=True)
        for problem in source.problems[:_SHOWN_PROBLEMS]:
            # Problems quote what servers sent (addresses, reasons): never as control sequences.
            console.print(Text(terminal_safe(f"  {source.name}: {problem}"), style="dim"), soft_wrap=True)
        hidden = len(source.problems) - _SHOWN_PROBLEMS
        if hidden > 0:
            console.print(Text(f"  {source.name}: … and {hidden} more"), soft_wrap=True)
    console.print(Text(f"{report.requests} requests ({report.not_modified} answered 304 Not Modified), "
                       f"{report.bytes / 1_000_000:.1f} MB in {report.seconds:.1f} s; "
                       f"{report.new_articles} new article(s)"
                       + (f" in {', '.join(report.archives)}" if report.archives else "")), soft_wrap=True)
