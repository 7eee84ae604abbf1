"""Loading Hugging Face seq2seq models: once per process, from a hub id or a local folder.

Hub ids are resolved from the local Hugging Face cache first and downloaded only on a miss
(pinned to `revision` when given). Weights load as safetensors where the repository has them;
remote code is never trusted. A model that cannot be had raises `ModelUnavailable`, whose
message says which model, where it looked and how to point trnews at a local folder.

`model_identity` names the exact weights a spec loads (the hub commit, or a content fingerprint of
a local folder) without loading them: caches key on it, so new weights are never served old text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from trnews.config import Device, ModelSpec
from trnews.resources import free_cpus
from trnews.errors import FatalError
from trnews.translation.families import mark_source

log = logging.getLogger(__name__)


class ModelUnavailable(FatalError):
    """The configured model could not be loaded; the message tells the user what to do."""

    exit_code = 2
    headline = "model not available"


class NoModelFolder(ModelUnavailable):
    """A model given as a path that is no model folder: said in one line, naming the option."""

    headline = ""


@dataclass(frozen=True)
class ModelRole:
    """What a model is for, and how the user configures it (for error messages): the CLI option
    and the environment variable; for a translation model, the direction (which multilingual
    models are told: `trnews.translation.families`)."""

    label: str
    option: str
    env: str
    source: str = "tr"
    target: str = "en"


MT = ModelRole("MT model", "--mt-model", "TRNEWS_MT_MODEL")
SUMMARISER = ModelRole("summariser model", "--summariser-model", "TRNEWS_SUMMARISER_MODEL", "en", "en")
BACK_TRANSLATION = ModelRole("EN->TR model", "--back-translation-model", "TRNEWS_BACK_TRANSLATION_MODEL", "en", "tr")

# What `save_pretrained` leaves in a model folder (weights: any one of these patterns).
_CONFIG_FILES = ("config.json",)
_TOKENIZER_FILES = ("tokenizer_config.json", "tokenizer.json")
_WEIGHT_PATTERNS = ("*.safetensors", "*.bin", "*.safetensors.index.json")

# The files that make a model: config, tokenizer files and weights (a local folder's fingerprint
# covers these, not a README or a download tool's metadata).
MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "pytorch_model*.bin"]


@dataclass(frozen=True)
class LoadedModel:
    spec: ModelSpec
    tokenizer: Any
    model: Any
    device: str
    # Held while the model computes: threads sharing it (concurrent flow tasks) queue, rather than
    # oversubscribe the CPU threads torch was given and hold several batches' memory at once.
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)


# Keyed by the model's identity too: a local folder rebuilt in place, or a newer snapshot in the
# Hugging Face cache, is loaded afresh rather than served from memory under a new cache namespace.
_loaded: dict[tuple[str, str | None, str, str], LoadedModel] = {}
_tokenizers: dict[tuple[str, str | None, str, str, str], Any] = {}
_loaded_elsewhere: list[ModelSpec] = []
_lock = threading.Lock()


def resolve_device(device: Device) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def is_local(spec: ModelSpec) -> bool:
    return Path(spec.id).expanduser().is_dir()


def is_path_like(model: str) -> bool:
    """Whether `model` names a folder rather than a hub id. Hub ids are `name` or `org/name`;
    a path starts with `/`, `.` or `~`, has more than one separator, uses the platform's own
    separator, or names something under an existing local folder (`models/opus` when there is
    a `models/`)."""
    if model.startswith(("/", ".", "~")) or model.count("/") > 1 or (os.sep != "/" and os.sep in model):
        return True
    parent = Path(model).parent
    return parent != Path(".") and parent.expanduser().is_dir()


def missing_model_files(folder: Path) -> list[str]:
    """What a folder lacks to be a model saved with `save_pretrained` (empty: nothing)."""
    present = {path.name for path in folder.iterdir()}
    missing = []
    if not present.intersection(_CONFIG_FILES):
        missing.append("config.json")
    if not present.intersection(_TOKENIZER_FILES):
        missing.append("tokenizer files (tokenizer_config.json)")
    if not any(path.is_file() for pattern in _WEIGHT_PATTERNS for path in folder.glob(pattern)):
        missing.append("weights (*.safetensors or pytorch_model.bin)")
    return missing


def offline_mode(spec: ModelSpec | None = None) -> bool:
    """Whether the user asked never to contact the hub: the `offline` setting `spec` carries, or
    HF_HUB_OFFLINE / TRNEWS_OFFLINE in this process's environment."""
    if spec is not None and spec.offline:
        return True
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"} or os.environ.get(
        "TRNEWS_OFFLINE", ""
    ).lower() in {"1", "true", "yes"}


def check_model_path(spec: ModelSpec, role: ModelRole) -> None:
    """`ModelUnavailable` when `spec` names a folder that does not exist or is not a saved model;
    a hub id passes (whether the hub has it is known only by asking). Cheap: no model file is read."""
    if is_local(spec):
        path = Path(spec.id).expanduser()
        # Checked before loading: on a folder that is not a model, transformers guesses and blames
        # something else ("You need to have sentencepiece installed").
        missing = missing_model_files(path)
        if missing:
            raise NoModelFolder(f"{role.option} ({role.env}): the local folder {path} is not a saved model: it has no "
                                f"{', no '.join(missing)} (the {role.label} must be a folder saved with save_pretrained)")
    elif is_path_like(spec.id):
        raise NoModelFolder(f"{role.option} ({role.env}): no such model folder: {Path(spec.id).expanduser().absolute()} "
                            f"does not exist (the {role.label} is a folder, or a hub id such as Helsinki-NLP/opus-mt-tr-en)")


def load_pretrained(loader: Any, spec: ModelSpec, role: ModelRole, **kwargs: Any) -> Any:
    """`loader.from_pretrained` for `spec`: local folder, else local HF cache, else the hub
    (unless offline); any failure becomes a `ModelUnavailable` that says what to do."""
    common = {"trust_remote_code": False, **kwargs}
    check_model_path(spec, role)
    if is_local(spec):
        path = Path(spec.id).expanduser()
        try:
            return loader.from_pretrained(str(path), local_files_only=True, **common)
        except (OSError, ValueError) as error:
            raise ModelUnavailable(_not_a_model_message(path, role, str(error))) from error
    try:
        return loader.from_pretrained(spec.id, revision=spec.revision, local_files_only=True, **common)
    except OSError:
        if offline_mode(spec):
            raise ModelUnavailable(_unavailable_message(spec, role, offline=True)) from None
    unreachable = _hub_unreachable()
    if unreachable:
        raise ModelUnavailable(_unavailable_message(spec, role, offline=False, detail=unreachable)) from None
    try:
        log.info("Downloading %s %s from the Hugging Face hub", role.label, spec.id)
        return loader.from_pretrained(spec.id, revision=spec.revision, **common)
    except OSError as error:
        raise ModelUnavailable(_unavailable_message(spec, role, offline=False, detail=str(error))) from None


def _hub_unreachable() -> str | None:
    """Why the hub cannot be reached, if a quick connection attempt says so; else None.

    huggingface_hub retries a failed connection with backoff for about a minute per file; when
    the host does not even resolve or accept a connection there is nothing to wait for. Behind a
    proxy a direct connection says nothing, so the download is left to try."""
    if any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return None
    from huggingface_hub import constants

    endpoint = urlsplit(constants.ENDPOINT)
    try:
        socket.create_connection((endpoint.hostname, endpoint.port or 443), timeout=5).close()
    except OSError as error:
        return f"cannot connect to {endpoint.hostname}: {error}"
    return None


def _not_a_model_message(path: Path, role: ModelRole, why: str) -> str:
    return (
        f"Cannot load the {role.label} from the local folder {path}: {why}.\n"
        "  The folder must hold a Hugging Face model saved with save_pretrained (config.json, weights, "
        f"tokenizer files); point {role.option} or {role.env} at such a folder."
    )


def _unavailable_message(spec: ModelSpec, role: ModelRole, *, offline: bool, detail: str = "") -> str:
    from huggingface_hub import constants

    revision = f" (revision {spec.revision})" if spec.revision else ""
    if offline:
        why = "offline mode is on (--offline, TRNEWS_OFFLINE or HF_HUB_OFFLINE) and it is not in the local cache"
        looked = f"{constants.HF_HUB_CACHE} (Hugging Face cache); the hub was not contacted"
        online_fix = "run once without offline mode and with network access"
    else:
        why = "it is not in the local cache and the Hugging Face hub could not be reached or refused it"
        looked = f"{constants.HF_HUB_CACHE} (Hugging Face cache), then https://huggingface.co/{spec.id}"
        online_fix = "run once with network access"
    first_line = detail.strip().splitlines()[0] if detail.strip() else ""
    return (
        f"Cannot load the {role.label} '{spec.id}'{revision}: {why}.\n"
        f"  Looked in: {looked}\n"
        + (f"  Reason: {first_line}\n" if first_line else "")
        + "  Fix one of:\n"
        f"    - {online_fix}, so the model is downloaded into the cache;\n"
        f"    - download it elsewhere (`hf download {spec.id} --local-dir /path/to/model`), copy the folder here\n"
        f"      and point trnews at it: `{role.option} /path/to/model` or `{role.env}=/path/to/model`;\n"
        "    - for an offline trial run, build tiny random-weight models with `python -m trnews.tiny_models DIR`,\n"
        f"      which prints the {role.option} to use (output will be nonsense, but the pipeline runs)."
    )


def load_tokenizer(spec: ModelSpec, role: ModelRole = MT) -> Any:
    """The tokenizer alone (cheap): for counting tokens without loading weights. A multilingual
    model's tokenizer marks its inputs as the role's source language, so each direction has its own."""
    key = (spec.id, spec.revision, model_identity(spec, role), role.source, role.target)
    with _lock:
        if key not in _tokenizers:
            from transformers import AutoTokenizer

            tokenizer = load_pretrained(AutoTokenizer, spec, role)
            mark_source(tokenizer, role.source, role.target)
            _tokenizers[key] = tokenizer
        return _tokenizers[key]


def load_seq2seq(spec: ModelSpec, device: Device = "auto", role: ModelRole = MT, threads: int | None = None) -> LoadedModel:
    """Tokenizer and seq2seq model, loaded on first use and shared by every caller in the process;
    torch computes with `threads` threads (default: `free_cpus()`)."""
    resolved = resolve_device(device)
    tokenizer = load_tokenizer(spec, role)
    key = (spec.id, spec.revision, model_identity(spec, role), resolved)
    with _lock:
        if key not in _loaded:
            import torch
            from transformers import AutoModelForSeq2SeqLM
            from transformers.utils import logging as transformers_logging

            torch.set_num_threads(threads or free_cpus())
            # Hub generation configs set max_length; we pass max_new_tokens, which wins, and
            # transformers would otherwise warn about that on every batch.
            transformers_logging.set_verbosity_error()
            model = load_pretrained(AutoModelForSeq2SeqLM, spec, role)
            model.to(resolved).eval()
            _loaded[key] = LoadedModel(spec=spec, tokenizer=tokenizer, model=model, device=resolved)
            log.info("Loaded %s %s on %s", role.label, spec.id, resolved)
        return _loaded[key]


def loaded_models() -> list[ModelSpec]:
    """Specs of the models (weights, not just tokenizers) loaded in this process so far, by either
    engine."""
    with _lock:
        return list(dict.fromkeys([*(loaded.spec for loaded in _loaded.values()), *_loaded_elsewhere]))


def record_loaded(spec: ModelSpec) -> None:
    """Another engine (CTranslate2) loaded the weights of `spec`: `loaded_models` counts it."""
    with _lock:
        _loaded_elsewhere.append(spec)


def model_identity(spec: ModelSpec, role: ModelRole = MT) -> str:
    """The exact model `spec` loads, as a short string; cheap, loads no weights, works offline.

    A hub id: the commit of the snapshot in the local Hugging Face cache that loading uses (pinned
    revision or the default branch), else the commit the hub resolves it to now (what a download
    would fetch); neither available raises `ModelUnavailable`. A local folder: `local-` and a hash
    of the contents of its model files, so a folder rebuilt in place gets a new identity. A path
    that is no model folder raises `ModelUnavailable` (it is never looked up on the hub)."""
    check_model_path(spec, role)
    if is_local(spec):
        return "local-" + _folder_fingerprint(Path(spec.id).expanduser())
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(spec.id, "config.json", revision=spec.revision)
    if isinstance(cached, str):
        return Path(cached).parent.name  # snapshots/<commit>/config.json
    _require_hub(spec, role)
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    try:
        return str(HfApi().model_info(spec.id, revision=spec.revision).sha)
    except (HfHubHTTPError, OSError) as error:
        raise ModelUnavailable(_unavailable_message(spec, role, offline=False, detail=str(error))) from None


def tokenizer_class(spec: ModelSpec, role: ModelRole = MT) -> str | None:
    """The tokenizer class the model's `tokenizer_config.json` names (None where it names none), read
    from the local folder or the Hugging Face cache, else fetched alone (a few hundred bytes):
    which family the model is, without loading it (`families.languages`)."""
    if is_local(spec):
        found: Any = Path(spec.id).expanduser() / "tokenizer_config.json"
    else:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(spec.id, "tokenizer_config.json", revision=spec.revision)
        if found is None:
            found = _download_one(spec, role, "tokenizer_config.json")
    try:
        return json.loads(Path(found).read_text("utf-8")).get("tokenizer_class")
    except (OSError, TypeError, ValueError):  # a model without one: no family to tell
        return None


def _require_hub(spec: ModelSpec, role: ModelRole) -> None:
    """`ModelUnavailable` unless the hub may be asked about `spec` and can be reached."""
    if offline_mode(spec):
        raise ModelUnavailable(_unavailable_message(spec, role, offline=True))
    unreachable = _hub_unreachable()
    if unreachable:
        raise ModelUnavailable(_unavailable_message(spec, role, offline=False, detail=unreachable))


def _download_one(spec: ModelSpec, role: ModelRole, filename: str) -> str | None:
    """One small file of a hub model not yet in the cache; None where the repository has none."""
    _require_hub(spec, role)
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

    try:
        return hf_hub_download(spec.id, filename, revision=spec.revision)
    except EntryNotFoundError:
        return None
    except (HfHubHTTPError, OSError) as error:
        raise ModelUnavailable(_unavailable_message(spec, role, offline=False, detail=str(error))) from None


def _folder_fingerprint(folder: Path) -> str:
    files = sorted({p for pattern in MODEL_FILES for p in folder.glob(pattern) if p.is_file()})
    digests = _content_hashes(files)
    return hashlib.sha256(json.dumps([(p.name, d) for p, d in zip(files, digests)]).encode()).hexdigest()[:16]


def file_hashes_path() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "trnews" / "file-hashes.json"


_file_hashes_lock = threading.Lock()
# This process's copy of the entries of `file_hashes_path()`: a model is resolved for every chunk
# of articles, and while its files' signatures stand, the store need not be read again.
_remembered_hashes: dict[str, list[Any]] = {}


def _content_hashes(files: list[Path]) -> list[str]:
    """SHA-256 of each file's content, remembered across runs by (path, size, mtime, inode) in
    `file_hashes_path()`: hashing a 300 MB checkpoint takes a second, looking it up a stat."""
    with _file_hashes_lock:
        current = []
        for path in files:
            stat = path.stat()
            current.append((str(path.resolve()), [stat.st_size, stat.st_mtime_ns, stat.st_ino], path))
        if any(_remembered_hashes.get(name, [])[:3] != signature for name, signature, _ in current):
            _remember_hashes(current)
        return [str(_remembered_hashes[name][3]) for name, _, _ in current]


def _remember_hashes(current: list[tuple[str, list[int], Path]]) -> None:
    store = file_hashes_path()
    try:
        known = json.loads(store.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    _remembered_hashes.update({name: entry for name, entry in known.items() if isinstance(entry, list)})
    changed = False
    for name, signature, path in current:
        if _remembered_hashes.get(name, [])[:3] != signature:
            with path.open("rb") as handle:
                _remembered_hashes[name] = [*signature, hashlib.file_digest(handle, "sha256").hexdigest()]
            changed = True
    if changed:
        _save_json({name: entry for name, entry in _remembered_hashes.items() if Path(name).exists()}, store)


def _save_json(data: dict[str, Any], target: Path) -> None:
    """Atomically (losing a race to another process only costs a rehash next time)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as handle:
            json.dump(data, handle)
        os.replace(handle.name, target)
    except OSError as error:  # a read-only home only makes the next run hash again
        log.debug("Cannot keep model file hashes in %s: %s", target, error)
