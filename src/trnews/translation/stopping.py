"""Model calls that stop when the run is asked to stop (`trnews.pipeline.interrupt`), so that
SIGTERM ends a run within seconds even in a long beam search: transformers' generation checks
between decoding steps; a CTranslate2 call runs on CTranslate2's own threads and is abandoned.
Either way the call raises `RunStopped` and nothing it made is kept."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from trnews.pipeline import interrupt


@cache
def stop_between_steps() -> Any:
    """A `stopping_criteria` for transformers' `generate`, raising `RunStopped` at the first
    decoding step after a stop is requested (it never ends a generation otherwise). `generate`
    copies it into its own list, so one serves every call."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _StopRequested(StoppingCriteria):
        def __call__(self, input_ids: torch.LongTensor, scores: Any, **kwargs: Any) -> torch.BoolTensor:
            interrupt.check()
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([_StopRequested()])


def results_unless_stopped(pending: Sequence[Any]) -> list[Any]:
    """The results of CTranslate2 asynchronous calls (`asynchronous=True`), waited for here so that
    a stop abandons them at once instead of waiting for the whole batch."""
    interrupt.wait_until(lambda: all(result.done() for result in pending))
    return [result.result() for result in pending]
