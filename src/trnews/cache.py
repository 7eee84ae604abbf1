"""The cache folder (default `.trnews/`): what is in it, and emptying it.

- `results/`: Prefect's persisted stage results (JSON), one file per cache key;
- `sentences.sqlite`: the sentence-level translation cache;
- `ct2/`: models converted for the CTranslate2 engine.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from trnews.sentence_cache import SentenceCache

SENTENCES = "sentences.sqlite"
RESULTS = "results"
CONVERTED = "ct2"


@dataclass(frozen=True)
class CachePart:
    name: str
    entries: int
    size_bytes: int
    hits: int | None = None


@dataclass(frozen=True)
class CacheSummary:
    root: Path
    parts: list[CachePart]
    namespaces: dict[str, int] = field(default_factory=dict)


def _folder(root: Path, name: str, label: str, entry_glob: str) -> CachePart:
    folder = root / name
    if not folder.is_dir():
        return CachePart(label, 0, 0)
    entries = sum(1 for _ in folder.glob(entry_glob))
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return CachePart(label, entries, size)


def cache_summary(root: Path) -> CacheSummary:
    parts = [_folder(root, RESULTS, "stage results", "*")]
    namespaces: dict[str, int] = {}
    if (root / SENTENCES).exists():
        cache = SentenceCache(root / SENTENCES)
        try:
            stats = cache.stats()
        finally:
            cache.close()
        parts.append(CachePart("sentence translations", stats.entries, stats.size_bytes, stats.hits))
        namespaces = stats.namespaces
    else:
        parts.append(CachePart("sentence translations", 0, 0, 0))
    parts.append(_folder(root, CONVERTED, "converted models", "*/*"))
    return CacheSummary(root, parts, namespaces)


def clear_cache(root: Path) -> None:
    for name in (RESULTS, CONVERTED):
        shutil.rmtree(root / name, ignore_errors=True)
    for sqlite_file in root.glob(SENTENCES + "*"):
        sqlite_file.unlink()
