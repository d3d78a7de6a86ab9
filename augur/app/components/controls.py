"""The control panel: the drill picker and the upload, the shock form (:mod:`augur.app.components.shocks`),
the settings and the actions (:mod:`augur.app.components.actions`); and the callbacks that open a
design (a bundled drill, or an upload of a graph in any format docs/model.md reads, a CSV pair included, or
of a scenario file with the graph file(s) it names) and change its settings. A bad upload changes
nothing on screen but the message beside the upload."""

from __future__ import annotations

import math
from collections.abc import Mapping

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from augur.app import ids
from augur.app.components.actions import FIX_SETTINGS_FIRST, actions
from augur.app.components.common import (
    OPEN_OUTPUTS,
    SETTING_LABELS,
    apply_settings,
    field,
    number_input,
    opened,
    settings_problem,
    step_unit_options,
    unchanged,
)
from augur.app.components.header import subtitle
from augur.app.components.kept import kept_bar
from augur.app.components.picker import edits_bar, keep_left
from augur.app.components.shocks import EDGE_ARROW, shock_form, shock_list
from augur.app.design import (
    Catalogue,
    build_scenario,
    graph_store,
    read_design_upload,
    scenario_store,
    upload_notes,
)
from augur.app.server import DEFAULT_MAX_UPLOAD_MB
from augur.errors import AugurError
from augur.text import count_text, upload_too_large_text
from augur.text.upload import LEFT_WORDS, upload_kept_text, upload_loaded_text

__all__ = [
    "SETTING_LABELS",
    "UPLOAD_HINT",
    "controls",
    "graph_summary",
    "keep_fitting_shocks",
    "kept_note",
    "register",
    "settings_problem",
    "upload_limits",
]


UPLOAD_HINT = "JSON, YAML, GraphML, Excel, a nodes + edges CSV pair, or a scenario file with its graph"


def graph_summary(graph: Mapping | None) -> str:
    """The graph's name and size, under the upload."""
    if not graph:
        return "No graph loaded."
    return f"{graph.get('name')}: {count_text(graph['nodes'], 'node')}, {count_text(graph['edges'], 'edge')}"


def keep_fitting_shocks(scenario: dict, G) -> tuple[dict, list[dict]]:
    """The current design moved onto a new graph: the shocks whose targets it still has, and the
    shocks dropped."""
    kept, dropped = [], []
    for shock in scenario.get("shocks", []):
        try:
            build_scenario(G, {**scenario, "shocks": [*kept, shock]})
        except AugurError:
            dropped.append(shock)
            continue
        kept.append(shock)
    return {**scenario, "shocks": kept}, dropped


def _ends(target) -> list:
    """The nodes a shock's target names: one, a list, an edge ``[u, v]`` or a list of edges."""
    if isinstance(target, list):
        return [v for part in target for v in _ends(part)]
    return [target]


def kept_note(current: Mapping | None, G, scenario: Mapping, dropped: list[dict]) -> str:
    """What a graph uploaded under the design ``current`` kept of it (the new design ``scenario``)
    and what it dropped, in one sentence (:func:`augur.text.upload.upload_kept_text`); ``""`` when
    there was no design on screen."""
    if not current:
        return ""
    # a dropped shock by its target as the designer typed it: a node's id, an edge as u → v
    targets = [
        EDGE_ARROW.join(map(str, t)) if isinstance(t, list) else str(t)
        for t in (d.get("target") for d in dropped)
    ]
    return upload_kept_text(
        current.get("name") or "the drill",
        steps=scenario.get("steps"),
        unit=scenario.get("step_unit", "hour"),
        seed=scenario.get("seed", 0),
        slo=scenario.get("slo", 0.9),
        token_budget=scenario.get("token_budget"),
        shocks_kept=len(scenario.get("shocks", [])),
        dropped=targets,
        missing=all(v not in G for shock in dropped for v in _ends(shock.get("target"))),
        left=[key for key in LEFT_WORDS if current.get(key)],
    )


# What a request carries beside the files themselves (the scenario store, the callback's frame):
# the page keeps this much of the server's limit free when it measures an upload.
UPLOAD_MARGIN = 256 * 1024


def upload_limits(limit_mb: float) -> tuple[int, float]:
    """The request limit in bytes, and the largest upload the page lets through, in MB: base64 makes
    each file a third larger on the way, and the request carries a little more beside it.

    >>> upload_limits(20), upload_limits(0.5)
    ((20971520, 14.8), (524288, 0.187))
    """
    limit = int(limit_mb * 1024 * 1024)
    largest = max(limit - UPLOAD_MARGIN, 0) * 3 / 4 / (1024 * 1024)
    if largest <= 0:
        return limit, 0.0
    # three figures, rounded down: the page never promises more than the server takes
    scale = 10.0 ** (2 - math.floor(math.log10(largest)))
    return limit, math.floor(largest * scale) / scale


def drill_section(
    catalogue: Catalogue,
    graph: Mapping | None,
    message: str,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    on_screen: str | None = None,
) -> html.Section:
    """The bundled drills' picker on the drill ``on_screen``, the upload, its message, "Open the file
    as saved" (:mod:`augur.app.components.picker`) and the graph's size. The upload knows
    the server's request limit (``max_upload_mb``): files that would pass it are refused in the
    browser, beside the upload (assets/upload-limit.js), instead of by a 413 the page never shows."""
    limit, file_limit_mb = upload_limits(max_upload_mb)
    return html.Section(
        [
            html.H2("Drill"),
            dcc.Dropdown(
                id=ids.PICKER,
                options=[{"label": label, "value": name} for name, label in catalogue.entries],
                value=on_screen,
                placeholder="Bundled drills…",
                clearable=False,
                searchable=False,
                className="picker",
            ),
            html.Div(
                dcc.Upload(
                    id=ids.UPLOAD,
                    children=html.Div(
                        [
                            html.Strong("Upload a graph or scenario"),
                            html.Div(UPLOAD_HINT, className="small muted"),
                        ]
                    ),
                    multiple=True,
                    max_size=limit,
                    className="upload",
                ),
                **{
                    "data-upload-limit": str(limit - UPLOAD_MARGIN),
                    "data-too-large": upload_too_large_text(max_upload_mb, file_limit_mb),
                    "data-message": ids.UPLOAD_MESSAGE,
                },
            ),
            html.Div(
                message,
                id=ids.UPLOAD_MESSAGE,
                className="message error" if message else "message",
                role="status",
            ),
            edits_bar(),
            dcc.Store(id=ids.ON_SCREEN, data=on_screen),
            html.Div(graph_summary(graph), id=ids.GRAPH_SUMMARY, className="small muted"),
        ],
        className="panel-section",
    )


def settings_section(scenario: Mapping) -> html.Section:
    """The drill's name, horizon and unit, seed, SLO, token budget and hypothesis."""
    budget = scenario.get("token_budget")
    return html.Section(
        [
            html.H2("Settings"),
            field(
                "Name",
                dcc.Input(
                    id=ids.NAME, type="text", value=scenario.get("name", ""), debounce=True, className="input"
                ),
            ),
            html.Div(
                [
                    field("Steps", number_input(ids.STEPS, scenario.get("steps", 96)), width="half"),
                    field(
                        "One step is",
                        dcc.Dropdown(
                            id=ids.STEP_UNIT,
                            options=step_unit_options(scenario.get("step_unit")),
                            value=scenario.get("step_unit", "hour"),
                            clearable=False,
                            searchable=False,
                            className="dropdown",
                        ),
                        width="half",
                        hint='What one step stands for in the results ("25 days"). Lead times, buffers '
                        "and recovery are counted in steps, so this changes the words, not the drill.",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    field(
                        "Seed",
                        number_input(ids.SEED, scenario.get("seed", 0)),
                        width="half",
                        hint="Recorded with the drill. A drill itself draws no random numbers; the seed "
                        "drives random-shock sweeps (augur sweep --runs).",
                    ),
                    field(
                        "SLO %", number_input(ids.SLO, round(scenario.get("slo", 0.9) * 100, 2)), width="half"
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    field(
                        "Token budget ×",
                        number_input(ids.TOKEN_BUDGET, budget, placeholder="none"),
                        width="half",
                    ),
                    field(
                        "Hypothesis",
                        dcc.Dropdown(
                            id=ids.HYPOTHESIS,
                            options=[{"label": v, "value": v} for v in ("graceful", "degraded", "cascade")],
                            value=scenario.get("hypothesis"),
                            placeholder="none",
                            searchable=False,
                            className="dropdown",
                        ),
                        width="half",
                    ),
                ],
                className="row",
            ),
            html.Div(id=ids.SETTINGS_MESSAGE, className="message", role="status"),
        ],
        className="panel-section",
    )


def controls(
    catalogue: Catalogue,
    scenario: Mapping | None,
    graph: Mapping | None,
    message: str,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    on_screen: str | None = None,
) -> html.Aside:
    """The panel as the page opens on ``scenario`` and ``graph`` (the listed drill ``on_screen``),
    ``message`` beside the upload, the upload refusing files past the server's ``max_upload_mb``."""
    scenario = scenario or {}
    sections = [
        drill_section(catalogue, graph, message, max_upload_mb, on_screen),
        kept_bar(),  # over the shocks, while a view's drill stands in for the designer's
        shock_form(scenario),
        settings_section(scenario),
    ]
    return html.Aside([html.Div(sections, className="panel-scroll"), actions()], className="panel")


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.

    @app.callback(
        *OPEN_OUTPUTS,
        Output(ids.UPLOAD, "contents"),
        Output(ids.PICKER, "value", allow_duplicate=True),
        Output(ids.ON_SCREEN, "data", allow_duplicate=True),
        Output(ids.EDITS, "data", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.SCENARIO, "data"),
        State(ids.ON_SCREEN, "data"),
        State(ids.EDITS, "data"),
        State(ids.GRAPH, "data"),
        State(ids.KEPT, "data"),
        prevent_initial_call=True,
    )
    def upload(contents, filenames, current, on_screen, edits, graph_on_screen, kept):
        """Open an uploaded graph (keeping the shocks that still fit) or scenario file; the listed
        drill it replaces keeps its edits (:func:`augur.app.components.picker.keep_left`)."""
        if not contents:
            return [no_update] * (len(OPEN_OUTPUTS) + 4)
        names = ", ".join(filenames)
        try:
            what, value = read_design_upload(contents, filenames)
            edits, left = keep_left(catalogue, on_screen, edits, graph_on_screen, current, kept)
            if what == "scenario":
                graph = graph_store(value.graph, value.graph_ref or f"{filenames[0]} (inline graph)")
                note = f"Opened {names}: ready to run.{left}"
                notes = upload_notes(value.graph, filenames, value)
                shown = opened(value.graph, graph, scenario_store(value), note, notes)
                return [*shown, None, None, None, edits]
            G = value
            graph = graph_store(G, names)
            # the horizon, seed, SLO and budget carry over; the story, its expected verdict and its
            # random shocks (drawn on the old graph's nodes) do not
            base = dict(current or {"steps": 96, "seed": 0, "slo": 0.9})
            for key in ("hypothesis", "description", "random"):
                base.pop(key, None)
            base["name"] = f"Drill on {filenames[0]}"
            scenario, dropped = keep_fitting_shocks(base, G)
        except AugurError as err:
            return [*unchanged(str(err)), None, no_update, no_update, no_update]
        note = upload_loaded_text(names)
        carried = kept_note(current, G, scenario, dropped)
        note += f" {carried}" if carried else ""
        if not scenario["shocks"]:
            note += " Click a node or an edge to design a shock."
        shown = opened(G, graph, scenario_store(scenario), note + left, upload_notes(G, filenames))
        return [*shown, None, None, None, edits]

    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Output(ids.GRAPH_SUMMARY, "children"),
        Output(ids.SHOCK_LIST, "children"),
        Input(ids.SCENARIO, "data"),
        Input(ids.GRAPH_META, "data"),
        prevent_initial_call=True,
    )
    def show_design(scenario, meta):
        title = (scenario or {}).get("name") or "Untitled drill"
        return title, subtitle(scenario, meta), graph_summary(meta), shock_list(scenario)

    for message_id in (ids.SETTINGS_MESSAGE, ids.SHOCK_MESSAGE):
        app.clientside_callback(
            ClientsideFunction(namespace="augur", function_name="reveal"),
            Output(message_id, "title"),
            Input(message_id, "children"),
            State(message_id, "id"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Output(ids.SETTINGS_MESSAGE, "children"),
        Output(ids.SETTINGS_MESSAGE, "className"),
        Output(ids.RUN_MESSAGE, "children", allow_duplicate=True),
        Input(ids.NAME, "value"),
        Input(ids.STEPS, "value"),
        Input(ids.STEP_UNIT, "value"),
        Input(ids.SEED, "value"),
        Input(ids.SLO, "value"),
        Input(ids.TOKEN_BUDGET, "value"),
        Input(ids.HYPOTHESIS, "value"),
        State(ids.SCENARIO, "data"),
        State(ids.RUN_MESSAGE, "children"),
        prevent_initial_call=True,
    )
    def change_settings(name, steps, unit, seed, slo, budget, hypothesis, scenario, run_message):
        """Settings into the scenario store, or a refusal beside them; a refusal Run showed because
        of the settings goes once they are accepted."""
        if scenario is None:
            return no_update, "", "message", no_update
        updated, problem = apply_settings(scenario, name, steps, unit, seed, slo, budget, hypothesis)
        if problem:
            return no_update, problem, "message error", no_update
        cleared = "" if str(run_message or "").startswith(FIX_SETTINGS_FIRST) else no_update
        return (no_update if updated == scenario else updated), "", "message", cleared
