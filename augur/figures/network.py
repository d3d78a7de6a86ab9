"""The supply graph at one step as a plotly figure, for the review pack: the app's layered drawing
(:mod:`augur.drawing`) with its bends, shapes per kind (:data:`augur.style.KIND_SYMBOLS`, echoing the
app's cytoscape shapes), colours per status at that step, a dark ring round the nodes under an active
shock and dotted vermilion links for the supply a down node cut.

:func:`network_parts` gives the traces and annotations on any pair of axes, so the one-image
dashboards (:mod:`augur.report.dashboard`) can place one or two networks beside other charts.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> fig = network_figure(augur.simulate(scenario.graph, scenario), step=35)  # doctest: +SKIP
>>> sorted({t.name for t in fig.data if t.showlegend})  # doctest: +SKIP
['failed', 'ok', ...]
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from augur.analysis import worst_step
from augur.drawing import edge_curve, layered_drawing
from augur.drill import DrillResult
from augur.engine import Status
from augur.figures.theme import hidden_axis
from augur.style import DOWN_EDGE, EDGE, FONT, INK, KIND_GREY, KIND_LABELS, KIND_SYMBOLS, STATUS_COLOURS
from augur.text import node_name

__all__ = ["ARROW_LIMIT", "LABEL_LIMIT", "legend_traces", "network_figure", "network_parts"]

LABEL_LIMIT = 40  # above this many nodes, only shocked and first-failed nodes are labelled
ARROW_LIMIT = 80  # above this many edges, edges are plain lines without arrow heads
# How far below its centre a marker reaches, in half its size: plotly draws a diamond's points and a
# triangle's corners beyond the circle of the marker's size, and a label set at half the size would
# sit on them.
SYMBOL_REACH = {"diamond": 1.3, "triangle-right": 1.16, "hexagon": 1.0}


def _curve(pos: dict, u, v, bend: float) -> np.ndarray:
    """The bent edge ``u -> v`` as the app draws it, in the figure's coordinates (y up)."""
    return edge_curve(pos[u], pos[v], bend, samples=25) * (1.0, -1.0)


def _wrap(text: str, width: int = 18, lines: int = 2) -> str:
    """``text`` in at most ``lines`` lines of ``width`` characters joined by ``<br>``; a word of one or
    two characters stays with the word before it, as in the app ("Acme Chips" / "(tier 2)").

    >>> _wrap("Acme Chips (tier 2)", 16)
    'Acme Chips<br>(tier 2)'
    """
    glued = re.sub(r" (?=\S{1,2}(?: |$))", "\u00a0", text)  # a no-break space before a short word
    parts = [part.replace("\u00a0", " ") for part in textwrap.wrap(glued, width=width)] or [text]
    if len(parts) > lines:
        parts = [
            *parts[: lines - 1],
            textwrap.shorten(" ".join(parts[lines - 1 :]), width=width, placeholder="…"),
        ]
    return "<br>".join(parts)


def _active_targets(result: DrillResult, step: int) -> tuple[set, set]:
    """Nodes and edges under a shock at ``step``; a bottlenecked logistics node holds up every edge
    into it."""
    nodes, edges = set(), set()
    for shock in result.scenario.shocks:
        if not shock.active(step):
            continue
        for target in shock.target:
            if isinstance(target, tuple):
                edges.add(target)
            else:
                nodes.add(target)
                if shock.kind == "logistics_bottleneck":
                    edges.update((u, target) for u in result.graph.predecessors(target))
    return nodes, edges


@dataclass
class _Scene:
    """What every part of one drawn network needs: the drill at ``step``, where each node sits in the
    figure's coordinates (y up), how big the markers are, and the axes to draw on."""

    result: DrillResult
    step: int
    xaxis: str
    yaxis: str
    marker_scale: float

    def __post_init__(self):
        G, traj = self.result.graph, self.result.trajectory
        self.G, self.traj = G, traj
        self.index = {v: i for i, v in enumerate(traj.nodes)}
        # The app's layered layout and bends, so the pack's network reads like the one on screen.
        drawing = layered_drawing(G)
        self.pos, self.bends = drawing.positions, drawing.bends
        self.lines = drawing.labels  # each name broken into the lines its row was spaced for
        self.n, self.m = G.number_of_nodes(), G.number_of_edges()
        self.status = traj.status[self.step]
        self.hit_nodes, self.hit_edges = _active_targets(self.result, self.step)
        self.down = {
            v for v in traj.nodes if self.status[self.index[v]] in (Status.FAILED, Status.RECOVERING)
        }
        n = self.n
        self.size = (22 if n <= LABEL_LIMIT else 12 if n <= 300 else 6) * self.marker_scale
        self.ring = (3.5 if n <= LABEL_LIMIT else 2.0 if n <= 300 else 1.5) * self.marker_scale
        self.xs = np.array([self.pos[v][0] for v in traj.nodes], dtype=float)
        self.ys = -np.array(
            [self.pos[v][1] for v in traj.nodes], dtype=float
        )  # cytoscape's y grows downwards
        self.xy = {v: (self.xs[i], self.ys[i]) for i, v in enumerate(traj.nodes)}


def network_parts(
    result: DrillResult,
    step: int,
    *,
    xaxis: str = "x",
    yaxis: str = "y",
    marker_scale: float = 1.0,
    font_size: int = 11,
    label_width: int = 18,
) -> tuple[list, list, tuple, tuple, list]:
    """The network's traces and arrow annotations on the given axes, the x and y ranges, and the
    legend entries what it draws needs (see :func:`legend_traces`)."""
    scene = _Scene(result, step, xaxis, yaxis, marker_scale)
    edge_traces, arrows, entries = _edge_parts(scene)
    node_traces, node_entries = _node_traces(scene)
    labels = _labels(scene, _labelled(scene), font_size, label_width)
    entries += node_entries
    if scene.hit_nodes:
        entries.append(("shocked", "shocked"))
    G = scene.G
    entries += [("kind", kind) for kind in dict.fromkeys(G.nodes[v]["kind"] for v in scene.traj.nodes)]
    x_range, y_range = _ranges(scene)
    return edge_traces + node_traces, arrows + labels, x_range, y_range, entries


def _edge_groups(scene: _Scene) -> dict[str, list]:
    """Edges: grey; out of a node that is down, in the failed colour; under an active bottleneck,
    dark dashed."""
    groups: dict[str, list] = {"normal": [], "down": [], "hit": []}
    for u, v in scene.G.edges:
        key = "hit" if (u, v) in scene.hit_edges else ("down" if u in scene.down else "normal")
        groups[key].append((u, v))
    return groups


def _edge_parts(scene: _Scene) -> tuple[list, list, list]:
    """The edges' traces, their arrow annotations (a graph small enough for arrows) and the legend
    entries of the special links."""
    n = scene.n
    styles = {
        "normal": {"color": EDGE, "width": 1.2 if n <= 300 else 0.5, "dash": "solid"},
        "down": {"color": DOWN_EDGE, "width": 1.8 if n <= 300 else 0.8, "dash": "dot"},
        "hit": {"color": INK, "width": 2.0, "dash": "dash"},
    }
    traces: list = []
    annotations: list = []
    entries: list = []
    for key, edges in _edge_groups(scene).items():
        if not edges:
            continue
        if key != "normal":
            entries.append(("edge", key))
        if scene.m <= ARROW_LIMIT:
            trace, arrows = _arrowed_edges(scene, edges, styles[key])
            annotations += arrows
            traces += [trace] if trace is not None else []
        else:
            traces.append(_plain_edges(scene, edges, styles[key], key))
    return traces, annotations, entries


def _arrowed_edges(scene: _Scene, edges: list, style: dict) -> tuple[go.Scatter | None, list]:
    """Edges as arrow annotations; a bent edge's curve as a line up to where the arrow takes over for
    the last stretch (an annotation's arrow is straight), drawn solid as the arrows are."""
    cx: list = []
    cy: list = []
    annotations = []
    for u, v in edges:
        (x0, y0), (x1, y1) = scene.xy[u], scene.xy[v]
        bent = (u, v) in scene.bends
        if bent:
            curve = _curve(scene.pos, u, v, scene.bends[u, v])
            tail = int(len(curve) * 0.75)
            cx += [*curve[: tail + 1, 0].tolist(), None]
            cy += [*curve[: tail + 1, 1].tolist(), None]
            x0, y0 = curve[tail].tolist()
        annotations.append(
            {
                "x": x1,
                "y": y1,
                "ax": x0,
                "ay": y0,
                "xref": scene.xaxis,
                "yref": scene.yaxis,
                "axref": scene.xaxis,
                "ayref": scene.yaxis,
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.1,
                "arrowwidth": style["width"],
                "arrowcolor": style["color"],
                "standoff": scene.size / 2 + 2,
                "startstandoff": 0 if bent else scene.size / 2 + 1,
                "text": "",
            }
        )
    if not cx:
        return None, annotations
    trace = go.Scatter(
        x=cx,
        y=cy,
        mode="lines",
        line={**style, "dash": "solid"},
        hoverinfo="skip",
        showlegend=False,
        opacity=0.9,
        xaxis=scene.xaxis,
        yaxis=scene.yaxis,
    )
    return trace, annotations


def _plain_edges(scene: _Scene, edges: list, style: dict, key: str) -> go.Scatter:
    """Edges as plain lines (a graph with too many for arrow heads), bent ones along their curve."""
    ex, ey = [], []
    for u, v in edges:
        if (u, v) in scene.bends:
            curve = _curve(scene.pos, u, v, scene.bends[u, v])
            ex += [*curve[:, 0].tolist(), None]
            ey += [*curve[:, 1].tolist(), None]
        else:
            (x0, y0), (x1, y1) = scene.xy[u], scene.xy[v]
            ex += [x0, x1, None]
            ey += [y0, y1, None]
    return go.Scatter(
        x=ex,
        y=ey,
        mode="lines",
        line=style,
        hoverinfo="skip",
        name={"normal": "supply link", "down": "supply cut", "hit": "bottleneck"}[key],
        showlegend=False,
        opacity=0.5 if key == "normal" and scene.n > 300 else 0.9,
        xaxis=scene.xaxis,
        yaxis=scene.yaxis,
    )


def _labelled(scene: _Scene) -> set:
    """The nodes named on the drawing: all of a small graph; else up to five of the first to fail
    and the shocked, none crowding another."""
    traj, index, xy = scene.traj, scene.index, scene.xy
    if scene.n <= LABEL_LIMIT:
        return set(traj.nodes)
    labelled: set = set()
    primary = set(scene.result.metrics["primary"])
    first_failed = sorted(
        (v for v in traj.nodes if v not in primary and (traj.status[:, index[v]] == Status.FAILED).any()),
        key=lambda v: int(np.argmax(traj.status[:, index[v]] == Status.FAILED)),
    )
    xs, ys = scene.xs, scene.ys
    span = (float(xs.max() - xs.min()) or 1.0, float(ys.max() - ys.min()) or 1.0)
    for v in [*first_failed, *sorted(scene.hit_nodes, key=str)]:
        x, y = xy[v]
        crowded = any(
            abs(x - xy[w][0]) < 0.12 * span[0] and abs(y - xy[w][1]) < 0.06 * span[1] for w in labelled
        )
        if not crowded:
            labelled.add(v)
        if len(labelled) >= 5:
            break
    return labelled


def _hover(scene: _Scene, v, label: str) -> str:
    G, traj, step, c = scene.G, scene.traj, scene.step, scene.index[v]
    kind = G.nodes[v]["kind"]
    line = f"<b>{node_name(G, v)}</b><br>{KIND_LABELS.get(kind, kind)} · {label}"
    line += f"<br>output {traj.output[step, c]:.0%} · quality {traj.quality[step, c]:.0%}"
    if kind == "ai_service" and traj.tokens[0, c] > 0:
        line += f"<br>tokens {traj.tokens[step, c] / traj.tokens[0, c]:.2f}× baseline"
    return line


def _node_traces(scene: _Scene) -> tuple[list, list]:
    """Nodes: one trace per status, so the colours are the app's and the legend explains them."""
    G, traj, index = scene.G, scene.traj, scene.index
    traces, entries = [], []
    for label in ("ok", "degraded", "throttled", "recovering", "failed"):
        code = Status[label.upper()]
        members = [v for v in traj.nodes if scene.status[index[v]] == code]
        if not members:
            continue
        entries.append(("status", label))
        cols = [index[v] for v in members]
        hit = scene.hit_nodes
        traces.append(
            go.Scatter(
                x=scene.xs[cols],
                y=scene.ys[cols],
                mode="markers",
                hovertext=[_hover(scene, v, label) for v in members],
                hoverinfo="text",
                marker={
                    "size": scene.size,
                    "color": STATUS_COLOURS[label],
                    "symbol": [KIND_SYMBOLS.get(G.nodes[v]["kind"], "circle") for v in members],
                    "line": {
                        "color": [INK if v in hit else "white" for v in members],
                        "width": [
                            scene.ring if v in hit else (1.2 if scene.n <= 300 else 0.5) for v in members
                        ],
                    },
                },
                name=label,
                showlegend=False,
                xaxis=scene.xaxis,
                yaxis=scene.yaxis,
                cliponaxis=False,
            )
        )
    return traces, entries


def _labels(scene: _Scene, labelled: set, font_size: int, label_width: int) -> list[dict]:
    """Labels as annotations on a white ground, drawn over the links that pass behind them."""
    labels = []

    def symbol(v) -> str:
        return KIND_SYMBOLS.get(scene.G.nodes[v]["kind"], "circle")

    for v in scene.traj.nodes:
        if v in labelled:
            x, y = scene.xy[v]
            labels.append(
                {
                    "x": x,
                    "y": y,
                    "xref": scene.xaxis,
                    "yref": scene.yaxis,
                    "yshift": -(scene.size / 2 * SYMBOL_REACH.get(symbol(v), 1.0) + 2),
                    "yanchor": "top",
                    "xanchor": "center",
                    "text": _name_lines(scene, v, label_width),
                    "showarrow": False,
                    "font": {"size": font_size, "color": INK, "family": FONT},
                    "bgcolor": "rgba(255,255,255,0.85)",
                    "borderpad": 1,
                }
            )
    return labels


def _name_lines(scene: _Scene, v, label_width: int) -> str:
    """A node's name in the lines the layout spaced its row for (:func:`augur.drawing.layered_drawing`
    breaks each label so that it meets no neighbour's), else wrapped at ``label_width`` characters:
    broken anew, 'Insurer eligibility API' took two lines where its row had room for one, and its
    second line sat on the node below."""
    lines = scene.lines.get(v) if scene.lines else None
    if lines and node_name(scene.G, v) == str(scene.G.nodes[v].get("label", v)):
        return "<br>".join(str(lines).split("\n"))
    return _wrap(node_name(scene.G, v), label_width, lines=3)


def _ranges(scene: _Scene) -> tuple[tuple, tuple]:
    """The x and y ranges that hold the nodes, their labels and every curve."""
    xs, ys, n = scene.xs, scene.ys, scene.n
    span_x = float(xs.max() - xs.min()) if n > 1 else 1.0
    span_y = float(ys.max() - ys.min()) if n > 1 else 1.0
    pad_x = max(span_x * 0.06, 70.0)
    pad_top = max(span_y * 0.06, 30.0)
    pad_bottom = max(span_y * 0.08, 55.0 if n <= LABEL_LIMIT else 30.0)
    low, high = float(ys.min()) - pad_bottom, float(ys.max()) + pad_top
    for (u, v), bend in scene.bends.items():  # a curve round a node in the top or bottom row
        curve = _curve(scene.pos, u, v, bend)[:, 1]
        low, high = min(low, float(curve.min()) - 10.0), max(high, float(curve.max()) + 10.0)
    return (float(xs.min()) - pad_x, float(xs.max()) + pad_x), (low, high)


_ENTRY_ORDER = {
    "edge": ("down", "hit"),
    "status": ("ok", "degraded", "throttled", "recovering", "failed"),
    "shocked": ("shocked",),
    "kind": tuple(KIND_SYMBOLS),
}


def legend_traces(
    *entry_lists: list, legend: str = "legend", kind_legend: str | None = None, xaxis="x", yaxis="y"
) -> list:
    """Legend-only traces for every entry any of ``entry_lists`` needs, each once, in a fixed order:
    special links, statuses, the shocked ring, then the kinds' shapes. So a legend drawn for two
    networks explains every colour either one shows."""
    wanted = {entry for entries in entry_lists for entry in entries}
    groups = list(_ENTRY_ORDER)
    ordered = sorted(
        wanted,
        key=lambda e: (
            groups.index(e[0]),
            _ENTRY_ORDER[e[0]].index(e[1]) if e[1] in _ENTRY_ORDER[e[0]] else 99,
            str(e[1]),
        ),
    )
    traces = []
    for group, key in ordered:
        common = {
            "x": [None],
            "y": [None],
            "legend": legend,
            "showlegend": True,
            "xaxis": xaxis,
            "yaxis": yaxis,
        }
        if group == "edge":
            colour, width = (DOWN_EDGE, 1.8) if key == "down" else (INK, 2.0)
            name = "supply cut" if key == "down" else "bottleneck"
            traces.append(
                go.Scatter(mode="lines", line={"color": colour, "width": width}, name=name, **common)
            )
        elif group == "status":
            marker = {"size": 11, "color": STATUS_COLOURS[key], "symbol": "circle"}
            traces.append(go.Scatter(mode="markers", marker=marker, name=key, **common))
        elif group == "shocked":
            marker = {"size": 10, "color": "white", "line": {"color": INK, "width": 3}}
            traces.append(go.Scatter(mode="markers", marker=marker, name="shocked", **common))
        else:
            marker = {"size": 10, "color": KIND_GREY, "symbol": KIND_SYMBOLS.get(key, "circle")}
            name = KIND_LABELS.get(key, key)
            traces.append(
                go.Scatter(
                    mode="markers", marker=marker, name=name, **{**common, "legend": kind_legend or legend}
                )
            )
    return traces


def network_figure(
    result: DrillResult,
    step: int | None = None,
    *,
    width: int | None = None,
    height: int | None = 520,
    title: str | None = None,
) -> go.Figure:
    """The supply graph at ``step`` (default: the worst step), coloured by status as in the app.

    Shapes show kinds, colours the status at that step (the app's colour-blind-safe palette), a dark
    ring the nodes under an active shock, and dotted vermilion links the supply that a down node cut.
    """
    step = worst_step(result) if step is None else int(step)
    traces, annotations, xr, yr, entries = network_parts(result, step)
    unit = result.scenario.step_unit
    level = result.service_level[step]
    fig = go.Figure(data=traces + legend_traces(entries))
    fig.update_layout(
        title={
            "text": title or f"The network at {unit} {step}: service level {level:.0%}",
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 13, "color": INK},
        },
        annotations=annotations,
        font={"family": FONT, "size": 11, "color": INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 8, "r": 8, "t": 34, "b": 8},
        xaxis=hidden_axis(xr),
        yaxis=hidden_axis(yr),
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        hovermode="closest",
        width=width,
        height=height,
    )
    return fig
