"""Ingest: turn files and folders into decoded, NFC-normalised `RawArticle`s.

Supported: `.txt`, `.md`/`.markdown`, `.html`/`.htm` (visible article text, via trafilatura),
`.jsonl` (one article per line: `id`, `title`, `text`, optional `url`, `published`, `outlet`) and
`.warc.gz`/`.warc` (the pages `trnews fetch` archived, read back as HTML pages are; an article
archived again, by a refetch, is read from its latest file).
Every article gets its outlet: the one a JSONL line or the fetch named, else the page's site name
(`og:site_name`), else its title's site-name suffix, else its URL's host.
A path that cannot be read at all (missing, a symlink loop or broken link, no permission) is an
`InputProblem` of the run, not an article; a file that is read but holds no usable article (an
undecodable or empty file, a bad JSONL line) becomes a failed `ArticleStatus` with a plain reason,
and an article over the size limit a skipped one, before any model sees it; none of them stops
the rest of the batch. `article_files` finds the files alone, for checks before a run starts.
Control characters other than newline and tab never get past ingest.
"""


from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trnews.config import DEFAULT_MAX_ARTICLE_BYTES
from trnews.records import ArticleStatus, InputProblem, RawArticle
from trnews.stages.ingest.decoding import InputError, UnreadablePath
from trnews.stages.ingest.files import format_of, os_reason, read_file
from trnews.text.ids import article_id, bounded


@dataclass
class IngestResult:
    articles: list[RawArticle] = field(default_factory=list)
    problems: list[ArticleStatus] = field(default_factory=list)
    unreadable: list[InputProblem] = field(default_factory=list)


def ingest_paths(paths: Sequence[str | Path], max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> IngestResult:
    """Read every supported file under `paths` (folders recursively), in a stable order.

    Ids come from file stems (or JSONL `id` fields), are sanitised to `[a-z0-9_-]`, bounded
    (`trnews.text.ids`) and made unique within the batch by suffixing `-2`, `-3`, … in path
    order, so they are stable across runs over the same inputs. An article of more than `max_article_bytes` (UTF-8) is
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
        except UnreadablePath as error:
            result.unreadable.append(InputProblem(path=str(path), reason=str(error)))
            continue
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


def article_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[InputProblem]]:
    """The files under `paths` that ingest would read (supported, there, not known unreadable),
    and the paths that cannot be read; no file is opened."""
    files, unreadable = [], []
    for path, unusable in _discover(paths):
        if unusable is None:
            try:
                os.stat(path)  # a broken link or a loop inside a folder
            except OSError as error:
                unusable = UnreadablePath(os_reason(error, path))
        if unusable is not None:
            unreadable.append(InputProblem(path=str(path), reason=str(unusable)))
        elif format_of(path) is not None:
            files.append(path)
    return files, unreadable


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
            yield path, UnreadablePath(os_reason(error, path))
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
        found.append((where, UnreadablePath(f"cannot read folder: {os_reason(error, where)}")))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders:
            if os.path.islink(os.path.join(root, name)):
                found.append((Path(root, name), UnreadablePath(
                    "symlink to a folder inside a folder, not followed: give it as an input of its own")))
        found += [(Path(root, name), None) for name in files
                  if not name.startswith(".") and format_of(Path(name)) is not None]
    return sorted(found, key=lambda item: item[0])


def _unique(candidate: str, used: set[str]) -> str:
    unique, n = candidate, 1
    while unique in used:
        n += 1
        unique = bounded(f"{candidate}-{n}")
    used.add(unique)
    return unique
