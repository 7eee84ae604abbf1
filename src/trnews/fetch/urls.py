"""One spelling per page: URL normalisation, the host a request goes to, and article ids.

Feeds, sitemaps and pages spell one address many ways: tracking parameters (`utm_*`, `fbclid`,
`ref`...), fragments, `:443`, parameter order, Unicode or percent-encoded paths, punycode or
Unicode host names. `normalise` maps them to one key (courlan's normalisation, which drops the
tracking parameters of its maintained list, then the fragment dropped and escapes upper-cased),
so that a page is fetched once whatever link led to it.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import courlan

from trnews.text.ids import HASH_CHARS, MAX_ID_CHARS
from trnews.text.turkish import to_ascii

_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)


def normalise(url: str, base: str | None = None) -> str | None:
    """The normal form of `url` (relative to `base`), or None when it is not an http(s) address."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        normal = urlsplit(courlan.normalize_url(url))
    except ValueError:  # a malformed port or IPv6 address
        return None
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), normal.path) or "/"
    query = _ESCAPE.sub(lambda m: m.group(0).upper(), normal.query)
    return urlunsplit((normal.scheme, normal.netloc, path, query, ""))


def host_of(url: str) -> str:
    """Where a request to `url` goes (scheme, host and port): the unit of politeness."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_site(url: str, other: str) -> bool:
    """Whether two URLs belong to one site (`amp.site.com.tr` and `www.site.com.tr` do): a page
    may name its canonical address there, not on another site."""
    if urlsplit(url).hostname == urlsplit(other).hostname:
        return True
    first, second = courlan.extract_domain(url, fast=True), courlan.extract_domain(other, fast=True)
    return bool(first) and first == second


def article_id_for(url: str) -> str:
    """A stable, readable, bounded id for the article at `url`: host and path as a slug, cut to
    fit, and 8 hex digits of the URL's hash, so two URLs never share an id."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    words = to_ascii(f"{host} {unquote(parts.path)} {unquote(parts.query)}")
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{slug[:MAX_ID_CHARS - HASH_CHARS - 1].rstrip('-_')}-{digest}"
