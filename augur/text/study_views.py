"""The app's Random shocks and Tipping points views in words: what each shows and on what, how much
work a study is, and a tipping grid's boundary as a reader says it. The studies' own sentences, which
the command line and the pack say too, are in :mod:`augur.text.studies`.

>>> field_value_text("factor", 0.25, "day")
'a factor of 25%'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from augur.graph import KINDS
from augur.text import (
    count_text,
    goal_text,
    lever_value_text,
    multiple_text,
    node_name,
    pct_text,
    steps_text,
    value_text,
)
from augur.text.studies import least_text

__all__ = [
    "LEVER_LABELS",
    "NO_SHOCKS",
    "SHOCK_FIELD_LABELS",
    "field_value_text",
    "lever_nodes_text",
    "over_bound_text",
    "random_intro",
    "random_result_text",
    "tipping_goal_text",
    "tipping_intro",
    "tipping_rows",
    "tipping_summary",
    "work_text",
]

# The levers and shock fields as the views' dropdowns name them.
LEVER_LABELS = {
    "buffer": "Stock (buffer)",
    "min_supply": "Second-source headroom (min_supply)",
    "capacity": "Capacity",
    "token_limit": "Token limit",
    "recovery": "Recovery delay",
}
SHOCK_FIELD_LABELS = {
    "start": "Start step",
    "duration": "Duration",
    "severity": "Severity",
    "capacity": "Capacity left",
    "delay": "Delay",
    "multiplier": "Demand multiplier",
    "quality": "Quality left",
    "factor": "Token limit left",
}
_SHARES = ("severity", "capacity", "quality", "factor")
NO_SHOCKS = "This drill has no shocks to make worse: add one in the drill view's panel, then vary it here."


def work_text(drills: int, nodes: int, steps: int, bound: int) -> str:
    """How much work a study is, in node-steps (drills × nodes × steps), against the app's bound.

    >>> work_text(200, 13, 120, 100_000_000)
    '200 drills × 13 nodes × 120 steps = 312,000 node-steps (the app runs up to 100,000,000 at once).'
    """
    cells = drills * nodes * steps
    return (
        f"{count_text(drills, 'drill')} × {count_text(nodes, 'node')} × {count_text(steps, 'step')} = "
        f"{cells:,} node-steps (the app runs up to {bound:,} at once)."
    )


def over_bound_text(drills: int, nodes: int, steps: int, bound: int, fewer: str) -> str:
    """The refusal of a study above the bound: how much it is, and what to do instead."""
    cells = drills * nodes * steps
    return (
        f"{drills:,} × {nodes:,} × {steps:,} = {cells:,} node-steps is more than the {bound:,} the app "
        f"runs at once: {fewer}, or run it from the command line."
    )


def random_intro(name: str, graph: str, runs: int | None, steps: int, unit: str) -> str:
    """What the Random shocks view shows, and on what drill."""
    many = f"{runs:,} drills" if runs else "Drills"
    return (
        f"{many} on {graph}, each with random shocks in place of the shocks of “{name}”, over "
        f"{steps_text(steps, unit)}: how often each verdict comes out, the spread of service over time, "
        "and the worst and median drill to replay."
    )


def random_result_text(summary: str, name: str, graph: str, slo: float) -> str:
    """The study's headline (:func:`augur.text.monte_carlo_summary`) and what it was drawn on."""
    return f"{summary}. Drawn on the graph of “{name}” ({graph}), against an SLO of {pct_text(slo)}."


def field_value_text(field: str, value: float, unit: str) -> str:
    """One value of a shock field, as a boundary row reads it.

    >>> field_value_text("duration", 5, "day"), field_value_text("severity", 0.8, "day")
    ('a duration of 5 days', 'a severity of 80%')
    """
    if field == "duration":
        return f"a duration of {steps_text(value, unit)}"
    if field == "start":
        return f"a start at {unit} {value_text(value)}"
    if field == "delay":
        return f"a delay of {steps_text(value, unit)}"
    if field in _SHARES:
        return f"a {field} of {pct_text(value)}"
    if field == "multiplier":
        return f"a multiplier of {multiple_text(value)}"
    return f"{field} {value_text(value)}"


def lever_nodes_text(G: nx.DiGraph | None, chosen: str | None, nodes: Sequence, label: str = "") -> str:
    """Where a grid sets its lever: ``'each vendor (4)'`` for a kind (``label`` its name on screen),
    the node's name for one node.

    >>> lever_nodes_text(None, "ai_service", ["x", "y"], "AI service"), lever_nodes_text(None, "x", ["x"])
    ('each AI service (2)', 'x')
    """
    if chosen in KINDS:
        label = label or chosen
        return f"each {label} ({len(nodes)})" if len(nodes) != 1 else node_name(G, nodes[0])
    if len(nodes) == 1:
        return node_name(G, nodes[0])
    return f"each of {len(nodes)} nodes"


def tipping_intro(name: str, graph: str, shocks: int) -> str:
    """What the Tipping points view shows, and on what drill.

    >>> tipping_intro("Outage", "g.json", 1)[:60]
    'How much of one lever keeps “Outage” (on g.json) graceful as'
    """
    worse = "its shock gets worse" if shocks == 1 else f"its {shocks} shocks get worse"
    return (
        f"How much of one lever keeps “{name}” (on {graph}) graceful as {worse}: every cell of the "
        "grid is one drill, coloured by its verdict; the line is the least lever value that holds."
    )


def _where(G: nx.DiGraph | None, grid: Mapping, where: str) -> Any:
    """The node the lever's words name: the one node, else the group's words (kinds keep their noun)."""
    nodes = grid["nodes"]
    return nodes[0] if len(nodes) == 1 else where or f"each of {len(nodes)} nodes"


def tipping_goal_text(grid: Mapping) -> str:
    """What the least lever value does, said after "the least that": keeps it at the goal, or makes it
    meet the drill's own hypothesis in :func:`goal_text`'s words.

    >>> tipping_goal_text({"goal": "graceful"}), tipping_goal_text({"goal": "degraded", "hypothesis": True})
    ('keeps it graceful', 'makes it meet its hypothesis (DEGRADED or better)')
    """
    if grid.get("hypothesis"):
        return f"makes it {goal_text(grid['goal'], True)}"
    return f"keeps it {grid['goal']}"


def tipping_rows(grid: Mapping, unit: str, G: nx.DiGraph | None = None, where: str = "") -> list[dict]:
    """The boundary, one row per shock value: ``{shock, least}`` in words (``least`` says so when no
    value on the grid holds)."""
    name = _where(G, grid, where)
    rows = []
    for b in grid["boundary"]:
        v = b["lever_value"]
        least = "none on the grid" if v is None else least_text(grid["lever"], name, b, G, unit)
        rows.append({"shock": field_value_text(grid["shock_field"], b["shock_value"], unit), "least": least})
    return rows


def tipping_summary(grid: Mapping, unit: str, G: nx.DiGraph | None = None, where: str = "") -> str:
    """The boundary in a sentence or two: the least mitigation at the mildest and the harshest shock
    that any value on the grid holds, and from where none does; a goal of the drill's hypothesis is
    named first ("To meet its hypothesis (DEGRADED or better) at ... takes ...").

    >>> grid = {"lever": "buffer", "nodes": ["b"], "shock_field": "duration", "goal": "graceful",
    ...         "boundary": [{"shock_value": d, "lever_value": d if d < 4 else None} for d in (1, 2, 3, 4)]}
    >>> tipping_summary(grid, "day").split(". ")  # doctest: +NORMALIZE_WHITESPACE
    ['GRACEFUL at a duration of 1 day takes 1 day of stock at b, and 3 days at a duration of 3 days',
     'From a duration of 4 days no value on the grid holds it.']
    """
    hypothesis = goal_text(grid["goal"], True) if grid.get("hypothesis") else ""
    goal = f"To {hypothesis}" if hypothesis else grid["goal"].upper()
    field, lever = grid["shock_field"], grid["lever"]
    name = _where(G, grid, where)
    held = [b for b in grid["boundary"] if b["lever_value"] is not None]
    if not held:
        keeps = f"makes it {hypothesis}" if hypothesis else f"keeps this drill {goal}"
        return (
            f"No value on the grid {keeps} at any {field} tried: widen the range, or try "
            "another lever or other nodes."
        )
    first, last = held[0], held[-1]
    text = (
        f"{goal} at {field_value_text(field, first['shock_value'], unit)} takes "
        f"{least_text(lever, name, first, G, unit)}"
    )
    if last is not first:
        text += (
            f", and {lever_value_text(lever, last['lever_value'], unit)} at "
            f"{field_value_text(field, last['shock_value'], unit)}"
        )
    text += "."
    boundary = list(grid["boundary"])
    failing = [b for b in boundary if b["lever_value"] is None]
    if failing and boundary.index(failing[0]) > boundary.index(last):  # it tips and stays tipped
        text += (
            f" From {field_value_text(field, failing[0]['shock_value'], unit)} no value on the grid holds it."
        )
    elif failing:
        text += f" At {count_text(len(failing), 'value')} of the {field} tried no value on the grid holds it."
    return text
