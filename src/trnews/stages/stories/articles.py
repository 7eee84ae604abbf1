"""What the story store records of an article besides its features: its own date and the time
it counts as published, its outlets, and the id of the story it starts."""

from __future__ import annotations

import hashlib
from datetime import datetime

from trnews.records import CleanArticle
from trnews.stages.ingest.pages import outlet_for
from trnews.text.dates import moment


def own_date(article: CleanArticle) -> tuple[str, datetime] | None:
    """The article's own date as it gives it and as an instant (`text.dates.moment`: no zone is
    Istanbul time): its publication date, else its last update, which publication cannot follow;
    None when it has neither, or only text that is no date (then it is undated everywhere)."""
    for value in (article.published, article.updated):
        when = moment(value)
        if value and when:
            return value, when
    return None


def date_text(article: CleanArticle) -> str | None:
    """The article's own date as it gives it (`own_date`), None when it has none."""
    dated = own_date(article)
    return dated[0] if dated else None


def article_time(article: CleanArticle, seen: datetime) -> datetime:
    """When the article was published (`own_date`), else `seen`."""
    dated = own_date(article)
    return dated[1] if dated else seen


def outlets(article: CleanArticle) -> list[str]:
    """The article's outlet (`CleanArticle.outlet`: its source's or site's name, else its URL's
    host; "" when none is known), then the agencies it credits."""
    return [article.outlet or outlet_for(None, None, article.url) or "", *article.credits]


def story_id_for(article_id: str) -> str:
    """A story's id, from the article that started it: stable, and the same if the store is rebuilt
    from the same articles."""
    return "story-" + hashlib.sha256(article_id.encode()).hexdigest()[:12]
