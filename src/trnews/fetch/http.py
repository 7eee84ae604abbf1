"""The HTTP client of fetching: polite, bounded, and archiving every response it gets.

- One request at a time per host (scheme, host and port), and `delay` seconds from the end of
  one to the start of the next (`HostGate`; more where robots.txt asks for a Crawl-delay or a
  source for a longer delay); different hosts proceed in parallel.
- robots.txt obeyed at every hop (`trnews.fetch.robots`), for a User-Agent that names trnews and
  the operator's contact.
- Bounded: a connect and read timeout, a total time per response, a maximum size (declared or
  read, and after decompression), at most `MAX_REDIRECTS` redirects (a loop is named as such),
  http(s) only at every hop.
- Retries: a timeout, a connection error or a 5xx is tried again up to `retries` times after
  waits that double from the host's delay; a 429 or 503 waits what its `Retry-After` asks (the
  whole host waits), unless that is more than `MAX_RETRY_AFTER`: then the page is left for a
  later fetch.
- Conditional requests: given the validators of an earlier response, a 304 costs no body.
- Every response (redirects, errors and 304s included) is handed to the archive as received:
  the body as sent (content-encoded), so the WARC record is the server's own.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

import httpx

from trnews.config import FetchConfig
from trnews.fetch.store import Validators
from trnews.fetch.urls import host_of

if TYPE_CHECKING:
    from trnews.fetch.robots import Robots

MAX_REDIRECTS = 5
# A Retry-After longer than this is not waited for within a fetch: the page is tried next time.
MAX_RETRY_AFTER = 120.0
# A response that keeps trickling in is abandoned after this many read timeouts in all.
TOTAL_TIME_FACTOR = 3
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 503}

RequestKind = Literal["page", "listing", "robots"]
_ACCEPT: dict[RequestKind, str] = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "listing": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
    "robots": "text/plain,*/*;q=0.5",
}


Outcome = Literal["failed", "skipped", "deferred"]


class FetchError(Exception):
    """A request without a usable response, and what that makes of the page: `failed` (a
    timeout, a 5xx: tried again on the next fetches, a few times), `skipped` (it will not change:
    disallowed, a redirect loop, too large) or `deferred` (the site asked to wait: next fetch)."""

    def __init__(self, reason: str, outcome: Outcome) -> None:
        super().__init__(reason)
        self.outcome = outcome


def user_agent(contact: str | None) -> str:
    """`trnews/<version> (+<contact>)`: names the crawler, and whom to tell when it misbehaves."""
    try:
        release = version("trnews")
    except PackageNotFoundError:
        release = "dev"
    return f"trnews/{release} (+{contact})" if contact else f"trnews/{release}"


@dataclass(frozen=True)
class Exchange:
    """One request and the response to it, as sent and received (what the archive keeps)."""

    url: str
    request_headers: dict[str, str]
    status: int
    reason: str
    http_version: str
    headers: httpx.Headers
    raw: bytes  # the body as sent, content-encoded
    started: datetime


@dataclass(frozen=True)
class Response:
    """A final response (after redirects): `url` as asked, `final_url` where it was found,
    `body` decoded from its content encoding, `record_id` its WARC record."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    record_id: str | None = None

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    def validators(self, keep_body: bool = False) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"),
                          self.body if keep_body else None)


@dataclass
class HostGate:
    """One request at a time to a host, `delay` seconds apart (end of one to start of the next)."""

    delay: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self.next_start = max(self.next_start, time.monotonic() + self.delay)

    def slow_to(self, delay: float) -> None:
        """Raise the delay to `delay`, the wait before the next request included."""
        if delay > self.delay:
            self.next_start += delay - self.delay
            self.delay = delay

    def hold_off(self, seconds: float) -> None:
        """No request to this host for `seconds` (a Retry-After, a backoff)."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)


@dataclass
class Traffic:
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0


Archiver = Callable[[Exchange], str | None]


class PoliteClient:
    """GET with every rule of the module docstring. Thread-safe: the fetch's threads share it."""

    def __init__(self, config: FetchConfig, archive: Archiver | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self.user_agent = user_agent(config.contact)
        self.robots: Robots | None = None
        self.traffic = Traffic()
        self._archive = archive
        self._gates: dict[str, HostGate] = {}
        self._lock = threading.Lock()
        self._http = httpx.Client(
            timeout=httpx.Timeout(config.timeout), follow_redirects=False, transport=transport,
            limits=httpx.Limits(max_connections=2 * config.hosts, max_keepalive_connections=config.hosts),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", "Accept-Language": "tr, en;q=0.5"})

    def close(self) -> None:
        self._http.close()

    def gate(self, host: str, delay: float | None = None) -> HostGate:
        """The gate of `host` (see `host_of`); its delay is raised to `delay` when given."""
        with self._lock:
            gate = self._gates.setdefault(host, HostGate(self.config.delay))
            if delay is not None:
                gate.slow_to(delay)
            return gate

    def get(self, url: str, kind: RequestKind = "page", validators: Validators | None = None,
            delay: float | None = None) -> Response:
        """The response at `url` after redirects; `FetchError` when there is none to use.
        `validators` make the request conditional; `delay` raises the host's delay."""
        chain = [url]
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                raise FetchError(f"not an http(s) address: {current}", outcome="skipped")
            if kind != "robots" and self.robots is not None:
                self.robots.check(current)
            headers = {"Accept": _ACCEPT[kind], **_conditional(validators if current == url else None)}
            exchange = self._with_retries(current, headers, self.gate(host_of(current), delay))
            record_id = self._archive(exchange) if self._archive else None
            location = exchange.headers.get("location")
            if exchange.status in REDIRECT_STATUSES and location:
                target = urljoin(current, location.strip())
                if target in chain:
                    raise FetchError("redirect loop: " + " → ".join([*chain[chain.index(target):], target]),
                                     outcome="skipped")
                chain.append(target)
                current = target
                continue
            return Response(url, current, exchange.status, exchange.headers,
                            _decoded(exchange, self.config.max_bytes), record_id)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects: " + " → ".join(chain), outcome="skipped")

    def _with_retries(self, url: str, headers: dict[str, str], gate: HostGate) -> Exchange:
        retries = self.config.retries
        for attempt in range(retries + 1):
            wait = gate.delay * 2 ** attempt
            try:
                exchange = self._exchange(url, headers, gate)
            except httpx.TimeoutException:
                problem = f"timed out (no response within {self.config.timeout:g} s)"
            except httpx.TransportError as error:
                problem = f"connection failed: {error or type(error).__name__}"
            else:
                status = exchange.status
                if status in RETRY_STATUSES:
                    asked = retry_after(exchange.headers.get("retry-after"))
                    if asked is not None and asked > MAX_RETRY_AFTER:
                        gate.hold_off(asked)
                        raise FetchError(f"HTTP {status}: asked to come back in {asked:.0f} s, so left for a later "
                                         "fetch", outcome="deferred")
                    wait = asked if asked is not None else wait
                elif status < 500:
                    return exchange
                problem = f"HTTP {status} {exchange.reason}".rstrip()
            if attempt == retries:
                tries = f"{retries + 1} attempts" if retries else "1 attempt"
                raise FetchError(f"{problem} ({tries})", outcome="failed")
            gate.hold_off(wait)
        raise AssertionError("unreachable")

    def _exchange(self, url: str, headers: dict[str, str], gate: HostGate) -> Exchange:
        limit = self.config.max_bytes
        with gate.turn():
            started = datetime.now(timezone.utc)
            clock = time.monotonic()
            with self._lock:
                self.traffic.requests += 1
            with self._http.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too large: {int(declared):,} bytes declared, over the limit of {limit:,} "
                                     "(fetch_max_bytes)", outcome="skipped")
                raw = bytearray()
                for chunk in response.iter_raw():
                    raw += chunk
                    if len(raw) > limit:
                        raise FetchError(f"too large: over the limit of {limit:,} bytes (fetch_max_bytes)",
                                         outcome="skipped")
                    if time.monotonic() - clock > TOTAL_TIME_FACTOR * self.config.timeout:
                        raise httpx.ReadTimeout("response too slow", request=response.request)
                sent = dict(response.request.headers)
        with self._lock:
            self.traffic.bytes += len(raw)
            self.traffic.not_modified += response.status_code == 304
        return Exchange(url, sent, response.status_code, response.reason_phrase, response.http_version,
                        response.headers, bytes(raw), started)


def _conditional(validators: Validators | None) -> dict[str, str]:
    if validators is None:
        return {}
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def retry_after(value: str | None) -> float | None:
    """Seconds a `Retry-After` header asks to wait (delta-seconds or an HTTP date), None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _decoded(exchange: Exchange, limit: int) -> bytes:
    """The body without its content encoding (gzip, deflate: what trnews asks for), at most
    `limit` bytes decoded: a small compressed response must not expand without bound."""
    encoding = exchange.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity") or not exchange.raw:
        return exchange.raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding {encoding!r}", outcome="skipped")
    # gzip, zlib-wrapped deflate, and raw deflate (which some servers send as "deflate").
    for wbits in ((zlib.MAX_WBITS | 16,) if "gzip" in encoding else (zlib.MAX_WBITS, -zlib.MAX_WBITS)):
        decompressor = zlib.decompressobj(wbits)
        try:
            body = decompressor.decompress(exchange.raw, limit + 1)
        except zlib.error:
            continue
        if len(body) > limit:
            raise FetchError(f"too large: over the limit of {limit:,} bytes once decompressed (fetch_max_bytes)",
                             outcome="skipped")
        return body
    raise FetchError(f"damaged {encoding} content", outcome="skipped")
