"""What several components share: the form's field helpers, the units a step can stand for, the run and
upload messages, and what every way of opening a design (a bundled drill, an upload) sets on the
screen (:data:`OPEN_OUTPUTS`)."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
from dash import Output, dcc, html, no_update

from augur.app import ids
from augur.app.components.header import verdict_badge
from augur.app.components.kpis import kpi_cards
from augur.app.components.network import legend
from augur.app.components.timeline import horizon_marks
from augur.app.design import graph_meta
from augur.app.network import network_view
from augur.app.stores import keep_note

__all__ = [
    "OPEN_OUTPUTS",
    "STEP_UNITS",
    "field",
    "message",
    "number_input",
    "opened",
    "step_unit_options",
    "unchanged",
]


def field(
    label: str,
    component,
    *,
    width: str = "",
    field_id: str | None = None,
    hidden: bool = False,
    hint: str = "",
):
    """A labelled form field around ``component``, half width or full, hidden or shown."""
    kwargs = {"id": field_id} if field_id else {}
    if hint:
        kwargs["title"] = hint
    style = {"display": "none"} if hidden else None
    return html.Label(
        [html.Span(label, className="field-label"), component],
        className=f"field {width}".strip(),
        style=style,
        **kwargs,
    )


STEP_UNITS = ("minute", "hour", "day", "week", "month")


def step_unit_options(current: str | None = None) -> list[dict]:
    """The units a step can stand for; a scenario's own unit ("shift") is offered too.

    >>> [o["value"] for o in step_unit_options("shift")]
    ['minute', 'hour', 'day', 'week', 'month', 'shift']
    """
    units = list(STEP_UNITS) + ([current] if current and current not in STEP_UNITS else [])
    return [{"label": f"1 {unit}", "value": unit} for unit in units]


def number_input(component_id: str, value, **kwargs) -> dcc.Input:
    """A number field without the browser's own min, max or step checks: Dash turns a value those
    reject into ``None``, so the callbacks check the numbers and say what was expected instead."""
    return dcc.Input(
        id=component_id, type="number", value=value, step="any", debounce=True, className="input", **kwargs
    )


def _dup(component: str, prop: str) -> Output:
    return Output(component, prop, allow_duplicate=True)


OPEN_OUTPUTS = [
    _dup(ids.GRAPH, "data"),
    _dup(ids.GRAPH_META, "data"),
    _dup(ids.SCENARIO, "data"),
    _dup(ids.DRILL, "data"),
    _dup(ids.RUN_DESIGN, "data"),
    _dup(ids.KPIS, "children"),
    _dup(ids.VERDICT_BADGE, "children"),
    _dup(ids.VERDICT_BADGE, "className"),
    _dup(ids.EVENTS, "data"),
    _dup(ids.NAME, "value"),
    _dup(ids.STEPS, "value"),
    _dup(ids.STEP_UNIT, "options"),
    _dup(ids.STEP_UNIT, "value"),
    _dup(ids.SEED, "value"),
    _dup(ids.SLO, "value"),
    _dup(ids.TOKEN_BUDGET, "value"),
    _dup(ids.HYPOTHESIS, "value"),
    _dup(ids.SLIDER, "value"),
    _dup(ids.SLIDER, "max"),
    _dup(ids.SLIDER, "marks"),
    _dup(ids.SLIDER, "disabled"),
    _dup(ids.PLAY, "disabled"),
    _dup(ids.NETWORK_VIEW, "data"),
    _dup(ids.NETWORK_NOTE, "children"),
    _dup(ids.NETWORK_NOTE, "hidden"),
    _dup(ids.LEGEND, "children"),
    _dup(ids.NODE, "data"),
    _dup(ids.NODE_TAB, "label"),
    _dup(ids.DETAIL_TABS, "value"),
    _dup(ids.UPLOAD_MESSAGE, "children"),
    _dup(ids.UPLOAD_MESSAGE, "className"),
]


def message(text: str, *, error: bool) -> tuple[str, str]:
    """A message's text and class: an error, or a plain note."""
    return text, "message error" if error else "message ok"


def opened(G: nx.DiGraph, graph: Mapping, scenario: Mapping, note: str) -> list:
    """Values for :data:`OPEN_OUTPUTS`: the new design in the stores, the settings fields and the
    network; the previous results cleared (they belong to another design); ``note`` beside the
    upload, and a word when the graph is too large for the browser to keep across a reload."""
    badge, badge_class = verdict_badge(None)
    note += keep_note(graph)
    view = network_view(G)
    marks = horizon_marks(scenario)
    return [
        graph,
        graph_meta(graph),
        scenario,
        None,
        None,
        kpi_cards(None),
        badge,
        badge_class,
        [],
        scenario.get("name", ""),
        scenario.get("steps"),
        step_unit_options(scenario.get("step_unit")),
        scenario.get("step_unit", "hour"),
        scenario.get("seed"),
        round(scenario.get("slo", 0.9) * 100, 2),
        scenario.get("token_budget"),
        scenario.get("hypothesis"),
        0,
        # the new design's horizon, so the (disabled) timeline does not show the previous drill's
        max(marks),
        marks,
        True,  # nothing to replay until the new design has run
        True,
        view,
        view["note"],
        not view["note"],
        legend(grouped=view["grouped"]),
        None,
        "Node",
        "events",
        *message(note, error=False),
    ]


def unchanged(note: str) -> list:
    """Values for :data:`OPEN_OUTPUTS` when the input was refused: only the message changes."""
    return [no_update] * (len(OPEN_OUTPUTS) - 2) + list(message(note, error=True))
