"""The stage bars of `trnews run`: rich progress bars, one per stage, fed by the flow through
`trnews.pipeline.progress`."""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """How many units a second (or a minute, when slower than one a second) a stage gets done."""

    def render(self, task: Any) -> Text:
        unit = task.fields.get("unit", "")
        if not task.speed:
            return Text("")
        if task.speed >= 1:
            return Text(f"{task.speed:.1f} {unit}/s", style="progress.data.speed")
        return Text(f"{task.speed * 60:.1f} {unit}/min", style="progress.data.speed")


class StageBars:
    """A bar per stage: done/total in the stage's unit (articles, or sentences for translation),
    rate, time spent and time left."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    @staticmethod
    def columns() -> list[ProgressColumn]:
        return [TextColumn("{task.description:<10}"), BarColumn(bar_width=24), MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"), RateColumn(), TimeElapsedColumn(), TextColumn("left"),
                TimeRemainingColumn()]

    def stage_started(self, stage: str, total: int, unit: str = "articles") -> None:
        if stage in self.tasks:
            self.progress.update(self.tasks[stage], total=total, completed=0, unit=unit)
        else:
            self.tasks[stage] = self.progress.add_task(stage, total=total, unit=unit)

    def advance(self, stage: str, amount: int = 1) -> None:
        self.progress.advance(self.tasks[stage], amount)
