"""The supply graph tinted by exposure: where in the graph the failures that hurt sit, beside the
weak-point figures of :mod:`augur.figures.weak_points` (the Weak points view draws it where the app
draws the network).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from augur.figures.labels import marker_box, place, placed_annotation
from augur.figures.theme import frame_layout
from augur.style import EDGE, INK, KIND_SYMBOLS, MUTED, NOT_RUN, VERDICT_COLOURS
from augur.text import node_name

__all__ = ["EXPOSURE_SCALE", "exposure_network"]

# Exposure from none to the worst: pale, through the degraded amber, to the cascade vermilion.
EXPOSURE_SCALE = [[0.0, "#f5efe6"], [0.5, VERDICT_COLOURS["degraded"]], [1.0, VERDICT_COLOURS["cascade"]]]
GL_NODES = 1_000  # above this many nodes the network is drawn with WebGL, circles for every kind


def _edge_path(positions: Mapping, edges: Sequence[tuple]) -> str:
    """Every edge between two drawn nodes as one SVG path, in the axes' units. One path is one element
    for the browser to draw: the 16,000 edges of a 2,000-node graph as a trace of lines cost seconds
    to build here and seconds more to draw (WebGL without a GPU), as a path a fraction of one."""
    segments = []
    for u, v in edges:
        if u in positions and v in positions:
            segments.append(f"M{_point(positions[u])}L{_point(positions[v])}")
    return "".join(segments)


def _point(xy: Sequence[float]) -> str:
    """A position as the path's x,y: y flipped to point up, as the markers' are (0, not -0)."""
    return f"{float(xy[0]):g},{-float(xy[1]) + 0.0:g}"


# The smallest plot the tinted network is drawn in, px: the Weak points view's card at 1280x800.
EXPOSURE_PLOT = (220.0, 260.0)
_PAD = 10.0  # px plotly leaves between the outermost markers and the plot's edge


def exposure_pixels(positions: Mapping) -> dict:
    """Each node's place in :data:`EXPOSURE_PLOT`'s pixels (y up), the axes fitted to the nodes."""
    xs = [float(p[0]) for p in positions.values()] or [0.0]
    ys = [-float(p[1]) for p in positions.values()] or [0.0]
    width, height = EXPOSURE_PLOT
    dx, dy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(p) -> tuple[float, float]:
        x, y = float(p[0]), -float(p[1])
        return _PAD + (x - min(xs)) / dx * (width - 2 * _PAD), _PAD + (y - min(ys)) / dy * (height - 2 * _PAD)

    return {v: at(p) for v, p in positions.items()}


def _worst_labels(
    positions: Mapping, ranked: list, exposure: Mapping, graph, most: int, size: float
) -> list[dict]:
    """Names for the ``most`` worst nodes (``ranked`` worst first) whose failure cost something, each
    above, below or beside its node where it meets no other name and no other node
    (:func:`augur.figures.labels.place`); one that fits nowhere is left to its hover."""
    pixels = exposure_pixels(positions)
    markers = [marker_box(*xy, size) for xy in pixels.values()]
    placed: list[dict] = []
    boxes: list = []
    for v in (v for v in ranked if exposure[v] > 0):
        if len(placed) >= most:
            break
        text = node_name(graph, v)
        box = place(
            [(*pixels[v], text)], EXPOSURE_PLOT, ("above", "below", "right", "left"), [*markers, *boxes]
        )[0]
        if box is None:
            continue
        boxes.append(box)
        placed.append(
            {
                "x": float(positions[v][0]),
                "y": -float(positions[v][1]),
                "text": text,
                "showarrow": False,
                "font": {"size": 10, "color": INK},
                "bgcolor": "rgba(255, 255, 255, 0.75)",
                **placed_annotation(box),
            }
        )
    return placed


def exposure_network(
    table,
    positions: Mapping[Any, Sequence[float]],
    edges: Sequence[tuple] = (),
    *,
    graph: nx.DiGraph | None = None,
    kinds: Mapping[Any, str] | None = None,
    label: int = 5,
    height: int | None = None,
    title: str = "The network tinted by exposure",
) -> go.Figure:
    """The supply graph with each swept node tinted by its exposure index (pale: its failure cost
    nothing; vermilion: the worst), nodes the sweep did not fail in grey, the ``label`` worst named.

    ``positions`` are ``{node: (x, y)}`` as :func:`augur.drawing.layered_drawing` gives them (y
    pointing down, suppliers on the left), ``edges`` the ``(u, v)`` pairs to draw, ``kinds`` each
    node's kind (its marker's shape); ``graph`` names the nodes by their labels.

    >>> fig = exposure_network([{"target": "a", "verdict": "cascade", "exposure_index": 1.0}],
    ...                        {"a": (0, 0), "b": (100, 0)}, [("a", "b")])
    >>> [(t.name, list(t.x)) for t in fig.data if t.mode == "markers"]
    [('not swept', [100.0]), ('swept', [0.0])]
    """
    rows = list(getattr(table, "rows", table))
    exposure = {r["target"]: r["exposure_index"] for r in rows}
    verdict = {r["target"]: r["verdict"] for r in rows}
    kinds = kinds or {}
    gl = len(positions) > GL_NODES
    scatter = go.Scattergl if gl else go.Scatter
    fig = go.Figure(layout=frame_layout(title, height=height))
    path = _edge_path(positions, edges)
    if path:  # beneath the nodes; a shape draws no legend entry and takes no hover
        fig.add_shape(type="path", path=path, line={"color": EDGE, "width": 0.6}, layer="below")

    def symbols(nodes: list) -> list | str:
        return "circle" if gl else [KIND_SYMBOLS.get(kinds.get(v, ""), "circle") for v in nodes]

    size = 6 if gl else 13
    others = [v for v in positions if v not in exposure]
    swept = sorted((v for v in positions if v in exposure), key=lambda v: exposure[v])  # the worst on top
    if others:
        fig.add_trace(
            scatter(
                x=[float(positions[v][0]) for v in others],
                y=[-float(positions[v][1]) for v in others],
                mode="markers",
                name="not swept",
                marker={"color": NOT_RUN, "size": size, "symbol": symbols(others)},
                text=[node_name(graph, v) for v in others],
                hovertemplate="%{text}: not swept<extra></extra>",
            )
        )
    fig.add_trace(
        scatter(
            x=[float(positions[v][0]) for v in swept],
            y=[-float(positions[v][1]) for v in swept],
            mode="markers",
            name="swept",
            marker={
                "color": [exposure[v] for v in swept],
                "cmin": 0.0,
                "cmax": 1.0,
                "colorscale": EXPOSURE_SCALE,
                "size": size,
                "symbol": symbols(swept),
                "line": {"color": MUTED, "width": 0.5},
                "colorbar": {"title": {"text": "exposure", "side": "right"}, "thickness": 10, "len": 0.8},
            },
            text=[node_name(graph, v) for v in swept],
            customdata=[verdict[v] for v in swept],
            hovertemplate="<b>%{text}</b><br>exposure %{marker.color:.2f}, %{customdata}<extra></extra>",
        )
    )
    for annotation in _worst_labels(positions, swept[::-1], exposure, graph, label, size):
        fig.add_annotation(annotation)
    fig.update_layout(
        hovermode="closest",
        margin={"l": 8, "r": 8, "t": 30, "b": 8},
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig
