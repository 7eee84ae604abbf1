"""Files in the output folder, written so that it never holds a half-written one: each is written
atomically (a temp file in the same folder, then a rename) and forced to disk (fsync) before the
run counts it as written. A folder that cannot be written raises `OutputFolderError`, whose
message says which file and why.

What trnews reads back from the folder is read by `read_back`: never through a symlink (one put
there could lead anywhere: a named pipe would block the run, `/dev/zero` never end) and only
from a regular file; a file that cannot be read or parsed is a `DamagedFile`.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from trnews.errors import TrnewsError, why_not_written

T = TypeVar("T")


class OutputFolderError(TrnewsError, OSError):
    """A file could not be written into the output folder; the message says which and why."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


class DamagedFile(TrnewsError):
    """A file of the output folder that cannot be read back as what trnews wrote there; the
    message names it and says why, in one line."""


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file at `path`, not following a symlink; `OSError` otherwise
    (`FileNotFoundError` when there is nothing at `path`)."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as opened:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return opened.read()


def read_back(path: Path, parse: Callable[[bytes], T]) -> T:
    """`parse` of the file at `path`: `FileNotFoundError` when there is none, `DamagedFile` when
    it cannot be read (a symlink, not a regular file) or parsed (`parse` raised `ValueError`:
    JSON, Unicode and validation errors are)."""
    try:
        return parse(read_bytes(path))
    except FileNotFoundError:
        raise
    except OSError as error:
        why = "a symlink, not a file" if error.errno == errno.ELOOP else (error.strerror or str(error)).lower()
        raise DamagedFile(f"{path} is damaged ({why})") from error
    except ValueError as error:
        first_line = next(iter(str(error).splitlines()), "") or type(error).__name__
        raise DamagedFile(f"{path} is damaged ({first_line})") from error


def _holds(path: Path, data: bytes) -> bool:
    try:
        return os.lstat(path).st_size == len(data) and read_bytes(path) == data
    except OSError:
        return False


def atomic_write_text(path: Path, text: str, sync: bool = True) -> bool:
    """Write `text` to `path` atomically; `OutputFolderError` if the folder refuses it. A file that
    already holds exactly `text` is left alone (a rerun that changes nothing rewrites nothing);
    returns whether it wrote. With `sync=False` the caller forces it to disk (`sync_files`)."""
    if _holds(path, text.encode("utf-8")):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise not_written(path, error) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            if sync:
                os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise not_written(path, error) from error
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


def sync_files(paths: Sequence[Path]) -> None:
    """Force `paths`, and the folders that name them, to disk, many at once: the file system then
    commits them in a few journal transactions instead of one each (the cost of writing an
    article's three files one fsync at a time exceeded the rest of writing them).
    `OutputFolderError` names the first that failed."""
    targets = list(dict.fromkeys([*paths, *(path.parent for path in paths)]))
    if targets:
        with ThreadPoolExecutor(max_workers=min(16, len(targets))) as pool:
            list(pool.map(_sync, targets))


def _sync(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as error:
        raise not_written(path, error) from error


def remove_leftover_temp_files(folders: Sequence[Path]) -> int:
    """Delete the temp files of `atomic_write_text` that a killed run left in `folders`. Call it
    only while holding the output folder's run lock: then no other run is writing there."""
    leftovers = [path for folder in folders for path in folder.glob(".*.tmp")]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


def not_written(path: Path, error: OSError) -> OutputFolderError:
    """The `OutputFolderError` of `path`, which the folder refused with `error`."""
    why = why_not_written(error)
    return OutputFolderError(error.errno, f"cannot write {path}: {why} (output folder: {path.parent})")
