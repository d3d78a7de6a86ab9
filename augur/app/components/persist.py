"""Nothing lost on a reload: the design is saved in the browser as it changes, and reopened on load.

Saving happens in the browser (the graph is not sent back to the server for it): whenever the graph,
the scenario or the results change, the saved design (:mod:`augur.app.stores`) is rewritten, without
the graph when it is larger than :data:`~augur.app.stores.KEEP_LIMIT`. On load, the first time the
page sees a saved design that is not what it shows, it hands it to the server, which checks it in
one place and opens it as an upload would; if the results were of that design, it runs it again. A
saved design that does not check out leaves the page on the bundled drill, with a message.

The design is kept in ``sessionStorage``: it belongs to the tab, as a session does (two tabs drill two
designs and never switch each other's), and survives a reload and a server restart; closing the tab
ends it, as the downloaded scenario file does not.
"""

from __future__ import annotations

import json

from dash import Dash, Input, Output, State, no_update

from augur.app import ids
from augur.app.components.common import OPEN_OUTPUTS, opened, unchanged
from augur.app.design import Catalogue, build_scenario, graph_of
from augur.app.stores import KEEP_LIMIT, REFUSED, SAVED_VERSION, checked_saved_design
from augur.errors import AugurError

__all__ = ["register"]

REOPENED = "Reopened your design on {name}, as you left it{run}."

SAVE = """
function (graph, scenario, runDesign, onScreen) {
    if (!graph || !scenario) { return window.dash_clientside.no_update; }
    var size = JSON.stringify(graph).length;
    var ran = !!runDesign && runDesign.graph_rev === graph.rev &&
        JSON.stringify(runDesign.scenario) === JSON.stringify(scenario);
    return {version: VERSION, graph: size <= LIMIT ? graph : null, graph_name: graph.name,
            graph_size: size, scenario: scenario, ran: ran, on_screen: onScreen || null};
}
""".replace("VERSION", str(SAVED_VERSION)).replace("LIMIT", str(KEEP_LIMIT))

# Once per page load, at its first call: the saved design is read from sessionStorage itself (not
# from the store, which may not have read it yet) and reopened unless the page already shows it and
# has no results to bring back.
OFFER = """
function () {
    var nothing = window.dash_clientside.no_update;
    if (window.augurSavedSeen) { return nothing; }
    window.augurSavedSeen = true;
    var saved;
    try { saved = JSON.parse(window.sessionStorage.getItem(SAVED_ID)); }
    catch (err) { saved = "unreadable"; }
    if (!saved) { return nothing; }
    var graphMeta = arguments[1], scenario = arguments[2];
    if (saved.graph && graphMeta && saved.graph.rev === graphMeta.rev && !saved.ran &&
        JSON.stringify(saved.scenario) === JSON.stringify(scenario)) { return nothing; }
    return saved;
}
""".replace("SAVED_ID", json.dumps(ids.SAVED))


def register(app: Dash, catalogue: Catalogue) -> None:
    app.clientside_callback(
        SAVE,
        Output(ids.SAVED, "data"),
        Input(ids.GRAPH, "data"),
        Input(ids.SCENARIO, "data"),
        Input(ids.RUN_DESIGN, "data"),
        State(ids.ON_SCREEN, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        OFFER,
        Output(ids.REOPEN, "data"),
        Input(ids.SAVED, "modified_timestamp"),
        State(ids.GRAPH_META, "data"),
        State(ids.SCENARIO, "data"),
    )

    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.RUN, "n_clicks", allow_duplicate=True),
        Output(ids.PICKER, "value", allow_duplicate=True),
        Output(ids.ON_SCREEN, "data", allow_duplicate=True),
        Input(ids.REOPEN, "data"),
        State(ids.RUN, "n_clicks"),
        prevent_initial_call=True,
    )
    def reopen(saved, clicks):
        """Open the design the browser kept, checked first; run it again if its results were shown.
        The picker shows the listed drill it was, none for an upload."""
        if not saved:
            return [no_update] * (len(OPEN_OUTPUTS) + 3)
        try:
            design = checked_saved_design(saved)
        except AugurError as err:  # its message is a sentence for the page
            return [*unchanged(err.message), no_update, no_update, no_update]
        try:
            G = graph_of(design["graph"])
            build_scenario(G, design["scenario"])
        except AugurError as err:
            return [*unchanged(REFUSED.format(reason=str(err))), no_update, no_update, no_update]
        run = ", and ran it again" if design["ran"] else ""
        note = REOPENED.format(name=design["graph"]["name"], run=run)
        again = (clicks or 0) + 1 if design["ran"] else no_update
        listed = saved.get("on_screen") if saved.get("on_screen") in dict(catalogue.entries) else None
        return [*opened(G, design["graph"], dict(design["scenario"]), note), again, listed, listed]
