"""Summarise: a short list of aligned (Turkish, English) sentence pairs per article.

`extractive` (default, no model): each body sentence of the Turkish article scores its length in
characters times (1 + its TF-IDF cosine similarity to the rest of the article, words compared by
their first five letters); the top sentences are returned in article order, each with its own
translation. Ranking the source side keeps the choice independent of translation quality. No
position prior: wire copy puts its facts first, columns build to their point, and on human labels
(sadedegel's 96 annotated articles, mostly columns) the lead sentences rank below random. How
many sentences: `summary_length` (benchmarks/summary_quality.py measures the ranking).

`abstractive`: a seq2seq summariser (DistilBART-CNN by default) over the English translation;
articles longer than its input limit are summarised chunk by chunk and the chunk summaries
summarised again (map-reduce), never truncated. Its Turkish column is the EN->TR translation
of each English summary sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np
from sentencex import segment as sentencex_segment

from trnews.config import Device, SummaryConfig
from trnews.translation.hub import SUMMARISER, LoadedModel, load_seq2seq
from trnews.records import SentencePair, TranslatedArticle
from trnews.stages.segment import pack_to_limit
from trnews.translation.stopping import stop_between_steps
from trnews.translation.tokens import decode, encode, token_batches, token_counter
from trnews.translation.base import Translator
from trnews.text.turkish import fold, turkish_lower
from trnews.errors import TrnewsError
from trnews.pipeline.stage import PerArticle, Work

# "auto" summary length: about the square root of the article's sentence count (a 5-sentence
# brief gets 2, a 60-sentence column 8), never more than this.
MAX_AUTO_SENTENCES = 10
# Turkish piles suffixes onto a stem ("bütçe", "bütçenin", "bütçeyle"): words are compared by
# their first 5 letters, the fixed-prefix stemmer that Turkish retrieval work found best (Can et
# al. 2008, "Information retrieval on Turkish texts", JASIST 59(3)). Not tuned on our data.
STEM_LENGTH = 5
_WORD = re.compile(r"\w\w+")
# A sentence whose translation a check doubts (`SentencePair.flags`) counts this much of its
# importance: an unflagged sentence of similar rank takes its place, a clearly more important
# one keeps it (and shows its flags).
FLAGGED_WEIGHT = 0.8


class SummaryError(TrnewsError):
    pass


def rank_sentences(sentences: Sequence[str]) -> np.ndarray:
    """Importance of each sentence: length in characters x (1 + `centrality`).

    Human relevance follows length (a long sentence carries more of the story) far more than
    position; centrality adds what the article keeps coming back to. No tuned parameters."""
    lengths = np.array([len(sentence) for sentence in sentences], dtype=float)
    return lengths * (1.0 + centrality(sentences))


def prefix_stems(length: int) -> Callable[[str], list[str]]:
    """Analyzer: the words of a text (two letters or more), lower-cased, cut to `length` letters."""
    return lambda text: [word[:length] for word in _WORD.findall(turkish_lower(text))]


def centrality(sentences: Sequence[str], stem_length: int = STEM_LENGTH) -> np.ndarray:
    """Cosine similarity of each sentence's TF-IDF vector (of word stems) to the sum of all the
    others'.

    TF-IDF as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` computes it (1 + ln tf, smoothed
    idf, rows L2-normalised; the tests compare the two), over (sentence, term) pairs with numpy:
    the vectorizer's fixed cost per call was most of the cost of summarising an article. Against
    the article's centroid in O(non-zero terms): no sentence x sentence matrix."""
    stems = prefix_stems(stem_length)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    terms: list[int] = []
    for row, sentence in enumerate(sentences):
        for stem in stems(sentence):
            rows.append(row)
            terms.append(vocabulary.setdefault(stem, len(vocabulary)))
    if not vocabulary:  # no word at all (e.g. only numbers): nothing to compare
        return np.zeros(len(sentences))
    (row, term), counts = np.unique(np.array([rows, terms]), axis=1, return_counts=True)
    weights = tfidf_weights(row, term, counts, len(sentences), len(vocabulary), sublinear=True)
    centroid = np.bincount(term, weights=weights, minlength=len(vocabulary))
    with_self = np.bincount(row, weights=weights * centroid[term], minlength=len(sentences))
    # 1, or 0 for a sentence without words
    self_similarity = (np.bincount(row, minlength=len(sentences)) > 0).astype(float)
    # |centroid - v|^2 = |centroid|^2 - 2 v.centroid + |v|^2; below 1e-6 it is rounding error
    rest_norm = np.sqrt(np.maximum(centroid @ centroid - 2 * with_self + self_similarity, 0.0))
    return np.divide(with_self - self_similarity, rest_norm, out=np.zeros(len(sentences)), where=rest_norm > 1e-6)


def tfidf_weights(row: np.ndarray, term: np.ndarray, counts: np.ndarray, texts: int, terms: int,
                  sublinear: bool = False) -> np.ndarray:
    """The weight of each (text, term) cell that holds `counts` (each cell once) in TF-IDF rows
    as scikit-learn computes them (smoothed idf, rows L2-normalised; `sublinear`: 1 + ln tf),
    without its fixed cost per call."""
    idf = np.log((1 + texts) / (1 + np.bincount(term, minlength=terms))) + 1
    weights = (1 + np.log(counts) if sublinear else counts) * idf[term]
    norms = np.sqrt(np.bincount(row, weights=weights**2, minlength=texts))
    return weights / norms[row]


def summary_length(candidates: int) -> int:
    """Sentences in an automatic-length summary of an article with `candidates` body sentences."""
    return max(1, min(MAX_AUTO_SENTENCES, round(math.sqrt(candidates))))


def extractive_summary(article: TranslatedArticle, sentences: int | None) -> list[SentencePair]:
    """The `sentences` (None: `summary_length`) most important body sentences, in article order.

    Candidates are the sentences of text paragraphs: never headings or the title (nor a body
    line repeating it), nor what the cleaner removed; a repeated sentence counts once; one with a
    doubtful translation weighs `FLAGGED_WEIGHT` of its importance."""
    title = fold(article.title.tr.strip())
    candidates: list[SentencePair] = []
    seen = {title}
    for paragraph in article.paragraphs:
        if paragraph.kind != "text":
            continue
        for pair in paragraph.sentences:
            key = fold(pair.tr.strip())
            if key not in seen:
                seen.add(key)
                candidates.append(pair)
    wanted = summary_length(len(candidates)) if sentences is None else sentences
    if len(candidates) <= wanted:
        return candidates
    scores = rank_sentences([pair.tr for pair in candidates])
    scores *= np.array([FLAGGED_WEIGHT if pair.flags else 1.0 for pair in candidates])
    chosen = sorted(np.argsort(-scores, kind="stable")[:wanted])
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
        encoded = encode(tokenizer, chunks)
        summaries = [""] * len(chunks)
        # The translator's token budget, every beam counted: a long article's chunks go through
        # in bounded batches, not one generate call over all of them.
        budget = config.batch_tokens // config.beam_size
        with torch.inference_mode():
            for batch in token_batches([len(ids) for ids in encoded], budget):
                inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
                generated = model.generate(
                    **inputs.to(loaded.device), num_beams=config.beam_size, do_sample=False,
                    # Always given (0 included): in transformers 5 they then take precedence over
                    # the model's own min_length / max_length (DistilBART-CNN: 56 / 142).
                    max_new_tokens=config.max_new_tokens, min_new_tokens=config.min_new_tokens,
                    stopping_criteria=stop_between_steps(),
                )
                for index, summary in zip(batch, decode(tokenizer, generated)):
                    summaries[index] = summary
        return summaries

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
    loaded = load_seq2seq(config.spec, device, SUMMARISER)
    summary = _english_sentences(summarise_english(english, loaded, config))[: config.sentences]
    if not summary:
        raise SummaryError(f"summariser {config.spec.id} produced an empty summary")
    turkish = back_translator.translate(summary)
    return [SentencePair(tr=tr.text, en=en) for tr, en in zip(turkish, summary)]


class Summarise(PerArticle):
    """Each article's bilingual summary, extractive or abstractive as the settings say."""

    name = "summarise"

    def process(self, work: Work) -> Work:
        assert work.translated is not None
        config = self.run.settings.summary
        if config.kind == "extractive":
            return work.but(summary=extractive_summary(work.translated, config.sentences))
        summary = abstractive_summary(work.translated, config, self.run.settings.translation.device,
                                      self.run.back_translator)
        return work.but(summary=summary)
