"""Passes over neighbouring lines: the link list under a "related" heading goes with it, the
readers' comments below a comment section's chrome go with it, and a
caption that ends in a source credit and repeats the text before it goes too. A caption that
ends in a parenthesised source ("... kuyruk oluştu. (X/Valilik Haberleri)") is otherwise article
text."""

from __future__ import annotations

import re

from trnews.stages.clean.layout import Line
from trnews.stages.clean.line_features import addresses_reader
from trnews.stages.clean.phrases import line_key
from trnews.stages.clean.prose import is_article_sentence
from trnews.stages.clean.reasons import (
    REASON_COMMENT_FORM, REASON_COMMENT_SECTION, REASON_DUPLICATE_CAPTION, REASON_RELATED_LINKS, Verdict,
)
from trnews.stages.clean.rules import is_related_heading
from trnews.stages.clean.titles import is_title_like

__all__ = ["comment_section_start", "mark_comment_section", "mark_duplicate_captions", "mark_related_links"]

_TRAILING_SOURCE = re.compile(r"\s*\((?P<source>[^()]{2,60})\)\W*$")


def mark_related_links(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """The link list under a "related" heading ("İlgili Haberler") goes with it: the kept lines
    after it that read like headlines, up to the first paragraph. Its last line stays when a
    blank line sets it apart and a paragraph follows: that is the article's next subheading."""
    result = list(verdicts)
    for index, line in enumerate(lines):
        if verdicts[index].reason is None or not is_related_heading(line.text):
            continue
        links: list[int] = []
        for following in range(index + 1, len(lines)):
            if verdicts[following].reason is not None:
                continue
            if not is_title_like(lines[following].text):
                if len(links) > 1 and lines[links[-1]].block != lines[links[-2]].block:
                    links.pop()
                break
            links.append(following)
        for link in links:
            result[link] = Verdict(REASON_RELATED_LINKS)
    return result


def comment_section_start(lines: list[Line], verdicts: list[Verdict]) -> int | None:
    """Index of the first comment-section line ("3 Yorum", "Yorum yapmak için giriş yapın")
    below a kept article sentence that does not speak to the reader: the article ends there. A
    "Yorum yaz" button or a comment count in the header, even below a prompt written as a
    sentence ("Bildirimlere izin verin, ilk siz haberdar olun."), ends nothing."""
    first_sentence = next((i for i, v in enumerate(verdicts) if v.reason is None
                           and is_article_sentence(lines[i].text) and not addresses_reader(lines[i].text)), None)
    if first_sentence is None:
        return None
    return next((i for i, v in enumerate(verdicts) if v.reason == REASON_COMMENT_FORM and i > first_sentence), None)


def mark_comment_section(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """Every kept line below the comment section's chrome is a reader's comment, a commenter's
    name or more chrome, whatever its shape: the article never resumes after its comments."""
    start = comment_section_start(lines, verdicts)
    if start is None:
        return list(verdicts)
    return [Verdict(REASON_COMMENT_SECTION) if index > start and verdict.reason is None else verdict
            for index, verdict in enumerate(verdicts)]


def mark_duplicate_captions(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """A photo or video caption ending in a source credit ("... viral oldu. (X/BRICS Haberleri)")
    that repeats a sentence of the text just before it is dropped: the text already says it."""
    result = list(verdicts)
    previous_kept: str | None = None
    for index, line in enumerate(lines):
        if verdicts[index].reason is not None:
            continue
        credit = _TRAILING_SOURCE.search(line.text)
        if credit and previous_kept is not None:
            caption = line_key(line.text[: credit.start()])
            if len(caption.split()) >= 3 and caption in line_key(previous_kept):
                result[index] = Verdict(REASON_DUPLICATE_CAPTION)
                continue
        previous_kept = line.text
    return result
