"""SQLite files in the cache folder (manifest, sentence cache): opened in WAL mode for concurrent
runs, and rebuilt rather than fatal when damaged, because everything in them can be recomputed."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)


def open_database(path: Path, schema: str) -> sqlite3.Connection:
    """`path` as a SQLite database in WAL mode with `schema`; a file that is not a sound database
    is moved aside (`<name>.corrupt-<time>`) with a warning and a new one is made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=60000")
            db.executescript(schema)
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            return db
        except sqlite3.DatabaseError as error:
            db.close()
            if attempt == 2 or isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                raise
            aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            log.warning("%s is damaged (%s); moved aside to %s and rebuilt", path, error, aside)
            path.rename(aside)
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
    raise AssertionError("unreachable")
