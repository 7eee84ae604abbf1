"""The `trnews` command as a user runs it: real processes, Prefect's embedded API, files on disk."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trnews.cli import app

TRNEWS = [sys.executable, "-m", "trnews"]


def trnews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "120"}
    return subprocess.run([*TRNEWS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def reports(output: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(output.glob("run-*.json"), key=os.path.getmtime)]


@pytest.fixture
def workdir(tmp_path: Path, examples: Path) -> Path:
    shutil.copytree(examples, tmp_path / "articles")
    return tmp_path


def test_run_then_warm_rerun_loads_no_model(workdir, tiny_models):
    args = ("run", "articles", "--mt-model", str(tiny_models.mt_tr_en), "--max-new-tokens", "12")
    cold = trnews(*args, cwd=workdir)
    assert cold.returncode == 0, cold.stderr
    assert "bilingual-digest" in cold.stdout and "ok" in cold.stdout
    assert (workdir / "outputs" / "izmir-deprem-tatbikati.json").is_file()
    warm = trnews(*args, cwd=workdir)
    assert warm.returncode == 0, warm.stderr
    first, second = reports(workdir / "outputs")
    assert first["models_loaded"] == [str(tiny_models.mt_tr_en)]
    assert second["models_loaded"] == [] and second["translation"]["translated"] == 0
    assert (workdir / ".trnews" / "sentences.sqlite").is_file()


def test_a_broken_file_is_reported_and_the_exit_code_says_so(workdir, tiny_models):
    (workdir / "articles" / "bozuk.txt").write_bytes(os.urandom(1024))
    result = trnews("run", "articles", "--mt-model", str(tiny_models.mt_tr_en), "--max-new-tokens", "8", cwd=workdir)
    assert result.returncode == 1
    assert "failed bozuk" in result.stdout
    assert (workdir / "outputs" / "istanbul-metro-hatti.md").is_file()


def test_two_concurrent_runs_both_finish_with_an_intact_cache(workdir, tiny_models):
    args = [*TRNEWS, "run", "articles", "--mt-model", str(tiny_models.mt_tr_en), "--max-new-tokens", "12"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    runs = [subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    for process in runs:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
    a, b = reports(workdir / "outputs")
    assert a["counts"] == b["counts"] == {"ok": 7, "skipped": 0, "failed": 0}
    # The cache locks made one run wait for the other's results instead of translating twice.
    assert a["translation"]["translated"] + b["translation"]["translated"] == a["translation"]["translated"] + a["translation"]["reused"]
    with sqlite3.connect(workdir / ".trnews" / "sentences.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for path in (workdir / "outputs").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_missing_default_model_is_a_clear_message_not_a_traceback(workdir):
    result = trnews("run", "articles", "--offline", cwd=workdir)
    assert result.returncode == 2
    assert "Cannot load the MT model 'Helsinki-NLP/opus-mt-tr-en'" in result.stderr
    assert "--mt-model /path/to/model" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_clean_prints_what_would_be_translated(workdir):
    result = CliRunner().invoke(app, ["clean", str(workdir / "articles" / "izmir-deprem-tatbikati.txt")])
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)
    assert article["title"] == "İzmir'de 5 bin kişinin katıldığı deprem tatbikatı yapıldı"
    # The page carries only a "Son Güncelleme" (last updated) line: that is not the publication date.
    assert (article["published"], article["updated"]) == (None, "2025-03-14T11:20+03:00")
    assert article["language"] == "tr"
    texts = [p["text"] for p in article["paragraphs"]]
    assert not any("REKLAM" in t or "SON DAKİKA" in t for t in texts)
    assert {r["reason"] for r in article["removed"]} >= {"ad-marker", "breaking-news-banner", "repeated-title"}


def test_schema_command_prints_the_output_schema():
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "ArticleOutput" and "paragraphs" in schema["properties"]


def test_cache_info_and_clear_commands(tmp_path):
    runner = CliRunner()
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert info.exit_code == 0 and "sentence translations" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert cleared.exit_code == 0 and "Cleared" in cleared.stdout
