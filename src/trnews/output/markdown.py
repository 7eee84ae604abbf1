"""The Markdown outputs: an article's page, the index and the digest, as any Markdown viewer
renders them, with the headings, labels and date formats of their HTML versions. Article text is
untrusted: it is escaped so that it renders as exactly that text, never as HTML, a link or a
table cell boundary."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date

from trnews.output.html import display_date, web_url
from trnews.output.labels import label, model_label
from trnews.output.paths import ARTICLES
from trnews.records import ArticleOutput, ArticleStatus, DigestEntry, SentencePair, Story, StorySentence
from trnews.text.visible import visible


# Markdown (and the HTML that Markdown passes through) that untrusted text must not form: tags
# and entities, links and images (`[x](javascript:...)`), emphasis and code spans that would
# swallow what follows, and table cell separators.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown on one line, `visible`: renders as exactly this text,
    never as HTML, a link or a table cell boundary."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(visible(text).split()))
    return html.escape(escaped, quote=False)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return markdown_text(text) or " "


# Marks a translation that a check doubts; `_LEGEND` explains it under every table that has one.
DOUBT_MARK = "⚠"
_LEGEND = (f"{DOUBT_MARK} A check doubts this translation; the reason follows it in italics. Read it against "
           "the Turkish.")


def _english_cell(pair: SentencePair | StorySentence, mark: str) -> str:
    text = f"{mark}{_cell(pair.en)}{mark}"
    if pair.flags:
        text += f" {DOUBT_MARK} *{markdown_text(' '.join(flag.reason for flag in pair.flags))}*"
    return text


def _table(rows: Sequence[SentencePair], heading: bool = False) -> list[str]:
    mark = "**" if heading else ""
    return [f"| {mark}{_cell(r.tr)}{mark} | {_english_cell(r, mark)} |" for r in rows]


def _legend(rows: Sequence[SentencePair | StorySentence]) -> list[str]:
    return ["", _LEGEND] if any(row.flags for row in rows) else []


_TABLE_HEAD = ["| Türkçe | English |", "| --- | --- |"]


def _story_table(summary: Sequence[StorySentence], story: Story, folder: str) -> list[str]:
    """The story summary with, for each sentence, links to the articles (outlets) that carried it;
    `folder` leads from the page to the article files."""
    def sources(ids: Sequence[str]) -> str:
        return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({folder}{i}.md)" for i in ids)
    return [f"| Türkçe | English | {label('from')} |", "| --- | --- | --- |",
            *(f"| {_cell(r.tr)} | {_english_cell(r, '')} | {sources(r.article_ids)} |" for r in summary),
            *_legend(summary)]


def _source_link(url: str | None) -> str | None:
    """A link to the article at its outlet, for an http(s) address only (see `html.web_url`);
    characters that would end the link are percent-encoded."""
    target = web_url(url)
    if target is None:
        return None
    safe = re.sub(r"[<>\s]", lambda m: "%{:02X}".format(ord(m.group(0))), target)
    return f"[{markdown_text(target)}](<{safe}>)"


def _other_versions(story: Story, article_id: str) -> str:
    return ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({i}.md)" for i in story.article_ids if i != article_id)


def _fact(key: str, value: str | None) -> str | None:
    """`Label: value` of a field that has a value (a markdown one: escape it first)."""
    return f"{label(key)}: {value}" if value else None


def render_article_markdown(output: ArticleOutput, story: Story | None = None) -> str:
    lines = [f"# {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", ""]
    line_number = f", line {output.source.line}" if output.source.line else ""
    facts = [_fact("date", markdown_text(display_date(output.published))),
             _fact("updated", markdown_text(display_date(output.updated))),
             _fact("outlet", markdown_text(output.outlet or "")),
             _fact("source", _source_link(output.url) or markdown_text(output.source.path + line_number)),
             _fact("credits", markdown_text("; ".join(output.credits)))]
    lines += [" · ".join(f for f in facts if f), ""]
    if story and len(story.article_ids) > 1:
        # The story's Turkish title is known when the article is written; its English one only once
        # every member is translated, and the page is not written again for that.
        lines += [f"{_fact('story', f'[{_cell(story.title.tr)}](../stories.html#{story.id})')} · "
                  f"{_fact('also_reported', _other_versions(story, output.id))}", ""]
    if output.flagged:
        counts = ", ".join(f"{check.replace('_', ' ')}: {count}" for check, count in output.flagged.items())
        lines += [f"Doubtful translations ({DOUBT_MARK}): {counts}", ""]
    lines += [f"## {label('summary')}", "", *_TABLE_HEAD, *_table(output.summary), *_legend(output.summary),
              "", f"## {label('full_article')}", "", *_TABLE_HEAD]
    for paragraph in output.paragraphs:
        lines += _table(paragraph.sentences, heading=paragraph.kind == "heading")
    lines += _legend([pair for paragraph in output.paragraphs for pair in paragraph.sentences])
    models = [_fact("translation", model_label(output.models.mt)), _fact("summary", model_label(output.models.summariser)),
              _fact("back_translation", output.models.back_translation and model_label(output.models.back_translation))]
    lines += ["", f"<sub>{markdown_text(' · '.join(m for m in models if m))}</sub>", ""]
    return "\n".join(lines)


def _index_date(row: ArticleStatus) -> str:
    """The row's publication date, else its update date, labelled as such."""
    if row.published or not row.updated:
        return markdown_text(display_date(row.published))
    return f"{label('updated')} {markdown_text(display_date(row.updated))}"


def render_index_markdown(statuses: Sequence[ArticleStatus], digests: Sequence[str] = (),
                          stories_page: bool = False) -> str:
    """The index: `statuses` in their order (by date, newest first), the digests, newest first,
    and with `stories_page`, a link to it."""
    lines = [f"# {label('articles')}", ""]
    if stories_page:
        lines += [f"[{label('stories')}](stories.html)", ""]
    lines += [f"| {label('article')} | {label('date')} | {label('first_summary_sentence')} | {label('status')} |",
              "| --- | --- | --- | --- |"]
    for s in statuses:
        link = f"[{s.id}]({ARTICLES}/{s.id}.md)" if s.status == "ok" else markdown_text(s.id)
        article = f"{link}: {markdown_text(s.title_en)}" if s.title_en else link
        status = s.status if not s.reason else f"{s.status}: {s.reason}"
        lines.append(f"| {article} | {_index_date(s) or ' '} | {_cell(s.first_summary_sentence or '')} | {_cell(status)} |")
    if digests:
        lines += ["", f"## {label('digests')}", "", *(f"- [{name}]({name}.md)" for name in digests)]
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def render_digest_markdown(outputs: Sequence[DigestEntry], day: date, stories: Sequence[Story] = ()) -> str:
    """The digest: `stories` first (as `stories_first` picks them), then `outputs`, the articles
    no listed story holds, each with its bilingual summary."""
    lines = [f"# {label('digest')} {day.isoformat()}", ""]
    if stories:
        lines += [f"{_count(len(stories), 'story', 'stories')} reported by several outlets, biggest first, then "
                  f"{_count(len(outputs), 'other article')}, newest first.", ""]
    else:
        lines += [f"{_count(len(outputs), 'article')}, newest first.", ""]
    for story in stories:
        dates = " – ".join(dict.fromkeys(display_date(d) for d in (story.first_published, story.last_published) if d))
        articles = ", ".join(f"[{_cell(story.article_outlets.get(i, i))}]({ARTICLES}/{i}.md)" for i in story.article_ids)
        about = [_count(len(story.article_ids), "article"), markdown_text(dates),
                 _fact("sources", _cell("; ".join(story.sources)))]
        lines += [f"## {markdown_text(story.title.en or story.title.tr)}", "", f"*{markdown_text(story.title.tr)}*", "",
                  " · ".join(f for f in about if f), "", _fact("articles", articles) or "", "",
                  *_story_table(story.summary, story, f"{ARTICLES}/"), ""]
    for output in outputs:
        facts = [markdown_text(display_date(output.published)), markdown_text(output.outlet or ""),
                 f"[{label('full_article')}]({ARTICLES}/{output.id}.md)",
                 _fact("source", _source_link(output.url))]
        lines += [f"## {markdown_text(output.title.en)}", "", f"*{markdown_text(output.title.tr)}*", "",
                  " · ".join(f for f in facts if f), "", *_TABLE_HEAD, *_table(output.summary),
                  *_legend(output.summary), ""]
    return "\n".join(lines)
