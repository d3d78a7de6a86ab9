"""Drill scenarios: the shocks, the horizon and what the business needs.

Validate first, run second: :func:`parse_scenario` checks every field and every shock target against the
graph and names the place of anything wrong (``shocks[2].target: unknown node 'acme-x'``); the engine then
trusts what it is given.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from augur.errors import GraphError, ScenarioError
from augur.graph import KINDS, Attribute, nesting_problem, shown_value
from augur.io import load_graph, parse_node_link, to_node_link
from augur.io._common import MAX_FILE_BYTES, read_regular
from augur.io._yaml import expands_beyond, load_yaml, yaml_budget, yaml_problem
from augur.io.nodelink import too_long_number

__all__ = [
    "MAX_RUNS",
    "RANDOM_KIND_CHANCES",
    "SHOCK_KINDS",
    "VERDICTS",
    "VERDICT_RANK",
    "RandomShocks",
    "Scenario",
    "Shock",
    "dump_scenario",
    "load_scenario",
    "looks_like_scenario",
    "parse_scenario",
    "parse_scenario_text",
    "peek_file",
    "peek_text",
    "random_targets",
    "scenario_to_dict",
    "validate_shocks",
]

MAX_RUNS = 1_000_000  # random-shock drills one study may run: each keeps its service series

VERDICTS = ("graceful", "degraded", "cascade")
# mildest first: a verdict "at or better than" another ranks no higher
VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}


@dataclass(frozen=True)
class _Field:
    name: str
    default: float
    low: float
    high: float
    low_open: bool = False
    integer: bool = False


# The strength fields each shock kind takes, with their defaults and ranges (docs/model.md, Shocks).
SHOCK_KINDS: dict[str, tuple[_Field, ...]] = {
    "vendor_failure": (_Field("severity", 1.0, 0, 1),),
    "logistics_bottleneck": (
        _Field("capacity", 1.0, 0, 1),
        _Field("delay", 0, 0, 1_000_000, integer=True),
    ),
    "demand_spike": (_Field("multiplier", 2.0, 0, 1_000_000, low_open=True),),
    "data_quality_drop": (_Field("quality", 0.5, 0, 1),),
    "rate_limit_cut": (_Field("factor", 0.5, 0, 1, low_open=True),),
}


@dataclass(frozen=True)
class Shock:
    """One disruption: what it hits, when, for how long and how hard.

    ``target`` is a tuple of node ids, or for a bottleneck on edges a tuple of ``(u, v)`` pairs.
    ``params`` holds the kind's strength fields with defaults filled in.
    """

    kind: str
    target: tuple
    start: int
    duration: int | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    note: str = ""  # why this shock is in the drill, in the drill author's words

    @property
    def end(self) -> float:
        """The first step at which the shock is no longer active (inf when it never ends)."""
        return math.inf if self.duration is None else self.start + self.duration

    def active(self, t: int) -> bool:
        return self.start <= t < self.end

    @property
    def on_edges(self) -> bool:
        return bool(self.target) and isinstance(self.target[0], tuple)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], G: nx.DiGraph | None = None) -> Shock:
        """A shock from a mapping as :meth:`to_dict` writes it (a scenario file's shock, the app's
        store), trusted and not validated: what :func:`parse_scenario` has already checked, read
        back for display. Missing strengths take their defaults.

        A bottleneck's target ``[u, v]`` is an edge where ``G`` has that edge, and where no graph is
        given (two logistics nodes are written as a list of two; an edge as a pair).

        >>> shock = Shock.from_dict({"kind": "vendor_failure", "target": "acme", "start": 3})
        >>> shock.target, shock.params
        (('acme',), {'severity': 1.0})
        """
        kind, raw = data["kind"], data["target"]
        listed = isinstance(raw, (list, tuple))
        edges = kind == "logistics_bottleneck" and listed
        if edges and raw and isinstance(raw[0], (list, tuple)):
            target: tuple = tuple((str(u), str(v)) for u, v in raw)
        elif edges and len(raw) == 2 and (G is None or G.has_edge(*raw)):
            target = ((str(raw[0]), str(raw[1])),)
        else:
            target = tuple(str(x) for x in raw) if listed else (str(raw),)
        params = {f.name: f.default if data.get(f.name) is None else data[f.name] for f in SHOCK_KINDS[kind]}
        return cls(kind, target, int(data["start"]), data.get("duration"), params, data.get("note") or "")

    def to_dict(self) -> dict:
        target: Any
        if self.on_edges:
            target = [list(e) for e in self.target]
            if len(target) == 1:
                target = target[0]
        else:
            target = list(self.target) if len(self.target) > 1 else self.target[0]
        out: dict[str, Any] = {"kind": self.kind, "target": target, "start": self.start}
        if self.duration is not None:
            out["duration"] = self.duration
        out.update(self.params)
        if self.note:
            out["note"] = self.note
        return out


# What a random shock is when a scenario's ``random:`` section does not say (docs/model.md, Random
# shocks): the three kinds any node can suffer, equally likely, and now and then a provider's rate
# limit cut; no bottlenecks, which need logistics nodes most graphs lack.
RANDOM_KIND_CHANCES: dict[str, float] = {
    "vendor_failure": 0.3,
    "logistics_bottleneck": 0.0,
    "demand_spike": 0.3,
    "data_quality_drop": 0.3,
    "rate_limit_cut": 0.1,
}
RANDOM_STRENGTHS: dict[str, tuple[float, float]] = {
    "severity": (0.3, 1.0),
    "capacity": (0.2, 0.8),
    "delay": (0, 0),
    "multiplier": (1.2, 3.0),
    "quality": (0.3, 0.9),
    "factor": (0.2, 0.8),
}


@dataclass(frozen=True)
class RandomShocks:
    """What "random" means in a random-shock study: a scenario's ``random:`` section.

    Each drill draws a number of shocks in ``shocks`` (inclusive); each shock draws its kind with the
    chances in ``kinds`` (normalised over the kinds that have a target), a target among ``targets``
    that suits the kind, a start and a duration in their ranges (inclusive whole steps) and each
    strength field uniformly in its range. ``start`` and ``duration`` of ``None`` scale with the
    horizon (:meth:`start_range`, :meth:`duration_range`); ``targets`` of ``()`` is every node.
    """

    runs: int = 200
    shocks: tuple[int, int] = (1, 3)
    kinds: Mapping[str, float] = field(default_factory=lambda: dict(RANDOM_KIND_CHANCES))
    start: tuple[int, int] | None = None
    duration: tuple[int, int] | None = None
    strengths: Mapping[str, tuple[float, float]] = field(default_factory=lambda: dict(RANDOM_STRENGTHS))
    targets: tuple = ()  # node ids or kinds, as written

    def start_range(self, steps: int) -> tuple[int, int]:
        """Starts drawn, inclusive: by default from step 1 to just before half the horizon."""
        return self.start if self.start is not None else (1, max(1, steps // 2 - 1))

    def duration_range(self, steps: int) -> tuple[int, int]:
        """Durations drawn, inclusive: by default 1 step to just under a quarter of the horizon."""
        return self.duration if self.duration is not None else (1, max(1, steps // 4 - 1))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"runs": self.runs}
        low, high = self.shocks
        out["shocks"] = low if low == high else [low, high]
        out["kinds"] = dict(self.kinds)
        if self.start is not None:
            out["start"] = list(self.start)
        if self.duration is not None:
            out["duration"] = list(self.duration)
        for name, (low, high) in self.strengths.items():
            out[name] = [low, high]
        if self.targets:
            out["targets"] = list(self.targets)
        return out


@dataclass(frozen=True)
class Scenario:
    """A drill: a graph, a horizon, the shocks and what the business needs to hold.

    ``graph`` is the validated graph; ``graph_ref`` is how the file named it (a path relative to the
    scenario file, or ``None`` when the graph was inline or given in code).
    """

    name: str
    shocks: tuple[Shock, ...]
    steps: int = 96
    seed: int = 0
    slo: float = 0.9
    token_budget: float | None = None
    hypothesis: str | None = None
    description: str = ""
    step_unit: str = "hour"
    graph: nx.DiGraph | None = field(default=None, compare=False, repr=False)
    graph_ref: str | None = None
    source: str | None = None
    random: RandomShocks | None = None

    def with_overrides(self, *, steps: int | None = None, seed: int | None = None) -> Scenario:
        """The same drill with another horizon or seed, re-checked against the graph."""
        changed = replace(
            self,
            steps=self.steps if steps is None else steps,
            seed=self.seed if seed is None else seed,
        )
        if steps is not None:
            _check_steps(steps, self.source, "--steps")
            for i, shock in enumerate(changed.shocks):
                if shock.start >= changed.steps:
                    raise ScenarioError(
                        f"starts at step {shock.start}, after the horizon of {changed.steps} steps",
                        source=self.source,
                        place=f"shocks[{i}].start",
                    )
            if changed.random is not None and changed.random.start_range(changed.steps)[1] >= changed.steps:
                raise ScenarioError(
                    f"random starts reach step {changed.random.start[1]}, after the horizon of "
                    f"{changed.steps} steps",
                    source=self.source,
                    place="random.start",
                )
        return changed


def _check_steps(steps: Any, source: str | None, place: str) -> None:
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= 100_000:
        raise ScenarioError(
            f"expected an integer number of steps from 2 to 100000, got {steps!r}",
            source=source,
            place=place,
        )


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
    close = difflib.get_close_matches(str(node), [str(n) for n in G.nodes], n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown node {str(node)!r}{hint}"


def _parse_target(kind: str, raw: Any, G: nx.DiGraph, place: str, source: str | None) -> tuple:
    def node(x: Any) -> str:
        if not isinstance(x, (str, int)) or isinstance(x, bool) or str(x) not in G:
            raise ScenarioError(_unknown_node(x, G), source=source, place=place)
        return str(x)

    if kind == "logistics_bottleneck":
        is_pair = isinstance(raw, list) and len(raw) == 2 and not isinstance(raw[0], list)
        if is_pair and all(str(x) in G for x in raw) and G.has_edge(str(raw[0]), str(raw[1])):
            return ((str(raw[0]), str(raw[1])),)
        if isinstance(raw, list) and raw and all(isinstance(p, list) for p in raw):
            edges = []
            for pair in raw:
                if len(pair) != 2:
                    raise ScenarioError(
                        f"expected an edge [source, target], got {pair!r}",
                        source=source,
                        place=place,
                    )
                u, v = node(pair[0]), node(pair[1])
                if not G.has_edge(u, v):
                    raise ScenarioError(f"no edge {u} -> {v} in the graph", source=source, place=place)
                edges.append((u, v))
            return tuple(edges)
        names = raw if isinstance(raw, list) else [raw]
        if not names:
            raise ScenarioError(
                "expected a logistics node, a list of them, or an edge [source, target]",
                source=source,
                place=place,
            )
        nodes = tuple(node(x) for x in names)
        for n in nodes:
            if G.nodes[n]["kind"] != "logistics":
                hint = " (and there is no such edge)" if is_pair else ""
                raise ScenarioError(
                    f"'{n}' is a {G.nodes[n]['kind']}, not a logistics node{hint}; expected a "
                    "logistics node or an edge [source, target]",
                    source=source,
                    place=place,
                )
        return nodes

    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ScenarioError("expected a node id or a list of node ids", source=source, place=place)
    nodes = tuple(node(x) for x in items)
    if kind == "rate_limit_cut":
        for n in nodes:
            if G.nodes[n]["kind"] != "ai_service":
                raise ScenarioError(
                    f"'{n}' is a {G.nodes[n]['kind']}; a rate_limit_cut targets ai_service nodes",
                    source=source,
                    place=place,
                )
            if G.nodes[n].get("token_limit") is None:
                raise ScenarioError(
                    f"'{n}' has no token_limit to cut; give it one in the graph",
                    source=source,
                    place=place,
                )
    return nodes


def _parse_shock(i: int, raw: Any, G: nx.DiGraph, steps: int, source: str | None) -> Shock:
    here = f"shocks[{i}]"
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"expected a mapping, got {raw!r}", source=source, place=here)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in SHOCK_KINDS:
        plain = isinstance(kind, (str, int, float)) or kind is None
        shown = repr(kind) if plain else f"a {type(kind).__name__}"
        raise ScenarioError(
            f"unknown shock kind {shown[:60]}; expected one of {', '.join(SHOCK_KINDS)}",
            source=source,
            place=f"{here}.kind",
        )
    fields = SHOCK_KINDS[kind]
    allowed = {"kind", "target", "start", "duration", "note"} | {f.name for f in fields}
    for key in raw:
        if key not in allowed:
            raise ScenarioError(
                f"unknown field {key!r} for a {kind}; expected {', '.join(sorted(allowed))}",
                source=source,
                place=f"{here}.{key}",
            )
    if "target" not in raw:
        raise ScenarioError("missing 'target'", source=source, place=here)
    target = _parse_target(kind, raw["target"], G, f"{here}.target", source)
    repeated = sorted({str(t) for t in target if target.count(t) > 1})
    if repeated:
        raise ScenarioError(
            f"{', '.join(repeated)} listed more than once; name each target once",
            source=source,
            place=f"{here}.target",
        )
    if "start" not in raw:
        raise ScenarioError("missing 'start'", source=source, place=here)
    start = raw["start"]
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start < steps:
        raise ScenarioError(
            f"expected an integer step from 1 to {steps - 1} (step 0 is the pre-shock baseline), "
            f"got {start!r}",
            source=source,
            place=f"{here}.start",
        )
    duration = raw.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 1):
        raise ScenarioError(
            f"expected a whole number of steps >= 1, or no duration for a shock that lasts to the "
            f"end, got {duration!r}",
            source=source,
            place=f"{here}.duration",
        )
    params = {
        f.name: _number(raw[f.name], f, f"{here}.{f.name}", source)
        if raw.get(f.name) is not None
        else f.default
        for f in fields
    }
    if kind == "logistics_bottleneck" and "capacity" not in raw and "delay" not in raw:
        raise ScenarioError(
            "a logistics_bottleneck needs 'capacity' (0..1), 'delay' (steps) or both",
            source=source,
            place=here,
        )
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise ScenarioError(f"expected text, got {note!r}", source=source, place=f"{here}.note")
    return Shock(kind=kind, target=target, start=start, duration=duration, params=params, note=note or "")


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


def _parse_random(raw: Any, G: nx.DiGraph, steps: int, source: str | None) -> RandomShocks:
    """The ``random:`` section: what the random drills of ``augur montecarlo`` draw from."""
    if not isinstance(raw, Mapping):
        raise ScenarioError("expected a mapping of random-shock settings", source=source, place="random")
    strengths = {f.name: f for fields in SHOCK_KINDS.values() for f in fields}
    allowed = {"runs", "shocks", "kinds", "start", "duration", "targets", *strengths}
    for key in raw:
        if key not in allowed:
            raise ScenarioError(
                f"unknown field {key!r}; expected {', '.join(sorted(allowed))}",
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
    kinds = dict(RANDOM_KIND_CHANCES)
    given = raw.get("kinds")
    if given is not None:
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
    start = duration = None
    if raw.get("start") is not None:
        start = _whole_range(raw["start"], 1, steps - 1, "random.start", source)
    if raw.get("duration") is not None:
        duration = _whole_range(raw["duration"], 1, 100_000, "random.duration", source)
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
    targets_raw = raw.get("targets", [])
    items = targets_raw if isinstance(targets_raw, list) else [targets_raw]
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
    spec = RandomShocks(
        runs=runs,
        shocks=shocks,
        kinds=kinds,
        start=start,
        duration=duration,
        strengths=ranges,
        targets=tuple(str(x) for x in items),
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


def random_targets(spec: RandomShocks, G: nx.DiGraph) -> dict[str, list]:
    """The nodes each shock kind may hit in a random drill, in graph order.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "p", "kind": "logistics"})], [])
    >>> random_targets(RandomShocks(targets=("logistics",)), G)["vendor_failure"]
    ['p']
    """
    named = set(spec.targets)
    nodes = [v for v, d in G.nodes(data=True) if not named or str(v) in named or d["kind"] in named]
    return {
        "vendor_failure": nodes,
        "logistics_bottleneck": [v for v in nodes if G.nodes[v]["kind"] == "logistics"],
        "demand_spike": nodes,
        "data_quality_drop": nodes,
        "rate_limit_cut": [
            v for v in nodes if G.nodes[v]["kind"] == "ai_service" and G.nodes[v].get("token_limit")
        ],
    }


def validate_shocks(scenario: Scenario, G: nx.DiGraph) -> None:
    """Check that every shock of ``scenario`` fits graph ``G`` (targets exist, kinds fit)."""
    raw = scenario_to_dict(scenario)
    for i, shock in enumerate(raw["shocks"]):
        _parse_shock(i, shock, G, scenario.steps, scenario.source)


def parse_scenario(
    data: Any,
    *,
    graph: nx.DiGraph | None = None,
    base_dir: Path | None = None,
    source: str | None = None,
) -> Scenario:
    """Validate a scenario mapping (as read from YAML or JSON) and return a :class:`Scenario`.

    ``graph`` is used when given; otherwise the mapping's ``graph`` (a path relative to ``base_dir``, or
    an inline node-link mapping) is loaded.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "acme", "kind": "vendor"})], [])
    >>> s = parse_scenario({"name": "outage", "shocks": [{"kind": "vendor_failure",
    ...                     "target": "acme", "start": 3}]}, graph=G)
    >>> s.shocks[0].params["severity"]
    1.0
    """
    if not isinstance(data, Mapping):
        raise ScenarioError("expected a mapping of scenario fields at the top", source=source)
    for key, value in data.items():
        problem = None if key == "graph" else nesting_problem(value)  # the graph checks its own
        if problem:
            raise ScenarioError(f"{problem}", source=source, place=str(key)[:40])
    known = {
        "name", "description", "graph", "steps", "seed", "slo", "token_budget", "hypothesis",
        "shocks", "step_unit", "random",
    }  # fmt: skip
    for key in data:
        if key not in known:
            raise ScenarioError(
                f"unknown field {key!r}; expected {', '.join(sorted(known))}",
                source=source,
                place=key,
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError("expected a non-empty 'name'", source=source, place="name")
    graph_ref = None
    if graph is None:
        graph, graph_ref = _scenario_graph(data.get("graph"), base_dir, source)
    steps = data.get("steps", 96)
    _check_steps(steps, source, "steps")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ScenarioError(f"expected an integer >= 0, got {seed!r}", source=source, place="seed")
    slo = _number(data.get("slo", 0.9), _Field("slo", 0.9, 0, 1), "slo", source)
    budget = data.get("token_budget")
    if budget is not None:
        budget = _number(budget, _Field("token_budget", 1, 0, math.inf, True), "token_budget", source)
        if budget < 1:  # peak tokens as a multiple of baseline: the calm drill itself would be over
            raise ScenarioError(
                f"expected 1 or more (a multiple of baseline tokens; below 1 even a drill without "
                f"shocks is over budget), got {budget:g}",
                source=source,
                place="token_budget",
            )
    hypothesis = data.get("hypothesis")
    if hypothesis is not None and hypothesis not in VERDICTS:
        raise ScenarioError(
            f"expected one of {', '.join(VERDICTS)}, got {hypothesis!r}",
            source=source,
            place="hypothesis",
        )
    shocks_raw = data.get("shocks", [])
    if not isinstance(shocks_raw, list):
        raise ScenarioError("expected a list of shocks", source=source, place="shocks")
    shocks = tuple(_parse_shock(i, s, graph, steps, source) for i, s in enumerate(shocks_raw))
    random = None if data.get("random") is None else _parse_random(data["random"], graph, steps, source)
    return Scenario(
        name=name.strip(),
        description=str(data.get("description") or "").strip(),
        shocks=shocks,
        steps=steps,
        seed=seed,
        slo=slo,
        token_budget=budget,
        hypothesis=hypothesis,
        step_unit=str(data.get("step_unit") or "hour"),
        graph=graph,
        graph_ref=graph_ref,
        source=source,
        random=random,
    )


def _scenario_graph(ref: Any, base_dir: Path | None, source: str | None):
    if ref is None:
        raise ScenarioError(
            "missing 'graph': expected a path to a graph file or an inline {nodes, edges} mapping",
            source=source,
            place="graph",
        )
    if isinstance(ref, Mapping):
        try:
            return parse_node_link(ref, source=f"{source or 'scenario'} (inline graph)"), None
        except GraphError as err:
            raise ScenarioError(err.message, source=err.source, place=err.place) from err
    if not isinstance(ref, str):
        raise ScenarioError(f"expected a path or an inline graph, got {ref!r}", source=source, place="graph")
    path = (base_dir or Path.cwd()) / ref
    try:
        found = path.exists()
    except OSError as err:  # a name too long for the file system, say
        raise ScenarioError(
            f"cannot open the graph file ({err.strerror or err})", source=source, place="graph"
        ) from err
    if not found:
        raise ScenarioError(f"graph file not found: {path}", source=source, place="graph")
    return load_graph(path), ref


def parse_scenario_text(
    text: str,
    *,
    fmt: str = "yaml",
    source: str | None = None,
    base_dir: Path | None = None,
    graph: nx.DiGraph | None = None,
) -> Scenario:
    """Read and validate scenario text (YAML or JSON).

    With ``base_dir`` a graph named by path is loaded relative to it. Without one (an upload, text
    from a form), the graph must be inline or given as ``graph`` (the graph file uploaded with the
    scenario): text sent to a server never makes it open a path. YAML whose aliases expand far
    beyond the text is refused.

    >>> s = parse_scenario_text('''
    ... name: outage
    ... graph: {nodes: [{id: acme, kind: vendor}]}
    ... shocks: [{kind: vendor_failure, target: acme, start: 3}]
    ... ''')
    >>> s.shocks[0].target
    ('acme',)
    """
    try:
        data = json.loads(text) if fmt == "json" else load_yaml(text)
    except json.JSONDecodeError as err:
        raise ScenarioError(f"not valid JSON: {err.msg}", source=source, place=f"line {err.lineno}") from err
    except yaml.YAMLError as err:
        problem, where = yaml_problem(err)
        raise ScenarioError(f"not valid YAML: {problem}", source=source, place=where) from err
    except RecursionError as err:
        raise ScenarioError("nested too deeply to be a scenario", source=source) from err
    except ValueError as err:  # JSON's: an integer past Python's digit limit
        raise ScenarioError(too_long_number(err), source=source) from err
    if expands_beyond(data, yaml_budget(text)):
        raise ScenarioError(
            "YAML aliases expand to far more data than the file holds; expected a plain scenario",
            source=source,
        )
    if isinstance(data, Mapping) and "nodes" in data and "shocks" not in data:
        raise ScenarioError(
            "this file is a supply graph (it has 'nodes'), not a scenario; a scenario names its graph "
            "('graph: my-graph.json') and lists the shocks (see scenarios/ for examples)",
            source=source,
        )
    named = isinstance(data, Mapping) and isinstance(data.get("graph"), str)
    if graph is not None:
        scenario = parse_scenario(data, graph=graph, source=source)
        return replace(scenario, graph_ref=data["graph"]) if named else scenario
    if base_dir is None and named:
        raise ScenarioError(
            f"this scenario names its graph by path ({data['graph']}); upload it together with that "
            "graph file, or a scenario with its graph inline (the app's 'Scenario file' writes one)",
            source=source,
            place="graph",
        )
    return parse_scenario(data, base_dir=base_dir, source=source)


def peek_text(text: str, fmt: str) -> Any:
    """What JSON (``fmt="json"``) or YAML text holds, parsed at C speed and unchecked; ``None`` when it
    does not parse. For telling scenarios from graphs by their top-level keys: a large graph is the
    common file, and PyYAML's pure-Python parser would take seconds over one.

    >>> peek_text("{shocks: [], graph: g.json}", "yaml"), peek_text("{", "json")
    ({'shocks': [], 'graph': 'g.json'}, None)
    """
    try:
        # an integer too long to read is still a number: it does not change what the file is
        return json.loads(text, parse_int=_peek_int) if fmt == "json" else load_yaml(text)
    except (ValueError, yaml.YAMLError, RecursionError):
        return None


def _peek_int(digits: str) -> int:
    return int(digits) if len(digits) <= 4300 else 0


def peek_file(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> Any:
    """:func:`peek_text` of a file (JSON by its suffix, else YAML); ``None`` when it cannot be read.

    >>> peek_file("no-such-file.yaml") is None
    True
    """
    path = Path(path)
    try:
        text = read_regular(path, limit=limit).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return peek_text(text, "json" if path.suffix.lower() == ".json" else "yaml")


def looks_like_scenario(data: Any) -> bool:
    """A mapping without ``nodes`` that names shocks or a graph: a scenario, not a graph file.

    >>> looks_like_scenario({"graph": "g.json"}), looks_like_scenario({"nodes": [], "shocks": []})
    (True, False)
    """
    return isinstance(data, Mapping) and "nodes" not in data and bool({"shocks", "graph"} & set(data))


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML or JSON scenario file, loading the graph it names.

    >>> s = load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
    """
    path = Path(path)
    source = str(path)
    try:
        text = read_regular(path).decode("utf-8-sig")
    except FileNotFoundError as err:
        raise ScenarioError("file not found", source=source) from err
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"not UTF-8 text (byte {err.start} cannot be decoded); expected a YAML or JSON scenario saved "
            "as UTF-8",
            source=source,
        ) from err
    except OSError as err:
        raise ScenarioError(f"cannot read the file ({err.strerror or err})", source=source) from err
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx", ".graphml", ".xls"):
        raise ScenarioError(
            f"a {suffix} file is a supply graph, not a scenario; a scenario is a YAML or JSON file that "
            "names its graph and lists the shocks (see scenarios/ for examples)",
            source=source,
        )
    fmt = "json" if suffix == ".json" else "yaml"
    return parse_scenario_text(text, fmt=fmt, source=source, base_dir=path.parent)


def scenario_to_dict(scenario: Scenario, *, inline_graph: bool = False) -> dict:
    """The scenario as the mapping a file holds; with ``inline_graph`` it carries its graph inline."""
    out: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        out["description"] = scenario.description
    if inline_graph and scenario.graph is not None:
        out["graph"] = to_node_link(scenario.graph)
    elif scenario.graph_ref is not None:
        out["graph"] = scenario.graph_ref
    out.update(steps=scenario.steps, seed=scenario.seed, slo=scenario.slo)
    if scenario.step_unit != "hour":
        out["step_unit"] = scenario.step_unit
    if scenario.token_budget is not None:
        out["token_budget"] = scenario.token_budget
    if scenario.hypothesis is not None:
        out["hypothesis"] = scenario.hypothesis
    out["shocks"] = [s.to_dict() for s in scenario.shocks]
    if scenario.random is not None:
        out["random"] = scenario.random.to_dict()
    return copy.deepcopy(out)


def dump_scenario(scenario: Scenario, *, inline_graph: bool = True) -> str:
    """YAML text that :func:`load_scenario` reads back to the same drill."""
    return yaml.safe_dump(
        scenario_to_dict(scenario, inline_graph=inline_graph), sort_keys=False, allow_unicode=True
    )
