"""The Weak points view: every chosen node of the graph on screen failed alone and ranked, the pairs
that hurt more together than apart, and any row one click from the drill.

"Find weak points" runs :func:`augur.sweep.criticality` on the design in the stores as a background
job (:mod:`augur.app.components.jobs`: a process of its own, with progress and cancel), so the server
keeps answering everyone meanwhile; "Find pairs" runs :func:`augur.sweep.pairs` against that ranking.
Both return plain data to a store in the browser (:func:`find_weak_points`, :func:`find_pairs`). The
sweep's answer carries the ranking's table with it (:func:`ranking_table`), so the table is drawn the
moment the job is done; the exposure bars, the time-to-survive against time-to-recover quadrant and
the network tinted by exposure are drawn from the store after it. The tables' columns and rows are
:mod:`augur.app.components.weak_table`'s. Clicking a row sets that outage as
the design's only shock (:func:`drill_design`), runs it and brings the drill to the front.

>>> from augur.app.design import graph_store, scenario_store
>>> from augur.graph import build_graph
>>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "a", "target": "shop"})])
>>> graph, scenario = graph_store(G, "tiny"), scenario_store({"name": "s", "steps": 20})
>>> weak = find_weak_points(graph, scenario)
>>> [(r["target"], r["verdict"], r["exposure_index"]) for r in weak["rows"]]
[('a', 'cascade', 1.0), ('shop', 'degraded', 1.0)]
>>> drilled = drill_design(graph, scenario, weak, ["a"])
>>> drilled["name"], [(s["target"], s["start"], s["duration"]) for s in drilled["shocks"]]
('Weak point: a fails alone', [('a', 2, 5)])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from augur.analysis.criticality import Criticality, chosen_targets, pair_candidates, pair_drills
from augur.analysis.weak_points import sweep_outage
from augur.app import ids
from augur.app.components import views
from augur.app.components.charts import CHART_CONFIG, below_modebar
from augur.app.components.common import field, message, number_input
from augur.app.components.jobs import JobIds, background, job_bar, progress_values
from augur.app.components.kept import kept_before
from augur.app.components.weak_table import (
    grid,
    grid_options,
    pair_columns,
    pair_rows,
    ranking_columns,
    ranking_rows,
)
from augur.app.design import Catalogue, build_scenario, graph_of, with_shocks
from augur.engine.budget import check_drill_size
from augur.errors import AugurError, ScenarioError
from augur.figures import empty_figure
from augur.figures.exposure_network import exposure_network
from augur.figures.weak_points import exposure_bars, quadrant
from augur.graph import KINDS
from augur.scenario import Scenario
from augur.style import KIND_LABELS
from augur.sweep import criticality, pairs
from augur.text import node_name, unit_label_text
from augur.text import weak_view as words
from augur.text.weak_points import QUADRANT_ABOVE, one_recovery_text

__all__ = [
    "KEY",
    "LABEL",
    "PAGE",
    "PAIRS",
    "SWEEP",
    "SWEEP_CELLS_LIMIT",
    "design_key",
    "drill_design",
    "find_pairs",
    "find_weak_points",
    "page",
    "quadrant_note",
    "register",
]

KEY = "weak"
LABEL = "Weak points"
PAGE = ids.WEAK_PAGE

SWEEP = JobIds(run=ids.WEAK_RUN, cancel=ids.WEAK_CANCEL, progress=ids.WEAK_PROGRESS, status=ids.WEAK_STATUS)
PAIRS = JobIds(
    run=ids.PAIRS_RUN, cancel=ids.PAIRS_CANCEL, progress=ids.PAIRS_PROGRESS, status=ids.PAIRS_STATUS
)

# The most engine work (drills x nodes x steps) one job of the app may ask for: every node of the
# 2,000-node benchmark graph over 100 steps is 400 million, and the pairs among its 100 worst nodes
# with its substitute pairs beside them about 1.4 billion. Beyond it the job belongs to `augur sweep`,
# which can spread it over a Dask cluster; a server shared by several people should not take it.
SWEEP_CELLS_LIMIT = 2_000_000_000
DEFAULT_TOP = 10  # how many of the worst singles "Find pairs" pairs, as `augur sweep --pairs` does

# the settings a sweep depends on: a ranking stays true while these and the graph stay as they were
SWEEP_SETTINGS = ("steps", "seed", "slo", "token_budget", "step_unit")


# ------------------------------------------------------------------------------------ the plain work


def design_key(graph: Mapping | None, scenario: Mapping | None) -> dict | None:
    """What a sweep's answer depends on in the design: the graph's revision and the settings. The
    shocks are not in it: the sweep replaces them by its own outage (which it records)."""
    if not graph or not scenario:
        return None
    return {"graph_rev": graph.get("rev"), **{k: scenario.get(k) for k in SWEEP_SETTINGS}}


def _check_cost(drills: int, G: nx.DiGraph, scenario: Scenario, limit: float, what: str) -> None:
    nodes = G.number_of_nodes()
    check_drill_size(nodes, scenario.steps)  # one drill's record must fit, whatever the count
    if drills * nodes * scenario.steps > limit:
        raise ScenarioError(
            words.too_big_text(drills=drills, nodes=nodes, steps=scenario.steps, limit=limit, what=what),
            place="kinds",
        )


def _whole(value: Any, place: str) -> int | None:
    """A blank field is the default (None); anything else must be a whole number."""
    if value in (None, ""):
        return None
    if not isinstance(value, (int, float)) or value != int(value):
        raise ScenarioError(f"expected a whole number of steps, got {value!r}", place=place)
    return int(value)


def find_weak_points(
    graph: Mapping,
    scenario: Mapping,
    *,
    kinds: Sequence[str] | None = None,
    start: Any = None,
    duration: Any = None,
    progress: Callable[[int, int], None] | None = None,
    limit: float | None = None,
) -> dict:
    """Fail each node of ``kinds`` (every kind: None) alone on the design in the stores and return
    the ranking as the view's store: ``rows`` (:data:`~augur.analysis.criticality.CRITICALITY_KEYS`
    and each node's ``name``), the ``outage`` each suffered, the ``caption`` saying so, the design
    ``key`` it holds for and the ``seconds`` it took. ``start`` and ``duration`` blank take the
    drilled outage, as ``augur sweep`` does. Refused with a :class:`ScenarioError` (``place`` the
    field at fault) when the design does not hold, no node is of ``kinds``, or the work is over
    ``limit`` node-steps (:data:`SWEEP_CELLS_LIMIT` when None)."""
    began = time.perf_counter()
    G = graph_of(graph)
    built = build_scenario(G, scenario)
    if kinds is not None and not list(kinds):
        raise ScenarioError(words.NO_KIND, place="kinds")
    start, duration = _whole(start, "start"), _whole(duration, "duration")
    nodes = chosen_targets(G, kinds=kinds)
    chosen = None if kinds is None or set(kinds) >= set(KINDS) else [k for k in KINDS if k in kinds]
    labels = None if chosen is None else [KIND_LABELS[k] for k in chosen]
    if not nodes:
        raise ScenarioError(words.nothing_to_sweep(labels or []), place="kinds")
    _check_cost(len(nodes), G, built, SWEEP_CELLS_LIMIT if limit is None else limit, "sweep")
    try:
        result = criticality(G, built, targets=nodes, start=start, duration=duration, progress=progress)
    except ScenarioError as err:  # the outage's own checks name the sweep's start or duration
        place = "start" if "start" in err.message else "duration" if "duration" in err.message else None
        raise ScenarioError(err.message, place=place) from err
    copied = sweep_outage(built).copied if start is None and duration is None else None
    outage_words = words.sweep_outage_text(result.outage, copied, built.step_unit)
    return {
        "key": design_key(graph, scenario),
        "drill": built.name,
        "graph": graph.get("name") or "graph",
        "kinds": chosen,
        "nodes": G.number_of_nodes(),
        "unit": built.step_unit,
        "slo": built.slo,
        "outage": {**result.outage, "ttr": [[v, steps] for v, steps in result.outage["ttr"].items()]},
        "asked": duration is not None,  # every node down as long as asked, whatever its own ttr
        "outage_text": outage_words,
        "caption": words.sweep_caption(
            drill=built.name,
            graph=graph.get("name") or "graph",
            count=len(nodes),
            kinds=labels,
            outage=outage_words,
            slo=built.slo,
            steps=built.steps,
            unit=built.step_unit,
        ),
        "rows": [{**row, "name": node_name(G, row["target"])} for row in result.rows],
        "seconds": round(time.perf_counter() - began, 3),
    }


def _outage(weak: Mapping) -> dict:
    """The sweep's outage as :func:`~augur.analysis.criticality.outage_for` gave it (the store keeps
    its own-ttr nodes as pairs: a JSON object's keys would turn every node id into a string)."""
    return {**weak["outage"], "ttr": {v: steps for v, steps in weak["outage"]["ttr"]}}


def _singles(weak: Mapping) -> Criticality:
    keys = Criticality.keys
    return Criticality(rows=[{k: row[k] for k in keys} for row in weak["rows"]], outage=_outage(weak))


def find_pairs(
    graph: Mapping,
    scenario: Mapping,
    weak: Mapping,
    *,
    top: Any = DEFAULT_TOP,
    progress: Callable[[int, int], None] | None = None,
    limit: float | None = None,
) -> dict:
    """Fail pairs of the ranking's nodes together (:func:`augur.sweep.pairs`, the singles being the
    ranking ``weak``, so the interactions are measured against the table on screen) and return the
    pairs store: ``rows`` (:data:`~augur.analysis.criticality.PAIR_KEYS` and the two ``names``), the
    candidate ``sets`` tried, ``sets_text`` and ``caption`` saying so, and the ranking's ``key``."""
    began = time.perf_counter()
    if not isinstance(top, (int, float)) or top != int(top) or top < 2:
        raise ScenarioError(
            f"expected a whole number of worst singles to pair, 2 or more, got {top!r}", place="top"
        )
    top = int(top)
    G = graph_of(graph)
    built = build_scenario(G, scenario)
    singles = _singles(weak)
    ranked = [row["target"] for row in singles]
    candidates, _ = pair_candidates(G, built, ranked, top=top, outage=singles.outage)
    _check_cost(len(candidates), G, built, SWEEP_CELLS_LIMIT if limit is None else limit, "pairs sweep")
    found = pairs(G, built, top=top, singles=singles, progress=progress)
    return {
        "key": weak["key"],
        "top": top,
        "rows": [{**row, "names": [node_name(G, v) for v in row["targets"]]} for row in found.rows],
        "sets": found.sets,
        "sets_text": words.pairs_sets_text(found.sets),
        "caption": words.pairs_caption(count=len(found.rows), top=min(top, len(ranked))),
        "seconds": round(time.perf_counter() - began, 3),
    }


def drill_design(graph: Mapping, scenario: Mapping, weak: Mapping, targets: Sequence) -> dict:
    """The scenario store that drills ``targets`` failing together as the sweep failed them (the
    same outage, their own ttr where they have one) in place of the design's shocks, named so."""
    G = graph_of(graph)
    missing = [v for v in targets if v not in G]
    if missing:
        raise ScenarioError(words.not_in_graph(str(missing[0])), place="row")
    [drill] = pair_drills([tuple(targets)], _outage(weak))
    note = words.shock_note()
    shocks = [replace(shock, note=note).to_dict() for shock in drill.shocks]
    drilled = with_shocks(scenario, shocks, G)
    return {**drilled, "name": words.drill_name([node_name(G, v) for v in targets])}


# ---------------------------------------------------------------------------------------- the page


def _figure(figure_id: str, text: str) -> dcc.Graph:
    return dcc.Graph(
        id=figure_id, figure=empty_figure(text), config=CHART_CONFIG, className="chart weak-chart"
    )


def _settings() -> html.Div:
    """The sweep's settings in one line: the kinds to fail, the outage, and the job."""
    kinds = dcc.Checklist(
        id=ids.WEAK_KINDS,
        options=[{"label": KIND_LABELS[k], "value": k} for k in KINDS],
        value=list(KINDS),
        inline=True,
        className="weak-kinds",
    )
    settings = html.Div(
        [
            field("Fail nodes of kind", kinds, width="weak-kinds-field"),
            field(
                unit_label_text("Outage starts at", "step"),
                number_input(ids.WEAK_START, None, placeholder="drilled"),
                width="weak-number",
                label_id=ids.WEAK_START_LABEL,
            ),
            field(
                unit_label_text("Down for", "step", many=True),
                number_input(ids.WEAK_DURATION, None, placeholder="drilled"),
                width="weak-number",
                label_id=ids.WEAK_DURATION_LABEL,
            ),
            html.Div(job_bar(SWEEP, "Find weak points"), className="weak-job"),
        ],
        className="weak-settings",
    )
    return html.Div(
        [settings, html.Div(id=ids.WEAK_MESSAGE, className="message", role="status")],
        className="card weak-card",
    )


def _results() -> html.Div:
    """The ranking, its three figures and the pairs, hidden until a sweep has filled them."""
    ranking = html.Div(
        [
            html.Div(
                [
                    html.H3("Each node failed alone, worst first"),
                    html.Span(words.ROW_HINT, className="muted small"),
                ],
                className="weak-card-head",
            ),
            grid(ids.WEAK_GRID, ranking_columns(), 300),
        ],
        className="card weak-card",
    )
    figures = html.Div(
        [
            html.Div(_figure(ids.WEAK_BARS, "Find weak points to see the exposure index"), className="card"),
            html.Div(
                [
                    _figure(ids.WEAK_QUADRANT, "Find weak points to see the quadrant"),
                    html.P(id=ids.WEAK_QUADRANT_NOTE, className="weak-note muted small", hidden=True),
                ],
                className="card weak-quadrant-card",
            ),
            html.Div(_figure(ids.WEAK_NETWORK, "Find weak points to tint the network"), className="card"),
        ],
        className="weak-figures",
    )
    pair_part = html.Div(
        [
            html.Div(
                [
                    html.H3("Pairs failed together"),
                    field("Pair the worst", number_input(ids.PAIRS_TOP, DEFAULT_TOP), width="weak-number"),
                    html.Div(job_bar(PAIRS, "Find pairs"), className="weak-job"),
                ],
                className="weak-card-head weak-pairs-head",
            ),
            html.Div(id=ids.PAIRS_MESSAGE, className="message", role="status"),
            html.P(words.PAIRS_EMPTY, id=ids.PAIRS_CAPTION, className="weak-caption"),
            html.P(id=ids.PAIRS_SETS, className="weak-sets muted small"),
            grid(ids.PAIRS_GRID, pair_columns(), 240, words.PAIRS_NOT_YET),
        ],
        className="card weak-card",
    )
    return html.Div([ranking, figures, pair_part], id=ids.WEAK_RESULTS, className="weak-results", hidden=True)


def page(catalogue: Catalogue) -> html.Section:
    """The view's page: its heading and what it shows, the sweep's settings and job, the ranking with
    its figures, and the pairs with theirs; hidden until its tab is chosen."""
    return html.Section(
        [
            html.Div(
                [
                    html.H2("Weak points"),
                    html.P(words.SWEEP_EMPTY, id=ids.WEAK_CAPTION, className="weak-caption"),
                ],
                className="view-head",
            ),
            _settings(),
            html.Div(words.stale_text(), id=ids.WEAK_STALE, className="stale-note weak-stale", hidden=True),
            _results(),
            dcc.Store(id=ids.WEAK_STORE, data=None),
            dcc.Store(id=ids.PAIRS_STORE, data=None),
        ],
        id=PAGE,
        className="view-page weak-page",
        hidden=True,
    )


# ------------------------------------------------------------------------------------ the figures

FIGURES = (ids.WEAK_BARS, ids.WEAK_QUADRANT, ids.WEAK_NETWORK)  # in the order :func:`figures` gives


def _positions(view: Mapping | None) -> tuple[dict, list, dict] | None:
    """Node positions, edges and kinds from the network view the drill draws (None when it is grouped:
    a group is no node of the ranking)."""
    if not view or view.get("grouped"):
        return None
    rows = view["nodes"]
    positions = {row[0]: (row[3], row[4]) for row in rows}
    edges = [(rows[e[0]][0], rows[e[1]][0]) for e in view["edges"]]
    return positions, edges, {row[0]: row[2] for row in rows}


def _names(weak: Mapping) -> nx.DiGraph:
    """The swept nodes with their labels: all the figures need of the graph to name them."""
    named = nx.DiGraph()
    named.add_nodes_from((row["target"], {"label": row["name"]}) for row in weak["rows"])
    return named


def quadrant_note(weak: Mapping) -> str:
    """Under the quadrant, why its points stand in one column where they do (``''`` elsewhere)."""
    return one_recovery_text(_outage(weak), weak["unit"], asked=weak.get("asked", False), rows=weak["rows"])


def figures(weak: Mapping, view: Mapping | None) -> tuple:
    """The exposure bars, the quadrant (both halves named) and the network tinted by exposure, drawn
    where the drill draws it (the network view's positions); each title clear of the mode bar."""
    named = _names(weak)
    bars = exposure_bars(weak["rows"], top=15, graph=named, title="Exposure index: the 15 worst")
    quad = quadrant(weak["rows"], weak["slo"], outage=_outage(weak), graph=named, unit=weak["unit"])
    quad.add_scatter(  # named in the legend beside the shaded half, where no point's name can sit on it
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": "square-open", "size": 12, "color": "rgba(97, 110, 124, 0.6)"},
        name=QUADRANT_ABOVE,
        hoverinfo="skip",
        legendrank=1,
    )
    drawn = _positions(view)
    if drawn is None:
        network = empty_figure(words.NETWORK_GROUPED, title="The network tinted by exposure")
    else:
        positions, edges, kinds = drawn
        by_id = {str(row["target"]): row["target"] for row in weak["rows"]}
        positions = {by_id.get(v, v): xy for v, xy in positions.items()}
        edges = [(by_id.get(u, u), by_id.get(v, v)) for u, v in edges]
        kinds = {by_id.get(v, v): kind for v, kind in kinds.items()}
        network = exposure_network(weak["rows"], positions, edges, kinds=kinds, graph=named, label=3)
    return tuple(below_modebar(fig) for fig in (bars, quad, network))


# ---------------------------------------------------------------------------------- the callbacks


# What the sweep's answer fills beside its store: the table comes with the ranking, not a round trip
# after it (a 2,000-node ranking is most of a megabyte each way), and its figures follow.
TABLE_OUTPUTS = (
    Output(ids.WEAK_GRID, "rowData"),
    Output(ids.WEAK_GRID, "columnDefs"),
    Output(ids.WEAK_CAPTION, "children"),
    Output(ids.WEAK_RESULTS, "hidden"),
    Output(ids.PAIRS_STORE, "data", allow_duplicate=True),
    *(Output(figure, "figure", allow_duplicate=True) for figure in FIGURES),
    Output(ids.WEAK_QUADRANT_NOTE, "hidden", allow_duplicate=True),
)


def ranking_table(weak: Mapping) -> tuple:
    """What :data:`TABLE_OUTPUTS` take for the ranking ``weak``: its rows, its columns in its own
    unit, its caption, the results shown, no pairs (pairs measured against an earlier ranking go),
    and in each figure's place a note that its own is being drawn (an earlier ranking's figures
    beside this table would be wrong); the quadrant's note goes with them."""
    drawing = [empty_figure(words.FIGURES_DRAWING) for _ in FIGURES]
    return ranking_rows(weak), ranking_columns(weak["unit"]), weak["caption"], False, None, *drawing, True


def outage_field_labels(scenario: Mapping | None) -> tuple[str, str]:
    """The outage fields' labels in the unit of the drill ``scenario``, as its ranking counts it.

    >>> outage_field_labels({"step_unit": "day"})
    ('Outage starts at day', 'Down for (days)')
    """
    unit = (scenario or {}).get("step_unit", "hour")
    return unit_label_text("Outage starts at", unit), unit_label_text("Down for", unit, many=True)


def _refusal(err: AugurError) -> tuple[str, str]:
    place = {"kinds": "Kinds", "start": "Outage starts at", "duration": "Down for", "top": "Pair the worst"}
    where = place.get(err.place or "")
    return message(f"{where}: {err.message}" if where else err.message, error=True)


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach the view's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.

    @app.callback(
        Output(ids.WEAK_STORE, "data"),
        Output(ids.WEAK_MESSAGE, "children"),
        Output(ids.WEAK_MESSAGE, "className"),
        *TABLE_OUTPUTS,
        Input(SWEEP.run, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.WEAK_KINDS, "value"),
        State(ids.WEAK_START, "value"),
        State(ids.WEAK_DURATION, "value"),
        prevent_initial_call=True,
        **background(SWEEP),
    )
    def sweep(set_progress, _, graph, scenario, kinds, start, duration):
        """The sweep, in a process of its own: its progress goes to the bar, its ranking to the store
        and to the table in the same answer (the figures follow from the store)."""
        unchanged = [no_update] * len(TABLE_OUTPUTS)
        if not graph or not scenario:
            return no_update, *message("Load a drill or upload a graph first.", error=True), *unchanged

        def hook(done: int, total: int) -> None:
            set_progress(progress_values(done, total, "drill"))

        try:
            weak = find_weak_points(
                graph, scenario, kinds=kinds, start=start, duration=duration, progress=hook
            )
        except AugurError as err:
            return no_update, *_refusal(err), *unchanged
        found = message(words.found_text(len(weak["rows"]), weak["seconds"]), error=False)
        return weak, *found, *ranking_table(weak)

    @app.callback(
        Output(ids.PAIRS_STORE, "data"),
        Output(ids.PAIRS_MESSAGE, "children"),
        Output(ids.PAIRS_MESSAGE, "className"),
        Input(PAIRS.run, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.WEAK_STORE, "data"),
        State(ids.PAIRS_TOP, "value"),
        prevent_initial_call=True,
        **background(PAIRS),
    )
    def find_the_pairs(set_progress, _, graph, scenario, weak, top):
        """The pairs, measured against the ranking on screen, in a process of their own."""
        if not weak or weak["key"] != design_key(graph, scenario):
            return no_update, *message(words.PAIRS_FIRST, error=True)

        def hook(done: int, total: int) -> None:
            set_progress(progress_values(done, total, "pair"))

        try:
            found = find_pairs(graph, scenario, weak, top=top, progress=hook)
        except AugurError as err:
            return no_update, *_refusal(err)
        return found, *message(words.pairs_found_text(len(found["rows"]), found["seconds"]), error=False)

    @app.callback(
        *(Output(figure, "figure") for figure in FIGURES),
        Output(ids.WEAK_QUADRANT_NOTE, "children"),
        Output(ids.WEAK_QUADRANT_NOTE, "hidden"),
        Input(ids.WEAK_STORE, "data"),
        State(ids.NETWORK_VIEW, "data"),
        prevent_initial_call=True,
    )
    def show_figures(weak, view):
        """The ranking's figures, drawn once its table is on screen, and under the quadrant why its
        points stand in one column where they do."""
        if not weak:
            return no_update
        note = quadrant_note(weak)
        return *figures(weak, view), note, not note

    @app.callback(
        Output(ids.PAIRS_GRID, "rowData"),
        Output(ids.PAIRS_CAPTION, "children"),
        Output(ids.PAIRS_SETS, "children"),
        Output(ids.PAIRS_GRID, "dashGridOptions"),
        Input(ids.PAIRS_STORE, "data"),
        prevent_initial_call=True,
    )
    def show_pairs(found):
        """The pairs found, or the table's note that there are none yet (or none at all)."""
        if not found:
            return [], words.PAIRS_EMPTY, "", grid_options(words.PAIRS_NOT_YET)
        return pair_rows(found), found["caption"], found["sets_text"], grid_options(words.PAIRS_NONE)

    @app.callback(
        Output(ids.WEAK_START_LABEL, "children"),
        Output(ids.WEAK_DURATION_LABEL, "children"),
        Input(ids.SCENARIO, "data"),
    )
    def outage_labels(scenario):
        """The outage fields in the drill's unit, as the ranking counts it."""
        return outage_field_labels(scenario)

    @app.callback(
        Output(ids.WEAK_STALE, "hidden"),
        Input(ids.WEAK_STORE, "data"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def stale(weak, meta, scenario):
        """Say so when the ranking on screen was found on another graph or other settings."""
        if not weak:
            return True
        return weak["key"] == design_key(meta, scenario)

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Output(ids.NAME, "value", allow_duplicate=True),
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.VIEW_TABS, "value", allow_duplicate=True),
        Output(ids.WEAK_MESSAGE, "children", allow_duplicate=True),
        Output(ids.WEAK_MESSAGE, "className", allow_duplicate=True),
        Output(ids.KEPT, "data", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "children", allow_duplicate=True),
        Input(ids.WEAK_GRID, "cellClicked"),
        Input(ids.PAIRS_GRID, "cellClicked"),
        State(ids.WEAK_STORE, "data"),
        State(ids.PAIRS_STORE, "data"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.KEPT, "data"),
        prevent_initial_call=True,
    )
    def drill_row(single, pair, weak, found, graph, scenario, kept):
        """A row clicked: its failure becomes the design's shock, runs, and the drill comes to the
        front; the drill it replaced is kept, one click from coming back (:mod:`.kept`)."""
        clicked = single if ctx.triggered_id == ids.WEAK_GRID else pair
        source = weak if ctx.triggered_id == ids.WEAK_GRID else found
        if not clicked or not source or not weak or not graph or not scenario:
            return [no_update] * 8
        row = source["rows"][int(clicked["rowId"])]
        targets = row["targets"] if "targets" in row else [row["target"]]
        try:
            drilled = drill_design(graph, scenario, weak, targets)
        except AugurError as err:
            return [no_update] * 4 + list(message(err.message, error=True)) + [no_update] * 2
        keep = kept_before(scenario, kept, graph.get("rev"), drilled["rev"])
        # the shock form's last word ("Shock added") was about shocks no longer listed
        return drilled, drilled["name"], views.run_request(), views.DRILL, no_update, no_update, keep, ""
