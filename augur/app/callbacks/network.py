"""Drawing the network in the browser (assets/augur.js) from the compact view the server sends, fitting
it back into view, and downloading it as a PNG (cytoscape's image export, with a margin, in the browser)."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from augur.app import ids
from augur.app.design import Catalogue

__all__ = ["register"]


def register(app: Dash, catalogue: Catalogue) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="draw"),
        Output(ids.NETWORK_DRAWN, "children"),
        Input(ids.NETWORK_VIEW, "data"),
        State(ids.NETWORK, "id"),
        State(ids.NETWORK_DRAWN, "id"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="fit"),
        Output(ids.FIT, "title"),
        Input(ids.FIT, "n_clicks"),
        State(ids.NETWORK, "id"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="networkPng"),
        Output(ids.NETWORK_PNG, "title"),
        Input(ids.NETWORK_PNG, "n_clicks"),
        State(ids.SCENARIO, "data"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.DRILL, "data"),
        State(ids.GRAPH_META, "data"),
        State(ids.SLIDER, "value"),
        State(ids.NETWORK, "id"),
        prevent_initial_call=True,
    )
