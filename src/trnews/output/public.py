"""What published outputs say about where an article and its models came from: names, never the
machine's paths. Pages, the index and the article JSON go to whoever the output folder is
published to; `/home/ali/models/opus-mt-tr-en` or `/srv/scrapes/2026-11/haber.txt` would tell
them about the machine and nothing about the article. (The run reports, the operator's record,
keep the paths.)"""

from __future__ import annotations

from pathlib import Path

from trnews.config import ModelSpec
from trnews.translation.hub import is_local, is_path_like


def source_name(source: str) -> str:
    """A URL as it is; a local path by its file's name (with the `:N` of a JSONL line)."""
    return source if "://" in source else Path(source).name


def model_name(model: str) -> str:
    """A hub id as it is (`Helsinki-NLP/opus-mt-tr-en`); a local folder by its own name."""
    return Path(model).expanduser().name if is_local(ModelSpec(id=model)) or is_path_like(model) else model
