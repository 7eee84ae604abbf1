"""The translate stage: every sentence of the wave in one call to the run's cached translator, so
that batches span articles and a sentence seen anywhere before is never translated again. An
article with a sentence that could not be translated fails, with the reason."""

from __future__ import annotations

from collections.abc import Mapping

from trnews.pipeline import progress
from trnews.pipeline.stage import Dropped, Stage, StageOutcome, Work
from trnews.records import BilingualText, SegmentedArticle, SentencePair, TranslatedArticle, TranslatedParagraph
from trnews.translation.base import Hypothesis


class Translate(Stage):
    name = "translate"
    whole_wave = True

    def process_batch(self, batch: dict[str, Work]) -> StageOutcome:
        segmented = {article_id: work.segmented for article_id, work in batch.items() if work.segmented}
        occurrences = [s for article in segmented.values() for s in article.sentences()]
        result = self.run.translator.translate_all(
            occurrences, on_pending=lambda count: progress.listener.stage_started("translate", count, unit="sentences"))
        seconds_per_sentence = result.seconds / max(len(result.fresh), 1)
        outcome = StageOutcome()
        for article_id, article in segmented.items():
            sentences = article.sentences()
            failed = next((result.failed[s] for s in sentences if s in result.failed), None)
            if failed:
                outcome.dropped[article_id] = Dropped(failed)
                continue
            # Model time is shared by the sentences it translated; reused ones cost nothing.
            seconds = round(seconds_per_sentence * sum(1 for s in sentences if s in result.fresh), 4)
            outcome.done[article_id] = batch[article_id].but(
                translated=translated_article(article, result.hypotheses, seconds))
        return outcome


def shown_score(score: float | None) -> float | None:
    """A score as the outputs show it: four decimals say all a reader or a threshold needs."""
    return None if score is None else round(score, 4)


def translated_article(article: SegmentedArticle, hypotheses: Mapping[str, Hypothesis], seconds: float) -> TranslatedArticle:
    """`article` with each sentence's translation, taking `seconds` to translate."""
    def pair(sentence: str) -> SentencePair:
        hypothesis = hypotheses[sentence]
        return SentencePair(tr=sentence, en=hypothesis.text, score=shown_score(hypothesis.score))

    title = [pair(s) for s in article.title_sentences]
    paragraphs = [TranslatedParagraph(kind=p.kind, sentences=[pair(s) for s in p.sentences]) for p in article.paragraphs]
    timed = article.article.model_copy(update={"timings": {**article.article.timings, "translate": seconds}})
    return TranslatedArticle(article=timed,
                             title=BilingualText(tr=" ".join(p.tr for p in title), en=" ".join(p.en for p in title)),
                             paragraphs=paragraphs)
