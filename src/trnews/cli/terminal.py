"""Reading the outputs in a terminal: one article as two columns (Türkçe | English) that wrap to
the terminal's width, and the output folder's index.

Every string from an article goes into a `rich.text.Text`, never through rich's markup parser:
scraped text such as "[bold]" or "[/]" must print as it is (and "[/]" alone would raise). And
every such string is stripped of terminal control sequences first: an article must not clear
the screen, retitle the window or write the clipboard of whoever reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from trnews.output.html import display_date
from trnews.output.markdown import DOUBT_MARK
from trnews.records import ArticleOutput, ArticleStatus, SentencePair, Story
from trnews.text.visible import terminal_safe

HEADING_MARK = "# "
STATUS_STYLES = {"ok": "green", "skipped": "yellow", "failed": "red"}

def _text(text: str, style: str = "") -> Text:
    return Text(terminal_safe(text), style=style)


def article_view(output: ArticleOutput, full: bool = False) -> RenderableType:
    """The title and summary of an article side by side; with `full`, the whole article after it,
    a row per sentence pair, a blank row between paragraphs and headings marked with `HEADING_MARK`."""
    facts = [display_date(output.published), output.url or output.source.path, "; ".join(output.credits)]
    table = Table(box=box.MINIMAL_HEAVY_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(Text("Türkçe", style="bold red"), ratio=1)
    table.add_column(Text("English", style="bold blue"), ratio=1)
    table.add_row(_text(output.title.tr, style="bold"), _text(output.title.en, style="bold"))
    _label(table, "Özet", "Summary")
    for pair in output.summary:
        _pair(table, pair)
    if full:
        _label(table, "Haberin tamamı", "Full article")
        for number, paragraph in enumerate(output.paragraphs):
            if number:
                table.add_row()
            for pair in paragraph.sentences:
                _pair(table, pair, heading=paragraph.kind == "heading")
    models = f"translation: {output.models.mt.id} · summary: {output.models.summariser.id}"
    return Group(_text(" · ".join(f for f in facts if f), style="dim"), table, _text(models, style="dim"))


def _label(table: Table, tr: str, en: str) -> None:
    table.add_section()
    table.add_row(Text(tr, style="bold magenta"), Text(en, style="bold magenta"))


def _pair(table: Table, pair: SentencePair, heading: bool = False) -> None:
    mark, style = (HEADING_MARK, "bold") if heading else ("", "")
    english = _text(mark + pair.en, style=style)
    if pair.flags:  # a translation a check doubts: marked, with the reasons under it
        english.append_text(_text(f"\n{DOUBT_MARK} " + " ".join(flag.reason for flag in pair.flags), style="yellow"))
    table.add_row(_text(mark + pair.tr, style=style), english)


def index_table(rows: Sequence[ArticleStatus], title: str) -> Table:
    """What `trnews list` prints: a row per article, newest first, with its status and reason."""
    table = Table(title=_text(title), expand=True, box=box.SIMPLE_HEAD)
    table.add_column("id", overflow="fold")
    table.add_column("status")
    table.add_column("date")
    table.add_column("title · reason", ratio=1)
    for row in rows:
        titles = _text("\n".join(t for t in (row.title_tr, row.title_en) if t))
        style = STATUS_STYLES[row.status]
        detail = _text(row.reason, style=style) if row.reason else titles
        if row.flagged:
            detail.append_text(_text(f"\n{DOUBT_MARK} {row.flagged} doubtful translation{'s' if row.flagged > 1 else ''}",
                                     style="yellow"))
        table.add_row(_text(row.id), Text(row.status, style=style), _text(display_date(row.published)), detail)
    return table


def stories_table(stories: Sequence[Story], title: str) -> Table:
    """What `trnews stories` prints: a row per story, in the order given, with its articles' outlets."""
    table = Table(title=_text(title), expand=True, box=box.SIMPLE_HEAD)
    table.add_column("story", overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("dates")
    table.add_column("title", ratio=2)
    table.add_column("outlets", ratio=1)
    for story in stories:
        dates = " – ".join(dict.fromkeys(display_date(d)[:10] for d in (story.first_published, story.last_published) if d))
        titles = _text("\n".join(t for t in (story.title.tr, story.title.en) if t))
        table.add_row(Text(story.id), Text(str(len(story.article_ids))), _text(dates), titles,
                      _text("\n".join(story.sources)))
    return table
