"""Reruns cost nothing, changes cost only what changed, and nothing stale is ever served."""

import json
import shutil
from pathlib import Path

import pytest

from trnews.cache import RESULTS, cache_summary, clear_cache
from trnews.config import Settings
from trnews.flow import bilingual_digest
from trnews.translate import translation_namespace

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def corpus(tmp_path: Path, examples: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(examples, folder)
    return folder


def run(corpus: Path, settings: Settings, **kwargs):
    return bilingual_digest(inputs=[str(corpus)], settings=settings, **kwargs)


def english(settings: Settings, article_id: str) -> list[str]:
    data = json.loads((settings.output_dir / f"{article_id}.json").read_text(encoding="utf-8"))
    return [s["en"] for p in data["paragraphs"] for s in p["sentences"]]


def test_unchanged_rerun_translates_nothing(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    assert cold.translation.translated > 0
    warm = run(corpus, tiny_settings)
    assert warm.translation.translated == 0
    assert warm.translation.reused == cold.translation.translated + cold.translation.reused
    assert all(s.misses == 0 for s in warm.stages.values()), warm.stages
    assert warm.counts == cold.counts


def test_editing_one_sentence_translates_exactly_that_sentence(corpus, tiny_settings):
    run(corpus, tiny_settings)
    before = english(tiny_settings, "konya-bugday-hasadi")
    path = corpus / "konya-bugday-hasadi.txt"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Toprak Mahsulleri Ofisi'nin alım fiyatlarını önümüzdeki hafta açıklaması bekleniyor.",
                          "Toprak Mahsulleri Ofisi'nin alım fiyatlarını yarın açıklaması bekleniyor.")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    report = run(corpus, tiny_settings)
    assert report.translation.translated == 1
    assert report.stages["clean"].misses == 1 and report.stages["clean"].hits == 6
    after = english(tiny_settings, "konya-bugday-hasadi")
    assert len(after) == len(before) and sum(a != b for a, b in zip(after, before)) == 1


def test_a_sentence_seen_in_another_article_is_not_translated_again(corpus, tiny_settings):
    run(corpus, tiny_settings)
    copy = corpus / "kopya.txt"
    copy.write_text((corpus / "istanbul-metro-hatti.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = run(corpus, tiny_settings)
    assert report.translation.translated == 0
    assert report.counts["ok"] == 8


def test_changing_beam_size_retranslates(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    report = run(corpus, tiny_settings.model_copy(update={"beam_size": 3}))
    assert report.translation.translated == cold.translation.translated
    assert report.stages["translate"].misses == 1


def test_changing_summary_length_resummarises_without_translating(corpus, tiny_settings):
    run(corpus, tiny_settings)
    report = run(corpus, tiny_settings.model_copy(update={"summary_sentences": 1}))
    assert report.translation.translated == 0
    assert report.stages["summarise"].misses == report.counts["ok"]
    data = json.loads((tiny_settings.output_dir / "izmir-deprem-tatbikati.json").read_text(encoding="utf-8"))
    assert len(data["summary"]) == 1


def test_refresh_recomputes_everything(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    report = run(corpus, tiny_settings, refresh=True)
    assert report.translation.translated == cold.translation.translated
    assert all(s.hits == 0 for s in report.stages.values())


def test_corrupted_stage_result_is_recomputed_not_served(corpus, tiny_settings):
    run(corpus, tiny_settings)
    results = tiny_settings.cache_dir / RESULTS
    for path in results.iterdir():
        path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    report = run(corpus, tiny_settings)
    assert report.counts["failed"] == 0
    assert all(s.hits == 0 for s in report.stages.values())
    assert report.translation.translated == 0  # the sentence cache still holds every translation
    assert english(tiny_settings, "izmir-deprem-tatbikati")


def test_cache_info_and_clear(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    summary = cache_summary(tiny_settings.cache_dir)
    parts = {p.name: p for p in summary.parts}
    assert parts["stage results"].entries > 0
    assert parts["sentence translations"].entries == cold.translation.translated
    assert list(summary.namespaces) == [translation_namespace(tiny_settings.translation())]
    clear_cache(tiny_settings.cache_dir)
    assert all(p.entries == 0 for p in cache_summary(tiny_settings.cache_dir).parts)
    assert run(corpus, tiny_settings).translation.translated == cold.translation.translated


def test_changed_cleaning_code_recleans_but_reuses_what_did_not_change(corpus, tiny_settings, monkeypatch):
    from trnews import flow

    run(corpus, tiny_settings)
    real_hash = flow._module_source_hash
    monkeypatch.setattr(flow, "_module_source_hash",
                        lambda module: real_hash(module) + ("-edited" if module == "trnews.clean" else ""))
    report = run(corpus, tiny_settings)
    assert report.stages["clean"].misses == report.counts["ok"]
    # The edit did not change what the cleaner produces here, so nothing downstream is recomputed.
    assert report.stages["segment"].misses == 0 and report.translation.translated == 0
