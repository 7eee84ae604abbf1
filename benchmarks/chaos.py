"""Chaos: kill -9 at random moments, concurrent runs, damaged caches. Run by hand:

    .venv/bin/python benchmarks/chaos.py                 # 10 kills, 10 concurrent pairs, damaged caches
    .venv/bin/python benchmarks/chaos.py --kills 3 --pairs 2
    .venv/bin/python benchmarks/chaos.py --kills 0 --pairs 0    # the damage cases alone

Every run is a real `trnews run` process over `examples/articles/` with the tiny test MT model
forced to `--new-tokens` tokens (so translation takes long enough to be interrupted). The runs
talk to one `prefect server start` on a free loopback port (the cheap path for frequent runs),
with a throw-away PREFECT_HOME. What is checked, against an uninterrupted reference run:

- kill -9 at a random moment of a run, then a rerun: the rerun ends in time (no hang), its
  outputs equal the reference's (timings aside), and it translates exactly the sentences the
  killed run had not committed (no finished work lost);
- two runs started together over the same inputs and folders: both succeed, no article fails;
- damage, one case after another in one workspace (a tampered manifest row; SQLite stores with a
  broken header or garbled pages behind a sound one; the lock files of a killed run;
  `stories.json` truncated, garbled or a symlink to a non-JSON file; an article record cut
  short; a damaged run report, after which `trnews runs` must name it in one line and list the
  rest; a file where the cache folder should be, which must stop the run with one line and exit
  1): the next run recovers and its outputs equal the reference's.
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
from typing import Callable, Iterator

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

    def start(self, *extra: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "trnews", "run", "articles", "--mt-model", str(self.model),
                   "--max-new-tokens", str(self.new_tokens), "--min-new-tokens", str(self.new_tokens),
                   "--batch-tokens", "128", "--beam-size", "2", *extra]
        return subprocess.Popen(command, cwd=self.root, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def run(self, *extra: str) -> tuple[int, str, float]:
        started = time.perf_counter()
        process = self.start(*extra)
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

def _garble_header(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    with path.open("r+b") as handle:
        handle.write(b"damaged!" * 16)


def _garble_pages(path: Path) -> None:
    """Pages behind a sound header (its first 100 bytes): SQLite opens the file, and a query
    reaching them fails. A small file from just after the header, a large one in the middle."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    offset = 100 if size <= 3 * 4096 else size // 2 // 4096 * 4096
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(min(8192, size - offset)))


def _store(name: str, damage: Callable[[Path], None]) -> Callable[["Workspace"], str]:
    def apply(work: Workspace) -> str:
        damage(work.root / ".trnews" / name)
        return ""
    return apply


def _tamper_manifest_row(work: Workspace) -> str:
    with sqlite3.connect(work.root / ".trnews" / "manifest.sqlite") as db:
        db.execute("UPDATE articles SET row = replace(row, '\"ok\"', '\"failed\"')")
    return ""


def _dead_holder(work: Workspace) -> str:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from trnews.pipeline.locks import run_lock\n"
        f"with run_lock(Path({str(work.root / 'outputs')!r}), 5): time.sleep(600)")], env=work.env)
    time.sleep(3)
    holder.kill()
    holder.wait()
    return "killed holder's files left behind"


def _stories_file(damage: str) -> Callable[["Workspace"], str]:
    def apply(work: Workspace) -> str:
        path = work.root / "outputs" / "stories.json"
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        elif damage == "garbled":
            path.write_bytes(os.urandom(512))
        else:
            target = work.root / "not-json.bin"
            target.write_bytes(os.urandom(512))
            path.unlink()
            path.symlink_to(target)
        return ""
    return apply


def _article_record(work: Workspace) -> str:
    first = sorted((work.root / "outputs" / "articles").glob("*.json"))[0]
    first.write_text('{"id": "' + first.stem + '", "title": ', encoding="utf-8")
    return f"{first.name} cut short"


def _run_report(work: Workspace) -> str:
    newest = max((work.root / "outputs").glob("run-*.json"), key=os.path.getmtime)
    newest.write_bytes(os.urandom(256))
    return ""


def _cache_folder_a_file(work: Workspace) -> str:
    cache = work.root / ".trnews"
    cache.rename(work.root / "cache-aside")
    cache.write_text("not a folder", encoding="utf-8")
    return ""


DAMAGES: dict[str, Callable[["Workspace"], str]] = {
    "manifest row tampered": _tamper_manifest_row,
    "manifest header broken": _store("manifest.sqlite", _garble_header),
    "manifest pages garbled": _store("manifest.sqlite", _garble_pages),
    "sentence cache header broken": _store("sentences.sqlite", _garble_header),
    "sentence cache pages garbled": _store("sentences.sqlite", _garble_pages),
    "template statistics header broken": _store("templates.sqlite", _garble_header),
    "template statistics pages garbled": _store("templates.sqlite", _garble_pages),
    "story store header broken": _store("stories.sqlite", _garble_header),
    "story store pages garbled": _store("stories.sqlite", _garble_pages),
    "stale lock of a dead run": _dead_holder,
    "stories.json truncated": _stories_file("truncated"),
    "stories.json garbled": _stories_file("garbled"),
    "stories.json a symlink to a non-JSON file": _stories_file("symlink"),
    "an article record damaged": _article_record,
    "a run report damaged": _run_report,
    "cache folder is a file": _cache_folder_a_file,
}


def _runs_lists_the_rest(work: Workspace, code: int, output: str) -> tuple[bool, str]:
    """`trnews runs` after the run: the damaged report named in one line, the others listed."""
    listing = subprocess.run([sys.executable, "-m", "trnews", "runs"], cwd=work.root, env=work.env,
                             capture_output=True, text=True, timeout=RUN_TIMEOUT)
    damaged = [line for line in listing.stderr.splitlines() if "is damaged" in line]
    ok = code == 0 and listing.returncode == 0 and len(damaged) == 1 and "Traceback" not in listing.stderr
    return ok, f"`trnews runs` exit {listing.returncode}, {len(damaged)} line naming it"


def _one_clear_line_then_rebuilt(work: Workspace, code: int, output: str) -> tuple[bool, str]:
    """Exit 1 with one line naming the folder; with the folder back, the next run is as before."""
    said = [line for line in output.splitlines() if "cannot write the cache folder" in line]
    (work.root / ".trnews").unlink()
    (work.root / "cache-aside").rename(work.root / ".trnews")
    again, rerun, _ = work.run()
    ok = code == 1 and len(said) == 1 and "Traceback" not in output and again == 0 and work.outputs() == EXPECTED[0]
    return ok, f"exit 1, one line: {said[0][:60] if said else '(none)'}...; then rerun exit {again}"


# A run with nothing new opens neither the sentence cache nor the story store: these runs
# recompute everything (--refresh), so that the damaged store is read.
REFRESHED = {"sentence cache header broken", "sentence cache pages garbled", "story store header broken",
             "story store pages garbled"}
AFTERWARDS: dict[str, Callable[["Workspace", int, str], tuple[bool, str]]] = {
    "a run report damaged": _runs_lists_the_rest,
    "cache folder is a file": _one_clear_line_then_rebuilt,
}
EXPECTED: list[dict[str, object]] = []  # the reference run's outputs, once made


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
        EXPECTED.append(expected)
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

        print("\n| damaged | next run exit | recovered | translated | note |")
        print("| --- | ---: | --- | ---: | --- |")
        work = Workspace(scratch_dir / "damage", model, args.new_tokens, env)
        work.run()
        damage_failures = 0
        for case, damage in DAMAGES.items():
            note = damage(work) or ""
            code, output, _ = work.run(*(["--refresh"] if case in REFRESHED else []))
            recovered = code == 0 and work.outputs() == expected and "Traceback" not in output
            if case in AFTERWARDS:
                recovered, note = AFTERWARDS[case](work, code, output)
            damage_failures += not recovered
            translated = work.report()["translation"]["translated"] if code == 0 else "-"
            shown = "yes" if recovered else "NO: " + repr(output[-300:])
            print(f"| {case} | {code} | {shown} | {translated} | {note} |", flush=True)

    print(f"\nkills not recovered exactly: {kill_failures} of {args.kills}; concurrent pairs with a failure: "
          f"{pair_failures} of {args.pairs}; damage not recovered: {damage_failures} of {len(DAMAGES)}")


if __name__ == "__main__":
    main()
