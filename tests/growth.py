"""A complexity check for scanners fed hostile strings: time grows with the input, not faster.

Absolute time limits fail on a busy machine and pass on slow code with a fast one; the ratio of
two sizes measured in the same moment does neither. Linear code shows about 8x for 8x the input,
quadratic about 64x; the limit of 24x leaves room for timer noise and cache effects.
"""

from __future__ import annotations

import time
from collections.abc import Callable

FACTOR = 8
LIMIT = 24.0
SLACK_S = 0.003
"""A few milliseconds that the smallest size may take for free, so timer noise never counts."""


def _best(fn: Callable[[str], object], text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def growth(fn: Callable[[str], object], build: Callable[[int], str], size: int) -> float:
    """How many times longer `fn` takes on `build(size)` than on `build(size // FACTOR)`."""
    small, large = build(size // FACTOR), build(size)
    fn(small)  # warm up: compiled patterns, lazy imports
    t_small = _best(fn, small, 3)
    t_large = _best(fn, large, 2)
    return t_large / (t_small + SLACK_S)


def assert_linear(fn: Callable[[str], object], build: Callable[[int], str], size: int) -> None:
    ratio = growth(fn, build, size)
    assert ratio < LIMIT, f"{FACTOR}x the input took {ratio:.1f}x the time (limit {LIMIT}x)"
