"""Where each node of a supply graph sits: suppliers on the left, business outcomes on the right.

Shared by the app's network view and the review pack's static network figure, so both read the same
way: the same positions, and the same bend in an edge that would otherwise run straight through a node
it does not touch (a picture that shows a route that does not exist). Plain functions of a graph; no
Dash, no plotly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

import networkx as nx
import numpy as np

from augur.graph import KINDS

__all__ = [
    "BEND_STEPS",
    "CLEARANCE",
    "KIND_ORDER",
    "LABEL_FONT",
    "LABEL_LIMIT",
    "NODE_SIZE",
    "PANEL",
    "Drawing",
    "edge_bends",
    "edge_curve",
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
# A drawn edge keeps this far from the centre of every node but its own two: the node's radius and a
# margin that clears the corners of the square shapes.
CLEARANCE = NODE_SIZE / 2 + 8.0
# The bends tried, smallest first: how far the curve's control point leaves the straight line (px).
BEND_STEPS = (40.0, 80.0, 120.0, 160.0, 200.0)

_LARGE_GAPS = (60.0, 30.0)  # layer and row gap of an unlabelled (large) graph, px
_LARGE_LABEL_WIDTH = 104.0  # what the node in hand's label wraps at in a large graph
_CHAR = 0.52 * LABEL_FONT  # a character's width, a little wider than Arial's so Inter and Segoe fit too
_LINE = 1.05 * LABEL_FONT  # a label's line height
_DROP = NODE_SIZE / 2 + 4.0 + 2.0  # from a node's centre to the top of its label's text
_LABEL_GAP = 12.0  # between the labels of neighbouring layers
_ROW_GAP = 10.0  # between a label and the node below it
_MIN_LAYER_GAP = 70.0  # room for an edge and its arrow head between layers
_LABEL_WIDTHS = np.arange(64.0, 328.0, 8.0)  # the wrap widths tried
_WIDEST_LAYER_GAP = 300.0  # filling the panel spreads layers up to this far apart
_MOST_ROW_STRETCH = 2.0  # and rows up to twice as far apart as their labels need
_SAMPLES = 17  # points along an edge where it is checked against the nodes
_UNTANGLE_LIMIT = 20  # above this many nodes the order within a layer is the mean-rank one


class Drawing(NamedTuple):
    """How to draw a graph: ``positions`` ``{node: (x, y)}`` (y grows downwards, as on screen),
    ``label_width``, the width in px a label wraps at so that neighbouring layers' labels do not meet,
    ``labels`` ``{node: text}``, each label wrapped so (lines joined by newlines; empty for a graph
    too large to label), and ``bends`` ``{(u, v): offset}`` for the edges drawn as a curve (see
    :func:`edge_curve`)."""

    positions: dict
    label_width: float
    labels: dict
    bends: dict


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

    if n <= _UNTANGLE_LIMIT:
        _untangle(G, stack, place)
    return place(stack), width


def _untangle(G: nx.DiGraph, stack: list[list[list]], place) -> None:
    """Swap neighbours of a kind within a column, in place, while that leaves smaller bends to make
    (two points a step of :data:`BEND_STEPS`, twice the steps there are for an edge no bend clears)
    and fewer crossings (a point each): the mean-rank order keeps edges short, but a node in line
    with a long edge's ends still blocks it."""
    nodes = list(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges if u != v]
    if not edges:
        return
    source, target = np.array(edges).T
    apart = (source[:, None] != source) & (source[:, None] != target)
    apart &= (target[:, None] != source) & (target[:, None] != target)  # pairs of edges without a common end

    def cost() -> int:
        positions = place(stack)
        xy = np.array([positions[v] for v in nodes], dtype=float)
        open_ = np.flatnonzero(_room(xy, source, target, 0.0) < CLEARANCE)
        steps = 0
        for k, step in enumerate(BEND_STEPS, start=1):
            if not len(open_):
                break
            ends = source[open_], target[open_]
            clear = (_room(xy, *ends, step) >= CLEARANCE) | (_room(xy, *ends, -step) >= CLEARANCE)
            steps += k * int(clear.sum())
            open_ = open_[~clear]
        steps += 2 * len(BEND_STEPS) * len(open_)
        a, b = xy[source], xy[target]
        crossing = (_turn(a[:, None], b[:, None], a) * _turn(a[:, None], b[:, None], b) < 0) & (
            _turn(a, b, a[:, None]) * _turn(a, b, b[:, None]) < 0
        )
        return 2 * steps + int((crossing & apart).sum()) // 2

    best = cost()
    for _ in range(4):
        before = best
        for column in (nodes for subs in stack for nodes in subs):
            for i in range(len(column) - 1):
                if G.nodes[column[i]]["kind"] != G.nodes[column[i + 1]]["kind"]:
                    continue
                column[i], column[i + 1] = column[i + 1], column[i]
                tried = cost()
                if tried < best:
                    best = tried
                else:
                    column[i], column[i + 1] = column[i + 1], column[i]
        if best == before:
            return


def _turn(p, q, r):
    """Which side of the line p -> q the point r is on (the sign), for arrays of points."""
    pq, pr = q - p, r - p
    return pq[..., 0] * pr[..., 1] - pq[..., 1] * pr[..., 0]


def edge_curve(source: tuple, target: tuple, bend: float = 0.0, *, samples: int = _SAMPLES) -> np.ndarray:
    """Points along the edge from ``source`` to ``target`` as drawn: a straight line, or with ``bend``
    a quadratic Bezier curve whose control point sits ``bend`` px off the middle of the straight line,
    towards ``(-dy, dx)`` (cytoscape's ``control-point-distances`` with ``edge-distances:
    node-position``: a positive bend on a left-to-right edge dips down the screen).

    >>> edge_curve((0, 0), (200, 0), 80.0, samples=3).tolist()
    [[0.0, 0.0], [100.0, 40.0], [200.0, 0.0]]
    """
    p0, p2 = np.asarray(source, dtype=float), np.asarray(target, dtype=float)
    t = np.linspace(0.0, 1.0, samples)[:, None]
    d = p2 - p0
    length = math.hypot(*d) or 1.0
    control = (p0 + p2) / 2 + bend * np.array([-d[1], d[0]]) / length
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * control + t**2 * p2


def _curves(xy: np.ndarray, source: np.ndarray, target: np.ndarray, bend: float, samples: int) -> np.ndarray:
    """Points along each edge drawn with ``bend`` (see :func:`edge_curve`): edges x samples x 2."""
    p0, p2 = xy[source], xy[target]
    d = p2 - p0
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
    control = (p0 + p2) / 2 + bend * np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
    t = np.linspace(0.0, 1.0, samples)[None, :, None]
    return (1 - t) ** 2 * p0[:, None] + 2 * t * (1 - t) * control[:, None] + t**2 * p2[:, None]


def _room(xy: np.ndarray, source: np.ndarray, target: np.ndarray, bend: float) -> np.ndarray:
    """How close each edge, drawn with ``bend``, comes to the centre of a node other than its ends
    (at most twice :data:`CLEARANCE`: only the nodes near its curve are measured)."""
    chunk = max(1, 200_000 // len(xy))  # edges at a time: a large graph's edges x nodes fit in memory
    if len(source) > chunk:
        return np.concatenate(
            [
                _room(xy, source[i : i + chunk], target[i : i + chunk], bend)
                for i in range(0, len(source), chunk)
            ]
        )
    reach = 2 * CLEARANCE
    curve = _curves(xy, source, target, bend, _SAMPLES)
    low, high = curve.min(axis=1) - reach, curve.max(axis=1) + reach
    near = ((xy[None] >= low[:, None]) & (xy[None] <= high[:, None])).all(axis=2)  # edges x nodes
    rows = np.arange(len(source))
    near[rows, source] = False
    near[rows, target] = False
    edge, node = np.nonzero(near)
    a, b = curve[edge, :-1], curve[edge, 1:]  # pairs x segments x 2
    ab, ap = b - a, xy[node][:, None, :] - a
    along = np.clip((ap * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-9), 0.0, 1.0)
    gap = np.hypot(*np.moveaxis(ap - along[..., None] * ab, -1, 0)).min(axis=1)
    room = np.full(len(source), reach)
    np.minimum.at(room, edge, gap)
    return room


def _crosses(boxes: np.ndarray, xy, source: np.ndarray, target: np.ndarray, bend: float) -> np.ndarray:
    """Whether each edge, drawn with ``bend``, runs through a box (x0, y0, x1, y1) of a node other
    than its ends."""
    curve = _curves(xy, source, target, bend, 2 * _SAMPLES)  # close enough for a line of text
    low, high = curve.min(axis=1), curve.max(axis=1)
    near = (boxes[None, :, :2] < high[:, None]).all(axis=2) & (boxes[None, :, 2:] > low[:, None]).all(axis=2)
    rows = np.arange(len(source))
    near[rows, source] = False
    near[rows, target] = False
    edge, node = np.nonzero(near)
    points, box = curve[edge], boxes[node][:, None, :]  # pairs x samples x 2, pairs x 1 x 4
    inside = ((points > box[..., :2]) & (points < box[..., 2:])).all(axis=2).any(axis=1)
    crossed = np.zeros(len(source), dtype=bool)
    crossed[edge[inside]] = True
    return crossed


def edge_bends(
    G: nx.DiGraph,
    positions: dict,
    *,
    clearance: float = CLEARANCE,
    steps: tuple = BEND_STEPS,
    boxes: dict | None = None,
) -> dict:
    """A bend ``{(u, v): offset}`` for each edge whose straight line passes within ``clearance`` px of
    a node other than its ends: the smallest offset in ``steps``, on either side, whose curve (see
    :func:`edge_curve`) keeps clear of every node, and of every node's box in ``boxes`` ``{node: (x0,
    y0, x1, y1)}`` (its label) too where a step more does it; of the two sides, the one that crosses
    fewer other edges, then the roomier. An edge no bend clears takes the one with the most room.
    Edges that run clear stay straight and are not listed.

    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> edge_bends(G, {"a": (0, 0), "b": (100, 0), "c": (200, 0)})
    {('a', 'c'): 80.0}
    """
    edges = [(u, v) for u, v in G.edges if u != v]
    if not edges:
        return {}
    nodes = list(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    xy = np.array([positions[v] for v in nodes], dtype=float)
    source = np.array([index[u] for u, _ in edges])
    target = np.array([index[v] for _, v in edges])
    straight = _room(xy, source, target, 0.0)
    blocked = np.flatnonzero(straight < clearance)
    if not len(blocked):
        return {}
    offsets = [sign * step for step in steps for sign in (1.0, -1.0)]
    # Each step on both sides, for the edges still to settle: an edge settles a step after the
    # first that clears it (the step more it may take to miss the labels too).
    room = np.full((len(blocked), len(offsets)), -np.inf)  # blocked edges x offsets
    settle = np.full(len(blocked), len(steps))
    for k in range(len(steps)):
        pending = np.flatnonzero(settle >= k)
        for j in (2 * k, 2 * k + 1):
            room[pending, j] = _room(xy, source[blocked[pending]], target[blocked[pending]], offsets[j])
        cleared = pending[(room[pending, 2 * k : 2 * k + 2] >= clearance).any(axis=1)]
        settle[cleared] = np.minimum(settle[cleared], k + 1)
    clear = room >= clearance
    if boxes:
        # a curve that also misses the labels, if it bends at most a step further than one that
        # misses only the nodes: a wide arc reads worse than a line behind a label's white ground
        far = (np.inf, np.inf, -np.inf, -np.inf)  # a node without a box
        box = np.array([boxes.get(v, far) for v in nodes], dtype=float)
        tidy = np.zeros_like(clear)
        for j, offset in enumerate(offsets):
            rows = np.flatnonzero(clear[:, j])
            if len(rows):
                tidy[rows, j] = ~_crosses(box, xy, source[blocked[rows]], target[blocked[rows]], offset)
        tidy &= np.arange(len(offsets)) // 2 <= (clear.argmax(axis=1) // 2 + 1)[:, None]
        clear = np.where(tidy.any(axis=1, keepdims=True), tidy, clear)
    # Decide one edge at a time, so each choice sees the curves already chosen: of the two sides of
    # the smallest step that clears, the one that crosses fewer other edges, then the roomier.
    drawn = _curves(xy, source, target, 0.0, _SAMPLES)
    bends = {}
    for row, e in enumerate(blocked):
        ok = np.flatnonzero(clear[row])
        if len(ok):
            first = ok[0] - ok[0] % 2  # the pair (+step, -step) of the smallest step that clears
            pair = [k for k in (first, first + 1) if clear[row, k]]
            if len(pair) > 1:
                others = (source != source[e]) & (source != target[e]) & (target != source[e])
                others &= target != target[e]
                crossed = {k: _crossings(xy, source[e], target[e], offsets[k], drawn[others]) for k in pair}
                pair.sort(key=lambda k: (crossed[k], -room[row, k]))
            pick = pair[0]
        else:
            pick = int(np.argmax(room[row]))
            if room[row, pick] <= straight[e]:
                continue
        bends[edges[e]] = offsets[pick]
        drawn[e] = _curves(xy, source[e : e + 1], target[e : e + 1], offsets[pick], _SAMPLES)[0]
    return bends


def _crossings(xy: np.ndarray, source: int, target: int, bend: float, others: np.ndarray) -> int:
    """How many of the ``others`` curves (edges x samples x 2) the edge crosses, drawn with ``bend``."""
    curve = _curves(xy, np.array([source]), np.array([target]), bend, _SAMPLES)[0]
    a, b = curve[:-1, None, None, :], curve[1:, None, None, :]  # its segments
    c, d = others[None, :, :-1, :], others[None, :, 1:, :]  # theirs
    meet = (_turn(a, b, c) * _turn(a, b, d) < 0) & (_turn(c, d, a) * _turn(c, d, b) < 0)
    return int(meet.any(axis=(0, 2)).sum())


def layered_drawing(G: nx.DiGraph, *, panel: tuple[float, float] = PANEL) -> Drawing:
    """Positions, labels and edge bends for ``G``: supply layers left to right, each spread
    vertically, spaced so that the graph fills ``panel`` (px) with its labels legible, and a bend in
    each edge that would otherwise pass through a node it does not touch.

    A layer taller than the graph is wide wraps into several sub-columns, so a large graph keeps a
    landscape shape that fits the screen. A graph of more than :data:`LABEL_LIMIT` nodes is packed
    tight, unlabelled and drawn with straight edges (cytoscape's fast ``haystack`` edges), so it has
    no bends.

    >>> G = nx.DiGraph([("acme", "boards"), ("boards", "shop"), ("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "boards": "vendor", "shop": "process"}, "kind")
    >>> drawing = layered_drawing(G)
    >>> drawing.positions["acme"][1] == drawing.positions["shop"][1], drawing.bends
    (True, {('acme', 'shop'): 80.0})
    """
    positions, width = _place(G, panel)
    if G.number_of_nodes() > LABEL_LIMIT:
        return Drawing(positions, width, {}, {})
    lines = {v: wrap_label(str(G.nodes[v].get("label", v)), width) for v in G.nodes}
    boxes = {}
    for v, text in lines.items():
        x, y = positions[v]
        half = max(_text_width(line) for line in text) / 2
        boxes[v] = (x - half, y + _DROP - 2, x + half, y + _DROP + len(text) * _LINE)
    labels = {v: "\n".join(text) for v, text in lines.items()}
    return Drawing(positions, width, labels, edge_bends(G, positions, boxes=boxes))


def layered_positions(G: nx.DiGraph, *, panel: tuple[float, float] = PANEL) -> dict:
    """Preset positions ``{node: (x, y)}`` of :func:`layered_drawing`.

    >>> G = nx.DiGraph([("acme", "shop")])
    >>> nx.set_node_attributes(G, {"acme": "vendor", "shop": "process"}, "kind")
    >>> layered_positions(G)["shop"][0] > layered_positions(G)["acme"][0]
    True
    """
    return _place(G, panel)[0]
