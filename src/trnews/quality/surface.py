"""Checks on the surface of a translation: nothing there, the source copied or left Turkish, a
phrase looping, a length far from the source's, text the source cannot explain.

- `empty`: no letters or digits where the source has some.
- `untranslated`: the translation is the source (Bicleaner's `no_identical`: case-folded, letters
  only compared), or most of its lower-case words are Turkish (a word list, and letters English
  never writes: ğ ı ş). Names keep their Turkish letters in English (Erdoğan, Kılıçdaroğlu), so
  capitalised words are not counted; a line of names, numbers and agency marks (a dateline such
  as "ANKARA (AA) -") is the same in both languages and not flagged.
- `repetition`: OpusFilter's `RepetitionFilter`: a string of 3 to 100 characters (with a letter in
  it) three times in a row, which the source does not have.
- `length_ratio`: the translation at least `LENGTH_RATIO` times as long as the source in
  characters (OpusFilter's and Bicleaner's ratio of 3), or at most `SHORTER_RATIO` times: English
  text is about as long as its Turkish source or longer (on the labelled set of
  benchmarks/mt_checks.py no good translation is under 0.77 of it, most truncated ones are under
  0.55), so a much shorter one has most likely lost part of the sentence. Both lengths are counted
  with `SHORT_ALLOWANCE` more characters, so that "Evet." -> "Yes, indeed." is not a fault.
- `unexplained`: subtitle credits and other training-data artefacts, URLs and e-mail addresses
  (data/quality_artefacts.txt) that the source does not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from trnews.records import Flag
from trnews.text.datafiles import data_lines
from trnews.text.turkish import fold, turkish_lower

LENGTH_RATIO = 3.0
SHORTER_RATIO = 0.6
SHORT_ALLOWANCE = 12  # characters added to both lengths
# Share of a translation's lower-case words that are Turkish from which it is taken as untranslated.
TURKISH_SHARE = 0.4
_TURKISH_ONLY_LETTERS = re.compile("[ğış]")
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_REPETITION = re.compile(r"(\S.{1,98}?\S)(?:[\s,;.]*\1){2,}", re.IGNORECASE)
# The same, starting at a word: what is shown in the reason when there is one.
_WORD_REPETITION = re.compile(r"(?<!\w)(\S.{1,98}?\S)(?:[\s,;.]*\1){2,}", re.IGNORECASE)


@cache
def turkish_words() -> frozenset[str]:
    return frozenset(fold(w) for name in ("quality_tr_words.txt", "stopwords-tr.txt") for w in data_lines(name))


@cache
def artefact_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.IGNORECASE) for line in data_lines("quality_artefacts.txt"))


def letters(text: str) -> str:
    return "".join(_LETTERS.findall(fold(text)))


def empty_flags(source: str, translation: str) -> Iterator[Flag]:
    if not re.search(r"[^\W_]", translation) and re.search(r"[^\W_]", source):
        yield Flag(check="empty", reason="The translation is empty.")


def _lower_words(text: str) -> list[str]:
    return [w for w in _WORDS.findall(text) if w[0].islower()]


def untranslated_flags(source: str, translation: str) -> Iterator[Flag]:
    source_words = _lower_words(source)
    if not source_words:  # names, numbers, a dateline: the same in both languages
        return
    if letters(source) == letters(translation):
        yield Flag(check="untranslated", reason="The translation is the Turkish source, copied.")
        return
    words = _lower_words(translation)
    turkish = [w for w in words if _TURKISH_ONLY_LETTERS.search(turkish_lower(w))
               or fold(re.split(r"['’]", w)[0]) in turkish_words()]
    if len(words) >= 2 and len(turkish) / len(words) >= TURKISH_SHARE:
        shown = ", ".join(f"“{w}”" for w in list(dict.fromkeys(turkish))[:4])
        yield Flag(check="untranslated",
                   reason=f"The translation is still mostly Turkish ({len(turkish)} of {len(words)} words, e.g. {shown}).")


def repetition_flags(source: str, translation: str) -> Iterator[Flag]:
    if any(_LETTERS.search(match.group(1)) for match in _REPETITION.finditer(source)):
        return  # the source repeats itself ("hayır, hayır, hayır")
    for match in [*_WORD_REPETITION.finditer(translation), *_REPETITION.finditer(translation)]:
        unit = match.group(1)
        if _LETTERS.search(unit):
            times = len(re.findall(re.escape(unit), match.group(0), re.IGNORECASE))
            yield Flag(check="repetition", reason=f"The translation repeats “{unit}” {times} times in a row.")
            return


def length_flags(source: str, translation: str) -> Iterator[Flag]:
    source_length, target_length = len(source.strip()), len(translation.strip())
    if not target_length:
        return  # `empty` says it
    ratio = (target_length + SHORT_ALLOWANCE) / (source_length + SHORT_ALLOWANCE)
    if ratio >= LENGTH_RATIO:
        found = f"is {target_length / source_length:.1f} times as long as the source" if source_length else \
            "has text where the source has none"
        yield Flag(check="length_ratio", reason=f"The translation {found}: it may hold text the source does not have.")
    elif ratio <= SHORTER_RATIO:
        yield Flag(check="length_ratio", reason=f"The translation is {target_length / source_length:.0%} as long as "
                                                f"the source: part of the source may be missing.")


def unexplained_flags(source: str, translation: str) -> Iterator[Flag]:
    found = []
    for pattern in artefact_patterns():
        match = pattern.search(translation)
        if match and not pattern.search(source):
            found.append(match.group(0).strip())
    found = [text for text in dict.fromkeys(found) if not any(text != other and text in other for other in found)]
    if found:
        shown = ", ".join(f"“{text}”" for text in found)
        yield Flag(check="unexplained", reason=f"The translation has text the source does not: {shown}.")
