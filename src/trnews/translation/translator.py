"""Translate: one small interface, composed.

`Translator.translate(sentences) -> translations` is all the pipeline needs. An engine
(`TransformersTranslator`, or the CTranslate2 one) translates a whole run's sentences in
length-sorted, memory-budgeted batches (`tokens.generation_batches`) and also hands them out
batch by batch as they finish (`translate_batches`); `CachedTranslator` wraps an engine with the
persistent sentence cache and commits each finished batch, so a killed run loses at most the
batch in progress. Engines load their model lazily, on the first sentence that is not cached, so
a fully cached run loads no model at all; one loaded model runs one batch at a time, whichever
thread asks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from trnews.cli.cache_admin import CONVERTED, SENTENCES
from trnews.config import TranslationConfig
from trnews.translation.hub import (
    MT,
    ModelRole,
    load_seq2seq,
    load_tokenizer,
    model_identity,
    resolve_device,
)
from trnews.records import (
    BilingualText,
    SegmentedArticle,
    SentencePair,
    TranslatedArticle,
    TranslatedParagraph,
)
from trnews.translation.sentence_cache import SentenceCache
from trnews.translation.tokens import (
    TokenCounter,
    decode,
    encode,
    generation_batches,
    in_order,
    token_counter,
)

# Part of every sentence-cache namespace: bump it with any change to this module, tokens.py or an
# engine that changes the text produced for a sentence (decoding, batching rules, output limits),
# so that no translation made by the old code is served again. (Not a hash of the source files:
# a comment or a refactoring must not cost users a retranslation of their whole archive.)
TRANSLATION_CODE_VERSION = 2

Batch = tuple[list[int], list[str]]  # indices into the sentences given, and their translations


class Translator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translations of `sentences`, in the same order."""
        ...


class Engine(Translator, Protocol):
    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        """The translations of `sentences`, one batch at a time as each is finished."""
        ...


class TransformersTranslator:
    """Hugging Face transformers seq2seq generation (MarianMT by default)."""

    def __init__(self, config: TranslationConfig, role: ModelRole = MT) -> None:
        self.config = config
        self.role = role

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return in_order(len(sentences), self.translate_batches(sentences))

    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        if not sentences:
            return
        import torch

        loaded = load_seq2seq(self.config.spec, self.config.device, self.role, self.config.threads)
        tokenizer, model = loaded.tokenizer, loaded.model
        encoded = encode(tokenizer, sentences)
        lengths = [len(ids) for ids in encoded]
        config = self.config
        batches = generation_batches(lengths, config.batch_tokens, config.beam_size, config.max_new_tokens)
        for batch, limit in batches:
            inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt").to(loaded.device)
            with loaded.lock, torch.inference_mode():
                generated = model.generate(
                    **inputs,
                    num_beams=config.beam_size,
                    max_new_tokens=limit,
                    min_new_tokens=min(config.min_new_tokens, limit) or None,
                    do_sample=False,
                )
            yield batch, decode(tokenizer, generated)


def make_engine(config: TranslationConfig, role: ModelRole, cache_dir: Path) -> Engine:
    if config.engine == "ctranslate2":
        from trnews.translation.ctranslate2_engine import CTranslate2Translator

        return CTranslate2Translator(config, role, cache_dir / CONVERTED)
    return TransformersTranslator(config, role)


def compute_type(config: TranslationConfig) -> str:
    """The arithmetic the engine translates with: int8 (CTranslate2 on CPU), int8_float16 (on CUDA),
    float32 (transformers, which loads weights as saved and never casts them)."""
    if config.engine == "ctranslate2":
        from trnews.translation.ctranslate2_engine import quantization_for

        return quantization_for(resolve_device(config.device))
    return "float32"


def translation_namespace(config: TranslationConfig, role: ModelRole = MT) -> str:
    """The sentence-cache namespace of `config`: everything that changes a translation. The
    settings, the model as loaded (`hub.model_identity`: hub commit or local folder content), the
    engine's compute type and `TRANSLATION_CODE_VERSION`. Loads no weights; raises
    `ModelUnavailable` when the model's identity cannot be had."""
    return (
        f"{config.cache_namespace()}|model={model_identity(config.spec, role)}"
        f"|compute={compute_type(config)}|code={TRANSLATION_CODE_VERSION}"
    )


@dataclass
class TranslationStats:
    translated: int = 0
    reused: int = 0
    seconds: float = 0.0


@dataclass
class CachedTranslator:
    """An engine behind the persistent sentence cache. Duplicate sentences within one call are
    translated once; each finished batch is committed to the cache at once (then reported to
    `on_translated` with its number of sentences), so a run killed halfway keeps what it did.
    `refresh=True` ignores (but rewrites) cached entries."""

    inner: Engine
    cache: SentenceCache
    namespace: str
    refresh: bool = False
    on_translated: Callable[[int], None] | None = None
    stats: TranslationStats = field(default_factory=TranslationStats)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(sentences))
        known = {} if self.refresh else self.cache.get_many(self.namespace, unique)
        missing = [s for s in unique if s not in known]
        started = time.perf_counter()
        for indices, translations in self.inner.translate_batches(missing):
            finished = [(missing[i], text) for i, text in zip(indices, translations)]
            self.cache.put_many(self.namespace, finished)
            known.update(finished)
            if self.on_translated:
                self.on_translated(len(finished))
        if missing:
            self.stats.seconds += time.perf_counter() - started
        self.stats.translated += len(missing)
        self.stats.reused += len(sentences) - len(missing)
        return [known[s] for s in sentences]


def cached_translator(config: TranslationConfig, cache_dir: Path, *, refresh: bool = False, role: ModelRole = MT,
                      on_translated: Callable[[int], None] | None = None) -> CachedTranslator:
    """The engine for `config` behind the sentence cache in `cache_dir`, in `translation_namespace`."""
    return CachedTranslator(
        inner=make_engine(config, role, cache_dir),
        cache=SentenceCache(cache_dir / SENTENCES),
        namespace=translation_namespace(config, role),
        refresh=refresh,
        on_translated=on_translated,
    )


def count_tokens_with(config: TranslationConfig) -> TokenCounter:
    """A token counter for the segmenter, using the model's own tokenizer (no weights loaded)."""
    return token_counter(load_tokenizer(config.spec))


def model_input_limit(config: TranslationConfig) -> int:
    """The longest input to give the model: the configured limit, unless the tokenizer allows less."""
    limit = getattr(load_tokenizer(config.spec), "model_max_length", None) or config.max_input_tokens
    return min(config.max_input_tokens, int(limit))


def translate_articles(articles: Sequence[SegmentedArticle], translator: Translator) -> list[TranslatedArticle]:
    """Every sentence of every article in one `translate` call, so batches span articles."""
    started = time.perf_counter()
    sentences = [s for article in articles for s in article.sentences()]
    translations = iter(translator.translate(sentences))
    per_sentence = (time.perf_counter() - started) / max(len(sentences), 1)
    results = []
    for article in articles:
        title = [SentencePair(tr=s, en=next(translations)) for s in article.title_sentences]
        paragraphs = [
            TranslatedParagraph(kind=p.kind, sentences=[SentencePair(tr=s, en=next(translations)) for s in p.sentences])
            for p in article.paragraphs
        ]
        # Batched across the run, so an article's share is its sentence count x the mean cost.
        share = round(per_sentence * len(article.sentences()), 4)
        timed = article.article.model_copy(update={"timings": {**article.article.timings, "translate": share}})
        results.append(
            TranslatedArticle(
                article=timed,
                title=BilingualText(tr=" ".join(p.tr for p in title), en=" ".join(p.en for p in title)),
                paragraphs=paragraphs,
            )
        )
    return results
