"""The CTranslate2 engine: the configured Hugging Face model (Marian, NLLB-200, M2M100), converted
to int8. A multilingual model gets its target language as the target prefix (`families.languages`),
which CTranslate2 returns with the hypothesis and which is taken off before decoding.

The model is converted once (int8 weights on CPU, float16 on CUDA) into the cache folder,
`ct2/<model>/<identity>-<quantization>/`, where `<identity>` is `hub.model_identity` (the hub
commit of the snapshot, or a content fingerprint of a local folder's model files), so a new
upstream commit or a rebuilt local model gets its own conversion. Conversion writes into a
temporary folder that is renamed into place: an interrupted conversion leaves nothing that looks
complete, and of two processes converting at once the loser simply uses the winner's folder. The
converted model is loaded on the first `translate` call that has work to do, once per process,
and runs one batch at a time. Output lengths are capped relative to the source as in the
transformers engine (`tokens.output_limit`).

Tokenisation and decoding are the Hugging Face tokenizer's, as in `TransformersTranslator`, so
both engines see the same input pieces and produce text the same way. Each hypothesis carries
CTranslate2's score (`return_scores`, with its default length penalty of 1): the mean
log-probability of its tokens, the end token included when generated, as the transformers engine
computes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trnews.config import Device, ModelSpec, TranslationConfig
from trnews.openmp import openmp_waits_for
from trnews.translation.hub import (
    MODEL_FILES,
    ModelRole,
    ModelUnavailable,
    is_local,
    load_pretrained,
    load_tokenizer,
    model_identity,
    record_loaded,
    resolve_device,
)
from trnews.resources import free_cpus
from trnews.translation.base import BatchingEngine, Hypothesis, NBestBatch
from trnews.translation.families import tokenizer_languages
from trnews.translation.stopping import results_unless_stopped
from trnews.translation.tokens import decode, encode, output_limit, token_batches


@dataclass(frozen=True)
class ConvertedModel:
    translator: Any  # ctranslate2.Translator
    lock: threading.Lock = field(default_factory=threading.Lock)  # one batch at a time, as hub.LoadedModel


_translators: dict[tuple[str, str | None, str, str, Path], ConvertedModel] = {}  # by identity too, as in hub.py
_lock = threading.Lock()


class _Snapshot:
    """A `from_pretrained` loader whose "model" is the folder holding the model's files, so the
    hub.py logic (local folder, else local Hugging Face cache, else download unless offline, and
    its `ModelUnavailable` messages) applies to conversion unchanged."""

    @staticmethod
    def from_pretrained(name_or_path: str, *, revision: str | None = None, local_files_only: bool = False,
                        trust_remote_code: bool = False) -> Path:
        if Path(name_or_path).is_dir():
            return Path(name_or_path)
        from huggingface_hub import snapshot_download

        # Only what conversion needs: opus-mt repositories also hold TensorFlow and Rust weights,
        # which would triple the download.
        folder = Path(snapshot_download(name_or_path, revision=revision, local_files_only=local_files_only,
                                        allow_patterns=MODEL_FILES))
        # Counting tokens caches only the tokenizer files: such a snapshot is a miss, not a model.
        if not (folder / "config.json").is_file() or not _has_weights(folder):
            raise FileNotFoundError(f"{folder} holds no model weights")
        return folder


def _has_weights(folder: Path) -> bool:
    return any(folder.glob("*.safetensors")) or any(folder.glob("pytorch_model*.bin"))


def _import_ctranslate2() -> Any:
    try:
        with openmp_waits_for("ctranslate2"):
            import ctranslate2
    except ImportError as error:
        # Fails the run at once with the fix, rather than every article with an ImportError.
        raise ModelUnavailable(
            "The CTranslate2 engine needs the ctranslate2 package, a dependency of trnews: reinstall trnews "
            "(pip install ctranslate2), or use --engine transformers (TRNEWS_ENGINE=transformers)."
        ) from error
    return ctranslate2


def quantization_for(device: str) -> str:
    # int8 weights quarter the memory and speed up CPU matmuls; a GPU is fast enough in float16,
    # which keeps the model's own quality.
    return "float16" if device == "cuda" else "int8"


def conversion_folder(spec: ModelSpec, identity: str, converted_dir: Path, quantization: str) -> Path:
    """Where the conversion of the model `spec` loads lives in the cache: keyed by its identity
    (`hub.model_identity`: hub commit, or a local folder's content), so new weights get a new
    conversion."""
    name = Path(spec.id).expanduser().name if is_local(spec) else spec.id.replace("/", "--")
    return converted_dir / name / f"{identity}-{quantization}"


def convert_once(source: Path, target: Path, quantization: str) -> Path:
    """`target`, converting the Hugging Face model in `source` into it unless that was done before."""
    if (target / "model.bin").is_file():
        return target
    _import_ctranslate2()  # with its own OpenMP waits, before the converter imports torch
    from ctranslate2.converters import TransformersConverter

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        converted = staging / "model"
        TransformersConverter(str(source), trust_remote_code=False).convert(str(converted), quantization=quantization)
        try:
            os.rename(converted, target)
        except OSError:
            if not (target / "model.bin").is_file():  # not a concurrent winner: something else is in the way
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def load_translator(spec: ModelSpec, device: Device, role: ModelRole, converted_dir: Path,
                    threads: int | None = None) -> ConvertedModel:
    """The converted model as a `ctranslate2.Translator`, converted and loaded on first use and
    shared by every caller in the process, computing with `threads` (default: `free_cpus()`)."""
    ctranslate2 = _import_ctranslate2()
    resolved = resolve_device(device)
    identity = model_identity(spec, role)
    key = (spec.id, spec.revision, identity, resolved, converted_dir.resolve())
    with _lock:
        if key not in _translators:
            source = load_pretrained(_Snapshot, spec, role)
            quantization = quantization_for(resolved)
            try:
                folder = convert_once(source, conversion_folder(spec, identity, converted_dir, quantization),
                                      quantization)
            except (ValueError, NotImplementedError, OSError) as error:
                raise ModelUnavailable(
                    f"Cannot convert the {role.label} '{spec.id}' for the CTranslate2 engine: {error}\n"
                    "Use --engine transformers (or TRNEWS_ENGINE=transformers) for models CTranslate2 "
                    "does not support."
                ) from error
            _translators[key] = ConvertedModel(ctranslate2.Translator(
                str(folder), device=resolved, compute_type=quantization, intra_threads=threads or free_cpus()
            ))
            record_loaded(spec)
        return _translators[key]


class CTranslate2Translator(BatchingEngine):
    """CTranslate2 beam search over the converted model; the same settings as the transformers engine."""

    def __init__(self, config: TranslationConfig, role: ModelRole, converted_dir: Path) -> None:
        self.config = config
        self.role = role
        self.converted_dir = converted_dir

    def decode_batches(self, sentences: Sequence[str], count: int) -> Iterator[NBestBatch]:
        if not sentences:
            return
        config = self.config
        tokenizer = load_tokenizer(config.spec, self.role)
        loaded = load_translator(config.spec, config.device, self.role, self.converted_dir, config.threads)
        encoded = encode(tokenizer, sentences)
        lengths = [len(ids) for ids in encoded]
        target = tokenizer_languages(tokenizer, self.role.source, self.role.target)
        prefix = [target.target_token] if target else []
        # Batches of at most batch_tokens source tokens, as CTranslate2's own token batching makes
        # them: its memory per hypothesis is small (int8 weights and cache), so counting beams and
        # outputs as the transformers engine does would only make it slower (benchmarks/README.md).
        # Output lengths are capped the same way as there.
        for batch in token_batches(lengths, config.batch_tokens):
            limit = output_limit(max(lengths[i] for i in batch), config.max_new_tokens)
            with loaded.lock:
                # CTranslate2's decoding length counts generated tokens without the end token, so it
                # runs as many decoder steps as transformers' max_new_tokens (which counts it).
                # Asynchronous, so that a stop abandons the batch rather than waiting for it.
                results = results_unless_stopped(loaded.translator.translate_batch(
                    [tokenizer.convert_ids_to_tokens(encoded[i]) for i in batch],
                    beam_size=max(config.beam_size, count),
                    num_hypotheses=count,
                    max_decoding_length=limit,
                    min_decoding_length=min(config.min_new_tokens, limit),
                    return_scores=True,
                    target_prefix=[prefix] * len(batch) if prefix else None,
                    asynchronous=True,
                ))
            yield batch, [
                [Hypothesis(text, score) for text, score in zip(
                    decode(tokenizer, [tokenizer.convert_tokens_to_ids(h[len(prefix):]) for h in result.hypotheses]),
                    result.scores)]
                for result in results
            ]
