"""Pieces cut out of a line before the line rules judge it: a site-template prefix or suffix
(`SiteTemplate`, learned by `site_templates.TemplateStats`) and widgets glued into the line
(`widgets`) become pieces of their own and the rest of the line is kept; furniture glued after an
article line is cut off it, and a post's reply buttons off any line; whole lines the template holds
are dropped. A page's title glued after its breadcrumbs is cut off them
(`titles.split_breadcrumbs`). A Markdown line of images alone is dropped whole.

A piece keeps its line's link share: where the links were inside the line is not kept."""

from __future__ import annotations

import re
from dataclasses import replace

from trnews.stages.clean.layout import Line
from trnews.stages.clean.lexicon import (
    CREDIT_LABEL_PATTERN, addresses_reader, buttons_after_sentence, is_button_row, is_comment_counter,
)
from trnews.stages.clean.metadata import is_credit, is_date_row
from trnews.stages.clean.reasons import (
    REASON_ADVERT, REASON_BOILERPLATE, REASON_COMMENT_FORM, REASON_CREDIT, REASON_IMAGE, REASON_RELATED_LINKS,
    REASON_SITE_TEMPLATE, REASON_WIDGET,
)
from trnews.stages.clean.prose import (
    closes_sentence, ends_sentence, inline_items, is_article_sentence, sentence_starts, word_count, words,
)
from trnews.stages.clean.rules import boilerplate_starts, rule_reason
from trnews.stages.clean.site_templates import SiteTemplate, template_key
from trnews.stages.clean.titles import lead_text, may_hold_breadcrumbs, split_breadcrumbs
from trnews.stages.clean.widgets import leading_widget, split_header, trailing_widget
from trnews.text.dates import find_date, only_date
from trnews.text.turkish import fold

__all__ = ["cut_fragments"]

# A credit glued after a sentence: the sentence has at least this many words ("2. Barış Önder – 7
# puan" is a numbered row), the credit's name at most this many.
MIN_WORDS_BEFORE_CREDIT = 3
MAX_GLUED_CREDIT_NAME_WORDS = 4
# A counter glued after a date row or a credit ("29.10.2026 18:42 3 dk okuma") has at most this
# many words.
MAX_GLUED_COUNTER_WORDS = 4
# What sets a meta row's items apart, stripped where a counter is cut off.
_ROW_SEPARATORS = " ,·•|-–—"
# Between a credit's names: "Fotoğraf: Tribün Postası / Hakan Uçar".
_NAME_SEPARATORS = frozenset("/|·-–—")
# A heading a credit ran on into has at least this many words.
MIN_RUN_ON_HEADING_WORDS = 3
# A related link glued after the article's last sentence, its heading included, is at most this long.
MAX_GLUED_LINK_WORDS = 16


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
    classify): a site-template prefix, a header and widget glued to the start, the text, a credit
    or a date glued to the end (`_trailing_metadata`) or a related link (`_trailing_related_link`),
    and a widget or a site-template suffix after them."""
    tokens = text.split()
    pieces: list[tuple[str, str | None]] = []
    if size := _affix_size(tokens, prefix, at_start=True):
        pieces.append((" ".join(tokens[:size]), REASON_SITE_TEMPLATE))
        tokens = tokens[size:]
    # The end first: a row of buttons after the line's last sentence is no header's widget.
    endings: list[tuple[str, str | None]] = []
    trailing = trailing_widget(tokens)
    if trailing is not None:
        widget = " ".join(tokens[trailing:])
        # A post's reply buttons are the comment chrome that ends the article.
        reason = REASON_COMMENT_FORM if rule_reason(widget) == REASON_COMMENT_FORM else REASON_WIDGET
        tokens, endings = tokens[:trailing], [(widget, reason)]
    elif size := _affix_size(tokens, suffix, at_start=False):
        tokens, endings = tokens[:-size], [(" ".join(tokens[-size:]), REASON_SITE_TEMPLATE)]
    # A credit or a date may stand before the buttons ("... Görsel: Oda Bilimsel Komisyonu Paylaş X").
    if not endings or endings[0][1] != REASON_SITE_TEMPLATE:
        if metadata := _trailing_metadata(" ".join(tokens)) or _trailing_related_link(" ".join(tokens)):
            head, *tail = metadata
            tokens, endings = head.split(), [(piece, None) for piece in tail] + endings
    leading = leading_widget(tokens)
    if leading:
        start, end = leading
        pieces.extend((piece, None) for piece in split_header(" ".join(tokens[:start])))
        pieces.append((" ".join(tokens[start:end]), REASON_WIDGET))
        tokens = tokens[end:]
    if not pieces and not endings:
        return [(text, None)]
    pieces.append((" ".join(tokens), None))
    pieces.extend(endings)
    return [(piece, reason) for piece, reason in pieces if piece]


def _glued_credit(text: str) -> bool:
    """A credit that can be told from a subheading glued after it: in brackets ("(Fotoğraf:
    Karesi Madencilik)"), or a label and a name whose words are capitalised but for the last
    ("Fotoğraf: Şirket arşivi", "Fotoğraf: Tribün Postası / Hakan Uçar"; "Fotoğraf: Raf&Kasa
    Tedarikçilere vade sözü" runs on into one)."""
    if not is_credit(text):
        return False
    if text.startswith("(") and text.endswith(")"):
        return True
    _, colon, name = text.partition(":")
    if not colon:
        return True
    names = [word for word in name.split() if word not in _NAME_SEPARATORS]
    return 0 < len(names) <= MAX_GLUED_CREDIT_NAME_WORDS and all(word[0].isupper() for word in names[:-1]) \
        and not closes_sentence(names[-1])


def credit_run_on(text: str) -> tuple[str, str] | None:
    """(credit, heading) for a labelled credit that a flattened page ran on into the next
    heading or paragraph: "Fotoğraf: DAKAD Arşivi Kış tırmanışı öncesi hatırlatmalar" ->
    ("Fotoğraf: DAKAD Arşivi", "Kış tırmanışı öncesi hatırlatmalar"). The name is the run of
    capitalised words but its last, which opens the heading ("Kış", lower case after it); None
    when the label is not a credit's or nothing capitalised is left for the name."""
    label, colon, rest = text.partition(":")
    names = rest.split()
    if not colon or not CREDIT_LABEL_PATTERN.match(fold(text)):
        return None
    capitalised = next((i for i, word in enumerate(names) if not word[0].isupper()), len(names))
    if not 2 <= capitalised < len(names) or capitalised > MAX_GLUED_CREDIT_NAME_WORDS + 1:
        return None
    name, heading = names[:capitalised - 1], names[capitalised - 1:]
    # A heading is words ("Ajansı (DHA)", "Arslan · 4 dk okuma" are the credit's own).
    if len(heading) < MIN_RUN_ON_HEADING_WORDS or not all(word[0].isalpha() for word in heading):
        return None
    return f"{label}: {' '.join(name)}", " ".join(heading)


def _trailing_metadata(text: str) -> list[str]:
    """[text, credit or date, ...] when a credit ends `text` after its last sentence ("...
    tesisi. Fotoğraf: Şirket arşivi", "... getirildi. (Fotoğraf: Karesi Madencilik)"), perhaps
    run on into a heading (`credit_run_on`), or a date ends a credit ("Selin Aydemir 21 Ekim
    2026, 07:30"), perhaps before counters (`_without_counters`), or counters and buttons end a
    date row or a credit ("29.10.2026 18:42 3 dk okuma", "Asayiş Servisi 2 dk okuma",
    `_peeled_counters`); [] otherwise. The
    rules then judge the pieces, so the credit and the date reach the article's metadata."""
    starts = sentence_starts(text)
    if starts and len(words(text[:starts[-1]])) >= MIN_WORDS_BEFORE_CREDIT:
        head, tail = text[:starts[-1]].strip(), text[starts[-1]:]
        if _glued_credit(tail):
            return [head, tail]
        if run_on := credit_run_on(tail):
            return [head, *run_on]
    dated, counters = _without_counters(text)
    found = find_date(dated)
    if found and found[1].start() > 0 and only_date(dated[found[1].start():]):
        head = dated[:found[1].start()].strip().rstrip(",·|-–—").strip()
        if head and is_credit(head):
            return [head, dated[found[1].start():], *counters]
    peeled = [] if only_date(dated) else _peeled_counters(dated.split())
    return [*peeled, *counters] if peeled else []


def _peeled_counters(tokens: list[str]) -> list[str]:
    """[date row or credit, counter or button, ...]: the boilerplate pieces of at most
    `MAX_GLUED_COUNTER_WORDS` words each that end a date row or a credit, the last first
    ("08.05.2027 Okuma süresi 4 dk Yazdır PDF olarak indir"); [] when something else is left."""
    for size in range(1, min(MAX_GLUED_COUNTER_WORDS, len(tokens) - 1) + 1):
        head, tail = tokens[:-size], " ".join(tokens[-size:])
        if rule_reason(tail) != REASON_BOILERPLATE:
            continue
        if is_date_row(" ".join(head)) or is_credit(" ".join(head)):
            return [" ".join(head), tail]
        if deeper := _peeled_counters(head):
            return [*deeper, tail]
    return []


def _trailing_related_link(text: str) -> list[str]:
    """[text, link] when a related article's link under its heading ends `text` after its last
    sentence ("... olarak gerçekleşmişti. Ayrıca okuyun: Halka arzlarda katılımcı sayısı
    düştü"): one headline, no sentence of the next paragraph run on after it; [] otherwise."""
    starts = sentence_starts(text)
    if starts and is_article_sentence(text[:starts[-1]].strip()):
        head, tail = text[:starts[-1]].strip(), text[starts[-1]:].strip()
        if word_count(tail) <= MAX_GLUED_LINK_WORDS and rule_reason(tail) == REASON_RELATED_LINKS:
            return [head, tail]
    return []


def _without_counters(text: str) -> tuple[str, list[str]]:
    """`text` without the counters that end a blog's meta row ("Basın Birimi 22 Kasım 2026 0
    Yorum", "Nermin Aktaş · 9 Şubat 2027 · 4 dakikalık okuma · 11 yorum"), and the counters:
    a comment counter, or items set apart by "·" or "|" that the rules drop as boilerplate (a
    reading time, a view count)."""
    counters: list[str] = []
    head, *tail = text.rsplit(None, 2)
    if len(tail) == 2 and is_comment_counter(" ".join(tail)):
        text, counters = head.rstrip(_ROW_SEPARATORS), [" ".join(tail)]
    items = inline_items(text)
    while len(items) > 1 and (is_comment_counter(items[-1]) or rule_reason(items[-1]) == REASON_BOILERPLATE):
        counters.insert(0, items.pop())
        text = text[:text.rindex(counters[0])].rstrip(_ROW_SEPARATORS)
    return text, counters


def _cut_glued_furniture(text: str) -> list[tuple[str, str | None]]:
    """A line a rule removes whole, inside the article's text, may be article text with furniture
    glued after it: it is cut where the furniture opens, when the text before passes every rule
    and the rest alone is removed for the line's reason. Furniture opens where a boilerplate
    pattern or a row of buttons does ("Ortalama sepet tutarı: 412 TL Yatırım tavsiyesi
    değildir.", "... çalıştı. Yazdır · PDF indir · LinkedIn'de paylaş"), or at a sentence
    boundary after an article sentence ("3. Aşıyı ... yaptırın. 📲 Uygulamamızla en yakın
    eczaneyi bulun"). A line removed for what its whole says (advert copy: "Bültenimiz her cuma
    e-posta kutunuzda. Abone Ol") is not cut: its first sentence is the advert's too."""
    reason = rule_reason(text)
    pattern_starts = {*boilerplate_starts(text), *_button_row_start(text)}
    for start in sorted({*sentence_starts(text), *pattern_starts}):
        head, rest = text[:start].strip(), text[start:].strip()
        if (words(head) and rest and (start in pattern_starts or is_article_sentence(head))
                and rule_reason(head) is None and rule_reason(rest) == reason):
            return [(head, None), (rest, None)]
    return [(text, None)]


def _cut_off_unsold_sentence(text: str) -> list[tuple[str, str | None]]:
    """A line that sells only as a whole, a reported sentence naming a discount with a link
    glued after it that speaks to the reader ("... sezon sonu indirimleri fiyatları aşağı çekti.
    Ayrıca okuyun: ..."), is cut where the link opens: the sentence before neither speaks to the
    reader nor falls to any rule, and another rule than the advert's drops the rest."""
    for start in sentence_starts(text):
        head, rest = text[:start].strip(), text[start:].strip()
        if (is_article_sentence(head) and rule_reason(head) is None and not addresses_reader(head)
                and rule_reason(rest) not in (None, REASON_ADVERT)):
            return [(head, None), (rest, None)]
    return [(text, None)]


def _button_row_start(text: str) -> list[int]:
    """Where a row of buttons glued at the end of `text` starts (`buttons_after_sentence`), as a
    character offset; none when no row ends it."""
    tokens = list(re.finditer(r"\S+", text))
    start = buttons_after_sentence([token.group() for token in tokens])
    return [] if start is None else [tokens[start].start()]


def _cut_reply_buttons(text: str) -> list[tuple[str, str | None]]:
    """A line a rule drops, with a post's reply buttons glued at its end ("Kaynak: Eskişehir
    Postası Beğen (12) · Alıntıla · Yanıtla"): the buttons are cut off, as the comment chrome
    that ends the article; a row alone stays whole ("34 beğeni · Yanıtla")."""
    if is_button_row(text):
        return [(text, None)]
    for start in _button_row_start(text):
        if rule_reason(text[start:]) == REASON_COMMENT_FORM:
            return [(text[:start].strip(), None), (text[start:], REASON_COMMENT_FORM)]
    return [(text, None)]


def _inside_article_text(lines: list[Line], index: int) -> bool:
    """The lines on either side pass every rule and the one below is a whole article sentence:
    a line glued onto a step of a how-to or a figure row sits among the article's lines, a
    prompt glued onto a widget's sentence among furniture."""
    if index == 0 or index + 1 == len(lines):
        return False
    above, below = lines[index - 1].text, lines[index + 1].text
    return (rule_reason(above) is None and rule_reason(below) is None and is_article_sentence(below)
            and ends_sentence(below))


def cut_fragments(lines: list[Line], template: SiteTemplate | None) -> tuple[list[Line], list[str | None]]:
    """Lines with glued widgets and site-template pieces cut off into lines of their own; the
    second list holds the reason for each cut-off piece (None for what is still to classify).
    A line a line rule removes whole keeps that rule's reason and is not cut, unless article
    text inside the article carries furniture glued after it (`_cut_glued_furniture`), or a
    reported sentence sells only with the link glued after it (`_cut_off_unsold_sentence`)."""
    out: list[Line] = []
    preset: list[str | None] = []
    template_lines = frozenset(template.lines) if template else frozenset()
    for index, line in enumerate(lines):
        glued_title = None
        if not line.image and may_hold_breadcrumbs(line.text):
            glued_title = split_breadcrumbs(line.text, lead_text(after.text for after in lines[index + 1:]))
        if line.image:
            pieces = [(line.text, REASON_IMAGE)]
        elif glued_title:
            pieces = [(piece, None) for piece in glued_title]
        elif rule_reason(line.text) == REASON_CREDIT and (run_on := credit_run_on(line.text)):
            pieces = [(piece, None) for piece in run_on]
        elif reason := rule_reason(line.text):
            pieces: list[tuple[str, str | None]] = (
                _cut_off_unsold_sentence(line.text) if reason == REASON_ADVERT else [(line.text, None)])
            if len(pieces) == 1:
                pieces = (_cut_glued_furniture(line.text) if _inside_article_text(lines, index)
                          else _cut_reply_buttons(line.text))
        elif template_key(line.text) in template_lines:
            pieces = [(line.text, REASON_SITE_TEMPLATE)]
        else:
            prefix = template.prefix if template and index == 0 else None
            suffix = template.suffix if template and index == len(lines) - 1 else None
            pieces = _cut_line(line.text, prefix, suffix)
        for place, (text, reason) in enumerate(pieces):
            out.append(replace(line, text=text, marked_heading=line.marked_heading and reason is None, glued=place > 0))
            preset.append(reason)
    return out, preset
