"""Whole-line rules: a line that is nothing but page furniture is dropped, whatever surrounds it.

The rules (`LINE_RULES`, tried in order; the first that fires names the reason): separators,
a live blog's time stamps, comment forms, ad markers, breaking-news banners, metadata labels,
credits, a related article's headline after its heading, boilerplate (share bars, counters,
reading time, newsletter and app prompts, cookie/legal/imprint footers, breadcrumbs, hashtags,
advertorial notices, "continue reading" links, photo credits, font-size buttons, buttons that end
in an imperative verb: "Satın Al"), user names alone on a line, and advert copy in the sales
voice. Their phrases and patterns are data files in `trnews/data/`. Page furniture is short: no rule
looks at a line of more than `MAX_BOILERPLATE_WORDS` words, so a real paragraph that quotes such
a phrase is never dropped.
"""

from __future__ import annotations

import functools
import re

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import (
    is_button, is_button_row, is_comment_counter, is_counted_ui_row, is_ui_line, sells_to_reader,
)
from trnews.stages.clean.metadata import is_credit
from trnews.stages.clean.phrases import alternatives, data_patterns, line_key, phrase_keys, without_glyphs
from trnews.stages.clean.prose import ends_sentence, inline_items, is_all_caps, is_prose, word_count
from trnews.stages.clean.reasons import (
    REASON_AD_MARKER, REASON_ADVERT, REASON_BANNER, REASON_BOILERPLATE, REASON_COMMENT_FORM, REASON_CREDIT,
    REASON_FORM_FIELD, REASON_METADATA_LABEL, REASON_RELATED_LINKS, REASON_SEPARATOR, REASON_TIME_STAMP,
    REASON_USER_NAME,
)
from trnews.stages.clean.widgets import is_widget_line
from trnews.text.datafiles import data_lines
from trnews.text.dates import find_date
from trnews.text.turkish import fold

__all__ = [
    "LINE_RULES", "MAX_BOILERPLATE_WORDS", "banner_runs_on", "is_related_heading", "is_tag_list", "is_ticker",
    "opens_with_banner", "rule_reason",
]

MAX_BOILERPLATE_WORDS = 40

# WordPress-style comment forms and comment counters; they close the article on most sites.
COMMENT_FORM_LINES = phrase_keys("comment_form_lines.txt")
COMMENT_FORM_PATTERNS = data_patterns("comment_form_patterns.txt")
# Buttons that answer or quote a comment or a post: a row of controls holding one closes a post.
COMMENT_REPLY_BUTTONS = phrase_keys("comment_reply_buttons.txt")
# A form's bare fields, a comment form's or a newsletter's alike: furniture that closes nothing.
FORM_FIELD_LINES = phrase_keys("form_field_lines.txt")

# Labels a CMS prints before a value; alone (the value was not scraped) they are noise.
METADATA_LABEL_LINES = phrase_keys("metadata_labels.txt")
# Tag and category lists with their values are navigation, not article text.
_METADATA_LIST_LABEL = alternatives(data_lines("metadata_list_labels.txt"))
METADATA_LIST_PATTERN = re.compile(rf"^(?:{_METADATA_LIST_LABEL})\s*:\s*\S")
# The label with its items glued on without a colon ("Etiketler İstanbul metrobüs İETT").
BARE_METADATA_LIST_PATTERN = re.compile(rf"^(?:{_METADATA_LIST_LABEL})\s+\S")
METADATA_LIST_LABELS = phrase_keys("metadata_list_labels.txt")
# A user name alone on a line: a commenter's or a forum poster's handle ("kerem_26", "ebru.k",
# "@selin_t"), lower case with "_", "." or digits inside it (on the 156 training sites such
# lines were furniture 18 times in 18), or a reader's given name and initial, perhaps with a
# city or a time after it ("Ayşe K.", "Gülşen T., Eskişehir", "Murat D. · 2 saat önce": 16 in 16
# on the 188).
USER_NAME = re.compile(
    r"^@\w+$|^(?=\S*[a-zçğıöşü])[a-z0-9çğıöşü]+(?:[._][a-z0-9çğıöşü]+)+$|^[a-zçğıöşü]+\d+$"
    r"|^[A-ZÇĞİÖŞÜ][a-zçğıöşü]+ [A-ZÇĞİÖŞÜ]\.(?:\s*[,(·-]\s*[^.!?]{0,30})?$")
# A clock time alone on a line ("21:42", "09.15"): a live blog's entry time stamp.
TIME_STAMP = re.compile(r"^(?:[01]?\d|2[0-3])[:.][0-5]\d$")


def _only_words_of(name: str) -> re.Pattern[str]:
    """A line of nothing but the phrases of data file `name`, as whole words, and punctuation."""
    return re.compile(rf"^(?:[\W_]*\b(?:{alternatives(data_lines(name))})\b[\W_]*)+$")


def _opened_by_words_of(name: str) -> re.Pattern[str]:
    """A line that opens with a phrase of data file `name`, as whole words, after punctuation."""
    return re.compile(rf"^[\W_]*\b(?:{alternatives(data_lines(name))})\b")


# Ad slots: "REKLAM", "----- REKLAM -----", repeated on one line, English variants.
AD_MARKER_PATTERN = _only_words_of("ad_markers.txt")
# An ad marker opening the ad's own text on one line ("REKLAM Kış sezonu indirimi başladı!").
AD_OPENING_PATTERN = _opened_by_words_of("ad_markers.txt")
# Urgency banners that sites print as a line of their own above or below the headline.
BANNER_PATTERN = _only_words_of("breaking_news_banners.txt")
BANNER_OPENING_PATTERN = _opened_by_words_of("breaking_news_banners.txt")

# Page furniture: share bars, navigation, subscription prompts (whole lines), and patterns with
# variable parts (counters, footers, prompts, breadcrumbs, hashtags, advertorial notices).
BOILERPLATE_LINES = phrase_keys("boilerplate_lines.txt")
BOILERPLATE_PATTERNS = data_patterns("boilerplate_patterns.txt")
# Headings that open a list of links to other articles ("İlgili Haberler"), listed and by shape.
RELATED_HEADINGS = phrase_keys("related_headings.txt")
RELATED_HEADING_PATTERNS = data_patterns("related_heading_patterns.txt")


def is_related_heading(line: str) -> bool:
    key = line_key(line)
    return key in RELATED_HEADINGS or (word_count(line) <= 6 and any(p.search(key) for p in RELATED_HEADING_PATTERNS))


# A related-links heading glued before a headline has at most this many words; the headline at
# least this many.
MAX_RELATED_HEADING_WORDS = 4
# A label and what it labels, set apart by a colon or a bar: "İlgili: ...", "İLGİLİ | ...".
_LABELLED = re.compile(r"^(?P<head>[^:|]+?)\s*(?::|\s\|)\s*(?P<rest>\S.*)$")
MIN_RELATED_HEADLINE_WORDS = 3


def _related_link(line: str) -> bool:
    """A related article's headline after its heading on the same line: "İlginizi çekebilir:
    Kablo ihracatı eylülde arttı", "> İlgili: ...", "İLGİLİ | ...", a heading glued before it
    ("İLGİNİZİ ÇEKEBİLİR Karaburun'da sakatlık şoku", "Sıradaki haber Pınarbaşı FK liderliğini
    sürdürdü"); a sentence after a heading's words is the article's."""
    text = line.strip().lstrip(">").strip()
    labelled = _LABELLED.match(text)
    if labelled and is_related_heading(labelled["head"]):
        return True
    words = text.split()
    for size in range(1, min(MAX_RELATED_HEADING_WORDS, len(words) - 1) + 1):
        heading, rest = " ".join(words[:size]), " ".join(words[size:])
        if is_related_heading(heading) and _headline(rest, asks=is_all_caps(heading)):
            return True
    return False


def _headline(text: str, asks: bool = False) -> bool:
    """Words a headline could be: at least `MIN_RELATED_HEADLINE_WORDS`, no sentence, no page
    controls ("Önceki Haber Sonraki Haber" is two buttons). A headline that `asks` may hold a
    question without a full stop ("Burs başvuruları ne zaman başlıyor? İşte merak edilenler"):
    after a heading in capitals, which no sentence opens with."""
    sentence = is_prose(text) and not (asks and "?" in text and "." not in text)
    return word_count(text) >= MIN_RELATED_HEADLINE_WORDS and not sentence and not is_ui_line(text) \
        and not is_related_heading(text)


def _form_field(line: str) -> bool:
    return line_key(line) in FORM_FIELD_LINES


def _comment_form(line: str) -> bool:
    if line_key(line) in COMMENT_FORM_LINES:
        return True
    if any(line_key(item) in COMMENT_REPLY_BUTTONS for item in inline_items(line)) and is_button_row(line):
        return True
    folded = fold(line)
    return any(p.search(folded) for p in COMMENT_FORM_PATTERNS) or is_comment_counter(line)


def _metadata_label(line: str) -> bool:
    return line_key(line) in METADATA_LABEL_LINES or is_tag_list(line)


def is_tag_list(line: str) -> bool:
    """A tag or category list ("Etiketler: seçim, ekonomi"; its items glued on without a colon,
    no sentence: "Etiketler İstanbul metrobüs"), or its label alone above its items."""
    folded = fold(line)
    return line_key(line) in METADATA_LIST_LABELS or word_count(line) <= MAX_BOILERPLATE_WORDS and (
        bool(METADATA_LIST_PATTERN.match(folded))
        or (bool(BARE_METADATA_LIST_PATTERN.match(folded)) and not ends_sentence(line))
    )


def _time_stamp(line: str) -> bool:
    return bool(TIME_STAMP.match(line.strip()))


def _user_name(line: str) -> bool:
    return bool(USER_NAME.match(line.strip()))


def _ad_marker(line: str) -> bool:
    """An ad marker alone, or in capitals before text that is not ("REKLAM Kış sezonu ..."; an
    all-caps headline "REKLAM SEKTÖRÜ BÜYÜDÜ" is a headline)."""
    folded = fold(line)
    if AD_MARKER_PATTERN.match(folded):
        return True
    opening = AD_OPENING_PATTERN.match(folded)
    if opening is None:
        return False
    marker, rest = line[:opening.end()], line[opening.end():]
    return is_all_caps(marker) and any(ch.isalpha() for ch in rest) and not is_all_caps(rest)


def _banner(line: str) -> bool:
    return bool(BANNER_PATTERN.match(fold(line)))


def opens_with_banner(line: str) -> bool:
    """An urgency banner opens the line ("SON DAKİKA | ...", "Flaş: ..."), alone or not."""
    return bool(BANNER_OPENING_PATTERN.match(fold(line)))


def is_ticker(line: str) -> bool:
    """A breaking-news ticker: an urgency banner before a headline ("SON DAKİKA | Merkez Bankası
    faizi sabit tuttu", "Son Dakika: Bilet satışları başladı"); a sentence after the banner's
    words is text ("Son dakika golüyle kazandılar."). On the 212 labelled sites 36 lines were
    such tickers, all furniture; the page's own headline may open with a banner too, so only a
    line that is not the title is a ticker."""
    opening = BANNER_OPENING_PATTERN.match(fold(line))
    return opening is not None and _headline(line[opening.end():].lstrip(" :|·›»-–—"))


def _separator(line: str) -> bool:
    return not any(ch.isalnum() for ch in line)


def _boilerplate(line: str) -> bool:
    """Furniture by its phrase or pattern, UI phrases with their counts ("‹ Önceki 3 / 14 Sonraki
    ›"; a date's numbers are no count: a date row with buttons is cut into its pieces), or a row
    of such pieces side by side ("Fotoğraf 1 / 12 · Galeriyi aç", "Toplam 2.318 oy · Sonuçları
    gör")."""
    items = inline_items(line)
    if line_key(line) in BOILERPLATE_LINES or is_related_heading(line) or is_widget_line(line) \
            or is_ui_line(line) or is_button(line) or (is_counted_ui_row(line) and find_date(line) is None) \
            or (len(items) > 1 and is_button_row(line)):
        return True
    if len(items) > 1 and all(_boilerplate(item) for item in items if item.strip()):
        return True
    if word_count(line) > MAX_BOILERPLATE_WORDS:
        return False
    folded = fold(line)
    return any(p.search(folded) for p in BOILERPLATE_PATTERNS)


# Context-free rules in the order they are tried; the first that fires names the reason.
LINE_RULES = (
    (REASON_SEPARATOR, _separator),
    (REASON_TIME_STAMP, _time_stamp),
    (REASON_COMMENT_FORM, _comment_form),
    (REASON_FORM_FIELD, _form_field),
    (REASON_AD_MARKER, _ad_marker),
    (REASON_BANNER, _banner),
    (REASON_METADATA_LABEL, _metadata_label),
    (REASON_CREDIT, is_credit),
    (REASON_RELATED_LINKS, _related_link),
    (REASON_BOILERPLATE, _boilerplate),
    (REASON_USER_NAME, _user_name),
    (REASON_ADVERT, sells_to_reader),
)


def boilerplate_starts(line: str) -> list[int]:
    """Where inside `line` a boilerplate pattern's match opens on a capitalised word after other
    text ("Ortalama sepet tutarı: 412 TL Yatırım tavsiyesi değildir."): furniture glued on."""
    folded = fold(line)
    return sorted({match.start() for pattern in BOILERPLATE_PATTERNS for match in pattern.finditer(folded)
                   if match.start() > 0 and line[match.start() - 1] == " " and line[match.start()].isupper()})


@functools.lru_cache(maxsize=4096)
def rule_reason(line: str) -> str | None:
    """The reason of the first rule that fires on `line`; None when none does."""
    # Page furniture is short: a paragraph longer than this is article text (or spam, judged later).
    if word_count(line) > MAX_BOILERPLATE_WORDS:
        return None
    # Icons are decoration: "💬 43 yorum" is the comment counter "43 yorum" (and "👍 310" a
    # counter because of its icon).
    bare = without_glyphs(line) or line
    forms = (line,) if bare == line else (line, bare)
    return next((reason for reason, rule in LINE_RULES if any(rule(form) for form in forms)), None)


def banner_runs_on(lines: list[Line], index: int) -> bool:
    """"Flaş..." trailing off into the next line of its block opens that sentence: not a banner."""
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and following.block == lines[index].block \
        and lines[index].text.rstrip().endswith(("...", "…")) and not is_all_caps(lines[index].text)
