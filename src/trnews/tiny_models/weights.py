"""Random weights made usable: initialised under a seed, and output ids biased out of generation
(see "Generation lengths" in the package's documentation)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

# Large enough to make these ids never win an argmax or survive a beam, small enough to stay finite
# through float16 / int8 conversions (CTranslate2 keeps the bias in float).
SUPPRESS_BIAS = -100.0


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run model initialisation under ``seed`` without disturbing the caller's global RNG state."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def suppress(model: Any, ids: Sequence[int]) -> None:
    """Bias ``ids`` out of the model's generation (its ``final_logits_bias``)."""
    import torch

    with torch.no_grad():
        model.final_logits_bias[..., list(ids)] = SUPPRESS_BIAS


def suppress_through_hidden(model: Any, final_norm: Any, ids: Sequence[int]) -> None:
    """Bias ``ids`` out of generation in a model without ``final_logits_bias`` (M2M100, NLLB): the
    decoder's final layer norm puts a constant 1 in hidden dimension 0, and the output embedding
    weighs that dimension SUPPRESS_BIAS for ``ids`` and 0 for every other token, so their logits
    carry the same offset a bias would. CTranslate2 converts layer norm and embeddings as they are,
    so it generates the same way."""
    import torch

    with torch.no_grad():
        final_norm.weight[0] = 0.0
        final_norm.bias[0] = 1.0
        output = model.get_output_embeddings().weight
        output[:, 0] = 0.0
        output[list(ids), 0] = SUPPRESS_BIAS
