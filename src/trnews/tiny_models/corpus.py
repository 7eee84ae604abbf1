"""The built-in corpus the tiny models' tokenizers are trained on: `data/parallel.tsv`, original
news-like sentences, one English rendering per Turkish sentence."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources


def _parallel_corpus() -> tuple[tuple[str, str], ...]:
    """(Turkish, English) pairs of `data/parallel.tsv`, in file order; `#` lines are comments."""
    text = resources.files("trnews.tiny_models").joinpath("data", "parallel.tsv").read_text(encoding="utf-8")
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise ValueError(f"parallel.tsv line {number}: expected Turkish<TAB>English, got {len(fields)} fields")
        pairs.append((fields[0], fields[1]))
    return tuple(pairs)


_PARALLEL_CORPUS = _parallel_corpus()

DEFAULT_TURKISH_TEXTS: tuple[str, ...] = tuple(tr for tr, _ in _PARALLEL_CORPUS)
"""Built-in Turkish training text for the tokenizers (original sentences, news style)."""

DEFAULT_ENGLISH_TEXTS: tuple[str, ...] = tuple(en for _, en in _PARALLEL_CORPUS)
"""English renderings of :data:`DEFAULT_TURKISH_TEXTS`, line by line."""

_DEFAULT_TEXTS: dict[str, tuple[str, ...]] = {"tr": DEFAULT_TURKISH_TEXTS, "en": DEFAULT_ENGLISH_TEXTS}


def texts_for(lang: str, texts: Sequence[str] | None, what: str) -> list[str]:
    """`texts` (default: the built-in corpus of `lang`) without blank entries, each stripped;
    `what` names the argument in the error raised when none is left or `lang` has no corpus."""
    if texts is None:
        try:
            texts = _DEFAULT_TEXTS[lang]
        except KeyError:
            raise ValueError(f"no built-in corpus for language {lang!r}: pass {what} explicitly") from None
    cleaned = [t.strip() for t in texts if t and t.strip()]
    if not cleaned:
        raise ValueError(f"{what} is empty")
    return cleaned
