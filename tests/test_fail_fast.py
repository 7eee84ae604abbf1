"""What `trnews run` refuses before Prefect starts, in one line and with exit code 2: a model path
that is no model, a setting that is not valid, inputs that hold no article. In process (CliRunner):
none of these may get as far as Prefect, so no test here starts it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trnews import __version__
from trnews.cli import app
from trnews.cli.options import value_type
from trnews.config import ModelSpec, leaves
from trnews.stages.ingest import article_files, ingest_paths
from trnews.translation.hub import ModelUnavailable, model_identity

ARTICLE = "Kars'ta kar yağışı\n\nKars'ta gece boyunca kar yağdı. Köy yolları kapandı.\n"


def refused(result, *names: str) -> str:
    """The one line a refused command printed, after checking the exit code and that nothing else came."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "starting Prefect" not in result.output
    assert result.stdout == ""
    for name in names:
        assert name in result.stderr
    return result.stderr


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "haber.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.mark.parametrize("option, role", [("--mt-model", "MT model"), ("--summariser-model", "summariser model"),
                                          ("--back-translation-model", "EN->TR model")])
def test_a_mistyped_model_path_stops_before_prefect(article, tmp_path, option, role):
    result = CliRunner().invoke(app, ["run", str(article), "--summariser", "abstractive",
                                      option, str(tmp_path / "no-such-model")])
    message = refused(result, "no such model folder", option, role, str(tmp_path / "no-such-model"))
    assert len(message.splitlines()) == 1


def test_serve_refuses_a_mistyped_model_path_before_starting_a_server(article, tmp_path):
    result = CliRunner().invoke(app, ["serve", str(article), "--mt-model", str(tmp_path / "no-such-model")])
    assert result.exit_code == 2 and "no such model folder" in result.stderr and "Serving" not in result.stdout


def test_a_folder_that_is_not_a_model_stops_before_prefect(article, tmp_path):
    (tmp_path / "bos-model").mkdir()
    result = CliRunner().invoke(app, ["run", str(article), "--mt-model", str(tmp_path / "bos-model")])
    message = refused(result, "no config.json", "no weights", "--mt-model", "TRNEWS_MT_MODEL")
    assert len(message.splitlines()) == 1


def test_model_identity_checks_a_path_as_loading_does(tmp_path, monkeypatch):
    """The run resolves its models (`model_identity`) before it loads them: a mistyped path must be
    "no such model folder" there too, not a hub lookup (HFValidationError on a path)."""
    monkeypatch.chdir(tmp_path)
    for mistyped in ("./no-such-model", str(tmp_path / "yok"), "~/trnews-yok-boyle-model"):
        with pytest.raises(ModelUnavailable, match="no such model folder"):
            model_identity(ModelSpec(id=mistyped))


def _bad_value(setting) -> str | None:
    """A value the setting's type refuses, or None for free text and paths."""
    kind = value_type(setting)
    if typing.get_origin(kind) is typing.Literal or kind in (int, float, bool):
        return "abc"
    return None


@pytest.mark.parametrize("setting", [s for s in leaves() if _bad_value(s)], ids=lambda s: s.flag.name)
def test_every_setting_with_a_bad_value_in_its_variable_stops_in_one_line(article, setting):
    result = CliRunner().invoke(app, ["run", str(article)], env={setting.flag.env: _bad_value(setting)})
    assert result.exit_code == 2, result.output
    assert setting.flag.env in result.output and "Traceback" not in result.output
    assert "starting Prefect" not in result.output


@pytest.mark.parametrize("variable, value", [("TRNEWS_CHUNK_SIZE", "0"), ("TRNEWS_THREADS", "abc"),
                                             ("TRNEWS_FETCH_TIMEOUT", "0")])
def test_settings_are_checked_by_commands_that_read_them_from_the_environment_only(tmp_path, variable, value):
    result = CliRunner().invoke(app, ["list", "--output", str(tmp_path)], env={variable: value})
    assert result.exit_code == 2
    assert result.stderr.startswith("trnews: invalid setting") and variable in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_inputs_that_hold_no_article_stop_naming_each_path(tmp_path):
    empty = tmp_path / "bos"
    empty.mkdir()
    others = tmp_path / "baska"
    others.mkdir()
    (others / "notlar.csv").write_text("a,b\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "articles"), str(empty), str(others)])
    message = refused(result, "nothing to read")
    assert len(message.splitlines()) == 1
    assert f"{tmp_path / 'articles'}: no such file or folder" in message
    assert f"{empty}: no article file" in message and f"{others}: no article file" in message


def test_a_missing_path_beside_a_readable_one_is_an_input_problem_not_an_article(article, tmp_path):
    (tmp_path / "kirik.txt").symlink_to(tmp_path / "yok.txt")
    files, unreadable = article_files([tmp_path, tmp_path / "articles"])
    assert files == [article]
    assert {(Path(p.path).name, p.reason.split(":")[0]) for p in unreadable} == {
        ("articles", "no such file or folder"), ("kirik.txt", "broken symlink")}
    result = ingest_paths([tmp_path, tmp_path / "articles"])
    assert [a.id for a in result.articles] == ["haber"] and result.problems == []
    assert sorted(Path(p.path).name for p in result.unreadable) == ["articles", "kirik.txt"]


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"trnews {__version__}\n"
