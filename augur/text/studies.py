"""The weak-point studies in words: a lever at a value, a least fix, why a lever cannot help, a set of
pairs tried, a random-shock study and a mitigation plan.

>>> lever_text("buffer", "k", 17, None, "day")
'17 days of stock at k'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

from augur.scenario import VERDICT_RANK
from augur.text import (
    cost_text,
    count_text,
    multiple_text,
    names_text,
    node_name,
    pct_text,
    shock_technical,
    steps_text,
    value_text,
)

__all__ = [
    "cannot_help_text",
    "criticality_lines",
    "fix_text",
    "fixes_lines",
    "lever_text",
    "lever_value_text",
    "monte_carlo_lines",
    "monte_carlo_summary",
    "pair_set_text",
    "plan_lines",
    "share_line",
    "tipping_lines",
]


def lever_text(lever: str, node: Any, value: float, G: nx.DiGraph | None, unit: str) -> str:
    """One lever at one value, as a reviewer reads it: ``'17 days of stock at Kestrel EMS'``.

    >>> lever_text("buffer", "k", 17, None, "day"), lever_text("min_supply", "p", 0.75, None, "day")
    ('17 days of stock at k', 'p running at full output on 75% of its supply')
    """
    name = node_name(G, node)
    kind = G.nodes[node]["kind"] if G is not None and node in G else "vendor"
    if lever == "buffer":
        noun = {"data_source": "cached results", "ai_service": "cached results"}.get(kind, "stock")
        if kind == "process":
            return f"a manual workaround that keeps {name} going for {steps_text(value, unit)}"
        return f"{steps_text(value, unit)} of {noun} at {name}"
    if lever == "min_supply":
        return f"{name} running at full output on {pct_text(value)} of its supply"
    if lever == "capacity":
        return f"capacity for {multiple_text(value)} baseline at {name}"
    if lever == "token_limit":
        return f"a token limit of {value_text(value)} at {name}"
    if lever == "recovery":
        if not value:
            return f"{name} back as soon as its supply returns"
        return f"{name} back {steps_text(value, unit)} after its supply returns"
    return f"{lever} {value_text(value)} at {name}"


def lever_value_text(lever: str, value: float, unit: str) -> str:
    """A lever's value on its own: ``'3 days'`` of stock or recovery, ``'80%'`` headroom, ``'1.20×'``
    capacity, ``'6,000'`` tokens.

    >>> lever_value_text("buffer", 0, "day"), lever_value_text("min_supply", 1.0, "day")
    ('0 days', '100%')
    """
    if lever in ("buffer", "recovery"):
        return steps_text(value, unit)
    if lever == "min_supply":
        return pct_text(value)
    if lever == "capacity":
        return multiple_text(value)
    return value_text(value)


def fix_text(fix: Mapping, G: nx.DiGraph | None, unit: str) -> str:
    """A least fix as a sentence: what to change, against what it is today, and the verdict it gives.

    >>> fix_text({"lever": "buffer", "node": "k", "from": 0.0, "to": 17.0, "verdict": "graceful"},
    ...          None, "day")
    '17 days of stock at k, against 0 days today, makes this drill GRACEFUL.'
    """
    change = lever_text(fix["lever"], fix["node"], fix["to"], G, unit)
    if not change.startswith(node_name(G, fix["node"])):  # a name keeps its own case
        change = change[0].upper() + change[1:]
    today = lever_value_text(fix["lever"], fix["from"], unit)
    return f"{change}, against {today} today, makes this drill {fix['verdict'].upper()}."


def cannot_help_text(row: Mapping, G: nx.DiGraph | None, unit: str) -> str:
    """Why a lever cannot help, and where the help would be.

    >>> cannot_help_text({"lever": "buffer", "node": "acme", "reason": "fails_itself",
    ...                   "dependents": ["boardworks"]}, None, "day")
    'Stock at acme cannot cover its own outage; stock at its dependents can (boardworks).'
    """
    name, lever, reason = node_name(G, row["node"]), row["lever"], row["reason"]
    if reason == "fails_itself":
        where = names_text(G, row.get("dependents") or [])
        tail = f"; stock at its dependents can ({where})" if where else ""
        return f"Stock at {name} cannot cover its own outage{tail}."
    if reason == "down_completely":
        return f"More capacity at {name} cannot help while it is down completely."
    if reason == "not_enough":
        tried = lever_text(lever, row["node"], row["tried"], G, unit)
        still = row.get("secondary_failures") or []
        why = f" ({names_text(G, still)} still fail{'s' if len(still) == 1 else ''})" if still else ""
        return f"Even {tried} leaves this drill {row['verdict'].upper()}{why}: not enough on its own."
    return f"{lever} at {name} cannot help."


def monte_carlo_summary(runs: int, seed: int, verdicts: Mapping, intervals: Mapping, losses) -> str:
    """A random-shock study in one line: how often it cascaded (with its 95% interval) and the loss.

    >>> monte_carlo_summary(20, 1, {"cascade": 5}, {"cascade": (0.11, 0.47)}, [0.0, 2.0, 4.0])[:59]
    '20 random drills (seed 1): cascade in 25% (95% interval 11%'
    """
    low, high = intervals["cascade"]
    q = np.percentile(np.asarray(losses, dtype=float), [50, 90])
    share = verdicts["cascade"] / runs if runs else 0.0
    return (
        f"{runs} random drill{'s' if runs != 1 else ''} (seed {seed}): cascade in {share:.0%} "
        f"(95% interval {low:.0%} to {high:.0%}); resilience loss median {q[0]:.1f}, "
        f"90th percentile {q[1]:.1f} steps"
    )


def pair_set_text(entry: Mapping) -> str:
    """Why a set of candidate pairs was tried, or left out (an entry of ``PairSweep.sets``).

    >>> pair_set_text({"set": "all", "pairs": 15, "tried": False, "cost": 1200, "budget": 100})
    '1,200 node-steps of drills, over the budget of 100'
    """
    budget = int(entry["budget"])
    if entry["set"] == "substitutes":
        if entry["cost"] <= budget:
            return "inputs in one group of one node"
        return (
            f"{entry['considered']:,} pairs of inputs in one group of one node cost {entry['cost']:,} "
            f"node-steps, over the budget of {budget:,}: tried the {entry['pairs']:,} that, lost together, "
            "leave their node worse off (short of its min_supply, or below its fail_below) than either "
            "loss alone"
        )
    if entry["set"] == "top":
        return f"among the {entry['considered']} worst single failures"
    where = "within" if entry["tried"] else "over"
    return f"{entry['cost']:,} node-steps of drills, {where} the budget of {budget:,}"


def criticality_lines(
    name: str, singles: Any, duo: Any, unit: str, window: tuple[int, int], top: int
) -> list[str]:
    """``augur sweep`` in the terminal: the single failures worst first and, with ``duo``, the pairs.

    ``singles`` is a criticality sweep, ``duo`` a pair sweep or ``None``; ``window`` the outage's
    start and duration; ``top`` how many rows of each to show.
    """
    start, duration = window
    own = singles.outage["ttr"]
    lines = [
        f"{name}: {count_text(len(singles), 'node')} failed alone, worst first",
        f"  outage: down completely from {unit} {start} for {count_text(duration, unit)} "
        "(--start, --duration)",
    ]
    if own:
        named = [f"{v} ({count_text(steps, unit)})" for v, steps in list(own.items())[:5]]
        more = f" and {len(own) - 5} more" if len(own) > 5 else ""
        lines.append(f"  down for their own ttr instead: {', '.join(named)}{more}")
    lines.append(
        f"  {'node':<28} {'kind':<12} {'verdict':<9} {'loss':>7} {'exposure':>8} {'min SL':>7} "
        f"{'2nd fails':>9}  single point"
    )
    for row in singles.rows[:top]:
        lines.append(
            f"  {row['target']!s:<28} {row['kind']:<12} {row['verdict']:<9} "
            f"{row['resilience_loss']:>7.1f} {row['exposure_index']:>8.2f} {row['service_level_min']:>7.0%} "
            f"{row['secondary_failures']:>9}  {'yes' if row['single_point_of_failure'] else '-'}"
        )
    if duo is None:
        return lines
    lines.append(
        f"\n{count_text(len(duo), 'pair')} failed together, by interaction (loss beyond the two alone)"
    )
    for entry in duo.sets:
        tried = "tried" if entry["tried"] else "not tried"
        lines.append(f"  {entry['set']:<12} {count_text(entry['pairs'], 'pair'):>14} {tried}: {entry['why']}")
    lines.append(f"  {'nodes':<44} {'verdict':<9} {'loss':>7} {'interaction':>11} {'2nd fails':>9}")
    for row in duo.rows[:top]:
        names = " + ".join(str(t) for t in row["targets"])
        lines.append(
            f"  {names:<44} {row['verdict']:<9} {row['resilience_loss']:>7.1f} "
            f"{row['interaction']:>11.1f} {row['secondary_failures']:>9}"
        )
    return lines


def share_line(verdict: str, count: int, runs: int, interval: tuple[float, float]) -> str:
    """How many random drills ended with ``verdict``, with its 95% interval.

    >>> share_line("cascade", 5, 20, (0.11, 0.47))
    '  cascade        5   25% (95% interval 11% to 47%)'
    """
    low, high = interval
    share = pct_text(count / runs)
    return f"  {verdict:<9} {count:>6}  {share:>4} (95% interval {pct_text(low)} to {pct_text(high)})"


def monte_carlo_lines(name: str, mc: Any, unit: str) -> list[str]:
    """``augur montecarlo`` in the terminal: the verdicts' shares, the service bands, two drills to replay."""
    lines = [
        f"{name}: random shocks",
        "  " + monte_carlo_summary(mc.runs, mc.seed, mc.verdicts, mc.intervals, mc.resilience_loss),
    ]
    lines += [share_line(v, count, mc.runs, mc.intervals[v]) for v, count in mc.verdicts.items()]
    bands = mc.service_level_bands
    low5, low50 = pct_text(min(bands["p5"])), pct_text(min(bands["p50"]))
    lines.append(f"  lowest service level: p5 band {low5}, median band {low50}")
    for which in ("worst", "median"):
        row = getattr(mc, which)
        shocks = "; ".join(shock_technical(s, unit) for s in row["shocks"])
        lines.append(
            f"  {which} drill #{row['drill']}: {row['verdict']}, loss {row['resilience_loss']:.1f} - {shocks}"
        )
    return lines


def tipping_lines(name: str, grid: Any, unit: str) -> list[str]:
    """``augur tipping`` in the terminal: the grid of verdicts, and the least lever per shock value."""
    where = count_text(len(grid.nodes), "node")
    marks = {"graceful": "g", "degraded": "d", "cascade": "C"}
    lines = [
        f"{name}: {grid.lever} on {where} against the shocks' {grid.shock_field}",
        f"  g graceful, d degraded, C cascade; rows {grid.shock_field}, columns {grid.lever}",
        "  " + " " * 10 + " ".join(f"{v:>6g}" for v in grid.lever_values),
    ]
    for s, row in zip(grid.shock_values, grid.verdicts()):
        lines.append(f"  {s:>10g}" + " ".join(f"{marks[v]:>6}" for v in row))
    lines.append(f"  least {grid.lever} that keeps the drill {grid.goal}:")
    for b in grid.boundary:
        value = b["lever_value"]
        least = (
            "none on this grid"
            if value is None
            else lever_text(grid.lever, f"each of {where}", value, None, unit)
        )
        lines.append(f"    {grid.shock_field} {b['shock_value']:g}: {least}")
    return lines


def fixes_lines(name: str, result: Any, *, shown: int = 8) -> list[str]:
    """``augur mitigate`` in the terminal for one drill: its least fixes, or that none is needed, and
    the levers that cannot help (``result`` is a :class:`~augur.analysis.mitigate.MitigationResult`
    whose rows carry their sentences as ``text`` and ``why``).

    >>> from types import SimpleNamespace as Result
    >>> held = Result(verdict="graceful", goal="degraded", fixes=[], cannot_help=[])
    >>> for line in fixes_lines("outage", held):
    ...     print(line)
    outage: graceful; the least single changes that make it degraded
      none needed: the drill already ends graceful
    """
    lines = [f"{name}: {result.verdict}; the least single changes that make it {result.goal}"]
    met = VERDICT_RANK[result.verdict] <= VERDICT_RANK[result.goal]
    if met:
        lines.append(f"  none needed: the drill already ends {result.verdict}")
    for fix in result.fixes:
        mark = "" if fix["confirmed"] else "  (not confirmed by the re-run)"
        lines.append(f"  - {fix['text']}{mark}")
    if not result.fixes and not met:
        lines.append("  no single change found")
    if result.cannot_help:
        lines.append("cannot help:")
        lines += [f"  - {row['why']}" for row in result.cannot_help[:shown]]
        if len(result.cannot_help) > shown:
            lines.append(f"  ... {len(result.cannot_help) - shown} more (--json lists them all)")
    return lines


def plan_lines(plan: Any, G: nx.DiGraph | None, unit: str) -> list[str]:
    """The cheapest set of changes that fixes several drills together (a
    :class:`~augur.analysis.cheapest.CheapestFixes`), each change against its value today."""
    fixed = sum(d["fixed"] for d in plan.drills)
    lines = [
        f"together ({plan.method}): {fixed} of {len(plan.drills)} drills {plan.goal}, "
        f"cost {cost_text(plan.cost)}",
        f"  (the greedy choice would cost {cost_text(plan.greedy_cost)})",
    ]
    for c in plan.changes:
        change = lever_text(c["lever"], c["node"], c["to"], G, unit)
        today = lever_value_text(c["lever"], c["from"], unit)
        lines.append(f"  - {change}, against {today} today: cost {cost_text(c['cost'])}")
    return lines
