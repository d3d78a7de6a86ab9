"""Designing the drill: open a bundled drill, choose a target by clicking, add and remove shocks, and
change the settings. Every change is a new scenario store; nothing is kept on the server."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from augur.app import ids
from augur.app.callbacks.common import OPEN_OUTPUTS, opened, unchanged
from augur.app.design import (
    SHOCK_HELP,
    Catalogue,
    graph_of,
    graph_store,
    scenario_store,
    shock_form_fields,
    with_settings,
    with_shock,
    without_shock,
)
from augur.app.layout import shock_list, subtitle
from augur.errors import AugurError, ScenarioError

__all__ = ["FIX_SETTINGS_FIRST", "default_shock_kind", "parse_target", "register", "settings_problem"]

# The shock a click suggests for each kind of node; the designer can change it.
DEFAULT_KIND = {
    "vendor": "vendor_failure",
    "logistics": "logistics_bottleneck",
    "data_source": "data_quality_drop",
    "ai_service": "data_quality_drop",
    "process": "demand_spike",
}
EDGE_ARROW = " → "
FIX_SETTINGS_FIRST = "Fix the settings first"  # how Run starts its refusal while the settings are refused


def default_shock_kind(node_data: dict) -> str:
    """The shock kind a click on a node suggests: an AI service with a token limit gets a rate-limit
    cut, a vendor a failure, a process a demand spike, and so on."""
    if node_data.get("kind") == "ai_service" and node_data.get("limit"):
        return "rate_limit_cut"
    return DEFAULT_KIND.get(node_data.get("kind"), "vendor_failure")


# The settings fields' labels, by the scenario key a refusal names.
SETTING_LABELS = {
    "name": "Name",
    "steps": "Steps",
    "step_unit": "One step is",
    "seed": "Seed",
    "slo": "SLO %",
    "token_budget": "Token budget ×",
    "hypothesis": "Hypothesis",
}


def settings_problem(name, steps, seed, slo) -> str:
    """What is wrong with the settings fields before they reach the scenario (an empty field, an SLO
    outside 0-100 %), or ``""``; the scenario's own checks say the rest.

    >>> settings_problem("outage", None, 0, 150)
    'Steps: enter a number. SLO %: expected a number from 0 to 100, got 150.'
    """
    problems = [f"{label}: enter a number." for label, v in (("Steps", steps), ("Seed", seed)) if v is None]
    if not (name or "").strip():
        problems.insert(0, "Name: give the drill a name.")
    if slo is None:
        problems.append("SLO %: enter a number.")
    elif not 0 <= slo <= 100:
        problems.append(f"SLO %: expected a number from 0 to 100, got {slo:g}.")
    return " ".join(problems)


def parse_target(text: str | None):
    """The designer's target field as a scenario target: ``"a → b"`` (or ``a -> b``) is an edge."""
    text = (text or "").strip()
    for arrow in ("→", "->"):
        if arrow in text:
            u, v = (part.strip() for part in text.split(arrow, 1))
            return [u, v]
    return text


def _form_place(place: str | None, index: int) -> str:
    """An error's place as the shock form words it: the shock being added is "shock", its fields
    "shock start", not the scenario file's ``shocks[3].start``.

    >>> _form_place("shocks[3].start", 3), _form_place("shock", 3), _form_place("shocks[3]", 3)
    ('shock start', '', '')
    >>> _form_place("steps", 3)
    'steps'
    """
    here = f"shocks[{index}]"
    if place in (None, "shock", here):
        return ""
    if place.startswith(here + "."):
        return "shock " + place.removeprefix(here + ".")
    return place


def register(app: Dash, catalogue: Catalogue) -> None:
    @app.callback(*OPEN_OUTPUTS, Input(ids.PICKER, "value"), prevent_initial_call=True)
    def open_bundled(name):
        """Open a bundled drill: its graph, its shocks and settings; earlier results are cleared."""
        if not name:  # cleared after an upload: nothing to open
            return [no_update] * len(OPEN_OUTPUTS)
        try:
            scenario = catalogue.load(name)
        except AugurError as err:
            return unchanged(str(err))
        graph = graph_store(scenario.graph, scenario.graph_ref or name)
        return opened(scenario.graph, graph, scenario_store(scenario), f"Opened {name}: ready to run.")

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
        from augur.app.layout import graph_summary

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
        problem = settings_problem(name, steps, seed, slo)
        if problem:
            return no_update, problem, "message error", no_update
        settings = {
            "name": name,
            "steps": steps,
            "step_unit": None if unit == scenario.get("step_unit", "hour") else unit,
            "seed": seed,
            "slo": None if slo is None else round(slo / 100, 6),
            "token_budget": budget,
            "hypothesis": hypothesis,
        }
        try:
            updated = with_settings(scenario, **settings)
        except AugurError as err:
            # named by the field's label on screen, not by the scenario file's key
            label = SETTING_LABELS.get(err.place or "", err.place)
            text = f"{label}: {err.message}" if label else err.message
            return no_update, text, "message error", no_update
        cleared = "" if str(run_message or "").startswith(FIX_SETTINGS_FIRST) else no_update
        return (no_update if updated == scenario else updated), "", "message", cleared

    @app.callback(
        Output(ids.SHOCK_TARGET, "value"),
        Output(ids.SHOCK_KIND, "value"),
        Output(ids.SHOCK_MESSAGE, "children", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "className", allow_duplicate=True),
        Input(ids.NETWORK, "tapNodeData"),
        Input(ids.NETWORK, "tapEdgeData"),
        prevent_initial_call=True,
    )
    def choose_target(node, edge):
        """A click on a node or an edge makes it the shock's target and suggests a kind. A group of
        the grouped view is no target: the designer is told how to reach one of its nodes."""
        tapped_edge = ctx.triggered_id == ids.NETWORK and ctx.triggered[0]["prop_id"].endswith("tapEdgeData")
        if tapped_edge and edge:
            if edge.get("group"):
                count = edge.get("count")
                links = f"{count:,} links" if isinstance(count, int) else "the links"
                hint = (
                    f"This line stands for {links} between two groups. To shock one, type it in Target "
                    f"as source{EDGE_ARROW}target."
                )
                return no_update, no_update, hint, "message ok"
            return (
                f"{edge['source']}{EDGE_ARROW}{edge['target']}",
                "logistics_bottleneck",
                no_update,
                no_update,
            )
        if node and node.get("group"):
            example = f" (for example {node['example']})" if node.get("example") else ""
            label = node.get("label", node.get("id"))
            hint = f"{label} is a group: to shock one of its nodes, type its id in Target{example}."
            return no_update, no_update, hint, "message ok"
        if node:
            return node["id"], default_shock_kind(node), no_update, no_update
        return no_update, no_update, no_update, no_update

    @app.callback(
        Output(ids.SHOCK_STRENGTH_LABEL, "children"),
        Output(ids.SHOCK_STRENGTH, "value"),
        Output(ids.SHOCK_DELAY_ROW, "style"),
        Input(ids.SHOCK_KIND, "value"),
        prevent_initial_call=True,
    )
    def shock_kind_fields(kind):
        _, label, default = SHOCK_HELP.get(kind, SHOCK_HELP["vendor_failure"])
        delay = {} if kind == "logistics_bottleneck" else {"display": "none"}
        return label, default, delay

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "children"),
        Output(ids.SHOCK_MESSAGE, "className"),
        Input(ids.SHOCK_ADD, "n_clicks"),
        State(ids.SHOCK_TARGET, "value"),
        State(ids.SHOCK_KIND, "value"),
        State(ids.SHOCK_START, "value"),
        State(ids.SHOCK_DURATION, "value"),
        State(ids.SHOCK_STRENGTH, "value"),
        State(ids.SHOCK_DELAY, "value"),
        State(ids.SCENARIO, "data"),
        State(ids.GRAPH, "data"),
        prevent_initial_call=True,
    )
    def add_shock(_, target, kind, start, duration, strength, delay, scenario, graph):
        if not graph or scenario is None:
            return no_update, "Load a graph first.", "message error"
        try:
            target = parse_target(target)
            if isinstance(target, list) and kind != "logistics_bottleneck":
                raise ScenarioError(
                    f"an edge ({target[0]} → {target[1]}) takes a logistics bottleneck only; "
                    f"for a {kind.replace('_', ' ')}, click a node",
                    place="target",
                )
            shock = shock_form_fields(kind, target, start, duration, strength, delay)
            updated = with_shock(scenario, shock, graph_of(graph))
        except AugurError as err:
            where = _form_place(err.place, len(scenario.get("shocks", [])))
            return no_update, f"{where}: {err.message}" if where else err.message, "message error"
        return updated, "Shock added. Run the drill to see what it does.", "message ok"

    @app.callback(
        Output(ids.SCENARIO, "data", allow_duplicate=True),
        Input({"type": ids.SHOCK_REMOVE, "index": ALL}, "n_clicks"),
        State(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def remove_shock(clicks, scenario):
        if not ctx.triggered_id or not ctx.triggered[0]["value"] or scenario is None:
            return no_update
        return without_shock(scenario, ctx.triggered_id["index"])
