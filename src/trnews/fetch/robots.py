"""robots.txt, per host, as RFC 9309 says (parsed by protego, which follows it: longest match
wins, `Allow` over `Disallow` on a tie, wildcards and `$`), for the product token `trnews`.

- A robots.txt that answers 2xx is obeyed, including `Crawl-delay` and `Request-rate`, which
  raise the host's delay between requests.
- One that answers 4xx (none there) allows everything.
- One that cannot be had (5xx, 429, timeouts, too many redirects) means: nothing of that host
  this fetch (RFC 9309 2.3.1.4), and its pages are tried again next time.
- It is fetched once per fetch and host, conditionally: an unchanged robots.txt costs a 304.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from protego import Protego

from trnews.fetch.http import FetchError, PoliteClient
from trnews.fetch.store import FetchStore
from trnews.fetch.urls import host_of

AGENT = "trnews"


@dataclass(frozen=True)
class HostRules:
    """What a host's robots.txt says for trnews: its parsed rules, or why there are none to obey."""

    rules: Protego | None  # None: everything allowed (no robots.txt)
    unreachable: str | None = None

    def refusal(self, url: str) -> FetchError | None:
        if self.unreachable:
            return FetchError(self.unreachable, outcome="deferred")
        if self.rules is not None and not self.rules.can_fetch(url, AGENT):
            return FetchError("disallowed by robots.txt", outcome="skipped")
        return None


class Robots:
    """The robots.txt of every host a fetch visits, each fetched on first need."""

    def __init__(self, client: PoliteClient, store: FetchStore) -> None:
        self._client = client
        self._store = store
        self._hosts: dict[str, HostRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        """Raise `FetchError` unless robots.txt lets trnews fetch `url`."""
        refusal = self.rules_for(host_of(url)).refusal(url)
        if refusal is not None:
            raise refusal

    def rules_for(self, host: str) -> HostRules:
        with self._lock:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._hosts:
                self._hosts[host] = self._fetch(host)
            return self._hosts[host]

    def _fetch(self, host: str) -> HostRules:
        url = f"{host}/robots.txt"
        known = self._store.validators(url)
        known = known if known is not None and known.body is not None else None
        try:
            response = self._client.get(url, kind="robots", validators=known)
        except FetchError as error:
            return HostRules(None, f"robots.txt could not be fetched ({error}): nothing of {host} this time")
        if response.status == 304 and known is not None and known.body is not None:
            body = known.body  # unchanged since it was last fetched
        elif 200 <= response.status < 300:
            body = response.body
            self._store.save_validators(url, response.validators(keep_body=True))
        elif 400 <= response.status < 500 and response.status != 429:
            return HostRules(None)
        else:
            return HostRules(None, f"robots.txt answered HTTP {response.status}: nothing of {host} this time")
        rules = Protego.parse(body.decode("utf-8", errors="replace"))
        self._client.gate(host, _delay(rules))
        return HostRules(rules)


def _delay(rules: Protego) -> float | None:
    """Seconds between requests that robots.txt asks of trnews (`Crawl-delay`, `Request-rate`)."""
    asked = [float(rules.crawl_delay(AGENT) or 0)]
    rate = rules.request_rate(AGENT)
    if rate is not None and rate.requests:
        asked.append(rate.seconds / rate.requests)
    return max(asked) or None
