"""Summarise: a short list of aligned (Turkish, English) sentence pairs per article.

`extractive` (default, no model): TextRank over TF-IDF vectors of the Turkish sentences, with a
lead bias (news puts the key facts first); the top sentences are returned in article order,
each with its own translation. Ranking the source side keeps the choice independent of
translation quality.

`abstractive`: a seq2seq summariser (DistilBART-CNN by default) over the English translation;
articles longer than its input limit are summarised chunk by chunk and the chunk summaries
summarised again (map-reduce), never truncated. Its Turkish column is the EN->TR translation
of each English summary sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sentencex import segment as sentencex_segment

from trnews.config import Device, SummaryConfig
from trnews.hub import SUMMARISER, LoadedModel, load_seq2seq
from trnews.records import SentencePair, TranslatedArticle
from trnews.segment import pack_to_limit
from trnews.turkish import turkish_lower
from trnews.tokens import decode, token_counter
from trnews.translate import Translator

DAMPING = 0.85


class SummaryError(RuntimeError):
    pass


def rank_sentences(sentences: Sequence[str]) -> np.ndarray:
    """TextRank scores with a lead bias: PageRank over cosine similarity of TF-IDF vectors,
    teleporting preferentially to early sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    count = len(sentences)
    lead = 1.0 / np.sqrt(np.arange(1, count + 1))
    lead /= lead.sum()
    try:
        vectors = TfidfVectorizer(preprocessor=turkish_lower, sublinear_tf=True).fit_transform(sentences)
    except ValueError:  # no word survives tokenisation (e.g. only numbers): rank by position
        return lead
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    row_sums = similarity.sum(axis=1, keepdims=True)
    # A sentence similar to nothing hands its weight to the lead distribution.
    transition = np.where(row_sums > 0, similarity / np.where(row_sums > 0, row_sums, 1), lead)
    scores = lead.copy()
    for _ in range(100):
        updated = (1 - DAMPING) * lead + DAMPING * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-9:
            break
        scores = updated
    return scores


def extractive_summary(article: TranslatedArticle, sentences: int) -> list[SentencePair]:
    candidates = [pair for p in article.paragraphs if p.kind == "text" for pair in p.sentences]
    if len(candidates) <= sentences:
        return candidates
    scores = rank_sentences([pair.tr for pair in candidates])
    chosen = sorted(np.argsort(-scores, kind="stable")[:sentences])
    return [candidates[i] for i in chosen]


def _input_limit(loaded: LoadedModel, config: SummaryConfig) -> int:
    limits = [getattr(loaded.model.config, "max_position_embeddings", None), loaded.tokenizer.model_max_length]
    model_limit = min(int(x) for x in limits if x) - 2  # room for BOS/EOS
    return min(model_limit, config.chunk_tokens or model_limit)


def summarise_english(text: str, loaded: LoadedModel, config: SummaryConfig) -> str:
    """Map-reduce summary of `text`: chunks within the model's input limit, then their summaries."""
    import torch

    tokenizer, model = loaded.tokenizer, loaded.model
    limit = _input_limit(loaded, config)

    count_tokens = token_counter(tokenizer)

    def summarise(chunks: list[str]) -> list[str]:
        with torch.inference_mode():
            inputs = tokenizer(chunks, return_tensors="pt", padding=True, truncation=False).to(loaded.device)
            generated = model.generate(
                **inputs, num_beams=config.beam_size, max_new_tokens=config.max_new_tokens,
                min_new_tokens=config.min_new_tokens, do_sample=False,
            )
        return decode(tokenizer, generated)

    sentences = _english_sentences(text)
    while True:
        # Sentences longer than the limit on their own are split at clauses, then words.
        chunks = pack_to_limit(sentences, limit, count_tokens)
        summaries = summarise(chunks)
        if len(chunks) == 1:
            return summaries[0]
        reduced = _english_sentences(" ".join(summaries))
        if len(reduced) >= len(sentences):  # no progress: the chunk summaries are the summary
            return " ".join(summaries)
        sentences = reduced


def _english_sentences(text: str) -> list[str]:
    return [s.strip() for s in sentencex_segment("en", text) if s.strip()]


def abstractive_summary(
    article: TranslatedArticle, config: SummaryConfig, device: Device, back_translator: Translator
) -> list[SentencePair]:
    english = " ".join(pair.en for p in article.paragraphs if p.kind == "text" for pair in p.sentences)
    if not english.strip():
        raise SummaryError("no English text to summarise")
    loaded = load_seq2seq(config.model, device, SUMMARISER)
    summary = _english_sentences(summarise_english(english, loaded, config))[: config.sentences]
    if not summary:
        raise SummaryError(f"summariser {config.model.id} produced an empty summary")
    turkish = back_translator.translate(summary)
    return [SentencePair(tr=tr, en=en) for tr, en in zip(turkish, summary)]
