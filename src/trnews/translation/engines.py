"""Choosing an engine, and what identifies its translations.

`translation_namespace` is the sentence-cache key prefix of a configuration: everything that
changes the text produced for a sentence, so that no translation made otherwise is ever served.
"""

from __future__ import annotations

from pathlib import Path

from trnews.config import TranslationConfig
from trnews.stores import CacheLayout
from trnews.translation.base import Engine
from trnews.translation.families import languages
from trnews.translation.hub import MT, ModelRole, load_tokenizer, model_identity, resolve_device, tokenizer_class
from trnews.translation.tokens import TokenCounter, token_counter

# Part of every sentence-cache namespace: bump it with any change to an engine, `tokens` or
# `base` that changes the text produced for a sentence (decoding, batching rules, output
# limits), so that no translation made by the old code is served again. Not a hash of the
# source files: a comment or a refactoring must not cost users a retranslation of their archive.
TRANSLATION_CODE_VERSION = 2


def make_engine(config: TranslationConfig, role: ModelRole, cache_dir: Path) -> Engine:
    """The engine `config` asks for; CTranslate2 keeps its converted models in `cache_dir`."""
    if config.chosen_engine == "ctranslate2":
        from trnews.translation.ctranslate2_engine import CTranslate2Translator

        return CTranslate2Translator(config, role, CacheLayout(cache_dir).converted)
    from trnews.translation.transformers_engine import TransformersTranslator

    return TransformersTranslator(config, role)


def compute_type(config: TranslationConfig) -> str:
    """The arithmetic the engine translates with: int8 (CTranslate2 on CPU), float16 (on CUDA),
    float32 (transformers, which loads weights as saved and never casts them)."""
    if config.chosen_engine == "ctranslate2":
        from trnews.translation.ctranslate2_engine import quantization_for

        return quantization_for(resolve_device(config.device))
    return "float32"


def translation_namespace(config: TranslationConfig, role: ModelRole = MT) -> str:
    """The sentence-cache namespace of `config`: the settings, the model as loaded
    (`hub.model_identity`: hub commit or local folder content), a multilingual model's language
    codes (`families.languages`), the engine's compute type and `TRANSLATION_CODE_VERSION`. Loads
    no weights; raises `ModelUnavailable` when the model's identity cannot be had."""
    identity = model_identity(config.spec, role)
    target = languages(tokenizer_class(config.spec, role), role.source, role.target)
    return (
        f"{config.cache_namespace()}|model={identity}" + (f"|langs={target.key()}" if target else "")
        + f"|compute={compute_type(config)}|code={TRANSLATION_CODE_VERSION}"
    )


def count_tokens_with(config: TranslationConfig) -> TokenCounter:
    """A token counter for the segmenter, using the model's own tokenizer (no weights loaded)."""
    return token_counter(load_tokenizer(config.spec))


def model_input_limit(config: TranslationConfig) -> int:
    """The longest input to give the model: the configured limit, unless the tokenizer allows less."""
    limit = getattr(load_tokenizer(config.spec), "model_max_length", None) or config.max_input_tokens
    return min(config.max_input_tokens, int(limit))
