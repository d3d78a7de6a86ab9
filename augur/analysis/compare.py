"""Two drills side by side, as data: each figure before and after with which way it moved, the
overall call, whether the shocks and settings match, and what changed in the graph.

:func:`augur.text.compare.compare_facts` words these for the pack and the app.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from augur.analysis.levers import VERDICT_RANK
from augur.graph import NODE_ATTRIBUTES, edge_param, node_param
from augur.provenance import graph_hash
from augur.scenario import Shock

if TYPE_CHECKING:  # results are read duck-typed: analysis sits below augur.drill
    from augur.drill import DrillResult

__all__ = [
    "COMPARE_METRICS",
    "AttributeChanged",
    "Comparison",
    "Delta",
    "EdgeAdded",
    "EdgeChanged",
    "EdgeRemoved",
    "NodeAdded",
    "NodeRemoved",
    "compare",
    "graph_changes",
]

# (metrics key, which way is better)
COMPARE_METRICS = (
    ("service_level_min", "higher"),
    ("time_to_survive", "higher"),
    ("time_to_recover", "lower"),
    ("resilience_loss", "lower"),
    ("secondary_failures", "lower"),
    ("cascade_depth", "lower"),
    ("peak_token_multiplier", "lower"),
    ("token_overrun", "lower"),
    ("token_overrun_cost", "lower"),
    ("ci_widening_peak", "lower"),
)
SETTINGS = ("steps", "slo", "token_budget", "step_unit")


@dataclass(frozen=True)
class Delta:
    """One figure before and after: the metrics' values, the numbers that order them (``inf`` for
    'never below the SLO' and 'not recovered'; None where the figure does not apply), and
    ``direction``: better, worse, same or n/a."""

    key: str
    better_when: str
    before: Any
    after: Any
    a: float | None
    b: float | None
    direction: str


@dataclass(frozen=True)
class NodeAdded:
    node: Any


@dataclass(frozen=True)
class NodeRemoved:
    node: Any


@dataclass(frozen=True)
class AttributeChanged:
    """A node's ``attribute`` (``kind`` or a documented attribute, defaults spelled out) changed."""

    node: Any
    attribute: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EdgeAdded:
    u: Any
    v: Any


@dataclass(frozen=True)
class EdgeRemoved:
    u: Any
    v: Any


@dataclass(frozen=True)
class EdgeChanged:
    u: Any
    v: Any
    attribute: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Comparison:
    """Two drills compared (see the module docstring). ``overall`` is ``better`` when the after
    drill's verdict is milder, or the same verdict with no figure worse and at least one better;
    ``worse`` the mirror image; ``mixed`` when figures pull both ways; ``same`` when nothing moved.
    ``shocks_only_before``/``_after`` are indexes into each drill's shocks; ``settings`` are
    ``(name, before, after)``."""

    deltas: tuple[Delta, ...]
    overall: str
    same_shocks: bool
    shocks_only_before: tuple[int, ...]
    shocks_only_after: tuple[int, ...]
    settings: tuple[tuple[str, Any, Any], ...]
    same_graph: bool
    graph_changes: tuple


def _order_value(key: str, value: Any) -> float | None:
    """A metric as a number that orders outcomes (None where the metric does not apply)."""
    if key == "secondary_failures":
        return float(len(value))
    if key in ("time_to_survive", "time_to_recover"):
        # never below the SLO: as good as it gets; not recovered in the horizon: the worst
        return math.inf if value is None else float(value)
    return None if value is None else float(value)


def _shock_key(shock: Shock) -> str:
    return json.dumps(shock.to_dict(), sort_keys=True, default=str)


def _differs(x: Any, y: Any) -> bool:
    return (x is None) != (y is None) or (x is not None and not math.isclose(float(x), float(y)))


def _edges(G: nx.DiGraph) -> list:
    return sorted(G.edges, key=lambda e: (str(e[0]), str(e[1])))


def graph_changes(before: nx.DiGraph, after: nx.DiGraph) -> list:
    """What changed between two graphs: nodes and edges added or removed, attribute values changed
    (defaults spelled out, so a buffer left out and a buffer of 0 are the same)."""
    changes: list = []
    a_nodes, b_nodes = set(before.nodes), set(after.nodes)
    changes += [NodeAdded(v) for v in sorted(b_nodes - a_nodes, key=str)]
    changes += [NodeRemoved(v) for v in sorted(a_nodes - b_nodes, key=str)]
    for node in sorted(a_nodes & b_nodes, key=str):
        if before.nodes[node]["kind"] != after.nodes[node]["kind"]:
            changes.append(
                AttributeChanged(node, "kind", before.nodes[node]["kind"], after.nodes[node]["kind"])
            )
        for name in NODE_ATTRIBUTES:
            x, y = node_param(before, node, name), node_param(after, node, name)
            if _differs(x, y):
                changes.append(AttributeChanged(node, name, x, y))
    a_edges, b_edges = set(before.edges), set(after.edges)
    changes += [EdgeAdded(u, v) for u, v in _edges(after) if (u, v) not in a_edges]
    changes += [EdgeRemoved(u, v) for u, v in _edges(before) if (u, v) not in b_edges]
    for u, v in _edges(before):
        if (u, v) in b_edges:
            for name in ("weight", "group", "lead_time"):
                x, y = edge_param(before, u, v, name), edge_param(after, u, v, name)
                if x != y:
                    changes.append(EdgeChanged(u, v, name, x, y))
    return changes


def compare(
    before: DrillResult, after: DrillResult, *, shown: Callable[[str, Any], Any] | None = None
) -> Comparison:
    """Compare two drills over the same horizon and step unit (the caller checks that).

    ``shown(key, value)`` is a figure as the reader sees it: two values shown alike are the same,
    so a token peak of 1.0 against 1.005, both read as 1.00×, is no worse (the call counts it too).
    """
    ma, mb = before.metrics, after.metrics
    deltas = []
    for key, better in COMPARE_METRICS:
        a, b = _order_value(key, ma[key]), _order_value(key, mb[key])
        if a is None and b is None:
            continue
        if a is None or b is None:
            direction = "n/a"
        elif a == b or (shown is not None and shown(key, ma[key]) == shown(key, mb[key])):
            direction = "same"
        else:
            direction = "better" if ((b > a) if better == "higher" else (b < a)) else "worse"
        deltas.append(Delta(key, better, ma[key], mb[key], a, b, direction))
    rank_a, rank_b = VERDICT_RANK[ma["verdict"]], VERDICT_RANK[mb["verdict"]]
    n_better = sum(d.direction == "better" for d in deltas)
    n_worse = sum(d.direction == "worse" for d in deltas)
    if rank_b != rank_a:
        overall = "better" if rank_b < rank_a else "worse"
    elif n_better and n_worse:
        overall = "mixed"
    elif n_better or n_worse:
        overall = "better" if n_better else "worse"
    else:
        overall = "same"
    sa, sb = before.scenario, after.scenario
    keys_a, keys_b = [_shock_key(x) for x in sa.shocks], [_shock_key(x) for x in sb.shocks]
    same_graph = graph_hash(before.graph) == graph_hash(after.graph)
    return Comparison(
        deltas=tuple(deltas),
        overall=overall,
        same_shocks=sorted(keys_a) == sorted(keys_b),
        shocks_only_before=tuple(i for i, k in enumerate(keys_a) if k not in keys_b),
        shocks_only_after=tuple(i for i, k in enumerate(keys_b) if k not in keys_a),
        settings=tuple(
            (name, getattr(sa, name), getattr(sb, name))
            for name in SETTINGS
            if getattr(sa, name) != getattr(sb, name)
        ),
        same_graph=same_graph,
        graph_changes=() if same_graph else tuple(graph_changes(before.graph, after.graph)),
    )
