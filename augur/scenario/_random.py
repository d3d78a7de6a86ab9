"""A scenario's ``random:`` section: what the drills of a random-shock study draw from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from augur.errors import ScenarioError
from augur.graph import KINDS
from augur.scenario._checks import _did_you_mean, _number, _unknown_node, _whole_range
from augur.scenario._model import (
    MAX_RUNS,
    RANDOM_KIND_CHANCES,
    RANDOM_STRENGTHS,
    SHOCK_KINDS,
    RandomShocks,
    _Field,
    random_targets,
)


def _parse_random(raw: Any, G: nx.DiGraph, steps: int, source: str | None) -> RandomShocks:
    """The ``random:`` section: what the random drills of ``augur montecarlo`` draw from."""
    if not isinstance(raw, Mapping):
        raise ScenarioError("expected a mapping of random-shock settings", source=source, place="random")
    strengths = {f.name: f for fields in SHOCK_KINDS.values() for f in fields}
    allowed = {"runs", "shocks", "kinds", "start", "duration", "targets", *strengths}
    for key in raw:
        if key not in allowed:
            raise ScenarioError(
                f"unknown field {key!r}{_did_you_mean(key, allowed)}; expected {', '.join(sorted(allowed))}",
                source=source,
                place=f"random.{key}",
            )
    runs = raw.get("runs", RandomShocks.runs)
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise ScenarioError(
            f"expected a whole number of drills >= 1 and at most {MAX_RUNS:,}, got {runs!r}",
            source=source,
            place="random.runs",
        )
    shocks = _whole_range(raw.get("shocks", [1, 3]), 1, 1000, "random.shocks", source)
    kinds = _kind_chances(raw.get("kinds"), source)
    start = duration = None
    if raw.get("start") is not None:
        start = _whole_range(raw["start"], 1, steps - 1, "random.start", source)
    if raw.get("duration") is not None:
        duration = _whole_range(raw["duration"], 1, 100_000, "random.duration", source)
    spec = RandomShocks(
        runs=runs,
        shocks=shocks,
        kinds=kinds,
        start=start,
        duration=duration,
        strengths=_strength_ranges(raw, strengths, source),
        targets=_target_names(raw.get("targets", []), G, source),
    )
    if not any(random_targets(spec, G).get(k) for k, chance in kinds.items() if chance > 0):
        raise ScenarioError(
            "no shock kind with a chance above 0 has a target among random.targets (a "
            "rate_limit_cut needs an ai_service with a token_limit, a logistics_bottleneck a logistics "
            "node)",
            source=source,
            place="random.kinds",
        )
    return spec


def _kind_chances(given: Any, source: str | None) -> dict[str, float]:
    """``random.kinds``: each kind's chance; a kind the section leaves out has none."""
    if given is None:
        return dict(RANDOM_KIND_CHANCES)
    if not isinstance(given, Mapping):
        raise ScenarioError(
            "expected a chance per shock kind, such as {vendor_failure: 0.5}",
            source=source,
            place="random.kinds",
        )
    kinds = dict.fromkeys(SHOCK_KINDS, 0.0)
    for kind, chance in given.items():
        if kind not in SHOCK_KINDS:
            raise ScenarioError(
                f"unknown shock kind {kind!r}; expected one of {', '.join(SHOCK_KINDS)}",
                source=source,
                place=f"random.kinds.{kind}",
            )
        kinds[kind] = _number(chance, _Field(kind, 0, 0, 1), f"random.kinds.{kind}", source)
    return kinds


def _strength_ranges(
    raw: Mapping[str, Any], strengths: Mapping[str, _Field], source: str | None
) -> dict[str, tuple[float, float]]:
    """Each strength field's ``[lo, hi]`` (a single number means ``[n, n]``), in the field's range."""
    ranges = dict(RANDOM_STRENGTHS)
    for name, spec in strengths.items():
        if raw.get(name) is None:
            continue
        pair = raw[name] if isinstance(raw[name], list) else [raw[name], raw[name]]
        place = f"random.{name}"
        if len(pair) != 2:
            raise ScenarioError(
                f"expected a number or [lo, hi], got {raw[name]!r}", source=source, place=place
            )
        lo, hi = (_number(x, spec, place, source) for x in pair)
        if lo > hi:
            raise ScenarioError(f"expected lo <= hi, got [{lo:g}, {hi:g}]", source=source, place=place)
        ranges[name] = (lo, hi)
    return ranges


def _target_names(raw: Any, G: nx.DiGraph, source: str | None) -> tuple[str, ...]:
    """``random.targets``: node ids of ``G`` or node kinds, as written."""
    items = raw if isinstance(raw, list) else [raw]
    for i, item in enumerate(items):
        if (
            isinstance(item, bool)
            or not isinstance(item, (str, int))
            or (str(item) not in G and item not in KINDS)
        ):
            hint = _unknown_node(item, G)
            raise ScenarioError(
                f"{hint}; expected a node id or a kind ({', '.join(KINDS)})",
                source=source,
                place=f"random.targets[{i}]",
            )
    return tuple(str(x) for x in items)
