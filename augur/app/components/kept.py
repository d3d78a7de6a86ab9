"""The drill the designer built, kept while a view's drill stands in for it, and the way back.

A view that drills something (a row of the weak points, the worst random drill) replaces the shocks
on screen. The design it replaced is kept in the browser (``ids.KEPT``, :func:`kept_before`); a line
over the shocks says which drill is on screen and that the designer's is kept, and "Back to your
drill" restores it, shocks and settings, and runs it. Drilling a second row from the first keeps the
designer's drill, not the view's; a drill the designer edited after a view set it is theirs, and is
kept in its turn. Opening another drill or graph leaves the kept one behind: its shocks were on
another graph. The kept drill lives in the tab's session storage, so a reload keeps it as it keeps
the design on screen.

>>> mine = {"name": "Port strike", "rev": "r1", "shocks": [{"kind": "vendor_failure"}]}
>>> kept = kept_before(mine, None, "g1", "r2")
>>> kept_before({"name": "Weak point: a fails alone", "rev": "r2"}, kept, "g1", "r3")["scenario"]["name"]
'Port strike'
>>> kept_bar_state(kept, {"name": "Weak point: a fails alone", "rev": "r2"}, {"rev": "g1"})[1]
False
"""

from __future__ import annotations

from collections.abc import Mapping

from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur.app import ids
from augur.app.components import views
from augur.app.components.common import message, step_unit_options
from augur.app.design import Catalogue
from augur.app.stores import checked_scenario_store
from augur.errors import AugurError
from augur.text.designer import BACK_LABEL, kept_text, restored_text

__all__ = ["kept_bar", "kept_bar_state", "kept_before", "register", "restored_fields"]


def kept_before(scenario: Mapping | None, kept: Mapping | None, graph_rev, drilled_rev) -> dict | None:
    """The kept store once a view's drill (revision ``drilled_rev``) replaces the design
    ``scenario`` on the graph of revision ``graph_rev``: the design itself, unless it is the view's
    earlier drill untouched, when the drill kept before it stays."""
    if not scenario:
        return dict(kept) if kept else None
    if kept and kept.get("graph_rev") == graph_rev and kept.get("by") == scenario.get("rev"):
        return {**kept, "by": drilled_rev}
    return {"scenario": dict(scenario), "graph_rev": graph_rev, "by": drilled_rev}


def kept_bar_state(kept: Mapping | None, scenario: Mapping | None, meta: Mapping | None) -> tuple[str, bool]:
    """The line over the shocks and whether it is hidden: shown while a kept drill of this graph is
    not the one on screen."""
    if not kept or not scenario or not meta or kept.get("graph_rev") != meta.get("rev"):
        return "", True
    mine = kept["scenario"]
    if mine.get("rev") == scenario.get("rev"):
        return "", True
    return kept_text(scenario.get("name") or "", mine.get("name") or "", len(mine.get("shocks", []))), False


def restored_fields(scenario: Mapping) -> list:
    """The settings fields as the restored ``scenario`` reads, in :func:`register`'s order."""
    unit = scenario.get("step_unit", "hour")
    return [
        scenario.get("name", ""),
        scenario.get("steps"),
        step_unit_options(unit),
        unit,
        scenario.get("seed"),
        round(scenario.get("slo", 0.9) * 100, 2),
        scenario.get("token_budget"),
        scenario.get("hypothesis"),
    ]


def kept_bar() -> html.Div:
    """Which drill is on screen and that the designer's is kept, with the way back: hidden until a
    view's drill stands in for the designer's."""
    return html.Div(
        [
            html.Span(id=ids.KEPT_TEXT, className="kept-text"),
            html.Button(BACK_LABEL, id=ids.KEPT_BACK, className="button secondary kept-back", n_clicks=0),
            # kept per tab across a reload, as the design on screen is (components.persist)
            dcc.Store(id=ids.KEPT, data=None, storage_type="session"),
        ],
        id=ids.KEPT_BAR,
        className="kept-bar",
        role="status",
        hidden=True,
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach the bar's callbacks to ``app``."""

    @app.callback(
        Output(ids.KEPT_TEXT, "children"),
        Output(ids.KEPT_BAR, "hidden"),
        Input(ids.KEPT, "data"),
        Input(ids.SCENARIO, "data"),
        Input(ids.GRAPH_META, "data"),
    )
    def show_kept(kept, scenario, meta):
        return kept_bar_state(kept, scenario, meta)

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Output(ids.NAME, "value", allow_duplicate=True),
        Output(ids.STEPS, "value", allow_duplicate=True),
        Output(ids.STEP_UNIT, "options", allow_duplicate=True),
        Output(ids.STEP_UNIT, "value", allow_duplicate=True),
        Output(ids.SEED, "value", allow_duplicate=True),
        Output(ids.SLO, "value", allow_duplicate=True),
        Output(ids.TOKEN_BUDGET, "value", allow_duplicate=True),
        Output(ids.HYPOTHESIS, "value", allow_duplicate=True),
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.KEPT, "data", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "children", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "className", allow_duplicate=True),
        Input(ids.KEPT_BACK, "n_clicks"),
        State(ids.KEPT, "data"),
        State(ids.GRAPH_META, "data"),
        prevent_initial_call=True,
    )
    def back_to_kept(clicks, kept, meta):
        """The designer's drill back on screen, shocks and settings as they left them, and run."""
        if not clicks or not kept or not meta or kept.get("graph_rev") != meta.get("rev"):
            raise PreventUpdate
        try:
            mine = checked_scenario_store(kept["scenario"])  # what the browser sent is what the app wrote
        except AugurError as err:
            return *[no_update] * 11, *message(err.describe(source=False), error=True)
        done = message(restored_text(mine.get("name") or ""), error=False)
        return mine, *restored_fields(mine), views.run_request(), None, *done
