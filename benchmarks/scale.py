"""Scale: what a night costs as the archive grows, and what a second Dask worker buys.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/scale.py                   # 1,000 and 10,000 articles, then Dask 1 vs 2
    .venv/bin/python benchmarks/scale.py --sizes 1000 --no-dask
    .venv/bin/python benchmarks/scale.py --dask-only

Corpora are synthetic: articles of 6-16 sentences drawn from the project's own sample articles
(`examples/articles/`), their numbers redrawn so that most sentences are new to the sentence
cache, each dated on a random day of 2025 (a dateline the cleaner reads), so that stories stay the
size of a few days' news. Every measurement is a real `trnews run` process with the tiny test MT model forced to
`--new-tokens` (8) tokens, so model time is small and what remains is the pipeline's own cost.
"Flow s" is the run report's own duration (the flow body: everything after Prefect's start-up);
"translate s" the wall time of the translation phase (model time; the sentence cache lookups are
in it too); "pipeline ms per article" is (flow - translate) / articles, the pipeline's own cost,
and "stories ms" the story stage's share of it; "wall s" is the whole process. After each cold
run, the run report's `stage_seconds` give where the pipeline's own time went. Peak RSS is the run process's own (its RUSAGE_CHILDREN as seen
by a wrapper), cache growth the size of `.trnews/` after the run.

The Dask comparison runs the 1,000-article corpus cold with `--workers 1` and `--workers 2` and
a longer forced output (`--dask-new-tokens`, 48), so that translation dominates as it does with
the real model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
# Runs a command and prints its peak RSS (KiB) last: the wrapper's only child is the command.
MONTHS = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
          "Aralık")
PEAK_RSS = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")


def sample_sentences() -> list[str]:
    from trnews.stages.ingest.decoding import decode
    from trnews.stages.segment import split_sentences

    sentences = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        for block in decode(path.read_bytes())[0].split("\n\n"):
            sentences += [s for s in split_sentences(" ".join(block.split())) if len(s.split()) >= 6 and s[-1] in ".!?"]
    return sentences


def build_corpus(folder: Path, articles: int, sentences: list[str], seed: int = 0) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for number in range(articles):
        chosen = rng.sample(sentences, rng.randint(6, min(16, len(sentences))))
        varied = [re.sub(r"\d+", lambda _: str(rng.randint(2, 9999)), s) for s in chosen]
        paragraphs = [" ".join(varied[i:i + 3]) for i in range(0, len(varied), 3)]
        title = f"Haber {number}: {varied[0][:60].rstrip()}"
        # Dated across a year, as a real archive is: stories (3-day window) stay the size of a day's news.
        day = datetime(2025, 1, 1, 8) + timedelta(days=rng.randrange(365), minutes=rng.randrange(600))
        dateline = f"{day.day} {MONTHS[day.month - 1]} {day.year} - {day:%H:%M}"
        (folder / f"haber-{number:05d}.txt").write_text(
            f"{title}\n\n{dateline}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def trnews_run(work: Path, corpus: Path, model: Path, new_tokens: int, *extra: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "trnews", "run", str(corpus),
               "--mt-model", str(model), "--max-new-tokens", str(new_tokens), "--min-new-tokens", str(new_tokens),
               "--beam-size", "1",
               # Random weights fail every translation check: a second try of each sentence would
               # be measured as the pipeline's own cost. mt_checks.py measures the checks.
               "--recovery-hypotheses", "0", *extra]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"trnews run failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    report = json.loads(max((work / "outputs").glob("run-*.json"), key=os.path.getmtime).read_text(encoding="utf-8"))
    return {"wall": wall, "flow": report["seconds"], "rss_mb": int(result.stderr.strip().splitlines()[-1]) / 1024,
            "cache_mb": folder_size(work / ".trnews") / 2**20, "report": report,
            "noise": [line for line in result.stdout.splitlines() + result.stderr.splitlines()
                      if "Traceback" in line or "ERROR" in line]}


def row(label: str, articles: int, measured: dict) -> str:
    report = measured["report"]
    translation, parts = report["translation"], report["stage_seconds"]
    own = measured["flow"] - parts.get("translate", 0.0)
    return (f"| {label} | {measured['wall']:.1f} | {measured['flow']:.1f} | {parts.get('translate', 0.0):.1f} | "
            f"{1000 * own / articles:.1f} | {1000 * parts.get('stories', 0.0) / articles:.1f} | "
            f"{translation['translated']:,} / {translation['reused']:,} | "
            f"{report['unchanged']:,} | {measured['rss_mb']:.0f} | {measured['cache_mb']:.1f} |")


def parts(label: str, articles: int, measured: dict) -> str:
    seconds = measured["report"]["stage_seconds"]
    return f"- {label}, ms per article: " + ", ".join(
        f"{part} {1000 * value / articles:.1f}" for part, value in seconds.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--new-tokens", type=int, default=8)
    parser.add_argument("--dask-new-tokens", type=int, default=48)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--dask-only", action="store_true", help="only the 1 versus 2 workers comparison")
    args = parser.parse_args()

    from trnews.tiny_models import build_test_models

    model = build_test_models(CACHE / "tiny").mt_tr_en
    sentences = sample_sentences()
    print(f"{len(sentences)} sample sentences; tiny MT model, {args.new_tokens} new tokens, beam 1; "
          f"{os.cpu_count()} CPUs\n")
    print("| corpus / run | wall s | flow s | translate s | pipeline ms per article | of which stories ms "
          "| sentences translated / reused | unchanged | peak RSS MB | cache MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    breakdown: list[str] = []
    noise: list[str] = []
    with tempfile.TemporaryDirectory(prefix="trnews-scale-") as scratch:
        for size in [] if args.dask_only else args.sizes:
            work = Path(scratch) / f"n{size}"
            build_corpus(work / "corpus", size, sentences)
            cold = trnews_run(work, work / "corpus", model, args.new_tokens)
            print(row(f"{size:,} articles, cold", size, cold), flush=True)
            breakdown.append(parts(f"{size:,} articles, cold", size, cold))
            warm = trnews_run(work, work / "corpus", model, args.new_tokens)
            print(row(f"{size:,} articles, nothing changed", size, warm), flush=True)
            for number in range(size // 100):  # 1 % of the articles get a new paragraph
                path = work / "corpus" / f"haber-{number * 100:05d}.txt"
                path.write_text(path.read_text(encoding="utf-8") + f"\nEk bilgi {number}: gelişmeler takip ediliyor.\n",
                                encoding="utf-8")
            edited = trnews_run(work, work / "corpus", model, args.new_tokens)
            print(row(f"{size:,} articles, 1 % edited", size, edited), flush=True)
            breakdown.append(parts(f"{size:,} articles, nothing changed", size, warm))
            noise += cold["noise"] + warm["noise"] + edited["noise"]
        if breakdown:
            print("\nWhere the time went (`stage_seconds` of the run reports):\n")
            print("\n".join(breakdown))
        if not args.no_dask:
            size = min(args.sizes)
            print(f"\nDask, {size:,} articles cold, {args.dask_new_tokens} new tokens:\n")
            print("| workers | wall s | flow s | translate s | worker processes |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for workers in (1, 2):
                work = Path(scratch) / f"dask{workers}"
                build_corpus(work / "corpus", size, sentences)
                measured = trnews_run(work, work / "corpus", model, args.dask_new_tokens, "--workers", str(workers))
                report = measured["report"]
                print(f"| {workers} | {measured['wall']:.1f} | {measured['flow']:.1f} | "
                      f"{report['stage_seconds']['translate']:.1f} | {len(report['workers'])} |", flush=True)
                noise += measured["noise"]
    print(f"\nTracebacks or ERROR lines in the runs' terminal output: {len(noise)}")
    for line in noise[:10]:
        print("   ", line)


if __name__ == "__main__":
    main()
