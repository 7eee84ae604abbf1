"""The check stage: every translated sentence of an article checked (`trnews.quality`), its flags
on its `SentencePair`, and the flags counted by check, per article and for the run."""

from __future__ import annotations

from collections import Counter

from trnews.config import QualityConfig
from trnews.pipeline.stage import Stage, StageOutcome, Work, each_article
from trnews.quality.checks import PairToCheck, check_pairs
from trnews.records import TranslatedArticle, TranslatedParagraph


class QualityCheck(Stage):
    name = "check"

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        outcome = each_article(batch, self._check)
        for work in outcome.done.values():
            assert work.translated is not None
            outcome.stats.update(flag_counts(work.translated))
        return outcome

    def _check(self, work: Work) -> Work:
        assert work.translated is not None
        return work.but(translated=checked_article(work.translated, self.run.settings.quality))


def checked_article(article: TranslatedArticle, config: QualityConfig) -> TranslatedArticle:
    """`article` with the flags of each of its sentences."""
    pairs = article.pairs()
    flags = iter(check_pairs([PairToCheck(p.tr, p.en, p.score) for p in pairs], config))
    paragraphs = [TranslatedParagraph(kind=paragraph.kind,
                                      sentences=[pair.model_copy(update={"flags": next(flags)})
                                                 for pair in paragraph.sentences])
                  for paragraph in article.paragraphs]
    return article.model_copy(update={"paragraphs": paragraphs})


def flag_counts(article: TranslatedArticle) -> Counter[str]:
    """How many sentences of `article` each check flagged."""
    return Counter(flag.check for pair in article.pairs() for flag in pair.flags)
