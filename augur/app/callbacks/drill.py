"""Running the drill, and a clicked node's own story.

The run sends the whole result to the browser once (:func:`augur.app.payload.drill_payload`); the
timeline then replays it there. A node's chart is recomputed from the session's design on click: the
drill is deterministic, so this gives exactly the result on screen without keeping it on the server.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from augur.app import ids
from augur.app.callbacks.common import message
from augur.app.callbacks.design import FIX_SETTINGS_FIRST
from augur.app.design import Catalogue, build_scenario, graph_of
from augur.app.layout import kpi_cards, slider_marks, verdict_badge
from augur.app.network import FULL_VIEW_LIMIT, group_view
from augur.app.payload import drill_payload
from augur.drill import simulate
from augur.errors import AugurError
from augur.figures import group_figure, node_figure

__all__ = ["node_story_figure", "register", "run_drill"]


def run_drill(graph: dict, scenario: dict, step: int = 0):
    """Validate the design, run it, and return ``(result, payload)``."""
    G = graph_of(graph)
    built = build_scenario(G, scenario)
    result = simulate(G, built)
    groups = group_view(G)[1] if G.number_of_nodes() > FULL_VIEW_LIMIT else None
    step = min(max(int(step or 0), 0), built.steps - 1)
    payload = drill_payload(result, graph_rev=graph["rev"], scenario=scenario, groups=groups, step=step)
    return result, payload


def node_story_figure(result, G, node: dict):
    """The chart of a clicked node, or of a clicked group in a grouped view."""
    # step 0: the figure carries the step marker that the timeline moves
    if node.get("group"):
        members = group_view(G)[1][int(node["id"][1:])]
        return group_figure(result, members, 0, title=f"{node.get('label')}: share of nodes by status")
    return node_figure(result, node["id"], 0)


def _tab_label(node: dict) -> str:
    label = node.get("label") or node.get("id")
    return label if len(label) <= 24 else f"{label[:23]}…"


def register(app: Dash, catalogue: Catalogue) -> None:
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
        Input(ids.RUN, "n_clicks"),
        State(ids.GRAPH, "data"),
        State(ids.SCENARIO, "data"),
        State(ids.SLIDER, "value"),
        State(ids.NETWORK, "tapNodeData"),
        State(ids.SETTINGS_MESSAGE, "children"),
        State(ids.SETTINGS_MESSAGE, "className"),
        running=[(Output(ids.RUN, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def run(_, graph, scenario, step, tapped, settings_text, settings_class):
        """Run the design; the node in hand gets its chart from the new result too. Settings the
        panel refused block the run: running the previous ones instead would mislead."""
        if not graph or not scenario:
            return [no_update] * 12 + list(message("Load a drill or upload a graph first.", error=True))
        if "error" in (settings_class or ""):
            return [no_update] * 12 + list(message(f"{FIX_SETTINGS_FIRST}: {settings_text}", error=True))
        try:
            result, payload = run_drill(graph, scenario, step or 0)
        except AugurError as err:
            return [no_update] * 12 + list(message(err.describe(source=False), error=True))
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
        design = {"graph_rev": graph["rev"], "scenario": scenario, "grouped": payload["grouped"]}
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
        ]

    @app.callback(
        Output(ids.NODE, "data", allow_duplicate=True),
        Output(ids.DETAIL_TABS, "value", allow_duplicate=True),
        Output(ids.NODE_TAB, "label", allow_duplicate=True),
        Input(ids.NETWORK, "tapNodeData"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.GRAPH, "data"),
        prevent_initial_call=True,
    )
    def node_story(node, design, graph):
        """A clicked node's (or group's) time series, from the design the results on screen ran on."""
        if not node:
            return no_update, no_update, no_update
        label = node.get("label") or node.get("id")
        if not design or not graph or design["graph_rev"] != graph["rev"]:
            return {"message": f"Run the drill to see the story of {label}."}, "node", _tab_label(node)
        try:
            G = graph_of(graph)
            if not node.get("group") and node["id"] not in G:
                return None, no_update, "Node"
            figure = node_story_figure(simulate(G, build_scenario(G, design["scenario"])), G, node)
        except (AugurError, KeyError, IndexError, ValueError):
            return None, no_update, "Node"
        return {"figure": figure.to_plotly_json(), "node": node["id"]}, "node", _tab_label(node)
