"""The headline: which line is the title, what is cut off it, and which lines restate it.

* Title: `raw.title` if given (JSONL `title`, HTML title from trafilatura's metadata), else a
  Markdown page's one top-level heading, else the headline-shaped line above the lead that the
  lead restates most (`lead_overlap`: a news lead
  repeats its headline's words, a weather box or a ticker above it does not), else the first
  line that is not noise if it reads like a headline (at most `MAX_TITLE_WORDS` words, no final
  full stop); a sentence or a long line is article text, and the title is then empty.
* A date glued before the headline in a flattened page is cut (and read as the publication date
  when no date line gives one), and so is a name in capitals glued before it ("T.C. KUZEYKENT
  BELEDİYESİ Başlık").
* A site-name suffix after " | ", " » " or " :: " is cut; after a dash only when it is short and
  every word is capitalised ("Başlık - Hürriyet"). A section name before " | ", " » " or " :: "
  is cut when it is a few capitalised words and the rest is a longer, sentence-case headline
  ("Tarım | Kooperatif üyelerine damla sulama kursu"). Buttons glued after the headline in a
  flattened page ("Başlık Paylaş Yazdır WhatsApp": whole-line UI phrases and widget words of
  `lexicon`) are cut when a headline of several words remains. A leading label is cut only when
  it is one of a few medium/urgency labels (`data/title_labels.txt`) followed by ":" or "|"
  ("İzleyin:", "VİDEO:", "SON DAKİKA |"), or a forum's thread prefix in brackets ("[Duyuru]");
  other leading phrases ("24 yıl sonra ilk: ...") stay.
  Every piece cut is listed in `removed`.
* A line restating the title is dropped above the body or when it is not a sentence; a closing
  sentence that restates the headline is the writer's and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trnews.records import Removed
from trnews.stages.clean.lexicon import UI_LINE_KEYS, widget_strength
from trnews.stages.clean.metadata import DATE_LABEL_PATTERN
from trnews.stages.clean.phrases import alternatives, is_glyph, line_key
from trnews.stages.clean.prose import CLOSING_QUOTES, inner_sentence_ends, is_prose, word_count, words
from trnews.stages.clean.reasons import (
    REASON_HEADER_ROW, REASON_PUBLISH_DATE, REASON_SECTION_PREFIX, REASON_SITE_SUFFIX, REASON_TITLE_LABEL,
    REASON_UPDATE_DATE, REASON_WIDGET,
)
from trnews.text.datafiles import data_lines
from trnews.text.dates import find_date, zoned
from trnews.text.turkish import fold, folded_stem

__all__ = [
    "MAX_TITLE_CHARS", "MAX_TITLE_WORDS", "MIN_HEADLINE_WORDS", "NO_TITLE", "Title", "is_breadcrumbs",
    "is_title_like", "lead_overlap", "lead_text", "make_title", "may_hold_breadcrumbs", "split_breadcrumbs",
]

# A first line longer than this, or a sentence, is article text and never the title.
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 250

# A forum's thread prefix in brackets is one too ("[Duyuru] ...", "[Çözüldü] ...").
TITLE_LABEL_PATTERN = re.compile(
    rf"^(?:(?:{alternatives(data_lines('title_labels.txt'))})\s*[:|]\s*|\[[^\[\]]{{1,24}}\]\s+)")
# Separators before a site-name suffix; titles themselves practically never contain them.
STRONG_SUFFIX_SEPARATORS = re.compile(r"\s+(?:\||»|::)\s+")
_CLOCK_TIME = re.compile(r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b")
# A dash (or a middle dot: "Başlık · Yankı Odası") separates a suffix only when what follows
# looks like a site name.
_DASHES = "-–—·•"
DASH_SUFFIX = re.compile(rf"^(?P<head>.+\S)\s+[{_DASHES}]\s+(?P<suffix>[^{_DASHES}]+)$")
MAX_SUFFIX_WORDS = 12
MAX_DASH_SUFFIX_WORDS = 4
MAX_SECTION_WORDS = 3
# A headline has at least this many words (what must remain once pieces are cut off it).
MIN_HEADLINE_WORDS = 3
# The longest UI phrase, in words, looked for at the end of a headline.
MAX_WIDGET_WORDS = 4
MIN_STEM_WORD_LETTERS = 4
MIN_SHARED_STEMS = 2
MIN_CAPITALS_HEADER_WORDS = 2
# How much of the text after a headline counts as its lead (what restates the headline).
LEAD_CHARS = 600
# What separates breadcrumb items ("Ana Sayfa > Spor", "Eleştiri / Dans", "Arşiv › 1971").
BREADCRUMB_SEPARATORS = (" > ", " / ", " › ")
_BREADCRUMB_SEPARATOR = re.compile("|".join(map(re.escape, BREADCRUMB_SEPARATORS)))
# " » " separates crumbs too ("Ana Sayfa » Gündem"), but also a title from its site's name: a
# title glued after such crumbs is looked for (`split_breadcrumbs`), a line holding one is no
# breadcrumb trail for that alone (`is_breadcrumbs`).
GLUED_CRUMB_SEPARATORS = (*BREADCRUMB_SEPARATORS, " » ")
_GLUED_CRUMB_SEPARATOR = re.compile("|".join(map(re.escape, GLUED_CRUMB_SEPARATORS)))
MAX_CRUMB_WORDS = 3
# A title glued after breadcrumbs without its site's name is cut off a trail of this many crumbs
# only, when the lead restates it: "İstanbul / Kadıköy Belediyesi yeni parkı açtı" is a sentence.
# One crumb fewer will do after a separator only breadcrumbs use.
MIN_UNNAMED_TRAIL_CRUMBS = 3
# Separators of breadcrumbs only: " / " is also prose's ("İstanbul / Kadıköy"), " » " also parts
# a title from its site's name.
TRAIL_ONLY_SEPARATORS = (" › ", " > ")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")


def is_title_like(text: str) -> bool:
    """A headline: short, and not a sentence ("!" and "?" headlines are fine, a full stop is not)."""
    stripped = text.rstrip(CLOSING_QUOTES + " ")
    return (
        word_count(text) <= MAX_TITLE_WORDS
        and len(text) <= MAX_TITLE_CHARS
        and not (stripped.endswith((".", ":", ";", ",")) and not stripped.endswith(("...", "…")))
        and inner_sentence_ends(text) <= 1
    )


def _stems(text: str) -> set[str]:
    """The stems (`folded_stem`) of the words of `MIN_STEM_WORD_LETTERS` letters or more: most
    function words ("ve", "bir", "ile") are shorter. (jusText's Turkish stoplist is no filter
    here: it holds 2,842 frequent words, "Karadeniz" and "belediye" among them.)"""
    return {folded_stem(word) for word in words(text) if len(word) >= MIN_STEM_WORD_LETTERS}


def lead_text(texts: Iterable[str]) -> str:
    """The first `LEAD_CHARS` characters of `texts` joined by spaces: what restates a headline
    (the rest of the page is never joined)."""
    taken: list[str] = []
    size = 0
    for text in texts:
        if size >= LEAD_CHARS:
            break
        taken.append(text)
        size += len(text) + 1
    return " ".join(taken)[:LEAD_CHARS]


def may_hold_breadcrumbs(text: str) -> bool:
    """`text` holds a crumb separator, " » " included: a title may be glued after breadcrumbs
    there (`split_breadcrumbs`)."""
    return bool(_GLUED_CRUMB_SEPARATOR.search(text))


def is_breadcrumbs(text: str) -> bool:
    """"Ana Sayfa > Spor", "İncelemeler / Akıllı Telefonlar": a headline never spaces these out."""
    return any(separator in text for separator in BREADCRUMB_SEPARATORS)


def lead_overlap(headline: str, lead: str) -> float:
    """How much of a headline's content the article's lead repeats: the number of its content
    words found there, then (as a fraction) their share, smoothed by one: three words shared of
    seven (3.38) beat two of two (2.67: a section name, "Ortopedi ve Travmatoloji"), two of four
    (2.4) beat two of five (2.33). A news lead restates its headline, while a weather box, a
    ticker or an institution's name above it shares a place name at most: fewer than
    `MIN_SHARED_STEMS` words shared count as none (0)."""
    stems = _stems(headline)
    shared = len(stems & _stems(lead))
    return shared + shared / (len(stems) + 1) if shared >= MIN_SHARED_STEMS else 0.0


def _split_site_suffix(title: str) -> tuple[str, str | None]:
    """("Başlık", "Site Adı") for "Başlık | Site Adı", "Başlık » Site, Güncel Haberler",
    "Başlık - Hürriyet", "Başlık - Ege Postası | Kent Arşivi" (a newspaper's name inside an
    archive's); (title, None) when there is no clear suffix. A site's name tells no time: after
    " | " in a ticker ("Veliefendi 8 koşu · İlk start 13:30 | Bursa 7 koşu · İlk start 14:00")
    comes its next item, and a name is written in capitals: after " | " in a live ticker
    ("Kadınlar finali 18.40'ta | Erkekler sırıkla atlama sürüyor") comes a sentence's words."""
    strong = STRONG_SUFFIX_SEPARATORS.search(title)
    if strong:
        head, suffix = title[: strong.start()].strip(), title[strong.end():].strip()
        if (word_count(head) >= 2 and 0 < word_count(suffix) <= MAX_SUFFIX_WORDS and not _CLOCK_TIME.search(suffix)
                and _name_like(suffix)):
            inner, dashed = _split_dash_suffix(head)
            return (inner, title[len(inner):].strip().lstrip(_DASHES).strip()) if dashed else (head, suffix)
    return _split_dash_suffix(title)


def _split_dash_suffix(title: str) -> tuple[str, str | None]:
    """("Başlık", "Hürriyet") for "Başlık - Hürriyet": after a dash, a short suffix of
    capitalised (or dotted) words, numbers after the first ("Ekran 24"), that is no prose; a
    section's name before it goes with it ("Başlık - Yerel Haberler - Porsuk Forum")."""
    dash = DASH_SUFFIX.match(title)
    if dash:
        head, suffix = dash["head"].strip(), dash["suffix"].strip()
        words = suffix.split()
        site_like = bool(words) and (words[0][0].isupper() or "." in words[0]) and all(
            word[0].isupper() or word.isdigit() or "." in word for word in words)
        if word_count(head) >= 3 and len(words) <= MAX_DASH_SUFFIX_WORDS and site_like \
                and not is_prose(suffix):
            inner, section = _split_dash_suffix(head)
            if section and word_count(section) <= MAX_SECTION_WORDS:
                return inner, title[len(inner):].strip().lstrip(_DASHES).strip()
            return head, suffix
    return title, None


def _name_like(suffix: str) -> bool:
    """At least half the words capitalised (or dotted: "haber.com"), as a site's or a section's
    name is written ("Ege Postası", "Sağlık Haberleri ve Güncel Bilgiler")."""
    words = suffix.split()
    return 2 * sum(word[0].isupper() or word[0].isdigit() or "." in word for word in words) >= len(words)


def split_breadcrumbs(text: str, lead: str) -> tuple[str, str] | None:
    """(breadcrumbs, title line) for a page's title glued after its breadcrumbs: "Haberler / Basın
    Odası Yenice Gençlik Merkezi açıldı | Sarıçiçek Belediyesi" -> ("Haberler / Basın Odası",
    "Yenice Gençlik Merkezi açıldı | Sarıçiçek Belediyesi"). After the last separator come the
    last crumb, unless the breadcrumbs end on their separator, and the headline: it starts after
    a Markdown heading mark (Markdown flattened into a line: "Süper Lig # Bozkırspor 2-1 ..."),
    or at the capitalised word its colon closes ("Dans Tuz: Denizin ..."), or else at the
    capitalised word just before the first lower-case one, taking the capitalised words before
    it that the article's `lead` repeats as names (`_headline_start`). What follows must carry the
    site's name after a separator, as a page's title element does, or stand after three crumbs or
    more (two, after a separator only breadcrumbs use: "Haberler › Piyasa Kestane ...") and be
    restated by the lead: a sentence naming two places ("İstanbul / Kadıköy Belediyesi ...") is
    never cut."""
    separators = list(_GLUED_CRUMB_SEPARATOR.finditer(text))
    found = _split_after(text, separators[-1], lead) if separators else None
    # The last " » " may part the title from its site's name: then the crumbs end before it.
    if found is None and len(separators) > 1 and separators[-1].group() == " » ":
        found = _split_after(text, separators[-2], lead)
    return found


def _split_after(text: str, separator: re.Match[str], lead: str) -> tuple[str, str] | None:
    """`split_breadcrumbs` with the last crumb separator at `separator`."""
    crumbs = _GLUED_CRUMB_SEPARATOR.split(text[:separator.start()])
    # Before a separator only breadcrumbs use, the first crumb may come after whatever the
    # flattening glued before the trail (a ticker: "... Polen 900 TL/kg = Haberler › Piyasa").
    trail_only = separator.group() in TRAIL_ONLY_SEPARATORS
    if trail_only:
        first_words = crumbs[0].split()
        crumbs = [first_words[-1] if first_words else "", *crumbs[1:]]
    if any(not 0 < word_count(crumb) <= MAX_CRUMB_WORDS for crumb in crumbs):
        return None
    tokens = text[separator.end():].split()
    run = 0
    while run < len(tokens) and not tokens[run][:1].islower() and not tokens[run].endswith(":"):
        run += 1
    marks = [index for index, token in enumerate(tokens[:run]) if set(token) == {"#"}]
    if marks:
        start = marks[-1] + 1
    elif run < len(tokens) and tokens[run].endswith(":") and tokens[run][:1].isupper():
        start = run
    else:
        start = _headline_start(tokens, run, lead)
    title_line = " ".join(tokens[start:])
    head, site = _split_site_suffix(title_line)
    if word_count(head) < MIN_HEADLINE_WORDS:
        return None
    short_trail = len(crumbs) + 1 < MIN_UNNAMED_TRAIL_CRUMBS - (1 if trail_only else 0)
    if site is None and (short_trail or not lead_overlap(head, lead)):
        return None
    return f"{text[:separator.end()]}{' '.join(tokens[:start])}".rstrip(), title_line


def _names(text: str) -> set[str]:
    """Stems of the capitalised words of `text` that are names: not a sentence's first word,
    unless a capitalised word follows it ("Doğukaya Çimento, ...", not "Yatırımın tutarı ...")."""
    found = set()
    for sentence in _SENTENCE_BREAK.split(text):
        sentence_words = words(sentence)
        for index, word in enumerate(sentence_words):
            following = sentence_words[index + 1][:1] if index + 1 < len(sentence_words) else ""
            if word[:1].isupper() and (index > 0 or following.isupper()):
                found.add(folded_stem(word))
    return found


def _headline_start(tokens: list[str], run: int, lead: str) -> int:
    """Where the headline starts in `tokens[:run]`, the words after the last breadcrumb separator
    up to the first lower-case one: at the last capitalised word, then at every earlier one the
    lead repeats capitalised, as a name (a number or a sign between them goes with them; a
    section's name, "Yatırımları", is written in lower case in a lead), down to the first word
    when the lead repeats that too (breadcrumbs ending on their separator: "Finansal Raporlar /
    Doğukaya Çimento ...") and the second does not repeat it ("Arvena Arvena Aralık 2026 ...":
    a model's crumb, then its headline). A single word before the first lower-case one starts the
    headline: no headline starts in lower case."""
    names = _names(lead)
    start = max(run - 1, 0)
    for index in range(run - 2, -1, -1):
        stems = {folded_stem(word) for word in words(tokens[index])}
        if not stems:
            continue
        if not stems <= names or (index == 0 and fold(tokens[0]) == fold(tokens[1])):
            break
        start = index
    return start


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


def _is_widget(tokens: list[str]) -> bool:
    """A whole-line UI phrase ("Takip Et"), or widget words with a strong one ("WhatsApp"), with
    any icons ("🔊 Haberi sesli dinle"), or icons alone."""
    labels = [token for token in tokens if not is_glyph(token)]
    strengths = [widget_strength(token) for token in labels]
    return not labels or line_key(" ".join(labels)) in UI_LINE_KEYS or (all(strengths) and "strong" in strengths)


def _split_glued_widgets(title: str) -> tuple[str, str | None]:
    """("Başlık", "Paylaş Yazdır WhatsApp") for "Başlık Paylaş Yazdır WhatsApp": buttons at the
    end (`_is_widget`), cut one by one, longest first, while a headline of `MIN_HEADLINE_WORDS`
    remains. The headline before them sets them apart, as a sentence end does in a paragraph. A
    label in lower case is the headline's own word ("... 12 bin su kuşu kaydedildi"): buttons are
    capitalised."""
    words = title.split()
    end = len(words)
    while end > MIN_HEADLINE_WORDS:
        size = next((size for size in range(min(MAX_WIDGET_WORDS, end - MIN_HEADLINE_WORDS), 0, -1)
                     if not words[end - size][:1].islower() and _is_widget(words[end - size: end])), 0)
        if not size:
            break
        end -= size
    if end == len(words):
        return title, None
    return " ".join(words[:end]), " ".join(words[end:])


def _split_leading_date(title: str) -> tuple[str, str | None]:
    """("Başlık", "04 Aralık 2026") for "04 Aralık 2026 Başlık" or "Güncellenme 04 Aralık 2026
    Başlık": a date, maybe labelled, glued before the headline in a flattened page, cut while a
    headline of `MIN_HEADLINE_WORDS` remains."""
    found = find_date(title)
    label = title[: found[1].start()].strip() if found else ""
    if not found or (label and not DATE_LABEL_PATTERN.fullmatch(fold(label).rstrip(":-– "))):
        return title, None
    rest = title[found[1].end():].lstrip(" |-–—·,")
    if word_count(rest) < MIN_HEADLINE_WORDS:
        return title, None
    return rest, title[: found[1].end()].strip()


def _split_capitals_header(title: str) -> tuple[str, str | None]:
    """("Başlık", "T.C. KUZEYKENT BELEDİYESİ") for "T.C. KUZEYKENT BELEDİYESİ Başlık": an
    institution's or a site's name in capitals glued before a headline in sentence case in a
    flattened page, cut when at least `MIN_CAPITALS_HEADER_WORDS` words in capitals open the
    line and a headline of `MIN_HEADLINE_WORDS` follows."""
    tokens = title.split()
    size = next((index for index, token in enumerate(tokens) if not token.isupper()), len(tokens))
    rest = tokens[size:]
    if size < MIN_CAPITALS_HEADER_WORDS or len(rest) < MIN_HEADLINE_WORDS or not rest[0][:1].isupper():
        return title, None
    return " ".join(rest), " ".join(tokens[:size])


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

    @property
    def glued_date(self) -> str | None:
        """The date cut from before the headline (ISO 8601), if any."""
        cut = next((piece.text for piece in self.removed if piece.reason == REASON_PUBLISH_DATE), None)
        found = find_date(cut) if cut else None
        return zoned(found[0]) if found else None

    def is_repeated_in(self, line: str) -> bool:
        if len(line) > 2 * MAX_TITLE_CHARS:
            return False
        without_label = _split_title_label(line)[0]
        keys = {line_key(line), line_key(without_label), line_key(_split_site_suffix(without_label)[0])}
        return bool(keys & self.keys)


def make_title(title_line: str) -> Title:
    """A date glued before it first, then a label ("SON DAKİKA | Başlık" must not read as a
    title "SON DAKİKA"), a name in capitals, a section name before the headline, glued buttons
    after it, and a site-name suffix."""
    undated, date = _split_leading_date(title_line.strip())
    without_label, label = _split_title_label(undated)
    without_header, header = _split_capitals_header(without_label)
    without_section, section = _split_section_prefix(without_header)
    without_widgets, widgets = _split_glued_widgets(without_section)
    text, suffix = _split_site_suffix(without_widgets)
    labelled = DATE_LABEL_PATTERN.match(fold(date)) if date else None
    date_reason = REASON_UPDATE_DATE if labelled and labelled["update"] else REASON_PUBLISH_DATE
    cut = ((date, date_reason), (label, REASON_TITLE_LABEL), (header, REASON_HEADER_ROW),
           (section, REASON_SECTION_PREFIX), (widgets, REASON_WIDGET), (suffix, REASON_SITE_SUFFIX))
    removed = [Removed(text=piece, reason=reason) for piece, reason in cut if piece]
    keys = frozenset(k for k in (line_key(title_line), line_key(undated), line_key(without_header),
                                 line_key(without_section), line_key(text)) if k)
    return Title(text, tuple(removed), keys)


NO_TITLE = Title("", (), frozenset())
