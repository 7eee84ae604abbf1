"""Nightly reprocessing: the deployment `trnews serve` builds, a real `trnews serve` process against
the test harness's Prefect API, runs triggered through it, their digests and `trnews runs`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from trnews.cli import app
from trnews.cli.options import settings_from
from trnews.config import TranslationConfig
from trnews.pipeline.flow import MODEL_RETRY_DELAYS, model_check, model_retry_delays
from trnews.output.folder import read_run_reports
from trnews.cli.schedule import (
    BadParameter,
    build_nightly_deployment,
    next_run_time,
    parse_param,
    run_name,
    run_parameters,
    wait_for_run,
)

NEW_ARTICLE = ("Trabzon'da yeni liman açıldı\n\n"
               "Trabzon'da yapımı iki yıl süren yeni liman bugün törenle hizmete açıldı. "
               "Vali, limanın bölge ekonomisine büyük katkı sağlayacağını söyledi.\n")


def test_the_deployment_has_the_schedule_time_zone_and_parameters_given(tmp_path, tiny_models):
    settings = settings_from(output_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                             mt_model=str(tiny_models.mt_tr_en), summariser="extractive", beam_size=2)
    deployment = build_nightly_deployment([tmp_path / "articles"], settings, cron="30 2 * * 1-5",
                                          timezone="America/New_York", name="weekdays")

    assert deployment.name == "weekdays" and deployment.flow_name == "bilingual-digest"
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 2 * * 1-5", "America/New_York")
    assert deployment.concurrency_limit == 1
    assert deployment.entrypoint == "trnews.pipeline.flow.bilingual_digest"
    assert deployment.parameters == {
        "inputs": [str(tmp_path / "articles")],
        "settings": {"output_dir": str(tmp_path / "out"), "cache_dir": str(tmp_path / "cache"),
                     "translation": {"model": str(tiny_models.mt_tr_en), "beam_size": 2},
                     "summary": {"kind": "extractive"}},
        "digest_timezone": "America/New_York",
    }


def test_serve_refuses_an_unknown_time_zone_before_starting_anything(tmp_path):
    result = CliRunner().invoke(app, ["serve", str(tmp_path), "--timezone", "Mars/Olympus_Mons"])
    assert result.exit_code == 2
    assert "unknown time zone" in result.output


def test_next_run_is_in_the_schedule_time_zone():
    after = datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc)  # 04:00 in Istanbul: today's 03:00 has passed
    when = next_run_time("0 3 * * *", "Europe/Istanbul", after=after)
    assert when == datetime(2025, 1, 2, 3, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert when.utcoffset().total_seconds() == 3 * 3600


def test_trigger_parameters_merge_settings_into_the_deployment_s():
    defaults = {"inputs": ["/in"], "settings": {"output_dir": "/out", "translation": {"beam_size": 2}}}
    overrides = dict(parse_param(p) for p in ["max_new_tokens=8", "refresh=true", "inputs=[\"/other\"]"])
    assert run_parameters(defaults, overrides) == {
        "inputs": ["/other"], "refresh": True,
        "settings": {"output_dir": "/out", "translation": {"beam_size": 2, "max_new_tokens": 8}},
    }
    with pytest.raises(BadParameter, match="max_new_tokenz"):
        run_parameters(defaults, {"max_new_tokenz": 8})
    with pytest.raises(BadParameter):
        parse_param("no-equals-sign")


def test_only_deployed_runs_wait_for_a_model_that_could_still_be_downloaded(tiny_models, monkeypatch):
    hub_model = TranslationConfig(model="Helsinki-NLP/opus-mt-tr-en")
    local_model = TranslationConfig(model=str(tiny_models.mt_tr_en))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRNEWS_OFFLINE", raising=False)
    assert model_retry_delays(hub_model, deployed=True) == list(MODEL_RETRY_DELAYS)
    assert model_retry_delays(hub_model, deployed=False) == []  # `trnews run`: fail at once, someone is watching
    assert model_retry_delays(local_model, deployed=True) == []  # a folder that is not a model stays so
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert model_retry_delays(hub_model, deployed=True) == []  # offline: no download will ever be tried


def test_a_deployed_run_retries_a_missing_model_then_fails_with_its_reason(prefect_harness, monkeypatch):
    from prefect import flow

    from trnews.pipeline import flow as flow_module
    from trnews.config import Settings
    from trnews.translation.hub import ModelUnavailable

    settings = Settings(mt_model="Helsinki-NLP/opus-mt-tr-en")
    attempts: list[Settings] = []

    def hub_down(settings: Settings) -> str:
        attempts.append(settings)
        raise ModelUnavailable("Cannot load the MT model: the hub could not be reached")

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(flow_module, "MODEL_RETRY_DELAYS", (0, 0))
    # The run's model check is the pipeline fingerprint, which resolves every model it needs.
    monkeypatch.setattr(flow_module, "pipeline_fingerprint", hub_down)

    @flow
    def nightly_check() -> str:
        return model_check(settings.translation, deployed=True)(settings)

    with pytest.raises(ModelUnavailable, match="could not be reached"):
        nightly_check()
    assert len(attempts) == 3

    attempts.clear()
    monkeypatch.setattr(flow_module, "pipeline_fingerprint", lambda settings: attempts.append(settings) or 1 // 0)
    with pytest.raises(ZeroDivisionError):  # not a model download: waiting will not fix it
        nightly_check()
    assert len(attempts) == 1


@pytest.fixture
def served(cli_env, tmp_path, examples, tiny_models):
    """`trnews serve` in its own process, against the harness's API; stopped at teardown."""
    inputs = tmp_path / "articles"
    shutil.copytree(examples, inputs)
    output = tmp_path / "outputs"
    env = {**cli_env, "PREFECT_RUNNER_POLL_FREQUENCY": "1", "COLUMNS": "200"}
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "trnews", "serve", str(inputs), "--output", str(output),
               "--cache-dir", str(tmp_path / "cache"), "--mt-model", str(tiny_models.mt_tr_en),
               "--param", "max_new_tokens=12", "--param", "beam_size=2", "--param", "device=cpu"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_deployment("bilingual-digest/nightly", process, log)
        yield inputs, output, log, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for_deployment(name: str, process: subprocess.Popen, log: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + 60
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                client.read_deployment_by_name(name)
                return
            except ObjectNotFound:
                time.sleep(0.5)
    pytest.fail(f"{name} was not served within 60 s:\n{log.read_text()}")


def test_triggered_runs_of_the_served_deployment_reprocess_and_never_overlap(served):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    inputs, output, log, process = served
    assert "bilingual-digest/nightly" in log.read_text() and "next run:" in log.read_text()

    first = CliRunner().invoke(app, ["trigger"])
    assert first.exit_code == 0, first.output + log.read_text()
    assert "Completed" in first.output
    assert (output / "articles" / "istanbul-metro-hatti.json").is_file()
    day = datetime.now(ZoneInfo("Europe/Istanbul")).date()
    digest = (output / f"digest-{day.isoformat()}.md").read_text(encoding="utf-8")
    assert "| Türkçe | English |" in digest and "istanbul-metro-hatti.md" in digest
    assert "istanbul-metro-hatti.html" in (output / f"digest-{day.isoformat()}.html").read_text(encoding="utf-8")

    # A new article arrives; two runs are asked for at once: they run one after the other, the
    # first picks the new article up and finds the rest unchanged; the second finds all unchanged.
    (inputs / "trabzon-liman.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    pending = [run_deployment("bilingual-digest/nightly", timeout=0) for _ in range(2)]
    runs = [wait_for_run(run, PREFECT_API_URL.value(), poll_seconds=0.5, timeout=90) for run in pending]
    assert [run.state.name for run in runs] == ["Completed", "Completed"], log.read_text()
    earlier, later = sorted(runs, key=lambda run: run.start_time)
    assert later.start_time >= earlier.end_time

    [newest, middle, oldest] = read_run_reports(output)
    assert oldest.translation.translated > 0
    assert middle.counts["ok"] == oldest.counts["ok"] + 1
    assert 0 < middle.translation.translated < oldest.translation.translated
    assert middle.unchanged == oldest.counts["ok"] and newest.unchanged == middle.counts["ok"]
    assert newest.translation.translated == 0
    assert "trabzon-liman.md" in (output / f"digest-{day.isoformat()}.md").read_text(encoding="utf-8")

    listing = CliRunner().invoke(app, ["runs", "--output", str(output), "--limit", "2"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    assert run_name(newest) in listing.output and run_name(oldest) not in listing.output

    # Ctrl-C in its terminal: SIGINT to the whole process group (a Prefect server serve started
    # runs in its own session, so it is still there to record the pause).
    os.killpg(process.pid, signal.SIGINT)
    # Pausing the schedule goes through the embedded Prefect server, slow on a busy machine (a
    # fresh clone's run with another Prefect flow beside it took over 30 s): the same 90 s the
    # runs above get.
    assert process.wait(timeout=90) == 0, log.read_text()
    lines = log.read_text().splitlines()
    assert lines[-1] == "Stopped serving bilingual-digest/nightly; its schedule is paused."
    assert "Traceback" not in log.read_text() and "shutting down" not in log.read_text()
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        assert client.read_deployment_by_name("bilingual-digest/nightly").paused
