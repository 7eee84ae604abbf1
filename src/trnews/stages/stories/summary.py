"""One bilingual summary per story, from all its articles: sentences that several outlets tell
alike (character n-gram TF-IDF cosine) are one fact, ranked by the summariser's ranker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from trnews.records import ArticleOutput, BilingualText, Story, StorySentence
from trnews.stages.summarise import rank_sentences, tfidf_weights
from trnews.text.turkish import turkish_lower

# Summary sentences this similar (character n-gram cosine) are one fact told twice.
SAME_SENTENCE_SIMILARITY = 0.7


@lru_cache(maxsize=2**16)
def _character_ngrams(word: str) -> np.ndarray:
    """The character 3-5 grams of a lower-cased word, a space marking each edge (" ev", "evi "),
    as hashes (this process's `hash`: they are compared within one call, never stored)."""
    padded = f" {word} "
    return np.array([hash(padded[i:i + n]) for n in range(3, 6) for i in range(len(padded) - n + 1)], dtype=np.int64)


def character_ngram_counts(texts: Sequence[str]) -> csr_matrix:
    """Counts of the character 3-5 grams within words (`_character_ngrams`), one row per text, a
    column per n-gram that occurs. Those n-grams never cross a word's edge, so a text's counts
    are the sum of its words': news repeats its words, and each distinct word is cut once."""
    words: dict[str, int] = {}
    rows, columns = [], []
    for row, text in enumerate(texts):
        for word in turkish_lower(text).split():
            rows.append(row)
            columns.append(words.setdefault(word, len(words)))
    ngrams = [_character_ngrams(word) for word in words]
    flat = np.concatenate(ngrams) if ngrams else np.zeros(0, dtype=np.int64)
    distinct, column = np.unique(flat, return_inverse=True)
    pointers = np.concatenate([[0], np.cumsum([len(n) for n in ngrams], dtype=np.int64)])
    by_word = csr_matrix((np.ones(len(flat)), column.ravel(), pointers), shape=(len(words), len(distinct)))
    by_text = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(texts), len(words)))
    counts = csr_matrix(by_text @ by_word)
    counts.sum_duplicates()
    return counts


def tfidf_rows(counts: csr_matrix) -> csr_matrix:
    """TF-IDF of canonical `counts` as scikit-learn's `TfidfTransformer()` computes it
    (`summarise.tfidf_weights`; the tests compare the two)."""
    texts, terms = counts.shape
    row = np.repeat(np.arange(texts), np.diff(counts.indptr))
    weights = tfidf_weights(row, counts.indices, counts.data, texts, terms)
    return csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)


def same_sentence_groups(sentences: Sequence[str]) -> list[int]:
    """A group label per sentence: sentences linked by near-identity, transitively."""
    vectors = tfidf_rows(character_ngram_counts(sentences))
    linked = csr_matrix((vectors @ vectors.T).toarray() >= SAME_SENTENCE_SIMILARITY)
    return [int(label) for label in connected_components(linked, directed=False)[1]]


def repeated_sentences(story: Story, sentences: Mapping[str, Sequence[str]]) -> int:
    """How many of the story's sentences (`sentences`: each article's, by id) an earlier member
    already had word for word: what the sentence cache saved this story in translation."""
    seen: set[str] = set()
    repeated = 0
    for article_id in story.article_ids:
        own = set(sentences.get(article_id, ()))
        repeated += len(own & seen)
        seen |= own
    return repeated


def story_summary(story: Story, articles: Sequence[ArticleOutput], sentences: int) -> list[StorySentence]:
    """One bilingual summary from all the story's articles (those of `articles` that belong to it).

    A single article keeps its own summary. Otherwise every body sentence of every member is a
    candidate; near-identical sentences across outlets (character n-gram cosine at least
    `SAME_SENTENCE_SIMILARITY`) are one candidate carrying all their article ids. Candidates are
    ranked by the summariser's ranker (`summarise.rank_sentences`), and a fact carried by more
    outlets ranks higher."""
    by_id = {a.id: a for a in articles}
    members = [by_id[i] for i in story.article_ids if i in by_id]
    if len(members) == 1:
        only = members[0]
        return [StorySentence(tr=p.tr, en=p.en, article_ids=[only.id], flags=p.flags) for p in only.summary]
    candidates = sorted(
        ((position, rank, article.id, pair)
         for rank, article in enumerate(members)
         for position, pair in enumerate(pair for p in article.paragraphs if p.kind == "text" for pair in p.sentences)),
        key=lambda c: (c[0], c[1]))
    if not candidates:
        return []
    groups = same_sentence_groups([c[3].tr for c in candidates])
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
        carried_by = sorted(carriers[groups[index]], key=story.article_ids.index)
        summary.append(StorySentence(tr=pair.tr, en=pair.en, article_ids=carried_by, flags=pair.flags))
    return summary


def with_outputs(story: Story, articles: Sequence[ArticleOutput], sentences: int) -> Story:
    """The story with its English title (from the article that named it) and its summary."""
    by_id = {a.id: a for a in articles}
    named_by = next((by_id[i] for i in story.article_ids if i in by_id), None)
    title = BilingualText(tr=story.title.tr, en=named_by.title.en if named_by else story.title.en)
    return story.model_copy(update={"title": title, "summary": story_summary(story, articles, sentences)})
