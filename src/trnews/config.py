"""All configuration, declared once.

Every setting is one field: its type, default, constraints and help, and (`Setting`) its flat
name, from which come its `TRNEWS_<NAME>` environment variable, its `--name` option (the CLI
builds its options from these fields: `trnews.cli.options`) and its key in a deployment's
parameters, and whether it changes what an article's outputs say (the pipeline fingerprint
leaves out those that do not). Translation and summary settings are nested configs
(`TranslationConfig`, `SummaryConfig`) that the stages receive whole; users set them by their
flat names (`mt_model`, `summary_beam_size`).

Defaults, overridden by `TRNEWS_*` environment variables, overridden by what is given directly
(the CLI's options, a deployment's parameters, keyword arguments).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from trnews.errors import ConfigError
from trnews.translation.catalog import default_preset, preset_help, presets

ENV_PREFIX = "TRNEWS_"

DEFAULT_SUMMARISER_MODEL = "sshleifer/distilbart-cnn-12-6"
DEFAULT_BACK_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-tc-big-en-tr"
# Most coverage of one event falls within three days; further apart, the same people make another story.
DEFAULT_STORY_WINDOW_DAYS = 3.0
# A long news article is 20-50 KB of text; 2 MB is a book. Beyond it an input is a mistake (a dump,
# a log, a concatenated archive) that would cost hours of translation and the summariser's memory.
DEFAULT_MAX_ARTICLE_BYTES = 2_000_000
# A second between two requests to one host: what crawler etiquette (and most robots.txt Crawl-delays) asks.
DEFAULT_FETCH_DELAY = 1.0

Engine = Literal["transformers", "ctranslate2"]
PresetName = Literal[tuple(presets())]  # type: ignore[valid-type]
Device = Literal["auto", "cpu", "cuda"]
SummariserKind = Literal["extractive", "abstractive"]


@dataclass(frozen=True)
class Setting:
    """How users give a setting: `name` is its flat key (environment variable `TRNEWS_<NAME>`,
    option `--<name>` with dashes, deployment parameter); `options` replaces the option's
    spellings; `output=False` for settings that change where or how fast work happens, never
    what it produces."""

    name: str
    options: tuple[str, ...] = ()
    output: bool = True

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def option_names(self) -> tuple[str, ...]:
        return self.options or ("--" + self.name.replace("_", "-"),)


def setting(default: Any, help: str, name: str, *, options: tuple[str, ...] = (), output: bool = True,
            **constraints: Any) -> Any:
    """A settings field: `default`, `help`, pydantic `constraints` and its `Setting` (see there)."""
    info = Field(default, description=help, **constraints)
    info.metadata.append(Setting(name, options, output))
    return info


class ModelSpec(BaseModel):
    """A Hugging Face hub id or a local directory, optionally pinned to a hub revision."""

    model_config = ConfigDict(frozen=True)

    id: str
    revision: str | None = None
    offline: bool = Field(default=False, description="never contact the hub for it (the `offline` setting)")


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # The `offline` setting, handed down by `Settings` so that wherever a config goes (a Dask
    # worker, a deployment's flow run) its models are loaded as the user asked.
    offline: bool = Field(default=False, exclude=True)


class TranslationConfig(_Config):
    """How sentences are translated; what changes a translation is its sentence-cache key. The model
    and engine are `--mt-model` and `--engine` where given, else the `--model` preset's
    (`chosen_model`, `chosen_engine`)."""

    preset: PresetName = setting(default_preset(), preset_help(), "model")
    model: str | None = setting(None, "Translation model: hub id (org/name) or local folder; default: the "
                                      "model preset's.", "mt_model")
    revision: str | None = setting(None, "Hub revision (branch, tag or commit) of the translation model to pin.",
                                   "mt_revision")
    engine: Engine | None = setting(None, "Translation engine; default: the model preset's (ctranslate2: int8 "
                                          "on CPU, float16 on CUDA).", "engine")
    device: Device = setting("auto", "Where models run: auto picks CUDA when available.", "device", output=False)
    beam_size: int = setting(4, "Beams per translation.", "beam_size", ge=1)
    max_new_tokens: int = setting(256, "Longest translation of one sentence, in tokens.", "max_new_tokens", ge=1)
    min_new_tokens: int = setting(0, "Force translations to at least this length (benchmarks).", "min_new_tokens", ge=0)
    max_input_tokens: int = setting(256, "Longer sentences are split at clause boundaries, never truncated.",
                                    "max_input_tokens", ge=8)
    batch_tokens: int = setting(2048, "Token budget of one translation batch (every beam and output counted).",
                                "batch_tokens", output=False, ge=64)
    threads: int | None = setting(
        None, "Compute threads of each translating process; default: the CPUs it may use that other processes "
              "leave free when its model loads, shared out among the workers of a local cluster.",
        "threads", output=False, ge=1)

    @property
    def chosen_model(self) -> str:
        return self.model or presets()[self.preset].model

    @property
    def chosen_engine(self) -> Engine:
        return self.engine or presets()[self.preset].engine  # type: ignore[return-value]

    @property
    def spec(self) -> ModelSpec:
        return ModelSpec(id=self.chosen_model, revision=self.revision, offline=self.offline)

    def cache_namespace(self) -> str:
        """What makes two translations of the same sentence differ (device and batch size do not)."""
        return (
            f"{self.chosen_model}@{self.revision or 'default'}"
            f"|engine={self.chosen_engine}|beam={self.beam_size}|max_new={self.max_new_tokens}"
            f"|min_new={self.min_new_tokens}"
        )


class QualityConfig(_Config):
    """How translations are checked (trnews.quality)."""

    # Firefox Translations marks a sentence whose mean token log-probability is below ln 0.5.
    min_score: float = setting(round(math.log(0.5), 4), "Translations the model scores below this (mean token "
                               "log-probability) are flagged as low confidence.", "min_score", le=0)
    recovery_hypotheses: int = setting(8, "A sentence that fails a check is decoded again into this many hypotheses "
                                          "(one beam search) and the best-scored one that passes replaces it; 0: no "
                                          "second try.", "recovery_hypotheses", ge=0)
    glossary: Path | None = setting(None, "Glossary (TSV: Turkish term, tab, English term): a translation of a "
                                          "sentence with a Turkish term must carry its English term, else another "
                                          "hypothesis that does is chosen, else it is flagged.", "glossary")


class SummaryConfig(_Config):
    """How summaries are made: extractive (no model) or abstractive, with its own model and budget."""

    kind: SummariserKind = setting("extractive", "extractive (no model) or abstractive.", "summariser")
    sentences: int | None = setting(None, "Sentences per summary; default: suited to the article's length.",
                                    "summary_sentences", ge=1)
    model: str = setting(DEFAULT_SUMMARISER_MODEL, "Abstractive summariser: hub id or folder.", "summariser_model")
    revision: str | None = setting(None, "Hub revision of the abstractive summariser to pin.", "summariser_revision")
    beam_size: int = setting(4, "Beams per abstractive summary.", "summary_beam_size", ge=1)
    max_new_tokens: int = setting(142, "Longest abstractive summary (of a chunk or of the chunks' summaries), "
                                       "in tokens.", "summary_max_new_tokens", ge=1)
    min_new_tokens: int = setting(20, "Shortest abstractive summary, in tokens.", "summary_min_new_tokens", ge=0)
    chunk_tokens: int | None = setting(None, "Map-reduce chunk size of the abstractive summariser; default: the "
                                             "model's input limit.", "summary_chunk_tokens", ge=16)
    batch_tokens: int = setting(2048, "Token budget of one batch of summariser chunks (every beam counted).",
                                "summary_batch_tokens", output=False, ge=64)
    back_translation_model: str = setting(DEFAULT_BACK_TRANSLATION_MODEL,
                                          "EN->TR model that writes the Turkish column of abstractive summaries.",
                                          "back_translation_model")
    back_translation_revision: str | None = setting(None, "Hub revision of the EN->TR model to pin.",
                                                    "back_translation_revision")

    @property
    def spec(self) -> ModelSpec:
        return ModelSpec(id=self.model, revision=self.revision, offline=self.offline)


class FetchConfig(BaseModel):
    """How `trnews fetch` (and the nightly run's fetch step) gets new articles from the outlets
    named in the sources file. None of it changes what an article's outputs say."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: Path | None = setting(None, "Sources file (TOML): the outlets and their feeds and sitemaps. Set, a "
                                         "deployment's run fetches them first.", "sources", output=False)
    folder: Path = setting(Path("fetched"), "Archive of fetched pages: one WARC file per day, the input of the "
                                            "digest.", "fetch_dir", output=False)
    contact: str | None = setting(None, "An e-mail or URL where sites can reach you, sent in the User-Agent.",
                                  "fetch_contact", output=False)
    delay: float = setting(DEFAULT_FETCH_DELAY, "Seconds between two requests to one host (more where robots.txt "
                                                "asks for a Crawl-delay).", "fetch_delay", output=False, ge=0)
    timeout: float = setting(20.0, "Seconds to wait for a connection, or for the next bytes of a response.",
                             "fetch_timeout", output=False, gt=0)
    max_bytes: int = setting(5_000_000, "Largest response read; a larger one is abandoned.", "fetch_max_bytes",
                             output=False, ge=1024)
    retries: int = setting(2, "Retries of a request that timed out or got a 5xx or 429, with growing waits.",
                           "fetch_retries", output=False, ge=0)
    hosts: int = setting(8, "Hosts fetched from at once (each host one request at a time).", "fetch_hosts",
                         output=False, ge=1)
    max_articles: int = setting(100, "New articles per source and fetch, unless the sources file says otherwise.",
                                "fetch_max_articles", output=False, ge=1)
    max_age_days: float = setting(DEFAULT_STORY_WINDOW_DAYS, "Listed articles dated further back are not fetched, "
                                                             "unless the sources file says otherwise.",
                                  "fetch_max_age_days", output=False, gt=0)


class Settings(BaseSettings):
    """trnews settings; `leaves()` lists every one with its flat name."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    output_dir: Path = setting(Path("outputs"), "Output folder.", "output_dir", options=("--output", "-o"),
                               output=False)
    cache_dir: Path = setting(Path(".trnews"), "Cache folder: manifest, sentence cache, statistics, converted models.",
                              "cache_dir", output=False)
    offline: bool = setting(False, "Never contact the Hugging Face hub.", "offline", output=False)
    max_article_bytes: int = setting(DEFAULT_MAX_ARTICLE_BYTES, "Larger articles are skipped, before any model work.",
                                     "max_article_bytes", ge=1)
    story_window_days: float = setting(DEFAULT_STORY_WINDOW_DAYS, "Articles dated further apart are never one story.",
                                       "story_window_days", gt=0)
    workers: int | None = setting(None, "Translate on a local Dask cluster of N processes.", "workers", output=False,
                                  ge=1)
    dask_address: str | None = setting(None, "Translate on an existing Dask cluster, e.g. tcp://host:8786.",
                                       "dask_address", output=False)
    chunk_size: int = setting(250, "Articles per stage task.", "chunk_size", output=False, ge=1)
    wave_size: int = setting(1000, "Articles in flight at once; translation batches span a wave.", "wave_size",
                             output=False, ge=1)
    lock_timeout: float = setting(3600, "Seconds to wait for another run writing the same output folder.",
                                  "lock_timeout", output=False, ge=0)
    cache_max_age_days: float = setting(30, "Cache entries no run used for this long are pruned.",
                                        "cache_max_age_days", output=False, gt=0)

    translation: TranslationConfig = TranslationConfig()
    summary: SummaryConfig = SummaryConfig()
    quality: QualityConfig = QualityConfig()
    fetch: FetchConfig = FetchConfig()

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _FlatEnvironment(settings_cls)

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        nested = nest(data)
        for section in ("translation", "summary"):
            given = nested.get(section, {})
            if isinstance(given, BaseModel):
                given = given.model_dump(exclude_unset=True)
            nested[section] = {**given, "offline": nested.get("offline", False)}
        return nested

    def flat(self, *, exclude_unset: bool = False, output_only: bool = False) -> dict[str, Any]:
        """Every setting by its flat name, as JSON values (what a deployment's parameters hold)."""
        dumped = self.model_dump(mode="json", exclude_unset=exclude_unset)
        flat = {}
        for leaf in leaves():
            if output_only and not leaf.flag.output:
                continue
            value: Any = dumped
            for part in leaf.path:
                if not isinstance(value, dict) or part not in value:
                    break
                value = value[part]
            else:
                flat[leaf.flag.name] = value
        return flat

    def replace(self, **changes: Any) -> Settings:
        """These settings with `changes` (flat names), validated again."""
        return load_settings(**{**self.flat(exclude_unset=True), **changes})

    def back_translation(self) -> TranslationConfig:
        """How the Turkish column of abstractive summaries is translated: as the MT model is run, with
        the EN->TR model."""
        return self.translation.model_copy(update={"model": self.summary.back_translation_model,
                                                   "revision": self.summary.back_translation_revision})


@dataclass(frozen=True)
class Leaf:
    """One setting: where it sits in `Settings` (`path`), its field and its `Setting`."""

    path: tuple[str, ...]
    field: FieldInfo
    flag: Setting


def _leaves_of(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[Leaf]:
    for name, field in model.model_fields.items():
        flag = next((m for m in field.metadata if isinstance(m, Setting)), None)
        if flag is not None:
            yield Leaf((*prefix, name), field, flag)
        elif isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from _leaves_of(field.annotation, (*prefix, name))


_LEAVES: tuple[Leaf, ...] = ()


def leaves() -> tuple[Leaf, ...]:
    """Every setting, in declaration order (top-level ones, then translation, then summary)."""
    global _LEAVES
    if not _LEAVES:
        _LEAVES = tuple(_leaves_of(Settings, ()))
    return _LEAVES


def leaf(name: str) -> Leaf:
    """The setting with flat name `name`."""
    for candidate in leaves():
        if candidate.flag.name == name:
            return candidate
    raise KeyError(name)


def nest(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with flat setting names moved to where they sit (`mt_model` -> translation.model);
    a flat name wins over the same setting given nested."""
    names = _by_name()
    nested = {key: value for key, value in data.items() if key not in names}
    for key, value in data.items():
        if key not in names:
            continue
        *parents, last = names[key].path
        target = nested
        for part in parents:
            inner = target.get(part)
            if isinstance(inner, BaseModel):
                inner = inner.model_dump(exclude_unset=True)
            target[part] = inner = dict(inner) if isinstance(inner, Mapping) else {}
            target = inner
        target[last] = value
    return nested


def merge_settings(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Settings given in `layers` (flat names or nested), later layers winning, as nested JSON
    values: what a deployment's `settings` parameter holds."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in nest(layer).items():
            if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


def _by_name() -> dict[str, Leaf]:
    return {candidate.flag.name: candidate for candidate in leaves()}


class _FlatEnvironment(PydanticBaseSettingsSource):
    """Every setting from its `TRNEWS_<NAME>` variable (the name in any case)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        environment = {key.upper(): value for key, value in os.environ.items() if key.upper().startswith(ENV_PREFIX)}
        return nest({candidate.flag.name: environment[candidate.flag.env] for candidate in leaves()
                     if candidate.flag.env in environment})


def load_settings(**given: Any) -> Settings:
    """`Settings` from defaults, the environment and `given` (flat names or nested); a setting
    that is not valid raises `ConfigError` naming its option and variable, in one line."""
    try:
        return Settings(**given)
    except ValidationError as error:
        raise ConfigError(describe_invalid(error)) from None


def describe_invalid(error: ValidationError) -> str:
    """One line per invalid setting: which (flat name, option, variable), why, and the value given."""
    by_path = {candidate.path: candidate for candidate in leaves()}
    problems = []
    for problem in error.errors():
        location = tuple(str(part) for part in problem["loc"])
        found = by_path.get(location)
        if found is None:
            problems.append(f"{'.'.join(location) or 'settings'}: {problem['msg']}")
            continue
        value = problem.get("input")
        problems.append(f"{found.flag.name} ({found.flag.option_names[0]}, {found.flag.env}): {problem['msg']}"
                        + (f", got {value!r}" if value is not None and not isinstance(value, Mapping) else ""))
    return "invalid setting: " + "; ".join(problems)
