"""Ingest: turn files and folders into decoded, NFC-normalised `RawArticle`s.

Supported: `.txt`, `.md`/`.markdown`, `.html`/`.htm` (visible article text, via trafilatura) and
`.jsonl` (one article per line: `id`, `title`, `text`, optional `url`, `published`).
Anything that cannot be read becomes an `ArticleStatus` with a specific reason; it never stops
the rest of the batch.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from trnews.records import ArticleStatus, RawArticle, Source, SourceFormat
from trnews.turkish import to_ascii

FORMATS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}

# Turkish news still turns up in the pre-Unicode Turkish code pages. UTF-8 is tried strictly
# first; charset-normalizer then only chooses between these, so a Turkish page is never
# "detected" as, say, Mac Latin-2 (which it prefers for short Turkish texts when unrestricted).
LEGACY_TURKISH_ENCODINGS = ["cp1254", "iso8859_9"]


class InputError(ValueError):
    """An input that cannot become an article; the message says why, for the run report."""


@dataclass
class IngestResult:
    articles: list[RawArticle] = field(default_factory=list)
    problems: list[ArticleStatus] = field(default_factory=list)


def ingest_paths(paths: Sequence[str | Path]) -> IngestResult:
    """Read every supported file under `paths` (folders recursively), in a stable order.

    Ids come from file stems (or JSONL `id` fields), are sanitised to `[a-z0-9_-]` and made
    unique within the batch by suffixing `-2`, `-3`, … in path order, so they are stable
    across runs over the same inputs.
    """
    result = IngestResult()
    used_ids: set[str] = set()
    for path in _discover(paths):
        started = time.perf_counter()
        try:
            articles = list(read_file(path))
        except InputError as error:
            result.problems.append(
                ArticleStatus(id=_unique(article_id(path.stem), used_ids), source=str(path),
                              status="failed", reason=str(error))
            )
            continue
        elapsed = (time.perf_counter() - started) / max(len(articles), 1)
        for article in articles:
            if isinstance(article, ArticleStatus):
                article.id = _unique(article.id, used_ids)
                result.problems.append(article)
                continue
            article.id = _unique(article.id, used_ids)
            article.timings["ingest"] = round(elapsed, 4)
            result.articles.append(article)
    return result


def _discover(paths: Sequence[str | Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates: Iterable[Path] = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith(".")
            )
        else:
            candidates = [path]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield candidate


def read_file(path: Path) -> Iterator[RawArticle | ArticleStatus]:
    """Yield the articles in one file; raise `InputError` when the file as a whole is unusable."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}") from error
    if not data.strip():
        raise InputError("empty file")
    if fmt == "jsonl":
        yield from _read_jsonl(path, data)
        return
    text, encoding = decode(data)
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format=fmt)
    title = published = None
    if fmt == "html":
        text, title, published = html_to_text(text)
    yield RawArticle(id=article_id(path.stem), source=source, text=text, title=title,
                     published=published, encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not) or a legacy Turkish code page, then normalise to NFC."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
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
    return unicodedata.normalize("NFC", str(best)), best.encoding


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Visible article text of an HTML page, headings as Markdown `#` lines; plus title and date."""
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it

    document = trafilatura.bare_extraction(
        html, output_format="python", include_formatting=True, include_comments=False,
        include_tables=False, with_metadata=True, favor_recall=True,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise InputError("HTML page has no visible article text")
    return unicodedata.normalize("NFC", text), getattr(document, "title", None), getattr(document, "date", None)


def _read_jsonl(path: Path, data: bytes) -> Iterator[RawArticle | ArticleStatus]:
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
            if not isinstance(body, str) or not body.strip():
                raise InputError("missing or empty 'text' field")
        except (json.JSONDecodeError, InputError) as error:
            reason = f"invalid JSON: {error.msg}" if isinstance(error, json.JSONDecodeError) else str(error)
            yield ArticleStatus(id=fallback_id, source=f"{path}:{number}", status="failed", reason=reason)
            continue
        raw_id = record.get("id")
        yield RawArticle(
            id=article_id(str(raw_id)) if raw_id not in (None, "") else fallback_id,
            source=Source(path=str(path), sha256=hashlib.sha256(line.encode("utf-8")).hexdigest(),
                          format="jsonl", line=number),
            text=unicodedata.normalize("NFC", body),
            title=_optional_text(record.get("title")),
            url=_optional_text(record.get("url")),
            published=_optional_text(record.get("published")),
            encoding=encoding,
        )


def _optional_text(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


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
