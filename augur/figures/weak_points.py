"""The weak-point figures, one look wherever they are drawn (the app's views, the review pack, the
one-image dashboard): the criticality ranking as bars, the time-to-survive against time-to-recover
quadrant, the random-shock service-level bands and the chance of each verdict.

Each takes the public API's results as they come (:func:`augur.sweep.criticality`'s table,
:func:`augur.sweep.monte_carlo`'s bands and counts) or their plain data (the rows, the dicts of
``--json``), and returns a plotly figure with no size fixed unless ``height`` is given.

>>> table = [{"target": "acme", "kind": "vendor", "verdict": "cascade", "resilience_loss": 8.0,
...           "exposure_index": 1.0, "blast_radius": 0.5, "secondary_failures": 1,
...           "service_level_min": 0.0, "time_to_survive": 2, "time_to_recover": 1,
...           "single_point_of_failure": True},
...          {"target": "beta", "kind": "vendor", "verdict": "graceful", "resilience_loss": 0.0,
...           "exposure_index": 0.0, "blast_radius": 0.25, "secondary_failures": 0,
...           "service_level_min": 1.0, "time_to_survive": None, "time_to_recover": 0,
...           "single_point_of_failure": False}]
>>> list(exposure_bars(table).data[0].y)
['beta', 'acme']
>>> points = quadrant(table, 0.9, outage={"duration": 5, "ttr": {}})
>>> [(p["target"], p["x"], p["y"], p["outlasts"]) for p in quadrant_points(table, {"duration": 5, "ttr": {}})]
[('acme', 5, 2, False), ('beta', 5, None, True)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from augur.figures.labels import marker_box, place, placed_annotation
from augur.figures.theme import BOTTOM_LEGEND, frame_layout, hline, short_label
from augur.scenario import VERDICT_RANK, VERDICTS
from augur.style import GRID, INK, MUTED, SERIES_COLOURS, SHOCK_FILL, SLO_COLOUR, VERDICT_COLOURS
from augur.text import node_name, pct_text, quantile_text
from augur.text.study_views import tipping_goal_text
from augur.text.weak_points import QUADRANT_BELOW, QUADRANT_TITLE, node_down_axis_text

__all__ = [
    "distribution",
    "exposure_bars",
    "quadrant",
    "quadrant_points",
    "service_bands",
    "tipping_heatmap",
    "verdict_chances",
]

BAR_ROW = 22  # px a bar of the ranking takes, so the names stay readable at any length of the table
NAME_CHARS = 32  # characters of a node's name beside its bar; the hover has the whole name
LABEL_CHARS = 24  # characters of a name beside a point of the quadrant: it fits the room a point leaves


def _rows(table) -> list[dict]:
    """The rows of a criticality table: a :class:`~augur.analysis.criticality.Criticality`, its
    ``rows``, or the ``criticality`` list of ``augur sweep --json``."""
    rows = getattr(table, "rows", table)
    return [dict(row) for row in rows]


def _name(G: nx.DiGraph | None, target: Any) -> str:
    return node_name(G, target)


def exposure_bars(
    table,
    *,
    top: int | None = 15,
    graph: nx.DiGraph | None = None,
    height: int | None = None,
    title: str = "Exposure index: each node failed alone",
    name_chars: int = NAME_CHARS,
) -> go.Figure:
    """The criticality ranking as horizontal bars of exposure index (the loss over the worst loss),
    worst at the top, coloured by the verdict of that node's failure; a bar whose failure took service
    below the SLO ends in a dark mark (a single point of failure). ``top`` rows (None: every row);
    ``graph`` names the nodes by their labels, each cut to ``name_chars`` beside its bar (a long name
    would squash the bars; the hover has it whole).
    """
    rows = _rows(table)[: top if top else None]
    rows.reverse()  # plotly draws the first category at the bottom: the worst goes on top
    names = [_name(graph, r["target"]) for r in rows]
    fig = go.Figure(layout=frame_layout(title, height=height or max(160, 60 + BAR_ROW * len(rows))))
    fig.add_bar(
        x=[r["exposure_index"] for r in rows],
        y=names,
        orientation="h",
        marker={"color": [VERDICT_COLOURS.get(r["verdict"], MUTED) for r in rows], "line": {"width": 0}},
        text=[f"{r['exposure_index']:.2f}" for r in rows],
        textposition="outside",
        cliponaxis=False,
        customdata=[
            [
                r["kind"],
                r["verdict"],
                r["resilience_loss"],
                pct_text(r["blast_radius"]),
                r["secondary_failures"],
                pct_text(r["service_level_min"]),
                "yes" if r["single_point_of_failure"] else "no",
            ]
            for r in rows
        ],
        hovertemplate=(
            "<b>%{y}</b> (%{customdata[0]})<br>verdict %{customdata[1]}<br>exposure %{x:.2f}, "
            "loss %{customdata[2]:.1f}<br>blast radius %{customdata[3]}, "
            "%{customdata[4]} secondary failures<br>lowest service %{customdata[5]}<br>"
            "below the SLO: %{customdata[6]}<extra></extra>"
        ),
        name="exposure",
    )
    spof = [(r["exposure_index"], n) for r, n in zip(rows, names) if r["single_point_of_failure"]]
    if spof:
        fig.add_scatter(
            x=[x for x, _ in spof],
            y=[n for _, n in spof],
            mode="markers",
            marker={"symbol": "line-ns", "size": 14, "line": {"width": 3, "color": INK}},
            name="below the SLO",
            hoverinfo="skip",
        )
    fig.update_layout(
        hovermode="closest",
        bargap=0.25,
        margin={"l": 8, "r": 40, "t": 30, "b": 30},
        xaxis={"range": [0, 1.12], "tickformat": ".1f", "gridcolor": GRID, "zeroline": False},
        yaxis={
            "automargin": True,
            "ticks": "",
            "type": "category",
            # the categories stay the whole names, so two names alike in their first characters
            # keep a bar each
            "tickvals": names,
            "ticktext": [short_label(n, name_chars) for n in names],
        },
    )
    return fig


def _outage(table, outage: Mapping | None) -> Mapping | None:
    return outage if outage is not None else getattr(table, "outage", None)


def quadrant_points(table, outage: Mapping | None = None) -> list[dict]:
    """One point per criticality row: ``x`` the node's time down (steps it was failed or recovering,
    the row's ``time_down``; for a row without it, its own ``ttr``, else the outage's duration), ``y``
    the business's time to survive (steps until
    service fell below the SLO; None: it never did) and ``outlasts``, whether the business got through
    the outage without falling below the SLO at all. Simchi-Levi's test (time to survive at least the
    time to recover, above the diagonal) is not enough here: where lead times deliver the hit after the
    node is back, service falls all the same, so a point above the line is no safe node.
    """
    outage = _outage(table, outage) or {}
    own = outage.get("ttr") or {}
    points = []
    for r in _rows(table):
        x = r["time_down"] if "time_down" in r else own.get(r["target"], outage.get("duration"))
        y = r["time_to_survive"]
        points.append({"target": r["target"], "verdict": r["verdict"], "x": x, "y": y, "outlasts": y is None})
    return points


def quadrant(
    table,
    slo: float | None = None,
    *,
    outage: Mapping | None = None,
    graph: nx.DiGraph | None = None,
    unit: str = "step",
    label: int = 6,
    height: int | None = None,
    title: str = QUADRANT_TITLE,
    plot: tuple[float, float] | None = None,
) -> go.Figure:
    """Simchi-Levi's view of the criticality table: each node at (its time to recover, the business's
    time to survive it). Below the diagonal the business falls below the SLO (``slo``, named on the
    axis) before the node is back; above it service held longer than the node was down, and may still
    have fallen once the hit came down lead times. A failure the business never felt sits on the top
    line, "never": only those it outlasts. Nodes at the same point share one marker, sized by how
    many they are; the ``label`` worst that the business cannot outlast are named. ``outage`` is the
    table's own (:class:`~augur.analysis.criticality.Criticality` carries it) unless given. The
    names are placed clear of each other in a plot of ``plot`` px (width, height), the smallest the
    figure is drawn in (:data:`QUADRANT_PLOT`, the app's, unless given).
    """
    points = quadrant_points(table, outage)
    known = [p for p in points if p["x"] is not None]
    xs = [p["x"] for p in known] or [1]
    ys = [p["y"] for p in known if p["y"] is not None]
    top = max([*xs, *ys, 1]) * 1.25
    never = top * 0.96  # where a failure that never took service below the SLO is drawn
    fig = go.Figure(layout=frame_layout(title, height=height))
    _quadrant_region(fig, top)
    groups: dict[tuple, list[dict]] = {}
    for p in known:
        groups.setdefault((p["x"], never if p["y"] is None else p["y"], p["verdict"]), []).append(p)
    largest = max((len(members) for members in groups.values()), default=1)
    counts = {v: sum(len(m) for k, m in groups.items() if k[2] == v) for v in VERDICTS}
    drawn = [v for v in VERDICTS if counts[v]]
    # the verdict of most nodes first, so where two share a point the fewer sit on top of the more
    for verdict in sorted(drawn, key=lambda v: -counts[v]):
        keys = [k for k in groups if k[2] == verdict]
        fig.add_scatter(
            x=[k[0] for k in keys],
            y=[k[1] for k in keys],
            mode="markers",
            name=verdict,
            legendrank=1000 + drawn.index(verdict),  # the legend keeps the verdicts' order
            cliponaxis=False,  # a large marker on the "never" line is drawn whole, not cut by the frame
            marker={
                "color": VERDICT_COLOURS[verdict],
                "size": [_marker_size(len(groups[k]), largest) for k in keys],
                "line": {"color": "white", "width": 1},
                "opacity": 0.9,
            },
            text=[_point_names(graph, groups[k]) for k in keys],
            hovertemplate="%{text}<br>down %{x}, survived %{customdata}<extra></extra>",
            customdata=["-" if groups[k][0]["y"] is None else f"{groups[k][0]['y']}" for k in keys],
        )
    for p, box in _named_points(groups, graph, label, top, plot or QUADRANT_PLOT):
        fig.add_annotation(
            xref="x",
            yref="y",
            x=p["x"],
            y=never if p["y"] is None else p["y"],
            text=short_label(_name(graph, p["target"]), LABEL_CHARS),
            showarrow=False,
            font={"size": 10, "color": INK},
            **placed_annotation(box),
        )
    _quadrant_axes(fig, top, never, slo, unit)
    return fig


def _marker_size(count: int, largest: int) -> float:
    """A quadrant marker's size for ``count`` nodes at one point: 9 px for one, its area growing with
    the nodes beyond it, 30 px for the ``largest`` group (or for 8 nodes, when every group is smaller).

    >>> _marker_size(1, 1500), _marker_size(1500, 1500), round(_marker_size(500, 1500), 1)
    (9.0, 30.0, 21.1)
    """
    return 9 + 21 * ((count - 1) / max(largest - 1, 7)) ** 0.5


def _quadrant_region(fig: go.Figure, top: float) -> None:
    """The shaded triangle below the diagonal, where time to survive < time to recover, and its
    legend entry.
    Each item names its axes: a figure placed on the dashboards' canvas moves onto other axes, where
    an item without them would be read as the whole picture."""
    fig.add_shape(  # service falls before the node is back: time to survive < time down
        type="path",
        xref="x",
        yref="y",
        path=f"M 0 0 L {top} {top} L {top} 0 Z",
        fillcolor=SHOCK_FILL,
        line={"width": 0},
        layer="below",
    )
    fig.add_shape(
        type="line",
        xref="x",
        yref="y",
        x0=0,
        y0=0,
        x1=top,
        y1=top,
        line={"color": MUTED, "width": 1, "dash": "dot"},
    )
    fig.add_scatter(  # named in the legend, where no point can sit on the words
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": "square", "size": 12, "color": "rgba(97, 110, 124, 0.3)"},
        name=QUADRANT_BELOW,
        hoverinfo="skip",
    )


def _quadrant_axes(fig: go.Figure, top: float, never: float, slo: float | None, unit: str) -> None:
    """The quadrant's square axes up to ``top``, the "never" line at ``never``, and its legend."""
    slo_text = f" below {pct_text(slo)}" if slo is not None else " below the SLO"
    # a little room below zero on both axes, so a marker at 0 sits whole inside the frame, clear of
    # the tick labels (the markers are not cut by the frame)
    start = -top * 0.04
    fig.update_layout(
        hovermode="closest",
        showlegend=True,
        legend={**BOTTOM_LEGEND, "y": -0.2},
        margin={"l": 56, "r": 16, "t": 30, "b": 70},
        xaxis={
            "title": {"text": node_down_axis_text(unit), "font": {"size": 11}},
            "range": [start, top],
            "gridcolor": GRID,
            "zeroline": False,
        },
        yaxis={
            "title": {"text": f"time to survive ({unit}s until{slo_text})", "font": {"size": 11}},
            "range": [start, top],
            "gridcolor": GRID,
            "zeroline": False,
            "tickvals": [*_ticks(top * 0.8), never],
            "ticktext": [*[f"{t:g}" for t in _ticks(top * 0.8)], "never"],
        },
    )


# The smallest plot the quadrant is drawn in, px: the Weak points view's card at 1280x800.
QUADRANT_PLOT = (220.0, 150.0)
_RIGHT_FIRST = ("right", "left", "above", "below")
_LEFT_FIRST = ("left", "right", "above", "below")


def quadrant_pixels(x: float, y: float, top: float, plot=QUADRANT_PLOT) -> tuple[float, float]:
    """Where the quadrant's point ``(x, y)`` sits in a plot of ``plot`` px (y up)."""
    start = -top * 0.04
    width, height = plot
    return (x - start) / (top - start) * width, (y - start) / (top - start) * height


def _named_points(
    groups: Mapping[tuple, list[dict]], graph, most: int, top: float, plot
) -> list[tuple[dict, Any]]:
    """The worst ``most`` points the business cannot outlast that can be named clear of every other
    name and marker (:func:`augur.figures.labels.place`), one name to a marker, each with its box;
    the rest are left to their hover. A name goes to the left of a point in the right part, so it
    never runs past the plot."""
    largest = max((len(m) for m in groups.values()), default=1)
    markers = []
    for (x, y, _), members in groups.items():
        markers.append(marker_box(*quadrant_pixels(x, y, top, plot), _marker_size(len(members), largest)))
    named = []  # the groups keep the table's order, worst first
    for p in (m[0] for m in groups.values() if not m[0]["outlasts"]):
        if len(named) >= most:
            break
        px, py = quadrant_pixels(p["x"], p["y"], top, plot)
        text = short_label(_name(graph, p["target"]), LABEL_CHARS)
        sides = _LEFT_FIRST if p["x"] > top * 0.55 else _RIGHT_FIRST
        box = place([(px, py, text)], plot, sides, [*markers, *(b for _, b in named)])[0]
        if box is not None:
            named.append((p, box))
    return named


def _ticks(top: float) -> list[float]:
    """Round ticks from 0 to about ``top``, four or five of them."""
    raw = max(top / 4, 1e-9)
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [float(i * step) for i in range(int(top // step) + 1)]


def _point_names(G: nx.DiGraph | None, group: Sequence[dict]) -> str:
    names = [_name(G, p["target"]) for p in group]
    shown = ", ".join(names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def service_bands(
    bands,
    slo: float,
    *,
    unit: str = "step",
    height: int | None = None,
    title: str = "Service level of the random drills: p5, median, p95",
) -> go.Figure:
    """The random-shock drills' service level over time: the band from p5 to p95 shaded, the median a
    line, the SLO dotted. ``bands`` is ``{"p5", "p50", "p95"}`` (one value per step), or a
    :class:`~augur.analysis.random_shocks.MonteCarloResult`.
    """
    bands = getattr(bands, "service_level_bands", bands)
    steps = np.arange(len(bands["p50"]))
    colour = SERIES_COLOURS[0]
    fig = go.Figure(layout=frame_layout(title, height=height))
    fig.add_scatter(x=steps, y=bands["p95"], mode="lines", line={"width": 0}, name="p95", showlegend=False)
    fig.add_scatter(
        x=steps,
        y=bands["p5"],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(0, 114, 178, 0.18)",
        name="p5 to p95",
    )
    fig.add_scatter(x=steps, y=bands["p50"], mode="lines", line={"color": colour, "width": 2}, name="median")
    fig.add_scatter(
        x=steps,
        y=bands["p5"],
        mode="lines",
        line={"color": colour, "width": 1, "dash": "dot"},
        name="p5",
        showlegend=False,
    )
    shape, label = hline(slo, f"SLO {pct_text(slo)}", SLO_COLOUR, dash="dot", below=True)
    low = min(min(bands["p5"]), slo)
    fig.update_layout(
        shapes=[shape],
        annotations=[label],
        showlegend=True,
        legend={**BOTTOM_LEGEND, "y": -0.18},
        margin={"l": 44, "r": 12, "t": 30, "b": 56},
        xaxis={
            "title": {"text": unit, "font": {"size": 11}},
            "range": [0, max(1, len(steps) - 1)],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "range": [max(0.0, low - 0.08), 1.03],
            "tickformat": ".0%",
            "gridcolor": GRID,
            "zeroline": False,
        },
    )
    return fig


def verdict_chances(
    verdicts,
    intervals: Mapping | None = None,
    *,
    height: int | None = None,
    title: str = "Chance of each verdict, with its 95% interval",
) -> go.Figure:
    """How often the random drills ended in each verdict, as bars with the 95% interval as whiskers.
    ``verdicts`` are counts per verdict with ``intervals`` beside them, or a
    :class:`~augur.analysis.random_shocks.MonteCarloResult`.
    """
    if intervals is None:
        verdicts, intervals = verdicts.verdicts, verdicts.intervals
    runs = sum(verdicts.values()) or 1
    order = [v for v in VERDICTS if v in verdicts]
    share = [verdicts[v] / runs for v in order]
    low = [intervals[v][0] for v in order]
    high = [intervals[v][1] for v in order]
    fig = go.Figure(layout=frame_layout(title, height=height))
    fig.add_bar(
        x=order,
        y=share,
        marker={"color": [VERDICT_COLOURS[v] for v in order], "line": {"width": 0}},
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [h - s for h, s in zip(high, share)],
            "arrayminus": [s - lo for s, lo in zip(share, low)],
            "color": INK,
            "thickness": 1.2,
            "width": 6,
        },
        customdata=[[verdicts[v], pct_text(lo), pct_text(h)] for v, lo, h in zip(order, low, high)],
        hovertemplate=(
            "<b>%{x}</b>: %{customdata[0]} of " + f"{runs:,}" + " drills<br>95% interval "
            "%{customdata[1]} to %{customdata[2]}<extra></extra>"
        ),
        name="chance",
    )
    for verdict, s, h in zip(order, share, high):  # above the whisker, where no line crosses the figure
        fig.add_annotation(
            xref="x",
            yref="y",
            x=verdict,
            y=h,
            text=pct_text(s),
            yanchor="bottom",
            showarrow=False,
            font={"size": 12},
        )
    fig.update_layout(
        hovermode="closest",
        bargap=0.45,
        margin={"l": 44, "r": 12, "t": 30, "b": 24},
        yaxis={"range": [0, 1.12], "tickformat": ".0%", "gridcolor": GRID, "zeroline": False},
        xaxis={"showgrid": False},
    )
    return fig


def _mark_anchors(p50: float, p95: float, low: float, high: float) -> dict[str, tuple[str, int]]:
    """Where the median's and the 95th percentile's labels sit over a histogram spanning ``low`` to
    ``high``: each reads away from the nearer edge of the plot (so a mark near the right edge, p95 at
    the top of the range, is not cut off, and one at the left does not run over the axis' ticks),
    and where the two would overlap (a small chart's label takes about a third of its width: two
    reading towards each other need 70% of it between them, two reading the same way 40%), the
    95th percentile's is lifted a line: ``{key: (xanchor, yshift px)}``.

    >>> _mark_anchors(0.0, 2.0, 1.0, 2.0)["p95"], _mark_anchors(1.0, 2.0, 1.0, 2.0)["p50"]
    (('right', 0), ('left', 0))
    >>> _mark_anchors(0.0, 0.385, 0.0, 0.632)
    {'p50': ('left', 0), 'p95': ('right', 12)}
    """
    span = high - low if high > low else 1.0
    where = {"p50": (p50 - low) / span, "p95": (p95 - low) / span}
    side = {key: "left" if at < 0.5 else "right" for key, at in where.items()}
    need = 0.7 if side["p50"] != side["p95"] else 0.4
    lift = 12 if abs(where["p95"] - where["p50"]) < need else 0
    return {"p50": (side["p50"], 0), "p95": (side["p95"], lift)}


def distribution(
    summary: Mapping | None,
    *,
    title: str,
    x_title: str = "",
    height: int | None = None,
    empty: str = "No drill has this figure.",
) -> go.Figure:
    """One figure of the random drills as a histogram, the 50th and 95th percentiles marked (p50, p95).
    ``summary`` is one of :attr:`MonteCarloResult.distributions` (its ``histogram`` edges and counts,
    ``p50``, ``p95``); ``None`` (a token figure on a graph without AI services) draws ``empty`` instead.
    """
    fig = go.Figure(layout=frame_layout(title, height=height))
    if summary is None:
        fig.add_annotation(
            text=empty, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"color": MUTED}
        )
        fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
        return fig
    edges = np.asarray(summary["histogram"]["edges"], dtype=float)
    counts = summary["histogram"]["counts"]
    centres = (edges[:-1] + edges[1:]) / 2
    widths = np.diff(edges)
    fig.add_bar(
        x=centres,
        y=counts,
        width=widths if float(widths.max()) > 0 else None,
        marker={"color": SERIES_COLOURS[0], "opacity": 0.75, "line": {"width": 0}},
        customdata=np.stack([edges[:-1], edges[1:]], axis=1),
        hovertemplate="%{customdata[0]:.3g} to %{customdata[1]:.3g}: %{y} drills<extra></extra>",
        name="drills",
    )
    shapes, labels = [], []
    anchors = _mark_anchors(summary["p50"], summary["p95"], float(edges[0]), float(edges[-1]))
    for key, dash in (("p50", "solid"), ("p95", "dot")):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": summary[key],
                "x1": summary[key],
                "y0": 0,
                "y1": 1,
                "line": {"color": INK, "width": 1.2, "dash": dash},
            }
        )
        name = key  # p50, as the study's headline names it: the median drill is another figure
        labels.append(
            {
                "x": summary[key],
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "xanchor": anchors[key][0],
                "yshift": anchors[key][1],
                "text": f"{name} {quantile_text(summary[key])}",
                "showarrow": False,
                "font": {"size": 10, "color": INK},
            }
        )
    fig.update_layout(
        shapes=shapes,
        annotations=labels,
        hovermode="closest",
        bargap=0.05,
        margin={"l": 44, "r": 12, "t": 44, "b": 40},
        xaxis={
            "title": {"text": x_title, "font": {"size": 11}},
            # the bins' own span: bar widths and the marks' labels would otherwise widen it
            "range": [float(edges[0]), float(edges[-1])] if edges[-1] > edges[0] else None,
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"title": {"text": "drills", "font": {"size": 11}}, "gridcolor": GRID, "zeroline": False},
    )
    return fig


def _stepped(colours: Sequence[str]) -> list:
    """A plotly colour scale that is ``colours`` in equal bands, one per whole value 0..n-1."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _whole_ticks(values: Sequence[float]) -> dict:
    """An axis of whole numbers (steps of stock, a duration) ticks at whole numbers only, a round step
    apart, where plotly's own choice can fall on halves of a step; other axes keep plotly's.

    >>> _whole_ticks([0, 1, 2, 3]), _whole_ticks(list(range(0, 41, 2)))["dtick"], _whole_ticks([0.5, 1])
    ({'tick0': 0, 'dtick': 1, 'tickformat': 'd'}, 10, {})
    """
    if not values or not all(float(v).is_integer() for v in values):
        return {}
    span = max(values) - min(values)
    step = max(1, int(_ticks(span)[1])) if span else 1  # _ticks' step, 0.5 and below made 1
    return {"tick0": int(min(values)), "dtick": step, "tickformat": "d"}


def _boundary_line(fig: go.Figure, data: Mapping) -> None:
    """The boundary over a tipping heatmap, and a legend of the cells' colours below it."""
    held = [b for b in data["boundary"] if b["lever_value"] is not None]
    low, high = min(data["lever_values"]), max(data["lever_values"])
    fig.add_scatter(  # a least past the grid's end (found beyond it, to the lever's bound) at that end
        x=[min(max(b["lever_value"], low), high) for b in held],
        y=[b["shock_value"] for b in held],
        customdata=[b["lever_value"] for b in held],
        mode="lines+markers",
        line={"color": INK, "width": 2, "shape": "linear"},
        marker={"color": "white", "size": 7, "line": {"color": INK, "width": 2}},
        name=f"least that {tipping_goal_text(data)}",
        hovertemplate=(
            f"{data['shock_field']} %{{y}}: {data['goal']} from {data['lever']} %{{customdata}}"
            "<extra></extra>"
        ),
    )
    for verdict in VERDICTS:  # the legend of the cells' colours
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 12, "color": VERDICT_COLOURS[verdict]},
            name=verdict,
        )


def tipping_heatmap(
    grid,
    *,
    lever_title: str | None = None,
    shock_title: str | None = None,
    height: int | None = None,
    title: str = "Verdict of each drill on the grid",
) -> go.Figure:
    """A tipping grid as a heatmap: the lever along x, the shock field up y, each cell coloured by its
    verdict (losses on hover), and the boundary, the least lever value that holds the goal at each
    shock value, as a line over it. ``grid`` is a :class:`~augur.analysis.tipping.TippingResult` or its
    :meth:`~augur.analysis.tipping.TippingResult.to_dict`.

    >>> grid = {"lever": "buffer", "shock_field": "duration", "lever_values": [0, 1, 2],
    ...         "shock_values": [1, 2], "goal": "graceful", "boundary": [
    ...         {"shock_value": 1, "lever_value": 1}, {"shock_value": 2, "lever_value": 2}],
    ...         "cells": [{"lever_value": v, "shock_value": s, "resilience_loss": max(0, s - v),
    ...                    "verdict": "graceful" if v >= s else "degraded"}
    ...                   for s in (1, 2) for v in range(3)]}
    >>> fig = tipping_heatmap(grid)
    >>> [list(row) for row in fig.data[0].z], list(fig.data[1].x)
    ([[1, 0, 0], [1, 1, 0]], [1, 2])
    """
    data = grid.to_dict() if hasattr(grid, "to_dict") else dict(grid)
    lever_values, shock_values = list(data["lever_values"]), list(data["shock_values"])
    by = {(c["shock_value"], c["lever_value"]): c for c in data["cells"]}
    cells = [[by[(s, v)] for v in lever_values] for s in shock_values]
    fig = go.Figure(layout=frame_layout(title, height=height))
    fig.add_heatmap(
        x=lever_values,
        y=shock_values,
        z=[[VERDICT_RANK[c["verdict"]] for c in row] for row in cells],
        zmin=-0.5,
        zmax=len(VERDICTS) - 0.5,
        colorscale=_stepped([VERDICT_COLOURS[v] for v in VERDICTS]),
        showscale=False,
        xgap=1,
        ygap=1,
        customdata=[[[c["verdict"], c["resilience_loss"]] for c in row] for row in cells],
        hovertemplate=(
            f"{data['lever']} %{{x}}, {data['shock_field']} %{{y}}<br>"
            "<b>%{customdata[0]}</b>, resilience loss %{customdata[1]:.1f}<extra></extra>"
        ),
        name="verdicts",
    )
    _boundary_line(fig, data)
    fig.update_layout(
        hovermode="closest",
        showlegend=True,
        legend={**BOTTOM_LEGEND, "y": -0.17},
        margin={"l": 56, "r": 12, "t": 30, "b": 96},
        xaxis={
            "title": {"text": lever_title or data["lever"], "font": {"size": 11}},
            "showgrid": False,
            "zeroline": False,
            **_whole_ticks(lever_values),
        },
        yaxis={
            "title": {"text": shock_title or data["shock_field"], "font": {"size": 11}},
            "showgrid": False,
            "zeroline": False,
            **_whole_ticks(shock_values),
        },
    )
    return fig
