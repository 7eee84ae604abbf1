"""The README's set-up (`make venv`) installs torch from PyTorch's CPU index first and from the
default index only where that fails; checked with a stand-in pip that records what it was asked
(nothing is downloaded). `make check-torch` resolves the real thing, by hand or in CI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_venv(tmp_path: Path, *variables: str, index_reachable: bool = True) -> list[list[str]]:
    """Runs the Makefile's venv recipe with a stand-in pip; the pip calls it made, by arguments."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    calls = tmp_path / "pip-calls"
    fails = "" if index_reachable else 'case " $* " in *" --index-url "*) exit 1;; esac\n'
    pip = venv / "bin" / "pip"
    pip.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\n{fails}exit 0\n')
    pip.chmod(0o755)
    subprocess.run(["make", "-C", str(ROOT), f"VENV={venv}", "PYTHON=true", *variables, f"{venv}/bin/.installed"],
                   check=True, capture_output=True, text=True, timeout=60)
    return [line.split() for line in calls.read_text().splitlines()]


def test_torch_comes_from_the_cpu_index_before_anything_else(tmp_path):
    torch, package = make_venv(tmp_path)
    assert torch[-1] == "torch==2.13.0" and torch[torch.index("--index-url") + 1] == CPU_INDEX
    assert "-e" in package and "--index-url" not in package  # trnews itself from the default index


def test_where_the_cpu_index_cannot_be_reached_the_default_index_is_tried(tmp_path):
    from_cpu_index, from_default_index, package = make_venv(tmp_path, index_reachable=False)
    assert "--index-url" in from_cpu_index
    assert from_default_index[-1] == "torch==2.13.0" and "--index-url" not in from_default_index
    assert "-e" in package


def test_a_gpu_machine_chooses_its_index_or_the_default(tmp_path):
    cuda, _ = make_venv(tmp_path / "cuda", "TORCH_INDEX=https://download.pytorch.org/whl/cu128")
    assert cuda[cuda.index("--index-url") + 1] == "https://download.pytorch.org/whl/cu128"
    default, _ = make_venv(tmp_path / "default", "TORCH_INDEX=", "TORCH_SPEC=torch==2.13.0")
    assert "--index-url" not in default and default[-1] == "torch==2.13.0"
