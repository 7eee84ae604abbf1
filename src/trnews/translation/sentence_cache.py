"""A persistent sentence-level translation cache (SQLite).

Keyed by a namespace (`translate.translation_namespace`: the settings, the model as loaded, the
engine's compute type and the translation code's version) and the exact source sentence, so an
edited article retranslates only its changed sentences and a sentence seen in any earlier article
is never translated twice.

Nothing in the file is trusted: each row carries a checksum of (namespace, source, translation),
and a row that fails it is dropped and recomputed rather than served; a file SQLite reports as
damaged ("file is not a database", "database disk image is malformed") is moved aside
(`sentences.sqlite.corrupt-<UTC time>`) with a warning and the cache starts again empty, so a
damaged cache costs retranslation, never failed articles. Writes are transactions (a killed
process leaves whole batches or nothing); WAL mode and a busy timeout make concurrent `trnews run`
processes safe. Each row records when a run last used it, for `prune`.

Each row holds the model's score of its translation (`base.Hypothesis`), covered by the checksum.
Rows written before scores were kept (schema version 0) have none: they are not served but
translated again, which scores them, and replaced; the file is upgraded in place, so its other
rows and their use counts stay.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from trnews.database import connect, move_aside, replaceable, transaction
from trnews.translation.base import Hypothesis

log = logging.getLogger(__name__)

T = TypeVar("T")

# 1: rows carry the model's score of their translation.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    namespace TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score REAL,
    checksum TEXT NOT NULL,
    created REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    last_used REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, source_hash)
);
"""

# Bytes a row costs beyond its texts, roughly: two hex digests, numbers, record headers and the
# primary-key index entry (which repeats the namespace and the source digest).
_ROW_OVERHEAD = 3 * 64 + 48

def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _row_checksum(namespace: str, source: str, target: str, score: float | None) -> str:
    return _digest(namespace, source, target, repr(score))


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
        self.corrupted = 0  # rows that failed their checksum
        self.moved_aside: list[Path] = []  # damaged files this object replaced
        try:
            self._db = connect(path, _SCHEMA, initialise=_upgrade)
        except sqlite3.DatabaseError as error:
            self._replace_damaged(error)

    def _replace_damaged(self, error: sqlite3.DatabaseError) -> None:
        if not replaceable(error):
            raise error
        aside = move_aside(self.path, error)
        if aside:
            self.moved_aside.append(aside)
        self._db = connect(self.path, _SCHEMA, initialise=_upgrade)

    def _guarded(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """`operation` on the database; if SQLite finds the file damaged, on a rebuilt one."""
        with self._lock:
            try:
                return operation(self._db)
            except sqlite3.DatabaseError as error:
                if not replaceable(error):
                    raise
                self._db.close()
                self._replace_damaged(error)
                return operation(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_many(self, namespace: str, sentences: Iterable[str]) -> dict[str, Hypothesis]:
        """Cached translations of those `sentences` that have a valid, scored entry (marked as used
        now)."""
        wanted = {_digest(s): s for s in sentences}

        def read(db: sqlite3.Connection) -> dict[str, Hypothesis]:
            found: dict[str, Hypothesis] = {}
            corrupt: list[str] = []
            keys = list(wanted)
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                rows = db.execute(
                    f"SELECT source_hash, source, target, score, checksum FROM translations "
                    f"WHERE namespace = ? AND score IS NOT NULL AND source_hash IN ({','.join('?' * len(chunk))})",
                    [namespace, *chunk],
                ).fetchall()
                for source_hash, source, target, score, checksum in rows:
                    if source == wanted[source_hash] and checksum == _row_checksum(namespace, source, target, score):
                        found[source] = Hypothesis(target, score)
                    else:
                        corrupt.append(source_hash)
            if found or corrupt:
                now = time.time()
                with transaction(db):
                    db.executemany(
                        "UPDATE translations SET hits = hits + 1, last_used = ? WHERE namespace = ? AND source_hash = ?",
                        [(now, namespace, _digest(s)) for s in found],
                    )
                    db.executemany(
                        "DELETE FROM translations WHERE namespace = ? AND source_hash = ?",
                        [(namespace, h) for h in corrupt],
                    )
            self.corrupted += len(corrupt)
            return found

        return self._guarded(read)

    def put_many(self, namespace: str, translations: Sequence[tuple[str, Hypothesis]]) -> None:
        """Stores `translations` (source, hypothesis) in one transaction: all of them or, if the
        process dies meanwhile, none."""
        now = time.time()
        rows = [
            (namespace, _digest(source), source, h.text, h.score,
             _row_checksum(namespace, source, h.text, h.score), now, now)
            for source, h in translations
        ]

        def write(db: sqlite3.Connection) -> None:
            with transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO translations "
                    "(namespace, source_hash, source, target, score, checksum, created, last_used) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

        self._guarded(write)

    def prunable(self, older_than_seconds: float) -> tuple[int, int]:
        """How many rows no run has used for `older_than_seconds`, and roughly how many bytes they
        take (the file shrinks by about that much once they are pruned)."""

        def count(db: sqlite3.Connection) -> tuple[int, int]:
            rows, size = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(2 * LENGTH(CAST(namespace AS BLOB)) + LENGTH(CAST(source AS BLOB)) "
                "+ LENGTH(CAST(target AS BLOB)) + ?), 0) FROM translations WHERE last_used < ?",
                (_ROW_OVERHEAD, time.time() - older_than_seconds),
            ).fetchone()
            return int(rows), int(size)

        return self._guarded(count)

    def prune(self, older_than_seconds: float) -> int:
        """Deletes the rows no run has used for `older_than_seconds` and gives their space back to
        the file system; returns how many were deleted."""

        def delete(db: sqlite3.Connection) -> int:
            with transaction(db):
                deleted = db.execute(
                    "DELETE FROM translations WHERE last_used < ?", (time.time() - older_than_seconds,)
                ).rowcount
            if deleted:
                db.execute("VACUUM")
            return deleted

        return self._guarded(delete)

    def stats(self) -> CacheStats:
        def read(db: sqlite3.Connection) -> tuple[dict[str, int], int]:
            namespaces = dict(db.execute("SELECT namespace, COUNT(*) FROM translations GROUP BY namespace").fetchall())
            return namespaces, db.execute("SELECT COALESCE(SUM(hits), 0) FROM translations").fetchone()[0]

        namespaces, hits = self._guarded(read)
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return CacheStats(self.path, size, sum(namespaces.values()), namespaces, hits)

    def clear(self) -> None:
        def empty(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM translations")
            db.execute("VACUUM")

        self._guarded(empty)


def _upgrade(db: sqlite3.Connection) -> None:
    """A cache of an older schema, upgraded in place: rows gain their last use (counted from their
    creation) and an empty score (such rows are translated again, see above)."""
    if int(db.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION and "score" in _columns(db):
        return
    with transaction(db):  # another process may have upgraded it meanwhile: look again inside
        columns = _columns(db)
        if "last_used" not in columns:
            db.execute("ALTER TABLE translations ADD COLUMN last_used REAL NOT NULL DEFAULT 0")
            db.execute("UPDATE translations SET last_used = created")
        if "score" not in columns:
            db.execute("ALTER TABLE translations ADD COLUMN score REAL")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _columns(db: sqlite3.Connection) -> set[str]:
    return {row[1] for row in db.execute("PRAGMA table_info(translations)")}
