"""Stopping a run on SIGTERM or SIGINT (systemd, Kubernetes, a Prefect cancellation, `timeout`,
Ctrl-C) within seconds, keeping the work already finished.

Finished work is already safe (translations are committed shard by shard, outputs are renamed into
place), so stopping only has to be prompt: the first signal sets `stop_requested`, which every
loop over articles or translation batches checks between items, and raises `RunStopped` in the
main thread so that the flow unwinds (releasing its lock) instead of waiting for tasks to drain.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

stop_requested = threading.Event()


class RunStopped(BaseException):
    """The run was asked to stop. A BaseException, so that no per-article error handler swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def check() -> None:
    """Raise `RunStopped` if a stop was requested: call between units of work."""
    if stop_requested.is_set():
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
