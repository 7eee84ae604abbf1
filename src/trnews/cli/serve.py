"""`trnews serve` (the flow as a deployment on a cron schedule) and `trnews trigger` (a run of it
now); the Prefect side of both is `trnews.cli.schedule`."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from trnews.cli.console import console, print_report, tell_model_notices
from trnews.cli.options import InputsArg, RefreshOpt, inputs_or_sources, takes_settings
from trnews.cli.preflight import check_models
from trnews.cli.schedule import DEFAULT_CRON, DEFAULT_DEPLOYMENT, DEFAULT_TIMEZONE, FLOW_NAME, LOCAL_PORT, parse_params
from trnews.config import Settings
from trnews.errors import TrnewsError
from trnews.stores import CacheLayout

NameOpt = Annotated[str, typer.Option("--name", help="Deployment name: the flow's deployment bilingual-digest/NAME")]


class RunFailed(TrnewsError):
    """A triggered run ended in a state other than completed; the message is the state's."""


@takes_settings()
def serve(
    inputs: InputsArg = None,
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression")] = DEFAULT_CRON,
    timezone: Annotated[str, typer.Option(help="IANA time zone of the cron schedule and the digest's date")] = DEFAULT_TIMEZONE,
    param: Annotated[Optional[list[str]], typer.Option("--param", metavar="KEY=VALUE",
                                                       help="A setting for every run (e.g. beam_size=2); repeatable")] = None,
    name: NameOpt = DEFAULT_DEPLOYMENT,
    port: Annotated[int, typer.Option(help="Port of the local Prefect server (when PREFECT_API_URL is not set)")] = LOCAL_PORT,
    *,
    settings: Settings,
) -> None:
    """Serve the flow as deployment bilingual-digest/NAME: reprocess INPUTS on a cron schedule, and on demand
    (`trnews trigger`). Uses PREFECT_API_URL if set, else a local Prefect server it starts. Stays up until Ctrl-C."""
    from trnews.cli.schedule import (
        build_nightly_deployment,
        local_api_url,
        next_run_time,
        pause,
        prefect_api,
        serve_until_stopped,
    )

    settings = settings.replace(**parse_params(param or []))
    inputs = inputs_or_sources(inputs, settings)
    check_models(settings)  # a mistyped model folder would fail every scheduled run
    tell_model_notices(settings)
    deployment = build_nightly_deployment(inputs, settings, cron=cron, timezone=timezone, name=name)
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"  # inherited by the flow-run processes
    full_name = f"{FLOW_NAME}/{name}"
    with prefect_api(port, log_file=CacheLayout(settings.cache_dir).prefect_server_log) as api_url:
        # `trnews trigger` looks for the default local server by itself; anywhere else it must be told.
        api_env = "" if api_url == local_api_url() else f"PREFECT_API_URL={api_url} "
        console.print("\n".join([
            f"Serving deployment {full_name} (Prefect API: {api_url})",
            f"  schedule: '{cron}' ({timezone}); next run: {next_run_time(cron, timezone):%Y-%m-%d %H:%M %Z}",
            f"  inputs: {', '.join(deployment.parameters['inputs']) or '(none)'}"
            + (f", and what is new at the sources of {settings.fetch.sources}" if settings.fetch.sources else "")
            + f" → {deployment.parameters['settings']['output_dir']}",
            "Run it now from another shell:",
            f"  {api_env}trnews trigger --name {name}",
            f"  PREFECT_API_URL={api_url} prefect deployment run '{full_name}'",
            "Ctrl-C stops serving (and pauses the schedule).",
        ]), markup=False, highlight=False, soft_wrap=True)
        try:
            serve_until_stopped(deployment)
        finally:  # Ctrl-C, SIGTERM: while the server still answers
            pause(full_name, api_url)
    console.print(f"Stopped serving {full_name}; its schedule is paused.", highlight=False)


def trigger(
    refresh: RefreshOpt = False,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", metavar="KEY=VALUE", help="A flow parameter or setting (e.g. max_new_tokens=64); repeatable")] = None,
    name: NameOpt = DEFAULT_DEPLOYMENT,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for the run to finish and show its report")] = True,
) -> None:
    """Start a run of deployment bilingual-digest/NAME now (served by `trnews serve` or a Prefect worker)."""
    from trnews.cli.schedule import report_for, trigger_api_url, wait_for_run
    from trnews.cli.schedule import trigger as trigger_run

    overrides = {**parse_params(param or []), **({"refresh": True} if refresh else {})}
    api_url = trigger_api_url()
    flow_run = trigger_run(name, overrides, api_url=api_url)
    console.print(f"Flow run {flow_run.name} ({flow_run.id}) of {FLOW_NAME}/{name}: scheduled to start now", highlight=False)
    if not wait:
        return
    console.print("Waiting for it to finish (Ctrl-C stops waiting, not the run)…", highlight=False)
    flow_run = wait_for_run(flow_run, api_url)
    state = flow_run.state
    assert state is not None  # wait_for_run returns a run in a final state
    console.print(f"Flow run {flow_run.name}: {state.name}", highlight=False)
    if not state.is_completed():
        raise RunFailed(state.message or state.name)
    report = report_for(flow_run)
    if report:
        print_report(report, title=f"{FLOW_NAME}/{name} → {report.output_dir}")
    if report and report.counts.get("failed"):
        raise typer.Exit(1)
