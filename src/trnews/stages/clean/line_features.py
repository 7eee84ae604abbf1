"""What the learned line model (`learned`) sees of a line: features that carry across sites
because they describe the shape of text, not one site's words.

* the line itself: length, Turkish stopword density (jusText's list), sentence ends, a verb-like
  last word, capitals, digits, punctuation, links and handles;
* the lexicon (`lexicon`): how much of the line is UI vocabulary of Turkish news pages;
* its page: relative position, whether it lies before the first or after the last article
  sentence, how many of its neighbours are article sentences, how much UI vocabulary they
  hold, and whether the same line recurs on the page (a header row repeated at the foot).

Every feature is a number; `FEATURES` names them in the order `line_features` returns them, and
the model's data file stores one coefficient per name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import UI_PHRASE_KEYS, ui_coverage
from trnews.stages.clean.phrases import line_key, pattern_alternation
from trnews.stages.clean.prose import (
    ends_sentence, inner_sentence_ends, is_all_caps, is_article_sentence, stopword_density, word_count, words,
)

__all__ = ["FEATURES", "PageContext", "line_features", "page_context"]

FEATURES = (
    "words", "short", "stopword-density", "sentence-end", "inner-sentences", "article-sentence", "verb-ending",
    "capitalised-words", "all-caps", "digits", "punctuation", "link-or-handle", "ui-coverage", "ui-phrase",
    "position", "before-first-sentence", "after-last-sentence", "sentences-around", "neighbour-ui",
    "repeated-on-page",
)
# How many lines either side count as a line's neighbourhood.
CONTEXT_LINES = 2
MAX_SHORT_WORDS = 3
_VERB_ENDING = re.compile(rf"(?:{pattern_alternation('tr_verb_endings.txt')})$")
_LINK = re.compile(r"https?://|www\.|@\w|#\w|\w\.(?:com|net|org|tr|example)\b")


@dataclass(frozen=True)
class PageContext:
    """What every line's page features need, computed once per page."""

    sentences: tuple[bool, ...]  # is_article_sentence of each line
    coverage: tuple[float, ...]  # ui_coverage of each line
    key_counts: Counter[str]
    first_sentence: int  # index of the first article sentence (len(lines) when none)
    last_sentence: int  # index of the last one (-1 when none)


def page_context(lines: list[Line]) -> PageContext:
    sentences = tuple(is_article_sentence(line.text) for line in lines)
    indices = [index for index, sentence in enumerate(sentences) if sentence]
    return PageContext(
        sentences=sentences,
        coverage=tuple(ui_coverage(line.text) for line in lines),
        key_counts=Counter(line_key(line.text) for line in lines),
        first_sentence=indices[0] if indices else len(lines),
        last_sentence=indices[-1] if indices else -1,
    )


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def line_features(lines: list[Line], index: int, context: PageContext) -> list[float]:
    """The values of `FEATURES` for line `index` of a page."""
    text = lines[index].text
    line_words = words(text)
    characters = [ch for ch in text if not ch.isspace()]
    key = line_key(text)
    last_word = key.rsplit(" ", 1)[-1] if key else ""
    around = [i for i in range(index - CONTEXT_LINES, index + CONTEXT_LINES + 1) if 0 <= i < len(lines) and i != index]
    return [
        math.log1p(word_count(text)),
        float(word_count(text) <= MAX_SHORT_WORDS),
        stopword_density(text),
        float(ends_sentence(text)),
        float(min(inner_sentence_ends(text), 3)),
        float(context.sentences[index]),
        float(bool(_VERB_ENDING.search(last_word))),
        _share(sum(word[0].isupper() for word in line_words), len(line_words)),
        float(is_all_caps(text)),
        _share(sum(ch.isdigit() for ch in characters), len(characters)),
        _share(sum(not ch.isalnum() for ch in characters), len(characters)),
        float(bool(_LINK.search(text))),
        context.coverage[index],
        float(key in UI_PHRASE_KEYS),
        _share(index, len(lines) - 1),
        float(index < context.first_sentence),
        float(index > context.last_sentence),
        _share(sum(context.sentences[i] for i in around), len(around)),
        max((context.coverage[i] for i in around), default=0.0),
        float(context.key_counts[key] > 1),
    ]
