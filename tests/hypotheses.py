"""Comparing translations made in different batches: the same texts, the same scores but for the
last digits (padding changes the order of float sums)."""

from collections.abc import Sequence

import pytest

from trnews.translation.base import Hypothesis


def same_translations(these: Sequence[Hypothesis], those: Sequence[Hypothesis]) -> bool:
    return [h.text for h in these] == [h.text for h in those] and \
        [h.score for h in these] == pytest.approx([h.score for h in those], abs=1e-4)
