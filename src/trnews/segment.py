"""Segment: split cleaned paragraphs into sentences the MT model can take whole.

Sentence splitting is sentencex's Turkish rules (quotes, dates, decimals, common abbreviations),
plus a merge for Turkish abbreviations it does not know. A sentence longer than the model's
input limit is split at clause boundaries (semicolons, commas, conjunctions, then words):
translated in pieces, never silently truncated by the tokenizer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from sentencex import segment as sentencex_segment

from trnews.records import CleanArticle, SegmentedArticle, SegmentedParagraph
from trnews.tokens import TokenCounter

# Abbreviations that end a "sentence" in sentencex's Turkish rules but never end one in news.
_ABBREVIATIONS = frozenset(
    "av bkz cad dr doç dz hz mah no op örn prof sn sok st uzm vb vs yrd alb kur org ltd şti".split()
)
_TRAILING_WORD = re.compile(r"(\w+)\.$")

# Split points for over-long sentences, strongest first. Each keeps its delimiter on the left
# piece (punctuation) or starts the right piece (conjunctions), so pieces re-join to the input.
_CLAUSE_SPLITTERS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=(?:ve|ama|fakat|ancak|çünkü|ayrıca|oysa|ise|veya|ya da)\s)", re.IGNORECASE),
    re.compile(r"\s+"),
)


def split_sentences(text: str) -> list[str]:
    """Turkish sentences of one paragraph, whitespace-trimmed, in order."""
    sentences: list[str] = []
    for piece in sentencex_segment("tr", text):
        piece = piece.strip()
        if not piece:
            continue
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    match = _TRAILING_WORD.search(sentence)
    return bool(match) and match.group(1).lower() in _ABBREVIATIONS


def fit_to_limit(sentence: str, max_tokens: int, count_tokens: TokenCounter) -> list[str]:
    """`sentence` itself if it fits in `max_tokens`, else consecutive pieces that each fit."""
    if count_tokens(sentence) <= max_tokens:
        return [sentence]
    for splitter in _CLAUSE_SPLITTERS:
        parts = [p for p in splitter.split(sentence) if p]
        if len(parts) > 1:
            return pack_to_limit(parts, max_tokens, count_tokens)
    # One unbreakable "word" (e.g. a huge URL): hard-split by characters as the last resort.
    half = len(sentence) // 2
    return fit_to_limit(sentence[:half], max_tokens, count_tokens) + fit_to_limit(
        sentence[half:], max_tokens, count_tokens
    )


def pack_to_limit(parts: Sequence[str], max_tokens: int, count_tokens: TokenCounter) -> list[str]:
    """Greedily join neighbouring parts (with spaces) while they fit in `max_tokens`; parts too
    long alone are split further by `fit_to_limit`. Also the summariser's chunker."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count_tokens(candidate) <= max_tokens:
            current = candidate
            continue
        if current:
            pieces.append(current)
        fitted = fit_to_limit(part, max_tokens, count_tokens)
        pieces.extend(fitted[:-1])
        current = fitted[-1]
    if current:
        pieces.append(current)
    return pieces


def segment_article(article: CleanArticle, *, max_tokens: int, count_tokens: TokenCounter) -> SegmentedArticle:
    """Title and paragraphs of `article` as translation-sized sentences, structure kept."""
    started = time.perf_counter()

    def sentences_of(text: str, *, split: bool) -> list[str]:
        units = split_sentences(text) if split else [text.strip()]
        return [piece for unit in units for piece in fit_to_limit(unit, max_tokens, count_tokens)]

    paragraphs = [
        SegmentedParagraph(kind=p.kind, sentences=sentences_of(p.text, split=p.kind == "text"))
        for p in article.paragraphs
        if p.text.strip()
    ]
    title_sentences = sentences_of(article.title, split=False) if article.title.strip() else []
    timed = article.model_copy(
        update={"timings": {**article.timings, "segment": round(time.perf_counter() - started, 4)}}
    )
    return SegmentedArticle(article=timed, title_sentences=title_sentences, paragraphs=paragraphs)
