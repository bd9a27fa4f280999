"""Small vectorised helpers for laying spans out in time, and for naming a span's error.

Span trees are built bottom-up (a parent lasts as long as its children plus overheads) and then
placed top-down (children start at offsets from their parent), group by group, without loops.
"""

from __future__ import annotations

import numpy as np

from telemetry.mirror.spans_write import ERRORS, SpanBatch
from telemetry.mirror.timeline import heavy_durations_ms

MS = 1000  # µs per ms

_KEYS = list(ERRORS)


def error_of(keys: np.ndarray | str, n: int = 0) -> np.ndarray:
    """Error indices (spans_write.ERRORS) per span; one key for all n rows when `keys` is a string."""
    return np.full(n, _KEYS.index(keys)) if isinstance(keys, str) else np.asarray(keys, np.int64)


def error_index(key: str) -> int:
    """The index of an error key (for np.where over error columns)."""
    return _KEYS.index(key)


def excl_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum of the earlier values of the same group (groups are contiguous runs of `counts` rows)."""
    c = np.cumsum(values) - values
    first = np.cumsum(counts) - counts
    has = counts > 0
    return c - np.repeat(c[first[has]], counts[has])


def position(counts: np.ndarray) -> np.ndarray:
    """0, 1, … within each contiguous group of `counts` rows."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def durations(rng: np.random.Generator, n: int, median_ms: float, sigma: float, cap_ms: float) -> np.ndarray:
    """Heavy-tailed durations in µs."""
    return heavy_durations_ms(rng, n, median_ms, sigma, cap_ms) * MS + rng.integers(0, MS, n)


def place(batches: list[SpanBatch], trace_of: np.ndarray, offset: np.ndarray) -> None:
    """Move batches built per invocation (trace = invocation index, times from 0) into their traces."""
    for batch in batches:
        inv = batch.trace
        batch.start = batch.start + offset[inv]
        batch.end = batch.end + offset[inv]
        batch.trace = trace_of[inv]
