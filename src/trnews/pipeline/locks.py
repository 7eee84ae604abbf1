"""One run at a time per output folder, and never a wait without end.

Two `trnews run`s (or a scheduled run and a manual one) writing the same output folder would
interleave their index, digest and manifest writes; the second waits for the first instead.
The lock is an OS file lock (`filelock`, `flock` on POSIX): the kernel releases it when its
holder dies, `kill -9` included, so a dead run's lock is simply free for the next one and no
stale-lock takeover is needed. A holder file beside it says who holds it, for the message of a
run that gives up waiting after `timeout` seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout
from trnews.errors import TrnewsError
from trnews.stores import CacheLayout

class LockTimeout(TrnewsError):
    """Another live run held the lock for longer than this run was willing to wait."""

    exit_code = 3


def lock_path(cache_dir: Path, output_dir: Path) -> Path:
    """The lock of `output_dir` (resolved, so every spelling of one folder shares one lock)."""
    digest = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return CacheLayout(cache_dir).locks / f"run-{digest}.lock"


def _holder(path: Path) -> str:
    try:
        holder = json.loads(path.with_suffix(".holder").read_text(encoding="utf-8"))
        return f"pid {holder['pid']} on {holder['host']} since {holder['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "an unknown process"


@contextmanager
def run_lock(cache_dir: Path, output_dir: Path, timeout: float) -> Iterator[Path]:
    """Hold the run lock of `output_dir` for the block, waiting at most `timeout` seconds."""
    path = lock_path(cache_dir, output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=timeout, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(
            f"Another trnews run is writing {output_dir} (lock {path}, held by {_holder(path)}) and did not "
            f"finish within {timeout:.0f} s. Wait for it, or stop it; a run that died has already released "
            "the lock. Raise the wait with TRNEWS_LOCK_TIMEOUT."
        ) from None
    try:
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds"), "time": time.time()}
        path.with_suffix(".holder").write_text(json.dumps(holder), encoding="utf-8")
        yield path
    finally:
        lock.release()
