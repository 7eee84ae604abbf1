"""A Markdown line as a reader sees it: link anchors without their addresses, code without
backticks, no emphasis marks or inline HTML tags, images left out. Scraped Markdown (a reader
service's or a converter's output) wraps every menu item, breadcrumb and related headline in a
link, and article sentences carry links too: the address must never reach the translation, and
the share of a line's text inside links (its link density) tells navigation from prose.

Parsed by markdown-it-py's CommonMark inline parser, so escapes, nested brackets, autolinks and
unpaired `*` ("*****", "5 * 3") read as CommonMark says."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

__all__ = ["InlineText", "inline_text"]

_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class InlineText:
    text: str  # what a reader sees, spaces collapsed
    link_share: float  # share of the visible non-space characters inside links
    images: tuple[str, ...]  # the alt texts of the images the line shows


@lru_cache(maxsize=4096)
def inline_text(line: str) -> InlineText:
    """The visible text of one Markdown line (its block marks, "- " or "> ", stay: they are text
    to the line classifier)."""
    tokens = _PARSER.parseInline(line)[0].children or []
    visible: list[str] = []
    linked = 0
    depth = 0
    images: list[str] = []
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth = max(depth - 1, 0)
        elif token.type == "image":
            images.append(token.content)
        elif token.type in ("text", "code_inline"):
            visible.append(token.content)
            if depth:
                linked += sum(not ch.isspace() for ch in token.content)
        elif token.type in ("softbreak", "hardbreak"):
            visible.append(" ")
    text = " ".join("".join(visible).split())
    characters = sum(not ch.isspace() for ch in text)
    return InlineText(text, linked / characters if characters else 0.0, tuple(images))
