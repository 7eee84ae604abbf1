"""Presets and published figures (`trnews.translation.catalog`, `data/models.toml`): what `--model`
picks, what wins over it, and what users are told about a model. No model is loaded here."""

import pytest
from click import unstyle
from typer.testing import CliRunner

from trnews.cli import app
from trnews.config import load_settings
from trnews.translation.catalog import notices, presets, published


def test_the_default_is_tc_big_through_ctranslate2():
    translation = load_settings().translation
    assert (translation.preset, translation.chosen_model, translation.chosen_engine) == (
        "best", "Helsinki-NLP/opus-mt-tc-big-tr-en", "ctranslate2")


@pytest.mark.parametrize("name, model", [("fast", "Helsinki-NLP/opus-mt-tr-en"),
                                         ("nllb-600m", "facebook/nllb-200-distilled-600M"),
                                         ("nllb-1.3b", "facebook/nllb-200-distilled-1.3B")])
def test_a_preset_picks_its_model_and_engine(name, model, monkeypatch):
    monkeypatch.setenv("TRNEWS_MODEL", name)
    translation = load_settings().translation
    assert translation.chosen_model == model and translation.chosen_engine == "ctranslate2"
    assert translation.spec.id == model and model in translation.cache_namespace()


def test_an_explicit_model_and_engine_win_over_the_preset(tmp_path):
    translation = load_settings(model="nllb-600m", mt_model=str(tmp_path), engine="transformers").translation
    assert (translation.chosen_model, translation.chosen_engine) == (str(tmp_path), "transformers")
    # Changing the preset later (a deployment's parameter) does not undo the explicit model.
    assert load_settings(mt_model=str(tmp_path)).replace(model="fast").translation.chosen_model == str(tmp_path)


def test_every_preset_has_published_figures_and_a_licence():
    for preset in presets().values():
        found = published(preset.model)
        assert found is not None and found.licence and found.source
        assert found.bleu["flores200-devtest"] > 30


def test_nllb_is_non_commercial_in_the_help_and_when_used():
    entry = " ".join(unstyle(CliRunner().invoke(app, ["run", "--help"], terminal_width=200).stdout).split())
    assert "nllb-600m = nllb-200-distilled-600M (CC-BY-NC-4.0: non-commercial use only)" in entry.replace("- ", "-")
    assert any("non-commercial" in notice for notice in notices("facebook/nllb-200-distilled-1.3B"))
    assert notices("Helsinki-NLP/opus-mt-tc-big-tr-en") == []


@pytest.mark.parametrize("model, figure", [("Helsinki-NLP/opus-mt-trk-en", "3.9"), ("/models/opus-mt-mul-en", "17.9")])
def test_a_model_useless_for_turkish_gets_a_warning_with_its_published_figure(model, figure):
    [warning] = notices(model)
    assert "badly" in warning and f"flores200-devtest {figure}" in warning and "--model best" in warning
