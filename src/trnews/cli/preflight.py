"""What `trnews run` checks before Prefect starts, so that a typo costs no Prefect start-up (15-20 s)
and ends in one line with exit code 2: the model paths and the inputs (`trnews serve`: the model
paths, before it serves a deployment that would fail every night). Settings are checked as
each command reads them (`trnews.config.load_settings`, and click for the options).

Only what can be known without the network or a model is checked here: a model given as a path
that is no model folder, inputs that hold no article file at all. A hub id is resolved by the
run itself (it may need the hub), and a path that cannot be read beside readable ones is the
run's to report: the others are still worth the run.
"""

from __future__ import annotations

from pathlib import Path

from trnews.config import Settings
from trnews.errors import TrnewsError
from trnews.stages.ingest import article_files
from trnews.stages.ingest.files import FORMATS
from trnews.translation.hub import BACK_TRANSLATION, MT, SUMMARISER, check_model_path


class NothingToRead(TrnewsError):
    """Inputs that hold no article file at all: nothing a run could do."""

    exit_code = 2


def check_models(settings: Settings) -> None:
    """`ModelUnavailable` for a model of the run given as a path that is no model folder."""
    check_model_path(settings.translation.spec, MT)
    if settings.summary.kind == "abstractive":
        check_model_path(settings.summary.spec, SUMMARISER)
        check_model_path(settings.back_translation().spec, BACK_TRANSLATION)


def check_inputs(inputs: list[Path], settings: Settings) -> None:
    """`NothingToRead`, naming each input and why, when no input holds an article file; with a
    sources file, what the fetch brings may be all there is, so inputs may hold none."""
    if settings.fetch.sources is not None:
        return
    files, unreadable = article_files(inputs)
    if files:
        return
    kinds = ", ".join(FORMATS)
    reasons = [f"{problem.path}: {problem.reason}" for problem in unreadable]
    for given in inputs:
        if any(Path(problem.path).is_relative_to(given) for problem in unreadable):
            continue
        reasons.append(f"{given}: no article file ({kinds}) in this folder" if given.is_dir()
                       else f"{given}: not an article file ({kinds})")
    raise NothingToRead("nothing to read: " + "; ".join(reasons))
