"""`trnews run` (the flow over some inputs, with stage bars and the run's counts) and `trnews clean`
(what the cleaner makes of some inputs, without a model)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from trnews.cli.console import console, print_error, print_note, print_report, tell_model_notices
from trnews.cli.options import InputsArg, RefreshOpt, inputs_or_sources, takes_settings
from trnews.cli.preflight import check_inputs, check_models
from trnews.cli.progress_bars import StageBars
from trnews.config import Settings
from trnews.errors import TrnewsError
from trnews.stores import CacheLayout


class _ExplainedByCli(logging.Filter):
    """Drops Prefect's traceback logs for an error the CLI explains itself, once (every
    `TrnewsError`: a model not to be had, an output or cache folder that refuses writes, a lock
    wait that gave up), and its crash reports of a run that was asked to stop (the CLI says it
    stopped)."""

    def __init__(self, stopping: threading.Event) -> None:
        super().__init__()
        self.stopping = stopping

    def filter(self, record: logging.LogRecord) -> bool:
        if self.stopping.is_set():
            return False
        if record.exc_info and isinstance(record.exc_info[1], TrnewsError):
            return False
        message = record.getMessage()
        return not any(f"{name}:" in message for name in _names(TrnewsError))


def _names(error_type: type[BaseException]) -> set[str]:
    """The names of `error_type` and of every subclass of it."""
    return {error_type.__name__, *(name for sub in error_type.__subclasses__() for name in _names(sub))}


def end_child_processes(grace_seconds: float = 3.0) -> None:
    """Stop every process this one started (Prefect's temporary API server, the workers of a local
    Dask cluster): asked to terminate, then killed after `grace_seconds`."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace_seconds)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


@takes_settings()
def run(inputs: InputsArg = None, refresh: RefreshOpt = False, *, settings: Settings) -> None:
    """Run the bilingual-digest flow over INPUTS and write outputs (JSON, Markdown, index); with
    --sources, fetch what is new at the outlets first and add it to INPUTS."""
    inputs = inputs_or_sources(inputs, settings)
    check_models(settings)
    check_inputs(inputs, settings)
    tell_model_notices(settings)
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The stage bars show progress; library bars (transformers' "Loading weights", downloads)
    # would only break them on a terminal and litter piped output.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from trnews.cli.prefect_runtime import quiet_temporary_server

    quiet_temporary_server()  # before Prefect is imported: it reads its settings once
    from trnews.cli.prefect_runtime import prefect_starting, run_flow
    from trnews.pipeline import progress as stage_progress
    from trnews.pipeline.flow import bilingual_digest
    from trnews.pipeline.interrupt import RunStopped, stop_on_signals, stop_requested

    explained = _ExplainedByCli(stop_requested)
    for logger_name in ("prefect.task_runs", "prefect.flow_runs"):
        logging.getLogger(logger_name).addFilter(explained)
    print_note(prefect_starting())
    bars = Progress(*StageBars.columns(), console=console, transient=False)
    stage_progress.listen(StageBars(bars))
    try:
        with stop_on_signals(), bars:
            report = run_flow(lambda: bilingual_digest(inputs=[str(p) for p in inputs], settings=settings,
                                                       refresh=refresh))
    except RunStopped as stopped:
        print_error(f"{stopped}; finished work is kept (a rerun continues from it).")
        # A model call abandoned on another library's threads (CTranslate2) may still be computing:
        # exit without waiting for it, and without the clean-up that would have stopped our children.
        end_child_processes()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + stopped.signum)
    finally:
        stage_progress.listen(None)

    print_report(report, title=f"bilingual-digest → {settings.output_dir}")
    for problem in report.output_errors:
        print_error(problem)
    if report.counts["failed"] or report.input_problems or report.output_errors:
        raise typer.Exit(1)


@takes_settings("cache_dir")
def clean(files: Annotated[list[Path], typer.Argument(help="Article files or folders")], *,
          settings: Settings) -> None:
    """Print each article as the cleaner sees it (JSON): exactly what would be translated. Loads no model.

    Uses (and adds to) the site-template statistics in the cache folder, as `trnews run` does."""
    from trnews.stages.clean import clean_article
    from trnews.stages.clean.site_templates import TemplateStats
    from trnews.stages.ingest import ingest_paths

    result = ingest_paths(files)
    with TemplateStats(CacheLayout(settings.cache_dir).templates) as stats:
        stats.observe(result.articles)
        documents = [
            clean_article(raw, stats.template_for(raw)).model_dump(mode="json", exclude={"timings"})
            for raw in result.articles
        ] + [problem.model_dump(mode="json", exclude_none=True) for problem in [*result.problems, *result.unreadable]]
    json.dump(documents, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if result.problems or result.unreadable:
        raise typer.Exit(1)
