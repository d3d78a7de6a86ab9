"""The panel's actions: Run, the downloads and the before/after buttons. The run sends the whole result
to the browser once (:func:`augur.app.payload.drill_payload`); the timeline then replays it there.
'Scenario file' downloads the design as a file that `augur run` reproduces exactly, and 'Export
review' the review pack of the drill on screen (augur.report) for the people who were not in the
room: a few seconds of drawing, so it runs as a background job (:mod:`augur.app.components.jobs`)
with its progress and a Cancel under the buttons, and the server's worker answers others meanwhile.
Pin and Compare belong to the compare view (:mod:`augur.app.components.compare`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur.app import ids
from augur.app.components.common import apply_settings, message
from augur.app.components.detail import node_story_figure
from augur.app.components.header import verdict_badge
from augur.app.components.jobs import JobIds, background, progress_values
from augur.app.components.kpis import kpi_cards
from augur.app.components.timeline import slider_marks
from augur.app.design import Catalogue, build_scenario, graph_of, scenario_file
from augur.app.network import FULL_VIEW_LIMIT, group_view
from augur.app.payload import drill_payload
from augur.app.stores import checked_scenario_store
from augur.drill import simulate
from augur.errors import AugurError
from augur.report import pack_filename, pack_zip
from augur.report.export import warm_renderer
from augur.text.export import export_failed_text, export_refused_text, export_saved_text, scenario_saved_text

__all__ = ["FIX_SETTINGS_FIRST", "actions", "export_pack", "register", "review_pack", "run_drill"]

log = logging.getLogger(__name__)


FIX_SETTINGS_FIRST = "Fix the settings first"  # how Run starts its refusal while the settings are refused


PACK_FORMATS = ("html", "png")
EXPORT_JOB = JobIds(
    run=ids.EXPORT, cancel=ids.EXPORT_CANCEL, progress=ids.EXPORT_PROGRESS, status=ids.EXPORT_STATUS
)

# The settings fields, in apply_settings' order: Run reads them as they are on screen.
SETTINGS_FIELDS = (
    State(ids.NAME, "value"),
    State(ids.STEPS, "value"),
    State(ids.STEP_UNIT, "value"),
    State(ids.SEED, "value"),
    State(ids.SLO, "value"),
    State(ids.TOKEN_BUDGET, "value"),
    State(ids.HYPOTHESIS, "value"),
)


def run_drill(graph: dict, scenario: dict, step: int = 0):
    """Validate the design, run it, and return ``(result, payload)``."""
    G = graph_of(graph)
    built = build_scenario(G, scenario)
    result = simulate(G, built)
    groups = group_view(G)[1] if G.number_of_nodes() > FULL_VIEW_LIMIT else None
    step = min(max(int(step or 0), 0), built.steps - 1)
    payload = drill_payload(result, graph_rev=graph["rev"], scenario=scenario, groups=groups, step=step)
    return result, payload


def review_pack(
    graph: dict, scenario: dict, progress: Callable[[int, int], None] | None = None
) -> tuple[str, bytes]:
    """The review pack of a design as one zip: ``(file name, bytes)``; ``progress(done, total)`` is
    told as each of its files is made (:func:`augur.report.pack_files`)."""
    G = graph_of(graph)
    result = simulate(G, build_scenario(G, scenario))
    return pack_filename(result, "zip"), pack_zip(result, PACK_FORMATS, progress=progress)


def export_pack(
    graph: Mapping | None,
    design: Mapping | None,
    scenario: Mapping | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict | None, str, bool]:
    """What Export review sends: ``(download, message, is_error)``, the download being the zip of the
    results on screen (the design they were run on, not later edits), or None when there is none."""
    if not design or not graph or design["graph_rev"] != graph["rev"]:
        return None, export_refused_text(ran=bool(design and graph)), True
    try:
        warm_renderer()  # a background job's process is new: its browser opens while the page is built
        filename, data = review_pack(graph, design["scenario"], progress)
    except AugurError as err:
        return None, err.describe(source=False), True
    except Exception as err:  # a fault: said beside the button and logged, never a silent reset
        log.exception("Export review failed")
        return None, export_failed_text(err), True
    edited = scenario is not None and scenario.get("rev") != design["scenario"].get("rev")
    return dcc.send_bytes(data, filename), export_saved_text(filename, edited=edited), False


def _export_job() -> dict:
    """The export's background-job options: those of every job (:func:`background`), and the button
    saying what it does meanwhile, the progress line shown under it."""
    options = background(EXPORT_JOB)
    options["running"] = [
        *options["running"],
        (Output(ids.EXPORT, "children"), "Exporting…", "Export review"),
        (Output(ids.EXPORT_JOB, "hidden"), False, True),
    ]
    return options


def _export_bar() -> html.Div:
    """How far the export is, and Cancel: hidden until an export runs."""
    return html.Div(
        [
            html.Progress(id=ids.EXPORT_PROGRESS, className="job-progress", value="0", max="1", hidden=True),
            html.Span(id=ids.EXPORT_STATUS, className="job-status", role="status"),
            html.Button(
                "Cancel", id=ids.EXPORT_CANCEL, className="button job-cancel", n_clicks=0, disabled=True
            ),
        ],
        id=ids.EXPORT_JOB,
        className="job-bar export-job",
        hidden=True,
    )


def actions() -> html.Div:
    """Run, the downloads (review pack, scenario file), Pin and Compare, and the run's message."""
    return html.Div(
        [
            html.Div(
                [
                    html.Button("Run drill", id=ids.RUN, className="button primary", n_clicks=0),
                    html.Div(
                        [
                            html.Button(
                                "Export review",
                                id=ids.EXPORT,
                                className="button secondary download",
                                n_clicks=0,
                                title="Download the review pack of the drill on screen, as run: a one-image "
                                "dashboard (PNG) and a self-contained report (HTML), in one zip",
                            ),
                            html.Button(
                                "Scenario file",
                                id=ids.DOWNLOAD_BUTTON,
                                className="button secondary download",
                                n_clicks=0,
                                title="Download the design as a scenario file that `augur run` reproduces",
                            ),
                        ],
                        className="downloads",
                    ),
                    html.Div(
                        [
                            html.Button(
                                "Pin as before",
                                id=ids.PIN,
                                className="button secondary pin",
                                n_clicks=0,
                                title="Keep this run as 'before': change the design, run it, then compare",
                            ),
                            html.Button(
                                "Compare…",
                                id=ids.COMPARE_OPEN,
                                className="button secondary compare",
                                n_clicks=0,
                                title="Set the drill on screen beside another: the pinned run or a bundled "
                                "drill, under the same shocks",
                            ),
                        ],
                        className="downloads",
                    ),
                ],
                className="actions-row",
            ),
            _export_bar(),
            html.Div(id=ids.RUN_MESSAGE, className="message", role="status"),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ],
        className="panel-actions",
    )


def _refused(text: str) -> list:
    """Run's outputs when it does not run: only its message changes."""
    return [no_update] * 12 + list(message(text, error=True)) + [no_update]


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.

    @app.callback(
        Output(ids.DRILL, "data", allow_duplicate=True),
        Output(ids.RUN_DESIGN, "data", allow_duplicate=True),
        Output(ids.KPIS, "children", allow_duplicate=True),
        Output(ids.VERDICT_BADGE, "children", allow_duplicate=True),
        Output(ids.VERDICT_BADGE, "className", allow_duplicate=True),
        Output(ids.EVENTS, "data", allow_duplicate=True),
        Output(ids.SLIDER, "max", allow_duplicate=True),
        Output(ids.SLIDER, "marks", allow_duplicate=True),
        Output(ids.SLIDER, "value", allow_duplicate=True),
        Output(ids.SLIDER, "disabled", allow_duplicate=True),
        Output(ids.PLAY, "disabled", allow_duplicate=True),
        Output(ids.NODE, "data", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Input(ids.RUN, "n_clicks"),
        Input(ids.RUN_REQUEST, "data"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.SLIDER, "value"),
        State(ids.NETWORK, "tapNodeData"),
        *SETTINGS_FIELDS,
        running=[(Output(ids.RUN, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def run(_, asked, graph, scenario, step, tapped, *fields):
        """Run the design; the node in hand gets its chart from the new result too. A click on Run
        runs the settings fields as they read now: a name typed just before Run reaches the
        settings callback only as Run does, so Run applies the fields itself (the same store the
        settings callback writes). Settings that are refused block the run: running the previous
        ones instead would mislead. A view asks for a run by writing
        :data:`~augur.app.ids.RUN_REQUEST` beside the design it sets, which runs as it is."""
        if ctx.triggered_id == ids.RUN_REQUEST and not asked:
            raise PreventUpdate  # the request store settling on its empty value as the page loads
        if not graph or not scenario:
            return _refused("Load a drill or upload a graph first.")
        try:
            checked_scenario_store(scenario)  # what the browser sent is what the app wrote
        except AugurError as err:
            return _refused(err.describe(source=False))
        if ctx.triggered_id == ids.RUN_REQUEST:  # the view's design: the fields may not show it yet
            scenario_now, problem = scenario, ""
        else:
            scenario_now, problem = apply_settings(scenario, *fields)
        if problem:
            return _refused(f"{FIX_SETTINGS_FIRST}: {problem}")
        try:
            result, payload = run_drill(graph, scenario_now, step or 0)
        except AugurError as err:
            return _refused(err.describe(source=False))
        metrics = payload["metrics"]
        badge, badge_class = verdict_badge(metrics)
        steps = result.trajectory.steps
        events = [{**e, "id": i} for i, e in enumerate(payload["events"])]
        more = payload["events_total"] - len(events)
        if more:
            events.append(
                {
                    "id": len(events),
                    "t": None,
                    "message": f"… {more:,} more events: run the downloaded scenario with "
                    "`augur run --all-events` to list them all",
                }
            )
        design = {"graph_rev": graph["rev"], "scenario": scenario_now, "grouped": payload["grouped"]}
        node = no_update
        if tapped and (tapped.get("group") or tapped.get("id") in result.graph):
            try:
                figure = node_story_figure(result, result.graph, tapped)
                node = {"figure": figure.to_plotly_json(), "node": tapped["id"]}
            except (IndexError, ValueError):
                node = None
        return [
            payload,
            design,
            kpi_cards(metrics),
            badge,
            badge_class,
            events,
            steps - 1,
            slider_marks(steps, result.scenario.step_unit),
            min(step or 0, steps - 1),
            False,
            False,
            node,
            "",
            "message",
            no_update if scenario_now == scenario else scenario_now,
        ]

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
            problems: list[str] = []  # the random shocks the file leaves out, and why
            filename, text = scenario_file(graph, scenario, problems=problems)
        except AugurError as err:
            return no_update, *message(err.describe(source=False), error=True)
        note = scenario_saved_text(filename, problems[0] if problems else None)
        return dcc.send_string(text, filename, type="application/x-yaml"), *message(note, error=False)

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RUN_MESSAGE, "className", allow_duplicate=True),
        Input(ids.EXPORT, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.SCENARIO, "data"),
        prevent_initial_call=True,
        **_export_job(),
    )
    def export_review(set_progress, _, graph, design, scenario):
        """The review pack of the results on screen, made in the background, the bar moving as each
        of its files is made."""
        sent, note, error = export_pack(
            graph, design, scenario, lambda done, total: set_progress(progress_values(done, total, "file"))
        )
        return no_update if sent is None else sent, *message(note, error=error)
