"""Shared fixtures: tiny real-architecture models (built once per session), one Prefect API for
the session (the test harness's, which `trnews` subprocesses reach through `cli_env`) and
settings that point the pipeline at both.

Tests never touch the user's Prefect: PREFECT_HOME is a temporary folder, set before anything
imports Prefect, and a PREFECT_API_URL from the user's shell is ignored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

# Tests never reach the Hugging Face hub (there is none here, and CI must not depend on it).
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["PREFECT_HOME"] = PREFECT_HOME = tempfile.mkdtemp(prefix="trnews-tests-prefect-")
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILE", None)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# pytest-xdist starts its workers with COLUMNS=80, and rich fixes a console's width from COLUMNS
# when the console is made (at import): each test gives the width it checks with its invocation.
os.environ.pop("COLUMNS", None)

from trnews.config import Settings  # noqa: E402
from trnews.tiny_models import TestModels, build_test_models  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(PREFECT_HOME, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Under CI=true a skipped browser test is a failure: CI must not go green without them."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser") and os.environ.get("CI", "").lower() in {"true", "1"}:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI=true ({reason}); CI must install Chromium"


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

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def cli_env(prefect_harness) -> dict[str, str]:
    """The environment for `trnews` subprocesses: the session's Prefect API (no temporary server
    of their own to start, 10-20 s each on a busy machine), no hub, a wide terminal, no second try
    of failing translations."""
    from prefect.settings import PREFECT_API_URL

    # No second try of failing translations: with random weights every one fails (see `tiny_settings`).
    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "HF_HUB_OFFLINE": "1", "COLUMNS": "120",
            "TRNEWS_RECOVERY_HYPOTHESES": "0"}


@pytest.fixture(scope="session")
def prefect_servers_of() -> Callable[[Path], list[Any]]:
    """The Prefect API server processes (uvicorn) running with a given PREFECT_HOME, wherever
    their parent went: a run's temporary server must never outlive the run."""
    import psutil

    def servers(home: Path) -> list[psutil.Process]:
        found = []
        for process in psutil.process_iter(["cmdline"]):
            if "prefect.server.api.server:create_app" not in (process.info["cmdline"] or []):
                continue
            try:
                if process.environ().get("PREFECT_HOME") == str(home):
                    found.append(process)
            except psutil.Error:  # gone meanwhile, or another user's
                continue
        return found

    return servers


@pytest.fixture
def in_threads() -> Callable[[Callable[[], Any], int], list[Any]]:
    """Run a call in several threads at once (as concurrent tasks of one process would); their results."""
    def run(call: Callable[[], Any], count: int = 3) -> list[Any]:
        with ThreadPoolExecutor(count) as pool:
            return [future.result() for future in [pool.submit(call) for _ in range(count)]]

    return run


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
        # Random weights fail every check: a second try of every sentence would triple the time of
        # each flow run. tests/test_quality.py drives the second try with the tiny model.
        recovery_hypotheses=0,
        engine="transformers",  # the flow tests' own; both engines: test_engines, test_multilingual
    )
