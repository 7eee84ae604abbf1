"""Phrase lookups for the cleaner's rules: lines folded to keys, and the phrase lists and
patterns of the data files in `trnews/data/` (see each file's header for how it is matched).

Rules match folded text (`trnews.text.turkish.fold`): one character in, one character out, so
match positions in the folded text are positions in the original (title labels, agency
datelines and date labels rely on it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

__all__ = [
    "alternatives", "data_patterns", "is_glyph", "line_key", "pattern_alternation", "phrase_keys", "without_glyphs",
]

_NON_WORD = re.compile(r"[\W_]+")


def is_glyph(token: str) -> bool:
    """An icon a button or counter shows: symbols only ("🔊", "▶", "↗", "💬"), no letters, digits
    or punctuation."""
    return bool(token) and all(unicodedata.category(ch).startswith("S") for ch in token)


def without_glyphs(text: str) -> str:
    """`text` without its icons ("💬 43 yorum" -> "43 yorum")."""
    return " ".join(token for token in text.split() if not is_glyph(token))


# The line rules and the title checks each look a line up: its key is made once.
@functools.lru_cache(maxsize=4096)
def line_key(text: str) -> str:
    """`fold` with punctuation dropped and spaces collapsed: for whole-line phrase lookups."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def phrase_keys(name: str) -> frozenset[str]:
    """The phrases of data file `name` (written as they appear on pages) as line keys."""
    return frozenset(line_key(phrase) for phrase in data_lines(name))


def alternatives(phrases: Iterable[str]) -> str:
    """A regex alternation of folded phrases, longest first."""
    return "|".join(sorted({re.escape(fold(p)) for p in phrases}, key=len, reverse=True))


def pattern_alternation(name: str) -> str:
    """The regular expressions of data file `name`, one a line, as one alternation in file order."""
    return "|".join(data_lines(name))


def data_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """The regular expressions of data file `name`, one a line, compiled."""
    return tuple(re.compile(pattern) for pattern in data_lines(name))
