"""The hand-labelled pages of `benchmarks/data/clean_sites/` (see its README): read, rendered into
raw articles the way each site builds its pages, and measured after cleaning.

Used by `line_model.py` (training data) and `clean_quality.py` (leave-one-site-out figures).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from trnews.records import CleanArticle, RawArticle, Source
from trnews.stages.clean.markdown_inline import inline_text

SITES = Path(__file__).resolve().parent / "data" / "clean_sites"
# The sites the shipped model is trained on: the first two rounds, and each later round once its
# blind figures were taken (see the README).
TRAINING = (SITES, *(SITES / f"round{number}" for number in range(3, 31)))
# Sites no model is trained on and no setting is chosen on, by round (see each folder's README):
# cleaned with a model trained on every site in TRAINING, as the shipped one is.
UNSEEN_ROUNDS = {"thirty-first round": SITES / "round31"}
KEEP = frozenset("BH")  # article text and subheadings
DROP = frozenset("NDC")  # furniture, date lines, credits
WIDE_SPACE = {"flattened": "   ", "jsonl-flattened": "\u00a0 \u00a0"}


@dataclass(frozen=True)
class Labelled:
    label: str  # T, B, H, N, D or C
    text: str
    glued: bool  # joined to the previous line with a single space


@dataclass
class Page:
    site: str
    shape: str
    number: int
    title: str  # what the cleaner should find
    lines: list[Labelled] = field(default_factory=list)


def read_site(path: Path) -> list[Page]:
    shape = "plain"
    pages: list[Page] = []
    for raw_line in path.read_text(encoding="utf-8").splitlines():
        if raw_line.startswith("# shape:"):
            shape = raw_line.split(":", 1)[1].strip()
        elif raw_line.startswith("==="):
            pages.append(Page(path.stem, shape, len(pages), raw_line[3:].strip()))
        elif raw_line.strip() and not raw_line.startswith("#"):
            label, text = raw_line.split(" ", 1)
            pages[-1].lines.append(Labelled(label[0], text.strip(), label.endswith("+")))
    return pages


def read_sites(folders: tuple[Path, ...] = TRAINING) -> dict[str, list[Page]]:
    return {path.stem: read_site(path) for folder in folders for path in sorted(folder.glob("*.txt"))}


def _joined(lines: list[Labelled], separator: str) -> str:
    text = ""
    for line in lines:
        text += (" " if line.glued else separator if text else "") + line.text
    return text


def render(page: Page) -> RawArticle:
    """The raw article a scraper of this site would hand trnews."""
    title = None
    lines = page.lines
    fmt = "text"
    if page.shape.startswith("jsonl"):
        fmt, title = "jsonl", next((line.text for line in lines if line.label == "T"), None)
        lines = [line for line in lines if line.label != "T"]
        if lines:
            lines[0] = Labelled(lines[0].label, lines[0].text, False)
        text = _joined(lines, WIDE_SPACE.get(page.shape, "\n"))
    elif page.shape == "markdown":
        fmt = "markdown"
        lines = [Labelled(l.label, f"# {l.text}" if l.label == "T" else f"## {l.text}" if l.label == "H" else l.text,
                          l.glued) for l in lines]
        text = _joined(lines, "\n\n")
    else:
        text = _joined(lines, WIDE_SPACE.get(page.shape, "\n" if page.shape == "lines" else "\n\n"))
    path = f"sites/{page.site}/{page.number}.{'jsonl' if fmt == 'jsonl' else 'txt'}"
    digest = hashlib.sha256(json.dumps([text, title]).encode()).hexdigest()
    return RawArticle(id=f"{page.site}-{page.number}", text=text, title=title,
                      source=Source(path=path, sha256=digest, format=fmt, line=1 if fmt == "jsonl" else None))


def normalise(text: str) -> str:
    return " ".join(text.split())


def shown(text: str, page: Page) -> str:
    """A labelled text as the cleaner's output holds it: on Markdown pages, as a reader sees it
    (links' anchors without their addresses; a line of images alone as written)."""
    return normalise((inline_text(text).text or text) if page.shape == "markdown" else text)


def label_of(text: str, page: Page) -> str | None:
    """The label of the labelled line a cleaner line is (None: it spans several, or none)."""
    found = {line.label for line in page.lines if shown(line.text, page) == normalise(text)}
    return found.pop() if len(found) == 1 else None


def _whole_words(text: str) -> re.Pattern[str]:
    """`text` as whole words (a lone "A" is not inside "Ali")."""
    return re.compile(rf"(?<!\S){re.escape(text)}(?!\S)")


def _contains(haystack: str, needle: str) -> bool:
    return _whole_words(needle).search(haystack) is not None


@dataclass
class Score:
    body: int = 0
    body_kept: int = 0
    furniture: int = 0
    furniture_removed: int = 0
    titles: int = 0
    titles_right: int = 0
    lost: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("body", "body_kept", "furniture", "furniture_removed", "titles", "titles_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lost += other.lost
        self.left += other.left


def _found_in(paragraphs: list[str], texts: set[str]) -> set[str]:
    """The `texts` a reader finds in `paragraphs`, each occurrence read as the longest labelled
    text it is part of: a tag word ("Van") the article's sentences or a longer furniture line also
    hold counts only where it stands on its own."""
    found = set()
    for text in sorted(texts, key=len, reverse=True):
        pattern = _whole_words(text)
        if any(pattern.search(paragraph) for paragraph in paragraphs):
            found.add(text)
            paragraphs = [pattern.sub("\x00", paragraph) for paragraph in paragraphs]
    return found


def score(page: Page, article: CleanArticle) -> Score:
    """Body lines kept (in a paragraph), furniture lines gone (not found in any), title right."""
    paragraphs = [normalise(p.text) for p in article.paragraphs]
    result = Score(titles=1, titles_right=int(normalise(article.title) == shown(page.title, page)))
    found = _found_in(paragraphs, {shown(line.text, page) for line in page.lines if line.label in KEEP | DROP})
    for line in page.lines:
        text = shown(line.text, page)
        if line.label in KEEP:
            kept = any(_contains(paragraph, text) for paragraph in paragraphs)
            result.body += 1
            result.body_kept += kept
            if not kept:
                result.lost.append(f"{page.site}: {text[:80]}")
        elif line.label in DROP:
            kept = text in found
            result.furniture += 1
            result.furniture_removed += not kept
            if kept:
                result.left.append(f"{page.site}: {text[:80]}")
    return result
