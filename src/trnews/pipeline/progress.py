"""Stage progress, reported by the flow and shown by whoever is listening (the CLI's progress
bars). Flow parameters must stay JSON, so the listener is process-wide rather than passed in;
served and deployed runs have none and report nothing."""

from __future__ import annotations

from typing import Protocol


class ProgressListener(Protocol):
    def stage_started(self, stage: str, total: int, unit: str = "articles") -> None:
        """`stage` has `total` units of work (articles, or sentences for translation)."""

    def advance(self, stage: str, amount: int = 1) -> None:
        """`amount` more units of `stage` are done."""


class _Silent:
    def stage_started(self, stage: str, total: int, unit: str = "articles") -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass


listener: ProgressListener = _Silent()


def listen(new: ProgressListener | None) -> None:
    global listener
    listener = new or _Silent()
