"""Names that vanish in translation.

A name in the source is a capitalised word that does not start the sentence (one that does counts
when a suffix follows its apostrophe, which Turkish writes only after names, when a comma follows
it as it follows the subject of news copy's "Erdoğan, ... dedi", or when another name follows it,
unless it is a common Turkish word), read without that suffix ("Putin'in" -> "Putin", "Kuzey Kore'ye" -> "Kuzey Kore"). Words that Turkish capitalises
inside the names of offices, institutions and places and that English translates ("Bakanlığı",
"Merkez", "Kuzey"; data/quality_common_capitalised.txt) are not names of their own. Each name
must be in the translation: as written, without Turkish letters ("Erdoğan" -> "Erdogan"), or in
one of its English forms (exonyms, data/quality_exonyms.tsv: "Almanya" -> "Germany", "Kuzey
Kore" -> "North Korea", "ABD" -> "US").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from trnews.records import Flag
from trnews.text.datafiles import data_lines
from trnews.text.turkish import to_ascii

# A capitalised word (or an acronym), with the suffix after its apostrophe, if any.
_CAPITALISED = re.compile(r"(?<![\w'’])([A-ZÇĞİÖŞÜÂÎÛ][\w.-]*?)(?:['’]([a-zçğıöşüâîû]+))?(?![\w'’])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“”«»(\[-]\s*)$")


@cache
def exonyms() -> dict[str, tuple[str, ...]]:
    """Folded Turkish names and their English forms."""
    found = {}
    for line in data_lines("quality_exonyms.tsv"):
        name, forms = line.split("\t")
        found[name] = tuple(forms.split("|"))
    return found


@cache
def given_names() -> frozenset[str]:
    return frozenset(data_lines("tr_given_names.txt"))


@cache
def common_capitalised() -> frozenset[str]:
    return frozenset(data_lines("quality_common_capitalised.txt"))


def source_names(source: str) -> list[str]:
    """The names of `source`, as written, without their suffixes; runs of capitalised words that
    an exonym names together ("Kuzey Kore", "Beyaz Saray") as one."""
    words: list[tuple[str, bool, int, int]] = []  # word, counts alone, start, end
    for match in _CAPITALISED.finditer(source):
        word = match.group(1).rstrip(".-")
        if len(word) < 2 or not any(c.isalpha() for c in word):
            continue
        at_start = bool(_SENTENCE_START.search(source[:match.start()]))
        alone = not at_start or bool(match.group(2)) or word.isupper() or to_ascii(word) in given_names()
        words.append((word, alone, match.start(), match.end()))
    names: list[str] = []
    index = 0
    while index < len(words):
        word, alone, _, end = words[index]
        if index + 1 < len(words) and source[end:words[index + 1][2]] == " ":
            pair = f"{word} {words[index + 1][0]}"
            if to_ascii(pair) in exonyms():
                names.append(pair)
                index += 2
                continue
        if alone and to_ascii(word) not in common_capitalised():
            names.append(word)
        index += 1
    return list(dict.fromkeys(names))


def _in_translation(name: str, folded_translation: str) -> bool:
    key = to_ascii(name)
    forms = exonyms().get(key, ()) + (key,)
    return any(re.search(rf"(?<!\w){re.escape(form)}", folded_translation) for form in forms)


def name_flags(source: str, translation: str) -> Iterator[Flag]:
    folded = to_ascii(translation)
    missing = [name for name in source_names(source) if not _in_translation(name, folded)]
    if missing:
        shown = ", ".join(f"“{name}”" for name in missing)
        yield Flag(check="names", reason=f"The source names {shown}, which the translation does not.")
