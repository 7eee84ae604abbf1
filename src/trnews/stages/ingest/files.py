"""One input file to its articles, by format: plain text and Markdown, HTML, JSONL, WARC."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from trnews.config import DEFAULT_MAX_ARTICLE_BYTES
from trnews.records import ArticleStatus, RawArticle, Source, SourceFormat
from trnews.stages.ingest.decoding import (
    InputError,
    UnreadablePath,
    charset_of,
    check_size,
    decode,
    decode_page,
    plain_text,
)
from trnews.stages.ingest.pages import optional_text, outlet_for, read_page
from trnews.text.ids import article_id

FORMATS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
}

# An HTML page carries markup, scripts and styles besides its text: its file may be this many
# times the article size limit before it is not even read.
HTML_MARKUP_ALLOWANCE = 10

def format_of(path: Path) -> SourceFormat | None:
    """The input format of `path` by its name (`.warc.gz` included), None if unsupported."""
    name = path.name.lower()
    return next((fmt for suffix, fmt in FORMATS.items() if name.endswith(suffix) and len(name) > len(suffix)), None)


def read_file(path: Path, max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> Iterator[RawArticle | ArticleStatus]:
    """Yield the articles in one file; raise `InputError` when the file as a whole is unusable."""
    fmt = format_of(path)
    if fmt is None:
        raise InputError(f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(FORMATS)}")
    data = _read_bytes(path, fmt, max_article_bytes)
    if not data.strip():
        raise InputError("empty file")
    if fmt == "jsonl":
        yield from _read_jsonl(path, data, max_article_bytes)
        return
    if fmt == "warc":
        yield from _read_warc(path, max_article_bytes)
        return
    text, encoding = decode(data)
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=fmt)
    if fmt != "html":
        yield RawArticle(id=article_id(path.stem), source=source, text=text, encoding=encoding)
        return
    page = read_page(text)
    check_size(len(page.text.encode("utf-8")), max_article_bytes, "article text")
    yield RawArticle(id=article_id(path.stem), source=source, text=page.text, title=page.title, url=page.canonical,
                     published=page.published, outlet=outlet_for(page.site_name, page.title_line, page.canonical),
                     encoding=encoding)


def _read_warc(path: Path, max_article_bytes: int) -> Iterator[RawArticle | ArticleStatus]:
    """The articles `trnews fetch` archived in a WARC file, each page read as an HTML file is,
    with the outlet, address and listed date the fetch recorded."""
    from trnews.fetch.archive import DamagedArchive, archived_articles
    from trnews.fetch.urls import article_id_for

    try:
        for archived in archived_articles(path):
            url = str(archived.metadata.get("url") or archived.target)
            where = f"{path}#{archived.record_id}"
            try:
                check_size(len(archived.body), max_article_bytes * HTML_MARKUP_ALLOWANCE, "HTML page")
                html, encoding = decode_page(archived.body, charset_of(archived.content_type))
                page = read_page(html)
                check_size(len(page.text.encode("utf-8")), max_article_bytes, "article text")
            except InputError as error:
                yield ArticleStatus(id=article_id_for(url), source=where, status=error.status, reason=str(error))
                continue
            outlet = optional_text(archived.metadata.get("outlet"))
            yield RawArticle(
                id=article_id_for(url),
                source=Source(path=str(path), sha256=hashlib.sha256(archived.body).hexdigest(), format="warc",
                              record=archived.record_id),
                text=page.text, title=page.title, url=url,
                published=optional_text(archived.metadata.get("published")) or page.published,
                outlet=outlet or outlet_for(page.site_name, page.title_line, url), encoding=encoding)
    except DamagedArchive as damage:
        yield ArticleStatus(id=article_id(f"{path.name}-damaged"), source=str(path), status="failed",
                            reason=f"{damage}; the {damage.read} article(s) before it were read")


def _read_bytes(path: Path, fmt: SourceFormat, max_article_bytes: int) -> bytes:
    """The file's bytes, unless it is not a regular file (a pipe would block the run) or too
    large to hold one article (checked before reading: a huge file is never loaded)."""
    try:
        # Opened without waiting (a named pipe would wait for a writer), then checked as opened.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as opened:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise UnreadablePath("not a regular file")
            if fmt == "html":
                check_size(info.st_size, max_article_bytes * HTML_MARKUP_ALLOWANCE, "HTML file")
            elif fmt not in ("jsonl", "warc"):  # these hold many articles: each is checked on its own
                check_size(info.st_size, max_article_bytes, "file")
            return opened.read()
    except OSError as error:
        raise UnreadablePath(os_reason(error, path)) from error


def _read_jsonl(path: Path, data: bytes, max_article_bytes: int) -> Iterator[RawArticle | ArticleStatus]:
    text, encoding = decode(data)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fallback_id = article_id(f"{path.stem}-{number}")
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError("a JSONL line must be a JSON object")
            body = record.get("text")
            if not isinstance(body, str) or not plain_text(body).strip():
                raise InputError("missing or empty 'text' field")
            check_size(len(body.encode("utf-8", errors="replace")), max_article_bytes, "article text")
        except json.JSONDecodeError as error:
            yield ArticleStatus(id=fallback_id, source=f"{path}:{number}", status="failed",
                                reason=f"invalid JSON: {error.msg}")
            continue
        except InputError as error:
            yield ArticleStatus(id=fallback_id, source=f"{path}:{number}", status=error.status, reason=str(error))
            continue
        raw_id = record.get("id")
        yield RawArticle(
            id=article_id(str(raw_id)) if raw_id not in (None, "") else fallback_id,
            source=Source(path=str(path), sha256=hashlib.sha256(line.encode("utf-8")).hexdigest(),
                          format="jsonl", line=number),
            text=plain_text(body),
            title=optional_text(record.get("title")),
            url=optional_text(record.get("url")),
            published=optional_text(record.get("published")),
            outlet=optional_text(record.get("outlet")) or outlet_for(
                None, optional_text(record.get("title")), optional_text(record.get("url"))),
            encoding=encoding,
        )


def os_reason(error: OSError, path: Path) -> str:
    """A plain reason for a path the operating system refused."""
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"broken symlink: {os.readlink(path)} does not exist"
        return "no such file or folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()
