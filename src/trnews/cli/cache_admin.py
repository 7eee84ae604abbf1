"""The cache folder (default `.trnews/`, laid out by `trnews.stores.CacheLayout`): what is in it,
pruning what no run uses, emptying it."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from trnews.pipeline.manifest import Manifest
from trnews.stores import CacheLayout
from trnews.translation.sentence_cache import SentenceCache



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


def _folder(folder: Path, label: str, entry_glob: str) -> CachePart:
    if not folder.is_dir():
        return CachePart(label, 0, 0)
    entries = sum(1 for _ in folder.glob(entry_glob))
    return CachePart(label, entries, sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()))


def _cutoff(max_age_days: float) -> float:
    return time.time() - max_age_days * 86400


def cache_summary(root: Path, max_age_days: float) -> CacheSummary:
    """Every part of the cache with its size, and how much of it `prune` would remove."""
    layout = CacheLayout(root)
    cutoff = _cutoff(max_age_days)
    parts, namespaces = [], {}
    if layout.sentences.exists():
        cache = SentenceCache(layout.sentences)
        try:
            stats = cache.stats()
            stale = cache.prunable(max_age_days * 86400)[0]
        finally:
            cache.close()
        parts.append(CachePart("sentence translations", stats.entries, stats.size_bytes, stats.hits, stale))
        namespaces = stats.namespaces
    else:
        parts.append(CachePart("sentence translations", 0, 0, 0))
    if layout.manifest.exists():
        manifest = Manifest(layout.manifest)
        try:
            size = sum(p.stat().st_size for p in root.glob(layout.manifest.name + "*") if p.is_file())
            parts.append(CachePart("article manifest", manifest.count(), size, prunable=manifest.unused_since(cutoff)))
        finally:
            manifest.close()
    parts.append(_folder(layout.converted, "converted models", "*/*"))
    return CacheSummary(root, parts, namespaces, max_age_days)


def prune_cache(root: Path, max_age_days: float) -> dict[str, int]:
    """Remove what no run has used for `max_age_days`: sentence translations, manifest entries
    (those articles are recomputed if they come back, translations permitting from the cache).
    Returns how many of each went."""
    layout = CacheLayout(root)
    removed = {"sentence translations": 0, "article manifest": 0}
    if layout.sentences.exists():
        cache = SentenceCache(layout.sentences)
        try:
            removed["sentence translations"] = cache.prune(max_age_days * 86400)
        finally:
            cache.close()
    if layout.manifest.exists():
        manifest = Manifest(layout.manifest)
        try:
            removed["article manifest"] = manifest.prune(_cutoff(max_age_days))
        finally:
            manifest.close()
    return removed


def clear_cache(root: Path) -> None:
    """Empty the cache folder: every database and conversion."""
    layout = CacheLayout(root)
    shutil.rmtree(layout.converted, ignore_errors=True)
    for database in layout.databases():  # sentences, manifest, site templates, stories
        database.unlink()
