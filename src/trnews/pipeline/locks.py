"""One run at a time per folder it writes (an output folder, a fetch archive), and never a wait
without end.

Two `trnews run`s (or a scheduled run and a manual one) writing the same output folder would
interleave their index, digest and manifest writes; the second waits for the first instead.
The lock lives in the folder itself (`.trnews.lock`), so every run writing it shares it, whatever
its cache folder and however it spells the folder's path. It is an OS file lock (`filelock`,
`flock` on POSIX): the kernel releases it when its holder dies, `kill -9` included, so a dead
run's lock is simply free for the next one and no stale-lock takeover is needed.

A holder file beside it (`.trnews.lock.holder`) says who holds it, for the line a waiting run
prints and the message of a run that gives up after `timeout` seconds; a holder that is no longer
alive (killed before it could remove the file) is never named. Neither file is ever opened
through a symlink: the lock is opened with `O_NOFOLLOW` (a symlink in its place is removed), and
the holder file is replaced by a rename and read without following links.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from trnews.errors import TrnewsError
from trnews.output.files import not_written, read_bytes

log = logging.getLogger(__name__)

LOCK_NAME = ".trnews.lock"


class LockTimeout(TrnewsError):
    """Another live run held the lock for longer than this run was willing to wait."""

    exit_code = 3


def lock_path(folder: Path) -> Path:
    """The run lock of `folder`: a file in the folder itself."""
    return folder / LOCK_NAME


def _holder_path(path: Path) -> Path:
    return path.with_name(path.name + ".holder")


def holder(path: Path) -> str | None:
    """Who holds the lock at `path`, by its holder file: None when that is missing, damaged, a
    symlink, or names a process of this machine that has ended."""
    try:
        found = json.loads(read_bytes(_holder_path(path)))
        pid, host, since = int(found["pid"]), str(found["host"]), str(found["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if host == socket.gethostname() and not _alive(pid):
        return None
    return f"pid {pid} on {host} since {since}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


@contextmanager
def run_lock(folder: Path, timeout: float) -> Iterator[Path]:
    """Hold the run lock of `folder` for the block, waiting at most `timeout` seconds; a wait
    says once, in the log, whom it waits for."""
    path = lock_path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            log.warning("%s was a symlink; replaced it with a lock file of its own", path)
            path.unlink()
    except OSError as error:
        raise not_written(path, error) from error
    lock = FileLock(path, thread_local=False)
    try:
        _acquire(lock, path, folder, timeout)
    except Timeout:
        raise LockTimeout(
            f"Another trnews run is writing {folder} (held by {holder(path) or 'a process that did not say'}; lock "
            f"{path}) and did not finish within {timeout:g} s. Wait for it, or stop it; a run that died has "
            "already released the lock. Raise the wait with TRNEWS_LOCK_TIMEOUT."
        ) from None
    except OSError as error:
        raise not_written(path, error) from error
    try:
        _write_holder(path)
        yield path
    finally:
        _holder_path(path).unlink(missing_ok=True)
        lock.release()


def _acquire(lock: FileLock, path: Path, folder: Path, timeout: float) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        pass
    log.warning("waiting for another trnews run writing %s (%s) to finish, at most %g s (TRNEWS_LOCK_TIMEOUT)",
                folder, holder(path) or "a process that did not say", timeout)
    lock.acquire(timeout=timeout)


def _write_holder(path: Path) -> None:
    """The holder file, written beside and renamed into place: a symlink there is replaced, never
    written through."""
    since = datetime.now(timezone.utc).isoformat(timespec="seconds")
    text = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since, "time": time.time()})
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as opened:
            opened.write(text)
        os.replace(temp, _holder_path(path))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
