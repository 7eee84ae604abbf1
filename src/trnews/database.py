"""SQLite files in the cache folder (sentence cache, manifest, site templates, stories): opened in
WAL mode with a busy timeout for concurrent runs, and rebuilt rather than fatal when damaged,
because everything in them can be recomputed.

A file SQLite reports as damaged ("file is not a database", "database disk image is
malformed"), or whose pages fail `PRAGMA quick_check` when it is opened (garbled pages behind a
sound header read as damage only once a query reaches them), is moved aside
(`<name>.corrupt-<UTC time>`, with its WAL files) with a warning, and an empty one takes its
place. The move happens under a file lock and only if the file is still damaged: another process
may have replaced it already, and its fresh file must not go in turn.

Each store declares the version of its schema (SQLite's `user_version`); a file written with an
older schema is moved aside (`<name>.older-<UTC time>`) and rebuilt in the same way.

A cache folder that cannot be written (read-only, full, a file where the folder should be) is
not damage: it raises `CacheFolderError`, one message naming the folder and what to do.
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

from trnews.errors import TrnewsError, why_not_written

log = logging.getLogger(__name__)

# Primary result codes (an extended code's low byte): damage, and a folder that refuses writes.
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_UNWRITABLE = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR,
               sqlite3.SQLITE_PERM}
_WHY_SQLITE = {sqlite3.SQLITE_READONLY: "it is read-only", sqlite3.SQLITE_FULL: "the disk is full",
               sqlite3.SQLITE_PERM: "permission denied"}

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


class FailedCheck(sqlite3.DatabaseError):
    """SQLite's quick check found the file damaged."""


class CacheFolderError(TrnewsError):
    """The cache folder cannot be written: read-only, full, or not a folder."""


def _primary(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(error: sqlite3.DatabaseError) -> bool:
    return isinstance(error, FailedCheck) or _primary(error) in _DAMAGED


def cache_folder_error(path: Path, error: OSError | sqlite3.Error) -> CacheFolderError | None:
    """The `CacheFolderError` that `error`, met on the store at `path`, amounts to, if any."""
    if isinstance(error, OSError):
        why = why_not_written(error)
    elif _primary(error) in _UNWRITABLE:
        why = _WHY_SQLITE.get(_primary(error) or 0, str(error))
    else:
        return None
    return CacheFolderError(
        f"cannot write the cache folder {path.parent} ({path.name}): {why}. Make it writable or free some "
        "space, or give another one with --cache-dir (TRNEWS_CACHE_DIR).")


@contextmanager
def writable_cache(path: Path) -> Iterator[None]:
    """Turns a refusal to write the store at `path` into `CacheFolderError` (other errors pass)."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as error:
        refused = cache_folder_error(path, error)
        if refused is None:
            raise
        raise refused from error


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on `db` (a connection from `connect`), taken at once so that two
    processes do not both read and then fail to write; rolled back if the block raises."""
    path = Path(db.execute("PRAGMA database_list").fetchone()[2] or "memory")
    with writable_cache(path):
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def connect(path: Path, schema: str, version: int = 0, initialise: Initialise | None = None) -> sqlite3.Connection:
    """A connection to `path` (autocommit; callers open their own transactions) with `schema` at
    `version`; `OlderSchema` if the file holds tables of an older version; `initialise` runs on
    every open (it must be idempotent); `FailedCheck` if the file fails SQLite's quick check;
    `CacheFolderError` if the folder cannot be written."""
    with writable_cache(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        try:
            _prepare(db, schema, version, initialise)
        except BaseException:
            db.close()
            raise
    return db


def _prepare(db: sqlite3.Connection, schema: str, version: int, initialise: Initialise | None) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=60000")
    found = _schema_version(db)
    if found is not None:
        # Reads every page once (linear in the file's size, no index cross-check): the cost of
        # finding garbled pages now rather than in the middle of a run.
        verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":
            raise FailedCheck(f"quick check: {' '.join(verdict.split())}")
    if found is not None and found < version:
        raise OlderSchema(f"its schema is version {found}, this trnews writes version {version}")
    db.executescript(schema)
    if found is None:
        db.execute(f"PRAGMA user_version = {int(version)}")
    if initialise:
        initialise(db)


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
        with writable_cache(path):
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
