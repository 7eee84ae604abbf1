"""Stories from similarities: average-linkage clustering, and members given up until no cluster
holds two articles whose named days say they report different events."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

# Chosen with `benchmarks/story_quality.py` (the limits are in the package's documentation).
SAME_EVENT_SIMILARITY = 0.25


def cluster(similarity: np.ndarray, threshold: float = SAME_EVENT_SIMILARITY, conflicts: np.ndarray | None = None,
            anchored: Sequence[bool] | None = None) -> list[int]:
    """A cluster label per row: average linkage, merging while the mean similarity between two
    groups is at least `threshold`. Rows that `conflicts` marks (from `day_conflicts`) are never
    left in one cluster: their similarity counts as 0, and a cluster that still holds such a pair
    loses members (`_conflicting_members`) until it holds none; those are clustered again apart.
    `anchored` (default all) marks the rows whose time is a publication date."""
    size = len(similarity)
    if size < 2:
        return [0] * size
    conflicts = np.zeros((size, size), dtype=bool) if conflicts is None else conflicts
    anchored = [True] * size if anchored is None else anchored
    similarity = np.where(conflicts, 0.0, similarity)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=1.0 - threshold)
    labels = [int(label) for label in model.fit_predict(1.0 - similarity)]
    if not conflicts.any():
        return labels
    next_label = max(labels) + 1
    for label in set(labels):
        leaving = _conflicting_members([i for i, lab in enumerate(labels) if lab == label], similarity, conflicts,
                                       anchored)
        if leaving:
            apart = np.ix_(leaving, leaving)
            relabelled = cluster(similarity[apart], threshold, conflicts[apart], [anchored[i] for i in leaving])
            for row, sub_label in zip(leaving, relabelled):
                labels[row] = next_label + sub_label
            next_label += max(relabelled) + 1
    return labels


def _conflicting_members(members: list[int], similarity: np.ndarray, conflicts: np.ndarray,
                         anchored: Sequence[bool]) -> list[int]:
    """The members that must leave a cluster so that no two of those left conflict: one at a
    time, the one in most conflicts; between equals, one not anchored by a publication date
    (its time is a day its text names, and the dated members are what the undated ones without
    any date were grouped around), then the one least similar to the others."""
    kept, leaving = list(members), []
    while True:
        inside = np.ix_(kept, kept)
        counts = conflicts[inside].sum(axis=1)
        if not counts.any():
            return leaving
        mean_similarity = similarity[inside].mean(axis=1)
        worst = max(range(len(kept)), key=lambda k: (counts[k], not anchored[kept[k]], -mean_similarity[k]))
        leaving.append(kept.pop(worst))
