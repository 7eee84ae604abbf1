"""Numbers and dates that must survive translation, compared as values, not as strings.

Turkish and English write the same number differently, so each mention is read into every value it
may mean, in its language's conventions, and two mentions agree when their readings meet:

- Turkish: `1.250,5` (dots group thousands, a comma marks decimals), `%40` and `yüzde 40`,
  `1,5 milyon`, `22 milyar 950 milyon` (22.95 billion), `3 Haziran` (June 3), `15.06.2024`,
  `saat 14.30` (a time), ordinals `2. Dünya Savaşı` (the number itself), number words (`üç`).
- English: `1,250.5`, `40%`, `1.5 million`, `$22.95bn`, `June 3`, `2:30 p.m.`, `1990s`, `2023-24`,
  number words (`three`, `twenty-five`, `second`) and Roman numerals (`World War II`).

A digit written in the source must be in the translation (`42 yaşındaki` is not `24-year-old`,
`2,3 milyar` is not `2.3 million`); a digit in the translation must be explained by the source
(digits or number words); a month named in either must be in the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from trnews.records import Flag
from trnews.text.datafiles import data_lines
from trnews.text.dates import months as turkish_months
from trnews.text.turkish import fold

Value = float | str  # a number, or "T14:30" (a time of day) or "M6" (a month)

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_ROMAN = re.compile(r"\b(?:II|III|IV|VI|VII|VIII|IX|XI|XII|XIII|XIV|XV|XVI|XX)\b")
_ROMAN_VALUES = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "XI": 11, "XII": 12,
                 "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XX": 20}
_MERIDIEM = re.compile(r"\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_GLUED_SCALE = re.compile(r"(bn|m|k)\b", re.IGNORECASE)
_GLUED_SCALES = {"bn": 1e9, "m": 1e6, "k": 1e3}
_FOLLOWING_WORD = re.compile(r"\s*([^\W\d_]+)")
_CURRENCY_BEFORE = re.compile(r"[$€£]\s?$")
_YEAR_RANGE_START = re.compile(r"(?<!\d)(\d{2})\d{2}\s?[-–]\s?$")  # 2023-24: the century of "24"


@dataclass(frozen=True)
class Mention:
    """A number as written (`text`) and every value it may mean."""

    text: str
    values: frozenset[Value]


@cache
def number_words(language: str) -> dict[str, tuple[float, str]]:
    """Folded number words of `language` ("tr", "en"): value and kind (number, scale, ordinal)."""
    words = {}
    for line in data_lines("quality_number_words.tsv"):
        lang, word, value, kind = line.split("\t")
        if lang == language:
            words[word] = (float(value), kind)
    return words


@cache
def english_months() -> dict[str, int]:
    return {name: int(number) for name, number in (line.split("\t") for line in data_lines("en_months.tsv"))}


def _value(number: float) -> float:
    return float(f"{number:.6g}")


def _readings(token: str, language: str) -> set[Value]:
    """The values a digit token may mean in `language`."""
    readings: set[Value] = set()
    thousands, decimal = (".", ",") if language == "tr" else (",", ".")
    if ":" in token:
        parts = token.split(":")
        if len(parts) == 2 and len(parts[1]) == 2 and int(parts[0]) < 24:
            readings.add(f"T{int(parts[0])}:{parts[1]}")
        return readings
    groups = re.split(r"[.,]", token)
    separators = re.findall(r"[.,]", token)
    if not separators:
        return {_value(float(token))}
    if len(separators) >= 2 and set(separators) == {"."} and language == "tr" and len(groups) == 3 \
            and len(groups[2]) == 4 and int(groups[1]) <= 12:
        # 15.06.2024: a date, each part a number of its own (the month also as a month)
        return {_value(float(groups[0])), _value(float(groups[2])), f"M{int(groups[1])}"}
    if re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?", token):
        readings.add(_value(float(token.replace(thousands, "").replace(decimal, "."))))
    if re.fullmatch(rf"\d+\{decimal}\d+", token):
        readings.add(_value(float(token.replace(decimal, "."))))
    if len(groups) == 2:
        # The other language's convention, as copied text and sloppy sources write it.
        readings.add(_value(float(token.replace(",", "."))))
        if len(groups[1]) == 3:
            readings.add(_value(float(groups[0] + groups[1])))
        if separators[0] == "." and len(groups[1]) == 2 and int(groups[0]) < 24 and int(groups[1]) < 60:
            readings.add(f"T{int(groups[0])}:{groups[1]}")  # saat 14.30
    return readings


def _scaled(readings: set[Value], scale: float) -> set[Value]:
    return {_value(r * scale) for r in readings if isinstance(r, float)}


def _next_word(text: str, position: int) -> tuple[str, int]:
    """The word right after `position` (folded) and where it ends; "" when none follows."""
    match = _FOLLOWING_WORD.match(text, position)
    return (fold(match.group(1)), match.end()) if match else ("", position)


def digit_mentions(text: str, language: str) -> list[Mention]:
    """Every number written with digits in `text`, with a scale word after it taken in
    ("1,5 milyon", "22 milyar 950 milyon", "2.3 billion", "$5bn")."""
    words = number_words(language)
    mentions: list[Mention] = []
    matches = list(_NUMBER.finditer(text))
    skip_until = -1
    for index, match in enumerate(matches):
        if match.start() < skip_until:
            continue
        token, end = match.group(0), match.end()
        readings = _readings(token, language)
        glued = _GLUED_SCALE.match(text, end) if language == "en" else None
        if glued and glued.group(1).lower() != "bn" and not _CURRENCY_BEFORE.search(text[:match.start()]):
            glued = None  # "20m" is metres, "$20m" millions
        if glued:
            readings, end = _scaled(readings, _GLUED_SCALES[glued.group(1).lower()]), glued.end()
        else:
            word, word_end = _next_word(text, end)
            if words.get(word, (0, ""))[1] == "scale":
                scale = words[word][0]
                readings, end = _scaled(readings, scale), word_end
                # "22 milyar 950 milyon": a smaller scaled number right after adds up.
                following = matches[index + 1] if index + 1 < len(matches) else None
                if following and not text[end:following.start()].strip():
                    more_word, more_end = _next_word(text, following.end())
                    if words.get(more_word, (0, ""))[1] == "scale" and words[more_word][0] < scale:
                        extra = _scaled(_readings(following.group(0), language), words[more_word][0])
                        readings = {_value(a + b) for a in readings for b in extra
                                    if isinstance(a, float) and isinstance(b, float)}
                        skip_until, end = more_end, more_end
        if language == "en" and (meridiem := _MERIDIEM.match(text, end)):
            readings |= _clock(token, meridiem.group(1).lower())
        if language == "en" and len(token) == 2 and (years := _YEAR_RANGE_START.search(text[:match.start()])):
            readings.add(_value(float(years.group(1) + token)))
        mentions.append(Mention(text[match.start():end], frozenset(readings)))
    return mentions


def _clock(token: str, meridiem: str) -> set[Value]:
    hour, _, minutes = token.replace(".", ":").partition(":")
    if not hour.isdigit() or int(hour) > 12:
        return set()
    hours = int(hour) % 12 + (12 if meridiem == "p" else 0)
    return {f"T{hours}:{minutes or '00'}"}


def word_values(text: str, language: str) -> set[Value]:
    """Values written as words ("üç", "twenty-five", "a million", "second") and, in English,
    Roman numerals ("World War II")."""
    words = number_words(language)
    values: set[Value] = set()
    previous: float | None = None
    for match in _WORD.finditer(text):
        parts = [fold(part) for part in match.group(0).split("-")]
        if len(parts) == 2 and all(words.get(p, (0, ""))[1] == "number" for p in parts):
            previous = words[parts[0]][0] + words[parts[1]][0]  # twenty-five
            values.add(_value(previous))
            continue
        found = words.get(parts[-1])
        if not found:
            previous = None
            continue
        value, kind = found
        if kind == "scale":
            values.add(_value((previous or 1) * value))
        values.add(_value(value))
        previous = value if kind == "number" else None
    if language == "en":
        values.update(_value(_ROMAN_VALUES[m.group(0)]) for m in _ROMAN.finditer(text))
    return values


def months_named(text: str, language: str) -> set[Value]:
    """The months `text` names as dates: Turkish names after a day or before a year or "ayı"
    ("3 Haziran", "Haziran 2024", "Haziran ayında"; "ocak" and "aralık" are also common nouns),
    capitalised English names and abbreviations."""
    found: set[Value] = set()
    if language == "tr":
        names = "|".join(turkish_months())
        for match in re.finditer(r"(?:(?<=\d\s)|(?<=\d))\s*([A-ZÇĞİÖŞÜ]\w+)|\b([A-ZÇĞİÖŞÜ]\w+)(?=\s+(?:\d{4}|ay))", text):
            name = fold(match.group(1) or match.group(2))
            stem = next((m for m in names.split("|") if name.startswith(m)), None)
            if stem:
                found.add(f"M{turkish_months()[stem]}")
        return found
    for match in re.finditer(r"\b([A-Z][a-z]+)\b\.?", text):
        number = english_months().get(match.group(1).lower())
        if number and (match.group(1) != "May" or re.search(r"May\s+\d|\d\s+May", text)):
            found.add(f"M{number}")
    return found


def _all_values(mentions: list[Mention], text: str, language: str) -> set[Value]:
    values: set[Value] = set(word_values(text, language)) | months_named(text, language)
    for mention in mentions:
        values |= mention.values
    return values


def number_flags(source: str, translation: str) -> Iterator[Flag]:
    """A `numbers` flag naming what did not survive, or what the translation added."""
    source_mentions, target_mentions = digit_mentions(source, "tr"), digit_mentions(translation, "en")
    source_values = _all_values(source_mentions, source, "tr")
    target_values = _all_values(target_mentions, translation, "en")
    missing = [m.text for m in source_mentions if m.values and not m.values & target_values]
    added = [m.text for m in target_mentions if m.values and not m.values & source_values]
    source_months, target_months = months_named(source, "tr"), months_named(translation, "en")
    month_names: dict[Value, str] = {}
    for name, number in english_months().items():  # the full name comes first in the data file
        month_names.setdefault(f"M{number}", name)
    missing += [month_names[m].title() for m in sorted(source_months - target_values, key=str)]
    added += [month_names[m].title() for m in sorted(target_months - source_values, key=str)]
    problems = []
    if missing:
        problems.append(f"the source's {_listed(missing)} {'is' if len(missing) == 1 else 'are'} not in the translation")
    if added:
        problems.append(f"the translation's {_listed(added)} {'is' if len(added) == 1 else 'are'} not in the source")
    if problems:
        reason = "; ".join(problems)
        yield Flag(check="numbers", reason=reason[0].upper() + reason[1:] + ".")


def _listed(items: list[str]) -> str:
    quoted = [f"“{item}”" for item in dict.fromkeys(items)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
