"""What a listing names: the articles of an RSS 2.0 / Atom feed (feedparser, which also reads
RSS 0.9x/1.0 and survives most broken feeds), and of a sitemap, a news sitemap or a sitemap
index (the other sitemaps it names).

Sitemaps are read with lxml (entities never resolved, nothing fetched from the network) rather
than trafilatura's sitemap crawler: that keeps only `<loc>`, while the dates a sitemap gives
(`<news:publication_date>`, `<lastmod>`) decide which entries are recent enough to fetch and
give an article its publication date; and it fetches by itself, outside the polite client.
A listing is told apart by its content, not by the key it was given under in the sources file.
"""

from __future__ import annotations

import calendar
import gzip
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from itertools import islice

import feedparser
from lxml import etree

from trnews.fetch.urls import normalise

# The sitemap protocol's own limit of URLs in one file.
MAX_ENTRIES = 50_000


class ListingError(ValueError):
    """A listing that is neither a feed nor a sitemap (or too damaged to read)."""


@dataclass(frozen=True)
class Entry:
    """An article a listing names: normal URL, publication date (ISO 8601) and title if given,
    and `modified` (a sitemap's `<lastmod>`), which only decides whether it is recent."""

    url: str
    published: str | None = None
    title: str | None = None
    modified: str | None = None

    @property
    def dated(self) -> str | None:
        return self.published or self.modified


@dataclass
class Listing:
    kind: str  # "feed", "sitemap" or "sitemap index"
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[Entry] = field(default_factory=list)  # the sitemaps a sitemap index names


def read_listing(body: bytes, url: str) -> Listing:
    """The entries of the feed or sitemap `body`, fetched from `url` (relative links resolve against it)."""
    body = _gunzipped(body)
    root = _sitemap_root(body)
    if root is not None:
        return _sitemap(root, url)
    return _feed(body, url)


def _gunzipped(body: bytes) -> bytes:
    """A `.xml.gz` sitemap's content (served as a file, not content-encoded), bounded at 50 MB
    (the protocol's limit for an uncompressed sitemap)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        return decompressor.decompress(body, 50_000_000)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise ListingError(f"damaged gzip file: {error}") from None


def _sitemap_root(body: bytes) -> etree._Element | None:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"<urlset" not in head and b"<sitemapindex" not in head:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise ListingError(f"damaged sitemap: {error}") from None
    if root is None:
        raise ListingError("damaged sitemap: no XML root")
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *path: str) -> str | None:
    """The text of the first descendant along `path` (local names, any namespace)."""
    found = element
    for name in path:
        found = next((child for child in found if _local(child.tag) == name), None)
        if found is None:
            return None
    text = (found.text or "").strip()
    return text or None


def _sitemap(root: etree._Element, url: str) -> Listing:
    index = _local(root.tag) == "sitemapindex"
    listing = Listing("sitemap index" if index else "sitemap")
    for item in islice((c for c in root if _local(c.tag) == ("sitemap" if index else "url")), MAX_ENTRIES):
        location = _child_text(item, "loc")
        normal = normalise(location, url) if location else None
        if normal is None:
            continue
        modified = iso_date(_child_text(item, "lastmod"))
        if index:
            listing.sitemaps.append(Entry(normal, modified=modified))
        else:
            listing.entries.append(Entry(normal, iso_date(_child_text(item, "news", "publication_date")),
                                         _child_text(item, "news", "title"), modified))
    return listing


def _feed(body: bytes, url: str) -> Listing:
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if parsed.bozo or not parsed.get("version"):
            raise ListingError(f"not a feed or sitemap{f': {problem}' if problem else ''}")
        return Listing("feed")
    listing = Listing("feed")
    for entry in islice(parsed.entries, MAX_ENTRIES):
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        normal = normalise(link, url) if link else None
        if normal is None:
            continue
        published = _entry_date(entry, "published") or _entry_date(entry, "updated")
        listing.entries.append(Entry(normal, published, (entry.get("title") or "").strip() or None))
    return listing


def _entry_date(entry: feedparser.FeedParserDict, key: str) -> str | None:
    """The entry's date with the offset the feed gave it; feedparser's UTC reading otherwise."""
    given = iso_date(entry.get(key))
    if given:
        return given
    parsed = entry.get(f"{key}_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc).isoformat()
    return None


def iso_date(text: str | None) -> str | None:
    """An RFC 822 (RSS) or ISO 8601 / W3C (Atom, sitemaps) date as ISO 8601, offset kept; None
    when it is neither."""
    if not text:
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def age_days(entry: Entry, now: datetime) -> float | None:
    """How many days ago the entry is dated; None when it is not (or its date is unreadable)."""
    if not entry.dated:
        return None
    try:
        when = datetime.fromisoformat(entry.dated)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (now - when).total_seconds() / 86400
