"""Stopping a run on SIGTERM or SIGINT (systemd, Kubernetes, a Prefect cancellation, `timeout`,
Ctrl-C) within seconds, keeping the work already finished.

Finished work is already safe (translations are committed shard by shard, outputs are renamed into
place), so stopping only has to be prompt. `stop_requested` is what every loop over articles or
translation batches checks between items, and what model calls check between decoding steps
(`trnews.translation.stopping`): a worker thread stops within one step and its unfinished shard is
abandoned, never finished and then thrown away.

The flag must be set whoever handles the signal. `trnews run` installs `stop_on_signals`, but
while a flow runs Prefect replaces the SIGTERM handler with its own (`capture_sigterm`), which
raises `TerminationSignal` in the main thread instead. Both exceptions leave the run's context
(`trnews.pipeline.context.open_run`), whose `workers_stop_with_the_run` sets the flag as they
pass, before Prefect's engine shuts down its task runner (which waits for the worker threads).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

stop_requested = threading.Event()

# How often a wait on work running elsewhere looks at its progress: the latency it adds to each
# model call it waits for (a stop is seen at once).
POLL_SECONDS = 0.01


class RunStopped(BaseException):
    """The run was asked to stop. A BaseException, so that no per-article error handler swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def check() -> None:
    """Raise `RunStopped` if a stop was requested: call between units of work."""
    if stop_requested.is_set():
        raise RunStopped(signal.SIGTERM)


def wait_until(done: Callable[[], bool]) -> None:
    """Wait for work running elsewhere (another thread pool) until `done()`; raise `RunStopped` at
    once when a stop is requested meanwhile, abandoning that work."""
    while not done():
        if stop_requested.wait(POLL_SECONDS):
            raise RunStopped(signal.SIGTERM)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    stop_requested.set()
    raise RunStopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT stop the run (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def workers_stop_with_the_run() -> Iterator[None]:
    """Around a run's body: a run ended by what is not an error (a signal, however delivered:
    `RunStopped`, Prefect's `TerminationSignal`, `KeyboardInterrupt`) stops every worker at its
    next check. An ordinary exception is left to its own handling."""
    stop_requested.clear()  # a process may run flows one after another (tests, a served deployment)
    try:
        yield
    except BaseException as error:
        if not isinstance(error, Exception):
            stop_requested.set()
        raise
