"""Incremental runs: which articles are unchanged, and recording what each written one was made from.

Before any task exists, the manifest says which articles are unchanged: the same bytes, outputs
still on disk (the article's record read back and valid), the same pipeline fingerprint, and site-template verdicts judged on the same
statistics (then they still hold, and the article costs no judging: most of what a night
without news would cost) or judged again and found the same. Unchanged articles cost nothing;
the rest become `Work` for the stages.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from trnews.output.folder import article_status, read_article
from trnews.pipeline.ledger import Ledger
from trnews.pipeline.manifest import Entry, Manifest
from trnews.pipeline.stage import Work
from trnews.records import DigestEntry, RawArticle
from trnews.stages.clean.site_templates import SiteTemplate, TemplateStats, source_of


@dataclass(frozen=True)
class MadeWith:
    """What an article's outputs are made from besides its bytes: the pipeline fingerprint, its
    site-template verdicts (when the corpus statistics change what counts as template in an
    article, it is cleaned again; statistics that move elsewhere do not touch it), and the
    version of its site's statistics they were judged on (`TemplateStats.versions`)."""

    pipeline: str
    verdicts: str
    statistics: str

    @staticmethod
    def of(pipeline: str, template: SiteTemplate, statistics: str) -> MadeWith:
        return MadeWith(pipeline, hashlib.sha256(template.model_dump_json().encode()).hexdigest()[:16], statistics)

    def encode(self) -> str:
        return f"{self.pipeline}|{self.verdicts}|{self.statistics}"

    @staticmethod
    def decode(text: str) -> MadeWith | None:
        parts = text.split("|")
        return MadeWith(*parts) if len(parts) == 3 else None


@dataclass(frozen=True)
class SortedOut:
    unchanged: list[RawArticle]
    pending: list[Work]
    rejudged: list[Entry]  # unchanged articles whose statistics moved without changing their verdicts


def sort_out(raws: Sequence[RawArticle], fingerprint: str, stats: TemplateStats, known: dict[str, Entry],
             output_dir: Path) -> SortedOut:
    """Unchanged articles, articles to process, and the manifest entries to update."""
    versions = stats.versions()
    unchanged: list[RawArticle] = []
    pending: list[Work] = []
    rejudged: list[Entry] = []
    for raw in raws:
        entry, statistics = known.get(raw.id), versions.get(source_of(raw), "")
        current = entry is not None and _outputs_current(raw, entry, output_dir)
        before = MadeWith.decode(entry.fingerprint) if entry else None
        if current and before and (before.pipeline, before.statistics) == (fingerprint, statistics):
            unchanged.append(raw)
            continue
        template = stats.template_for(raw)
        made_with = MadeWith.of(fingerprint, template, statistics)
        if current and before and (before.pipeline, before.verdicts) == (made_with.pipeline, made_with.verdicts):
            unchanged.append(raw)
            rejudged.append(Entry(entry.article_id, entry.source_sha256, made_with.encode(), entry.status,
                                  entry.digest, entry.written))
            continue
        pending.append(Work(raw=raw, template=template, made_with=made_with.encode()))
    return SortedOut(unchanged, pending, rejudged)


def _outputs_current(raw: RawArticle, entry: Entry, output_dir: Path) -> bool:
    """Whether the entry's outputs were made from these bytes and are still on disk, the record
    sound (a damaged one makes the article changed: it is written again)."""
    if entry.source_sha256 != raw.source.sha256:
        return False
    return entry.status.status == "skipped" or read_article(output_dir, raw.id) is not None


def record_wave(manifest: Manifest, ledger: Ledger, output_dir: Path, wave: Sequence[Work],
                finished: dict[str, Work]) -> None:
    """Record in the manifest, and in the ledger's index rows, what the wave wrote (and the
    articles it skipped, which are remembered as such); failed articles are tried again next run."""
    written, processed_at = time.time(), now()
    entries = []
    for work in wave:
        output = finished[work.id].output if work.id in finished else None
        if output is not None:
            status = article_status(output, processed_at)
            ledger.record(status)
            digest = DigestEntry(id=output.id, title=output.title, published=output.published, outlet=output.outlet,
                                 url=output.url, summary=output.summary)
            entries.append(Entry(work.id, work.raw.source.sha256, work.made_with, status, digest, written))
            continue
        status = ledger.statuses.get(work.id)
        if status is not None and status.status == "skipped":
            status.processed_at = processed_at
            entries.append(Entry(work.id, work.raw.source.sha256, work.made_with, status, None, written))
    manifest.record(output_dir, entries)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
