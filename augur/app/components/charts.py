"""The page's charts (service level, tokens, quality, CI width, and the node chart of the detail card):
each a ``dcc.Graph`` with the same mode bar, showing a blank chart that says why it is blank until the
drill has run. The timeline (:mod:`augur.app.components.timeline`) draws them from the run's frames."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from augur.app import ids
from augur.figures import empty_figure

__all__ = [
    "CHART_CONFIG",
    "CHART_TITLES",
    "MODEBAR_BAND",
    "below_modebar",
    "chart",
    "chart_card",
    "placeholders",
]


# The mode bar (on hover) keeps zoom, pan and "Download plot as a PNG"; assets/augur.js names each
# chart's file after the drill on screen (toImageButtonOptions.filename). plotly.js 3's "Share chart"
# uploads the chart's data to Plotly Cloud: a drill's supply graph stays on the user's machine.
CHART_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "augur-chart"},
}


# The mode bar's strip at the top right of a chart, in px: it is about 22 px high and sits 2 px in.
MODEBAR_BAND = 26


def below_modebar(fig: go.Figure) -> go.Figure:
    """``fig`` with its title and plot lowered under the mode bar's strip, for the views' cards,
    whose titles run the width of the card and lay under the bar the moment the pointer came near
    ("Service level of the random drills: p5, median, p95"). The figure's height stays; the pack
    draws the same figures without a mode bar, so it leaves them as they are.

    >>> fig = below_modebar(go.Figure(layout={"title": {"text": "Loss"}, "margin": {"t": 30}}))
    >>> fig.layout.margin.t, fig.layout.title.pad.t, fig.layout.title.y, fig.layout.title.yanchor
    (56, 26, 1, 'top')
    """
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 30
    fig.update_layout(
        margin_t=top + MODEBAR_BAND,
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": MODEBAR_BAND}},
    )
    return fig


CHART_TITLES = {
    ids.CHART_SERVICE: "Service level vs SLO",
    ids.CHART_TOKENS: "Tokens vs baseline",
    ids.CHART_QUALITY: "Data quality",
    ids.CHART_CI: "Confidence-interval width",
}


def placeholders() -> dict:
    """The blank charts the timeline shows while there are no results: ``charts`` in the order of
    :data:`ids.CHARTS`, and ``node``."""
    return {
        "charts": [
            empty_figure("Run the drill to see this chart", title=CHART_TITLES[chart]).to_plotly_json()
            for chart in ids.CHARTS
        ],
        "node": empty_figure("Click a node in the network to see its story").to_plotly_json(),
    }


def _placeholder(chart_id: str) -> dict:
    blank = placeholders()
    return blank["node"] if chart_id == ids.CHART_NODE else blank["charts"][ids.CHARTS.index(chart_id)]


def chart(chart_id: str, extra_class: str = "") -> dcc.Graph:
    """The ``dcc.Graph`` of ``chart_id``, showing its blank placeholder until the drill has run."""
    return dcc.Graph(
        id=chart_id,
        figure=_placeholder(chart_id),
        config=CHART_CONFIG,
        className=f"chart {extra_class}".strip(),
    )


def chart_card(chart_id: str) -> html.Div:
    """One chart in a card of the page's grid."""
    return html.Div(chart(chart_id), className="card")
