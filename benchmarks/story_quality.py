"""Story grouping quality and cost, run by hand:

    PYTHONPATH=src python benchmarks/story_quality.py [--copies 31] [--threshold 0.32]

The labelled set `benchmarks/data/stories.jsonl` (written for this project) holds Turkish
articles, each with the story it belongs to: agency copy republished with small edits, one
article under two URLs, several outlets writing one event in their own words, and the same
people or places in a different event (on another day, and on the same day); a few undated,
where only the days their text names tell the events apart.

1. Quality: every article goes through `StoryStore.assign` in one batch, then day by day into a
   growing store; prints pairwise precision / recall / F1 of "same story" and B-cubed
   precision / recall / F1.
2. Real text, no labels: the 98 raw texts of sadedegel 0.21.2's news corpus (public; columns and
   news from several Turkish outlets over years, read from its wheel, downloaded into
   `benchmarks/.cache/` when missing, never stored in the repository). They carry no date, so
   all are compared as one day's articles: every group found is a merge that the date window
   could not prevent, to be read by hand (almost all are different events).
3. Cost: the set's dated articles replicated with small edits (a sentence dropped, numbers changed) to about
   1,000 articles, each copy a month after the previous one, assigned (a) in one batch into an
   empty store and (b) day by day into a growing store; prints milliseconds per article and the
   quality on the whole replicated set.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from trnews.stages import stories
from trnews.records import CleanArticle, Paragraph, Source

LABELLED = Path(__file__).resolve().parent / "data" / "stories.jsonl"
CACHE = Path(__file__).resolve().parent / ".cache"
SADEDEGEL = "sadedegel==0.21.2"


def sadedegel_texts() -> list[CleanArticle]:
    """sadedegel's raw news texts as undated articles titled by their file names."""
    wheels = sorted(CACHE.glob("sadedegel-0.21.2-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", SADEDEGEL, "--no-deps", "-d", str(CACHE)], check=True)
        wheels = sorted(CACHE.glob("sadedegel-0.21.2-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = sorted(n for n in wheel.namelist() if n.startswith("sadedegel/dataset/raw/") and n.endswith(".txt"))
        return [CleanArticle(id=Path(n).stem, source=Source(path=n, sha256="-", format="text"),
                             title=Path(n).stem.rsplit("-", 1)[0].replace("-", " "),
                             paragraphs=[Paragraph(kind="text", text=wheel.read(n).decode("utf-8"))], language="tr")
                for n in names]


def load(path: Path) -> tuple[list[CleanArticle], dict[str, str]]:
    articles, truth = [], {}
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        articles.append(CleanArticle(
            id=row["id"], source=Source(path=str(path), sha256="-", format="jsonl", line=line_number),
            title=row["title"], published=row["published"], url=row["url"], credits=row["credits"],
            paragraphs=[Paragraph(kind="text", text=t) for t in row["paragraphs"]], language="tr"))
        truth[row["id"]] = row["story"]
    return articles, truth


def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    same_predicted = same_true = both = 0
    for a, b in combinations(sorted(truth), 2):
        p, t = predicted[a] == predicted[b], truth[a] == truth[b]
        same_predicted += p
        same_true += t
        both += p and t
    precision = both / same_predicted if same_predicted else 1.0
    recall = both / same_true if same_true else 1.0
    return precision, recall, _f1(precision, recall)


def b_cubed(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Per article: the share of its predicted story that truly belongs with it (precision) and
    of its true story that was predicted with it (recall), averaged (Bagga and Baldwin, 1998)."""
    precision = recall = 0.0
    for item in truth:
        predicted_mates = {o for o in truth if predicted[o] == predicted[item]}
        true_mates = {o for o in truth if truth[o] == truth[item]}
        precision += len(predicted_mates & true_mates) / len(predicted_mates)
        recall += len(predicted_mates & true_mates) / len(true_mates)
    precision, recall = precision / len(truth), recall / len(truth)
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _edited(article: CleanArticle, copy: int, rng: random.Random) -> CleanArticle:
    """A copy `copy` months later, with one sentence dropped and digits changed, as a
    republication or next month's similar event would be."""
    paragraphs = list(article.paragraphs)
    if len(paragraphs) > 2:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
    shift = str(copy % 10)
    paragraphs = [p.model_copy(update={"text": p.text.replace("1", shift)}) for p in paragraphs]
    published = datetime.fromisoformat(article.published or "") + timedelta(days=30 * copy)
    return article.model_copy(update={"id": f"{article.id}-{copy}", "paragraphs": paragraphs,
                                      "published": published.isoformat()})


def replicate(articles: Sequence[CleanArticle], truth: dict[str, str], copies: int
              ) -> tuple[list[CleanArticle], dict[str, str]]:
    rng = random.Random(15)
    many, labels = list(articles), dict(truth)
    for copy in range(1, copies):
        # An undated article has no month to be moved to: its copies would all be one day's.
        for article in (a for a in articles if a.published):
            edited = _edited(article, copy, rng)
            many.append(edited)
            labels[edited.id] = f"{truth[article.id]}-{copy}"
    return many, labels


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # all threads of this process: the machine may be shared, wall time then overstates
    calls: int


def assign_timed(articles: Sequence[CleanArticle], window_days: float, threshold: float, by_day: bool
                 ) -> tuple[dict[str, str], Timing]:
    with tempfile.TemporaryDirectory() as folder:
        store = stories.StoryStore(Path(folder) / "stories.sqlite", window_days, threshold)
        batches: dict[str, list[CleanArticle]] = {}
        for article in articles:
            batches.setdefault((article.published or "")[:10] if by_day else "all", []).append(article)
        started, started_cpu = time.perf_counter(), time.process_time()
        assigned: dict[str, str] = {}
        for day in sorted(batches):
            assigned.update(store.assign(batches[day]))
        timing = Timing(time.perf_counter() - started, time.process_time() - started_cpu, len(batches))
        store.close()
    return assigned, timing


def report(name: str, predicted: dict[str, str], truth: dict[str, str]) -> None:
    p, r, f = pairwise(predicted, truth)
    bp, br, bf = b_cubed(predicted, truth)
    print(f"{name}: {len(truth)} articles, {len(set(truth.values()))} true stories, "
          f"{len(set(predicted.values()))} found")
    print(f"  pairwise  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"  B-cubed   precision {bp:.3f}  recall {br:.3f}  F1 {bf:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=31, help="replicas of the set for the cost measurement")
    parser.add_argument("--threshold", type=float, default=stories.SAME_EVENT_SIMILARITY)
    parser.add_argument("--window-days", type=float, default=stories.DEFAULT_STORY_WINDOW_DAYS)
    args = parser.parse_args()

    articles, truth = load(LABELLED)
    predicted, _ = assign_timed(articles, args.window_days, args.threshold, by_day=False)
    report("labelled set, one batch", predicted, truth)
    for story in sorted(set(predicted.values())):
        print("   ", sorted(a for a in predicted if predicted[a] == story))
    predicted, _ = assign_timed(articles, args.window_days, args.threshold, by_day=True)
    report("labelled set, day by day into a growing store", predicted, truth)

    real = sadedegel_texts()
    grouped, _ = assign_timed(real, args.window_days, args.threshold, by_day=False)
    groups = [sorted(a for a in grouped if grouped[a] == story) for story in sorted(set(grouped.values()))]
    shared = [g for g in groups if len(g) > 1]
    print(f"sadedegel raw texts, undated, one batch: {len(real)} articles, {len(groups)} stories, "
          f"{sum(len(g) for g in shared)} articles in {len(shared)} groups of several:")
    for group in shared:
        print("   ", group)

    many, labels = replicate(articles, truth, args.copies)
    for by_day in (False, True):
        predicted, timing = assign_timed(many, args.window_days, args.threshold, by_day)
        mode = "day by day into a growing store" if by_day else "one batch"
        report(f"replicated set, {mode}", predicted, labels)
        print(f"  {len(many)} articles in {timing.calls} calls: wall {timing.wall:.2f} s, CPU {timing.cpu:.2f} s; "
              f"per article {1000 * timing.wall / len(many):.2f} ms wall, {1000 * timing.cpu / len(many):.2f} ms CPU; "
              f"per call {1000 * timing.cpu / timing.calls:.0f} ms CPU")


if __name__ == "__main__":
    main()
