"""Designing the shocks: the form (a click on a node or an edge makes it the target, and suggests a kind
until the designer chooses one),
the list of the shocks designed, each with a remove button, and adding and removing them. Every
change is a new scenario store; nothing is kept on the server."""

from __future__ import annotations

from collections.abc import Mapping

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from augur.app import ids
from augur.app.components.common import field, number_input
from augur.app.design import SHOCK_HELP, Catalogue, graph_of, shock_form_fields, with_shock, without_shock
from augur.errors import AugurError, ScenarioError
from augur.scenario import SHOCK_KINDS
from augur.style import KIND_LABELS
from augur.text import SHOCK_KIND_NAMES, shock_text, unit_label_text
from augur.text.designer import kind_changed_text

__all__ = [
    "EDGE_ARROW",
    "SHOCK_KIND_LABELS",
    "default_shock_kind",
    "kind_for_click",
    "parse_target",
    "register",
    "shock_form",
    "shock_list",
    "timing_labels",
]


# the kinds' names as the page says them: augur.text's, so the event log and the shock list agree
SHOCK_KIND_LABELS = SHOCK_KIND_NAMES


# The shock a click suggests for each kind of node; the designer can change it.
DEFAULT_KIND = {
    "vendor": "vendor_failure",
    "logistics": "logistics_bottleneck",
    "data_source": "data_quality_drop",
    "ai_service": "data_quality_drop",
    "process": "demand_spike",
}


EDGE_ARROW = " → "


# The node kinds a shock kind may target where it is not every kind, as the scenario's checks
# refuse the others (augur/scenario/_shocks.py); an edge takes a logistics bottleneck only.
TARGET_KINDS = {"logistics_bottleneck": ("logistics",), "rate_limit_cut": ("ai_service",)}


def kind_for_click(node_data: dict, chosen: str | None, suggested: str | None) -> str:
    """The kind the form shows after a click on a node: the designer's own choice while it applies
    to the node (a click sets the target, not what is done to it); the node's suggestion
    (:func:`default_shock_kind`) while the form still shows the last suggestion, so nothing was
    chosen, or where the choice cannot hit this kind of node.

    >>> kind_for_click({"kind": "process"}, "vendor_failure", "vendor_failure")  # nothing chosen yet
    'demand_spike'
    >>> kind_for_click({"kind": "process"}, "data_quality_drop", "vendor_failure")  # the user's own
    'data_quality_drop'
    >>> kind_for_click({"kind": "vendor"}, "rate_limit_cut", "vendor_failure")  # cannot hit a vendor
    'vendor_failure'
    """
    if (
        chosen
        and chosen != suggested
        and node_data.get("kind") in TARGET_KINDS.get(chosen, (node_data.get("kind"),))
    ):
        return chosen
    return default_shock_kind(node_data)


def default_shock_kind(node_data: dict) -> str:
    """The shock kind a click on a node suggests: an AI service with a token limit gets a rate-limit
    cut, a vendor a failure, a process a demand spike, and so on."""
    if node_data.get("kind") == "ai_service" and node_data.get("limit"):
        return "rate_limit_cut"
    return DEFAULT_KIND.get(node_data.get("kind"), "vendor_failure")


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


def shock_list(scenario: Mapping | None) -> list:
    """The designed shocks, each with its kind over the sentence every reader of the drill gets
    (:func:`augur.text.shock_text`: when, then what), and a remove button.

    >>> store = {"steps": 120, "step_unit": "day", "shocks": [
    ...     {"kind": "vendor_failure", "target": "acme", "start": 10, "duration": 500}]}
    >>> [part.children for part in shock_list(store)[0].children[0].children]
    ['Vendor failure', 'day 10 to the end: acme goes down completely']
    """
    shocks = (scenario or {}).get("shocks", [])
    if not shocks:
        return [html.Div("No shocks yet: click a node or an edge, then add one.", className="muted small")]
    unit = (scenario or {}).get("step_unit", "hour")
    steps = (scenario or {}).get("steps")
    rows = []
    for i, shock in enumerate(shocks):
        # the words every reader of a drill gets (augur run, the review pack); a shock that outlasts
        # the horizon lasts "to the end", not "500 days" of 120. Targets by id, as the form takes them.
        said = shock_text(shock, None, steps, unit)
        rows.append(
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(
                                SHOCK_KIND_LABELS.get(shock["kind"], shock["kind"]), className="shock-kind"
                            ),
                            html.Div(said, className="shock-target"),
                        ],
                        className="shock-text",
                    ),
                    html.Button(
                        "×",
                        id={"type": ids.SHOCK_REMOVE, "index": i},
                        className="shock-remove",
                        title="Remove this shock",
                        n_clicks=0,
                    ),
                ],
                className="shock-row",
                title=shock.get("note") or None,  # the drill author's reason, on hover
            )
        )
    return rows


def timing_labels(scenario: Mapping | None) -> tuple[str, str, str]:
    """The form's start, duration and delay labels in the unit of the drill ``scenario``.

    >>> timing_labels({"step_unit": "day"})
    ('Start day', 'Duration (days)', 'Extra delay (days)')
    """
    unit = (scenario or {}).get("step_unit", "hour")
    return (
        unit_label_text("Start", unit),
        unit_label_text("Duration", unit, many=True),
        unit_label_text("Extra delay", unit, many=True),
    )


def shock_form(scenario: Mapping) -> html.Section:
    """The shock form (target, kind, start, duration, strength, delay) and the list of shocks designed."""
    start, duration, delay = timing_labels(scenario)
    return html.Section(
        [
            html.H2("Shocks"),
            field(
                "Target",
                dcc.Input(
                    id=ids.SHOCK_TARGET,
                    type="text",
                    placeholder="click a node or an edge",
                    debounce=False,
                    className="input",
                ),
            ),
            field(
                "Kind",
                dcc.Dropdown(
                    id=ids.SHOCK_KIND,
                    options=[{"label": SHOCK_KIND_LABELS[k], "value": k} for k in SHOCK_KINDS],
                    value="vendor_failure",
                    clearable=False,
                    searchable=False,
                    className="dropdown",
                ),
            ),
            html.Div(
                [
                    field(
                        start, number_input(ids.SHOCK_START, 10), width="half", label_id=ids.SHOCK_START_LABEL
                    ),
                    field(
                        duration,
                        number_input(ids.SHOCK_DURATION, 12, placeholder="to end"),
                        width="half",
                        label_id=ids.SHOCK_DURATION_LABEL,
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    html.Label(
                        [
                            html.Span(
                                "Severity (1 = down)", id=ids.SHOCK_STRENGTH_LABEL, className="field-label"
                            ),
                            number_input(ids.SHOCK_STRENGTH, 1.0),
                        ],
                        className="field half",
                    ),
                    field(
                        delay,
                        number_input(ids.SHOCK_DELAY, 0),
                        width="half",
                        field_id=ids.SHOCK_DELAY_ROW,
                        hidden=True,
                        label_id=ids.SHOCK_DELAY_LABEL,
                    ),
                ],
                className="row",
            ),
            dcc.Store(id=ids.SHOCK_SUGGESTED, data="vendor_failure"),  # the kind the form opens on
            html.Button("Add shock", id=ids.SHOCK_ADD, className="button secondary", n_clicks=0),
            html.Div(id=ids.SHOCK_MESSAGE, className="message", role="status"),
            html.Div(shock_list(scenario), id=ids.SHOCK_LIST, className="shock-list"),
        ],
        className="panel-section",
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.

    @app.callback(
        Output(ids.SHOCK_TARGET, "value"),
        Output(ids.SHOCK_KIND, "value"),
        Output(ids.SHOCK_MESSAGE, "children", allow_duplicate=True),
        Output(ids.SHOCK_MESSAGE, "className", allow_duplicate=True),
        Output(ids.SHOCK_SUGGESTED, "data"),
        Input(ids.NETWORK, "tapNodeData"),
        Input(ids.NETWORK, "tapEdgeData"),
        State(ids.SHOCK_KIND, "value"),
        State(ids.SHOCK_SUGGESTED, "data"),
        prevent_initial_call=True,
    )
    def choose_target(node, edge, chosen, suggested):
        """A click on a node or an edge makes it the shock's target. The kind stays the designer's
        own where it applies (:func:`kind_for_click`); until one is chosen, the click suggests one.
        A group of the grouped view is no target: the designer is told how to reach one of its nodes."""
        tapped_edge = ctx.triggered_id == ids.NETWORK and ctx.triggered[0]["prop_id"].endswith("tapEdgeData")
        if tapped_edge and edge:
            if edge.get("group"):
                count = edge.get("count")
                links = f"{count:,} links" if isinstance(count, int) else "the links"
                hint = (
                    f"This line stands for {links} between two groups. To shock one, type it in Target "
                    f"as source{EDGE_ARROW}target."
                )
                return no_update, no_update, hint, "message ok", no_update
            return (
                f"{edge['source']}{EDGE_ARROW}{edge['target']}",
                "logistics_bottleneck",
                no_update,
                no_update,
                "logistics_bottleneck" if chosen != "logistics_bottleneck" else no_update,
            )
        if node and node.get("group"):
            example = f" (for example {node['example']})" if node.get("example") else ""
            label = node.get("label", node.get("id"))
            hint = f"{label} is a group: to shock one of its nodes, type its id in Target{example}."
            return no_update, no_update, hint, "message ok", no_update
        if not node:
            return no_update, no_update, no_update, no_update, no_update
        kind = kind_for_click(node, chosen, suggested)
        if kind == chosen:  # the designer's own, kept (or the suggestion it already is)
            return node["id"], no_update, no_update, no_update, no_update
        if chosen and chosen != suggested:  # the designer's own, which cannot hit this node: say so
            label = KIND_LABELS.get(node.get("kind"), node.get("kind"))
            note = kind_changed_text(chosen, kind, node.get("label") or node["id"], label)
            return node["id"], kind, note, "message ok", kind
        return node["id"], kind, no_update, no_update, kind

    @app.callback(
        Output(ids.SHOCK_START_LABEL, "children"),
        Output(ids.SHOCK_DURATION_LABEL, "children"),
        Output(ids.SHOCK_DELAY_LABEL, "children"),
        Input(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def shock_timing_labels(scenario):
        """The form's times in the drill's unit, as the shock list says them."""
        return timing_labels(scenario)

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
