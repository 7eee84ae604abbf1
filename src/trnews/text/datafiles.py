"""The data files shipped in `trnews/data/` (phrase lists, patterns, stoplists, abbreviations):
one reader for every stage, so that lists live in data files rather than Python literals."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment (`#`) lines of `trnews/data/<name>`, stripped."""
    text = resources.files("trnews").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
