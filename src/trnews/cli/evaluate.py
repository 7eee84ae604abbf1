"""`trnews eval`: BLEU and chrF of the configured translation model and engine, beside the figures
published for that model (`trnews.translation.evaluation`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from trnews.cli.console import console, tell_model_notices
from trnews.cli.options import takes_settings
from trnews.config import Settings
from trnews.translation.catalog import wmt_test_sets

TRANSLATION_SETTINGS = ("model", "mt_model", "mt_revision", "engine", "device", "beam_size", "max_new_tokens",
                        "batch_tokens", "threads", "offline", "cache_dir")


@takes_settings(*TRANSLATION_SETTINGS)
def evaluate(
    test_set: Annotated[Optional[list[str]], typer.Option(
        "--test-set", help=f"WMT test set, tr-en, downloaded by sacreBLEU ({', '.join(wmt_test_sets())}); "
                           "repeatable. Default: all of them, unless files are given.")] = None,
    origlang: Annotated[Optional[str], typer.Option(
        "--origlang", help="Only the WMT documents first written in this language (tr: Turkish-original news).")] = None,
    source_file: Annotated[Optional[Path], typer.Option(
        "--source-file", help="Turkish sentences, one a line (e.g. FLORES-200 devtest tur_Latn).")] = None,
    reference_file: Annotated[Optional[Path], typer.Option(
        "--reference-file", help="Their English references, line for line (e.g. FLORES-200 devtest eng_Latn).")] = None,
    test_name: Annotated[Optional[str], typer.Option(
        "--test-name", help="What published scores call the files' test set (flores200-devtest), to show "
                            "the published figure beside the measured one.")] = None,
    *,
    settings: Settings,
) -> None:
    """Score the translation model on WMT news (tr-en) or on parallel files: BLEU and chrF
    (sacreBLEU, signatures printed) beside the model's published figures."""
    from trnews.translation.evaluation import EvaluationUnavailable, evaluate as run_evaluation
    from trnews.translation.evaluation import file_test_set, wmt_test_set

    if (source_file is None) != (reference_file is None):
        raise EvaluationUnavailable("give both --source-file and --reference-file")
    tell_model_notices(settings)
    if settings.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    tests = [file_test_set(source_file, reference_file, test_name)] if source_file and reference_file else []
    names = test_set if test_set is not None else ([] if tests else list(wmt_test_sets()))
    tests += [wmt_test_set(name, origlang=origlang, offline=settings.offline) for name in names]
    translation = settings.translation
    scores = run_evaluation(translation, settings.cache_dir, tests)

    table = Table(title=f"{translation.chosen_model} ({translation.chosen_engine}, beam {translation.beam_size})")
    table.add_column("test set", no_wrap=True)
    for column in ("sentences", "BLEU", "chrF", "published\nBLEU", "published\nchrF"):
        table.add_column(column, justify="right")
    for score in scores:
        table.add_row(score.test_set.name, str(len(score.test_set.sources)),
                      f"{score.bleu:.1f}", f"{score.chrf:.1f}", _figure(score.published_bleu),
                      _figure(score.published_chrf))
    console.print(table)
    for score in scores:
        console.print(f"{score.test_set.name}: {score.test_set.origin}", highlight=False, soft_wrap=True)
    if scores:
        console.print(f"BLEU signature: {scores[0].bleu_signature}", highlight=False)
        console.print(f"chrF signature: {scores[0].chrf_signature}", highlight=False)
        found = scores[0].published
        console.print(f"published: {found.source}" if found else "published: no figures for this model", highlight=False)
        if origlang:
            console.print("(published figures are for whole test sets, not their origlang subsets)")


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
