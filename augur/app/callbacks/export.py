"""Downloads: the design as a scenario file that `augur run` reproduces exactly, and 'Export review': the
review pack of the drill on screen (augur.report) for the people who were not in the room."""

from __future__ import annotations

from dash import Dash, Input, Output, State, dcc, no_update

from augur.app import ids
from augur.app.callbacks.common import message
from augur.app.design import Catalogue, build_scenario, graph_of, scenario_file
from augur.drill import simulate
from augur.errors import AugurError

__all__ = ["register", "review_pack"]

PACK_FORMATS = ("html", "png")


def review_pack(graph: dict, scenario: dict) -> tuple[str, bytes]:
    """The review pack of a design as one zip: ``(file name, bytes)``."""
    from augur.report import pack_filename, pack_zip

    G = graph_of(graph)
    result = simulate(G, build_scenario(G, scenario))
    return pack_filename(result, "zip"), pack_zip(result, PACK_FORMATS)


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
            return no_update, *message(err.describe(source=False), error=True)
        note = f"Saved {filename}: `augur run {filename}` reproduces this drill."
        return dcc.send_string(text, filename, type="application/x-yaml"), *message(note, error=False)

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Input(ids.EXPORT, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.SCENARIO, "data"),
        running=[
            (Output(ids.EXPORT, "disabled"), True, False),
            (Output(ids.EXPORT, "children"), "Exporting…", "Export review"),
        ],
        prevent_initial_call=True,
    )
    def export_review(_, graph, design, scenario):
        """The review pack of the results on screen: the design they were run on, not later edits."""
        if not design or not graph or design["graph_rev"] != graph["rev"]:
            return no_update, *message(
                "Run the drill first: the review pack reports the drill on screen.", error=True
            )
        try:
            filename, data = review_pack(graph, design["scenario"])
        except AugurError as err:
            return no_update, *message(err.describe(source=False), error=True)
        edited = scenario is not None and scenario.get("rev") != design["scenario"].get("rev")
        note = f"Saved {filename}: the dashboard (PNG) and the report (HTML) of the drill " + (
            "as run, not your later edits." if edited else "on screen."
        )
        return dcc.send_bytes(data, filename), *message(note, error=False)
