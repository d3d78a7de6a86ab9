"""Where each node of a supply graph sits: suppliers on the left, business outcomes on the right.

Shared by the app's network view and the review pack's static network figure, so both read the same
way. Plain functions of a graph; no Dash, no plotly.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from augur.graph import KINDS

__all__ = ["KIND_ORDER", "LABEL_LIMIT", "layered_positions", "supply_layers"]

KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
# Above this many nodes the layout packs tighter (and the app draws labels only when zoomed in).
LABEL_LIMIT = 150
X_GAP, Y_GAP = 140.0, 96.0


def supply_layers(G: nx.DiGraph) -> dict:
    """A layer per node so that suppliers sit left of what depends on them.

    The longest path from a source, on the graph with its cycles collapsed; then everything but vendors
    moves right to sit just before the first thing it feeds (data feeds next to the AI services that
    read them), and business processes with no dependents move to the last layer, so outcomes line up
    on the right.

    >>> G = nx.DiGraph([("chips", "boards"), ("boards", "shop"), ("feed", "shop")])
    >>> nx.set_node_attributes(G, {"chips": "vendor", "boards": "vendor", "feed": "data_source",
    ...                            "shop": "process"}, "kind")
    >>> supply_layers(G)
    {'chips': 0, 'boards': 1, 'shop': 2, 'feed': 1}
    """
    C = nx.condensation(G)
    members = C.graph["mapping"]
    order = list(nx.topological_sort(C))
    layer = {}
    for c in order:
        layer[c] = max((layer[p] + 1 for p in C.pred[c]), default=0)
    last = max(layer.values(), default=0)
    kinds = {c: {G.nodes[v]["kind"] for v in C.nodes[c]["members"]} for c in C}
    for c in reversed(order):
        if C.out_degree(c) > 0 and "vendor" not in kinds[c]:
            layer[c] = max(layer[c], min(layer[s] for s in C.succ[c]) - 1)
        if C.out_degree(c) == 0 and kinds[c] == {"process"}:
            layer[c] = last
    return {v: layer[members[v]] for v in G.nodes}


def _order_columns(G: nx.DiGraph, columns: dict[int, list]) -> dict[int, list]:
    """Order each column to keep edges short: kind first, then the mean rank of the neighbours in the
    columns already placed (one sweep right, one sweep left)."""
    rank: dict = {}
    keys = sorted(columns)

    def sweep(sequence, neighbours):
        for key in sequence:
            nodes = columns[key]
            before = {v: i / max(len(nodes), 1) for i, v in enumerate(nodes)}

            def score(v, before=before):
                placed = [rank[u] for u in neighbours(v) if u in rank]
                position = sum(placed) / len(placed) if placed else before[v]
                return (KIND_ORDER.get(G.nodes[v]["kind"], 9), position)

            nodes.sort(key=score)
            for i, v in enumerate(nodes):
                rank[v] = i / max(len(nodes) - 1, 1)

    for key in keys:
        columns[key].sort(key=lambda v: (KIND_ORDER.get(G.nodes[v]["kind"], 9), str(v)))
    sweep(keys, G.predecessors)
    sweep(reversed(keys), G.successors)
    return columns


def layered_positions(G: nx.DiGraph) -> dict:
    """Preset positions ``{node: (x, y)}``: supply layers left to right, each spread vertically.

    A layer taller than the graph is wide wraps into several sub-columns, so a large graph keeps a
    landscape shape that fits the screen.

    >>> G = nx.DiGraph([("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "shop": "process"}, "kind")
    >>> layered_positions(G)
    {'acme': (0.0, 0.0), 'shop': (140.0, 0.0)}
    """
    layers = supply_layers(G)
    columns: dict[int, list] = defaultdict(list)
    for v, layer in layers.items():
        columns[layer].append(v)
    columns = _order_columns(G, dict(columns))
    n = G.number_of_nodes()
    max_rows = max(8, math.ceil(math.sqrt(n / 1.6) * 1.2))
    large = n > LABEL_LIMIT
    x_gap, y_gap = (60.0, 30.0) if large else (X_GAP, Y_GAP)
    positions = {}
    x = 0.0
    for key in sorted(columns):
        nodes = columns[key]
        wraps = math.ceil(len(nodes) / max_rows)
        rows = math.ceil(len(nodes) / wraps)
        for i, v in enumerate(nodes):
            sub, row = divmod(i, rows)
            y = (row - (rows - 1) / 2) * y_gap + (sub % 2) * y_gap / 2 * (wraps > 1)
            positions[v] = (x + sub * x_gap * 0.6, y)
        x += x_gap + (wraps - 1) * x_gap * 0.6
    return {v: positions[v] for v in G.nodes}
