"""The clean stage: each article's body and metadata; an article that is not Turkish, or has no
text left, is skipped with the reason. Languages are checked for the whole chunk at once."""

from __future__ import annotations

from trnews.errors import FatalError
from trnews.pipeline import interrupt
from trnews.pipeline.stage import Dropped, Stage, StageOutcome, Work, describe
from trnews.records import CleanArticle
from trnews.stages.clean import check_languages, clean_text


class Clean(Stage):
    name = "clean"

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        outcome = StageOutcome()
        cleaned: dict[str, CleanArticle] = {}
        for article_id, work in batch.items():
            interrupt.check()
            try:
                cleaned[article_id] = clean_text(work.raw, work.template)
            except FatalError:
                raise
            except Exception as error:  # noqa: BLE001 - any error of one article is recorded, not raised
                outcome.dropped[article_id] = Dropped(describe(error))
        for article_id, article in zip(cleaned, check_languages(list(cleaned.values()))):
            if article.skip_reason:
                outcome.dropped[article_id] = Dropped(article.skip_reason, status="skipped")
            else:
                outcome.done[article_id] = batch[article_id].but(clean=article)
        return outcome
