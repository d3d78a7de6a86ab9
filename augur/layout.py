"""Where each node of a supply graph sits: suppliers on the left, business outcomes on the right.

Shared by the app's network view and the review pack's static network figure, so both read the same
way. Plain functions of a graph; no Dash, no plotly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

import networkx as nx
import numpy as np

from augur.graph import KINDS

__all__ = [
    "KIND_ORDER",
    "LABEL_FONT",
    "LABEL_LIMIT",
    "NODE_SIZE",
    "PANEL",
    "Drawing",
    "layered_drawing",
    "layered_positions",
    "supply_layers",
    "wrap_label",
]

KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
# Above this many nodes the layout packs tighter (and the app draws labels only when zoomed in).
LABEL_LIMIT = 150
# What a labelled graph is spaced for: the drawing area of the app's network panel at a 1280x800
# window (about 610x300 px, less cytoscape's 28 px fit padding a side), nodes NODE_SIZE px across and
# labels in LABEL_FONT px type below them. Spaced so, a drill of a dozen or two nodes fits the panel
# near zoom 1 and its labels stay legible.
PANEL = (554.0, 244.0)
NODE_SIZE = 30.0
LABEL_FONT = 13.0
_LARGE_GAPS = (60.0, 30.0)  # layer and row gap of an unlabelled (large) graph, px
_LARGE_LABEL_WIDTH = 104.0  # what the node in hand's label wraps at in a large graph
_CHAR = 0.52 * LABEL_FONT  # a character's width, a little wider than Arial's so Inter and Segoe fit too
_SPACE = 0.28 * LABEL_FONT
_LINE = 1.05 * LABEL_FONT  # a label's line height
_DROP = NODE_SIZE / 2 + 4.0 + 2.0  # from a node's centre to the top of its label's text
_LABEL_GAP = 12.0  # between the labels of neighbouring layers
_ROW_GAP = 10.0  # between a label and the node below it
_MIN_LAYER_GAP = 70.0  # room for an edge and its arrow head between layers
_LABEL_WIDTHS = np.arange(64.0, 328.0, 8.0)  # the wrap widths tried
_WIDEST_LAYER_GAP = 300.0  # filling the panel spreads layers up to this far apart
_MOST_ROW_STRETCH = 2.0  # and rows up to twice as far apart as their labels need


class Drawing(NamedTuple):
    """How to draw a graph: ``positions`` ``{node: (x, y)}`` (y grows downwards, as on screen),
    ``label_width``, the width in px a label wraps at so that neighbouring layers' labels do not meet,
    and ``labels`` ``{node: text}``, each label wrapped so (lines joined by newlines; empty for a graph
    too large to label)."""

    positions: dict
    label_width: float
    labels: dict


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


def wrap_label(text: str, width: float) -> list[str]:
    """``text`` in lines at most ``width`` px wide where it can be: broken at spaces and after hyphens
    (cytoscape itself breaks only at spaces), a part longer than the width on a line of its own, and
    a word of one or two characters kept with the word before it.

    >>> wrap_label("Production-scheduling model", 80)
    ['Production-', 'scheduling', 'model']
    """
    parts: list[tuple[str, bool]] = []  # (text, joined to the previous part without a space)
    for word in text.split():
        if parts and len(word) <= 2:  # "(tier 2)", "Fold &": a short word stays with the one before
            parts[-1] = (f"{parts[-1][0]} {word}", parts[-1][1])
            continue
        pieces = [piece for piece in word.replace("-", "-\n").split("\n") if piece]
        for k, piece in enumerate(pieces):
            if k > 0 and min(len(pieces[k - 1]), len(piece)) >= 4:
                parts.append((piece, True))
            elif k > 0:  # no break beside a short part: "E-signature", "AI-run"
                parts[-1] = (parts[-1][0] + piece, parts[-1][1])
            else:
                parts.append((piece, False))
    lines: list[str] = []
    for piece, glued in parts:
        joined = lines[-1] + ("" if glued else " ") + piece if lines else piece
        if lines and _text_width(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines or [""]


def _text_width(line: str) -> float:
    return len(line) * _CHAR


def _label_size(text: str, width: float) -> tuple[float, int]:
    """The width (px, at least a node's) and line count of ``text`` wrapped at ``width`` px."""
    lines = wrap_label(text, width)
    return max(max(_text_width(line) for line in lines), NODE_SIZE), len(lines)


def _spacing(G: nx.DiGraph, stack: list[list[list]], panel: tuple[float, float]):
    """Layer gaps, row gaps (one per column) and the label width that fit the labelled graph into
    ``panel`` at the largest zoom (up to 1), then stretched to fill it.

    ``stack`` holds each column as its sub-columns (a tall layer wraps into several). The label width
    sets how many lines each label takes, so how far apart the rows and the layers must be; the width
    that lets the fitted graph show at the largest zoom wins, the widest on a tie (fewer lines)."""
    labels = {v: str(G.nodes[v].get("label", v)) for v in G.nodes}
    count = len(stack)
    best = None
    for width in _LABEL_WIDTHS:
        sizes = {v: _label_size(labels[v], width) for v in G.nodes}
        col_width = [max(sizes[v][0] for sub in subs for v in sub) for subs in stack]
        col_lines = [max(sizes[v][1] for sub in subs for v in sub) for subs in stack]
        below = [_DROP + lines * _LINE for lines in col_lines]  # node centre to the label's foot
        # one row gap for all columns, so rows line up across the layers: the most any column needs
        tall = [b for subs, b in zip(stack, below) if max(len(sub) for sub in subs) > 1] or below
        row_gaps = [NODE_SIZE / 2 + max(tall) + _ROW_GAP] * count
        layer_gaps = [
            max(_MIN_LAYER_GAP, (col_width[k] + col_width[k + 1]) / 2 + _LABEL_GAP) for k in range(count - 1)
        ]
        extent = _extent(stack, layer_gaps, row_gaps, col_width, below)
        zoom = min(panel[0] / extent[0], panel[1] / extent[1])
        key = (round(min(zoom, 1.0), 3), width)
        if best is None or key > best[0]:
            best = (key, float(width), layer_gaps, row_gaps, col_width, below, extent, zoom)
    _, width, layer_gaps, row_gaps, col_width, below, (drawn_width, _), zoom = best
    # Fill the panel at the zoom it fits at: widen the layer gaps or spread the rows, within reason.
    zoom = min(zoom, 1.0)
    if count > 1:
        extra = (panel[0] / zoom - drawn_width) / (count - 1)
        layer_gaps = [max(gap, min(gap + extra, _WIDEST_LAYER_GAP)) for gap in layer_gaps]
    fixed = [NODE_SIZE / 2 + b for b in below]
    spans = [(max(len(sub) for sub in subs) - 1) * gap for subs, gap in zip(stack, row_gaps)]
    stretch = min(
        (
            (panel[1] / zoom - fixed[c]) / span
            for c, span in enumerate(spans)
            if span > 0  # the tallest column reaches the panel's height, and no column passes it
        ),
        default=1.0,
    )
    stretch = min(max(stretch, 1.0), _MOST_ROW_STRETCH)
    return layer_gaps, [gap * stretch for gap in row_gaps], width


def _extent(stack, layer_gaps, row_gaps, col_width, below) -> tuple[float, float]:
    """The width and height of the drawing, labels included."""
    xs = _column_xs(stack, layer_gaps)
    left = xs[0] - col_width[0] / 2
    right = xs[-1] + _sub_offset(len(stack[-1]) - 1, layer_gaps[-1] if layer_gaps else 0) + col_width[-1] / 2
    top = min(-(max(len(s) for s in subs) - 1) / 2 * gap for subs, gap in zip(stack, row_gaps))
    foot = max((max(len(s) for s in subs) - 1) / 2 * gap + b for subs, gap, b in zip(stack, row_gaps, below))
    return right - left, foot - top + NODE_SIZE / 2


def _sub_offset(sub: int, layer_gap: float) -> float:
    return sub * layer_gap * 0.6


def _column_xs(stack, layer_gaps) -> list[float]:
    """Each column's x: a wrapped column takes the room of its sub-columns."""
    xs, x = [], 0.0
    for k, subs in enumerate(stack):
        xs.append(x)
        if k < len(layer_gaps):
            x += layer_gaps[k] + _sub_offset(len(subs) - 1, layer_gaps[k])
    return xs


def _place(G: nx.DiGraph, panel: tuple[float, float]) -> tuple[dict, float]:
    """Positions and the label width (see :func:`layered_drawing`)."""
    layers = supply_layers(G)
    grouped: dict[int, list] = defaultdict(list)
    for v, layer in layers.items():
        grouped[layer].append(v)
    columns = _order_columns(G, dict(grouped))
    n = G.number_of_nodes()
    max_rows = max(8, math.ceil(math.sqrt(n / 1.6) * 1.2))
    stack = []
    for key in sorted(columns):
        nodes = columns[key]
        wraps = math.ceil(len(nodes) / max_rows)
        rows = math.ceil(len(nodes) / wraps)
        stack.append([nodes[i : i + rows] for i in range(0, len(nodes), rows)])
    if not stack:
        return {}, 0.0
    if n > LABEL_LIMIT:
        layer_gaps = [_LARGE_GAPS[0]] * (len(stack) - 1)
        row_gaps = [_LARGE_GAPS[1]] * len(stack)
        width = _LARGE_LABEL_WIDTH
    else:
        layer_gaps, row_gaps, width = _spacing(G, stack, panel)
    xs = _column_xs(stack, layer_gaps)

    def place(stack) -> dict:
        positions = {}
        for x, subs, gap, k in zip(xs, stack, row_gaps, range(len(stack))):
            rows = len(subs[0])
            layer_gap = layer_gaps[k] if k < len(layer_gaps) else (layer_gaps[-1] if layer_gaps else 0.0)
            for sub, nodes in enumerate(subs):
                for row, v in enumerate(nodes):
                    y = (row - (rows - 1) / 2) * gap + (sub % 2) * gap / 2 * (len(subs) > 1)
                    positions[v] = (x + _sub_offset(sub, layer_gap), y)
        return {v: positions[v] for v in G.nodes}

    return place(stack), width


def layered_drawing(G: nx.DiGraph, *, panel: tuple[float, float] = PANEL) -> Drawing:
    """Positions and labels for ``G``: supply layers left to right, each spread vertically, spaced so
    that the graph fills ``panel`` (px) with its labels legible.

    A layer taller than the graph is wide wraps into several sub-columns, so a large graph keeps a
    landscape shape that fits the screen. A graph of more than :data:`LABEL_LIMIT` nodes is packed
    tight and unlabelled.

    >>> G = nx.DiGraph([("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "shop": "process"}, "kind")
    >>> nx.set_node_attributes(G, {"acme": "Acme Production-grade Castings"}, "label")
    >>> layered_drawing(G, panel=(150, 200)).labels["acme"]  # a narrow panel: labels wrap tight
    'Acme\\nProduction-\\ngrade Castings'
    """
    positions, width = _place(G, panel)
    if G.number_of_nodes() > LABEL_LIMIT:
        return Drawing(positions, width, {})
    labels = {v: "\n".join(wrap_label(str(G.nodes[v].get("label", v)), width)) for v in G.nodes}
    return Drawing(positions, width, labels)


def layered_positions(G: nx.DiGraph, *, panel: tuple[float, float] = PANEL) -> dict:
    """Preset positions ``{node: (x, y)}`` of :func:`layered_drawing`.

    >>> G = nx.DiGraph([("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "shop": "process"}, "kind")
    >>> layered_positions(G)["shop"][0] > layered_positions(G)["acme"][0]
    True
    """
    return _place(G, panel)[0]
