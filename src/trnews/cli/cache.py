"""`trnews cache info|prune|clear`: the cache folder as its user sees it (the work is
`trnews.cli.cache_admin`'s, imported when a command runs: the pipeline imports it too)."""

from __future__ import annotations

from rich.table import Table

from trnews.cli.console import console
from trnews.cli.options import takes_settings
from trnews.config import Settings

_MAX_AGE = {"cache_max_age_days": ("--max-age-days",)}


@takes_settings("cache_dir", "cache_max_age_days", option_names=_MAX_AGE)
def info(*, settings: Settings) -> None:
    """Size of the cache, how often it was used and what `trnews cache prune` would remove."""
    from trnews.cli.cache_admin import cache_summary

    summary = cache_summary(settings.cache_dir, settings.cache_max_age_days)
    table = Table(title=f"trnews cache: {summary.root}")
    table.add_column("part")
    table.add_column("entries", justify="right")
    table.add_column("size", justify="right")
    table.add_column("hits", justify="right")
    table.add_column(f"unused > {summary.max_age_days:g} d", justify="right")
    for part in summary.parts:
        table.add_row(part.name, str(part.entries), _human(part.size_bytes), "" if part.hits is None else str(part.hits),
                      str(part.prunable))
    console.print(table)
    for namespace, count in summary.namespaces.items():
        console.print(f"  {count:>6} sentences  {namespace}", highlight=False)


@takes_settings("cache_dir", "cache_max_age_days", option_names=_MAX_AGE)
def prune(*, settings: Settings) -> None:
    """Remove cache entries no run has used for --max-age-days (translations, article manifest)."""
    from trnews.cli.cache_admin import prune_cache

    removed = prune_cache(settings.cache_dir, settings.cache_max_age_days)
    console.print(f"Pruned {settings.cache_dir}: " + ", ".join(f"{n} {part}" for part, n in removed.items()),
                  markup=False, highlight=False)


@takes_settings("cache_dir")
def clear(*, settings: Settings) -> None:
    """Delete every cached stage result, translation and converted model."""
    from trnews.cli.cache_admin import clear_cache

    clear_cache(settings.cache_dir)
    console.print(f"Cleared {settings.cache_dir}")


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
