"""Write: per-article JSON, Markdown and HTML, the batch index, the run's digest and its report.

Article files live in `articles/` under the output folder, so that no article id (an input
named `index.txt`, or `digest-2026-11-23.txt`) can collide with the index, a digest or a run
report. Every file is written atomically (temp file in the same folder, fsync, rename), so the
output folder never holds a half-written file; a folder that cannot be written raises
`OutputFolderError`. Article text is untrusted: the Markdown escapes HTML and link syntax.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from trnews.reader import render_article_html, render_digest_html, render_index_html
from trnews.records import ArticleOutput, ArticleStatus, ModelsUsed, RunReport, SentencePair, TranslatedArticle

log = logging.getLogger(__name__)

ARTICLES = "articles"  # the folder of the per-article files, under the output folder
INDEX = "index.json"


class OutputFolderError(OSError):
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


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically; `OutputFolderError` if the folder refuses it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _not_written(path, error) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise _not_written(path, error) from error
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


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
_HTML_SPECIALS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown on one line: renders as exactly this text, never as
    HTML, a link or a table cell boundary."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
    return "".join(_HTML_SPECIALS.get(char, char) for char in escaped)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return markdown_text(text) or " "


def _table(rows: Sequence[SentencePair], heading: bool = False) -> list[str]:
    mark = "**" if heading else ""
    return [f"| {mark}{_cell(r.tr)}{mark} | {mark}{_cell(r.en)}{mark} |" for r in rows]


_TABLE_HEAD = ["| Türkçe | English |", "| --- | --- |"]


def render_markdown(output: ArticleOutput) -> str:
    lines = [f"# {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", ""]
    facts = [f"Published: {markdown_text(output.published)}" if output.published else None,
             f"Credits: {markdown_text('; '.join(output.credits))}" if output.credits else None,
             f"Source: {markdown_text(output.source.path)}"]
    lines += [" · ".join(f for f in facts if f), "", "## Summary / Özet", "", *_TABLE_HEAD, *_table(output.summary),
              "", "## Full article / Haberin tamamı", "", *_TABLE_HEAD]
    for paragraph in output.paragraphs:
        lines += _table(paragraph.sentences, heading=paragraph.kind == "heading")
    models = f"Translated by {output.models.mt.id} · summary: {output.models.summariser.id}"
    lines += ["", f"<sub>{markdown_text(models)}</sub>", ""]
    return "\n".join(lines)


def write_article(output: ArticleOutput, output_dir: Path) -> list[Path]:
    """`articles/<id>.json`, `.md` and `.html`; `OutputFolderError` if they cannot be written."""
    paths = [article_path(output_dir, output.id, suffix) for suffix in (".json", ".md", ".html")]
    json_path, markdown_path, html_path = paths
    atomic_write_text(json_path, output.model_dump_json(indent=2) + "\n")
    atomic_write_text(markdown_path, render_markdown(output))
    atomic_write_text(html_path, render_article_html(output))
    return paths


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


def render_digest_markdown(outputs: Sequence[ArticleOutput], day: date) -> str:
    lines = [f"# trnews digest · Günün özeti · {day.isoformat()}", "",
             f"{len(outputs)} {'article' if len(outputs) == 1 else 'articles'}, newest first.", ""]
    for output in outputs:
        facts = [f"Published: {markdown_text(output.published)}" if output.published else None,
                 f"[full article]({ARTICLES}/{output.id}.md)"]
        lines += [f"## {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", "",
                  " · ".join(f for f in facts if f), "", *_TABLE_HEAD, *_table(output.summary), ""]
    return "\n".join(lines)


def write_digest(outputs: Sequence[ArticleOutput], day: date, output_dir: Path) -> Path:
    """`digest-<day>.md` and `.html`: every article the run wrote, newest first, with its bilingual
    summary. A later run on the same day replaces them (a run over the same inputs reuses the
    earlier one's cached work and lists its articles again, with any new ones). The index pages
    are written again with the new digest in their list."""
    ordered = _newest_first(outputs)
    path = output_dir / f"digest-{day.isoformat()}.md"
    atomic_write_text(path, render_digest_markdown(ordered, day))
    atomic_write_text(path.with_suffix(".html"), render_digest_html(ordered, day))
    _write_index_pages(read_index(output_dir), output_dir)
    return path


def write_run_report(report: RunReport, output_dir: Path) -> Path:
    """`run-<finish time, UTC>-<flow run id>.json`: the names sort by time, one file per flow run."""
    stamp = report.finished.replace(":", "").replace("-", "").replace("+0000", "Z")
    path = output_dir / f"run-{stamp}{f'-{report.flow_run_id}' if report.flow_run_id else ''}.json"
    atomic_write_text(path, report.model_dump_json(indent=2) + "\n")
    return path
