"""Nightly reprocessing as a Prefect deployment: building it, serving it, triggering it, and
reading back what past runs did.

Cron schedules need Prefect's scheduler service, which only a real Prefect server runs: the
temporary API Prefect starts on demand registers the deployment but never creates its scheduled
runs. So `trnews serve` talks to `PREFECT_API_URL` when it is set, and otherwise to a Prefect
server on 127.0.0.1 (reusing one that answers there, else starting one for as long as it serves).
`trnews trigger` finds the same server the same way.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trnews.config import Settings, leaves, load_settings, merge_settings
from trnews.records import RunReport
from trnews.errors import TrnewsError

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Cron

FLOW_NAME = "bilingual-digest"
DEFAULT_DEPLOYMENT = "nightly"
DEFAULT_CRON = "0 3 * * *"
DEFAULT_TIMEZONE = "Europe/Istanbul"
LOCAL_HOST = "127.0.0.1"
LOCAL_PORT = 4200  # Prefect's own default, so `prefect` commands and the UI find it where they expect
SERVER_START_TIMEOUT = 90.0


class NoPrefectApi(TrnewsError):
    """No Prefect server to talk to; the message says how to get one."""

    exit_code = 2


class BadParameter(TrnewsError, ValueError):
    """A `key=value` that is not a parameter of the flow or a setting."""

    exit_code = 2


class BadSchedule(TrnewsError, ValueError):
    """A cron expression or time zone that is not one."""

    exit_code = 2


class NoDeployment(TrnewsError):
    """The Prefect API has no deployment of that name; the message says how to make one."""

    exit_code = 2


def deployment_parameters(inputs: list[Path], settings: Settings, digest_timezone: str) -> dict[str, Any]:
    """The flow's parameters for every run of the deployment. Folders are made absolute, so a run
    reads and writes the same places whatever directory the runner or worker starts it from.
    Settings carry what the user set (options and TRNEWS_* variables) plus the folders and the
    summariser; anything else is left to the defaults where the run executes."""
    chosen = merge_settings(settings.model_dump(mode="json", exclude_unset=True), {
        "output_dir": str(settings.output_dir.resolve()),
        "cache_dir": str(settings.cache_dir.resolve()),
        "summariser": settings.summary.kind,
    }, {"sources": str(settings.fetch.sources.resolve()), "fetch_dir": str(settings.fetch.folder.resolve())}
        if settings.fetch.sources else {})
    return {
        "inputs": [str(path.resolve()) for path in inputs],
        "settings": chosen,
        "digest_timezone": digest_timezone,
    }


def build_nightly_deployment(
    inputs: list[Path],
    settings: Settings,
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    name: str = DEFAULT_DEPLOYMENT,
) -> RunnerDeployment:
    """`bilingual-digest/<name>` on a cron schedule in `timezone`. One run at a time: a run that
    comes due while another is running waits for it (its outputs, index and digest would
    otherwise be written by two runs at once)."""
    from prefect.client.schemas.objects import (
        ConcurrencyLimitConfig,
        ConcurrencyLimitStrategy,
    )
    from prefect.types.entrypoint import EntrypointType

    from trnews.pipeline.flow import bilingual_digest

    return bilingual_digest.to_deployment(
        name=name,
        schedules=[_schedule(cron, timezone)],
        parameters=deployment_parameters(inputs, settings, timezone),
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        description=f"Reprocess {', '.join(str(p) for p in inputs)} into {settings.output_dir} on '{cron}' ({timezone}).",
        tags=["trnews"],
        # The installed package, not a file path relative to wherever `trnews serve` was started.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def _schedule(cron: str, timezone: str) -> Cron:
    from prefect.schedules import Cron

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadSchedule(f"unknown time zone {timezone!r}: use an IANA name such as Europe/Istanbul") from None
    try:
        return Cron(cron, timezone=timezone)
    except ValueError as error:
        raise BadSchedule(str(error)) from None


def next_run_time(cron: str, timezone: str, after: datetime | None = None) -> datetime:
    """When the scheduler will start the next run, in `timezone`. Computed by the same schedule
    class the Prefect server's scheduler uses, so daylight-saving changes come out the same."""
    import asyncio

    from prefect.server.schemas.schedules import CronSchedule

    [when] = asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=1, start=after))
    return when.astimezone(ZoneInfo(timezone))


def configured_api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def local_api_url(port: int = LOCAL_PORT) -> str:
    return f"http://{LOCAL_HOST}:{port}/api"


def api_is_up(api_url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def prefect_api(port: int = LOCAL_PORT, log_file: Path | None = None) -> Iterator[str]:
    """The Prefect API URL to serve against, for the duration of the block: `PREFECT_API_URL`
    if set, else a server already answering on 127.0.0.1:`port`, else a `prefect server start`
    that this block starts (logging to `log_file`) and stops."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = configured_api_url()
    if configured:
        yield configured
        return
    url = local_api_url(port)
    with _local_server(url, port, log_file), temporary_settings(updates={PREFECT_API_URL: url}):
        yield url


@contextmanager
def _local_server(url: str, port: int, log_file: Path | None) -> Iterator[None]:
    if api_is_up(url):
        yield
        return
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", LOCAL_HOST, "--port", str(port)]
    # In its own session: a terminal's Ctrl-C (SIGINT to the foreground process group) reaches
    # `trnews serve` alone, which pauses the schedule through this server before stopping it.
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not api_is_up(url):
            if server.poll() is not None or time.monotonic() > deadline:
                where = f"; see {log_file}" if log_file else ""
                raise NoPrefectApi(f"`prefect server start --port {port}` did not come up{where}")
            time.sleep(0.5)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log is not subprocess.DEVNULL:
            log.close()


def trigger_api_url(port: int = LOCAL_PORT) -> str:
    """The API a trigger talks to: `PREFECT_API_URL`, else the local server `trnews serve` uses."""
    url = configured_api_url() or local_api_url(port)
    if not api_is_up(url):
        raise NoPrefectApi(
            f"no Prefect API answers at {url}. Start `trnews serve` (it runs a local Prefect server) "
            "or `prefect server start`, or set PREFECT_API_URL to your Prefect server."
        )
    return url


def parse_param(text: str) -> tuple[str, Any]:
    """`key=value`, the value read as JSON when it is JSON (numbers, true, lists) and as text otherwise."""
    import json

    key, sep, value = text.partition("=")
    if not sep or not key:
        raise BadParameter(f"--param takes key=value, not {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """Every `key=value` of repeated `--param` options (see `parse_param`)."""
    return dict(parse_param(pair) for pair in pairs)


def run_parameters(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters for one triggered run. Prefect merges a run's parameters over the deployment's
    one level deep only, so a settings field given alone (`max_new_tokens=8`) is merged into the
    deployment's settings here rather than replacing them all."""
    from trnews.pipeline.flow import bilingual_digest

    flow_parameters = set(inspect.signature(bilingual_digest.fn).parameters)
    names = [leaf.flag.name for leaf in leaves()]
    unknown = set(overrides) - flow_parameters - set(names)
    if unknown:
        raise BadParameter(f"unknown parameter(s) {', '.join(sorted(unknown))}: use a flow parameter "
                           f"({', '.join(sorted(flow_parameters))}) or a setting ({', '.join(names)})")
    parameters = {k: v for k, v in overrides.items() if k in flow_parameters}
    settings = {k: v for k, v in overrides.items() if k in names}
    if settings:
        parameters["settings"] = merge_settings(defaults.get("settings") or {}, parameters.get("settings") or {}, settings)
    return parameters


@contextmanager
def _client(api_url: str) -> Iterator[SyncPrefectClient]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        yield client


def serve_until_stopped(deployment: RunnerDeployment) -> None:
    """Run `deployment`'s scheduled and triggered runs, one at a time, until Ctrl-C or SIGTERM.
    Prefect's `serve` less its shutdown log lines: the caller pauses the schedule and says so."""
    import asyncio

    from prefect.runner import Runner

    runner = Runner(limit=1, pause_on_shutdown=False)
    runner.add_deployment(deployment)
    # Ctrl-C: KeyboardInterrupt; SIGTERM: the runner stops itself and calls sys.exit.
    with suppress(KeyboardInterrupt, SystemExit):
        asyncio.run(runner.start())


def pause(name: str, api_url: str) -> None:
    """Pause the schedule of deployment `name` (`bilingual-digest/<name>`), if it was registered."""
    from prefect.exceptions import ObjectNotFound

    with _client(api_url) as client, suppress(ObjectNotFound):
        client.pause_deployment(client.read_deployment_by_name(name).id)


def trigger(name: str, overrides: Mapping[str, Any], api_url: str) -> FlowRun:
    """Ask for a run of `bilingual-digest/<name>` now; returns the scheduled flow run at once."""
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    full_name = f"{FLOW_NAME}/{name}"
    with _client(api_url) as client:
        try:
            deployment = client.read_deployment_by_name(full_name)
        except ObjectNotFound:
            raise NoDeployment(f"no deployment {full_name} at {api_url}; "
                               "start `trnews serve` or `prefect deploy`.") from None
        return run_deployment(full_name, parameters=run_parameters(deployment.parameters, overrides), timeout=0)


def wait_for_run(flow_run: FlowRun, api_url: str, poll_seconds: float = 2, timeout: float | None = None) -> FlowRun:
    """The flow run once it has finished (completed, failed, crashed or cancelled)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with _client(api_url) as client:
        while not ((flow_run := client.read_flow_run(flow_run.id)).state and flow_run.state.is_final()):
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"flow run {flow_run.name} not finished after {timeout} s")
            time.sleep(poll_seconds)
        return flow_run


def report_for(flow_run: FlowRun) -> RunReport | None:
    """The run report the flow run wrote, if its output folder is on this machine."""
    settings = flow_run.parameters.get("settings") or {}
    output_dir = Path(settings.get("output_dir") or load_settings().output_dir)
    from trnews.output.folder import read_run_reports

    found = read_run_reports(output_dir, limit=1, flow_run_id=str(flow_run.id))
    return found[0] if found else None


def run_name(report: RunReport) -> str:
    """What tells one run from another: its Prefect flow-run name, else the last, random part
    of its flow-run id (the first parts of Prefect's ids are a timestamp)."""
    if report.flow_run_name:
        return report.flow_run_name
    return report.flow_run_id.rsplit("-", 1)[-1] if report.flow_run_id else "(no flow run)"


def run_status(report: RunReport) -> str:
    """`ok`, or how many articles failed (skipped ones, e.g. not Turkish, are no failure)."""
    failed = report.counts.get("failed", 0)
    return "ok" if not failed else f"{failed} failed"
