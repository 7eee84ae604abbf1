"""Page structures recognised by their shape, whatever words a site uses: a poll (a question and
answers that end in their share of the votes), a table of contents (entries that the article
repeats below as its subheadings), a video's or podcast's chapter list (short entries led by
time codes from 00:00) and a pull quote (a sentence the article says again in a paragraph)."""

from __future__ import annotations

import re
from itertools import accumulate

from trnews.stages.clean.layout import Line
from trnews.stages.clean.phrases import line_key
from trnews.stages.clean.prose import inline_items, is_article_sentence, is_question, without_list_marker, word_count
from trnews.stages.clean.reasons import (
    REASON_CHAPTER_LIST, REASON_POLL, REASON_PULL_QUOTE, REASON_TABLE_OF_CONTENTS, Verdict,
)

__all__ = ["mark_chapter_lists", "mark_polls", "mark_pull_quotes", "mark_tables_of_contents"]

# A poll's answer ends in its share of the votes ("Evet, mutlaka (%71)", "Pınar Akdoğan %58",
# "Hayır 7%") or its count of them in brackets ("👎 Tutmadı (1.104)").
_VOTE_SHARE = re.compile(r"(?:\(?%\s?\d+(?:[.,]\d+)?\)?|\d+(?:[.,]\d+)?\s?%\)?|\(\d{1,3}(?:[.,]\d{3})*\))\s*$")
MAX_POLL_QUESTION_WORDS = 14
MAX_POLL_ANSWER_WORDS = 8
MIN_POLL_ANSWERS = 2
# A chapter: a time code ("02:40", "1:02:15", "(09:15)") and a short title after it.
_CHAPTER = re.compile(r"^\(?(?P<code>(?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*[-–—]?\s+\S")
_START_CODE = re.compile(r"^(?:0?0:)?0?0:00$")
MAX_CHAPTER_WORDS = 12
MIN_CHAPTERS = 3
# A pull quote repeats at least this many words of a paragraph: a subheading may be shorter.
MIN_PULL_QUOTE_WORDS = 6
MAX_CONTENTS_LABEL_WORDS = 3
MAX_CONTENTS_ENTRY_WORDS = 10
MIN_CONTENTS_ENTRIES = 2


def mark_polls(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A short question followed by at least two short answers that end in their share or count
    of the votes is a poll: on the 148 training sites such runs were polls 14 times in 14 (49
    lines), "Bu yazı işinize yaradı mı?" with its "Evet (214)" among them."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        if not (is_question(line.text) and word_count(line.text) <= MAX_POLL_QUESTION_WORDS):
            continue
        end = index + 1
        while end < len(lines) and word_count(lines[end].text) <= MAX_POLL_ANSWER_WORDS \
                and _VOTE_SHARE.search(lines[end].text):
            end += 1
        if end - index - 1 >= MIN_POLL_ANSWERS:
            for poll_line in range(index, end):
                if result[poll_line].reason is None:
                    result[poll_line] = Verdict(REASON_POLL)
    return result


def _entries(text: str) -> list[str]:
    """The entries a line lists, after a short label ("Bu analizde: Neyi ölçtük? · En çok geciken
    hatlar"), without their numbers ("1. Araştırmada neler bulundu?"); the line itself when it
    lists none."""
    label, colon, rest = text.partition(": ")
    if colon and word_count(label) <= MAX_CONTENTS_LABEL_WORDS and len(inline_items(rest)) > 1:
        text = rest
    return [without_list_marker(item) for item in inline_items(text)]


def mark_tables_of_contents(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """Kept lines whose entries come again further down, as lines of their own after an article
    sentence, are a table of contents: a line of at least two such entries, or two such lines in
    a row. A subheading is written once; a line the page repeats before the article has even
    reached it points to it."""
    kept = [verdict.reason is None for verdict in verdicts]
    sentences_before = [0, *accumulate(kept[i] and is_article_sentence(lines[i].text) for i in range(len(lines)))]
    last_place: dict[str, int] = {}
    for index, line in enumerate(lines):
        if kept[index]:
            last_place[line_key(line.text)] = index

    def comes_again(entry: str, index: int) -> bool:
        later = last_place.get(line_key(entry))
        return (later is not None and later > index and word_count(entry) <= MAX_CONTENTS_ENTRY_WORDS
                and sentences_before[later] > sentences_before[index + 1])

    entries = [_entries(line.text) for line in lines]
    listing = [kept[i] and all(comes_again(entry, i) for entry in entries[i]) for i in range(len(lines))]
    result = list(verdicts)
    for index in range(len(lines)):
        in_a_row = (index > 0 and listing[index - 1]) or (index + 1 < len(lines) and listing[index + 1])
        if listing[index] and (len(entries[index]) >= MIN_CONTENTS_ENTRIES or in_a_row):
            result[index] = Verdict(REASON_TABLE_OF_CONTENTS)
    return result


def _chapter_code(text: str) -> str | None:
    found = _CHAPTER.match(text.strip())
    return found["code"] if found and word_count(text) <= MAX_CHAPTER_WORDS else None


def mark_chapter_lists(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """At least `MIN_CHAPTERS` short lines in a row, each led by a time code, the first at 00:00:
    a video's or podcast's chapters ("00:00 Giriş", "02:40 İndirim yarışı"). A live blog's
    entries are led by clock times too, but none starts at midnight with a title."""
    result = list(verdicts)
    index = 0
    while index < len(lines):
        code = _chapter_code(lines[index].text)
        end = index + 1
        if code and _START_CODE.match(code):
            while end < len(lines) and _chapter_code(lines[end].text):
                end += 1
            if end - index >= MIN_CHAPTERS:
                for chapter in range(index, end):
                    if result[chapter].reason is None:
                        result[chapter] = Verdict(REASON_CHAPTER_LIST)
        index = end
    return result


def mark_pull_quotes(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A kept line of at least `MIN_PULL_QUOTE_WORDS` words that a longer kept line contains
    whole is a pull quote ("> "Vadeli satış artık bir tercih değil.""): the page sets a sentence
    of the article apart in large type, and the article says it in its paragraph."""
    kept = [index for index, verdict in enumerate(verdicts) if verdict.reason is None]
    keys = {index: line_key(lines[index].text) for index in kept}
    result = list(verdicts)
    for index in kept:
        key = keys[index]
        if word_count(key) >= MIN_PULL_QUOTE_WORDS and any(
                other != index and len(keys[other]) > len(key) and f" {key} " in f" {keys[other]} " for other in kept):
            result[index] = Verdict(REASON_PULL_QUOTE)
    return result
