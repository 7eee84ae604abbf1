"""Translation speed and memory of trnews' engines on the preset models' exact architectures, between
a naive floor and a raw-CTranslate2 ceiling.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/translate_speed.py                       # everything: an hour or more on 2 cores
    .venv/bin/python benchmarks/translate_speed.py --quick               # a small smoke run (minutes)
    .venv/bin/python benchmarks/translate_speed.py --models tc-big --beams 4 --sentences 120
    .venv/bin/python benchmarks/translate_speed.py --memory              # peak RSS, tc-big, 256 new tokens

Models: random-weight replicas with the exact published architectures (`trnews.tiny_models`, built
once into benchmarks/.cache/): opus-mt-tr-en (76.6 M parameters; the `fast` preset), opus-mt-tc-big-tr-en
(236.9 M; `best`, the default) and nllb-200-distilled-600M (615 M; `nllb-600m`). Compute and memory
are the real models'; their output is nonsense, so lengths are forced: every translation is as long
as trnews allows (`tokens.output_limit`: min(--new-tokens, 2 x source tokens + 16)), and every engine
runs the same decoder steps. Inputs: the sentences trnews makes of examples/articles/, repeated.

Engines, each model and beam size in its own subprocess (so peak RSS is its own):
  naive         the floor: generate() one sentence at a time (tokenize, generate under inference
                mode, decode), what the removed `pipeline("translation")` ran.
  transformers  trnews' TransformersTranslator: length-sorted, token-budgeted batches.
  ctranslate2   trnews' CTranslate2Translator (int8), the default engine.
  raw-ct2       the ceiling: ctranslate2.Translator.translate_iterable(batch_type="tokens") on
                pre-tokenised input, CTranslate2 batching by itself.
Rates are the median of the runs after a warm-up; model loading is reported apart. The 1-minute
load average around each measurement is printed with it: above the CPU count, figures are pessimistic.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
TRNEWS_CACHE = CACHE / "trnews"  # converted models (ct2/)
EXAMPLES = ROOT / "examples" / "articles"
# model name: (replica builder in trnews.tiny_models, the preset whose architecture it has)
MODELS = {"opus-mt-tr-en": ("build_opus_mt_tr_en_replica", "fast"),
          "tc-big": ("build_tc_big_tr_en_replica", "best"),
          "nllb-600m": ("build_nllb_600m_replica", "nllb-600m")}
ENGINES = ("naive", "transformers", "ctranslate2", "raw-ct2")
RSS_TARGET_MB = 2048

Run = Callable[[Sequence[str]], int]  # translates, returns the number of generated tokens


def replica(model: str) -> Path:
    import trnews.tiny_models as tiny_models
    from trnews.tiny_models.folders import build_once

    return build_once(CACHE / f"{model}-replica", getattr(tiny_models, MODELS[model][0]))


def _config(model: str, engine: str, beam: int, new_tokens: int) -> Any:
    from trnews.config import TranslationConfig

    return TranslationConfig(model=str(replica(model)), engine=engine, beam_size=beam, max_new_tokens=new_tokens,
                             min_new_tokens=new_tokens, device="cpu")


def _forced_lengths(tokenizer: Any, sentences: Sequence[str], new_tokens: int) -> list[int]:
    from trnews.translation.tokens import encode, output_limit

    return [output_limit(len(ids), new_tokens) for ids in encode(tokenizer, sentences)]


def _tokenizer_and_target(model: str) -> tuple[Any, Any]:
    from trnews.translation.families import tokenizer_languages
    from trnews.translation.hub import MT, load_tokenizer

    tokenizer = load_tokenizer(_config(model, "transformers", 1, 1).spec, MT)
    return tokenizer, tokenizer_languages(tokenizer, MT.source, MT.target)


def _naive(model: str, beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
    import torch
    from transformers import AutoModelForSeq2SeqLM

    from trnews.translation.tokens import output_limit

    tokenizer, target = _tokenizer_and_target(model)
    loaded = AutoModelForSeq2SeqLM.from_pretrained(replica(model)).eval()
    forced = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(target.target_token)} if target else {}

    def run(batch: Sequence[str]) -> int:
        tokens = 0
        with torch.inference_mode():
            for sentence in batch:
                inputs = tokenizer(sentence, return_tensors="pt")
                length = output_limit(inputs["input_ids"].shape[1], new_tokens)
                generated = loaded.generate(**inputs, num_beams=beam, max_new_tokens=length, min_new_tokens=length,
                                            **forced)
                tokenizer.decode(generated[0], skip_special_tokens=True)
                tokens += generated.shape[1] - 1  # without the decoder start token
        return tokens

    return run


def _trnews(engine: str) -> Callable[[str, int, int, Sequence[str]], Run]:
    def make(model: str, beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
        from trnews.translation.engines import make_engine
        from trnews.translation.hub import MT

        translator = make_engine(_config(model, engine, beam, new_tokens), MT, TRNEWS_CACHE)
        steps = dict(zip(sentences, _forced_lengths(_tokenizer_and_target(model)[0], sentences, new_tokens)))

        def run(batch: Sequence[str]) -> int:
            translator.translate(batch)
            # Forced lengths (counted for naive and raw-ct2): each sentence takes its forced length in steps.
            return sum(steps[s] for s in batch)

        return run

    return make


def _raw_ct2(model: str, beam: int, new_tokens: int, sentences: Sequence[str]) -> Run:
    from trnews.stores import CacheLayout
    from trnews.translation.ctranslate2_engine import load_translator
    from trnews.translation.hub import MT

    config = _config(model, "ctranslate2", beam, new_tokens)
    # The same converted model and threads as trnews' engine (converted here if not done yet).
    translator = load_translator(config.spec, "cpu", MT, CacheLayout(TRNEWS_CACHE).converted).translator
    tokenizer, target = _tokenizer_and_target(model)
    # Tokenised while loading: the ceiling is CTranslate2's own work, batched by CTranslate2 itself.
    pieces = {s: tokenizer.convert_ids_to_tokens(ids) for s, ids in zip(sentences, tokenizer(list(sentences))["input_ids"])}
    forced = dict(zip(sentences, _forced_lengths(tokenizer, sentences, new_tokens)))

    def run(batch: Sequence[str]) -> int:
        tokens = 0
        for length in sorted({forced[s] for s in batch}):  # one decoding length per call
            group = [pieces[s] for s in batch if forced[s] == length]
            prefix = [[target.target_token]] * len(group) if target else None
            for result in translator.translate_iterable(group, target_prefix=prefix, max_batch_size=config.batch_tokens,
                                                        batch_type="tokens", beam_size=beam,
                                                        max_decoding_length=length, min_decoding_length=length):
                tokens += len(result.hypotheses[0])
        return tokens

    return run


MAKERS: dict[str, Callable[[str, int, int, Sequence[str]], Run]] = {
    "naive": _naive, "transformers": _trnews("transformers"), "ctranslate2": _trnews("ctranslate2"), "raw-ct2": _raw_ct2,
}


def convert_worker(model: str) -> dict:
    """Converts the replica for the CTranslate2 engines, apart from the measured workers (a conversion
    holds the float32 model in memory: its peak is not the engine's)."""
    from trnews.stores import CacheLayout
    from trnews.translation.ctranslate2_engine import load_translator
    from trnews.translation.hub import MT

    started = time.perf_counter()
    load_translator(_config(model, "ctranslate2", 1, 1).spec, "cpu", MT, CacheLayout(TRNEWS_CACHE).converted)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def worker(engine: str, model: str, beam: int, new_tokens: int, sentences: list[str], runs: int) -> dict:
    started = time.perf_counter()
    run = MAKERS[engine](model, beam, new_tokens, sentences)
    run(sentences[:2])  # lazy loading (and conversion) and first-call warm-up
    load_seconds = time.perf_counter() - started
    seconds, tokens = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        tokens = run(sentences)
        seconds.append(time.perf_counter() - started)
    if engine in ("naive", "raw-ct2"):
        forced = sum(_forced_lengths(_tokenizer_and_target(model)[0], sentences, new_tokens))
        if tokens != forced:
            sys.exit(f"{engine} generated {tokens} tokens, not the {forced} forced: lengths not forced")
    return {"sentences": len(sentences), "tokens": tokens, "seconds": seconds, "load_seconds": load_seconds,
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec, so a worker started by
    a parent that built a replica would report the parent's peak: VmHWM belongs to this image alone."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    model: str
    engine: str
    beam: int
    sentences: int  # per run
    tokens: int  # per run
    seconds: list[float]
    load_seconds: float
    peak_rss_mb: float
    load_average: float

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / statistics.median(self.seconds)

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / statistics.median(self.seconds)


def sample_sentences() -> list[str]:
    """The sentences trnews translates from examples/articles/ (ingested, cleaned, segmented)."""
    from trnews.stages.clean import clean_article
    from trnews.stages.ingest import ingest_paths
    from trnews.stages.segment import segment_article
    from trnews.translation.engines import count_tokens_with, model_input_limit

    config = _config("opus-mt-tr-en", "transformers", 1, 1)
    sentences = []
    for raw in ingest_paths([EXAMPLES]).articles:
        article = clean_article(raw)
        if not article.skip_reason:
            segmented = segment_article(article, max_tokens=model_input_limit(config),
                                        count_tokens=count_tokens_with(config))
            sentences.extend(segmented.sentences())
    return sentences


def in_worker(arguments: list[str], stdin: str = "") -> dict:
    """The JSON a worker process prints last (each in its own process: its own peak memory)."""
    command = [sys.executable, __file__, "--worker", *arguments]
    with tempfile.TemporaryFile("w+") as err:
        done = subprocess.run(command, input=stdin, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if done.returncode:
            err.seek(0)
            sys.exit(f"{' '.join(command)} failed:\n{err.read()[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(model: str, engine: str, beam: int, new_tokens: int, sentences: list[str], runs: int) -> Result:
    print(f"  {model}, {engine}, beam {beam}: {runs} x {len(sentences)} sentences ...", file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]
    data = in_worker([engine, "--models", model, "--beams", str(beam), "--new-tokens", str(new_tokens),
                      "--runs", str(runs)], json.dumps(sentences))
    return Result(model=model, engine=engine, beam=beam, load_average=max(load_before, os.getloadavg()[0]), **data)


def table(results: list[Result]) -> list[str]:
    lines = ["| model | engine | beam | sentences | sentences/s | tokens/s | peak RSS | model load | load avg |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.model} | {r.engine} | {r.beam} | {len(r.seconds)} x {r.sentences} | "
                     f"{r.sentences_per_second:.2f} | {r.tokens_per_second:.0f} | {r.peak_rss_mb:.0f} MB | "
                     f"{r.load_seconds:.1f} s | {r.load_average:.1f} |")
    return lines


def targets(results: list[Result]) -> list[str]:
    rate = {(r.model, r.engine, r.beam): r.tokens_per_second for r in results}
    lines = []
    for model in dict.fromkeys(r.model for r in results):
        if (model, "ctranslate2", 4) in rate and (model, "raw-ct2", 4) in rate:
            ratio = rate[model, "ctranslate2", 4] / rate[model, "raw-ct2", 4]
            lines.append(f"- {model}: trnews CTranslate2 / raw CTranslate2 at beam 4 = {ratio:.2f}x "
                         f"(target >= 0.95x: {'met' if ratio >= 0.95 else 'NOT met'})")
        for engine in ("transformers", "ctranslate2"):
            if (model, engine, 4) in rate and (model, "naive", 4) in rate:
                lines.append(f"- {model}: {engine} / naive at beam 4 = "
                             f"{rate[model, engine, 4] / rate[model, 'naive', 4]:.2f}x")
    if ("tc-big", "ctranslate2", 4) in rate and ("opus-mt-tr-en", "transformers", 4) in rate:
        ratio = rate["tc-big", "ctranslate2", 4] / rate["opus-mt-tr-en", "transformers", 4]
        lines.append(f"- tc-big through CTranslate2 int8 / opus-mt-tr-en through transformers (the old default), "
                     f"tokens/s at beam 4 = {ratio:.2f}x (target >= 1x: {'met' if ratio >= 1 else 'NOT met'})")
    return lines


def article_costs(results: list[Result], sentences: list[str], article_words: int) -> list[str]:
    """Seconds per article of `article_words` Turkish words with each preset (trnews' CTranslate2
    engine, beam 4), from the measured rates and the samples' words per sentence."""
    words_per_sentence = sum(len(s.split()) for s in sentences) / len(sentences)
    per_article = article_words / words_per_sentence
    lines = [f"\nA {article_words}-word article is about {per_article:.0f} sentences here "
             f"({words_per_sentence:.1f} words per sample sentence); translating it, beam 4:\n",
             "| preset | model | seconds per article | articles per hour |", "|---|---|---:|---:|"]
    for r in results:
        if r.engine == "ctranslate2" and r.beam == 4:
            seconds = per_article / r.sentences_per_second
            lines.append(f"| {MODELS[r.model][1]} | {r.model} | {seconds:.1f} | {3600 / seconds:.0f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated, of {', '.join(MODELS)}")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {', '.join(ENGINES)}")
    parser.add_argument("--sentences", type=int, default=120, help="sentences per run of each engine (default 120)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after the warm-up (default 3; naive: 1)")
    parser.add_argument("--naive-sentences", type=int, default=20, help="sentences for naive, one run: it is slow")
    parser.add_argument("--beams", default="1,4", help="comma-separated beam sizes (default 1,4)")
    parser.add_argument("--new-tokens", type=int, default=48, help="forced length of every translation (default 48)")
    parser.add_argument("--article-words", type=int, default=600, help="words in a real-sized article (default 600)")
    parser.add_argument("--quick", action="store_true", help="tc-big and opus-mt-tr-en, beam 4, 12 sentences, 1 run")
    parser.add_argument("--memory", action="store_true",
                        help="only peak RSS of trnews' engines (of --engines) with tc-big, beam 4, 256 new tokens, "
                             "longest outputs")
    parser.add_argument("--worker", choices=[*ENGINES, "convert"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    models, engines = args.models.split(","), args.engines.split(",")
    beams = [int(b) for b in args.beams.split(",")]
    if args.worker == "convert":
        print(json.dumps(convert_worker(models[0])))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, models[0], beams[0], args.new_tokens, json.load(sys.stdin), args.runs)))
        return 0

    os.environ["HF_HUB_OFFLINE"] = "1"
    if args.quick:
        models, beams, args.sentences, args.naive_sentences, args.runs = ["opus-mt-tr-en", "tc-big"], [4], 12, 4, 1
    if args.memory:
        models, beams, args.new_tokens, args.runs = ["tc-big"], [4], 256, 1
        engines = [e for e in engines if e in ("ctranslate2", "transformers")]
    conversions = {}
    for model in models:
        replica(model)
        if {"ctranslate2", "raw-ct2"} & set(engines):
            conversions[model] = in_worker(["convert", "--models", model])
    samples = sample_sentences()
    sentences = (samples * (args.sentences // len(samples) + 1))[:args.sentences]
    naive = sentences[:args.naive_sentences]
    started = time.time()
    results = [measure(model, engine, beam, args.new_tokens, naive if engine == "naive" else sentences,
                       1 if engine == "naive" else args.runs)
               for model in models for beam in beams for engine in engines]

    print(f"# translate_speed: {platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{(time.time() - started) / 60:.1f} min")
    print(f"\nRandom-weight replicas of the published architectures; every translation forced to "
          f"min({args.new_tokens}, 2 x source tokens + 16) tokens; inputs: the sentences of examples/articles/, "
          f"{args.sentences} per run ({len(naive)} for naive, one run).\n")
    print("\n".join(table(results)))
    for model, conversion in conversions.items():
        print(f"\n{model}: CTranslate2 int8 conversion (the first time; later a load) in a process of its "
              f"own: {conversion['seconds']:.1f} s, peak RSS {conversion['peak_rss_mb']:.0f} MB", end="")
    print("\n")
    print("\n".join(targets(results)))
    if args.memory:
        worst = max(r.peak_rss_mb for r in results)
        print(f"- highest peak RSS: {worst:.0f} MB (target <= {RSS_TARGET_MB} MB: "
              f"{'met' if worst <= RSS_TARGET_MB else 'NOT met'})")
    else:
        print("\n".join(article_costs(results, samples, args.article_words)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
