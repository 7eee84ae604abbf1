"""Cached translation: any engine behind the persistent sentence cache. This is the one path by
which trnews translates: the translate stage, the back-translation of abstractive summaries and
the benchmarks all go through `CachedTranslator`.

Where the work runs is a `ShardRunner`: `InProcess(engine)` here, batch by batch, or
`trnews.translation.shards.PrefectShards`, shards as Prefect tasks in this process or on a Dask
cluster. Every finished piece is committed to the cache at once, so a run killed halfway keeps
what it did. A piece that fails is tried again sentence by sentence, so a sentence that cannot be
translated fails only itself; a `FatalError` (the model cannot be had) is no sentence's fault and
stops the call. Duplicate sentences are translated once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from trnews.config import TranslationConfig
from trnews.errors import FatalError, TrnewsError
from trnews.pipeline import interrupt
from trnews.records import TranslationCounts
from trnews.stores import CacheLayout
from trnews.translation.base import Engine, Hypothesis
from trnews.translation.engines import make_engine, translation_namespace
from trnews.translation.hub import MT, ModelRole
from trnews.translation.sentence_cache import SentenceCache

# Indices into the sentences given, and their hypotheses, or the error that stopped that piece.
Piece = tuple[list[int], list[Hypothesis] | Exception]


class ShardRunner(Protocol):
    def run(self, sentences: Sequence[str]) -> Iterator[Piece]:
        """Every sentence in some finished piece, as each piece finishes."""
        ...


@dataclass
class InProcess:
    """An engine in this process: its batches are the pieces; an error ends the call with one
    piece holding every sentence not yet done."""

    engine: Engine

    def run(self, sentences: Sequence[str]) -> Iterator[Piece]:
        done: set[int] = set()
        try:
            for indices, hypotheses in self.engine.translate_batches(sentences):
                done.update(indices)
                yield indices, hypotheses
        except FatalError:
            raise
        except Exception as error:  # noqa: BLE001 - reported with the piece, retried by the caller
            yield [i for i in range(len(sentences)) if i not in done], error


class TranslationFailed(TrnewsError):
    """Some sentences could not be translated; the message gives the first reason."""


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


@dataclass
class Translations:
    """What one call made of its sentences."""

    hypotheses: dict[str, Hypothesis]
    failed: dict[str, str]  # sentence -> why it has no translation
    fresh: set[str]  # translated by the model in this call, the rest came from the cache
    seconds: float  # wall time of the model work of this call


@dataclass
class CachedTranslator:
    """`runner`'s translations, looked up in and committed to `cache` under `namespace`.
    `refresh=True` ignores (but rewrites) cached entries; `on_translated` hears how many sentences
    each committed piece held."""

    runner: ShardRunner
    cache: SentenceCache
    namespace: str
    refresh: bool = False
    on_translated: Callable[[int], None] | None = None
    counts: TranslationCounts = field(default_factory=TranslationCounts)

    def translate_all(self, sentences: Sequence[str], on_pending: Callable[[int], None] | None = None) -> Translations:
        """Every sentence's hypothesis, from the cache or the runner; `on_pending` hears how many
        sentences the runner will translate, before it starts."""
        unique = list(dict.fromkeys(sentences))
        cached = {} if self.refresh else self.cache.get_many(self.namespace, unique)
        found = dict(cached)
        missing = [s for s in unique if s not in found]
        if on_pending:
            on_pending(len(missing))
        started = time.perf_counter()
        retry = [sentence for piece, _ in self._run(missing, found) for sentence in piece]
        failed: dict[str, str] = {}
        for sentence in retry:
            for _, error in self._run([sentence], found):
                failed[sentence] = f"translation failed: {describe(error)}"
        seconds = time.perf_counter() - started if missing else 0.0
        self.counts.translated += len(missing) - len(failed)
        self.counts.reused += sum(1 for s in sentences if s in cached)
        self.counts.seconds = round(self.counts.seconds + seconds, 3)
        return Translations(found, failed, set(missing) - set(failed), seconds)

    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        result = self.translate_all(sentences)
        if result.failed:
            raise TranslationFailed(next(iter(result.failed.values())))
        return [result.hypotheses[s] for s in sentences]

    def _run(self, sentences: list[str], found: dict[str, Hypothesis]) -> list[tuple[list[str], Exception]]:
        """Translate `sentences`, committing each finished piece to the cache and into `found`;
        returns the pieces that failed, with their errors."""
        failures: list[tuple[list[str], Exception]] = []
        if not sentences:
            return failures
        for indices, result in self.runner.run(sentences):
            interrupt.check()
            if isinstance(result, Exception):
                failures.append(([sentences[i] for i in indices], result))
                continue
            finished = [(sentences[i], hypothesis) for i, hypothesis in zip(indices, result)]
            self.cache.put_many(self.namespace, finished)
            found.update(finished)
            if self.on_translated:
                self.on_translated(len(finished))
        return failures

    def close(self) -> None:
        self.cache.close()


def cached_translator(config: TranslationConfig, cache_dir: Path, *, refresh: bool = False, role: ModelRole = MT,
                      on_translated: Callable[[int], None] | None = None) -> CachedTranslator:
    """The engine for `config`, in this process, behind the sentence cache of `cache_dir`."""
    return CachedTranslator(
        runner=InProcess(make_engine(config, role, cache_dir)),
        cache=SentenceCache(CacheLayout(cache_dir).sentences),
        namespace=translation_namespace(config, role),
        refresh=refresh,
        on_translated=on_translated,
    )
