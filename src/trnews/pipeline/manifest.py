"""The manifest (`manifest.sqlite` in the cache folder): for every article written into an output
folder, what its outputs were made from (the source bytes' sha256 and the pipeline fingerprint),
its index row and its digest entry.

A run asks the manifest, before it creates any task, which articles are unchanged: same bytes,
same fingerprint, outputs still on disk. Those cost no task run and no model; their rows are
carried into the index, the digest and the run report as they are. Every row carries a checksum
over its content; a row that does not match is treated as absent (recomputed), and a damaged
database file is moved aside and rebuilt, like the sentence cache.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trnews.database import open_database, transaction
from trnews.records import ArticleStatus, DigestEntry

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    output_dir TEXT NOT NULL,
    article_id TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    row TEXT NOT NULL,
    digest TEXT,
    written REAL NOT NULL,
    last_used REAL NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (output_dir, article_id)
);
"""


@dataclass(frozen=True)
class Entry:
    """What an article's current outputs were made from."""

    article_id: str
    source_sha256: str
    fingerprint: str
    status: ArticleStatus
    digest: DigestEntry | None
    written: float


def _checksum(output_dir: str, article_id: str, sha: str, fingerprint: str, row: str, digest: str | None,
              written: float) -> str:
    payload = "\x1f".join([output_dir, article_id, sha, fingerprint, row, digest or "", repr(written)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def entries(self, output_dir: Path) -> dict[str, Entry]:
        """Every sound entry of `output_dir`, by article id."""
        folder = str(output_dir.resolve())
        with self._lock:
            rows = self._db.execute(
                "SELECT article_id, source_sha256, fingerprint, row, digest, written, checksum "
                "FROM articles WHERE output_dir = ?", (folder,)).fetchall()
        found: dict[str, Entry] = {}
        for article_id, sha, fingerprint, row, digest, written, checksum in rows:
            if checksum != _checksum(folder, article_id, sha, fingerprint, row, digest, written):
                log.warning("manifest entry of %s in %s is damaged; it will be recomputed", article_id, folder)
                continue
            found[article_id] = Entry(
                article_id, sha, fingerprint, ArticleStatus.model_validate_json(row),
                DigestEntry.model_validate_json(digest) if digest else None, written)
        return found

    def record(self, output_dir: Path, entries: Sequence[Entry]) -> None:
        folder, now = str(output_dir.resolve()), time.time()
        rows = []
        for entry in entries:
            row = entry.status.model_dump_json()
            digest = entry.digest.model_dump_json() if entry.digest else None
            rows.append((folder, entry.article_id, entry.source_sha256, entry.fingerprint, entry.status.status, row,
                         digest, entry.written, now,
                         _checksum(folder, entry.article_id, entry.source_sha256, entry.fingerprint, row, digest,
                                   entry.written)))
        with self._lock, transaction(self._db):
            self._db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def touch(self, output_dir: Path, article_ids: Iterable[str]) -> None:
        """Mark entries as used by this run (what `prune` keeps)."""
        folder, now = str(output_dir.resolve()), time.time()
        with self._lock, transaction(self._db):
            self._db.executemany("UPDATE articles SET last_used = ? WHERE output_dir = ? AND article_id = ?",
                                 [(now, folder, i) for i in article_ids])

    def forget(self, output_dir: Path, article_ids: Iterable[str]) -> None:
        """Drop the entries of `article_ids` (a later run over their inputs makes them afresh)."""
        folder = str(output_dir.resolve())
        with self._lock, transaction(self._db):
            self._db.executemany("DELETE FROM articles WHERE output_dir = ? AND article_id = ?",
                                 [(folder, i) for i in article_ids])

    def unused_since(self, cutoff: float) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles WHERE last_used < ?", (cutoff,)).fetchone()[0]

    def prune(self, cutoff: float) -> int:
        """Forget entries no run has used since `cutoff` (their articles are recomputed if seen again)."""
        with self._lock:
            return self._db.execute("DELETE FROM articles WHERE last_used < ?", (cutoff,)).rowcount

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
