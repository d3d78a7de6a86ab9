"""Plotly charts of a drill: plain functions of a :class:`~augur.drill.DrillResult` and a current step.

The app shows them with a marker at the step its timeline is on (a line shape named
:data:`STEP_MARKER`, which its clientside code moves); the review pack renders the same figures to
static images. Nothing here imports Dash.

>>> from augur.drill import simulate
>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "acme", "target": "shop"})])
>>> drill = parse_scenario({"name": "outage", "steps": 10, "shocks": [
...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}, graph=G)
>>> fig = service_level_figure(simulate(G, drill), step=4)
>>> [shape.x0 for shape in fig.layout.shapes if shape.name == STEP_MARKER]
[4]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.engine import Status
from augur.graph import NODE_ATTRIBUTES, node_param
from augur.style import (
    FONT,
    GRID,
    INK,
    KIND_LABELS,
    MUTED,
    SERIES_COLOURS,
    SHOCK_FILL,
    SLO_COLOUR,
    STATUS_COLOURS,
    VERDICT_COLOURS,
)

__all__ = [
    "KIND_LABELS",
    "SERIES_COLOURS",
    "STATUS_COLOURS",
    "STEP_MARKER",
    "VERDICT_COLOURS",
    "ci_figure",
    "empty_figure",
    "group_figure",
    "node_attributes_text",
    "node_figure",
    "quality_figure",
    "service_level_figure",
    "step_marker",
    "tokens_figure",
    "tokens_that_matter",
    "with_step",
]

STEP_MARKER = "step"  # the name of the vertical line that marks the current step


def step_marker(step: int) -> dict:
    """The vertical line that marks ``step`` on a time-series chart.

    >>> step_marker(12)["x0"], step_marker(12)["name"]
    (12, 'step')
    """
    return {
        "type": "line",
        "name": STEP_MARKER,
        "xref": "x",
        "yref": "paper",
        "x0": step,
        "x1": step,
        "y0": 0,
        "y1": 1,
        "line": {"color": INK, "width": 1.5},
        "layer": "above",
    }


def with_step(fig: go.Figure, step: int | None) -> go.Figure:
    """``fig`` with its step marker moved to ``step`` (or removed when ``step`` is None)."""
    shapes = [s for s in fig.layout.shapes if s.name != STEP_MARKER]
    if step is not None:
        shapes.append(step_marker(step))
    fig.update_layout(shapes=shapes)
    return fig


def empty_figure(message: str, *, title: str = "") -> go.Figure:
    """A blank chart that says why it is blank ("Run the drill to see ...")."""
    fig = go.Figure()
    fig.update_layout(**_frame_layout(title, height=None))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"color": MUTED, "size": 12},
    )
    return fig


def _frame_layout(title: str, *, height: int | None) -> dict:
    layout = {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "pad": {"l": 4},
            "font": {"size": 12, "color": INK},
        },
        "font": {"family": FONT, "size": 11, "color": INK},
        "margin": {"l": 44, "r": 12, "t": 30, "b": 24},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "hoverlabel": {"font": {"size": 11}},
        "showlegend": False,
        "uirevision": "drill",
    }
    if height:
        layout["height"] = height
    return layout


def _layout(result: DrillResult, title: str, *, height: int | None = None) -> dict:
    layout = _frame_layout(title, height=height)
    steps = result.trajectory.steps
    layout["xaxis"] = {
        "range": [0, steps - 1],
        "showgrid": False,
        "zeroline": False,
        "ticks": "outside",
        "ticklen": 3,
        "tickcolor": GRID,
        "linecolor": GRID,
        "hoverformat": "d",
    }
    layout["yaxis"] = {"gridcolor": GRID, "zeroline": False, "linecolor": GRID}
    layout["shapes"] = _shock_windows(result)
    # Inside the plot, top right, over headroom the y range leaves for it (see _room_for_legend):
    # small charts cannot spare a row of legend above the plot.
    layout["legend"] = {
        "orientation": "v",
        "x": 1,
        "xanchor": "right",
        "y": 1,
        "yanchor": "top",
        "font": {"size": 10},
        "bgcolor": "rgba(0,0,0,0)",  # the headroom holds no data; a box would notch the shock bands
        "itemwidth": 30,
        "tracegroupgap": 0,
    }
    return layout


def _shock_windows(result: DrillResult) -> list[dict]:
    """Light bands where shocks are active, so every chart shows when the drill hurt."""
    last = result.trajectory.steps - 1
    shapes = []
    for shock in result.scenario.shocks:
        end = min(shock.end, last + 1) - 0.5
        shapes.append(
            {
                "type": "rect",
                "name": "shock",
                "xref": "x",
                "yref": "paper",
                "x0": shock.start - 0.5,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "fillcolor": SHOCK_FILL,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return shapes


def _finish(fig: go.Figure, step: int | None) -> go.Figure:
    return with_step(fig, step) if step is not None else fig


def _hline(y: float, text: str, colour: str, *, dash: str = "dash", below: bool = False) -> tuple[dict, dict]:
    shape = {
        "type": "line",
        "name": "reference",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": colour, "width": 1.2, "dash": dash},
        "layer": "below",
    }
    label = {
        "text": text,
        "xref": "paper",
        "yref": "y",
        "x": 1,
        "y": y,
        "xanchor": "right",
        "yanchor": "top" if below else "bottom",
        "showarrow": False,
        "font": {"size": 10, "color": colour},
    }
    return shape, label


_BOTTOM_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": -0.14,
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0)",
}


def _multiple_axis(fig: go.Figure, peak: float, entries: int) -> None:
    """A y axis of multiples (``2×``) from 0 to a little over ``peak``, with headroom for ``entries``
    legend lines and ticks only below it, where no legend text covers them.

    >>> fig = go.Figure()
    >>> _multiple_axis(fig, 2.2, 3)
    >>> fig.layout.yaxis.tickvals
    (0.0, 0.5, 1.0, 1.5, 2.0)
    """
    top = peak * 1.12
    step = next(s for s in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if top / s <= 5.5)
    ticks = [i * step for i in range(int(top / step) + 1)]
    fig.update_yaxes(
        range=[0, top * _room_for_legend(entries)], tickvals=ticks, ticktext=[f"{t:g}×" for t in ticks]
    )


def _room_for_legend(entries: int) -> float:
    """How much to stretch a y range so that ``entries`` legend lines fit above the data."""
    return 1.0 / (1.0 - min(0.11 * entries + 0.04, 0.42)) if entries else 1.0


def _steps(result: DrillResult) -> np.ndarray:
    return np.arange(result.trajectory.steps)


def _label(result: DrillResult, node: str) -> str:
    return str(result.graph.nodes[node].get("label", node))


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _columns(result: DrillResult, kinds: Sequence[str]) -> list[int]:
    graph = result.graph
    return [i for i, v in enumerate(result.trajectory.nodes) if graph.nodes[v]["kind"] in kinds]


def service_level_figure(
    result: DrillResult, step: int | None = None, *, height: int | None = None
) -> go.Figure:
    """Service level (mean output of the business processes) against the SLO, per step."""
    scenario = result.scenario
    level = result.service_level
    fig = go.Figure(layout=_layout(result, "Service level vs SLO", height=height))
    below = np.where(level < scenario.slo, level, np.nan)
    fig.add_scatter(
        x=_steps(result),
        y=level,
        mode="lines",
        name="service level",
        line={"color": SERIES_COLOURS[0], "width": 2.2},
        hovertemplate="%{y:.0%}",
    )
    if np.isfinite(below).any():
        fig.add_scatter(
            x=_steps(result),
            y=below,
            mode="lines",
            name="below SLO",
            line={"color": SLO_COLOUR, "width": 2.6},
            hoverinfo="skip",
        )
    shape, label = _hline(scenario.slo, f"SLO {scenario.slo:.0%}", SLO_COLOUR, below=True)
    fig.add_shape(shape)
    fig.add_annotation(label)
    fig.update_yaxes(range=[0, 1.08], tickformat=".0%", dtick=0.25)
    return _finish(fig, step)


def _top(values: np.ndarray, cols: list[int], top: int, *, largest: bool) -> list[int]:
    """The ``top`` columns by peak (or by trough): the few lines worth a legend entry."""
    if not cols:
        return []
    peaks = values[:, cols].max(axis=0) if largest else -values[:, cols].min(axis=0)
    order = np.argsort(-peaks, kind="stable")[:top]
    return [cols[j] for j in order]


def tokens_that_matter(result: DrillResult, *, top: int = 2) -> list[tuple[str, str]]:
    """The AI services a tokens chart gives a line of their own, as ``(node, why)``: the ``top``
    steepest by peak multiple of baseline, and always every service that was throttled (risk) and the
    one whose tokens cost the most over the drill (tokens x price_per_1k_tokens), whatever their
    multiple. At most four (the chart's colours), those that must be shown first.

    ``why`` is ``'throttled'``, ``'highest cost'``, both, or ``''`` for a service shown for its peak.
    """
    G, traj = result.graph, result.trajectory
    ai = _columns(result, ("ai_service",))
    if len(ai) < 2:
        return []  # the chart's one line is that service
    base = np.where(traj.tokens[0, ai] > 0, traj.tokens[0, ai], 1.0)
    peaks = dict(zip(ai, (traj.tokens[:, ai] / base).max(axis=0)))
    reasons: dict[int, list[str]] = {}
    throttled = [col for col in ai if (traj.status[:, col] == Status.THROTTLED).any()]
    for col in sorted(throttled, key=lambda c: -float(traj.throttle_ratio[:, c].max())):
        reasons[col] = ["throttled"]
    prices = np.array([float(node_param(G, traj.nodes[col], "price_per_1k_tokens")) for col in ai])
    cost = traj.tokens[:, ai].sum(axis=0) * prices / 1000.0
    if cost.max() > 0:
        reasons.setdefault(ai[int(np.argmax(cost))], []).append("highest cost")
    for col in sorted(ai, key=lambda c: -peaks[c])[:top]:
        reasons.setdefault(col, [])
    chosen = list(reasons)[: len(SERIES_COLOURS) - 1]
    chosen.sort(key=lambda col: -peaks[col])
    return [(traj.nodes[col], ", ".join(reasons[col])) for col in chosen]


def tokens_figure(
    result: DrillResult,
    step: int | None = None,
    *,
    top: int = 2,
    height: int | None = None,
    full_names: bool = False,
) -> go.Figure:
    """Tokens per step as a multiple of baseline: all AI services together, and each one that
    matters for cost and risk (:func:`tokens_that_matter`), marked why it is shown. Names are cut
    to fit the app's small chart unless ``full_names``."""
    traj = result.trajectory
    ai = _columns(result, ("ai_service",))
    fig = go.Figure(layout=_layout(result, "Tokens vs baseline", height=height))
    if not ai:
        return empty_figure("No AI services in this graph", title="Tokens vs baseline")

    def name(node: str, why: str = "") -> str:
        if full_names:
            return _label(result, node) + (f" ({why})" if why else "")
        # the app's chart is small: a short name and the first reason, in a word or two
        first = why.split(", ")[0].replace("highest cost", "top cost")
        room = 18 if len(ai) > 1 else 28  # a lone service's line has the legend to itself
        return _short(_label(result, node), room) + (f" ({first})" if first else "")

    base = traj.tokens[0, ai]
    safe = np.where(base > 0, base, 1.0)
    per_service = traj.tokens[:, ai] / safe
    total = traj.tokens[:, ai].sum(axis=1) / max(float(base.sum()), 1e-12)
    shown = tokens_that_matter(result, top=top)
    for colour, (node, why) in zip(SERIES_COLOURS[1:], shown):
        fig.add_scatter(
            x=_steps(result),
            y=per_service[:, ai.index(traj.nodes.index(node))],
            mode="lines",
            name=name(node, why),
            line={"color": colour, "width": 1.6},
            hovertemplate="%{y:.2f}×",
        )
    fig.add_scatter(
        x=_steps(result),
        y=total,
        mode="lines",
        name="all AI services" if len(ai) > 1 else name(traj.nodes[ai[0]]),
        line={"color": SERIES_COLOURS[0], "width": 2.2},
        hovertemplate="%{y:.2f}×",
    )
    peak = float(max(per_service.max(), total.max(), 1.0))
    fig.add_shape(_hline(1.0, "baseline", MUTED, dash="dot")[0])
    budget = result.scenario.token_budget
    if budget is not None:
        b_shape, b_label = _hline(budget, f"budget {budget:g}×", SLO_COLOUR)
        fig.add_shape(b_shape)
        fig.add_annotation(b_label)
        peak = max(peak, budget)
    entries = len(shown) + 1
    _multiple_axis(fig, peak, entries)
    fig.update_layout(showlegend=True)
    return _finish(fig, step)


def quality_figure(
    result: DrillResult, step: int | None = None, *, top: int = 2, height: int | None = None
) -> go.Figure:
    """The quality of data feeds and AI services' output, for the few whose quality fell furthest."""
    traj = result.trajectory
    cols = _columns(result, ("data_source", "ai_service"))
    fig = go.Figure(layout=_layout(result, "Data quality", height=height))
    if not cols:
        cols = list(range(len(traj.nodes)))
    quality = traj.quality
    dropped = [c for c in cols if quality[:, c].min() < quality[0, c] - 1e-6]
    shown = _top(quality, dropped, top, largest=False)
    if not shown:
        mean = quality[:, cols].mean(axis=1)
        fig.add_scatter(
            x=_steps(result),
            y=mean,
            mode="lines",
            name="mean",
            line={"color": SERIES_COLOURS[0], "width": 2.2},
            hovertemplate="%{y:.0%}",
        )
        fig.add_annotation(
            text="no quality drop in this drill",
            x=0.5,
            y=0.3,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"color": MUTED, "size": 11},
        )
    for colour, col in zip(SERIES_COLOURS, shown):
        fig.add_scatter(
            x=_steps(result),
            y=quality[:, col],
            mode="lines",
            name=_short(_label(result, traj.nodes[col]), 20),
            line={"color": colour, "width": 1.8},
            hovertemplate="%{y:.0%}",
        )
    entries = len(shown)
    fig.update_yaxes(
        range=[0, 1.08 * _room_for_legend(entries)], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1]
    )
    fig.update_layout(showlegend=entries > 0)
    return _finish(fig, step)


def ci_figure(
    result: DrillResult, step: int | None = None, *, top: int = 2, height: int | None = None
) -> go.Figure:
    """Confidence-interval half-width of AI services as a multiple of its baseline width."""
    traj = result.trajectory
    ai = _columns(result, ("ai_service",))
    title = "Confidence-interval width"
    if not ai:
        return empty_figure("No AI services in this graph", title=title)
    fig = go.Figure(layout=_layout(result, title, height=height))
    base = traj.ci[0, ai]
    widening = np.ones_like(traj.ci)
    with np.errstate(invalid="ignore", divide="ignore"):
        widening[:, ai] = np.nan_to_num(traj.ci[:, ai] / base, nan=1.0)
    shown = _top(widening, ai, top, largest=True)
    for colour, col in zip(SERIES_COLOURS, shown):
        fig.add_scatter(
            x=_steps(result),
            y=widening[:, col],
            mode="lines",
            name=_short(_label(result, traj.nodes[col]), 20),
            line={"color": colour, "width": 1.8},
            hovertemplate="%{y:.2f}×",
        )
    shape, _ = _hline(1.0, "baseline", MUTED, dash="dot")
    fig.add_shape(shape)
    peak = float(max(widening[:, ai].max(), 1.0))
    entries = len(shown)
    _multiple_axis(fig, peak, entries)
    fig.update_layout(showlegend=entries > 0)
    return _finish(fig, step)


def _status_strip(result: DrillResult, status: np.ndarray) -> list[dict]:
    """Coloured runs along the top of a node chart: where the node was not ok, and how."""
    shapes = []
    t = 0
    steps = len(status)
    while t < steps:
        end = t
        while end + 1 < steps and status[end + 1] == status[t]:
            end += 1
        label = Status(int(status[t])).label
        if label != "ok":
            shapes.append(
                {
                    "type": "rect",
                    "name": "status",
                    "xref": "x",
                    "yref": "paper",
                    "x0": t - 0.5,
                    "x1": end + 0.5,
                    "y0": 1.01,
                    "y1": 1.07,
                    "fillcolor": STATUS_COLOURS[label],
                    "line": {"width": 0},
                }
            )
        t = end + 1
    return shapes


def node_attributes_text(data: dict, width: int = 52) -> str:
    """The model attributes a node's file sets, as lines of at most about ``width`` characters
    (joined by ``<br>``) under its chart's title: what the drill ran with, without the defaults.

    >>> node_attributes_text({"kind": "logistics", "label": "DC", "capacity": 1.5, "buffer": 3.0})
    'capacity 1.5 · buffer 3'
    >>> node_attributes_text({"tokens_per_unit": 20000.0, "token_limit": 40000.0, "max_retries": 2}, 32)
    'tokens per unit 20k<br>token limit 40k · max retries 2'
    """
    lines: list[str] = []
    for name in NODE_ATTRIBUTES:
        value = data.get(name)
        if value is None:
            continue
        number = f"{value / 1000:g}k" if abs(value) >= 10_000 else f"{value:g}"
        item = f"{name.replace('_', ' ')} {number}"
        if lines and len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += f" · {item}"
        else:
            lines.append(item)
    return "<br>".join(lines)


def node_figure(
    result: DrillResult, node: str, step: int | None = None, *, height: int | None = None
) -> go.Figure:
    """One node's own story: output, supply and quality per step, an AI service's tokens as a share
    of its baseline, and a strip along the top coloured by its status."""
    traj = result.trajectory
    col = traj.nodes.index(node)
    kind = result.graph.nodes[node]["kind"]
    title = f"{_short(_label(result, node), 40)} · {KIND_LABELS.get(kind, kind)}"
    fig = go.Figure(layout=_layout(result, title, height=height))
    fig.update_layout(margin={"t": 40}, showlegend=True)
    attributes = node_attributes_text(result.graph.nodes[node])
    if attributes:  # lines under the title, above the status strip
        fig.update_layout(margin={"t": 50 + 13 * attributes.count("<br>")})
        fig.add_annotation(
            text=attributes,
            xref="paper",
            yref="paper",
            x=0,
            y=1.07,
            xanchor="left",
            yanchor="bottom",
            align="left",
            xshift=-40,  # under the title, which starts in the left margin
            yshift=4,
            showarrow=False,
            font={"size": 10, "color": MUTED},
        )
    series = [
        ("output", traj.output[:, col], SERIES_COLOURS[0], 2.2),
        ("supply", traj.supply[:, col], SERIES_COLOURS[4], 1.4),
        ("quality", traj.quality[:, col], SERIES_COLOURS[2], 1.4),
    ]
    for name, values, colour, width in series:
        fig.add_scatter(
            x=_steps(result),
            y=values,
            mode="lines",
            name=name,
            line={"color": colour, "width": width},
            hovertemplate="%{y:.0%}",
        )
    top = 1.1
    if kind == "ai_service" and traj.tokens[0, col] > 0:
        # tokens as a share of baseline on the same axis: 100% is the usual spend, 150% half again
        multiple = traj.tokens[:, col] / traj.tokens[0, col]
        fig.add_scatter(
            x=_steps(result),
            y=multiple,
            mode="lines",
            name="tokens",
            line={"color": SERIES_COLOURS[1], "width": 1.6, "dash": "dot"},
            hovertemplate="%{y:.0%} of baseline",
        )
        top = max(top, float(multiple.max()) * 1.08)
    fig.update_yaxes(range=[0, top], tickformat=".0%", nticks=6)
    fig.update_layout(shapes=[*fig.layout.shapes, *_status_strip(result, traj.status[:, col])])
    fig.update_layout(legend=_BOTTOM_LEGEND, margin={"b": 44})
    return _finish(fig, step)


def group_figure(
    result: DrillResult,
    nodes: Sequence[str],
    step: int | None = None,
    *,
    title: str,
    height: int | None = None,
) -> go.Figure:
    """The share of ``nodes`` in each status per step, stacked: a group's story in a grouped view."""
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    cols = [index[v] for v in nodes]
    fig = go.Figure(layout=_layout(result, title, height=height))
    status = traj.status[:, cols]
    for member in Status:
        share = (status == member).mean(axis=1)
        if member is not Status.OK and not share.any():
            continue
        fig.add_scatter(
            x=_steps(result),
            y=share,
            mode="lines",
            stackgroup="status",
            name=member.label,
            line={"width": 0.5, "color": STATUS_COLOURS[member.label]},
            fillcolor=STATUS_COLOURS[member.label],
            hovertemplate="%{y:.0%}",
        )
    fig.update_yaxes(range=[0, 1], tickformat=".0%", dtick=0.25)
    fig.update_layout(showlegend=True, margin={"t": 34, "b": 44}, legend=_BOTTOM_LEGEND)
    return _finish(fig, step)
