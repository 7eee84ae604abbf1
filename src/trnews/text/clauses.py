"""Where a Turkish sentence may be cut between clauses: the segmenter cuts sentences too long for
the model there, and the translation checks cut a long sentence that failed them in two."""

from __future__ import annotations

import re

# Split points for over-long sentences, strongest first. Each keeps its delimiter on the left
# piece (punctuation) or starts the right piece (conjunctions), so pieces re-join to the input.
CLAUSE_SPLITTERS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=(?:ve|ama|fakat|ancak|çünkü|ayrıca|oysa|ise|veya|ya da)\s)", re.IGNORECASE),
    re.compile(r"\s+"),
)


def clause_halves(sentence: str) -> list[str]:
    """`sentence` cut in two at the clause boundary nearest its middle (punctuation or a
    conjunction, never between mere words; each half at least a quarter of it), for translating a
    long sentence in parts; `[sentence]` when it has no such boundary."""
    boundaries = sorted({match.start() for splitter in CLAUSE_SPLITTERS[:-1] for match in splitter.finditer(sentence)
                         if len(sentence) / 4 <= match.start() <= len(sentence) * 3 / 4},
                        key=lambda position: abs(position - len(sentence) / 2))
    if not boundaries:
        return [sentence]
    return [sentence[:boundaries[0]].strip(), sentence[boundaries[0]:].strip()]
