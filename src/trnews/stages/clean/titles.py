"""The headline: which line is the title, what is cut off it, and which lines restate it.

* Title: `raw.title` if given (JSONL `title`, HTML title from trafilatura's metadata), else the
  first line that is not noise if it reads like a headline (at most `MAX_TITLE_WORDS` words, no
  final full stop); a sentence or a long line is article text, and the title is then empty.
* A site-name suffix after " | ", " » " or " :: " is cut; after a dash only when it is short and
  every word is capitalised ("Başlık - Hürriyet"). A section name before " | ", " » " or " :: "
  is cut when it is a few capitalised words and the rest is a longer, sentence-case headline
  ("Tarım | Kooperatif üyelerine damla sulama kursu"). Buttons glued after the headline in a
  flattened page ("Başlık Paylaş Yazdır Kaydet": whole-line UI phrases of `lexicon`) are cut
  when a headline of several words remains. A leading label is cut only when it is one of a
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
from trnews.stages.clean.lexicon import UI_LINE_KEYS
from trnews.stages.clean.phrases import alternatives, line_key
from trnews.stages.clean.prose import CLOSING_QUOTES, inner_sentence_ends, is_prose, word_count
from trnews.stages.clean.reasons import REASON_SECTION_PREFIX, REASON_SITE_SUFFIX, REASON_TITLE_LABEL, REASON_WIDGET
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
MAX_SECTION_WORDS = 3
# What must remain of a headline once a section name or glued buttons are cut off it.
MIN_HEADLINE_WORDS = 3
# The longest UI phrase, in words, looked for at the end of a headline.
MAX_WIDGET_WORDS = 4


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


def _split_section_prefix(title: str) -> tuple[str, str | None]:
    """("Başlık cümlesi", "Ekonomi") for "Ekonomi | Başlık cümlesi": a few capitalised words
    before a strong separator, and after it a longer headline in sentence case (a lower-case
    word; a site name after the separator is capitalised throughout)."""
    strong = STRONG_SUFFIX_SEPARATORS.search(title)
    if not strong:
        return title, None
    section, rest = title[: strong.start()].strip(), title[strong.end():].strip()
    section_words, rest_words = section.split(), rest.split()
    if (0 < len(section_words) <= MAX_SECTION_WORDS and len(rest_words) > len(section_words)
            and len(rest_words) >= MIN_HEADLINE_WORDS and all(word[0].isupper() for word in section_words)
            and any(word[0].islower() for word in rest_words)):
        return rest, section
    return title, None


def _split_glued_widgets(title: str) -> tuple[str, str | None]:
    """("Başlık", "Paylaş Yazdır Kaydet") for "Başlık Paylaş Yazdır Kaydet": whole-line UI
    phrases at the end, cut one by one, longest first, while a headline of
    `MIN_HEADLINE_WORDS` remains."""
    words = title.split()
    end = len(words)
    while end > MIN_HEADLINE_WORDS:
        size = next((size for size in range(min(MAX_WIDGET_WORDS, end - MIN_HEADLINE_WORDS), 0, -1)
                     if line_key(" ".join(words[end - size: end])) in UI_LINE_KEYS), 0)
        if not size:
            break
        end -= size
    if end == len(words):
        return title, None
    return " ".join(words[:end]), " ".join(words[end:])


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
    """Label first ("SON DAKİKA | Başlık" must not read as a title "SON DAKİKA"), then a section
    name before the headline, glued buttons after it, and a site-name suffix."""
    without_label, label = _split_title_label(title_line.strip())
    without_section, section = _split_section_prefix(without_label)
    without_widgets, widgets = _split_glued_widgets(without_section)
    text, suffix = _split_site_suffix(without_widgets)
    cut = ((label, REASON_TITLE_LABEL), (section, REASON_SECTION_PREFIX), (widgets, REASON_WIDGET),
           (suffix, REASON_SITE_SUFFIX))
    removed = [Removed(text=piece, reason=reason) for piece, reason in cut if piece]
    keys = frozenset(k for k in (line_key(title_line), line_key(without_label), line_key(without_section),
                                 line_key(text)) if k)
    return Title(text, tuple(removed), keys)


NO_TITLE = Title("", (), frozenset())
