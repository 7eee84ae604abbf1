"""Fetch speed and politeness against many local hosts. Run by hand:

    .venv/bin/python benchmarks/fetch.py                       # 8 hosts x 20 articles, 0.25 s delay
    .venv/bin/python benchmarks/fetch.py --hosts 16 --pages 30 --delay 0.5

Each host is its own HTTP server on 127.0.0.1 (its own port: a separate host to the client,
as to any crawler), with a robots.txt, an RSS feed of `--pages` articles and the article pages
(ETags on robots.txt and the feed), answering after `--latency` seconds like a real server. One
source per host. Measured, side by side in one process:

1. a cold fetch with `--fetch-hosts` parallel hosts: pages/s, and from the servers' own request
   timestamps the smallest gap between two requests to one host (politeness: never under the
   delay, never two at once) and how many hosts were being fetched from at once;
2. the same cold fetch with one host at a time (`fetch_hosts=1`): the gain of parallel hosts;
3. a rerun of (1) with nothing new: every request conditional, answered 304, no page fetched.

Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trnews.config import Settings  # noqa: E402
from trnews.fetch.fetcher import fetch_sources  # noqa: E402

WORDS = ("belediye meclisi bugün yeni bütçeyi oy birliğiyle kabul etti ve yatırımların ilkbaharda başlayacağını "
         "duyurdu vatandaşlar kararı memnuniyetle karşıladı muhalefet ise ayrıntı istedi").split()


class Host:
    """One site on its own port, logging (start, end, status) of every request."""

    def __init__(self, number: int, pages: int, latency: float) -> None:
        self.log: list[tuple[float, float, int]] = []
        self.lock = threading.Lock()
        host = self
        now = datetime.now(timezone.utc)

        def article(n: int) -> bytes:
            sentences = [" ".join(WORDS[(n + k + i) % len(WORDS)] for i in range(14)).capitalize() + f" {number}-{n}-{k}."
                         for k in range(8)]
            body = "".join(f"<p>{s}</p>" for s in sentences)
            return (f"<html><head><title>Haber {number}-{n}</title></head><body><article><h1>Haber {number}-{n}</h1>"
                    f"{body}</article></body></html>").encode("utf-8")

        def routes(origin: str) -> dict[str, tuple[bytes, str, str | None]]:
            items = "".join(f"<item><title>Haber {n}</title><link>{origin}/haber/{n}</link><pubDate>"
                            f"{(now - timedelta(minutes=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
                            for n in range(pages))
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>H{number}</title>{items}</channel></rss>'
            table = {"/robots.txt": (b"User-agent: *\nDisallow: /gizli/\n", "text/plain", '"r"'),
                     "/rss.xml": (feed.encode(), "application/rss+xml", '"f"')}
            table.update({f"/haber/{n}": (article(n), "text/html; charset=utf-8", None) for n in range(pages)})
            return table

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                start = time.monotonic()
                time.sleep(latency)
                body, kind, etag = host.routes.get(self.path, (b"not found", "text/plain", None))
                status = 404 if self.path not in host.routes else 304 if etag and self.headers.get("If-None-Match") == etag else 200
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
                with host.lock:
                    host.log.append((start, time.monotonic(), status))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.routes = routes(self.origin)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def politeness(hosts: list[Host], since: list[int]) -> dict[str, float]:
    """From the servers' logs since `since`: the smallest gap between two requests to one host
    (negative: two at once), and the most hosts being fetched from at the same moment."""
    gaps, spans = [], []
    for host, start in zip(hosts, since):
        log = sorted(host.log[start:])
        gaps += [later[0] - earlier[1] for earlier, later in zip(log, log[1:])]
        spans += [(s, e) for s, e, _ in log]
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    busy = most = 0
    for _, step in events:
        busy += step
        most = max(most, busy)
    return {"min_gap_s": round(min(gaps), 3) if gaps else 0.0, "hosts_at_once": most}


def measure(settings: Settings, hosts: list[Host], label: str) -> dict[str, object]:
    since = [len(h.log) for h in hosts]
    started = time.perf_counter()
    report = fetch_sources(settings)
    seconds = time.perf_counter() - started
    new = report.new_articles
    statuses = [status for host, start in zip(hosts, since) for _, _, status in host.log[start:]]
    return {"run": label, "seconds": round(seconds, 2), "requests": report.requests, "new": new,
            "pages_per_s": round(new / seconds, 2), "answered_304": statuses.count(304),
            "answered_200": statuses.count(200), **politeness(hosts, since)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=20, help="articles per host")
    parser.add_argument("--delay", type=float, default=0.25, help="fetch_delay: seconds between requests to a host")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds each server takes to answer")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    hosts = [Host(n, args.pages, args.latency) for n in range(args.hosts)]
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            sources = root / "sources.toml"
            sources.write_text("".join(f'[[source]]\nname = "Host {n}"\nfeeds = ["{h.origin}/rss.xml"]\n\n'
                                       for n, h in enumerate(hosts)), encoding="utf-8")

            def settings(name: str, parallel: int) -> Settings:
                return Settings(cache_dir=root / name / "cache", sources=sources, fetch_dir=root / name / "fetched",
                                fetch_delay=args.delay, fetch_hosts=parallel, fetch_max_articles=args.pages,
                                fetch_contact="benchmark@example.org")

            parallel = settings("parallel", args.hosts)
            rows.append(measure(parallel, hosts, f"cold, {args.hosts} hosts at once"))
            rows.append(measure(settings("serial", 1), hosts, "cold, one host at a time"))
            rows.append(measure(parallel, hosts, "rerun, nothing new"))
    finally:
        for host in hosts:
            host.close()

    load = os.getloadavg()
    print(f"{args.hosts} hosts x {args.pages} articles, delay {args.delay} s, server latency {args.latency} s; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs")
    columns = ["run", "seconds", "requests", "new", "pages_per_s", "answered_200", "answered_304", "min_gap_s",
               "hosts_at_once"]
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))
    print(f"parallel hosts: {rows[1]['seconds'] / rows[0]['seconds']:.1f}x faster than one host at a time; "
          f"smallest gap between two requests to one host: {min(r['min_gap_s'] for r in rows[:2])} s "
          f"(delay {args.delay} s)")
    if args.json:
        args.json.write_text(json.dumps({"args": vars(args) | {"json": str(args.json)}, "load": load, "rows": rows},
                                        indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
