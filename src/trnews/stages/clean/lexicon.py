"""The UI vocabulary of Turkish news pages (`data/news_ui_phrases.tsv`, gathered from many
outlets; `data/news_ui_phrases.SOURCES.md` says where): share, follow and subscription
prompts, font-size and reading-mode controls, next/related/most-read headings, ad labels,
cookie and KVKK notices, comment and gallery chrome, breadcrumbs, section names.

A phrase marked `line` is furniture wherever it fills a line, alone or with a count ("Yorumlar
6", "Beğendim 41": `is_ui_line`); every phrase counts towards the learned line model's lexicon
features (`ui_coverage`): how much of a line such phrases cover, whatever the site calls its
buttons.

Two voices of the page's own copy: words that address the reader in the second person plural
(`data/tr_reader_address.txt`: prompts and polls speak to "siz", news prose reports) and the
vocabulary of selling (`data/advert_words.txt`: discounts, instalments, free delivery, orders).
Both together, or either in an exclaimed line, make advert copy (`sells_to_reader`).

The words buttons glued into a line of text are made of (`data/widget_words.txt`: "PAYLAŞ Yorum
yaz A") are looked up one by one (`widget_strength`), by the fragment splitter and the title.
"""

from __future__ import annotations

import functools
import re

from trnews.stages.clean.phrases import (
    alternatives, data_patterns, is_glyph, line_key, pattern_alternation, without_glyphs,
)
from trnews.stages.clean.prose import (
    OPENING_QUOTES, QUOTE_MARKS, closes_sentence, inline_items, is_list_item, is_prose, sentence_pieces,
)
from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

__all__ = [
    "COMMENT_COUNTER_PATTERNS", "CREDIT_LABEL_PATTERN", "UI_LINE_KEYS", "UI_PHRASE_KEYS", "WIDGET_WORDS",
    "addresses_reader", "is_button", "is_comment_counter", "is_counted_ui_row", "is_ui_line", "sells_to_reader",
    "ui_coverage", "ui_phrases_ending", "widget_strength",
]

_ROWS = tuple(line.split("\t") for line in data_lines("news_ui_phrases.tsv"))
# Phrases that are page furniture whenever they fill a line.
UI_LINE_KEYS = frozenset(line_key(phrase) for phrase, _kind, use, _seen in _ROWS if use == "line") - {""}
# Every phrase, as line keys: the lexicon the line model's features count.
UI_PHRASE_KEYS = frozenset(line_key(phrase) for phrase, *_ in _ROWS) - {""}
# No widget word is longer than this.
MAX_WIDGET_WORD_CHARS = 16
# A count in a line key: "310", "2.341" as "2 341", "1,2B" (bin) as "1 2b", "3,4K" as "3 4k".
_COUNT_NUMBER = r"\d+(?: \d{3})*(?: \d[bkm])?"
# A counter's number before or after its label, in a line key.
_COUNT = re.compile(rf"^(?:{_COUNT_NUMBER} )?(?P<label>.+?)(?: {_COUNT_NUMBER})?$")
# Counts alone ("310"), shown beside icons ("👍 310", "👍 214 😮 37 😢 12").
_NUMBER = re.compile(rf"^{_COUNT_NUMBER}(?: {_COUNT_NUMBER})*$")
# Any phrase, longest first, as whole words of a line key.
_PHRASE_PATTERN = re.compile(rf"\b(?:{alternatives(UI_PHRASE_KEYS)})\b")
_LINE_PHRASE_PATTERN = re.compile(rf"\b(?:{alternatives(UI_LINE_KEYS)})\b")
# A phrase and the count shown after it ("harika 12", "begen 2 341").
_COUNTED_PHRASE_PATTERN = re.compile(rf"{_LINE_PHRASE_PATTERN.pattern}(?: {_COUNT_NUMBER}\b)?")
_READER_ADDRESS = re.compile(rf"\b(?:{pattern_alternation('tr_reader_address.txt')})\b")
_ADVERT_WORD = re.compile(rf"\b(?:{alternatives(data_lines('advert_words.txt'))})")
# Of the 128 lines of the 148 training sites that sell to the reader, all furniture, 126 are one
# or two sentences; on sadedegel's pages three-sentence column paragraphs with one exclaimed
# piece of advice do too.
MAX_ADVERT_SENTENCES = 2
# "Kaynak: Reuters", "Editör: ...", "Haber Kaynağı: Demirören Haber Ajansı (DHA)".
CREDIT_LABEL_PATTERN = re.compile(rf"^(?:{alternatives(data_lines('credit_labels.txt'))})\s*:\s*\S")
# "12 yorum", "Yorumlar (3)": a comment section's heading, or its counter in the page's header.
COMMENT_COUNTER_PATTERNS = data_patterns("comment_counter_patterns.txt")


def addresses_reader(text: str) -> bool:
    """A word speaks to the reader in the second person plural ("beğendiniz", "sizce", "tıklayın")."""
    return bool(_READER_ADDRESS.search(line_key(text)))


def sells_to_reader(text: str) -> bool:
    """Advert copy: a line that exclaims and speaks to the reader ("Çatınız boş durmasın!"), or
    does either in the words of selling ("Kargo bedava, 12 aya varan taksit!", "Randevu için
    hemen arayın"). A list item or a line that quotes someone is the writer's, and so is a line
    of questions alone, an interview's ("Kampanya beklediğiniz gibi gitti mi?"; of the 204
    labelled sites' lines in the words of selling that speak to the reader, three were questions
    alone and two of those were a poll's and a related link's). Advert copy is a sentence or two;
    in a longer paragraph at least half the sentences must sell on their own, so that a
    columnist's one exclaimed advice among reported sentences stays."""
    if is_list_item(text) or any(mark in text for mark in QUOTE_MARKS):
        return False
    sentences = sentence_pieces(text)
    if all(sentence.rstrip().endswith("?") for sentence in sentences):
        return False
    if len(sentences) > MAX_ADVERT_SENTENCES:
        return 2 * sum(map(_sells, sentences)) >= len(sentences)
    return _sells(text)


def _sells(sentence: str) -> bool:
    exclaims, addresses = "!" in sentence, addresses_reader(sentence)
    return (exclaims and addresses) or ((exclaims or addresses) and bool(_ADVERT_WORD.search(line_key(sentence))))


def is_ui_line(text: str) -> bool:
    """Nothing but a `line` phrase (and maybe its count: "Beğendim 2.341"), or several, each
    maybe with its count ("Yazı boyutu: A A A", "Harika 12 Üzgün 40 Kızgın 27"), perhaps with
    the widget words of its row ("Bu haberi paylaş Facebook X WhatsApp"), or an icon and a
    count ("👍 310"), and no quoted or full-stopped sentence: "Anladım" is a cookie button,
    "“Anladım.”" a line of dialogue."""
    stripped = text.strip()
    key = line_key(text)
    if _NUMBER.match(key):
        return any(is_glyph(token) for token in stripped.split())
    counted = _COUNT.match(key)
    phrases = (bool(counted) and counted["label"] in UI_LINE_KEYS
               or bool(_LINE_PHRASE_PATTERN.search(key))
               and all(widget_strength(word) for word in _COUNTED_PHRASE_PATTERN.sub("", key).split()))
    return bool(key) and phrases and not closes_sentence(stripped) and not stripped.startswith(tuple(OPENING_QUOTES))


# A button's label: at most this many words.
MAX_BUTTON_WORDS = 4
# A row of buttons glued after a sentence ("... dedi. Yazdır Paylaş") has at most this many words
# (separators such as "·" and icons are no words).
MAX_GLUED_BUTTON_WORDS = 10
MIN_GLUED_UI_PHRASES = 2
# A button's last word: an imperative verb, plain or polite ("indir", "indirin", "sorgulayınız").
_BUTTON_VERB = re.compile(rf"^(?:{alternatives(data_lines('ui_button_verbs.txt'))})(?:y?[iu]n(?:iz)?)?$")


def is_button(text: str) -> bool:
    """A short line without a full stop that ends in a button's imperative verb ("Satın Al",
    "Yazdırılabilir PDF'i İndir", "Tüm kadroyu gör"). On the 84 labelled sites 428 lines were
    such buttons and none was article text."""
    if closes_sentence(text.strip()) or len(text.split()) > MAX_BUTTON_WORDS:
        return False
    words = line_key(text).split()
    return bool(words) and bool(_BUTTON_VERB.match(words[-1]))


@functools.lru_cache(maxsize=8192)
def ui_coverage(text: str) -> float:
    """Share of the words of `text` that lie inside UI phrases ("Kaydet Takip Et A+ A-": 1.0)."""
    key = line_key(text)
    total = len(key.split())
    if not total:
        return 0.0
    covered = sum(len(match.group().split()) for match in _PHRASE_PATTERN.finditer(key))
    return covered / total


def is_button_row(text: str) -> bool:
    """Nothing but a page's controls: UI phrases ("Devamını oku"), maybe with their counts
    (`is_ui_line`: "Harika 12 Üzgün 40"), widget words with a strong one among them ("Facebook X
    WhatsApp"), or one button (`is_button`: "Bilet Al"); or controls set side by side with "·",
    "•" or "|", each one of those ("Yazdır · PDF indir · LinkedIn'de paylaş", "Beğen (38) ·
    Alıntıla · Yanıtla")."""
    items = inline_items(text)
    if len(items) > 1:
        return all(any(ch.isalpha() for ch in item) and not is_prose(item)
                   and (is_ui_line(item) or is_button(item) or _widget_words(item)) for item in items)
    return (ui_coverage(text) == 1.0 or is_ui_line(text) or is_button(text) or _widget_words(text)
            or is_counted_ui_row(text))


def is_counted_ui_row(text: str) -> bool:
    """UI phrases with counts, icons and widget words mixed in one row ("👍 214 😮 37 Paylaş
    WhatsApp X Bağlantıyı kopyala", a gallery's "‹ Önceki 3 / 14 Sonraki ›", a player's
    "Videoyu oynat 01:48 Tam ekran"), with no sentence end."""
    key = line_key(text)
    rest = _COUNTED_PHRASE_PATTERN.sub(" ", key).split()
    return (not closes_sentence(text.strip()) and len(rest) < len(key.split())
            and all(_NUMBER.match(token) or widget_strength(token) for token in rest))


def _widget_words(text: str) -> bool:
    strengths = [widget_strength(token) for token in text.split()]
    return bool(strengths) and all(strengths) and "strong" in strengths


def buttons_after_sentence(tokens: list[str]) -> int | None:
    """Where a row of buttons (`is_button_row`) glued after a full stop, "!", "?" or "…" starts:
    the longest run of at most `MAX_GLUED_BUTTON_WORDS` last words ("... söyledi. Yazdır
    Paylaş", "... açıkladı. Bilet Al"), or a row of several set apart by "·", "•" or "|" after
    any word ("Kaynak: Porsuk Postası Beğen (38) · Alıntıla · Yanıtla"); None when the line ends
    otherwise. A colon opens what follows ("güldü: 91-88") and an ordinal's full stop ends no
    sentence ("3. Çeyrek")."""
    start, words = None, 0
    for count in range(1, len(tokens)):
        words += any(ch.isalnum() for ch in tokens[-count])
        if words > MAX_GLUED_BUTTON_WORDS:
            break
        before, row = tokens[-count - 1], " ".join(tokens[-count:])
        after_sentence = closes_sentence(before) and not before.rstrip(".").isdigit()
        if (after_sentence or len(inline_items(row)) > 1) and is_button_row(row):
            start = len(tokens) - count
    return start


def ui_phrases_ending(tokens: list[str]) -> int | None:
    """Where a run of at least `MIN_GLUED_UI_PHRASES` UI phrases ending the line starts, the
    first capitalised, whatever comes before it ("... uzak kaldığı süre: 8 ay WhatsApp'ta paylaş
    X'te paylaş"): two buttons side by side are no sentence's words; None when there is none."""
    start = None
    for count in range(2, min(MAX_GLUED_BUTTON_WORDS, len(tokens) - 1) + 1):
        row = " ".join(tokens[-count:])
        key = line_key(row)
        phrases = list(_LINE_PHRASE_PATTERN.finditer(key))
        if (len(phrases) >= MIN_GLUED_UI_PHRASES and tokens[-count][:1].isupper()
                and sum(len(match.group().split()) for match in phrases) == len(key.split())):
            start = len(tokens) - count
    return start


# Words widgets glued into a line are made of ("PAYLAŞ Yorum yaz A"): word -> strong, weak or font.
WIDGET_WORDS: dict[str, str] = dict(
    (word, strength) for word, strength in (line.split("\t") for line in data_lines("widget_words.txt"))
)


# Every line's first and last words are looked up, and news repeats its words.
@functools.lru_cache(maxsize=65536)
def widget_strength(token: str) -> str | None:
    """"strong", "weak" or "font" for a widget word (`WIDGET_WORDS`, a case suffix after an
    apostrophe ignored: "Facebook'ta"); None for any other word, and for a word that ends a
    sentence (widgets carry no full stop)."""
    if len(token) > MAX_WIDGET_WORD_CHARS or closes_sentence(token):
        return None
    return WIDGET_WORDS.get(fold(token).strip(",:()[]\"“”").split("'")[0])


def is_comment_counter(line: str) -> bool:
    """A comment counter: "12 yorum", "Yorumlar (3)", "💬 43 yorum", "Taraftar Yorumları (112)"."""
    folded = fold(without_glyphs(line) or line)
    return any(p.search(folded) for p in COMMENT_COUNTER_PATTERNS)
