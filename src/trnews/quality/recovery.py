"""A second try for translations that fail a check, before they are flagged.

1. **n-best**: the sentence is decoded again into `recovery_hypotheses` hypotheses (one beam search
   of that many beams, `Engine.alternatives`); the best-scored one that passes every check
   replaces the translation. Failing that, the best-scored one that fails only some of the
   checks the first failed (a hypothesis with the glossary's term that the model is as unsure
   of) replaces it, keeping those flags.
2. **split**: a long sentence (`LONG_SENTENCE_CHARS`) none of whose hypotheses passes is cut at the
   clause boundary nearest its middle (`trnews.text.clauses`) and its halves translated on
   their own: models lose the second half of long inputs, and loop on them, far more than on
   short ones. The joined halves replace the translation if they pass.

What still fails keeps its first translation and its flags. A replaced translation says how it
was found (`SentencePair.recovered`), so nothing changes silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trnews.config import QualityConfig
from trnews.quality.checks import PairToCheck, check_pairs
from trnews.records import Flag
from trnews.text.clauses import clause_halves
from trnews.translation.base import Engine

# A sentence this long (in characters, about 25 words) that fails every hypothesis is translated in halves.
LONG_SENTENCE_CHARS = 150


@dataclass(frozen=True)
class Checked:
    """A translation with its flags, and how it was recovered (None: it is the first translation)."""

    pair: PairToCheck
    flags: list[Flag]
    recovered: str | None = None


def recover(checked: Sequence[Checked], engine: Engine, config: QualityConfig) -> list[Checked]:
    """`checked` with every flagged translation tried again (see the module's docstring)."""
    results = list(checked)
    failing = [i for i, item in enumerate(results) if item.flags]
    if not failing or not config.recovery_hypotheses:
        return results
    alternatives = engine.alternatives([results[i].pair.tr for i in failing], config.recovery_hypotheses)
    candidates = [PairToCheck(results[i].pair.tr, h.text, h.score) for i, hypotheses in zip(failing, alternatives)
                  for h in hypotheses]
    verdicts = iter(check_pairs(candidates, config))
    candidate_pairs = iter(candidates)
    still_failing = []
    for index, hypotheses in zip(failing, alternatives):
        judged = [(next(candidate_pairs), next(verdicts)) for _ in hypotheses]
        passing = [(pair, flags) for pair, flags in judged if not flags]
        first_failed = {flag.check for flag in results[index].flags}
        fewer = [(pair, flags) for pair, flags in judged if {flag.check for flag in flags} < first_failed]
        if passing:
            results[index] = Checked(*_best(passing), f"n-best: the best-scored of {len(hypotheses)} hypotheses "
                                                      "that passes every check")
        elif fewer:
            results[index] = Checked(*_best(fewer), f"n-best: the best-scored of {len(hypotheses)} hypotheses that "
                                                    "fails fewer checks than the first translation")
        else:
            still_failing.append(index)
    # A long sentence that n-best could not fix, or only in part, is tried in halves.
    still_failing += [i for i in failing if results[i].recovered and results[i].flags]
    for index, item in zip(still_failing, _split_translations([results[i] for i in still_failing], engine, config)):
        if item is not None:
            results[index] = item
    return results


def _best(candidates: list[tuple[PairToCheck, list[Flag]]]) -> tuple[PairToCheck, list[Flag]]:
    return max(candidates, key=lambda item: item[0].score if item[0].score is not None else float("-inf"))


def _split_translations(items: Sequence[Checked], engine: Engine, config: QualityConfig) -> list[Checked | None]:
    """Each long item translated in two halves, if that passes every check; else None."""
    halves = {i: clause_halves(item.pair.tr) for i, item in enumerate(items) if len(item.pair.tr) >= LONG_SENTENCE_CHARS}
    halves = {i: parts for i, parts in halves.items() if len(parts) > 1}
    found: list[Checked | None] = [None] * len(items)
    if not halves:
        return found
    translated = iter(engine.translate([part for parts in halves.values() for part in parts]))
    joined = {}
    for i, parts in halves.items():
        hypotheses = [next(translated) for _ in parts]
        scores = [h.score for h in hypotheses if h.score is not None]
        # The weaker half's score: the whole is as doubtful as its worst part.
        joined[i] = PairToCheck(items[i].pair.tr, " ".join(h.text for h in hypotheses), min(scores) if scores else None)
    for (i, pair), flags in zip(joined.items(), check_pairs(list(joined.values()), config)):
        if not flags:
            found[i] = Checked(pair, [], "split: translated in two parts at a clause boundary")
    return found
