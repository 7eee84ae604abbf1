"""Appended SEO spam: runs of adjacent lines of one block without sentence structure, scored on
several signals (keyword stuffing, list shape, lower-case line starts, URL-like tokens, no
verb-like line endings, spam vocabulary, position after the article's end). A run is dropped
with at least `SPAM_MIN_SIGNALS` signals of which one is evidence (`SPAM_EVIDENCE`). List shape
is not evidence, and repeated words in rows that carry numbers are a table (weather, prices,
scores, results), not keyword stuffing.
"""

from __future__ import annotations

import re
from collections import Counter

from trnews.stages.clean.blocks import article_end
from trnews.stages.clean.layout import Line
from trnews.stages.clean.line_features import ends_like_verb
from trnews.stages.clean.paragraphs import MAX_HEADING_WORDS
from trnews.stages.clean.phrases import alternatives, line_key
from trnews.stages.clean.prose import is_article_sentence, is_prose, words
from trnews.stages.clean.reasons import REASON_CREDIT, REASON_SPAM, Verdict
from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold

__all__ = ["SPAM_EVIDENCE", "SPAM_MIN_SIGNALS", "mark_spam"]

SPAM_MIN_SIGNALS = 3
# Signals that are evidence of spam; list shape, no verbs and lower case alone are not.
SPAM_EVIDENCE = frozenset({"keyword-stuffing", "link-tokens", "spam-terms", "after-article-end"})
# Vocabulary of appended SEO spam (folded); evidence that a run of lines is spam.
SPAM_TERMS_PATTERN = re.compile(rf"\b(?:{alternatives(data_lines('spam_terms.txt'))})\b")
_URLISH = re.compile(r"https?://|www\.|\w\.(?:com|net|org|info|xyz|tr|io|me|co)\b")
_DIGITS = re.compile(r"\d")


def _spam_signals(run: list[str], after_article_end: bool) -> list[str]:
    """Names of the spam signals a run of lines without sentence endings shows. Repeated words
    in a run whose lines carry numbers are a table (weather, prices, scores, results), not
    keyword stuffing."""
    run_words = [w for line in run for w in words(fold(line))]
    tokens = [t for line in run for t in line.split()]
    signals = []
    data_rows = sum(bool(_DIGITS.search(line)) for line in run) * 2 >= len(run)
    if len(run_words) >= 8 and not data_rows:
        top_share = Counter(run_words).most_common(1)[0][1] / len(run_words)
        if top_share >= 0.2 or len(set(run_words)) / len(run_words) <= 0.5:
            signals.append("keyword-stuffing")
    if len(run) >= 2 and len(tokens) / len(run) <= 15:
        signals.append("list-shaped")
    if sum(line[0].islower() for line in run) * 2 >= len(run):
        signals.append("lowercase-lines")
    if tokens and sum(bool(_URLISH.search(t.lower())) for t in tokens) * 5 >= len(tokens):
        signals.append("link-tokens")
    # A line whose last word ends like a Turkish finite verb reads as a sentence.
    if sum(ends_like_verb(line) for line in run) * 4 < len(run):
        signals.append("verbless")
    if any(SPAM_TERMS_PATTERN.search(line_key(line)) for line in run):
        signals.append("spam-terms")
    if after_article_end:
        signals.append("after-article-end")
    return signals


def _article_end(lines: list[Line], verdicts: list[Verdict]) -> int | None:
    """Index of the line that closes the article: its comment section or its tag list
    (`article_end`), else the last credit that follows some kept text and no article
    sentence follows (a photo credit between paragraphs closes nothing). Spam after it gets one
    more signal."""
    first_kept = next((i for i, v in enumerate(verdicts) if v.reason is None), None)
    if first_kept is None:
        return None
    end = article_end(lines, verdicts)
    if end is not None:
        return end[0]
    last_sentence = max((i for i, v in enumerate(verdicts) if v.reason is None and is_article_sentence(lines[i].text)),
                        default=-1)
    credits = [i for i, v in enumerate(verdicts) if v.reason == REASON_CREDIT and i > max(first_kept, last_sentence)]
    return credits[-1] if credits else None


def _sentence_like(text: str) -> bool:
    """Prose, or a long line of varied words that merely lacks its final full stop."""
    if is_prose(text):
        return True
    line_words = words(fold(text))
    return len(line_words) > MAX_HEADING_WORDS and len(set(line_words)) >= 0.8 * len(line_words)


def _candidate_runs(lines: list[Line], verdicts: list[Verdict]) -> list[list[int]]:
    """Runs of adjacent kept lines of one block without sentence structure."""
    runs: list[list[int]] = []
    for index, line in enumerate(lines):
        if verdicts[index].reason is not None or _sentence_like(line.text):
            continue
        if runs and runs[-1][-1] == index - 1 and lines[index - 1].block == line.block:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _continues_a_sentence(lines: list[Line], verdicts: list[Verdict], run: list[int]) -> bool:
    """The run is a sentence's enumeration: a kept line just above it ends in ":", ";" or ",",
    or its items end in commas ("Aynı gün görev yapan;" "- hamile personel," "- engelli
    personel," ...). Spam is never set inside a sentence."""
    above = run[0] - 1
    if above >= 0 and verdicts[above].reason is None and lines[above].text.rstrip().endswith((":", ";", ",")):
        return True
    return len(run) > 1 and all(lines[i].text.rstrip().endswith(",") for i in run[:-1])


def mark_spam(lines: list[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """Drop runs of adjacent kept lines without sentence structure that show enough spam
    signals, at least one of them evidence (`SPAM_EVIDENCE`)."""
    end = _article_end(lines, verdicts)
    result = list(verdicts)
    for run in _candidate_runs(lines, verdicts):
        if _continues_a_sentence(lines, verdicts, run):
            continue
        signals = _spam_signals([lines[i].text for i in run], end is not None and run[0] > end)
        if len(signals) >= SPAM_MIN_SIGNALS and SPAM_EVIDENCE.intersection(signals):
            for i in run:
                result[i] = Verdict(REASON_SPAM)
    return result
