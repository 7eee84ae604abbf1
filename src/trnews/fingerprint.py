"""The pipeline fingerprint: everything besides an article's own bytes that decides its outputs.

It covers the settings that change outputs, the identity of every model as loaded (the hub commit
actually resolved, or a content fingerprint of a local folder: see `translate.translation_namespace`
and `hub.model_identity`), and the code of every module an article passes through. The manifest
compares it with the one each article's outputs were made with: equal means nothing to do.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources

from trnews.config import Settings
from trnews.hub import BACK_TRANSLATION, SUMMARISER, model_identity
from trnews.translate import translation_namespace

# Modules that orchestrate, present or administer but never change what an article's outputs say.
_NOT_OUTPUT_CODE = frozenset({
    "__init__.py", "__main__.py", "cli.py", "schedule.py", "terminal.py", "testing.py", "cache.py",
    "progress.py", "interrupt.py", "locks.py", "manifest.py", "fingerprint.py",
})
# Settings that change where or how fast work happens, not what it produces.
_NOT_OUTPUT_SETTINGS = frozenset({
    "output_dir", "cache_dir", "device", "batch_tokens", "offline", "workers", "dask_address",
    "lock_timeout", "threads", "chunk_size", "wave_size", "cache_max_age_days",
})


@cache
def code_version() -> str:
    """Hash of the package's output-deciding code, templates and data files."""
    digest = hashlib.sha256()
    package = resources.files("trnews")
    files = [p for p in package.iterdir() if p.name.endswith(".py") and p.name not in _NOT_OUTPUT_CODE]
    for folder in ("templates", "data"):
        if package.joinpath(folder).is_dir():
            files += [p for p in package.joinpath(folder).iterdir() if p.is_file()]
    for path in sorted(files, key=lambda p: str(p)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def pipeline_fingerprint(settings: Settings) -> str:
    """The fingerprint of what `settings` would make of an article. Resolves model identities
    (cheap: no weights are loaded), so it raises `ModelUnavailable` for a model that cannot be had."""
    chosen = settings.model_dump(mode="json", exclude=set(_NOT_OUTPUT_SETTINGS))
    parts: dict[str, object] = {
        "code": code_version(),
        "settings": chosen,
        "translation": translation_namespace(settings.translation()),
    }
    summary = settings.summary()
    if summary.kind == "abstractive":
        parts["summariser"] = model_identity(summary.model, SUMMARISER)
        parts["back_translation"] = translation_namespace(settings.back_translation(), BACK_TRANSLATION)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
