"""A random-weight ``MarianMTModel`` with the exact architecture and generation defaults of
``Helsinki-NLP/opus-mt-tr-en``: timings and memory are honest proxies for the real model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trnews.tiny_models.corpus import DEFAULT_ENGLISH_TEXTS, DEFAULT_TURKISH_TEXTS, texts_for
from trnews.tiny_models.marian import write_marian

# Source of the architecture: the model's config.json as mirrored (unchanged apart from
# "transformers_version") in
# huggingface.co/Xenova/opus-mt-tr-en/blob/3f68332f151679592228baed2a331e5918e9fd84/config.json with
# "_name_or_path": "Helsinki-NLP/opus-mt-tr-en"; the same values appear in fine-tunes of it
# (e.g. PontifexMaximus/opus-mt-tr-en-finetuned-az-to-en). Keys that transformers 5 does not read
# (normalize_before, normalize_embedding, static_position_embeddings=true, add_bias_logits=false,
# add_final_layer_norm=false: all hard-wired in MarianMTModel) and generation keys (which belong in
# generation_config.json) are left out here.
#
# Parameter count (model.num_parameters()), derived by hand and asserted in tests/test_testing.py:
#   shared embedding (tied to both embed_tokens and lm_head) 62389 * 512   = 31,943,168
#   6 encoder layers * (4*(512*512+512) + 2*512*2048+2048+512 + 2*2*512)  = 18,914,304
#   6 decoder layers * (8*(512*512+512) + 2*512*2048+2048+512 + 3*2*512)  = 25,224,192
#   2 sinusoidal position tables 2 * 512 * 512 (frozen nn.Embedding weights) =  524,288
#   total                                                                  = 76,605,952  (76.6 M)
# i.e. 76.1 M without the frozen position tables. (final_logits_bias, 62389 values, is a buffer.)

OPUS_MT_TR_EN_CONFIG: Mapping[str, Any] = {
    "vocab_size": 62389,
    "decoder_vocab_size": 62389,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "activation_dropout": 0.0,
    "attention_dropout": 0.0,
    "dropout": 0.1,
    "encoder_layerdrop": 0.0,
    "decoder_layerdrop": 0.0,
    "init_std": 0.02,
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
    "use_cache": True,
    "is_encoder_decoder": True,
    "bos_token_id": 0,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "pad_token_id": 62388,
    "decoder_start_token_id": 62388,
}

OPUS_MT_TR_EN_GENERATION_CONFIG: Mapping[str, Any] = {
    # Helsinki-NLP/opus-mt-tr-en generation_config.json: the generation keys of its config.json plus
    # renormalize_logits=True (upstream commit "set `renormalize_logits=True` for better performance").
    "bad_words_ids": [[62388]],
    "bos_token_id": 0,
    "decoder_start_token_id": 62388,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "max_length": 512,
    "num_beams": 6,
    "pad_token_id": 62388,
    "renormalize_logits": True,
}

OPUS_MT_TR_EN_NUM_PARAMETERS = 76_605_952
"""``MarianMTModel(MarianConfig(**OPUS_MT_TR_EN_CONFIG)).num_parameters()`` (see the derivation above)."""


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
    if texts is None:
        src, tgt = list(DEFAULT_TURKISH_TEXTS), list(DEFAULT_ENGLISH_TEXTS)
    elif isinstance(texts, tuple) and len(texts) == 2 and not isinstance(texts[0], str):
        src, tgt = list(texts[0]), list(texts[1])
    else:
        src = tgt = list(texts)  # type: ignore[arg-type]
    return write_marian(
        out_dir,
        source_texts=texts_for("tr", src, "texts"),
        target_texts=texts_for("en", tgt, "texts"),
        source_lang="tr",
        target_lang="en",
        spm_vocab_size=256,
        config_kwargs=OPUS_MT_TR_EN_CONFIG,
        generation_kwargs=OPUS_MT_TR_EN_GENERATION_CONFIG,  # same ids as derived from the vocabulary
        total_vocab_size=int(OPUS_MT_TR_EN_CONFIG["vocab_size"]),
        seed=seed,
        suppress_eos=suppress_eos,
    )
