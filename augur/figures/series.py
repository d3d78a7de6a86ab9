"""Plotly charts of a drill over time: plain functions of a :class:`~augur.drill.DrillResult` and a
current step.

The app shows them with a marker at the step its timeline is on (a line shape named
:data:`~augur.figures.theme.STEP_MARKER`, which its clientside code moves); the review pack renders
the same figures to static images. Nothing here imports Dash.

>>> from augur.drill import simulate
>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "acme", "target": "shop"})])
>>> drill = parse_scenario({"name": "outage", "steps": 10, "shocks": [
...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}, graph=G)
>>> from augur.figures.theme import STEP_MARKER
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
from augur.figures.theme import (
    BELOW_PLOT_LEGEND,
    BOTTOM_LEGEND,
    LEGEND_ROW,
    empty_figure,
    hline,
    multiple_axis,
    room_for_legend,
    series_layout,
    short_label,
    with_step,
)
from augur.graph import NODE_ATTRIBUTES, node_param
from augur.style import KIND_LABELS, MUTED, SERIES_COLOURS, SLO_COLOUR, STATUS_COLOURS
from augur.text import node_name

__all__ = [
    "ci_figure",
    "group_figure",
    "node_attributes_text",
    "node_figure",
    "quality_figure",
    "service_level_figure",
    "tokens_figure",
    "tokens_that_matter",
]


def _steps(result: DrillResult) -> np.ndarray:
    return np.arange(result.trajectory.steps)


def _columns(result: DrillResult, kinds: Sequence[str]) -> list[int]:
    graph = result.graph
    return [i for i, v in enumerate(result.trajectory.nodes) if graph.nodes[v]["kind"] in kinds]


def _finish(fig: go.Figure, step: int | None) -> go.Figure:
    return with_step(fig, step) if step is not None else fig


def service_level_figure(
    result: DrillResult, step: int | None = None, *, height: int | None = None
) -> go.Figure:
    """Service level (mean output of the business processes) against the SLO, per step."""
    scenario = result.scenario
    level = result.service_level
    fig = go.Figure(layout=series_layout(result, "Service level vs SLO", height=height))
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
    shape, label = hline(scenario.slo, f"SLO {scenario.slo:.0%}", SLO_COLOUR, below=True)
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


def tokens_that_matter(result: DrillResult, *, top: int = 2, most: int = 0) -> list[tuple[str, str]]:
    """The AI services a tokens chart gives a line of their own, as ``(node, why)``: the ``top``
    steepest by peak multiple of baseline, and always every service that was throttled (risk) and the
    one whose tokens cost the most over the drill (tokens x price_per_1k_tokens), whatever their
    multiple. At most four (the chart's colours), or ``most`` when it is fewer, those that must be
    shown first.

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
    most = min(most or len(SERIES_COLOURS) - 1, len(SERIES_COLOURS) - 1)
    chosen = list(reasons)[:most]
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
    matters for cost and risk (:func:`tokens_that_matter`), marked why it is shown. Unless
    ``full_names`` (the pack's chart), it is the app's small chart: names cut to fit, two services at
    most, the legend (the budget's line in it) in rows below the plot, where it covers no line."""
    traj = result.trajectory
    ai = _columns(result, ("ai_service",))
    budget = result.scenario.token_budget
    fig = go.Figure(layout=series_layout(result, "Tokens vs baseline", height=height))
    if not ai:
        return empty_figure("No AI services in this graph", title="Tokens vs baseline")

    def name(node: str, why: str = "") -> str:
        if full_names:
            return node_name(result.graph, node) + (f" ({why})" if why else "")
        # the app's chart is small: a short name and the first reason, the pack's words
        first = f" ({why.split(', ')[0]})" if why else ""
        room = 27 - len(first) if len(ai) > 1 else 28  # a lone service's line has the legend to itself
        return short_label(node_name(result.graph, node), room) + first

    base = traj.tokens[0, ai]
    safe = np.where(base > 0, base, 1.0)
    per_service = traj.tokens[:, ai] / safe
    total = traj.tokens[:, ai].sum(axis=1) / max(float(base.sum()), 1e-12)
    shown = tokens_that_matter(result, top=top, most=0 if full_names else 2)
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
    fig.add_shape(hline(1.0, "baseline", MUTED, dash="dot")[0])
    if budget is not None:
        b_shape, b_label = hline(budget, f"budget {budget:g}×", SLO_COLOUR)
        fig.add_shape(b_shape)
        if full_names:
            fig.add_annotation(b_label)
        else:  # named in the legend, not over the lines
            fig.add_scatter(x=[None], y=[None], mode="lines", name=b_label["text"], line=b_shape["line"])
        peak = max(peak, budget)
    entries = len(fig.data)
    if full_names:
        multiple_axis(fig, peak, entries)
    else:
        multiple_axis(fig, peak, 0)
        fig.update_layout(legend=BELOW_PLOT_LEGEND, margin_b=24 + LEGEND_ROW * entries)
    fig.update_layout(showlegend=True)
    return _finish(fig, step)


def quality_figure(
    result: DrillResult, step: int | None = None, *, top: int = 2, height: int | None = None
) -> go.Figure:
    """The quality of data feeds and AI services' output, for the few whose quality fell furthest."""
    traj = result.trajectory
    cols = _columns(result, ("data_source", "ai_service"))
    fig = go.Figure(layout=series_layout(result, "Data quality", height=height))
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
            text="no quality drop<br>in this drill",
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
            name=short_label(node_name(result.graph, traj.nodes[col]), 20),
            line={"color": colour, "width": 1.8},
            hovertemplate="%{y:.0%}",
        )
    entries = len(shown)
    fig.update_yaxes(
        range=[0, 1.08 * room_for_legend(entries)], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1]
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
    fig = go.Figure(layout=series_layout(result, title, height=height))
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
            name=short_label(node_name(result.graph, traj.nodes[col]), 20),
            line={"color": colour, "width": 1.8},
            hovertemplate="%{y:.2f}×",
        )
    shape, _ = hline(1.0, "baseline", MUTED, dash="dot")
    fig.add_shape(shape)
    peak = float(max(widening[:, ai].max(), 1.0))
    entries = len(shown)
    multiple_axis(fig, peak, entries)
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
    title = f"{short_label(node_name(result.graph, node), 40)} · {KIND_LABELS.get(kind, kind)}"
    fig = go.Figure(layout=series_layout(result, title, height=height))
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
    fig.update_layout(legend=BOTTOM_LEGEND, margin={"b": 44})
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
    fig = go.Figure(layout=series_layout(result, title, height=height))
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
    fig.update_layout(showlegend=True, margin={"t": 34, "b": 44}, legend=BOTTOM_LEGEND)
    return _finish(fig, step)
