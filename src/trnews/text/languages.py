"""The language detector every part of trnews uses (lingua, offline): the cleaner asks whether an
article is Turkish, the quality checks whether a translation is English."""

from __future__ import annotations

import functools
import threading

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Languages the detector chooses between: Turkish, its close relative Azerbaijani (so that
# Azerbaijani news is not mistaken for Turkish), and the languages foreign-news pages in Turkey
# are most often scraped in. Lingua has no Kurdish model.
DETECTED_LANGUAGES = (
    Language.TURKISH, Language.AZERBAIJANI, Language.ENGLISH, Language.GERMAN, Language.FRENCH,
    Language.SPANISH, Language.ITALIAN, Language.DUTCH, Language.PORTUGUESE, Language.RUSSIAN,
    Language.UKRAINIAN, Language.BULGARIAN, Language.GREEK, Language.ARABIC, Language.PERSIAN,
)

_DETECTOR_LOCK = threading.Lock()


@functools.cache
def _build_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*DETECTED_LANGUAGES).build()


def language_detector() -> LanguageDetector:
    """The process-wide lingua detector, built on first use (thread-safe, built once)."""
    with _DETECTOR_LOCK:
        return _build_detector()
