"""Cleaning stage: keep the article body (headings and paragraphs), drop everything else.

`clean_article` works in passes over the lines of a `RawArticle` (`trnews.stages.clean.layout.split_lines`,
which first splits flattened text back into paragraphs):

1. fragments: a site-template prefix or suffix (`SiteTemplate`, learned by
   `trnews.stages.clean.site_templates.TemplateStats`) and widgets glued into a line ("18 Şubat 2018 PAYLAŞ
   Yorum yaz A" before the first paragraph, "PAYLAŞ A" after the last) are cut off into pieces of
   their own and the rest of the line is kept; whole lines the template holds are dropped;
2. line rules (comment forms, metadata labels, ad markers, breaking-news banners, the repeated
   title, date lines, credits, page furniture: share bars, counters, reading time, newsletter and
   app prompts, cookie/legal/imprint footers, breadcrumbs, hashtags, advertorial notices,
   "continue reading" links, photo credits, font-size buttons);
3. blocks: the link list under a "related" heading goes with it; runs of lines without sentence
   structure are dropped as spam only with spam evidence; a caption that ends in a source credit
   and repeats the sentence before it is dropped;
4. the lines left are grouped into paragraphs and headings.

Every dropped piece is recorded as `Removed(text, reason)`; the reasons are the `REASON_*`
constants below. Phrase lists and patterns live in `trnews/data/` (see each file's header).

Decisions worth knowing:

* Text is not rewritten: a kept paragraph is the input lines of one blank-line-separated block
  (surrounding whitespace stripped, inner line breaks kept; a line that held a no-break-space
  run has its whitespace collapsed); a block is only cut where a noise line or a heading sits
  inside it, or into single lines when no line of it runs on into the next (text with one
  paragraph per line, common in JSONL). Sentences are the segmenter's business.
* Widgets inside a line are runs of widget words (`data/widget_words.txt`) with at least one
  strong word ("paylaş", "yorum", "devamı" ...), at the start of a line after at most a header
  (headline and/or date, which become pieces of their own) or at its end; a word that ends a
  sentence never belongs to a widget, so "... çaldığı için. PAYLAŞ A" loses only "PAYLAŞ A".
* Headings: for Markdown and HTML sources only `#` lines are headings. For plain text (and JSONL)
  a single-line paragraph is a heading when it is ALL CAPS, or when it is short, has no sentence
  ending and another paragraph follows it; short lines in a row are list items ("İstanbul 12
  derece", "Ankara 6 derece"), not headings. A heading glued to a hard-wrapped paragraph stays
  part of that paragraph (unless it is ALL CAPS).
* Title: `raw.title` if given (JSONL `title`, HTML title from trafilatura's metadata), else the
  first line that is not noise if it reads like a headline (at most `MAX_TITLE_WORDS` words, no
  final full stop); a sentence or a long line is article text, and the title is then empty. A
  site-name suffix after " | ", " » " or " :: " is cut; after a dash only when it is short and
  every word is capitalised ("Başlık - Hürriyet"). A leading label is cut only when it is one of
  a few medium/urgency labels followed by ":" or "|" ("İzleyin:", "VİDEO:", "SON DAKİKA |");
  other leading phrases ("24 yıl sonra ilk: ...") stay. Both are listed in `removed`. A line
  restating the title is dropped above the body or when it is not a sentence; a closing
  sentence that restates the headline is the writer's and stays.
* Dates: only date lines are read ("Son Güncelleme :" with the date on the same or next line,
  "Yayınlanma: ...", a line that is nothing but a date, or a date in a header before a glued
  widget); dates inside sentences are not. `published` is `raw.published` when given, else the
  first publication date line; a last-updated date goes to `updated`, never to `published`.
  Both are ISO 8601; a time without a zone is Europe/Istanbul time and gets that day's offset
  ("2025-03-14T11:20+03:00"); a date alone stays a date.
* Credits (agency lines, "Kaynak: ...", "Editör: ...", "(... girdileriyle)") are listed in
  `removed` with reason "credit"; `credits` holds one line per agency (`data/agencies.tsv`:
  "İHA" and "İhlas Haber Ajansı (İHA)" are one credit, the first line naming it). A caption that
  ends in a parenthesised source ("... kuyruk oluştu. (X/Valilik Haberleri)") is article text
  unless it repeats the text just before it ("duplicate-caption").
* Spam: runs of adjacent lines of one block without sentence structure are scored on several
  signals (keyword stuffing, list shape, lower-case line starts, URL-like tokens, no verb-like
  line endings, spam vocabulary, position after the article's end); a run is dropped with at
  least `SPAM_MIN_SIGNALS` signals of which one is evidence (`SPAM_EVIDENCE`). List shape is not
  evidence, and repeated words in rows that carry numbers are a table (weather, prices, scores,
  results), not keyword stuffing.
* Language: detected with lingua on the kept body, from a fixed set of likely languages (lingua
  has no Kurdish model), for many articles at once on every CPU (`check_languages`; it was a
  third of the stage's cost, on one). A non-Turkish or uncertain article is not dropped: it is returned with
  `skip_reason` set ("not Turkish: detected English (confidence 0.97)") so that the batch index
  shows why it was not translated. An article with no body left gets
  `skip_reason = "no article text left after cleaning"`.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lingua import ConfidenceValue, Language, LanguageDetector, LanguageDetectorBuilder

from trnews.stages.clean.site_templates import SiteTemplate, template_key
from trnews.stages.clean.prose import (
    CLOSING_QUOTES,
    OPENING_QUOTES,
    closes_sentence,
    ends_sentence,
    inner_sentence_ends,
    is_all_caps,
    is_prose,
    word_count,
)
from trnews.text.datafiles import data_lines
from trnews.text.dates import find_date, normalise_given_date, only_date, only_time, zoned
from trnews.stages.clean.layout import Line, split_lines
from trnews.records import CleanArticle, Paragraph, ParagraphKind, RawArticle, Removed
from trnews.text.turkish import fold as _fold

__all__ = ["clean_article", "clean_text", "check_languages", "language_detector"]

REASON_COMMENT_FORM = "comment-form"
REASON_METADATA_LABEL = "metadata-label"
REASON_AD_MARKER = "ad-marker"
REASON_BANNER = "breaking-news-banner"
REASON_REPEATED_TITLE = "repeated-title"
REASON_SITE_SUFFIX = "site-name-suffix"
REASON_TITLE_LABEL = "title-label"
REASON_UPDATE_DATE = "update-date"
REASON_PUBLISH_DATE = "publish-date"
REASON_CREDIT = "credit"
REASON_BOILERPLATE = "boilerplate"
REASON_SEPARATOR = "separator"
REASON_SPAM = "spam"
REASON_WIDGET = "widget"
REASON_SITE_TEMPLATE = "site-template"
REASON_RELATED_LINKS = "related-links"
REASON_DUPLICATE_CAPTION = "duplicate-caption"

NO_TEXT_LEFT = "no article text left after cleaning"

# Formats whose headings arrive as Markdown `#` lines (see RawArticle); others are plain text.
MARKDOWN_FORMATS = ("markdown", "html")

# Languages the detector chooses between: Turkish, its close relative Azerbaijani (so that
# Azerbaijani news is not mistaken for Turkish), and the languages foreign-news pages in Turkey
# are most often scraped in. Lingua has no Kurdish model.
DETECTED_LANGUAGES = (
    Language.TURKISH, Language.AZERBAIJANI, Language.ENGLISH, Language.GERMAN, Language.FRENCH,
    Language.SPANISH, Language.ITALIAN, Language.DUTCH, Language.PORTUGUESE, Language.RUSSIAN,
    Language.UKRAINIAN, Language.BULGARIAN, Language.GREEK, Language.ARABIC, Language.PERSIAN,
)
# Below this Turkish confidence an article is skipped even if Turkish is the top guess.
MIN_TURKISH_CONFIDENCE = 0.5
# Lingua is as accurate on the first few thousand characters as on a whole article, and faster.
DETECTION_SAMPLE_CHARS = 4000

# A plain-text line this short without a sentence ending, followed by more text, is a subheading.
MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 160
# Phrase rules that look inside a line (copyright, cookie notice, ...) only fire on lines this
# short, so a real paragraph that quotes such a phrase is never dropped.
MAX_BOILERPLATE_WORDS = 40
MAX_CREDIT_WORDS = 10
# A labelled date line ("Güncelleme: 19.06.2024 14:30 | Yayınlanma: 18.06.2024") is at most this long.
MAX_DATE_LINE_WORDS = 16
SPAM_MIN_SIGNALS = 3
# Signals that are evidence of spam; list shape, no verbs and lower case alone are not.
SPAM_EVIDENCE = frozenset({"keyword-stuffing", "link-tokens", "spam-terms", "after-article-end"})
# A first line longer than this, or a sentence, is article text and never the title.
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 250
# A widget glued into a line is looked for among its first this many tokens (after a header).
MAX_HEADER_TOKENS = 24
# No widget word is longer than this; a line of more words is not a widget line.
MAX_WIDGET_WORD_CHARS = 16
MAX_WIDGET_LINE_WORDS = 8

# --- folding -----------------------------------------------------------------------------------

# Rules match folded text (`trnews.text.turkish.fold`): one character in, one character out, so match
# positions in the folded text are positions in the original (title labels, agency datelines,
# date labels rely on it).
_NON_WORD = re.compile(r"[\W_]+")


# The line rules and the title checks each look a line up: its key is made once.
@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """`_fold` with punctuation dropped and spaces collapsed: for whole-line phrase lookups."""
    return " ".join(_NON_WORD.sub(" ", _fold(text)).split())


def _patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


# --- phrase lists (data files in trnews/data/, written as they appear on pages; matched folded) --


def _phrase_keys(name: str) -> frozenset[str]:
    return frozenset(_key(phrase) for phrase in data_lines(name))


def _alternatives(phrases: Iterable[str]) -> str:
    """A regex alternation of folded phrases, longest first."""
    return "|".join(sorted({re.escape(_fold(p)) for p in phrases}, key=len, reverse=True))


def _pattern_alternation(name: str) -> str:
    """The regular expressions of data file `name`, one a line, as one alternation in file order."""
    return "|".join(data_lines(name))


def _only_words_of(name: str) -> re.Pattern[str]:
    """A line of nothing but the phrases of data file `name`, as whole words, and punctuation."""
    return re.compile(rf"^(?:[\W_]*\b(?:{_alternatives(data_lines(name))})\b[\W_]*)+$")


# WordPress-style comment forms and comment counters; they close the article on most sites.
COMMENT_FORM_LINES = _phrase_keys("comment_form_lines.txt")
COMMENT_FORM_PATTERNS = _patterns(*data_lines("comment_form_patterns.txt"))

# Labels a CMS prints before a value; alone (the value was not scraped) they are noise.
METADATA_LABEL_LINES = _phrase_keys("metadata_labels.txt")
# Tag and category lists with their values are navigation, not article text.
METADATA_LIST_PATTERN = re.compile(rf"^(?:{_alternatives(data_lines('metadata_list_labels.txt'))})\s*:\s*\S")

# Ad slots: "REKLAM", "----- REKLAM -----", repeated on one line, English variants.
AD_MARKER_PATTERN = _only_words_of("ad_markers.txt")

# Urgency banners that sites print as a line of their own above or below the headline.
BANNER_PATTERN = _only_words_of("breaking_news_banners.txt")

# Date labels: "Son Güncelleme :", "Yayınlanma Tarihi:", ... followed by a date (same or next line).
UPDATE_LABEL = _pattern_alternation("update_date_labels.txt")
PUBLISH_LABEL = _pattern_alternation("publish_date_labels.txt")
_ANY_DATE_LABEL = re.compile(rf"\b(?:(?P<update>{UPDATE_LABEL})|(?P<publish>{PUBLISH_LABEL}))\b\s*[:\-–]?\s*")
DATE_LABEL_PATTERN = re.compile(
    rf"^(?:(?P<update>{UPDATE_LABEL})|(?P<publish>{PUBLISH_LABEL}))\b\s*(?P<colon>[:\-–]?)\s*(?P<rest>.*)$"
)

# News agencies (abbreviation and full name are one credit) and the desks of a newsroom.
AGENCIES: tuple[tuple[str, str], ...] = tuple(
    (abbreviation, full_name)
    for abbreviation, full_name in (line.split("\t") for line in data_lines("agencies.tsv"))
)
AGENCY_PATTERN = re.compile(
    rf"\b(?:{_alternatives(name for pair in AGENCIES for name in pair)}"
    rf"|{_pattern_alternation('newsroom_desks.txt')})\b"
)
# "Kaynak: Reuters", "Editör: ...", "Haber Kaynağı: Demirören Haber Ajansı (DHA)".
CREDIT_LABEL_PATTERN = re.compile(rf"^(?:{_alternatives(data_lines('credit_labels.txt'))})\s*:\s*\S")
# "(Reuters'ın girdileriyle)", "AFP ve Reuters'ın katkılarıyla".
CREDIT_PHRASE_END = re.compile(rf"(?:{_alternatives(data_lines('credit_phrase_endings.txt'))})\W*$")
# Words that make a short parenthesised line a credit: "(Haber Merkezi)", "(Foto: Ali Kaya)".
CREDIT_WORD_PATTERN = re.compile(_alternatives(data_lines("credit_words.txt")))

# Page furniture: share bars, navigation, subscription prompts (whole lines), and patterns with
# variable parts (counters, footers, prompts, breadcrumbs, hashtags, advertorial notices).
BOILERPLATE_LINES = _phrase_keys("boilerplate_lines.txt")
BOILERPLATE_PATTERNS = tuple(re.compile(pattern) for pattern in data_lines("boilerplate_patterns.txt"))
# Headings that open a list of links to other articles ("İlgili Haberler").
RELATED_HEADINGS = _phrase_keys("related_headings.txt")

# Words widgets glued into a line are made of ("PAYLAŞ Yorum yaz A"): word -> strong, weak or font.
WIDGET_WORDS: dict[str, str] = dict(
    (word, strength) for word, strength in (line.split("\t") for line in data_lines("widget_words.txt"))
)

# Leading headline labels that name the medium or urgency, not the story.
TITLE_LABEL_PATTERN = re.compile(rf"^(?:{_alternatives(data_lines('title_labels.txt'))})\s*[:|]\s*")
# Separators before a site-name suffix; titles themselves practically never contain them.
STRONG_SUFFIX_SEPARATORS = re.compile(r"\s+(?:\||»|::)\s+")
# A dash separates a suffix only when what follows looks like a site name.
DASH_SUFFIX = re.compile(r"^(?P<head>.+\S)\s+[-–—]\s+(?P<suffix>[^-–—]+)$")
MAX_SUFFIX_WORDS = 12
MAX_DASH_SUFFIX_WORDS = 4

# Vocabulary of appended SEO spam (folded); evidence that a run of lines is spam.
SPAM_TERMS_PATTERN = re.compile(rf"\b(?:{_alternatives(data_lines('spam_terms.txt'))})\b")

# --- lines ---------------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LIST_ITEM = re.compile(r"^(?:[-*•·–]|\d+[.)])\s")
_URLISH = re.compile(r"https?://|www\.|\w\.(?:com|net|org|info|xyz|tr|io|me|co)\b")
_DIGITS = re.compile(r"\d")
_TRAILING_SOURCE = re.compile(r"\s*\((?P<source>[^()]{2,60})\)\W*$")
# A line whose last word ends like a Turkish finite verb reads as a sentence.
_VERB_ENDING = re.compile(rf"(?:{_pattern_alternation('tr_verb_endings.txt')})$")


@dataclass(frozen=True)
class _Verdict:
    reason: str | None = None  # None: the line is kept
    published: str | None = None  # ISO dates a date line carries
    updated: str | None = None


_KEPT = _Verdict()


def _is_title_like(text: str) -> bool:
    """A headline: short, and not a sentence ("!" and "?" headlines are fine, a full stop is not)."""
    stripped = text.rstrip(CLOSING_QUOTES + " ")
    return (
        word_count(text) <= MAX_TITLE_WORDS
        and len(text) <= MAX_TITLE_CHARS
        and not (stripped.endswith((".", ":", ";", ",")) and not stripped.endswith(("...", "…")))
        and inner_sentence_ends(text) <= 1
    )


# --- widgets glued into a line -------------------------------------------------------------------


# Every line's first words are looked up, and news repeats its words.
@functools.lru_cache(maxsize=65536)
def _widget_strength(token: str) -> str | None:
    """"strong", "weak" or "font" for a widget word (`WIDGET_WORDS`, a case suffix after an
    apostrophe ignored: "Facebook'ta"); None for any other word, and for a word that ends a
    sentence (widgets carry no full stop)."""
    if len(token) > MAX_WIDGET_WORD_CHARS or closes_sentence(token):
        return None
    return WIDGET_WORDS.get(_fold(token).strip(",:()[]\"“”").split("'")[0])


class _Strengths:
    """`_widget_strength` of each token of a line, computed on first use."""

    def __init__(self, tokens: list[str]) -> None:
        self._tokens = tokens
        self._known: dict[int, str | None] = {}

    def __getitem__(self, index: int) -> str | None:
        if index not in self._known:
            self._known[index] = _widget_strength(self._tokens[index])
        return self._known[index]

    def run(self, start: int, end: int) -> list[str | None]:
        return [self[index] for index in range(start, end)]


def _widget_run(tokens: list[str], strengths: _Strengths, start: int, end: int, set_apart: bool) -> bool:
    """Tokens [start, end) form a widget: all widget words, at least one strong, and set apart
    from the text around them, by a sentence or paragraph boundary or by a strong word written in
    capitals ("PAYLAŞ"). "Twitter ve Facebook'ta paylaşılan ..." is text: no widget starts it."""
    run = strengths.run(start, end)
    if not run or not all(run) or "strong" not in run:
        return False
    capitals = any(tokens[i].isupper() and strengths[i] == "strong" for i in range(start, end))
    return capitals or (set_apart and end - start > 1)


def _opens_sentence(token: str) -> bool:
    """Starts with a capital or a digit after any opening quotes, or is punctuation ("*", "—")."""
    first = token.lstrip(OPENING_QUOTES)[:1]
    return not first or first.isupper() or first.isdigit() or not first.isalpha()


def _is_header(text: str) -> bool:
    """What may precede a widget glued to the start of a line: nothing, a headline, a date, or a
    headline and a date ("Dolar neden düştü? 12 Eylül 1998")."""
    if not text:
        return True
    pieces = _split_header(text)
    return only_date(pieces[-1]) is not None or (len(pieces) == 1 and _is_title_like(text))


def _leading_widget(tokens: list[str], strengths: _Strengths) -> tuple[int, int] | None:
    """(start, end) of a widget run among the first `MAX_HEADER_TOKENS` tokens of a line, after
    at most a header (`_is_header`), with text that opens a sentence after it."""
    start = 0
    while start < min(MAX_HEADER_TOKENS, len(tokens)):
        if not strengths[start]:
            start += 1
            continue
        end = start
        while end < len(tokens) and strengths[end]:
            end += 1
        if end < len(tokens) and _widget_run(tokens, strengths, start, end, set_apart=_opens_sentence(tokens[end])) \
                and _is_header(" ".join(tokens[:start])):
            return start, end
        start = max(end, start + 1)
    return None


def _trailing_widget(tokens: list[str], strengths: _Strengths) -> int | None:
    """Start of a widget run that ends a line with text before it ("... göbeğinde. PAYLAŞ A")."""
    start = len(tokens)
    while start > 0 and strengths[start - 1]:
        start -= 1
    if start == 0 or start == len(tokens):
        return None
    after_sentence = ends_sentence(tokens[start - 1])
    return start if _widget_run(tokens, strengths, start, len(tokens), set_apart=after_sentence) else None


def _is_widget_line(text: str) -> bool:
    """A line made of nothing but widget words: "PAYLAŞ A", "A", "A+ A-"."""
    tokens = text.split()
    if len(tokens) > MAX_WIDGET_LINE_WORDS:
        return False
    strengths = [_widget_strength(token) for token in tokens]
    return all(strengths) and ("strong" in strengths or set(strengths) == {"font"})


def _split_header(header: str) -> list[str]:
    """A header before a glued widget, its trailing date split off: "7 mucize bitki 18 Şubat 2018"
    -> ["7 mucize bitki", "18 Şubat 2018"]."""
    found = find_date(header)
    if found and only_date(header[found[1].start():]):
        before = header[: found[1].start()].strip()
        return [piece for piece in (before, header[found[1].start():].strip()) if piece]
    return [header]


def _affix_size(tokens: list[str], affix: str | None, at_start: bool) -> int:
    """How many tokens the template `affix` covers at the start (or end) of `tokens`; 0 when it
    is not there or would leave nothing."""
    size = len(affix.split()) if affix else 0
    if not size or len(tokens) <= size:
        return 0
    piece = tokens[:size] if at_start else tokens[-size:]
    return size if template_key(" ".join(piece)) == affix else 0


def _cut_line(text: str, prefix: str | None, suffix: str | None) -> list[tuple[str, str | None]]:
    """The pieces of one line in order, each with the reason it is cut off (None: still to
    classify): a site-template prefix, a header and widget glued to the start, the text, a widget
    or site-template suffix glued to the end."""
    tokens = text.split()
    pieces: list[tuple[str, str | None]] = []
    if size := _affix_size(tokens, prefix, at_start=True):
        pieces.append((" ".join(tokens[:size]), REASON_SITE_TEMPLATE))
        tokens = tokens[size:]
    # Widget words are looked up lazily: the middle of a long paragraph is never looked at.
    leading = _leading_widget(tokens, _Strengths(tokens))
    if leading:
        start, end = leading
        pieces.extend((piece, None) for piece in _split_header(" ".join(tokens[:start])))
        pieces.append((" ".join(tokens[start:end]), REASON_WIDGET))
        tokens = tokens[end:]
    ending: tuple[str, str] | None = None
    trailing = _trailing_widget(tokens, _Strengths(tokens))
    if trailing is not None:
        tokens, ending = tokens[:trailing], (" ".join(tokens[trailing:]), REASON_WIDGET)
    elif size := _affix_size(tokens, suffix, at_start=False):
        tokens, ending = tokens[:-size], (" ".join(tokens[-size:]), REASON_SITE_TEMPLATE)
    if not pieces and ending is None:
        return [(text, None)]
    pieces.append((" ".join(tokens), None))
    if ending:
        pieces.append(ending)
    return [(piece, reason) for piece, reason in pieces if piece]


def _cut_fragments(lines: list[Line], template: SiteTemplate | None) -> tuple[list[Line], list[str | None]]:
    """Lines with glued widgets and site-template pieces cut off into lines of their own; the
    second list holds the reason for each cut-off piece (None for what is still to classify).
    A line a line rule removes whole keeps that rule's reason and is not cut."""
    out: list[Line] = []
    preset: list[str | None] = []
    template_lines = frozenset(template.lines) if template else frozenset()
    for index, line in enumerate(lines):
        if _rule_reason(line.text):
            pieces: list[tuple[str, str | None]] = [(line.text, None)]
        elif template_key(line.text) in template_lines:
            pieces = [(line.text, REASON_SITE_TEMPLATE)]
        else:
            prefix = template.prefix if template and index == 0 else None
            suffix = template.suffix if template and index == len(lines) - 1 else None
            pieces = _cut_line(line.text, prefix, suffix)
        for text, reason in pieces:
            out.append(Line(text, line.block, line.marked_heading and reason is None))
            preset.append(reason)
    return out, preset


# --- title ---------------------------------------------------------------------------------------


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
    match = TITLE_LABEL_PATTERN.match(_fold(title))
    if not match or match.end() >= len(title):
        return title, None
    return title[match.end():].strip(), title[: match.end()].strip()


@dataclass(frozen=True)
class _Title:
    text: str
    removed: tuple[Removed, ...]
    keys: frozenset[str]  # normalised forms a repeated title may take in the body

    def is_repeated_in(self, line: str) -> bool:
        if len(line) > 2 * MAX_TITLE_CHARS:
            return False
        without_label = _split_title_label(line)[0]
        return bool({_key(line), _key(without_label), _key(_split_site_suffix(without_label)[0])} & self.keys)


def _make_title(title_line: str) -> _Title:
    """Label first ("SON DAKİKA | Başlık" must not read as a title "SON DAKİKA"), then suffix."""
    without_label, label = _split_title_label(title_line.strip())
    text, suffix = _split_site_suffix(without_label)
    removed = [Removed(text=label, reason=REASON_TITLE_LABEL)] if label else []
    if suffix:
        removed.append(Removed(text=suffix, reason=REASON_SITE_SUFFIX))
    keys = frozenset(k for k in (_key(title_line), _key(without_label), _key(text)) if k)
    return _Title(text, tuple(removed), keys)


_NO_TITLE = _Title("", (), frozenset())


# --- line rules ----------------------------------------------------------------------------------


def _comment_form(line: str) -> bool:
    if _key(line) in COMMENT_FORM_LINES:
        return True
    folded = _fold(line)
    return any(p.search(folded) for p in COMMENT_FORM_PATTERNS)


def _metadata_label(line: str) -> bool:
    return _key(line) in METADATA_LABEL_LINES or (
        word_count(line) <= MAX_BOILERPLATE_WORDS and bool(METADATA_LIST_PATTERN.match(_fold(line)))
    )


def _ad_marker(line: str) -> bool:
    return bool(AD_MARKER_PATTERN.match(_fold(line)))


def _banner(line: str) -> bool:
    return bool(BANNER_PATTERN.match(_fold(line)))


def _separator(line: str) -> bool:
    return not any(ch.isalnum() for ch in line)


def _credit(line: str) -> bool:
    """Agency/desk/author lines: "İHA", "ANKARA (AA)", "(EKONOMİ SERVİSİ)",
    "(AFP'nin girdileriyle)", "Kaynak: Reuters", "Editör: Ayşe Kaya"."""
    if word_count(line) > MAX_CREDIT_WORDS:
        return False
    folded = _fold(line)
    if CREDIT_LABEL_PATTERN.match(folded) or CREDIT_PHRASE_END.search(folded):
        return True
    if line.startswith("(") and line.endswith(")"):
        inner = folded[1:-1]
        return bool(AGENCY_PATTERN.search(inner) or CREDIT_WORD_PATTERN.search(inner)) or is_all_caps(line)
    return _agency_dateline(line, folded)


def _agency_dateline(line: str, folded: str) -> bool:
    """An agency name with at most one other, capitalised word (a city): "İHA", "ANKARA (AA)"."""
    agencies = [match.span() for match in AGENCY_PATTERN.finditer(folded)]
    if not agencies:
        return False
    others = [word for word in re.finditer(r"\w+", folded)
              if not any(start <= word.start() < end for start, end in agencies)]
    return len(others) <= 1 and all(line[word.start()].isupper() for word in others)


def _boilerplate(line: str) -> bool:
    if _key(line) in BOILERPLATE_LINES or _key(line) in RELATED_HEADINGS or _is_widget_line(line):
        return True
    if word_count(line) > MAX_BOILERPLATE_WORDS:
        return False
    folded = _fold(line)
    return any(p.search(folded) for p in BOILERPLATE_PATTERNS)


# Context-free rules in the order they are tried; the first that fires names the reason.
LINE_RULES = (
    (REASON_SEPARATOR, _separator),
    (REASON_COMMENT_FORM, _comment_form),
    (REASON_AD_MARKER, _ad_marker),
    (REASON_BANNER, _banner),
    (REASON_METADATA_LABEL, _metadata_label),
    (REASON_CREDIT, _credit),
    (REASON_BOILERPLATE, _boilerplate),
)


@functools.lru_cache(maxsize=4096)
def _rule_reason(line: str) -> str | None:
    # Page furniture is short: a paragraph longer than this is article text (or spam, judged later).
    if word_count(line) > MAX_BOILERPLATE_WORDS:
        return None
    return next((reason for reason, rule in LINE_RULES if rule(line)), None)


def _labelled_dates(text: str) -> dict[str, str]:
    """The dates after each label of a date line, by kind: "Giriş: 12.01.2025 10:30 |
    Güncelleme: 12.01.2025 11:45" -> {"published": "2025-01-12T10:30", "updated": "2025-01-12T11:45"}."""
    folded = _fold(text)
    labels = list(_ANY_DATE_LABEL.finditer(folded))
    dates: dict[str, str] = {}
    for label, following in zip(labels, labels[1:] + [None]):
        found = find_date(text[label.end(): following.start() if following else len(text)])
        kind = "updated" if label["update"] else "published"
        if found and kind not in dates:
            dates[kind] = found[0]
    return dates


def _date_verdicts(lines: list[Line], index: int) -> list[_Verdict] | None:
    """Verdicts for a date line at `index` (and the next line when it carries the label's date),
    or None when the line is not about a date."""
    text = lines[index].text
    if word_count(text) > MAX_DATE_LINE_WORDS:
        return None
    date_alone = only_date(text)
    if date_alone:
        return [_Verdict(REASON_PUBLISH_DATE, published=date_alone)]
    label = DATE_LABEL_PATTERN.match(_fold(text))
    if not label:
        return None
    reason = REASON_UPDATE_DATE if label["update"] else REASON_PUBLISH_DATE
    if label["rest"]:
        dates = _labelled_dates(text)
        if dates:
            return [_Verdict(reason, **dates)]
        # "Güncelleme: 14:35": a time without a day is no date to keep, but the line is one.
        return [_Verdict(reason)] if only_time(label["rest"]) else None
    following = only_date(lines[index + 1].text) if index + 1 < len(lines) else None
    if following:
        kind = "updated" if label["update"] else "published"
        return [_Verdict(reason), _Verdict(reason, **{kind: following})]
    if label["colon"]:
        return [_Verdict(REASON_METADATA_LABEL)]
    return None


def _classify(lines: list[Line], preset: list[str | None], title: _Title) -> Iterator[_Verdict]:
    """One verdict per line, in order: the reason it was cut off with, else the first rule that
    fires, else kept. A line restating the title is dropped above the body, or when it is not a
    sentence; a closing sentence that restates the headline is article text."""
    index = 0
    body_started = False
    while index < len(lines):
        text = lines[index].text
        if preset[index]:
            found = [_Verdict(preset[index])]
        elif title.is_repeated_in(text) and not (body_started and ends_sentence(text)):
            found = [_Verdict(REASON_REPEATED_TITLE)]
        else:
            reason = _rule_reason(text)
            if reason == REASON_BANNER and _runs_on(lines, index):
                reason = None
            found = [_Verdict(reason)] if reason else _date_verdicts(lines, index) or [_KEPT]
        body_started = body_started or any(verdict.reason is None for verdict in found)
        yield from found
        index += len(found)


def _runs_on(lines: list[Line], index: int) -> bool:
    """"Flaş..." trailing off into the next line of its block opens that sentence: not a banner."""
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and following.block == lines[index].block \
        and lines[index].text.rstrip().endswith(("...", "…")) and not is_all_caps(lines[index].text)


def _mark_related_links(lines: list[Line], verdicts: list[_Verdict]) -> list[_Verdict]:
    """The link list under a "related" heading ("İlgili Haberler") goes with it: the kept lines
    after it that read like headlines, up to the first paragraph. Its last line stays when a
    blank line sets it apart and a paragraph follows: that is the article's next subheading."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        if _key(line.text) not in RELATED_HEADINGS or verdicts[index].reason is None:
            continue
        links: list[int] = []
        for following in range(index + 1, len(lines)):
            if verdicts[following].reason is not None:
                continue
            if not _is_title_like(lines[following].text):
                if len(links) > 1 and lines[links[-1]].block != lines[links[-2]].block:
                    links.pop()
                break
            links.append(following)
        for link in links:
            result[link] = _Verdict(REASON_RELATED_LINKS)
    return result


def _mark_duplicate_captions(lines: list[Line], verdicts: list[_Verdict]) -> list[_Verdict]:
    """A photo or video caption ending in a source credit ("... viral oldu. (X/BRICS Haberleri)")
    that repeats a sentence of the text just before it is dropped: the text already says it."""
    result = list(verdicts)
    previous_kept: str | None = None
    for index, line in enumerate(lines):
        if verdicts[index].reason is not None:
            continue
        credit = _TRAILING_SOURCE.search(line.text)
        if credit and previous_kept is not None:
            caption = _key(line.text[: credit.start()])
            if len(caption.split()) >= 3 and caption in _key(previous_kept):
                result[index] = _Verdict(REASON_DUPLICATE_CAPTION)
                continue
        previous_kept = line.text
    return result


# --- spam ----------------------------------------------------------------------------------------


def _spam_signals(run: list[str], after_article_end: bool) -> list[str]:
    """Names of the spam signals a run of lines without sentence endings shows. Repeated words
    in a run whose lines carry numbers are a table (weather, prices, scores, results), not
    keyword stuffing."""
    words = [w for line in run for w in _WORDS.findall(_fold(line))]
    tokens = [t for line in run for t in line.split()]
    signals = []
    data_rows = sum(bool(_DIGITS.search(line)) for line in run) * 2 >= len(run)
    if len(words) >= 8 and not data_rows:
        top_share = Counter(words).most_common(1)[0][1] / len(words)
        if top_share >= 0.2 or len(set(words)) / len(words) <= 0.5:
            signals.append("keyword-stuffing")
    if len(run) >= 2 and len(tokens) / len(run) <= 15:
        signals.append("list-shaped")
    if sum(line[0].islower() for line in run) * 2 >= len(run):
        signals.append("lowercase-lines")
    if tokens and sum(bool(_URLISH.search(t.lower())) for t in tokens) * 5 >= len(tokens):
        signals.append("link-tokens")
    if sum(bool(_VERB_ENDING.search(_key(line).rsplit(" ", 1)[-1])) for line in run) * 4 < len(run):
        signals.append("verbless")
    if any(SPAM_TERMS_PATTERN.search(_key(line)) for line in run):
        signals.append("spam-terms")
    if after_article_end:
        signals.append("after-article-end")
    return signals


def _article_end(verdicts: list[_Verdict]) -> int | None:
    """Index of the line that closes the article: the first comment form, else the last credit
    that follows some kept text. Spam after it gets one more signal."""
    first_kept = next((i for i, v in enumerate(verdicts) if v.reason is None), None)
    if first_kept is None:
        return None
    comment = next(
        (i for i, v in enumerate(verdicts) if v.reason == REASON_COMMENT_FORM and i > first_kept), None
    )
    if comment is not None:
        return comment
    credits = [i for i, v in enumerate(verdicts) if v.reason == REASON_CREDIT and i > first_kept]
    return credits[-1] if credits else None


def _sentence_like(text: str) -> bool:
    """Prose, or a long line of varied words that merely lacks its final full stop."""
    if is_prose(text):
        return True
    words = _WORDS.findall(_fold(text))
    return len(words) > MAX_HEADING_WORDS and len(set(words)) >= 0.8 * len(words)


def _candidate_runs(lines: list[Line], verdicts: list[_Verdict]) -> list[list[int]]:
    """Runs of adjacent kept lines of one block without sentence structure."""
    runs: list[list[int]] = []
    for index, line in enumerate(lines):
        if verdicts[index].reason is not None or _sentence_like(line.text):
            continue
        if runs and runs[-1][-1] == index - 1 and lines[index - 1].block == line.block:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _mark_spam(lines: list[Line], verdicts: list[_Verdict]) -> list[_Verdict]:
    """Drop runs of adjacent kept lines without sentence structure that show enough spam
    signals, at least one of them evidence (`SPAM_EVIDENCE`)."""
    end = _article_end(verdicts)
    result = list(verdicts)
    for run in _candidate_runs(lines, verdicts):
        signals = _spam_signals([lines[i].text for i in run], end is not None and run[0] > end)
        if len(signals) >= SPAM_MIN_SIGNALS and SPAM_EVIDENCE.intersection(signals):
            for i in run:
                result[i] = _Verdict(REASON_SPAM)
    return result


# --- paragraphs ----------------------------------------------------------------------------------


def _stands_alone(line: Line, markdown: bool) -> bool:
    """A Markdown heading (or, in plain text, an ALL-CAPS line) is never merged with neighbours."""
    return line.marked_heading if markdown else is_all_caps(line.text)


def _group_units(lines: list[Line], verdicts: list[_Verdict], markdown: bool) -> list[list[Line]]:
    """Kept lines grouped into paragraphs: runs of consecutive kept lines of one block, each run
    split into single lines when it holds one paragraph per line."""
    runs: list[list[Line]] = []
    previous_kept = False
    for line, verdict in zip(lines, verdicts):
        if verdict.reason is not None:
            previous_kept = False
            continue
        last = runs[-1] if runs and previous_kept else None
        if last and last[-1].block == line.block \
                and not _stands_alone(line, markdown) and not _stands_alone(last[-1], markdown):
            last.append(line)
        else:
            runs.append([line])
        previous_kept = True
    return [unit for run in runs for unit in ([[line] for line in run] if _line_per_paragraph(run) else [run])]


def _line_per_paragraph(run: list[Line]) -> bool:
    """True when no line of the run continues on the next one, as in text with a paragraph per
    line; False for hard-wrapped text, where some line stops mid-sentence and the next goes on
    in lower case (or a long line stops mid-sentence)."""
    return len(run) > 1 and not any(_LIST_ITEM.match(line.text) for line in run) and not any(
        not ends_sentence(line.text) and not is_all_caps(line.text)
        and (following.text[:1].islower() or word_count(line.text) > MAX_HEADING_WORDS)
        for line, following in zip(run, run[1:])
    )


def _plain_heading(unit: list[Line], has_next: bool) -> bool:
    if len(unit) != 1:
        return False
    text = unit[0].text
    if _LIST_ITEM.match(text):
        return False
    if is_all_caps(text) and word_count(text) <= 2 * MAX_HEADING_WORDS:
        return True
    return has_next and not is_prose(text) and word_count(text) <= MAX_HEADING_WORDS \
        and len(text) <= MAX_HEADING_CHARS


def _paragraphs(units: list[list[Line]], markdown: bool) -> list[Paragraph]:
    """Units as paragraphs. In plain text, short lines in a row ("İstanbul 12 derece", "Ankara 6
    derece") are list items, not headings: a heading is followed by text."""
    if markdown:
        candidates = [unit[0].marked_heading for unit in units]
    else:
        candidates = [_plain_heading(unit, has_next=index + 1 < len(units)) for index, unit in enumerate(units)]
    paragraphs = []
    for index, unit in enumerate(units):
        heading = candidates[index]
        if heading and not markdown and not is_all_caps(unit[0].text):
            neighbours = candidates[max(index - 1, 0): index] + candidates[index + 1: index + 2]
            heading = not any(neighbours)
        kind: ParagraphKind = "heading" if heading else "text"
        paragraphs.append(Paragraph(kind=kind, text="\n".join(line.text for line in unit)))
    return paragraphs


# --- language ------------------------------------------------------------------------------------

_DETECTOR_LOCK = threading.Lock()


@functools.cache
def _build_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*DETECTED_LANGUAGES).build()


def language_detector() -> LanguageDetector:
    """The process-wide lingua detector, built on first use (thread-safe, built once)."""
    with _DETECTOR_LOCK:
        return _build_detector()


def _language_verdict(confidences: list[ConfidenceValue]) -> tuple[str | None, str | None]:
    """(ISO 639-1 code, skip reason or None) from lingua's confidence values for a body text."""
    if not confidences or confidences[0].value <= 0:
        return None, "language could not be detected"
    top = confidences[0]
    code = top.language.iso_code_639_1.name.lower()
    if top.language != Language.TURKISH:
        return code, f"not Turkish: detected {top.language.name.title()} (confidence {top.value:.2f})"
    if top.value < MIN_TURKISH_CONFIDENCE:
        return code, f"not Turkish: Turkish confidence too low ({top.value:.2f})"
    return code, None


# --- stage ---------------------------------------------------------------------------------------


def _title_and_verdicts(
    raw: RawArticle, lines: list[Line], preset: list[str | None]
) -> tuple[_Title, list[Line], list[_Verdict]]:
    """The title, and every other line with its verdict. Without `raw.title`, the title is the
    first line that is not noise (a banner or date line above the headline is skipped) when it
    reads like a headline; a sentence or a long line is article text, and the title stays empty."""
    if raw.title and raw.title.strip():
        title = _make_title(raw.title)
        return title, lines, list(_classify(lines, preset, title))
    leading = list(itertools.takewhile(
        lambda verdict: verdict.reason is not None, _classify(lines, preset, _NO_TITLE)
    ))
    first = len(leading)
    if first == len(lines) or not _is_title_like(lines[first].text):
        return _NO_TITLE, lines, list(_classify(lines, preset, _NO_TITLE))
    title = _make_title(lines[first].text)
    body, body_preset = lines[first + 1:], preset[first + 1:]
    return title, lines[:first] + body, leading + list(_classify(body, body_preset, title))


def clean_article(raw: RawArticle, template: SiteTemplate | None = None) -> CleanArticle:
    """Separate the body of `raw` (headings and paragraphs, in order, unaltered) from noise,
    extract title, dates and credits, and check that the body is Turkish. `template` holds the
    pieces of this article that `TemplateStats` judged its site's template. For many articles,
    `clean_text` each, then `check_languages` once: lingua then uses every CPU."""
    return check_languages([clean_text(raw, template)])[0]


def check_languages(articles: Sequence[CleanArticle]) -> list[CleanArticle]:
    """The articles with their language, and a skip reason unless their body is Turkish; lingua
    judges them all at once, in parallel (articles without text keep their skip reason)."""
    started = time.perf_counter()
    judged = [index for index, article in enumerate(articles) if not article.skip_reason]
    samples = ["\n".join(p.text for p in articles[i].paragraphs)[:DETECTION_SAMPLE_CHARS] for i in judged]
    verdicts = dict(zip(judged, map(
        _language_verdict, language_detector().compute_language_confidence_values_in_parallel(samples))))
    share = (time.perf_counter() - started) / max(len(articles), 1)
    results = []
    for index, article in enumerate(articles):
        language, skip_reason = verdicts.get(index, (None, article.skip_reason))
        timings = {**article.timings, "clean": round(article.timings.get("clean", 0.0) + share, 4)}
        results.append(article.model_copy(update={"language": language, "skip_reason": skip_reason,
                                                  "timings": timings}))
    return results


def clean_text(raw: RawArticle, template: SiteTemplate | None = None) -> CleanArticle:
    """`clean_article` without the language check (`check_languages`): language None, and a skip
    reason only when no text is left."""
    started = time.perf_counter()
    markdown = raw.source.format in MARKDOWN_FORMATS
    lines, preset = _cut_fragments(split_lines(raw.text, markdown), template)
    title, lines, verdicts = _title_and_verdicts(raw, lines, preset)
    for mark in (_mark_related_links, _mark_spam, _mark_duplicate_captions):
        verdicts = mark(lines, verdicts)

    removed = list(title.removed) + [
        Removed(text=line.text, reason=verdict.reason)
        for line, verdict in zip(lines, verdicts) if verdict.reason is not None
    ]
    paragraphs = _paragraphs(_group_units(lines, verdicts, markdown), markdown)

    return CleanArticle(
        id=raw.id,
        source=raw.source,
        title=title.text,
        published=normalise_given_date(raw.published) or _first_date(verdicts, "published"),
        updated=_first_date(verdicts, "updated"),
        url=raw.url,
        credits=_one_credit_per_agency(item.text for item in removed if item.reason == REASON_CREDIT),
        paragraphs=paragraphs,
        removed=removed,
        language=None,
        skip_reason=None if paragraphs else NO_TEXT_LEFT,
        timings={**raw.timings, "clean": round(time.perf_counter() - started, 4)},
    )


def _first_date(verdicts: list[_Verdict], kind: str) -> str | None:
    """The first "published" or "updated" date of the date lines, zoned."""
    date = next((getattr(v, kind) for v in verdicts if getattr(v, kind)), None)
    return zoned(date) if date else None


def _agency(credit: str) -> str | None:
    """The agency a credit line names, by its abbreviation ("İHA" for "İhlas Haber Ajansı")."""
    folded = _fold(credit)
    for abbreviation, full_name in AGENCIES:
        if any(re.search(rf"\b{re.escape(_fold(name))}\b", folded) for name in (abbreviation, full_name)):
            return abbreviation
    return None


def _one_credit_per_agency(credits: Iterable[str]) -> list[str]:
    """Credit lines in order, without a second line for an agency already credited."""
    kept: list[str] = []
    seen: set[str] = set()
    for credit in credits:
        agency = _agency(credit)
        if agency is None or agency not in seen:
            kept.append(credit)
        if agency is not None:
            seen.add(agency)
    return kept
