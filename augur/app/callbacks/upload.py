"""Uploading a graph (any format of MODEL.md §4, a CSV pair included) or a scenario file, alone
or with the graph file(s) it names.

A bad upload changes nothing on screen but the message beside the upload.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from augur.app import ids
from augur.app.callbacks.common import OPEN_OUTPUTS, opened, unchanged
from augur.app.design import Catalogue, build_scenario, graph_store, read_design_upload, scenario_store
from augur.errors import AugurError

__all__ = ["register"]


def keep_fitting_shocks(scenario: dict, G) -> tuple[dict, int]:
    """The current design moved onto a new graph: the shocks whose targets it still has, and how
    many were dropped."""
    kept = []
    for shock in scenario.get("shocks", []):
        try:
            build_scenario(G, {**scenario, "shocks": [*kept, shock]})
        except AugurError:
            continue
        kept.append(shock)
    dropped = len(scenario.get("shocks", [])) - len(kept)
    return {**scenario, "shocks": kept}, dropped


def register(app: Dash, catalogue: Catalogue) -> None:
    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.UPLOAD, "contents"),
        Output(ids.PICKER, "value", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def upload(contents, filenames, current):
        """Open an uploaded graph (keeping the shocks that still fit) or scenario file."""
        if not contents:
            return [no_update] * (len(OPEN_OUTPUTS) + 2)
        names = ", ".join(filenames)
        try:
            what, value = read_design_upload(contents, filenames)
            if what == "scenario":
                graph = graph_store(value.graph, value.graph_ref or f"{filenames[0]} (inline graph)")
                note = f"Opened {names}: ready to run."
                return [*opened(value.graph, graph, scenario_store(value), note), None, None]
            G = value
            graph = graph_store(G, names)
            # the horizon, seed, SLO and budget carry over; the story and its expected verdict do not
            base = dict(current or {"steps": 96, "seed": 0, "slo": 0.9})
            base.pop("hypothesis", None)
            base.pop("description", None)
            base["name"] = f"Drill on {filenames[0]}"
            scenario, dropped = keep_fitting_shocks(base, G)
        except AugurError as err:
            return [*unchanged(str(err)), None, no_update]
        note = f"Loaded {names}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges."
        if dropped:
            note += f" {dropped} shock{'s' if dropped > 1 else ''} dropped: not in this graph."
        if not scenario["shocks"]:
            note += " Click a node or an edge to design a shock."
        return [*opened(G, graph, scenario_store(scenario), note), None, None]
