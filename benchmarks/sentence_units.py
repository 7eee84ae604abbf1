"""Sentence boundaries against human segmentation: sadedegel 0.21.2's 98 sentence-split articles.

`sadedegel/dataset/sents/*.json` holds each article as the list of sentences its annotators
agreed on. The sentences are joined with single spaces into one paragraph, split again by
sentencex alone and by trnews (`segment.split_sentences`), and the boundaries (character offsets)
compared: precision, recall and F1, and the disagreements trnews leaves, printed for reading.
Run by hand (uses the wheel that summary_quality.py downloads):

    PYTHONPATH=src .venv/bin/python benchmarks/sentence_units.py [--wheel PATH] [--show 20]
"""

from __future__ import annotations

import argparse
import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sentencex import segment as sentencex_segment
from summary_quality import wheel_path

from trnews.stages.segment import split_sentences

SENTS = "sadedegel/dataset/sents/"
Splitter = Callable[[str], list[str]]


def load_articles(wheel: Path) -> list[list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith(SENTS) and n.endswith(".json"))
        return [[s.strip() for s in json.loads(archive.read(n))["sentences"] if s.strip()] for n in names]


def boundaries(text: str, sentences: Sequence[str]) -> set[int]:
    """End offsets of `sentences` located in order in `text` (the last one excluded)."""
    ends, position = set(), 0
    for sentence in sentences[:-1]:
        position = text.index(sentence, position) + len(sentence)
        ends.add(position)
    return ends


def score(articles: Sequence[list[str]], splitter: Splitter) -> tuple[float, float, float, list[tuple[str, str]]]:
    found = expected = hits = 0
    misses: list[tuple[str, str]] = []
    for sentences in articles:
        text = " ".join(sentences)
        truth = boundaries(text, sentences)
        predicted = boundaries(text, [s.strip() for s in splitter(text) if s.strip()])
        found, expected, hits = found + len(predicted), expected + len(truth), hits + len(truth & predicted)
        for offset in sorted(truth ^ predicted):
            kind = "missed" if offset in truth else "extra"
            misses.append((kind, f"…{text[max(0, offset - 40):offset]}|{text[offset:offset + 30]}…"))
    precision, recall = hits / found, hits / expected
    return precision, recall, 2 * precision * recall / (precision + recall), misses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="a local sadedegel-0.21.2 wheel (default: download to the cache)")
    parser.add_argument("--show", type=int, default=20, help="how many of trnews' disagreements to print")
    args = parser.parse_args(argv)
    articles = load_articles(wheel_path(args.wheel))
    print(f"{len(articles)} articles, {sum(map(len, articles))} human sentences\n")
    print("| splitter | precision | recall | F1 |\n|---|---|---|---|")
    splitters = {"sentencex (tr)": lambda text: list(sentencex_segment("tr", text)), "trnews": split_sentences}
    for name, splitter in splitters.items():
        precision, recall, f1, misses = score(articles, splitter)
        print(f"| {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} |")
    print(f"\ntrnews disagreements ({len(misses)}), first {args.show}:")
    for kind, context in misses[: args.show]:
        print(f"- {kind}: {context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
