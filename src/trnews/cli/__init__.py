"""The `trnews` command line."""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich import box
from rich.console import Console
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
from rich.table import Table
from rich.text import Text

from trnews.config import Device, Engine, Settings, SummariserKind, leaf, load_settings
from trnews.records import RunReport
from trnews.cli.schedule import (
    DEFAULT_CRON,
    DEFAULT_DEPLOYMENT,
    DEFAULT_TIMEZONE,
    FLOW_NAME,
    LOCAL_PORT,
    run_name,
)

# Plain (click) help: it wraps every option's help, environment variable and default to the
# terminal's width, where rich's panels cut long option names at 80 columns.
app = typer.Typer(help="Turkish news in English: bilingual side-by-side summaries.", no_args_is_help=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None)
cache_app = typer.Typer(help="Inspect, prune or empty the cache (manifest, translations, statistics, converted models).", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(cache_app, name="cache")

console = Console()
errors = Console(stderr=True)


def setting_option(field: str, *names: str, help: str, **extra: Any) -> Any:
    """A CLI option for the setting `field`: --help shows its TRNEWS_* variable and default. Its
    value is None unless given (on the command line or in the variable), so that `Settings`
    supplies the default."""
    default = leaf(field).field.default
    return typer.Option(*names, help=help, envvar=f"TRNEWS_{field.upper()}", show_envvar=True,
                        show_default=False if default is None else str(default), **extra)


InputsArg = Annotated[list[Path], typer.Argument(help="Article files or folders (.txt, .md, .html, .jsonl).")]
OutputOpt = Annotated[Optional[Path], setting_option("output_dir", "--output", "-o", help="Output folder.")]
CacheOpt = Annotated[Optional[Path], setting_option("cache_dir", "--cache-dir", help="Cache folder.")]
MtModelOpt = Annotated[Optional[str], setting_option("mt_model", "--mt-model",
                                                     help="Translation model: hub id (org/name) or local folder.")]
SummariserOpt = Annotated[Optional[SummariserKind], setting_option(
    "summariser", "--summariser", help="extractive (no model) or abstractive.")]
OfflineOpt = Annotated[Optional[bool], setting_option("offline", "--offline", help="Never contact the Hugging Face hub.")]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Recompute everything, ignoring cached results.")]


def settings_from(**options: object) -> Settings:
    """Defaults < TRNEWS_* environment < the CLI options the user actually gave."""
    return load_settings(**{k: v for k, v in options.items() if v is not None})


class _ExplainedByCli(logging.Filter):
    """Drops Prefect's traceback logs for an error the CLI explains itself, once, below."""

    def __init__(self, error_types: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.error_types = error_types

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.error_types):
            return False
        return not any(error_type.__name__ in record.getMessage() for error_type in self.error_types)


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
    """Rich progress bars, one per stage, fed by the flow through `trnews.pipeline.progress`: done/total
    in the stage's unit (articles, or sentences for translation), rate, time spent and time left."""

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


@app.command()
def run(
    inputs: InputsArg,
    output: OutputOpt = None,
    mt_model: MtModelOpt = None,
    mt_revision: Annotated[Optional[str], setting_option(
        "mt_revision", "--mt-revision", help="Hub revision (branch, tag or commit) to pin.")] = None,
    engine: Annotated[Optional[Engine], setting_option("engine", "--engine", help="Translation engine.")] = None,
    device: Annotated[Optional[Device], setting_option("device", "--device", help="auto picks CUDA when available.")] = None,
    beam_size: Annotated[Optional[int], setting_option("beam_size", "--beam-size", min=1, help="Beams per translation.")] = None,
    max_new_tokens: Annotated[Optional[int], setting_option(
        "max_new_tokens", "--max-new-tokens", min=1, help="Longest translation of one sentence, in tokens.")] = None,
    min_new_tokens: Annotated[Optional[int], setting_option(
        "min_new_tokens", "--min-new-tokens", min=0, help="Force translations to at least this length (benchmarks).")] = None,
    batch_tokens: Annotated[Optional[int], setting_option(
        "batch_tokens", "--batch-tokens", min=64, help="Token budget of one translation batch.")] = None,
    summariser: SummariserOpt = None,
    summary_sentences: Annotated[Optional[int], setting_option(
        "summary_sentences", "--summary-sentences", min=1, help="Sentences per summary.")] = None,
    summariser_model: Annotated[Optional[str], setting_option(
        "summariser_model", "--summariser-model", help="Abstractive summariser: hub id or folder.")] = None,
    back_translation_model: Annotated[Optional[str], setting_option(
        "back_translation_model", "--back-translation-model", help="EN->TR model for abstractive summaries.")] = None,
    max_article_bytes: Annotated[Optional[int], setting_option(
        "max_article_bytes", "--max-article-bytes", min=1, help="Larger articles are skipped, before any model work.")] = None,
    cache_dir: CacheOpt = None,
    offline: OfflineOpt = None,
    refresh: RefreshOpt = False,
    workers: Annotated[Optional[int], setting_option(
        "workers", "--workers", min=1, help="Translate on a local Dask cluster of N processes.")] = None,
    dask_address: Annotated[Optional[str], setting_option(
        "dask_address", "--dask-address", help="Translate on an existing Dask cluster, e.g. tcp://host:8786.")] = None,
) -> None:
    """Run the bilingual-digest flow over INPUTS and write outputs (JSON, Markdown, index)."""
    settings = settings_from(
        output_dir=output, mt_model=mt_model, mt_revision=mt_revision, engine=engine, device=device,
        beam_size=beam_size, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens, batch_tokens=batch_tokens,
        summariser=summariser,
        summary_sentences=summary_sentences, summariser_model=summariser_model,
        back_translation_model=back_translation_model, max_article_bytes=max_article_bytes, cache_dir=cache_dir,
        offline=offline, workers=workers, dask_address=dask_address,
    )
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The stage bars show progress; library bars (transformers' "Loading weights", downloads)
    # would only break them on a terminal and litter piped output.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from trnews.cli.prefect_runtime import quiet_temporary_server

    quiet_temporary_server()  # before Prefect is imported: it reads its settings once
    from trnews.pipeline import progress as stage_progress
    from trnews.pipeline.flow import bilingual_digest
    from trnews.translation.hub import ModelUnavailable
    from trnews.pipeline.interrupt import RunStopped, stop_on_signals
    from trnews.pipeline.locks import LockTimeout
    from trnews.cli.prefect_runtime import PrefectStartupError, run_flow
    from trnews.output.files import OutputFolderError

    for logger_name in ("prefect.task_runs", "prefect.flow_runs"):
        logging.getLogger(logger_name).addFilter(_ExplainedByCli((ModelUnavailable, OutputFolderError)))
    bars = Progress(*StageBars.columns(), console=console, transient=False)
    stage_progress.listen(StageBars(bars))
    try:
        with stop_on_signals(), bars:
            report = run_flow(lambda: bilingual_digest(inputs=[str(p) for p in inputs], settings=settings,
                                                       refresh=refresh))
    except ModelUnavailable as error:
        _exit_with("trnews: model not available\n" + str(error), 2)
    except PrefectStartupError as error:
        _exit_with(f"trnews: {error}", 2)
    except LockTimeout as error:
        _exit_with(f"trnews: {error}", 3)
    except OutputFolderError as error:
        _exit_with(f"trnews: {error}", 1)
    except RunStopped as stopped:
        errors.print(f"trnews: {stopped}; finished work is kept (a rerun continues from it).", markup=False,
                     highlight=False)
        # Worker threads may be inside a model call that cannot be interrupted: do not wait for them.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + stopped.signum)
    finally:
        stage_progress.listen(None)

    _print_report(report, title=f"bilingual-digest → {settings.output_dir}")
    for problem in report.output_errors:
        errors.print(f"trnews: {problem}", markup=False, highlight=False, soft_wrap=True)
    if report.counts["failed"] or report.output_errors:
        raise typer.Exit(1)


_COUNT_COLUMNS = ("ok", "skipped", "failed", "sentences translated", "reused", "time")


def _counts(report: RunReport) -> list[str]:
    return [*(str(report.counts.get(k, 0)) for k in ("ok", "skipped", "failed")), str(report.translation.translated),
            str(report.translation.reused), f"{report.seconds:.1f} s"]


def _print_report(report: RunReport, title: str) -> None:
    table = Table(title=title)
    for column in _COUNT_COLUMNS:
        table.add_column(column, justify="right")
    table.add_row(*_counts(report))
    console.print(table)
    for article in report.articles:
        if article.status != "ok":
            # Paths and reasons come from the inputs: Text, never markup ("[/]" in a path would raise).
            line = Text("  ").append(article.status, style="yellow").append(
                f" {article.id} ({article.source}): {article.reason}")
            console.print(line, highlight=False, soft_wrap=True)


ParamOpt = Annotated[Optional[list[str]], typer.Option("--param", metavar="KEY=VALUE",
                                                       help="A flow parameter or setting (e.g. max_new_tokens=64); repeatable")]
NameOpt = Annotated[str, typer.Option("--name", help="Deployment name: the flow's deployment bilingual-digest/NAME")]


def _exit_with(message: str, code: int) -> NoReturn:
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _params(pairs: list[str] | None) -> dict[str, object]:
    from trnews.cli.schedule import BadParameter, parse_param

    try:
        return dict(parse_param(pair) for pair in pairs or [])
    except BadParameter as error:
        raise typer.BadParameter(str(error), param_hint="--param") from None


@app.command()
def serve(
    inputs: InputsArg,
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression")] = DEFAULT_CRON,
    timezone: Annotated[str, typer.Option(help="IANA time zone of the cron schedule and the digest's date")] = DEFAULT_TIMEZONE,
    output: OutputOpt = None,
    cache_dir: CacheOpt = None,
    mt_model: MtModelOpt = None,
    summariser: SummariserOpt = None,
    offline: OfflineOpt = None,
    setting: Annotated[Optional[list[str]], typer.Option("--param", metavar="KEY=VALUE",
                                                         help="Any other setting for every run (e.g. beam_size=2); repeatable")] = None,
    name: NameOpt = DEFAULT_DEPLOYMENT,
    port: Annotated[int, typer.Option(help="Port of the local Prefect server (when PREFECT_API_URL is not set)")] = LOCAL_PORT,
) -> None:
    """Serve the flow as deployment bilingual-digest/NAME: reprocess INPUTS on a cron schedule, and on demand
    (`trnews trigger`). Uses PREFECT_API_URL if set, else a local Prefect server it starts. Stays up until Ctrl-C."""
    from prefect import serve as prefect_serve

    from trnews.cli.schedule import (
        NoPrefectApi,
        build_nightly_deployment,
        local_api_url,
        next_run_time,
        prefect_api,
    )

    try:
        settings = settings_from(output_dir=output, cache_dir=cache_dir, mt_model=mt_model, summariser=summariser,
                                 offline=offline, **_params(setting))
        deployment = build_nightly_deployment(inputs, settings, cron=cron, timezone=timezone, name=name)
    except ValueError as error:  # a bad time zone, or a setting pydantic refuses
        _exit_with(f"trnews: {error}", 2)
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"  # inherited by the flow-run processes
    full_name = f"{FLOW_NAME}/{name}"
    with ExitStack() as stack:
        try:
            api_url = stack.enter_context(prefect_api(port, log_file=settings.cache_dir / "prefect-server.log"))
        except NoPrefectApi as error:
            _exit_with(f"trnews: {error}", 2)
        # `trnews trigger` looks for the default local server by itself; anywhere else it must be told.
        api_env = "" if api_url == local_api_url() else f"PREFECT_API_URL={api_url} "
        console.print("\n".join([
            f"Serving deployment {full_name} (Prefect API: {api_url})",
            f"  schedule: '{cron}' ({timezone}); next run: {next_run_time(cron, timezone):%Y-%m-%d %H:%M %Z}",
            f"  inputs: {', '.join(deployment.parameters['inputs'])} → {deployment.parameters['settings']['output_dir']}",
            "Run it now from another shell:",
            f"  {api_env}trnews trigger --name {name}",
            f"  PREFECT_API_URL={api_url} prefect deployment run '{full_name}'",
            "Ctrl-C stops serving (and pauses the schedule).",
        ]), markup=False, highlight=False, soft_wrap=True)
        prefect_serve(deployment, limit=1, print_starting_message=False)


@app.command()
def trigger(
    refresh: RefreshOpt = False,
    param: ParamOpt = None,
    name: NameOpt = DEFAULT_DEPLOYMENT,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for the run to finish and show its report")] = True,
) -> None:
    """Start a run of deployment bilingual-digest/NAME now (served by `trnews serve` or a Prefect worker)."""
    from prefect.exceptions import ObjectNotFound

    from trnews.cli.schedule import (
        BadParameter,
        NoPrefectApi,
        report_for,
        trigger_api_url,
        wait_for_run,
    )
    from trnews.cli.schedule import trigger as trigger_run

    overrides = {**_params(param), **({"refresh": True} if refresh else {})}
    try:
        api_url = trigger_api_url()
    except NoPrefectApi as error:
        _exit_with(f"trnews: {error}", 2)
    try:
        flow_run = trigger_run(name, overrides, api_url=api_url)
    except ObjectNotFound:
        _exit_with(f"trnews: no deployment {FLOW_NAME}/{name} at {api_url}; start `trnews serve` or `prefect deploy`.", 2)
    except BadParameter as error:
        raise typer.BadParameter(str(error), param_hint="--param") from None

    console.print(f"Flow run {flow_run.name} ({flow_run.id}) of {FLOW_NAME}/{name}: scheduled to start now", highlight=False)
    if not wait:
        return
    console.print("Waiting for it to finish (Ctrl-C stops waiting, not the run)…", highlight=False)
    flow_run = wait_for_run(flow_run, api_url)
    state = flow_run.state
    assert state is not None  # wait_for_run returns a run in a final state
    console.print(f"Flow run {flow_run.name}: {state.name}", highlight=False)
    if not state.is_completed():
        _exit_with(state.message or state.name, 1)
    report = report_for(flow_run)
    if report:
        _print_report(report, title=f"{FLOW_NAME}/{name} → {report.output_dir}")
    if report and report.counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def runs(
    output: OutputOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs to show")] = 20,
) -> None:
    """List past runs from their reports (run-*.json in the output folder), newest first.

    A run that failed as a whole wrote no report: `prefect flow-run ls` shows it."""
    from trnews.cli.schedule import past_runs, run_status

    output_dir = settings_from(output_dir=output).output_dir
    found = past_runs(output_dir, limit)
    if not found:
        _exit_with(f"trnews: no run reports in {output_dir} yet.", 1)
    # Fits 80 columns: counts as ok/skipped/failed and translated/reused pairs, the local time
    # without its zone. A run is named by its Prefect flow-run name, else the random tail of its
    # id: scheduled runs' ids start with a timestamp, so their heads are alike.
    table = Table(title=Text(f"runs in {output_dir}"), box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("finished", no_wrap=True)
    table.add_column("run", overflow="fold", max_width=22)
    table.add_column("ok/skip/fail", justify="right")
    table.add_column("new/reused", justify="right")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("status")
    for report in found:
        finished = datetime.fromisoformat(report.finished).astimezone()
        counts = "/".join(str(report.counts.get(k, 0)) for k in ("ok", "skipped", "failed"))
        sentences = f"{report.translation.translated}/{report.translation.reused}"
        table.add_row(f"{finished:%Y-%m-%d %H:%M}", Text(run_name(report)), counts, sentences,
                      f"{report.seconds:.1f} s", run_status(report))
    console.print(table)


@app.command("clean")
def clean_command(
    files: Annotated[list[Path], typer.Argument(help="Article files or folders")],
    cache_dir: CacheOpt = None,
) -> None:
    """Print each article as the cleaner sees it (JSON): exactly what would be translated. Loads no model.

    Uses (and adds to) the site-template statistics in the cache folder, as `trnews run` does."""
    from trnews.stages.clean.site_templates import TEMPLATES, TemplateStats
    from trnews.stages.clean import clean_article
    from trnews.stages.ingest import ingest_paths

    result = ingest_paths(files)
    with TemplateStats(settings_from(cache_dir=cache_dir).cache_dir / TEMPLATES) as stats:
        stats.observe(result.articles)
        documents = [
            clean_article(raw, stats.template_for(raw)).model_dump(mode="json", exclude={"timings"})
            for raw in result.articles
        ] + [problem.model_dump(mode="json", exclude_none=True) for problem in result.problems]
    json.dump(documents, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if result.problems:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of `outputs/articles/<id>.json`."""
    from trnews.records import ArticleOutput

    json.dump(ArticleOutput.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id, as `trnews list` shows it")],
    full: Annotated[bool, typer.Option("--full", help="The whole article too, sentence by sentence")] = False,
    output: OutputOpt = None,
) -> None:
    """Print an article's bilingual summary side by side (with --full, the whole article)."""
    from trnews.records import ArticleOutput
    from trnews.cli.terminal import article_view
    from trnews.output.folder import read_index
    from trnews.output.paths import article_path

    output_dir = settings_from(output_dir=output).output_dir
    path = article_path(output_dir, article_id, ".json")
    if not path.is_file():
        row = next((r for r in read_index(output_dir) if r.id == article_id), None)
        why = f" ({row.status}: {row.reason})" if row and row.reason else ""
        errors.print(f"trnews: no output for {article_id!r} in {output_dir}{why}.\n"
                     f"`trnews list --output {output_dir}` shows the available ids.",
                     markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(article_view(ArticleOutput.model_validate_json(path.read_text(encoding="utf-8")), full=full))


@app.command("list")
def list_command(output: OutputOpt = None) -> None:
    """List the articles in the output folder (index.json), newest first, with status and reason."""
    from trnews.cli.terminal import index_table
    from trnews.output.folder import read_index

    output_dir = settings_from(output_dir=output).output_dir
    rows = read_index(output_dir)
    if not rows:
        errors.print(f"trnews: no articles in {output_dir} yet (no index.json); "
                     f"`trnews run FILES --output {output_dir}` makes them.", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(index_table(rows, title=str(output_dir)))


@app.command("stories")
def stories_command(
    output: OutputOpt = None,
    all_stories: Annotated[bool, typer.Option("--all", help="Single-article stories too")] = False,
) -> None:
    """List the stories in the output folder (stories.json), biggest first, with their outlets."""
    from trnews.cli.terminal import stories_table
    from trnews.output.folder import read_stories

    output_dir = settings_from(output_dir=output).output_dir
    found = [s for s in read_stories(output_dir) or [] if all_stories or len(s.article_ids) > 1]
    if not found:
        errors.print(f"trnews: no stories of several articles in {output_dir} (stories.json); "
                     "`trnews stories --all` lists single-article ones too.", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    found.sort(key=lambda s: len(s.article_ids), reverse=True)
    console.print(stories_table(found, title=f"stories in {output_dir}"))


MaxAgeOpt = Annotated[Optional[float], setting_option(
    "cache_max_age_days", "--max-age-days", help="Entries no run used for this long are pruned.")]


@cache_app.command("info")
def cache_info(cache_dir: CacheOpt = None, max_age_days: MaxAgeOpt = None) -> None:
    """Size of the cache, how often it was used and what `trnews cache prune` would remove."""
    from trnews.cli.cache_admin import cache_summary

    settings = settings_from(cache_dir=cache_dir, cache_max_age_days=max_age_days)
    summary = cache_summary(settings.cache_dir, settings.cache_max_age_days)
    table = Table(title=f"trnews cache: {summary.root}")
    table.add_column("part")
    table.add_column("entries", justify="right")
    table.add_column("size", justify="right")
    table.add_column("hits", justify="right")
    table.add_column(f"unused > {summary.max_age_days:g} d", justify="right")
    for part in summary.parts:
        table.add_row(part.name, str(part.entries), _human(part.size_bytes), "" if part.hits is None else str(part.hits),
                      str(part.prunable))
    console.print(table)
    for namespace, count in summary.namespaces.items():
        console.print(f"  {count:>6} sentences  {namespace}", highlight=False)


@cache_app.command("prune")
def cache_prune(cache_dir: CacheOpt = None, max_age_days: MaxAgeOpt = None) -> None:
    """Remove cache entries no run has used for --max-age-days (translations, article manifest)."""
    from trnews.cli.cache_admin import prune_cache

    settings = settings_from(cache_dir=cache_dir, cache_max_age_days=max_age_days)
    removed = prune_cache(settings.cache_dir, settings.cache_max_age_days)
    console.print(f"Pruned {settings.cache_dir}: " + ", ".join(f"{n} {part}" for part, n in removed.items()),
                  markup=False, highlight=False)


@cache_app.command("clear")
def cache_clear(cache_dir: CacheOpt = None) -> None:
    """Delete every cached stage result, translation and converted model."""
    from trnews.cli.cache_admin import clear_cache

    root = settings_from(cache_dir=cache_dir).cache_dir
    clear_cache(root)
    console.print(f"Cleared {root}")


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
