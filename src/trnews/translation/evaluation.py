"""How good the configured translation is, measured: BLEU and chrF (sacreBLEU, with their
signatures, so that figures are comparable with published ones) of the configured model and
engine, on the WMT news test sets (tr-en, downloaded by sacreBLEU; `origlang="tr"` keeps the
Turkish-original half) or on parallel files the user names, each beside the figure published for
that model (`catalog.published`).

Translations go through the same cached path as a run (`cached_translator`), one line a sentence,
so a second evaluation of the same model costs nothing.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from trnews.config import TranslationConfig
from trnews.errors import TrnewsError
from trnews.translation.cached import cached_translator
from trnews.translation.catalog import Published, published, wmt_test_sets

LANGUAGE_PAIR = "tr-en"


class EvaluationUnavailable(TrnewsError):
    """A test set cannot be had (offline, unreachable, or files that do not pair up)."""

    exit_code = 2


@dataclass(frozen=True)
class TestSet:
    __test__ = False  # not a pytest test class despite its name

    name: str  # as published scores name it: newstest2017, flores200-devtest
    origin: str  # where it came from, for the report
    sources: list[str]
    references: list[str]


@dataclass(frozen=True)
class Score:
    test_set: TestSet
    bleu: float
    chrf: float
    bleu_signature: str
    chrf_signature: str
    published: Published | None

    @property
    def published_bleu(self) -> float | None:
        return self.published.bleu.get(self.test_set.name) if self.published else None

    @property
    def published_chrf(self) -> float | None:
        return self.published.chrf.get(self.test_set.name) if self.published else None


def _unreachable(url: str) -> str | None:
    """Why the host of `url` cannot be reached, if a quick connection says so (sacreBLEU's own
    download waits without a timeout)."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 443), timeout=5).close()
    except OSError as error:
        return f"cannot connect to {parts.hostname}: {error}"
    return None


def wmt_test_set(name: str, *, origlang: str | None = None, offline: bool = False) -> TestSet:
    """The WMT test set published as `name` (newstest2016..2018), tr-en, from sacreBLEU's folder,
    downloaded there first if needed; only the documents first written in `origlang` if given."""
    from sacrebleu.dataset import DATASETS
    from sacrebleu.utils import filter_subset

    known = wmt_test_sets()
    if name not in known:
        raise EvaluationUnavailable(f"unknown test set {name!r}: one of {', '.join(known)}")
    dataset = DATASETS[known[name]]
    files = [Path(dataset._get_txt_file_path(LANGUAGE_PAIR, field)) for field in ("src", "ref")]
    if not all(path.is_file() for path in files) and not any(Path(dataset._rawdir).glob("*")):
        why = "offline mode is on" if offline else _unreachable(dataset.data[0])
        if why:
            raise EvaluationUnavailable(
                f"{name} is not downloaded and cannot be ({why}): run `trnews eval` once with network access, "
                "or score parallel files with --source-file and --reference-file")
    try:
        sources = Path(dataset.get_source_file(LANGUAGE_PAIR)).read_text(encoding="utf-8").splitlines()
        [reference] = dataset.get_reference_files(LANGUAGE_PAIR)
        references = Path(reference).read_text(encoding="utf-8").splitlines()
        if origlang:
            sources, references = filter_subset([sources, references], known[name], LANGUAGE_PAIR, origlang)
    except (OSError, SystemExit) as error:  # sacreBLEU exits on a failed checksum
        raise EvaluationUnavailable(f"cannot get {name} ({known[name]} {LANGUAGE_PAIR}): {error}") from None
    origin = f"sacreBLEU {known[name]} {LANGUAGE_PAIR}" + (f", origlang={origlang}" if origlang else "")
    return TestSet(name, origin, sources, references)


def file_test_set(source: Path, reference: Path, name: str | None = None) -> TestSet:
    """A test set of two files, one sentence a line, line for line."""
    try:
        sources = source.read_text(encoding="utf-8").splitlines()
        references = reference.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvaluationUnavailable(f"cannot read the test set: {error}") from None
    if len(sources) != len(references) or not sources:
        raise EvaluationUnavailable(f"{source} has {len(sources)} lines and {reference} {len(references)}: "
                                    "a test set needs one reference line for each source line")
    return TestSet(name or source.name, f"{source} / {reference}", sources, references)


def evaluate(config: TranslationConfig, cache_dir: Path, test_sets: Sequence[TestSet]) -> list[Score]:
    """Each test set translated with `config` and scored against its references."""
    from sacrebleu.metrics import BLEU, CHRF

    translator = cached_translator(config, cache_dir)
    scores = []
    try:
        for test in test_sets:
            to_translate = [s for s in test.sources if s.strip()]
            translated = dict(zip(to_translate, translator.translate(to_translate)))
            hypotheses = [translated[s].text if s.strip() else "" for s in test.sources]
            bleu, chrf = BLEU(), CHRF()
            scores.append(Score(test, bleu.corpus_score(hypotheses, [test.references]).score,
                                chrf.corpus_score(hypotheses, [test.references]).score,
                                str(bleu.get_signature()), str(chrf.get_signature()), published(config.chosen_model)))
    finally:
        translator.close()
    return scores
