"""The stage interface: the ledger runs any list of stages, per chunk or per wave, keeps order,
records every dropped article with its reason, adds up the stages' counters and times them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from prefect import flow

from trnews.errors import FatalError
from trnews.pipeline.ledger import Ledger
from trnews.pipeline.stage import Dropped, PerArticle, Stage, StageOutcome, Work
from trnews.records import RawArticle, Source
from trnews.stages.clean.site_templates import SiteTemplate

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _work(article_id: str) -> Work:
    raw = RawArticle(id=article_id, source=Source(path=f"{article_id}.txt", sha256="0" * 64, format="text"),
                     text="Metin.")
    return Work(raw=raw, template=SiteTemplate(source="x"), made_with="")


class Shout(PerArticle):
    """Upper-cases the text; the article "boom" raises."""

    name = "shout"

    def process(self, work: Work) -> Work:
        if work.id == "boom":
            raise ValueError("no good")
        return work.but(raw=work.raw.model_copy(update={"text": work.raw.text.upper()}))


class CountWave(Stage):
    """Counts the wave; the article "skip" has nothing to do."""

    name = "count"
    whole_wave = True

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        outcome = StageOutcome(done=dict(batch))
        outcome.dropped["skip"] = Dropped("nothing to do", status="skipped")
        del outcome.done["skip"]
        outcome.stats["seen"] = len(batch)
        return outcome


class Fatal(PerArticle):
    name = "fatal"

    def process(self, work: Work) -> Work:
        raise FatalError("the model cannot be had")


def test_stages_keep_order_drop_with_reasons_and_count(tmp_path):
    ids = ["a", "boom", "b", "skip", "c"]
    ledger = Ledger(chunk_size=2)
    run = SimpleNamespace()

    @flow
    def stages() -> dict[str, Work]:
        batch = {i: _work(i) for i in ids}
        for stage in (Shout(run), CountWave(run)):
            batch = ledger.run_stage(stage, batch)
        return batch

    done = stages()
    assert list(done) == ["a", "b", "c"] and all(w.raw.text == "METIN." for w in done.values())
    assert {i: (s.status, s.reason, s.source) for i, s in ledger.statuses.items()} == {
        "boom": ("failed", "ValueError: no good", "boom.txt"),
        "skip": ("skipped", "nothing to do", "skip.txt"),
    }
    assert ledger.processed == {"shout": 5, "count": 4}
    assert ledger.stats["count"]["seen"] == 4
    assert set(ledger.seconds) == {"shout", "count"}


def test_a_fatal_error_stops_the_run_instead_of_failing_each_article():
    ledger = Ledger(chunk_size=2)

    @flow
    def stages() -> None:
        ledger.run_stage(Fatal(SimpleNamespace()), {i: _work(i) for i in "xyz"})

    with pytest.raises(FatalError, match="cannot be had"):
        stages()
    assert ledger.statuses == {}
