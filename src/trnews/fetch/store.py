"""What fetching remembers between runs (`.trnews/fetched.sqlite`): every article URL listed,
by its normal form, with what became of it; the hash of every article text fetched; and the
validators (ETag, Last-Modified) of listings and robots.txt files, for conditional requests.

A page is fetched once: a URL that is `done` (archived as an article, or recognised as the
same page or text as one that is) is not requested again unless a fetch is told to refetch.
`skipped` pages (disallowed, not HTML, gone) are not tried again either; `failed` ones are, on
the next `MAX_ATTEMPTS` fetches; `pending` ones (listed, not yet fetched: over a source's limit,
or the fetch was stopped) on the next.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from trnews.database import SqliteStore, open_database, transaction

PageState = Literal["pending", "done", "skipped", "failed"]
# Fetches in which a page that failed (timeouts, 5xx) is tried again before it is given up.
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    published TEXT,
    title TEXT,
    archived_as TEXT,
    seen REAL NOT NULL,
    changed REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_by_source ON pages (source, state);
CREATE TABLE IF NOT EXISTS texts (sha256 TEXT PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body BLOB,
    checked REAL NOT NULL
);
"""
_VERSION = 1


@dataclass(frozen=True)
class Listed:
    """An article URL as a listing gave it: normal form, and the date and title listed with it."""

    url: str
    published: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version of a listing or robots.txt it sent, and that
    version's body, which a 304 then stands for."""

    etag: str | None
    last_modified: str | None
    body: bytes | None = None


class FetchStore(SqliteStore):
    """The fetch memory; safe to share between the threads of one fetch."""

    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA, _VERSION)
        self._lock = threading.Lock()

    def states(self, urls: Iterable[str]) -> dict[str, PageState]:
        """The state of every URL of `urls` seen before."""
        found: dict[str, PageState] = {}
        urls = list(urls)
        with self._lock:
            for start in range(0, len(urls), 500):
                chunk = urls[start:start + 500]
                rows = self._db.execute(f"SELECT url, state FROM pages WHERE url IN ({','.join('?' * len(chunk))})",
                                        chunk)
                found.update(rows.fetchall())
        return found

    def list(self, source: str, listed: Sequence[Listed]) -> None:
        """Remember URLs a listing of `source` named (as pending, where they are new)."""
        now = time.time()
        with self._lock, transaction(self._db) as db:
            db.executemany(
                "INSERT INTO pages (url, source, state, published, title, seen, changed) VALUES (?, ?, 'pending', ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET published = coalesce(pages.published, excluded.published), "
                "title = coalesce(pages.title, excluded.title)",
                [(item.url, source, item.published, item.title, now, now) for item in listed])

    def to_retry(self, source: str) -> list[Listed]:
        """URLs of `source` listed before and not fetched yet, or failed fewer than `MAX_ATTEMPTS` times."""
        with self._lock:
            rows = self._db.execute(
                "SELECT url, published, title FROM pages WHERE source = ? AND "
                "(state = 'pending' OR (state = 'failed' AND attempts < ?)) ORDER BY seen", (source, MAX_ATTEMPTS))
            return [Listed(*row) for row in rows.fetchall()]

    def mark(self, urls: Iterable[str], source: str, state: PageState, reason: str | None = None,
             archived_as: str | None = None) -> None:
        """Record what became of a page, under every URL it was reached by (as listed, after
        redirects, its canonical address)."""
        now = time.time()
        failed = 1 if state == "failed" else 0
        with self._lock, transaction(self._db) as db:
            db.executemany(
                "INSERT INTO pages (url, source, state, attempts, reason, archived_as, seen, changed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET state = excluded.state, "
                "attempts = pages.attempts + excluded.attempts, reason = excluded.reason, "
                "archived_as = excluded.archived_as, changed = excluded.changed",
                [(url, source, state, failed, reason, archived_as, now, now) for url in dict.fromkeys(urls)])

    def text_owner(self, sha256: str) -> str | None:
        """The URL an article with this text hash was archived under, if any."""
        with self._lock:
            row = self._db.execute("SELECT url FROM texts WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def claim_text(self, sha256: str, url: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO texts (sha256, url) VALUES (?, ?)", (sha256, url))

    def validators(self, url: str) -> Validators | None:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified, body FROM validators WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else None

    def save_validators(self, url: str, validators: Validators) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO validators (url, etag, last_modified, body, checked) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (url, validators.etag, validators.last_modified, validators.body, time.time()))

    def counts(self) -> dict[str, int]:
        """Pages per state (for `trnews cache info`)."""
        with self._lock:
            return dict(self._db.execute("SELECT state, count(*) FROM pages GROUP BY state").fetchall())
