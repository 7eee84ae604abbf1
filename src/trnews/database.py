"""SQLite files in the cache folder (sentence cache, manifest, site templates, stories): opened in
WAL mode with a busy timeout for concurrent runs, and rebuilt rather than fatal when damaged,
because everything in them can be recomputed.

A file SQLite reports as damaged ("file is not a database", "database disk image is
malformed") is moved aside (`<name>.corrupt-<UTC time>`, with its WAL files) with a warning, and
an empty one takes its place. The move happens under a file lock and only if the file is still
damaged: another process may have replaced it already, and its fresh file must not go in turn.

Each store declares the version of its schema (SQLite's `user_version`); a file written with an
older schema is moved aside (`<name>.older-<UTC time>`) and rebuilt in the same way.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from filelock import FileLock

log = logging.getLogger(__name__)

_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

Initialise = Callable[[sqlite3.Connection], None]


class SqliteStore:
    """A store kept in one SQLite file (`self._db`); `with Store(path) as store:` closes it."""

    _db: sqlite3.Connection

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class OlderSchema(sqlite3.DatabaseError):
    """The file was written with an older schema of its store."""


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


def connect(path: Path, schema: str, version: int = 0, initialise: Initialise | None = None) -> sqlite3.Connection:
    """A connection to `path` (autocommit; callers open their own transactions) with `schema` at
    `version`; `OlderSchema` if the file holds tables of an older version; `initialise` runs on
    every open (it must be idempotent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=60000")
        found = _schema_version(db)
        if found is not None and found < version:
            raise OlderSchema(f"its schema is version {found}, this trnews writes version {version}")
        db.executescript(schema)
        if found is None:
            db.execute(f"PRAGMA user_version = {int(version)}")
        if initialise:
            initialise(db)
    except BaseException:
        db.close()
        raise
    return db


def _schema_version(db: sqlite3.Connection) -> int | None:
    """The schema version of the file's tables, or None for a file without tables."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone():
        return None
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def open_database(path: Path, schema: str, version: int = 0, initialise: Initialise | None = None) -> sqlite3.Connection:
    """`connect`, after moving a damaged file, or one of an older schema, aside."""
    try:
        return connect(path, schema, version, initialise)
    except sqlite3.DatabaseError as error:
        if not replaceable(error):
            raise
        move_aside(path, error, version)
        return connect(path, schema, version, initialise)


def replaceable(error: sqlite3.DatabaseError) -> bool:
    """Whether `error` says the file is to be moved aside and rebuilt: damaged, or of an older schema."""
    return isinstance(error, OlderSchema) or is_damage(error)


def move_aside(path: Path, error: sqlite3.DatabaseError, version: int = 0) -> Path | None:
    """Move the damaged or older database at `path` (and its WAL files) aside; returns where, or
    None when another process had already replaced it."""
    older = isinstance(error, OlderSchema)
    with FileLock(f"{path}.lock"):
        if not (_older(path, version) if older else _damaged(path)):
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = path.with_name(f"{path.name}.{'older' if older else 'corrupt'}-{stamp}")
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, aside.with_name(aside.name + suffix))
        log.warning("%s is %s (%s): moved it aside to %s and started an empty one; what it held will be "
                    "recomputed.", path, "of an older trnews" if older else "damaged", error, aside)
        return aside


def _older(path: Path, version: int) -> bool:
    """Whether the file at `path` holds tables of a schema older than `version`."""
    if not path.exists():
        return False
    db = sqlite3.connect(path, timeout=60)
    try:
        found = _schema_version(db)
        return found is not None and found < version
    finally:
        db.close()


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
