"""Translation speed: a naive transformers loop, trnews' two engines and raw CTranslate2, side by side.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/translate_speed.py              # the full comparison: 6 minutes on 2 idle cores
    .venv/bin/python benchmarks/translate_speed.py --quick      # a 1-minute smoke run (beam 4, no flow runs)
    .venv/bin/python benchmarks/translate_speed.py --sentences 120 --beams 4 --no-flow
    .venv/bin/python benchmarks/translate_speed.py --memory     # peak RSS of trnews' engines, longest outputs

The model is a random-weight replica with the exact Helsinki-NLP/opus-mt-tr-en architecture
(`trnews.tiny_models.build_opus_mt_tr_en_replica`; built once into benchmarks/.cache/), so compute and
memory are the real model's. Its output is nonsense, so lengths are forced: every translation is
as long as trnews allows it (`tokens.output_limit`: min(--new-tokens, 2 x source tokens + 16)),
and every engine runs the same number of decoder steps per sentence. Inputs are the sentences of
examples/articles/ (ingested, cleaned and segmented by trnews), repeated.

--memory translates the samples once with each trnews engine at beam 4 and the default 256 new
tokens, every output forced to its limit: the worst case of a whole run's translation, in memory.

Engines, each measured in its own subprocess so that peak memory is its own:
  (a) naive   what users write: generate() one sentence at a time. transformers 5 removed the
              `pipeline("translation")` task; this is the loop it ran (tokenize, generate under
              inference mode, decode), one sentence per call.
  (b) trnews  TransformersTranslator: length-sorted, token-budgeted batches.
  (c) trnews  CTranslate2Translator: the model converted to int8, tokenised by the HF tokenizer.
  (d) raw     ctranslate2.Translator.translate_batch on pre-tokenised input: the ceiling for (c).
Each engine translates the whole sample set (60 sentences) in one call, as a `trnews run` over the
samples does, --sentences / 60 times (300: 5 runs) after a warm-up; rates are the median run's.
Model loading is reported apart. The machine may be shared: the 1-minute load average around each
measurement is printed with it (above the CPU count, the numbers are unreliable).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trnews.config import TranslationConfig

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
REPLICA = CACHE / "opus-mt-tr-en-replica"
TRNEWS_CACHE = CACHE / "trnews"  # converted models (ct2/) and the flow runs' cache
EXAMPLES = ROOT / "examples" / "articles"

LABELS = {
    "naive": "(a) naive transformers, one sentence per generate()",
    "transformers": "(b) trnews TransformersTranslator",
    "ctranslate2": "(c) trnews CTranslate2Translator (int8)",
    "raw-ct2": "(d) raw CTranslate2 translate_batch (int8)",
}
TARGETS = [("b/a", "transformers", "naive", 3.0), ("c/d", "ctranslate2", "raw-ct2", 0.9),
           ("c/b", "ctranslate2", "transformers", 2.0)]
RSS_TARGET_MB = 1536

# ---------------------------------------------------------------------------------------------
# worker side: one engine, one beam size, in a fresh process
# ---------------------------------------------------------------------------------------------

Run = Callable[[Sequence[str]], int]  # translates, returns the number of generated tokens


def _config(beam: int, new_tokens: int) -> TranslationConfig:
    from trnews.config import ModelSpec, TranslationConfig

    return TranslationConfig(model=str(REPLICA), beam_size=beam, max_new_tokens=new_tokens,
                             min_new_tokens=new_tokens, device="cpu")


def _naive(beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from trnews.translation.tokens import output_limit

    tokenizer = AutoTokenizer.from_pretrained(REPLICA)
    model = AutoModelForSeq2SeqLM.from_pretrained(REPLICA).eval()

    def run(batch: Sequence[str]) -> int:
        tokens = 0
        with torch.inference_mode():
            for sentence in batch:
                inputs = tokenizer(sentence, return_tensors="pt")
                length = output_limit(inputs["input_ids"].shape[1], new_tokens)
                generated = model.generate(**inputs, num_beams=beam, max_new_tokens=length, min_new_tokens=length)
                tokenizer.decode(generated[0], skip_special_tokens=True)
                tokens += generated.shape[1] - 1  # without the decoder start token
        return tokens

    return run


def _trnews(engine: str) -> Callable[[int, int, Sequence[str]], Run]:
    def make(beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
        from trnews.translation.hub import MT, load_tokenizer
        from trnews.translation.engines import make_engine

        config = _config(beam, new_tokens).model_copy(update={"engine": engine})
        translator = make_engine(config, MT, TRNEWS_CACHE)
        steps = dict(zip(sentences, _forced_lengths(load_tokenizer(config.spec), sentences, new_tokens)))

        def run(batch: Sequence[str]) -> int:
            translator.translate(batch)
            # Lengths are forced (and counted for (a) and (d)): each sentence is its forced length in steps.
            return sum(steps[s] for s in batch)

        return run

    return make


def _forced_lengths(tokenizer: object, sentences: Sequence[str], new_tokens: int) -> list[int]:
    """Each sentence's translation length when forced to its limit (trnews caps outputs relative to
    the source: `tokens.output_limit`); every engine is made to generate exactly that."""
    from trnews.translation.tokens import encode, output_limit

    return [output_limit(len(ids), new_tokens) for ids in encode(tokenizer, sentences)]


def _raw_ct2(beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
    import ctranslate2
    from transformers import AutoTokenizer

    from trnews.stores import CacheLayout
    from trnews.config import ModelSpec
    from trnews.translation.ctranslate2_engine import conversion_folder
    from trnews.translation.hub import model_identity
    from trnews.resources import usable_cpus

    tokenizer = AutoTokenizer.from_pretrained(REPLICA)
    # Tokenised while loading: the ceiling is CTranslate2's own work.
    pieces = {s: tokenizer.convert_ids_to_tokens(ids) for s, ids in zip(sentences, tokenizer(list(sentences))["input_ids"])}
    forced = dict(zip(sentences, _forced_lengths(tokenizer, sentences, new_tokens)))
    spec = ModelSpec(id=str(REPLICA))
    folder = conversion_folder(spec, model_identity(spec), CacheLayout(TRNEWS_CACHE).converted, "int8")
    translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8", intra_threads=usable_cpus())
    batch_tokens = _config(beam, new_tokens).batch_tokens

    def run(batch: Sequence[str]) -> int:
        # One call per forced length (CTranslate2 takes one decoding length per call), each batched
        # by CTranslate2 itself.
        tokens = 0
        for length in set(forced[s] for s in batch):
            group = [pieces[s] for s in batch if forced[s] == length]
            results = translator.translate_batch(group, beam_size=beam, max_decoding_length=length,
                                                 min_decoding_length=length, max_batch_size=batch_tokens,
                                                 batch_type="tokens")
            tokens += sum(len(r.hypotheses[0]) for r in results)
        return tokens

    return run


ENGINES: dict[str, Callable[[int, int, Sequence[str]], Run]] = {
    "naive": _naive, "transformers": _trnews("transformers"), "ctranslate2": _trnews("ctranslate2"), "raw-ct2": _raw_ct2,
}


def worker(engine: str, beam: int, new_tokens: int, sentences: list[str], runs: int) -> dict:
    started = time.perf_counter()
    run = ENGINES[engine](beam, new_tokens, sentences)
    run(sentences[:2])  # lazy loading and first-call warm-up
    load_seconds = time.perf_counter() - started
    seconds, tokens = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        tokens = run(sentences)
        seconds.append(time.perf_counter() - started)
    if engine in ("naive", "raw-ct2"):
        from transformers import AutoTokenizer

        forced = sum(_forced_lengths(AutoTokenizer.from_pretrained(REPLICA), sentences, new_tokens))
        if tokens != forced:
            sys.exit(f"{engine} generated {tokens} tokens, not the {forced} forced: lengths not forced")
    return {"sentences": len(sentences), "tokens": tokens, "seconds": seconds, "load_seconds": load_seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def convert_worker() -> dict:
    """Converts the replica for (c) and (d) if not done yet, apart from the timed runs."""
    from trnews.stores import CacheLayout
    from trnews.translation.ctranslate2_engine import load_translator
    from trnews.translation.hub import MT

    started = time.perf_counter()
    load_translator(_config(1, 1).spec, "cpu", MT, CacheLayout(TRNEWS_CACHE).converted)
    return {"seconds": time.perf_counter() - started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    engine: str
    sentences: int  # per run
    tokens: int  # per run
    seconds: list[float]
    load_seconds: float
    peak_rss_mb: float
    load_average: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.median

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.median


def sample_sentences() -> list[str]:
    """The sentences trnews translates from examples/articles/ (ingested, cleaned, segmented)."""
    from trnews.stages.clean import clean_article
    from trnews.stages.ingest import ingest_paths
    from trnews.stages.segment import segment_article
    from trnews.translation.engines import count_tokens_with, model_input_limit

    config = _config(1, 1)
    sentences = []
    for raw in ingest_paths([EXAMPLES]).articles:
        article = clean_article(raw)
        if not article.skip_reason:
            segmented = segment_article(article, max_tokens=model_input_limit(config),
                                        count_tokens=count_tokens_with(config))
            sentences.extend(segmented.sentences())
    return sentences


def timed_process(command: list[str], stdin: str = "", env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child process (which must succeed)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err, text=True, cwd=ROOT,
                                   env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
        process.stdin.write(stdin)
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{out.read()[-2000:]}\n{err.read()[-3000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def _worker(args: list[str], stdin: str = "") -> dict:
    return json.loads(timed_process([sys.executable, __file__, "--worker", *args], stdin)[2].strip().splitlines()[-1])


def measure(engine: str, beam: int, new_tokens: int, sentences: list[str], runs: int) -> Result:
    print(f"  {LABELS[engine]}, beam {beam}: {runs} x {len(sentences)} sentences ...", file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]
    data = _worker([engine, "--beams", str(beam), "--new-tokens", str(new_tokens), "--runs", str(runs)],
                   stdin=json.dumps(sentences))
    return Result(engine=engine, load_average=max(load_before, os.getloadavg()[0]), **data)


EMPTY_FLOW = "from prefect import flow\n\n@flow\ndef empty():\n    pass\n\nempty()\n"


def flow_runs(beam: int, new_tokens: int) -> list[tuple[str, float, float]]:
    """Wall time and peak RSS of a whole `trnews run` over the samples per engine (recomputing all
    but the model conversion), and of an empty Prefect flow: the fixed start-up every run pays."""
    empty = timed_process([sys.executable, "-c", EMPTY_FLOW])
    rows = [("empty Prefect flow (`@flow def empty(): pass`)", *empty[:2])]
    for engine in ("transformers", "ctranslate2"):
        with tempfile.TemporaryDirectory() as output:
            command = [str(Path(sys.executable).parent / "trnews"), "run", str(EXAMPLES), "--mt-model", str(REPLICA),
                       "--engine", engine, "--beam-size", str(beam), "--max-new-tokens", str(new_tokens),
                       "--cache-dir", str(TRNEWS_CACHE), "--output", output, "--offline", "--refresh"]
            forced = {"TRNEWS_MIN_NEW_TOKENS": str(new_tokens)}
            rows.append((f"`trnews run examples/articles --engine {engine}`", *timed_process(command, env=forced)[:2]))
    return rows


def _table(results: list[Result]) -> list[str]:
    lines = ["| engine | sentences | sentences/s | tokens/s | peak RSS | model load | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {LABELS[r.engine]} | {len(r.seconds)} x {r.sentences} | {r.sentences_per_second:.2f} | "
                     f"{r.tokens_per_second:.0f} | {r.peak_rss_mb:.0f} MB | {r.load_seconds:.1f} s | "
                     f"{r.load_average:.1f} |")
    return lines


def _ratios(results: list[Result]) -> list[str]:
    rate = {r.engine: r.sentences_per_second for r in results}
    lines = []
    for name, top, bottom, target in TARGETS:
        ratio = rate[top] / rate[bottom]
        lines.append(f"- {name} = {ratio:.2f}x (target >= {target}x: {'met' if ratio >= target else 'NOT met'})")
    lines.append(f"- c/a = {rate['ctranslate2'] / rate['naive']:.2f}x")
    worst = max(r.peak_rss_mb for r in results if r.engine in ("transformers", "ctranslate2"))
    lines.append(f"- highest peak RSS of a trnews engine: {worst:.0f} MB "
                 f"(target <= {RSS_TARGET_MB} MB: {'met' if worst <= RSS_TARGET_MB else 'NOT met'})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=300,
                        help="sentences per engine for (b), (c), (d): runs over the sample set (default 300)")
    parser.add_argument("--naive-sentences", type=int, default=20, help="sentences for (a), one run: it is slow")
    parser.add_argument("--beams", default="1,4", help="comma-separated beam sizes (default 1,4)")
    parser.add_argument("--new-tokens", type=int, default=48, help="forced length of every translation")
    parser.add_argument("--quick", action="store_true", help="one run of each (naive: 8 sentences), beam 4, no flow")
    parser.add_argument("--no-flow", action="store_true", help="skip the end-to-end `trnews run` timings")
    parser.add_argument("--memory", action="store_true",
                        help="only peak RSS of trnews' engines at beam 4, the default max new tokens, longest outputs")
    parser.add_argument("--worker", choices=[*LABELS, "convert"], help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    beams = [int(b) for b in args.beams.split(",")]

    if args.worker == "convert":
        print(json.dumps(convert_worker()))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, beams[0], args.new_tokens, json.load(sys.stdin), args.runs)))
        return 0

    if args.quick:
        args.sentences, args.naive_sentences, args.no_flow, beams = 1, 8, True, [4]
    os.environ["HF_HUB_OFFLINE"] = "1"
    from trnews.tiny_models import build_replica_once

    build_replica_once(REPLICA)
    sentences = sample_sentences()
    runs = max(1, round(args.sentences / len(sentences)))
    naive = (sentences * (args.naive_sentences // len(sentences) + 1))[:args.naive_sentences]
    conversion = _worker(["convert"])
    if args.memory:
        from trnews.config import TranslationConfig

        new_tokens = TranslationConfig.model_fields["max_new_tokens"].default
        results = [measure(e, 4, new_tokens, sentences, 1) for e in ("ctranslate2", "transformers")]
        print(f"# translate_speed --memory: {platform.machine()}, {os.cpu_count()} CPUs, "
              f"{time.strftime('%Y-%m-%d %H:%M')}")
        print(f"\nModel: random-weight Helsinki-NLP/opus-mt-tr-en replica. Inputs: the {len(sentences)} sentences "
              f"of examples/articles/, translated in one call after a 2-sentence warm-up, each output forced to "
              f"min({new_tokens}, 2 x source tokens + 16) tokens.")
        print(f"\n## peak memory (beam 4, max {new_tokens} new tokens, every output forced to its limit)\n")
        print("\n".join(_table(results)))
        worst = max(r.peak_rss_mb for r in results)
        print(f"\n- highest peak RSS: {worst:.0f} MB (target <= {RSS_TARGET_MB} MB: "
              f"{'met' if worst <= RSS_TARGET_MB else 'NOT met'})")
        return 0

    print(f"# translate_speed: {platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"\nModel: random-weight Helsinki-NLP/opus-mt-tr-en replica (exact architecture, 76.6 M parameters). "
          f"Inputs: the {len(sentences)} sentences of examples/articles/, translated in one call, {runs} times "
          f"per engine after a warm-up (rates: the median run); (a) was reduced to one run over the first "
          f"{len(naive)} sentences, being slow. Every translation is forced to its limit, "
          f"min({args.new_tokens}, 2 x source tokens + 16).")
    print(f"CTranslate2 conversion (one-off, cached in {TRNEWS_CACHE.relative_to(ROOT)}/ct2/): "
          f"{conversion['seconds']:.1f} s, peak RSS {conversion['peak_rss_mb']:.0f} MB.")

    for beam in beams:
        results = [measure("naive", beam, args.new_tokens, naive, 1)]
        results += [measure(e, beam, args.new_tokens, sentences, runs) for e in ("transformers", "ctranslate2", "raw-ct2")]
        print(f"\n## beam {beam}\n")
        print("\n".join(_table(results)))
        print()
        print("\n".join(_ratios(results)))

    if not args.no_flow:
        print(f"\n## end to end (beam {beams[-1]}, {args.new_tokens} tokens, everything recomputed "
              f"but the conversion)\n")
        print("| process | wall time | peak RSS |\n|---|---:|---:|")
        for name, seconds, rss in flow_runs(beams[-1], args.new_tokens):
            print(f"| {name} | {seconds:.1f} s | {rss:.0f} MB |")
        print("\n(peak RSS of the trnews process; the temporary Prefect API server it starts is another process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
