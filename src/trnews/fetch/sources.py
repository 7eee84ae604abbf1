"""The sources file: the outlets to fetch, each with a name and its feeds and sitemaps.

    [[source]]
    name = "BBC Türkçe"                                  # the outlet's name, shown in every output
    feeds = ["https://feeds.bbci.co.uk/turkce/rss.xml"]  # RSS 2.0 or Atom
    sitemaps = []                                        # sitemaps, sitemap indexes, news sitemaps
    max_articles = 50                                    # optional: new articles per fetch
    max_age_days = 2                                     # optional: older listed articles are left
    delay = 5                                            # optional: seconds between its requests

A file that is not valid stops the command with a message naming the file, the source and the
problem (`SourcesError`, exit code 2): a mistyped key is an error, never silently ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from trnews.errors import ConfigError


class SourcesError(ConfigError):
    """A sources file that cannot be read or is not valid; the message names the file and entry."""


class SourceSpec(BaseModel):
    """One outlet: its name (what outputs call it) and where its new articles are listed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    max_articles: int | None = Field(default=None, ge=1)
    max_age_days: float | None = Field(default=None, gt=0)
    delay: float | None = Field(default=None, ge=0, description="seconds between two of its requests to one host")

    @field_validator("name")
    @classmethod
    def _strip(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("the name is empty")
        return " ".join(name.split())

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _web_addresses(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        for url in urls:
            parts = urlsplit(url.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http(s) address")
        return tuple(url.strip() for url in urls)

    @model_validator(mode="after")
    def _listed_somewhere(self) -> SourceSpec:
        if not self.feeds and not self.sitemaps:
            raise ValueError("give at least one of feeds or sitemaps")
        return self

    @property
    def listings(self) -> list[tuple[str, str]]:
        """(kind, URL) of every listing: feeds, then sitemaps."""
        return [("feed", url) for url in self.feeds] + [("sitemap", url) for url in self.sitemaps]


def load_sources(path: Path) -> list[SourceSpec]:
    """The sources in `path`, in file order; `SourcesError` naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourcesError(f"cannot read sources file {path}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourcesError(f"sources file {path} is not valid TOML: {error}") from None
    unknown = set(data) - {"source"}
    if unknown:
        raise SourcesError(f"sources file {path}: unknown table(s) {', '.join(sorted(unknown))}; "
                           "each outlet is a [[source]] table")
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"sources file {path} names no source: add a [[source]] table with a name and feeds "
                           "or sitemaps")
    sources: list[SourceSpec] = []
    for number, entry in enumerate(entries, start=1):
        label = f"source {number}" + (f" ({entry['name']!r})" if isinstance(entry, dict) and "name" in entry else "")
        try:
            sources.append(SourceSpec.model_validate(entry))
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in error.errors())
            raise SourcesError(f"sources file {path}, {label}: {problems}") from None
    names = [source.name for source in sources]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SourcesError(f"sources file {path}: each source needs its own name; repeated: {', '.join(repeated)}")
    return sources
