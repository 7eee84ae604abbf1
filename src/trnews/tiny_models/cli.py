"""``python -m trnews.tiny_models OUT_DIR [--replica]``: build the offline models, print their folders."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from trnews.tiny_models.build import build_replica_once, build_test_models


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m trnews.tiny_models OUT_DIR [--replica]``: build the offline models, print their paths."""
    parser = argparse.ArgumentParser(
        prog="python -m trnews.tiny_models",
        description=(
            "Build small random-weight models with the production architectures (MarianMT, BART) "
            "so the pipeline runs offline, e.g. trnews run --mt-model OUT_DIR/mt_tr_en. "
            "Their output is meaningless text."
        ),
    )
    parser.add_argument("out_dir", type=Path, help="folder to build into (existing complete builds are reused)")
    parser.add_argument(
        "--replica",
        action="store_true",
        help="also build a random-weight model with the exact opus-mt-tr-en architecture "
        "(76.6 M parameters, ~306 MB) for benchmarks",
    )
    args = parser.parse_args(argv)
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" bars: noise for a command-line tool
    try:
        models = build_test_models(args.out_dir)
        print(f"mt_tr_en\t{models.mt_tr_en}")
        print(f"mt_en_tr\t{models.mt_en_tr}")
        print(f"summariser\t{models.summariser}")
        if args.replica:
            print(f"opus_mt_tr_en_replica\t{build_replica_once(args.out_dir / 'opus_mt_tr_en_replica')}")
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    sys.stdout.flush()
    return 0
