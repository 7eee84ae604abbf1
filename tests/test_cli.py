"""The `trnews` command as a user runs it: real processes, files on disk, exit codes and messages.

Each `trnews run` process talks to the session's Prefect API (`cli_env`), except where the test is
about Prefect's own start-up: the first run into an empty PREFECT_HOME, and a start-up that fails.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import click
import pytest
from rich.console import Console
from rich.progress import Progress
from typer.testing import CliRunner

from trnews.cli import app
from trnews.cli.progress_bars import StageBars
from trnews.config import ModelSpec
from trnews.translation.hub import (
    MT,
    SUMMARISER,
    ModelUnavailable,
    is_path_like,
    load_pretrained,
    load_seq2seq,
)
from trnews.records import RunReport, TranslationCounts
from trnews.output.folder import write_run_report

TRNEWS = [sys.executable, "-m", "trnews"]
TEXT = ("Kars'ta kar yağışı etkili oldu\n\nKars'ta gece boyunca süren kar yağışı nedeniyle köy yolları ulaşıma "
        "kapandı. Ekipler yolları açmak için çalışma başlattı.\n")


def trnews(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*TRNEWS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def reports(output: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(output.glob("run-*.json"), key=os.path.getmtime)]


@pytest.fixture
def workdir(tmp_path: Path, examples: Path) -> Path:
    shutil.copytree(examples, tmp_path / "articles")
    return tmp_path


def fresh_prefect_env(home: Path, **extra: str) -> dict[str, str]:
    """A machine where Prefect never ran: an empty PREFECT_HOME and no server to talk to."""
    env = {**os.environ, "PREFECT_HOME": str(home), "HF_HUB_OFFLINE": "1", "COLUMNS": "120",
           "TRNEWS_RECOVERY_HYPOTHESES": "0", **extra}  # as `cli_env`
    env.pop("PREFECT_API_URL", None)
    return env


def test_first_run_on_a_fresh_machine_then_a_warm_rerun(workdir, tiny_models, cli_env, prefect_servers_of):
    args = ("run", "articles", "--mt-model", str(tiny_models.mt_tr_en), "--max-new-tokens", "12")
    cold = trnews(*args, cwd=workdir, env=fresh_prefect_env(workdir / "prefect-home"))
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert "bilingual-digest" in cold.stdout and "ok" in cold.stdout
    # Piped output holds no library progress lines and none of the temporary server's shutdown noise.
    for noise in ("Traceback", "Error flushing", "Loading weights", "task_run_recorder"):
        assert noise not in cold.stdout + cold.stderr
    assert (workdir / "prefect-home").is_dir()  # Prefect used the given home, not ~/.prefect
    assert prefect_servers_of(workdir / "prefect-home") == []  # the run's temporary server ended with it
    assert (workdir / "outputs" / "articles" / "izmir-deprem-tatbikati.json").is_file()
    assert "starting Prefect and its temporary API server" in cold.stderr  # what the first seconds are

    warm = trnews(*args, cwd=workdir, env=cli_env)
    assert warm.returncode == 0, warm.stderr
    assert f"starting Prefect (API: {cli_env['PREFECT_API_URL']})" in warm.stderr
    first, second = reports(workdir / "outputs")
    assert first["models_loaded"] == [str(tiny_models.mt_tr_en)]
    assert second["models_loaded"] == [] and second["translation"]["translated"] == 0
    assert (workdir / ".trnews" / "sentences.sqlite").is_file()


def test_prefect_that_does_not_start_ends_with_one_clear_paragraph(workdir, tiny_models):
    env = fresh_prefect_env(workdir / "prefect-home", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    result = trnews("run", "articles", "--mt-model", str(tiny_models.mt_tr_en), cwd=workdir, env=env)
    assert result.returncode == 2
    assert "did not start within 1 s, twice" in result.stderr
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in result.stderr and "PREFECT_API_URL" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_hostile_inputs_fail_on_their_own_and_the_rest_is_written(tmp_path, examples, tiny_models, cli_env):
    workdir = tmp_path
    articles = workdir / "articles"
    articles.mkdir()
    shutil.copy(examples / "istanbul-metro-hatti.txt", articles)  # one good article among the hostile inputs
    (articles / "bozuk.txt").write_bytes(os.urandom(1024))
    (articles / "garip [bold] [").mkdir()  # with the file's name below, a path holding "[/]"
    (articles / "garip [bold] [" / "] kayip.txt").symlink_to(articles / "yok.txt")
    (articles / "dongu.txt").symlink_to(articles / "dongu.txt")
    (articles / "index.txt").write_text(TEXT, encoding="utf-8")
    (articles / "dev.txt").write_text(TEXT * 12_000, encoding="utf-8")  # 2.2 MB: over the default limit
    result = trnews("run", "articles", "missing-folder", "--mt-model", str(tiny_models.mt_tr_en),
                    "--max-new-tokens", "8", cwd=workdir, env=cli_env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any("failed bozuk" in line for line in lines)
    # Paths that cannot be read are the run's input problems, named by their path, not articles.
    assert any("failed" in line and "[bold] [/] kayip.txt: broken symlink" in line for line in lines)
    assert any("failed" in line and "dongu.txt: symlink loop" in line for line in lines)
    assert any("failed missing-folder: no such file or folder" in line for line in lines)
    assert any("skipped dev" in line and "too large" in line for line in lines)
    output = workdir / "outputs"
    assert (output / "articles" / "istanbul-metro-hatti.md").is_file()
    assert json.loads((output / "articles" / "index.json").read_text(encoding="utf-8"))["id"] == "index"
    [report] = reports(output)
    assert sorted(Path(p["path"]).name for p in report["input_problems"]) == ["] kayip.txt", "dongu.txt", "missing-folder"]
    index_ids = {row["id"] for row in json.loads((output / "index.json").read_text(encoding="utf-8"))}
    assert {"index", "bozuk", "dev"} <= index_ids and not index_ids & {"kayip", "dongu", "missing-folder"}
    listing = trnews("list", cwd=workdir, env=cli_env)
    assert listing.returncode == 0 and "bozuk" in listing.stdout and "dongu" not in listing.stdout


def test_an_output_folder_that_is_a_file_ends_with_a_clear_message(workdir, tiny_models, cli_env):
    (workdir / "outputs").write_text("bir dosya", encoding="utf-8")
    result = trnews("run", "articles/van-inci-kefali.txt", "--mt-model", str(tiny_models.mt_tr_en),
                    "--max-new-tokens", "8", cwd=workdir, env=cli_env)
    assert result.returncode == 1
    assert "cannot write" in result.stdout + result.stderr
    assert "a file stands where a folder is needed" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_default_model_is_a_clear_message_not_a_traceback(workdir, cli_env):
    result = trnews("run", "articles", "--offline", cwd=workdir, env=cli_env)
    assert result.returncode == 2
    assert "Cannot load the MT model 'Helsinki-NLP/opus-mt-tc-big-tr-en'" in result.stderr
    assert "--mt-model /path/to/model" in result.stderr
    assert "huggingface.co" not in result.stderr  # offline: the hub was not asked
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("model, path_like", [
    ("/models/opus-mt-tr-en", True), ("./opus-mt-tr-en", True), ("../modeller/opus", True), ("~/opus", True),
    ("modeller/alt/opus", True), ("Helsinki-NLP/opus-mt-tr-en", False), ("t5-small", False),
])
def test_paths_and_hub_ids_are_told_apart(model, path_like):
    assert is_path_like(model) is path_like


def test_a_mistyped_model_folder_is_no_such_model_folder(tmp_path, monkeypatch):
    (tmp_path / "modeller").mkdir()
    monkeypatch.chdir(tmp_path)
    for mistyped in (str(tmp_path / "yok"), "modeller/opus-mt-tr-en"):
        with pytest.raises(ModelUnavailable, match="no such model folder") as raised:
            load_pretrained(object, ModelSpec(id=mistyped), MT)
        assert "--mt-model" in str(raised.value) and "huggingface.co" not in str(raised.value)


def test_an_empty_model_folder_says_what_it_lacks(tmp_path):
    from transformers import AutoTokenizer

    with pytest.raises(ModelUnavailable) as raised:
        load_pretrained(AutoTokenizer, ModelSpec(id=str(tmp_path)), SUMMARISER)
    message = str(raised.value)
    assert "no config.json" in message and "weights" in message and "--summariser-model" in message
    assert "sentencepiece" not in message


def test_each_missing_model_message_names_its_own_option(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable) as raised:
        load_seq2seq(ModelSpec(id="trnews-test/yok-boyle-ozetleyici"), "cpu", SUMMARISER)
    message = str(raised.value)
    assert "--summariser-model /path/to/model" in message
    assert "python -m trnews.tiny_models DIR" in message and "prints the --summariser-model to use" in message
    assert "--mt-model" not in message
    assert "the hub was not contacted" in message and "huggingface.co/" not in message


def test_help_shows_every_setting_s_variable_and_default_within_80_columns():
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    help_text = click.unstyle(result.stdout)
    assert max(len(line) for line in help_text.splitlines()) <= 80
    flat = " ".join(help_text.split())
    for option, variable, default in [("--output", "TRNEWS_OUTPUT_DIR", "outputs"),
                                      ("--model", "TRNEWS_MODEL", "best"),
                                      ("--mt-model", "TRNEWS_MT_MODEL", None),
                                      ("--beam-size", "TRNEWS_BEAM_SIZE", "4"),
                                      ("--max-article-bytes", "TRNEWS_MAX_ARTICLE_BYTES", "2000000"),
                                      ("--back-translation-model", "TRNEWS_BACK_TRANSLATION_MODEL", None)]:
        assert option in flat and f"env var: {variable}" in flat
        if default:
            assert f"default: ({default})" in flat.replace("- ", "-")


def test_translation_progress_shows_sentences_rate_and_time_left():
    console = Console(record=True, width=120, force_terminal=False)
    progress = Progress(*StageBars.columns(), console=console, auto_refresh=False)
    bars = StageBars(progress)
    with progress:
        bars.stage_started("translate", 60, unit="sentences")
        for _ in range(3):
            bars.advance("translate", 10)
        progress.refresh()
    shown = console.export_text()
    assert "30/60" in shown and "sentences" in shown and "left" in shown


def test_runs_shows_distinct_runs_within_80_columns(tmp_path):
    stamp = "0192f3a1-7c2b-7"  # scheduled runs of one deployment: ids that begin alike
    for n, finished in enumerate(["2026-11-21T03:00:09+00:00", "2026-11-22T03:00:08+00:00"]):
        write_run_report(RunReport(
            flow_run_id=f"{stamp}{n:03d}-8d3e-{uuid.uuid4().hex[:12]}", started=finished, finished=finished,
            seconds=93.5, inputs=["/srv/haberler"], output_dir=str(tmp_path), refresh=False,
            counts={"ok": 7, "skipped": 1, "failed": n}, stages={}, translation=TranslationCounts(translated=60, reused=12),
            models_loaded=[], articles=[]), tmp_path)
    result = CliRunner().invoke(app, ["runs", "--output", str(tmp_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    shown = click.unstyle(result.stdout)
    assert max(len(line) for line in shown.splitlines()) <= 80
    tails = [json.loads(p.read_text())["flow_run_id"].rsplit("-", 1)[1] for p in sorted(tmp_path.glob("run-*.json"))]
    assert all(tail in shown for tail in tails) and tails[0] != tails[1]
    assert "7/1/1" in shown and "60/12" in shown and "1 failed" in shown


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


def test_forget_drops_a_stale_row_and_an_article_s_files_and_nothing_outside(tmp_path):
    from trnews.output.folder import read_index, write_index
    from trnews.records import ArticleStatus

    output = tmp_path / "outputs"
    write_index([ArticleStatus(id="articles", source="/srv/articles", status="failed", reason="no such file or folder"),
                 ArticleStatus(id="haber", source="haber.txt", status="ok", title_en="News")], output)
    (output / "articles").mkdir()
    for suffix in (".json", ".md", ".html"):
        (output / "articles" / f"haber{suffix}").write_text("{}", encoding="utf-8")
    runner = CliRunner()
    cache = ["--output", str(output), "--cache-dir", str(tmp_path / "cache")]
    result = runner.invoke(app, ["forget", "articles", *cache])
    assert result.exit_code == 0, result.output
    assert [row.id for row in read_index(output)] == ["haber"]
    assert "no such file or folder" not in (output / "index.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["forget", "haber", *cache]).exit_code == 0
    assert read_index(output) == [] and not list((output / "articles").iterdir())
    refused = runner.invoke(app, ["forget", "../index", "yok", *cache])
    assert refused.exit_code == 1 and "no article '../index', 'yok'" in refused.stderr
    assert (output / "index.json").is_file()
    (output / "index.json").rename(output / "articles" / "index.json")  # what "../index" would not reach
    shown = runner.invoke(app, ["show", "../index", "--output", str(output / "articles")])
    assert shown.exit_code == 1 and "'../index' is no article id" in shown.stderr and "Traceback" not in shown.output


def test_runs_keep_each_run_on_one_line_and_long_names_whole_where_they_fit(tmp_path):
    name = "extraordinary-hippopotamus-of-the-night"  # 39 characters
    for n, finished in enumerate(["2026-11-21T03:00:09+00:00", "2026-11-22T03:00:08+00:00"]):
        write_run_report(RunReport(
            flow_run_id=str(uuid.uuid4()), flow_run_name=f"{name}-{n}", started=finished, finished=finished,
            seconds=93.5, inputs=[], output_dir=str(tmp_path), refresh=False, counts={"ok": 7, "skipped": 1, "failed": 0},
            stages={}, translation=TranslationCounts(translated=60, reused=12), models_loaded=[], articles=[]), tmp_path)
    for columns in (80, 120):
        result = CliRunner().invoke(app, ["runs", "--output", str(tmp_path)], env={"COLUMNS": str(columns)})
        lines = click.unstyle(result.stdout).splitlines()
        assert max(len(line) for line in lines) <= columns
        rows = [line for line in lines if "2026-11-2" in line]
        assert len(rows) == 2 and all("7/1/0" in row and "60/12" in row and row.rstrip().endswith("ok") for row in rows)
        for row in rows:  # the whole name where it fits, else its head and "…"; never broken over two lines
            assert f"{name}-" in row if columns == 120 else any(f"{name[:k]}…" in row for k in range(10, len(name)))


def test_a_warm_run_s_table_says_how_many_articles_were_unchanged(monkeypatch):
    from trnews.cli import console as console_module

    recorded = Console(record=True, width=120)
    monkeypatch.setattr(console_module, "console", recorded)
    report = RunReport(started="2026-11-21T03:00:00+00:00", finished="2026-11-21T03:00:09+00:00", seconds=9.0,
                       inputs=[], output_dir="outputs", refresh=False, counts={"ok": 7, "skipped": 1, "failed": 0},
                       unchanged=8, stages={}, translation=TranslationCounts(), models_loaded=[], articles=[])
    console_module.print_report(report, title="bilingual-digest")
    lines = recorded.export_text().splitlines()
    at = next(number for number, line in enumerate(lines) if "unchanged" in line)
    header, row = lines[at], lines[at + 2]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    headings = [cell.strip() for cell in header.strip("┃ ").split("┃")]
    assert dict(zip(headings, cells))["unchanged"] == "8"
