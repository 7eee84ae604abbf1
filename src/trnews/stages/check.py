"""The check stage: every translated sentence of an article checked (`trnews.quality`), those that
fail tried again (`quality.recovery`), and what still fails flagged on its `SentencePair`; flags
counted by check, and second tries by outcome, for the article and the run."""

from __future__ import annotations

from collections import Counter

from trnews.config import QualityConfig
from trnews.pipeline.stage import Stage, StageOutcome, Work, each_article
from trnews.quality.checks import PairToCheck, check_pairs
from trnews.quality.recovery import Checked, recover
from trnews.records import SentencePair, TranslatedArticle, TranslatedParagraph
from trnews.translation.base import Engine

FLAGGED = "flagged:"
RECOVERED = "recovered:"


class QualityCheck(Stage):
    name = "check"

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        outcome = each_article(batch, self._check)
        for work in outcome.done.values():
            assert work.translated is not None
            outcome.stats.update({FLAGGED + check: count for check, count in flag_counts(work.translated).items()})
            outcome.stats.update({RECOVERED + how: count for how, count in recovery_counts(work.translated).items()})
        return outcome

    def _check(self, work: Work) -> Work:
        assert work.translated is not None
        return work.but(translated=checked_article(work.translated, self.run.settings.quality,
                                                   self.run.recovery_engine))


def checked_article(article: TranslatedArticle, config: QualityConfig, engine: Engine) -> TranslatedArticle:
    """`article` with each sentence checked, tried again by `engine` if it fails, and flagged if
    it still does."""
    pairs = [PairToCheck(p.tr, p.en, p.score) for p in article.pairs()]
    checked = iter(recover([Checked(pair, flags) for pair, flags in zip(pairs, check_pairs(pairs, config))],
                           engine, config))

    def updated(pair: SentencePair) -> SentencePair:
        result = next(checked)
        changes = {"flags": result.flags, "recovered": result.recovered}
        if result.recovered:
            changes.update(en=result.pair.en, score=None if result.pair.score is None else round(result.pair.score, 4))
        return pair.model_copy(update=changes)

    paragraphs = [TranslatedParagraph(kind=paragraph.kind, sentences=[updated(pair) for pair in paragraph.sentences])
                  for paragraph in article.paragraphs]
    return article.model_copy(update={"paragraphs": paragraphs})


def flag_counts(article: TranslatedArticle) -> Counter[str]:
    """How many sentences of `article` each check flagged."""
    return Counter(flag.check for pair in article.pairs() for flag in pair.flags)


def recovery_counts(article: TranslatedArticle) -> Counter[str]:
    """Sentences of `article` that failed a check: recovered by n-best, by split, or still flagged
    (a hypothesis that fixed some of its flags but not all included)."""
    return Counter(pair.recovered.split(":")[0] if pair.recovered and not pair.flags else "still flagged"
                   for pair in article.pairs() if pair.recovered or pair.flags)


def run_counts(stats: Counter[str], prefix: str) -> dict[str, int]:
    """The counts of the check stage's `stats` under `prefix` (`FLAGGED`, `RECOVERED`)."""
    return {key[len(prefix):]: count for key, count in sorted(stats.items()) if key.startswith(prefix)}
