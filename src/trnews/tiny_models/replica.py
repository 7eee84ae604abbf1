"""Random-weight ``MarianMTModel``s with the exact architecture and generation defaults of
``Helsinki-NLP/opus-mt-tr-en`` and ``Helsinki-NLP/opus-mt-tc-big-tr-en`` (``data/*.json``):
timings and memory are honest proxies for the real models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trnews.tiny_models.architectures import architecture
from trnews.tiny_models.corpus import DEFAULT_ENGLISH_TEXTS, DEFAULT_TURKISH_TEXTS, texts_for
from trnews.tiny_models.marian import write_marian

_OPUS_MT_TR_EN = architecture("opus_mt_tr_en")
OPUS_MT_TR_EN_CONFIG: Mapping[str, Any] = _OPUS_MT_TR_EN.config
"""The config of Helsinki-NLP/opus-mt-tr-en (``data/opus_mt_tr_en.json``, with its source)."""
OPUS_MT_TR_EN_GENERATION_CONFIG: Mapping[str, Any] = _OPUS_MT_TR_EN.generation
OPUS_MT_TR_EN_NUM_PARAMETERS: int = _OPUS_MT_TR_EN.num_parameters or 0
"""``MarianMTModel(MarianConfig(**OPUS_MT_TR_EN_CONFIG)).num_parameters()`` (derived in the data file)."""


def build_opus_mt_tr_en_replica(
    out_dir: Path,
    *,
    texts: tuple[Sequence[str], Sequence[str]] | Sequence[str] | None = None,
    seed: int = 0,
    suppress_eos: bool = True,
) -> Path:
    """Build a random-weight ``MarianMTModel`` with the exact architecture of ``Helsinki-NLP/opus-mt-tr-en``.

    Same config (:data:`OPUS_MT_TR_EN_CONFIG`: d_model 512, 6+6 layers, 8 heads, FFN 2048, swish,
    sinusoidal positions, scale_embedding, shared/tied embeddings, vocabulary 62,389) and the same
    generation defaults (:data:`OPUS_MT_TR_EN_GENERATION_CONFIG`: 6 beams, max_length 512), so
    timings and memory are honest proxies for the real model: 76.6 M parameters, ~306 MB of
    float32 safetensors. Pass ``max_new_tokens`` when benchmarking: with ``suppress_eos`` (default)
    every sentence runs to the length limit, which makes timings reproducible.

    The tokenizer is trained on the built-in corpus (or ``texts``: one sequence used for both sides,
    or a ``(turkish, english)`` pair) and ``vocab.json`` is padded with ``<placeholder_N>`` tokens
    up to 62,389 entries so that ``config.vocab_size == len(tokenizer)``. The sentencepiece encoder
    never produces placeholder ids; they decode to their literal text, and with ``suppress_eos``
    they are also biased out of generation.

    Building takes a few seconds (weight initialisation + writing ~306 MB). ``out_dir`` is handled
    as in :func:`build_tiny_marian`.
    """
    return _marian_replica(out_dir, "opus_mt_tr_en", texts, seed, suppress_eos)


def build_tc_big_tr_en_replica(out_dir: Path, *, seed: int = 0, suppress_eos: bool = True) -> Path:
    """Build a random-weight ``MarianMTModel`` with the exact architecture of
    ``Helsinki-NLP/opus-mt-tc-big-tr-en`` (``data/opus_mt_tc_big_tr_en.json``: transformer-big,
    d_model 1024, 6+6 layers, 16 heads, FFN 4096, relu, vocabulary 57,060; 236.9 M parameters,
    ~950 MB of float32 safetensors), as :func:`build_opus_mt_tr_en_replica` does for opus-mt-tr-en."""
    return _marian_replica(out_dir, "opus_mt_tc_big_tr_en", None, seed, suppress_eos)


def _marian_replica(out_dir: Path, name: str, texts: tuple[Sequence[str], Sequence[str]] | Sequence[str] | None,
                    seed: int, suppress_eos: bool) -> Path:
    if texts is None:
        src, tgt = list(DEFAULT_TURKISH_TEXTS), list(DEFAULT_ENGLISH_TEXTS)
    elif isinstance(texts, tuple) and len(texts) == 2 and not isinstance(texts[0], str):
        src, tgt = list(texts[0]), list(texts[1])
    else:
        src = tgt = list(texts)  # type: ignore[arg-type]
    published = architecture(name)
    return write_marian(
        out_dir,
        source_texts=texts_for("tr", src, "texts"),
        target_texts=texts_for("en", tgt, "texts"),
        source_lang="tr",
        target_lang="en",
        spm_vocab_size=256,
        config_kwargs=published.config,
        generation_kwargs=published.generation,  # ids, where given, are those derived from the vocabulary
        total_vocab_size=int(published.config["vocab_size"]),
        seed=seed,
        suppress_eos=suppress_eos,
    )
