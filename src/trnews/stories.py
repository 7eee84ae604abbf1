"""Stories: articles from different outlets that report the same event, grouped, with one
bilingual summary per story.

Method (on the cleaned Turkish text, so grouping does not depend on translation quality):

1. **Near-duplicates**: MinHash (datasketch, 128 permutations) over word 3-shingles of the
   folded text, indexed in an LSH at Jaccard 0.4. Republished agency copy with a changed title,
   a dropped paragraph or a local sentence added, and one article under two URLs, land well
   above it; two outlets writing the same event in their own words land far below.
2. **Same event**: three TF-IDF views (scikit-learn), compared by cosine:
   words (Turkish lower case, apostrophe suffixes cut, a function-word list, then the first
   five letters: a prefix "stem" that works well for Turkish retrieval, Can et al. 2008),
   character 3-5 grams within words (inflected forms of one name or verb share most of them),
   and names and numbers (capitalised words and digits: who, where, how many, which day).
   `similarity = 0.4 words + 0.3 characters + 0.3 names`; a near-duplicate counts as 1.
3. **Time**: two articles whose dates are more than `window_days` apart (default 3) have
   similarity 0, whatever their text: the same people on another day is another story. An
   article without a date counts as published when the store first saw it.
4. **Clustering**: average-linkage agglomerative clustering (scikit-learn) over
   `1 - similarity`, cut at `SAME_EVENT_SIMILARITY` (0.2, chosen on
   `benchmarks/data/stories.jsonl`). Average linkage, unlike single linkage, does not chain
   a story into its neighbour through one article that mentions both.

Persistence: `StoryStore` keeps every article's comparison text, date and story in SQLite
(`stories.sqlite` in the cache folder). A new batch is clustered together with the stored
articles within the window of its dates; a new article in a cluster with stored articles joins
their story (the one most of them belong to), so tomorrow's article joins yesterday's story
and a story id, once given, never changes.

Limits: the IDF weights are fitted on the articles being compared (the batch plus the stored
ones in its window), so a small batch weighs shared words less sharply than a day's full feed;
two stories that a later article shows to be one are not merged (ids stay stable); a story
that runs longer than the window keeps growing only while each new article has a stored one
within the window; an undated article seen long after its event is compared with the articles
of the day it was seen.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from trnews.records import ArticleOutput, BilingualText, CleanArticle, Story, StorySentence
from trnews.summarise import rank_sentences
from trnews.turkish import fold, turkish_lower

DEFAULT_WINDOW_DAYS = 3.0
SAME_EVENT_SIMILARITY = 0.2
NEAR_DUPLICATE_JACCARD = 0.4
VIEW_WEIGHTS = {"words": 0.4, "characters": 0.3, "names": 0.3}
SHINGLE_WORDS = 3
# Document frequencies are counted over at least this many articles (the batch, the stored ones
# in its window, then the most recent others), so that rare and common words weigh alike in a
# nightly batch of ten articles and in a backfill of thousands.
BACKGROUND_ARTICLES = 300
MINHASH_PERMUTATIONS = 128
STEM_LETTERS = 5
# Summary sentences this similar (character n-gram cosine) are one fact told twice.
SAME_SENTENCE_SIMILARITY = 0.7

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_APOSTROPHE_SUFFIX = re.compile(r"['’]\w*$")


@cache
def stopwords() -> frozenset[str]:
    text = resources.files("trnews").joinpath("data/stopwords-tr.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def comparison_text(article: CleanArticle) -> str:
    """What stories compare: the title and every paragraph, as the source wrote them."""
    return "\n".join([article.title, *(p.text for p in article.paragraphs)])


def _words(text: str) -> list[str]:
    return [_APOSTROPHE_SUFFIX.sub("", w) for w in _WORD.findall(text)]


def word_terms(text: str) -> list[str]:
    """Content words, lower-cased by Turkish rules, cut to a five-letter prefix (numbers whole)."""
    stop = stopwords()
    words = (turkish_lower(w) for w in _words(text))
    return [w if w.isdigit() else w[:STEM_LETTERS] for w in words if len(w) > 1 and w not in stop]


def name_terms(text: str) -> list[str]:
    """Capitalised words and numbers (people, places, institutions, counts, days), folded. A
    sentence's first word is capitalised too; the function-word list drops the common ones."""
    stop = stopwords()
    found = []
    for word in _words(text):
        if word[0].isdigit() or (word[0].isupper() and len(word) > 1):
            lowered = turkish_lower(word)
            if lowered not in stop:
                found.append(fold(word))
    return found


def _shingles(text: str) -> list[bytes]:
    words = [fold(w) for w in _words(text)]
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()]
    return [" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)]


def near_duplicate_pairs(texts: Sequence[str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose word-shingle Jaccard similarity is estimated at or above
    `NEAR_DUPLICATE_JACCARD` (MinHash LSH candidates, then checked on their signatures)."""
    signatures = MinHash.bulk([_shingles(t) for t in texts], num_perm=MINHASH_PERMUTATIONS)
    index = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=MINHASH_PERMUTATIONS)
    for position, signature in enumerate(signatures):
        index.insert(position, signature)
    pairs = set()
    for i, signature in enumerate(signatures):
        for j in index.query(signature):
            if i < j and signature.jaccard(signatures[j]) >= NEAR_DUPLICATE_JACCARD:
                pairs.add((i, j))
    return pairs


def _cosine(vectoriser: TfidfVectorizer, texts: Sequence[str], background: Sequence[str]) -> np.ndarray:
    try:
        vectoriser.fit([*background, *texts])
    except ValueError:  # nothing to compare in this view (e.g. no capitalised word anywhere)
        return np.zeros((len(texts), len(texts)))
    vectors = vectoriser.transform(texts)
    return (vectors @ vectors.T).toarray()


def similarity_matrix(texts: Sequence[str], times: Sequence[datetime], window_days: float,
                      background: Sequence[str] = ()) -> np.ndarray:
    """Pairwise "same event" similarity in [0, 1]: weighted TF-IDF cosines, 1 for
    near-duplicates, 0 for articles more than `window_days` apart. `background` (other recent
    articles) only adds to the document frequencies, so that a small batch weighs words as a
    full day's feed would."""
    views = {
        "words": TfidfVectorizer(analyzer=word_terms, sublinear_tf=True),
        "characters": TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=turkish_lower,
                                      sublinear_tf=True),
        "names": TfidfVectorizer(analyzer=name_terms, sublinear_tf=True),
    }
    similarity = sum(VIEW_WEIGHTS[name] * _cosine(v, texts, background) for name, v in views.items())
    assert isinstance(similarity, np.ndarray)
    for i, j in near_duplicate_pairs(texts):
        similarity[i, j] = similarity[j, i] = 1.0
    stamps = np.array([t.timestamp() for t in times])
    apart = np.abs(stamps[:, None] - stamps[None, :]) > window_days * 86400
    similarity[apart] = 0.0
    np.fill_diagonal(similarity, 1.0)
    return np.clip(similarity, 0.0, 1.0)


def cluster(similarity: np.ndarray, threshold: float = SAME_EVENT_SIMILARITY) -> list[int]:
    """A cluster label per row: average linkage, merging while the mean similarity between two
    groups is at least `threshold`."""
    if len(similarity) < 2:
        return [0] * len(similarity)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=1.0 - threshold)
    return [int(label) for label in model.fit_predict(1.0 - similarity)]


def article_time(article: CleanArticle, seen: datetime) -> datetime:
    """When the article was published (ISO 8601; a date alone means its midnight, a time without
    zone is taken as UTC), or `seen` when it has no readable date."""
    if article.published:
        try:
            published = datetime.fromisoformat(article.published)
        except ValueError:
            return seen
        return published if published.tzinfo else published.replace(tzinfo=timezone.utc)
    return seen


def outlet_name(url: str | None, source_path: str) -> str:
    """Who published an article: its web site (URL host without "www."), or the file it came from."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else Path(source_path).name


def outlets(article: CleanArticle) -> list[str]:
    """The article's outlet, then the agencies it credits."""
    return [outlet_name(article.url, article.source.path), *article.credits]


def story_id_for(article_id: str) -> str:
    """A story's id, from the article that started it: stable, and the same if the store is rebuilt
    from the same articles."""
    return "story-" + hashlib.sha256(article_id.encode()).hexdigest()[:12]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    time REAL NOT NULL,
    published TEXT,
    title TEXT NOT NULL,
    outlets TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_time ON articles (time);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id);
"""


@dataclass(frozen=True)
class _Stored:
    id: str
    story_id: str
    time: datetime
    text: str


class StoryStore:
    """Stories across runs, in SQLite (WAL, one writer at a time: concurrent runs wait)."""

    def __init__(self, path: Path, window_days: float = DEFAULT_WINDOW_DAYS,
                 threshold: float = SAME_EVENT_SIMILARITY) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.window_days = window_days
        self.threshold = threshold
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def assign(self, articles: Sequence[CleanArticle], seen: datetime | None = None) -> dict[str, str]:
        """Story id per article id, stored. Articles already in the store keep their story;
        new ones are clustered with each other and with stored articles near their dates.
        `seen` (default: now) dates the articles that have none."""
        seen = seen or datetime.now(timezone.utc)
        with self._transaction():
            known = self._known_stories([a.id for a in articles])
            new = list({a.id: a for a in articles if a.id not in known}.values())
            if new:
                known.update(self._place(new, seen))
        return {a.id: known[a.id] for a in articles}

    def _known_stories(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(
                f"SELECT id, story_id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows.fetchall())
        return found

    def _neighbours(self, times: Sequence[datetime]) -> list[_Stored]:
        margin = self.window_days * 86400
        rows = self._db.execute(
            "SELECT id, story_id, time, text FROM articles WHERE time BETWEEN ? AND ?",
            (min(t.timestamp() for t in times) - margin, max(t.timestamp() for t in times) + margin))
        return [_Stored(i, s, datetime.fromtimestamp(t, timezone.utc), text) for i, s, t, text in rows]

    def _background(self, times: Sequence[datetime], size: int) -> list[str]:
        """The texts of the `size` stored articles nearest before the batch's last date."""
        rows = self._db.execute("SELECT text FROM articles WHERE time <= ? ORDER BY time DESC LIMIT ?",
                                (max(t.timestamp() for t in times), size))
        return [text for (text,) in rows]

    def _place(self, new: Sequence[CleanArticle], seen: datetime) -> dict[str, str]:
        times = [article_time(a, seen) for a in new]
        texts = [comparison_text(a) for a in new]
        stored = self._neighbours(times)
        background = self._background(times, max(0, BACKGROUND_ARTICLES - len(stored) - len(new)))
        similarity = similarity_matrix([s.text for s in stored] + texts, [s.time for s in stored] + times,
                                       self.window_days, background)
        labels = cluster(similarity, self.threshold)
        stored_labels, new_labels = labels[: len(stored)], labels[len(stored):]
        # A cluster with stored articles continues the story most of them belong to.
        continued: dict[int, str] = {}
        for label in set(stored_labels):
            votes = Counter(s.story_id for s, lab in zip(stored, stored_labels) if lab == label)
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
            "INSERT INTO articles (id, story_id, time, published, title, outlets, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(a.id, assigned[a.id], t.timestamp(), a.published, a.title, "\n".join(outlets(a)), text)
             for a, t, text in zip(new, times, texts)])
        return assigned

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Every story with an article dated at or after `since` (all stories without it),
        biggest first, then newest; members and dates as stored, summaries empty."""
        cutoff = since.timestamp() if since else float("-inf")
        rows = self._db.execute(
            "SELECT id, story_id, time, published, title, outlets FROM articles WHERE story_id IN "
            "(SELECT story_id FROM articles WHERE time >= ?) ORDER BY time, id", (cutoff,)).fetchall()
        members: dict[str, list[tuple]] = {}
        for row in rows:
            members.setdefault(row[1], []).append(row)
        stories = sorted((_story(story_id, rows) for story_id, rows in members.items()),
                         key=lambda s: s.last_published or "", reverse=True)
        return sorted(stories, key=lambda s: len(s.article_ids), reverse=True)


def _story(story_id: str, rows: list[tuple]) -> Story:
    times = [datetime.fromtimestamp(row[2], timezone.utc) for row in rows]
    dated = [row[3] for row in rows if row[3]]
    sources = list(dict.fromkeys(o for row in rows for o in row[5].split("\n") if o))
    return Story(
        id=story_id,
        title=BilingualText(tr=rows[0][4], en=""),
        article_ids=[row[0] for row in rows],
        sources=sources,
        article_outlets={row[0]: row[5].split("\n")[0] for row in rows},
        first_published=min(dated) if dated else min(times).isoformat(),
        last_published=max(dated) if dated else max(times).isoformat(),
    )


def story_summary(story: Story, articles: Sequence[ArticleOutput], sentences: int) -> list[StorySentence]:
    """One bilingual summary from all the story's articles (those of `articles` that belong to it).

    A single article keeps its own summary. Otherwise every body sentence of every member is a
    candidate; near-identical sentences across outlets (character n-gram cosine at least
    `SAME_SENTENCE_SIMILARITY`) are one candidate carrying all their article ids. Candidates are
    ranked by the summariser's TextRank, listed by position in their article (so the lead bias
    favours every outlet's opening), and a fact carried by more outlets ranks higher."""
    members = [a for a in articles if a.id in set(story.article_ids)]
    if len(members) == 1:
        only = members[0]
        return [StorySentence(tr=p.tr, en=p.en, article_ids=[only.id]) for p in only.summary]
    candidates = sorted(
        ((position, rank, article.id, pair)
         for rank, article in enumerate(members)
         for position, pair in enumerate(pair for p in article.paragraphs if p.kind == "text" for pair in p.sentences)),
        key=lambda c: (c[0], c[1]))
    if not candidates:
        return []
    groups = _same_sentence_groups([c[3].tr for c in candidates])
    first_of_group: dict[int, int] = {}
    carriers: dict[int, list[str]] = {}
    for index, group in enumerate(groups):
        first_of_group.setdefault(group, index)
        ids = carriers.setdefault(group, [])
        if candidates[index][2] not in ids:
            ids.append(candidates[index][2])
    unique = sorted(first_of_group.values())
    scores = rank_sentences([candidates[i][3].tr for i in unique]) * np.array(
        [np.sqrt(len(carriers[groups[i]])) for i in unique])
    chosen = sorted(np.argsort(-scores, kind="stable")[:sentences])
    summary = []
    for k in chosen:
        index = unique[k]
        pair = candidates[index][3]
        summary.append(StorySentence(tr=pair.tr, en=pair.en, article_ids=carriers[groups[index]]))
    return summary


def _same_sentence_groups(sentences: Sequence[str]) -> list[int]:
    """A group label per sentence: sentences linked by near-identity, transitively."""
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=turkish_lower).fit_transform(sentences)
    linked = csr_matrix((vectors @ vectors.T).toarray() >= SAME_SENTENCE_SIMILARITY)
    return [int(label) for label in connected_components(linked, directed=False)[1]]


def with_outputs(story: Story, articles: Sequence[ArticleOutput], sentences: int) -> Story:
    """The story with its English title (from the article that named it) and its summary."""
    by_id = {a.id: a for a in articles}
    named_by = next((by_id[i] for i in story.article_ids if i in by_id), None)
    title = BilingualText(tr=story.title.tr, en=named_by.title.en if named_by else story.title.en)
    return story.model_copy(update={"title": title, "summary": story_summary(story, articles, sentences)})
