"""The stage interface, in the spirit of datatrove's pipeline steps.

The pipeline is a list of stages (`trnews.stages.STAGES`). A stage has a name, takes a batch of
articles in progress (`Work`, keyed by article id) and returns, per id, the article carried on
(its `Work` with the stage's field filled) or `Dropped` with the reason, plus its own counters.
The ledger (`trnews.pipeline.ledger`) runs each stage over a wave of articles, in chunks that are
Prefect tasks, or over the whole wave at once for stages that compare or batch across articles
(stories, translation); it records every drop, times every stage and adds up their counters.

Adding a stage: a module with a `Stage` subclass, a field on `Work` for what it makes, and one
entry in the stage list.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from trnews.errors import FatalError
from trnews.pipeline import interrupt
from trnews.records import (
    ArticleOutput,
    CleanArticle,
    RawArticle,
    SegmentedArticle,
    SentencePair,
    Story,
    TranslatedArticle,
)

if TYPE_CHECKING:
    from trnews.pipeline.context import RunContext
    from trnews.stages.clean.site_templates import SiteTemplate


@dataclass(frozen=True)
class Work:
    """One article in progress: what it was made from, and what each stage has made of it."""

    raw: RawArticle
    template: SiteTemplate
    made_with: str  # what its outputs will be made from (`incremental.MadeWith`, encoded)
    clean: CleanArticle | None = None
    story: Story | None = None
    segmented: SegmentedArticle | None = None
    translated: TranslatedArticle | None = None
    summary: list[SentencePair] | None = None
    output: ArticleOutput | None = None

    @property
    def id(self) -> str:
        return self.raw.id

    @property
    def source(self) -> str:
        """Where the article came from, as the index shows it: its file, and line for JSONL."""
        return self.raw.source.path + (f":{self.raw.source.line}" if self.raw.source.line else "")

    def but(self, **changes: object) -> Work:
        """This work with `changes` (what a stage made)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Dropped:
    """Why an article goes no further: `failed` (something went wrong; it is tried again next
    run) or `skipped` (nothing to do: not Turkish, no text left; remembered as such)."""

    reason: str
    status: Literal["failed", "skipped"] = "failed"


@dataclass
class StageOutcome:
    """What a stage made of a batch: per id, the work carried on or why it was dropped, and the
    stage's own counters (e.g. sentences translated, reused)."""

    done: dict[str, Work] = field(default_factory=dict)
    dropped: dict[str, Dropped] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class Stage(ABC):
    """One step of the pipeline. A stage object lives for one run (`run`, its context)."""

    name: ClassVar[str]
    # False: the ledger hands the stage chunks of `chunk_size` articles, each a Prefect task.
    # True: the whole wave at once, in the flow (the stage submits its own tasks, if any).
    whole_wave: ClassVar[bool] = False

    def __init__(self, run: RunContext) -> None:
        self.run = run

    @abstractmethod
    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        """The outcome of every article of `batch`; an article's own error drops only it."""


def each_article(batch: dict[str, Work], make: Callable[[Work], Work]) -> StageOutcome:
    """`make` applied to each article of `batch` on its own: an error drops that article alone; a
    `FatalError` (no article's fault, e.g. a model that cannot be had) stops the run."""
    outcome = StageOutcome()
    for article_id, work in batch.items():
        interrupt.check()
        try:
            outcome.done[article_id] = make(work)
        except FatalError:
            raise
        except Exception as error:  # noqa: BLE001 - any error of one article is recorded, not raised
            outcome.dropped[article_id] = Dropped(describe(error))
    return outcome


class PerArticle(Stage):
    """A stage that makes each article's part on its own (`each_article`)."""

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        return each_article(batch, self.process)

    @abstractmethod
    def process(self, work: Work) -> Work:
        """`work` with this stage's part made."""
