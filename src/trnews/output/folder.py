"""Reading and writing the output folder: articles (JSON, Markdown, HTML), the index, the stories,
the day's digest and the run reports.

Every file goes through `files.atomic_write_text` and is read back through `files.read_back`
(no symlink followed). Every reader is tolerant of a damaged file: a damaged index is rebuilt
from the article files, a damaged article file reads as absent (the manifest then counts the
article as changed, and it is written again), a damaged `stories.json` reads as `None` so that
the run rebuilds it from the story store, a damaged run report is left out; each says which
file it found damaged, in one line of the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from trnews.output.files import DamagedFile, atomic_write_text, read_back
from trnews.output.html import render_article_html, render_digest_html, render_index_html, render_stories_html
from trnews.output.markdown import render_article_markdown, render_digest_markdown, render_index_markdown
from trnews.output.paths import (
    ARTICLE_SUFFIXES,
    ARTICLES,
    article_path,
    digest_names,
    digest_path,
    index_path,
    is_article_id,
    report_path,
    stories_path,
)
from trnews.output.public import source_name
from trnews.records import ArticleOutput, ArticleStatus, DigestEntry, RunReport, Story
from trnews.text.dates import moment

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def write_article(output: ArticleOutput, output_dir: Path, story: Story | None = None, sync: bool = True) -> list[Path]:
    """`articles/<id>.json`, `.md` and `.html`; with the article's `story`, the pages link to it and
    to the other outlets' versions. `OutputFolderError` if they cannot be written. Returns the
    files it wrote (an unchanged file is not rewritten); with `sync=False` the caller forces them
    to disk (`files.sync_files`) before recording the article as written."""
    contents = {
        article_path(output_dir, output.id, ".json"): output.model_dump_json(indent=2) + "\n",
        article_path(output_dir, output.id, ".md"): render_article_markdown(output, story),
        article_path(output_dir, output.id, ".html"): render_article_html(output, story),
    }
    return [path for path, text in contents.items() if atomic_write_text(path, text, sync)]


def load_article(output_dir: Path, article_id: str) -> ArticleOutput:
    """The article's record; `FileNotFoundError` when there is none, `DamagedFile` when it cannot
    be read as the record of that article."""
    path = article_path(output_dir, article_id, ".json")
    output = read_back(path, ArticleOutput.model_validate_json)
    if output.id != path.stem:
        raise DamagedFile(f"{path} is damaged (it holds the record of {output.id!r})")
    return output


def read_article(output_dir: Path, article_id: str) -> ArticleOutput | None:
    """The article's record, or None when there is none or it is damaged (logged)."""
    try:
        return load_article(output_dir, article_id)
    except FileNotFoundError:
        return None
    except DamagedFile as damage:
        log.warning("%s; it is left out until the article is written again", damage)
        return None


def article_status(output: ArticleOutput, processed_at: str | None) -> ArticleStatus:
    """The index row of an article that was written."""
    return ArticleStatus(
        id=output.id, source=output.source.path, status="ok", title_en=output.title.en, title_tr=output.title.tr,
        published=output.published, updated=None if output.published else output.updated,
        first_summary_sentence=output.summary[0].en if output.summary else None,
        flagged=sum(1 for paragraph in output.paragraphs for pair in paragraph.sentences if pair.flags),
        processed_at=processed_at,
    )


def read_index(output_dir: Path) -> list[ArticleStatus]:
    """Every article the output folder has a row for (from `index.json`), empty if none yet. A
    damaged index is not fatal: its rows are rebuilt from the article files."""
    try:
        return read_back(index_path(output_dir, ".json"), lambda data: _json_list(data, ArticleStatus))
    except FileNotFoundError:
        return []
    except DamagedFile as damage:
        log.warning("%s; rebuilding it from %s", damage, output_dir / ARTICLES)
        return rebuilt_index(output_dir)


def _json_list(data: bytes, model: type[M]) -> list[M]:
    """A JSON list of `model` records; `ValueError` when `data` is not one."""
    rows = json.loads(data)
    if not isinstance(rows, list):
        raise ValueError(f"a JSON list expected, not {type(rows).__name__}")
    return [model.model_validate(row) for row in rows]


def rebuilt_index(output_dir: Path) -> list[ArticleStatus]:
    """Index rows for the article files in `articles/` (each dated by its file's time); files
    that are not readable article records are left out."""
    rows = []
    for path in sorted((output_dir / ARTICLES).glob("*.json")):
        output = read_article(output_dir, path.stem)
        if output is None:
            continue
        written = datetime.fromtimestamp(path.lstat().st_mtime, timezone.utc).isoformat(timespec="seconds")
        rows.append(article_status(output, written))
    return rows


def write_index(statuses: Sequence[ArticleStatus], output_dir: Path) -> list[ArticleStatus]:
    """Merge this run's rows into the folder's index (a row per article id, the newest wins) and
    write it as `index.json`, `index.md` and `index.html`, by date, newest first (`index_order`).
    Returns the merged rows."""
    merged = {row.id: row for row in read_index(output_dir)}
    merged.update((row.id, row) for row in statuses)
    return _write_index_files(merged.values(), output_dir)


def forget_articles(output_dir: Path, article_ids: Sequence[str]) -> list[str]:
    """Drop `article_ids` from the index and delete their files (`articles/<id>.*`); returns
    those the folder had (a row or a file)."""
    rows = read_index(output_dir)
    # An id is the user's typing: "../index" is no article (`article_path`) and deletes nothing.
    known = [i for i in article_ids if is_article_id(i) and (
             any(r.id == i for r in rows) or any(article_path(output_dir, i, s).exists() for s in ARTICLE_SUFFIXES))]
    if known:
        _write_index_files([r for r in rows if r.id not in known], output_dir)
        for article_id in known:
            for suffix in ARTICLE_SUFFIXES:
                article_path(output_dir, article_id, suffix).unlink(missing_ok=True)
    return known


def _write_index_files(merged: Iterable[ArticleStatus], output_dir: Path) -> list[ArticleStatus]:
    rows = sorted((row.model_copy(update={"source": source_name(row.source)}) for row in merged), key=index_order,
                  reverse=True)
    atomic_write_text(index_path(output_dir, ".json"),
                      json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False) + "\n")
    digests, stories_page = digest_names(output_dir), stories_path(output_dir, ".html").exists()
    atomic_write_text(index_path(output_dir, ".md"), render_index_markdown(rows, digests, stories_page))
    atomic_write_text(index_path(output_dir, ".html"), render_index_html(rows, digests, stories_page))
    return rows


_UNDATED = datetime.min.replace(tzinfo=timezone.utc)


def index_order(row: ArticleStatus) -> tuple[datetime, str]:
    """Where a row goes in the index: by its article's publication date, else its last update,
    else when it was processed (a failed input has no other); ties by id."""
    when = moment(row.published) or moment(row.updated) or moment(row.processed_at)
    return when or _UNDATED, row.id


def stories_first(entries: Sequence[DigestEntry], stories: Sequence[Story]) -> tuple[list[Story], list[DigestEntry]]:
    """What a digest lists: the stories that more than one article reported, with at least one
    article among `entries`, biggest first; then the other articles, in their order."""
    ids = {entry.id for entry in entries}
    shared = [s for s in stories if len(s.article_ids) > 1 and ids.intersection(s.article_ids)]
    shared.sort(key=lambda s: len(s.article_ids), reverse=True)
    in_stories = {i for s in shared for i in s.article_ids}
    return shared, [entry for entry in entries if entry.id not in in_stories]


def write_digest(entries: Sequence[DigestEntry], day: date, output_dir: Path, stories: Sequence[Story] = ()) -> Path:
    """`digest-<day>.md` and `.html`: the stories that several of the day's articles reported,
    biggest first, each with its outlets and story summary, then every other article, newest
    first, with its bilingual summary. A later run on the same day replaces them. The index pages
    list the digests there are when they are written (`write_index`): write the digest first."""
    newest_first = sorted(entries, key=lambda e: (e.published or "", e.id), reverse=True)
    shared, others = stories_first(newest_first, stories)
    path = digest_path(output_dir, day, ".md")
    atomic_write_text(path, render_digest_markdown(others, day, shared))
    atomic_write_text(digest_path(output_dir, day, ".html"), render_digest_html(others, day, shared))
    return path


def read_stories(output_dir: Path) -> list[Story] | None:
    """The stories of the output folder's `stories.json`: empty if none yet, None if it is
    damaged (logged; the next run rebuilds it from the story store)."""
    try:
        return load_stories(output_dir)
    except DamagedFile as damage:
        log.warning("%s", damage)
        return None


def load_stories(output_dir: Path) -> list[Story]:
    """The stories of the output folder's `stories.json`, empty if none yet; `DamagedFile`."""
    try:
        return read_back(stories_path(output_dir), lambda data: _json_list(data, Story))
    except FileNotFoundError:
        return []


def write_stories(stories: Sequence[Story], output_dir: Path) -> list[Path]:
    """`stories.json` (the list of stories as given) and `stories.html` (those reported by more than
    one article, biggest first: the page article pages link to)."""
    json_path, html_path = stories_path(output_dir), stories_path(output_dir, ".html")
    atomic_write_text(json_path, json.dumps([s.model_dump(mode="json") for s in stories], indent=2,
                                            ensure_ascii=False) + "\n")
    shared = sorted((s for s in stories if len(s.article_ids) > 1), key=lambda s: len(s.article_ids), reverse=True)
    atomic_write_text(html_path, render_stories_html(shared))
    return [json_path, html_path]


def write_run_report(report: RunReport, output_dir: Path) -> Path:
    path = report_path(output_dir, report.finished, report.flow_run_id)
    atomic_write_text(path, report.model_dump_json(indent=2) + "\n")
    return path


def read_run_reports(output_dir: Path, limit: int | None = None, flow_run_id: str | None = None) -> list[RunReport]:
    """The run reports in `output_dir` (of one flow run, with `flow_run_id`), newest first, at
    most `limit`; a damaged report is left out (logged)."""
    # The names start with the finish time in UTC (run-YYYYMMDDTHHMMSSZ-...), so they sort by time.
    reports: list[RunReport] = []
    for path in sorted(output_dir.glob(f"run-*-{flow_run_id}.json" if flow_run_id else "run-*.json"), reverse=True):
        if limit is not None and len(reports) >= limit:
            break
        try:
            reports.append(read_back(path, RunReport.model_validate_json))
        except FileNotFoundError:
            continue
        except DamagedFile as damage:
            log.warning("%s; it is left out", damage)
    return reports
