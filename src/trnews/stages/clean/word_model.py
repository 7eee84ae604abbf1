"""The line model's word evidence: a logistic regression over a line's word stems, learned from
the same hand-labelled pages as the trees (`learned`), whose probability is one of the trees'
features (`line_features`: the line's own and its neighbours').

The shape features see that "Bu içerik faydalı oldu mu?" is a short question to the reader; only
words tell that "oy", "beğen", "abone", "bağış" or "reklam" are what pages, not articles, say,
in any wording a lexicon has not listed. Stems, not words: Turkish suffixes vary ("paylaşın",
"paylaşmak"), a stem does not. The first and last stems count again on their own, since where a
word stands says much ("Tüm fotoğrafları gör" ends on a button's verb, "Kaynak:" opens a
credit). It ships inside the line model's data file, trained with the trees that read it
(`benchmarks/line_model.py`): each weight is inspectable there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from trnews.stages.clean.prose import words
from trnews.text.turkish import folded_stem

__all__ = ["NO_WORDS", "WordModel", "word_tokens"]

# How many of a line's words `WordModel.furniture_words` names as the evidence behind a decision.
EVIDENCE_WORDS = 2


def word_tokens(text: str) -> list[str]:
    """The distinct tokens the word model weighs: each word's folded stem, and the first and
    last stems again, marked (`first:`, `last:`)."""
    stems = [folded_stem(word) for word in words(text)]
    tokens = dict.fromkeys(stems)
    if stems:
        tokens[f"first:{stems[0]}"] = None
        tokens[f"last:{stems[-1]}"] = None
    return list(tokens)


@dataclass(frozen=True)
class WordModel:
    """p(article) = sigmoid(bias + the weights of a line's distinct tokens; unknown ones weigh 0)."""

    weights: dict[str, float] = field(default_factory=dict, hash=False)
    bias: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, object]) -> WordModel:
        weights = data["weights"]
        return cls(weights={str(token): float(weight) for token, weight in weights.items()},  # type: ignore[attr-defined]
                   bias=float(data["bias"]))  # type: ignore[arg-type]

    def to_json(self) -> dict[str, object]:
        return {"bias": round(self.bias, 6),
                "weights": {token: round(weight, 6) for token, weight in sorted(self.weights.items())}}

    def probability(self, text: str) -> float:
        score = self.bias + sum(self.weights.get(token, 0.0) for token in word_tokens(text))
        return 1 / (1 + math.exp(-max(min(score, 60.0), -60.0)))

    def furniture_words(self, text: str) -> tuple[str, ...]:
        """The line's tokens that weigh most towards furniture (most first), for `removed`."""
        weighed = sorted((self.weights.get(token, 0.0), token) for token in word_tokens(text))
        return tuple(token for weight, token in weighed[:EVIDENCE_WORDS] if weight < 0)


# A model that knows no word: every line scores 0.5 (the rules alone, and tests of page shape).
NO_WORDS = WordModel()
