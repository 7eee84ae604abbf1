"""A web site on 127.0.0.1 for the fetch tests: routes that answer as real servers do (ETags,
Retry-After, redirects, slow or failing hosts), and a log of every request with its start and
end times, to check politeness. Nothing leaves the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow host)


@dataclass
class Hit:
    path: str  # as requested, percent-decoded
    headers: dict[str, str]
    start: float
    end: float = 0.0
    status: int = 0


# A route answers a request's headers and how many times it was requested before (0 first).
Route = Callable[[dict[str, str], int], Reply]


class LocalSite:
    """`routes` by percent-decoded path (query included); unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                path = unquote(self.path)
                hit = Hit(path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with site._lock:
                    count = sum(1 for h in site.hits if h.path == path)
                    site.hits.append(hit)
                route = site.routes.get(path)
                reply = route(hit.headers, count) if route else Reply(404, b"not found")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in {"Content-Length": str(len(reply.body)), **reply.headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (timed out, too large)
                hit.end, hit.status = time.monotonic(), reply.status

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (timed out, too large) is part of the tests

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def static(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
               **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda _h, _n: Reply(200, data, {"Content-Type": content_type, **headers})

    def requested(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def conditional(body: bytes, content_type: str, etag: str) -> Route:
    """A listing that answers 304 to a request carrying its ETag."""
    def route(headers: dict[str, str], _count: int) -> Reply:
        if headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag})
    return route


def article_html(title: str, paragraphs: list[str], site_name: str | None = None, canonical: str | None = None,
                 published: str | None = None, charset: str = "utf-8") -> str:
    head = [f'<meta charset="{charset}">', f"<title>{title}</title>"]
    if site_name:
        head.append(f'<meta property="og:site_name" content="{site_name}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<!doctype html><html><head>{''.join(head)}</head><body><article><h1>{title}</h1>{body}</article></body></html>"
