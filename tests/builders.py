"""Small graphs and drills for tests, written as compactly as the behaviour they show.

The one set of builders for every test file (``pythonpath`` in pyproject.toml puts ``tests/`` on the
path, so ``from builders import graph`` works under plain ``pytest`` and ``python -m pytest`` alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import networkx as nx

from augur.drill import DrillResult, simulate
from augur.graph import build_graph
from augur.scenario import Scenario, load_scenario, parse_scenario


def graph(nodes: dict, edges: list | None = None) -> nx.DiGraph:
    """A validated graph. ``nodes`` maps id -> kind, ``(kind, attrs)`` or ``{"kind": ..., **attrs}``;
    ``edges`` are ``(u, v)`` or ``(u, v, attrs)``.

    >>> G = graph({"a": "vendor", "b": ("logistics", {"buffer": 2}), "c": {"kind": "process"}},
    ...           [("a", "b", {"lead_time": 1}), ("b", "c")])
    >>> G.nodes["b"]["buffer"], G.edges["a", "b"]["lead_time"], G.nodes["c"]["kind"]
    (2.0, 1, 'process')
    """
    node_records = []
    for node, spec in nodes.items():
        if isinstance(spec, str):
            kind, attrs = spec, {}
        elif isinstance(spec, Mapping):
            kind, attrs = spec["kind"], {k: v for k, v in spec.items() if k != "kind"}
        else:
            kind, attrs = spec
        node_records.append((f"node {node}", {"id": node, "kind": kind, **attrs}))
    edge_records = []
    for edge in edges or []:
        u, v, attrs = edge if len(edge) == 3 else (*edge, {})
        edge_records.append((f"edge {u}->{v}", {"source": u, "target": v, **attrs}))
    return build_graph(node_records, edge_records)


def chain(lead_time: int = 0, **b_attrs) -> nx.DiGraph:
    """vendor a -> logistics b -> process c, with ``b_attrs`` on b and ``lead_time`` on a -> b."""
    return graph(
        {"a": "vendor", "b": ("logistics", b_attrs), "c": "process"},
        [("a", "b", {"lead_time": lead_time}), ("b", "c")],
    )


def chip_plant(*, assembly: Mapping | None = None, **chips) -> nx.DiGraph:
    """Orders need assembly; assembly needs chips (a vendor alone) and the plant's boxes (two
    substitute vendors, either enough: the plant needs half its supply). ``chips`` and ``assembly``
    are attributes of those nodes."""
    return graph(
        {
            "chips": ("vendor", chips),
            "box-a": "vendor",
            "box-b": "vendor",
            "plant": ("logistics", {"min_supply": 0.5}),
            "assembly": ("logistics", dict(assembly or {})),
            "orders": "process",
        },
        [
            ("chips", "assembly", {"group": "chips"}),
            ("box-a", "plant", {"group": "boxes"}),
            ("box-b", "plant", {"group": "boxes"}),
            ("plant", "assembly", {"group": "boxes"}),
            ("assembly", "orders"),
        ],
    )


def two_substitutes(**y) -> tuple[nx.DiGraph, Scenario]:
    """shop needs its packaging from x (weight 3) or y (weight 1), substitutes in one group; y (with
    attributes ``y``) is down from step 2 for 6 steps of 20, against an SLO of 99%. Supply is
    (3 x 1 + 1 x 0) / 4 = 0.75 of what shop needs at min_supply 1.0, so shop runs at 75%: degraded."""
    G = graph(
        {"x": "vendor", "y": ("vendor", y), "shop": "process"},
        [("x", "shop", {"weight": 3, "group": "box"}), ("y", "shop", {"weight": 1, "group": "box"})],
    )
    shock = {"kind": "vendor_failure", "target": "y", "start": 2, "duration": 6}
    return G, parse_scenario({"name": "subs", "steps": 20, "slo": 0.99, "shocks": [shock]}, graph=G)


def outage(target: str, start: int, duration: int | None = None, **params) -> dict:
    """A vendor failure of ``target`` from ``start``, for ``duration`` steps (else to the end)."""
    shock = {"kind": "vendor_failure", "target": target, "start": start, **params}
    if duration is not None:
        shock["duration"] = duration
    return shock


def scenario(G: nx.DiGraph, shocks: list, *, steps: int = 20, **fields) -> Scenario:
    """A validated scenario of ``shocks`` on ``G`` over ``steps`` steps."""
    return parse_scenario({"name": "test drill", "steps": steps, "shocks": shocks, **fields}, graph=G)


def drill(G: nx.DiGraph, shocks: list, *, steps: int = 20, **fields) -> DrillResult:
    """Run ``shocks`` on ``G`` and return the result."""
    return simulate(G, scenario(G, shocks, steps=steps, **fields))


def column(result, node: str, field: str = "output", *, nodes: Iterable | None = None) -> list:
    """One node's values of ``field`` over the drill's steps, as a list. ``result`` is a
    :class:`DrillResult`, or a mapping of field -> (steps, nodes) arrays (the reference model's)
    whose columns follow ``nodes`` (a graph will do: its nodes in order)."""
    if isinstance(result, DrillResult):
        traj = result.trajectory
        return getattr(traj, field)[:, traj.nodes.index(node)].tolist()
    return result[field][:, list(nodes).index(node)].tolist()


def first_step(result, node: str, status) -> int | None:
    """The first step at which ``node`` has ``status``."""
    traj = result.trajectory
    hits = (traj.status[:, traj.nodes.index(node)] == status).nonzero()[0]
    return int(hits[0]) if hits.size else None


@cache
def bundled(path: Path | str) -> DrillResult:
    """A scenario file run as it stands, once per test session: the bundled drills are read by many
    modules and changed by none."""
    scenario = load_scenario(path)
    return simulate(scenario.graph, scenario)
