"""The cheapest set of changes that fixes several drills at once.

Each drill's least fixes (:func:`augur.analysis.mitigate.find_fixes`) are the options; a change is
costed per unit of its lever (:func:`unit_cost`, a node's ``<lever>_cost`` attribute) and the set that
fixes every drill it can for the least cost is chosen exactly by a small integer programme (SciPy's
MILP), or by the greedy heuristic beside it; the chosen set is then drilled whole to check it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np

from augur.analysis.mitigate import LEVERS, MitigationResult, goal_verdict, rerun
from augur.errors import GraphError
from augur.scenario import DEFAULT_GOAL, VERDICT_RANK, Scenario

__all__ = ["COST_SUFFIX", "CheapestFixes", "Option", "cheapest_fixes", "cheapest_set", "offered", "unit_cost"]

COST_SUFFIX = "_cost"  # node attribute `buffer_cost`: the cost of one unit of that lever's attribute


def unit_cost(G: nx.DiGraph, lever: str, node: Any) -> float:
    """What one unit of ``lever``'s attribute costs at ``node``: its ``<lever>_cost`` attribute, else
    1 per unit of the finder's search (a step of stock or recovery, 0.01 of headroom or capacity, a
    token), so that without costs the cheapest set is the one with the fewest units of change.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "k", "kind": "vendor", "buffer_cost": 2.5})], [])
    >>> unit_cost(G, "buffer", "k"), unit_cost(G, "capacity", "k")
    (2.5, 100.0)
    """
    value = G.nodes[node].get(lever + COST_SUFFIX)
    if value is None:
        return 1.0 / LEVERS[lever].unit
    try:
        cost = float(value)
    except (TypeError, ValueError):
        cost = math.nan
    if not math.isfinite(cost) or cost < 0:
        raise GraphError(f"expected a cost >= 0, got {value!r}", place=f"node {node!r}: {lever}{COST_SUFFIX}")
    return cost


@dataclass(frozen=True)
class Option:
    """One change on offer: a lever at a node set to a value, what it costs, and the drills it fixes."""

    lever: str
    node: Any
    value: float
    cost: float
    fixes: frozenset


def offered(G: nx.DiGraph, results: Sequence[MitigationResult]) -> list[Option]:
    """Every least fix of every drill as an option; a larger change at the same lever and node fixes
    the drills the smaller ones fix as well (the levers are monotone), so it is offered covering them."""
    needs: dict[tuple, dict[int, tuple[float, float]]] = {}
    for d, result in enumerate(results):
        for f in result.fixes:
            if f["confirmed"]:
                needs.setdefault((f["lever"], f["node"]), {})[d] = (f["from"], f["to"])
    options = []
    for (lever, node), by_drill in needs.items():
        lv = LEVERS[lever]
        start = next(iter(by_drill.values()))[0]
        levels = sorted({to for _, to in by_drill.values()}, key=lambda to: lv.direction * to)
        per_unit = unit_cost(G, lever, node)
        for to in levels:
            covered = frozenset(
                d for d, (_, need) in by_drill.items() if lv.direction * need <= lv.direction * to
            )
            options.append(Option(lever, node, to, per_unit * abs(to - start), covered))
    return options


def _greedy(options: Sequence[Option], left: set) -> list[Option]:
    """Set cover by the best ratio of drills newly fixed to extra cost, until every drill is fixed."""
    chosen: dict[tuple, Option] = {}
    while left:
        best, best_ratio = None, -math.inf
        for o in options:
            held = chosen.get((o.lever, o.node))
            extra = o.cost - (held.cost if held else 0.0)
            gain = len(o.fixes & left)
            ratio = gain / max(extra, 1e-12) if gain and extra >= 0 else -math.inf
            if ratio > best_ratio:
                best, best_ratio = o, ratio
        chosen[(best.lever, best.node)] = best
        left = left - best.fixes
    return list(chosen.values())


def cheapest_set(options: Sequence[Option], drills: Iterable[int], *, method: str = "milp") -> list[Option]:
    """The cheapest options, at most one per lever and node, that between them fix every drill.

    ``method="milp"`` solves it exactly as a small integer programme (``scipy.optimize.milp``);
    ``"greedy"`` takes, again and again, the option that fixes the most drills not yet fixed per unit
    of cost (the classic set-cover heuristic, which can cost more, as the test of this shows).
    Drills no option fixes are left out.

    >>> a = Option("buffer", "x", 4.0, 4.0, frozenset({0, 1}))
    >>> b = Option("buffer", "y", 1.0, 1.0, frozenset({0}))
    >>> [o.node for o in cheapest_set([a, b], [0, 1])]
    ['x']
    """
    wanted = sorted(set(drills) & set().union(*(o.fixes for o in options))) if options else []
    if not wanted:
        return []
    if method == "greedy":
        return _greedy(options, set(wanted))
    if method != "milp":
        raise ValueError(f"expected method 'milp' or 'greedy', got {method!r}")
    from scipy.optimize import Bounds, LinearConstraint, milp  # for a plan over several drills alone

    keys = sorted({(o.lever, str(o.node)) for o in options})
    rows = []
    lower, upper = [], []
    for key in keys:  # at most one value per lever and node
        rows.append([1.0 if (o.lever, str(o.node)) == key else 0.0 for o in options])
        lower.append(0.0)
        upper.append(1.0)
    for d in wanted:  # every drill fixed by some chosen option
        rows.append([1.0 if d in o.fixes else 0.0 for o in options])
        lower.append(1.0)
        upper.append(np.inf)
    solved = milp(
        c=np.array([o.cost for o in options]),
        constraints=LinearConstraint(np.array(rows), lower, upper),
        integrality=np.ones(len(options)),
        bounds=Bounds(0, 1),
    )
    if not solved.success:  # cannot happen for a feasible cover; keep the greedy answer then
        return _greedy(options, set(wanted))
    return [o for o, x in zip(options, solved.x) if x > 0.5]


@dataclass(frozen=True)
class CheapestFixes:
    """The cheapest set of changes that fixes several drills together, confirmed by re-running each
    drill with every change at once.

    ``changes`` rows: ``lever, node, from, to, cost``; ``drills`` rows: ``drill, scenario, verdict``
    (as drilled), ``with_changes`` (the verdict with every change made) and ``fixed``; ``greedy_cost``
    is what the greedy heuristic's set would have cost, beside the exact ``cost``.
    """

    method: str
    goal: str
    changes: list
    cost: float
    greedy_cost: float
    drills: list

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "goal": self.goal,
            "cost": self.cost,
            "greedy_cost": self.greedy_cost,
            "changes": self.changes,
            "drills": self.drills,
        }

    def to_frame(self):
        """One row per change: ``lever, node, from, to, cost``."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        return pd.DataFrame(self.changes, columns=["lever", "node", "from", "to", "cost"])


def cheapest_fixes(
    G: nx.DiGraph,
    scenarios: Sequence[Scenario],
    results: Sequence[MitigationResult],
    *,
    goal: str = DEFAULT_GOAL,
    method: str = "milp",
) -> CheapestFixes:
    """The cheapest set of the drills' least fixes that fixes them all (``results[i]`` is
    :func:`~augur.analysis.mitigate.find_fixes` of ``scenarios[i]``), each drill re-run with every
    chosen change at once.

    Costs come from :func:`unit_cost`. The set is chosen from single fixes (a change that fixes a
    drill alone), so it never relies on two changes adding up; the re-run says whether it holds.
    """
    options = offered(G, results)
    everyone = range(len(results))
    chosen = cheapest_set(options, everyone, method=method)
    greedy = cheapest_set(options, everyone, method="greedy")
    start = {(f["lever"], f["node"]): f["from"] for r in results for f in r.fixes}
    changes = [
        {"lever": o.lever, "node": o.node, "from": start[(o.lever, o.node)], "to": o.value, "cost": o.cost}
        for o in sorted(chosen, key=lambda o: (list(LEVERS).index(o.lever), str(o.node)))
    ]
    params: dict[str, dict] = {}
    for c in changes:
        params.setdefault(c["lever"], {})[c["node"]] = c["to"]
    drills = []
    for i, (scenario, result) in enumerate(zip(scenarios, results)):
        target = VERDICT_RANK[goal_verdict(scenario, goal)]
        after = rerun(G, replace(scenario, hypothesis=None), params)["verdict"] if params else result.verdict
        drills.append(
            {
                "drill": i,
                "scenario": scenario.name,
                "verdict": result.verdict,
                "with_changes": after,
                "fixed": VERDICT_RANK[after] <= target,
            }
        )
    return CheapestFixes(
        method=method,
        goal=goal,
        changes=changes,
        cost=float(sum(o.cost for o in chosen)),
        greedy_cost=float(sum(o.cost for o in greedy)),
        drills=drills,
    )
