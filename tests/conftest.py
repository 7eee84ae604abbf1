"""Shared fixtures: tiny real-architecture models (built once per session), a Prefect test
harness (one temporary API for the session) and settings that point the pipeline at both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never reach the Hugging Face hub (there is none here, and CI must not depend on it).
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from trnews.config import Settings  # noqa: E402
from trnews.testing import TestModels, build_test_models  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def examples() -> Path:
    """The bundled sample articles (`examples/articles/`)."""
    return EXAMPLES


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TestModels:
    return build_test_models(tmp_path_factory.mktemp("tiny-models"))


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def tiny_settings(tmp_path: Path, tiny_models: TestModels) -> Settings:
    """Settings for a fast run with the tiny models into a fresh output and cache folder."""
    return Settings(
        output_dir=tmp_path / "outputs",
        cache_dir=tmp_path / "cache",
        mt_model=str(tiny_models.mt_tr_en),
        summariser_model=str(tiny_models.summariser),
        back_translation_model=str(tiny_models.mt_en_tr),
        beam_size=2,
        max_new_tokens=12,
        device="cpu",
    )
