"""How alike two articles are: near-duplicates found by LSH over MinHash signatures, a weighted
cosine of the TF-IDF views, and the time window, compared in time blocks so that a batch
spanning months costs what its articles' windows hold, not its square."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

import numpy as np
from datasketch import MinHashLSH
from scipy.sparse import csr_matrix

from trnews.stages.stories.features import MINHASH_PERMUTATIONS

NEAR_DUPLICATE_JACCARD = 0.4
# Names weigh most because they tell events apart.
VIEW_WEIGHTS = {"words": 0.45, "names": 0.55}
# Rows compared at a time against the rows within their time window (`_cosine_of_possible_pairs`).
TIME_BLOCK_ROWS = 256


@cache
def _lsh_bands() -> tuple[int, int]:
    """LSH bands and rows for `NEAR_DUPLICATE_JACCARD`: datasketch finds them by numerical
    integration, which costs more than indexing a night's articles, so once per process."""
    index = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=MINHASH_PERMUTATIONS)
    return index.b, index.r


def near_duplicate_pairs(signatures: np.ndarray) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose word-shingle Jaccard similarity, estimated from their MinHash
    signatures, is at least `NEAR_DUPLICATE_JACCARD`: the candidates of datasketch's LSH (rows
    equal in some band of the signature), then checked, as `MinHashLSH` does, in numpy rather
    than one sketch object per row."""
    bands, rows = _lsh_bands()
    candidates: set[tuple[int, int]] = set()
    for band in range(bands):
        _, bucket = np.unique(signatures[:, band * rows:(band + 1) * rows], axis=0, return_inverse=True)
        order = np.argsort(bucket.ravel(), kind="stable")
        for members in np.split(order, np.flatnonzero(np.diff(bucket.ravel()[order])) + 1):
            candidates.update((int(i), int(j)) for k, i in enumerate(members) for j in members[k + 1:])
    if not candidates:
        return set()
    first, second = (np.array(side) for side in zip(*sorted(candidates)))
    agreement = (signatures[first] == signatures[second]).mean(axis=1)
    return {(int(i), int(j)) for i, j, a in zip(first, second, agreement) if a >= NEAR_DUPLICATE_JACCARD}


def weighted_cosine(rows: dict[str, csr_matrix], columns: dict[str, csr_matrix]) -> np.ndarray:
    """`VIEW_WEIGHTS`-weighted cosine of every row with every column (both from `tfidf_views`)."""
    similarity = np.zeros((rows["words"].shape[0], columns["words"].shape[0]))
    for name, weight in VIEW_WEIGHTS.items():
        similarity += weight * (rows[name] @ columns[name].T).toarray()
    return similarity


def _cosine_of_possible_pairs(views: dict[str, csr_matrix], stamps: np.ndarray, dated: np.ndarray,
                              window: float) -> np.ndarray:
    """`weighted_cosine` of every pair that the time window does not set apart (0 elsewhere):
    rows in time order, `TIME_BLOCK_ROWS` at a time, against the rows within the window of the
    block and every row dated the other way. A batch that spans months (a backfill of an archive)
    then costs what its articles' windows hold, not the square of the batch."""
    similarity = np.zeros((len(stamps), len(stamps)))
    order = np.argsort(stamps, kind="stable")
    for start in range(0, len(order), TIME_BLOCK_ROWS):
        block = order[start:start + TIME_BLOCK_ROWS]
        near = (stamps >= stamps[block].min() - window) & (stamps <= stamps[block].max() + window)
        # An undated article and a dated one are compared whatever their times.
        if dated[block].any():
            near |= ~dated
        if not dated[block].all():
            near |= dated
        columns = np.flatnonzero(near)
        similarity[np.ix_(block, columns)] = weighted_cosine({n: v[block] for n, v in views.items()},
                                                             {n: v[columns] for n, v in views.items()})
    return similarity


def similarity_matrix(views: dict[str, csr_matrix], signatures: np.ndarray, times: Sequence[datetime],
                      window_days: float, dated: Sequence[bool] | None = None) -> np.ndarray:
    """Pairwise "same event" similarity in [0, 1] of the articles that `views` (from
    `tfidf_views`), `signatures` and `times` describe row by row: weighted TF-IDF cosines, 1 for
    near-duplicates, 0 for articles more than `window_days` apart. Where `dated` says a row's
    time is only when it was seen (no date in the article), its distance in time from a dated
    article says nothing, and only the text decides."""
    stamps = np.array([t.timestamp() for t in times])
    known = np.ones(len(stamps), dtype=bool) if dated is None else np.asarray(dated, dtype=bool)
    similarity = _cosine_of_possible_pairs(views, stamps, known, window_days * 86400)
    for i, j in near_duplicate_pairs(signatures):
        similarity[i, j] = similarity[j, i] = 1.0
    apart = np.abs(stamps[:, None] - stamps[None, :]) > window_days * 86400
    apart &= known[:, None] == known[None, :]
    similarity[apart] = 0.0
    np.fill_diagonal(similarity, 1.0)
    return np.clip(similarity, 0.0, 1.0)


def related(views: dict[str, csr_matrix], stored: int, floor: float) -> np.ndarray:
    """Indices of the first `stored` rows of `views` whose similarity to some later row (a new
    article) reaches `floor`."""
    cross = weighted_cosine({n: v[stored:] for n, v in views.items()}, {n: v[:stored] for n, v in views.items()})
    return np.flatnonzero(cross.max(axis=0) >= floor) if stored else np.arange(0)
