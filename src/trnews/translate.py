"""Translate: one small interface, composed.

`Translator.translate(sentences) -> translations` is all the pipeline needs. An engine
(`TransformersTranslator`, or the CTranslate2 one) translates a whole run's sentences in
length-sorted, token-budgeted batches; `CachedTranslator` wraps any translator with the
persistent sentence cache. Engines load their model lazily, on the first sentence that is not
cached, so a fully cached run loads no model at all.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from trnews.cache import CONVERTED, SENTENCES
from trnews.config import TranslationConfig
from trnews.hub import MT, ModelRole, load_seq2seq, load_tokenizer
from trnews.records import (
    BilingualText,
    SegmentedArticle,
    SentencePair,
    TranslatedArticle,
    TranslatedParagraph,
)
from trnews.sentence_cache import SentenceCache
from trnews.tokens import TokenCounter, decode, encode, token_batches, token_counter


class Translator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translations of `sentences`, in the same order."""
        ...


class TransformersTranslator:
    """Hugging Face transformers seq2seq generation (MarianMT by default)."""

    def __init__(self, config: TranslationConfig, role: ModelRole = MT) -> None:
        self.config = config
        self.role = role

    def translate(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        import torch

        loaded = load_seq2seq(self.config.model, self.config.device, self.role)
        tokenizer, model = loaded.tokenizer, loaded.model
        encoded = encode(tokenizer, sentences)
        results: list[str] = [""] * len(sentences)
        with torch.inference_mode():
            # Every beam is a row of vocabulary-size logits and KV cache: the budget counts them all.
            # (Measured on the opus-mt-tr-en architecture, 2 cores, beam 4: peak RSS 1.57 -> 1.02 GB at
            # the same speed; benchmarks/README.md.)
            budget = self.config.batch_tokens // self.config.beam_size
            for batch in token_batches([len(ids) for ids in encoded], budget):
                inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt").to(loaded.device)
                generated = model.generate(
                    **inputs,
                    num_beams=self.config.beam_size,
                    max_new_tokens=self.config.max_new_tokens,
                    min_new_tokens=self.config.min_new_tokens or None,
                    do_sample=False,
                )
                for index, text in zip(batch, decode(tokenizer, generated)):
                    results[index] = text
        return results


def make_engine(config: TranslationConfig, role: ModelRole, cache_dir: Path) -> Translator:
    if config.engine == "ctranslate2":
        from trnews.ctranslate2_engine import CTranslate2Translator

        return CTranslate2Translator(config, role, cache_dir / CONVERTED)
    return TransformersTranslator(config, role)


@dataclass
class TranslationStats:
    translated: int = 0
    reused: int = 0
    seconds: float = 0.0


@dataclass
class CachedTranslator:
    """Any translator, behind the persistent sentence cache. Duplicate sentences within one call
    are translated once. `refresh=True` ignores (but rewrites) cached entries."""

    inner: Translator
    cache: SentenceCache
    namespace: str
    refresh: bool = False
    stats: TranslationStats = field(default_factory=TranslationStats)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(sentences))
        known = {} if self.refresh else self.cache.get_many(self.namespace, unique)
        missing = [s for s in unique if s not in known]
        if missing:
            started = time.perf_counter()
            fresh = self.inner.translate(missing)
            self.stats.seconds += time.perf_counter() - started
            self.cache.put_many(self.namespace, list(zip(missing, fresh)))
            known.update(zip(missing, fresh))
        self.stats.translated += len(missing)
        self.stats.reused += len(sentences) - len(missing)
        return [known[s] for s in sentences]


def translation_namespace(config: TranslationConfig, role: ModelRole = MT) -> str:  # TEMPORARY: i13e
    from trnews.hub import model_identity

    return f"{config.cache_namespace()}|{model_identity(config.model)}"


def cached_translator(config: TranslationConfig, cache_dir: Path, *, refresh: bool = False,
                      role: ModelRole = MT) -> CachedTranslator:
    return CachedTranslator(
        inner=make_engine(config, role, cache_dir),
        cache=SentenceCache(cache_dir / SENTENCES),
        namespace=config.cache_namespace(),
        refresh=refresh,
    )


def count_tokens_with(config: TranslationConfig) -> TokenCounter:
    """A token counter for the segmenter, using the model's own tokenizer (no weights loaded)."""
    return token_counter(load_tokenizer(config.model))


def model_input_limit(config: TranslationConfig) -> int:
    """The longest input to give the model: the configured limit, unless the tokenizer allows less."""
    limit = getattr(load_tokenizer(config.model), "model_max_length", None) or config.max_input_tokens
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
