"""Turkish text helpers shared by every stage: case folding that respects the dotted and dotless
i, and an ASCII fold for matching and for ids.

Python's `str.lower()` maps "I" to "i" and "İ" to "i̇" (i + combining dot); in Turkish "I" is the
capital of "ı" and "İ" the capital of "i".
"""

from __future__ import annotations

import unicodedata

# One character in, one character out, so positions in folded text are positions in the original.
_ASCII_FOLD = str.maketrans("çğıöşüâîûê’‘`´“”«»", "cgiosuaiue''''\"\"\"\"")


def turkish_lower(text: str) -> str:
    """Lower case by Turkish rules ("IŞIK" -> "ışık", "İzmir" -> "izmir"); same length."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def fold(text: str) -> str:
    """Lower-cased with both i's as "i" and Turkish letters and typographic quotes folded to ASCII,
    so that "PAYLAŞ", "Paylaş" and "Paylas" match alike; same length as `text`."""
    return text.replace("İ", "i").lower().translate(_ASCII_FOLD)


def to_ascii(text: str) -> str:
    """`fold`, then any other accented letter reduced to its base letter and the rest dropped."""
    return unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode()
