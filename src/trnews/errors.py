"""The root of every error trnews explains to its user.

A `TrnewsError`'s message is meant for the person at the terminal or reading the run report: it
says what went wrong and what to do, without a traceback. Its `exit_code` is what the CLI exits
with (`trnews.cli.TrnewsGroup` maps errors to exit codes, in one place): 1 for a failure of the work,
2 for something to fix before running (a setting, a model, Prefect), 3 for a wait that gave up.
"""

from __future__ import annotations

import errno


class TrnewsError(Exception):
    """An error with a message for the user; the CLI prints it (after `headline`, a line that
    names the kind of problem, when the class has one) and exits with `exit_code`."""

    exit_code = 1
    headline = ""


class ConfigError(TrnewsError, ValueError):
    """A setting that is not valid; the message names its option and environment variable."""

    exit_code = 2


class FatalError(TrnewsError):
    """No article's fault (a model that cannot be had): it stops the run instead of failing each
    article in turn."""


_WHY_NOT_WRITTEN = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENOTDIR: "a file stands where a folder is needed",
    errno.EEXIST: "a file stands where a folder is needed",
    errno.EISDIR: "a folder stands where the file should be",
}


def why_not_written(error: OSError) -> str:
    """Why a folder refused a write, in plain words (for the output and the cache folder alike)."""
    return _WHY_NOT_WRITTEN.get(error.errno or 0, (error.strerror or str(error)).lower())
