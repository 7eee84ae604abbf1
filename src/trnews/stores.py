"""The cache folder (default `.trnews/`), every store in it named in one place.

- `manifest.sqlite`: per output folder and article, what its outputs were made from;
- `sentences.sqlite`: the sentence-level translation cache;
- `templates.sqlite`: per-site line statistics of the cleaner (site templates);
- `stories.sqlite`: stories across runs;
- `fetched.sqlite`: what `trnews fetch` has seen: pages fetched (by normalised URL), their text
  hashes, and the validators (ETag, Last-Modified) of feeds, sitemaps and robots.txt files;
- `ct2/`: models converted for the CTranslate2 engine;
- `prefect-server.log`: the log of the Prefect server `trnews serve` starts.

Everything in it can be recomputed: a damaged store is moved aside and rebuilt (`trnews.database`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CacheLayout:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.sqlite"

    @property
    def sentences(self) -> Path:
        return self.root / "sentences.sqlite"

    @property
    def templates(self) -> Path:
        return self.root / "templates.sqlite"

    @property
    def stories(self) -> Path:
        return self.root / "stories.sqlite"

    @property
    def fetched(self) -> Path:
        return self.root / "fetched.sqlite"

    @property
    def converted(self) -> Path:
        return self.root / "ct2"

    @property
    def prefect_server_log(self) -> Path:
        return self.root / "prefect-server.log"

    def databases(self) -> list[Path]:
        """Every SQLite store, with its WAL files and copies moved aside, that is there."""
        return sorted(self.root.glob("*.sqlite*"))
