"""Write: per-article JSON, Markdown and HTML, the batch index, the run's digest and its report.

Article files live in `articles/` under the output folder, so that no article id (an input
named `index.txt`, or `digest-2026-11-23.txt`) can collide with the index, a digest or a run
report. Every file is written atomically (temp file in the same folder, then rename), so the
output folder never holds a half-written file, and forced to disk (fsync) before the run counts
it as written; a folder that cannot be written raises
`OutputFolderError`. Article text is untrusted: the Markdown escapes HTML and link syntax.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from trnews.output.html import (
    render_article_html,
    render_digest_html,
    render_index_html,
    render_stories_html,
)
from trnews.records import (
    ArticleOutput,
    ArticleStatus,
    ModelsUsed,
    RunReport,
    SentencePair,
    Story,
    StorySentence,
    TranslatedArticle,
)
from trnews.errors import TrnewsError

log = logging.getLogger(__name__)

ARTICLES = "articles"  # the folder of the per-article files, under the output folder
INDEX = "index.json"


class OutputFolderError(TrnewsError, OSError):
    """A file could not be written into the output folder; the message says which and why."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


_WHY_NOT_WRITTEN = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENOTDIR: "a file stands where a folder is needed",
    errno.EEXIST: "a file stands where a folder is needed",
    errno.EISDIR: "a folder stands where the file should be",
}


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def atomic_write_text(path: Path, text: str, sync: bool = True) -> bool:
    """Write `text` to `path` atomically; `OutputFolderError` if the folder refuses it. A file that
    already holds exactly `text` is left alone (a rerun that changes nothing rewrites nothing);
    returns whether it wrote. With `sync=False` the caller forces it to disk (`sync_files`)."""
    if _holds(path, text.encode("utf-8")):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _not_written(path, error) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            if sync:
                os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise _not_written(path, error) from error
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


def sync_files(paths: Sequence[Path]) -> None:
    """Force `paths`, and the folders that name them, to disk, many at once: the file system then
    commits them in a few journal transactions instead of one each (the cost of writing an
    article's three files one fsync at a time exceeded the rest of writing them).
    `OutputFolderError` names the first that failed."""
    targets = list(dict.fromkeys([*paths, *(path.parent for path in paths)]))
    if targets:
        with ThreadPoolExecutor(max_workers=min(16, len(targets))) as pool:
            list(pool.map(_sync, targets))


def _sync(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as error:
        raise _not_written(path, error) from error


def remove_leftover_temp_files(output_dir: Path) -> int:
    """Delete the temp files of `atomic_write_text` that a killed run left behind. Call it only
    while holding the output folder's run lock: then no other run is writing there."""
    leftovers = [*output_dir.glob(".*.tmp"), *(output_dir / ARTICLES).glob(".*.tmp")]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


def _not_written(path: Path, error: OSError) -> OutputFolderError:
    why = _WHY_NOT_WRITTEN.get(error.errno or 0, (error.strerror or str(error)).lower())
    return OutputFolderError(error.errno, f"cannot write {path}: {why} (output folder: {path.parent})")


def article_path(output_dir: Path, article_id: str, suffix: str) -> Path:
    """Where an article's `.json`, `.md` or `.html` file is."""
    return output_dir / ARTICLES / f"{article_id}{suffix}"


def build_output(article: TranslatedArticle, summary: Sequence[SentencePair], models: ModelsUsed) -> ArticleOutput:
    clean = article.article
    return ArticleOutput(
        id=clean.id,
        source=clean.source,
        url=clean.url,
        title=article.title,
        published=clean.published,
        updated=clean.updated,
        credits=clean.credits,
        language=clean.language,
        summary=list(summary),
        paragraphs=article.paragraphs,
        removed=clean.removed,
        models=models,
        timings=clean.timings,
    )


# Markdown (and the HTML that Markdown passes through) that untrusted text must not form: tags
# and entities, links and images (`[x](javascript:...)`), emphasis and code spans that would
# swallow what follows, and table cell separators.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown on one line: renders as exactly this text, never as
    HTML, a link or a table cell boundary."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
    return html.escape(escaped, quote=False)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return markdown_text(text) or " "


def _table(rows: Sequence[SentencePair], heading: bool = False) -> list[str]:
    mark = "**" if heading else ""
    return [f"| {mark}{_cell(r.tr)}{mark} | {mark}{_cell(r.en)}{mark} |" for r in rows]


_TABLE_HEAD = ["| Türkçe | English |", "| --- | --- |"]


def _story_table(summary: Sequence[StorySentence], story: Story, folder: str) -> list[str]:
    """The story summary with, for each sentence, links to the articles (outlets) that carried it;
    `folder` leads from the page to the article files."""
    def sources(ids: Sequence[str]) -> str:
        return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({folder}{i}.md)" for i in ids)
    return ["| Türkçe | English | Kaynak · From |", "| --- | --- | --- |",
            *(f"| {_cell(r.tr)} | {_cell(r.en)} | {sources(r.article_ids)} |" for r in summary)]


def _other_versions(story: Story, article_id: str) -> str:
    return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({i}.md)" for i in story.article_ids if i != article_id)


def render_markdown(output: ArticleOutput, story: Story | None = None) -> str:
    lines = [f"# {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", ""]
    facts = [f"Published: {markdown_text(output.published)}" if output.published else None,
             f"Credits: {markdown_text('; '.join(output.credits))}" if output.credits else None,
             f"Source: {markdown_text(output.source.path)}"]
    lines += [" · ".join(f for f in facts if f), ""]
    if story and len(story.article_ids) > 1:
        # The story's Turkish title is known when the article is written; its English one only once
        # every member is translated, and the page is not written again for that.
        lines += [f"Story: [{_cell(story.title.tr)}](../stories.html#{story.id}) · "
                  f"also reported by {_other_versions(story, output.id)}", ""]
    lines += ["## Summary / Özet", "", *_TABLE_HEAD, *_table(output.summary),
              "", "## Full article / Haberin tamamı", "", *_TABLE_HEAD]
    for paragraph in output.paragraphs:
        lines += _table(paragraph.sentences, heading=paragraph.kind == "heading")
    models = f"Translated by {output.models.mt.id} · summary: {output.models.summariser.id}"
    lines += ["", f"<sub>{markdown_text(models)}</sub>", ""]
    return "\n".join(lines)


def write_article(output: ArticleOutput, output_dir: Path, story: Story | None = None, sync: bool = True) -> list[Path]:
    """`articles/<id>.json`, `.md` and `.html`; with the article's `story`, the pages link to it and
    to the other outlets' versions. `OutputFolderError` if they cannot be written. Returns the
    files it wrote (an unchanged file is not rewritten); with `sync=False` the caller forces them
    to disk (`sync_files`) before recording the article as written."""
    contents = {
        article_path(output_dir, output.id, ".json"): output.model_dump_json(indent=2) + "\n",
        article_path(output_dir, output.id, ".md"): render_markdown(output, story),
        article_path(output_dir, output.id, ".html"): render_article_html(output, story),
    }
    return [path for path, text in contents.items() if atomic_write_text(path, text, sync)]


def article_status(output: ArticleOutput, processed_at: str | None) -> ArticleStatus:
    """The index row of an article that was written."""
    return ArticleStatus(
        id=output.id, source=output.source.path, status="ok", title_en=output.title.en, title_tr=output.title.tr,
        published=output.published, first_summary_sentence=output.summary[0].en if output.summary else None,
        processed_at=processed_at,
    )


def digest_names(output_dir: Path) -> list[str]:
    """The digests in the output folder, newest first, by name without suffix (`digest-YYYY-MM-DD`)."""
    return sorted((path.stem for path in output_dir.glob("digest-*.md")), reverse=True)


def render_index(statuses: Sequence[ArticleStatus], digests: Sequence[str] = ()) -> str:
    lines = ["# trnews index", "", "| id | English title | first summary sentence | status |", "| --- | --- | --- | --- |"]
    for s in statuses:
        link = f"[{s.id}]({ARTICLES}/{s.id}.md)" if s.status == "ok" else markdown_text(s.id)
        status = s.status if not s.reason else f"{s.status}: {s.reason}"
        lines.append(f"| {link} | {_cell(s.title_en or '')} | {_cell(s.first_summary_sentence or '')} | {_cell(status)} |")
    if digests:
        lines += ["", "## Digests / Günün özetleri", "", *(f"- [{name}]({name}.md)" for name in digests)]
    return "\n".join(lines) + "\n"


def read_index(output_dir: Path) -> list[ArticleStatus]:
    """Every article the output folder has a row for (from `index.json`), empty if none yet. A
    damaged index is not fatal: its rows are rebuilt from the article files."""
    path = output_dir / INDEX
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(rows, list):
            raise ValueError(f"a JSON list of rows expected, not {type(rows).__name__}")
        return [ArticleStatus.model_validate(row) for row in rows]
    except (OSError, ValueError) as error:  # JSONDecodeError, UnicodeDecodeError, ValidationError
        log.warning("%s is damaged (%s); rebuilding it from %s", path, _first_line(error), output_dir / ARTICLES)
        return rebuilt_index(output_dir)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def rebuilt_index(output_dir: Path) -> list[ArticleStatus]:
    """Index rows for the article files in `articles/` (each dated by its file's time); files
    that are not readable article records are left out."""
    rows = []
    for path in sorted((output_dir / ARTICLES).glob("*.json")):
        try:
            output = ArticleOutput.model_validate_json(path.read_bytes())
            written = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
        except (OSError, ValidationError) as error:
            log.warning("%s is not an article record (%s); left out of the index", path, _first_line(error))
            continue
        rows.append(article_status(output, written))
    return rows


def write_index(statuses: Sequence[ArticleStatus], output_dir: Path) -> list[ArticleStatus]:
    """Merge this run's rows into the folder's index (a row per article id, the newest wins) and
    write it as `index.json`, `index.md` and `index.html`, newest first. Returns the merged rows."""
    merged = {row.id: row for row in read_index(output_dir)}
    merged.update((row.id, row) for row in statuses)
    rows = sorted(merged.values(), key=lambda r: (r.processed_at or "", r.id), reverse=True)
    atomic_write_text(output_dir / INDEX,
                      json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False) + "\n")
    _write_index_pages(rows, output_dir)
    return rows


def _write_index_pages(rows: Sequence[ArticleStatus], output_dir: Path) -> None:
    digests = digest_names(output_dir)
    atomic_write_text(output_dir / "index.md", render_index(rows, digests))
    atomic_write_text(output_dir / "index.html", render_index_html(rows, digests))


def _newest_first(outputs: Sequence[ArticleOutput]) -> list[ArticleOutput]:
    return sorted(outputs, key=lambda o: (o.published or "", o.id), reverse=True)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def stories_first(outputs: Sequence[ArticleOutput], stories: Sequence[Story]) -> tuple[list[Story], list[ArticleOutput]]:
    """What a digest lists: the stories that more than one article reported, with at least one
    article among `outputs`, biggest first; then the other articles, in their order."""
    ids = {o.id for o in outputs}
    shared = [s for s in stories if len(s.article_ids) > 1 and ids.intersection(s.article_ids)]
    shared.sort(key=lambda s: len(s.article_ids), reverse=True)
    in_stories = {i for s in shared for i in s.article_ids}
    return shared, [o for o in outputs if o.id not in in_stories]


def render_digest_markdown(outputs: Sequence[ArticleOutput], day: date, stories: Sequence[Story] = ()) -> str:
    """The digest: `stories` first (as `stories_first` picks them), then `outputs`, the articles
    no listed story holds, each with its bilingual summary."""
    lines = [f"# trnews digest · Günün özeti · {day.isoformat()}", ""]
    if stories:
        lines += [f"{_count(len(stories), 'story', 'stories')} reported by several outlets, biggest first, then "
                  f"{_count(len(outputs), 'other article')}, newest first.", ""]
    else:
        lines += [f"{_count(len(outputs), 'article')}, newest first.", ""]
    for story in stories:
        dates = " – ".join(dict.fromkeys(d[:10] for d in (story.first_published, story.last_published) if d))
        articles = " · ".join(f"[{_cell(story.article_outlets.get(i, i))}]({ARTICLES}/{i}.md)" for i in story.article_ids)
        lines += [f"## {markdown_text(story.title.en or story.title.tr)}", "", f"*{markdown_text(story.title.tr)}*", "",
                  f"{_count(len(story.article_ids), 'article')} · {dates} · Sources: {_cell('; '.join(story.sources))}",
                  "", f"Articles: {articles}", "", *_story_table(story.summary, story, f"{ARTICLES}/"), ""]
    for output in outputs:
        facts = [f"Published: {markdown_text(output.published)}" if output.published else None,
                 f"[full article]({ARTICLES}/{output.id}.md)"]
        lines += [f"## {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", "",
                  " · ".join(f for f in facts if f), "", *_TABLE_HEAD, *_table(output.summary), ""]
    return "\n".join(lines)


def write_digest(outputs: Sequence[ArticleOutput], day: date, output_dir: Path, stories: Sequence[Story] = ()) -> Path:
    """`digest-<day>.md` and `.html`: the stories that several of the day's articles reported,
    biggest first, each with its outlets and story summary, then every other article, newest
    first, with its bilingual summary. A later run on the same day replaces them. The index pages
    list the digests there are when they are written (`write_index`): write the digest first."""
    shared, others = stories_first(_newest_first(outputs), stories)
    path = output_dir / f"digest-{day.isoformat()}.md"
    atomic_write_text(path, render_digest_markdown(others, day, shared))
    atomic_write_text(path.with_suffix(".html"), render_digest_html(others, day, shared))
    return path


def read_stories(output_dir: Path) -> list[Story]:
    """The stories of the output folder's `stories.json`, empty if none yet."""
    path = output_dir / "stories.json"
    if not path.exists():
        return []
    return [Story.model_validate(row) for row in json.loads(path.read_text(encoding="utf-8"))]


def write_stories(stories: Sequence[Story], output_dir: Path) -> list[Path]:
    """`stories.json` (the list of stories as given) and `stories.html` (those reported by more than
    one article, biggest first: the page article pages link to)."""
    json_path, html_path = output_dir / "stories.json", output_dir / "stories.html"
    atomic_write_text(json_path, json.dumps([s.model_dump(mode="json") for s in stories], indent=2,
                                            ensure_ascii=False) + "\n")
    shared = sorted((s for s in stories if len(s.article_ids) > 1), key=lambda s: len(s.article_ids), reverse=True)
    atomic_write_text(html_path, render_stories_html(shared))
    return [json_path, html_path]


def write_run_report(report: RunReport, output_dir: Path) -> Path:
    """`run-<finish time, UTC>-<flow run id>.json`: the names sort by time, one file per flow run."""
    stamp = report.finished.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = output_dir / f"run-{stamp}{f'-{report.flow_run_id}' if report.flow_run_id else ''}.json"
    atomic_write_text(path, report.model_dump_json(indent=2) + "\n")
    return path
