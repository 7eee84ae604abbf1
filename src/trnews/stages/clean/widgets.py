"""Widgets glued into a line of text: share bars, comment links, font-size buttons ("18 Şubat 2018
PAYLAŞ Yorum yaz A" before the first paragraph, "PAYLAŞ A" after the last).

Widgets inside a line are runs of widget words (`data/widget_words.txt`) with at least one strong
word ("paylaş", "yorum", "devamı" ...), at the start of a line after at most a header (headline
and/or date, which become pieces of their own) or at its end; a word that ends a sentence never
belongs to a widget, so "... çaldığı için. PAYLAŞ A" loses only "PAYLAŞ A".
"""

from __future__ import annotations

from trnews.stages.clean.lexicon import buttons_after_sentence, ui_phrases_ending, widget_strength
from trnews.stages.clean.prose import OPENING_QUOTES, ends_sentence
from trnews.stages.clean.titles import is_title_like
from trnews.text.dates import find_date, only_date

__all__ = ["is_widget_line", "leading_widget", "split_header", "trailing_widget"]

# A widget glued into a line is looked for among its first this many tokens (after a header).
MAX_HEADER_TOKENS = 24
# A line of more words is not a widget line.
MAX_WIDGET_LINE_WORDS = 8
MIN_CAPITALISED_ROW_WORDS = 3


class _Strengths:
    """`widget_strength` of each token of a line, computed on first use: the middle of a long
    paragraph is never looked at."""

    def __init__(self, tokens: list[str]) -> None:
        self._tokens = tokens
        self._known: dict[int, str | None] = {}

    def __getitem__(self, index: int) -> str | None:
        if index not in self._known:
            self._known[index] = widget_strength(self._tokens[index])
        return self._known[index]

    def run(self, start: int, end: int) -> list[str | None]:
        return [self[index] for index in range(start, end)]


def _widget_run(tokens: list[str], strengths: _Strengths, start: int, end: int, set_apart: bool) -> bool:
    """Tokens [start, end) form a widget: all widget words, at least one strong, and set apart
    from the text around them, by a sentence or paragraph boundary or by a strong word written in
    capitals ("PAYLAŞ"). "Twitter ve Facebook'ta paylaşılan ..." is text: no widget starts it. One
    word is a widget only in capitals or before a symbol ("Telegram ← Önceki Yazı: ...")."""
    run = strengths.run(start, end)
    if not run or not all(run) or "strong" not in run:
        return False
    capitals = any(tokens[i].isupper() and strengths[i] == "strong" for i in range(start, end))
    before_symbol = end < len(tokens) and not any(char.isalnum() for char in tokens[end])
    return capitals or (set_apart and (end - start > 1 or before_symbol))


def _opens_sentence(token: str) -> bool:
    """Starts with a capital or a digit after any opening quotes, or is punctuation ("*", "—")."""
    first = token.lstrip(OPENING_QUOTES)[:1]
    return not first or first.isupper() or first.isdigit() or not first.isalpha()


def _is_header(text: str) -> bool:
    """What may precede a widget glued to the start of a line: nothing, a headline, a date, or a
    headline and a date ("Dolar neden düştü? 12 Eylül 1998")."""
    if not text:
        return True
    pieces = split_header(text)
    return only_date(pieces[-1]) is not None or (len(pieces) == 1 and is_title_like(text))


def leading_widget(tokens: list[str]) -> tuple[int, int] | None:
    """(start, end) of a widget run among the first `MAX_HEADER_TOKENS` tokens of a line, after
    at most a header (`_is_header`), with text that opens a sentence after it. After a header
    the run opens as a button does, not in lower case: "İlk ihlal: her abone için 500 TL" is a
    sentence's words."""
    strengths = _Strengths(tokens)
    start = 0
    while start < min(MAX_HEADER_TOKENS, len(tokens)):
        if not strengths[start]:
            start += 1
            continue
        end = start
        while end < len(tokens) and strengths[end]:
            end += 1
        glued = start == 0 or not tokens[start][:1].islower()
        if (glued and end < len(tokens)
                and _widget_run(tokens, strengths, start, end, set_apart=_opens_sentence(tokens[end]))
                and _is_header(" ".join(tokens[:start]))):
            return start, end
        start = max(end, start + 1)
    return None


def trailing_widget(tokens: list[str]) -> int | None:
    """Start of a widget run that ends a line with text before it ("... göbeğinde. PAYLAŞ A"), or
    with nothing but a date before it (a page's header row repeated at its foot), or of a row of
    buttons glued after a sentence (`buttons_after_sentence`: "... açıkladı. Bilet Al") or after
    anything (`ui_phrases_ending`: "... süre: 8 ay WhatsApp'ta paylaş X'te paylaş")."""
    strengths = _Strengths(tokens)
    start = len(tokens)
    while start > 0 and strengths[start - 1]:
        start -= 1
    if 0 < start < len(tokens):
        set_apart = (ends_sentence(tokens[start - 1]) or only_date(" ".join(tokens[:start])) is not None
                     or _capitalised_row(tokens[start:]))
        if _widget_run(tokens, strengths, start, len(tokens), set_apart=set_apart):
            return start
    after_sentence = buttons_after_sentence(tokens)
    return after_sentence if after_sentence is not None else ui_phrases_ending(tokens)


def _capitalised_row(tokens: list[str]) -> bool:
    """At least `MIN_CAPITALISED_ROW_WORDS` capitalised words without punctuation between them: a
    row of buttons, set apart from whatever it is glued to ("... Görsel: Oda Bilimsel Komisyonu
    Paylaş Facebook X WhatsApp"), where a sentence lists names with commas and "ve"."""
    return len(tokens) >= MIN_CAPITALISED_ROW_WORDS and all(
        token[:1].isupper() and token[-1:].isalnum() for token in tokens)


def is_widget_line(text: str) -> bool:
    """A line made of nothing but widget words: "PAYLAŞ A", "A", "A+ A-"."""
    tokens = text.split()
    if len(tokens) > MAX_WIDGET_LINE_WORDS:
        return False
    strengths = [widget_strength(token) for token in tokens]
    return all(strengths) and ("strong" in strengths or set(strengths) == {"font"})


def split_header(header: str) -> list[str]:
    """A header before a glued widget, its trailing date split off: "7 mucize bitki 18 Şubat 2018"
    -> ["7 mucize bitki", "18 Şubat 2018"]."""
    found = find_date(header)
    if found and only_date(header[found[1].start():]):
        before = header[: found[1].start()].strip()
        return [piece for piece in (before, header[found[1].start():].strip()) if piece]
    return [header]
