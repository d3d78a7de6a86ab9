"""The one look of every augur chart: frame, axes, shock bands, reference lines, legends and the step
marker, shared by the time series (:mod:`augur.figures.series`), the before/after overlays
(:mod:`augur.figures.compare`) and the network (:mod:`augur.figures.network`), whoever draws them:
the app, the review page or the one-image dashboards.

>>> fig = empty_figure("Run the drill to see this chart", title="Service level vs SLO")
>>> fig.layout.title.text, fig.layout.annotations[0].text
('Service level vs SLO', 'Run the drill to see this chart')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.style import FONT, GRID, INK, MUTED, SHOCK_FILL

__all__ = [
    "BELOW_PLOT_LEGEND",
    "BOTTOM_LEGEND",
    "CHAR",
    "LEGEND_ROW",
    "STEP_MARKER",
    "SWATCH",
    "empty_figure",
    "frame_layout",
    "hidden_axis",
    "hline",
    "legend_names",
    "legend_rows",
    "multiple_axis",
    "overlay_layout",
    "room_for_legend",
    "series_layout",
    "shock_bands",
    "short_label",
    "step_marker",
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
    fig.update_layout(**frame_layout(title, height=None))
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


def frame_layout(title: str, *, height: int | None) -> dict:
    """The layout every chart starts from: the title top left, the font, margins and white ground."""
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


def series_layout(result: DrillResult, title: str, *, height: int | None = None) -> dict:
    """A time-series chart's layout for ``result``: its steps on x, the shock bands, and the legend
    inside the plot, top right."""
    layout = frame_layout(title, height=height)
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
    layout["shapes"] = shock_bands(result)
    # Inside the plot, top right, over headroom the y range leaves for it (see room_for_legend):
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


def shock_bands(result: DrillResult) -> list[dict]:
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


def hline(y: float, text: str, colour: str, *, dash: str = "dash", below: bool = False) -> tuple[dict, dict]:
    """A horizontal reference line at ``y`` (the SLO, a budget, the baseline) and its label at the right
    edge, as ``(shape, annotation)``."""
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


BOTTOM_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": -0.14,
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0)",
}


# A legend in rows at the bottom of the figure, under the x ticks: a small chart whose names are wider
# than its plot gives it the figure's bottom margin (LEGEND_ROW px a row) rather than the plot's top.
BELOW_PLOT_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "xref": "container",
    "y": 0,
    "yanchor": "bottom",
    "yref": "container",
    "itemwidth": 30,
    "font": {"size": 10},
    "bgcolor": "rgba(255,255,255,0)",
}


def multiple_axis(fig: go.Figure, peak: float, entries: int) -> None:
    """A y axis of multiples (``2×``) from 0 to a little over ``peak``, with headroom for ``entries``
    legend lines and ticks only below it, where no legend text covers them.

    >>> fig = go.Figure()
    >>> multiple_axis(fig, 2.2, 3)
    >>> fig.layout.yaxis.tickvals
    (0.0, 0.5, 1.0, 1.5, 2.0)
    """
    top = peak * 1.12 if math.isfinite(peak) and peak > 0 else 1.12
    step = _nice_step(top / 5.5)
    ticks = [i * step for i in range(int(top / step) + 1)]
    fig.update_yaxes(
        range=[0, top * room_for_legend(entries)], tickvals=ticks, ticktext=[f"{t:g}×" for t in ticks]
    )


def _nice_step(least: float) -> float:
    """The smallest of 0.25, 0.5, then 1, 2, 5 times a power of ten that is at least ``least``: ticks
    for any peak, 3× or 5,000× (a fixed list of steps ran out past 5,000×).

    >>> _nice_step(0.3), _nice_step(3), _nice_step(910)
    (0.5, 5, 1000)
    """
    for step in (0.25, 0.5):
        if step >= least:
            return step
    power = 10 ** max(0, math.floor(math.log10(least)))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= least)


def room_for_legend(entries: int) -> float:
    """How much to stretch a y range so that ``entries`` legend lines fit above the data: a line of
    the 10 px legend takes about 19 px, some 15% of the app's small charts' plots (about 125 px high),
    so each entry gets 15% of the plot and the legend a clear 5% below it, at most 55% in all.

    >>> round(room_for_legend(1), 2), room_for_legend(3), room_for_legend(0)
    (1.25, 2.0, 1.0)
    """
    return 1.0 / (1.0 - min(0.15 * entries + 0.05, 0.55)) if entries else 1.0


def short_label(text: str, limit: int = 26) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for a small chart's legend."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hidden_axis(rng: tuple, domain: Sequence[float] | None = None, anchor: str | None = None) -> dict:
    """An axis drawn without ticks or grid over ``rng`` (a network's coordinates), optionally in
    ``domain`` and anchored to another axis."""
    axis = {"visible": False, "range": list(rng), "fixedrange": True, "showgrid": False, "zeroline": False}
    if domain is not None:
        axis["domain"] = list(domain)
    if anchor is not None:
        axis["anchor"] = anchor
    return axis


def overlay_layout(before: DrillResult, title: str, height: int | None) -> dict:
    """The layout of a chart that sets two drills side by side: the before drill's steps on x and the
    legend above the plot."""
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


LEGEND_ROW = 18  # px a row of a chart legend takes
SWATCH = 45  # px a legend entry takes besides its text (plotly: 40 to the text, 5 between entries)
CHAR = 5.4  # px a character of 11 px legend text takes, about (a little over, so rows are not missed)


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


def legend_names(fig: go.Figure) -> list[str]:
    """The names a figure's legend shows."""
    if fig.layout.showlegend is False:
        return []
    return [t.name for t in fig.data if t.showlegend is not False and t.name]
