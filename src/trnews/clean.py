"""Cleaning stage: keep the article body (headings and paragraphs), drop everything else.

`clean_article` classifies the lines of a `RawArticle` in one pass with small named rules
(comment forms, metadata labels, ad markers, breaking-news banners, the repeated title, date
lines, credits, page boilerplate), then runs a statistical pass that drops SEO spam runs, then
groups the lines that are left into paragraphs and headings. Every dropped piece is recorded as
`Removed(text, reason)`; the reasons are the `REASON_*` constants below.

Decisions worth knowing:

* Text is never rewritten: a kept paragraph is the input lines of one blank-line-separated block
  (surrounding whitespace stripped, inner line breaks kept); a block is only cut where a noise
  line or a heading sits inside it, or into single lines when no line of it runs on into the
  next (text with one paragraph per line, common in JSONL). Sentences are the segmenter's business.
* Headings: for Markdown and HTML sources only `#` lines are headings. For plain text (and JSONL)
  a single-line paragraph is a heading when it is ALL CAPS, or when it is short, has no sentence
  ending and another paragraph follows it. A heading glued to a hard-wrapped paragraph stays part
  of that paragraph (unless it is ALL CAPS).
* Title: `raw.title` if given, else the first line that is not noise. A site-name suffix after
  " | ", " » " or " :: " is cut; after a dash only when it is short and every word is capitalised
  ("Başlık - Hürriyet"). A leading label is cut only when it is one of a few medium/urgency
  labels followed by ":" or "|" ("İzleyin:", "VİDEO:", "FOTO GALERİ:", "SON DAKİKA |"); other
  leading phrases ("24 yıl sonra ilk: ...") are real words and stay. Both are listed in `removed`
  ("title-label", "site-name-suffix").
* Dates: only date lines are read ("Son Güncelleme :" with the date on the same or next line,
  "Yayınlanma: ...", or a line that is nothing but a date); dates inside sentences are not.
  `published` is `raw.published` when given (turned into ISO 8601 where it is a Turkish date),
  else the first publication date line, else the first update date line.
* Credits (agency lines, "Kaynak: ...", "Editör: ...", "(... girdileriyle)") go to `credits` and
  are also listed in `removed` with reason "credit". A caption that merely ends in a
  parenthesised source ("... kuyruk oluştu. (X/Valilik Haberleri)") is article text and stays.
* Spam: runs of consecutive lines without sentence endings are scored on several signals
  (token repetition, low type/token ratio, list shape, lower-case line starts, URL-like tokens,
  no verb-like line endings, a few known spam terms, position after the article's end); a run
  with at least `SPAM_MIN_SIGNALS` signals is dropped. No single word list decides.
* Language: detected with lingua on the kept body, from a fixed set of likely languages (lingua
  has no Kurdish model). A non-Turkish or uncertain article is not dropped: it is returned with
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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from trnews.records import CleanArticle, Paragraph, ParagraphKind, RawArticle, Removed
from trnews.turkish import fold as _fold

__all__ = ["clean_article", "parse_turkish_date", "language_detector"]

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

# --- folding -----------------------------------------------------------------------------------

# Rules match folded text (`trnews.turkish.fold`): one character in, one character out, so match
# positions in the folded text are positions in the original (title labels, agency datelines,
# date labels rely on it).
_NON_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """`_fold` with punctuation dropped and spaces collapsed: for whole-line phrase lookups."""
    return " ".join(_NON_WORD.sub(" ", _fold(text)).split())


def _keys(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(p) for p in phrases)


def _patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


# --- phrase lists (written as they appear on pages; matched folded) ----------------------------

# WordPress-style comment forms and comment counters; they close the article on most sites.
COMMENT_FORM_LINES = _keys((
    "Bir yanıt yazın", "Bir yanıt bırakın", "Yanıt bırakın", "Yanıt yazın", "Cevap yazın",
    "Cevap bırakın", "Yorum yapın", "Yorum yap", "Yorum yaz", "Yorum yazın", "Yorumlar", "Yorum",
    "Yorumunuz", "Yorum gönder", "Yorumu gönder", "Yorum ekle", "Yanıtı iptal et", "Adınız",
    "Ad Soyad", "Adınız Soyadınız", "E-posta", "E-posta adresiniz", "Web sitesi", "İsim", "Gönder",
))
COMMENT_FORM_PATTERNS = _patterns(
    r"^e-?posta adresiniz (yayinlanmayacak|gizli)",
    r"gerekli alanlar\s*\*?\s*ile isaretlen",
    r"bir sonraki yorumumda kullanilmak uzere",
    r"^yorum yapmak icin",
    r"^(?:\d+\s+yorum(?:lar)?|yorumlar\s*\(\d+\))$",
)

# Labels a CMS prints before a value; alone (the value was not scraped) they are noise.
METADATA_LABEL_LINES = _keys((
    "Yayımlandı", "Yayınlandı", "Güncellendi", "kategorisi", "Kategori", "Kategoriler", "yazarı",
    "Yazar", "Yazarlar", "Etiketler", "Etiket", "Tags", "Konular", "Tarih", "Kaynak",
))
# Tag and category lists with their values are navigation, not article text.
METADATA_LIST_PATTERN = re.compile(
    r"^(etiketler|etiket|tags|kategori|kategoriler|konular|anahtar kelimeler)\s*:\s*\S"
)

# Ad slots: "REKLAM", "----- REKLAM -----", repeated on one line, English variants.
AD_MARKER_PATTERN = re.compile(
    r"^(?:[\W_]*\b(?:reklam|reklam alani|advertisement|advertising|sponsorlu(?: icerik)?)\b[\W_]*)+$"
)

# Urgency banners that sites print as a line of their own above or below the headline.
BANNER_PATTERN = re.compile(
    r"^(?:[\W_]*\b(?:son dakika(?: haberi| gelismesi)?|flas(?: haber| gelisme)?"
    r"|sicak (?:gelisme|haber)|breaking news|breaking)\b[\W_]*)+$"
)

# Date labels: "Son Güncelleme :", "Yayınlanma Tarihi:", ... followed by a date (same or next line).
UPDATE_LABEL = r"(?:son\s+)?(?:guncelleme|guncellenme)(?:\s+tarihi)?|guncellendi"
PUBLISH_LABEL = (
    r"(?:yayin|yayinlanma|yayimlanma|olusturulma|eklenme|giris)(?:\s+tarihi)?"
    r"|yayinlandi|yayimlandi|tarih"
)
DATE_LABEL_PATTERN = re.compile(
    rf"^(?:(?P<update>{UPDATE_LABEL})|(?P<publish>{PUBLISH_LABEL}))\b\s*(?P<colon>[:\-–]?)\s*(?P<rest>.*)$"
)

# News agencies and desks whose name alone on a line (optionally with a city) is a credit.
AGENCY_PATTERN = re.compile(
    r"\b(?:aa|iha|dha|anka|ajanslar|reuters|afp|ap|dpa|xinhua|sputnik|associated press"
    r"|anadolu ajansi|ihlas haber ajansi|demiroren haber ajansi|haber merkezi|\w+ haberler servisi"
    r"|\w+ servisi|bbc turkce|dw turkce|euronews)\b"
)
# "Kaynak: Reuters", "Editör: ...", "Haber Kaynağı: Demirören Haber Ajansı (DHA)".
CREDIT_LABEL_PATTERN = re.compile(
    r"^(?:haber kaynagi|kaynak|editor|muhabir|foto|fotograf|gorsel|goruntu|yazar|derleyen"
    r"|ceviri|ceviren|hazirlayan|haberi hazirlayan|redaksiyon|haber)\s*:\s*\S"
)
# "(Reuters'ın girdileriyle)", "AFP ve Reuters'ın katkılarıyla".
CREDIT_PHRASE_END = re.compile(r"(?:girdileriyle|katkilariyla)\W*$")
# Words that make a short parenthesised line a credit: "(Haber Merkezi)", "(Foto: Ali Kaya)".
CREDIT_WORD_PATTERN = re.compile(r"kaynak|servisi|ajans|muhabir|editor|foto|haber merkezi")

# Page furniture: share bars, related-content headers, navigation, subscription prompts.
BOILERPLATE_LINES = _keys((
    "Paylaş", "Paylaşın", "Haberi paylaş", "Bu haberi paylaş", "Facebook'ta paylaş",
    "Twitter'da paylaş", "X'te paylaş", "WhatsApp'ta paylaş", "WhatsApp ile paylaş",
    "Telegram'da paylaş", "LinkedIn'de paylaş", "E-posta ile gönder", "E-posta ile paylaş",
    "Linki kopyala", "Bağlantıyı kopyala", "Yazdır", "Kaydet", "Takip et", "İlgili Haberler",
    "Benzer Haberler", "Diğer Haberler", "Önerilen Haberler", "İlginizi Çekebilir",
    "Bunlar da ilginizi çekebilir", "Çok Okunanlar", "Öne Çıkanlar", "Son Haberler",
    "Sıradaki haber", "Sonraki haber", "Önceki haber", "Haberin devamı", "Devamını oku",
    "Tıklayın", "Ana Sayfa", "Anasayfa", "Geri dön", "Daha fazla göster", "Daha fazla yükle",
    "Abone ol", "Abone olun", "Bültene abone ol", "Kabul et", "Tümünü kabul et",
))
# Boilerplate with variable parts; only applied to lines of at most MAX_BOILERPLATE_WORDS words.
BOILERPLATE_PATTERNS = _patterns(
    # share bars made only of network names: "Paylaş: Facebook | X | WhatsApp"
    r"^(?:(?:paylas|share|facebook|twitter|x|whatsapp|telegram|linkedin|instagram|youtube"
    r"|pinterest|reddit|e-?posta|email|yazdir)\b[\s|,/·•:-]*)+$",
    # read counters: "Okunma: 1.234", "1.234 kez okundu"
    r"^(?:okunma|okunma sayisi|okuma|goruntulenme|goruntulenme sayisi|hit)\s*:?\s*[\d.,]+(?: kez)?$",
    r"^[\d.,]+\s+(?:kez\s+)?(?:okundu|okunma|goruntulenme)$",
    # copyright footers
    r"^(?:©|\(c\)\s|copyright\b)", r"tum haklari saklidir", r"izinsiz (?:kopyalanamaz|kullanilamaz)",
    # cookie notices, in the site's own voice: "Sitemizde çerezler kullanılmaktadır ..."
    r"^(?=.*\bcerez)(?=.*\b(?:sitemiz|web sitemiz|bu site|deneyiminiz|hizmet sunabilmek))",
    r"^cerez (?:politikasi|ayarlari|tercihleri)$",
    # follow / read-more prompts
    r"google (?:news|haberler)\S*\s.*takip", r"^(?:haberin\s+)?devami\s+icin\s+tiklayin",
    r"^(?:bizi\s+)?(?:sosyal medyada|instagram'da|twitter'da|x'te)\s+takip edin",
)

# Leading headline labels that name the medium or urgency, not the story.
TITLE_LABEL_PATTERN = re.compile(
    r"^(?:izleyin|izle|video|foto ?galeri|galeri|fotograflar|son dakika|flas|canli(?: yayin)?)\s*[:|]\s*"
)
# Separators before a site-name suffix; titles themselves practically never contain them.
STRONG_SUFFIX_SEPARATORS = re.compile(r"\s+(?:\||»|::)\s+")
# A dash separates a suffix only when what follows looks like a site name.
DASH_SUFFIX = re.compile(r"^(?P<head>.+\S)\s+[-–—]\s+(?P<suffix>[^-–—]+)$")
MAX_SUFFIX_WORDS = 12
MAX_DASH_SUFFIX_WORDS = 4

# Terms that appear in appended SEO spam (folded); one signal among several, never enough alone.
SPAM_TERMS_PATTERN = re.compile(r"\b(?:escort|casino|bahis|bet|betting|slot|porno|deneme bonusu)\b")

# --- dates ---------------------------------------------------------------------------------------

MONTHS = {
    "ocak": 1, "subat": 2, "mart": 3, "nisan": 4, "mayis": 5, "haziran": 6, "temmuz": 7,
    "agustos": 8, "eylul": 9, "ekim": 10, "kasim": 11, "aralik": 12,
}
WEEKDAYS = r"pazartesi|sali|carsamba|persembe|cuma|cumartesi|pazar"
_TIME = r"(?:[\s,\-–—|/]*(?:saat\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\b)?"
DATE_PATTERNS = _patterns(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})"
    rf"(?:[\s,]+(?:{WEEKDAYS})\b)?{_TIME}",
    rf"(?<!\d)(?P<day>\d{{1,2}})[./](?P<month>\d{{1,2}})[./](?P<year>\d{{4}}){_TIME}",
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2}))?",
)
# What may surround a date on a line that is nothing but a date.
DATE_FILLER = re.compile(rf"^(?:[\W_]|\b(?:{WEEKDAYS}|saat)\b)*$")


def _date_match(text: str) -> tuple[str, re.Match[str]] | None:
    folded = _fold(text)
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(folded):
            iso = _iso_from_match(match)
            if iso:
                return iso, match
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    month = match["month"]
    month_number = MONTHS[month] if month in MONTHS else int(month)
    hour = match["hour"]
    try:
        moment = datetime(int(match["year"]), month_number, int(match["day"]),
                          int(hour or 0), int(match["minute"] or 0))
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M" if hour is not None else "%Y-%m-%d")


def parse_turkish_date(text: str) -> str | None:
    """The first date in `text` as ISO 8601: "19 Haziran 2024 - 0:06" -> "2024-06-19T00:06",
    "19.06.2024 14:30" -> "2024-06-19T14:30", "19 Haziran 2024" -> "2024-06-19"; else None."""
    found = _date_match(text)
    return found[0] if found else None


def _only_date(text: str) -> str | None:
    """ISO date when the line is a date and nothing else (weekday, "saat", punctuation allowed)."""
    found = _date_match(text)
    if not found:
        return None
    iso, match = found
    folded = _fold(text)
    rest = folded[: match.start()] + " " + folded[match.end():]
    return iso if DATE_FILLER.match(rest) else None


def _normalise_published(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return parse_turkish_date(value) or value
    return value


# --- lines ---------------------------------------------------------------------------------------

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)(?:\s+#+)?\s*$")
_CLOSERS = "\"'”’»)]"
# A sentence boundary inside a line: ". " / "? " / "! " followed by more text.
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+\S")
_TRAILING_PARENTHETICAL = re.compile(r"\s*\([^()]*\)$")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LIST_ITEM = re.compile(r"^(?:[-*•·–]|\d+[.)])\s")
_URLISH = re.compile(r"https?://|www\.|\w\.(?:com|net|org|info|xyz|tr|io|me|co)\b")
# Turkish finite-verb endings (folded): -dı/-di/-du/-tı, -yor, -acak/-ecek, -mış, -dır, -lar ...
_VERB_ENDING = re.compile(
    r"(?:[dt][iu](?:[mnk]|niz|lar|ler)?|yor\w*|[ae]c[ae]k(?:tir|lar|ler)?|m[iu]s(?:tir|tur)?"
    r"|[dt][iu]r|m[ae]l[iu]|l[ae]r)$"
)


@dataclass(frozen=True)
class _Line:
    text: str  # stripped, without Markdown heading marks
    block: int  # index of the blank-line-separated block it belongs to
    marked_heading: bool  # a Markdown `#` line (Markdown/HTML sources only)


@dataclass(frozen=True)
class _Verdict:
    reason: str | None = None  # None: the line is kept
    date: str | None = None


_KEPT = _Verdict()


def _split_lines(text: str, markdown: bool) -> list[_Line]:
    lines: list[_Line] = []
    for block_index, block in enumerate(re.split(r"\n\s*\n", text.replace("\r\n", "\n"))):
        for raw_line in block.split("\n"):
            stripped = raw_line.strip()
            if not stripped:
                continue
            heading = _MARKDOWN_HEADING.match(stripped) if markdown else None
            lines.append(_Line(heading["text"] if heading else stripped, block_index, bool(heading)))
    return lines


def _word_count(text: str) -> int:
    return len(text.split())


def _ends_sentence(text: str) -> bool:
    """Ends like a sentence, ignoring a trailing "(source)" and closing quotes."""
    tail = _TRAILING_PARENTHETICAL.sub("", text).rstrip(_CLOSERS + " ")
    return tail.endswith((".", "!", "?", "…", ":", ";"))


def _is_prose(text: str) -> bool:
    """Has sentence structure: ends like a sentence or contains a sentence boundary."""
    return _ends_sentence(text) or bool(_INNER_SENTENCE_END.search(text))


def _is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


# --- title ---------------------------------------------------------------------------------------


def _split_site_suffix(title: str) -> tuple[str, str | None]:
    """("Başlık", "Site Adı") for "Başlık | Site Adı", "Başlık » Site, Güncel Haberler",
    "Başlık - Hürriyet"; (title, None) when there is no clear suffix."""
    strong = STRONG_SUFFIX_SEPARATORS.search(title)
    if strong:
        head, suffix = title[: strong.start()].strip(), title[strong.end():].strip()
        if _word_count(head) >= 2 and 0 < _word_count(suffix) <= MAX_SUFFIX_WORDS:
            return head, suffix
    dash = DASH_SUFFIX.match(title)
    if dash:
        head, suffix = dash["head"].strip(), dash["suffix"].strip()
        words = suffix.split()
        site_like = all(word[0].isupper() or "." in word for word in words)
        if _word_count(head) >= 3 and len(words) <= MAX_DASH_SUFFIX_WORDS and site_like \
                and not _is_prose(suffix):
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
    return _key(line) in COMMENT_FORM_LINES or any(p.search(_fold(line)) for p in COMMENT_FORM_PATTERNS)


def _metadata_label(line: str) -> bool:
    return _key(line) in METADATA_LABEL_LINES or (
        _word_count(line) <= MAX_BOILERPLATE_WORDS and bool(METADATA_LIST_PATTERN.match(_fold(line)))
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
    if _word_count(line) > MAX_CREDIT_WORDS:
        return False
    folded = _fold(line)
    if CREDIT_LABEL_PATTERN.match(folded) or CREDIT_PHRASE_END.search(folded):
        return True
    if line.startswith("(") and line.endswith(")"):
        inner = folded[1:-1]
        return bool(AGENCY_PATTERN.search(inner) or CREDIT_WORD_PATTERN.search(inner)) or _is_all_caps(line)
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
    if _key(line) in BOILERPLATE_LINES:
        return True
    return _word_count(line) <= MAX_BOILERPLATE_WORDS and any(
        p.search(_fold(line)) for p in BOILERPLATE_PATTERNS
    )


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


def _rule_reason(line: str) -> str | None:
    return next((reason for reason, rule in LINE_RULES if rule(line)), None)


def _date_verdicts(lines: list[_Line], index: int) -> list[_Verdict] | None:
    """Verdicts for a date line at `index` (and the next line when it carries the label's date),
    or None when the line is not about a date."""
    text = lines[index].text
    only_date = _only_date(text)
    if only_date:
        return [_Verdict(REASON_PUBLISH_DATE, only_date)]
    label = DATE_LABEL_PATTERN.match(_fold(text))
    if not label:
        return None
    reason = REASON_UPDATE_DATE if label["update"] else REASON_PUBLISH_DATE
    if label["rest"]:
        found = _date_match(text[label.start("rest"):])
        return [_Verdict(reason, found[0])] if found and _word_count(text) <= MAX_DATE_LINE_WORDS else None
    following = _only_date(lines[index + 1].text) if index + 1 < len(lines) else None
    if following:
        return [_Verdict(reason), _Verdict(reason, following)]
    if label["colon"]:
        return [_Verdict(REASON_METADATA_LABEL)]
    return None


def _classify(lines: list[_Line], title: _Title) -> Iterator[_Verdict]:
    """One verdict per line, in order: the first rule that fires, or kept."""
    index = 0
    while index < len(lines):
        text = lines[index].text
        if title.is_repeated_in(text):
            found = [_Verdict(REASON_REPEATED_TITLE)]
        else:
            reason = _rule_reason(text)
            found = [_Verdict(reason)] if reason else _date_verdicts(lines, index) or [_KEPT]
        yield from found
        index += len(found)


# --- spam ----------------------------------------------------------------------------------------


def _spam_signals(run: list[str], after_article_end: bool) -> list[str]:
    """Names of the spam signals a run of lines without sentence endings shows."""
    words = [w for line in run for w in _WORDS.findall(_fold(line))]
    tokens = [t for line in run for t in line.split()]
    signals = []
    if len(words) >= 8:
        top_share = Counter(words).most_common(1)[0][1] / len(words)
        if top_share >= 0.2 or len(set(words)) / len(words) <= 0.5:
            signals.append("repetitive")
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
    if _is_prose(text):
        return True
    words = _WORDS.findall(_fold(text))
    return len(words) > MAX_HEADING_WORDS and len(set(words)) >= 0.8 * len(words)


def _mark_spam(lines: list[_Line], verdicts: list[_Verdict]) -> list[_Verdict]:
    """Drop runs of consecutive kept lines without sentence structure that look like spam."""
    end = _article_end(verdicts)
    result = list(verdicts)
    run: list[int] = []
    for index in range(len(lines) + 1):
        if index < len(lines) and verdicts[index].reason is None and not _sentence_like(lines[index].text):
            run.append(index)
            continue
        if run:
            after_end = end is not None and run[0] > end
            if len(_spam_signals([lines[i].text for i in run], after_end)) >= SPAM_MIN_SIGNALS:
                for i in run:
                    result[i] = _Verdict(REASON_SPAM)
            run = []
    return result


# --- paragraphs ----------------------------------------------------------------------------------


def _stands_alone(line: _Line, markdown: bool) -> bool:
    """A Markdown heading (or, in plain text, an ALL-CAPS line) is never merged with neighbours."""
    return line.marked_heading if markdown else _is_all_caps(line.text)


def _group_units(lines: list[_Line], verdicts: list[_Verdict], markdown: bool) -> list[list[_Line]]:
    """Kept lines grouped into paragraphs: runs of consecutive kept lines of one block, each run
    split into single lines when it holds one paragraph per line."""
    runs: list[list[_Line]] = []
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


def _line_per_paragraph(run: list[_Line]) -> bool:
    """True when no line of the run continues on the next one, as in text with a paragraph per
    line; False for hard-wrapped text, where some line stops mid-sentence and the next goes on
    in lower case (or a long line stops mid-sentence)."""
    return len(run) > 1 and not any(_LIST_ITEM.match(line.text) for line in run) and not any(
        not _ends_sentence(line.text) and not _is_all_caps(line.text)
        and (following.text[:1].islower() or _word_count(line.text) > MAX_HEADING_WORDS)
        for line, following in zip(run, run[1:])
    )


def _plain_heading(unit: list[_Line], has_next: bool) -> bool:
    if len(unit) != 1:
        return False
    text = unit[0].text
    if _LIST_ITEM.match(text):
        return False
    if _is_all_caps(text) and _word_count(text) <= 2 * MAX_HEADING_WORDS:
        return True
    return has_next and not _is_prose(text) and _word_count(text) <= MAX_HEADING_WORDS \
        and len(text) <= MAX_HEADING_CHARS


def _paragraphs(units: list[list[_Line]], markdown: bool) -> list[Paragraph]:
    paragraphs = []
    for index, unit in enumerate(units):
        if markdown:
            heading = unit[0].marked_heading
        else:
            heading = _plain_heading(unit, has_next=index + 1 < len(units))
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


def _detect_language(body: str) -> tuple[str | None, str | None]:
    """(ISO 639-1 code, skip reason or None) for the body text."""
    confidences = language_detector().compute_language_confidence_values(body[:DETECTION_SAMPLE_CHARS])
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


def _title_and_verdicts(raw: RawArticle, lines: list[_Line]) -> tuple[_Title, list[_Line], list[_Verdict]]:
    """The title, and every other line with its verdict. Without `raw.title`, the title is the
    first line that is not noise (a banner or date line above the headline is skipped)."""
    if raw.title and raw.title.strip():
        title = _make_title(raw.title)
        return title, lines, list(_classify(lines, title))
    leading = list(itertools.takewhile(lambda verdict: verdict.reason is not None, _classify(lines, _NO_TITLE)))
    if len(leading) == len(lines):
        return _NO_TITLE, lines, leading
    title = _make_title(lines[len(leading)].text)
    body = lines[len(leading) + 1:]
    return title, lines[: len(leading)] + body, leading + list(_classify(body, title))


def clean_article(raw: RawArticle) -> CleanArticle:
    """Separate the body of `raw` (headings and paragraphs, in order, unaltered) from noise,
    extract title, published date and credits, and check that the body is Turkish."""
    started = time.perf_counter()
    markdown = raw.source.format in MARKDOWN_FORMATS
    title, lines, verdicts = _title_and_verdicts(raw, _split_lines(raw.text, markdown))
    verdicts = _mark_spam(lines, verdicts)

    removed = list(title.removed) + [
        Removed(text=line.text, reason=verdict.reason)
        for line, verdict in zip(lines, verdicts) if verdict.reason is not None
    ]
    paragraphs = _paragraphs(_group_units(lines, verdicts, markdown), markdown)

    language = skip_reason = None
    if paragraphs:
        language, skip_reason = _detect_language("\n".join(p.text for p in paragraphs))
    else:
        skip_reason = NO_TEXT_LEFT

    return CleanArticle(
        id=raw.id,
        source=raw.source,
        title=title.text,
        published=_normalise_published(raw.published) or _published_from(verdicts),
        url=raw.url,
        credits=[item.text for item in removed if item.reason == REASON_CREDIT],
        paragraphs=paragraphs,
        removed=removed,
        language=language,
        skip_reason=skip_reason,
        timings={**raw.timings, "clean": round(time.perf_counter() - started, 4)},
    )


def _published_from(verdicts: list[_Verdict]) -> str | None:
    """The first publication date line, else the first update date line."""
    for reason in (REASON_PUBLISH_DATE, REASON_UPDATE_DATE):
        date = next((v.date for v in verdicts if v.reason == reason and v.date), None)
        if date:
            return date
    return None
