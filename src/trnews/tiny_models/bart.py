"""A tiny BART summariser: a byte-level BPE tokenizer trained on a corpus (the kind distilbart
uses) and a random-weight ``BartForConditionalGeneration``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trnews.tiny_models.architectures import architecture
from trnews.tiny_models.corpus import texts_for
from trnews.tiny_models.folders import fresh_dir
from trnews.tiny_models.weights import seeded, suppress

def _train_byte_level_bpe(
    texts: Sequence[str], vocab_size: int
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        # BART's special ids: <s>=0, <pad>=1, </s>=2, <unk>=3 (<mask> follows).
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    state = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ", 1)) if isinstance(m, str) else (m[0], m[1]) for m in state["merges"]]
    return dict(state["vocab"]), merges


def _printable(text: str) -> bool:
    return bool(text) and "\ufffd" not in text and text.isprintable()


def build_tiny_bart(
    out_dir: Path,
    *,
    texts: Sequence[str] | None = None,
    seed: int = 0,
    vocab_size: int = 512,
    config_overrides: Mapping[str, Any] | None = None,
    suppress_eos: bool = True,
) -> Path:
    """Build a tiny random-weight ``BartForConditionalGeneration`` summariser into ``out_dir``.

    The tokenizer is a byte-level BPE (the same kind as distilbart's) trained with the
    ``tokenizers`` library on ``texts`` (default: the built-in English corpus) and saved as
    transformers' ``RobertaTokenizer`` (which ``BartTokenizer`` aliases in transformers 5), so
    ``AutoTokenizer.from_pretrained(out_dir)`` loads it; any text encodes (byte fallback).
    ``vocab_size`` is an upper bound (256 byte symbols + 5 specials + learned merges).
    ``generation_config.json`` holds ``max_length=64``, ``num_beams=1``,
    ``no_repeat_ngram_size=3`` and ``forced_bos_token_id=0`` (as distilbart-cnn); EOS, the other
    specials and byte tokens that are not printable text alone (lone UTF-8 bytes, control
    characters) are suppressed as described in the module docstring unless ``suppress_eos=False``.
    ``out_dir`` is handled as in :func:`build_tiny_marian`.
    """
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        GenerationConfig,
        RobertaTokenizer,
    )

    train = texts_for("en", texts, "texts")
    out_dir = fresh_dir(out_dir)
    vocab, merges = _train_byte_level_bpe(train, vocab_size)
    tokenizer = RobertaTokenizer(vocab=vocab, merges=merges, model_max_length=1024)
    tokenizer.save_pretrained(str(out_dir))

    bos, pad, eos, unk = (vocab[t] for t in ("<s>", "<pad>", "</s>", "<unk>"))
    tiny = architecture("bart_tiny")
    config = BartConfig(
        **{
            **tiny.config,
            **(config_overrides or {}),
            "vocab_size": len(tokenizer),
            "bos_token_id": bos,
            "pad_token_id": pad,
            "eos_token_id": eos,
            "decoder_start_token_id": eos,
            "forced_eos_token_id": eos,
        }
    )
    with seeded(seed):
        model = BartForConditionalGeneration(config)
    model.eval()
    if suppress_eos:
        # Besides the specials, byte-level BPE has tokens that are not text on their own (lone UTF-8
        # continuation bytes, control characters): keep random generation to printable pieces.
        unprintable = [
            i
            for token, i in vocab.items()
            if not _printable(tokenizer.convert_tokens_to_string([token]))
        ]
        suppress(model, sorted({eos, pad, unk, vocab["<mask>"], *unprintable}))
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
        **tiny.generation,
    )
    model.save_pretrained(str(out_dir))
    return out_dir
