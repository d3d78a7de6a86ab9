"""The Fix it panel: the least single changes that make the drill on screen graceful (or meet its
hypothesis), each confirmed by a re-run, and "Apply and re-run" for each.

The fixes come from :func:`augur.sweep.mitigate`, the one source the CLI's ``augur mitigate`` and the
review pack call too, so all three name the same least change in the same words. The search runs as
a background job (progress, cancel) on the design of the drill's last run, read from the browser's
stores; its answer goes back to the browser as plain data (:func:`fixes_for`).

Applying a fix pins the run on screen as *before* (the pinned store, as "Pin as before" does), puts
a new graph revision with the one attribute changed on screen (validated as a file would be:
:func:`applied`), runs the drill and, once it has run, opens the compare view on the two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur.analysis.cheapest import cheapest_fixes, unit_cost
from augur.analysis.mitigate import LEVERS
from augur.app import ids
from augur.app.components import views
from augur.app.components.common import OPEN_OUTPUTS, message, opened
from augur.app.components.jobs import JobIds, background, job_bar, progress_values
from augur.app.design import Catalogue, build_scenario, graph_of
from augur.app.edit import edit_node
from augur.errors import AugurError
from augur.scenario import DEFAULT_GOAL, VERDICT_RANK
from augur.sweep import mitigate
from augur.text import lever_text, shock_sentences
from augur.text.fixit import (
    FIX_CAPTION,
    GOAL_LABELS,
    STALE_FIXES,
    applied_note,
    fix_cost_text,
    fixit_intro,
    fixit_state,
    no_fix_text,
)
from augur.text.names import fold
from augur.text.studies import more_levers_text, no_fix_next_text

__all__ = ["JOB", "KEY", "LABEL", "PAGE", "applied", "fixes_for", "page", "register", "run_key"]

KEY = "fix"
LABEL = "Fix it"
PAGE = ids.FIX_PAGE

JOB = JobIds(run=ids.FIX_RUN, cancel=ids.FIX_CANCEL, progress=ids.FIX_PROGRESS, status=ids.FIX_STATUS)


def run_key(design: Mapping | None, goal: str) -> dict | None:
    """What a search answers for: the graph revision and scenario revision of the run, and the goal."""
    if not design:
        return None
    return {"graph_rev": design["graph_rev"], "scenario_rev": design["scenario"].get("rev"), "goal": goal}


def _tally(set_progress: Callable) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` hook for the finder's rounds of drills, counted across rounds."""
    before = [0]

    def progress(done: int, total: int) -> None:
        set_progress(progress_values(before[0] + done, before[0] + total, "drill"))
        if done >= total:
            before[0] += total

    return progress


def _costs(G, built, result) -> dict:
    """Each fix's cost, and the cheapest, where the graph prices its levers (``<lever>_cost``)."""
    priced = any(f"{lever}_cost" in d for _, d in G.nodes(data=True) for lever in LEVERS)
    if not priced or not result.fixes:
        return {}
    plan = cheapest_fixes(G, [built], [result])
    cheapest = {(c["lever"], c["node"]) for c in plan.changes}
    out = {}
    for i, f in enumerate(result.fixes):
        cost = unit_cost(G, f["lever"], f["node"]) * abs(f["to"] - f["from"])
        out[i] = (cost, (f["lever"], f["node"]) in cheapest)
    return out


def fixes_for(graph: Mapping, design: Mapping, goal: str = DEFAULT_GOAL, progress=None) -> dict:
    """The least fixes of the run ``design`` (``ids.RUN_DESIGN``) on the graph store ``graph``, as
    the plain data the panel shows: ``key`` (:func:`run_key`), ``drill``, ``verdict``, ``goal``,
    ``intro``, ``fixes`` (each ``lever, node, from, to, verdict, text, check`` and, where the graph
    prices its levers, ``cost``) and ``cannot_help`` (each ``lever, node, reason, why``); or ``error``.

    >>> from augur.app.design import Catalogue, graph_store, scenario_store
    >>> drill = Catalogue.scan("scenarios/").load("retail-chip-outage.yaml")
    >>> store = graph_store(drill.graph, "retail")
    >>> found = fixes_for(store, {"graph_rev": store["rev"], "scenario": scenario_store(drill)})
    >>> found["fixes"][0]["text"]
    '26 days of stock at Boardworks Assembly (tier 1), against 0 days today, makes this drill GRACEFUL.'
    """
    key = run_key(design, goal)
    name = design["scenario"].get("name") or "Untitled drill"
    out: dict[str, Any] = {"key": key, "drill": name, "fixes": [], "cannot_help": []}
    try:
        G = graph_of(graph)
        built = build_scenario(G, design["scenario"])
        if goal == "hypothesis" and built.hypothesis is None:
            return {**out, "error": fixit_state("no_hypothesis")}
        result = mitigate(G, built, goal=goal, progress=progress)
    except AugurError as err:
        return {**out, "error": err.describe(source=False)}
    unit = built.step_unit
    costs = _costs(G, built, result)
    fixes = []
    for i, f in enumerate(result.fixes):
        row = {k: f[k] for k in ("lever", "node", "from", "to", "verdict", "confirmed", "text", "check")}
        row["change"] = lever_text(f["lever"], f["node"], f["to"], G, unit)
        if i in costs:
            row["cost"] = fix_cost_text(*costs[i])
        fixes.append(row)
    shocks = shock_sentences(built, G)
    return {
        **out,
        "verdict": result.verdict,
        "goal": result.goal,
        "hypothesis": result.hypothesis,
        "intro": fixit_intro(
            name, graph.get("name") or "this graph", result.verdict, result.goal, shocks, result.hypothesis
        ),
        "fixes": fixes,
        "next": None
        if fixes or VERDICT_RANK[result.verdict] <= VERDICT_RANK[result.goal]
        else no_fix_next_text(result.cannot_help, G, unit),
        "cannot_help": [{k: c[k] for k in ("lever", "node", "reason", "why")} for c in result.cannot_help],
    }


def applied(graph: Mapping, fix: Mapping, scenario: Mapping | None = None):
    """``(G, store)``: the graph store with ``fix``'s lever set at its node, as a new revision
    (:func:`augur.app.edit.edit_node`, the graph editor's own edit), and its graph, validated as a
    file would be (a :class:`~augur.errors.GraphError` if it does not hold).

    >>> from augur.app.design import graph_store
    >>> from augur.graph import build_graph
    >>> store = graph_store(build_graph([("n", {"id": "b", "kind": "vendor"})], []), "chain")
    >>> G, after = applied(store, {"lever": "buffer", "node": "b", "to": 5.0})
    >>> G.nodes["b"]["buffer"], after["rev"] != store["rev"], "buffer" in store["data"]["nodes"][0]
    (5.0, True, False)
    """
    store = edit_node(graph, fix["node"], {fix["lever"]: fix["to"]}, scenario)
    return graph_of(store), store


# -- the page ------------------------------------------------------------------------------------------


def page(catalogue: Catalogue) -> html.Section:
    """The panel: what it shows, the goal, Find fixes (a background job), and the fixes found."""
    goal = dcc.RadioItems(
        id=ids.FIX_GOAL,
        options=[{"label": f" {label}", "value": value} for value, label in GOAL_LABELS.items()],
        value=DEFAULT_GOAL,
        inline=True,
        className="fix-goal",
        inputClassName="fix-goal-input",
    )
    return html.Section(
        [
            html.Div(
                [
                    html.H2("Fix it"),
                    html.P(fixit_state("not_run"), id=ids.FIX_INTRO, className="view-intro"),
                ],
                className="view-head",
            ),
            html.Div(
                [html.Span("Make it", className="field-label"), goal, job_bar(JOB, "Find fixes")],
                className="fix-controls",
            ),
            html.Div(id=ids.FIX_MESSAGE, className="message", role="status"),
            html.Div(id=ids.FIX_BODY, className="fix-body"),
            dcc.Store(id=ids.FIX_RESULT, data=None),
            dcc.Store(id=ids.FIX_APPLIED, data=None),
        ],
        id=PAGE,
        className="view-page fix-page",
        hidden=True,
    )


def _fix_row(i: int, fix: Mapping) -> html.Li:
    meta = [html.Span(fix["check"], className="fix-check")]
    if fix.get("cost"):
        meta.append(html.Span(fix["cost"], className="fix-cost"))
    return html.Li(
        [
            html.Div([html.Div(fix["text"], className="fix-text"), html.Div(meta, className="fix-meta")]),
            html.Button(
                "Apply and re-run",
                id={"type": ids.FIX_APPLY, "index": i},
                className="button primary fix-apply",
                n_clicks=0,
                title="Pin this run as before, make this change to the graph, run the drill and compare",
            ),
        ],
        className="fix-row",
        **{"data-lever": fix["lever"], "data-node": str(fix["node"]), "data-to": repr(fix["to"])},
    )


def _cannot_list(rows) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                c["why"], className="cannot-row", **{"data-node": str(c["node"]), "data-reason": c["reason"]}
            )
            for c in rows
        ],
        className="cannot-list",
    )


def body(found: Mapping) -> list:
    """The fixes found, then what cannot help and where it would."""
    parts = []
    if found["fixes"]:
        parts.append(html.Ol([_fix_row(i, f) for i, f in enumerate(found["fixes"])], className="fix-list"))
    else:
        parts.append(html.P(no_fix_text(found["goal"], found.get("hypothesis", False)), className="fix-none"))
        if found.get("next"):
            parts.append(html.P(found["next"], className="fix-next"))
    # where the intuitive fix cannot work, and where it would, come first; the rest folded as elsewhere
    listed, rest = fold(found["cannot_help"])
    if listed:
        parts += [html.H3("What cannot help, and where it would"), _cannot_list(listed)]
    if rest:
        parts.append(
            html.Details(
                [html.Summary(more_levers_text(len(rest))), _cannot_list(rest)], className="fix-folded"
            )
        )
    parts.append(html.P(FIX_CAPTION, className="caption"))
    return parts


def _on_screen(design: Mapping | None, meta: Mapping | None) -> bool:
    return bool(design and meta and design.get("graph_rev") == meta.get("rev"))


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach the panel's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.

    @app.callback(
        Output(ids.FIX_RESULT, "data"),
        Input(ids.FIX_RUN, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.FIX_GOAL, "value"),
        prevent_initial_call=True,
        **background(JOB),
    )
    def find(set_progress, _, graph, design, goal):
        """Search the least fixes of the run on screen, in the background: only when Find fixes is
        pressed, never on opening the tab or on a run, so the button does what the panel says."""
        if not graph or not design or design.get("graph_rev") != graph.get("rev"):
            return None
        return fixes_for(graph, design, goal or DEFAULT_GOAL, progress=_tally(set_progress))

    @app.callback(
        Output(ids.FIX_INTRO, "children"),
        Output(ids.FIX_BODY, "children"),
        Output(ids.FIX_MESSAGE, "children"),
        Output(ids.FIX_MESSAGE, "className"),
        Input(ids.FIX_RESULT, "data"),
        Input(ids.RUN_DESIGN, "data"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.FIX_GOAL, "value"),
    )
    def show(found, design, meta, goal):
        """The fixes of the run on screen; what to do while there are none."""
        if not _on_screen(design, meta):
            return fixit_state("not_run"), [], "", "message"
        name = design["scenario"].get("name") or "Untitled drill"
        hypothesis = design["scenario"].get("hypothesis")
        before = fixit_state("not_searched", drill=name, goal=goal or DEFAULT_GOAL, hypothesis=hypothesis)
        if not found or found.get("key") != run_key(design, goal):  # none yet, or another run's or goal's
            return before, [], "", "message"
        if found.get("error"):
            return before, [], *message(found["error"], error=True)
        if not found["fixes"] and not found["cannot_help"]:
            state = fixit_state("graceful", drill=name, verdict=found["verdict"])
            return state, [], "", "message"
        return found["intro"], body(found), "", "message"

    @app.callback(
        Output(ids.PINNED, "data", allow_duplicate=True),
        *OPEN_OUTPUTS,
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.VIEW_TABS, "value", allow_duplicate=True),
        Output(ids.FIX_APPLIED, "data"),
        Output(ids.FIX_MESSAGE, "children", allow_duplicate=True),
        Output(ids.FIX_MESSAGE, "className", allow_duplicate=True),
        Input({"type": ids.FIX_APPLY, "index": ALL}, "n_clicks"),
        State(ids.FIX_RESULT, "data"),
        State(ids.GRAPH, "data"),
        State(ids.RUN_DESIGN, "data"),
        prevent_initial_call=True,
    )
    def apply(clicks, found, graph, design):
        """Pin the run as before, put the changed graph on screen, run it, and bring the drill in
        front; the compare view opens once the run is in (:func:`compare_when_run`)."""
        if not ctx.triggered_id or not any(clicks) or not ctx.triggered[0]["value"]:
            raise PreventUpdate  # the buttons drawn anew, not clicked
        keep = [no_update] * (len(OPEN_OUTPUTS) + 4)
        if not found or not design or not graph or found["key"]["graph_rev"] != graph["rev"]:
            return *keep, *message(STALE_FIXES, error=True)
        fix = found["fixes"][ctx.triggered_id["index"]]
        try:
            G, after = applied(graph, fix, design["scenario"])
        except AugurError as err:
            return *keep, *message(err.describe(source=False), error=True)
        name = design["scenario"].get("name") or "Untitled drill"
        pinned = {"graph": graph, "scenario": design["scenario"], "name": name, "verdict": found["verdict"]}
        note = applied_note(fix["change"])
        return (
            pinned,
            *opened(G, after, design["scenario"], note),
            views.run_request(),
            views.DRILL,
            after["rev"],
            *message(note, error=False),
        )

    @app.callback(
        Output(ids.COMPARE_OPEN, "n_clicks", allow_duplicate=True),
        Output(ids.FIX_APPLIED, "data", allow_duplicate=True),
        Input(ids.RUN_DESIGN, "data"),
        State(ids.FIX_APPLIED, "data"),
        State(ids.COMPARE_OPEN, "n_clicks"),
        prevent_initial_call=True,
    )
    def compare_when_run(design, waiting, opened_times):
        """Once the fixed graph has run, open the compare view: the pinned run before, this after."""
        if not waiting or not design or design.get("graph_rev") != waiting:
            raise PreventUpdate
        return (opened_times or 0) + 1, None
