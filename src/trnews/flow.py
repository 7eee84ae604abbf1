"""The Prefect flow `bilingual-digest`: ingest -> clean -> segment -> translate -> summarise -> write.

Tasks are thin wrappers over the stage functions. Stage results are cached by Prefect and
persisted as JSON under the cache folder, keyed by the task's inputs and the source code of the
stage module that computes them, so a changed cleaning rule or model setting recomputes
exactly what it affects. A failed or skipped article is recorded with its reason and never
stops the rest of the batch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from prefect import Task, flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE, TASK_SOURCE, CachePolicy
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.locking.filesystem import FileSystemLockManager
from prefect.utilities.hashing import hash_objects
from pydantic_core import to_jsonable_python

from trnews import clean, hub, ingest, progress, segment, summarise, translate, write
from trnews.cache import RESULTS
from trnews.config import Settings, SummaryConfig, TranslationConfig
from trnews.hub import BACK_TRANSLATION, ModelUnavailable, loaded_models
from trnews.records import (
    ArticleOutput,
    ArticleStatus,
    CleanArticle,
    ModelRef,
    ModelsUsed,
    RawArticle,
    RunReport,
    SegmentedArticle,
    SentencePair,
    StageCounts,
    TranslatedArticle,
    TranslationBatch,
    TranslationCounts,
)

T = TypeVar("T")


@cache
def _module_source_hash(module: str) -> str:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"cannot find the source of {module}")
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "timings"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


@dataclass
class StageCode(CachePolicy):
    """Cache key from the task's inputs (timings ignored: they differ on every computation, the
    result does not) and the source of the modules that compute the stage."""

    modules: tuple[str, ...] = ()

    def compute_key(self, task_ctx, inputs, flow_parameters, **kwargs) -> str | None:  # type: ignore[override]
        code = [_module_source_hash(m) for m in self.modules]
        payload = _without_timings(to_jsonable_python(inputs or {}, fallback=str))
        return hash_objects(code, payload, raise_on_failure=True)


def _stage_policy(*modules: str) -> CachePolicy:
    return StageCode(modules=("trnews.records", *modules)) + TASK_SOURCE


_CACHED = {"persist_result": True, "result_serializer": "json"}


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(inputs: list[str]) -> ingest.IngestResult:
    return ingest.ingest_paths(inputs)


@task(name="clean", cache_policy=_stage_policy("trnews.clean"), **_CACHED)
def clean_task(raw: RawArticle) -> CleanArticle:
    return clean.clean_article(raw)


# Seconds between attempts to get a hub model in a deployed run: rides out a network blip or a
# short hub outage before the nightly run gives up.
MODEL_RETRY_DELAYS = (60, 300, 900)


@task(name="check-model", cache_policy=NO_CACHE)
def check_model_task(config: TranslationConfig) -> int:
    return translate.model_input_limit(config)


def _model_unavailable(task: Task, task_run: Any, state: Any) -> bool:
    return isinstance(state.result(raise_on_failure=False), ModelUnavailable)


def model_retry_delays(config: TranslationConfig, deployed: bool) -> list[int]:
    """How long to wait before each new attempt to get the MT model. Only a deployed run (nobody
    waiting at a terminal) waits, and only for a model that could still be downloaded: a local
    folder or offline mode will not fix itself."""
    if not deployed or hub.is_local(config.model) or hub.offline_mode():
        return []
    return list(MODEL_RETRY_DELAYS)


def model_check(config: TranslationConfig, deployed: bool) -> Task[[TranslationConfig], int]:
    delays = model_retry_delays(config, deployed)
    return check_model_task.with_options(retries=len(delays), retry_delay_seconds=delays,
                                         retry_condition_fn=_model_unavailable)


def _deployed() -> bool:
    """Whether this flow run belongs to a deployment (scheduled, triggered), not a direct call."""
    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.deployment_id)


@task(name="segment", cache_policy=_stage_policy("trnews.segment"), **_CACHED)
def segment_task(article: CleanArticle, config: TranslationConfig) -> SegmentedArticle:
    return segment.segment_article(
        article,
        max_tokens=translate.model_input_limit(config),
        count_tokens=translate.count_tokens_with(config),
    )


@task(name="translate", cache_policy=_stage_policy("trnews.translate", "trnews.ctranslate2_engine"), **_CACHED)
def translate_task(
    articles: list[SegmentedArticle], config: TranslationConfig, cache_dir: str, refresh: bool
) -> TranslationBatch:
    translator = translate.cached_translator(config, Path(cache_dir), refresh=refresh)
    try:
        translated = translate.translate_articles(articles, translator)
    finally:
        translator.cache.close()
    stats = translator.stats
    return TranslationBatch(
        articles=translated,
        counts=TranslationCounts(translated=stats.translated, reused=stats.reused, seconds=round(stats.seconds, 3)),
    )


@task(name="summarise", cache_policy=_stage_policy("trnews.summarise"), **_CACHED)
def summarise_task(
    article: TranslatedArticle, config: SummaryConfig, back_translation: TranslationConfig, cache_dir: str
) -> list[SentencePair]:
    if config.kind == "extractive":
        return summarise.extractive_summary(article, config.sentences)
    translator = translate.cached_translator(back_translation, Path(cache_dir), role=BACK_TRANSLATION)
    try:
        return summarise.abstractive_summary(article, config, back_translation.device, translator)
    finally:
        translator.cache.close()


@task(name="write", cache_policy=NO_CACHE)
def write_task(article: TranslatedArticle, summary: list[SentencePair], models: ModelsUsed, output_dir: str) -> ArticleOutput:
    started = time.perf_counter()
    output = write.build_output(article, summary, models)
    output.timings["write"] = round(time.perf_counter() - started, 4)
    write.write_article(output, Path(output_dir))
    return output


class Ledger:
    """What happened to every article so far; stages hand on only the articles still ok."""

    def __init__(self, problems: Sequence[ArticleStatus]) -> None:
        self.statuses: dict[str, ArticleStatus] = {p.id: p for p in problems}
        self.stages: dict[str, StageCounts] = {}

    def fail(self, article_id: str, source: str, error: BaseException | str, status: str = "failed") -> None:
        reason = error if isinstance(error, str) else _describe(error)
        self.statuses[article_id] = ArticleStatus(id=article_id, source=source, status=status, reason=reason)  # type: ignore[arg-type]

    def collect(self, stage: str, keys: Sequence[tuple[str, str]], futures: Sequence[PrefectFuture[T]],
                cached: bool = True) -> list[T]:
        """Results of the stage's futures that completed; the others are recorded as failed."""
        counts = self.stages.setdefault(stage, StageCounts()) if cached else StageCounts()
        progress.listener.stage_started(stage, len(futures))
        results: list[T] = []
        for (article_id, source), future in zip(keys, futures):
            value, error, from_cache = _settle(future)
            if error is None:
                results.append(value)
                counts.record(from_cache)
            else:
                self.fail(article_id, source, error)
            progress.listener.advance(stage)
        return results


def _settle(future: PrefectFuture[T]) -> tuple[T | None, BaseException | str | None, bool]:
    """(result, error, served from cache) of a finished task run. A missing model is not an
    article's fault: it fails the whole flow run with the loader's explanation."""
    future.wait()
    state = future.state
    if state.is_completed():
        return future.result(), None, state.name == "Cached"
    error = future.result(raise_on_failure=False)
    if isinstance(error, ModelUnavailable):
        raise error
    return None, error if isinstance(error, BaseException) else (state.message or state.name), False


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _key(article: RawArticle | CleanArticle) -> tuple[str, str]:
    return article.id, article.source.path + (f":{article.source.line}" if article.source.line else "")


def _stage_options(cache_dir: Path, refresh: bool) -> Callable[[Task], Task]:
    """Cached stages persist their results under the cache folder. Serializable isolation with
    file locks makes a concurrent run wait for a result being computed instead of reading it
    half-written (Prefect writes result files in place) or computing it twice."""
    root = cache_dir.resolve()
    locks = FileSystemLockManager(lock_files_directory=root / "locks")

    def configure(stage_task: Task) -> Task:
        return stage_task.with_options(
            result_storage=root / RESULTS,
            refresh_cache=refresh or None,
            cache_policy=stage_task.cache_policy.configure(isolation_level="SERIALIZABLE", lock_manager=locks),
        )

    return configure


def _models_used(settings: Settings) -> ModelsUsed:
    summary = settings.summary()
    mt = ModelRef(id=settings.mt_model, revision=settings.mt_revision, engine=settings.engine)
    if summary.kind == "extractive":
        return ModelsUsed(mt=mt, summariser=ModelRef(id="extractive", engine="textrank"))
    back = settings.back_translation()
    return ModelsUsed(
        mt=mt,
        summariser=ModelRef(id=summary.model.id, revision=summary.model.revision, engine="transformers"),
        back_translation=ModelRef(id=back.model.id, revision=back.model.revision, engine=back.engine),
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@flow(name="bilingual-digest", log_prints=True)
def bilingual_digest(inputs: list[str], settings: Settings | None = None, refresh: bool = False,
                     digest_timezone: str | None = None) -> RunReport:
    """Turn Turkish article files into bilingual (Türkçe | English) summaries in `output_dir`,
    with a digest of the run dated in `digest_timezone` (default: the machine's local time)."""
    settings = settings or Settings()
    digest_zone = ZoneInfo(digest_timezone) if digest_timezone else None  # a bad name fails before any work
    logger = get_run_logger()
    started_at, started = _now(), time.perf_counter()
    stage = _stage_options(settings.cache_dir, refresh)
    cache_dir, output_dir = str(settings.cache_dir.resolve()), str(settings.output_dir)
    translation = settings.translation()

    ingested = ingest_task(inputs)
    ledger = Ledger(ingested.problems)

    raws = ingested.articles
    cleaned = ledger.collect("clean", [_key(a) for a in raws], stage(clean_task).map(raws))
    for article in cleaned:
        if article.skip_reason:
            ledger.fail(*_key(article), article.skip_reason, status="skipped")
    to_translate = [a for a in cleaned if not a.skip_reason]

    if to_translate:
        # Fails the run once, with the loader's explanation, rather than once per article.
        model_check(translation, _deployed())(translation)
    segment_futures = stage(segment_task).map(to_translate, config=unmapped(translation))
    segmented = ledger.collect("segment", [_key(a) for a in to_translate], segment_futures)

    batch = _translate(ledger, segmented, stage(translate_task), translation, cache_dir, refresh)
    translated = batch.articles

    summary_futures = stage(summarise_task).map(
        translated, config=unmapped(settings.summary()), back_translation=unmapped(settings.back_translation()),
        cache_dir=unmapped(cache_dir),
    )
    summarised = ledger.collect("summarise", [_key(a.article) for a in translated], summary_futures)
    done = [a for a in translated if a.article.id not in ledger.statuses]

    models = _models_used(settings)
    write_futures = write_task.map(done, summary=summarised, models=unmapped(models), output_dir=unmapped(output_dir))
    outputs = ledger.collect("write", [_key(a.article) for a in done], write_futures, cached=False)

    finished_at = _now()
    for output in outputs:
        ledger.statuses[output.id] = ArticleStatus(
            id=output.id, source=output.source.path, status="ok", title_en=output.title.en,
            title_tr=output.title.tr, published=output.published,
            first_summary_sentence=output.summary[0].en if output.summary else None,
        )
    statuses = sorted(ledger.statuses.values(), key=lambda s: s.id)
    for status in statuses:
        status.processed_at = finished_at
    write.write_index(statuses, Path(output_dir))

    context = FlowRunContext.get()
    report = RunReport(
        flow_run_id=str(context.flow_run.id) if context and context.flow_run else None,
        started=started_at, finished=finished_at, seconds=round(time.perf_counter() - started, 3),
        inputs=list(inputs), output_dir=output_dir, refresh=refresh,
        counts={s: sum(1 for a in statuses if a.status == s) for s in ("ok", "skipped", "failed")},
        stages=ledger.stages, translation=batch.counts,
        models_loaded=[spec.id for spec in loaded_models()], articles=statuses,
    )
    write.write_digest(outputs, datetime.now(digest_zone).date(), Path(output_dir))
    write.write_run_report(report, Path(output_dir))
    logger.info("bilingual-digest: %s", ", ".join(f"{v} {k}" for k, v in report.counts.items()))
    return report


def _translate(ledger: Ledger, segmented: list[SegmentedArticle], translate_stage: Task, config: TranslationConfig,
               cache_dir: str, refresh: bool) -> TranslationBatch:
    """One batch over the whole run; if that fails for a reason other than the model, each
    article again on its own, so one bad article cannot sink the others."""
    if not segmented:
        return TranslationBatch(articles=[], counts=TranslationCounts())
    progress.listener.stage_started("translate", 1)
    batch, error, cached = _settle(translate_stage.submit(segmented, config=config, cache_dir=cache_dir, refresh=refresh))
    progress.listener.advance("translate")
    if batch is not None:
        ledger.stages.setdefault("translate", StageCounts()).record(cached)
        if cached:  # nothing was translated or even looked up in this run
            return TranslationBatch(articles=batch.articles,
                                    counts=TranslationCounts(reused=sum(len(a.sentences()) for a in segmented)))
        return batch
    get_run_logger().warning("Batch translation failed (%s); translating article by article", error)
    singles = [translate_stage.submit([a], config=config, cache_dir=cache_dir, refresh=refresh) for a in segmented]
    results = ledger.collect("translate", [_key(a.article) for a in segmented], singles)
    return TranslationBatch(
        articles=[article for result in results for article in result.articles],
        counts=TranslationCounts(
            translated=sum(r.counts.translated for r in results),
            reused=sum(r.counts.reused for r in results),
            seconds=round(sum(r.counts.seconds for r in results), 3),
        ),
    )
