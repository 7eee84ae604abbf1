"""The learned line model: a logistic regression that scores each line the rules kept as
article text or page furniture, from features that carry across sites (`line_features`).

It is shipped as a data file, `data/line_model.json` (coefficients, the feature scaling and the
decision threshold, in JSON: no pickle), made by `benchmarks/line_model.py` from the hand-labelled
pages of `benchmarks/data/clean_sites/`. The rules decide first wherever they are certain
(dates, credits, comment forms, ad markers, spam evidence, whole-line UI phrases); the model
judges only what they keep. A line it drops is recorded with reason `learned-boilerplate` and its
evidence: the features that pushed it furthest towards furniture, with their share of the score
("ui-coverage=1.00 (-2.1)").
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

from trnews.stages.clean.layout import Line
from trnews.stages.clean.line_features import FEATURES, PageContext, line_features, page_context
from trnews.stages.clean.prose import OPENING_QUOTES, ends_sentence
from trnews.stages.clean.reasons import REASON_LEARNED_BOILERPLATE, Verdict

__all__ = ["EVIDENCE_FEATURES", "LineModel", "is_judged", "judged_lines", "learned_verdicts", "mark_learned", "shipped_model"]

MODEL_FILE = "line_model.json"
# How many of the features behind a decision `removed` names.
EVIDENCE_FEATURES = 3
MIN_UI_SHARE_OF_SENTENCE = 0.5


@dataclass(frozen=True)
class LineModel:
    """Standardised logistic regression over `FEATURES`: p(article) = sigmoid(intercept +
    sum(coefficient * (value - mean) / scale)); a line under `threshold` is furniture."""

    coefficients: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LineModel:
        features = data["features"]
        if tuple(features) != FEATURES:  # type: ignore[arg-type]
            raise ValueError(f"line model features {features} are not {FEATURES}")
        return cls(
            coefficients=tuple(data["coefficients"]),  # type: ignore[arg-type]
            means=tuple(data["means"]),  # type: ignore[arg-type]
            scales=tuple(data["scales"]),  # type: ignore[arg-type]
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
        )

    def contributions(self, values: list[float]) -> list[float]:
        return [c * (v - m) / s for c, v, m, s in zip(self.coefficients, values, self.means, self.scales)]

    def probability(self, values: list[float]) -> float:
        score = self.intercept + sum(self.contributions(values))
        return 1 / (1 + math.exp(-max(min(score, 60.0), -60.0)))

    def evidence(self, values: list[float]) -> tuple[str, ...]:
        """The features that pushed this line furthest towards furniture, most first."""
        named = sorted(zip(self.contributions(values), FEATURES, values))
        return tuple(f"{name}={value:.2f} ({part:+.1f})" for part, name, value in named[:EVIDENCE_FEATURES] if part < 0)


def is_judged(text: str, ui_share: float) -> bool:
    """Whether the model judges a line the rules kept: not a line that ends like a sentence
    ("- Bol su için.", "“Anladım.”"), which is the writer's, unless UI vocabulary makes up at
    least `MIN_UI_SHARE_OF_SENTENCE` of it and it is no quotation ("Haberi dinlemek için
    tıklayın.")."""
    if not ends_sentence(text):
        return True
    return ui_share >= MIN_UI_SHARE_OF_SENTENCE and not text.lstrip().startswith(tuple(OPENING_QUOTES))


@functools.cache
def shipped_model() -> LineModel:
    text = resources.files("trnews").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return LineModel.from_json(json.loads(text))


def judged_lines(lines: list[Line], verdicts: list[Verdict], context: PageContext) -> list[int]:
    """The lines the rules kept that the model judges (`is_judged`)."""
    return [index for index, verdict in enumerate(verdicts)
            if verdict.reason is None and is_judged(lines[index].text, context.coverage[index])]


def learned_verdicts(lines: list[Line], verdicts: list[Verdict], model: LineModel | None = None) -> dict[int, Verdict]:
    """The lines the rules kept that `model` (default: the shipped one) scores as furniture, each
    with its verdict: reason `learned-boilerplate` and the evidence."""
    model = model or shipped_model()
    if all(verdict.reason is not None for verdict in verdicts):
        return {}
    context = page_context(lines)
    found = {}
    for index in judged_lines(lines, verdicts, context):
        values = line_features(lines, index, context)
        if model.probability(values) < model.threshold:
            found[index] = Verdict(REASON_LEARNED_BOILERPLATE, evidence=model.evidence(values))
    return found


def mark_learned(lines: list[Line], verdicts: list[Verdict], model: LineModel | None = None) -> list[Verdict]:
    """`verdicts` with the learned verdicts (`learned_verdicts`) in place."""
    found = learned_verdicts(lines, verdicts, model)
    return [found.get(index, verdict) for index, verdict in enumerate(verdicts)]
