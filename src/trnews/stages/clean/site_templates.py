"""Site templates learned from the corpus: what recurs across many articles of one source.

A batch sees many pages of the same site. Lines that recur across many of its articles (a
"PAYLAŞ A" footer, a slogan, a newsletter prompt), and prefixes or suffixes glued onto an
article's first or last line, are that site's template, as web-scale corpus pipelines (CCNet,
RefinedWeb, datatrove) find boilerplate by cross-document line repetition. `TemplateStats`
keeps the counts in SQLite in the cache folder, so what earlier runs saw helps a single new
article tonight; `template_for` hands `clean_article` a small `SiteTemplate` holding only this
article's verdicts, so the clean stage's cache key changes only when those verdicts change.

Decisions worth knowing:

* Source: the URL's host when the article has a URL ("www." dropped), else the JSONL file for
  JSONL articles, else the folder the file is in. Pages of one site scraped into one folder
  share a source.
* Each distinct document (by the sha256 of its source bytes) is counted once per source, ever:
  re-running the same corpus does not inflate counts.
* Pieces are compared by a key: folded (Turkish letters to ASCII, lower case), digits as "0",
  whitespace collapsed, so "18 Şubat 2018 PAYLAŞ" and "1 Kasım 2016 PAYLAŞ" differ only in the
  month. Whole lines of at most `MAX_TEMPLATE_LINE_WORDS` words are counted, and the first and
  last `MAX_AFFIX_TOKENS` tokens of an article's first and last line (where page headers and
  footers get glued on when a page is flattened).
* A line is template when it recurs in at least `MIN_TEMPLATE_DOCS` documents and
  `MIN_TEMPLATE_SHARE` of the source's documents, and it is not an article sentence
  (`trnews.stages.clean.prose.is_article_sentence`): a real sentence republished word for word stays. An
  affix needs `MIN_AFFIX_SHARE` of the documents and may not reach into a sentence (no token of
  it ends one), so the text's own recurring words are never cut.
* SQLite in WAL mode with a busy timeout, one transaction per `observe`: two processes can
  observe and read at once.
* A source's verdicts change only when its counts do, which happens only when it gets a new
  document: `versions` names each source's counts (the database's generation and the source's
  document count), so a run can tell that an unchanged article's verdicts still hold without
  judging it again.
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from trnews.database import SqliteStore, open_database, transaction
from trnews.records import RawArticle
from trnews.stages.clean.layout import Line, split_lines
from trnews.stages.clean.prose import closes_sentence, is_article_sentence
from trnews.text.turkish import fold

__all__ = ["SiteTemplate", "TemplateStats", "source_of", "template_key", "article_lines"]

MAX_TEMPLATE_LINE_WORDS = 30
MAX_AFFIX_TOKENS = 8
MIN_TEMPLATE_DOCS = 3
MIN_TEMPLATE_SHARE = 0.1
# Affixes cut into a line that is otherwise kept, so they need more evidence than whole lines.
MIN_AFFIX_SHARE = 0.2
MIN_AFFIX_LETTERS = 3

_DIGIT = re.compile(r"\d")
LINE, PREFIX, SUFFIX = "line", "prefix", "suffix"


class SiteTemplate(BaseModel):
    """The template pieces of one article's source that occur in this article, as keys
    (`template_key`): whole lines, and at most one prefix of its first line and one suffix of
    its last line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    lines: tuple[str, ...] = ()
    prefix: str | None = None
    suffix: str | None = None


# Statistics and verdicts each look a line up more than once: its key is made once.
@functools.lru_cache(maxsize=4096)
def template_key(text: str) -> str:
    """Folded, digits as "0", whitespace collapsed; token i is `text.split()[i]`'s key."""
    return " ".join(_DIGIT.sub("0", fold(text)).split())


def source_of(article: RawArticle) -> str:
    """The site an article belongs to (see the module docstring)."""
    if article.url:
        host = urlsplit(article.url if "//" in article.url else f"//{article.url}").hostname
        if host:
            return host.removeprefix("www.")
    path = Path(article.source.path)
    return str(path) if article.source.format == "jsonl" else str(path.parent)


def article_lines(article: RawArticle) -> list[Line]:
    """The lines the cleaner works on (the same split, so the keys agree)."""
    return split_lines(article.text, article.source.format)


def _affixes(line: str) -> Iterable[tuple[str, str]]:
    tokens = template_key(line).split()
    for size in range(1, min(MAX_AFFIX_TOKENS, len(tokens) - 1) + 1):
        yield PREFIX, " ".join(tokens[:size])
        yield SUFFIX, " ".join(tokens[-size:])


def _pieces(lines: Sequence[Line]) -> set[tuple[str, str]]:
    pieces = {(LINE, template_key(line.text)) for line in lines if len(line.text.split()) <= MAX_TEMPLATE_LINE_WORDS}
    if lines:
        pieces.update(kind_key for kind_key in _affixes(lines[0].text) if kind_key[0] == PREFIX)
        pieces.update(kind_key for kind_key in _affixes(lines[-1].text) if kind_key[0] == SUFFIX)
    return pieces


_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (sha256 TEXT, source TEXT, PRIMARY KEY (sha256, source));
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, docs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pieces (
    source TEXT, kind TEXT, key TEXT, docs INTEGER NOT NULL, PRIMARY KEY (source, kind, key)
);
-- Made once with the database: a rebuilt database starts its document counts again, and its
-- versions must not be mistaken for the old ones.
CREATE TABLE IF NOT EXISTS generation (id TEXT NOT NULL);
"""


def _name_generation(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO generation SELECT ? WHERE NOT EXISTS (SELECT 1 FROM generation)", (uuid.uuid4().hex[:12],))


class TemplateStats(SqliteStore):
    """Cross-document piece counts per source, in a SQLite file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        # One connection, used under a lock: tasks may call from several threads of one process.
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA, initialise=_name_generation)

    def observe(self, articles: Sequence[RawArticle]) -> None:
        """Count the pieces of every article not seen before (by source sha256) in its source."""
        with self._lock:
            self._observe(articles)

    def _observe(self, articles: Sequence[RawArticle]) -> None:
        with transaction(self._db):
            for article in articles:
                source = source_of(article)
                inserted = self._db.execute(
                    "INSERT OR IGNORE INTO documents VALUES (?, ?)", (article.source.sha256, source)
                ).rowcount
                if not inserted:
                    continue
                self._db.execute(
                    "INSERT INTO sources VALUES (?, 1) ON CONFLICT(source) DO UPDATE SET docs = docs + 1",
                    (source,),
                )
                self._db.executemany(
                    "INSERT INTO pieces VALUES (?, ?, ?, 1)"
                    " ON CONFLICT(source, kind, key) DO UPDATE SET docs = docs + 1",
                    [(source, kind, key) for kind, key in _pieces(article_lines(article))],
                )

    def versions(self) -> dict[str, str]:
        """The version of each source's counts: while it stays the same, so does every verdict
        `template_for` gives on that source's articles."""
        with self._lock:
            (generation,) = self._db.execute("SELECT id FROM generation").fetchone()
            rows = self._db.execute("SELECT source, docs FROM sources")
            return {source: f"{generation}.{docs}" for source, docs in rows}

    def template_for(self, article: RawArticle) -> SiteTemplate:
        """This article's template pieces, judged on the counts observed so far."""
        source = source_of(article)
        lines = article_lines(article)
        pieces = _pieces(lines)
        with self._lock:
            row = self._db.execute("SELECT docs FROM sources WHERE source = ?", (source,)).fetchone()
            total = row[0] if row else 0
            if total < MIN_TEMPLATE_DOCS or not pieces:
                return SiteTemplate(source=source)
            counts = self._counts(source, pieces)
        line_floor = max(MIN_TEMPLATE_DOCS, math.ceil(MIN_TEMPLATE_SHARE * total))
        affix_floor = max(MIN_TEMPLATE_DOCS, math.ceil(MIN_AFFIX_SHARE * total))
        template_lines = sorted({
            template_key(line.text) for line in lines
            if counts.get((LINE, template_key(line.text)), 0) >= line_floor and not is_article_sentence(line.text)
        })
        return SiteTemplate(
            source=source,
            lines=tuple(template_lines),
            prefix=_longest_affix(lines[0].text, PREFIX, counts, affix_floor),
            suffix=_longest_affix(lines[-1].text, SUFFIX, counts, affix_floor),
        )

    def _counts(self, source: str, pieces: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for kind in (LINE, PREFIX, SUFFIX):
            keys = [key for piece_kind, key in pieces if piece_kind == kind]
            # SQLite caps the number of query parameters; ask in chunks.
            for start in range(0, len(keys), 500):
                chunk = keys[start: start + 500]
                marks = ",".join("?" * len(chunk))
                counts.update(
                    ((kind, key), docs) for key, docs in self._db.execute(
                        f"SELECT key, docs FROM pieces WHERE source = ? AND kind = ? AND key IN ({marks})",
                        (source, kind, *chunk),
                    )
                )
        return counts

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _longest_affix(line: str, kind: str, counts: dict[tuple[str, str], int], floor: int) -> str | None:
    """The longest recurring prefix (or suffix) of `line` that reaches into no sentence: a
    page header or footer glued onto the text, not the text's own recurring words."""
    words = line.split()
    best = None
    for size in range(1, min(MAX_AFFIX_TOKENS, len(words) - 1) + 1):
        piece = words[:size] if kind == PREFIX else words[-size:]
        if any(closes_sentence(word) for word in piece):
            break
        key = template_key(" ".join(piece))
        # A lone letter ("A") recurs at the end of many lines; alone it is no evidence.
        if counts.get((kind, key), 0) >= floor and sum(ch.isalpha() for ch in key) >= MIN_AFFIX_LETTERS:
            best = key
    return best
