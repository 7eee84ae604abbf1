"""Reading the outputs in a browser: `articles/<id>.html` shows one article as two sentence-aligned
columns (Türkçe | English), `index.html` lists every article the output folder has a row for and
links its digests, and `digest-YYYY-MM-DD.html` shows one run's summaries.

The pages are self-contained (inline CSS, no script, no network asset) so that they work from
file:// and can be archived or mailed as they are. Everything in them comes from scraped pages
and is untrusted: Jinja shows every value without control, bidirectional-control or zero-width
characters (`trnews.text.visible`) and escapes it, and the pages' Content-Security-Policy refuses
scripts and fetches should anything ever slip through.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from trnews.output.labels import label, model_label
from trnews.records import ArticleOutput, ArticleStatus, DigestEntry, Story
from trnews.text.visible import visible

def _shown(value: object) -> object:
    """What a template shows of a value: a string `visible` (then escaped by Jinja); markup the
    templates made themselves (a macro's output, whose values were shown so) as it is."""
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


_templates = Environment(
    loader=PackageLoader("trnews.output"),
    autoescape=True,
    finalize=_shown,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def display_date(value: str | None) -> str:
    """An ISO 8601 date or date-time as a reader wants it ("2025-01-09 08:30": the time as the
    source gave it, zone dropped); anything that is not ISO 8601 as it is; no date: "".
    """
    if not value:
        return ""
    for parse, shown in ((date.fromisoformat, "%Y-%m-%d"), (datetime.fromisoformat, "%Y-%m-%d %H:%M")):
        try:
            return parse(value).strftime(shown)
        except ValueError:
            continue
    return value


def render_article_html(output: ArticleOutput, story: Story | None = None) -> str:
    """An article's page; with its `story` (of several articles), links to it and to the others."""
    shared = story if story and len(story.article_ids) > 1 else None
    return _templates.get_template("article.html").render(article=output, source_url=web_url(output.url), story=shared)


def render_index_html(rows: Sequence[ArticleStatus], digests: Sequence[str] = (), stories_page: bool = False) -> str:
    """The index page; `rows` as `write_index` merged them (by date, newest first), `digests` the
    names (without suffix) of the digest pages to link, newest first; `stories_page`: link it."""
    return _templates.get_template("index.html").render(rows=rows, digests=digests, stories_page=stories_page)


def render_digest_html(outputs: Sequence[DigestEntry], day: date, stories: Sequence[Story] = ()) -> str:
    """A run's digest page: `stories` first (each with its outlets and story summary), then each
    article of `outputs` with its titles and bilingual summary, linking to its page; both in
    the order the digest lists them."""
    return _templates.get_template("digest.html").render(articles=outputs, stories=stories, day=day.isoformat())


def render_stories_html(stories: Sequence[Story]) -> str:
    """Every story of several articles, in the order given, each with its outlets and summary."""
    return _templates.get_template("stories.html").render(stories=stories)


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) address. Escaping does not defuse a `javascript:` or `data:` URL
    in an href, and the article's metadata is as untrusted as its text, so anything else is not
    linked at all."""
    if not url:
        return None
    parts = urlsplit(url)
    return parts.geturl() if parts.scheme in ("http", "https") and parts.netloc else None


_templates.filters["display_date"] = display_date
_templates.filters["web_url"] = web_url
_templates.filters["model_label"] = model_label
_templates.globals["label"] = label
