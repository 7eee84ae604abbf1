"""Token ids in and text out, the same for every engine and the summariser, and token-budgeted
batching. Kept apart from the engines so that each engine imports it without importing the others."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

TokenCounter = Callable[[str], int]


def token_batches(lengths: Sequence[int], budget: int) -> Iterator[list[int]]:
    """Indices grouped longest-first into batches whose padded size (rows x longest) fits `budget`.

    Sorting by length keeps padding (wasted compute) small; the budget bounds memory, which
    grows with beam size x batch rows x length."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batch: list[int] = []
    for index in order:
        longest = lengths[batch[0]] if batch else lengths[index]
        if batch and (len(batch) + 1) * longest > budget:
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def encode(tokenizer: Any, sentences: Sequence[str]) -> list[list[int]]:
    """Token ids of each sentence, never truncated: the segmenter already split long sentences."""
    return tokenizer(list(sentences), truncation=False)["input_ids"]


def decode(tokenizer: Any, generated: Sequence[Sequence[int]]) -> list[str]:
    """Translations from generated token ids (every engine decodes the same way)."""
    return [text.strip() for text in tokenizer.batch_decode(generated, skip_special_tokens=True)]


def token_counter(tokenizer: Any) -> TokenCounter:
    """How many input tokens `tokenizer` makes of a text (special tokens included)."""
    return lambda text: len(encode(tokenizer, [text])[0])
