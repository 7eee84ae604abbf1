"""The Prefect flow `bilingual-digest`:

    ingest ─▶ manifest ─▶ clean ─▶ stories ─▶ segment ─▶ translate ─▶ summarise ─▶ write ─▶ index, digest, report

The manifest decides, before any task exists, which articles are unchanged (same source bytes,
same pipeline fingerprint, outputs on disk): they cost nothing. The rest go through the stages in
waves of `wave_size` articles (memory holds one wave, not the corpus), each stage a Prefect task
per chunk of `chunk_size` articles, so that per-task overhead is shared and one bad article fails
alone inside its chunk. Translation looks every sentence of the wave up in the sentence cache and
sends only the missing ones to the model, in shards of a token budget; each finished shard is
committed to the cache by the flow (the single writer), so a killed run loses at most the shards
in flight. With `workers` or `dask_address` the shards run on a Dask cluster, each worker
process loading the model once; everything else stays in this process.

One run at a time writes an output folder (`trnews.pipeline.locks`); SIGTERM/SIGINT stop a run within
seconds (`trnews.pipeline.interrupt`). Tasks are thin wrappers over the stage functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from trnews.stages import clean
from trnews.translation import hub
from trnews.stages import ingest
from trnews.pipeline import interrupt
from trnews.pipeline import progress
from trnews.stages import segment
from trnews.stages import summarise
from trnews.translation import translator as translate
from trnews.output import folder as write
from trnews.stages import stories as stories_
from trnews.stages.clean.site_templates import TEMPLATES, SiteTemplate, TemplateStats, source_of
from trnews.cli.cache_admin import SENTENCES
from trnews.config import Settings, SummaryConfig, TranslationConfig, load_settings
from trnews.pipeline.fingerprint import pipeline_fingerprint
from trnews.translation.hub import BACK_TRANSLATION, MT, ModelUnavailable, loaded_models
from trnews.pipeline.locks import run_lock
from trnews.pipeline.manifest import MANIFEST, Entry, Manifest
from trnews.records import (
    ArticleOutput,
    ArticleStatus,
    CleanArticle,
    DigestEntry,
    ModelRef,
    ModelsUsed,
    RawArticle,
    RunReport,
    SegmentedArticle,
    SentencePair,
    Story,
    TranslatedArticle,
    TranslationCounts,
)
from trnews.resources import usable_cpus
from trnews.translation.sentence_cache import SentenceCache
from trnews.stages.stories import STORIES, StoryStore
from trnews.translation.tokens import encode, token_batches

T = TypeVar("T")
U = TypeVar("U")

# Seconds between attempts to get a hub model in a deployed run: rides out a network blip or a
# short hub outage before the nightly run gives up.
MODEL_RETRY_DELAYS = (60, 300, 900)
# Translation batches per shard: big enough to amortise a task run, small enough that a kill
# loses little and the progress bar moves.
BATCHES_PER_SHARD = 8


@dataclass(frozen=True)
class Failure:
    """An article a stage could not process, and why."""

    id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Shard:
    """What one translation task did, and where."""

    translations: list[str]
    worker: str
    loaded: list[str]


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _source(article: RawArticle | CleanArticle) -> str:
    return article.source.path + (f":{article.source.line}" if article.source.line else "")


def _each(items: Sequence[T], stage: Callable[[T], U], article: Callable[[T], RawArticle | CleanArticle]) -> list[U | Failure]:
    """`stage` applied to every item; an item that fails becomes a `Failure` and the rest go on.
    A missing model is nobody's article's fault: it fails the task, and with it the run."""
    results: list[U | Failure] = []
    for item in items:
        interrupt.check()
        try:
            results.append(stage(item))
        except ModelUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - any error of one article is recorded, not raised
            results.append(Failure(article(item).id, _source(article(item)), _describe(error)))
    return results


# --- tasks: thin wrappers over the stage functions, one per chunk of articles ----------------------


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(inputs: list[str], max_article_bytes: int) -> ingest.IngestResult:
    return ingest.ingest_paths(inputs, max_article_bytes)


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(items: list[tuple[RawArticle, SiteTemplate]]) -> list[CleanArticle | Failure]:
    cleaned = _each(items, lambda item: clean.clean_text(*item), lambda item: item[0])
    checked = iter(clean.check_languages([c for c in cleaned if isinstance(c, CleanArticle)]))
    return [next(checked) if isinstance(c, CleanArticle) else c for c in cleaned]


@task(name="check-model", cache_policy=NO_CACHE)
def check_model_task(settings: Settings) -> str:
    """The pipeline fingerprint, which resolves every model the run needs (no weights loaded)."""
    return pipeline_fingerprint(settings)


@task(name="segment", cache_policy=NO_CACHE)
def segment_task(articles: list[CleanArticle], config: TranslationConfig) -> list[SegmentedArticle | Failure]:
    limit, count_tokens = translate.model_input_limit(config), translate.count_tokens_with(config)
    return _each(articles, lambda a: segment.segment_article(a, max_tokens=limit, count_tokens=count_tokens),
                 lambda a: a)


@task(name="translate", cache_policy=NO_CACHE)
def translate_task(sentences: list[str], config: TranslationConfig, cache_dir: str, report_progress: bool) -> Shard:
    """Translate one shard with this process's engine (loaded once per process, on first use),
    reporting each finished batch to the progress bars when they are in this process."""
    before = set(loaded_models())
    translations = [""] * len(sentences)
    for indices, texts in translate.make_engine(config, MT, Path(cache_dir)).translate_batches(sentences):
        interrupt.check()
        for index, text in zip(indices, texts):
            translations[index] = text
        if report_progress:
            progress.listener.advance("translate", len(indices))
    loaded = [spec.id for spec in loaded_models() if spec not in before]
    return Shard(translations, f"{socket.gethostname()}:{os.getpid()}", loaded)


@task(name="summarise", cache_policy=NO_CACHE)
def summarise_task(articles: list[TranslatedArticle], config: SummaryConfig, back_translation: TranslationConfig,
                   cache_dir: str, refresh: bool) -> list[list[SentencePair] | Failure]:
    if config.kind == "extractive":
        return _each(articles, lambda a: summarise.extractive_summary(a, config.sentences), lambda a: a.article)
    translator = translate.cached_translator(back_translation, Path(cache_dir), role=BACK_TRANSLATION, refresh=refresh)
    try:
        return _each(articles, lambda a: summarise.abstractive_summary(a, config, back_translation.device, translator),
                     lambda a: a.article)
    finally:
        translator.cache.close()


@task(name="write", cache_policy=NO_CACHE)
def write_task(items: list[tuple[TranslatedArticle, list[SentencePair], Story | None]], models: ModelsUsed,
               output_dir: str) -> list[ArticleOutput | Failure]:
    written: list[Path] = []

    def write_one(item: tuple[TranslatedArticle, list[SentencePair], Story | None]) -> ArticleOutput:
        article, summary, story = item
        started = time.perf_counter()
        output = write.build_output(article, summary, models)
        output.timings["write"] = round(time.perf_counter() - started, 4)
        written.extend(write.write_article(output, Path(output_dir), story, sync=False))
        return output

    results = _each(items, write_one, lambda item: item[0].article)
    # The chunk's files reach the disk together, before the flow records them in the manifest:
    # after a power cut, an article is either recorded with its files or written again.
    try:
        write.sync_files(written)
    except write.OutputFolderError as error:
        return [Failure(r.id, _source(item[0].article), str(error)) if isinstance(r, ArticleOutput) else r
                for r, item in zip(results, items)]
    return results


# --- the ledger: what happened to every article ----------------------------------------------------


class Ledger:
    """What happened to every article so far; stages hand on only the articles still ok."""

    def __init__(self, problems: Sequence[ArticleStatus]) -> None:
        self.statuses: dict[str, ArticleStatus] = {p.id: p for p in problems}
        self.stages: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    @contextmanager
    def timed(self, part: str) -> Iterator[None]:
        """Add the wall time of the block to `part` (summed over waves): where a night goes."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[part] = round(self.seconds.get(part, 0.0) + time.perf_counter() - started, 3)

    def fail(self, article_id: str, source: str, reason: str, status: str = "failed") -> None:
        self.statuses[article_id] = ArticleStatus(id=article_id, source=source, status=status, reason=reason)  # type: ignore[arg-type]

    def run_stage(self, stage: str, task_: Task, items: Sequence[T], chunk_size: int, **kwargs: Any) -> list[Any]:
        """`task_` over `items` in chunks, in order; the results of the items that did not fail."""
        chunks = [list(items[i:i + chunk_size]) for i in range(0, len(items), chunk_size)]
        progress.listener.stage_started(stage, len(items))
        results: list[Any] = []
        with self.timed(stage):
            # `quote`: Prefect would otherwise walk every field of every article twice per task run,
            # looking for futures to wait on (there are none): 4-6 ms per article, measured.
            # (Translation shards, lists of strings, are cheap to walk; and Dask would not unquote them.)
            futures = [task_.submit(quote(chunk), **kwargs) for chunk in chunks]
            for chunk, future in zip(chunks, futures):
                for outcome in _settle(future):
                    if isinstance(outcome, Failure):
                        self.fail(outcome.id, outcome.source, outcome.reason)
                    else:
                        results.append(outcome)
                self.stages[stage] = self.stages.get(stage, 0) + len(chunk)
                progress.listener.advance(stage, len(chunk))
        return results


def _settle(future: PrefectFuture[T]) -> T:
    """The result of a finished task run. A task fails as a whole only for a missing model (which
    fails the run with the loader's explanation) or a bug, which fails the run too."""
    return future.result()


# --- translation: the sentence cache, then shards of what is missing -------------------------------


@dataclass
class TranslationRun:
    counts: TranslationCounts = field(default_factory=TranslationCounts)
    workers: dict[str, list[str]] = field(default_factory=dict)


def _shards(sentences: list[str], config: TranslationConfig, workers: int) -> list[list[str]]:
    """`sentences` in token-budgeted shards of about BATCHES_PER_SHARD batches, and at least two per
    worker so that a cluster stays busy."""
    if not sentences:
        return []
    lengths = [len(ids) for ids in encode(hub.load_tokenizer(config.spec), sentences)]
    budget = config.batch_tokens * BATCHES_PER_SHARD
    if workers > 1:
        budget = max(min(budget, sum(lengths) // (2 * workers)), max(lengths))
    return [[sentences[i] for i in sorted(shard)] for shard in token_batches(lengths, budget)]


def shard_config(settings: Settings) -> TranslationConfig:
    """The translation settings the shards run with. The processes of a local cluster share this
    machine's CPUs: each computes with its share, not with all of them (two workers with all the
    threads of a 2-CPU machine each translated 3.5 times slower than one, measured)."""
    config = settings.translation
    if settings.workers and not settings.dask_address and config.threads is None:
        return config.model_copy(update={"threads": max(1, usable_cpus() // settings.workers)})
    return config


def _translate(ledger: Ledger, segmented: list[SegmentedArticle], settings: Settings, refresh: bool,
               run: TranslationRun, workers: int, runner: Any) -> list[TranslatedArticle]:
    config, cache_dir = shard_config(settings), settings.cache_dir.resolve()
    cache = SentenceCache(cache_dir / SENTENCES)
    try:
        namespace = translate.translation_namespace(config)
        wanted = list(dict.fromkeys(s for article in segmented for s in article.sentences()))
        known = {} if refresh else cache.get_many(namespace, wanted)
        missing = [s for s in wanted if s not in known]
        progress.listener.stage_started("translate", len(missing), unit="sentences")
        errors = _translate_missing(missing, known, config, str(cache_dir), workers, runner, run,
                                    commit=lambda pairs: cache.put_many(namespace, pairs))
    finally:
        cache.close()
    run.counts.translated += len(missing) - len(errors)
    seconds_per_sentence = run.counts.seconds / max(run.counts.translated, 1)
    fresh = set(missing)
    complete = []
    for article in segmented:
        failed = next((errors[s] for s in article.sentences() if s in errors), None)
        if failed:
            ledger.fail(article.article.id, _source(article.article), failed)
        else:
            complete.append(article)
    translated = translate.translate_articles(complete, _Known(known))
    for result, article in zip(translated, complete):
        sentences = article.sentences()
        run.counts.reused += sum(1 for s in sentences if s not in fresh)
        # Model time is shared by the sentences it translated; reused ones cost nothing.
        result.article.timings["translate"] = round(seconds_per_sentence * sum(1 for s in sentences if s in fresh), 4)
    return translated


def _translate_missing(missing: list[str], known: dict[str, str], config: TranslationConfig, cache_dir: str,
                       workers: int, runner: Any, run: TranslationRun,
                       commit: Callable[[list[tuple[str, str]]], None]) -> dict[str, str]:
    """Translate `missing` into `known`, committing each shard as it finishes; a shard that fails is
    retried sentence by sentence, so one bad sentence fails only its own articles. Returns the
    sentences that could not be translated, with the reason."""
    errors: dict[str, str] = {}

    def absorb(shard: list[str], future: PrefectFuture[Shard]) -> BaseException | None:
        try:
            result = future.result()
        except ModelUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - retried below, then recorded per sentence
            return error
        pairs = list(zip(shard, result.translations))
        commit(pairs)
        known.update(pairs)
        run.workers.setdefault(result.worker, []).extend(result.loaded)
        if runner is not None:  # a worker elsewhere could not report its batches
            progress.listener.advance("translate", len(shard))
        return None

    def submit(shard: list[str]) -> PrefectFuture[Shard]:
        parameters = {"sentences": shard, "config": config, "cache_dir": cache_dir, "report_progress": runner is None}
        return runner.submit(translate_task, parameters) if runner else translate_task.submit(**parameters)

    # Wall time of the whole phase: shards in this process wait for the model in turn, so the
    # sum of their durations would count that wait again and again.
    started = time.perf_counter()
    futures = {submit(shard): shard for shard in _shards(missing, config, workers)}
    retry: list[str] = []
    for future in as_completed(list(futures)):
        interrupt.check()
        if absorb(futures[future], future) is not None:
            retry.extend(futures[future])
    for sentence in retry:
        interrupt.check()
        error = absorb([sentence], submit([sentence]))
        if error is not None:
            errors[sentence] = f"translation failed: {_describe(error)}"
    run.counts.seconds = round(run.counts.seconds + time.perf_counter() - started, 3)
    return errors


class _Known:
    """A translator that only knows the translations at hand (the sentence cache's and this run's)."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [self.table[s] for s in sentences]


# --- the flow --------------------------------------------------------------------------------------


def model_retry_delays(config: TranslationConfig, deployed: bool) -> list[int]:
    """How long to wait before each new attempt to get the MT model. Only a deployed run (nobody
    waiting at a terminal) waits, and only for a model that could still be downloaded: a local
    folder or offline mode will not fix itself."""
    if not deployed or hub.is_local(config.spec) or hub.is_path_like(config.spec.id) or hub.offline_mode():
        return []
    return list(MODEL_RETRY_DELAYS)


def _model_unavailable(task_: Task, task_run: Any, state: Any) -> bool:
    return isinstance(state.result(raise_on_failure=False), ModelUnavailable)


def model_check(config: TranslationConfig, deployed: bool) -> Task[[Settings], str]:
    delays = model_retry_delays(config, deployed)
    return check_model_task.with_options(retries=len(delays), retry_delay_seconds=delays,
                                         retry_condition_fn=_model_unavailable)


def _deployed() -> bool:
    """Whether this flow run belongs to a deployment (scheduled, triggered), not a direct call."""
    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.deployment_id)


def _models_used(settings: Settings) -> ModelsUsed:
    summary = settings.summary
    translation = settings.translation
    mt = ModelRef(id=translation.model, revision=translation.revision, engine=translation.engine)
    if summary.kind == "extractive":
        return ModelsUsed(mt=mt, summariser=ModelRef(id="extractive", engine="length-centrality"))
    back = settings.back_translation()
    return ModelsUsed(
        mt=mt,
        summariser=ModelRef(id=summary.model, revision=summary.revision, engine="transformers"),
        back_translation=ModelRef(id=back.model, revision=back.revision, engine=back.engine),
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _waves(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Run:
    """The state one flow run builds up."""

    settings: Settings
    refresh: bool
    fingerprint: str
    ledger: Ledger
    manifest: Manifest
    workers: int
    shard_runner: Any = None
    translation: TranslationRun = field(default_factory=TranslationRun)
    touched_stories: set[str] = field(default_factory=set)
    written_with: dict[str, list[str]] = field(default_factory=dict)  # article id -> its story's members then
    story_sentences: int = 0


def _process_wave(run: _Run, wave: Sequence[_Pending]) -> None:
    settings, ledger = run.settings, run.ledger
    output_dir, cache_dir = settings.output_dir, str(settings.cache_dir.resolve())
    chunk, translation = settings.chunk_size, settings.translation
    sha = {item.raw.id: item.raw.source.sha256 for item in wave}
    made_with = {item.raw.id: item.made_with for item in wave}

    cleaned: list[CleanArticle] = ledger.run_stage("clean", clean_task, [(i.raw, i.template) for i in wave], chunk)
    skipped = [a for a in cleaned if a.skip_reason]
    for article in skipped:
        ledger.fail(article.id, _source(article), article.skip_reason or "", status="skipped")
    to_translate = [a for a in cleaned if not a.skip_reason]
    with ledger.timed("stories"):
        story_of, stories = _group_into_stories(run, to_translate)

    segmented = ledger.run_stage("segment", segment_task, to_translate, chunk, config=translation)
    sentences = {a.article.id: a.sentences() for a in segmented}
    run.story_sentences += sum(stories_.repeated_sentences(story, sentences) for story in stories.values())
    with ledger.timed("translate"):
        translated = _translate(ledger, segmented, settings, run.refresh, run.translation, run.workers,
                                run.shard_runner)
    summaries = ledger.run_stage(
        "summarise", summarise_task, translated, chunk, config=settings.summary,
        back_translation=settings.back_translation(), cache_dir=cache_dir,
        refresh=run.refresh)
    summarised = [a for a in translated if a.article.id not in ledger.statuses]
    outputs: list[ArticleOutput] = ledger.run_stage(
        "write", write_task, [(a, summary, stories.get(story_of.get(a.article.id, ""))) for a, summary in
                              zip(summarised, summaries)], chunk, models=_models_used(settings),
        output_dir=str(output_dir))

    written, entries, now = time.time(), [], _now()
    for article in skipped:
        ledger.statuses[article.id].processed_at = now
    for output in outputs:
        story = stories.get(story_of.get(output.id, ""))
        if story:
            run.written_with[output.id] = story.article_ids
        status = write.article_status(output, now)
        ledger.statuses[output.id] = status
        digest = DigestEntry(id=output.id, title=output.title, published=output.published, summary=output.summary)
        entries.append(Entry(output.id, sha[output.id], made_with[output.id], status, digest, written))
    entries += [Entry(a.id, sha[a.id], made_with[a.id], ledger.statuses[a.id], None, written) for a in skipped]
    run.manifest.record(output_dir, entries)


def _group_into_stories(run: _Run, articles: Sequence[CleanArticle]) -> tuple[dict[str, str], dict[str, Story]]:
    """Each article's story (joining the stories of earlier runs), and those stories."""
    with StoryStore(run.settings.cache_dir / STORIES, run.settings.story_window_days) as store:
        story_of = store.assign(articles)
        stories = {story.id: story for story in store.stories_of(story_of.values())}
    run.touched_stories.update(stories)
    return story_of, stories


def _finish_stories(run: _Run) -> list[Story]:
    """`stories.json` with every story this run touched summarised from all its articles (earlier
    runs' included), and the pages of earlier articles relinked to the outlets that joined them.
    Returns every story of the output folder, for the digest."""
    output_dir = run.settings.output_dir
    known = {story.id: story for story in write.read_stories(output_dir)}
    if not run.touched_stories:
        return list(known.values())
    with StoryStore(run.settings.cache_dir / STORIES, run.settings.story_window_days) as store:
        touched = store.stories_of(run.touched_stories)
    for story in touched:
        paths = [write.article_path(output_dir, i, ".json") for i in story.article_ids]
        outputs = [ArticleOutput.model_validate_json(p.read_text(encoding="utf-8")) for p in paths if p.is_file()]
        if not outputs:
            continue
        length = run.settings.summary.sentences or max(len(o.summary) for o in outputs)
        story = stories_.with_outputs(story, outputs, length)
        known[story.id] = story
        # Each page lists the other outlets' versions: pages written before the story's last
        # member joined it are written again.
        for output in outputs:
            if len(outputs) > 1 and run.written_with.get(output.id) != story.article_ids:
                write.write_article(output, output_dir, story)
    ordered = sorted(known.values(), key=lambda s: (len(s.article_ids), s.last_published or ""), reverse=True)
    write.write_stories(ordered, output_dir)
    return ordered


@dataclass(frozen=True)
class _Pending:
    """An article to process, with its site-template verdicts and what its outputs will be made from."""

    raw: RawArticle
    template: SiteTemplate
    made_with: str


def _made_with(fingerprint: str, template: SiteTemplate, statistics: str) -> str:
    """What an article's outputs are made from besides its bytes: the pipeline's fingerprint, its
    site-template verdicts (when the corpus statistics change what counts as template in an
    article, it is cleaned again; statistics that move elsewhere do not touch it), and the
    version of its site's statistics they were judged on (`TemplateStats.versions`)."""
    verdicts = hashlib.sha256(template.model_dump_json().encode()).hexdigest()[:16]
    return f"{fingerprint}|{verdicts}|{statistics}"


def _sort_out(raws: Sequence[RawArticle], fingerprint: str, stats: TemplateStats, known: dict[str, Entry],
              output_dir: Path) -> tuple[list[RawArticle], list[_Pending], list[Entry]]:
    """The unchanged articles, the articles to process, and the manifest entries to update: those
    of unchanged articles whose site statistics moved without changing their verdicts.

    Unchanged means the same bytes, outputs on disk and the same pipeline fingerprint, with
    verdicts judged on the same statistics (then they still hold, and the article costs no
    judging: most of what a night without news would cost) or judged again and found the same."""
    versions = stats.versions()
    unchanged: list[RawArticle] = []
    pending: list[_Pending] = []
    rejudged: list[Entry] = []
    for raw in raws:
        entry, statistics = known.get(raw.id), versions.get(source_of(raw), "")
        current = entry is not None and _outputs_current(raw, entry, output_dir)
        if current and entry.fingerprint.startswith(f"{fingerprint}|") and entry.fingerprint.endswith(f"|{statistics}"):
            unchanged.append(raw)
            continue
        template = stats.template_for(raw)
        made_with = _made_with(fingerprint, template, statistics)
        if current and entry.fingerprint.rsplit("|", 1)[0] == made_with.rsplit("|", 1)[0]:
            unchanged.append(raw)
            rejudged.append(dataclasses.replace(entry, fingerprint=made_with))
            continue
        pending.append(_Pending(raw, template, made_with))
    return unchanged, pending, rejudged


def _outputs_current(raw: RawArticle, entry: Entry, output_dir: Path) -> bool:
    """Whether the entry's outputs were made from these bytes and are still on disk."""
    if entry.source_sha256 != raw.source.sha256:
        return False
    return entry.status.status == "skipped" or write.article_path(output_dir, raw.id, ".json").is_file()


def _models_loaded(before: set[Any], workers: dict[str, list[str]]) -> list[str]:
    """Models whose weights this run loaded, here or in worker processes."""
    here = f"{socket.gethostname()}:{os.getpid()}"
    loaded = [spec.id for spec in loaded_models() if spec not in before]
    return list(dict.fromkeys(loaded + [m for worker, models in workers.items() if worker != here for m in models]))


def _shard_runner(settings: Settings) -> Any:
    """Where translation shards run: a Dask cluster when asked for one (prefect-dask), else None
    (this process, under the flow's own task runner). Only the shards go to the cluster: the
    other stages are cheap and write the caches and outputs, which stay with this process."""
    if not (settings.workers or settings.dask_address):
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # A local cluster's nanny warns that workers (torch threads) outlive its 4 s shutdown grace:
    # they are killed as they should be, and a successful run's terminal stays clean.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1, "processes": True})


# The tasks of a run take turns in one thread. Stage chunks are pure Python, which runs one thread
# at a time anyway, and translation shards take turns on the model; a thread per chunk only added
# contention (on 3,000 articles and 2 cores: cleaning, writing and translation 1.3-1.8 times slower).
@flow(name="bilingual-digest", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def bilingual_digest(inputs: list[str], settings: Settings | None = None, refresh: bool = False,
                     digest_timezone: str | None = None) -> RunReport:
    """Turn Turkish article files into bilingual (Türkçe | English) summaries in `output_dir`,
    with a digest of the day dated in `digest_timezone` (default: the machine's local time)."""
    settings = settings or load_settings()
    digest_zone = ZoneInfo(digest_timezone) if digest_timezone else None  # a bad name fails before any work
    with run_lock(settings.cache_dir, settings.output_dir, settings.lock_timeout):
        write.remove_leftover_temp_files(settings.output_dir)
        return _pipeline(inputs, settings, refresh, digest_zone)


def _pipeline(inputs: list[str], settings: Settings, refresh: bool, digest_zone: ZoneInfo | None) -> RunReport:
    logger = get_run_logger()
    started_at, started = _now(), time.perf_counter()
    output_dir = settings.output_dir
    manifest = Manifest(settings.cache_dir / MANIFEST)
    models_before = set(loaded_models())
    try:
        ingested = ingest_task(inputs, settings.max_article_bytes)
        ledger = Ledger(ingested.problems)
        raws = ingested.articles
        # The fingerprint resolves the models (hub commit or folder contents): once per run, with
        # deployed runs retrying a model the hub could not deliver.
        fingerprint = model_check(settings.translation, _deployed())(settings) if raws else ""
        # Every page counts once in its site's template statistics (kept across runs), so that
        # what earlier runs saw helps a single new article tonight.
        known = {} if refresh else manifest.entries(output_dir)
        with TemplateStats(settings.cache_dir / TEMPLATES) as stats:
            stats.observe(raws)
            unchanged, pending, rejudged = _sort_out(raws, fingerprint, stats, known, output_dir)
        for raw in unchanged:
            ledger.statuses[raw.id] = known[raw.id].status
        manifest.touch(output_dir, [raw.id for raw in unchanged])
        manifest.record(output_dir, rejudged)
        ledger.seconds["sort-out"] = round(time.perf_counter() - started, 3)

        run = _Run(settings, refresh, fingerprint, ledger, manifest,
                   workers=settings.workers or (2 if settings.dask_address else 1))
        with ExitStack() as cluster:
            runner = _shard_runner(settings) if pending else None
            run.shard_runner = cluster.enter_context(runner) if runner else None
            for wave in _waves(pending, settings.wave_size):
                _process_wave(run, wave)

        finished_at = _now()
        statuses = sorted(ledger.statuses.values(), key=lambda s: s.id)
        for status in statuses:
            status.processed_at = status.processed_at or finished_at
        # The output folder may refuse the shared files (read-only, full): say so in the report,
        # which the CLI shows with the table, and write whatever can still be written.
        output_errors: list[str] = []

        def attempt(write_step: Callable[[], T]) -> T | None:
            try:
                return write_step()
            except write.OutputFolderError as error:
                output_errors.append(str(error))
                return None

        with ledger.timed("finish"):
            day = datetime.now(digest_zone)
            midnight = day.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
            todays = [e.digest for e in manifest.entries(output_dir).values() if e.digest and e.written >= midnight]
            stories = attempt(lambda: _finish_stories(run)) or []
            attempt(lambda: write.write_digest(todays, day.date(), output_dir, stories))
            attempt(lambda: write.write_index(statuses, output_dir))  # after the digest, which it lists
        context = FlowRunContext.get()
        flow_run = context.flow_run if context else None
        report = RunReport(
            flow_run_id=str(flow_run.id) if flow_run else None, flow_run_name=flow_run.name if flow_run else None,
            started=started_at, finished=finished_at, seconds=round(time.perf_counter() - started, 3),
            inputs=list(inputs), output_dir=str(output_dir), refresh=refresh,
            counts={s: sum(1 for a in statuses if a.status == s) for s in ("ok", "skipped", "failed")},
            unchanged=len(unchanged), stages=ledger.stages, stage_seconds=ledger.seconds,
            translation=run.translation.counts,
            story_sentences_shared=run.story_sentences,
            models_loaded=_models_loaded(models_before, run.translation.workers), workers=run.translation.workers,
            articles=statuses, output_errors=output_errors,
        )
        attempt(lambda: write.write_run_report(report, output_dir))
    finally:
        manifest.close()
    logger.info("bilingual-digest: %s", ", ".join(f"{v} {k}" for k, v in report.counts.items()))
    return report
