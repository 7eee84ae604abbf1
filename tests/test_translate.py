import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from hypotheses import same_translations

from trnews.config import ModelSpec, TranslationConfig
from trnews.translation.hub import BACK_TRANSLATION, ModelUnavailable, load_seq2seq, model_identity
from trnews.resources import usable_cpus
from trnews.translation.sentence_cache import SCHEMA_VERSION, SentenceCache, _digest
from trnews.tiny_models import build_tiny_marian
from trnews.translation.tokens import (
    TOKENS_BEYOND_BYTES,
    fits,
    generation_batches,
    output_limit,
    token_batches,
    token_counter,
)
from trnews.translation.base import Hypothesis, in_order
from trnews.translation.cached import CachedTranslator, InProcess, cached_translator
from trnews.translation.engines import TRANSLATION_CODE_VERSION, translation_namespace
from trnews.translation.transformers_engine import TransformersTranslator

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

    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        return in_order(len(sentences), self.translate_batches(sentences))

    def translate_batches(self, sentences: Sequence[str]):
        if sentences:
            self.calls.append(list(sentences))
        return self.inner.translate_batches(sentences)


@pytest.fixture(scope="module")
def config(tiny_models) -> TranslationConfig:
    return TranslationConfig(model=str(tiny_models.mt_tr_en), engine="transformers", beam_size=2, max_new_tokens=8,
                             device="cpu")


def test_token_batches_sort_by_length_and_respect_the_budget():
    lengths = [5, 40, 12, 40, 3, 25]
    batches = list(token_batches(lengths, budget=80))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 80 or len(batch) == 1
    flattened = [lengths[i] for b in batches for i in b]
    assert flattened == sorted(lengths, reverse=True)


def test_no_tokenizer_makes_more_tokens_than_bytes_plus_the_allowance(tiny_models):
    """What lets the segmenter skip the tokenizer for short texts, checked on both tiny models'
    real tokenizers (SentencePiece and byte-level BPE) with text they never saw."""
    from transformers import AutoTokenizer

    texts = ["Ankara'da kar yağışı.", "  çok   boşluk  ", "Ω≈ç√∫ 漢字 🙂🙂 ǅ", "a b c d e f g", "İĞÜŞÖÇ ığüşöç" * 5, "\u0000x"]
    for folder in (tiny_models.mt_tr_en, tiny_models.summariser):
        count = token_counter(AutoTokenizer.from_pretrained(folder))
        for text in texts:
            assert count(text) <= len(text.encode("utf-8")) + TOKENS_BEYOND_BYTES, (folder.name, text)


def test_a_short_text_fits_without_asking_the_tokenizer():
    def refuse(text: str) -> int:
        raise AssertionError(f"tokenizer asked about {text!r}")

    assert fits("Kısa bir cümle.", 64, refuse)
    assert not fits("kelime " * 30, 64, lambda text: len(text.split()) * 3)


def test_a_sentence_longer_than_the_budget_gets_its_own_batch():
    assert list(token_batches([500, 2, 2], budget=100)) == [[0], [1, 2]]


def test_transformers_translator_keeps_order_and_is_deterministic(config):
    translator = TransformersTranslator(config)
    first = translator.translate(SENTENCES)
    assert len(first) == len(SENTENCES)
    assert all(isinstance(t.text, str) and t.text for t in first)
    assert first[0] == first[3]
    assert translator.translate(SENTENCES) == first
    # Batching does not change results: one at a time gives the same translations.
    one_by_one = TransformersTranslator(config.model_copy(update={"batch_tokens": 64}))
    assert same_translations([one_by_one.translate([s])[0] for s in SENTENCES], first)
    assert translator.translate([]) == []


def test_model_is_loaded_once_per_process(config):
    assert load_seq2seq(config.spec, "cpu") is load_seq2seq(config.spec, "cpu")


def test_cached_translator_translates_each_sentence_once(config, tmp_path: Path):
    inner = CountingTranslator(TransformersTranslator(config))
    cache = SentenceCache(tmp_path / "s.sqlite")
    translator = CachedTranslator(InProcess(inner), cache, translation_namespace(config))
    first = translator.translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]  # the duplicate is translated once
    assert (translator.counts.translated, translator.counts.reused) == (3, 0)  # the duplicate is no cache hit

    second = translator.translate(SENTENCES[1:] + ["Yeni bir cümle geldi."])
    assert inner.calls[-1] == ["Yeni bir cümle geldi."]
    assert second[:3] == first[1:]

    # A new process (new cache object) reuses the file.
    reopened = CachedTranslator(InProcess(CountingTranslator(TransformersTranslator(config))), SentenceCache(tmp_path / "s.sqlite"),
                                translation_namespace(config))
    assert reopened.translate(SENTENCES) == first
    assert reopened.runner.engine.calls == []


def test_namespace_separates_generation_settings(config, tmp_path: Path):
    cache = SentenceCache(tmp_path / "s.sqlite")
    CachedTranslator(InProcess(TransformersTranslator(config)), cache, translation_namespace(config)).translate(SENTENCES)
    wider = config.model_copy(update={"beam_size": 3})
    assert translation_namespace(wider) != translation_namespace(config)
    inner = CountingTranslator(TransformersTranslator(wider))
    CachedTranslator(InProcess(inner), cache, translation_namespace(wider)).translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]
    assert translation_namespace(config.model_copy(update={"batch_tokens": 4096, "device": "cuda"})) == translation_namespace(config)


def test_corrupted_cache_entry_is_recomputed_not_served(config, tmp_path: Path):
    path = tmp_path / "s.sqlite"
    good = CachedTranslator(InProcess(TransformersTranslator(config)), SentenceCache(path), translation_namespace(config)).translate(SENTENCES)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE translations SET target = 'CORRUPTED' WHERE source = ?", (SENTENCES[1],))
    cache = SentenceCache(path)
    inner = CountingTranslator(TransformersTranslator(config))
    assert CachedTranslator(InProcess(inner), cache, translation_namespace(config)).translate(SENTENCES) == good
    assert inner.calls == [[SENTENCES[1]]]
    assert cache.corrupted == 1


def test_refresh_ignores_cached_entries(config, tmp_path: Path):
    cache = SentenceCache(tmp_path / "s.sqlite")
    CachedTranslator(InProcess(TransformersTranslator(config)), cache, translation_namespace(config)).translate(SENTENCES)
    inner = CountingTranslator(TransformersTranslator(config))
    CachedTranslator(InProcess(inner), cache, translation_namespace(config), refresh=True).translate(SENTENCES)
    assert inner.calls == [SENTENCES[:3]]


def test_missing_model_gives_an_actionable_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    translator = TransformersTranslator(TranslationConfig(model="Helsinki-NLP/opus-mt-tr-en"))
    with pytest.raises(ModelUnavailable) as error:
        translator.translate(["Merhaba."])
    message = str(error.value)
    assert "Helsinki-NLP/opus-mt-tr-en" in message
    assert "--mt-model /path/to/model" in message and "TRNEWS_MT_MODEL" in message
    assert "Looked in:" in message


def test_the_offline_setting_reaches_the_model_loader_without_the_environment(monkeypatch):
    """A deployment's `offline: true` (no HF_HUB_OFFLINE in the worker's environment) never
    contacts the hub, for the model's identity as for its weights."""
    from trnews.config import Settings
    from trnews.translation import hub

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRNEWS_OFFLINE", raising=False)

    def contacted() -> None:
        raise AssertionError("the hub was contacted")

    monkeypatch.setattr(hub, "_hub_unreachable", contacted)
    settings = Settings(offline=True, mt_model="Helsinki-NLP/opus-mt-tr-en")
    assert settings.translation.spec.offline and settings.back_translation().spec.offline and settings.summary.spec.offline
    with pytest.raises(ModelUnavailable, match="offline mode is on"):
        model_identity(settings.translation.spec)
    with pytest.raises(ModelUnavailable, match="offline mode is on"):
        TransformersTranslator(settings.translation).translate(["Merhaba."])


def test_local_folder_that_is_not_a_model(tmp_path: Path):
    with pytest.raises(ModelUnavailable, match="local folder"):
        TransformersTranslator(TranslationConfig(model=str(tmp_path))).translate(["Merhaba."])


def test_unreachable_hub_fails_fast_with_the_reason(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # the discard port: refused at once
    translator = TransformersTranslator(TranslationConfig(model="Helsinki-NLP/opus-mt-tr-en"))
    with pytest.raises(ModelUnavailable, match="cannot connect to 127.0.0.1") as error:
        translator.translate(["Merhaba."])
    assert "TRNEWS_MT_MODEL=/path/to/model" in str(error.value)


# --- what the sentence cache is keyed on --------------------------------------------------------


@pytest.fixture
def hash_store(tmp_path: Path, monkeypatch) -> Path:
    """Model file hashes kept in this test's folder, not in the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "trnews" / "file-hashes.json"


def test_a_local_model_rebuilt_in_place_gets_a_new_identity_and_namespace(tmp_path: Path, hash_store: Path):
    folder = build_tiny_marian(tmp_path / "model", seed=5)
    config = TranslationConfig(model=str(folder), beam_size=2, max_new_tokens=8, device="cpu")
    identity, namespace = model_identity(config.spec), translation_namespace(config)
    assert identity.startswith("local-") and identity in namespace
    assert model_identity(config.spec) == identity  # stable while the files are unchanged
    assert hash_store.is_file()

    build_tiny_marian(folder, seed=6)  # same folder, same file names, new weights and vocabulary
    assert model_identity(config.spec) != identity
    assert translation_namespace(config) != namespace


def test_model_identity_reuses_content_hashes_of_unchanged_files(tiny_models, hash_store: Path, monkeypatch):
    from trnews.translation import hub

    spec = ModelSpec(id=str(tiny_models.mt_tr_en))
    monkeypatch.setattr(hub, "_remembered_hashes", {})  # as in a new process
    identity = model_identity(spec)
    monkeypatch.setattr(hub.hashlib, "file_digest", None)  # hashing a file again would fail
    assert model_identity(spec) == identity
    monkeypatch.setattr(hub, "_remembered_hashes", {})  # the next process: only the store on disk remembers
    assert model_identity(spec) == identity


def _fake_hub_cache(root: Path, repo: str, commit: str, ref: str = "main") -> None:
    """The layout huggingface_hub keeps: refs/<branch> names a commit, snapshots/<commit>/ holds files."""
    folder = root / f"models--{repo.replace('/', '--')}"
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    (folder / "refs" / ref).write_text(commit)
    (folder / "snapshots" / commit).mkdir(parents=True, exist_ok=True)
    (folder / "snapshots" / commit / "config.json").write_text("{}")
    (folder / "snapshots" / commit / "tokenizer_config.json").write_text('{"tokenizer_class": "MarianTokenizer"}')


def test_hub_model_identity_is_the_cached_snapshot_commit(tmp_path: Path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    old, new = "a" * 40, "b" * 40
    _fake_hub_cache(tmp_path, "Helsinki-NLP/opus-mt-tr-en", old)
    unpinned = ModelSpec(id="Helsinki-NLP/opus-mt-tr-en")
    assert model_identity(unpinned) == old
    namespace = translation_namespace(TranslationConfig(model=unpinned.id, device="cpu"))
    assert old in namespace

    _fake_hub_cache(tmp_path, "Helsinki-NLP/opus-mt-tr-en", new)  # the default branch moved on
    assert model_identity(unpinned) == new
    assert translation_namespace(TranslationConfig(model=unpinned.id, device="cpu")) != namespace
    assert model_identity(ModelSpec(id="Helsinki-NLP/opus-mt-tr-en", revision=old)) == old  # pinned to a commit
    with pytest.raises(ModelUnavailable, match="Helsinki-NLP/opus-mt-tc-big-en-tr") as error:
        model_identity(ModelSpec(id="Helsinki-NLP/opus-mt-tc-big-en-tr"))  # not cached, and offline
    assert "--mt-model /path/to/model" in str(error.value)


def test_namespace_covers_engine_compute_type_and_code_version(config):
    namespace = translation_namespace(config)
    assert "compute=float32" in namespace and f"code={TRANSLATION_CODE_VERSION}" in namespace
    ct2 = translation_namespace(config.model_copy(update={"engine": "ctranslate2"}))
    assert "compute=int8" in ct2 and ct2 != namespace
    # Batch size changes neither memory-bounded batching's results nor the namespace.
    assert translation_namespace(config.model_copy(update={"batch_tokens": 4096})) == namespace


def test_rebuilt_local_model_is_translated_afresh_not_served_from_the_cache(tmp_path: Path, hash_store: Path):
    folder = build_tiny_marian(tmp_path / "model", seed=5)
    config = TranslationConfig(model=str(folder), beam_size=2, max_new_tokens=8, device="cpu")
    first = cached_translator(config, tmp_path / "cache")
    before = first.translate(SENTENCES)
    first.cache.close()

    build_tiny_marian(folder, seed=6)
    second = cached_translator(config, tmp_path / "cache")
    after = second.translate(SENTENCES)
    second.cache.close()
    assert (second.counts.translated, second.counts.reused) == (3, 0)
    assert after != before  # the new weights' translations, not the old ones


def test_refresh_reaches_the_back_translation_cache(tiny_models, tmp_path: Path):
    config = TranslationConfig(model=str(tiny_models.mt_en_tr), beam_size=1, max_new_tokens=8,
                               device="cpu")
    english = ["The snow closed the roads.", "Schools are closed tomorrow."]
    for refresh, expected in ((False, 2), (False, 0), (True, 2)):
        translator = cached_translator(config, tmp_path, refresh=refresh, role=BACK_TRANSLATION)
        translator.translate(english)
        translator.cache.close()
        assert translator.counts.translated == expected


# --- work survives a kill ---------------------------------------------------------------------

KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from trnews.config import ModelSpec, TranslationConfig
from trnews.translation.cached import cached_translator

config = TranslationConfig(model=sys.argv[1], engine="transformers", beam_size=1, max_new_tokens=8, device="cpu",
                           batch_tokens=64)
translator = cached_translator(config, Path(sys.argv[2]),
                               on_translated=lambda n: os.kill(os.getpid(), signal.SIGKILL))
translator.translate(sys.argv[3:])
"""


def test_batches_finished_before_a_kill_are_not_translated_again(tiny_models, tmp_path: Path):
    # Sentences of different lengths, so that the small budget makes several batches.
    sentences = [
        "Kar yağışı nedeniyle bazı köy yolları ulaşıma kapandı ve ekipler sabaha kadar çalıştı.",
        "Belediye ekipleri yollarda tuzlama çalışması yaptı.",
        "Okullar yarın tatil.",
        "Vatandaşlar uyarıldı.",
        "Hava sıcaklığı sıfırın altında.",
    ]
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(tiny_models.mt_tr_en), str(tmp_path), *sentences],
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    config = TranslationConfig(model=str(tiny_models.mt_tr_en), engine="transformers", beam_size=1,
                               max_new_tokens=8, device="cpu", batch_tokens=64)
    done: list[int] = []
    rerun = cached_translator(config, tmp_path, on_translated=done.append)
    translations = rerun.translate(sentences)
    rerun.cache.close()
    assert 0 < rerun.counts.reused < len(sentences)  # the first batch survived the kill ...
    assert rerun.counts.translated == len(sentences) - rerun.counts.reused  # ... and only the rest was redone
    assert sum(done) == rerun.counts.translated and len(done) >= 1
    assert translations == TransformersTranslator(config).translate(sentences)


# --- the sentence cache file is verified --------------------------------------------------------


def test_a_cache_file_with_a_damaged_header_is_moved_aside_and_rebuilt(config, tmp_path: Path, caplog):
    path = tmp_path / "sentences.sqlite"
    first = SentenceCache(path)
    good = CachedTranslator(InProcess(TransformersTranslator(config)), first, "ns").translate(SENTENCES)
    first.close()
    with path.open("r+b") as damaged:
        damaged.write(b"this is no SQLite header" * 4)

    with caplog.at_level(logging.WARNING, logger="trnews.translation.sentence_cache"):
        cache = SentenceCache(path)
    [aside] = cache.moved_aside
    assert aside.name.startswith("sentences.sqlite.corrupt-") and aside.is_file()
    assert "damaged" in caplog.text and str(aside) in caplog.text
    inner = CountingTranslator(TransformersTranslator(config))
    assert CachedTranslator(InProcess(inner), cache, "ns").translate(SENTENCES) == good
    assert inner.calls == [SENTENCES[:3]]  # recomputed from an empty cache, nothing failed
    assert SentenceCache(path).get_many("ns", SENTENCES) == dict(zip(SENTENCES, good))


def test_a_cache_file_with_a_damaged_page_is_rebuilt_when_a_read_finds_it(tmp_path: Path, caplog):
    path = tmp_path / "sentences.sqlite"
    cache = SentenceCache(path)
    cache.put_many("ns", [("Bir.", Hypothesis("One.", -0.2))])
    cache.close()
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as damaged:  # the table's page, past the intact schema on page 1
        damaged.seek(page_size)
        damaged.write(b"\xff" * page_size)
    reopened = SentenceCache(path)  # opens: the schema is fine
    with caplog.at_level(logging.WARNING, logger="trnews.translation.sentence_cache"):
        assert reopened.get_many("ns", ["Bir."]) == {}  # "database disk image is malformed": rebuilt
    reopened.put_many("ns", [("İki.", Hypothesis("Two.", -0.3))])
    assert reopened.get_many("ns", ["Bir.", "İki."]) == {"İki.": Hypothesis("Two.", -0.3)}
    assert len(reopened.moved_aside) == 1 and "damaged" in caplog.text
    reopened.close()


OLD_SCHEMA = """
CREATE TABLE translations (
    namespace TEXT NOT NULL, source_hash TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    checksum TEXT NOT NULL, created REAL NOT NULL, hits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, source_hash)
);
"""


def test_an_old_cache_is_upgraded_and_its_scoreless_rows_are_translated_again(config, tmp_path: Path):
    path = tmp_path / "sentences.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, 0)",
                   ("ns", _digest(SENTENCES[0]), SENTENCES[0], "Old.", _digest("ns", SENTENCES[0], "Old."), 1000.0))
    cache = SentenceCache(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT last_used, score FROM translations").fetchall() == [(1000.0, None)]
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert cache.get_many("ns", [SENTENCES[0]]) == {}  # never served without its score
    inner = CountingTranslator(TransformersTranslator(config))
    [hypothesis] = CachedTranslator(InProcess(inner), cache, "ns").translate([SENTENCES[0]])
    assert inner.calls == [[SENTENCES[0]]] and hypothesis.score is not None
    assert cache.get_many("ns", [SENTENCES[0]]) == {SENTENCES[0]: hypothesis}  # re-scored, row replaced
    cache.close()


def test_prune_removes_what_no_run_used_for_a_while(tmp_path: Path):
    path = tmp_path / "sentences.sqlite"
    cache = SentenceCache(path)
    cache.put_many("ns", [(tr, Hypothesis(en, -0.1)) for tr, en in (("Bir.", "One."), ("İki.", "Two."), ("Üç.", "Three."))])
    with sqlite3.connect(path) as db:  # as if written 10 days ago
        db.execute("UPDATE translations SET last_used = last_used - 864000")
    cache.get_many("ns", ["Üç."])  # used today
    rows, size = cache.prunable(older_than_seconds=7 * 86400)
    assert rows == 2 and size > len("ns" + "Bir.One.İki.Two.")
    assert cache.prunable(older_than_seconds=30 * 86400) == (0, 0)
    assert cache.prune(older_than_seconds=7 * 86400) == 2
    assert cache.get_many("ns", ["Bir.", "İki.", "Üç."]) == {"Üç.": Hypothesis("Three.", -0.1)}
    assert cache.prunable(older_than_seconds=0)[0] == 1
    cache.close()


# --- bounded memory, one batch at a time ----------------------------------------------------------


def test_output_limit_follows_the_source_length():
    assert output_limit(10, 256) == 2 * 10 + 16
    assert output_limit(200, 256) == 256  # never above the configured maximum
    assert output_limit(3, 8) == 8


def test_generation_batches_budget_counts_beams_and_output():
    lengths = [5, 40, 12, 40, 3, 25, 60, 7]
    batches = list(generation_batches(lengths, budget=1024, beams=4, max_new_tokens=256))
    assert sorted(i for batch, _ in batches for i in batch) == list(range(len(lengths)))
    for batch, limit in batches:
        longest = max(lengths[i] for i in batch)
        assert limit == output_limit(longest, 256)
        assert 4 * len(batch) * (longest + limit) <= 1024 or len(batch) == 1


@pytest.fixture
def recorded_generate(config, monkeypatch):
    """The tiny model's generate(), recording the output lengths asked for and the calls running at once."""
    loaded = load_seq2seq(config.spec, "cpu")
    original = loaded.model.generate
    record = {"max_new_tokens": [], "generated": [], "active": 0, "most_active": 0}
    guard = threading.Lock()

    def generate(**kwargs):
        with guard:
            record["active"] += 1
            record["most_active"] = max(record["most_active"], record["active"])
        time.sleep(0.02)  # widen the window in which an unserialised caller would overlap
        try:
            output = original(**kwargs)
        finally:
            with guard:
                record["active"] -= 1
        record["max_new_tokens"].append(kwargs["max_new_tokens"])
        record["generated"].append(output.shape[1] - 1)  # without the decoder start token
        return output

    monkeypatch.setattr(loaded.model, "generate", generate)
    return record


def test_output_length_is_capped_relative_to_the_source(config, recorded_generate):
    # The tiny model never emits the end token: without the cap every row would run 256 steps.
    long_run = config.model_copy(update={"max_new_tokens": 256, "min_new_tokens": 256})
    TransformersTranslator(long_run).translate(["Kar yağdı."])
    source_tokens = len(load_seq2seq(config.spec, "cpu").tokenizer("Kar yağdı.")["input_ids"])
    assert recorded_generate["max_new_tokens"] == [output_limit(source_tokens, 256)]
    assert recorded_generate["generated"] == [output_limit(source_tokens, 256)]


def test_threads_sharing_a_model_take_turns(config, recorded_generate, in_threads):
    small_batches = TransformersTranslator(config.model_copy(update={"batch_tokens": 64}))
    results = in_threads(lambda: small_batches.translate(SENTENCES))
    assert len(recorded_generate["max_new_tokens"]) > 3  # several batches from each thread ...
    assert recorded_generate["most_active"] == 1  # ... never two at once
    assert results[0] == results[1] == results[2]


def test_torch_threads_are_at_most_the_usable_cpus(config):
    """As many as others leave free (`resources.free_cpus`, tested in test_resources), never more
    than this process may use, never none."""
    import torch

    load_seq2seq(config.spec, "cpu")
    assert 1 <= torch.get_num_threads() <= usable_cpus()


def test_a_process_given_fewer_threads_computes_with_them(tmp_path: Path):
    """What a worker of a local cluster gets: its share of the machine's CPUs."""
    import torch

    folder = build_tiny_marian(tmp_path / "model", seed=7)
    try:
        TransformersTranslator(TranslationConfig(model=str(folder), max_new_tokens=4, device="cpu",
                                                 threads=1)).translate(["Bir cümle."])
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(usable_cpus())
