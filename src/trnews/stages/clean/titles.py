"""The headline: which line is the title, what is cut off it, and which lines restate it.

* Title: `raw.title` if given (JSONL `title`, HTML title from trafilatura's metadata), else the
  first line that is not noise if it reads like a headline (at most `MAX_TITLE_WORDS` words, no
  final full stop); a sentence or a long line is article text, and the title is then empty.
* A site-name suffix after " | ", " » " or " :: " is cut; after a dash only when it is short and
  every word is capitalised ("Başlık - Hürriyet"). A leading label is cut only when it is one of a
  few medium/urgency labels (`data/title_labels.txt`) followed by ":" or "|" ("İzleyin:",
  "VİDEO:", "SON DAKİKA |"); other leading phrases ("24 yıl sonra ilk: ...") stay. Both are
  listed in `removed`.
* A line restating the title is dropped above the body or when it is not a sentence; a closing
  sentence that restates the headline is the writer's and stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trnews.records import Removed
from trnews.stages.clean.phrases import alternatives, line_key
from trnews.stages.clean.prose import CLOSING_QUOTES, inner_sentence_ends, is_prose, word_count
from trnews.stages.clean.reasons import REASON_SITE_SUFFIX, REASON_TITLE_LABEL
from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

__all__ = ["MAX_TITLE_CHARS", "MAX_TITLE_WORDS", "NO_TITLE", "Title", "is_title_like", "make_title"]

# A first line longer than this, or a sentence, is article text and never the title.
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 250

TITLE_LABEL_PATTERN = re.compile(rf"^(?:{alternatives(data_lines('title_labels.txt'))})\s*[:|]\s*")
# Separators before a site-name suffix; titles themselves practically never contain them.
STRONG_SUFFIX_SEPARATORS = re.compile(r"\s+(?:\||»|::)\s+")
# A dash separates a suffix only when what follows looks like a site name.
DASH_SUFFIX = re.compile(r"^(?P<head>.+\S)\s+[-–—]\s+(?P<suffix>[^-–—]+)$")
MAX_SUFFIX_WORDS = 12
MAX_DASH_SUFFIX_WORDS = 4


def is_title_like(text: str) -> bool:
    """A headline: short, and not a sentence ("!" and "?" headlines are fine, a full stop is not)."""
    stripped = text.rstrip(CLOSING_QUOTES + " ")
    return (
        word_count(text) <= MAX_TITLE_WORDS
        and len(text) <= MAX_TITLE_CHARS
        and not (stripped.endswith((".", ":", ";", ",")) and not stripped.endswith(("...", "…")))
        and inner_sentence_ends(text) <= 1
    )


def _split_site_suffix(title: str) -> tuple[str, str | None]:
    """("Başlık", "Site Adı") for "Başlık | Site Adı", "Başlık » Site, Güncel Haberler",
    "Başlık - Hürriyet"; (title, None) when there is no clear suffix."""
    strong = STRONG_SUFFIX_SEPARATORS.search(title)
    if strong:
        head, suffix = title[: strong.start()].strip(), title[strong.end():].strip()
        if word_count(head) >= 2 and 0 < word_count(suffix) <= MAX_SUFFIX_WORDS:
            return head, suffix
    dash = DASH_SUFFIX.match(title)
    if dash:
        head, suffix = dash["head"].strip(), dash["suffix"].strip()
        words = suffix.split()
        site_like = all(word[0].isupper() or "." in word for word in words)
        if word_count(head) >= 3 and len(words) <= MAX_DASH_SUFFIX_WORDS and site_like \
                and not is_prose(suffix):
            return head, suffix
    return title, None


def _split_title_label(title: str) -> tuple[str, str | None]:
    match = TITLE_LABEL_PATTERN.match(fold(title))
    if not match or match.end() >= len(title):
        return title, None
    return title[match.end():].strip(), title[: match.end()].strip()


@dataclass(frozen=True)
class Title:
    text: str
    removed: tuple[Removed, ...]
    keys: frozenset[str]  # normalised forms a repeated title may take in the body

    def is_repeated_in(self, line: str) -> bool:
        if len(line) > 2 * MAX_TITLE_CHARS:
            return False
        without_label = _split_title_label(line)[0]
        return bool({line_key(line), line_key(without_label), line_key(_split_site_suffix(without_label)[0])} & self.keys)


def make_title(title_line: str) -> Title:
    """Label first ("SON DAKİKA | Başlık" must not read as a title "SON DAKİKA"), then suffix."""
    without_label, label = _split_title_label(title_line.strip())
    text, suffix = _split_site_suffix(without_label)
    removed = [Removed(text=label, reason=REASON_TITLE_LABEL)] if label else []
    if suffix:
        removed.append(Removed(text=suffix, reason=REASON_SITE_SUFFIX))
    keys = frozenset(k for k in (line_key(title_line), line_key(without_label), line_key(text)) if k)
    return Title(text, tuple(removed), keys)


NO_TITLE = Title("", (), frozenset())
