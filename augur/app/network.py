"""The supply graph for cytoscape: a layered left-to-right layout, shapes per kind, and a grouped view
for graphs too large to draw node by node.

The server sends the view as compact rows (:func:`network_view`) and ``assets/augur.js`` draws them
straight into cytoscape: a 2,000-node graph passed through the component's ``elements`` property
costs seconds of diffing and syncing in the browser. Status colours, quality colours and token
halos are not baked in either: the timeline sets each element's ``s`` (status), ``q`` (delivered
quality), ``m`` (token multiplier) and ``hit`` (under a shock) data per step, and the stylesheet
here maps those to colours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import networkx as nx

from augur.drawing import (
    KIND_ORDER,
    LABEL_FONT,
    LABEL_LIMIT,
    NODE_SIZE,
    layered_drawing,
    layered_positions,
    supply_layers,
)
from augur.graph import KINDS
from augur.style import (
    CYTOSCAPE_FONT,
    EDGE,
    HALO,
    INK,
    KIND_LABELS,
    KIND_SHAPES,
    NOT_RUN,
    QUALITY_COLOURS,
    SELECTED,
    SHARE_FAILED_COLOURS,
    STATUS_COLOURS,
)

__all__ = [
    "FULL_VIEW_LIMIT",
    "KIND_SHAPES",
    "group_view",
    "layered_positions",
    "network_stylesheet",
    "network_view",
    "supply_layers",
]

# Above this many nodes the network is drawn as groups (kind x supply layer), so the tab stays responsive.
FULL_VIEW_LIMIT = 2500

STATUS_CODES = {"ok": 0, "degraded": 1, "failed": 2, "recovering": 3, "throttled": 4}


def _node_rows(G: nx.DiGraph) -> tuple[list[list], list[list], float, dict]:
    """The whole graph as compact rows for the browser to draw (see :func:`network_view`), the width
    its labels wrap at and each label wrapped so."""
    positions, label_width, labels, bends = layered_drawing(G)
    index = {v: i for i, v in enumerate(G.nodes)}
    nodes = []
    for v, attrs in G.nodes(data=True):
        x, y = positions[v]
        limited = int(attrs["kind"] == "ai_service" and attrs.get("token_limit") is not None)
        nodes.append([str(v), str(attrs.get("label", v)), attrs["kind"], round(x, 1), round(y, 1), limited])
    edges = []
    for u, v, attrs in G.edges(data=True):
        row = [index[u], index[v], 1 + int(attrs.get("lead_time", 0))]
        if (u, v) in bends:
            row.append(round(bends[u, v], 1))
        edges.append(row)
    return nodes, edges, label_width, {str(v): text for v, text in labels.items()}


def group_view(G: nx.DiGraph, *, columns: int = 8) -> tuple[dict, list[list[str]]]:
    """A grouped view: one node per (supply-layer band, kind), its area following its member count,
    and each group's three heaviest flows to other groups as edges (width by edge count). Returns the
    rows to draw (see :func:`network_view`) and each group's member node ids (group ``i`` is drawn as
    node ``g{i}``)."""
    layers = supply_layers(G)
    last = max(layers.values(), default=0)
    band = {v: min(columns - 1, layer * columns // (last + 1)) for v, layer in layers.items()}
    keys = sorted({(band[v], KIND_ORDER[G.nodes[v]["kind"]]) for v in G.nodes})
    index = {key: i for i, key in enumerate(keys)}
    members: list[list[str]] = [[] for _ in keys]
    of = {}
    for v in G.nodes:
        g = index[(band[v], KIND_ORDER[G.nodes[v]["kind"]])]
        members[g].append(str(v))
        of[v] = g
    per_band: dict[int, list[int]] = defaultdict(list)
    for (b, _), g in index.items():
        per_band[b].append(g)
    largest = max(len(m) for m in members)
    nodes = []
    for (b, k), g in index.items():
        column = per_band[b]
        row = column.index(g) - (len(column) - 1) / 2
        kind = KINDS[k]
        count = len(members[g])
        size = round(16 + 54 * math.sqrt(count / largest), 1)  # area follows the member count
        example = min(members[g])  # named when the group is clicked: a way into it for the designer
        nodes.append(
            [f"g{g}", f"{KIND_LABELS[kind]} ×{count:,}", kind, b * 200.0, row * 110.0, size, example]
        )
    links: dict[tuple[int, int], int] = defaultdict(int)
    for u, v in G.edges:
        if of[u] != of[v]:
            links[(of[u], of[v])] += 1
    # each group's three heaviest flows out: where most of what it supplies goes, without a hairball
    heaviest: dict[int, list] = defaultdict(list)
    for (a, b), count in links.items():
        heaviest[a].append((count, b))
    kept = sorted((a, b, count) for a, flows in heaviest.items() for count, b in sorted(flows)[-3:])
    edges = [[a, b, round(min(1 + math.log10(count) * 2.2, 9), 1), count] for a, b, count in kept]
    return {"nodes": nodes, "edges": edges}, members


def network_view(G: nx.DiGraph) -> dict:
    """How to draw ``G``, as compact JSON the browser turns into cytoscape elements
    (``assets/augur.js``, ``draw``).

    ``nodes`` rows are ``[id, label, kind, x, y, extra]``, ``extra`` being 1 for an AI service with a
    token limit (a rate-limit cut can target it) or, when ``grouped``, the group's drawn size followed
    by one member's id.
    ``edges`` rows are ``[source row, target row, lag]``, the lag being the steps from the supplier's
    output to its arrival without shocks (for colouring by delivered quality), with a fourth value, the
    bend (:func:`augur.drawing.edge_bends`), for an edge drawn as a curve around a node in its way; or,
    when grouped, ``[source row, target row, width, edge count]``. ``note`` says on screen what a
    grouped view is; ``stylesheet`` is the cytoscape stylesheet for this size of graph (applied before
    the elements are added, so they are styled once).

    >>> G = nx.DiGraph([("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "shop": "process"}, "kind")
    >>> network_view(G)["edges"]
    [[0, 1, 1]]
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    if n > FULL_VIEW_LIMIT:
        rows, groups = group_view(G)
        note = (
            f"{n:,} nodes, {m:,} edges: drawn as {len(groups)} groups (kind × supply layer) so the view "
            "stays responsive. Colour: share of the group down. Click a group for its story."
        )
        sheet = network_stylesheet(n_nodes=n, grouped=True)
        return {"grouped": True, "note": note, "size": n, "stylesheet": sheet, **rows}
    nodes, edges, label_width, labels = _node_rows(G)
    sheet = network_stylesheet(n_nodes=n, label_width=label_width, labels=labels)
    return {"grouped": False, "note": "", "size": n, "stylesheet": sheet, "nodes": nodes, "edges": edges}


def _quality_rules(selector: str) -> list[dict]:
    """Edges by delivered quality (``q`` in twentieths): later rules win, mildest drop first."""
    grades = ((19, QUALITY_COLOURS[1], 1.6), (16, QUALITY_COLOURS[2], 2.2), (10, QUALITY_COLOURS[3], 2.8))
    return [
        {
            "selector": f"{selector}[q < {below}]",
            "style": {"line-color": colour, "target-arrow-color": colour, "width": width, "opacity": 0.95},
        }
        for below, colour, width in grades
    ]


# Labels on screen a size up from the drawing's LABEL_FONT, which the layout spaces for: a drill of a
# dozen nodes is fitted at a zoom a little under 1, where 13 px type read small. The layout's
# character width is generous enough (0.52 em) for the larger type to keep within its room.
SCREEN_LABEL_FONT = LABEL_FONT + 1.5


def network_stylesheet(
    *, n_nodes: int, grouped: bool = False, label_width: float = 124, labels: Mapping[str, str] | None = None
) -> list[dict]:
    """The cytoscape stylesheet: shapes per kind, colours per status (or share failed when grouped),
    halos for the token multiplier, edges by delivered quality, shock targets outlined, and labels
    wrapped at ``label_width`` px, the width the layout spaced the layers for: ``labels`` ``{node id:
    text}`` gives each label broken into lines as the layout planned (after hyphens too, where
    cytoscape breaks only at spaces)."""
    # A list of cytoscape rules in the order they apply (later rules win): long as the list is long.
    large = n_nodes > LABEL_LIMIT and not grouped  # a grouped view draws a few dozen groups
    size = 14 if large else NODE_SIZE
    rules: list[dict] = [
        {
            "selector": "node",
            "style": {
                "width": size,
                "height": size,
                "background-color": NOT_RUN,
                "border-width": 1 if large else 1.5,
                "border-color": "#ffffff",
                "label": "data(label)",
                "font-size": SCREEN_LABEL_FONT,
                "font-weight": 500,
                "font-family": CYTOSCAPE_FONT,
                "color": INK,
                "text-valign": "bottom",
                "text-halign": "center",
                "text-margin-y": 4,
                "text-wrap": "wrap",
                # room for a wider font than the layout measured before cytoscape breaks a line again
                "text-max-width": round(label_width * 1.2),
                # an edge that passes behind a label stops at its box: the text never has a line through it
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.92,
                "text-background-padding": 2,
                "text-background-shape": "roundrectangle",
                "min-zoomed-font-size": 0,
            },
        },
        *(
            # a selector quotes the id: an id with a quote or a backslash keeps cytoscape's own wrapping
            {"selector": f'node[id = "{node}"]', "style": {"label": text}}
            for node, text in (labels or {}).items()
            if "\n" in text and not {'"', "\\"} & set(node)
        ),
        # the timeline adds an AI service's token multiple under its name while it is raised
        {"selector": "node[display]", "style": {"label": "data(display)"}},
        # a large graph names only the node in hand: thousands of labels cost seconds to lay out
        *(
            [
                {"selector": "node", "style": {"label": ""}},
                {
                    "selector": "node:selected",
                    "style": {"label": "data(label)", "font-size": SCREEN_LABEL_FONT},
                },
            ]
            if large
            else []
        ),
        *(
            {"selector": f'node[kind = "{kind}"]', "style": {"shape": shape}}
            for kind, shape in KIND_SHAPES.items()
        ),
        {
            "selector": "edge",
            "style": {
                "width": 0.6 if large else 1.4,
                "line-color": EDGE,
                "target-arrow-color": EDGE,
                "target-arrow-shape": "none" if large else "triangle",
                "arrow-scale": 0.8,
                "curve-style": "haystack" if large else "bezier",
                "opacity": 0.35 if large else 0.9,
            },
        },
        {
            # an edge the layout bends around a node in its way: the curve augur.drawing.edge_curve draws
            "selector": "edge[bend]",
            "style": {
                "curve-style": "unbundled-bezier",
                "control-point-distances": "data(bend)",
                "control-point-weights": 0.5,
                "edge-distances": "node-position",
            },
        },
    ]
    if grouped:
        rules += [
            {
                "selector": "node",
                "style": {
                    "width": "data(size)",
                    "height": "data(size)",
                    "min-zoomed-font-size": 0,
                    "text-max-width": 140,
                },
            },
            {
                "selector": "edge",
                "style": {
                    "width": "data(width)",
                    "opacity": 0.55,
                    "curve-style": "bezier",
                    "target-arrow-shape": "triangle",
                },
            },
            *(
                {"selector": f"node[f >= {low}]", "style": {"background-color": colour}}
                for low, colour in reversed(SHARE_FAILED_COLOURS)
            ),
        ]
    else:
        rules += [
            {"selector": f"node[s = {code}]", "style": {"background-color": STATUS_COLOURS[label]}}
            for label, code in STATUS_CODES.items()
        ]
        rules += [
            {
                # the token multiplier of an AI service, as a halo that grows with it
                "selector": "node[m > 1.05]",
                "style": {
                    "underlay-color": HALO,
                    "underlay-opacity": 0.16,
                    "underlay-padding": f"mapData(m, 1, 4, {3 if large else 4}, {10 if large else 16})",
                    "underlay-shape": "ellipse",
                },
            },
            *_quality_rules("edge"),
        ]
    rules += [
        {
            # a node or edge under an active shock (or, before a run, any shock target)
            "selector": "node[hit = 1]",
            "style": {"border-color": INK, "border-width": 3 if large else 4, "border-style": "solid"},
        },
        {
            "selector": "edge[hit = 1]",
            "style": {"line-style": "dashed", "line-color": INK, "target-arrow-color": INK},
        },
        {
            "selector": "node:selected",
            "style": {
                "overlay-color": SELECTED,
                "overlay-opacity": 0.18,
                "overlay-padding": 6,
            },
        },
        {
            "selector": "edge:selected",
            "style": {"overlay-color": SELECTED, "overlay-opacity": 0.25, "overlay-padding": 4},
        },
    ]
    return rules
