"""Finishing a run: the stories the run touched, the day's digest, the index and the run report.

The output folder may refuse the shared files (read-only, full): that goes into the report,
which the CLI shows with its table, and whatever can still be written is written.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from prefect.context import FlowRunContext

from trnews.output import folder
from trnews.output.files import OutputFolderError
from trnews.pipeline.context import RunContext
from trnews.pipeline.incremental import now
from trnews.records import FetchReport, RunReport, Story
from trnews.stages.check import FLAGGED, RECOVERED, run_counts
from trnews.stages.stories import StoryStore, with_outputs
from trnews.translation.hub import loaded_models
from trnews.translation.shards import this_process

log = logging.getLogger(__name__)

T = TypeVar("T")


def finish(run: RunContext, inputs: list[str], unchanged: int, digest_zone: ZoneInfo | None,
           fetched: FetchReport | None = None) -> RunReport:
    """Write the run's shared files and report (with what its fetch step `fetched`); returns the report."""
    settings, ledger = run.settings, run.ledger
    output_dir = settings.output_dir
    finished_at = now()
    statuses = sorted(ledger.statuses.values(), key=lambda s: s.id)
    for status in statuses:
        status.processed_at = status.processed_at or finished_at
    output_errors: list[str] = []

    def attempt(write_step: Callable[[], T]) -> T | None:
        try:
            return write_step()
        except OutputFolderError as error:
            output_errors.append(str(error))
            return None

    with ledger.timed("finish"):
        day = datetime.now(digest_zone)
        midnight = day.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        todays = [e.digest for e in run.manifest.entries(output_dir).values() if e.digest and e.written >= midnight]
        stories = attempt(lambda: finish_stories(run)) or []
        attempt(lambda: folder.write_digest(todays, day.date(), output_dir, stories))
        attempt(lambda: folder.write_index(statuses, output_dir))  # after the digest, which it lists
    check_stats = ledger.stats.get("check", Counter())
    context = FlowRunContext.get()
    flow_run = context.flow_run if context else None
    report = RunReport(
        flow_run_id=str(flow_run.id) if flow_run else None, flow_run_name=flow_run.name if flow_run else None,
        started=run.started_at, finished=finished_at, seconds=round(time.perf_counter() - run.started, 3),
        inputs=list(inputs), output_dir=str(output_dir), refresh=run.refresh,
        counts={s: sum(1 for a in statuses if a.status == s) for s in ("ok", "skipped", "failed")},
        flagged=run_counts(check_stats, FLAGGED), recovered=run_counts(check_stats, RECOVERED), unchanged=unchanged, stages=ledger.processed, stage_seconds=ledger.seconds, translation=run.translation_counts,
        story_sentences_shared=ledger.stats.get("stories", {}).get("sentences_shared", 0),
        models_loaded=models_loaded(run), workers=run.loaded_by_worker, articles=statuses,
        input_problems=run.input_problems, output_errors=output_errors,
        fetch=fetched,
    )
    attempt(lambda: folder.write_run_report(report, output_dir))
    return report


def finish_stories(run: RunContext) -> list[Story]:
    """`stories.json` with every story this run touched summarised from all its articles (earlier
    runs' included), and the pages of earlier articles relinked to the outlets that joined them.
    A damaged `stories.json` is rebuilt from the story store. Returns every story of the output
    folder, for the digest."""
    output_dir = run.settings.output_dir
    listed = folder.read_stories(output_dir)
    if listed is not None and not run.stories_touched:
        return listed
    with StoryStore(run.stores.stories, run.settings.story_window_days) as store:
        if listed is None:
            log.warning("rebuilding %s from the story store", folder.stories_path(output_dir))
            touched, listed = store.stories(), []
        else:
            touched = store.stories_of(run.stories_touched)
    known = {story.id: story for story in listed}
    for story in touched:
        # By id: an id from before ids were bounded reads as the record of its bounded form.
        by_id = {output.id: output for i in story.article_ids if (output := folder.read_article(output_dir, i))}
        outputs = list(by_id.values())
        if not outputs:
            continue
        length = run.settings.summary.sentences or max(len(o.summary) for o in outputs)
        story = with_outputs(story, outputs, length)
        known[story.id] = story
        # Each page lists the other outlets' versions: pages written before the story's last
        # member joined it are written again.
        for output in outputs:
            if len(outputs) > 1 and run.pages_written_with.get(output.id) != story.article_ids:
                folder.write_article(output, output_dir, story)
    ordered = sorted(known.values(), key=lambda s: (len(s.article_ids), s.last_published or ""), reverse=True)
    folder.write_stories(ordered, output_dir)
    return ordered


def models_loaded(run: RunContext) -> list[str]:
    """Models whose weights this run loaded, here or in worker processes."""
    here = this_process()
    loaded = [spec.id for spec in loaded_models() if spec not in run.models_before]
    elsewhere = [m for worker, models in run.loaded_by_worker.items() if worker != here for m in models]
    return list(dict.fromkeys(loaded + elsewhere))
