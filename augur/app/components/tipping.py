"""The Tipping points view: one lever against one field of the drill's shocks, and where the drill tips.

Choose a lever (stock, second-source headroom, capacity, token limit, recovery) and where it is set
(every node of a kind, or one node) with its range, and a field of the drill's shocks (duration,
strength, start) with its range; Run runs the grid through :func:`augur.sweep.tipping` as a background
job. The view shows the verdict of every cell as a heatmap in the verdicts' colours (losses on hover)
with the boundary drawn over it, the least lever value that keeps the drill graceful (or, where the
drill states a hypothesis and it is chosen, makes it meet that) at each shock value, and that boundary
in words.

>>> store = {"steps": 120, "shocks": [{"kind": "vendor_failure", "target": "a", "start": 10,
...                                    "duration": 21, "severity": 1.0}]}
>>> field_options(store), field_range("duration", store), lever_range("buffer", store)
(['start', 'duration', 'severity'], (1, 42), (0, 42))
>>> [o["label"] for o in goal_options({**store, "hypothesis": "degraded"})]
['GRACEFUL', 'meet its hypothesis (DEGRADED or better)']
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur import sweep
from augur.analysis.mitigate import LEVERS, goal_verdict
from augur.analysis.tipping import SHOCK_FIELDS, axis_values, lever_nodes
from augur.app import ids
from augur.app.components.charts import CHART_CONFIG
from augur.app.components.common import field, message, node_choices
from augur.app.components.jobs import JobIds, background, job_bar, progress_values
from augur.app.components.random_shocks import MAX_NODE_STEPS, range_input
from augur.app.design import Catalogue, build_scenario, graph_of
from augur.engine.budget import check_grid_size
from augur.errors import AugurError, ScenarioError
from augur.figures import empty_figure
from augur.figures.weak_points import tipping_heatmap
from augur.scenario import DEFAULT_GOAL, SHOCK_KINDS
from augur.style import KIND_LABELS
from augur.text import goal_text
from augur.text.study_views import (
    LEVER_LABELS,
    NO_SHOCKS,
    SHOCK_FIELD_LABELS,
    lever_nodes_text,
    over_bound_text,
    tipping_goal_text,
    tipping_intro,
    tipping_rows,
    tipping_summary,
    work_text,
)

__all__ = [
    "KEY",
    "LABEL",
    "PAGE",
    "field_options",
    "field_range",
    "goal_options",
    "grid_axes",
    "lever_range",
    "page",
    "register",
]

KEY = "tipping"
LABEL = "Tipping points"
PAGE = ids.TIPPING_PAGE
JOB = JobIds(
    run=ids.TIPPING_RUN, cancel=ids.TIPPING_CANCEL, progress=ids.TIPPING_PROGRESS, status=ids.TIPPING_STATUS
)


def _longest(scenario: Mapping) -> int:
    """The longest shock of the drill, in steps (one that lasts to the end: to the horizon)."""
    steps = int(scenario.get("steps") or 96)
    durations = [s.get("duration") or steps - s.get("start", 1) for s in scenario.get("shocks", [])]
    return max([1, *durations])


def lever_range(lever: str, scenario: Mapping, G: nx.DiGraph | None = None) -> tuple:
    """The range a lever's axis opens on: stock up to twice the longest shock, headroom over its whole
    span, capacity from baseline to three times, a token limit from half to twice today's, recovery
    up to ten steps."""
    steps = int(scenario.get("steps") or 96)
    if lever in ("buffer",):
        return (0, min(steps, 2 * _longest(scenario)))
    if lever == "min_supply":
        return (0.0, 1.0)
    if lever == "capacity":
        return (1.0, 3.0)
    if lever == "token_limit":
        limits = [d.get("token_limit") for _, d in (G.nodes(data=True) if G is not None else [])]
        today = max([x for x in limits if x] or [10_000])
        return (round(today / 2), round(today * 2))
    return (0, 10)


def field_options(scenario: Mapping) -> list[str]:
    """The shock fields a grid can vary on this drill: start and duration, and the strength fields
    of the kinds of its shocks."""
    kinds = {s["kind"] for s in scenario.get("shocks", []) if s.get("kind") in SHOCK_KINDS}
    strengths = [f.name for kind, fields in SHOCK_KINDS.items() if kind in kinds for f in fields]
    return ["start", "duration", *dict.fromkeys(strengths)]


def field_range(name: str, scenario: Mapping) -> tuple:
    """The range a shock field's axis opens on: durations up to twice the longest shock, every start,
    a delay up to ten steps, demand up to five times, a share from 10% to all of it."""
    steps = int(scenario.get("steps") or 96)
    if name == "duration":
        return (1, max(2, min(steps - 1, 2 * _longest(scenario))))
    if name == "start":
        return (1, steps - 1)
    if name == "delay":
        return (0, 10)
    if name == "multiplier":
        return (1.0, 5.0)
    return (0.1, 1.0)


def goal_options(scenario: Mapping) -> list[dict]:
    """The goals a grid can hold the drill to: graceful, and the drill's own hypothesis where it states
    one, in the words of ``augur tipping --goal`` and the Fix it panel (:func:`augur.text.goal_text`)."""
    options = [{"label": goal_text("graceful"), "value": "graceful"}]
    if scenario.get("hypothesis"):
        options.append({"label": goal_text(scenario["hypothesis"], True), "value": "hypothesis"})
    return options


def grid_axes(lever: str, low, high, name: str, f_low, f_high) -> tuple[list, list]:
    """The lever's values and the shock field's values the grid takes
    (:func:`augur.analysis.tipping.axis_values`); a blank end or an unknown name is refused with the
    flag's place, as ``augur tipping`` refuses it."""
    if lever not in LEVERS:
        raise ScenarioError(f"choose a lever: one of {', '.join(LEVERS)}", place="--vary")
    if name not in SHOCK_FIELDS:
        raise ScenarioError(f"choose a shock field: one of {', '.join(SHOCK_FIELDS)}", place="--against")
    for place, pair in (("--vary", (low, high)), ("--against", (f_low, f_high))):
        if any(v in (None, "") for v in pair):
            raise ScenarioError("enter both ends of the range, LO and HI", place=place)
    return (
        axis_values(float(low), float(high), None, LEVERS[lever].integer, place="--vary"),
        axis_values(float(f_low), float(f_high), None, SHOCK_FIELDS[name], place="--against"),
    )


# -- the page ------------------------------------------------------------------------------------------


def _range_row(label: str, low_id: str, high_id: str) -> html.Div:
    return html.Div(
        [
            html.Span(label, className="range-label"),
            range_input(low_id, None),
            html.Span("to", className="range-to"),
            range_input(high_id, None),
        ],
        className="range-row",
    )


def _dropdown(component_id: str, options: list, value) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=component_id, options=options, value=value, clearable=False, searchable=True, className="dropdown"
    )


def _settings() -> html.Div:
    levers = [{"label": LEVER_LABELS[k], "value": k} for k in LEVERS]
    return html.Div(
        [
            html.H3("The lever"),
            field("Lever", _dropdown(ids.TIPPING_LEVER, levers, "buffer")),
            field("Set on", _dropdown(ids.TIPPING_NODES, [], None)),
            _range_row("From", ids.TIPPING_LEVER_LOW, ids.TIPPING_LEVER_HIGH),
            html.H3("The shocks"),
            field("Shock field", _dropdown(ids.TIPPING_FIELD, [], "duration")),
            _range_row("From", ids.TIPPING_FIELD_LOW, ids.TIPPING_FIELD_HIGH),
            field("Make it", _dropdown(ids.TIPPING_GOAL, goal_options({}), DEFAULT_GOAL)),
            html.Div(id=ids.TIPPING_BOUND, className="message bound", role="status"),
            job_bar(JOB, "Run the grid"),
            html.Div(id=ids.TIPPING_MESSAGE, className="message", role="status"),
        ],
        className="study-settings card",
    )


def page(catalogue: Catalogue) -> html.Section:
    """The view: a heading and what it shows, the axes and Run, then the heatmap and the boundary."""
    results = html.Div(
        [
            html.P(id=ids.TIPPING_SUMMARY, className="study-summary"),
            dcc.Graph(
                id=ids.TIPPING_HEATMAP,
                figure=empty_figure(""),
                config=CHART_CONFIG,
                style={"height": "430px"},
                className="study-chart",
            ),
            html.Div(
                [
                    html.H3(id=ids.TIPPING_GOAL_HEAD),
                    html.Table(id=ids.TIPPING_BOUNDARY, className="boundary-table"),
                ],
                className="boundary card",
            ),
        ],
        id=ids.TIPPING_RESULTS,
        className="study-results",
        hidden=True,
    )
    empty = html.Div(
        "Choose a lever and a field of the drill's shocks, then Run the grid: the verdict of every "
        "combination and the least lever value that keeps the drill graceful appear here.",
        id=ids.TIPPING_EMPTY,
        className="study-empty",
    )
    return html.Section(
        [
            html.H2("Tipping points"),
            html.P(id=ids.TIPPING_INTRO, className="view-intro"),
            html.Div([_settings(), html.Div([empty, results], className="study-main")], className="study"),
            dcc.Store(id=ids.TIPPING_RESULT, data=None),
        ],
        id=PAGE,
        className="view-page",
        hidden=True,
    )


# -- what the callbacks show ----------------------------------------------------------------------------


def _bound(lever, low, high, name, f_low, f_high, nodes: int, steps: int) -> tuple[str, bool]:
    """The grid's size and work, or why it cannot run; ``(text, refused)``."""
    try:
        lever_values, shock_values = grid_axes(lever, low, high, name, f_low, f_high)
    except AugurError as err:
        return err.describe(source=False), True
    cells = len(lever_values) * len(shock_values)
    grid = f"{len(lever_values)} lever values × {len(shock_values)} {name} values. "
    try:  # past the study budget augur tipping refuses it too, in these words
        check_grid_size(len(lever_values), len(shock_values), nodes, steps)
    except AugurError as err:
        return err.describe(source=False), True
    if cells * nodes * steps > MAX_NODE_STEPS:
        return grid + over_bound_text(cells, nodes, steps, MAX_NODE_STEPS, "narrower ranges"), True
    return grid + work_text(cells, nodes, steps, MAX_NODE_STEPS), False


def _store(result: sweep.TippingResult, G: nx.DiGraph, scenario, graph: Mapping, chosen: str) -> dict:
    data = result.to_dict()
    unit = scenario.step_unit
    where = lever_nodes_text(G, chosen, result.nodes, KIND_LABELS.get(chosen, ""))
    return {
        **data,
        "graph_rev": graph.get("rev"),
        "unit": unit,
        "where": where,
        "summary": tipping_summary(data, unit, G, where),
        "rows": tipping_rows(data, unit, G, where),
        "least": tipping_goal_text(data),
        "lever_title": f"{LEVER_LABELS[result.lever]} at {where}",
        "shock_title": SHOCK_FIELD_LABELS.get(result.shock_field, result.shock_field),
    }


def _boundary_table(store: Mapping) -> list:
    head = html.Tr([html.Th("At"), html.Th(f"The least that {store['least']}")])
    return [head] + [html.Tr([html.Td(r["shock"]), html.Td(r["least"])]) for r in store["rows"]]


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this view's callbacks to ``app``."""

    @app.callback(
        Output(ids.TIPPING_INTRO, "children"),
        Output(ids.TIPPING_FIELD, "options"),
        Output(ids.TIPPING_FIELD, "value"),
        Output(ids.TIPPING_GOAL, "options"),
        Output(ids.TIPPING_GOAL, "value"),
        Input(ids.SCENARIO, "data"),
        Input(ids.GRAPH_META, "data"),
        State(ids.TIPPING_FIELD, "value"),
        State(ids.TIPPING_GOAL, "value"),
    )
    def tipping_describe(scenario, meta, current, goal):
        """What the view shows and on what; the shock fields this drill's shocks have, and the goals
        it can be held to (its hypothesis only where it states one)."""
        goals = goal_options(scenario or {})
        goal = goal if goal in [o["value"] for o in goals] else DEFAULT_GOAL
        if not scenario or not meta:
            return "Load a drill or upload a graph first.", [], None, goals, goal
        shocks = scenario.get("shocks", [])
        if not shocks:
            return NO_SHOCKS, [], None, goals, goal
        options = field_options(scenario)
        intro = tipping_intro(
            scenario.get("name") or "the drill", meta.get("name") or "the graph", len(shocks)
        )
        labelled = [{"label": SHOCK_FIELD_LABELS.get(o, o), "value": o} for o in options]
        return intro, labelled, current if current in options else "duration", goals, goal

    @app.callback(
        Output(ids.TIPPING_NODES, "options"),
        Output(ids.TIPPING_NODES, "value"),
        Input(ids.GRAPH, "data"),
        State(ids.TIPPING_NODES, "value"),
    )
    def tipping_nodes(graph, current):
        if not graph:
            return [], None
        try:
            G = graph_of(graph)
        except AugurError:
            return [], None
        options = node_choices(G)
        values = [o["value"] for o in options]
        return options, current if current in values else ("vendor" if "vendor" in values else values[0])

    @app.callback(
        Output(ids.TIPPING_LEVER_LOW, "value"),
        Output(ids.TIPPING_LEVER_HIGH, "value"),
        Input(ids.TIPPING_LEVER, "value"),
        Input(ids.GRAPH_META, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.GRAPH, "data"),
    )
    def tipping_lever_defaults(lever, _meta, scenario, graph):
        """A lever's range opens on its default span for this drill, whenever the lever changes."""
        if not scenario or lever not in LEVERS:
            return None, None
        G = graph_of(graph) if lever == "token_limit" and graph else None
        return lever_range(lever, scenario, G)

    @app.callback(
        Output(ids.TIPPING_FIELD_LOW, "value"),
        Output(ids.TIPPING_FIELD_HIGH, "value"),
        Input(ids.TIPPING_FIELD, "value"),
        Input(ids.GRAPH_META, "data"),
        State(ids.SCENARIO, "data"),
    )
    def tipping_field_defaults(name, _meta, scenario):
        if not scenario or name not in SHOCK_FIELDS:
            return None, None
        return field_range(name, scenario)

    @app.callback(
        Output(ids.TIPPING_BOUND, "children"),
        Output(ids.TIPPING_BOUND, "className"),
        Input(ids.TIPPING_LEVER, "value"),
        Input(ids.TIPPING_LEVER_LOW, "value"),
        Input(ids.TIPPING_LEVER_HIGH, "value"),
        Input(ids.TIPPING_FIELD, "value"),
        Input(ids.TIPPING_FIELD_LOW, "value"),
        Input(ids.TIPPING_FIELD_HIGH, "value"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.SCENARIO, "data"),
    )
    def tipping_bound(lever, low, high, name, f_low, f_high, meta, scenario):
        """The grid's size and how much work it is, beside the axes; a refusal in place of it."""
        if not meta or not scenario or not scenario.get("shocks"):
            return "", "message bound"
        text, refused = _bound(
            lever,
            low,
            high,
            name,
            f_low,
            f_high,
            int(meta.get("nodes") or 0),
            int(scenario.get("steps") or 96),
        )
        return text, "message bound error" if refused else "message bound"

    @app.callback(
        Output(ids.TIPPING_RESULT, "data"),
        Output(ids.TIPPING_MESSAGE, "children"),
        Output(ids.TIPPING_MESSAGE, "className"),
        Input(ids.TIPPING_RUN, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.TIPPING_LEVER, "value"),
        State(ids.TIPPING_NODES, "value"),
        State(ids.TIPPING_LEVER_LOW, "value"),
        State(ids.TIPPING_LEVER_HIGH, "value"),
        State(ids.TIPPING_FIELD, "value"),
        State(ids.TIPPING_FIELD_LOW, "value"),
        State(ids.TIPPING_FIELD_HIGH, "value"),
        State(ids.TIPPING_GOAL, "value"),
        prevent_initial_call=True,
        **background(JOB),
    )
    def tipping_run(set_progress, _, graph, scenario, lever, chosen, low, high, name, f_low, f_high, goal):
        """Run the grid in the background, the bar moving as chunks of its cells finish; ``goal``
        graceful or ``hypothesis``, the drill's own."""
        goal = goal or DEFAULT_GOAL
        if not graph or not scenario:
            return no_update, *message("Load a drill or upload a graph first.", error=True)
        try:
            G = graph_of(graph)
            built = build_scenario(G, scenario)
            text, refused = _bound(lever, low, high, name, f_low, f_high, G.number_of_nodes(), built.steps)
            if refused:
                raise ScenarioError(text)
            if not lever_nodes(G, lever, [chosen] if chosen else None):
                raise ScenarioError(f"no node to set {lever} on: choose a kind the graph has, or one node")
            try:  # a goal of the hypothesis on a drill that no longer states one, as augur tipping says
                goal_verdict(built, goal)
            except ValueError as err:
                raise ScenarioError(str(err)) from err
            lever_values, shock_values = grid_axes(lever, low, high, name, f_low, f_high)
            set_progress(progress_values(0, len(lever_values) * len(shock_values), "drill"))
            result = sweep.tipping(
                G, built, vary=(lever, float(low), float(high)), against=(name, float(f_low), float(f_high)),
                nodes=[chosen] if chosen else None, goal=goal,
                progress=lambda done, total: set_progress(progress_values(done, total, "drill")),
            )  # fmt: skip
        except AugurError as err:
            return no_update, *message(err.describe(source=False), error=True)
        return _store(result, G, built, graph, chosen), "", "message"

    @app.callback(
        Output(ids.TIPPING_RESULTS, "hidden"),
        Output(ids.TIPPING_EMPTY, "hidden"),
        Output(ids.TIPPING_HEATMAP, "figure"),
        Output(ids.TIPPING_SUMMARY, "children"),
        Output(ids.TIPPING_BOUNDARY, "children"),
        Output(ids.TIPPING_GOAL_HEAD, "children"),
        Input(ids.TIPPING_RESULT, "data"),
        prevent_initial_call=True,
    )
    def tipping_show(store):
        if not store:
            raise PreventUpdate
        fig = tipping_heatmap(store, lever_title=store["lever_title"], shock_title=store["shock_title"])
        head = f"Where it tips: the least that {store['least']}, per shock value"
        return False, True, fig, store["summary"], _boundary_table(store), head
