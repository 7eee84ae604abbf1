"""What the HTML and the Markdown version of a page both say, said once: the labels of headings
and fields (`data/page_labels.tsv`, Türkçe and English) and how a model is named."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markupsafe import escape

from trnews.records import ModelRef
from trnews.text.datafiles import data_lines


@dataclass(frozen=True)
class Label:
    tr: str
    en: str

    def __str__(self) -> str:
        """As Markdown and the terminal show it."""
        return f"{self.tr} · {self.en}"

    def __html__(self) -> str:
        """As the pages show it (Jinja calls this): the Turkish words marked as Turkish."""
        return f'<span lang="tr">{escape(self.tr)}</span> · {escape(self.en)}'


@cache
def _labels() -> dict[str, Label]:
    return {key: Label(tr, en) for key, tr, en in (line.split("\t") for line in data_lines("page_labels.tsv"))}


def label(key: str) -> Label:
    return _labels()[key]


def model_label(model: ModelRef) -> str:
    """`id @ revision (engine)`, the parts the model has."""
    return model.id + (f" @ {model.revision}" if model.revision else "") + (f" ({model.engine})" if model.engine else "")
