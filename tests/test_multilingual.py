"""NLLB-200 and M2M100 through both engines: the source marked by the tokenizer, the target forced
first, the language codes in the sentence-cache key (tiny random-weight models built here)."""

from pathlib import Path

import pytest

from trnews.config import TranslationConfig
from trnews.tiny_models.folders import build_once
from trnews.tiny_models.m2m100 import build_tiny_m2m100, build_tiny_nllb
from trnews.translation import families
from trnews.translation.cached import cached_translator
from trnews.translation.engines import translation_namespace
from trnews.translation.hub import BACK_TRANSLATION, MT, load_tokenizer
from trnews.translation.tokens import encode

SENTENCES = ["Ankara'da kar yağışı etkili oldu.", "Okullar yarın tatil mi?", "Ankara'da kar yağışı etkili oldu."]
# family: (builder, the source code that starts every input, the target token forced first)
FAMILIES = {"nllb": (build_tiny_nllb, "tur_Latn", "eng_Latn"), "m2m100": (build_tiny_m2m100, "__tr__", "__en__")}


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("multilingual")
    return {name: build_once(root / name, build) for name, (build, _, _) in FAMILIES.items()}


def _config(model: Path, engine: str) -> TranslationConfig:
    return TranslationConfig(model=str(model), engine=engine, beam_size=2, max_new_tokens=10, device="cpu")


@pytest.mark.parametrize("family", FAMILIES)
def test_inputs_are_marked_with_the_source_language(models, family):
    _, source_code, _ = FAMILIES[family]
    tokenizer = load_tokenizer(_config(models[family], "transformers").spec, MT)
    tokens = tokenizer.convert_ids_to_tokens(encode(tokenizer, SENTENCES[:1])[0])
    assert tokens[0] == source_code and tokens[-1] == "</s>"
    english = load_tokenizer(_config(models[family], "transformers").spec, BACK_TRANSLATION)
    assert english.convert_ids_to_tokens(encode(english, ["Snow fell."])[0])[0] != source_code


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
@pytest.mark.parametrize("family", FAMILIES)
def test_translates_end_to_end_through_each_engine(models, family, engine, tmp_path):
    _, _, target_token = FAMILIES[family]
    translator = cached_translator(_config(models[family], engine), tmp_path)
    try:
        hypotheses = translator.translate(SENTENCES)
        assert all(h.text.strip() for h in hypotheses)
        assert hypotheses[0] == hypotheses[2] and hypotheses[0] != hypotheses[1]
        assert not any(target_token in h.text for h in hypotheses)  # the forced first token is not text
        assert translator.counts.translated == 2
        assert translator.translate(SENTENCES) == hypotheses and translator.counts.translated == 2  # cached
    finally:
        translator.close()


def test_the_target_language_is_forced_first(models):
    import torch

    config = _config(models["nllb"], "transformers")
    tokenizer = load_tokenizer(config.spec, MT)
    from trnews.translation.hub import load_seq2seq

    model = load_seq2seq(config.spec, "cpu", MT).model
    inputs = tokenizer(SENTENCES[:1], return_tensors="pt")
    target = families.tokenizer_languages(tokenizer, "tr", "en")
    with torch.inference_mode():
        generated = model.generate(**inputs, max_new_tokens=4,
                                   forced_bos_token_id=tokenizer.convert_tokens_to_ids(target.target_token))
    assert tokenizer.convert_ids_to_tokens(generated[0].tolist())[1] == "eng_Latn"


@pytest.mark.parametrize("family", FAMILIES)
def test_the_cache_key_holds_the_language_codes(models, family, monkeypatch):
    _, source_code, target_token = FAMILIES[family]
    config = _config(models[family], "ctranslate2")
    to_english = translation_namespace(config, MT)
    assert f">{target_token}|" in to_english and source_code.strip("_") in to_english
    assert translation_namespace(config, BACK_TRANSLATION) != to_english  # the other direction
    real = families._families()
    changed = {name: {**entry, "languages": {**entry["languages"], "en": "eng_Zzzz"}} for name, entry in real.items()}
    monkeypatch.setattr(families, "_families", lambda: changed)
    assert translation_namespace(config, MT) != to_english  # other codes, another translation


def test_a_marian_model_needs_no_language_codes(tiny_models):
    config = TranslationConfig(model=str(tiny_models.mt_tr_en), engine="transformers")
    assert families.tokenizer_languages(load_tokenizer(config.spec, MT), "tr", "en") is None
    assert "langs=" not in translation_namespace(config, MT)
