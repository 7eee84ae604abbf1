"""Extractive summary quality on human labels: sadedegel 0.21.2's 96 annotated articles.

Each sentence of an annotated article carries `deletedInRound`: the round in which annotators
removed it while shortening the article (higher = kept longer = more important). As sadedegel
does, every method ranks each article's own sentences (sadedegel's segmentation) and is scored by
`sklearn.metrics.ndcg_score` at k = 10 %, 50 % and 80 % of the article's sentences, averaged over
articles. Prints a Markdown table; run by hand:

    PYTHONPATH=src .venv/bin/python benchmarks/summary_quality.py [--wheel PATH]

The wheel is downloaded once with `pip download sadedegel==0.21.2 --no-deps` into
benchmarks/.cache/ (git-ignored) and read with zipfile: the package does not install on
Python 3.11, and nothing of it is imported.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import ndcg_score

from trnews.stages.summarise import STEM_LENGTH, centrality, rank_sentences

CACHE = Path(__file__).parent / ".cache"
WHEEL = "sadedegel-0.21.2-py3-none-any.whl"
ANNOTATED = "sadedegel/dataset/annotated/"
CUTOFFS = (0.1, 0.5, 0.8)
RANDOM_SEEDS = 20
FOLDS = 5
# Best unsupervised rows of sadedegel's own evaluation (its README), for reference.
PUBLISHED = {"BM25 / TF-IDF (sadedegel, best published unsupervised)": (0.687, 0.764, 0.855)}

Ranker = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Annotated:
    sentences: list[str]
    relevance: np.ndarray


def wheel_path(wheel: Path | None) -> Path:
    if wheel is not None:
        return wheel
    cached = CACHE / WHEEL
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "sadedegel==0.21.2", "--no-deps", "-d", str(CACHE)], check=True
        )
    return cached


def load_annotated(wheel: Path) -> list[Annotated]:
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith(ANNOTATED) and n.endswith(".json"))
        documents = [json.loads(archive.read(name))["sentences"] for name in names]
    return [
        Annotated([s["content"] for s in doc], np.array([s["deletedInRound"] for s in doc], dtype=float))
        for doc in documents
    ]


def ndcg_per_article(articles: Sequence[Annotated], ranker: Ranker) -> np.ndarray:
    """articles x cutoffs NDCG."""
    rows = []
    for article in articles:
        scores = np.asarray(ranker(article.sentences), dtype=float)
        count = len(article.sentences)
        rows.append([
            ndcg_score([article.relevance], [scores], k=math.ceil(count * cutoff)) for cutoff in CUTOFFS
        ])
    return np.array(rows)


def first_k(sentences: Sequence[str]) -> np.ndarray:
    return -np.arange(len(sentences), dtype=float)


def longest_first(sentences: Sequence[str]) -> np.ndarray:
    return np.array([len(s) for s in sentences], dtype=float)


def random_mean(articles: Sequence[Annotated]) -> np.ndarray:
    runs = [ndcg_per_article(articles, random_scores(seed)).mean(axis=0) for seed in range(RANDOM_SEEDS)]
    return np.mean(runs, axis=0)


def random_scores(seed: int) -> Ranker:
    generator = np.random.default_rng(seed)
    return lambda sentences: generator.random(len(sentences))


# The variants compared while designing the ranker on this data. None has a tuned parameter, but
# picking one of them is a choice made by looking at the data: `cross_validated_choice` measures
# what that choice is worth on articles it did not see.
VARIANTS: dict[str, Ranker] = {
    "length": longest_first,
    "centrality": centrality,
    "length x centrality": lambda s: longest_first(s) * centrality(s),
    **{
        f"length x (1 + centrality, stems of {n})": lambda s, n=n: longest_first(s) * (1 + centrality(s, n))
        for n in (3, 4, 5, 6, 8, 100)  # 100: whole words
    },
}


def cross_validated_choice(
    articles: Sequence[Annotated], per_variant: dict[str, np.ndarray]
) -> tuple[np.ndarray, list[str]]:
    """k-fold over articles: pick the variant with the best mean NDCG on the other folds, score
    it on the held-out fold. Returns the pooled held-out NDCG and the variant each fold chose."""
    folds = np.arange(len(articles)) % FOLDS
    held_out = np.zeros((len(articles), len(CUTOFFS)))
    chosen = []
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        best = max(per_variant, key=lambda name: per_variant[name][train].mean())
        chosen.append(best)
        held_out[test] = per_variant[best][test]
    return held_out.mean(axis=0), chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="a local sadedegel-0.21.2 wheel (default: download to the cache)")
    args = parser.parse_args(argv)
    articles = load_annotated(wheel_path(args.wheel))
    sentences = sum(len(a.sentences) for a in articles)
    print(f"{len(articles)} annotated articles, {sentences} sentences\n")

    rows = {
        f"trnews extractive (length x (1 + centrality, stems of {STEM_LENGTH}))": ndcg_per_article(articles, rank_sentences).mean(axis=0),
        f"random (mean of {RANDOM_SEEDS} seeds)": random_mean(articles),
        "first-k (lead)": ndcg_per_article(articles, first_k).mean(axis=0),
        "longest sentences first (characters)": ndcg_per_article(articles, longest_first).mean(axis=0),
        **{name: np.array(figures) for name, figures in PUBLISHED.items()},
    }
    header = " | ".join(f"@{int(c * 100)} %" for c in CUTOFFS)
    print(f"| method | {header} |\n|---|" + "---|" * len(CUTOFFS))
    for name, figures in rows.items():
        print(f"| {name} | " + " | ".join(f"{x:.4f}" for x in figures) + " |")

    per_variant = {name: ndcg_per_article(articles, ranker) for name, ranker in VARIANTS.items()}
    print(f"\nVariants (all {len(articles)} articles):\n\n| variant | {header} |\n|---|" + "---|" * len(CUTOFFS))
    for name, scores in per_variant.items():
        print(f"| {name} | " + " | ".join(f"{x:.4f}" for x in scores.mean(axis=0)) + " |")
    figures, chosen = cross_validated_choice(articles, per_variant)
    print(f"\n{FOLDS}-fold cross-validated choice among these variants (best mean NDCG on the other folds):")
    print("held-out NDCG " + " / ".join(f"{x:.4f}" for x in figures) + f"; chosen per fold: {'; '.join(chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
