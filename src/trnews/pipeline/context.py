"""One run's context, built once: its settings, the cache folder's stores, the ledger, the
manifest, the translators (made when first needed: a run with nothing to translate loads no
model and starts no cluster), the stages, and what the run builds up across waves for its finish.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from trnews.config import ModelSpec, Settings
from trnews.pipeline import interrupt
from trnews.pipeline.incremental import now
from trnews.pipeline.ledger import Ledger
from trnews.pipeline.manifest import Manifest
from trnews.pipeline.stage import Stage
from trnews.records import InputProblem, TranslationCounts
from trnews.stores import CacheLayout
from trnews.translation.cached import CachedTranslator, InProcess
from trnews.translation.engines import make_engine, translation_namespace
from trnews.translation.base import Engine
from trnews.translation.hub import BACK_TRANSLATION, MT, loaded_models
from trnews.translation.sentence_cache import SentenceCache
from trnews.translation.shards import PrefectShards, dask_task_runner, shard_config


@dataclass
class RunContext:
    settings: Settings
    refresh: bool
    stores: CacheLayout
    ledger: Ledger
    manifest: Manifest
    resources: ExitStack
    started_at: str = field(default_factory=now)
    started: float = field(default_factory=time.perf_counter)
    models_before: set[ModelSpec] = field(default_factory=lambda: set(loaded_models()))
    stages: list[Stage] = field(default_factory=list)
    # Across waves, for the finish: the stories that articles joined, the input paths that could
    # not be read, and for each written article the members of its story when its pages were written.
    stories_touched: set[str] = field(default_factory=set)
    input_problems: list[InputProblem] = field(default_factory=list)
    pages_written_with: dict[str, list[str]] = field(default_factory=dict)
    _translator: CachedTranslator | None = None
    _shards: PrefectShards | None = None
    _back_translator: CachedTranslator | None = None
    _recovery_engine: Engine | None = None

    @property
    def translator(self) -> CachedTranslator:
        """The MT model behind the sentence cache, its shards as Prefect tasks (on a Dask cluster
        when the settings ask for one)."""
        if self._translator is None:
            settings = self.settings
            task_runner = dask_task_runner(settings)
            config = shard_config(settings)
            self._shards = PrefectShards(
                config, self.stores.root, task_runner=self.resources.enter_context(task_runner) if task_runner else None,
                workers=settings.workers or (2 if settings.dask_address else 1))
            self._translator = self._cached(self._shards, translation_namespace(config))
        return self._translator

    @property
    def back_translator(self) -> CachedTranslator:
        """The EN->TR model of abstractive summaries, in this process, behind the sentence cache."""
        if self._back_translator is None:
            config = self.settings.back_translation()
            engine = make_engine(config, BACK_TRANSLATION, self.stores.root)
            self._back_translator = self._cached(InProcess(engine), translation_namespace(config, BACK_TRANSLATION))
        return self._back_translator

    @property
    def recovery_engine(self) -> Engine:
        """The MT model in this process, for a second try at translations that fail a check (loaded
        only when one does)."""
        if self._recovery_engine is None:
            self._recovery_engine = make_engine(self.settings.translation, MT, self.stores.root)
        return self._recovery_engine

    def _cached(self, runner: Any, namespace: str) -> CachedTranslator:
        translator = CachedTranslator(runner, SentenceCache(self.stores.sentences), namespace, refresh=self.refresh)
        self.resources.callback(translator.close)
        return translator

    @property
    def translation_counts(self) -> TranslationCounts:
        return self._translator.counts if self._translator else TranslationCounts()

    @property
    def loaded_by_worker(self) -> dict[str, list[str]]:
        """Per translation worker process (host:pid), the models it loaded."""
        return self._shards.loaded_by_worker if self._shards else {}


@contextmanager
def objects_of_the_process_left_alone() -> Iterator[None]:
    """Keeps the garbage collector's full collections off what the process holds before the run
    (Prefect, transformers, torch, the stores: some 375,000 objects, 0.2 s a full collection here)
    for the run's length. Every full collection walked them all: half the cleaner's CPU time went
    to it (benchmarks/README.md, "Restructure"). Unfrozen afterwards, so that a serving process
    can still collect them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def open_run(settings: Settings, refresh: bool, stage_types: list[type[Stage]]) -> Iterator[RunContext]:
    """The context of one run, with a stage object of each of `stage_types`; closed afterwards.
    A run ended by a signal stops its worker threads (`interrupt.workers_stop_with_the_run`)."""
    stores = CacheLayout(settings.cache_dir.resolve())
    # Innermost, so that a signal leaving the run stops its workers before anything is closed.
    with ExitStack() as resources, interrupt.workers_stop_with_the_run():
        manifest = Manifest(stores.manifest)
        resources.callback(manifest.close)
        run = RunContext(settings, refresh, stores, Ledger(settings.chunk_size), manifest, resources)
        run.stages = [stage_type(run) for stage_type in stage_types]
        with objects_of_the_process_left_alone():
            yield run
