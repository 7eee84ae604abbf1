"""The kept lines grouped into the article's paragraphs and headings.

* Text is not rewritten: a kept paragraph is the input lines of one blank-line-separated block
  (surrounding whitespace stripped, inner line breaks kept; a line that held a no-break-space
  run has its whitespace collapsed); a block is only cut where a noise line or a heading sits
  inside it, or into single lines when no line of it runs on into the next (text with one
  paragraph per line, common in JSONL). Sentences are the segmenter's business.
* Headings: for Markdown and HTML sources only `#` lines are headings. For plain text (and JSONL)
  a single-line paragraph is a heading when it is ALL CAPS, or when it is short, has no sentence
  ending and another paragraph follows it; short lines in a row are list items ("İstanbul 12
  derece", "Ankara 6 derece"), not headings. A heading glued to a hard-wrapped paragraph stays
  part of that paragraph (unless it is ALL CAPS).
"""

from __future__ import annotations

from trnews.records import Paragraph, ParagraphKind
from trnews.stages.clean.layout import Line
from trnews.stages.clean.prose import ends_sentence, is_all_caps, is_list_item, is_prose, word_count
from trnews.stages.clean.reasons import Verdict

__all__ = ["MAX_HEADING_WORDS", "kept_paragraphs"]

# A plain-text line this short without a sentence ending, followed by more text, is a subheading.
MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 160


def kept_paragraphs(lines: list[Line], verdicts: list[Verdict], markdown: bool) -> list[Paragraph]:
    """The lines kept (verdict without a reason) as paragraphs and headings, in order."""
    return _paragraphs(_group_units(lines, verdicts, markdown), markdown)


def _stands_alone(line: Line, markdown: bool) -> bool:
    """A Markdown heading (or, in plain text, an ALL-CAPS line) is never merged with neighbours."""
    return line.marked_heading if markdown else is_all_caps(line.text)


def _group_units(lines: list[Line], verdicts: list[Verdict], markdown: bool) -> list[list[Line]]:
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
    return len(run) > 1 and not any(is_list_item(line.text) for line in run) and not any(
        not ends_sentence(line.text) and not is_all_caps(line.text)
        and (following.text[:1].islower() or word_count(line.text) > MAX_HEADING_WORDS)
        for line, following in zip(run, run[1:])
    )


def _plain_heading(unit: list[Line], has_next: bool) -> bool:
    if len(unit) != 1:
        return False
    text = unit[0].text
    if is_list_item(text):
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
