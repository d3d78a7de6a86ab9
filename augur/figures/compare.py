"""Charts that set two drills side by side (before and after a change), and the app's time series
made for paper: the pack's legends sit below the plot with full names (:func:`pack_chart`), and its
tokens chart always shows the services that matter for cost and risk (:func:`pack_tokens_figure`).

>>> from augur.drill import simulate
>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "acme", "target": "shop"})])
>>> outage = {"name": "outage", "steps": 10, "shocks": [
...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}
>>> before = simulate(G, parse_scenario(outage, graph=G))
>>> after = simulate(G, parse_scenario({**outage, "shocks": []}, graph=G))
>>> [trace.name for trace in compare_service_figure(before, after).data]
['before: cascade', 'after: graceful']
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.figures.series import tokens_figure
from augur.figures.theme import LEGEND_ROW, legend_names, legend_rows, overlay_layout, shock_bands
from augur.style import AFTER_COLOUR, BEFORE_COLOUR, SLO_COLOUR
from augur.text import node_name

__all__ = [
    "compare_service_figure",
    "compare_tokens_figure",
    "pack_chart",
    "pack_tokens_figure",
    "sized_for_page",
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
    fig = go.Figure(layout=overlay_layout(before, "Service level vs SLO, before and after", height))
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
    shapes = shock_bands(before)
    if [s.to_dict() for s in before.scenario.shocks] != [s.to_dict() for s in after.scenario.shocks]:
        shapes += shock_bands(after)
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
    fig = go.Figure(layout=overlay_layout(before, "Tokens vs baseline, before and after", height))
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
    fig.update_layout(shapes=shock_bands(before))
    fig.update_yaxes(range=[0, peak * 1.15], ticksuffix="×")
    return fig


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


def sized_for_page(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A pack chart at ``width`` x ``height`` px, its bottom margin grown to hold its legend."""
    rows = legend_rows(legend_names(fig), width - 16)
    margin = fig.layout.margin.to_plotly_json()
    margin["b"] = 24 + (LEGEND_ROW * rows + 8 if rows else 0)
    fig.update_layout(width=width, height=height + (LEGEND_ROW * rows if rows else 0), margin=margin)
    return fig
