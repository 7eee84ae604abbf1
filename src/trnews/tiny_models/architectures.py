"""The architectures built here, as data: `data/<name>.json` holds a model's config (the fields
its transformers config class takes), its generation defaults and, for replicas of published
models, where the figures come from and the parameter count they give."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Architecture:
    config: Mapping[str, Any]
    generation: Mapping[str, Any]
    num_parameters: int | None  # what `model.num_parameters()` gives, for replicas


@cache
def architecture(name: str) -> Architecture:
    """`data/<name>.json` (keys starting with `_` are its documentation)."""
    text = resources.files("trnews.tiny_models").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Architecture(data["config"], data.get("generation", {}), data.get("num_parameters"))
