"""Is the article Turkish? Detected with lingua on the kept body, from a fixed set of likely
languages (`trnews.text.languages`), for many articles at once on every CPU
(`check_languages`: on one CPU, detection costs a third of the cleaning stage).

A non-Turkish or uncertain article is not dropped: it is returned with `skip_reason` set ("not
Turkish: detected English (confidence 0.97)") so that the batch index shows why it was not
translated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from lingua import ConfidenceValue, Language

from trnews.records import CleanArticle
from trnews.text.languages import language_detector

__all__ = ["check_languages", "language_detector"]

# Below this Turkish confidence an article is skipped even if Turkish is the top guess.
MIN_TURKISH_CONFIDENCE = 0.5
# Lingua is as accurate on the first few thousand characters as on a whole article, and faster.
DETECTION_SAMPLE_CHARS = 4000


def _language_verdict(confidences: list[ConfidenceValue]) -> tuple[str | None, str | None]:
    """(ISO 639-1 code, skip reason or None) from lingua's confidence values for a body text."""
    if not confidences or confidences[0].value <= 0:
        return None, "language could not be detected"
    top = confidences[0]
    code = top.language.iso_code_639_1.name.lower()
    if top.language != Language.TURKISH:
        return code, f"not Turkish: detected {top.language.name.title()} (confidence {top.value:.2f})"
    if top.value < MIN_TURKISH_CONFIDENCE:
        return code, f"not Turkish: Turkish confidence too low ({top.value:.2f})"
    return code, None


def check_languages(articles: Sequence[CleanArticle]) -> list[CleanArticle]:
    """The articles with their language, and a skip reason unless their body is Turkish; lingua
    judges them all at once, in parallel (articles without text keep their skip reason)."""
    started = time.perf_counter()
    judged = [index for index, article in enumerate(articles) if not article.skip_reason]
    samples = ["\n".join(p.text for p in articles[i].paragraphs)[:DETECTION_SAMPLE_CHARS] for i in judged]
    verdicts = dict(zip(judged, map(
        _language_verdict, language_detector().compute_language_confidence_values_in_parallel(samples))))
    share = (time.perf_counter() - started) / max(len(articles), 1)
    results = []
    for index, article in enumerate(articles):
        language, skip_reason = verdicts.get(index, (None, article.skip_reason))
        timings = {**article.timings, "clean": round(article.timings.get("clean", 0.0) + share, 4)}
        results.append(article.model_copy(update={"language": language, "skip_reason": skip_reason,
                                                  "timings": timings}))
    return results
