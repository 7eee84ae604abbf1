"""Tiny MarianMT models: sentencepiece tokenizers trained on a corpus, a joint vocabulary laid out
as in opus-mt, and a random-weight ``MarianMTModel`` saved with its ``MarianTokenizer``."""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trnews.tiny_models.architectures import architecture
from trnews.tiny_models.corpus import texts_for
from trnews.tiny_models.folders import fresh_dir
from trnews.tiny_models.weights import seeded, suppress

_MARIAN_EOS = "</s>"
_MARIAN_UNK = "<unk>"
_MARIAN_PAD = "<pad>"


def train_sentencepiece(texts: Sequence[str], vocab_size: int, seed: int, model_type: str = "unigram") -> bytes:
    """Train a sentencepiece model (opus-mt's unigram, or NLLB's and M2M100's bpe) on ``texts``;
    returns the serialized model proto."""
    import sentencepiece as spm

    spm.set_random_generator_seed(seed)
    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)),
        model_writer=writer,
        model_type=model_type,
        vocab_size=vocab_size,
        # A small corpus cannot always fill the requested vocabulary: take what it gives.
        hard_vocab_limit=False,
        # Keep every character seen in training (ı ğ ş ... must not become <unk>).
        character_coverage=1.0,
        # Same id layout as the opus-mt spm models.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return writer.getvalue()


def _spm_pieces(model_proto: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(model_proto)
    return [
        sp.IdToPiece(i)
        for i in range(sp.GetPieceSize())
        if not (sp.IsControl(i) or sp.IsUnknown(i) or sp.IsUnused(i))
    ]


def _marian_vocab(
    source_proto: bytes, target_proto: bytes, total_size: int | None
) -> tuple[dict[str, int], range]:
    """Joint vocabulary laid out as in opus-mt: ``</s>`` = 0, ``<unk>`` = 1, pieces, ``<pad>`` last.

    ``total_size`` pads the vocabulary with placeholder tokens (before ``<pad>``) up to that size;
    their ids are returned as a range. CTranslate2's Marian loader relies on ``<pad>`` being the
    last id (it drops it).
    """
    tokens = [_MARIAN_EOS, _MARIAN_UNK]
    seen = set(tokens) | {_MARIAN_PAD}
    for piece in _spm_pieces(source_proto) + _spm_pieces(target_proto):
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
    first_placeholder = len(tokens)
    if total_size is not None:
        missing = total_size - 1 - len(tokens)
        if missing < 0:
            raise ValueError(f"the tokenizer has {len(tokens) + 1} tokens, more than the requested {total_size}")
        n = 0
        while missing:
            name = f"<placeholder_{n}>"
            n += 1
            if name not in seen:
                tokens.append(name)
                missing -= 1
    tokens.append(_MARIAN_PAD)
    return {token: i for i, token in enumerate(tokens)}, range(first_placeholder, len(tokens) - 1)


def write_marian(
    out_dir: Path,
    *,
    source_texts: Sequence[str],
    target_texts: Sequence[str],
    source_lang: str | None,
    target_lang: str | None,
    spm_vocab_size: int,
    config_kwargs: Mapping[str, Any],
    generation_kwargs: Mapping[str, Any],
    total_vocab_size: int | None,
    seed: int,
    suppress_eos: bool,
) -> Path:
    from transformers import (
        GenerationConfig,
        MarianConfig,
        MarianMTModel,
        MarianTokenizer,
    )

    out_dir = fresh_dir(out_dir)
    source_proto = train_sentencepiece(source_texts, spm_vocab_size, seed)
    target_proto = train_sentencepiece(target_texts, spm_vocab_size, seed)
    vocab, placeholders = _marian_vocab(source_proto, target_proto, total_vocab_size)
    (out_dir / "source.spm").write_bytes(source_proto)
    (out_dir / "target.spm").write_bytes(target_proto)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")

    with warnings.catch_warnings():
        # MarianTokenizer asks for sacremoses (an optional punctuation normaliser) on every load.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            source_spm=str(out_dir / "source.spm"),
            target_spm=str(out_dir / "target.spm"),
            vocab=str(out_dir / "vocab.json"),
            source_lang=source_lang,
            target_lang=target_lang,
            model_max_length=512,
            separate_vocabs=False,
        )
    tokenizer.save_pretrained(str(out_dir))  # writes tokenizer_config.json (+ the files above again)

    vocab_size = len(vocab)
    pad_id = vocab[_MARIAN_PAD]
    eos_id = vocab[_MARIAN_EOS]
    special = {
        "vocab_size": vocab_size,
        "decoder_vocab_size": vocab_size,
        "pad_token_id": pad_id,
        "decoder_start_token_id": pad_id,
        "eos_token_id": eos_id,
        "forced_eos_token_id": eos_id,
        "bos_token_id": eos_id,
    }
    config = MarianConfig(**{**config_kwargs, **special})
    with seeded(seed):
        model = MarianMTModel(config)
    model.eval()
    if suppress_eos:
        suppress(model, [eos_id, vocab[_MARIAN_UNK], pad_id, *placeholders])
    model.generation_config = GenerationConfig(
        **{
            "decoder_start_token_id": pad_id,
            "pad_token_id": pad_id,
            "eos_token_id": eos_id,
            "forced_eos_token_id": eos_id,
            "bos_token_id": eos_id,
            "bad_words_ids": [[pad_id]],
            **generation_kwargs,
        }
    )
    model.save_pretrained(str(out_dir))
    return out_dir


def build_tiny_marian(
    out_dir: Path,
    *,
    source_texts: Sequence[str] | None = None,
    target_texts: Sequence[str] | None = None,
    vocab_size: int = 256,
    seed: int = 0,
    config_overrides: Mapping[str, Any] | None = None,
    source_lang: str = "tr",
    target_lang: str = "en",
    suppress_eos: bool = True,
) -> Path:
    """Build a tiny random-weight ``MarianMTModel`` with a real ``MarianTokenizer`` into ``out_dir``.

    The folder has the same files as an opus-mt checkpoint (``source.spm``, ``target.spm``,
    ``vocab.json``, ``tokenizer_config.json``, ``config.json``, ``generation_config.json``,
    ``model.safetensors``) and loads with ``AutoTokenizer`` / ``AutoModelForSeq2SeqLM`` and with
    CTranslate2's ``TransformersConverter``.

    Args:
        out_dir: destination folder, created if needed; a previous build there is replaced, any
            other non-empty folder is refused (``FileExistsError``).
        source_texts: text to train the source sentencepiece model on (default: the built-in
            corpus of ``source_lang``).
        target_texts: same for the target side (default: the built-in corpus of ``target_lang``).
            For an EN->TR model swap the texts and the languages.
        vocab_size: requested size of *each* sentencepiece model. Small corpora yield fewer pieces
            (``hard_vocab_limit=False``). The model's vocabulary is the union of both sides' pieces
            plus ``</s>``, ``<unk>`` and ``<pad>``, as in opus-mt (shared vocabulary, tied
            embeddings), so ``config.vocab_size == len(tokenizer)`` is at most ``2 * vocab_size + 1``.
        seed: seeds sentencepiece and the weight initialisation (the caller's RNG state is kept).
        config_overrides: ``MarianConfig`` fields to override on top of the tiny defaults
            (``data/marian_tiny.json``: d_model 64, 2+2 layers, 4 heads, FFN 128, 512 positions,
            swish, scale_embedding).
            Vocabulary and special token ids are always derived from the tokenizer.
        source_lang / target_lang: recorded in ``tokenizer_config.json``; select the default corpora.
        suppress_eos: bias EOS/<unk>/<pad> logits down so generation always runs to the length
            limit and the decoded text is never empty (see the module docstring).

    Returns:
        ``out_dir``.
    """
    src = texts_for(source_lang, source_texts, "source_texts")
    tgt = texts_for(target_lang, target_texts, "target_texts")
    tiny = architecture("marian_tiny")
    return write_marian(
        out_dir,
        source_texts=src,
        target_texts=tgt,
        source_lang=source_lang,
        target_lang=target_lang,
        spm_vocab_size=vocab_size,
        config_kwargs={**tiny.config, **(config_overrides or {})},
        generation_kwargs=tiny.generation,
        total_vocab_size=None,
        seed=seed,
        suppress_eos=suppress_eos,
    )
