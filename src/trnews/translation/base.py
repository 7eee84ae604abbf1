"""The translator interface, in Argos Translate's spirit: small, and composed.

`Translator.translate(sentences) -> hypotheses` is all a caller needs. An `Engine` (transformers,
CTranslate2) also hands its results out batch by batch as each is finished, which is what lets
the sentence cache (`trnews.translation.cached`) commit work as it goes. A `Hypothesis` is the
text chosen for a sentence with the model's score for it, where the engine gives one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Hypothesis:
    """A translation: its text, and the model's length-normalised log-probability of it (None
    where it is not known)."""

    text: str
    score: float | None = None


# Indices into the sentences given, and their hypotheses.
Batch = tuple[list[int], list[Hypothesis]]


class Translator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        """A hypothesis for each of `sentences`, in the same order."""
        ...


class Engine(Translator, Protocol):
    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        """The hypotheses of `sentences`, one batch at a time as each is finished."""
        ...


class BatchingEngine:
    """An engine's `translate`: its batches, put back in order."""

    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        return in_order(len(sentences), self.translate_batches(sentences))

    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        raise NotImplementedError


def in_order(count: int, batches: Iterator[Batch]) -> list[Hypothesis]:
    """The hypotheses of `batches`, put back into the order of their indices."""
    results: list[Hypothesis | None] = [None] * count
    for indices, hypotheses in batches:
        for index, hypothesis in zip(indices, hypotheses):
            results[index] = hypothesis
    missing = [i for i, result in enumerate(results) if result is None]
    if missing:
        raise RuntimeError(f"the engine returned no translation for {len(missing)} of {count} sentences")
    return results  # type: ignore[return-value]
