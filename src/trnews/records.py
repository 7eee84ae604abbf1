"""The data that flows between pipeline stages, and the published output schema.

Every stage takes and returns these pydantic models, so Prefect can persist stage results as
JSON (no pickle) and `ArticleOutput.model_json_schema()` is the documented output schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from trnews.text.visible import terminal_safe

SCHEMA_VERSION = "1"

ParagraphKind = Literal["heading", "text"]
SourceFormat = Literal["text", "markdown", "html", "jsonl", "warc"]
Status = Literal["ok", "skipped", "failed"]
# Paths, and reasons that quote them, come from outside (file names, symlink targets): they reach
# the index, the reports and the terminal without escape sequences and without control, bidi or
# zero-width characters (`trnews.text.visible`).
Shown = Annotated[str, AfterValidator(terminal_safe)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Record):
    """Where an article came from; `sha256` is of the raw bytes (of the JSONL line for JSONL, of
    the response body for a page in a WARC archive)."""

    path: Shown
    sha256: str
    format: SourceFormat
    line: int | None = Field(default=None, description="1-based line number within a JSONL file")
    record: str | None = Field(default=None, description="WARC-Record-ID of the response, for a page in a WARC archive")


class RawArticle(Record):
    """Output of ingest: decoded, NFC-normalised text, not yet cleaned.

    For HTML and Markdown sources, headings are kept as Markdown `#` lines so that the cleaner
    can tell them from paragraphs; plain text has paragraphs separated by blank lines.
    """

    id: str
    source: Source
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = Field(default=None, description="who published it: the source's name, else the page's site name, "
                                                          "its title's site suffix or its URL's host")
    encoding: str = "utf-8"
    timings: dict[str, float] = Field(default_factory=dict)


class Paragraph(Record):
    kind: ParagraphKind
    text: str


class Removed(Record):
    """A piece of the input the cleaner dropped, with the rule that dropped it (for auditing);
    for a decision of the learned line model, the features it rested on."""

    text: str
    reason: str
    evidence: list[str] = Field(default_factory=list)


class CleanArticle(Record):
    """Output of clean: only the article body, plus metadata. `skip_reason` set means: do not
    translate (e.g. not Turkish, or nothing left after cleaning)."""

    id: str
    source: Source
    title: str
    published: str | None = Field(
        default=None, description="publication date: ISO 8601 date, or date-time with the source's offset"
    )
    updated: str | None = Field(
        default=None, description="last update (\"Son Güncelleme\"): ISO 8601 date or date-time with offset"
    )
    url: str | None = None
    outlet: str | None = Field(default=None, description="who published it: the source's name, else the page's site name, "
                                                          "its title's site suffix or its URL's host")
    credits: list[str] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    removed: list[Removed] = Field(default_factory=list)
    language: str | None = Field(default=None, description="ISO 639-1 code of the detected language")
    skip_reason: str | None = None
    timings: dict[str, float] = Field(
        default_factory=dict, description="seconds per stage so far; later stages add theirs"
    )


class SegmentedParagraph(Record):
    kind: ParagraphKind
    sentences: list[str]


class SegmentedArticle(Record):
    """Output of segment: the title and every paragraph as translation-sized sentences."""

    article: CleanArticle
    title_sentences: list[str]
    paragraphs: list[SegmentedParagraph]

    def sentences(self) -> list[str]:
        """Every sentence to translate, title first, in article order."""
        return self.title_sentences + [s for p in self.paragraphs for s in p.sentences]


class Flag(Record):
    """Why a translation is to be doubted: the check that failed, and what it found, in plain words."""

    check: str = Field(description="the check's name, e.g. `low_confidence`, `numbers`, `repetition`")
    reason: str


class SentencePair(Record):
    tr: str
    en: str
    score: float | None = Field(default=None, description="the model's mean log-probability of the tokens of `en` "
                                                          "(0 is certain; below ln 0.5 = -0.693 is doubtful)")
    flags: list[Flag] = Field(default_factory=list, description="checks the translation failed; empty when none")
    recovered: str | None = Field(default=None, description="how this translation replaced a first one that failed a "
                                                            "check: `n-best: ...` or `split: ...`; None when it is the first")


class BilingualText(Record):
    tr: str
    en: str


class TranslatedParagraph(Record):
    kind: ParagraphKind
    sentences: list[SentencePair]


class TranslatedArticle(Record):
    article: CleanArticle
    title: BilingualText
    paragraphs: list[TranslatedParagraph]

    def pairs(self) -> list[SentencePair]:
        """Body sentence pairs in article order (headings included)."""
        return [pair for p in self.paragraphs for pair in p.sentences]


class ModelRef(Record):
    id: str = Field(description="hub id, or a local model folder's name")
    revision: str | None = None
    engine: str | None = None


class ModelsUsed(Record):
    mt: ModelRef
    summariser: ModelRef = Field(description="`extractive` (no model) or the seq2seq summariser")
    back_translation: ModelRef | None = Field(
        default=None, description="EN->TR model that writes the Turkish column of abstractive summaries"
    )


class ArticleOutput(Record):
    """`outputs/articles/<id>.json`: one processed article, Turkish and English side by side."""

    schema_version: str = SCHEMA_VERSION
    id: str
    source: Source = Field(description="the input: its file's name (never the folders above it) or URL, hash and format")
    url: str | None = None
    outlet: str | None = Field(default=None, description="who published it: the source's name, else the page's site name, "
                                                          "its title's site suffix or its URL's host")
    title: BilingualText
    published: str | None = Field(
        default=None, description="publication date: ISO 8601 date, or date-time with the source's offset"
    )
    updated: str | None = Field(
        default=None, description="last update: ISO 8601 date, or date-time with the source's offset"
    )
    credits: list[str] = Field(default_factory=list)
    language: str | None = None
    summary: list[SentencePair]
    paragraphs: list[TranslatedParagraph]
    removed: list[Removed]
    flagged: dict[str, int] = Field(default_factory=dict, description="sentences of the article each check flagged "
                                                                      "(`SentencePair.flags`), by check")
    models: ModelsUsed
    timings: dict[str, float] = Field(description="seconds spent per stage for this article")


class DigestEntry(Record):
    """What the digest shows of one article: kept in the manifest, so that a digest needs no
    article file read back."""

    id: str
    title: BilingualText
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    summary: list[SentencePair]


class ArticleStatus(Record):
    """One row of the batch index: what happened to one input."""

    id: Shown
    source: Shown
    status: Status
    reason: Shown | None = None
    title_en: Shown | None = None
    title_tr: Shown | None = None
    published: Shown | None = None
    updated: Shown | None = Field(default=None, description="last update, for an article with no publication date")
    first_summary_sentence: Shown | None = None
    flagged: int = Field(default=0, description="sentences of the article with a flag (a doubtful translation)")
    processed_at: str | None = Field(default=None, description="ISO 8601 time of the run that wrote this row")


class InputProblem(Record):
    """An input path that could not be read at all (missing, a broken link or loop, no permission):
    reported in the run's report and on the terminal, but no article of the reader's index."""

    path: Shown
    reason: Shown


class TranslationCounts(Record):
    translated: int = Field(default=0, description="sentences sent to the MT engine")
    reused: int = Field(default=0, description="sentences served from the sentence cache")
    seconds: float = Field(default=0.0, description="wall time of translating (the sentences not cached)")


class RunReport(Record):
    """`outputs/run-<timestamp>.json`: what one flow run did."""

    flow_run_id: str | None = None
    flow_run_name: str | None = Field(default=None, description="Prefect's name of the flow run")
    started: str
    finished: str
    seconds: float
    inputs: list[Shown]
    output_dir: Shown
    refresh: bool
    counts: dict[str, int] = Field(description="articles per status: ok, skipped, failed")
    stages: dict[str, int] = Field(description="articles each stage processed (unchanged articles skip them all)")
    stage_seconds: dict[str, float] = Field(
        default_factory=dict,
        description="wall seconds of each part of the run: sort-out (ingest, manifest, site templates), the "
                    "stages (translate: its wall time, model included), finish (index, stories, digest)")
    translation: TranslationCounts
    flagged: dict[str, int] = Field(default_factory=dict, description="sentences the checks flagged, by check")
    recovered: dict[str, int] = Field(default_factory=dict, description="sentences that failed a check and were "
                                                                        "translated again: by n-best, by split, or not")
    unchanged: int = Field(default=0, description="articles whose outputs were current: no task, no model")
    story_sentences_shared: int = Field(
        default=0, description="sentences an article shared word for word with another of its story: translated once")
    models_loaded: list[str] = Field(description="models whose weights this run had to load")
    workers: dict[str, list[str]] = Field(
        default_factory=dict, description="per translation worker process (host:pid), the models it loaded")
    articles: list[ArticleStatus]
    input_problems: list[InputProblem] = Field(default_factory=list, description="input paths that could not be read")
    output_errors: list[Shown] = Field(default_factory=list, description="files the output folder refused")
    fetch: FetchReport | None = Field(default=None, description="what the fetch step at the head of the run fetched")


class SourceFetch(Record):
    """What one fetch did for one source (outlet)."""

    name: str
    listings: int = Field(default=0, description="feeds and sitemaps read (sitemap index children included)")
    unchanged: int = Field(default=0, description="listings that answered 304 Not Modified: nothing new, no body sent")
    listed: int = Field(default=0, description="article URLs the listings named")
    articles: dict[str, int] = Field(
        default_factory=dict, description="article URLs by outcome: new, known (fetched before), duplicate (same "
                                          "canonical URL or text as one fetched), skipped, failed, deferred (over the "
                                          "source's limit or asked to wait: next fetch)")
    problems: list[str] = Field(default_factory=list, description="`url: reason` of each listing or page that failed or was skipped")
    failed: str | None = Field(default=None, description="why nothing could be fetched for this source, if so")


class FetchReport(Record):
    """What `trnews fetch` (or a deployment's fetch step) did."""

    started: str
    seconds: float
    user_agent: str
    requests: int = Field(default=0, description="HTTP requests sent, retries and robots.txt included")
    not_modified: int = Field(default=0, description="conditional requests answered 304 Not Modified")
    bytes: int = Field(default=0, description="response bytes received")
    sources: list[SourceFetch] = Field(default_factory=list)
    archives: list[str] = Field(default_factory=list, description="WARC files that received new articles")

    @property
    def new_articles(self) -> int:
        return sum(source.articles.get("new", 0) for source in self.sources)


class StorySentence(Record):
    """One sentence of a story summary, with every article that carried it (near-identical
    sentences from several outlets are one StorySentence)."""

    tr: str
    en: str
    article_ids: list[str]
    flags: list[Flag] = Field(default_factory=list, description="checks the translation failed (see `SentencePair`)")


class Story(Record):
    """An event reported by one or more articles (`stories.json` is a list of these).

    `title.en` and `summary` are empty until `stories.with_outputs` fills them from the members'
    article outputs."""

    id: str
    title: BilingualText
    article_ids: list[str] = Field(description="members, earliest first")
    sources: list[str] = Field(description="outlets (see `ArticleOutput.outlet`) and agency credits")
    article_outlets: dict[str, str] = Field(default_factory=dict, description="the outlet of each member article")
    first_published: str | None = Field(default=None, description="ISO 8601: the earliest member's date; none "
                                                                    "when no member has a date")
    last_published: str | None = Field(default=None, description="ISO 8601: the latest member's date; none when no "
                                                                 "member has a date")
    summary: list[StorySentence] = Field(default_factory=list)
