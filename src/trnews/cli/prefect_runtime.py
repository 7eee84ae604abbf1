"""Running the flow from the command line: Prefect's start-up, made to work on a fresh, busy machine.

Without `PREFECT_API_URL`, Prefect starts a temporary API server (uvicorn on SQLite) in a
subprocess for every process that runs a flow. Its first start in an empty `PREFECT_HOME` creates
and migrates the database, which on two busy cores takes longer than Prefect's own allowance of
20 s. So `run_flow` gives it `DEFAULT_STARTUP_TIMEOUT_SECONDS` (unless the user chose a value),
tries once more if it still does not answer, and otherwise raises `PrefectStartupError`, whose
message says what happened, which setting to raise and how to use a running server instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar
from trnews.errors import TrnewsError

T = TypeVar("T")

STARTUP_TIMEOUT_VARIABLE = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
# Measured on 2 cores: a first start (database creation) took about 20 s on an idle machine and
# about 50 s on a busy one, where Prefect allows 20 s. A generous allowance costs nothing when the
# server is quick; it only waits longer before giving up on one that is slow.
DEFAULT_STARTUP_TIMEOUT_SECONDS = 180
# What Prefect's temporary server says when it did not answer in time (prefect.server.api.server).
_STARTUP_TIMED_OUT = "Timed out while attempting to connect to ephemeral Prefect API server"


class PrefectStartupError(TrnewsError):
    """Prefect's temporary API server did not start; the message tells the user what to do."""

    exit_code = 2


def quiet_temporary_server() -> None:
    """Defaults for the temporary server, set before Prefect reads its settings (the server
    subprocess inherits this environment). Its log lines are not the user's business: it runs
    at error level, and stopping it at the end of a run makes it log the events it was still
    flushing ("task_run_recorder - Error flushing 1 events") as errors with tracebacks. Anything
    the user set wins."""
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def prefect_starting() -> str:
    """The line that says what the first seconds of a run are spent on (said before Prefect is
    imported, which takes seconds of its own)."""
    api_url = os.environ.get("PREFECT_API_URL")
    if api_url:
        return f"starting Prefect (API: {api_url})…"
    return ("starting Prefect and its temporary API server (10-20 s; set PREFECT_API_URL to a running "
            "`prefect server start` to save them)…")


def run_flow(call: Callable[[], T]) -> T:
    """`call()` (a flow call), with a start-up allowance for Prefect's temporary server that fits
    a first run on a busy machine, and one more attempt if the server still did not come up.
    Raises `PrefectStartupError` when the second attempt fails too."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    if PREFECT_API_URL.value():  # a running server: nothing to start
        return call()
    user_set = STARTUP_TIMEOUT_VARIABLE in os.environ
    timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value() if user_set else DEFAULT_STARTUP_TIMEOUT_SECONDS
    with temporary_settings(updates={PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: timeout}):
        try:
            return call()
        except RuntimeError as error:
            if _STARTUP_TIMED_OUT not in str(error):
                raise
        _stop_temporary_server()
        try:
            return call()
        except RuntimeError as error:
            if _STARTUP_TIMED_OUT not in str(error):
                raise
            raise PrefectStartupError(startup_failed_message(timeout)) from None


def _stop_temporary_server() -> None:
    """Stops the server process of the attempt that timed out (Prefect leaves it running), so the
    retry starts afresh instead of racing it for the database."""
    from prefect.server.api.server import SubprocessASGIServer

    SubprocessASGIServer().stop()


def startup_failed_message(timeout: int) -> str:
    return (
        f"Prefect's temporary API server did not start within {timeout} s, twice. trnews runs every "
        "flow against a Prefect API; without PREFECT_API_URL, Prefect starts a temporary server for "
        "each run, and its first start creates its database, which is slow on a busy machine. Give it "
        f"longer with {STARTUP_TIMEOUT_VARIABLE}=600, or start a Prefect server once and let every run "
        "use it: `prefect server start --host 127.0.0.1 &` then "
        "`export PREFECT_API_URL=http://127.0.0.1:4200/api` (this also saves the start-up time of every run)."
    )
