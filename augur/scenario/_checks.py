"""The checks every part of a scenario shares: a number in its range, a whole-number range, a node name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from augur.errors import ScenarioError
from augur.graph import Attribute, closest_name, nearest_node_hint, shown_value
from augur.scenario._model import _Field


def _number(value: Any, spec: _Field, place: str, source: str | None) -> float | int:
    # a number too large for a float is out of every range (math.isfinite would raise on it)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300
    if ok:
        ok = (value > spec.low if spec.low_open else value >= spec.low) and value <= spec.high
    if ok and spec.integer:
        ok = float(value).is_integer()
    if not ok:
        rng = Attribute(spec.name, spec.default, spec.low, spec.high, spec.low_open, spec.integer).expected()
        raise ScenarioError(f"expected {rng}, got {shown_value(value)}", source=source, place=place)
    return int(value) if spec.integer else float(value)


def _unknown_node(node: Any, G: nx.DiGraph) -> str:
    return f"unknown node {str(node)!r}{nearest_node_hint(G, node)}"


def _did_you_mean(key: Any, fields: Iterable[str]) -> str:
    """`` (did you mean 'steps'?)`` for a misspelt field, or ``""``."""
    close = closest_name(key, sorted(fields))
    return f" (did you mean {close!r}?)" if close else ""


def _whole_range(raw: Any, low: int, high: int, place: str, source: str | None) -> tuple[int, int]:
    """``[lo, hi]`` of whole numbers within ``low..high`` (a single number means ``[n, n]``)."""
    pair = raw if isinstance(raw, list) else [raw, raw]
    spec = _Field(place, low, low, high, integer=True)
    if len(pair) != 2:
        raise ScenarioError(f"expected a whole number or [lo, hi], got {raw!r}", source=source, place=place)
    lo, hi = (_number(x, spec, place, source) for x in pair)
    if lo > hi:
        raise ScenarioError(f"expected lo <= hi, got [{lo}, {hi}]", source=source, place=place)
    return int(lo), int(hi)
