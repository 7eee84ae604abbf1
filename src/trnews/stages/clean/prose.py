"""Is this line article text? Language-aware signals shared by the cleaner and the template
statistics: sentence structure and Turkish stopword density, as jusText measures it (with
jusText's own Turkish stoplist), so that the verdict does not hang on word lists of widgets.

Running Turkish prose is about one third stopwords ("bir", "ve", "bu", "için", "olarak" ...);
link titles, button labels, bylines and breadcrumbs have few or none.
"""

from __future__ import annotations

import re
from functools import cache

import justext

from trnews.text.turkish import ends_with_abbreviation, turkish_lower

__all__ = [
    "CLOSING_QUOTES", "OPENING_QUOTES", "QUOTE_MARKS", "closes_sentence", "ends_sentence", "inline_items",
    "inner_sentence_ends", "is_all_caps", "is_article_sentence", "is_list_item", "is_prose", "is_question",
    "sentence_pieces", "sentence_starts", "stopword_density", "word_count", "words",
]

CLOSING_QUOTES = "\"'”’»)]"
OPENING_QUOTES = "\"'“‘«([*•-–—"
# Marks that open or close a quotation (not the apostrophe, which sets off Turkish suffixes).
QUOTE_MARKS = "\"“”«»"
_TRAILING_PARENTHETICAL = re.compile(r"\s*\([^()]*\)$")
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+\S")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s")
# Items set side by side on one line: "Analizler · Veri Setleri · Hakkımızda".
_ITEM_SEPARATOR = re.compile(r"\s+[·•|]\s+")

# jusText's thresholds for "good" text are 0.30 (low) and 0.32 (high) for its own stoplists;
# Turkish sentences of news prose measure 0.25-0.45 with its Turkish list, link titles under 0.15.
MIN_SENTENCE_STOPWORD_DENSITY = 0.2
MIN_SENTENCE_WORDS = 6


@cache
def _stoplist() -> frozenset[str]:
    return frozenset(turkish_lower(word) for word in justext.get_stoplist("Turkish"))


def word_count(text: str) -> int:
    return len(text.split())


def words(text: str) -> list[str]:
    """The words of `text`: runs of letters, an apostrophe suffix included ("Ankara'da")."""
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    """Ends like a sentence, ignoring a trailing "(source)" and closing quotes."""
    tail = _TRAILING_PARENTHETICAL.sub("", text).rstrip(CLOSING_QUOTES + " ")
    return tail.endswith((".", "!", "?", "…", ":", ";"))


def is_question(text: str) -> bool:
    """Ends with a question mark, before any closing quotes."""
    return text.rstrip(CLOSING_QUOTES + " ").endswith("?")


def closes_sentence(word: str) -> bool:
    """The word ends a sentence: ".", "!", "?" or "…", before any closing quotes."""
    return word.rstrip(CLOSING_QUOTES).endswith((".", "!", "?", "…"))


def _inner_sentence_ends(text: str) -> list[re.Match[str]]:
    """The sentence boundaries of `text` (". " / "? " / "! " followed by more text), but for a
    period after an abbreviation that never ends a sentence ("Uzm. Dr. Orhan Baykal")."""
    return [match for match in _INNER_SENTENCE_END.finditer(text)
            if text[match.start()] != "." or not ends_with_abbreviation(text[:match.start() + 1])]


def inner_sentence_ends(text: str) -> int:
    """How many sentence boundaries `text` holds."""
    return len(_inner_sentence_ends(text))


def sentence_starts(text: str) -> list[int]:
    """Where each sentence after the first starts in `text` (the boundaries `inner_sentence_ends` counts)."""
    return [match.end() - 1 for match in _inner_sentence_ends(text)]


def sentence_pieces(text: str) -> list[str]:
    """`text` cut at its sentence boundaries (`sentence_starts`)."""
    starts = [0, *sentence_starts(text), len(text)]
    return [text[start:end].strip() for start, end in zip(starts, starts[1:])]


def is_list_item(text: str) -> bool:
    """Opens with a bullet or a number ("- Un", "2. Hamuru yoğurun", "3) ...")."""
    return bool(_LIST_ITEM.match(text))


def without_list_marker(text: str) -> str:
    """`text` without the bullet or number that opens a list item ("2. Hamuru yoğurun" ->
    "Hamuru yoğurun")."""
    found = _LIST_ITEM.match(text)
    return text[found.end():].lstrip() if found else text


def inline_items(text: str) -> list[str]:
    """The items of a line that sets several side by side with "·", "•" or "|"; the line itself
    when it holds one."""
    return _ITEM_SEPARATOR.split(text)


def is_prose(text: str) -> bool:
    """Has sentence structure: ends like a sentence or contains a sentence boundary."""
    return ends_sentence(text) or bool(_inner_sentence_ends(text))


def is_all_caps(text: str) -> bool:
    """At least three letters, all capitals ("İKİ LİDER, 2023'TE")."""
    return text.isupper() and sum(ch.isalpha() for ch in text) >= 3


def stopword_density(text: str) -> float:
    """Share of the words of `text` that are on jusText's Turkish stoplist (0 for no words)."""
    lowered = [turkish_lower(word) for word in words(text)]
    if not lowered:
        return 0.0
    stoplist = _stoplist()
    return sum(word in stoplist for word in lowered) / len(lowered)


def is_article_sentence(text: str) -> bool:
    """A real sentence of running text: sentence structure, enough words, and the stopword
    density of prose. Republished agency copy passes; share bars, link titles, bylines and
    button labels do not."""
    return (
        is_prose(text)
        and word_count(text) >= MIN_SENTENCE_WORDS
        and stopword_density(text) >= MIN_SENTENCE_STOPWORD_DENSITY
    )
