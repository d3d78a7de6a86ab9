"""The timeline: replaying a drill in the browser (assets/augur.js), with no server round-trip.

Moving the slider (by hand, by Play, or by clicking an event) recolours the network and moves the
marker on every chart from the frames the run sent once.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from augur.app import ids
from augur.app.design import Catalogue

__all__ = ["register"]


def _js(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="augur", function_name=name)


def register(app: Dash, catalogue: Catalogue) -> None:
    app.clientside_callback(
        _js("frame"),
        *(Output(chart, "figure") for chart in ids.CHARTS),
        Output(ids.CHART_NODE, "figure"),
        Output(ids.STEP_LABEL, "children"),
        Output(ids.EVENTS, "style_data_conditional"),
        Input(ids.SLIDER, "value"),
        Input(ids.DRILL, "data"),
        Input(ids.NODE, "data"),
        Input(ids.SCENARIO, "data"),
        State(ids.GRAPH_META, "data"),
        State(ids.PLACEHOLDERS, "data"),
        State(ids.NETWORK, "id"),
        State(ids.EVENTS, "id"),
    )
    app.clientside_callback(
        _js("play"),
        Output(ids.SLIDER, "value", allow_duplicate=True),
        Output(ids.TICKER, "disabled"),
        Output(ids.PLAY, "children"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.TICKER, "n_intervals"),
        State(ids.SLIDER, "value"),
        State(ids.SLIDER, "max"),
        State(ids.TICKER, "disabled"),
        State(ids.DRILL, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _js("jump"),
        Output(ids.SLIDER, "value", allow_duplicate=True),
        Input(ids.EVENTS, "active_cell"),
        State(ids.EVENTS, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _js("stale"),
        Output(ids.STALE_NOTE, "children"),
        Output(ids.STALE_NOTE, "hidden"),
        Output(ids.RUN, "className"),
        Input(ids.RUN_DESIGN, "data"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.SCENARIO, "data"),
    )
    # each chart's "Download plot as png" names its file after the drill on screen
    app.clientside_callback(
        _js("chartFiles"),
        *(Output(chart, "config") for chart in (*ids.CHARTS, ids.CHART_NODE)),
        Input(ids.RUN_DESIGN, "data"),
        Input(ids.NODE, "data"),
        *(State(chart, "config") for chart in (*ids.CHARTS, ids.CHART_NODE)),
    )
