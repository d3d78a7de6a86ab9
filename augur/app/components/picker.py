"""The drill picker: opening a listed drill, with the edits of the drill left behind kept.

Picking another drill never loses work. The drill on screen (``ids.ON_SCREEN``, its file name) is
compared with its file as it is left: a graph edited in the Edit tab, shocks or settings changed, and
its design (the designer's, as :mod:`augur.app.components.kept` keeps it while a view's drill stands
in for it) is kept in the browser by file name (``ids.EDITS``), the opening note saying so. Picking
that drill again opens it as it was left, the note saying so, with "Open the file as saved" to drop
the edits. A drill that fails to load changes nothing on screen, and the picker goes back to the
drill still shown; the message names the file as the picker lists it.

>>> mine = {"name": "Port strike", "rev": "r2", "shocks": [{"kind": "vendor_failure"}]}
>>> changed({"name": "g.yaml", "rev": "g1"}, mine, {"name": "Port strike", "rev": "r1", "shocks": []})
True
>>> changed({"name": "g.yaml", "rev": "g1"}, {**mine, "shocks": []}, {"name": "Port strike", "shocks": []})
False
>>> changed({"name": "g.yaml (edited)", "rev": "g2"}, {**mine, "shocks": []}, {"name": "Port strike"})
True
"""

from __future__ import annotations

from collections.abc import Mapping

from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur.app import ids
from augur.app.components.common import OPEN_OUTPUTS, opened, unchanged
from augur.app.components.kept import kept_bar_state
from augur.app.design import Catalogue, build_scenario, graph_of, graph_store, scenario_store
from augur.app.edit import EDITED
from augur.app.stores import checked_graph_store, checked_scenario_store
from augur.errors import AugurError
from augur.text.designer import AS_SAVED_LABEL, as_saved_text, edits_kept_text, edits_restored_text

__all__ = ["changed", "designers", "edits_bar", "keep_left", "register"]


def _fields(scenario: Mapping) -> dict:
    """A design as a file gives it: its revision and blank settings left out."""
    return {key: value for key, value in scenario.items() if key != "rev" and value is not None}


def changed(graph: Mapping | None, scenario: Mapping | None, saved: Mapping) -> bool:
    """Whether the design ``graph`` and ``scenario`` differs from its file's (``saved``, the
    scenario store the file opens as): a graph edited, shocks or settings changed."""
    if not graph or not scenario:
        return False
    return str(graph.get("name", "")).endswith(EDITED) or _fields(scenario) != _fields(saved)


def designers(scenario: Mapping | None, kept: Mapping | None, meta: Mapping | None) -> Mapping | None:
    """The designer's drill on screen: the one kept while a view's drill stands in for it, else
    ``scenario``."""
    if kept and not kept_bar_state(kept, scenario, meta)[1]:
        return kept["scenario"]
    return scenario


def keep_left(
    catalogue: Catalogue, left: str | None, edits: Mapping | None, graph, scenario, kept
) -> tuple[dict, str]:
    """The kept edits once the drill ``left`` (its file name, or None) goes from the screen, and a
    sentence to add to the opening note ('' when nothing was kept)."""
    edits = dict(edits or {})
    if not left or not graph:
        return edits, ""
    mine = designers(scenario, kept, {"rev": graph.get("rev")})
    try:
        saved = scenario_store(catalogue.load(left))
    except AugurError:  # the file went or broke since: what is on screen is all there is of it
        saved = {}
    if not changed(graph, mine, saved):
        edits.pop(left, None)
        return edits, ""
    edits[left] = {"graph": dict(graph), "scenario": dict(mine)}
    return edits, " " + edits_kept_text(left)


def _restored(entry: Mapping):
    """The kept design's graph, graph store and scenario store, checked as the app wrote them."""
    graph = checked_graph_store(entry.get("graph"))
    scenario = checked_scenario_store(entry.get("scenario"))
    G = graph_of(graph)
    build_scenario(G, scenario)
    return G, dict(graph), dict(scenario)


def edits_bar() -> html.Div:
    """The stores of the drill on screen and of the kept edits, and "Open the file as saved",
    hidden until a drill is opened with its kept edits."""
    return html.Div(
        [
            html.Button(AS_SAVED_LABEL, id=ids.AS_SAVED, className="button secondary", n_clicks=0),
            dcc.Store(id=ids.EDITS, data=None),
            dcc.Store(id=ids.RESTORED, data=None),
        ],
        id=ids.EDITS_BAR,
        className="edits-bar",
        hidden=True,
    )


def _open_file(catalogue: Catalogue, name: str, note: str) -> list:
    scenario = catalogue.load(name)
    graph = graph_store(scenario.graph, scenario.graph_ref or name)
    return opened(scenario.graph, graph, scenario_store(scenario), note)


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach the picker's callbacks to ``app``."""

    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.PICKER, "value", allow_duplicate=True),
        Output(ids.ON_SCREEN, "data", allow_duplicate=True),
        Output(ids.EDITS, "data", allow_duplicate=True),
        Output(ids.RESTORED, "data", allow_duplicate=True),
        Input(ids.PICKER, "value"),
        State(ids.ON_SCREEN, "data"),
        State(ids.EDITS, "data"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.KEPT, "data"),
        prevent_initial_call=True,
    )
    def open_bundled(name, on_screen, edits, graph, scenario, kept):
        """Open a listed drill, as it was left when it was left with edits; earlier results are
        cleared, the drill left keeps its edits; a drill that fails to load leaves all as it was."""
        if not name or name == on_screen:  # cleared after an upload, or put back after a refusal
            raise PreventUpdate
        try:
            file = catalogue.load(name)
        except AugurError as err:
            return [*unchanged(str(err)), on_screen, no_update, no_update, no_update]
        edits, left = keep_left(catalogue, on_screen, edits, graph, scenario, kept)
        entry = edits.pop(name, None)
        if entry is not None:
            try:
                G, graph, scenario = _restored(entry)
            except AugurError:  # not what the app wrote: the file it is, then
                entry = None
        if entry is None:
            graph = graph_store(file.graph, file.graph_ref or name)
            shown = opened(file.graph, graph, scenario_store(file), f"Opened {name}: ready to run.{left}")
            return [*shown, no_update, name, edits, None]
        text = edits_restored_text(name, graph.get("name") or name, len(scenario.get("shocks", [])))
        return [*opened(G, graph, scenario, text + left), no_update, name, edits, name]

    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.RESTORED, "data", allow_duplicate=True),
        Input(ids.AS_SAVED, "n_clicks"),
        State(ids.ON_SCREEN, "data"),
        prevent_initial_call=True,
    )
    def open_as_saved(clicks, name):
        """The drill on screen as its file has it, its edits dropped at the designer's word."""
        if not clicks or not name:
            raise PreventUpdate
        try:
            return [*_open_file(catalogue, name, as_saved_text(name)), None]
        except AugurError as err:
            return [*unchanged(str(err)), no_update]

    @app.callback(
        Output(ids.EDITS_BAR, "hidden"),
        Input(ids.RESTORED, "data"),
        Input(ids.ON_SCREEN, "data"),
    )
    def show_as_saved(restored, on_screen):
        return not restored or restored != on_screen
