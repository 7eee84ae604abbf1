"""Model folders: an empty one for a builder to write into, and build-once with a completion marker,
so that an interrupted build is redone and a finished one reused."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

MARKER_NAME = ".trnews-testing-complete"
# Bump when the builders change in a way that makes previously built folders stale.
BUILD_VERSION = "1"


def fresh_dir(out_dir: Path) -> Path:
    """An empty ``out_dir``: a previous build there is removed, any other non-empty folder is refused."""
    out_dir = Path(out_dir)
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not ((out_dir / "config.json").is_file() or (out_dir / MARKER_NAME).is_file()):
            raise FileExistsError(f"{out_dir} is not empty and does not hold a model: refusing to replace it")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def is_built(path: Path) -> bool:
    marker = path / MARKER_NAME
    try:
        return marker.read_text(encoding="utf-8").strip() == BUILD_VERSION
    except OSError:
        return False


def build_once(path: Path, build: Callable[[Path], object]) -> Path:
    """Build into a sibling temporary folder, mark it complete, then move it into place.

    A folder without the marker (an interrupted build) is rebuilt; a concurrent builder that wins
    the final rename is accepted as is.
    """
    path = Path(path)
    if is_built(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        build(staging)
        (staging / MARKER_NAME).write_text(BUILD_VERSION + "\n", encoding="utf-8")
        if path.exists() and not is_built(path):
            shutil.rmtree(path, ignore_errors=True)
        try:
            os.replace(staging, path)
        except OSError:
            if not is_built(path):  # not a concurrent winner: something else is in the way
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return path
