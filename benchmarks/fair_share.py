"""Fair share: translation alone and beside a CPU-bound neighbour, with the threads and OpenMP wait
policy trnews now chooses, with those it chose before, and with one thread.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/fair_share.py                       # 8 sentences, both engines: ~3 minutes on 2 cores
    .venv/bin/python benchmarks/fair_share.py --sentences 30 --engines transformers

The model is the random-weight replica of Helsinki-NLP/opus-mt-tr-en (`benchmarks/translate_speed.py`
builds it into benchmarks/.cache/), every output forced to --new-tokens at beam 4, so the compute
is the real model's. Each measurement is a fresh process (OpenMP reads its wait policy once, when
torch or CTranslate2 loads), which loads the model, warms up on two sentences, then translates
the sentences once: that time is reported. The neighbour is one pure-Python busy loop per CPU,
started before the translating process and kept running until it ends.

Settings compared:
  before       every usable CPU as threads, the OpenMP library's own wait policy (spinning)
  now          trnews' default: the CPUs others leave free (`resources.free_cpus`), passive waits
  one thread   1 thread, passive waits
The 1-minute load average is printed with each figure: on a machine others share, "alone" means
beside them only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence

import translate_speed as speed

SETTINGS = {  # name: (threads, OMP_WAIT_POLICY or None for the library's own)
    "before": ("all", None),
    "now": ("auto", "PASSIVE"),
    "one thread": ("1", "PASSIVE"),
}
MODEL = "opus-mt-tr-en"  # the replica translate_speed builds; the `fast` preset's architecture
SPIN = "import time\nwhile True:\n    pass\n"


def worker(engine: str, threads: str, new_tokens: int, sentences: list[str]) -> dict:
    if "OMP_WAIT_POLICY" not in os.environ:  # the library's own policy: load it before trnews sets one
        import torch  # noqa: F401

        if engine == "ctranslate2":
            import ctranslate2  # noqa: F401
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
    threads, policy = SETTINGS[setting]
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | {"HF_HUB_OFFLINE": "1"}
    if policy:
        env["OMP_WAIT_POLICY"] = policy
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(os.cpu_count() or 1)] if neighbour else []
    try:
        load = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--worker", engine, "--threads", threads,
                               "--new-tokens", str(new_tokens)], input=json.dumps(sentences), env=env,
                              capture_output=True, text=True, check=True)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"], max(load, os.getloadavg()[0])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=48, help="forced length of every translation")
    parser.add_argument("--engines", default="transformers,ctranslate2")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads, args.new_tokens, json.loads(sys.stdin.read()))))
        return 0

    speed.replica(MODEL)
    sentences = speed.sample_sentences()[:args.sentences]
    print(f"{len(sentences)} sentences, beam 4, {args.new_tokens} tokens forced, {os.cpu_count()} CPUs; "
          f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}\n")
    print("| engine | setting | alone (s) | load avg | beside the neighbour (s) | load avg |")
    print("|---|---|---:|---:|---:|---:|")
    for engine in args.engines.split(","):
        for setting in SETTINGS:
            alone, alone_load = measure(engine, setting, args.new_tokens, sentences, neighbour=False)
            beside, beside_load = measure(engine, setting, args.new_tokens, sentences, neighbour=True)
            print(f"| {engine} | {setting} | {alone:.2f} | {alone_load:.1f} | {beside:.2f} | {beside_load:.1f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
