"""HTML pages: their article text (trafilatura), title, date, site name and address, and the
outlet a page names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from trnews.stages.ingest.decoding import InputError, plain_text


@dataclass(frozen=True)
class PageText:
    """What an HTML page says: its article text (headings as Markdown `#` lines), its title
    (without the site name trafilatura cuts off), its date, its site name (`og:site_name`), its
    canonical address (or `og:url`), and its `<title>` as written."""

    text: str
    title: str | None
    published: str | None
    site_name: str | None
    canonical: str | None
    title_line: str | None


def read_page(html: str) -> PageText:
    """The article text and metadata of an HTML page; `InputError` if it has no article text.

    The text is read from trafilatura's element tree, not its Markdown output: that escapes
    Markdown syntax in the text ("\\<img", "\\*"), which would reach the translation as stray
    backslashes."""
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it
    from lxml import html as lxml_html

    document = trafilatura.bare_extraction(
        html, output_format="python", include_formatting=True, include_comments=False,
        include_tables=False, with_metadata=True, favor_recall=True,
    )
    body = getattr(document, "body", None) if document is not None else None
    text = plain_text("\n\n".join(_blocks(body))) if body is not None else ""
    if not text.strip():
        raise InputError("HTML page has no visible article text")
    try:
        title_line = lxml_html.document_fromstring(html).findtext(".//title")
    except (ValueError, lxml_html.etree.ParserError):
        title_line = None
    return PageText(text, optional_text(getattr(document, "title", None)), optional_text(getattr(document, "date", None)),
                    optional_text(getattr(document, "sitename", None)), optional_text(getattr(document, "url", None)),
                    optional_text(title_line))


def outlet_for(site_name: str | None, title_line: str | None, url: str | None) -> str | None:
    """Who published a page that came without its outlet's name: its site name, else the site
    name its title ends with ("Başlık - Hürriyet"), else its URL's host without "www."."""
    if site_name:
        return site_name
    suffix = title_site_suffix(title_line) if title_line else None
    if suffix:
        return suffix
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def title_site_suffix(title: str) -> str | None:
    """The site name a title ends with, as the cleaner cuts it off (`clean.titles`), if any."""
    from trnews.stages.clean.reasons import REASON_SITE_SUFFIX
    from trnews.stages.clean.titles import make_title

    return next((removed.text for removed in make_title(title).removed if removed.reason == REASON_SITE_SUFFIX), None)


# trafilatura's block elements; a container holding any of them is read block by block.
_BLOCK_TAGS = {"head", "p", "item", "list", "quote", "code", "div"}
_HEADING_LEVEL = re.compile(r"h([1-6])")


def _blocks(container: Any) -> Iterator[str]:
    """The paragraphs (and `#` headings) of a trafilatura body element, in order."""
    for element in container:
        if element.tag != "head" and any(child.tag in _BLOCK_TAGS for child in element):
            yield from _blocks(element)
            continue
        lines = (" ".join(line.split()) for line in _inline_text(element).split("\n"))
        text = "\n".join(line for line in lines if line)
        if not text:
            continue
        if element.tag == "head":
            level = _HEADING_LEVEL.fullmatch(element.get("rend") or "")
            text = "#" * (int(level.group(1)) if level else 2) + " " + text.replace("\n", " ")
        yield text


def _inline_text(element: Any) -> str:
    """An element's text with its inline children's, a line break (`lb`) as a newline."""
    parts = [element.text or ""]
    for child in element:
        parts += ["\n" if child.tag == "lb" else _inline_text(child), child.tail or ""]
    return "".join(parts)


def optional_text(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return plain_text(str(value)).strip()
