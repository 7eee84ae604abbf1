"""The days an article's event happened on, as far as it tells, and the pairs of articles whose
days say they report different events (cannot-links for `clustering.cluster`). The days named
in text are read by `text.dates.mentioned_days`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import numpy as np

from trnews.records import CleanArticle
from trnews.stages.stories.features import comparison_text
from trnews.text.dates import Day, mentioned_days


def event_days(article: CleanArticle, time: datetime, dated: bool) -> list[Day]:
    """When the article's event happened, as far as it tells: the day of its `time` where that is
    a publication date (`dated`); else the days its text names (`text.dates.mentioned_days`), which in
    an undated report are the event's day, and at worst an earlier day it recalls."""
    return [(time.year, time.month, time.day)] if dated else mentioned_days(comparison_text(article))


def days_apart(first: Day, second: Day) -> int:
    """Days between two days; where either has no year, around the year (31 Aralık and 1 Ocak
    are one day apart), since the year it happened in is unknown."""
    if first[0] is not None and second[0] is not None:
        return abs((date(first[0], first[1], first[2]) - date(second[0], second[1], second[2])).days)
    gap = abs((date(2000, *first[1:]) - date(2000, *second[1:])).days)
    return min(gap, 366 - gap)


def day_conflicts(days: Sequence[Sequence[Day]], from_text: Sequence[bool], window_days: float) -> np.ndarray:
    """Pairs of rows that are certainly different events: both tell their days (`event_days`), at
    least one of them only through its text (`from_text`), and every day of one is more than
    `window_days` from every day of the other. Two dated rows are left to the time window of
    `similarity_matrix`."""
    size = len(days)
    conflicts = np.zeros((size, size), dtype=bool)
    told = [i for i in range(size) if days[i]]
    for i in told:
        if not from_text[i]:
            continue
        for j in told:
            if j != i and all(days_apart(a, b) > window_days for a in days[i] for b in days[j]):
                conflicts[i, j] = conflicts[j, i] = True
    return conflicts
