"""Time and memory bounds for the hostile-input and fuzzing tests.

The bounds are generous (about ten times what the work takes on a shared 2-core machine), so a busy
machine does not make them flake: they catch a reader that walks a declared dimension or copies a
default per element, which costs minutes and gigabytes, not a slow second.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Cost:
    """What a piece of work took: wall-clock seconds and the peak of Python allocations, in MB."""

    seconds: float = 0.0
    megabytes: float = 0.0


@contextmanager
def bounded(seconds: float, megabytes: float) -> Iterator[Cost]:
    """Run the block, then assert it took at most ``seconds`` and allocated at most ``megabytes`` at
    its peak (tracemalloc: Python's own allocations, NumPy's included)."""
    cost = Cost()
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - start
        cost.megabytes = tracemalloc.get_traced_memory()[1] / 1e6
        if not tracing:
            tracemalloc.stop()
    assert cost.seconds <= seconds, f"took {cost.seconds:.1f} s, bound {seconds} s"
    assert cost.megabytes <= megabytes, f"peaked at {cost.megabytes:.0f} MB, bound {megabytes} MB"


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Assert the block finishes within ``seconds`` of wall-clock time (no memory tracing: fast)."""
    start = time.perf_counter()
    yield
    took = time.perf_counter() - start
    assert took <= seconds, f"took {took:.1f} s, bound {seconds} s"
