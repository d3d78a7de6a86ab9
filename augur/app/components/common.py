"""What several components share: the form's field helpers, the settings fields into the scenario (the
settings panel and Run both apply them), the units a step can stand for, the run and upload messages,
and what every way of opening a design (a bundled drill, an upload) sets on the screen
(:data:`OPEN_OUTPUTS`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from dash import Output, dcc, html, no_update

from augur.app import ids
from augur.app.components.header import verdict_badge
from augur.app.components.kpis import kpi_cards
from augur.app.components.network import legend
from augur.app.components.timeline import horizon_marks
from augur.app.design import graph_meta, with_settings
from augur.app.network import network_view
from augur.app.stores import keep_note
from augur.errors import AugurError
from augur.graph import KINDS
from augur.style import KIND_LABELS
from augur.text import fraction_in_percent_text, node_name

__all__ = [
    "OPEN_OUTPUTS",
    "SETTING_LABELS",
    "STEP_UNITS",
    "apply_settings",
    "field",
    "message",
    "node_choices",
    "number_input",
    "opened",
    "settings_problem",
    "step_unit_options",
    "unchanged",
]


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
    outside 0-100 %, or at 1 % or under, which is a fraction typed as a percent), or ``""``; the
    scenario's own checks say the rest.

    >>> settings_problem("outage", None, 0, 150)
    'Steps: enter a number. SLO %: expected a number from 0 to 100, got 150.'
    >>> settings_problem("outage", 96, 0, 0.95)
    'SLO %: 0.95 reads as 0.95%; did you mean 95%?'
    """
    problems = [f"{label}: enter a number." for label, v in (("Steps", steps), ("Seed", seed)) if v is None]
    if not (name or "").strip():
        problems.insert(0, "Name: give the drill a name.")
    if slo is None:
        problems.append("SLO %: enter a number.")
    elif not 0 <= slo <= 100:
        problems.append(f"SLO %: expected a number from 0 to 100, got {slo:g}.")
    elif 0 < slo <= 1:
        problems.append(f"SLO %: {fraction_in_percent_text(slo)}")
    return " ".join(problems)


def apply_settings(scenario: Mapping, name, steps, unit, seed, slo, budget, hypothesis) -> tuple[dict, str]:
    """The scenario store with the settings fields' values, and ``""``; or the store unchanged and
    what is wrong, named by the field's label. Unchanged fields give the store back as it was; the
    same fields on the same store always give the same store, revision included, so the settings
    callback and Run, which both apply them when a field is left for the Run button, agree."""
    problem = settings_problem(name, steps, seed, slo)
    if problem:
        return dict(scenario), problem
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
        return with_settings(scenario, **settings), ""
    except AugurError as err:
        # named by the field's label on screen, not by the scenario file's key
        label = SETTING_LABELS.get(err.place or "", err.place)
        return dict(scenario), f"{label}: {err.message}" if label else err.message


def field(
    label: str,
    component,
    *,
    width: str = "",
    field_id: str | None = None,
    hidden: bool = False,
    hint: str = "",
    label_id: str | None = None,
):
    """A labelled form field around ``component``, half width or full, hidden or shown; ``label_id``
    names its label's words, for a callback that says them in the drill's unit."""
    kwargs = {"id": field_id} if field_id else {}
    if hint:
        kwargs["title"] = hint
    style = {"display": "none"} if hidden else None
    return html.Label(
        [html.Span(label, className="field-label", **({"id": label_id} if label_id else {})), component],
        className=f"field {width}".strip(),
        style=style,
        **kwargs,
    )


STEP_UNITS = ("minute", "hour", "day", "week", "month")


def node_choices(G: nx.DiGraph) -> list[dict]:
    """Dropdown options for "which nodes": every node of each kind the graph has, then each node by name
    (values: the kind, or the node id as text)."""
    kinds = [k for k in KINDS if any(d["kind"] == k for _, d in G.nodes(data=True))]
    options = [{"label": f"every {KIND_LABELS.get(k, k)}", "value": k} for k in kinds]
    return options + [{"label": node_name(G, v), "value": str(v)} for v in G.nodes]


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


def message(text, *, error: bool) -> tuple[Any, str]:
    """A message's text and class: an error, or a plain note."""
    return text, "message error" if error else "message ok"


def opened(G: nx.DiGraph, graph: Mapping, scenario: Mapping, note: str, notes: Sequence[str] = ()) -> list:
    """Values for :data:`OPEN_OUTPUTS`: the new design in the stores, the settings fields and the
    network; the previous results cleared (they belong to another design); ``note`` beside the
    upload, and a word when the graph is too large for the browser to keep across a reload; then
    ``notes`` (:func:`augur.text.notes.graph_notes`), a line each, on what the graph may not mean."""
    badge, badge_class = verdict_badge(None)
    note += keep_note(graph)
    shown = [note, *(html.Div(line, className="upload-note") for line in notes)] if notes else note
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
        *message(shown, error=False),
    ]


def unchanged(note: str) -> list:
    """Values for :data:`OPEN_OUTPUTS` when the input was refused: only the message changes."""
    return [no_update] * (len(OPEN_OUTPUTS) - 2) + list(message(note, error=True))
