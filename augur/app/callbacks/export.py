"""Downloading the design as a scenario file that `augur run` reproduces exactly."""

from __future__ import annotations

from dash import Dash, Input, Output, State, dcc, no_update

from augur.app import ids
from augur.app.callbacks.common import message
from augur.app.design import Catalogue, scenario_file
from augur.errors import AugurError

__all__ = ["register"]


def register(app: Dash, catalogue: Catalogue) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Input(ids.DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def download(_, graph, scenario):
        if not graph or not scenario:
            return no_update, *message("Load a drill or upload a graph first.", error=True)
        try:
            filename, text = scenario_file(graph, scenario)
        except AugurError as err:
            return no_update, *message(str(err).replace("this drill: ", ""), error=True)
        note = f"Saved {filename}: `augur run {filename}` reproduces this drill."
        return dcc.send_string(text, filename, type="application/x-yaml"), *message(note, error=False)
