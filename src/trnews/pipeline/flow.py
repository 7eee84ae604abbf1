"""The Prefect flow `bilingual-digest`:

    (fetch) ─▶ ingest ─▶ sort out ─▶ clean ─▶ segment ─▶ stories ─▶ translate ─▶ check ─▶ summarise ─▶ write ─▶ finish
    sources,   files     unchanged   (the stages: trnews.stages.STAGES, run by the ledger)                      stories,
    new pages            articles                                                                             digest,
    archived             cost nothing                                                                         index, report

With a sources file (the `sources` setting), the run first fetches what is new at the outlets
(`trnews.fetch`), and the WARC files that received new articles join its inputs.

The manifest decides, before any task exists, which articles are unchanged (`incremental`): they
cost nothing. The rest go through the stages in waves of `wave_size` articles (memory holds one
wave, not the corpus); each stage runs in Prefect tasks of `chunk_size` articles, or over the
whole wave (`trnews.pipeline.ledger`). One run at a time writes an output folder
(`trnews.pipeline.locks`); SIGTERM/SIGINT stop a run within seconds (`trnews.pipeline.interrupt`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from zoneinfo import ZoneInfo

from trnews.config import Settings, TranslationConfig, load_settings
from trnews.output.files import remove_leftover_temp_files
from trnews.output.paths import ARTICLES
from trnews.pipeline.context import RunContext, open_run
from trnews.pipeline.fingerprint import pipeline_fingerprint
from trnews.pipeline.finish import finish
from trnews.pipeline.incremental import SortedOut, record_wave, sort_out
from trnews.pipeline.locks import run_lock
from trnews.pipeline.stage import Work
from trnews.fetch.fetcher import fetch_sources
from trnews.records import FetchReport, RunReport
from trnews.stages import STAGES
from trnews.stages.clean.site_templates import TemplateStats
from trnews.stages.ingest import IngestResult, ingest_paths
from trnews.translation import hub
from trnews.translation.hub import ModelUnavailable

# Seconds between attempts to get a hub model in a deployed run: rides out a network blip or a
# short hub outage before the nightly run gives up.
MODEL_RETRY_DELAYS = (60, 300, 900)


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(inputs: list[str], max_article_bytes: int) -> IngestResult:
    return ingest_paths(inputs, max_article_bytes)


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_task(settings: Settings) -> FetchReport:
    return fetch_sources(settings)


@task(name="check-model", cache_policy=NO_CACHE)
def check_model_task(settings: Settings) -> str:
    """The pipeline fingerprint, which resolves every model the run needs (no weights loaded)."""
    return pipeline_fingerprint(settings)


def model_retry_delays(config: TranslationConfig, deployed: bool) -> list[int]:
    """How long to wait before each new attempt to get the MT model. Only a deployed run (nobody
    waiting at a terminal) waits, and only for a model that could still be downloaded: a local
    folder or offline mode will not fix itself."""
    spec = config.spec
    if not deployed or hub.is_local(spec) or hub.is_path_like(spec.id) or hub.offline_mode(spec):
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


def _sort_out(run: RunContext, inputs: list[str]) -> SortedOut:
    """The inputs' articles: those unchanged, recorded as such, and the others, to process. Every
    page counts once in its site's template statistics (kept across runs), so that what earlier
    runs saw helps a single new article tonight."""
    settings, output_dir = run.settings, run.settings.output_dir
    with run.ledger.timed("sort-out"):
        ingested = ingest_task(inputs, settings.max_article_bytes)
        for problem in ingested.problems:
            run.ledger.record(problem)
        run.input_problems = ingested.unreadable
        raws = ingested.articles
        # The fingerprint resolves the models (hub commit or folder contents): once per run, with
        # deployed runs retrying a model the hub could not deliver.
        fingerprint = model_check(settings.translation, _deployed())(settings) if raws else ""
        known = {} if run.refresh else run.manifest.entries(output_dir)
        with TemplateStats(run.stores.templates) as stats:
            stats.observe(raws)
            sorted_out = sort_out(raws, fingerprint, stats, known, output_dir)
        for raw in sorted_out.unchanged:
            run.ledger.record(known[raw.id].status)
        run.manifest.touch(output_dir, [raw.id for raw in sorted_out.unchanged])
        run.manifest.record(output_dir, sorted_out.rejudged)
    return sorted_out


def _waves(items: Sequence[Work], size: int) -> Iterator[Sequence[Work]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# The tasks of a run take turns in one thread. Stage chunks are pure Python, which runs one thread
# at a time anyway, and translation shards take turns on the model; a thread per chunk only added
# contention (on 3,000 articles and 2 cores: cleaning, writing and translation 1.3-1.8 times slower).
@flow(name="bilingual-digest", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def bilingual_digest(inputs: list[str], settings: Settings | None = None, refresh: bool = False,
                     digest_timezone: str | None = None) -> RunReport:
    """Turn Turkish article files into bilingual (Türkçe | English) summaries in `output_dir`,
    with a digest of the day dated in `digest_timezone` (default: the machine's local time).
    With a sources file in `settings`, fetch first and add the new pages to `inputs`."""
    settings = settings or load_settings()
    digest_zone = ZoneInfo(digest_timezone) if digest_timezone else None  # a bad name fails before any work
    fetched = fetch_task(settings) if settings.fetch.sources else None
    if fetched is not None:
        get_run_logger().info("fetch: %d new article(s) from %d source(s)", fetched.new_articles, len(fetched.sources))
        inputs = [*inputs, *(path for path in fetched.archives if path not in inputs)]
    with run_lock(settings.output_dir, settings.lock_timeout):
        remove_leftover_temp_files([settings.output_dir, settings.output_dir / ARTICLES])
        with open_run(settings, refresh, list(STAGES)) as run:
            sorted_out = _sort_out(run, inputs)
            for wave in _waves(sorted_out.pending, settings.wave_size):
                batch = {work.id: work for work in wave}
                for stage in run.stages:
                    batch = run.ledger.run_stage(stage, batch)
                record_wave(run.manifest, run.ledger, settings.output_dir, wave, batch)
            report = finish(run, inputs, len(sorted_out.unchanged), digest_zone, fetched)
    get_run_logger().info("bilingual-digest: %s", ", ".join(f"{v} {k}" for k, v in report.counts.items()))
    return report
