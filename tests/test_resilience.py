"""A nightly job that survives kill -9, stop signals and concurrent runs: real `trnews run`
processes against the session's Prefect API, tiny models, files on disk."""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from trnews.stores import CacheLayout
from trnews.pipeline.locks import LockTimeout, run_lock
from trnews.pipeline.locks import holder as lock_holder

# Long forced outputs and small batches: translation takes seconds and commits many shards.
SLOW = ("--max-new-tokens", "64", "--min-new-tokens", "60", "--batch-tokens", "64", "--beam-size", "1",
        "--engine", "transformers")
FAST = ("--max-new-tokens", "8", "--beam-size", "1")


def start(workdir: Path, env: dict[str, str], mt_model: Path, settings: tuple[str, ...] = SLOW) -> subprocess.Popen:
    command = [sys.executable, "-m", "trnews", "run", "articles", "--mt-model", str(mt_model), *settings]
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen, timeout: float = 300) -> str:
    output, _ = process.communicate(timeout=timeout)
    return output


def cached_rows(workdir: Path) -> int:
    try:
        with sqlite3.connect(CacheLayout(workdir / ".trnews").sentences, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.Error:
        return 0


def wait_for_rows(workdir: Path, process: subprocess.Popen, at_least: int = 1) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, finish(process)
        rows = cached_rows(workdir)
        if rows >= at_least:
            return rows
        time.sleep(0.2)
    pytest.fail("no translation was committed within 240 s")


def last_report(workdir: Path) -> dict:
    paths = sorted((workdir / "outputs").glob("run-*.json"), key=os.path.getmtime)
    return json.loads(paths[-1].read_text(encoding="utf-8"))


@pytest.fixture
def workdir(tmp_path: Path, examples: Path) -> Path:
    shutil.copytree(examples, tmp_path / "articles")
    return tmp_path


def test_killed_and_stopped_runs_keep_finished_work_and_never_block_the_next(workdir, cli_env, tiny_models,
                                                                             prefect_servers_of):
    killed = start(workdir, cli_env, tiny_models.mt_tr_en)
    wait_for_rows(workdir, killed)
    killed.kill()  # kill -9: no chance to clean up; the OS releases its lock
    killed.wait()
    kept = cached_rows(workdir)

    # Stopped with Prefect's temporary API server (no PREFECT_API_URL), which must not outlive it.
    home = workdir / "prefect-home"
    env = {**{k: v for k, v in cli_env.items() if k != "PREFECT_API_URL"}, "PREFECT_HOME": str(home)}
    stopped = start(workdir, env, tiny_models.mt_tr_en)
    wait_for_rows(workdir, stopped, at_least=kept + 1)
    started_by_it = psutil.Process(stopped.pid).children(recursive=True)
    assert prefect_servers_of(home)
    rows_at_signal = cached_rows(workdir)
    stopped.send_signal(signal.SIGTERM)
    started = time.monotonic()
    output = finish(stopped, timeout=60)
    assert time.monotonic() - started < 5, output  # wherever the signal landed, translation shards included
    assert stopped.returncode == 128 + signal.SIGTERM, output
    assert "stopped by SIGTERM" in output and "Traceback" not in output
    assert [p for p in started_by_it if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert prefect_servers_of(home) == []
    kept_after_stop = cached_rows(workdir)
    assert kept_after_stop >= rows_at_signal > kept

    rerun = start(workdir, cli_env, tiny_models.mt_tr_en)
    output = finish(rerun)
    assert rerun.returncode == 0, output
    assert not list((workdir / "outputs").rglob(".*.tmp"))  # what a killed run was writing is gone
    report = last_report(workdir)
    assert report["counts"] == {"ok": 7, "skipped": 0, "failed": 0}
    total = report["translation"]["translated"] + report["translation"]["reused"]
    assert report["translation"]["reused"] >= kept_after_stop and report["translation"]["translated"] == total - report["translation"]["reused"]
    assert cached_rows(workdir) == total


def test_two_concurrent_runs_both_finish_and_translate_once(workdir, cli_env, tiny_models):
    first, second = (start(workdir, cli_env, tiny_models.mt_tr_en, FAST) for _ in range(2))
    outputs = [finish(first), finish(second)]
    assert first.returncode == second.returncode == 0, outputs
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in (workdir / "outputs").glob("run-*.json")]
    assert [r["counts"] for r in reports] == [{"ok": 7, "skipped": 0, "failed": 0}] * 2
    # The run lock made one wait for the other, which then found every article unchanged.
    assert sorted(r["unchanged"] for r in reports) == [0, 7]
    with sqlite3.connect(CacheLayout(workdir / ".trnews").sentences) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for path in (workdir / "outputs").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_a_run_waits_for_a_live_holder_only_as_long_as_allowed(tmp_path, caplog):
    """The lock is the output folder's own, whatever the cache folder; a wait names the live
    holder in one line; neither lock file is followed through a symlink."""
    output = tmp_path / "outputs"
    output.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not trnews's", encoding="utf-8")
    (output / ".trnews.lock").symlink_to(secret)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from trnews.pipeline.locks import run_lock\n"
         f"with run_lock(Path({str(tmp_path)!r}) / 'elsewhere' / '..' / 'outputs', 5):\n print('held', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert secret.read_text(encoding="utf-8") == "not trnews's" and not (output / ".trnews.lock").is_symlink()
        with pytest.raises(LockTimeout) as waited, run_lock(output, timeout=0.5):
            pass
        message = str(waited.value)
        assert f"pid {holder.pid} on" in message and ".trnews.lock" in message and "TRNEWS_LOCK_TIMEOUT" in message
        [waiting] = [r.getMessage() for r in caplog.records if r.name == "trnews.pipeline.locks"]
        assert f"pid {holder.pid} on" in waiting and "\n" not in waiting
    finally:
        holder.kill()
        holder.wait()
    # The dead holder's lock is free at once, and its leftover holder file names nobody.
    assert json.loads((output / ".trnews.lock.holder").read_text(encoding="utf-8"))["pid"] == holder.pid
    assert lock_holder(output / ".trnews.lock") is None
    (output / ".trnews.lock.holder").unlink()
    (output / ".trnews.lock.holder").symlink_to(secret)
    with run_lock(output, timeout=5):
        assert lock_holder(output / ".trnews.lock").startswith(f"pid {os.getpid()} on {socket.gethostname()} since ")
    assert secret.read_text(encoding="utf-8") == "not trnews's" and not (output / ".trnews.lock.holder").exists()
