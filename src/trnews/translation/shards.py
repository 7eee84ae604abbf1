"""Translation shards as Prefect tasks: in this process, under the flow's task runner, or on a
Dask cluster (prefect-dask), where each worker process loads the model once on its first shard.

Only the shards go to a cluster: the other stages are cheap and write the caches and outputs,
which stay with the flow's process, the single writer of the sentence cache (`CachedTranslator`
commits each shard as it comes back).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed

from trnews.config import Settings, TranslationConfig
from trnews.errors import FatalError
from trnews.pipeline import interrupt, progress
from trnews.resources import free_cpus
from trnews.translation.base import Hypothesis, in_order
from trnews.translation.cached import Piece
from trnews.translation.engines import make_engine
from trnews.translation.hub import MT, load_tokenizer, loaded_models
from trnews.translation.tokens import encode, token_batches

# Translation batches per shard: big enough to amortise a task run, small enough that a kill
# loses little and the progress bar moves.
BATCHES_PER_SHARD = 8


@dataclass(frozen=True)
class Shard:
    """What one translation task made, and where: the worker (host:pid) and the models it loaded."""

    hypotheses: list[Hypothesis]
    worker: str
    loaded: list[str]


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@task(name="translate", cache_policy=NO_CACHE)
def translate_shard(sentences: list[str], config: TranslationConfig, cache_dir: str, report_progress: bool) -> Shard:
    """Translate one shard with this process's engine (loaded once per process, on first use),
    reporting each finished batch to the progress bars when they are in this process."""
    before = set(loaded_models())

    def batches() -> Iterator[tuple[list[int], list[Hypothesis]]]:
        for indices, hypotheses in make_engine(config, MT, Path(cache_dir)).translate_batches(sentences):
            interrupt.check()
            if report_progress:
                progress.listener.advance("translate", len(indices))
            yield indices, hypotheses

    hypotheses = in_order(len(sentences), batches())
    return Shard(hypotheses, this_process(), [spec.id for spec in loaded_models() if spec not in before])


def shard_config(settings: Settings) -> TranslationConfig:
    """The translation settings the shards run with. The processes of a local cluster share this
    machine's CPUs: each computes with its share, not with all of them (two workers with all the
    threads of a 2-CPU machine each translated 3.5 times slower than one, measured)."""
    config = settings.translation
    if settings.workers and not settings.dask_address and config.threads is None:
        return config.model_copy(update={"threads": max(1, free_cpus() // settings.workers)})
    return config


def dask_task_runner(settings: Settings) -> Any:
    """A Dask task runner when the settings ask for a cluster (prefect-dask), else None."""
    if not (settings.workers or settings.dask_address):
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # A local cluster's nanny warns that workers (torch threads) outlive its 4 s shutdown grace:
    # they are killed as they should be, and a successful run's terminal stays clean.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1, "processes": True})


@dataclass
class PrefectShards:
    """A `ShardRunner` of token-budgeted shards, each a `translate_shard` task: on `task_runner`
    (an entered Dask task runner) or, without one, under the flow's own task runner."""

    config: TranslationConfig
    cache_dir: Path
    task_runner: Any = None
    workers: int = 1
    loaded_by_worker: dict[str, list[str]] = field(default_factory=dict)

    def run(self, sentences: Sequence[str]) -> Iterator[Piece]:
        futures = {self._submit([sentences[i] for i in shard]): shard for shard in self._shards(sentences)}
        for future in as_completed(list(futures)):
            interrupt.check()
            indices = futures[future]
            try:
                shard = future.result()
            except FatalError:
                raise
            except Exception as error:  # noqa: BLE001 - the caller retries the shard sentence by sentence
                yield indices, error
                continue
            self.loaded_by_worker.setdefault(shard.worker, []).extend(shard.loaded)
            if self.task_runner is not None:  # a worker elsewhere could not report its batches
                progress.listener.advance("translate", len(indices))
            yield indices, shard.hypotheses

    def _submit(self, sentences: list[str]) -> PrefectFuture[Shard]:
        parameters = {"sentences": sentences, "config": self.config, "cache_dir": str(self.cache_dir),
                      "report_progress": self.task_runner is None}
        if self.task_runner is not None:
            return self.task_runner.submit(translate_shard, parameters)
        return translate_shard.submit(**parameters)

    def _shards(self, sentences: Sequence[str]) -> list[list[int]]:
        """Indices of `sentences` in token-budgeted shards of about BATCHES_PER_SHARD batches, and at
        least two per worker so that a cluster stays busy; in the order of the sentences."""
        if not sentences:
            return []
        lengths = [len(ids) for ids in encode(load_tokenizer(self.config.spec), sentences)]
        budget = self.config.batch_tokens * BATCHES_PER_SHARD
        if self.workers > 1:
            budget = max(min(budget, sum(lengths) // (2 * self.workers)), max(lengths))
        return [sorted(shard) for shard in token_batches(lengths, budget)]
