"""The UI vocabulary of Turkish news pages (`data/news_ui_phrases.tsv`, gathered from many
outlets; `data/news_ui_phrases.SOURCES.md` says where): share, follow and subscription
prompts, font-size and reading-mode controls, next/related/most-read headings, ad labels,
cookie and KVKK notices, comment and gallery chrome, breadcrumbs, section names.

A phrase marked `line` is furniture wherever it fills a line, alone or with a count ("Yorumlar
6", "Beğendim 41": `is_ui_line`); every phrase counts towards the learned line model's lexicon
features (`ui_coverage`): how much of a line such phrases cover, whatever the site calls its
buttons.
"""

from __future__ import annotations

import functools
import re

from trnews.stages.clean.phrases import line_key
from trnews.stages.clean.prose import OPENING_QUOTES, closes_sentence
from trnews.text.datafiles import data_lines

__all__ = ["UI_LINE_KEYS", "UI_PHRASE_KEYS", "is_ui_line", "ui_coverage"]

_ROWS = tuple(line.split("\t") for line in data_lines("news_ui_phrases.tsv"))
# Phrases that are page furniture whenever they fill a line.
UI_LINE_KEYS = frozenset(line_key(phrase) for phrase, _kind, use, _seen in _ROWS if use == "line") - {""}
# Every phrase, as line keys: the lexicon the line model's features count.
UI_PHRASE_KEYS = frozenset(line_key(phrase) for phrase, *_ in _ROWS) - {""}
# A counter's number before or after its label, in a line key.
_COUNT = re.compile(r"^(?:\d+ )?(?P<label>.+?)(?: \d+)?$")
# Longest first, as whole words of a line key.
_PHRASE_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(key) for key in sorted(UI_PHRASE_KEYS, key=len, reverse=True)) + r")\b"
)


def is_ui_line(text: str) -> bool:
    """Nothing but a `line` phrase (and maybe its count), and no quoted or full-stopped
    sentence: "Anladım" is a cookie button, "“Anladım.”" a line of dialogue."""
    stripped = text.strip()
    counted = _COUNT.match(line_key(text))
    return bool(counted) and counted["label"] in UI_LINE_KEYS and not closes_sentence(stripped) \
        and not stripped.startswith(tuple(OPENING_QUOTES))


@functools.lru_cache(maxsize=8192)
def ui_coverage(text: str) -> float:
    """Share of the words of `text` that lie inside UI phrases ("Kaydet Takip Et A+ A-": 1.0)."""
    key = line_key(text)
    total = len(key.split())
    if not total:
        return 0.0
    covered = sum(len(match.group().split()) for match in _PHRASE_PATTERN.finditer(key))
    return covered / total
