"""Small graphs and drills for tests, written as compactly as the behaviour they show."""

from __future__ import annotations

from augur.drill import simulate
from augur.graph import build_graph
from augur.scenario import parse_scenario


def graph(nodes: dict, edges: list):
    """``nodes`` maps id -> kind or (kind, attrs); ``edges`` are (u, v) or (u, v, attrs)."""
    node_records = []
    for node, spec in nodes.items():
        kind, attrs = (spec, {}) if isinstance(spec, str) else spec
        node_records.append((f"node {node}", {"id": node, "kind": kind, **attrs}))
    edge_records = []
    for edge in edges:
        u, v, attrs = edge if len(edge) == 3 else (*edge, {})
        edge_records.append((f"edge {u}->{v}", {"source": u, "target": v, **attrs}))
    return build_graph(node_records, edge_records)


def drill(G, shocks: list, *, steps: int = 20, **fields):
    """Run ``shocks`` on ``G`` and return the result."""
    scenario = parse_scenario({"name": "test drill", "steps": steps, "shocks": shocks, **fields}, graph=G)
    return simulate(G, scenario)


def column(result, node: str, field: str = "output"):
    """One node's values of ``field`` over the drill's steps, as a list."""
    traj = result.trajectory
    return getattr(traj, field)[:, traj.nodes.index(node)].tolist()


def first_step(result, node: str, status) -> int | None:
    """The first step at which ``node`` has ``status``."""
    traj = result.trajectory
    hits = (traj.status[:, traj.nodes.index(node)] == status).nonzero()[0]
    return int(hits[0]) if hits.size else None
