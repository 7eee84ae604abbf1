"""The CTranslate2 engine: the configured Hugging Face Marian model, converted to int8.

The model is converted once (int8 weights on CPU, int8_float16 on CUDA) into the cache folder,
`ct2/<model>/<version>-<quantization>/`, where `<version>` is the hub commit of the snapshot or
a fingerprint of a local folder's files, so a new upstream commit or a rebuilt local model gets
its own conversion. Conversion writes into a temporary folder that is renamed into place: an
interrupted conversion leaves nothing that looks complete, and of two processes converting at
once the loser simply uses the winner's folder. The converted model is loaded on the first
`translate` call that has work to do, once per process.

Tokenisation and decoding are the Hugging Face tokenizer's, as in `TransformersTranslator`, so
both engines see the same input pieces and produce text the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trnews.config import Device, ModelSpec, TranslationConfig
from trnews.hub import ModelRole, ModelUnavailable, is_local, load_pretrained, load_tokenizer, resolve_device
from trnews.resources import usable_cpus
from trnews.tokens import decode, encode

# What conversion needs from a hub repository: config, tokenizer files and one copy of the weights
# (opus-mt repositories also hold TensorFlow and Rust weights, which would triple the download).
_MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "pytorch_model*.bin"]

_translators: dict[tuple[ModelSpec, str, Path], Any] = {}
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

        folder = Path(snapshot_download(name_or_path, revision=revision, local_files_only=local_files_only,
                                        allow_patterns=_MODEL_FILES))
        # Counting tokens caches only the tokenizer files: such a snapshot is a miss, not a model.
        if not (folder / "config.json").is_file() or not _has_weights(folder):
            raise FileNotFoundError(f"{folder} holds no model weights")
        return folder


def _has_weights(folder: Path) -> bool:
    return any(folder.glob("*.safetensors")) or any(folder.glob("pytorch_model*.bin"))


def _import_ctranslate2() -> Any:
    try:
        import ctranslate2
    except ImportError as error:
        # Fails the run at once with the fix, rather than every article with an ImportError.
        raise ModelUnavailable(
            "The CTranslate2 engine needs the ctranslate2 package: pip install 'trnews[fast]', "
            "or use --engine transformers (TRNEWS_ENGINE=transformers)."
        ) from error
    return ctranslate2


def quantization_for(device: str) -> str:
    # int8 weights quarter the memory and speed up CPU matmuls; on GPUs the activations stay float16.
    return "int8_float16" if device == "cuda" else "int8"


def conversion_folder(spec: ModelSpec, source: Path, converted_dir: Path, quantization: str) -> Path:
    """Where the conversion of the model files in `source` lives in the cache."""
    if is_local(spec):
        # A local folder can be rebuilt in place (trnews.testing does): key on its files as they are now.
        files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in source.iterdir() if p.is_file())
        digest = hashlib.sha256(repr((str(source.resolve()), files)).encode()).hexdigest()[:16]
        name, version = source.name, f"local-{digest}"
    else:
        name, version = spec.id.replace("/", "--"), source.name  # snapshot folders are named by commit
    return converted_dir / name / f"{version}-{quantization}"


def convert_once(source: Path, target: Path, quantization: str) -> Path:
    """`target`, converting the Hugging Face model in `source` into it unless that was done before."""
    if (target / "model.bin").is_file():
        return target
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


def load_translator(spec: ModelSpec, device: Device, role: ModelRole, converted_dir: Path) -> Any:
    """The converted model as a `ctranslate2.Translator`, converted and loaded on first use and
    shared by every caller in the process."""
    ctranslate2 = _import_ctranslate2()
    resolved = resolve_device(device)
    key = (spec, resolved, converted_dir.resolve())
    with _lock:
        if key not in _translators:
            source = load_pretrained(_Snapshot, spec, role)
            quantization = quantization_for(resolved)
            try:
                folder = convert_once(source, conversion_folder(spec, source, converted_dir, quantization),
                                      quantization)
            except (ValueError, NotImplementedError, OSError) as error:
                raise ModelUnavailable(
                    f"Cannot convert the {role.label} '{spec.id}' for the CTranslate2 engine: {error}\n"
                    "Use --engine transformers (or TRNEWS_ENGINE=transformers) for models CTranslate2 "
                    "does not support."
                ) from error
            _translators[key] = ctranslate2.Translator(
                str(folder), device=resolved, compute_type=quantization, intra_threads=usable_cpus()
            )
        return _translators[key]


class CTranslate2Translator:
    """CTranslate2 beam search over the converted model; the same settings as the transformers engine."""

    def __init__(self, config: TranslationConfig, role: ModelRole, converted_dir: Path) -> None:
        self.config = config
        self.role = role
        self.converted_dir = converted_dir

    def translate(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        tokenizer = load_tokenizer(self.config.model, self.role)
        translator = load_translator(self.config.model, self.config.device, self.role, self.converted_dir)
        sources = [tokenizer.convert_ids_to_tokens(ids) for ids in encode(tokenizer, sentences)]
        # CTranslate2 sorts by length and splits into token-budgeted batches itself. Its decoding
        # length counts generated tokens without the end token, so it runs as many decoder steps as
        # transformers' max_new_tokens (which counts the end token).
        results = translator.translate_batch(
            sources,
            beam_size=self.config.beam_size,
            max_decoding_length=self.config.max_new_tokens,
            min_decoding_length=self.config.min_new_tokens,
            max_batch_size=self.config.batch_tokens,
            batch_type="tokens",
        )
        return decode(tokenizer, [tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results])
