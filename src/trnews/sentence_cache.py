"""A persistent sentence-level translation cache (SQLite).

Keyed by a namespace (model id, revision and generation settings: `TranslationConfig.
cache_namespace()`) and the exact source sentence, so an edited article retranslates only its
changed sentences and a sentence seen in any earlier article is never translated twice.
Each row carries a checksum of (namespace, source, translation): a corrupted row is detected,
dropped and recomputed rather than served. WAL mode and a busy timeout make concurrent
`trnews run` processes safe.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trnews.database import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    namespace TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    checksum TEXT NOT NULL,
    created REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, source_hash)
);
"""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    path: Path
    size_bytes: int
    entries: int
    namespaces: dict[str, int]
    hits: int


class SentenceCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA)
        self.corrupted = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_many(self, namespace: str, sentences: Iterable[str]) -> dict[str, str]:
        """Cached translations of those `sentences` that have a valid entry."""
        wanted = {_digest(s): s for s in sentences}
        found: dict[str, str] = {}
        corrupt: list[str] = []
        with self._lock:
            keys = list(wanted)
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT source_hash, source, target, checksum FROM translations "
                    f"WHERE namespace = ? AND source_hash IN ({','.join('?' * len(chunk))})",
                    [namespace, *chunk],
                ).fetchall()
                for source_hash, source, target, checksum in rows:
                    if source == wanted[source_hash] and checksum == _digest(namespace, source, target):
                        found[source] = target
                    else:
                        corrupt.append(source_hash)
            if found:
                self._db.executemany(
                    "UPDATE translations SET hits = hits + 1 WHERE namespace = ? AND source_hash = ?",
                    [(namespace, _digest(s)) for s in found],
                )
            if corrupt:
                self.corrupted += len(corrupt)
                self._db.executemany(
                    "DELETE FROM translations WHERE namespace = ? AND source_hash = ?",
                    [(namespace, h) for h in corrupt],
                )
        return found

    def put_many(self, namespace: str, translations: Sequence[tuple[str, str]]) -> None:
        now = time.time()
        rows = [
            (namespace, _digest(source), source, target, _digest(namespace, source, target), now)
            for source, target in translations
        ]
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (namespace, source_hash, source, target, checksum, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def stats(self) -> CacheStats:
        with self._lock:
            namespaces = dict(
                self._db.execute("SELECT namespace, COUNT(*) FROM translations GROUP BY namespace").fetchall()
            )
            hits = self._db.execute("SELECT COALESCE(SUM(hits), 0) FROM translations").fetchone()[0]
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheStats(self.path, size, sum(namespaces.values()), namespaces, hits)

    def prunable(self, older_than: float) -> tuple[int, int]:  # TEMPORARY: replaced by branch i13e
        with self._lock:
            rows = self._db.execute("SELECT COUNT(*) FROM translations WHERE created < ?", (time.time() - older_than,)).fetchone()[0]
        return rows, 0

    def prune(self, older_than: float) -> int:  # TEMPORARY: replaced by branch i13e
        with self._lock:
            return self._db.execute("DELETE FROM translations WHERE created < ?", (time.time() - older_than,)).rowcount

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM translations")
            self._db.execute("VACUUM")
