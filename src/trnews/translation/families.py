"""How a model is told the languages: Marian models (opus-mt) translate one direction and need
nothing; multilingual families (NLLB-200, M2M100) need the source marked by their tokenizer and
the target forced as the first token of every translation. What each family needs is data
(`trnews/data/model_families.json`, by tokenizer class), so the engines hold no per-family code:
both ask `languages` and apply the answer their own way (transformers `forced_bos_token_id`,
CTranslate2 `target_prefix`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Languages:
    """A multilingual model's language codes for one direction."""

    family: str
    source: str  # the tokenizer's src_lang
    target_token: str  # forced as the translation's first token

    def key(self) -> str:
        """For the sentence-cache namespace: another direction or code is another translation."""
        return f"{self.family}:{self.source}>{self.target_token}"


@cache
def _families() -> dict[str, dict[str, Any]]:
    text = resources.files("trnews").joinpath("data", "model_families.json").read_text(encoding="utf-8")
    return {name: family for name, family in json.loads(text).items() if not name.startswith("_")}


def languages(tokenizer_class: str | None, source: str, target: str) -> Languages | None:
    """The codes a model whose tokenizer is a `tokenizer_class` needs to translate `source` ->
    `target` (trnews's language names, "tr" and "en"), or None for a model that needs none."""
    family = _families().get(tokenizer_class or "")
    if family is None:
        return None
    codes = family["languages"]
    return Languages(family["family"], codes[source], family["target_token"].format(code=codes[target]))


def tokenizer_languages(tokenizer: Any, source: str, target: str) -> Languages | None:
    """`languages` of the model whose tokenizer is `tokenizer` (a loaded one)."""
    return languages(type(tokenizer).__name__, source, target)


def mark_source(tokenizer: Any, source: str, target: str) -> None:
    """Sets `tokenizer` to mark its inputs as `source` (NLLB prefixes tur_Latn, M2M100 __tr__)."""
    found = tokenizer_languages(tokenizer, source, target)
    if found is not None:
        tokenizer.src_lang = found.source
