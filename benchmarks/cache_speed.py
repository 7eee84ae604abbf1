"""What caching buys: wall time of a cold run, a warm rerun and a one-sentence-edit rerun.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/cache_speed.py            # architecture-identical opus-mt-tr-en replica
    .venv/bin/python benchmarks/cache_speed.py --tiny     # tiny models: quick, less representative

Every measurement is a real `trnews run` process over a copy of `examples/articles/`, as a user
would start it, so each includes Prefect's fixed start-up (a temporary embedded API server).
That start-up is measured in the same run as an empty flow and subtracted for the ratios.
The replica has random weights, so generation is forced to `--new-tokens` tokens per sentence:
every run does the same work the real model would do for translations of that length.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
EDITED_SENTENCE = ("Toprak Mahsulleri Ofisi'nin alım fiyatlarını önümüzdeki hafta açıklaması bekleniyor.",
                   "Toprak Mahsulleri Ofisi'nin alım fiyatlarını yarın açıklaması bekleniyor.")
EMPTY_FLOW = "from prefect import flow\n@flow\ndef empty():\n    pass\nempty()\n"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return elapsed


def latest_report(output: Path) -> dict:
    return json.loads(max(output.glob("run-*.json"), key=os.path.getmtime).read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="use the tiny test models instead of the replica")
    parser.add_argument("--new-tokens", type=int, default=48, help="forced length of every translation")
    parser.add_argument("--repeats", type=int, default=3, help="warm reruns and empty flows to take the median of")
    args = parser.parse_args()

    from trnews.tiny_models import build_replica_once, build_test_models

    model = build_test_models(CACHE / "tiny").mt_tr_en if args.tiny else build_replica_once(CACHE / "opus-mt-tr-en-replica")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with tempfile.TemporaryDirectory(prefix="trnews-cache-bench-") as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "examples" / "articles", work / "articles")
        run = [sys.executable, "-m", "trnews", "run", "articles", "--mt-model", str(model),
               "--max-new-tokens", str(args.new_tokens), "--min-new-tokens", str(args.new_tokens)]

        startup = statistics.median(timed([sys.executable, "-c", EMPTY_FLOW], work, env) for _ in range(args.repeats))
        cold = timed(run, work, env)
        cold_report = latest_report(work / "outputs")
        warm_times = []
        for _ in range(args.repeats):
            warm_times.append(timed(run, work, env))
            warm_report = latest_report(work / "outputs")
        warm = statistics.median(warm_times)
        article = work / "articles" / "konya-bugday-hasadi.txt"
        article.write_text(article.read_text(encoding="utf-8").replace(*EDITED_SENTENCE), encoding="utf-8")
        edit = timed(run, work, env)
        edit_report = latest_report(work / "outputs")

    def net(seconds: float) -> float:
        return max(seconds - startup, 0.0)

    print(f"model: {'tiny test model' if args.tiny else 'opus-mt-tr-en replica (random weights, exact architecture)'}"
          f", {args.new_tokens} tokens per translation, beam 4, {os.cpu_count()} CPU cores")
    print(f"{'run':<28}{'wall s':>9}{'minus start-up s':>18}{'translated':>12}{'reused':>8}{'models loaded':>15}")
    rows = [("empty flow (Prefect start-up)", startup, None), ("cold", cold, cold_report),
            (f"warm rerun (median of {args.repeats})", warm, warm_report), ("one sentence edited", edit, edit_report)]
    for name, seconds, report in rows:
        if report is None:
            print(f"{name:<28}{seconds:>9.2f}{'':>18}")
            continue
        t = report["translation"]
        print(f"{name:<28}{seconds:>9.2f}{net(seconds):>18.2f}{t['translated']:>12}{t['reused']:>8}"
              f"{len(report['models_loaded']):>15}")
    print(f"warm / cold (start-up subtracted): {net(warm) / net(cold):.1%}   (target: at most 10%)")
    print(f"edit / cold (start-up subtracted): {net(edit) / net(cold):.1%}")


if __name__ == "__main__":
    main()
