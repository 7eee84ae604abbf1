"""The user's glossary: Turkish terms and the English term each must become (names, titles,
institutions, house style), as a TSV file (the `glossary` setting).

Stock opus-mt cannot be constrained to a term (placeholders get lost; CTranslate2 has no positive
constraints), so the glossary works by check -> rerank -> flag: a sentence whose source holds a
Turkish term and whose translation lacks the English term fails the `glossary` check; its n-best
hypotheses are then searched for one that has it (`quality.recovery`), and where none has, the
flag stays.

The file: one `Turkish term<TAB>English term` per line, `#` comments and blank lines ignored. A
Turkish term matches at the start of a word, whatever suffix follows ("Meclis" in "Meclis'te",
"Hazine ve Maliye Bakanlığı" in "...Bakanlığı'nın"); both sides are compared case-insensitively,
Turkish letters folded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from trnews.errors import ConfigError
from trnews.records import Flag
from trnews.text.turkish import to_ascii


@dataclass(frozen=True)
class Term:
    turkish: str
    english: str
    pattern: re.Pattern[str]  # the Turkish term at a word start, in folded text
    rendering: re.Pattern[str]  # the English term as whole words, in folded text


def read_glossary(path: Path) -> tuple[Term, ...]:
    """The terms of the glossary at `path`; `ConfigError` (exit 2) naming the line that is not a term."""
    return _read(path.resolve(), *_stamp(path))


def glossary_digest(path: Path) -> str:
    """What the glossary holds, for the pipeline fingerprint: a changed glossary recomputes outputs."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise ConfigError(f"glossary (--glossary, TRNEWS_GLOSSARY): cannot read {path}: "
                          f"{error.strerror or error}") from None


def _stamp(path: Path) -> tuple[float, int]:
    try:
        status = path.stat()
    except OSError as error:
        raise ConfigError(f"glossary (--glossary, TRNEWS_GLOSSARY): cannot read {path}: "
                          f"{error.strerror or error}") from None
    return status.st_mtime, status.st_size


@cache
def _read(path: Path, mtime: float, size: int) -> tuple[Term, ...]:
    terms = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"glossary (--glossary, TRNEWS_GLOSSARY): cannot read {path}: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) != 2 or not all(fields):
            raise ConfigError(f"glossary {path}, line {number}: expected `Turkish term<TAB>English term`, "
                              f"got {line!r}")
        turkish, english = fields
        terms.append(Term(turkish, english, re.compile(rf"(?<!\w){re.escape(to_ascii(turkish))}"),
                          re.compile(rf"(?<!\w){re.escape(to_ascii(english))}(?!\w)")))
    return tuple(terms)


def glossary_flags(source: str, translation: str, terms: tuple[Term, ...]) -> Iterator[Flag]:
    """A `glossary` flag for each term of `source` whose English term the translation lacks."""
    folded_source, folded_translation = to_ascii(source), to_ascii(translation)
    for term in terms:
        if term.pattern.search(folded_source) and not term.rendering.search(folded_translation):
            yield Flag(check="glossary", reason=f"The glossary renders “{term.turkish}” as “{term.english}”, "
                                                "which the translation does not have.")
