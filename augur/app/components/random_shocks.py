"""The Random shocks view: what random disruptions do to the graph on screen.

The settings are the scenario's ``random:`` section (docs/model.md, Random shocks), field for field, and
are checked as that section is, with the same messages, each shown beside the settings it is about
(the form and its reading: :mod:`augur.app.components.random_form`).
A drill whose file has a ``random:`` section opens the settings at it (:func:`form_values`); a drill
without one opens them at the defaults, unless they are already the user's own, which then stay.
Run draws and runs the drills through :func:`augur.sweep.monte_carlo` as a background job (progress,
cancel); the view then shows the chance of each verdict with its 95% interval, the p5/p50/p95 band of
service with the SLO, the distributions of resilience loss, peak token multiplier and token overrun
cost, and the worst and the median drill, each one click from the drill view and downloadable as a
scenario file that ``augur run`` reproduces.

>>> section = random_section(200, 1, 3, {"vendor_failure": 1.0}, {"severity": 0.5}, {"severity": None},
...                          (None, None), (2, 6), [])
>>> section["kinds"]["vendor_failure"], section["severity"], section["duration"], "start" in section
(1.0, [0.5, 1.0], [2, 6], False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from augur import sweep
from augur.app import ids
from augur.app.components import views
from augur.app.components.charts import CHART_CONFIG, MODEBAR_BAND, below_modebar
from augur.app.components.common import message, node_choices
from augur.app.components.jobs import JobIds, background, job_bar, progress_values
from augur.app.components.kept import kept_before
from augur.app.components.random_form import (
    PARTS,
    STRENGTH_FIELDS,
    _pair,
    _part,
    form_values,
    random_section,
    range_input,
    settings,
)
from augur.app.design import (
    Catalogue,
    build_scenario,
    graph_of,
    new_revision,
    scenario_file,
    scenario_store,
)
from augur.errors import AugurError, ScenarioError
from augur.figures import empty_figure
from augur.figures.weak_points import distribution, service_bands, verdict_chances
from augur.scenario import (
    SHOCK_KINDS,
    RandomShocks,
    Scenario,
    parse_scenario,
    scenario_to_dict,
)
from augur.text import COST_LABEL, monte_carlo_summary, node_name, unit_label_text
from augur.text.export import scenario_saved_text
from augur.text.studies import (
    loss_axis_text,
    random_drill_description,
    random_drill_headline,
    random_drill_text,
)
from augur.text.study_views import over_bound_text, random_intro, random_result_text, work_text

__all__ = [
    "KEY",
    "LABEL",
    "MAX_NODE_STEPS",
    "PAGE",
    "checked_study",
    "form_values",
    "page",
    "random_section",
    "range_input",
    "register",
    "study_store",
]

KEY = "random"
LABEL = "Random shocks"
PAGE = ids.RANDOM_PAGE
JOB = JobIds(
    run=ids.RANDOM_RUN, cancel=ids.RANDOM_CANCEL, progress=ids.RANDOM_PROGRESS, status=ids.RANDOM_STATUS
)

# The most node-steps (drills x nodes x steps) one study in the app may take: about the issue's
# benchmark of 1,000 drills on a 1,000-node graph over 100 steps, ten seconds here. Larger studies
# belong to `augur montecarlo`, which can spread them over a Dask cluster.
MAX_NODE_STEPS = 100_000_000

WHICH = ("worst", "median")


def checked_study(G: nx.DiGraph, scenario: Mapping, section: Mapping, seed: Any) -> tuple[Scenario, int]:
    """The drill on screen with ``section`` as its ``random:`` section and ``seed`` (blank: the
    drill's), checked as a scenario file is: ``(scenario, seed)``. Raises :class:`ScenarioError`."""
    built = build_scenario(G, scenario)
    section = dict(section)
    defaults = RandomShocks()
    for name, default in (("start", defaults.start_range), ("duration", defaults.duration_range)):
        if name in section:
            section[name] = _pair(*section[name], default(built.steps))
    data = {**scenario_to_dict(built), "random": section}
    if seed not in (None, ""):
        data["seed"] = seed
    checked = parse_scenario(data, graph=G)
    return checked, checked.seed


def _bound_problem(runs: Any, nodes: int, steps: int) -> str | None:
    if not isinstance(runs, int) or runs < 1 or runs * nodes * steps <= MAX_NODE_STEPS:
        return None
    return over_bound_text(runs, nodes, steps, MAX_NODE_STEPS, "fewer drills")


def _nodes(target: Any) -> list:
    """The nodes a shock's target names: one node, a list of them, an edge or a list of edges."""
    if isinstance(target, (list, tuple)):
        return [v for part in target for v in _nodes(part)]
    return [target]


def _shocked_names(G: nx.DiGraph | None, rows: Sequence[Mapping]) -> list[list]:
    """``[node, label]`` of every node the drills ``rows`` shock, so their cards name them as the
    drill view does (pairs: a JSON object's keys would turn every node id into a string)."""
    nodes = {v: None for row in rows for shock in row["shocks"] for v in _nodes(shock["target"])}
    return [[v, node_name(G, v)] for v in nodes]


def study_store(result: sweep.MonteCarloResult, graph: Mapping, scenario: Mapping) -> dict:
    """A study as the plain data the browser keeps: its figures' data, the worst and median drills
    (their rows and their scenario stores) and the design it was run on (graph and drill revisions)."""
    base = result.base
    distributions = {
        key: None if d is None else {k: v for k, v in d.items() if k != "values"}
        for key, d in result.distributions.items()
    }
    return {
        "graph_rev": graph.get("rev"),
        "scenario_rev": scenario.get("rev"),
        "name": base.name,
        "graph_name": graph.get("name") or "the graph",
        "steps": base.steps,
        "unit": base.step_unit,
        "slo": base.slo,
        "runs": result.runs,
        "seed": result.seed,
        "verdicts": dict(result.verdicts),
        "intervals": {k: list(v) for k, v in result.intervals.items()},
        "bands": {k: list(v) for k, v in result.service_level_bands.items()},
        "distributions": distributions,
        "summary": monte_carlo_summary(
            result.runs,
            result.seed,
            result.verdicts,
            result.intervals,
            result.resilience_loss,
            base.step_unit,
        ),
        "drills": {which: getattr(result, which) for which in WHICH},
        "names": _shocked_names(base.graph, [getattr(result, which) for which in WHICH]),
        "scenarios": {which: scenario_store(_described(result, which)) for which in WHICH},
    }


def _described(result: sweep.MonteCarloResult, which: str):
    """The worst (or median) drill as a scenario that says what it is, as ``augur montecarlo
    --save-worst`` writes it, not the description of the drill the study drew from."""
    row = result.row(which)
    said = random_drill_description(which, row, result.base.name, result.runs, result.seed)
    return result.scenario(which, description=said)


# -- the page ------------------------------------------------------------------------------------------


def _drill_card(which: str) -> html.Div:
    title = "Worst drill" if which == "worst" else "Median drill"
    return html.Div(
        [
            html.H3(title),
            html.Div(id={"type": ids.RANDOM_DRILLS, "which": which}, className="drill-card-body"),
            html.Div(
                [
                    html.Button(
                        f"Drill the {which} one",
                        id={"type": ids.RANDOM_DRILL, "which": which},
                        className="button primary",
                        n_clicks=0,
                        title="Set this drill's shocks in the drill view and run it there",
                    ),
                    html.Button(
                        "Scenario file",
                        id={"type": ids.RANDOM_SAVE, "which": which},
                        className="button secondary",
                        n_clicks=0,
                        title="Download this drill as a scenario file that `augur run` reproduces",
                    ),
                ],
                className="drill-card-buttons",
            ),
        ],
        className="drill-card card",
    )


def _graph(component_id: str, height: int) -> dcc.Graph:
    """A study chart whose plot is ``height`` px high, with the mode bar's strip over it."""
    return dcc.Graph(
        id=component_id,
        figure=empty_figure(""),
        config=CHART_CONFIG,
        style={"height": f"{height + MODEBAR_BAND}px"},
        className="study-chart",
    )


def page(catalogue: Catalogue) -> html.Section:
    """The view: a heading and what it shows, the settings and Run, then the study's figures."""
    results = html.Div(
        [
            html.P(id=ids.RANDOM_SUMMARY, className="study-summary"),
            html.Div(
                [_graph(ids.RANDOM_CHANCES, 240), _graph(ids.RANDOM_BANDS, 240)], className="study-pair"
            ),
            html.Div(
                [_graph(ids.RANDOM_LOSS, 200), _graph(ids.RANDOM_PEAK, 200), _graph(ids.RANDOM_COST, 200)],
                className="study-three",
            ),
            html.Div([_drill_card(which) for which in WHICH], className="study-pair drills"),
        ],
        id=ids.RANDOM_RESULTS,
        className="study-results",
        hidden=True,
    )
    empty = html.Div(
        "Set what a random drill is, then Run random drills: the chance of each verdict, the band of "
        "service and the worst drill appear here.",
        id=ids.RANDOM_EMPTY,
        className="study-empty",
    )
    return html.Section(
        [
            html.H2("Random shocks"),
            html.P(id=ids.RANDOM_INTRO, className="view-intro"),
            html.Div(
                [
                    settings(job_bar(JOB, "Run random drills")),
                    html.Div([empty, results], className="study-main"),
                ],
                className="study",
            ),
            dcc.Store(id=ids.RANDOM_RESULT, data=None),
            dcc.Store(id=ids.RANDOM_FILLED, data={"section": None}),  # the defaults, as the page opens
            dcc.Download(id=ids.RANDOM_DOWNLOAD),
        ],
        id=PAGE,
        className="view-page",
        hidden=True,
    )


# -- what the callbacks show ----------------------------------------------------------------------------


def _drill_body(store: Mapping, which: str) -> list:
    row = store["drills"][which]
    unit = store["unit"]
    named = nx.DiGraph()
    named.add_nodes_from((v, {"label": name}) for v, name in store.get("names", []))
    lines = random_drill_text(row, store["steps"], unit, named)
    return [
        html.P(
            [
                html.Span(row["verdict"].upper(), className=f"verdict-chip {row['verdict']}"),
                " " + random_drill_headline(row, store["runs"], unit),
            ]
        ),
        html.Ul([html.Li(line) for line in lines], className="drill-shocks"),
    ]


def _figures(store: Mapping) -> list:
    """The study's five figures, each title clear of the mode bar."""
    return [below_modebar(fig) for fig in _drawn(store)]


def _drawn(store: Mapping) -> list:
    d = store["distributions"]
    no_ai = "No AI service in this graph: no token figures."
    peak, cost = d["peak_token_multiplier"], d["token_overrun_cost"]
    return [
        verdict_chances(store["verdicts"], store["intervals"], title="Verdict chances, 95% intervals"),
        # room below the axis for its title and the legend, at the height the view gives the chart
        service_bands(store["bands"], store["slo"], unit=store["unit"]).update_layout(
            legend={"y": -0.3}, margin={"b": 64}
        ),
        distribution(d["resilience_loss"], title="Resilience loss", x_title=loss_axis_text(store["unit"])),
        distribution(peak, title="Peak token multiplier", x_title="× baseline", empty=no_ai),
        # the axis says the unit in the words every cost label uses, shortened to fit a third of the row
        distribution(
            cost,
            title="Token overrun cost",
            x_title=COST_LABEL.split(" (")[0] + " (price units)",
            empty=no_ai,
        ),
    ]


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this view's callbacks to ``app``."""
    form = [
        State(ids.RANDOM_RUNS, "value"),
        State(ids.RANDOM_SEED, "value"),
        State(ids.RANDOM_SHOCKS_LOW, "value"),
        State(ids.RANDOM_SHOCKS_HIGH, "value"),
        State({"type": ids.RANDOM_CHANCE, "kind": ALL}, "value"),
        State({"type": ids.RANDOM_LOW, "field": ALL}, "value"),
        State({"type": ids.RANDOM_HIGH, "field": ALL}, "value"),
        State(ids.RANDOM_START_LOW, "value"),
        State(ids.RANDOM_START_HIGH, "value"),
        State(ids.RANDOM_DURATION_LOW, "value"),
        State(ids.RANDOM_DURATION_HIGH, "value"),
        State(ids.RANDOM_TARGETS, "value"),
    ]
    form_inputs = [Input(s.component_id, s.component_property) for s in form]

    def read_form(runs, seed, s_low, s_high, chances, lows, highs, st_low, st_high, d_low, d_high, targets):
        section = random_section(
            runs,
            s_low,
            s_high,
            dict(zip(SHOCK_KINDS, chances)),
            dict(zip(STRENGTH_FIELDS, lows)),
            dict(zip(STRENGTH_FIELDS, highs)),
            (st_low, st_high),
            (d_low, d_high),
            targets,
        )
        return section, seed

    @app.callback(
        Output(ids.RANDOM_RUNS, "value"),
        Output(ids.RANDOM_SHOCKS_LOW, "value"),
        Output(ids.RANDOM_SHOCKS_HIGH, "value"),
        Output({"type": ids.RANDOM_CHANCE, "kind": ALL}, "value"),
        Output({"type": ids.RANDOM_LOW, "field": ALL}, "value"),
        Output({"type": ids.RANDOM_HIGH, "field": ALL}, "value"),
        Output(ids.RANDOM_START_LOW, "value"),
        Output(ids.RANDOM_START_HIGH, "value"),
        Output(ids.RANDOM_DURATION_LOW, "value"),
        Output(ids.RANDOM_DURATION_HIGH, "value"),
        Output(ids.RANDOM_TARGETS, "value"),
        Output(ids.RANDOM_FILLED, "data"),
        Input(ids.SCENARIO, "data"),
        State(ids.RANDOM_FILLED, "data"),
    )
    def random_fill(scenario, filled):
        """The settings at the drill's own ``random:`` section whenever the design brings another one
        (a drill opened, uploaded or reopened); a shock edited keeps the section, and the settings."""
        section = (scenario or {}).get("random")
        if section == (filled or {}).get("section"):
            raise PreventUpdate
        v = form_values(section)
        return (
            v["runs"], *v["shocks"], [v["chances"][k] for k in SHOCK_KINDS],
            [v["lows"][f] for f in STRENGTH_FIELDS], [v["highs"][f] for f in STRENGTH_FIELDS],
            *v["start"], *v["duration"], v["targets"], {"section": section},
        )  # fmt: skip

    @app.callback(
        Output(ids.RANDOM_INTRO, "children"),
        Output(ids.RANDOM_START_LOW, "placeholder"),
        Output(ids.RANDOM_START_HIGH, "placeholder"),
        Output(ids.RANDOM_DURATION_LOW, "placeholder"),
        Output(ids.RANDOM_DURATION_HIGH, "placeholder"),
        Output(ids.RANDOM_SEED, "placeholder"),
        Output(ids.RANDOM_START_LABEL, "children"),
        Output(ids.RANDOM_DURATION_LABEL, "children"),
        Input(ids.SCENARIO, "data"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.RANDOM_RUNS, "value"),
    )
    def random_describe(scenario, meta, runs):
        """What the view shows and on what; the horizon's default ranges as the blank fields' hints,
        and the timing rows' labels in the drill's unit."""
        unit = (scenario or {}).get("step_unit", "hour")
        labels = unit_label_text("Start", unit), unit_label_text("Duration", unit, many=True)
        if not scenario or not meta:
            intro = "Load a drill or upload a graph first: random shocks are drawn on its graph."
            return intro, *[""] * 5, *labels
        steps = int(scenario.get("steps") or 96)
        defaults = RandomShocks()
        start, duration = defaults.start_range(steps), defaults.duration_range(steps)
        intro = random_intro(
            scenario.get("name") or "the drill", meta.get("name") or "the graph",
            runs if isinstance(runs, int) else None, steps, scenario.get("step_unit", "hour"),
        )  # fmt: skip
        seed = f"the drill's ({scenario.get('seed', 0)})"
        return intro, *map(str, (*start, *duration)), seed, *labels

    @app.callback(Output(ids.RANDOM_TARGETS, "options"), Input(ids.GRAPH, "data"))
    def random_targets(graph):
        if not graph:
            return []
        try:
            return node_choices(graph_of(graph))
        except AugurError:
            return []

    @app.callback(
        Output(ids.RANDOM_BOUND, "children"),
        Output(ids.RANDOM_BOUND, "className"),
        *[Output({"type": ids.RANDOM_PROBLEM, "part": part}, "children") for part in PARTS],
        *[Output({"type": ids.RANDOM_PROBLEM, "part": part}, "className") for part in PARTS],
        *form_inputs,
        Input(ids.SCENARIO, "data"),
        State(ids.GRAPH, "data"),
    )
    def random_check(*values):
        """The settings checked as the scenario's ``random:`` section is, each problem beside its part,
        and how much work the study is."""
        *fields, scenario, graph = values
        problems = dict.fromkeys(PARTS, "")
        bound, bound_class = "", "message bound"
        if graph and scenario:
            section, seed = read_form(*fields)
            try:
                G = graph_of(graph)
                checked, _ = checked_study(G, scenario, section, seed)
                nodes, steps = G.number_of_nodes(), checked.steps
                runs = checked.random.runs
                too_much = _bound_problem(runs, nodes, steps)
                bound = too_much or work_text(runs, nodes, steps, MAX_NODE_STEPS)
                bound_class += " error" if too_much else ""
            except AugurError as err:
                problems[_part(err.place)] = err.describe(source=False)
        classes = ["message error" if problems[p] else "message" for p in PARTS]
        return bound, bound_class, *problems.values(), *classes

    @app.callback(
        Output(ids.RANDOM_RESULT, "data"),
        Output(ids.RANDOM_MESSAGE, "children"),
        Output(ids.RANDOM_MESSAGE, "className"),
        Input(ids.RANDOM_RUN, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        *form,
        prevent_initial_call=True,
        **background(JOB),
    )
    def random_run(set_progress, _, graph, scenario, *fields):
        """Draw and run the drills in the background, the bar moving as chunks of them finish."""
        if not graph or not scenario:
            return no_update, *message("Load a drill or upload a graph first.", error=True)
        section, seed = read_form(*fields)
        try:
            G = graph_of(graph)
            checked, seed = checked_study(G, scenario, section, seed)
            spec = checked.random
            too_much = _bound_problem(spec.runs, G.number_of_nodes(), checked.steps)
            if too_much:
                raise ScenarioError(too_much, place="random.runs")
            set_progress(progress_values(0, spec.runs, "drill"))
            result = sweep.monte_carlo(
                G, checked, runs=spec.runs, seed=seed, spec=spec,
                progress=lambda done, total: set_progress(progress_values(done, total, "drill")),
            )  # fmt: skip
        except AugurError as err:
            return no_update, *message(err.describe(source=False), error=True)
        return study_store(result, graph, scenario), "", "message"

    @app.callback(
        Output(ids.RANDOM_RESULTS, "hidden"),
        Output(ids.RANDOM_EMPTY, "hidden"),
        Output(ids.RANDOM_SUMMARY, "children"),
        Output(ids.RANDOM_CHANCES, "figure"),
        Output(ids.RANDOM_BANDS, "figure"),
        Output(ids.RANDOM_LOSS, "figure"),
        Output(ids.RANDOM_PEAK, "figure"),
        Output(ids.RANDOM_COST, "figure"),
        Output({"type": ids.RANDOM_DRILLS, "which": "worst"}, "children"),
        Output({"type": ids.RANDOM_DRILLS, "which": "median"}, "children"),
        Input(ids.RANDOM_RESULT, "data"),
        prevent_initial_call=True,
    )
    def random_show(store):
        if not store:
            raise PreventUpdate
        summary = random_result_text(store["summary"], store["name"], store["graph_name"], store["slo"])
        return False, True, summary, *_figures(store), *[_drill_body(store, w) for w in WHICH]

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Output(ids.NAME, "value", allow_duplicate=True),
        Output(ids.SEED, "value", allow_duplicate=True),
        Output(ids.HYPOTHESIS, "value", allow_duplicate=True),
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.VIEW_TABS, "value", allow_duplicate=True),
        Output(ids.RANDOM_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RANDOM_MESSAGE, "className", allow_duplicate=True),
        Output(ids.KEPT, "data", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "children", allow_duplicate=True),
        Input({"type": ids.RANDOM_DRILL, "which": ALL}, "n_clicks"),
        State(ids.RANDOM_RESULT, "data"),
        State(ids.GRAPH_META, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.KEPT, "data"),
        prevent_initial_call=True,
    )
    def random_drill(clicks, store, meta, current, kept):
        """The worst (or median) drill's shocks set in the drill view, run there, the drill in front.
        The panel's name, seed and hypothesis follow, so the settings on screen are the drill's; the
        random settings stay the study's own (the design keeps the drill's ``random:`` section). The
        drill it replaces is kept, one click from coming back (:mod:`.kept`)."""
        if not any(clicks) or not ctx.triggered_id:
            raise PreventUpdate
        if not store or not meta or store["graph_rev"] != meta.get("rev"):
            changed = message("The graph changed since this study: run it again.", error=True)
            return *[no_update] * 6, *changed, no_update, no_update
        chosen = dict(store["scenarios"][ctx.triggered_id["which"]])
        chosen["rev"] = new_revision()  # a design of its own, run afresh
        if (current or {}).get("random") is not None:
            chosen["random"] = current["random"]
        keep = kept_before(current, kept, meta.get("rev"), chosen["rev"])
        # the shock form's last word ("Shock added") was about shocks no longer listed: it goes
        front = (views.run_request(), views.DRILL, "", "message", keep, "")
        return chosen, chosen["name"], chosen["seed"], None, *front

    @app.callback(
        Output(ids.RANDOM_DOWNLOAD, "data"),
        Output(ids.RANDOM_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RANDOM_MESSAGE, "className", allow_duplicate=True),
        Input({"type": ids.RANDOM_SAVE, "which": ALL}, "n_clicks"),
        State(ids.RANDOM_RESULT, "data"),
        State(ids.GRAPH, "data"),
        prevent_initial_call=True,
    )
    def random_save(clicks, store, graph):
        """The worst (or median) drill as a scenario file, its graph inline: `augur run` reproduces it."""
        if not any(clicks) or not ctx.triggered_id:
            raise PreventUpdate
        if not store or not graph or store["graph_rev"] != graph.get("rev"):
            return no_update, *message("The graph changed since this study: run it again.", error=True)
        try:
            filename, text = scenario_file(graph, store["scenarios"][ctx.triggered_id["which"]])
        except AugurError as err:
            return no_update, *message(err.describe(source=False), error=True)
        note = scenario_saved_text(filename)
        return dcc.send_string(text, filename, type="application/x-yaml"), *message(note, error=False)
