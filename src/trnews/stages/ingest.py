"""Ingest: turn files and folders into decoded, NFC-normalised `RawArticle`s.

Supported: `.txt`, `.md`/`.markdown`, `.html`/`.htm` (visible article text, via trafilatura),
`.jsonl` (one article per line: `id`, `title`, `text`, optional `url`, `published`, `outlet`) and
`.warc.gz`/`.warc` (the pages `trnews fetch` archived, read back as HTML pages are; an article
archived again, by a refetch, is read from its latest file).
Every article gets its outlet: the one a JSONL line or the fetch named, else the page's site name
(`og:site_name`), else its title's site-name suffix, else its URL's host.
Anything that cannot be read (a missing path, a symlink loop, an unreadable file or folder, an
undecodable file) becomes a failed `ArticleStatus` with a plain reason, and an article over the
size limit a skipped one, before any model sees it; none of them stops the rest of the batch.
Control characters other than newline and tab never get past ingest.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import stat
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from charset_normalizer import from_bytes

from trnews.config import DEFAULT_MAX_ARTICLE_BYTES
from trnews.records import ArticleStatus, RawArticle, Source, SourceFormat, Status
from trnews.text.turkish import to_ascii
from trnews.errors import TrnewsError

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

# Turkish news still turns up in the pre-Unicode Turkish code pages. UTF-8 is tried strictly
# first; charset-normalizer then only chooses between these, so a Turkish page is never
# "detected" as, say, Mac Latin-2 (which it prefers for short Turkish texts when unrestricted).
LEGACY_TURKISH_ENCODINGS = ["cp1254", "iso8859_9"]


# An HTML page carries markup, scripts and styles besides its text: its file may be this many
# times the article size limit before it is not even read.
HTML_MARKUP_ALLOWANCE = 10

# C0 and C1 control characters and DEL, except tab and newline: they have no place in article
# text, and in outputs they can corrupt a table, a page or a terminal.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?")


class InputError(TrnewsError, ValueError):
    """An input that cannot become an article; the message says why, for the run report."""

    status: Status = "failed"


class TooLarge(InputError):
    """An input over the size limit: skipped, not failed (nothing is wrong with it as a file)."""

    status: Status = "skipped"


@dataclass
class IngestResult:
    articles: list[RawArticle] = field(default_factory=list)
    problems: list[ArticleStatus] = field(default_factory=list)


def ingest_paths(paths: Sequence[str | Path], max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> IngestResult:
    """Read every supported file under `paths` (folders recursively), in a stable order.

    Ids come from file stems (or JSONL `id` fields), are sanitised to `[a-z0-9_-]` and made
    unique within the batch by suffixing `-2`, `-3`, … in path order, so they are stable
    across runs over the same inputs. An article of more than `max_article_bytes` (UTF-8) is
    skipped with its size as the reason.
    """
    result = IngestResult()
    used_ids: set[str] = set()
    archived: dict[str, int] = {}  # id -> position in result.articles of an article read from a WARC file
    for path, unusable in _discover(paths):
        started = time.perf_counter()
        try:
            if unusable:
                raise unusable
            articles = list(read_file(path, max_article_bytes))
        except InputError as error:
            result.problems.append(
                ArticleStatus(id=_unique(article_id(path.stem), used_ids), source=str(path),
                              status=error.status, reason=str(error))
            )
            continue
        elapsed = (time.perf_counter() - started) / max(len(articles), 1)
        for article in articles:
            if isinstance(article, ArticleStatus):
                article.id = _unique(article.id, used_ids)
                result.problems.append(article)
                continue
            article.timings["ingest"] = round(elapsed, 4)
            if article.source.format == "warc" and article.id in archived:
                result.articles[archived[article.id]] = article  # refetched: the later copy is current
                continue
            article.id = _unique(article.id, used_ids)
            if article.source.format == "warc":
                archived[article.id] = len(result.articles)
            result.articles.append(article)
    return result


def _discover(paths: Sequence[str | Path]) -> Iterator[tuple[Path, InputError | None]]:
    """Every input file, each with the reason it cannot be read, if already known. A folder is
    walked without following symlinked folders (a link back up would never end); what cannot
    be listed or read in it is reported, not skipped."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as error:
            yield path, InputError(_os_reason(error, path))
            continue
        for candidate, unusable in _walk(path) if is_folder else [(path, None)]:
            resolved = Path(os.path.realpath(candidate))  # realpath: a loop must not raise here
            if resolved not in seen:
                seen.add(resolved)
                yield candidate, unusable


def _walk(folder: Path) -> list[tuple[Path, InputError | None]]:
    found: list[tuple[Path, InputError | None]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        found.append((where, InputError(f"cannot read folder: {_os_reason(error, where)}")))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders:
            if os.path.islink(os.path.join(root, name)):
                found.append((Path(root, name), InputError(
                    "symlink to a folder inside a folder, not followed: give it as an input of its own")))
        found += [(Path(root, name), None) for name in files
                  if not name.startswith(".") and format_of(Path(name)) is not None]
    return sorted(found, key=lambda item: item[0])


def _os_reason(error: OSError, path: Path) -> str:
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
    _check_size(len(page.text.encode("utf-8")), max_article_bytes, "article text")
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
                _check_size(len(archived.body), max_article_bytes * HTML_MARKUP_ALLOWANCE, "HTML page")
                html, encoding = decode_page(archived.body, charset_of(archived.content_type))
                page = read_page(html)
                _check_size(len(page.text.encode("utf-8")), max_article_bytes, "article text")
            except InputError as error:
                yield ArticleStatus(id=article_id_for(url), source=where, status=error.status, reason=str(error))
                continue
            outlet = _optional_text(archived.metadata.get("outlet"))
            yield RawArticle(
                id=article_id_for(url),
                source=Source(path=str(path), sha256=hashlib.sha256(archived.body).hexdigest(), format="warc",
                              record=archived.record_id),
                text=page.text, title=page.title, url=url,
                published=_optional_text(archived.metadata.get("published")) or page.published,
                outlet=outlet or outlet_for(page.site_name, page.title_line, url), encoding=encoding)
    except DamagedArchive as damage:
        yield ArticleStatus(id=article_id(f"{path.name}-damaged"), source=str(path), status="failed",
                            reason=f"{damage}; the {damage.read} article(s) before it were read")


def _read_bytes(path: Path, fmt: SourceFormat, max_article_bytes: int) -> bytes:
    """The file's bytes, unless it is not a regular file (a pipe would block the run) or too
    large to hold one article (checked before reading: a huge file is never loaded)."""
    try:
        info = os.stat(path)  # before opening: opening a named pipe would wait for a writer
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if fmt == "html":
            _check_size(info.st_size, max_article_bytes * HTML_MARKUP_ALLOWANCE, "HTML file")
        elif fmt not in ("jsonl", "warc"):  # these hold many articles: each is checked on its own
            _check_size(info.st_size, max_article_bytes, "file")
        return path.read_bytes()
    except OSError as error:
        raise InputError(_os_reason(error, path)) from error


def _check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise TooLarge(f"too large: {what} of {_megabytes(size)}, over the limit of {_megabytes(limit)} "
                       "(max_article_bytes, TRNEWS_MAX_ARTICLE_BYTES)")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def plain_text(text: str) -> str:
    """NFC-normalised text with `\n` line breaks and no control characters but newline and tab."""
    return _CONTROL_CHARACTERS.sub("", _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text)))


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not) or a legacy Turkish code page, then make it `plain_text`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return plain_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError("binary data, not text (contains NUL bytes)")
    # The default mess threshold (0.2) rejects short, quote-rich Turkish news; random bytes score far above 0.5.
    best = from_bytes(data, cp_isolation=LEGACY_TURKISH_ENCODINGS, threshold=0.5).best()
    if best is None:
        raise InputError(
            "cannot decode as text: not valid UTF-8, Windows-1254 or ISO-8859-9 (binary or corrupted file?)"
        )
    return plain_text(str(best)), best.encoding


def decode_page(data: bytes, charset: str | None) -> tuple[str, str]:
    """A web page's text and encoding: the charset its server declared, when the bytes are
    that, else as a file's (`decode`)."""
    if charset:
        try:
            return plain_text(data.decode(charset)), codecs.lookup(charset).name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def charset_of(content_type: str) -> str | None:
    """The `charset` parameter of a Content-Type header, if any."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


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
    return PageText(text, _optional_text(getattr(document, "title", None)), _optional_text(getattr(document, "date", None)),
                    _optional_text(getattr(document, "sitename", None)), _optional_text(getattr(document, "url", None)),
                    _optional_text(title_line))


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
            _check_size(len(body.encode("utf-8", errors="replace")), max_article_bytes, "article text")
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
            title=_optional_text(record.get("title")),
            url=_optional_text(record.get("url")),
            published=_optional_text(record.get("published")),
            outlet=_optional_text(record.get("outlet")) or outlet_for(
                None, _optional_text(record.get("title")), _optional_text(record.get("url"))),
            encoding=encoding,
        )


def _optional_text(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return plain_text(str(value)).strip()


def article_id(name: str) -> str:
    """A filesystem- and URL-safe id: Turkish letters transliterated, the rest of `[a-z0-9_-]`."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", to_ascii(name)).strip("-_")
    return re.sub(r"-{2,}", "-", slug) or "article"


def _unique(candidate: str, used: set[str]) -> str:
    unique, n = candidate, 1
    while unique in used:
        n += 1
        unique = f"{candidate}-{n}"
    used.add(unique)
    return unique
