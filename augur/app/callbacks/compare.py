"""Before and after: pin a run, open the compare view beside another drill, export the pair's pack.

Pinning copies the run's design into the session's pinned store in the browser (assets/augur.js); the
compare view runs both drills again on the server from their designs (:func:`compare_pair`) and keeps
nothing there.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update

from augur.app import ids
from augur.app.compare import (
    SAME_SHOCKS,
    compare_pair,
    compare_panel,
    compare_stem,
    instructions,
    on_screen,
    other_drill,
    roles,
    same_shocks_default,
)
from augur.app.design import Catalogue
from augur.errors import AugurError
from augur.figures import compare_service_figure, empty_figure

__all__ = ["register"]

PAIR_STATE = (
    State(ids.COMPARE_WITH, "value"),
    State(ids.COMPARE_SAME_SHOCKS, "value"),
    State(ids.PINNED, "data"),
    State(ids.GRAPH, "data"),
    State(ids.RUN_DESIGN, "data"),
    State(ids.SCENARIO, "data"),
)


def _js(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="augur", function_name=name)


def _pair(catalogue: Catalogue, choice, swapped, same, pinned, graph, design, scenario):
    """``(before, after, origins)`` for the compare view's settings, or None before a choice.

    Raises :class:`AugurError` when there is no drill on screen or the two cannot be run alike.
    """
    screen = on_screen(graph, design, scenario)
    if screen is None:
        raise AugurError("load a drill first: the compare view sets the drill on screen beside another")
    other = other_drill(choice, catalogue, pinned)
    if other is None:
        return None
    role = roles(choice, bool(swapped))
    before, after = compare_pair(screen, other, on_screen_is=role, same_shocks=SAME_SHOCKS in (same or []))
    mine = "on screen, as run" if screen.run else "on screen, not run yet"
    origins = (mine, other.origin) if role == "before" else (other.origin, mine)
    return before, after, origins


def _blank_chart(text: str) -> dict:
    return empty_figure(text, title="Service level vs SLO, before and after").to_plotly_json()


def register(app: Dash, catalogue: Catalogue) -> None:
    app.clientside_callback(
        _js("pin"),
        Output(ids.PINNED, "data"),
        Output(ids.COMPARE_WITH, "options"),
        Output(ids.COMPARE_WITH, "value"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Input(ids.PIN, "n_clicks"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.GRAPH, "data"),
        State(ids.DRILL, "data"),
        State(ids.COMPARE_WITH, "options"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _js("closeCompare"),
        Output(ids.COMPARE, "hidden", allow_duplicate=True),
        Input(ids.COMPARE_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.COMPARE_SAME_SHOCKS, "value"),
        Input(ids.COMPARE_WITH, "value"),
        prevent_initial_call=True,
    )
    def default_same_shocks(choice):
        """A new choice sets 'Same shocks' to what suits it (:func:`same_shocks_default`); the
        compare view then runs once, with it."""
        return same_shocks_default(choice)

    @app.callback(
        Output(ids.COMPARE, "hidden"),
        Output(ids.COMPARE_SWAPPED, "data"),
        Output(ids.COMPARE_BODY, "children"),
        Output(ids.COMPARE_CHART, "figure"),
        Output(ids.COMPARE_CHART, "config"),
        Output(ids.COMPARE_EXPORT, "disabled"),
        Output(ids.COMPARE_MESSAGE, "children"),
        Output(ids.COMPARE_MESSAGE, "className"),
        Input(ids.COMPARE_OPEN, "n_clicks"),
        Input(ids.COMPARE_WITH, "value"),
        Input(ids.COMPARE_SWAP, "n_clicks"),
        Input(ids.COMPARE_SAME_SHOCKS, "value"),
        State(ids.COMPARE, "hidden"),
        State(ids.COMPARE_SWAPPED, "data"),
        *PAIR_STATE[2:],
        State(ids.COMPARE_CHART, "config"),
        running=[(Output(ids.COMPARE_SWAP, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def compare(_, choice, __, same, hidden, swapped, pinned, graph, design, scenario, config):
        """Open the compare view, or follow a change of its settings: run both drills and show them."""
        trigger = ctx.triggered_id
        if trigger == ids.COMPARE_WITH:
            swapped = False  # a new choice starts from its natural order
        elif trigger == ids.COMPARE_SWAP:
            swapped = not swapped
        if hidden and trigger != ids.COMPARE_OPEN:
            return no_update, swapped, *[no_update] * 6
        try:
            pair = _pair(catalogue, choice, swapped, same, pinned, graph, design, scenario)
        except AugurError as err:
            blank = _blank_chart("Nothing to compare")
            return False, swapped, instructions(), blank, no_update, True, str(err), "message error"
        if pair is None:
            blank = _blank_chart("Choose a drill to compare with")
            return False, swapped, instructions(), blank, no_update, True, "", "message"
        before, after, origins = pair
        figure = compare_service_figure(before, after).to_plotly_json()
        stem = compare_stem(before, after)
        files = {**config.get("toImageButtonOptions", {}), "filename": f"{stem}-service-level"}
        config = {**config, "toImageButtonOptions": files}
        return False, swapped, compare_panel(before, after, origins), figure, config, False, "", "message"

    @app.callback(
        Output(ids.COMPARE_DOWNLOAD, "data"),
        Output(ids.COMPARE_MESSAGE, "children", allow_duplicate=True),
        Output(ids.COMPARE_MESSAGE, "className", allow_duplicate=True),
        Input(ids.COMPARE_EXPORT, "n_clicks"),
        State(ids.COMPARE_SWAPPED, "data"),
        *PAIR_STATE,
        running=[
            (Output(ids.COMPARE_EXPORT, "disabled"), True, False),
            (Output(ids.COMPARE_EXPORT, "children"), "Exporting…", "⤓ Export before/after"),
        ],
        prevent_initial_call=True,
    )
    def export_pair(_, swapped, choice, same, pinned, graph, design, scenario):
        """The before/after review pack (HTML page and PNG in one zip) of the two drills shown."""
        from augur.report import pack_filename, pack_zip

        try:
            pair = _pair(catalogue, choice, swapped, same, pinned, graph, design, scenario)
        except AugurError as err:
            return no_update, str(err), "message error"
        if pair is None:
            return no_update, "Choose a drill to compare with first.", "message error"
        before, after, _ = pair
        filename = pack_filename((before, after), "zip")
        note = f"Saved {filename}: the before/after page (HTML) and its one-image summary (PNG)."
        return dcc.send_bytes(pack_zip((before, after)), filename), note, "message ok"
