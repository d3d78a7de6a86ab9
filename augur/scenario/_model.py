"""The drill as data: shocks, random-shock settings and the scenario, with the tables they are read by."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from augur.errors import ScenarioError

MAX_RUNS = 1_000_000  # random-shock drills one study may run: each keeps its service series

VERDICTS = ("graceful", "degraded", "cascade")
# mildest first: a verdict "at or better than" another ranks no higher
VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
GOALS = ("graceful", "degraded", "hypothesis")  # what a fix or a tipping grid holds a drill to
# The goal when none is asked for, whatever the drill's hypothesis: augur mitigate's and augur
# tipping's --goal, and the app's "Make it" in Fix it and Tipping points. One rule, here.
DEFAULT_GOAL = "graceful"


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
    # at least a millionth: the tokens a service wants are divided by its cut limit
    "rate_limit_cut": (_Field("factor", 0.5, 1e-6, 1),),
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

    def with_overrides(
        self, *, steps: int | None = None, seed: int | None = None, shocks: tuple | None = None
    ) -> Scenario:
        """The same drill with another horizon, seed or shocks, re-checked against the graph.

        ``shocks=()`` drops the drill's own shocks before a shorter horizon is checked: a random-shock
        study replaces them, so they are not refused for starting after a horizon they never run in.
        """
        changed = replace(
            self,
            steps=self.steps if steps is None else steps,
            seed=self.seed if seed is None else seed,
            shocks=self.shocks if shocks is None else tuple(shocks),
        )
        if steps is not None:
            _check_steps(steps, self.source, "--steps")
            for i, shock in enumerate(changed.shocks):
                if shock.start >= changed.steps:
                    hit = ", ".join(
                        f"{t[0]} -> {t[1]}" if isinstance(t, tuple) else str(t) for t in shock.target
                    )
                    raise ScenarioError(
                        f"the {shock.kind} on {hit} starts at step {shock.start}, after the horizon of "
                        f"{changed.steps} steps: expected a horizon of {shock.start + 1} steps or more, "
                        f"or the shock to start before step {changed.steps}",
                        source=self.source,
                        place=f"shocks[{i}].start",
                    )
            if changed.random is not None and changed.random.start_range(changed.steps)[1] >= changed.steps:
                raise ScenarioError(
                    f"random starts reach step {changed.random.start[1]}, after the horizon of "
                    f"{changed.steps} steps: expected a horizon of {changed.random.start[1] + 1} steps or "
                    f"more, or random.start to end before step {changed.steps}",
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
