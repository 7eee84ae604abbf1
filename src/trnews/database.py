"""SQLite files in the cache folder (sentence cache, manifest, site templates, stories): opened in
WAL mode with a busy timeout for concurrent runs, and rebuilt rather than fatal when damaged,
because everything in them can be recomputed.

A file SQLite reports as damaged ("file is not a database", "database disk image is
malformed") is moved aside (`<name>.corrupt-<UTC time>`, with its WAL files) with a warning, and
an empty one takes its place. The move happens under a file lock and only if the file is still
damaged: another process may have replaced it already, and its fresh file must not go in turn.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

log = logging.getLogger(__name__)

_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

Migration = Callable[[sqlite3.Connection], None]


def is_damage(error: sqlite3.DatabaseError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in _DAMAGED


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on `db` (a connection from `connect`), taken at once so that two
    processes do not both read and then fail to write; rolled back if the block raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def connect(path: Path, schema: str, migrate: Migration | None = None) -> sqlite3.Connection:
    """A connection to `path` (autocommit; callers open their own transactions) with `schema`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=60000")
        db.executescript(schema)
        if migrate:
            migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def open_database(path: Path, schema: str, migrate: Migration | None = None) -> sqlite3.Connection:
    """`connect`, after moving a damaged file aside."""
    try:
        return connect(path, schema, migrate)
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        move_aside(path, error)
        return connect(path, schema, migrate)


def move_aside(path: Path, error: sqlite3.DatabaseError) -> Path | None:
    """Move the damaged database at `path` (and its WAL files) aside; returns where, or None when
    another process had already replaced it."""
    with FileLock(f"{path}.lock"):
        if not _damaged(path):
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, aside.with_name(aside.name + suffix))
        log.warning("%s is damaged (%s): moved it aside to %s and started an empty one; what it held will be "
                    "recomputed.", path, error, aside)
        return aside


def _damaged(path: Path) -> bool:
    """Whether SQLite finds the file at `path` damaged (a fresh connection, a quick integrity check)."""
    if not path.exists():
        return False
    try:
        db = sqlite3.connect(path, timeout=60)
    except sqlite3.DatabaseError as error:
        return is_damage(error)
    try:
        return db.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError as error:
        return is_damage(error)
    finally:
        db.close()
