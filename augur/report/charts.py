"""Plotly figures for review packs: the network at one step, before/after overlays, and the one-image
dashboards that the PNG export renders.

The time series are the app's own (:mod:`augur.figures`), so a chart in a pack looks like the chart on
screen, with two changes for paper: legends sit below the plot with full names (:func:`pack_chart`),
and the tokens chart always shows the services that matter for cost and risk
(:func:`pack_tokens_figure`). The dashboards place them beside the network, the header and the KPI
cards in one figure that kaleido renders without a Dash server or a browser session.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> fig = network_figure(augur.simulate(scenario.graph, scenario), step=35)  # doctest: +SKIP
>>> sorted({t.name for t in fig.data if t.showlegend})  # doctest: +SKIP
['failed', 'ok', ...]
"""

from __future__ import annotations

import copy
import math
import re
import textwrap
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from augur.drawing import edge_curve, layered_drawing
from augur.drill import DrillResult
from augur.engine import Status
from augur.figures import quality_figure, service_level_figure, tokens_figure
from augur.report.facts import (
    COST_LABEL,
    compare_facts,
    findings,
    key_finding,
    kpi_cards,
    node_name,
    pct_text,
    provenance,
    shock_sentences,
    verdict_sentence,
    worst_step,
)
from augur.style import (
    AFTER_COLOUR,
    BADGE_TEXT,
    BEFORE_COLOUR,
    CARD_FILL,
    CARD_LINE,
    DOWN_EDGE,
    EDGE,
    FONT,
    GRID,
    INK,
    KIND_GREY,
    KIND_LABELS,
    KIND_SYMBOLS,
    MUTED,
    SHOCK_FILL,
    SLO_COLOUR,
    STATUS_COLOURS,
    TONE_COLOURS,
    VERDICT_COLOURS,
)

__all__ = [
    "KIND_SYMBOLS",
    "PNG_SIZE",
    "compare_figure",
    "compare_service_figure",
    "compare_tokens_figure",
    "network_figure",
    "pack_chart",
    "pack_tokens_figure",
    "review_figure",
]

PNG_SIZE = (1600, 1000)
LABEL_LIMIT = 40  # above this many nodes, only shocked and first-failed nodes are labelled
ARROW_LIMIT = 80  # above this many edges, edges are plain lines without arrow heads


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


def _network_parts(
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
    legend entries what it draws needs (see :func:`_legend_traces`)."""
    G = result.graph
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    # The app's layered layout and bends, so the pack's network reads like the one on screen.
    drawing = layered_drawing(G)
    pos, bends = drawing.positions, drawing.bends
    n, m = G.number_of_nodes(), G.number_of_edges()
    status = traj.status[step]
    hit_nodes, hit_edges = _active_targets(result, step)
    down = {v for v in traj.nodes if status[index[v]] in (Status.FAILED, Status.RECOVERING)}

    size = (22 if n <= LABEL_LIMIT else 12 if n <= 300 else 6) * marker_scale
    ring = (3.5 if n <= LABEL_LIMIT else 2.0 if n <= 300 else 1.5) * marker_scale
    xs = np.array([pos[v][0] for v in traj.nodes], dtype=float)
    ys = -np.array([pos[v][1] for v in traj.nodes], dtype=float)  # cytoscape's y grows downwards
    xy = {v: (xs[i], ys[i]) for i, v in enumerate(traj.nodes)}

    traces: list = []
    annotations: list = []
    labels: list = []
    entries: list = []
    # Edges: grey; out of a node that is down, in the failed colour; under an active bottleneck, dark dashed.
    groups = {"normal": [], "down": [], "hit": []}
    for u, v in G.edges:
        key = "hit" if (u, v) in hit_edges else ("down" if u in down else "normal")
        groups[key].append((u, v))
    styles = {
        "normal": {"color": EDGE, "width": 1.2 if n <= 300 else 0.5, "dash": "solid"},
        "down": {"color": DOWN_EDGE, "width": 1.8 if n <= 300 else 0.8, "dash": "dot"},
        "hit": {"color": INK, "width": 2.0, "dash": "dash"},
    }
    for key, edges in groups.items():
        if not edges:
            continue
        if key != "normal":
            entries.append(("edge", key))
        style = styles[key]
        if m <= ARROW_LIMIT:
            # A bent edge: its curve as a line up to where the arrow takes over for the last stretch
            # (an annotation's arrow is straight), drawn solid as the arrows are.
            cx: list = []
            cy: list = []
            for u, v in edges:
                (x0, y0), (x1, y1) = xy[u], xy[v]
                if (u, v) in bends:
                    curve = _curve(pos, u, v, bends[u, v])
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
                        "xref": xaxis,
                        "yref": yaxis,
                        "axref": xaxis,
                        "ayref": yaxis,
                        "showarrow": True,
                        "arrowhead": 2,
                        "arrowsize": 1.1,
                        "arrowwidth": style["width"],
                        "arrowcolor": style["color"],
                        "standoff": size / 2 + 2,
                        "startstandoff": 0 if (u, v) in bends else size / 2 + 1,
                        "text": "",
                    }
                )
            if cx:
                traces.append(
                    go.Scatter(
                        x=cx,
                        y=cy,
                        mode="lines",
                        line={**style, "dash": "solid"},
                        hoverinfo="skip",
                        showlegend=False,
                        opacity=0.9,
                        xaxis=xaxis,
                        yaxis=yaxis,
                    )
                )
        else:
            ex, ey = [], []
            for u, v in edges:
                if (u, v) in bends:
                    curve = _curve(pos, u, v, bends[u, v])
                    ex += [*curve[:, 0].tolist(), None]
                    ey += [*curve[:, 1].tolist(), None]
                else:
                    (x0, y0), (x1, y1) = xy[u], xy[v]
                    ex += [x0, x1, None]
                    ey += [y0, y1, None]
            traces.append(
                go.Scatter(
                    x=ex,
                    y=ey,
                    mode="lines",
                    line=style,
                    hoverinfo="skip",
                    name={"normal": "supply link", "down": "supply cut", "hit": "bottleneck"}[key],
                    showlegend=False,
                    opacity=0.5 if key == "normal" and n > 300 else 0.9,
                    xaxis=xaxis,
                    yaxis=yaxis,
                )
            )

    labelled: set = set()
    if n <= LABEL_LIMIT:
        labelled = set(traj.nodes)
    else:
        primary = set(result.metrics["primary"])
        first_failed = sorted(
            (v for v in traj.nodes if v not in primary and (traj.status[:, index[v]] == Status.FAILED).any()),
            key=lambda v: int(np.argmax(traj.status[:, index[v]] == Status.FAILED)),
        )
        span = (float(xs.max() - xs.min()) or 1.0, float(ys.max() - ys.min()) or 1.0)
        for v in [*first_failed, *sorted(hit_nodes, key=str)]:
            x, y = xy[v]
            crowded = any(
                abs(x - xy[w][0]) < 0.12 * span[0] and abs(y - xy[w][1]) < 0.06 * span[1] for w in labelled
            )
            if not crowded:
                labelled.add(v)
            if len(labelled) >= 5:
                break

    # Nodes: one trace per status, so the colours are the app's and the legend explains them.
    tokens0 = traj.tokens[0]
    for label in ("ok", "degraded", "throttled", "recovering", "failed"):
        code = Status[label.upper()]
        members = [v for v in traj.nodes if status[index[v]] == code]
        if not members:
            continue
        entries.append(("status", label))
        cols = [index[v] for v in members]
        hover = []
        for v, c in zip(members, cols):
            kind = G.nodes[v]["kind"]
            line = f"<b>{node_name(G, v)}</b><br>{KIND_LABELS.get(kind, kind)} · {label}"
            line += f"<br>output {traj.output[step, c]:.0%} · quality {traj.quality[step, c]:.0%}"
            if kind == "ai_service" and tokens0[c] > 0:
                line += f"<br>tokens {traj.tokens[step, c] / tokens0[c]:.2f}× baseline"
            hover.append(line)
        traces.append(
            go.Scatter(
                x=xs[cols],
                y=ys[cols],
                mode="markers",
                hovertext=hover,
                hoverinfo="text",
                marker={
                    "size": size,
                    "color": STATUS_COLOURS[label],
                    "symbol": [KIND_SYMBOLS.get(G.nodes[v]["kind"], "circle") for v in members],
                    "line": {
                        "color": [INK if v in hit_nodes else "white" for v in members],
                        "width": [ring if v in hit_nodes else (1.2 if n <= 300 else 0.5) for v in members],
                    },
                },
                name=label,
                showlegend=False,
                xaxis=xaxis,
                yaxis=yaxis,
                cliponaxis=False,
            )
        )
    # Labels as annotations on a white ground, drawn over the links that pass behind them.
    for v in traj.nodes:
        if v in labelled:
            x, y = xy[v]
            labels.append(
                {
                    "x": x,
                    "y": y,
                    "xref": xaxis,
                    "yref": yaxis,
                    "yshift": -(size / 2 + 2),
                    "yanchor": "top",
                    "xanchor": "center",
                    "text": _wrap(node_name(G, v), label_width, lines=3),
                    "showarrow": False,
                    "font": {"size": font_size, "color": INK, "family": FONT},
                    "bgcolor": "rgba(255,255,255,0.85)",
                    "borderpad": 1,
                }
            )
    if hit_nodes:
        entries.append(("shocked", "shocked"))
    entries += [("kind", kind) for kind in dict.fromkeys(G.nodes[v]["kind"] for v in traj.nodes)]
    span_x = float(xs.max() - xs.min()) if n > 1 else 1.0
    span_y = float(ys.max() - ys.min()) if n > 1 else 1.0
    pad_x = max(span_x * 0.06, 70.0)
    pad_top = max(span_y * 0.06, 30.0)
    pad_bottom = max(span_y * 0.08, 55.0 if n <= LABEL_LIMIT else 30.0)
    low, high = float(ys.min()) - pad_bottom, float(ys.max()) + pad_top
    for (u, v), bend in bends.items():  # a curve round a node in the top or bottom row
        curve = _curve(pos, u, v, bend)[:, 1]
        low, high = min(low, float(curve.min()) - 10.0), max(high, float(curve.max()) + 10.0)
    return (
        traces,
        annotations + labels,
        (float(xs.min()) - pad_x, float(xs.max()) + pad_x),
        (low, high),
        entries,
    )


_ENTRY_ORDER = {
    "edge": ("down", "hit"),
    "status": ("ok", "degraded", "throttled", "recovering", "failed"),
    "shocked": ("shocked",),
    "kind": tuple(KIND_SYMBOLS),
}


def _legend_traces(
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


def _hidden_axis(rng: tuple, domain: Sequence[float] | None = None, anchor: str | None = None) -> dict:
    axis = {"visible": False, "range": list(rng), "fixedrange": True, "showgrid": False, "zeroline": False}
    if domain is not None:
        axis["domain"] = list(domain)
    if anchor is not None:
        axis["anchor"] = anchor
    return axis


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
    traces, annotations, xr, yr, entries = _network_parts(result, step)
    unit = result.scenario.step_unit
    level = result.service_level[step]
    fig = go.Figure(data=traces + _legend_traces(entries))
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
        xaxis=_hidden_axis(xr),
        yaxis=_hidden_axis(yr),
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        hovermode="closest",
        width=width,
        height=height,
    )
    return fig


def _overlay_layout(before: DrillResult, title: str, height: int | None) -> dict:
    steps = max(before.trajectory.steps, 2)
    return {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 12},
        },
        "font": {"family": FONT, "size": 11, "color": INK},
        "margin": {"l": 44, "r": 12, "t": 30, "b": 24},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "height": height,
        "xaxis": {
            "range": [0, steps - 1],
            "showgrid": False,
            "zeroline": False,
            "linecolor": GRID,
            "ticks": "outside",
            "tickcolor": GRID,
        },
        "yaxis": {"gridcolor": GRID, "zeroline": False, "linecolor": GRID},
        "legend": {
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 11},
        },
        "showlegend": True,
    }


def _shock_bands(result: DrillResult) -> list[dict]:
    last = result.trajectory.steps - 1
    return [
        {
            "type": "rect",
            "name": "shock",
            "xref": "x",
            "yref": "paper",
            "x0": s.start - 0.5,
            "x1": min(s.end, last + 1) - 0.5,
            "y0": 0,
            "y1": 1,
            "fillcolor": SHOCK_FILL,
            "line": {"width": 0},
            "layer": "below",
        }
        for s in result.scenario.shocks
    ]


def _pair_names(before: DrillResult, after: DrillResult) -> tuple[str, str]:
    return (f"before: {before.metrics['verdict']}", f"after: {after.metrics['verdict']}")


def compare_service_figure(
    before: DrillResult, after: DrillResult, *, height: int | None = None
) -> go.Figure:
    """Both drills' service level on one chart, against the SLO: how a team shows a mitigation works.

    The before drill is a dashed reddish-purple line, the after drill a solid blue one; the shaded
    bands are the before drill's shocks (the after drill's too, when they differ).
    """
    fig = go.Figure(layout=_overlay_layout(before, "Service level vs SLO, before and after", height))
    name_b, name_a = _pair_names(before, after)
    for result, name, colour, dash in (
        (before, name_b, BEFORE_COLOUR, "dash"),
        (after, name_a, AFTER_COLOUR, "solid"),
    ):
        fig.add_scatter(
            x=np.arange(result.trajectory.steps),
            y=result.service_level,
            mode="lines",
            name=name,
            line={"color": colour, "width": 2.6, "dash": dash},
            hovertemplate="%{y:.0%}",
        )
    shapes = _shock_bands(before)
    if [s.to_dict() for s in before.scenario.shocks] != [s.to_dict() for s in after.scenario.shocks]:
        shapes += _shock_bands(after)
    slos = dict.fromkeys((before.scenario.slo, after.scenario.slo))
    for slo in slos:
        shapes.append(
            {
                "type": "line",
                "name": "reference",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": slo,
                "y1": slo,
                "line": {"color": SLO_COLOUR, "width": 1.2, "dash": "dot"},
                "layer": "below",
            }
        )
        fig.add_annotation(
            text=f"SLO {slo:.0%}",
            xref="paper",
            yref="y",
            x=0,
            y=slo,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 10, "color": SLO_COLOUR},
        )
    fig.update_layout(shapes=shapes)
    fig.update_yaxes(range=[0, 1.08], tickformat=".0%", dtick=0.25)
    return fig


def compare_tokens_figure(before: DrillResult, after: DrillResult, *, height: int | None = None) -> go.Figure:
    """Both drills' total tokens per step as a multiple of each one's baseline."""
    fig = go.Figure(layout=_overlay_layout(before, "Tokens vs baseline, before and after", height))
    name_b, name_a = _pair_names(before, after)
    peak = 1.0
    for result, name, colour, dash in (
        (before, name_b, BEFORE_COLOUR, "dash"),
        (after, name_a, AFTER_COLOUR, "solid"),
    ):
        G = result.graph
        traj = result.trajectory
        ai = [i for i, v in enumerate(traj.nodes) if G.nodes[v]["kind"] == "ai_service"]
        if not ai:
            continue
        total = traj.tokens[:, ai].sum(axis=1)
        multiple = total / max(float(total[0]), 1e-12)
        peak = max(peak, float(multiple.max()))
        fig.add_scatter(
            x=np.arange(traj.steps),
            y=multiple,
            mode="lines",
            name=name,
            line={"color": colour, "width": 2.4, "dash": dash},
            hovertemplate="%{y:.2f}×",
        )
    fig.update_layout(shapes=_shock_bands(before))
    fig.update_yaxes(range=[0, peak * 1.15], ticksuffix="×")
    return fig


# -- the pack's time series ----------------------------------------------------------------------------

LEGEND_ROW = 18  # px a row of a chart legend takes
CHART_AXIS = 32  # px below a dashboard chart's plot for its tick labels and axis title
SWATCH = 45  # px a legend entry takes besides its text (plotly: 40 to the text, 5 between entries)
CHAR = 5.4  # px a character of 11 px legend text takes, about (a little over, so rows are not missed)


def pack_tokens_figure(
    result: DrillResult, step: int | None = None, *, top: int = 2, height: int | None = None
) -> go.Figure:
    """Tokens per step as a multiple of baseline, as the pack shows them: the app's chart
    (:func:`augur.figures.tokens_figure`, with the services that matter for cost and risk), every
    service named in full."""
    return pack_chart(tokens_figure(result, step, top=top, height=height, full_names=True), result)


def _full_names(fig: go.Figure, result: DrillResult) -> None:
    """Undo the app's shortening of legend names ('Veritas identity-da…') where the label it was cut
    from is unambiguous: a pack's legend sits below the chart, with room for the whole name."""
    labels = [node_name(result.graph, v) for v in result.graph.nodes]
    for trace in fig.data:
        name = trace.name or ""
        if name.endswith("…"):
            matches = [label for label in labels if label.startswith(name[:-1])]
            if len(matches) == 1:
                trace.name = matches[0]


def _y_top(fig: go.Figure) -> float | None:
    """The top of the y range the data and reference lines need, without room left for a legend
    inside the plot (the pack puts legends outside it)."""
    if fig.layout.yaxis.tickformat == ".0%":
        return 1.08
    top = 1.0
    for trace in fig.data:
        values = np.asarray([y for y in (() if trace.y is None else trace.y) if y is not None], dtype=float)
        if values.size and np.isfinite(values).any():
            top = max(top, float(np.nanmax(values)))
    for shape in fig.layout.shapes:
        if shape.yref == "y" and shape.y0 is not None:
            top = max(top, float(shape.y0))
    return top * 1.12


def legend_rows(names: Sequence[str], width: float) -> int:
    """Rows a horizontal legend of ``names`` takes in ``width`` px, estimated from the text the way
    plotly lays one out: one row when every entry fits side by side, else a grid whose columns are as
    wide as the widest entry."""
    if not names:
        return 0
    widths = [SWATCH + CHAR * len(name) for name in names]
    if sum(widths) <= width:
        return 1
    per_row = max(1, int(width // max(widths)))
    return math.ceil(len(names) / per_row)


def pack_chart(fig: go.Figure, result: DrillResult) -> go.Figure:
    """An app chart made for the pack: full names, the legend below the plot (never over the shock
    bands), and the y range the data needs."""
    _full_names(fig, result)
    if fig.layout.yaxis.range is not None and fig.layout.yaxis.visible is not False:
        fig.update_yaxes(range=[0, _y_top(fig)])
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "font": {"size": 11},
            "bgcolor": "rgba(255,255,255,0)",
            "itemwidth": 30,
        }
    )
    return fig


def legend_names(fig: go.Figure) -> list[str]:
    """The names a figure's legend shows."""
    if fig.layout.showlegend is False:
        return []
    return [t.name for t in fig.data if t.showlegend is not False and t.name]


def sized_for_page(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A pack chart at ``width`` x ``height`` px, its bottom margin grown to hold its legend."""
    rows = legend_rows(legend_names(fig), width - 16)
    margin = fig.layout.margin.to_plotly_json()
    margin["b"] = 24 + (LEGEND_ROW * rows + 8 if rows else 0)
    fig.update_layout(width=width, height=height + (LEGEND_ROW * rows if rows else 0), margin=margin)
    return fig


# -- the one-image dashboards ----------------------------------------------------------------------------


class _Canvas:
    """Pixel placement on a fixed-size figure: paper coordinates from pixels measured from the top left."""

    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.fig = go.Figure()
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []
        self.axes = 0

    def x(self, px: float) -> float:
        return px / self.w

    def y(self, px: float) -> float:
        return 1 - px / self.h

    def rect(self, x0, y0, x1, y1, *, fill, line=None, width=1.0, layer="below"):
        self.shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": self.x(x0),
                "x1": self.x(x1),
                "y0": self.y(y1),
                "y1": self.y(y0),
                "fillcolor": fill,
                "line": {"color": line or fill, "width": width if line else 0},
                "layer": layer,
            }
        )

    def text(self, x, y, text, *, size=12, color=INK, anchor="left", valign="top", bold=False, **extra):
        self.annotations.append(
            {
                "text": f"<b>{text}</b>" if bold else text,
                "xref": "paper",
                "yref": "paper",
                "x": self.x(x),
                "y": self.y(y),
                "xanchor": anchor,
                "yanchor": valign,
                "showarrow": False,
                "font": {"size": size, "color": color, "family": FONT},
                "align": anchor if anchor in ("left", "right") else "center",
                **extra,
            }
        )

    def next_axes(self) -> tuple[str, str, str, str]:
        """Names of a fresh x/y axis pair: ('x2', 'y2', 'xaxis2', 'yaxis2')."""
        self.axes += 1
        suffix = "" if self.axes == 1 else str(self.axes)
        return f"x{suffix}", f"y{suffix}", f"xaxis{suffix}", f"yaxis{suffix}"

    def place(
        self,
        src: go.Figure,
        box: tuple[float, float, float, float],
        *,
        legend: str | None = None,
        xtitle: str | None = None,
    ):
        """Move the traces, axes, shapes and annotations of figure ``src`` into the pixel ``box``
        (x0, y0, x1, y1 from the top left), its title above the box."""
        x0, y0, x1, y1 = box
        xa, ya, xkey, ykey = self.next_axes()
        for trace in src.data:
            trace = copy.deepcopy(trace)
            trace.update(xaxis=xa, yaxis=ya)
            if legend and getattr(trace, "showlegend", None) is not False:
                trace.update(legend=legend, showlegend=bool(src.layout.showlegend))
            else:
                trace.update(showlegend=False)
            self.fig.add_trace(trace)
        xaxis = src.layout.xaxis.to_plotly_json()
        yaxis = src.layout.yaxis.to_plotly_json()
        xaxis.update(domain=[self.x(x0), self.x(x1)], anchor=ya)
        yaxis.update(domain=[self.y(y1), self.y(y0)], anchor=xa)
        xaxis.setdefault("tickfont", {"size": 11})
        if xtitle:
            xaxis["title"] = {"text": xtitle, "font": {"size": 11, "color": MUTED}, "standoff": 2}
        yaxis.setdefault("tickfont", {"size": 11})
        self.fig.layout[xkey] = xaxis
        self.fig.layout[ykey] = yaxis

        def remap(item: dict) -> dict:
            item = dict(item)
            for key, axis in (("xref", xa), ("yref", ya)):
                ref = item.get(key, "paper")
                if ref == "paper":
                    item[key] = f"{axis} domain"
                elif ref in ("x", "y"):
                    item[key] = axis
            for key, axis in (("axref", xa), ("ayref", ya)):
                if item.get(key) in ("x", "y"):
                    item[key] = axis
            return item

        self.shapes += [remap(s.to_plotly_json()) for s in src.layout.shapes]
        self.annotations += [remap(a.to_plotly_json()) for a in src.layout.annotations]
        title = src.layout.title.text
        if title:
            self.text(x0, y0 - 22, title, size=14, bold=True)
        if legend and src.layout.showlegend:
            # below the plot and its axis title, outside the plotting area
            self.fig.layout[legend] = {
                "orientation": "h",
                "x": self.x(x0 - 6),
                "xanchor": "left",
                "y": self.y(y1 + CHART_AXIS),
                "yanchor": "top",
                "font": {"size": 11},
                "bgcolor": "rgba(255,255,255,0)",
                "itemwidth": 30,
            }

    def finish(self) -> go.Figure:
        self.fig.update_layout(
            width=self.w,
            height=self.h,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            paper_bgcolor="white",
            plot_bgcolor="white",
            font={"family": FONT, "size": 12, "color": INK},
            shapes=self.shapes,
            annotations=self.annotations,
            showlegend=True,
            hovermode=False,
        )
        return self.fig


def _short(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word where there is one to cut at."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:(-") + "…"


def _lines(text: str, width: int, most: int) -> list[str]:
    parts = textwrap.wrap(text, width=width) or [""]
    if len(parts) > most:
        parts = [*parts[: most - 1], _short(" ".join(parts[most - 1 :]), width)]
    return parts


def _header(
    c: _Canvas, titles: list[str], meta: str, sentence: str, *, eyebrow: str, text_width: int
) -> float:
    """Eyebrow, title line(s), the provenance line and the verdict sentence; returns the bottom (px)."""
    c.rect(0, 0, c.w, 6, fill=INK)
    c.text(32, 20, eyebrow.upper(), size=12, color=MUTED, bold=True)
    y = 38.0
    size = 26 if len(titles) == 1 else 20
    for title in titles:
        c.text(32, y, title, size=size, bold=True)
        y += size + 8
    c.text(32, y + 2, meta, size=13, color=MUTED)
    y += 26
    for line in _lines(sentence, text_width, 2):
        c.text(32, y, line, size=15)
        y += 21
    return y


def _badge(c: _Canvas, x1: float, verdict: str, note: str, *, width: float = 250, y0: float = 22) -> None:
    x0 = x1 - width
    c.rect(x0, y0, x1, y0 + 62, fill=VERDICT_COLOURS[verdict])
    c.text(
        (x0 + x1) / 2,
        y0 + 31,
        verdict.upper(),
        size=28,
        color=BADGE_TEXT[verdict],
        anchor="center",
        valign="middle",
        bold=True,
    )
    c.text((x0 + x1) / 2, y0 + 70, note, size=13, color=INK, anchor="center")


def _card(c: _Canvas, box: tuple, label: str, value: str, note: str, tone: str) -> None:
    x0, y0, x1, y1 = box
    c.rect(x0, y0, x1, y1, fill=CARD_FILL, line=CARD_LINE)
    c.rect(x0, y0, x0 + 5, y1, fill=TONE_COLOURS[tone])
    c.text(x0 + 16, y0 + 12, label.upper(), size=11, color=MUTED, bold=True)
    c.text(
        x0 + 16,
        y0 + 32,
        _short(value, 16),
        size=24,
        color=TONE_COLOURS[tone] if tone != "neutral" else INK,
        bold=True,
    )
    c.text(x0 + 16, y1 - 10, _short(note, 32), size=11, color=MUTED, valign="bottom")


FOOTER_ROW = 18  # px per line of the footer band
FOOTER_WIDTH = 240  # characters of 12 px text a footer line holds (1,536 px), with a margin
LEAD_WIDTH = 200  # the same for the bold 13 px lead line
COST_NOTE = f"¹ {COST_LABEL}"


def _footer_rows(lines: list[str], *, lead: str | None = None) -> list[tuple[str, bool]]:
    """The footer's rows as ``(text, is_lead)``: the lead (the finding that matters) wrapped to at most
    two lines, then ``lines``, each already cut to fit (see :func:`_shock_lines`)."""
    rows = [(line, True) for line in (_lines(lead, LEAD_WIDTH, 2) if lead else [])]
    return rows + [(line, False) for line in lines]


def _footer_height(rows: list) -> float:
    return 16 + FOOTER_ROW * len(rows)


def _footer(c: _Canvas, rows: list[tuple[str, bool]]) -> None:
    """A grey band at the bottom: the lead rows in bold ink, the others muted."""
    top = c.h - _footer_height(rows)
    c.rect(0, top, c.w, c.h, fill=CARD_FILL)
    for i, (line, lead) in enumerate(rows):
        y = top + 8 + FOOTER_ROW * i + FOOTER_ROW / 2
        c.text(32, y, line, size=13 if lead else 12, color=INK if lead else MUTED, valign="middle", bold=lead)


def _when(prov: dict) -> str:
    return prov["generated"].replace("T", " ").replace("Z", " UTC")


def _meta_line(prov: dict) -> str:
    return (
        f"Generated {_when(prov)} · augur {prov['augur']} · seed {prov['seed']} · "
        f"{prov['steps']} {prov['step_unit']}s · graph sha256 {prov['graph_hash'][:12]} "
        f"({prov['graph_nodes']:,} nodes, {prov['graph_edges']:,} links)"
    )


def _pack_lines(head: str, parts: list[str], width: int) -> list[str]:
    """``head`` then ``parts`` joined by '; ', a new line before a part that does not fit on the
    current one (a part longer than a line is wrapped at words)."""
    lines, current = [], head
    for i, part in enumerate(parts):
        piece = part + (";" if i < len(parts) - 1 else "")
        if len(current) + 1 + len(piece) <= width:
            current = f"{current} {piece}"
        else:
            lines.append(current)
            wrapped = textwrap.wrap(piece, width)
            lines += wrapped[:-1]
            current = wrapped[-1]
    return [*lines, current]


def _shock_lines(
    result: DrillResult, prefix: str = "Shocks", *, width: int = FOOTER_WIDTH, most: int = 2
) -> list[str]:
    """The shocks for a footer, never cut inside a word: all of them on up to ``most`` lines, a line
    breaking between shocks; else as many whole shocks as fit, counted ('Shocks, 3 of them: ...; and
    1 more: see the HTML page for all')."""
    shocks = [f"{s['when']}: {s['what']}" for s in shock_sentences(result.scenario, result.graph)]
    if not shocks:
        return [f"{prefix}: none"]
    lines = _pack_lines(f"{prefix}:", shocks, width)
    if len(lines) <= most:
        return lines
    for shown in range(len(shocks) - 1, 0, -1):
        more = f"and {len(shocks) - shown} more: see the HTML page for all"
        lines = _pack_lines(f"{prefix}, {len(shocks)} of them:", [*shocks[:shown], more], width)
        if len(lines) <= most:
            return lines
    first = textwrap.shorten(shocks[0], width=width * most - 80, placeholder=" …")
    return textwrap.wrap(f"{prefix}, {len(shocks)} of them: {first}; see the HTML page for all", width)


def _bullets(c: _Canvas, lines: list[str], y: float, *, bottom: float, width: int = 88) -> float:
    """Lines as bullets from ``y`` down to ``bottom`` (px), wrapped; returns the next free ``y``."""
    for shown, line in enumerate(lines):
        wrapped = _lines(line, width, 2)
        if y + 18 * len(wrapped) > bottom:
            c.text(40, y, f"… and {len(lines) - shown} more (see the HTML report)", size=12, color=MUTED)
            return y + 18
        for k, part in enumerate(wrapped):
            c.text(40, y, ("· " if k == 0 else "  ") + part, size=12)
            y += 18
    return y


def _add_network(c: _Canvas, result: DrillResult, step: int, box: tuple, **options) -> list:
    """The network of ``result`` at ``step`` in the pixel ``box`` (x0, y0, x1, y1); returns the
    legend entries it needs."""
    traces, annotations, xr, yr, entries = _network_parts(result, step, **options)
    xa, ya, xkey, ykey = c.next_axes()
    for trace in traces:
        trace.update(xaxis=xa, yaxis=ya)
        c.fig.add_trace(trace)
    for ann in annotations:
        ann.update(xref=xa, yref=ya)
        if "axref" in ann:
            ann.update(axref=xa, ayref=ya)
    c.annotations += annotations
    c.fig.layout[xkey] = _hidden_axis(xr, (c.x(box[0]), c.x(box[2])), ya)
    c.fig.layout[ykey] = _hidden_axis(yr, (c.y(box[3]), c.y(box[1])), xa)
    return entries


def _network_legends(c: _Canvas, entry_lists: list[list], x0: float, y: float) -> None:
    """Two legend rows at ``(x0, y)`` px for the networks drawn: what the colours and special links
    mean (for every network drawn), then the kinds' shapes."""
    for trace in _legend_traces(*entry_lists, legend="legend", kind_legend="legend5"):
        c.fig.add_trace(trace)
    for name, row in (("legend", 0), ("legend5", 1)):
        c.fig.layout[name] = {
            "orientation": "h",
            "x": c.x(x0),
            "y": c.y(y + 26 * row),
            "yanchor": "top",
            "font": {"size": 12},
        }


def _chart_column(
    c: _Canvas, charts: list[go.Figure], x0: float, x1: float, top: float, bottom: float, unit: str
):
    """Charts stacked between ``top`` and ``bottom`` px, each with its title above, its axis title
    and legend below the plot; the plots share what the titles and legends leave."""
    # plotly wraps a legend at the figure's right edge, measured from where the legend starts
    rows = [legend_rows(legend_names(fig), c.w - (x0 - 6)) for fig in charts]
    fixed = sum(26 + CHART_AXIS + LEGEND_ROW * r + 14 for r in rows)
    plot_h = (bottom - top - fixed) / len(charts)
    y = top
    for i, (fig, r) in enumerate(zip(charts, rows)):
        y0 = y + 26
        c.place(fig, (x0, y0, x1, y0 + plot_h), legend=f"legend{i + 2}", xtitle=unit)
        y = y0 + plot_h + CHART_AXIS + LEGEND_ROW * r + 14


def review_figure(
    result: DrillResult, *, prov: dict | None = None, size: tuple[int, int] = PNG_SIZE
) -> go.Figure:
    """The drill on one page: header (scenario, date, seed, verdict), KPI cards, the network at the worst
    step, and service level, tokens and data quality over time; what :func:`augur.report.review_png`
    renders."""
    prov = prov or provenance(result)
    m = result.metrics
    step = worst_step(result)
    unit = result.scenario.step_unit
    c = _Canvas(*size)
    bottom = _header(
        c,
        [_short(result.scenario.name, 80)],
        _meta_line(prov),
        verdict_sentence(result),
        eyebrow="Resilience review · augur drill",
        text_width=150,
    )
    held = m["hypothesis_held"]
    note = (
        "no hypothesis" if held is None else f"hypothesis {m['hypothesis']}: {'held' if held else 'NOT held'}"
    )
    _badge(c, c.w - 32, m["verdict"], note)

    cards = [card for card in kpi_cards(result) if card["key"] != "verdict"]
    gap = 12
    left, right = 32, c.w - 32
    top = max(bottom + 8, 128)
    width = (right - left - gap * (len(cards) - 1)) / len(cards)
    footnotes = []
    for i, card in enumerate(cards):
        x0 = left + i * (width + gap)
        note = card.get("short_note", card["note"])
        if "¹" in note and COST_NOTE not in footnotes:
            footnotes.append(COST_NOTE)
        _card(c, (x0, top, x0 + width, top + 90), card["label"], card["value"], note, card["tone"])

    # The footer first: how many lines it needs decides where the body ends.
    finding = key_finding(result)
    reproduce = (
        f"Reproduce: augur run with the scenario file embedded in the HTML report (scenario sha256 "
        f"{prov['scenario_sha256'][:12]}). The vertical line on each chart marks the worst step; shaded: "
        "shocks."
    )
    rows = _footer_rows([*_shock_lines(result), reproduce, *footnotes], lead=finding)
    body_bottom = c.h - _footer_height(rows) - 14

    # The network, left; three time series, right.
    body = top + 90 + 46
    net_box = (32, body, 905, body_bottom)
    c.rect(
        net_box[0] - 8, net_box[1] - 30, net_box[2] + 8, net_box[3] + 8, fill="rgba(0,0,0,0)", line=CARD_LINE
    )
    c.text(
        net_box[0],
        net_box[1] - 22,
        f"The network at {unit} {step}, the worst step: service level {result.service_level[step]:.0%}",
        size=14,
        bold=True,
    )
    entries = _add_network(
        c,
        result,
        step,
        (net_box[0], net_box[1] + 6, net_box[2], net_box[3] - 58),
        font_size=12,
        marker_scale=1.2,
    )
    _network_legends(c, [entries], net_box[0], net_box[3] - 52)

    charts = [
        service_level_figure(result, step),
        pack_tokens_figure(result, step),
        pack_chart(quality_figure(result, step), result),
    ]
    _chart_column(c, charts, 990, c.w - 32, body - 28, body_bottom + 8, unit)
    _footer(c, rows)
    return c.finish()


def compare_figure(
    before: DrillResult,
    after: DrillResult,
    *,
    prov: tuple[dict, dict] | None = None,
    size: tuple[int, int] = PNG_SIZE,
) -> go.Figure:
    """Before and after on one page: both verdicts, KPI deltas with the better side marked, what changed
    in the graph, both service-level curves on one chart, and the two networks at the before drill's
    worst step, under one legend that explains every colour either network shows."""
    facts = compare_facts(before, after)
    pa, pb = prov or (provenance(before), provenance(after))
    c = _Canvas(*size)
    meta = (
        f"Generated {_when(pa)} · augur {pb['augur']} · seeds {pa['seed']} / {pb['seed']} · "
        f"graph sha256 {pa['graph_hash'][:12]} → {pb['graph_hash'][:12]}"
    )
    bottom = _header(
        c,
        [f"Before: {_short(before.scenario.name, 80)}", f"After: {_short(after.scenario.name, 80)}"],
        meta,
        facts["sentence"],
        eyebrow="Resilience review · before and after",
        text_width=140,
    )
    mb, ma = before.metrics, after.metrics
    _badge(c, c.w - 32 - 200 - 48, mb["verdict"], "before", width=200)
    _badge(c, c.w - 32, ma["verdict"], "after", width=200)
    c.text(c.w - 32 - 200 - 24, 22 + 31, "→", size=30, color=MUTED, anchor="center", valign="middle")

    # The footer first: how many lines it needs decides where the body ends.
    same = facts["same_shocks"]
    if same:
        lines = _shock_lines(before)
    else:
        lines = _shock_lines(before, "Before, shocks", most=1) + _shock_lines(after, "After, shocks", most=1)
    lines.append(
        "Reproduce: both scenario files are embedded in the HTML report (sha256 "
        f"{pa['scenario_sha256'][:12]} / {pb['scenario_sha256'][:12]})."
    )
    if any(row["key"] == "token_overrun_cost" for row in facts["rows"]):
        lines.append(COST_NOTE)
    rows = _footer_rows(lines)
    body_bottom = c.h - _footer_height(rows) - 14

    # KPI deltas as a table, left.
    top = bottom + 22
    table_right = 620
    c.text(32, top, "The figures", size=14, bold=True)
    c.text(
        table_right,
        top,
        "same shocks in both drills" if same else "THE SHOCKS DIFFER (see footer)",
        size=12,
        color=MUTED if same else STATUS_COLOURS["failed"],
        anchor="right",
        bold=not same,
    )
    cols = (32, 246, 400, 530)
    header_y = top + 28
    for x, label in zip(cols, ("figure", "before", "after", "change")):
        c.text(x, header_y, label.upper(), size=11, color=MUTED, bold=True)
    row_h = 26
    marks = {
        "better": ("▲ better", TONE_COLOURS["good"]),
        "worse": ("▼ worse", TONE_COLOURS["bad"]),
        "same": ("= same", MUTED),
        "n/a": ("", MUTED),
    }
    for i, row in enumerate(facts["rows"]):
        y = header_y + 22 + i * row_h
        if i % 2 == 0:
            c.rect(24, y - 5, table_right + 8, y + row_h - 5, fill=CARD_FILL)
        label = "Overrun cost¹" if row["key"] == "token_overrun_cost" else row["label"]
        c.text(cols[0], y, label, size=13)
        c.text(cols[1], y, _short(row["before"], 20), size=13)
        c.text(cols[2], y, _short(row["after"], 17), size=13, bold=row["direction"] == "better")
        mark, colour = marks[row["direction"]]
        c.text(cols[3], y, mark, size=13, color=colour, bold=row["direction"] in ("better", "worse"))
    y = header_y + 22 + len(facts["rows"]) * row_h + 24
    changes = facts["graph_changes"] + facts["settings"]
    c.text(32, y, "What changed between them", size=14, bold=True)
    y += 26
    if not changes:
        same = "the same drill twice" if facts["same_shocks"] else "only the shocks differ (see the footer)"
        c.text(40, y, f"Nothing in the graph or the settings: {same}.", size=12, color=MUTED)
        y += 22
    unit = after.scenario.step_unit
    y = _bullets(c, changes, y, bottom=min(700, body_bottom) if len(changes) <= 12 else body_bottom)
    found = findings(after)
    held = found["held"][:4]
    weak = [
        f"{row['name']} failing alone: {row['verdict']}, service down to {pct_text(row['service_level_min'])}"
        for row in found["weak_points"][: 6 - len(held)]
    ]
    if (held or weak) and y < body_bottom - 80:
        y += 14
        c.text(32, y, "After the change: what held, and the weak points left", size=14, bold=True)
        y = _bullets(c, held, y + 26, bottom=body_bottom)
        if weak and y < body_bottom - 40:
            outage = found["outage"]
            for part in _lines(f"Weak points: {outage}; those that still hurt:", 92, 2):
                c.text(32, y + 4, part, size=12, color=MUTED)
                y += 18
            _bullets(c, weak, y + 8, bottom=body_bottom)

    # The two curves on one chart, then the two networks, right.
    right_left = 680
    c.place(
        compare_service_figure(before, after),
        (right_left, top + 30, c.w - 32, top + 290),
        legend="legend2",
        xtitle=before.scenario.step_unit,
    )
    c.fig.layout["legend2"].update(x=c.x(c.w - 32), xanchor="right", y=c.y(top + 8), yanchor="top")
    step = worst_step(before)
    y0 = top + 352
    c.text(
        right_left, y0, f"Both networks at {unit} {step}, the before drill's worst step", size=14, bold=True
    )
    legend_top = body_bottom - 52
    height = (legend_top - 8 - (y0 + 26)) / 2
    entry_lists = []
    for k, (result, label) in enumerate(((before, "before"), (after, "after"))):
        at = min(step, result.trajectory.steps - 1)
        top_k = y0 + 26 + k * height
        level = result.service_level[at]
        c.text(
            right_left,
            top_k,
            f"{label.upper()}: {result.metrics['verdict']}, service {level:.0%}",
            size=12,
            color=MUTED,
            bold=True,
        )
        entry_lists.append(
            _add_network(
                c,
                result,
                at,
                (right_left + 10, top_k + 14, c.w - 40, top_k + height - 6),
                marker_scale=0.8,
                font_size=10,
                label_width=20,
            )
        )
    _network_legends(c, entry_lists, right_left, legend_top)
    _footer(c, rows)
    return c.finish()
