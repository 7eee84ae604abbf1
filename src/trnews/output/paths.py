"""The output folder's layout, in one place.

Article files live in `articles/`, so that no article id (an input named `index.txt`, or
`digest-2026-11-23.txt`) can collide with the index, a digest, the stories or a run report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from trnews.errors import TrnewsError
from trnews.text.ids import bounded

ARTICLES = "articles"
ARTICLE_SUFFIXES = (".json", ".md", ".html")  # the files of one article
INDEX = "index"
STORIES = "stories"


class NotAnArticleId(TrnewsError, ValueError):
    """An id typed by hand that would name a file outside `articles/` ("../index")."""


def is_article_id(text: str) -> bool:
    """Whether `text` could be an article id: a file name in `articles/`, no path."""
    return bool(text) and "/" not in text and "\\" not in text and not text.startswith(".")


def article_path(output_dir: Path, article_id: str, suffix: str) -> Path:
    """Where an article's `.json`, `.md` or `.html` file is. Ids are bounded when they are made;
    one that is not (from an older cache, or typed by hand) is bounded here as it would have been,
    so it never makes a file name the file system refuses. Ids are made without path separators
    or leading dots: one typed with them names no article."""
    if not is_article_id(article_id):
        raise NotAnArticleId(f"{article_id!r} is no article id: ids have no '/' and do not start with '.'")
    return output_dir / ARTICLES / f"{bounded(article_id)}{suffix}"


def index_path(output_dir: Path, suffix: str) -> Path:
    return output_dir / f"{INDEX}{suffix}"


def stories_path(output_dir: Path, suffix: str = ".json") -> Path:
    return output_dir / f"{STORIES}{suffix}"


def digest_path(output_dir: Path, day: date, suffix: str) -> Path:
    return output_dir / f"digest-{day.isoformat()}{suffix}"


def digest_names(output_dir: Path) -> list[str]:
    """The digests in the output folder, newest first, by name without suffix (`digest-YYYY-MM-DD`)."""
    return sorted((path.stem for path in output_dir.glob("digest-*.md")), reverse=True)


def report_path(output_dir: Path, finished: str, flow_run_id: str | None) -> Path:
    """`run-<finish time, UTC>-<flow run id>.json`: the names sort by time, one file per flow run."""
    stamp = finished.replace(":", "").replace("-", "").replace("+0000", "Z")
    return output_dir / f"run-{stamp}{f'-{flow_run_id}' if flow_run_id else ''}.json"
