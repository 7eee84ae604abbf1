"""Fair share: translation alone and beside a CPU-bound neighbour, with the threads and OpenMP waits
trnews chooses, with the libraries' own, with passive waits for both, and with one thread.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/fair_share.py                       # 8 sentences, both engines, 3 repeats: ~10 minutes on 2 cores
    .venv/bin/python benchmarks/fair_share.py --sentences 30 --engines transformers

The model is the random-weight replica of Helsinki-NLP/opus-mt-tr-en (`benchmarks/translate_speed.py`
builds it into benchmarks/.cache/), every output forced to --new-tokens at beam 4, so the compute
is the real model's. Each measurement is a fresh process (OpenMP reads its wait policy once, when
torch or CTranslate2 loads), which loads the model, warms up on two sentences, then translates
the sentences once: that time is reported. The neighbour is one pure-Python busy loop per CPU,
started before the translating process and kept running until it ends.

Settings compared:
  library default   every usable CPU as threads, each OpenMP library's own waits (spinning a while)
  passive           the CPUs others leave free (`resources.free_cpus`), `OMP_WAIT_POLICY=PASSIVE`
                    for both libraries (trnews' default before waits were chosen per library)
  trnews            trnews' default: the CPUs others leave free, each library's own waits as
                    `trnews.openmp` chooses them
  one thread        1 thread, trnews' waits
Each figure is the median of --repeats fresh processes. The 1-minute load average is printed
with each figure: on a machine others share, "alone" means beside them only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import translate_speed as speed

SETTINGS = {  # name: (threads, waits: "library" (its own), "trnews" (trnews.openmp) or an OMP_WAIT_POLICY)
    "library default": ("all", "library"),
    "passive": ("auto", "PASSIVE"),
    "trnews": ("auto", "trnews"),
    "one thread": ("1", "trnews"),
}
MODEL = "opus-mt-tr-en"  # the replica translate_speed builds; the `fast` preset's architecture
SPIN = "import time\nwhile True:\n    pass\n"


def worker(engine: str, threads: str, waits: str, new_tokens: int, sentences: list[str]) -> dict:
    if waits == "library":  # load both libraries before trnews can choose their waits
        import ctranslate2  # noqa: F401
        import torch  # noqa: F401
    from trnews.resources import usable_cpus
    from trnews.stores import CacheLayout
    from trnews.translation.engines import make_engine
    from trnews.translation.hub import MT

    chosen = {"all": usable_cpus(), "auto": None, "1": 1}[threads]
    config = speed._config(MODEL, engine, 4, new_tokens).model_copy(update={"threads": chosen})
    translator = make_engine(config, MT, CacheLayout(speed.TRNEWS_CACHE).root)
    translator.translate(sentences[:2])
    started = time.perf_counter()
    translator.translate(sentences)
    return {"seconds": time.perf_counter() - started}


def measure(engine: str, setting: str, new_tokens: int, sentences: list[str], neighbour: bool) -> tuple[float, float]:
    """Seconds to translate `sentences` in a fresh process, and the load average around it."""
    threads, waits = SETTINGS[setting]
    # Imported here, not at the top: importing trnews chooses the waits, which the worker (this
    # file too) must be able to do without for "library default".
    from trnews.openmp import CHOSEN_BY_TRNEWS, OPENMP_VARIABLES

    env = {k: v for k, v in os.environ.items() if k not in (*OPENMP_VARIABLES, CHOSEN_BY_TRNEWS)}
    env["HF_HUB_OFFLINE"] = "1"
    if waits not in ("library", "trnews"):
        env["OMP_WAIT_POLICY"] = waits
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(os.cpu_count() or 1)] if neighbour else []
    try:
        load = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--worker", engine, "--threads", threads,
                               "--waits", waits, "--new-tokens", str(new_tokens)], input=json.dumps(sentences), env=env,
                              capture_output=True, text=True, check=True)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"], max(load, os.getloadavg()[0])


def median_of(repeats: int, *how) -> tuple[float, float]:
    """The median seconds of `repeats` measurements, and the highest load average seen around them."""
    runs = [measure(*how) for _ in range(repeats)]
    return statistics.median(seconds for seconds, _ in runs), max(load for _, load in runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=48, help="forced length of every translation")
    parser.add_argument("--engines", default="transformers,ctranslate2")
    parser.add_argument("--settings", default=",".join(SETTINGS), help="which of the settings to measure")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", help=argparse.SUPPRESS)
    parser.add_argument("--waits", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per figure; the median is shown")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads, args.waits, args.new_tokens, json.loads(sys.stdin.read()))))
        return 0

    speed.replica(MODEL)
    sentences = speed.sample_sentences()[:args.sentences]
    print(f"{len(sentences)} sentences, beam 4, {args.new_tokens} tokens forced, {os.cpu_count()} CPUs; "
          f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}\n")
    print("| engine | setting | alone (s) | load avg | beside the neighbour (s) | load avg |")
    print("|---|---|---:|---:|---:|---:|")
    for engine in args.engines.split(","):
        for setting in args.settings.split(","):
            alone, alone_load = median_of(args.repeats, engine, setting, args.new_tokens, sentences, False)
            beside, beside_load = median_of(args.repeats, engine, setting, args.new_tokens, sentences, True)
            print(f"| {engine} | {setting} | {alone:.2f} | {alone_load:.1f} | {beside:.2f} | {beside_load:.1f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
