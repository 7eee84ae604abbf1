"""Turkish text helpers shared by every stage: case folding that respects the dotted and dotless
i, an ASCII fold for matching and for ids, and the abbreviations after which no sentence ends.

Python's `str.lower()` maps "I" to "i" and "İ" to "i̇" (i + combining dot); in Turkish "I" is the
capital of "ı" and "İ" the capital of "i".
"""

from __future__ import annotations

import unicodedata
from functools import cache

from trnews.text.datafiles import data_lines

# One character in, one character out, so positions in folded text are positions in the original.
# Applied with str.replace, one pair at a time: several times faster than str.translate, which
# looks every character of a non-ASCII text up in a dict (folding was the cleaner's top cost).
_ASCII_FOLD = tuple(zip("çğıöşüâîûê’‘`´“”«»", "cgiosuaiue''''\"\"\"\"", strict=True))
# Letters a word's stem keeps (`folded_stem`, and the stories' terms).
STEM_LETTERS = 5


def turkish_lower(text: str) -> str:
    """Lower case by Turkish rules ("IŞIK" -> "ışık", "İzmir" -> "izmir"); same length."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def fold(text: str) -> str:
    """Lower-cased with both i's as "i" and Turkish letters and typographic quotes folded to ASCII,
    so that "PAYLAŞ", "Paylaş" and "Paylas" match alike; same length as `text`."""
    folded = text.replace("İ", "i").lower()
    if folded.isascii() and "`" not in folded:  # the backtick is the one ASCII character folded
        return folded
    for letter, ascii_letter in _ASCII_FOLD:
        if letter in folded:
            folded = folded.replace(letter, ascii_letter)
    return folded


def folded_stem(word: str) -> str:
    """`word` folded (`fold`) and cut to its first `STEM_LETTERS` letters: Turkish suffixes vary
    ("ihracatı", "ihracatta"), a five-letter prefix does not (the fixed-prefix stemmer of Can et
    al. 2008, JASIST 59(3))."""
    return fold(word)[:STEM_LETTERS]


def to_ascii(text: str) -> str:
    """`fold`, then any other accented letter reduced to its base letter and the rest dropped."""
    return unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode()


@cache
def never_final_abbreviations() -> frozenset[str]:
    """Abbreviations after which a sentence never ends (data/tr_abbreviations.txt)."""
    return frozenset(data_lines("tr_abbreviations.txt"))


def ends_with_abbreviation(text: str) -> bool:
    """The last word of `text` is such an abbreviation ("... Prof. Dr.", "(bkz."): a period
    there ends no sentence."""
    words = text.split()
    return bool(words) and turkish_lower(words[-1].lstrip("(\"'“‘«")) in never_final_abbreviations()
