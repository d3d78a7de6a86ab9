"""The detail card: the event log, the story of the node (or group) in hand, and the Edit tab
(:mod:`augur.app.components.editor`). A node's story is its chart, why it failed in words (every
input's share, :func:`augur.text.node_story_text`) and its own lines of the event log. It is
recomputed from the session's design on click and after each run: the drill is deterministic, so this
gives exactly the result on screen without keeping it on the server."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, dash_table, dcc, html, no_update

from augur.app import ids
from augur.app.components.charts import chart
from augur.app.components.editor import editor
from augur.app.design import Catalogue, build_scenario, graph_of
from augur.app.network import group_view
from augur.drill import simulate
from augur.errors import AugurError
from augur.figures import group_figure, node_figure
from augur.style import FONT
from augur.text import node_story_text

__all__ = ["detail", "node_events", "node_story_figure", "register"]


def node_story_figure(result, G, node: dict):
    """The chart of a clicked node, or of a clicked group in a grouped view."""
    # step 0: the figure carries the step marker that the timeline moves
    if node.get("group"):
        members = group_view(G)[1][int(node["id"][1:])]
        return group_figure(result, members, 0, title=f"{node.get('label')}: share of nodes by status")
    return node_figure(result, node["id"], 0)


def _touches(shock, node) -> bool:
    return any(node in (t if isinstance(t, tuple) else (t,)) for t in shock.target)


def node_events(result, node) -> list[dict]:
    """The lines of the event log about ``node``: its own changes of status, and the start and end
    of every shock on it (or on an edge into or out of it)."""
    return [
        {"t": e.t, "message": e.message}
        for e in result.events
        if e.node == node or (e.kind in ("shock", "shock_end") and _touches(e.facts["shock"], node))
    ]


def _event_rows(events: list[dict]) -> html.Table | str:
    if not events:
        return ""
    rows = [html.Tr([html.Td(e["t"], className="node-event-t"), html.Td(e["message"])]) for e in events]
    return html.Table(
        [html.Thead(html.Tr([html.Th("Step"), html.Th("What happened to it")])), html.Tbody(rows)]
    )


def _story(result, G, node: dict) -> tuple[list, object]:
    """The node's story in words and its events (nothing for a group: its chart says it)."""
    if node.get("group"):
        return [], ""
    why = [html.P(line) for line in node_story_text(result, node["id"])]
    return why, _event_rows(node_events(result, node["id"]))


def _tab_label(node: dict) -> str:
    label = node.get("label") or node.get("id")
    return label if len(label) <= 24 else f"{label[:23]}…"


def detail() -> html.Div:
    """The detail card: the event log, and the tab for the node in hand."""
    events = dash_table.DataTable(
        id=ids.EVENTS,
        columns=[
            {"name": "Step", "id": "t", "type": "numeric"},
            {"name": "What happened", "id": "message"},
        ],
        data=[],
        page_action="none",
        cell_selectable=True,
        style_as_list_view=True,
        style_table={"height": "100%", "overflowY": "auto"},
        style_cell={
            "fontFamily": FONT,
            "fontSize": "12px",
            "padding": "3px 8px",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "border": "none",
            "borderBottom": "1px solid #eef1f4",
            "cursor": "pointer",
        },
        style_cell_conditional=[{"if": {"column_id": "t"}, "width": "44px", "textAlign": "right"}],
        style_header={"fontWeight": "600", "backgroundColor": "#f5f7fa", "borderBottom": "1px solid #d9dee4"},
        style_data_conditional=[],
        css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
    )
    return html.Div(
        dcc.Tabs(
            id=ids.DETAIL_TABS,
            value="events",
            children=[
                dcc.Tab(
                    label="Event log",
                    value="events",
                    children=html.Div(events, className="events-wrap"),
                    className="tab",
                    selected_className="tab-selected",
                ),
                dcc.Tab(
                    id=ids.NODE_TAB,
                    label="Node",
                    value="node",
                    children=html.Div(
                        [
                            html.Div(id=ids.NODE_WHY, className="node-why"),
                            html.Div(chart(ids.CHART_NODE, "node-chart"), className="node-chart-wrap"),
                            html.Div(id=ids.NODE_EVENTS, className="node-events"),
                        ],
                        className="node-story",
                    ),
                    className="tab",
                    selected_className="tab-selected",
                ),
                dcc.Tab(
                    id=ids.EDIT_TAB,
                    label="Edit",
                    value="edit",
                    children=editor(),
                    className="tab",
                    selected_className="tab-selected",
                ),
            ],
            className="tabs",
            parent_className="tabs-parent",
            content_className="tabs-content",
        ),
        className="card detail-card",
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""

    @app.callback(
        Output(ids.NODE, "data", allow_duplicate=True),
        Output(ids.DETAIL_TABS, "value", allow_duplicate=True),
        Output(ids.NODE_TAB, "label", allow_duplicate=True),
        Output(ids.NODE_WHY, "children"),
        Output(ids.NODE_EVENTS, "children"),
        Input(ids.NETWORK, "tapNodeData"),
        Input(ids.RUN_DESIGN, "data"),
        State(ids.GRAPH, "data"),
        prevent_initial_call=True,
    )
    def node_story(node, design, graph):
        """A clicked node's (or group's) story, from the design the results on screen ran on: on a
        click, and again when a run (or a newly opened design) replaces those results."""
        clicked = ctx.triggered_id == ids.NETWORK
        if not node:
            return no_update, no_update, no_update, "", ""
        tab = "node" if clicked else no_update
        label = node.get("label") or node.get("id")
        if not design or not graph or design["graph_rev"] != graph["rev"]:
            waiting = {"message": f"Run the drill to see the story of {label}."}
            if not clicked:  # a new design opened, or results cleared: the story goes with them
                return no_update, no_update, no_update, "", ""
            return waiting, tab, _tab_label(node), "", ""
        try:
            G = graph_of(graph)
            if not node.get("group") and node["id"] not in G:
                return None, no_update, "Node", "", ""
            result = simulate(G, build_scenario(G, design["scenario"]))
            figure = node_story_figure(result, G, node)
            why, events = _story(result, G, node)
        except (AugurError, KeyError, IndexError, ValueError):
            return None, no_update, "Node", "", ""
        return {"figure": figure.to_plotly_json(), "node": node["id"]}, tab, _tab_label(node), why, events
