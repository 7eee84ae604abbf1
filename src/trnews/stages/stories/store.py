"""Stories across runs, in SQLite: every article's story, date, title and outlets; the days its
event happened on where it tells them; and, for the articles a coming one can still be compared
with, its hashed term counts and MinHash signature, so that no article is tokenised twice. A new
batch is placed here: clustered, oldest first and a part at a time, with the stored articles
near its dates; a cluster with stored articles continues their story."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from trnews.config import DEFAULT_STORY_WINDOW_DAYS
from trnews.database import SqliteStore, open_database, transaction
from trnews.records import BilingualText, CleanArticle, Story
from trnews.stages.stories.articles import article_time, date_text, outlets, own_date, story_id_for
from trnews.stages.stories.clustering import SAME_EVENT_SIMILARITY, cluster
from trnews.stages.stories.days import day_conflicts, event_days
from trnews.stages.stories.features import (
    BACKGROUND_ARTICLES,
    HASHED_FEATURES,
    MINHASH_PERMUTATIONS,
    VIEWS,
    Features,
    comparison_text,
    tfidf_views,
)
from trnews.stages.stories.similarity import related, similarity_matrix
from trnews.text.dates import Day

# The schema of the story store: a file of an older one is moved aside and rebuilt (trnews.database).
SCHEMA_VERSION = 1

# New articles are clustered at most this many at a time (with the stored ones near their dates).
PART_ARTICLES = 1000
# Stored articles less similar than this share of the threshold to every new article are left out
# of the clustering: they could join a new article's cluster only through other stored articles.
RELATED_SHARE = 0.5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    time REAL NOT NULL,
    published TEXT, -- the article's own date (published, else last updated); NULL: undated
    title TEXT NOT NULL,
    outlets TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_time ON articles (time);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id);
-- What `event_days` found, for the articles that tell any day: days as JSON [year or null, month, day].
CREATE TABLE IF NOT EXISTS told_days (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    from_text INTEGER NOT NULL,
    days TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    signature BLOB NOT NULL,
    words_terms BLOB NOT NULL, words_counts BLOB NOT NULL,
    names_terms BLOB NOT NULL, names_counts BLOB NOT NULL
);
"""
_FEATURE_COLUMNS = ["signature", *(f"{name}_{part}" for name in VIEWS for part in ("terms", "counts"))]


def _feature_row(features: Features, row: int) -> list[bytes]:
    cells = [features.signatures[row].tobytes()]
    for name in VIEWS:
        counts = features.counts[name]
        cells_of_row = slice(counts.indptr[row], counts.indptr[row + 1])
        cells += [counts.indices[cells_of_row].astype(np.int32).tobytes(),
                  counts.data[cells_of_row].astype(np.float32).tobytes()]
    return cells


def _features_from_rows(rows: Sequence[Sequence[bytes]]) -> Features:
    counts = {}
    for position, name in enumerate(VIEWS):
        terms = [np.frombuffer(row[1 + 2 * position], dtype=np.int32) for row in rows]
        values = [np.frombuffer(row[2 + 2 * position], dtype=np.float32) for row in rows]
        pointers = np.concatenate([[0], np.cumsum([len(t) for t in terms])])
        counts[name] = csr_matrix((np.concatenate(values) if rows else [], np.concatenate(terms) if rows else [],
                                   pointers), shape=(len(rows), HASHED_FEATURES))
    signatures = np.array([np.frombuffer(row[0], dtype=np.uint64) for row in rows], dtype=np.uint64)
    return Features(counts=counts, signatures=signatures.reshape(len(rows), MINHASH_PERMUTATIONS))


@dataclass(frozen=True)
class _Stored:
    ids: list[str]
    story_ids: list[str]
    times: list[datetime]
    days: list[list[Day]]
    from_text: list[bool]
    features: Features

    def take(self, rows: np.ndarray) -> _Stored:
        return _Stored(ids=[self.ids[i] for i in rows], story_ids=[self.story_ids[i] for i in rows],
                       times=[self.times[i] for i in rows], days=[self.days[i] for i in rows],
                       from_text=[self.from_text[i] for i in rows], features=self.features.take(rows))


class StoryStore(SqliteStore):
    """Stories across runs, in SQLite (WAL, one writer at a time: concurrent runs wait). Use it
    from one thread at a time; `with StoryStore(path) as store:` closes it."""

    def __init__(self, path: Path, window_days: float = DEFAULT_STORY_WINDOW_DAYS,
                 threshold: float = SAME_EVENT_SIMILARITY) -> None:
        self.window_days = window_days
        self.threshold = threshold
        # Prefect may run the tasks that use one store in different threads (one at a time).
        self._db = open_database(path, _SCHEMA, SCHEMA_VERSION)

    def assign(self, articles: Sequence[CleanArticle], seen: datetime | None = None) -> dict[str, str]:
        """Story id per article id, stored. Articles already in the store keep their story;
        new ones are clustered with each other and with stored articles near their dates.
        `seen` (default: now) dates the articles that have none."""
        seen = seen or datetime.now(timezone.utc)
        with transaction(self._db):
            known = self._known_stories([a.id for a in articles])
            new = sorted({a.id: a for a in articles if a.id not in known}.values(),
                         key=lambda a: article_time(a, seen))
            # Oldest first, a bounded number at a time: the similarity matrix grows with the square
            # of the articles compared, and each part meets the ones before it as stored articles.
            for start in range(0, len(new), PART_ARTICLES):
                known.update(self._place(new[start:start + PART_ARTICLES], seen))
            if new:
                self._forget_old_features()
        return {a.id: known[a.id] for a in articles}

    def _known_stories(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(
                f"SELECT id, story_id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows.fetchall())
        return found

    def _stored(self, where: str, parameters: Sequence[object]) -> _Stored:
        rows = self._db.execute(
            f"SELECT id, story_id, time, told_days.from_text, told_days.days, {', '.join(_FEATURE_COLUMNS)} "
            "FROM articles JOIN features ON features.article_id = articles.id "
            f"LEFT JOIN told_days ON told_days.article_id = articles.id WHERE {where}", parameters).fetchall()
        return _Stored(ids=[r[0] for r in rows], story_ids=[r[1] for r in rows],
                       times=[datetime.fromtimestamp(r[2], timezone.utc) for r in rows],
                       days=[[tuple(day) for day in json.loads(r[4])] if r[4] else [] for r in rows],
                       from_text=[bool(r[3]) for r in rows], features=_features_from_rows([r[5:] for r in rows]))

    def _window_start(self, times: Sequence[datetime]) -> float:
        return min(t.timestamp() for t in times) - self.window_days * 86400

    def _neighbours(self, times: Sequence[datetime]) -> _Stored:
        """The stored articles within the window of any of `times`."""
        return self._stored("time BETWEEN ? AND ?", (self._window_start(times),
                                                      max(t.timestamp() for t in times) + self.window_days * 86400))

    def _background(self, times: Sequence[datetime], size: int) -> Features:
        """Up to `size` stored articles, the newest of those before the window of `times`."""
        if size <= 0:
            return Features.empty()
        return self._stored("time < ? ORDER BY time DESC LIMIT ?", (self._window_start(times), size)).features

    def _forget_old_features(self) -> None:
        """Keep comparison features only where a coming article can still need them: within the
        window of the newest article, or among the `BACKGROUND_ARTICLES` newest."""
        newest = self._db.execute("SELECT max(time) FROM articles").fetchone()[0]
        self._db.execute(
            "DELETE FROM features WHERE article_id IN (SELECT id FROM articles WHERE time < ? "
            "AND id NOT IN (SELECT id FROM articles ORDER BY time DESC LIMIT ?))",
            (newest - self.window_days * 86400, BACKGROUND_ARTICLES))

    def _place(self, new: Sequence[CleanArticle], seen: datetime) -> dict[str, str]:
        times = [article_time(a, seen) for a in new]
        features = Features.of([comparison_text(a) for a in new])
        neighbours = self._neighbours(times)
        background = self._background(times, BACKGROUND_ARTICLES - len(neighbours.ids) - len(new))
        compared = Features.stack([neighbours.features, features])
        views = tfidf_views(compared, background)
        # Only the neighbours with some likeness to a new article are clustered with them (all
        # count in document frequencies): a busy window then costs memory in proportion to its
        # size, not to its square.
        kept = related(views, len(neighbours.ids), self.threshold * RELATED_SHARE)
        rows = np.concatenate([kept, np.arange(len(neighbours.ids), len(compared))])
        stored = neighbours.take(kept)
        # Stored articles count as dated: their time is what earlier runs knew of them.
        dated = [True] * len(stored.ids) + [own_date(a) is not None for a in new]
        similarity = similarity_matrix({name: view[rows] for name, view in views.items()}, compared.signatures[rows],
                                       stored.times + times, self.window_days, dated)
        new_dated = dated[len(stored.ids):]
        told = [event_days(a, t, d) for a, t, d in zip(new, times, new_dated)]
        from_text = [not d for d in new_dated]
        conflicts = day_conflicts(stored.days + told, stored.from_text + from_text, self.window_days)
        labels = cluster(similarity, self.threshold, conflicts, dated)
        stored_labels, new_labels = labels[: len(stored.ids)], labels[len(stored.ids):]
        # A cluster with stored articles continues the story most of them belong to.
        continued: dict[int, str] = {}
        for label in set(stored_labels):
            votes = Counter(story for story, lab in zip(stored.story_ids, stored_labels) if lab == label)
            continued[label] = votes.most_common(1)[0][0]
        # New clusters are ordered by their earliest article, which names the story.
        order = sorted(range(len(new)), key=lambda k: (times[k], new[k].id))
        assigned: dict[str, str] = {}
        for k in order:
            label = new_labels[k]
            if label not in continued:
                continued[label] = story_id_for(new[k].id)
            assigned[new[k].id] = continued[label]
        self._db.executemany(
            "INSERT INTO articles (id, story_id, time, published, title, outlets) VALUES (?, ?, ?, ?, ?, ?)",
            [(a.id, assigned[a.id], t.timestamp(), date_text(a), a.title, "\n".join(outlets(a)))
             for a, t in zip(new, times)])
        self._db.executemany(
            f"INSERT INTO features (article_id, {', '.join(_FEATURE_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(_FEATURE_COLUMNS))})",
            [(a.id, *_feature_row(features, row)) for row, a in enumerate(new)])
        # Stored, so that a later part or run compares its articles' days with these; the time of
        # a stored undated article is only when it was seen, not a day of its event.
        self._db.executemany(
            "INSERT INTO told_days (article_id, from_text, days) VALUES (?, ?, ?)",
            [(a.id, by_text, json.dumps(days)) for a, by_text, days in zip(new, from_text, told) if days])
        return assigned

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Every story with an article dated at or after `since` (all stories without it),
        biggest first, then newest; members and dates as stored, summaries empty."""
        cutoff = since.timestamp() if since else float("-inf")
        return self._stories("SELECT story_id FROM articles WHERE time >= ?", (cutoff,))

    def stories_of(self, story_ids: Iterable[str]) -> list[Story]:
        """The stories with these ids, as `stories` gives them."""
        ids = sorted(set(story_ids))
        return self._stories("SELECT value FROM json_each(?)", (json.dumps(ids),)) if ids else []

    def _stories(self, story_ids_query: str, parameters: Sequence[object]) -> list[Story]:
        rows = self._db.execute(
            "SELECT id, story_id, time, published, title, outlets FROM articles WHERE story_id IN "
            f"({story_ids_query}) ORDER BY time, id", parameters).fetchall()
        members: dict[str, list[tuple]] = {}
        for row in rows:
            members.setdefault(row[1], []).append(row)
        stories = sorted((_story(story_id, rows) for story_id, rows in members.items()),
                         key=lambda s: s.last_published or "", reverse=True)
        return sorted(stories, key=lambda s: len(s.article_ids), reverse=True)


def _story(story_id: str, rows: list[tuple]) -> Story:
    dated = [row[3] for row in rows if row[3]]
    sources = list(dict.fromkeys(o for row in rows for o in row[5].split("\n") if o))
    return Story(
        id=story_id,
        title=BilingualText(tr=rows[0][4], en=""),
        article_ids=[row[0] for row in rows],
        sources=sources,
        article_outlets={row[0]: outlet for row in rows if (outlet := row[5].split("\n")[0])},
        # When its members carry no date, neither has the story: when they were seen is no publication date.
        first_published=min(dated) if dated else None,
        last_published=max(dated) if dated else None,
    )
