"""The cache folder (default `.trnews/`): what is in it, pruning what no run uses, emptying it.

- `manifest.sqlite`: per output folder and article, what its outputs were made from;
- `sentences.sqlite`: the sentence-level translation cache;
- `templates.sqlite`: per-site line statistics of the cleaner (`trnews.stages.clean.site_templates`);
- `stories.sqlite`: stories across runs (`trnews.stages.stories`);
- `ct2/`: models converted for the CTranslate2 engine;
- `locks/`: the run locks of output folders.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from trnews.pipeline.locks import LOCKS
from trnews.pipeline.manifest import MANIFEST, Manifest
from trnews.translation.sentence_cache import SentenceCache

SENTENCES = "sentences.sqlite"
CONVERTED = "ct2"
# Prefect result files of trnews versions before the manifest: nothing reads them any more.
LEGACY_RESULTS = "results"


@dataclass(frozen=True)
class CachePart:
    name: str
    entries: int
    size_bytes: int
    hits: int | None = None
    prunable: int = 0


@dataclass(frozen=True)
class CacheSummary:
    root: Path
    parts: list[CachePart]
    namespaces: dict[str, int] = field(default_factory=dict)
    max_age_days: float = 0.0


def _size(root: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in root.glob(pattern) if p.is_file())


def _folder(root: Path, name: str, label: str, entry_glob: str) -> CachePart:
    folder = root / name
    if not folder.is_dir():
        return CachePart(label, 0, 0)
    entries = sum(1 for _ in folder.glob(entry_glob))
    return CachePart(label, entries, sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()))


def _cutoff(max_age_days: float) -> float:
    return time.time() - max_age_days * 86400


def cache_summary(root: Path, max_age_days: float) -> CacheSummary:
    """Every part of the cache with its size, and how much of it `prune` would remove."""
    cutoff = _cutoff(max_age_days)
    parts, namespaces = [], {}
    if (root / SENTENCES).exists():
        cache = SentenceCache(root / SENTENCES)
        try:
            stats = cache.stats()
            stale = cache.prunable(max_age_days * 86400)[0]
        finally:
            cache.close()
        parts.append(CachePart("sentence translations", stats.entries, stats.size_bytes, stats.hits, stale))
        namespaces = stats.namespaces
    else:
        parts.append(CachePart("sentence translations", 0, 0, 0))
    if (root / MANIFEST).exists():
        manifest = Manifest(root / MANIFEST)
        try:
            parts.append(CachePart("article manifest", manifest.count(), _size(root, MANIFEST + "*"),
                                   prunable=manifest.unused_since(cutoff)))
        finally:
            manifest.close()
    parts.append(_folder(root, CONVERTED, "converted models", "*/*"))
    legacy = _folder(root, LEGACY_RESULTS, "old stage results", "*")
    if legacy.entries:
        parts.append(CachePart(legacy.name, legacy.entries, legacy.size_bytes, prunable=legacy.entries))
    return CacheSummary(root, parts, namespaces, max_age_days)


def prune_cache(root: Path, max_age_days: float) -> dict[str, int]:
    """Remove what no run has used for `max_age_days`: sentence translations, manifest entries
    (those articles are recomputed if they come back, translations permitting from the cache)
    and old-format stage results. Returns how many of each went."""
    cutoff = _cutoff(max_age_days)
    removed = {"sentence translations": 0, "article manifest": 0, "old stage results": 0}
    if (root / SENTENCES).exists():
        cache = SentenceCache(root / SENTENCES)
        try:
            removed["sentence translations"] = cache.prune(max_age_days * 86400)
        finally:
            cache.close()
    if (root / MANIFEST).exists():
        manifest = Manifest(root / MANIFEST)
        try:
            removed["article manifest"] = manifest.prune(cutoff)
        finally:
            manifest.close()
    if (root / LEGACY_RESULTS).is_dir():
        removed["old stage results"] = sum(1 for _ in (root / LEGACY_RESULTS).iterdir())
        shutil.rmtree(root / LEGACY_RESULTS, ignore_errors=True)
    return removed


def clear_cache(root: Path) -> None:
    """Empty the cache folder: every database, conversion, lock and old result."""
    for name in (LEGACY_RESULTS, CONVERTED, LOCKS):
        shutil.rmtree(root / name, ignore_errors=True)
    for database in root.glob("*.sqlite*"):  # sentences, manifest, site templates, stories
        database.unlink()
