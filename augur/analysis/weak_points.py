"""The weak points around a drill's shocked area: each nearby node failed alone, worst first.

The pack's small version of ``augur sweep``: the same drills, outage (:func:`sweep_outage`) and
ranking (:mod:`augur.analysis.criticality`), run here in this process through
:func:`augur.metrics.measure_batch`, and at most :data:`SWEEP_CELLS` node-steps of re-runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from augur.analysis.criticality import outage_window, single_failures
from augur.engine import compile_graph
from augur.metrics import measure_batch
from augur.scenario import Scenario

if TYPE_CHECKING:  # results are read duck-typed: analysis sits below augur.drill
    from augur.drill import DrillResult

__all__ = ["SWEEP_CELLS", "Outage", "WeakPoints", "sweep_outage", "weak_points"]

SWEEP_CELLS = 5_000_000  # node-steps of re-runs a pack's weak-point sweep may spend (about a second)


@dataclass(frozen=True)
class Outage:
    """The outage a weak-point sweep gives each node: from ``start`` for ``duration`` steps, and
    ``copied``: ``"outage"`` (the drilled full outage), ``"window"`` (the drilled shock's window),
    ``"endless"`` (the drilled shock never ends: a quarter of the horizon) or ``"none"`` (no shock).
    ``own_ttr``: some swept node was down for its own ``ttr`` instead of ``duration``."""

    start: int
    duration: int
    copied: str
    own_ttr: bool = False


def sweep_outage(scenario: Scenario) -> Outage:
    """The outage ``augur sweep`` gives each node of this drill."""
    start, duration = outage_window(scenario)
    first = min(scenario.shocks, key=lambda s: s.start, default=None)
    if first is None:
        copied = "none"
    elif first.duration is None:
        copied = "endless"
    elif first.kind == "vendor_failure" and first.params.get("severity", 1.0) >= 1:
        copied = "outage"
    else:
        copied = "window"
    return Outage(start, duration, copied)


@dataclass(frozen=True)
class WeakPoints:
    """The sweep's rows (``augur sweep``'s, with the outage's ``start`` and ``duration``), worst
    first, and how many nodes it covered of the graph's ``nodes``."""

    rows: tuple[dict, ...]
    swept: int
    nodes: int
    outage: Outage


def _targets(result: DrillResult, limit: int) -> list:
    """Up to ``limit`` nodes: all of a small graph, else breadth-first from the shocked and failed
    nodes, both directions: the area the drill touched."""
    G, m = result.graph, result.metrics
    if G.number_of_nodes() <= limit:
        return list(G.nodes)
    seeds = [v for v in (*m["primary"], *m["secondary_failures"]) if v in G]
    seen = dict.fromkeys(seeds)
    frontier = list(seeds)
    while frontier and len(seen) < limit:
        nxt = []
        for v in frontier:
            for w in (*G.pred[v], *G.succ[v]):
                if w not in seen and len(seen) < limit:
                    seen[w] = None
                    nxt.append(w)
        frontier = nxt
    return list(seen)[:limit]


def _single_failures(G, scenario: Scenario, targets: list) -> tuple[list[dict], dict]:
    """``augur sweep``'s rows for ``targets`` (:func:`augur.sweep.criticality` with its defaults):
    each fails alone for the drilled outage, or its own ``ttr``, over the scenario's horizon; and
    the outage they got (:func:`outage_for`)."""
    g, plain = compile_graph(G), replace(scenario, hypothesis=None)
    sweep = single_failures(G, scenario, lambda drills: measure_batch(g, G, plain, drills), targets=targets)
    return list(sweep.rows), sweep.outage


def weak_points(result: DrillResult, limit: int = 40) -> WeakPoints:
    """The criticality sweep of up to ``limit`` nodes around the shocked area (fewer on a large graph:
    each target is one drill, and the sweep keeps to :data:`SWEEP_CELLS`)."""
    G, scenario = result.graph, result.scenario
    limit = max(8, min(limit, SWEEP_CELLS // max(G.number_of_nodes() * scenario.steps, 1)))
    targets = _targets(result, limit)
    outage = sweep_outage(scenario)
    rows, used = _single_failures(G, scenario, targets) if targets else ([], {"ttr": {}})
    own = used["ttr"]
    for row in rows:  # each row's outage is the one its drill ran: a node's own ttr, else the default
        row["start"], row["duration"] = outage.start, own.get(row["target"], outage.duration)
    return WeakPoints(tuple(rows), len(rows), G.number_of_nodes(), replace(outage, own_ttr=bool(own)))
