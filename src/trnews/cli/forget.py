"""`trnews forget`: drop articles from an output folder (a stale row of the index, an article
that should no longer be published)."""

from __future__ import annotations

from typing import Annotated

import typer

from trnews.cli.console import console
from trnews.cli.options import takes_settings
from trnews.config import Settings
from trnews.errors import TrnewsError


class NotInFolder(TrnewsError):
    """None of the ids to forget has a row or a file in the output folder."""


@takes_settings("output_dir", "cache_dir", "lock_timeout")
def forget(
    article_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Article ids, as `trnews list` shows them")],
    *,
    settings: Settings,
) -> None:
    """Drop articles from the output folder: their index rows, their files and what the cache
    knew of their outputs. A later run that reads them again makes them afresh."""
    from trnews.output.folder import forget_articles
    from trnews.pipeline.locks import run_lock
    from trnews.pipeline.manifest import Manifest
    from trnews.stores import CacheLayout

    output_dir = settings.output_dir
    with run_lock(output_dir, settings.lock_timeout):  # a run may be writing the index
        forgotten = forget_articles(output_dir, article_ids)
        manifest_path = CacheLayout(settings.cache_dir).manifest
        if forgotten and manifest_path.exists():
            manifest = Manifest(manifest_path)
            try:
                manifest.forget(output_dir, forgotten)
            finally:
                manifest.close()
    if not forgotten:
        raise NotInFolder(f"no article {', '.join(map(repr, article_ids))} in {output_dir}; "
                          f"`trnews list --output {output_dir}` shows the ids.")
    unknown = [i for i in article_ids if i not in forgotten]
    console.print(f"Forgot {', '.join(forgotten)} in {output_dir}"
                  + (f" (not there: {', '.join(unknown)})" if unknown else "") + ".", markup=False, highlight=False)
