"""Both translation engines behave the same in the pipeline (tiny models; no timings asserted here)."""

import importlib.util
import json
import sys
import threading
import time
from pathlib import Path

import pytest

from hypotheses import same_translations

from trnews.stores import CacheLayout
from trnews.config import TranslationConfig
from trnews.translation.hub import MT, ModelUnavailable
from trnews.records import ArticleOutput
from trnews.translation.tokens import output_limit
from trnews.translation.cached import cached_translator
from trnews.translation.engines import make_engine
from trnews.output.paths import article_path

needs_ctranslate2 = pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None,
                                       reason="ctranslate2 is not installed (a dependency of trnews)")
ENGINES = ["transformers", pytest.param("ctranslate2", marks=needs_ctranslate2)]

SENTENCES = [
    "Ankara'da kar yağışı etkili oldu.",
    "Belediye ekipleri sabaha kadar yollarda çalıştı ve ana caddeleri açtı.",
    "Okullar yarın tatil mi?",
    "Ankara'da kar yağışı etkili oldu.",
]


def _config(tiny_models, engine: str) -> TranslationConfig:
    return TranslationConfig(model=str(tiny_models.mt_tr_en), engine=engine, beam_size=2,
                             max_new_tokens=12, device="cpu")


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    """One cache folder for the module, so the tiny model is converted once."""
    return tmp_path_factory.mktemp("engine-cache")


@pytest.mark.parametrize("engine", ENGINES)
def test_one_translation_per_sentence_in_order(engine, tiny_models, shared_cache):
    translator = make_engine(_config(tiny_models, engine), MT, shared_cache)
    first = translator.translate(SENTENCES)
    assert len(first) == len(SENTENCES)
    assert all(isinstance(t.text, str) and t.text for t in first)
    assert first[0] == first[3]
    assert len(set(first[:3])) == 3
    assert translator.translate(SENTENCES) == first
    # Order is kept through length-sorted batching: one at a time gives the same translations (and
    # scores, but for the last digits: padding changes the order of float sums).
    assert same_translations([translator.translate([s])[0] for s in SENTENCES], first)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_hypothesis_carries_its_mean_log_probability_and_alternatives_come_best_first(engine, tiny_models,
                                                                                          shared_cache):
    translator = make_engine(_config(tiny_models, engine), MT, shared_cache)
    best = translator.translate(SENTENCES[:3])
    assert all(h.score is not None and h.score < 0 for h in best)
    alternatives = translator.alternatives(SENTENCES[:3], 3)
    assert [len(a) for a in alternatives] == [3, 3, 3]
    for hypotheses, chosen in zip(alternatives, best):
        assert len({h.text for h in hypotheses}) == 3 and all(h.score is not None for h in hypotheses)
    # The first of 3 beams is the configured search's choice only when that search had as many.
    wide = make_engine(_config(tiny_models, engine).model_copy(update={"beam_size": 3}), MT, shared_cache)
    assert [a[0] for a in alternatives] == wide.translate(SENTENCES[:3])


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_to_translate_loads_nothing(engine, tiny_models, tmp_path):
    assert make_engine(_config(tiny_models, engine), MT, tmp_path).translate([]) == []
    assert not CacheLayout(tmp_path).converted.exists()


def test_ctranslate2_engine_without_the_package_says_how_to_install_it(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import fails as if not installed
    with pytest.raises(ModelUnavailable, match=r"pip install ctranslate2"):
        make_engine(_config(tiny_models, "ctranslate2"), MT, tmp_path).translate(SENTENCES)


@needs_ctranslate2
def test_converted_model_is_reused_by_a_new_process(tiny_models, tmp_path, monkeypatch):
    import ctranslate2.converters

    from trnews.translation import ctranslate2_engine

    config = _config(tiny_models, "ctranslate2")
    first = make_engine(config, MT, tmp_path).translate(SENTENCES)
    [converted] = CacheLayout(tmp_path).converted.glob("*/*")  # one model, no staging folders left behind
    before = (converted / "model.bin").stat()

    # A fresh process: nothing loaded yet, and converting again would fail.
    monkeypatch.setattr(ctranslate2_engine, "_translators", {})
    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", None)
    assert make_engine(config, MT, tmp_path).translate(SENTENCES) == first
    after = (converted / "model.bin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@needs_ctranslate2
def test_sentence_cache_in_front_of_ctranslate2(tiny_models, shared_cache):
    config = _config(tiny_models, "ctranslate2")
    translators = [cached_translator(config, shared_cache) for _ in range(2)]
    try:
        first, second = (t.translate(SENTENCES) for t in translators)
    finally:
        for t in translators:
            t.cache.close()
    assert first == second
    assert translators[0].counts.translated == 3
    assert (translators[1].counts.translated, translators[1].counts.reused) == (0, len(SENTENCES))


@needs_ctranslate2
def test_flow_run_with_ctranslate2(prefect_harness, tiny_settings, examples):
    from trnews.pipeline.flow import bilingual_digest

    settings = tiny_settings.replace(engine="ctranslate2")
    report = bilingual_digest(inputs=[str(examples)], settings=settings)
    ok = [a for a in report.articles if a.status == "ok"]
    assert ok and report.counts["failed"] == 0
    assert report.translation.translated > 0
    for status in ok:
        output = ArticleOutput.model_validate_json(article_path(settings.output_dir, status.id, ".json").read_text("utf-8"))
        assert output.models.mt.engine == "ctranslate2"
        pairs = [p for paragraph in output.paragraphs for p in paragraph.sentences]
        assert pairs and all(p.tr.strip() and p.en.strip() for p in pairs)
        assert output.title.en
    assert len(list(CacheLayout(settings.cache_dir).converted.glob("*/*"))) == 1
    assert json.loads(next(settings.output_dir.glob("run-*.json")).read_text("utf-8"))["counts"] == report.counts


@needs_ctranslate2
def test_ctranslate2_threads_sharing_a_model_take_turns_with_capped_outputs(tiny_models, shared_cache, monkeypatch,
                                                                           in_threads):
    from trnews.translation import ctranslate2_engine
    from trnews.translation.ctranslate2_engine import ConvertedModel

    config = _config(tiny_models, "ctranslate2").model_copy(
        update={"batch_tokens": 64, "max_new_tokens": 256, "min_new_tokens": 256})
    engine = make_engine(config, MT, shared_cache)
    engine.translate(SENTENCES[:1])  # converted and loaded
    [(key, loaded)] = [(k, v) for k, v in ctranslate2_engine._translators.items()
                       if k[0] == config.spec.id and k[4] == CacheLayout(shared_cache).converted.resolve()]
    record = {"calls": 0, "active": 0, "most_active": 0, "capped": True}
    guard = threading.Lock()

    class Recording:
        def translate_batch(self, source, **options):
            with guard:
                record["calls"] += 1
                record["active"] += 1
                record["most_active"] = max(record["most_active"], record["active"])
                record["capped"] &= options["max_decoding_length"] == output_limit(max(map(len, source)), 256)
            time.sleep(0.02)  # widen the window in which an unserialised caller would overlap
            try:
                return loaded.translator.translate_batch(source, **options)
            finally:
                with guard:
                    record["active"] -= 1

    monkeypatch.setitem(ctranslate2_engine._translators, key, ConvertedModel(Recording(), loaded.lock))
    results = in_threads(lambda: engine.translate(SENTENCES))
    assert record["calls"] > 3 and record["most_active"] == 1
    assert record["capped"]  # 256 asked for, but never more than 2 x source + 16
    assert results[0] == results[1] == results[2]


@needs_ctranslate2
def test_a_rebuilt_local_model_is_converted_again(tmp_path, monkeypatch):
    from trnews.tiny_models import build_tiny_marian

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = build_tiny_marian(tmp_path / "model", seed=5)
    config = TranslationConfig(model=str(folder), engine="ctranslate2", beam_size=2, max_new_tokens=8,
                               device="cpu")
    before = make_engine(config, MT, tmp_path / "cache").translate(SENTENCES)
    build_tiny_marian(folder, seed=6)
    after = make_engine(config, MT, tmp_path / "cache").translate(SENTENCES)
    assert len(list(CacheLayout(tmp_path / "cache").converted.glob("*/*"))) == 2
    assert after != before
