"""The cleaning passes over one article, in order (see the package docstring), and the
`CleanArticle` they make."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

from trnews.records import CleanArticle, RawArticle, Removed
from trnews.stages.clean.blocks import (
    keep_names_inside_sentences, keep_numbered_steps, mark_after_article_end, mark_author_bios,
    mark_boxes_under_dropped_headings, mark_captions, mark_duplicate_captions, mark_question_boxes,
    mark_related_links,
)
from trnews.stages.clean.fragments import cut_fragments
from trnews.stages.clean.page_structures import (
    mark_chapter_lists, mark_polls, mark_pull_quotes, mark_tables_of_contents,
)
from trnews.stages.clean.language import check_languages
from trnews.stages.clean.learned import LineModel, learned_verdicts, mark_learned
from trnews.stages.clean.layout import MARKDOWN_FORMATS, Line, split_lines, starts_with_field
from trnews.stages.clean.lexicon import addresses_reader, ui_coverage
from trnews.stages.clean.metadata import date_verdicts, first_date, one_credit_per_agency
from trnews.stages.clean.paragraphs import kept_paragraphs
from trnews.stages.clean.prose import (
    ends_sentence, inline_items, inner_sentence_ends, is_article_sentence, is_prose, word_count,
)
from trnews.stages.clean.reasons import (
    KEPT, REASON_BANNER, REASON_CREDIT, REASON_HEADER_ROW, REASON_REPEATED_TITLE, REASON_SITE_SUFFIX, REASON_TIME_STAMP,
    Verdict,
)
from trnews.stages.clean.rules import banner_runs_on, is_ticker, opens_with_banner, rule_reason
from trnews.stages.clean.site_templates import SiteTemplate
from trnews.stages.clean.spam import mark_spam
from trnews.stages.clean.titles import (
    MIN_HEADLINE_WORDS, NO_TITLE, Title, is_breadcrumbs, is_title_like, lead_overlap, lead_text, make_title,
)
from trnews.text.dates import normalise_given_date, only_date

__all__ = ["NO_TEXT_LEFT", "clean_article", "clean_text", "rule_verdicts"]

NO_TEXT_LEFT = "no article text left after cleaning"
MAX_HEADLINE_DIGIT_SHARE = 0.3
MAX_HEADLINE_UI_SHARE = 0.5
MIN_LEAD_OVERLAP = 2
# How many sentences may open the article: the first may be the page's, above a named headline.
MAX_LEAD_STARTS = 2
MIN_SENTENCES_BEFORE_EVENT_DATE = 2
EVENT_BOX_LINES = 3
# A menu: several short items in a row ("Açık Kent Veri · Analizler · Veri Setleri · Hakkımızda").
MIN_MENU_ITEMS = 3
MAX_MENU_ITEM_WORDS = 3


def _classify(lines: list[Line], preset: list[str | None], title: Title) -> Iterator[Verdict]:
    """One verdict per line, in order: the reason it was cut off with, else the first rule that
    fires, else kept. A line restating the title is dropped above the body, or when it is not a
    sentence; a closing sentence that restates the headline is article text. Once the title is
    known, a breaking-news ticker (`is_ticker`) is another story's headline."""
    index = 0
    body_started = False
    sentences_before = 0
    while index < len(lines):
        text = lines[index].text
        if preset[index]:
            found = [Verdict(preset[index])]
        elif title.is_repeated_in(text) and not (body_started and ends_sentence(text)):
            found = [Verdict(REASON_REPEATED_TITLE)]
        else:
            reason = rule_reason(text)
            if reason == REASON_BANNER and banner_runs_on(lines, index):
                reason = None
            elif reason is None and title is not NO_TITLE and is_ticker(text):
                reason = REASON_BANNER
            found = [Verdict(reason)] if reason else None
            if found is None and not _in_article_prose(lines, index, sentences_before):
                found = date_verdicts(lines, index)
            elif found is None and only_date(text):
                # A date alone among the article's lines stamps a comment or a forum post: the
                # event an article announces is labelled ("Tarih: 6 Aralık, saat 11.00").
                found = [Verdict(REASON_TIME_STAMP)]
            found = found or [KEPT]
        body_started = body_started or any(verdict.reason is None for verdict in found)
        sentences_before += sum(verdict.reason is None and is_article_sentence(lines[index + offset].text)
                                for offset, verdict in enumerate(found))
        yield from found
        index += len(found)


def _in_article_prose(lines: list[Line], index: int, sentences_before: int) -> bool:
    """Line `index` stands inside the article's prose: `MIN_SENTENCES_BEFORE_EVENT_DATE` kept
    article sentences before it, and a sentence of any length within the next `EVENT_BOX_LINES`
    lines or a labelled field of a box right after it ("Yer: Kitapsever Kafe"). A date line
    there is the article's (an event's "Tarih: 6 Aralık, saat 11.00" above its "Yer: ..." and
    "Katılım ücretsizdir."): a page puts its publication and update dates above the article or
    below it."""
    if sentences_before < MIN_SENTENCES_BEFORE_EVENT_DATE:
        return False
    following = lines[index + 1: index + 1 + EVENT_BOX_LINES]
    return any(is_prose(line.text) for line in following) or bool(
        following and starts_with_field(following[0].text) and not date_verdicts(lines, index + 1))


def _is_header_item(lines: list[Line], verdicts: list[Verdict], index: int) -> bool:
    """Line `index` is no headline but an item of a header row: a ticker (mostly digits),
    breadcrumbs ("Ana Sayfa > Spor"), a menu of short items side by side, or a short line beside
    another short line or a line the rules dropped (a menu, a back button; a lone short line may
    be a one-word headline)."""
    text = lines[index].text
    characters = [ch for ch in text if not ch.isspace()]
    if sum(ch.isdigit() for ch in characters) >= MAX_HEADLINE_DIGIT_SHARE * len(characters) or is_breadcrumbs(text):
        return True
    if _is_menu(text):
        return True
    neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    return _is_short(text) and any(verdicts[i].reason is not None or _is_short(lines[i].text) for i in neighbours)


def _is_menu(text: str) -> bool:
    items = inline_items(text)
    return len(items) >= MIN_MENU_ITEMS and all(word_count(item) <= MAX_MENU_ITEM_WORDS for item in items)


def _is_short(text: str) -> bool:
    return word_count(text) < MIN_HEADLINE_WORDS


def _is_headline_shaped(text: str) -> bool:
    """Title-like, at least `MIN_HEADLINE_WORDS` words, not mostly digits or UI words ("Yazı
    Boyutu A A"), no breadcrumbs, no menu."""
    characters = [ch for ch in text if not ch.isspace()]
    return (is_title_like(text) and not _is_short(text) and not is_breadcrumbs(text) and not _is_menu(text)
            and sum(ch.isdigit() for ch in characters) < MAX_HEADLINE_DIGIT_SHARE * len(characters)
            and ui_coverage(text) < MAX_HEADLINE_UI_SHARE)


def _header_rows(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """`verdicts` with the header items (`_is_header_item`) that open a text whose title is
    given (a JSONL `title`) dropped as header rows: a ticker and a market menu glued before it."""
    result = list(verdicts)
    for index, verdict in enumerate(verdicts):
        if verdict.reason is not None:
            continue
        if is_article_sentence(lines[index].text) or not _is_header_item(lines, verdicts, index):
            break
        result[index] = Verdict(REASON_HEADER_ROW)
    return result


def _headline_follows(lines: list[Line], verdicts: list[Verdict], index: int) -> bool:
    """Another kept headline-shaped line comes after line `index`, before any article sentence
    (not the same headline repeated: line `index` is then the headline with its suffix)."""
    for following in range(index + 1, len(lines)):
        if verdicts[following].reason is not None:
            continue
        if is_article_sentence(lines[following].text):
            return False
        if _is_headline_shaped(lines[following].text):
            return lines[following].text.strip() not in lines[index].text
    return False


def _lead_starts(lines: list[Line], verdicts: list[Verdict]) -> list[int]:
    """Indices of the lines that may open the article (`MAX_LEAD_STARTS` at most): kept article
    sentences that are no headline (they end in a full stop), do not speak to the reader and
    are not mostly UI words (a cookie or app prompt in the header is no lead)."""
    return list(itertools.islice((
        index for index, (line, verdict) in enumerate(zip(lines, verdicts))
        if verdict.reason is None and is_article_sentence(line.text) and not is_title_like(line.text)
        and not starts_with_field(line.text)
        and not addresses_reader(line.text) and ui_coverage(line.text) < MAX_HEADLINE_UI_SHARE), MAX_LEAD_STARTS))


def _headline_the_lead_restates(lines: list[Line], verdicts: list[Verdict]) -> int | None:
    """Index of the headline-shaped line above the lead whose content words the lead repeats
    most (`lead_overlap`, at least `MIN_LEAD_OVERLAP`: two words), or None. Whatever a page puts
    above its headline (a weather box, a live ticker, a section name, an institution's name)
    shares a place name with the lead at most. A line that opens with an urgency banner comes
    last: a ticker ("SON DAKİKA Ankara'da yangın Merkez Bankası ...") names the lead's story as
    well as the headline below it (on the 180 training sites 47 lines opened with a banner, one
    of them a headline glued after it). First among the rest a line set apart from the lead (a
    date, a byline, buttons between them): a column's opening question, or the first words of a
    broken sentence, run straight into the lead. Then a line that carries the site's name
    after a separator (`REASON_SITE_SUFFIX`): the page's own title, while a ticker above it may
    share as many words with a live blog's lead. When nothing above the first sentence is
    restated, a line carrying the site's name below it may still be the title, that sentence
    the page's (an archive's note above the headline). The lead is its article sentences: a
    byline among them ("Ekran 24 Haber Merkezi") would share the site's name with a programme
    strip above the headline."""
    starts = _lead_starts(lines, verdicts)
    for number, first_sentence in enumerate(starts):
        lead = lead_text(line.text for line, verdict in zip(lines[first_sentence:], verdicts[first_sentence:])
                         if verdict.reason is None and is_article_sentence(line.text))
        scored = []
        for index in range(starts[number - 1] + 1 if number else 0, first_sentence):
            if verdicts[index].reason is not None or not _is_headline_shaped(lines[index].text):
                continue
            title = make_title(lines[index].text)
            overlap = lead_overlap(title.text, lead)
            named = any(piece.reason == REASON_SITE_SUFFIX for piece in title.removed)
            if overlap >= MIN_LEAD_OVERLAP and (named or not number):
                bannerless = not opens_with_banner(lines[index].text)
                one_sentence = inner_sentence_ends(title.text) == 0
                scored.append((bannerless, one_sentence, index + 1 < first_sentence, named, overlap, -index))
        if scored:
            return -max(scored)[-1]
    return None


def _title_and_verdicts(
    raw: RawArticle, lines: list[Line], preset: list[str | None], line_model: LineModel | None
) -> tuple[Title, list[Line], list[Verdict]]:
    """The title, and every other line with its verdict. Without `raw.title`, the title is a
    Markdown page's one top-level heading (`# `) when it reads like a headline, else the
    headline the lead restates (`_headline_the_lead_restates`), else the first line that is not
    noise (a banner, date line or widget row above the headline, by the rules or the learned
    line model, is passed over) when it reads like a headline; a sentence or a long line is
    article text, and the title stays empty."""
    if raw.title and raw.title.strip():
        title = make_title(raw.title)
        return title, lines, _header_rows(lines, list(_classify(lines, preset, title)))
    untitled = list(_classify(lines, preset, NO_TITLE))
    # A header row with UI words that the model judges furniture, or one that is no
    # headline's shape (a menu item, a ticker, breadcrumbs), is passed over while a
    # headline-shaped line follows above the text. The model never saw headlines (a headline
    # is as short and sentence-less as a button), and a one-word headline with nothing after
    # it stays the title.
    furniture = {index: verdict for index, verdict in learned_verdicts(lines, untitled, line_model).items()
                 if ui_coverage(lines[index].text) > 0}

    def passed_over(index: int, verdict: Verdict) -> bool:
        if verdict.reason is not None:
            return True
        header_item = index in furniture or _is_header_item(lines, untitled, index)
        return header_item and _headline_follows(lines, untitled, index)

    top_headings = [index for index, (line, verdict) in enumerate(zip(lines, untitled))
                     if line.top_heading and verdict.reason is None and _is_headline_shaped(line.text)]
    restated = top_headings[0] if len(top_headings) == 1 else _headline_the_lead_restates(lines, untitled)
    if restated is not None:
        first = restated
    else:
        first = sum(1 for _ in itertools.takewhile(lambda pair: passed_over(*pair), enumerate(untitled)))
        if first == len(lines) or not is_title_like(lines[first].text):
            return NO_TITLE, lines, untitled
    # Above its headline a page holds no article text: a kept line there is a header row.
    leading = [verdict if verdict.reason else furniture.get(index, Verdict(REASON_HEADER_ROW))
               for index, verdict in enumerate(untitled[:first])]
    title = make_title(lines[first].text)
    body, body_preset = lines[first + 1:], preset[first + 1:]
    return title, lines[:first] + body, leading + list(_classify(body, body_preset, title))


def clean_article(
    raw: RawArticle, template: SiteTemplate | None = None, line_model: LineModel | None = None
) -> CleanArticle:
    """Separate the body of `raw` (headings and paragraphs, in order, unaltered) from noise,
    extract title, dates and credits, and check that the body is Turkish. `template` holds the
    pieces of this article that `TemplateStats` judged its site's template. For many articles,
    `clean_text` each, then `check_languages` once: lingua then uses every CPU."""
    return check_languages([clean_text(raw, template, line_model)])[0]


def rule_verdicts(
    raw: RawArticle, template: SiteTemplate | None = None, line_model: LineModel | None = None
) -> tuple[Title, list[Line], list[Verdict]]:
    """The title, and the article's other lines with the rules' verdicts (the learned line model
    has only helped find the title; it judges the body's kept lines afterwards)."""
    lines, preset = cut_fragments(split_lines(raw.text, raw.source.format), template)
    title, lines, verdicts = _title_and_verdicts(raw, lines, preset, line_model)
    for mark in (keep_names_inside_sentences, keep_numbered_steps, mark_related_links, mark_question_boxes, mark_spam,
                 mark_after_article_end, mark_duplicate_captions, mark_captions, mark_author_bios, mark_polls,
                 mark_chapter_lists, mark_tables_of_contents, mark_pull_quotes):
        verdicts = mark(lines, verdicts)
    return title, lines, verdicts


def clean_text(
    raw: RawArticle, template: SiteTemplate | None = None, line_model: LineModel | None = None
) -> CleanArticle:
    """`clean_article` without the language check (`check_languages`): language None, and a skip
    reason only when no text is left. `line_model` replaces the shipped learned line model
    (benchmarks train their own)."""
    started = time.perf_counter()
    markdown = raw.source.format in MARKDOWN_FORMATS
    title, lines, verdicts = rule_verdicts(raw, template, line_model)
    verdicts = mark_boxes_under_dropped_headings(lines, mark_learned(lines, verdicts, line_model))

    removed = list(title.removed) + [
        Removed(text=line.text, reason=verdict.reason, evidence=list(verdict.evidence))
        for line, verdict in zip(lines, verdicts) if verdict.reason is not None
    ]
    paragraphs = kept_paragraphs(lines, verdicts, markdown)

    return CleanArticle(
        id=raw.id,
        source=raw.source,
        title=title.text,
        published=normalise_given_date(raw.published) or first_date(verdicts, "published") or title.glued_date,
        updated=first_date(verdicts, "updated"),
        url=raw.url,
        outlet=raw.outlet or next((r.text for r in title.removed if r.reason == REASON_SITE_SUFFIX), None),
        credits=one_credit_per_agency(item.text for item in removed if item.reason == REASON_CREDIT),
        paragraphs=paragraphs,
        removed=removed,
        language=None,
        skip_reason=None if paragraphs else NO_TEXT_LEFT,
        timings={**raw.timings, "clean": round(time.perf_counter() - started, 4)},
    )
