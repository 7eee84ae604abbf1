"""Every check on one translated sentence, with its reasons (`check_pairs`).

The checks, each a named flag (`records.Flag`) with its reason in plain words:

- `low_confidence`: the model's own score (mean token log-probability) is below `min_score`
  (default ln 0.5, as Firefox Translations). Dale et al. 2023 found this sequence
  log-probability the best detector of hallucinations that needs no other model.
- `empty`, `untranslated`, `repetition`, `length_ratio`, `unexplained`: `surface`.
- `not_english`: lingua (as the cleaner uses it) finds another language, on translations long
  enough to judge.
- `numbers`: numbers and dates that do not survive (`numbers`).
- `names`: names of the source missing from the translation (`names`).
- `glossary`: a glossary term of the source whose English term is missing (`glossary`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from lingua import Language

from trnews.config import QualityConfig
from trnews.quality.glossary import glossary_flags, read_glossary
from trnews.quality.names import name_flags
from trnews.quality.numbers import number_flags
from trnews.quality.surface import (
    empty_flags,
    length_flags,
    letters,
    repetition_flags,
    unexplained_flags,
    untranslated_flags,
)
from trnews.records import Flag
from trnews.text.languages import language_detector

# Lingua tells languages apart reliably from about this many letters; shorter lines are not judged.
MIN_LETTERS_FOR_LANGUAGE = 20
# A translation is not English when lingua gives another language at least this confidence.
OTHER_LANGUAGE_CONFIDENCE = 0.6

Check = Callable[[str, str], Iterator[Flag]]
TEXT_CHECKS: tuple[Check, ...] = (empty_flags, untranslated_flags, repetition_flags, length_flags, number_flags,
                                  name_flags, unexplained_flags)


@dataclass(frozen=True)
class PairToCheck:
    """A source sentence, its translation and the model's score of it (None: not known)."""

    tr: str
    en: str
    score: float | None = None


def check_pairs(pairs: Sequence[PairToCheck], config: QualityConfig) -> list[list[Flag]]:
    """The flags of each pair (empty when it passes every check), in order."""
    languages = other_languages([pair.en for pair in pairs])
    terms = read_glossary(config.glossary) if config.glossary else ()
    results = []
    for pair, language in zip(pairs, languages):
        flags = []
        if pair.score is not None and pair.score < config.min_score:
            flags.append(Flag(check="low_confidence", reason=f"The model is unsure of this translation (score "
                                                             f"{pair.score:.2f}, below {config.min_score:.2f})."))
        for check in TEXT_CHECKS:
            flags.extend(check(pair.tr, pair.en))
        flags.extend(glossary_flags(pair.tr, pair.en, terms))
        if language and not any(flag.check in ("untranslated", "empty") for flag in flags):
            flags.append(Flag(check="not_english", reason=f"The translation is not English: it reads as {language}."))
        results.append(flags)
    return results


def other_languages(texts: Sequence[str]) -> list[str | None]:
    """For each text long enough to judge, the language it is in when that is not English (by
    name); None for English text and for texts too short to say. Names are the same in every
    language ("Galatasaray beat Fenerbahce" reads as Turkish): only the words that are not
    capitalised are judged."""
    words = [" ".join(w for w in text.split() if not w[:1].isupper()) for text in texts]
    judged = [i for i, text in enumerate(words) if len(letters(text)) >= MIN_LETTERS_FOR_LANGUAGE]
    found: list[str | None] = [None] * len(texts)
    if not judged:
        return found
    confidences = language_detector().compute_language_confidence_values_in_parallel([words[i] for i in judged])
    for index, values in zip(judged, confidences):
        top = values[0] if values else None
        if top and top.language != Language.ENGLISH and top.value >= OTHER_LANGUAGE_CONFIDENCE:
            found[index] = top.language.name.title()
    return found
