"""Segment: split cleaned paragraphs into sentences the MT model can take whole.

Sentence splitting is sentencex's Turkish rules (quotes, dates, decimals, common abbreviations),
corrected where a Turkish reader sees no sentence end: ordinals ("75. yıl", "2. Dünya Savaşı"),
abbreviations it does not know (data/tr_abbreviations.txt), initials ("M. Kemal"), a lower-case
continuation; closing quotes stay with their sentence; list markers ("1)") do not stop splitting. A sentence longer than the model's
input limit is split at clause boundaries (semicolons, commas, conjunctions, then words):
translated in pieces, never silently truncated by the tokenizer.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Sequence
from functools import cached_property

from sentencex import segment as sentencex_segment

from trnews.pipeline.stage import PerArticle, Work
from trnews.text.clauses import CLAUSE_SPLITTERS
from trnews.records import CleanArticle, SegmentedArticle, SegmentedParagraph
from trnews.translation.engines import count_tokens_with, model_input_limit
from trnews.translation.tokens import TokenCounter, fits
from trnews.text.turkish import ends_with_abbreviation

_UPPER = "A-ZÇĞİÖŞÜÂÎÛ"
_INITIAL = re.compile(rf"(?:^|\s)[{_UPPER}]\.$")
_NUMBER_WITH_PERIOD = re.compile(r"\d+\.$")
_ROMAN_ORDINAL = re.compile(r"(?:^|\s)[IVXLC]+\.$")  # "II. Abdülhamit", "XII. Kalkınma Planı"
# A capitalised word followed by another or by a suffix after an apostrophe: a name ("Dünya
# Savaşı", "Ordu'nun") that an ordinal before it qualifies.
_NAME_START = re.compile(rf"[{_UPPER}]\w*(?:['’]\w+|\s+[{_UPPER}])")
# Closing quotes and brackets that sentencex leaves at the start of the next piece.
_PARENTHESES = re.compile(r"[()]")
_LEADING_CLOSERS = re.compile(r"^[’”»\"')\]]+(?=\s|$)")
# sentencex does not split after the ellipsis character; a capital after it starts a sentence.
_ELLIPSIS_BREAK = re.compile(rf"…[’”»\"']*(\s+)(?=[„“\"'‘«]?[{_UPPER}])")


def split_sentences(text: str) -> list[str]:
    """Turkish sentences of one paragraph, whitespace-trimmed, in order.

    sentencex proposes the breaks; a break is undone where a Turkish reader would not see a
    sentence end (see `_continues`), and closing quotes move back to the sentence they close."""
    pieces = [part for piece in _sentencex_pieces(text) for part in _split_after_ellipses(piece) if part]
    sentences: list[str] = []
    for piece in pieces:
        closers = _LEADING_CLOSERS.match(piece)
        if closers and sentences:
            sentences[-1] += closers.group()
            piece = piece[closers.end():].strip()
            if not piece:
                continue
        if sentences and _continues(sentences[-1], piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _sentencex_pieces(text: str) -> list[str]:
    """sentencex's sentences of `text`. A closing parenthesis that opens nothing (list markers:
    "1) ...", "b) ...") makes sentencex treat everything up to the next one as a parenthesis and
    split none of it, so it sees a bracket there instead; the pieces are cut from `text` itself."""
    unmatched, depth = [], 0
    for paren in _PARENTHESES.finditer(text):
        if paren.group() == "(":
            depth += 1
        elif depth:
            depth -= 1
        else:
            unmatched.append(paren.start())
    parts, start = [], 0
    for index in unmatched:
        parts += [text[start:index], "]"]
        start = index + 1
    pieces = sentencex_segment("tr", "".join([*parts, text[start:]]))
    if sum(map(len, pieces)) != len(text):  # sentencex dropped or added characters: use its text
        return pieces
    starts = [0, *itertools.accumulate(map(len, pieces))]
    return [text[start:end] for start, end in itertools.pairwise(starts)]


def _split_after_ellipses(piece: str) -> list[str]:
    parts, start = [], 0
    for match in _ELLIPSIS_BREAK.finditer(piece):
        parts.append(piece[start:match.start(1)].strip())
        start = match.end(1)
    return [*parts, piece[start:].strip()]


def _continues(sentence: str, following: str) -> bool:
    """Whether `following` is the rest of `sentence` rather than a new sentence."""
    if following[0].islower():  # a Turkish sentence starts with a capital, a digit or a quote
        return True
    if ends_with_abbreviation(sentence) or _INITIAL.search(sentence) or _ROMAN_ORDINAL.search(sentence):
        return True
    if _NUMBER_WITH_PERIOD.search(sentence):
        # An ordinal ("3. Ordu", "75. yıl"): alone, or before a name. A cardinal can end a
        # sentence ("Ölü sayısı 12."), so a plain capitalised word after it starts a new one.
        return _NUMBER_WITH_PERIOD.fullmatch(sentence) is not None or _NAME_START.match(following) is not None
    return False


def fit_to_limit(sentence: str, max_tokens: int, count_tokens: TokenCounter) -> list[str]:
    """`sentence` itself if it fits in `max_tokens`, else consecutive pieces that each fit."""
    if fits(sentence, max_tokens, count_tokens):
        return [sentence]
    for splitter in CLAUSE_SPLITTERS:
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
        if fits(candidate, max_tokens, count_tokens):
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


class Segment(PerArticle):
    """Each article's title and paragraphs as sentences the MT model takes whole, counted with its
    own tokenizer (loaded once, without weights)."""

    name = "segment"

    @cached_property
    def _limits(self) -> tuple[int, TokenCounter]:
        config = self.run.settings.translation
        return model_input_limit(config), count_tokens_with(config)

    def process(self, work: Work) -> Work:
        assert work.clean is not None
        max_tokens, count_tokens = self._limits
        return work.but(segmented=segment_article(work.clean, max_tokens=max_tokens, count_tokens=count_tokens))
