"""One rule for dates: no zone means Europe/Istanbul, when cleaning and when grouping stories;
a value that is no date is undated everywhere."""

from __future__ import annotations

from datetime import datetime, timezone

from trnews.records import CleanArticle, Paragraph, Source
from trnews.stages.stories import StoryStore, article_time, own_date
from trnews.text.dates import moment, normalise_given_date, zoned

SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _article(id: str, published: str | None = None, updated: str | None = None) -> CleanArticle:
    return CleanArticle(id=id, source=Source(path=f"{id}.txt", sha256="0" * 64, format="text"), title="Başlık",
                        published=published, updated=updated,
                        paragraphs=[Paragraph(kind="text", text="Kent merkezinde yeni bir park açıldı.")])


def test_a_time_without_zone_is_istanbul_time_when_cleaning_and_when_comparing():
    assert zoned("2025-03-14T11:20") == "2025-03-14T11:20+03:00"
    assert normalise_given_date("14.03.2025 11:20") == "2025-03-14T11:20+03:00"
    naive = article_time(_article("a", published="2025-03-14T11:20"), SEEN)
    assert naive == datetime(2025, 3, 14, 8, 20, tzinfo=timezone.utc)
    assert naive == article_time(_article("b", published=zoned("2025-03-14T11:20")), SEEN)


def test_a_date_alone_counts_from_its_istanbul_midnight():
    assert moment("2025-03-14") == datetime(2025, 3, 13, 21, 0, tzinfo=timezone.utc)


def test_text_that_is_no_date_is_undated_in_every_part_of_stories(tmp_path):
    undated = _article("garbled", published="geçen salı")
    assert moment("geçen salı") is None and own_date(undated) is None
    assert article_time(undated, SEEN) == SEEN
    fallback = _article("updated-only", published="geçen salı", updated="2025-03-14T09:00+03:00")
    assert own_date(fallback) == ("2025-03-14T09:00+03:00", datetime(2025, 3, 14, 6, 0, tzinfo=timezone.utc))
    with StoryStore(tmp_path / "stories.sqlite") as store:
        store.assign([undated], seen=SEEN)
        [story] = store.stories()
    # The text that is no date dates nothing: the story of an undated article has no dates (when it
    # was seen places it in the store's time window, but is no publication date).
    assert (story.first_published, story.last_published) == (None, None)
