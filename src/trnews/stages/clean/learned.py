"""The learned line model: gradient-boosted decision trees that score each line the rules kept
as article text or page furniture, from features that carry across sites (`line_features`).
Trees, not a linear model: the same short line is a subheading between two paragraphs and a
button among the footer's links, and only feature interactions tell them apart.

It is shipped as a data file, `data/line_model.json` (each tree's splits and node values, the
base score, the decision threshold and the word model the trees read (`word_model`), in JSON:
no pickle), made by `benchmarks/line_model.py` from the hand-labelled pages of
`benchmarks/data/clean_sites/`; the cleaner walks the trees itself. The rules decide first
wherever they are certain (dates, credits, comment forms, ad markers, spam evidence, whole-line
UI phrases), and some kept lines are certain text the model never judges
(`PageContext.protected`, and sentences outside the article's tail: `is_judged`,
`PageContext.tail`). A line it drops is recorded with reason `learned-boilerplate` and its
evidence: the features that pushed it furthest towards furniture, with their share of the
score ("ui-coverage=1.00 (-2.1)"), each split's share being the change in node value it made on
the line's path through a tree.
"""

from __future__ import annotations

import functools
import json
import math
from array import array
from dataclasses import dataclass
from importlib import resources

from trnews.stages.clean.layout import Line
from trnews.stages.clean.line_features import (
    FEATURES, MIN_UI_SHARE_OF_SENTENCE, PageContext, is_prompt, line_features, page_context, reads_as_writers,
)
from trnews.stages.clean.prose import OPENING_QUOTES
from trnews.stages.clean.reasons import REASON_LEARNED_BOILERPLATE, Verdict
from trnews.stages.clean.word_model import NO_WORDS, WordModel

__all__ = [
    "EVIDENCE_FEATURES", "LineModel", "Tree", "is_judged", "judged_lines", "learned_verdicts",
    "mark_learned", "shipped_model",
]

MODEL_FILE = "line_model.json"
# How many of the features behind a decision `removed` names.
EVIDENCE_FEATURES = 3
WORD_SCORE = "word-score"


def _single_precision(values: list[float]) -> list[float]:
    """Feature values as the trees compare them: scikit-learn's trees were fitted on, and split
    between, single-precision values (a value a hair under a threshold in double precision may
    round onto it)."""
    return list(array("f", values))


@dataclass(frozen=True)
class Tree:
    """One regression tree: node `i` splits on `features[i]` (-1: a leaf) at `thresholds[i]`,
    going to `left[i]` when the value is at most the threshold, else `right[i]`; `values[i]` is
    the node's score (a split node's: the weighted mean of its leaves')."""

    features: tuple[int, ...]
    thresholds: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    values: tuple[float, ...]

    def path(self, values: list[float]) -> list[int]:
        node, path = 0, [0]
        while self.features[node] >= 0:
            node = self.left[node] if values[self.features[node]] <= self.thresholds[node] else self.right[node]
            path.append(node)
        return path


@dataclass(frozen=True)
class LineModel:
    """Boosted trees over `FEATURES`: p(article) = sigmoid(base + the sum of each tree's leaf
    value); a line under `threshold` is furniture. `words` is the word model whose scores the
    trees were trained on."""

    trees: tuple[Tree, ...]
    base: float
    threshold: float
    words: WordModel = NO_WORDS

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LineModel:
        features = data["features"]
        if tuple(features) != FEATURES:  # type: ignore[arg-type]
            raise ValueError(f"line model features {features} are not {FEATURES}")
        trees = tuple(
            Tree(**{name: tuple(tree[name]) for name in ("features", "thresholds", "left", "right", "values")})
            for tree in data["trees"]  # type: ignore[attr-defined]
        )
        return cls(trees=trees, base=float(data["base"]), threshold=float(data["threshold"]),  # type: ignore[arg-type]
                   words=WordModel.from_json(data["words"]))  # type: ignore[arg-type]

    def score(self, values: list[float]) -> float:
        values = _single_precision(values)
        return self.base + sum(tree.values[tree.path(values)[-1]] for tree in self.trees)

    def probability(self, values: list[float]) -> float:
        return 1 / (1 + math.exp(-max(min(self.score(values), 60.0), -60.0)))

    def contributions(self, values: list[float]) -> list[float]:
        """Each feature's share of the score: the changes in node value its splits made."""
        shares = [0.0] * len(FEATURES)
        values = _single_precision(values)
        for tree in self.trees:
            path = tree.path(values)
            for parent, child in zip(path, path[1:]):
                shares[tree.features[parent]] += tree.values[child] - tree.values[parent]
        return shares

    def evidence(self, text: str, values: list[float]) -> tuple[str, ...]:
        """The features that pushed this line (`text`, `values`) furthest towards furniture, most
        first; the word score names its furniture words ("word-score=0.08 (-1.2: oy, ver)")."""
        named = sorted(zip(self.contributions(values), FEATURES, values))
        return tuple(f"{name}={value:.2f} ({part:+.1f}{self._words_behind(name, text)})"
                     for part, name, value in named[:EVIDENCE_FEATURES] if part < 0)

    def _words_behind(self, feature: str, text: str) -> str:
        found = self.words.furniture_words(text) if feature == WORD_SCORE else ()
        return f": {', '.join(found)}" if found else ""


def is_judged(text: str, ui_share: float) -> bool:
    """Whether the model judges a line the rules kept: not a line that reads as the writer's,
    unless it is no quotation and UI vocabulary makes up at least `MIN_UI_SHARE_OF_SENTENCE` of
    it ("Haberi dinlemek için tıklayın.") or it is a page's prompt to the reader (`is_prompt`).
    Other sentences are left to the writer: columnists speak to their readers as a page's
    prompts do (a model judging sentences that speak to the reader lost 51 of sadedegel's 4,225
    gold sentences)."""
    if not reads_as_writers(text):
        return True
    quoted = text.lstrip().startswith(tuple(OPENING_QUOTES))
    return (ui_share >= MIN_UI_SHARE_OF_SENTENCE or is_prompt(text)) and not quoted


@functools.cache
def shipped_model() -> LineModel:
    text = resources.files("trnews").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return LineModel.from_json(json.loads(text))


def judged_lines(lines: list[Line], verdicts: list[Verdict], context: PageContext) -> list[int]:
    """The lines the rules kept that the model judges (`is_judged`), but for the protected ones
    (`PageContext.protected`: list items, short lines set between article sentences); in the
    article's tail (`PageContext.tail`) it judges every line, sentences included."""
    return [index for index, verdict in enumerate(verdicts) if verdict.reason is None and (context.tail[index] or (
            not context.protected[index] and is_judged(lines[index].text, context.coverage[index])))]


def learned_verdicts(lines: list[Line], verdicts: list[Verdict], model: LineModel | None = None) -> dict[int, Verdict]:
    """The lines the rules kept that `model` (default: the shipped one) scores as furniture, each
    with its verdict: reason `learned-boilerplate` and the evidence."""
    model = model or shipped_model()
    if all(verdict.reason is not None for verdict in verdicts):
        return {}
    context = page_context(lines, verdicts, word_model=model.words)
    found = {}
    for index in judged_lines(lines, verdicts, context):
        values = line_features(lines, index, context)
        if model.probability(values) < model.threshold:
            found[index] = Verdict(REASON_LEARNED_BOILERPLATE, evidence=model.evidence(lines[index].text, values))
    return found


def mark_learned(lines: list[Line], verdicts: list[Verdict], model: LineModel | None = None) -> list[Verdict]:
    """`verdicts` with the learned verdicts (`learned_verdicts`) in place."""
    found = learned_verdicts(lines, verdicts, model)
    return [found.get(index, verdict) for index, verdict in enumerate(verdicts)]
