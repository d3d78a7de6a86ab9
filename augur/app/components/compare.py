"""The compare view: the drill on screen beside another one (the pinned run or a bundled drill), run
under the same shocks, as an overlay over the page, and its export. Pinning copies the run's design
into the session's pinned store in the browser (assets/augur.js); the view runs both drills again on
the server from their designs (:func:`augur.app.compare.compare_pair`) and keeps nothing there. The
panel's parts come from :func:`augur.text.compare.compare_facts`, so the app and the review pack call the
same figures better or worse."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from augur.app import ids
from augur.app.compare import (
    PINNED_CHOICE,
    SAME_SHOCKS,
    compare_pair,
    compare_stem,
    on_screen,
    other_drill,
    roles,
    same_shocks_default,
)
from augur.app.components.charts import below_modebar
from augur.app.components.common import OPEN_OUTPUTS, opened
from augur.app.components.views import run_request
from augur.app.design import Catalogue, graph_of
from augur.drill import DrillResult
from augur.errors import AugurError
from augur.figures import compare_service_figure, empty_figure
from augur.report import pack_filename, pack_zip
from augur.text import hypothesis_note
from augur.text.compare import compare_facts, first_few_text
from augur.text.export import export_failed_text
from augur.text.fixit import reopened_note, undo_hint

__all__ = ["compare_overlay", "compare_panel", "instructions", "register"]

log = logging.getLogger(__name__)


def _side(result: DrillResult, role: str, origin: str) -> html.Div:
    m = result.metrics
    note = hypothesis_note(m)
    return html.Div(
        [
            html.Div([html.Strong(role.upper()), f" · {origin}"], className="side-role"),
            html.Div(result.scenario.name, className="side-name", title=result.scenario.name),
            html.Div(
                [
                    html.Span(m["verdict"].upper(), className=f"side-verdict verdict-{m['verdict']}"),
                    html.Span(note, className="side-note"),
                ],
                className="side-verdict-row",
            ),
        ],
        className=f"compare-side side-{role}",
        **{"data-verdict": m["verdict"]},
    )


def _rows(facts: Mapping) -> html.Table:
    head = html.Thead(
        html.Tr([html.Th("Figure"), html.Th("Before"), html.Th("After"), html.Th("Change"), html.Th("")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(row["label"], title=f"{row['better_when']} is better"),
                    html.Td(row["before"]),
                    html.Td(row["after"]),
                    html.Td(row["delta"]),
                    html.Td(row["mark"], className="delta-mark"),
                ],
                className=f"delta-{row['direction'].replace('/', '')}",
            )
            for row in facts["rows"]
        ]
    )
    return html.Table([head, body], className="delta-table")


def _changes(facts: Mapping, limit: int = 4) -> html.Div:
    """What differs between the two drills: shocks, settings, graph, in a few short lines."""
    lines = []
    if facts["same_shocks"]:
        text = first_few_text([f"{s['when']}: {s['what']}" for s in facts["shocks_before"]], limit)
        lines.append(html.Li([html.Strong("Same shocks: "), text or "none"]))
    else:
        text = first_few_text(facts["shock_changes"], limit)
        lines.append(html.Li([html.Strong("Different shocks: "), text]))
    if facts["settings"]:
        lines.append(html.Li([html.Strong("Settings: "), "; ".join(facts["settings"])]))
    changes = facts["graph_changes"]
    if changes:
        text = first_few_text(changes, limit)
        lines.append(html.Li([html.Strong("Graph: "), text]))
    elif facts["same_graph"]:
        lines.append(html.Li([html.Strong("Graph: "), "the same in both"]))
    return html.Div([html.H3("What differs"), html.Ul(lines)], className="compare-changes")


def compare_panel(before: DrillResult, after: DrillResult, origins: tuple[str, str]) -> list:
    """The compare panel's text: both verdicts, the overall call, the KPI deltas and what differs."""
    facts = compare_facts(before, after)
    return [
        html.Div(
            [
                _side(before, "before", origins[0]),
                html.Div("→", className="compare-arrow"),
                _side(after, "after", origins[1]),
            ],
            className="compare-sides",
        ),
        html.Div(
            facts["sentence"],
            className=f"compare-overall overall-{facts['overall']}",
            **{"data-overall": facts["overall"]},
        ),
        _rows(facts),
        _changes(facts),
    ]


def instructions() -> list:
    """What the compare view says before a second drill is chosen."""
    return [
        html.Div(
            [
                html.P("Set the drill on screen beside another one to show what a change does:"),
                html.Ol(
                    [
                        html.Li(
                            "pick a bundled drill above, for example the same outage with a mitigation; or"
                        ),
                        html.Li(
                            "close this, press 'Pin as before', change the design (upload a graph with a "
                            "second source, add buffer stock, change a setting), run it, and compare again."
                        ),
                    ]
                ),
                html.P(
                    "With 'Same shocks' ticked, both drills run under the shocks on screen; the KPI "
                    "table marks each figure better or worse.",
                    className="muted",
                ),
            ],
            className="compare-instructions",
        )
    ]


def _controls(catalogue: Catalogue) -> html.Div:
    """What to compare with, whether with the same shocks, and the swap of before and after."""
    options = [{"label": label, "value": name} for name, label in catalogue.entries]
    return html.Div(
        [
            html.Label(
                [
                    html.Span("Compare the drill on screen with", className="field-label"),
                    dcc.Dropdown(
                        id=ids.COMPARE_WITH,
                        options=options,
                        value=None,
                        placeholder="Choose a bundled drill or the pinned run…",
                        clearable=False,
                        searchable=False,
                        className="compare-picker",
                    ),
                ],
                className="compare-with",
            ),
            dcc.Checklist(
                id=ids.COMPARE_SAME_SHOCKS,
                options=[{"label": " Same shocks (the ones on screen)", "value": SAME_SHOCKS}],
                value=[SAME_SHOCKS],
                className="compare-same",
                inputClassName="compare-same-input",
            ),
            html.Button(
                "⇄ Swap before / after",
                id=ids.COMPARE_SWAP,
                className="button",
                n_clicks=0,
                title="Make the drill on screen the other side of the comparison",
            ),
        ],
        className="compare-controls",
    )


def _head(catalogue: Catalogue) -> html.Div:
    """The overlay's title bar: its heading, the controls, export and close."""
    return html.Div(
        [
            html.H2("Before and after"),
            _controls(catalogue),
            html.Div(
                [
                    html.Button(
                        "⤓ Export before/after",
                        id=ids.COMPARE_EXPORT,
                        className="button primary",
                        n_clicks=0,
                        disabled=True,
                        title="Download the before/after review pack: an HTML page and a PNG, in one zip",
                    ),
                    html.Button(
                        "×", id=ids.COMPARE_CLOSE, className="compare-close", n_clicks=0, title="Close (Esc)"
                    ),
                ],
                className="compare-head-actions",
            ),
        ],
        className="compare-head",
    )


def compare_overlay(catalogue: Catalogue, *, chart_config: Mapping) -> html.Div:
    """The compare view's frame: picker, same-shocks switch, swap, export and close, and the empty
    panel and chart the compare callback fills."""
    return html.Div(
        html.Div(
            [
                _head(catalogue),
                html.Div(id=ids.COMPARE_MESSAGE, className="message", role="status"),
                html.Div(
                    [
                        html.Span(undo_hint()),
                        html.Button(
                            "↶ Open the before",
                            id=ids.COMPARE_BEFORE,
                            className="button compare-before",
                            n_clicks=0,
                            title="Put the pinned run back on screen and run it",
                        ),
                    ],
                    id=ids.COMPARE_UNDO_NOTE,
                    className="compare-undo-note",
                    hidden=True,
                ),
                html.Div(
                    [
                        html.Div(instructions(), id=ids.COMPARE_BODY, className="compare-body"),
                        html.Div(
                            dcc.Graph(
                                id=ids.COMPARE_CHART,
                                figure={"data": [], "layout": {}},
                                config=dict(chart_config),
                                className="chart",
                            ),
                            className="card compare-chart",
                        ),
                    ],
                    className="compare-content",
                ),
                dcc.Download(id=ids.COMPARE_DOWNLOAD),
            ],
            className="compare-dialog",
            role="dialog",
            **{"aria-label": "Before and after"},
        ),
        id=ids.COMPARE,
        className="compare-overlay",
        hidden=True,
    )


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
    """Attach this component's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.
    app.clientside_callback(
        _js("pin"),
        Output(ids.PINNED, "data"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Input(ids.PIN, "n_clicks"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.GRAPH, "data"),
        State(ids.DRILL, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        _js("pinnedChoice"),
        Output(ids.COMPARE_WITH, "options"),
        Output(ids.COMPARE_WITH, "value"),
        Input(ids.PINNED, "data"),
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
        figure = below_modebar(compare_service_figure(before, after)).to_plotly_json()
        stem = compare_stem(before, after)
        files = {**config.get("toImageButtonOptions", {}), "filename": f"{stem}-service-level"}
        config = {**config, "toImageButtonOptions": files}
        return False, swapped, compare_panel(before, after, origins), figure, config, False, "", "message"

    @app.callback(
        Output(ids.COMPARE_UNDO_NOTE, "hidden"),
        Input(ids.COMPARE_WITH, "value"),
        Input(ids.PINNED, "data"),
    )
    def offer_the_before(choice, pinned):
        """With the pinned run in the comparison, going back to it is one button away, and said."""
        return not (choice == PINNED_CHOICE and bool(pinned))

    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.COMPARE, "hidden", allow_duplicate=True),
        Output(ids.COMPARE_MESSAGE, "children", allow_duplicate=True),
        Output(ids.COMPARE_MESSAGE, "className", allow_duplicate=True),
        Input(ids.COMPARE_BEFORE, "n_clicks"),
        State(ids.PINNED, "data"),
        prevent_initial_call=True,
    )
    def open_the_before(_, pinned):
        """Undo: the pinned run's graph and design back on screen, run as the Run button would."""
        keep = [no_update] * (len(OPEN_OUTPUTS) + 2)
        if not pinned:
            return *keep, "Nothing is pinned: there is no before to open.", "message error"
        try:
            G = graph_of(pinned["graph"])
        except AugurError as err:
            return *keep, str(err), "message error"
        note = reopened_note(pinned["name"])
        return *opened(G, pinned["graph"], pinned["scenario"], note), run_request(), True, "", "message"

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
        try:
            pair = _pair(catalogue, choice, swapped, same, pinned, graph, design, scenario)
        except AugurError as err:
            return no_update, str(err), "message error"
        if pair is None:
            return no_update, "Choose a drill to compare with first.", "message error"
        before, after, _ = pair
        filename = pack_filename((before, after), "zip")
        try:
            data = pack_zip((before, after))
        except Exception as err:  # a fault: said beside the button and logged, never a silent reset
            log.exception("Export before/after failed")
            return no_update, export_failed_text(err), "message error"
        note = f"Saved {filename}: the before/after page (HTML) and its one-image summary (PNG)."
        return dcc.send_bytes(data, filename), note, "message ok"
