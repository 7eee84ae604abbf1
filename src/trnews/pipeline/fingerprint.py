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
from importlib.resources.abc import Traversable

from trnews.config import Settings
from trnews.quality.glossary import glossary_digest
from trnews.translation.hub import BACK_TRANSLATION, SUMMARISER, model_identity
from trnews.translation.engines import translation_namespace

# Code that orchestrates, presents or administers but never changes what an article's outputs say:
# modules and whole folders, as paths relative to the package.
_NOT_OUTPUT_CODE = frozenset({
    "__init__.py", "__main__.py", "cli", "tiny_models", "pipeline/progress.py", "pipeline/interrupt.py",
    "translation/stopping.py",
    "pipeline/locks.py", "pipeline/manifest.py", "pipeline/fingerprint.py",
})
_CODE_SUFFIXES = (".py",)
_DATA_FOLDERS = ("templates", "data")


def output_code_files(package: Traversable) -> list[str]:
    """The package's files that decide outputs, as sorted paths relative to it: every module in
    every subpackage (bar `_NOT_OUTPUT_CODE`) and every file of a templates or data folder."""
    found: list[str] = []

    def walk(folder: Traversable, prefix: str, in_data: bool) -> None:
        for entry in folder.iterdir():
            relative = f"{prefix}{entry.name}"
            if relative in _NOT_OUTPUT_CODE or entry.name == "__pycache__":
                continue
            if entry.is_dir():
                walk(entry, f"{relative}/", in_data or entry.name in _DATA_FOLDERS)
            elif in_data or entry.name.endswith(_CODE_SUFFIXES):
                found.append(relative)

    walk(package, "", False)
    return sorted(found)


def code_version_of(package: Traversable) -> str:
    """Hash of the output-deciding files of `package` (`output_code_files`), paths included."""
    digest = hashlib.sha256()
    for relative in output_code_files(package):
        digest.update(relative.encode() + b"\0" + package.joinpath(*relative.split("/")).read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def code_version() -> str:
    """Hash of trnews's output-deciding code, templates and data files."""
    return code_version_of(resources.files("trnews"))


def pipeline_fingerprint(settings: Settings) -> str:
    """The fingerprint of what `settings` would make of an article. Resolves model identities
    (cheap: no weights are loaded), so it raises `ModelUnavailable` for a model that cannot be had."""
    chosen = settings.flat(output_only=True)
    parts: dict[str, object] = {
        "code": code_version(),
        "settings": chosen,
        "translation": translation_namespace(settings.translation),
    }
    if settings.quality.glossary:
        parts["glossary"] = glossary_digest(settings.quality.glossary)
    summary = settings.summary
    if summary.kind == "abstractive":
        parts["summariser"] = model_identity(summary.spec, SUMMARISER)
        parts["back_translation"] = translation_namespace(settings.back_translation(), BACK_TRANSLATION)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
