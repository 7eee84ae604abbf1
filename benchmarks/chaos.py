"""Chaos: kill -9 at random moments, concurrent runs, damaged caches. Run by hand:

    .venv/bin/python benchmarks/chaos.py                 # 10 kills, 10 concurrent pairs, damaged caches
    .venv/bin/python benchmarks/chaos.py --kills 3 --pairs 2

Every run is a real `trnews run` process over `examples/articles/` with the tiny test MT model
forced to `--new-tokens` tokens (so translation takes long enough to be interrupted). The runs
talk to one `prefect server start` on a free loopback port (the cheap path for frequent runs),
with a throw-away PREFECT_HOME. What is checked, against an uninterrupted reference run:

- kill -9 at a random moment of a run, then a rerun: the rerun ends in time (no hang), its
  outputs equal the reference's (timings aside), and it translates exactly the sentences the
  killed run had not committed (no finished work lost);
- two runs started together over the same inputs and folders: both succeed, no article fails;
- damaged caches (a tampered manifest row, SQLite files with a broken header, a stale lock file
  left by a dead run): the next run recovers and its outputs equal the reference's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
RUN_TIMEOUT = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def prefect_server(home: Path) -> Iterator[dict[str, str]]:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": f"http://127.0.0.1:{port}/api", "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            sys.exit("prefect server start did not come up within 180 s")
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)


class Workspace:
    def __init__(self, root: Path, model: Path, new_tokens: int, env: dict[str, str]) -> None:
        self.root, self.model, self.new_tokens, self.env = root, model, new_tokens, env
        shutil.copytree(ROOT / "examples" / "articles", root / "articles")

    def start(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "trnews", "run", "articles", "--mt-model", str(self.model),
                   "--max-new-tokens", str(self.new_tokens), "--min-new-tokens", str(self.new_tokens),
                   "--batch-tokens", "128", "--beam-size", "2"]
        return subprocess.Popen(command, cwd=self.root, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def run(self) -> tuple[int, str, float]:
        started = time.perf_counter()
        process = self.start()
        try:
            output, _ = process.communicate(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            return -1, "HUNG", time.perf_counter() - started
        return process.returncode, output, time.perf_counter() - started

    def committed(self) -> int:
        try:
            with sqlite3.connect(self.root / ".trnews" / "sentences.sqlite", timeout=10) as db:
                return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        except sqlite3.Error:
            return 0

    def report(self) -> dict:
        newest = max((self.root / "outputs").glob("run-*.json"), key=os.path.getmtime)
        return json.loads(newest.read_text(encoding="utf-8"))

    def outputs(self) -> dict[str, object]:
        found: dict[str, object] = {}
        for path in sorted((self.root / "outputs" / "articles").iterdir()):
            if path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
                data.pop("timings", None)
                found[path.name] = data
            else:
                found[path.name] = path.read_text(encoding="utf-8")
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--new-tokens", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from trnews.tiny_models import build_test_models

    model = build_test_models(CACHE / "tiny").mt_tr_en
    with tempfile.TemporaryDirectory(prefix="trnews-chaos-") as scratch, prefect_server(Path(scratch) / "prefect") as env:
        scratch_dir = Path(scratch)
        reference = Workspace(scratch_dir / "reference", model, args.new_tokens, env)
        code, output, seconds = reference.run()
        if code != 0:
            sys.exit(f"reference run failed:\n{output}")
        expected, total = reference.outputs(), reference.report()["translation"]["translated"]
        print(f"reference run: {seconds:.1f} s, {total} sentences translated, {len(expected)} output files\n")

        print("| kill | after s | committed before kill | rerun s | rerun translated | expected | outputs equal |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        kill_failures = 0
        for number in range(1, args.kills + 1):
            work = Workspace(scratch_dir / f"kill-{number}", model, args.new_tokens, env)
            delay = rng.uniform(2, seconds)
            process = work.start()
            time.sleep(delay)
            process.kill()
            process.wait()
            committed = work.committed()
            code, output, rerun_seconds = work.run()
            translated = work.report()["translation"]["translated"] if code == 0 else -1
            equal = code == 0 and work.outputs() == expected
            ok = equal and translated == total - committed
            kill_failures += not ok
            print(f"| {number} | {delay:.1f} | {committed} | {rerun_seconds:.1f} | {translated} | {total - committed} "
                  f"| {'yes' if equal else 'NO: ' + output[-300:]!r} |", flush=True)

        print("\n| pair | exit codes | failed articles | unchanged (one waited for the other) |")
        print("| ---: | --- | ---: | --- |")
        pair_failures = 0
        for number in range(1, args.pairs + 1):
            work = Workspace(scratch_dir / f"pair-{number}", model, args.new_tokens, env)
            processes = [work.start(), work.start()]
            codes = []
            for process in processes:
                try:
                    process.communicate(timeout=RUN_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                codes.append(process.returncode)
            reports = [json.loads(p.read_text(encoding="utf-8")) for p in (work.root / "outputs").glob("run-*.json")]
            failed = sum(r["counts"]["failed"] for r in reports)
            pair_failures += failed or codes != [0, 0]
            print(f"| {number} | {codes} | {failed} | {sorted(r['unchanged'] for r in reports)} |", flush=True)

        print("\n| damaged cache | next run exit | outputs equal | translated |")
        print("| --- | ---: | --- | ---: |")
        damage_failures = 0
        for case in ("manifest row tampered", "manifest header broken", "sentence cache header broken",
                     "template statistics header broken", "story store header broken", "stale lock of a dead run"):
            work = Workspace(scratch_dir / f"damage-{case.replace(' ', '-')}", model, args.new_tokens, env)
            work.run()
            cache = work.root / ".trnews"
            if case == "manifest row tampered":
                with sqlite3.connect(cache / "manifest.sqlite") as db:
                    db.execute("UPDATE articles SET row = replace(row, '\"ok\"', '\"failed\"')")
            elif case == "stale lock of a dead run":
                holder = subprocess.Popen([sys.executable, "-c", (
                    "import time; from pathlib import Path; from trnews.pipeline.locks import run_lock\n"
                    f"with run_lock(Path({str(work.root / 'outputs')!r}), 5): time.sleep(600)")])
                time.sleep(3)
                holder.kill()
                holder.wait()
            else:
                name = {"manifest": "manifest.sqlite", "sentence": "sentences.sqlite", "template": "templates.sqlite",
                        "story": "stories.sqlite"}[case.split()[0]]
                for suffix in ("-wal", "-shm"):
                    (cache / (name + suffix)).unlink(missing_ok=True)
                with (cache / name).open("r+b") as handle:
                    handle.write(b"damaged!" * 16)
            code, output, _ = work.run()
            equal = code == 0 and work.outputs() == expected
            damage_failures += not equal
            translated = work.report()["translation"]["translated"] if code == 0 else -1
            print(f"| {case} | {code} | {'yes' if equal else 'NO: ' + output[-300:]!r} | {translated} |", flush=True)

    print(f"\nkills not recovered exactly: {kill_failures} of {args.kills}; concurrent pairs with a failure: "
          f"{pair_failures} of {args.pairs}; damaged caches not recovered: {damage_failures} of 6")


if __name__ == "__main__":
    main()
