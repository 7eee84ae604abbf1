"""The Turkish -> English models trnews knows (`trnews/data/models.toml`): the presets a user picks
by name (`--model best|fast|nllb-600m|nllb-1.3b`), and each model's published quality, licence and
size, with sources. `trnews eval` prints the published figures beside its own; `notices` says what
a user must know before relying on a model (a non-commercial licence, a model known to be useless
for Turkish -> English). Imports nothing of trnews: `trnews.config` declares its settings from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Preset:
    name: str
    model: str  # hub id
    engine: str
    about: str


@dataclass(frozen=True)
class Published:
    """What is published about a model's tr -> en quality (BLEU, chrF by test set: "flores200-devtest",
    "newstest2016" ...) and where."""

    model: str
    licence: str
    source: str
    parameters: str = ""
    non_commercial: bool = False
    useless: bool = False  # for Turkish -> English
    bleu: dict[str, float] = field(default_factory=dict)
    chrf: dict[str, float] = field(default_factory=dict)


@cache
def _catalog() -> dict[str, Any]:
    return tomllib.loads(resources.files("trnews").joinpath("data", "models.toml").read_text(encoding="utf-8"))


def presets() -> dict[str, Preset]:
    """The presets, in the data file's order."""
    return {name: Preset(name, **entry) for name, entry in _catalog()["presets"].items()}


def default_preset() -> str:
    return str(_catalog()["default_preset"])


def published(model: str) -> Published | None:
    """The published figures of `model`: a hub id, or a local folder named as the hub repository
    (`/models/opus-mt-tr-en` is taken for Helsinki-NLP/opus-mt-tr-en); None for a model not listed."""
    models = _catalog()["models"]
    if model in models:
        return Published(model, **models[model])
    name = Path(model).expanduser().name
    for hub_id, entry in models.items():
        if hub_id.split("/")[-1] == name:
            return Published(hub_id, **entry)
    return None


def wmt_test_sets() -> dict[str, str]:
    """The WMT test sets `trnews eval` scores on: published name (newstest2017) -> sacreBLEU's (wmt17)."""
    return dict(_catalog()["test_sets"])


def licence_note(found: Published) -> str:
    return f"{found.model} is licensed {found.licence}: non-commercial use only."


def notices(model: str) -> list[str]:
    """What a user must be told before translating with `model`: a non-commercial licence, or that
    it is known to be useless for Turkish -> English (with the published figure)."""
    found = published(model)
    if found is None:
        return []
    told = []
    if found.non_commercial:
        told.append(licence_note(found))
    if found.useless:
        figures = ", ".join(f"{test} {score}" for test, score in found.bleu.items())
        told.append(f"{found.model} is known to translate Turkish -> English badly: published BLEU {figures} "
                    f"({found.source}). Use --model best (Helsinki-NLP/opus-mt-tc-big-tr-en, FLORES-200 "
                    f"{published_bleu('Helsinki-NLP/opus-mt-tc-big-tr-en')}).")
    return told


def published_bleu(model: str, test: str = "flores200-devtest") -> float | None:
    found = published(model)
    return found.bleu.get(test) if found else None


def preset_help() -> str:
    """The `--model` option's help: every preset, its model, licence and what to know about it."""
    described = []
    for preset in presets().values():
        found = published(preset.model)
        licence = f" ({found.licence}{': non-commercial use only' if found.non_commercial else ''})" if found else ""
        described.append(f"{preset.name} = {preset.model.split('/')[-1]}{licence}, {preset.about}")
    return "Translation model by name: " + "; ".join(described) + ". A model given by hub id or folder " \
                                                                 "(TRNEWS_MT_MODEL) wins."
