"""The set of tiny models that tests, benchmarks and trial runs use, and the opus-mt-tr-en replica,
each built once into its folder and reused afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trnews.tiny_models.bart import build_tiny_bart
from trnews.tiny_models.folders import build_once
from trnews.tiny_models.marian import build_tiny_marian
from trnews.tiny_models.replica import build_opus_mt_tr_en_replica


@dataclass(frozen=True)
class TestModels:
    """Folders of the tiny models built by :func:`build_test_models`."""

    __test__ = False  # not a pytest test class despite its name

    mt_tr_en: Path
    mt_en_tr: Path
    summariser: Path


def build_test_models(out_dir: Path) -> TestModels:
    """Build the tiny TR->EN and EN->TR Marian models and the tiny BART summariser under ``out_dir``.

    Subfolders ``mt_tr_en``, ``mt_en_tr`` and ``summariser``; folders already built (by this
    version of the module) are reused, so calling it again is cheap.
    """
    out_dir = Path(out_dir)
    return TestModels(
        mt_tr_en=build_once(
            out_dir / "mt_tr_en",
            lambda p: build_tiny_marian(p, source_lang="tr", target_lang="en", seed=0),
        ),
        mt_en_tr=build_once(
            out_dir / "mt_en_tr",
            lambda p: build_tiny_marian(p, source_lang="en", target_lang="tr", seed=1),
        ),
        summariser=build_once(out_dir / "summariser", lambda p: build_tiny_bart(p, seed=2)),
    )


def build_replica_once(out_dir: Path) -> Path:
    """:func:`build_opus_mt_tr_en_replica` into ``out_dir`` unless a complete build is already there."""
    return build_once(Path(out_dir), lambda p: build_opus_mt_tr_en_replica(p))
