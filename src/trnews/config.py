"""All configuration in one place: defaults, overridden by `TRNEWS_*` environment variables,
overridden by CLI options (the CLI passes its options as keyword arguments)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MT_MODEL = "Helsinki-NLP/opus-mt-tr-en"
DEFAULT_SUMMARISER_MODEL = "sshleifer/distilbart-cnn-12-6"
DEFAULT_BACK_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-tc-big-en-tr"
# Most coverage of one event falls within three days; further apart, the same people make another story.
DEFAULT_STORY_WINDOW_DAYS = 3.0
# A long news article is 20-50 KB of text; 2 MB is a book. Beyond it an input is a mistake (a dump,
# a log, a concatenated archive) that would cost hours of translation and the summariser's memory.
DEFAULT_MAX_ARTICLE_BYTES = 2_000_000

Engine = Literal["transformers", "ctranslate2"]
Device = Literal["auto", "cpu", "cuda"]
SummariserKind = Literal["extractive", "abstractive"]


class ModelSpec(BaseModel):
    """A Hugging Face hub id or a local directory, optionally pinned to a hub revision."""

    model_config = ConfigDict(frozen=True)

    id: str
    revision: str | None = None


class TranslationConfig(BaseModel):
    """Everything that changes a translation: it is the sentence cache's key prefix."""

    model_config = ConfigDict(frozen=True)

    model: ModelSpec
    engine: Engine = "transformers"
    device: Device = "auto"
    beam_size: int = Field(default=4, ge=1)
    max_new_tokens: int = Field(default=256, ge=1)
    min_new_tokens: int = Field(default=0, ge=0, description="forces output length (benchmarks)")
    max_input_tokens: int = Field(default=256, ge=8, description="longer sentences are split at clauses")
    batch_tokens: int = Field(default=2048, ge=64, description="token budget of one batch")
    threads: int | None = Field(default=None, ge=1, description="compute threads; None: the CPUs this process may use")

    def cache_namespace(self) -> str:
        """What makes two translations of the same sentence differ (device and batch size do not)."""
        return (
            f"{self.model.id}@{self.model.revision or 'default'}"
            f"|engine={self.engine}|beam={self.beam_size}|max_new={self.max_new_tokens}"
            f"|min_new={self.min_new_tokens}"
        )


class SummaryConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SummariserKind = "extractive"
    sentences: int | None = Field(default=None, ge=1, description="None: suited to the article's length")
    model: ModelSpec = ModelSpec(id=DEFAULT_SUMMARISER_MODEL)
    beam_size: int = Field(default=4, ge=1)
    max_new_tokens: int = Field(default=142, ge=1, description="per generated summary (chunk or final)")
    min_new_tokens: int = Field(default=20, ge=0)
    chunk_tokens: int | None = Field(default=None, ge=16, description="map-reduce chunk size; default: the model's limit")
    batch_tokens: int = Field(default=2048, ge=64, description="token budget of one batch of chunks")


class Settings(BaseSettings):
    """trnews settings. Every field can be set as `TRNEWS_<FIELD>` (e.g. `TRNEWS_MT_MODEL`)."""

    model_config = SettingsConfigDict(env_prefix="TRNEWS_", extra="forbid")

    output_dir: Path = Path("outputs")
    cache_dir: Path = Field(default=Path(".trnews"), description="stage results, sentence cache, converted models")

    mt_model: str = DEFAULT_MT_MODEL
    mt_revision: str | None = None
    engine: Engine = "transformers"
    device: Device = "auto"
    beam_size: int = Field(default=4, ge=1)
    max_new_tokens: int = Field(default=256, ge=1)
    min_new_tokens: int = Field(default=0, ge=0)
    max_input_tokens: int = Field(default=256, ge=8)
    batch_tokens: int = Field(default=2048, ge=64)
    threads: int | None = Field(
        default=None, ge=1, description="compute threads of each translating process; default: the CPUs it may use, "
                                        "shared out among the workers of a local cluster")

    summariser: SummariserKind = "extractive"
    summary_sentences: int | None = Field(default=None, ge=1, description="None: suited to the article's length")
    summariser_model: str = DEFAULT_SUMMARISER_MODEL
    summariser_revision: str | None = None
    back_translation_model: str = DEFAULT_BACK_TRANSLATION_MODEL
    back_translation_revision: str | None = None

    offline: bool = Field(default=False, description="never contact the Hugging Face hub")
    max_article_bytes: int = Field(
        default=DEFAULT_MAX_ARTICLE_BYTES, ge=1, description="larger articles are skipped before any model work"
    )

    workers: int | None = Field(default=None, ge=1, description="translate on a local Dask cluster of N processes")
    dask_address: str | None = Field(default=None, description="translate on an existing Dask cluster (tcp://host:8786)")
    chunk_size: int = Field(default=250, ge=1, description="articles per stage task")
    wave_size: int = Field(default=1000, ge=1, description="articles in flight at once; translation batches span a wave")
    lock_timeout: float = Field(default=3600, ge=0, description="seconds to wait for another run on the same output folder")
    cache_max_age_days: float = Field(default=30, gt=0, description="cache entries unused for this long are pruned")
    story_window_days: float = Field(
        default=DEFAULT_STORY_WINDOW_DAYS, gt=0,
        description="articles dated further apart are never one story (trnews.stories)")

    def translation(self) -> TranslationConfig:
        return TranslationConfig(
            model=ModelSpec(id=self.mt_model, revision=self.mt_revision),
            engine=self.engine,
            device=self.device,
            beam_size=self.beam_size,
            max_new_tokens=self.max_new_tokens,
            min_new_tokens=self.min_new_tokens,
            max_input_tokens=self.max_input_tokens,
            batch_tokens=self.batch_tokens,
            threads=self.threads,
        )

    def back_translation(self) -> TranslationConfig:
        return self.translation().model_copy(
            update={"model": ModelSpec(id=self.back_translation_model, revision=self.back_translation_revision)}
        )

    def summary(self) -> SummaryConfig:
        return SummaryConfig(
            kind=self.summariser,
            sentences=self.summary_sentences,
            model=ModelSpec(id=self.summariser_model, revision=self.summariser_revision),
            beam_size=self.beam_size,
            batch_tokens=self.batch_tokens,
        )
