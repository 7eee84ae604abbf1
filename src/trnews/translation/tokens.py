"""Token ids in and text out, the same for every engine and the summariser, and token-budgeted
batching. Kept apart from the engines so that each engine imports it without importing the others."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

TokenCounter = Callable[[str], int]

# The longest translation generated for a source of n tokens: OUTPUT_PER_SOURCE_TOKEN x n +
# OUTPUT_SLACK, and never more than the configured max_new_tokens. Translations of news
# sentences are rarely even twice as long as their source in tokens; the slack covers very short
# sources ("Evet." -> "Yes, it is."); the rule is fairseq's --max-len-a/-b. Without a bound, a
# batch decodes until its longest row stops, and a model that loops (repeats a phrase, never
# emits the end token) costs max_new_tokens steps of every beam.
OUTPUT_PER_SOURCE_TOKEN = 2
OUTPUT_SLACK = 16


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


def output_limit(source_tokens: int, max_new_tokens: int) -> int:
    """How many tokens a translation of a `source_tokens`-token sentence may have (see above)."""
    return min(max_new_tokens, OUTPUT_PER_SOURCE_TOKEN * source_tokens + OUTPUT_SLACK)


def generation_batches(source_lengths: Sequence[int], budget: int, beams: int,
                       max_new_tokens: int) -> Iterator[tuple[list[int], int]]:
    """Indices grouped for beam search, each group with the output limit of its longest source.

    Groups are longest first (as `token_batches`) and sized so that beams x rows x (longest source
    + its output limit) fits `budget`: the encoder states, the decoder's key/value cache and the
    per-beam logits all grow with source plus output length, so this bounds a batch's memory
    whatever is generated."""
    per_row = [n + output_limit(n, max_new_tokens) for n in source_lengths]
    for batch in token_batches(per_row, max(1, budget // beams)):
        yield batch, output_limit(max(source_lengths[i] for i in batch), max_new_tokens)


def encode(tokenizer: Any, sentences: Sequence[str]) -> list[list[int]]:
    """Token ids of each sentence, never truncated: the segmenter already split long sentences."""
    return tokenizer(list(sentences), truncation=False)["input_ids"]


def decode(tokenizer: Any, generated: Sequence[Sequence[int]]) -> list[str]:
    """Translations from generated token ids (every engine decodes the same way)."""
    return [text.strip() for text in tokenizer.batch_decode(generated, skip_special_tokens=True)]


# No subword tokenizer makes more tokens of a text than it has UTF-8 bytes (SentencePiece with
# byte fallback, the worst case, makes one per byte, and a word-start marker per space it
# replaces) beyond a start marker and its special tokens (Marian adds one). Under this many
# bytes short of a limit, a text fits without asking the tokenizer, which is most of the cost
# of segmenting.
TOKENS_BEYOND_BYTES = 8


def fits(text: str, max_tokens: int, count_tokens: TokenCounter) -> bool:
    """Whether `text` is at most `max_tokens` tokens; the tokenizer is asked only for long texts."""
    return len(text.encode("utf-8")) + TOKENS_BEYOND_BYTES <= max_tokens or count_tokens(text) <= max_tokens


def token_counter(tokenizer: Any) -> TokenCounter:
    """How many input tokens `tokenizer` makes of a text (special tokens included)."""
    return lambda text: len(encode(tokenizer, [text])[0])
