"""The raw archive: every response a fetch received, in one WARC file a day (WARC 1.1, each
record gzipped on its own, as Common Crawl and the Internet Archive keep theirs), in the fetch
folder: `<fetch_dir>/YYYY-MM-DD.warc.gz` (UTC days).

Each request and its response are a `request` and a `response` record, the body as the server
sent it. Each article also gets a `metadata` record (JSON, `WARC-Concurrent-To` its response)
with what fetching learnt of it: its outlet, its address (canonical where the page names one),
the date and title its listing gave. Ingest reads the archive back (`archived_articles`): the
digest is made from it, and a better extractor, cleaner or model can remake it from it, with no
network. Other WARC tools read these files as they are.

A killed fetch can leave half a record at the end of a day's file; the next fetch cuts the file
back to its last whole record before appending. A page counts as fetched only once its records
are on disk (flushed and synced).
"""

from __future__ import annotations

import io
import json
import os
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from trnews.fetch.http import Exchange

SUFFIX = ".warc.gz"
# The `metadata` record of an article says this, so a reader tells it from other tools' metadata.
METADATA_FORMAT = "trnews-article/1"
# Hop-by-hop framing: the archived body is already de-chunked, so the header would misdescribe it.
_NOT_ARCHIVED = {"transfer-encoding"}


def day_file(folder: Path, when: datetime) -> Path:
    return folder / f"{when.astimezone(timezone.utc):%Y-%m-%d}{SUFFIX}"


class Archive:
    """The daily WARC files of a fetch folder, appended to by the threads of one fetch (one
    fetch at a time per folder: `trnews.fetch.fetcher` holds its lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[Path, tuple[IO[bytes], WARCWriter]] = {}
        self._record_files: dict[str, Path] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for handle, _ in self._files.values():
                handle.close()
            self._files.clear()

    def _writer(self, path: Path) -> WARCWriter:
        if path not in self._files:
            path.parent.mkdir(parents=True, exist_ok=True)
            whole = complete_length(path) if path.exists() else 0
            handle = open(path, "r+b" if path.exists() else "wb")  # noqa: SIM115 (closed in close())
            handle.truncate(whole)
            handle.seek(whole)
            self._files[path] = (handle, WARCWriter(handle, gzip=True, warc_version="1.1"))
        return self._files[path][1]

    def exchange(self, exchange: Exchange) -> str:
        """Archive a request and its response; the response record's id."""
        writer = WARCWriter(io.BytesIO())  # records are made outside the lock, written inside it
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(_request_line(exchange.url), list(exchange.request_headers.items()),
                                          is_http_request=True))
        response = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.raw),
            warc_headers_dict={"WARC-Date": _warc_date(exchange.started)},
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(),
                [(k, v) for k, v in exchange.headers.multi_items() if k.lower() not in _NOT_ARCHIVED],
                protocol=exchange.http_version or "HTTP/1.1"))
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", record_id)
        path = day_file(self.folder, exchange.started)
        with self._lock:
            target = self._writer(path)
            target.write_record(request)
            target.write_record(response)
            self._record_files[record_id] = path
        return record_id

    def article(self, record_id: str, url: str, metadata: dict[str, Any]) -> Path:
        """Add what fetching learnt of the article in response `record_id` (to the file that
        holds the response), and put the file on disk; the file."""
        writer = WARCWriter(io.BytesIO())
        record = writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(json.dumps({"format": METADATA_FORMAT, **metadata},
                                                           ensure_ascii=False).encode("utf-8")),
            warc_content_type="application/json", warc_headers_dict={"WARC-Concurrent-To": record_id})
        with self._lock:
            path = self._record_files[record_id]
            self._writer(path).write_record(record)
            handle = self._files[path][0]
            handle.flush()
            os.fsync(handle.fileno())
        return path


def _request_line(url: str) -> str:
    parts = urlsplit(url)
    return f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1"


def _warc_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def complete_length(path: Path) -> int:
    """Bytes of `path` up to the end of its last whole gzip member, which is its last whole
    record (each record is one member). A killed writer may leave part of one, which a gzip
    reader takes for a short record rather than an error, so the members are checked here."""
    end = position = 0  # end of the last whole member; start of the data in hand
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            while chunk:
                try:
                    member.decompress(chunk, 1 << 16)
                    while member.unconsumed_tail and not member.eof:
                        member.decompress(member.unconsumed_tail, 1 << 16)
                except zlib.error:
                    return end
                if not member.eof:
                    position += len(chunk)
                    break
                used = len(chunk) - len(member.unused_data)
                end = position = position + used
                chunk = member.unused_data
                member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    return end


@dataclass(frozen=True)
class ArchivedArticle:
    """An article read back from the archive: its response's body (content-decoded), headers,
    record id, and what fetching recorded of it."""

    record_id: str
    target: str  # the URL the response came from
    body: bytes
    content_type: str
    metadata: dict[str, Any]


class DamagedArchive(ValueError):
    """A WARC file that cannot be read to its end; `read` articles came before the damage."""

    def __init__(self, message: str, read: int) -> None:
        super().__init__(message)
        self.read = read


def archived_articles(path: Path) -> Iterator[ArchivedArticle]:
    """Every article trnews archived in `path`, in file order; `DamagedArchive` at damage (after
    the articles before it)."""
    metadata = {}
    try:
        for record in _records(path):
            if record.rec_type == "metadata" and record.rec_headers.get_header("Content-Type") == "application/json":
                try:
                    data = json.loads(record.content_stream().read())
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("format") == METADATA_FORMAT:
                    metadata[record.rec_headers.get_header("WARC-Concurrent-To")] = data
    except DamagedArchive:
        pass  # the second pass meets the damage again, and reports it after the articles before it
    read = 0
    try:
        for record in _records(path):
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            if record.rec_type != "response" or record_id not in metadata:
                continue
            headers = record.http_headers
            yield ArchivedArticle(record_id, record.rec_headers.get_header("WARC-Target-URI"),
                                  record.content_stream().read(),
                                  (headers.get_header("Content-Type") or "") if headers else "", metadata[record_id])
            read += 1
    except DamagedArchive as damage:
        raise DamagedArchive(str(damage), read) from None


def _records(path: Path) -> Iterator[Any]:
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        try:
            yield from records
        except Exception as error:  # noqa: BLE001 - warcio and zlib raise many kinds for a damaged file
            raise DamagedArchive(f"damaged WARC file ({type(error).__name__}: {error})", 0) from None
