"""The Edit tab of the detail card: the node or edge clicked in the network, its attributes to edit,
nodes and edges to add and remove, Undo of the last edit, and the edited graph to download.

Every change goes through :mod:`augur.app.edit`, which checks the whole graph as a file is checked: a
refused change says why beside its field and the graph stays as it was. An accepted one is the
session's graph from then on (the graph store, kept across a reload as an upload is), so the next
Run uses it and the header says the design changed since the results on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from augur.app import ids
from augur.app.components.common import field, number_input
from augur.app.design import Catalogue, graph_meta, graph_of
from augur.app.edit import (
    DOWNLOAD_FORMATS,
    EDGE_FIELDS,
    NODE_FIELDS,
    add_edge,
    add_node,
    edge_fields,
    edit_edge,
    edit_node,
    graph_download,
    node_fields,
    remove_edge,
    remove_node,
    undo_record,
    undone,
)
from augur.app.network import network_view
from augur.errors import AugurError
from augur.graph import EDGE_ATTRIBUTES, KINDS, NODE_ATTRIBUTES
from augur.style import KIND_LABELS
from augur.text import node_name, value_text

__all__ = ["editor", "register"]

PICK = "Click a node or an edge in the network to edit it, or add one below."
GROUP = (
    "{label} is a group of the grouped view: its nodes cannot be clicked one by one; add nodes and "
    "edges by id below."
)
EDITED = "{what}. Run the drill to see what it does."
NOTHING_TO_UNDO = "Nothing to undo: the last edit was undone, or another design was opened since."

NODE_LABELS = {
    "label": "Name",
    "kind": "Kind",
    "buffer": "Buffer (steps)",
    "min_supply": "Min supply",
    "capacity": "Capacity (× load)",
    "fail_below": "Fail below",
    "recovery": "Recovery (steps)",
    "token_limit": "Token limit / step",
}
EDGE_LABELS = {"weight": "Weight", "group": "Group", "lead_time": "Lead time (steps)"}
TEXT_FIELDS = ("label", "group")
# Fractions, whose label carries their range: the allowed one, from the attribute the reader checks
RANGED = ("min_supply", "fail_below")


def _input(kind: str, name: str):
    component_id = {"type": kind, "name": name}
    if name == "kind":
        options = [{"label": KIND_LABELS[k], "value": k} for k in KINDS]
        return dcc.Dropdown(
            id=component_id, options=options, clearable=False, searchable=False, className="dropdown"
        )
    if name in TEXT_FIELDS:
        return dcc.Input(id=component_id, type="text", debounce=True, className="input")
    return number_input(component_id, None)


def _field(kind: str, message_kind: str, name: str, label: str, hint: str) -> html.Div:
    return html.Div(
        [
            field(label, _input(kind, name), hint=hint),
            html.Div(id={"type": message_kind, "name": name}, className="message error edit-field-message"),
        ],
        className="edit-field",
    )


def _meaning(attributes: Mapping, name: str) -> str:
    """A field's hint: what it means and what it takes, in the words a refused value is told."""
    if name not in attributes:
        return ""
    attribute = attributes[name]
    return f"{attribute.meaning}: {attribute.expected()}"


def _label(labels: Mapping, attributes: Mapping, name: str) -> str:
    """``'Min supply [0.000001, 1]'``: a fraction's label with its range as the reader checks it."""
    return f"{labels[name]} {attributes[name].interval()}" if name in RANGED else labels[name]


def _form(kind: str, message_kind: str, fields: tuple, labels: Mapping, attributes: Mapping) -> html.Div:
    """The fields of a node or an edge, each with its message beneath."""
    return html.Div(
        [
            _field(kind, message_kind, name, _label(labels, attributes, name), _meaning(attributes, name))
            for name in fields
        ],
        className="edit-fields",
    )


def _button(text: str, component_id: str, **kwargs) -> html.Button:
    return html.Button(text, id=component_id, className="button secondary", n_clicks=0, **kwargs)


def _text_field(label: str, component_id: str):
    return field(label, dcc.Input(id=component_id, type="text", className="input"))


def _adding() -> html.Div:
    """A new node (id and kind) and a new edge (from and to), each with its Add button."""
    kinds = dcc.Dropdown(
        id=ids.EDIT_NEW_NODE_KIND,
        options=[{"label": KIND_LABELS[k], "value": k} for k in KINDS],
        value="process",
        clearable=False,
        searchable=False,
        className="dropdown",
    )
    return html.Div(
        [
            html.Div(
                [
                    _text_field("New node id", ids.EDIT_NEW_NODE_ID),
                    field("Kind", kinds),
                    _button("Add node", ids.EDIT_NODE_ADD),
                ],
                className="edit-add",
            ),
            html.Div(
                [
                    _text_field("Edge from", ids.EDIT_NEW_EDGE_SOURCE),
                    _text_field("Edge to", ids.EDIT_NEW_EDGE_TARGET),
                    _button("Add edge", ids.EDIT_EDGE_ADD),
                ],
                className="edit-add",
            ),
        ]
    )


def _keeping() -> html.Div:
    """Undo, and the graph's download in the chosen format."""
    formats = dcc.Dropdown(
        id=ids.EDIT_FORMAT,
        options=[{"label": label, "value": value} for value, label, _ in DOWNLOAD_FORMATS],
        value="json",
        clearable=False,
        searchable=False,
        className="dropdown edit-format",
    )
    download = html.Button(
        "Graph",
        id=ids.EDIT_DOWNLOAD_BUTTON,
        className="button secondary download",
        n_clicks=0,
        title="Download the graph on screen, edits and all, in the format chosen",
    )
    undo = _button("↶ Undo", ids.EDIT_UNDO_BUTTON, disabled=True)
    return html.Div([undo, formats, download, dcc.Download(id=ids.EDIT_DOWNLOAD)], className="edit-keep")


def editor() -> html.Div:
    """The Edit tab's content: the form of the node or edge in hand, adding, Undo and the download."""
    node_form = _form(
        ids.EDIT_NODE_FIELD, ids.EDIT_NODE_FIELD_MESSAGE, NODE_FIELDS, NODE_LABELS, NODE_ATTRIBUTES
    )
    edge_form = _form(
        ids.EDIT_EDGE_FIELD, ids.EDIT_EDGE_FIELD_MESSAGE, EDGE_FIELDS, EDGE_LABELS, EDGE_ATTRIBUTES
    )
    return html.Div(
        [
            dcc.Store(id=ids.EDIT_TARGET, data=None),
            dcc.Store(id=ids.EDIT_UNDO, data=None),
            html.Div(PICK, id=ids.EDIT_HEADING, className="edit-heading"),
            # what the last change did, at the top where it is seen; a refusal stays beside its field
            html.Div(id=ids.EDIT_MESSAGE, className="message", role="status"),
            html.Div(
                [node_form, _button("Remove node", ids.EDIT_NODE_REMOVE)], id=ids.EDIT_NODE_FORM, hidden=True
            ),
            html.Div(
                [edge_form, _button("Remove edge", ids.EDIT_EDGE_REMOVE)], id=ids.EDIT_EDGE_FORM, hidden=True
            ),
            _adding(),
            _keeping(),
        ],
        className="editor",
    )


# -- what the panel shows -------------------------------------------------------------------------------


def _placeholder(default: Any) -> str:
    if default is None:
        return "none"
    return f"default {value_text(default)}" if isinstance(default, int | float) else str(default)


def _target_of(node: Mapping | None, edge: Mapping | None, tapped_edge: bool) -> tuple[dict | None, str]:
    """What a click chose to edit, and the heading when it is nothing editable (a group)."""
    if tapped_edge and edge:
        if edge.get("group"):
            return None, GROUP.format(label="This line")
        return {"edge": [edge["source"], edge["target"]]}, ""
    if node:
        if node.get("group"):
            return None, GROUP.format(label=node.get("label") or node.get("id"))
        return {"node": node["id"]}, ""
    return None, PICK


def _still_there(target: Mapping | None, G) -> dict | None:
    if not target:
        return None
    if "node" in target:
        return dict(target) if target["node"] in G else None
    u, v = target["edge"]
    return dict(target) if G.has_edge(u, v) else None


def _heading(target: Mapping, G) -> str:
    if "node" in target:
        node = target["node"]
        name = node_name(G, node)
        also = f" ({node})" if name != str(node) else ""
        return f"Node {name}{also} · {KIND_LABELS[G.nodes[node]['kind']]}"
    u, v = target["edge"]
    return f"Edge {node_name(G, u)} → {node_name(G, v)}: {node_name(G, v)} depends on {node_name(G, u)}"


def _values(fields: Mapping, names: list) -> tuple[list, list]:
    return [fields[n]["value"] for n in names], [_placeholder(fields[n]["default"]) for n in names]


def _names(outputs: list) -> list[str]:
    return [o["id"]["name"] for o in outputs]


# -- what a change does -----------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _differs(old: Any, new: Any) -> bool:
    if _blank(old) and _blank(new):
        return False
    if isinstance(new, str) and isinstance(old, str):
        return new.strip() != old.strip()
    return old != new


def _what(name: str, value: Any, subject: str) -> str:
    label = NODE_LABELS.get(name) or EDGE_LABELS.get(name) or name
    label = label.split(" (")[0].lower()
    if _blank(value):
        return f"{label} of {subject} back to its default"
    shown = value_text(value) if isinstance(value, int | float) else str(value).strip()
    return f"{label} of {subject} set to {shown}"


def _changes(inputs: list, triggered: Mapping, current: Mapping) -> dict:
    """The fields a person changed: those that fired, where they differ from what the graph holds
    (a form refilled from the graph fires too, and changes nothing)."""
    fired = {i.get("name") for i in triggered.values() if isinstance(i, Mapping)}
    return {
        item["id"]["name"]: item.get("value")
        for item in inputs
        if item["id"]["name"] in fired and _differs(current.get(item["id"]["name"]), item.get("value"))
    }


def _accepted(graph: Mapping, updated: dict, what: str) -> list:
    """The outputs an accepted change sets: the stores, the network, Undo and the message."""
    G = graph_of(updated)
    return [
        updated,
        graph_meta(updated),
        network_view(G),
        undo_record(graph, updated, what),
        EDITED.format(what=what[:1].upper() + what[1:]),
        "message ok",
    ]


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    # Long only as a list is long: each callback below is short, and Dash's decorators need the app.
    node_field = {"type": ids.EDIT_NODE_FIELD, "name": ALL}
    edge_field = {"type": ids.EDIT_EDGE_FIELD, "name": ALL}

    @app.callback(
        Output(ids.EDIT_TARGET, "data"),
        Output(ids.EDIT_HEADING, "children"),
        Output(ids.EDIT_NODE_FORM, "hidden"),
        Output(ids.EDIT_EDGE_FORM, "hidden"),
        Output(node_field, "value"),
        Output(node_field, "placeholder"),
        Output(edge_field, "value"),
        Output(edge_field, "placeholder"),
        Output(ids.DETAIL_TABS, "value", allow_duplicate=True),
        Input(ids.NETWORK, "tapNodeData"),
        Input(ids.NETWORK, "tapEdgeData"),
        Input(ids.GRAPH_META, "data"),
        State(ids.GRAPH, "data"),
        State(ids.EDIT_TARGET, "data"),
        prevent_initial_call=True,
    )
    def show_target(node, edge, meta, graph, target):
        """The clicked node or edge in the form, as the graph holds it; refilled after every change
        of the graph, and emptied when what it showed is gone."""
        node_names, edge_names = _names(ctx.outputs_list[4]), _names(ctx.outputs_list[6])
        tab = no_update
        heading = ""
        if ctx.triggered_id == ids.NETWORK:
            tapped_edge = any(t["prop_id"].endswith("tapEdgeData") for t in ctx.triggered)
            target, heading = _target_of(node, edge, tapped_edge)
            tab = "edit" if tapped_edge and target else no_update
        try:
            G = graph_of(graph) if graph else None
        except AugurError:
            G = None
        target = _still_there(target, G) if G is not None else None
        node_values = [None] * len(node_names), [""] * len(node_names)
        edge_values = [None] * len(edge_names), [""] * len(edge_names)
        if target and "node" in target:
            node_values = _values(node_fields(G, target["node"]), node_names)
        elif target:
            edge_values = _values(edge_fields(G, *target["edge"]), edge_names)
        heading = _heading(target, G) if target else heading or PICK
        hidden = (not target or "node" not in target), (not target or "edge" not in target)
        return target, heading, *hidden, *node_values, *edge_values, tab

    @app.callback(
        Output(ids.GRAPH, "data", allow_duplicate=True),
        Output(ids.GRAPH_META, "data", allow_duplicate=True),
        Output(ids.NETWORK_VIEW, "data", allow_duplicate=True),
        Output(ids.EDIT_UNDO, "data", allow_duplicate=True),
        Output(ids.EDIT_MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDIT_MESSAGE, "className", allow_duplicate=True),
        Output({"type": ids.EDIT_NODE_FIELD_MESSAGE, "name": ALL}, "children"),
        Output({"type": ids.EDIT_EDGE_FIELD_MESSAGE, "name": ALL}, "children"),
        Input(node_field, "value"),
        Input(edge_field, "value"),
        State(ids.EDIT_TARGET, "data"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        prevent_initial_call=True,
    )
    def change_field(node_values, edge_values, target, graph, scenario):
        """A field changed by hand into the graph, or its refusal beside it (the graph kept)."""
        node_names, edge_names = _names(ctx.outputs_list[6]), _names(ctx.outputs_list[7])
        quiet = [[""] * len(node_names), [""] * len(edge_names)]
        keep = [no_update] * 6
        if not target or not graph:
            return [*keep, *quiet]
        try:
            G = graph_of(graph)
        except AugurError:
            return [*keep, *quiet]
        if "node" in target and target["node"] in G:
            node = target["node"]
            changes = _changes(ctx.inputs_list[0], ctx.triggered_prop_ids, G.nodes[node])
            subject, edit = node_name(G, node), lambda c: edit_node(graph, node, c, scenario)
            names, slot = node_names, 0
        elif "edge" in target and G.has_edge(*target["edge"]):
            u, v = target["edge"]
            changes = _changes(ctx.inputs_list[1], ctx.triggered_prop_ids, G.edges[u, v])
            subject = f"{node_name(G, u)} → {node_name(G, v)}"
            edit = lambda c: edit_edge(graph, u, v, c, scenario)  # noqa: E731
            names, slot = edge_names, 1
        else:
            return [*keep, *quiet]
        if not changes:
            return [*keep, *quiet]
        try:
            updated = edit(changes)
        except AugurError as err:
            where = err.place if err.place in names else next(iter(changes))
            quiet[slot][names.index(where)] = err.message
            return [*keep, *quiet]
        what = "; ".join(_what(name, value, subject) for name, value in changes.items())
        return [*_accepted(graph, updated, what), *quiet]

    @app.callback(
        Output(ids.GRAPH, "data", allow_duplicate=True),
        Output(ids.GRAPH_META, "data", allow_duplicate=True),
        Output(ids.NETWORK_VIEW, "data", allow_duplicate=True),
        Output(ids.EDIT_UNDO, "data", allow_duplicate=True),
        Output(ids.EDIT_MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDIT_MESSAGE, "className", allow_duplicate=True),
        Input(ids.EDIT_NODE_ADD, "n_clicks"),
        Input(ids.EDIT_EDGE_ADD, "n_clicks"),
        Input(ids.EDIT_NODE_REMOVE, "n_clicks"),
        Input(ids.EDIT_EDGE_REMOVE, "n_clicks"),
        Input(ids.EDIT_UNDO_BUTTON, "n_clicks"),
        State(ids.EDIT_NEW_NODE_ID, "value"),
        State(ids.EDIT_NEW_NODE_KIND, "value"),
        State(ids.EDIT_NEW_EDGE_SOURCE, "value"),
        State(ids.EDIT_NEW_EDGE_TARGET, "value"),
        State(ids.EDIT_TARGET, "data"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.EDIT_UNDO, "data"),
        prevent_initial_call=True,
    )
    def change_structure(
        _a, _b, _c, _d, _e, new_id, new_kind, source, target_id, target, graph, scenario, undo
    ):
        """Add or remove a node or an edge, or undo the last edit."""
        if not graph or not ctx.triggered[0]["value"]:
            return [no_update] * 6
        button = ctx.triggered_id
        try:
            if button == ids.EDIT_UNDO_BUTTON:
                if not undo or undo.get("after") != graph.get("rev"):
                    return [no_update] * 4 + [NOTHING_TO_UNDO, "message error"]
                before = undone(undo, scenario)
                G = graph_of(before)
                return [
                    before,
                    graph_meta(before),
                    network_view(G),
                    None,
                    f"Undone: {undo['what']}.",
                    "message ok",
                ]
            G = graph_of(graph)
            if button == ids.EDIT_NODE_ADD:
                updated = add_node(graph, new_id, new_kind, scenario)
                what = f"node {str(new_id).strip()} added ({KIND_LABELS[new_kind]})"
            elif button == ids.EDIT_EDGE_ADD:
                updated = add_edge(graph, source, target_id, scenario)
                what = f"edge {str(source).strip()} → {str(target_id).strip()} added"
            elif button == ids.EDIT_NODE_REMOVE and target and "node" in target:
                updated = remove_node(graph, target["node"], scenario)
                what = f"node {node_name(G, target['node'])} removed, with its edges"
            elif button == ids.EDIT_EDGE_REMOVE and target and "edge" in target:
                updated = remove_edge(graph, *target["edge"], scenario)
                u, v = target["edge"]
                what = f"edge {node_name(G, u)} → {node_name(G, v)} removed"
            else:
                return [no_update] * 6
        except AugurError as err:
            return [no_update] * 4 + [err.message[:1].upper() + err.message[1:] + ".", "message error"]
        return _accepted(graph, updated, what)

    app.clientside_callback(
        """
        function (undo, meta) {
            var ready = !!undo && !!meta && undo.after === meta.rev;
            return [!ready, ready ? 'Undo: ' + undo.what : 'Nothing to undo'];
        }
        """,
        Output(ids.EDIT_UNDO_BUTTON, "disabled"),
        Output(ids.EDIT_UNDO_BUTTON, "title"),
        Input(ids.EDIT_UNDO, "data"),
        Input(ids.GRAPH_META, "data"),
    )

    @app.callback(
        Output(ids.EDIT_DOWNLOAD, "data"),
        Output(ids.EDIT_MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDIT_MESSAGE, "className", allow_duplicate=True),
        Input(ids.EDIT_DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.EDIT_FORMAT, "value"),
        prevent_initial_call=True,
    )
    def download_graph(_, graph, fmt):
        """The graph on screen, edits and all, in the chosen format."""
        if not graph:
            return no_update, "Load a drill or upload a graph first.", "message error"
        try:
            filename, data = graph_download(graph, fmt)
        except AugurError as err:
            return no_update, err.message, "message error"
        return (
            dcc.send_bytes(data, filename),
            f"Saved {filename}: upload it to drill this graph again.",
            "message ok",
        )
