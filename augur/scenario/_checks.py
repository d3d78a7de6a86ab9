"""The checks every part of a scenario shares: a number in its range, a whole-number range, a node name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import yaml

from augur.errors import ScenarioError
from augur.graph import Attribute, closest_name, nearest_node_hint, shown_value
from augur.io._yaml import SAFE_LOADER
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
    """``unknown node 'acme-x' (did you mean 'acme'?)``; for a value YAML read as a number, true or
    false or a date, the ids of ``G`` YAML would read as that value unquoted, to be written in quotes
    (``target: 007`` is the number 7, not the node '007')."""
    if isinstance(node, str) or node is None:
        return f"unknown node {str(node)!r}{nearest_node_hint(G, node)}"
    shown = _yaml_scalar(node)
    what = {bool: "the value", int: "the number", float: "the number"}.get(
        type(node), f"a {type(node).__name__}"
    )
    meant = _read_as(G, node)
    if meant:
        quoted = " or ".join(repr(v) for v in meant[:3])
        read = f"YAML reads an unquoted {meant[0]} as {what} {shown}"
        return f"unknown node {shown}: {read}; write it in quotes: {quoted}"
    return (
        f"unknown node {shown}{nearest_node_hint(G, str(node))} (YAML read it unquoted as {what} {shown}, "
        "not as text: write an id in quotes where YAML would read it otherwise)"
    )


def _yaml_scalar(value: Any) -> str:
    """A scalar as YAML writes it: ``true``, ``7``, ``2024-01-01``."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _read_as(G: nx.DiGraph, value: Any) -> list[str]:
    """The ids of ``G`` that YAML reads, unquoted, as ``value`` (of its type): '007' as 7."""
    resolver = yaml.resolver.Resolver()
    found = []
    for v in G.nodes:
        if not isinstance(v, str) or resolver.resolve(yaml.ScalarNode, v, (True, False)).endswith(":str"):
            continue  # most ids read as text: only the others are read
        try:
            read = yaml.load(v, Loader=SAFE_LOADER)
        except yaml.YAMLError:
            continue
        if type(read) is type(value) and read == value:
            found.append(v)
    return found


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
