"""trnews.tiny_models: tiny real-architecture models (and the opus-mt-tr-en replica) built offline."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import torch
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BartForConditionalGeneration,
    MarianMTModel,
    MarianTokenizer,
)

from trnews import tiny_models as testing
from trnews.tiny_models import (
    DEFAULT_ENGLISH_TEXTS,
    DEFAULT_TURKISH_TEXTS,
    OPUS_MT_TR_EN_CONFIG,
    OPUS_MT_TR_EN_NUM_PARAMETERS,
    TestModels,
    build_opus_mt_tr_en_replica,
    build_test_models,
    build_tiny_bart,
    build_tiny_marian,
)

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

TURKISH_LETTERS = "çğıöşüÇĞİÖŞÜ"
# Only words of the built-in corpus, with every Turkish letter: must round-trip exactly.
IN_CORPUS_TURKISH = "Öğrenciler İzmir'de çay üreticileri ile görüştü, Iğdır'da ılık Şubat (2023), Ülke ve Ğ harfi!"
IN_CORPUS_ENGLISH = "The Central Bank kept its policy rate steady at 45 percent in Istanbul."


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> TestModels:
    return build_test_models(tmp_path_factory.mktemp("trnews-test-models"))


def _load(path: Path):
    return AutoTokenizer.from_pretrained(path), AutoModelForSeq2SeqLM.from_pretrained(path)


@pytest.fixture(scope="module")
def tr_en(models: TestModels):
    return _load(models.mt_tr_en)


@pytest.fixture(scope="module")
def en_tr(models: TestModels):
    return _load(models.mt_en_tr)


@pytest.fixture(scope="module")
def summariser(models: TestModels):
    return _load(models.summariser)


def test_corpus_is_parallel_and_covers_turkish_letters() -> None:
    assert len(DEFAULT_TURKISH_TEXTS) == len(DEFAULT_ENGLISH_TEXTS) >= 60
    for texts, sentence in ((DEFAULT_TURKISH_TEXTS, IN_CORPUS_TURKISH), (DEFAULT_ENGLISH_TEXTS, IN_CORPUS_ENGLISH)):
        corpus = " ".join(texts)
        assert set("0123456789%,.'\"()!?") <= set(corpus)
        words = set(re.findall(r"[\w']+", corpus))
        assert set(re.findall(r"[\w']+", sentence)) <= words
        assert set(sentence) <= set(corpus)
    assert set(TURKISH_LETTERS) <= set("".join(DEFAULT_TURKISH_TEXTS))


@pytest.mark.parametrize("name", ["mt_tr_en", "mt_en_tr"])
def test_marian_folder_loads_like_opus_mt(models: TestModels, name: str) -> None:
    path = getattr(models, name)
    for file in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "config.json",
                 "generation_config.json", "model.safetensors"):
        assert (path / file).is_file(), file
    tokenizer, model = _load(path)
    assert isinstance(tokenizer, MarianTokenizer)
    assert isinstance(model, MarianMTModel)
    vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
    assert model.config.vocab_size == len(tokenizer) == len(vocab)
    # opus-mt layout: </s> = 0, <unk> = 1, <pad> last (CTranslate2 drops the last id if it is <pad>).
    assert vocab["</s>"] == 0 == model.config.eos_token_id
    assert vocab["<unk>"] == 1
    assert vocab["<pad>"] == len(vocab) - 1 == model.config.pad_token_id == model.config.decoder_start_token_id
    assert model.config.d_model <= 64 and model.config.encoder_layers == model.config.decoder_layers == 2
    assert model.config.max_position_embeddings == 512
    assert model.config.share_encoder_decoder_embeddings and model.config.scale_embedding
    assert model.generation_config.num_beams == 1 and model.generation_config.max_length == 64


def test_summariser_loads(summariser) -> None:
    tokenizer, model = summariser
    assert isinstance(model, BartForConditionalGeneration)
    assert model.config.vocab_size == len(tokenizer)
    assert (tokenizer.bos_token_id, tokenizer.pad_token_id, tokenizer.eos_token_id) == (0, 1, 2)
    text = "Çanakkale naïve résumé 😀 and the budget bill."  # byte-level BPE: anything round-trips
    assert tokenizer.decode(tokenizer(text)["input_ids"], skip_special_tokens=True) == text


def test_turkish_round_trip(tr_en) -> None:
    tokenizer, _ = tr_en
    ids = tokenizer(IN_CORPUS_TURKISH)["input_ids"]
    assert tokenizer.unk_token_id not in ids
    assert ids[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(ids, skip_special_tokens=True) == IN_CORPUS_TURKISH


def test_english_round_trip_on_the_en_tr_model(en_tr) -> None:
    tokenizer, _ = en_tr
    ids = tokenizer(IN_CORPUS_ENGLISH)["input_ids"]
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == IN_CORPUS_ENGLISH


def test_unseen_characters_become_unk(tr_en) -> None:
    tokenizer, _ = tr_en
    text = "Ankara'da Ω bugün"
    ids = tokenizer(text)["input_ids"]
    assert ids.count(tokenizer.unk_token_id) == 1
    assert tokenizer.decode(ids, skip_special_tokens=True).split() == ["Ankara'da", "bugün"]


def test_text_target_and_loss(tr_en) -> None:
    tokenizer, model = tr_en
    batch = tokenizer(list(DEFAULT_TURKISH_TEXTS[:3]), text_target=list(DEFAULT_ENGLISH_TEXTS[:3]),
                      padding=True, return_tensors="pt")
    assert "labels" in batch
    with torch.no_grad():
        loss = model(**batch).loss
    assert torch.isfinite(loss)


@pytest.mark.parametrize("fixture", ["tr_en", "en_tr", "summariser"])
@pytest.mark.parametrize("num_beams", [1, 3])
def test_generate_is_non_empty_and_deterministic(request: pytest.FixtureRequest, fixture: str, num_beams: int) -> None:
    tokenizer, model = request.getfixturevalue(fixture)
    texts = list(DEFAULT_ENGLISH_TEXTS[:4] if fixture != "tr_en" else DEFAULT_TURKISH_TEXTS[:4])
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    runs = [model.generate(**inputs, max_new_tokens=8, num_beams=num_beams) for _ in range(2)]
    assert torch.equal(runs[0], runs[1])
    decoded = tokenizer.batch_decode(runs[0], skip_special_tokens=True)
    assert len(decoded) == len(texts)
    assert all(text.strip() for text in decoded), decoded
    assert all(text.isprintable() for text in decoded), decoded
    # EOS is never chosen: every sequence runs to the limit (start token + 7 pieces + forced EOS).
    assert runs[0].shape[1] == 1 + 8
    assert (runs[0][:, -1] == model.config.eos_token_id).all()


def test_generate_defaults_come_from_generation_config(tr_en) -> None:
    tokenizer, model = tr_en
    out = model.generate(**tokenizer(["Deprem"], return_tensors="pt"))
    assert out.shape[1] == 64


def test_different_inputs_can_give_different_outputs(tr_en) -> None:
    tokenizer, model = tr_en
    inputs = tokenizer(list(DEFAULT_TURKISH_TEXTS[:8]), padding=True, return_tensors="pt")
    decoded = tokenizer.batch_decode(model.generate(**inputs, max_new_tokens=6), skip_special_tokens=True)
    assert len(set(decoded)) > 1


def test_builders_are_deterministic_and_keep_the_callers_rng(tmp_path: Path) -> None:
    torch.manual_seed(1234)
    expected = torch.rand(3)
    torch.manual_seed(1234)
    a = build_tiny_marian(tmp_path / "a", seed=7)
    b = build_tiny_marian(tmp_path / "b", seed=7)
    c = build_tiny_marian(tmp_path / "c", seed=8)
    assert torch.equal(torch.rand(3), expected)
    for file in ("model.safetensors", "vocab.json", "source.spm", "target.spm"):
        assert (a / file).read_bytes() == (b / file).read_bytes(), file
    assert (a / "model.safetensors").read_bytes() != (c / "model.safetensors").read_bytes()
    x = build_tiny_bart(tmp_path / "x", seed=3)
    y = build_tiny_bart(tmp_path / "y", seed=3)
    for file in ("model.safetensors", "tokenizer.json"):
        assert (x / file).read_bytes() == (y / file).read_bytes(), file


def test_custom_texts_and_config_overrides(tmp_path: Path) -> None:
    path = build_tiny_marian(
        tmp_path / "m",
        source_texts=["kedi masada uyuyor", "köpek bahçede koşuyor"] * 5,
        target_texts=["the cat sleeps on the table", "the dog runs in the garden"] * 5,
        vocab_size=40,
        config_overrides={"d_model": 32, "encoder_attention_heads": 2, "decoder_attention_heads": 2},
    )
    tokenizer, model = _load(path)
    assert model.config.d_model == 32
    assert model.config.vocab_size == len(tokenizer) <= 2 * 40 + 1
    assert tokenizer.decode(tokenizer("kedi bahçede")["input_ids"], skip_special_tokens=True) == "kedi bahçede"


def test_builders_refuse_to_replace_an_unrelated_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        build_tiny_marian(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    path = build_tiny_bart(tmp_path / "bart")
    assert build_tiny_bart(path) == path  # a previous build is replaced


def test_build_test_models_is_idempotent_and_rebuilds_half_built_folders(tmp_path: Path) -> None:
    first = build_test_models(tmp_path)
    stamp = (first.mt_tr_en / "model.safetensors").stat().st_mtime_ns
    assert build_test_models(tmp_path) == first
    assert (first.mt_tr_en / "model.safetensors").stat().st_mtime_ns == stamp

    (first.summariser / ".trnews-testing-complete").unlink()  # as if interrupted before the marker
    (first.summariser / "model.safetensors").write_bytes(b"truncated")
    again = build_test_models(tmp_path)
    assert (again.summariser / ".trnews-testing-complete").is_file()
    _load(again.summariser)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mt_en_tr", "mt_tr_en", "summariser"]


def test_command_line(models: TestModels, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = models.mt_tr_en.parent
    assert testing.main([str(out_dir)]) == 0  # already built: reused
    # One trnews option per model, ready to paste into a command line.
    assert capsys.readouterr().out.splitlines() == [
        f"--mt-model {shlex.quote(str(models.mt_tr_en))}",
        f"--summariser-model {shlex.quote(str(models.summariser))}",
        f"--back-translation-model {shlex.quote(str(models.mt_en_tr))}",
    ]


def test_ctranslate2_conversion(models: TestModels, tr_en, tmp_path: Path) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    tokenizer, _ = tr_en
    out = tmp_path / "ct2"
    ctranslate2.converters.TransformersConverter(str(models.mt_tr_en)).convert(str(out), quantization="int8")
    shared_vocab = json.loads((out / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert shared_vocab == [t for t, _ in sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])][:-1]

    translator = ctranslate2.Translator(str(out), device="cpu")
    sources = [tokenizer.convert_ids_to_tokens(tokenizer(t)["input_ids"]) for t in DEFAULT_TURKISH_TEXTS[:3]]
    results = [translator.translate_batch(sources, beam_size=2, max_decoding_length=6) for _ in range(2)]
    hypotheses = [[r.hypotheses[0] for r in result] for result in results]
    assert hypotheses[0] == hypotheses[1]
    for tokens in hypotheses[0]:
        assert len(tokens) == 6  # EOS suppressed by final_logits_bias, which CTranslate2 converts too
        assert set(tokens) <= set(shared_vocab)
        assert tokenizer.convert_tokens_to_string(tokens).strip()


def test_opus_mt_tr_en_replica(tmp_path: Path) -> None:
    # Building writes ~306 MB and takes a few seconds; the folder is removed afterwards.
    path = build_opus_mt_tr_en_replica(tmp_path / "replica")
    try:
        tokenizer, model = _load(path)
        for key, value in OPUS_MT_TR_EN_CONFIG.items():
            assert getattr(model.config, key) == value, key
        assert model.num_parameters() == OPUS_MT_TR_EN_NUM_PARAMETERS
        assert abs(model.num_parameters() / 1e6 - 76.6) < 0.1
        assert model.num_parameters() - 2 * 512 * 512 == 76_081_664  # without the frozen sinusoid tables
        assert model.config.vocab_size == len(tokenizer) == 62389
        assert tokenizer.convert_tokens_to_ids("<pad>") == 62388
        assert model.generation_config.num_beams == 6 and model.generation_config.max_length == 512

        ids = tokenizer(IN_CORPUS_TURKISH)["input_ids"]
        assert tokenizer.decode(ids, skip_special_tokens=True) == IN_CORPUS_TURKISH
        assert max(ids) < 1000  # the spm encoder never produces placeholder ids ...
        assert tokenizer.decode([5, 30000, 62387]).strip()  # ... and they decode without crashing

        inputs = tokenizer(["Ankara'da bugün yağmurlu bir gün bekleniyor."], return_tensors="pt")
        out = model.generate(**inputs, max_new_tokens=4, num_beams=1)
        text = tokenizer.batch_decode(out, skip_special_tokens=True)[0]
        assert text.strip() and "placeholder" not in text
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("name, model_class, ids", [
    ("opus_mt_tr_en", "MarianMTModel", {}),
    ("opus_mt_tc_big_tr_en", "MarianMTModel", {"pad_token_id": 57059, "decoder_start_token_id": 57059}),
    ("nllb_200_distilled_600m", "M2M100ForConditionalGeneration", {}),
])
def test_published_architectures_give_their_published_sizes(name, model_class, ids) -> None:
    # On the meta device: the layout without allocating (or initialising) a single weight.
    import torch
    import transformers

    from trnews.tiny_models.architectures import architecture

    published = architecture(name)
    model_type = getattr(transformers, model_class)
    with torch.device("meta"):
        model = model_type(model_type.config_class(**{**published.config, **ids}))
    assert model.num_parameters() == published.num_parameters
