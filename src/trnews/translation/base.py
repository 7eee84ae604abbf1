"""The translator interface, in Argos Translate's spirit: small, and composed.

`Translator.translate(sentences) -> hypotheses` is all a caller needs. An `Engine` (transformers,
CTranslate2) also hands its results out batch by batch as each is finished, which is what lets
the sentence cache (`trnews.translation.cached`) commit work as it goes. A `Hypothesis` is the
text chosen for a sentence with the model's score for it: the mean log-probability of its
tokens (the end token included when the model chose it), which both engines compute the same way.
An engine also gives several hypotheses of a sentence from one beam (`alternatives`), best first,
for the quality checks to choose from (`trnews.quality.recovery`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Hypothesis:
    """A translation: its text, and the model's length-normalised log-probability of it (None
    where it is not known)."""

    text: str
    score: float | None = None


# Indices into the sentences given, and their hypotheses.
Batch = tuple[list[int], list[Hypothesis]]
# Indices into the sentences given, and each one's hypotheses, best first.
NBestBatch = tuple[list[int], list[list[Hypothesis]]]


class Translator(Protocol):
    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        """A hypothesis for each of `sentences`, in the same order."""
        ...


class Engine(Translator, Protocol):
    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        """The hypotheses of `sentences`, one batch at a time as each is finished."""
        ...

    def alternatives(self, sentences: Sequence[str], count: int) -> list[list[Hypothesis]]:
        """Up to `count` hypotheses of each of `sentences` from one beam search (of at least
        `count` beams), best first."""
        ...


class BatchingEngine:
    """An engine's `translate`, `translate_batches` and `alternatives`, from its `decode_batches`."""

    def translate(self, sentences: Sequence[str]) -> list[Hypothesis]:
        return in_order(len(sentences), self.translate_batches(sentences))

    def translate_batches(self, sentences: Sequence[str]) -> Iterator[Batch]:
        for indices, hypotheses in self.decode_batches(sentences, 1):
            yield indices, [best[0] for best in hypotheses]

    def alternatives(self, sentences: Sequence[str], count: int) -> list[list[Hypothesis]]:
        return in_order(len(sentences), self.decode_batches(sentences, count))

    def decode_batches(self, sentences: Sequence[str], count: int) -> Iterator[NBestBatch]:
        """`count` hypotheses of each of `sentences`, best first, one batch at a time."""
        raise NotImplementedError


def in_order(count: int, batches: Iterator[tuple[list[int], list[T]]]) -> list[T]:
    """The results of `batches`, put back into the order of their indices."""
    results: list[T | None] = [None] * count
    for indices, hypotheses in batches:
        for index, hypothesis in zip(indices, hypotheses):
            results[index] = hypothesis
    missing = [i for i, result in enumerate(results) if result is None]
    if missing:
        raise RuntimeError(f"the engine returned no translation for {len(missing)} of {count} sentences")
    return results  # type: ignore[return-value]
