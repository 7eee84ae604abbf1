"""``python -m trnews.tiny_models OUT_DIR [--replica]``: build the offline models and print, per
model, the trnews option that selects it, so that callers never need the folder names."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from pathlib import Path

from trnews.tiny_models.build import build_replica_once, build_test_models
from trnews.translation.hub import BACK_TRANSLATION, MT, SUMMARISER


def main(argv: Sequence[str] | None = None) -> int:
    """Build the tiny models into OUT_DIR (reusing complete builds) and print one line per model:
    the option to pass to trnews, then the folder (``--mt-model OUT_DIR/mt_tr_en``)."""
    parser = argparse.ArgumentParser(
        prog="python -m trnews.tiny_models",
        description=(
            "Build small random-weight models with the production architectures (MarianMT, BART) "
            "so the pipeline runs offline, and print the trnews option for each, one per line "
            "(e.g. --mt-model OUT_DIR/mt_tr_en). Their output is meaningless text."
        ),
    )
    parser.add_argument("out_dir", type=Path, help="folder to build into (existing complete builds are reused)")
    parser.add_argument(
        "--replica",
        action="store_true",
        help="also build a random-weight model with the exact opus-mt-tr-en architecture "
        "(76.6 M parameters, ~306 MB) for benchmarks; its line, printed last, is another --mt-model",
    )
    args = parser.parse_args(argv)
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" bars: noise for a command-line tool
    try:
        models = build_test_models(args.out_dir)
        _print_option(MT.option, models.mt_tr_en)
        _print_option(SUMMARISER.option, models.summariser)
        _print_option(BACK_TRANSLATION.option, models.mt_en_tr)
        if args.replica:
            _print_option(MT.option, build_replica_once(args.out_dir / "opus_mt_tr_en_replica"))
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return 0


def _print_option(option: str, folder: Path) -> None:
    """One line to paste into a trnews command line: the option and the folder, shell-quoted."""
    print(f"{option} {shlex.quote(str(folder))}", flush=True)
