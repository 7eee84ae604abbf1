"""Random-weight ``M2M100ForConditionalGeneration`` models, the class of NLLB-200 and M2M100, with
their real tokenizers: a BPE sentencepiece model trained on the built-in Turkish and English
corpus, laid out as fairseq lays out the published vocabularies (``<s>`` 0, ``<pad>`` 1, ``</s>``
2, ``<unk>`` 3, then the pieces), and the language codes each family adds after them.

- NLLB (``NllbTokenizer``, a tokenizers-backed BPE saved as ``tokenizer.json``, with the
  ``sentencepiece.bpe.model`` beside it as on the hub): inputs are ``tur_Latn ... </s>``, the
  translation starts with the forced ``eng_Latn``.
- M2M100 (``M2M100Tokenizer``: ``vocab.json`` + ``sentencepiece.bpe.model``): ``__tr__ ... </s>``,
  forced ``__en__``. The hub's tokenizer configs list the language tokens as special tokens;
  transformers 5 no longer writes them on save, so they are written here as the hub has them
  (without them CTranslate2's converter misses 100 tokens and decoding keeps ``__en__``).

These models have no ``final_logits_bias``, so special tokens are kept out of random generation
another way (see ``weights.suppress_through_hidden``); as with the Marian models, generation then
runs to the length limit and the text is never empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trnews.tiny_models.architectures import architecture
from trnews.tiny_models.corpus import DEFAULT_ENGLISH_TEXTS, DEFAULT_TURKISH_TEXTS
from trnews.tiny_models.folders import fresh_dir
from trnews.tiny_models.marian import train_sentencepiece
from trnews.tiny_models.weights import seeded, suppress_through_hidden

FAIRSEQ_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
SPM_FILE = "sentencepiece.bpe.model"


def _fairseq_vocabulary(proto: bytes, size: int | None) -> tuple[dict[str, int], dict[str, float], list[str]]:
    """The pieces of the sentencepiece model after fairseq's four specials (sentencepiece's own
    <unk> <s> </s> are those), their scores, and the placeholders that pad it to `size` entries."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(proto)
    vocab = {token: i for i, token in enumerate(FAIRSEQ_SPECIALS)}
    scores = {}
    for i in range(sp.GetPieceSize()):
        if not (sp.IsControl(i) or sp.IsUnknown(i)):
            vocab[sp.IdToPiece(i)] = len(vocab)
            scores[sp.IdToPiece(i)] = sp.GetScore(i)
    placeholders = [f"<placeholder_{n}>" for n in range(max(0, (size or 0) - len(vocab)))]
    vocab.update((token, len(vocab)) for token in placeholders)
    return vocab, scores, placeholders


def _nllb_tokenizer(out_dir: Path, proto: bytes, base_size: int | None) -> Any:
    from transformers import NllbTokenizer
    from transformers.tokenization_utils_base import generate_merges

    vocab, scores, placeholders = _fairseq_vocabulary(proto, base_size)
    merges = generate_merges(vocab, scores, skip_tokens={*FAIRSEQ_SPECIALS, *placeholders})
    tokenizer = NllbTokenizer(vocab=vocab, merges=merges, src_lang="tur_Latn", tgt_lang="eng_Latn",
                              model_max_length=1024)
    tokenizer.save_pretrained(str(out_dir))
    (out_dir / SPM_FILE).write_bytes(proto)
    return tokenizer


def _m2m100_tokenizer(out_dir: Path, proto: bytes) -> Any:
    from transformers import AutoTokenizer, M2M100Tokenizer

    vocab, _, _ = _fairseq_vocabulary(proto, None)
    (out_dir / SPM_FILE).write_bytes(proto)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    tokenizer = M2M100Tokenizer(vocab_file=str(out_dir / "vocab.json"), spm_file=str(out_dir / SPM_FILE),
                                src_lang="tr", tgt_lang="en", model_max_length=1024)
    tokenizer.save_pretrained(str(out_dir))
    config_file = out_dir / "tokenizer_config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config.pop("extra_special_tokens", None)
    config["additional_special_tokens"] = list(tokenizer.lang_token_to_id)
    config_file.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    return AutoTokenizer.from_pretrained(str(out_dir))


def _write_model(out_dir: Path, name: str, vocab_size: int, tokenizer: Any, placeholders: int, seed: int,
                 suppress_eos: bool, **extra: Any) -> Path:
    from transformers import GenerationConfig, M2M100Config, M2M100ForConditionalGeneration

    published = architecture(name)
    ids = {"bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2}
    config = M2M100Config(**{**published.config, **extra, **ids, "vocab_size": vocab_size})
    with seeded(seed):
        model = M2M100ForConditionalGeneration(config)
    model.eval()
    if suppress_eos:
        suppressed = [*_special_ids(tokenizer, placeholders), *range(len(tokenizer), vocab_size)]
        suppress_through_hidden(model, model.model.decoder.layer_norm, suppressed)
    model.generation_config = GenerationConfig(**ids, **published.generation)
    model.save_pretrained(str(out_dir))
    return out_dir


def _special_ids(tokenizer: Any, placeholders: int = 0) -> list[int]:
    """The ids of the tokenizer random generation must not choose: the specials, the language codes
    (which decoding drops) and the placeholders padding a replica's vocabulary. (Ids past the
    tokenizer, M2M100's "madeup" words, are left out too: see `_write_model`.)"""
    special = {tokenizer.convert_tokens_to_ids(t) for t in tokenizer.all_special_tokens}
    first_placeholder = tokenizer.convert_tokens_to_ids("<placeholder_0>") if placeholders else 0
    return sorted(special | set(range(first_placeholder, first_placeholder + placeholders)))


def _corpus_proto(vocab_size: int, seed: int) -> bytes:
    return train_sentencepiece([*DEFAULT_TURKISH_TEXTS, *DEFAULT_ENGLISH_TEXTS], vocab_size, seed, model_type="bpe")


def build_tiny_nllb(out_dir: Path, *, seed: int = 0, vocab_size: int = 400, suppress_eos: bool = True) -> Path:
    """A tiny random-weight NLLB-200 model (``data/m2m100_tiny.json``) with an ``NllbTokenizer``
    whose inputs are marked ``tur_Latn``; ``out_dir`` is handled as in ``build_tiny_marian``."""
    out_dir = fresh_dir(out_dir)
    tokenizer = _nllb_tokenizer(out_dir, _corpus_proto(vocab_size, seed), None)
    return _write_model(out_dir, "m2m100_tiny", len(tokenizer), tokenizer, 0, seed, suppress_eos,
                        tokenizer_class="NllbTokenizer")


def build_tiny_m2m100(out_dir: Path, *, seed: int = 0, vocab_size: int = 400, suppress_eos: bool = True) -> Path:
    """A tiny random-weight M2M100 model (``data/m2m100_tiny.json``) with an ``M2M100Tokenizer``
    whose inputs are marked ``__tr__``; its vocabulary has M2M100's 8 "madeup" words at the end."""
    out_dir = fresh_dir(out_dir)
    tokenizer = _m2m100_tokenizer(out_dir, _corpus_proto(vocab_size, seed))
    size = tokenizer.encoder_size + len(tokenizer.lang_token_to_id) + tokenizer.num_madeup_words
    return _write_model(out_dir, "m2m100_tiny", size, tokenizer, 0, seed, suppress_eos)


def build_nllb_600m_replica(out_dir: Path, *, seed: int = 0, suppress_eos: bool = True) -> Path:
    """A random-weight model with the exact architecture of ``facebook/nllb-200-distilled-600M``
    (``data/nllb_200_distilled_600m.json``: 12+12 layers, d_model 1024, 16 heads, FFN 4096,
    vocabulary 256,206; 615.1 M parameters, ~2.5 GB of float32 safetensors). Its tokenizer is
    trained on the built-in corpus and padded with placeholders, so that the tokenizer's 256,204
    entries (the 202 language codes and ``<mask>`` last) fill the vocabulary as the real one's do."""
    published = architecture("nllb_200_distilled_600m")
    out_dir = fresh_dir(out_dir)
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    base_size = int(published.config["vocab_size"]) - 2 - len(FAIRSEQ_LANGUAGE_CODES) - 1
    proto = _corpus_proto(400, seed)
    tokenizer = _nllb_tokenizer(out_dir, proto, base_size)
    placeholders = base_size - len(_fairseq_vocabulary(proto, None)[0])
    return _write_model(out_dir, "nllb_200_distilled_600m", int(published.config["vocab_size"]), tokenizer,
                        placeholders, seed, suppress_eos)
