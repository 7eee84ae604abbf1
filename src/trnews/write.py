"""Write: per-article JSON, Markdown and HTML, and the batch index. Every file is written atomically
(temp file in the same folder, fsync, rename), so `outputs/` never holds a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from trnews.reader import (
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


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def atomic_write_text(path: Path, text: str) -> bool:
    """Write `text` to `path` through a temp file and a rename. A file that already holds exactly
    `text` is left alone (a rerun that changes nothing rewrites nothing); returns whether it wrote."""
    if _holds(path, text.encode("utf-8")):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


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


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def _table(rows: Sequence[SentencePair]) -> list[str]:
    return ["| Türkçe | English |", "| --- | --- |", *(f"| {_cell(r.tr)} | {_cell(r.en)} |" for r in rows)]


def _story_table(summary: Sequence[StorySentence], story: Story) -> list[str]:
    """The story summary with, for each sentence, links to the articles (outlets) that carried it."""
    def sources(ids: Sequence[str]) -> str:
        return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({i}.md)" for i in ids)
    return ["| Türkçe | English | Kaynak · From |", "| --- | --- | --- |",
            *(f"| {_cell(r.tr)} | {_cell(r.en)} | {sources(r.article_ids)} |" for r in summary)]


def _other_versions(story: Story, article_id: str) -> str:
    return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({i}.md)" for i in story.article_ids if i != article_id)


def render_markdown(output: ArticleOutput, story: Story | None = None) -> str:
    lines = [f"# {output.title.en}", "", f"*{output.title.tr}*", ""]
    facts = [f"Published: {output.published}" if output.published else None,
             f"Credits: {'; '.join(output.credits)}" if output.credits else None,
             f"Source: `{output.source.path}`"]
    lines += [" · ".join(f for f in facts if f), ""]
    if story and len(story.article_ids) > 1:
        lines += [f"Story: [{_cell(story.title.en or story.title.tr)}](stories.html#{story.id}) · "
                  f"also reported by {_other_versions(story, output.id)}", ""]
    lines += ["## Summary / Özet", "", *_table(output.summary), "",
              "## Full article / Haberin tamamı", ""]
    rows: list[SentencePair] = []
    for paragraph in output.paragraphs:
        if paragraph.kind == "heading":
            rows += [SentencePair(tr=f"**{p.tr}**", en=f"**{p.en}**") for p in paragraph.sentences]
        else:
            rows += paragraph.sentences
    lines += _table(rows)
    lines += ["", f"<sub>Translated by {output.models.mt.id} · summary: {output.models.summariser.id}</sub>", ""]
    return "\n".join(lines)


def article_json_path(output_dir: Path, article_id: str) -> Path:
    return output_dir / f"{article_id}.json"


def write_article(output: ArticleOutput, output_dir: Path, story: Story | None = None) -> list[Path]:
    """`<id>.json`, `.md` and `.html`; with the article's `story`, the pages link to it and to the
    other outlets' versions."""
    json_path = article_json_path(output_dir, output.id)
    markdown_path = output_dir / f"{output.id}.md"
    html_path = output_dir / f"{output.id}.html"
    atomic_write_text(json_path, output.model_dump_json(indent=2) + "\n")
    atomic_write_text(markdown_path, render_markdown(output, story))
    atomic_write_text(html_path, render_article_html(output, story))
    return [json_path, markdown_path, html_path]


def render_index(statuses: Sequence[ArticleStatus]) -> str:
    lines = ["# trnews index", "", "| id | English title | first summary sentence | status |", "| --- | --- | --- | --- |"]
    for s in statuses:
        link = f"[{s.id}]({s.id}.md)" if s.status == "ok" else s.id
        status = s.status if not s.reason else f"{s.status}: {s.reason}"
        lines.append(f"| {link} | {_cell(s.title_en or '')} | {_cell(s.first_summary_sentence or '')} | {_cell(status)} |")
    return "\n".join(lines) + "\n"


def read_index(output_dir: Path) -> list[ArticleStatus]:
    """Every article the output folder has a row for (from `index.json`), empty if none yet."""
    path = output_dir / "index.json"
    if not path.exists():
        return []
    return [ArticleStatus.model_validate(row) for row in json.loads(path.read_text(encoding="utf-8"))]


def write_index(statuses: Sequence[ArticleStatus], output_dir: Path) -> list[ArticleStatus]:
    """Merge this run's rows into the folder's index (a row per article id, the newest wins) and
    write it as `index.json`, `index.md` and `index.html`, newest first. Returns the merged rows."""
    merged = {row.id: row for row in read_index(output_dir)}
    merged.update((row.id, row) for row in statuses)
    rows = sorted(merged.values(), key=lambda r: (r.processed_at or "", r.id), reverse=True)
    atomic_write_text(output_dir / "index.json",
                      json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(output_dir / "index.md", render_index(rows))
    atomic_write_text(output_dir / "index.html", render_index_html(rows))
    return rows


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
        articles = " · ".join(f"[{_cell(story.article_outlets.get(i, i))}]({i}.md)" for i in story.article_ids)
        lines += [f"## {story.title.en or story.title.tr}", "", f"*{story.title.tr}*", "",
                  f"{_count(len(story.article_ids), 'article')} · {dates} · Sources: {_cell('; '.join(story.sources))}",
                  "", f"Articles: {articles}", "", *_story_table(story.summary, story), ""]
    for output in outputs:
        facts = [f"Published: {output.published}" if output.published else None, f"[full article]({output.id}.md)"]
        lines += [f"## {output.title.en}", "", f"*{output.title.tr}*", "", " · ".join(f for f in facts if f), "",
                  *_table(output.summary), ""]
    return "\n".join(lines)


def write_digest(outputs: Sequence[ArticleOutput], day: date, output_dir: Path, stories: Sequence[Story] = ()) -> Path:
    """`digest-<day>.md` and `.html`: the stories that several of the run's articles reported,
    biggest first, each with its outlets and story summary, then every other article the run
    wrote, newest first, with its bilingual summary. A later run on the same day replaces them (a
    run over the same inputs reuses the earlier one's cached work and lists its articles again,
    with any new ones)."""
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
    stamp = report.finished.replace(":", "").replace("-", "").replace("+0000", "Z")
    suffix = f"-{report.flow_run_id[:8]}" if report.flow_run_id else ""
    path = output_dir / f"run-{stamp}{suffix}.json"
    atomic_write_text(path, report.model_dump_json(indent=2) + "\n")
    return path
