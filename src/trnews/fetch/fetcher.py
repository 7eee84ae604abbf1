"""One fetch: every source's listings read (conditionally), the article URLs they name that are
new and recent enough fetched once each, and everything archived (`trnews fetch`, and the
fetch step of a deployment's runs: `trnews.pipeline.flow`).

Sources are read in parallel, then the article pages in parallel by host: each host's pages
one after the other through its gate (`trnews.fetch.http.HostGate`), at most `hosts` hosts at a
time. A source whose listings all fail is reported with the reasons; the others go on. Every
page ends in one outcome, counted per source and remembered (`trnews.fetch.store`):

- new: archived as an article (its response, and a metadata record with its outlet);
- known: fetched before (`--refetch` fetches again);
- duplicate: the page names as canonical an address already fetched, or its text (whitespace
  aside) is that of an article already archived;
- skipped: not to be fetched (robots.txt, not HTML, gone, too large, no article text);
- failed: no usable response this time (timeouts, 5xx): tried again on the next fetches;
- deferred: over the source's `max_articles`, or asked to wait (a long Retry-After): next fetch.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from trnews.config import FetchConfig, Settings
from trnews.errors import ConfigError
from trnews.fetch.archive import Archive
from trnews.fetch.http import FetchError, PoliteClient, Response
from trnews.fetch.listings import Entry, ListingError, age_days, read_listing
from trnews.fetch.robots import Robots
from trnews.fetch.sources import SourcesError, SourceSpec, load_sources
from trnews.fetch.store import FetchStore, Listed, PageState, Validators
from trnews.fetch.urls import host_of, normalise, same_site
from trnews.pipeline.locks import run_lock
from trnews.records import FetchReport, SourceFetch
from trnews.stages.ingest.decoding import InputError, decode_page
from trnews.stages.ingest.pages import PageText, read_page
from trnews.stores import CacheLayout

# Sitemaps read per source and fetch, an index's children included: a site's index may name
# years of monthly sitemaps, of which only the recent ones can hold news.
MAX_SITEMAPS = 20
# Problems listed per source in the report (the counts hold them all).
MAX_PROBLEMS = 50
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def fetch_sources(settings: Settings, refetch: bool = False, only: Sequence[str] = ()) -> FetchReport:
    """Fetch what is new at every source of `settings.fetch.sources` (or the `only` ones)."""
    config = settings.fetch
    if config.sources is None:
        raise ConfigError("no sources file: give one with --sources FILE (TRNEWS_SOURCES); see sources.example.toml")
    sources = load_sources(config.sources)
    if only:
        unknown = sorted(set(only) - {source.name for source in sources})
        if unknown:
            raise SourcesError(f"no source named {', '.join(map(repr, unknown))} in {config.sources}")
        sources = [source for source in sources if source.name in only]
    started, clock = datetime.now(timezone.utc), time.monotonic()
    with run_lock(config.folder, settings.lock_timeout), \
            FetchStore(CacheLayout(settings.cache_dir).fetched) as store, Archive(config.folder) as archive:
        client = PoliteClient(config, archive.exchange)
        client.robots = Robots(client, store)
        try:
            fetch = Fetch(config, store, archive, client, refetch)
            reports = fetch.run(sources)
        finally:
            client.close()
    return FetchReport(started=started.isoformat(timespec="seconds"), seconds=round(time.monotonic() - clock, 2),
                       user_agent=client.user_agent, requests=client.traffic.requests,
                       not_modified=client.traffic.not_modified, bytes=client.traffic.bytes, sources=reports,
                       archives=sorted(str(path) for path in fetch.archives))


@dataclass
class Plan:
    """A source's pages to fetch this time, and what was found out so far."""

    source: SourceSpec
    report: SourceFetch
    pages: list[Listed] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


class Fetch:
    """The work of one fetch, shared by its threads."""

    def __init__(self, config: FetchConfig, store: FetchStore, archive: Archive, client: PoliteClient,
                 refetch: bool) -> None:
        self.config = config
        self.store = store
        self.archive = archive
        self.client = client
        self.refetch = refetch
        self.archives: set[Path] = set()
        self.now = datetime.now(timezone.utc)
        self._lock = threading.Lock()  # the plans' counts, and claiming a text hash

    def run(self, sources: Sequence[SourceSpec]) -> list[SourceFetch]:
        with ThreadPoolExecutor(self.config.hosts, thread_name_prefix="trnews-fetch") as pool:
            plans = list(pool.map(self.plan, sources))
            by_host: dict[str, list[tuple[Plan, Listed]]] = defaultdict(list)
            for plan in plans:
                for page in plan.pages:
                    by_host[host_of(page.url)].append((plan, page))
            list(pool.map(self.fetch_host, by_host.values()))
        for plan in plans:
            plan.report.articles = dict(plan.outcomes)
        return [plan.report for plan in plans]

    # Listings ---------------------------------------------------------------------------------

    def plan(self, source: SourceSpec) -> Plan:
        """Read the source's listings and choose the pages to fetch."""
        plan = Plan(source, SourceFetch(name=source.name))
        entries, validators, failures = self._read_listings(plan)
        if failures and failures == len(source.listings) and not plan.report.unchanged:
            plan.report.failed = "no listing could be read: " + "; ".join(plan.report.problems[:3])
        max_age = source.max_age_days or self.config.max_age_days
        unique = list({entry.url: entry for entry in reversed(entries)}.values())[::-1]
        plan.report.listed = len(unique)
        recent = [e for e in unique if (age := age_days(e, self.now)) is None or age <= max_age]
        states = self.store.states(e.url for e in recent)
        new = [e for e in recent if self.refetch or e.url not in states]
        plan.outcomes["known"] += sum(1 for e in recent if states.get(e.url) in ("done", "skipped")
                                      and not self.refetch)
        fresh = [Listed(e.url, e.published, e.title) for e in _newest_first(new)]
        self.store.list(source.name, fresh)
        for url, found in validators:  # only now: their entries are remembered
            self.store.save_validators(url, found)
        waiting = {page.url for page in fresh}
        again = [page for page in self.store.to_retry(source.name) if page.url not in waiting
                 and ((age := age_days(Entry(page.url, page.published), self.now)) is None or age <= max_age)]
        chosen = fresh + again
        limit = source.max_articles or self.config.max_articles
        plan.pages = chosen[:limit]
        plan.outcomes["deferred"] += len(chosen[limit:])
        return plan

    def _read_listings(self, plan: Plan) -> tuple[list[Entry], list[tuple[str, Validators]], int]:
        """Every entry of the source's listings (and of the sitemaps its indexes name), the
        validators to keep for them, and how many could not be read."""
        queue = [url for _, url in plan.source.listings]
        seen: set[str] = set()
        entries: list[Entry] = []
        validators: list[tuple[str, Validators]] = []
        failures = 0
        while queue and len(seen) < MAX_SITEMAPS + len(plan.source.feeds):
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            known = self.store.validators(url)
            known = known if known is not None and known.body is not None else None
            try:
                response = self.client.get(url, kind="listing", validators=known, delay=plan.source.delay)
                plan.report.listings += 1
                if response.status == 304 and known is not None and known.body is not None:
                    # Unchanged: its entries are known, but an index's sitemaps may have changed.
                    plan.report.unchanged += 1
                    body = known.body
                elif response.status == 200:
                    body = response.body
                    validators.append((url, response.validators(keep_body=True)))
                else:
                    raise ListingError(f"HTTP {response.status}")
                listing = read_listing(body, response.final_url)
            except (FetchError, ListingError) as error:
                failures += 1
                self._problem(plan, f"{url}: {error}")
                continue
            entries += listing.entries
            queue += [child.url for child in _newest_first(listing.sitemaps)
                      if (age := age_days(child, self.now)) is None
                      or age <= (plan.source.max_age_days or self.config.max_age_days)]
        return entries, validators, failures

    # Pages ------------------------------------------------------------------------------------

    def fetch_host(self, pages: list[tuple[Plan, Listed]]) -> None:
        for plan, page in pages:
            outcome, reason = self.fetch_page(plan.source, page)
            with self._lock:
                plan.outcomes[outcome] += 1
            if reason and outcome in ("skipped", "failed", "deferred"):
                self._problem(plan, f"{page.url}: {reason}")

    def fetch_page(self, source: SourceSpec, page: Listed) -> tuple[str, str | None]:
        """Fetch one page; its outcome and the reason, if it is not new."""
        if not self.refetch and self.store.states([page.url]).get(page.url) == "done":
            return "known", None  # reached earlier in this fetch, as another page's canonical address
        try:
            response = self.client.get(page.url, delay=source.delay)
        except FetchError as error:
            self.store.mark([page.url], source.name, "pending" if error.outcome == "deferred" else error.outcome,
                            str(error))
            return error.outcome, str(error)
        if not 200 <= response.status < 300:
            # A 4xx page (gone, forbidden) will not come back by asking again; anything else may.
            outcome: PageState = "skipped" if 400 <= response.status < 500 else "failed"
            self.store.mark([page.url], source.name, outcome, f"HTTP {response.status}")
            return outcome, f"HTTP {response.status}"
        final = normalise(response.final_url) or page.url
        try:
            if response.media_type not in HTML_TYPES:
                raise InputError(f"not an HTML page ({response.media_type or 'no content type'})")
            found = read_page(decode_page(response.body, response.charset)[0])
        except InputError as error:
            self.store.mark([page.url, final], source.name, "skipped", str(error))
            return "skipped", str(error)
        return self._keep(source, page, response, final, found)

    def _keep(self, source: SourceSpec, page: Listed, response: Response, final: str,
              found: PageText) -> tuple[str, str | None]:
        """Archive the page as an article, unless it is one fetched before under another address."""
        canonical = normalise(found.canonical, final) if found.canonical else None
        address = canonical if canonical and same_site(canonical, final) else final
        addresses = [page.url, final, address]
        text_hash = hashlib.sha256(" ".join(found.text.split()).encode("utf-8")).hexdigest()
        with self._lock:  # two threads must not both take one text for new
            duplicate = None if self.refetch else self._duplicate_of(page.url, address, text_hash)
            if duplicate:
                reason, original = duplicate
                self.store.mark([a for a in addresses if a != original], source.name, "done", reason,
                                archived_as=original)
                return "duplicate", reason
            self.store.claim_text(text_hash, address)
        assert response.record_id is not None  # the client archives every response
        path = self.archive.article(response.record_id, address, {
            "source": source.name, "outlet": source.name, "url": address, "fetched_url": page.url,
            "published": page.published or found.published, "listed_title": page.title,
            "text_sha256": text_hash,
        })
        self.store.mark(addresses, source.name, "done", archived_as=address)
        with self._lock:
            self.archives.add(path)
        return "new", None

    def _duplicate_of(self, url: str, address: str, text_hash: str) -> tuple[str, str] | None:
        """Why the page is one fetched before, and that one's address; None if it is new."""
        if address != url and self.store.states([address]).get(address) == "done":
            return f"same page as {address} (its canonical address), fetched before", address
        owner = self.store.text_owner(text_hash)
        if owner and owner != address:
            return f"same text as {owner}, fetched before", owner
        return None

    def _problem(self, plan: Plan, problem: str) -> None:
        with self._lock:
            if len(plan.report.problems) < MAX_PROBLEMS:
                plan.report.problems.append(problem)


def _newest_first(entries: Sequence[Entry]) -> list[Entry]:
    """Dated entries newest first, then the undated ones in listing order."""
    dated = sorted((e for e in entries if e.dated), key=lambda e: _instant(e.dated), reverse=True)
    return dated + [e for e in entries if not e.dated]


def _instant(text: str | None) -> float:
    try:
        when = datetime.fromisoformat(text or "")
    except ValueError:
        return 0.0
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()
