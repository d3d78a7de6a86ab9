"""Tipping points: a grid of one lever against one shock strength, and where the drill tips.

``vary`` sets one node attribute (a lever of :mod:`augur.analysis.mitigate`) to each of a row of values
on a set of nodes; ``against`` sets one field of the scenario's shocks (``start``, ``duration`` or a
strength field such as ``severity``) to each of a row of values on every shock that has it. Every cell
is one drill, and the whole grid runs as one batch through the ``run`` it is given. Per shock value the
boundary is the least mitigation that keeps the drill at the goal: the smallest lever value for a lever
where more helps (buffer, capacity, token_limit), the largest where less helps (min_supply, recovery),
counting only values from which every further one holds too, then narrowed between grid values to the
lever's unit by bisecting re-runs (:func:`_narrow`), so the least is exact, not the grid's step. Where
the grid's weakest value holds, the search goes on past it to the weakest value the lever can take (no
stock at all, a recovery as long as the drill), so the least is not the bottom of the grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np

from augur.analysis.mitigate import LEVERS, goal_verdict
from augur.engine.batch import Drill
from augur.engine.budget import check_grid_size
from augur.errors import GraphError, ScenarioError
from augur.graph import KINDS, NODE_ATTRIBUTES, nearest_node_hint, node_named, node_param
from augur.scenario import DEFAULT_GOAL, SHOCK_KINDS, VERDICT_RANK, Scenario

__all__ = ["SHOCK_FIELDS", "STEPS_OF_MAX", "TippingResult", "axis_values", "lever_nodes", "tipping_grid"]

Run = Callable[[Sequence[Drill]], list]
# the shock fields a grid can vary, with whether they are whole numbers
SHOCK_FIELDS: dict[str, bool] = {
    "start": True,
    "duration": True,
    **{f.name: f.integer for fields in SHOCK_KINDS.values() for f in fields},
}


STEPS_OF_MAX = 1_000  # values per axis a grid may take: a grid is up to a million drills


def axis_values(
    low: float, high: float, count: int | None, integer: bool, *, place: str | None = None
) -> list[float]:
    """The values along one axis of a grid, ``low`` to ``high`` inclusive, each once.

    Whole-number axes take every value when there are at most 31, else ``count`` (default 21) spread
    evenly and rounded; other axes take ``count`` (default 11) evenly spaced values. An end that is not
    a finite number, ``low`` above ``high``, a whole-number axis with an end not whole, or a
    ``count`` outside 2 to :data:`STEPS_OF_MAX` is refused (a :class:`ScenarioError` at ``place``,
    the flag that gave the axis).

    >>> axis_values(0, 5, None, True), axis_values(0.5, 1, 3, False), axis_values(0.5, 0.5, None, False)
    ([0, 1, 2, 3, 4, 5], [0.5, 0.75, 1.0], [0.5])
    """
    span = f"{low:g}:{high:g}"
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ScenarioError(f"expected finite numbers LO:HI, got {span}", place=place)
    if low > high:
        raise ScenarioError(f"expected LO <= HI, got {span}", place=place)
    if count is not None and not 2 <= count <= STEPS_OF_MAX:
        raise ScenarioError(
            f"expected 2 to {STEPS_OF_MAX:,} values per axis, got {count:,}", place="--steps-of"
        )
    if integer:
        whole = math.ceil(low), math.floor(high)
        if whole[0] > whole[1]:
            raise ScenarioError(
                f"{span} holds no whole number, and this axis takes whole numbers only", place=place
            )
        if whole != (low, high):  # not quietly from the next whole number in: 0.5:3 never tried 0
            raise ScenarioError(
                f"{span} does not end on whole numbers, and this axis takes whole numbers only: "
                f"expected whole ends such as {whole[0]}:{whole[1]}",
                place=place,
            )
        low, high = whole
        if count is None and high - low + 1 <= 31:
            return list(range(low, high + 1))
        values = np.linspace(low, high, count or 21).round().astype(int)
        return sorted({int(v) for v in values})
    return list(dict.fromkeys(round(float(v), 10) for v in np.linspace(low, high, count or 11)))


def lever_nodes(G: nx.DiGraph, lever: str, nodes: Iterable | None = None) -> list:
    """The nodes a grid sets ``lever`` on: those named (ids, labels or kinds), else every vendor (every AI
    service with a token limit for ``token_limit``), in graph order."""
    if nodes is not None and not list(nodes):
        raise ScenarioError(
            f"expected at least one node id, label or kind to set {lever} on", place="--nodes"
        )
    if nodes is None:
        if lever == "token_limit":
            return [v for v, d in G.nodes(data=True) if d["kind"] == "ai_service" and d.get("token_limit")]
        return [v for v, d in G.nodes(data=True) if d["kind"] == "vendor"]
    chosen, kinds = set(), set()
    for x in nodes:
        if str(x) in KINDS:
            kinds.add(str(x))
            continue
        node = node_named(G, x)
        if node is None:
            expected = f"expected node ids, labels or kinds ({', '.join(KINDS)})"
            raise ScenarioError(
                f"unknown node or kind {str(x)!r}{nearest_node_hint(G, x)}; {expected}", place="--nodes"
            )
        chosen.add(node)
    return [v for v, d in G.nodes(data=True) if v in chosen or d["kind"] in kinds]


@dataclass(frozen=True)
class TippingResult:
    """A lever against a shock field: every cell's verdict and loss, and the boundary per shock value.

    ``cells`` rows: ``lever_value, shock_value, verdict, resilience_loss``; ``boundary`` rows:
    ``shock_value, lever_value`` (``None`` where no value on the grid holds the goal). ``hypothesis``
    is true where ``goal`` is the drill's own hypothesis (asked as ``goal="hypothesis"``).
    """

    lever: str
    nodes: list
    shock_field: str
    lever_values: list
    shock_values: list
    goal: str
    cells: list
    boundary: list
    hypothesis: bool = False

    def verdicts(self) -> list[list[str]]:
        """The grid of verdicts: one row per shock value, one column per lever value."""
        by = {(c["shock_value"], c["lever_value"]): c["verdict"] for c in self.cells}
        return [[by[(s, v)] for v in self.lever_values] for s in self.shock_values]

    def to_dict(self) -> dict:
        return {
            "lever": self.lever,
            "nodes": list(self.nodes),
            "shock_field": self.shock_field,
            "lever_values": list(self.lever_values),
            "shock_values": list(self.shock_values),
            "goal": self.goal,
            "hypothesis": self.hypothesis,
            "cells": self.cells,
            "boundary": self.boundary,
        }

    def to_frame(self):
        """The cells as a table: ``lever_value, shock_value, verdict, resilience_loss``."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        return pd.DataFrame(self.cells, columns=["lever_value", "shock_value", "verdict", "resilience_loss"])


def _ends(values: Sequence[float]) -> list[float]:
    """An axis's least and greatest value: a range holds every value between two that fit, and a
    refusal then quotes an end the user wrote, not a grid value between them."""
    return sorted({min(values), max(values)})


def _checked_lever(lever: str, values: Sequence[float], G: nx.DiGraph, nodes: list) -> None:
    if not nodes:
        raise ScenarioError(f"--vary {lever}: no node to set it on (name them with --nodes)")
    for value in _ends(values):
        try:
            NODE_ATTRIBUTES[lever].coerce(value, f"--vary {lever}", None)
        except GraphError as err:
            raise ScenarioError(err.message, place=err.place) from err
        if lever == "token_limit":
            low = max(float(G.nodes[v].get("tokens_per_unit", 1000)) for v in nodes)
            if value < low:
                raise ScenarioError(
                    f"--vary token_limit: {value:g} is below tokens_per_unit ({low:g}); "
                    "the service would be throttled before any shock"
                )


def _shocks_with(scenario: Scenario, name: str, value: Any) -> tuple:
    shocks = []
    for shock in scenario.shocks:
        if name in ("start", "duration"):
            shocks.append(replace(shock, **{name: int(value)}))
        elif name in shock.params:
            shocks.append(replace(shock, params={**shock.params, name: value}))
        else:
            shocks.append(shock)
    return tuple(shocks)


def _checked_field(name: str, values: Sequence[float], scenario: Scenario) -> None:
    if name not in SHOCK_FIELDS:
        raise ScenarioError(
            f"--against: unknown shock field {name!r}; expected one of {', '.join(SHOCK_FIELDS)}"
        )
    if not scenario.shocks:
        raise ScenarioError("--against: the scenario has no shocks to vary", source=scenario.source)
    if name not in ("start", "duration") and not any(name in s.params for s in scenario.shocks):
        kinds = sorted({s.kind for s in scenario.shocks})
        raise ScenarioError(
            f"--against {name}: no shock of this scenario has it (its shocks: {', '.join(kinds)})",
            source=scenario.source,
        )
    starts = sorted({s.start for s in scenario.shocks})
    if name == "start" and len(starts) > 1:
        at = ", ".join(str(t) for t in starts[:-1]) + f" and {starts[-1]}"
        raise ScenarioError(
            f"--against start: a grid of starts moves every shock to each start, and this drill's "
            f"{len(scenario.shocks)} shocks start at steps {at}: they would strike together; expected "
            "a drill whose shocks start together, or another field (duration or a strength)",
            source=scenario.source,
        )
    spec = next((f for fields in SHOCK_KINDS.values() for f in fields if f.name == name), None)
    for value in _ends(values):
        if name == "start" and not 1 <= value < scenario.steps:
            raise ScenarioError(
                f"--against start: expected steps from 1 to {scenario.steps - 1}, got {value:g}"
            )
        if name == "duration" and value < 1:
            raise ScenarioError(f"--against duration: expected 1 step or more, got {value:g}")
        if spec is not None:
            ok = (value > spec.low if spec.low_open else value >= spec.low) and value <= spec.high
            if not ok:
                left = "(" if spec.low_open else "["
                raise ScenarioError(
                    f"--against {name}: {value:g} is outside {left}{spec.low:,.10g}, {spec.high:,.10g}]"
                )


def tipping_grid(
    G: nx.DiGraph,
    scenario: Scenario,
    run: Run,
    *,
    lever: str,
    lever_values: Sequence[float],
    shock_field: str,
    shock_values: Sequence[float],
    nodes: Iterable | None = None,
    goal: str = DEFAULT_GOAL,
) -> TippingResult:
    """Run ``lever`` at each of ``lever_values`` (on :func:`lever_nodes`) against the scenario's shocks
    with ``shock_field`` at each of ``shock_values``, all in one batch; the verdicts and the boundary.

    On a chain ``a -> b -> shop`` with ``a`` down for ``D`` steps, ``b`` is short ``D`` steps, so the
    least stock that holds is ``D`` (stock at ``a``, also a vendor, cannot cover ``a``'s own outage):

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> from augur.analysis.mitigate import rerun_each
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "c", "steps": 20, "shocks": [{"kind": "vendor_failure",
    ...                     "target": "a", "start": 2, "duration": 1}]}, graph=G)
    >>> grid = tipping_grid(G, s, rerun_each(G, s), lever="buffer", lever_values=range(5),
    ...                     shock_field="duration", shock_values=[1, 2, 3])
    >>> [(b["shock_value"], b["lever_value"]) for b in grid.boundary]
    [(1, 1), (2, 2), (3, 3)]
    """
    target = goal_verdict(scenario, goal)
    if lever not in LEVERS:
        raise ScenarioError(f"--vary: unknown lever {lever!r}; expected one of {', '.join(LEVERS)}")
    for place, values in (("--vary", lever_values), ("--against", shock_values)):
        if not len(values):
            raise ScenarioError("expected at least one value on this axis", place=place)
        if not all(math.isfinite(v) for v in values):
            raise ScenarioError(
                f"expected finite values, got {', '.join(f'{v:g}' for v in values)}", place=place
            )
    chosen = lever_nodes(G, lever, nodes)
    _checked_lever(lever, lever_values, G, chosen)
    _checked_field(shock_field, shock_values, scenario)
    check_grid_size(len(lever_values), len(shock_values), G.number_of_nodes(), scenario.steps)
    plain = replace(scenario, hypothesis=None)

    def drill_at(shock_value: Any, lever_value: float) -> Drill:
        return Drill(
            _shocks_with(plain, shock_field, shock_value), {lever: dict.fromkeys(chosen, lever_value)}
        )

    cells_at = [(s, v) for s in shock_values for v in lever_values]
    metrics = run([drill_at(s, v) for s, v in cells_at])
    cells = [
        {
            "lever_value": v,
            "shock_value": s,
            "verdict": m["verdict"],
            "resilience_loss": float(m["resilience_loss"]),
        }
        for (s, v), m in zip(cells_at, metrics)
    ]
    boundary = _boundary(cells, lever, lever_values, shock_values, target)
    _narrow(boundary, lever, lever_values, run, drill_at, target, _weakest(lever, G, chosen, scenario.steps))
    axes = (lever, chosen, shock_field, list(lever_values), list(shock_values))
    return TippingResult(*axes, target, cells, boundary, hypothesis=goal == "hypothesis")


def _weakest(lever: str, G: nx.DiGraph, nodes: Sequence, steps: int) -> float:
    """The weakest value ``lever`` can take at every one of ``nodes``: no stock, capacity or token
    limit down to what the graph reader allows (``fail_below``, ``tokens_per_unit``), full supply
    needed, or a recovery as long as the drill (past the horizon a longer one changes nothing)."""
    if lever == "buffer":
        return 0.0
    if lever == "capacity":
        return max([LEVERS[lever].unit, *(node_param(G, v, "fail_below") for v in nodes)])
    if lever == "token_limit":
        return float(max(node_param(G, v, "tokens_per_unit") for v in nodes))
    if lever == "min_supply":
        return 1.0
    return float(steps)


def _units_to(lever: str, value: float, bound: float) -> int:
    """Whole units of ``lever`` from ``value`` weaker to ``bound``, never past it."""
    spec = LEVERS[lever]
    return max(0, math.floor(round((value - bound) * spec.direction / spec.unit, 9)))


def _narrow(
    boundary: list,
    lever: str,
    lever_values: Sequence,
    run: Run,
    drill_at: Callable[[Any, float], Drill],
    target: str,
    bound: float,
) -> None:
    """Each boundary row's least narrowed from the grid's value to the exact least, in the lever's unit
    (a whole step of stock, one token, 0.01 of min_supply or capacity): between the grid value next
    to it that fails and it, bisected, every shock value's probe of a round in one batch. Where the
    grid's weakest value holds already, the search goes on past it to the lever's ``bound``
    (:func:`_weakest`): the bound is re-run first, and where it holds too the row is ``at_bound``
    (every value of the lever holds); else the gap between it and the grid is bisected. The row keeps
    the grid's value as ``grid_value`` and says the value a unit short, re-run, fails (``short``;
    None where nothing short of it fails: the grid's value is its least already, or it is the bound)."""
    spec = LEVERS[lever]
    weakest_first = sorted(lever_values, key=lambda v: spec.direction * v)
    gaps: dict[int, list] = {}  # boundary row -> [value that fails, units from it: failing, holding]
    beyond: dict[int, float] = {}  # rows whose grid holds at its weakest -> the bound, aligned to the grid
    for i, b in enumerate(boundary):
        b["grid_value"], b["short"], b["at_bound"] = b["lever_value"], None, False
        if b["lever_value"] is None:
            continue
        at = weakest_first.index(b["lever_value"])
        if at == 0:
            units = _units_to(lever, b["lever_value"], bound)
            if units:
                far = b["lever_value"] - spec.direction * units * spec.unit
                beyond[i] = float(far) if spec.integer else round(far, 10)
            else:
                b["at_bound"] = True
            continue
        fails = weakest_first[at - 1]
        gaps[i] = [fails, 0, spec.steps_to(fails, b["lever_value"])]
    if beyond:
        rows = list(beyond)
        for i, m in zip(rows, run([drill_at(boundary[i]["shock_value"], beyond[i]) for i in rows])):
            if VERDICT_RANK[m["verdict"]] <= VERDICT_RANK[target]:
                value = beyond[i]
                boundary[i]["lever_value"] = int(value) if spec.integer else value
                boundary[i]["at_bound"] = True
            else:
                gaps[i] = [beyond[i], 0, spec.steps_to(beyond[i], boundary[i]["lever_value"])]
    while True:
        asked = [(i, (lo + hi) // 2) for i, (_, lo, hi) in gaps.items() if hi - lo > 1]
        if not asked:
            break
        probes = [drill_at(boundary[i]["shock_value"], spec.value(gaps[i][0], k)) for i, k in asked]
        for (i, k), m in zip(asked, run(probes)):
            gaps[i][1 if VERDICT_RANK[m["verdict"]] > VERDICT_RANK[target] else 2] = k
    for i, (fails, lo, hi) in gaps.items():
        value = spec.value(fails, hi)
        boundary[i]["lever_value"] = int(value) if spec.integer else value
        boundary[i]["short"] = int(spec.value(fails, lo)) if spec.integer else spec.value(fails, lo)


def _boundary(cells: list, lever: str, lever_values: Sequence, shock_values: Sequence, target: str) -> list:
    """Per shock value, the least mitigation that holds ``target``, counting only values from which
    every stronger one holds too (None where none on the grid does)."""
    better = LEVERS[lever].direction
    strongest_first = sorted(lever_values, key=lambda v: -better * v)
    boundary = []
    for s in shock_values:
        holds = {
            c["lever_value"]: VERDICT_RANK[c["verdict"]] <= VERDICT_RANK[target]
            for c in cells
            if c["shock_value"] == s
        }
        least = None
        for v in strongest_first:  # back from the strongest mitigation while every value holds
            if not holds[v]:
                break
            least = v
        boundary.append({"shock_value": s, "lever_value": least})
    return boundary
