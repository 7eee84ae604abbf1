import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from trnews.config import ModelSpec, TranslationConfig
from trnews.hub import ModelUnavailable, load_seq2seq
from trnews.sentence_cache import SentenceCache
from trnews.tokens import in_order, token_batches
from trnews.translate import CachedTranslator, TransformersTranslator

SENTENCES = [
    "Ankara'da kar yağışı etkili oldu.",
    "Belediye ekipleri yollarda çalıştı.",
    "Okullar yarın tatil mi?",
    "Ankara'da kar yağışı etkili oldu.",
]


class CountingTranslator:
    """A real engine that remembers what it was asked to translate."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return in_order(len(sentences), self.translate_batches(sentences))

    def translate_batches(self, sentences: Sequence[str]):
        if sentences:
            self.calls.append(list(sentences))
        return self.inner.translate_batches(sentences)


@pytest.fixture(scope="module")
def config(tiny_models) -> TranslationConfig:
    return TranslationConfig(model=ModelSpec(id=str(tiny_models.mt_tr_en)), beam_size=2, max_new_tokens=8, device="cpu")


def test_token_batches_sort_by_length_and_respect_the_budget():
    lengths = [5, 40, 12, 40, 3, 25]
    batches = list(token_batches(lengths, budget=80))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 80 or len(batch) == 1
    flattened = [lengths[i] for b in batches for i in b]
    assert flattened == sorted(lengths, reverse=True)


def test_a_sentence_longer_than_the_budget_gets_its_own_batch():
    assert list(token_batches([500, 2, 2], budget=100)) == [[0], [1, 2]]


def test_transformers_translator_keeps_order_and_is_deterministic(config):
    translator = TransformersTranslator(config)
    first = translator.translate(SENTENCES)
    assert len(first) == len(SENTENCES)
    assert all(isinstance(t, str) and t for t in first)
    assert first[0] == first[3]
    assert translator.translate(SENTENCES) == first
    # Batching does not change results: one at a time gives the same translations.
    one_by_one = TransformersTranslator(config.model_copy(update={"batch_tokens": 64}))
    assert [one_by_one.translate([s])[0] for s in SENTENCES] == first
    assert translator.translate([]) == []


def test_model_is_loaded_once_per_process(config):
    assert load_seq2seq(config.model, "cpu") is load_seq2seq(config.model, "cpu")


def test_cached_translator_translates_each_sentence_once(config, tmp_path: Path):
    inner = CountingTranslator(TransformersTranslator(config))
    cache = SentenceCache(tmp_path / "s.sqlite")
    translator = CachedTranslator(inner, cache, config.cache_namespace())
    first = translator.translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]  # the duplicate is translated once
    assert (translator.stats.translated, translator.stats.reused) == (3, 1)

    second = translator.translate(SENTENCES[1:] + ["Yeni bir cümle geldi."])
    assert inner.calls[-1] == ["Yeni bir cümle geldi."]
    assert second[:3] == first[1:]

    # A new process (new cache object) reuses the file.
    reopened = CachedTranslator(CountingTranslator(TransformersTranslator(config)), SentenceCache(tmp_path / "s.sqlite"),
                                config.cache_namespace())
    assert reopened.translate(SENTENCES) == first
    assert reopened.inner.calls == []


def test_namespace_separates_generation_settings(config, tmp_path: Path):
    cache = SentenceCache(tmp_path / "s.sqlite")
    CachedTranslator(TransformersTranslator(config), cache, config.cache_namespace()).translate(SENTENCES)
    wider = config.model_copy(update={"beam_size": 3})
    assert wider.cache_namespace() != config.cache_namespace()
    inner = CountingTranslator(TransformersTranslator(wider))
    CachedTranslator(inner, cache, wider.cache_namespace()).translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]
    assert config.model_copy(update={"batch_tokens": 4096, "device": "cuda"}).cache_namespace() == config.cache_namespace()


def test_corrupted_cache_entry_is_recomputed_not_served(config, tmp_path: Path):
    path = tmp_path / "s.sqlite"
    good = CachedTranslator(TransformersTranslator(config), SentenceCache(path), config.cache_namespace()).translate(SENTENCES)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE translations SET target = 'CORRUPTED' WHERE source = ?", (SENTENCES[1],))
    cache = SentenceCache(path)
    inner = CountingTranslator(TransformersTranslator(config))
    assert CachedTranslator(inner, cache, config.cache_namespace()).translate(SENTENCES) == good
    assert inner.calls == [[SENTENCES[1]]]
    assert cache.corrupted == 1


def test_refresh_ignores_cached_entries(config, tmp_path: Path):
    cache = SentenceCache(tmp_path / "s.sqlite")
    CachedTranslator(TransformersTranslator(config), cache, config.cache_namespace()).translate(SENTENCES)
    inner = CountingTranslator(TransformersTranslator(config))
    CachedTranslator(inner, cache, config.cache_namespace(), refresh=True).translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]


def test_missing_model_gives_an_actionable_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    translator = TransformersTranslator(TranslationConfig(model=ModelSpec(id="Helsinki-NLP/opus-mt-tr-en")))
    with pytest.raises(ModelUnavailable) as error:
        translator.translate(["Merhaba."])
    message = str(error.value)
    assert "Helsinki-NLP/opus-mt-tr-en" in message
    assert "--mt-model /path/to/model" in message and "TRNEWS_MT_MODEL" in message
    assert "Looked in:" in message


def test_local_folder_that_is_not_a_model(tmp_path: Path):
    with pytest.raises(ModelUnavailable, match="local folder"):
        TransformersTranslator(TranslationConfig(model=ModelSpec(id=str(tmp_path)))).translate(["Merhaba."])


def test_unreachable_hub_fails_fast_with_the_reason(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # the discard port: refused at once
    translator = TransformersTranslator(TranslationConfig(model=ModelSpec(id="Helsinki-NLP/opus-mt-tr-en")))
    with pytest.raises(ModelUnavailable, match="cannot connect to 127.0.0.1") as error:
        translator.translate(["Merhaba."])
    assert "TRNEWS_MT_MODEL=/path/to/model" in str(error.value)
