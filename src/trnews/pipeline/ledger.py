"""The ledger: what happened to every article of a run, and where the run's time went.

`Ledger.run_stage` runs one stage over a batch: in chunks of `chunk_size` articles, each a Prefect
task taking its turn in the flow's task runner, or (`Stage.whole_wave`) over the whole batch at
once. It records every dropped article with its reason, counts the articles each stage
processed, adds up the stages' own counters and times each stage (summed over waves).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from trnews.pipeline import progress
from trnews.pipeline.stage import Stage, StageOutcome, Work
from trnews.records import ArticleStatus


@task(cache_policy=NO_CACHE)
def _stage_task(stage: Stage, chunk: dict[str, Work]) -> StageOutcome:
    return stage.process_batch(chunk)


@cache
def stage_task(name: str) -> Task:
    """The Prefect task of one chunk of the stage `name` (named after it in the UI and logs)."""
    return _stage_task.with_options(name=name)


class Ledger:
    """What happened to every article so far; stages hand on only the articles still going."""

    def __init__(self, chunk_size: int, problems: Sequence[ArticleStatus] = ()) -> None:
        self.chunk_size = chunk_size
        self.statuses: dict[str, ArticleStatus] = {p.id: p for p in problems}
        self.processed: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.stats: dict[str, Counter[str]] = {}

    @contextmanager
    def timed(self, part: str) -> Iterator[None]:
        """Add the wall time of the block to `part` (summed over waves): where a night goes."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[part] = round(self.seconds.get(part, 0.0) + time.perf_counter() - started, 3)

    def record(self, status: ArticleStatus) -> None:
        self.statuses[status.id] = status

    def run_stage(self, stage: Stage, batch: dict[str, Work]) -> dict[str, Work]:
        """`stage` over `batch`; the articles it carried on, in the order of `batch`."""
        with self.timed(stage.name):
            if stage.whole_wave:
                outcomes = [stage.process_batch(batch)]
            else:
                outcomes = self._in_chunks(stage, batch)
        done: dict[str, Work] = {}
        for outcome in outcomes:
            for article_id, dropped in outcome.dropped.items():
                work = batch[article_id]
                self.record(ArticleStatus(id=article_id, source=work.source, status=dropped.status,
                                          reason=dropped.reason))
            done.update(outcome.done)
            self.stats.setdefault(stage.name, Counter()).update(outcome.stats)
        self.processed[stage.name] = self.processed.get(stage.name, 0) + len(batch)
        return {article_id: done[article_id] for article_id in batch if article_id in done}

    def _in_chunks(self, stage: Stage, batch: dict[str, Work]) -> list[StageOutcome]:
        ids = list(batch)
        chunks = [{i: batch[i] for i in ids[start:start + self.chunk_size]}
                  for start in range(0, len(ids), self.chunk_size)]
        progress.listener.stage_started(stage.name, len(ids))
        # `quote`: Prefect would otherwise walk every field of every article (and the stage's run
        # context) twice per task run, looking for futures to wait on: 4-6 ms per article, measured.
        futures = [stage_task(stage.name).submit(quote(stage), quote(chunk)) for chunk in chunks]
        outcomes = []
        for chunk, future in zip(chunks, futures):
            # A task fails as a whole only for a FatalError (a model that cannot be had) or a bug:
            # either fails the run, with its own explanation.
            outcomes.append(future.result())
            progress.listener.advance(stage.name, len(chunk))
        return outcomes
