"""`trnews qa FILE`: the translation checks (trnews.quality) on any bilingual file, for users who
translate elsewhere. JSONL in (`tr`, `en`, optional `score` and `id`), one JSON line out per line
in (`id`, `line`, `flags`: a list of `{check, reason}`, empty when the pair passes)."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from trnews.cli.options import takes_settings
from trnews.config import Settings
from trnews.errors import TrnewsError

# Pairs checked at once: lingua judges them in parallel; output starts before a large file ends.
QA_BATCH = 1000


class UnreadableInput(TrnewsError):
    """A line of the file given to `trnews qa` is not a pair; the message names the line."""

    exit_code = 2


def read_pairs(path: Path) -> list[tuple[int, Any, str, str, float | None]]:
    """(line number, id, tr, en, score) of each non-blank line of `path`; `UnreadableInput` names
    the first line that is not a JSON object with `tr` and `en` strings (and a numeric `score`)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableInput(f"cannot read {path}: {error.strerror or error}") from None
    pairs = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        pairs.append((number, *_pair(line, f"{path}, line {number}")))
    return pairs


def _pair(line: bytes, where: str) -> tuple[Any, str, str, float | None]:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableInput(f"{where}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UnreadableInput(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(record, dict):
        raise UnreadableInput(f"{where}: not a JSON object with `tr` and `en`")
    for field in ("tr", "en"):
        if not isinstance(record.get(field), str):
            raise UnreadableInput(f"{where}: `{field}` is missing or not a string")
    score = record.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score)):
        raise UnreadableInput(f"{where}: `score` is not a number")
    return record.get("id"), record["tr"], record["en"], None if score is None else float(score)


def qa_lines(path: Path, settings: Settings) -> Iterator[str]:
    """One JSON line per pair of `path`, with its flags."""
    from trnews.quality.checks import PairToCheck, check_pairs

    pairs = read_pairs(path)
    for start in range(0, len(pairs), QA_BATCH):
        batch = pairs[start:start + QA_BATCH]
        flags = check_pairs([PairToCheck(tr, en, score) for _, _, tr, en, score in batch], settings.quality)
        for (number, pair_id, *_), found in zip(batch, flags):
            yield json.dumps({"id": pair_id, "line": number, "flags": [flag.model_dump() for flag in found]},
                             ensure_ascii=False)


@takes_settings("min_score", "glossary")
def qa(file: Annotated[Path, typer.Argument(metavar="FILE", help="JSONL: one {tr, en, score?, id?} per line")], *,
       settings: Settings) -> None:
    """Check translations made elsewhere: one JSON line out per pair in, with its flags and reasons.

    Exit 0 when every line was read (flagged or not), 2 when a line cannot be read (its number is named)."""
    for line in qa_lines(file, settings):
        sys.stdout.write(line + "\n")
