"""Article ids. An id names every file of its article (`articles/<id>.json`, `.md`, `.html`) and
the links between pages, so it is bounded: a JSONL `id` or a file name may be longer than a file
system allows a name to be (255 bytes), and an id that cannot be a file name would fail the run
and every later run that touched its story.

An id longer than `MAX_ID_CHARS` keeps a readable prefix and ends with a short hash of the whole,
so two long ids that share their prefix stay apart, and bounding an id twice changes nothing.
"""

from __future__ import annotations

import hashlib
import re

from trnews.text.turkish import to_ascii

# Far from any file-name limit once the output folder adds its suffixes; room for a readable slug.
MAX_ID_CHARS = 80
HASH_CHARS = 8


def bounded(identifier: str, limit: int = MAX_ID_CHARS) -> str:
    """`identifier` itself when at most `limit` characters, else its first characters, `-` and
    `HASH_CHARS` hex digits of its sha256 (`limit` characters in all)."""
    if len(identifier) <= limit:
        return identifier
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{identifier[:limit - HASH_CHARS - 1].rstrip('-_')}-{digest}"


def article_id(name: str) -> str:
    """A filesystem- and URL-safe id: Turkish letters transliterated, the rest of `[a-z0-9_-]`,
    bounded to `MAX_ID_CHARS`."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", to_ascii(name)).strip("-_")
    return bounded(re.sub(r"-{2,}", "-", slug) or "article")
