"""Reruns cost nothing, changes cost only what changed, and nothing stale or damaged is ever served."""

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from trnews.pipeline import fingerprint
from trnews.stages.clean.site_templates import TemplateStats
from trnews.cli.cache_admin import cache_summary, clear_cache, prune_cache
from trnews.config import Settings
from trnews.pipeline.flow import bilingual_digest
from trnews.pipeline.locks import LOCK_NAME
from trnews.stores import CacheLayout
from trnews.translation.engines import translation_namespace
from trnews.output.paths import article_path

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def corpus(tmp_path: Path, examples: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(examples, folder)
    return folder


def run(corpus: Path, settings: Settings, **kwargs):
    return bilingual_digest(inputs=[str(corpus)], settings=settings, **kwargs)


def english(settings: Settings, article_id: str) -> list[str]:
    data = json.loads(article_path(settings.output_dir, article_id, ".json").read_text(encoding="utf-8"))
    return [s["en"] for p in data["paragraphs"] for s in p["sentences"]]


def mtimes(folder: Path) -> dict[str, int]:
    """The output files' modification times: run reports and the run lock (which the lock library
    may touch or recreate on every acquire) are a run's bookkeeping, not its outputs."""
    return {
        p.name: p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(("run-", LOCK_NAME))
    }


def refuse_to_judge_templates(monkeypatch) -> None:
    def refuse(self, article):
        raise AssertionError(f"site template judged again for {article.id}")

    monkeypatch.setattr(TemplateStats, "template_for", refuse)


def test_unchanged_rerun_runs_no_stage_loads_no_model_and_rewrites_nothing(corpus, tiny_settings, monkeypatch):
    cold = run(corpus, tiny_settings)
    assert cold.translation.translated > 0 and cold.unchanged == 0
    before = mtimes(tiny_settings.output_dir)
    refuse_to_judge_templates(monkeypatch)  # the site statistics did not move: the verdicts hold
    warm = run(corpus, tiny_settings)
    assert warm.unchanged == 7 and warm.stages == {} and warm.models_loaded == []
    assert warm.translation.translated == warm.translation.reused == 0
    assert warm.counts == cold.counts
    assert mtimes(tiny_settings.output_dir) == before


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
    assert report.translation.translated == 1 and report.unchanged == 6
    assert report.stages["clean"] == 1
    after = english(tiny_settings, "konya-bugday-hasadi")
    assert len(after) == len(before) and sum(a != b for a, b in zip(after, before)) == 1


def test_a_sentence_seen_in_another_article_is_not_translated_again(corpus, tiny_settings, monkeypatch):
    run(corpus, tiny_settings)
    copy = corpus / "kopya.txt"
    copy.write_text((corpus / "istanbul-metro-hatti.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = run(corpus, tiny_settings)
    # The folder's site statistics moved: the other articles were judged again, found the same,
    # and not processed; the next run needs no judging at all.
    assert report.translation.translated == 0 and report.stages["clean"] == 1
    assert report.counts["ok"] == 8 and report.unchanged == 7
    refuse_to_judge_templates(monkeypatch)
    assert run(corpus, tiny_settings).unchanged == 8


def test_changed_settings_recompute_and_reuse_only_what_still_holds(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    shorter = run(corpus, tiny_settings.replace(summary_sentences=1))
    assert shorter.unchanged == 0 and shorter.translation.translated == 0
    data = json.loads(article_path(tiny_settings.output_dir, "izmir-deprem-tatbikati", ".json").read_text(encoding="utf-8"))
    assert len(data["summary"]) == 1
    wider = run(corpus, tiny_settings.replace(beam_size=3))
    assert wider.translation.translated == cold.translation.translated


def test_changed_code_recomputes_every_article_but_no_translation(corpus, tiny_settings, monkeypatch):
    run(corpus, tiny_settings)
    monkeypatch.setattr(fingerprint, "code_version", lambda: "edited")
    report = run(corpus, tiny_settings)
    assert report.unchanged == 0 and report.stages["clean"] == 7
    assert report.translation.translated == 0


def test_refresh_recomputes_everything(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    report = run(corpus, tiny_settings, refresh=True)
    assert report.unchanged == 0
    assert report.translation.translated == cold.translation.translated


def test_damaged_caches_are_rebuilt_not_fatal_and_never_served(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    cache = tiny_settings.cache_dir
    layout = CacheLayout(cache)
    with sqlite3.connect(layout.manifest) as db:  # a tampered row no longer matches its checksum
        db.execute("UPDATE articles SET row = replace(row, '\"ok\"', '\"failed\"')")
    tampered = run(corpus, tiny_settings)
    assert tampered.unchanged == 0 and tampered.counts == cold.counts
    for store in (layout.manifest, layout.sentences):  # a damaged file header: "file is not a database"
        with store.open("r+b") as handle:
            handle.write(b"garbage" * 20)
        for suffix in ("-wal", "-shm"):
            store.with_name(store.name + suffix).unlink(missing_ok=True)
    damaged = run(corpus, tiny_settings)
    assert damaged.counts == cold.counts and damaged.counts["failed"] == 0
    assert damaged.translation.translated == cold.translation.translated
    assert list(cache.glob(layout.manifest.name + ".corrupt-*")) and list(cache.glob(layout.sentences.name + ".corrupt-*"))


def test_cache_info_prune_and_clear(corpus, tiny_settings):
    cold = run(corpus, tiny_settings)
    parts = {p.name: p for p in cache_summary(tiny_settings.cache_dir, max_age_days=30).parts}
    assert parts["sentence translations"].entries == cold.translation.translated
    assert parts["article manifest"].entries == 7 and parts["article manifest"].prunable == 0
    namespaces = cache_summary(tiny_settings.cache_dir, max_age_days=30).namespaces
    assert list(namespaces) == [translation_namespace(tiny_settings.translation)]
    assert prune_cache(tiny_settings.cache_dir, max_age_days=30)["article manifest"] == 0
    time.sleep(0.05)
    removed = prune_cache(tiny_settings.cache_dir, max_age_days=0.01 / 86400)
    assert removed["article manifest"] == 7 and removed["sentence translations"] == cold.translation.translated
    clear_cache(tiny_settings.cache_dir)
    assert all(p.entries == 0 for p in cache_summary(tiny_settings.cache_dir, 30).parts)
    assert run(corpus, tiny_settings).translation.translated == cold.translation.translated
