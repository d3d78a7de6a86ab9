"""The weak-point studies in words: a lever at a value, a least fix, why a lever cannot help, a set of
pairs tried, a random-shock study and a mitigation plan, as the command line, the pack and the app say
them. What the app's Random shocks and Tipping points views say around them is in
:mod:`augur.text.study_views`.

>>> lever_text("buffer", "k", 17, None, "day")
'17 days of stock at k'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from augur.scenario import VERDICT_RANK
from augur.text import (
    contained,
    cost_text,
    count_text,
    goal_text,
    join_text,
    multiple_text,
    names_text,
    node_name,
    pct_text,
    shock_text,
    steps_text,
    value_text,
)
from augur.text.names import folded
from augur.text.numbers import exact_multiple_text, exact_pct_text, quantile_steps_text

__all__ = [
    "cannot_help_text",
    "criticality_lines",
    "fix_check_text",
    "fix_text",
    "fixes_heading",
    "fixes_headline",
    "fixes_lines",
    "lever_text",
    "lever_value_text",
    "loss_axis_text",
    "monte_carlo_lines",
    "monte_carlo_summary",
    "more_levers_text",
    "no_fix_next_text",
    "no_fix_text",
    "pair_set_text",
    "pair_worse_text",
    "plan_lines",
    "random_drill_headline",
    "random_drill_text",
    "share_line",
    "study_summary",
    "tipping_lines",
]


def lever_text(lever: str, node: Any, value: float, G: nx.DiGraph | None, unit: str) -> str:
    """One lever at one value, as a reviewer reads it: ``'17 days of stock at Kestrel EMS'``; a value
    past the digits shown rounds the way the lever helps (:func:`lever_value_text`).

    >>> lever_text("buffer", "k", 17, None, "day"), lever_text("min_supply", "p", 0.555, None, "day")
    ('17 days of stock at k', 'p running at full output on 55.5% of its supply')
    """
    name = node_name(G, node)
    kind = G.nodes[node]["kind"] if G is not None and node in G else "vendor"
    if lever == "buffer":
        noun = {"data_source": "cached results", "ai_service": "cached results"}.get(kind, "stock")
        if kind == "process":
            return f"a manual workaround that keeps {name} going for {steps_text(value, unit)}"
        return f"{steps_text(value, unit)} of {noun} at {name}"
    shown = lever_value_text(lever, value, unit, toward=-1 if lever == "min_supply" else 1)
    if lever == "min_supply":
        return f"{name} running at full output on {shown} of its supply"
    if lever == "capacity":
        return f"capacity for {shown} baseline at {name}"
    if lever == "token_limit":
        return f"a token limit of {value_text(value)} at {name}"
    if lever == "recovery":  # a node with no suppliers comes back when its own outage ends
        back = (
            "its own outage ends"
            if G is not None and node in G and not G.in_degree(node)
            else "its supply returns"
        )
        if not value:
            return f"{name} back as soon as {back}"
        return f"{name} back {steps_text(value, unit)} after {back}"
    return f"{lever} {value_text(value)} at {name}"


def least_text(lever: str, node: Any, row: Mapping, G: nx.DiGraph | None, unit: str) -> str:
    """A tipping boundary row's least lever value (:func:`lever_text`); where it is the weakest the
    lever can take (``at_bound``: no stock, a recovery as long as the drill), that every value holds.

    >>> least_text("buffer", "d", {"lever_value": 0, "at_bound": True}, None, "hour")
    '0 hours of stock at d, the weakest there can be: every value holds'
    >>> least_text("recovery", "s1", {"lever_value": 40, "at_bound": True}, None, "hour")
    'any recovery at s1: it holds even with s1 back only after the end of the drill'
    """
    if not row.get("at_bound"):
        return lever_text(lever, node, row["lever_value"], G, unit)
    if lever == "recovery":
        name = node_name(G, node)
        return f"any recovery at {name}: it holds even with {name} back only after the end of the drill"
    least = lever_text(lever, node, row["lever_value"], G, unit)
    return f"{least}, the weakest there can be: every value holds"


def lever_value_text(lever: str, value: float, unit: str, *, toward: int = 0) -> str:
    """A lever's value as typed back: ``'3 days'`` of stock or recovery, ``'55.5%'`` headroom,
    ``'1.8004×'`` capacity (their decimals all shown, past them rounded ``toward`` +1 up, -1 down).

    >>> lever_value_text("buffer", 0, "day"), lever_value_text("min_supply", 0.565, "day")
    ('0 days', '56.5%')
    """
    if lever in ("buffer", "recovery"):
        return steps_text(value, unit)
    if lever == "min_supply":
        return exact_pct_text(value, toward)
    if lever == "capacity":
        return exact_multiple_text(value, toward)
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


def fix_check_text(lever: str, short: float | None, confirmed: bool, verdict: str, unit: str) -> str:
    """How a fix was checked: the re-run with it, and the value one unit short that is not enough
    (the fix row's ``short``), as ``augur mitigate`` and the Fix it panel say it.

    >>> fix_check_text("buffer", 16.0, True, "graceful", "day")
    'Confirmed by a re-run; 16 days does not do it.'
    >>> fix_check_text("buffer", None, True, "graceful", "day")
    'Confirmed by a re-run.'
    >>> fix_check_text("buffer", 16.0, False, "degraded", "day")
    'Not confirmed: the re-run with it ends DEGRADED, or a smaller change does it too.'
    """
    if not confirmed:
        return f"Not confirmed: the re-run with it ends {verdict.upper()}, or a smaller change does it too."
    if short is None:
        return "Confirmed by a re-run."
    short_text = lever_value_text(lever, short, unit, toward=1 if lever == "min_supply" else -1)
    return f"Confirmed by a re-run; {short_text} does not do it."


def cannot_help_text(row: Mapping, G: nx.DiGraph | None, unit: str) -> str:
    """Why a lever cannot help, and where the help would be: only where a re-run confirmed it.

    >>> row = {"lever": "buffer", "node": "acme", "reason": "fails_itself", "goal": "graceful",
    ...        "dependents": ["boardworks", "kestrel"], "helped_by": ["boardworks"]}
    >>> cannot_help_text(row, None, "day")
    'Stock at acme cannot cover its own outage; stock at its dependents can (boardworks).'
    >>> cannot_help_text({**row, "helped_by": [], "none_enough": True}, None, "day")[43:]
    'stock covers it only where its supply arrives (boardworks and kestrel), and no stock at one of \
them alone makes this drill GRACEFUL.'
    """
    if row["reason"] == "nowhere":
        return _nowhere_text(row, G)
    name, lever, reason = node_name(G, row["node"]), row["lever"], row["reason"]
    if reason == "fails_itself":
        return _own_outage_text(row, G, name)
    if reason == "down_completely":
        return f"More capacity at {name} cannot help while it is down completely."
    if reason == "not_enough":
        tried = lever_text(lever, row["node"], row["tried"], G, unit)
        still = row.get("secondary_failures") or []
        fail = f"fail{'s' if len(still) == 1 else ''}"
        if row["verdict"] == "cascade" and contained(row):  # what it does achieve, and what still fails
            level = pct_text(row["service_level_min"])
            still_text = f"{names_text(G, still)} still {fail}"
            return f"With {tried}, service holds at {level}, but {still_text}: a contained cascade."
        if row["verdict"] == "degraded" and "slo" in row:
            return _short_of_text(row, G, unit, tried)
        why = f" ({names_text(G, still)} still {fail})" if still else ""
        return f"Even {tried} leaves this drill {row['verdict'].upper()}{why}: not enough on its own."
    return f"{lever} at {name} cannot help."


def _short_of_text(row: Mapping, G: nx.DiGraph | None, unit: str, tried: str) -> str:
    """A lever that leaves the drill degraded, by the criterion it misses: the SLO, the token budget,
    or the two pulling apart (the row's ``holds`` and ``within``: one value keeps the SLO over the
    budget, another the budget below the SLO).

    >>> row = {"lever": "token_limit", "node": "llm", "tried": 6878.0, "verdict": "degraded",
    ...        "slo": 0.9, "token_budget": 2.5, "service_level_min": 1.0, "peak_token_multiplier": 3.44}
    >>> _short_of_text(row, None, "hour", "a token limit of 6,878 at llm")
    'Even a token limit of 6,878 at llm leaves this drill DEGRADED: it peaks at 3.44× baseline tokens, \
over the token budget of 2.50×.'
    """
    slo, budget = pct_text(row["slo"]), multiple_text(row["token_budget"])
    if "holds" in row:
        held, kept = row["holds"], row["within"]
        held_text = lever_text(row["lever"], row["node"], held["value"], G, unit)
        kept_text = lever_text(row["lever"], row["node"], kept["value"], G, unit)
        return (
            f"The token budget rules it out: {held_text} keeps service at or above the SLO of {slo} but "
            f"peaks at {multiple_text(held['peak_token_multiplier'])} baseline tokens, over the budget of "
            f"{budget}, and {kept_text} stays within the budget but lets service fall to "
            f"{pct_text(kept['service_level_min'])}."
        )
    missed = []
    if row["service_level_min"] < row["slo"]:
        missed.append(f"service still falls to {pct_text(row['service_level_min'])}, below the SLO of {slo}")
    peak = row.get("peak_token_multiplier")
    if row["token_budget"] is not None and peak is not None and peak > row["token_budget"]:
        missed.append(f"it peaks at {multiple_text(peak)} baseline tokens, over the token budget of {budget}")
    return f"Even {tried} leaves this drill DEGRADED: {join_text(missed)}."


_NOWHERE = {  # a lever, and what the drill would have to show for it to act: said of "no node"
    "buffer": ("Stock", "{no} fell short of supply"),
    "min_supply": ("Running on less supply", "{no} got part of its supply while short of it"),
    "capacity": ("More capacity", "{no} had more load than its capacity or was partly down"),
    "token_limit": ("A higher token limit", "{no} was an AI service held back by its token limit"),
    "recovery": ("A faster recovery", "{no} that takes time to recover failed"),
}


def _nowhere_text(row: Mapping, G: nx.DiGraph | None) -> str:
    """A lever this drill calls for at no node (of the ``nodes`` asked), and why; for capacity the
    nodes down completely, where no capacity helps.

    >>> _nowhere_text({"lever": "capacity", "nodes": None, "down": ["v"]}, None)
    'More capacity cannot help anywhere in this drill: no node had more load than its capacity or was \
partly down (v is down completely).'
    >>> _nowhere_text({"lever": "recovery", "nodes": ["d", "p"]}, None)
    'A faster recovery cannot help at d and p in this drill: no node asked that takes time to recover \
failed.'
    """
    noun, why = _NOWHERE[row["lever"]]
    asked = row.get("nodes")
    where = f"at {names_text(G, asked)}" if asked else "anywhere"
    why = why.format(no="no node asked" if asked else "no node")
    down = row.get("down") or []
    if down:
        verb = "is" if len(down) == 1 else "are"
        why += f" ({names_text(G, down)} {verb} down completely)"
    return f"{noun} cannot help {where} in this drill: {why}."


def more_levers_text(n: int) -> str:
    """The fold over the rest of the levers that cannot help, wherever they are listed (``augur
    mitigate``, the pack, the Fix it panel) after the first :data:`~augur.text.names.FOLD_SHOWN`.

    >>> more_levers_text(1), more_levers_text(1200)
    ('1 more lever that cannot help', '1,200 more levers that cannot help')
    """
    return f"{count_text(n, 'more lever')} that cannot help"


def _own_outage_text(row: Mapping, G: nx.DiGraph | None, name: str) -> str:
    """Stock at a vendor that fails: where stock does help, as confirmed, or where it could act."""
    helped, deps = row.get("helped_by") or [], row.get("dependents") or []
    head = f"Stock at {name} cannot cover its own outage"
    if helped:
        return f"{head}; stock at its dependents can ({names_text(G, helped)})."
    if not deps:
        return f"{head}."
    where = f"stock covers it only where its supply arrives ({names_text(G, deps)})"
    if row.get("none_enough"):
        alone = "no stock there alone" if len(deps) == 1 else "no stock at one of them alone"
        return f"{head}; {where}, and {alone} makes this drill {row['goal'].upper()}."
    return f"{head}; {where}."


def monte_carlo_summary(
    runs: int, seed: int, verdicts: Mapping, intervals: Mapping, losses, unit: str = "step"
) -> str:
    """A random-shock study in one line: how often it cascaded (with its 95% interval) and the loss,
    its 50th and 95th percentiles in the drill's unit: the two the loss histogram marks. The 50th is
    named p50, not the median: with an even count it falls between two drills, and the median drill
    (``augur montecarlo``'s, ``--save-median``) is the one of them with the lower loss.

    >>> monte_carlo_summary(20, 1, {"cascade": 5}, {"cascade": (0.11, 0.47)}, [0.0, 2.0, 4.0], "hour")[59:]
    ' to 47%); resilience loss p50 2 hours, p95 3.8 hours'
    >>> monte_carlo_summary(4, 1, {"cascade": 0}, {"cascade": (0, 0.49)}, [1.0] * 4, "hour")[-27:]
    'loss p50 1 hour, p95 1 hour'
    """
    low, high = intervals["cascade"]
    p50, p95 = np.percentile(np.asarray(losses, dtype=float), [50, 95])
    share = verdicts["cascade"] / runs if runs else 0.0
    return (
        f"{count_text(runs, 'random drill')} (seed {seed}): cascade in {share:.0%} "
        f"(95% interval {low:.0%} to {high:.0%}); resilience loss p50 {quantile_steps_text(p50, unit)}, "
        f"p95 {quantile_steps_text(p95, unit)}"
    )


def study_summary(mc: Any, unit: str) -> str:
    """:func:`monte_carlo_summary` of a :class:`~augur.sweep.MonteCarloResult`."""
    return monte_carlo_summary(mc.runs, mc.seed, mc.verdicts, mc.intervals, mc.resilience_loss, unit)


def random_drill_headline(row: Mapping, runs: int, unit: str) -> str:
    """One random drill's line on its card: which of the study it is, its loss and failures.

    >>> random_drill_headline({"drill": 103, "resilience_loss": 10.66, "secondary_failures": 7}, 200, "hour")
    'drill 103 of 200: resilience loss 10.7 hours, 7 secondary failures'
    """
    failures = count_text(row["secondary_failures"], "secondary failure")
    return (
        f"drill {row['drill']} of {runs:,}: resilience loss "
        f"{steps_text(round(row['resilience_loss'], 1), unit)}, {failures}"
    )


def random_drill_description(which: str | int, row: Mapping, name: str, runs: int, seed: int) -> str:
    """What a random drill saved as a scenario of its own is: which drill of which study, its seed
    and its shocks (``augur montecarlo --save-worst``).

    >>> said = random_drill_description("worst", {"drill": 37, "shocks": [{}, {}, {}]}, "Port strike", 200, 7)
    >>> said.split(": ")[1]
    'random drill #37, its 3 shocks drawn at random in place of the drill’s own.'
    """
    shocks = count_text(len(row["shocks"]), "shock")
    drawn = f"its {shocks} drawn at random in place of the drill’s own."
    study = f"{runs:,} random drills of “{name}” (seed {seed})"
    if which in ("worst", "median"):
        return f"The {which} of {study}, by resilience loss: random drill #{row['drill']}, {drawn}"
    return f"Random drill #{row['drill']} of {runs:,} of “{name}” (seed {seed}): {drawn}"


def random_drill_text(row: Mapping, steps: int, unit: str, G: nx.DiGraph | None = None) -> list[str]:
    """A random drill's shocks, one line each: ``'day 3 to day 9 (7 days): acme goes down completely'``."""
    return [shock_text(s, G, steps, unit) for s in row["shocks"]]


def loss_axis_text(unit: str) -> str:
    """The loss histogram's axis, in the drill's unit.

    >>> loss_axis_text("hour")
    'hours of service lost'
    """
    return f"{unit}s of service lost"


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
            "leave their node worse off (short once its headroom and stock are spent, or below its "
            "fail_below) than either loss alone"
        )
    if entry["set"] == "top":
        return f"among the {entry['considered']} worst single failures"
    where = "within" if entry["tried"] else "over"
    return f"{entry['cost']:,} node-steps of drills, {where} the budget of {budget:,}"


def pair_worse_text(row: Mapping) -> str:
    """Why a pair stands first: what it did together that neither failure did alone (a row of
    ``PairSweep.rows`` with ``worse_together``); empty for a pair that did not.

    >>> row = {"worse_together": True, "verdict": "cascade", "verdicts_alone": ["graceful"] * 2,
    ...        "secondary_failures": 1, "secondary_alone": 0}
    >>> pair_worse_text(row)
    'worse together than either alone: a cascade, where each alone was graceful'
    >>> pair_worse_text({**row, "verdicts_alone": ["cascade", "degraded"], "secondary_failures": 4,
    ...                  "secondary_alone": 1})
    'worse together than either alone: 4 knock-on failures, where the two alone had 1 between them'
    """
    if not row.get("worse_together"):
        return ""
    alone = row["verdicts_alone"]
    if all(VERDICT_RANK[row["verdict"]] > VERDICT_RANK[v] for v in alone):
        each = (
            f"each alone was {alone[0]}"
            if alone[0] == alone[1]
            else f"alone they were {alone[0]} and {alone[1]}"
        )
        what = "a cascade" if row["verdict"] == "cascade" else row["verdict"]
        return f"worse together than either alone: {what}, where {each}"
    return (
        f"worse together than either alone: {count_text(row['secondary_failures'], 'knock-on failure')}, "
        f"where the two alone had {row['secondary_alone']:,} between them"
    )


def criticality_lines(
    name: str, singles: Any, duo: Any, unit: str, top: int, *, asked: int | None = None
) -> list[str]:
    """``augur sweep`` in the terminal: the single failures worst first and, with ``duo``, the pairs.

    ``singles`` is a criticality sweep, ``duo`` a pair sweep or ``None``; ``top`` how many rows of
    each to show; ``asked`` the ``--duration`` given, said where the horizon cut it.
    """
    start, duration = singles.outage["start"], singles.outage["duration"]
    own = singles.outage["ttr"]
    cut = f"; {asked:,} asked, cut at the end of the drill" if asked and asked > duration else ""
    lines = [
        f"{name}: {count_text(len(singles), 'node')} failed alone, worst first",
        f"  outage: down completely from {unit} {start} for {count_text(duration, unit)} "
        f"(--start, --duration{cut})",
    ]
    if own:
        named = [f"{v} ({count_text(steps, unit)})" for v, steps in list(own.items())[:5]]
        more = f" and {len(own) - 5} more" if len(own) > 5 else ""
        lines.append(f"  down for their own ttr instead: {', '.join(named)}{more}")
    lines.append(
        f"  survives: {unit}s from the outage's start until service fell below the SLO (never: it held)"
    )
    lines.append(
        f"  service back: {unit}s from the end of the outage until service is back at 99% (the node's "
        "own recovery included)"
    )
    lines.append(
        f"  {'node':<28} {'kind':<11} {'verdict':<8} {'loss':>7} {'exposure':>8} {'min SL':>6} "
        f"{'2nd fails':>9} {'survives':>8} {'service back':>12} single point"
    )
    for row in singles.rows[:top]:
        survives = "never" if row["time_to_survive"] is None else f"{row['time_to_survive']:,}"
        back = "not in time" if row["time_to_recover"] is None else f"{row['time_to_recover']:,}"
        lines.append(
            f"  {row['target']!s:<28} {row['kind']:<11} {row['verdict']:<8} "
            f"{row['resilience_loss']:>7.1f} {row['exposure_index']:>8.2f} {row['service_level_min']:>6.0%} "
            f"{row['secondary_failures']:>9} {survives:>8} {back:>12} "
            f"{'yes' if row['single_point_of_failure'] else '-'}"
        )
    if duo is None:
        return lines
    lines.append(
        f"\n{count_text(len(duo), 'pair')} failed together: worse together than either alone first (*), "
        "then by interaction (loss beyond the two alone)"
    )
    for entry in duo.sets:
        tried = "tried" if entry["tried"] else "not tried"
        lines.append(f"  {entry['set']:<12} {count_text(entry['pairs'], 'pair'):>14} {tried}: {entry['why']}")
    lines.append(f"  {'nodes':<44} {'verdict':<9} {'loss':>7} {'interaction':>11} {'2nd fails':>9}")
    for row in duo.rows[:top]:
        names = ("* " if row["worse_together"] else "  ") + " + ".join(str(t) for t in row["targets"])
        lines.append(
            f"{names:<46} {row['verdict']:<9} {row['resilience_loss']:>7.1f} "
            f"{row['interaction']:>11.1f} {row['secondary_failures']:>9}"
        )
    worse = [row for row in duo.rows[:top] if row["worse_together"]]
    lines += [f"  * {' + '.join(str(t) for t in row['targets'])}: {pair_worse_text(row)}" for row in worse]
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
        "  " + study_summary(mc, unit),
    ]
    lines += [share_line(v, count, mc.runs, mc.intervals[v]) for v, count in mc.verdicts.items()]
    bands = mc.service_level_bands
    low5, low50 = pct_text(min(bands["p5"])), pct_text(min(bands["p50"]))
    lines.append(f"  lowest service level: p5 band {low5}, median band {low50}")
    for which in ("worst", "median"):
        row = getattr(mc, which)
        lost = steps_text(round(row["resilience_loss"], 1), unit)
        lines.append(f"  {which} drill #{row['drill']}: {row['verdict']}, {lost} of service lost")
        lines += [f"    {line}" for line in random_drill_text(row, mc.base.steps, unit, mc.base.graph)]
    return lines


def tipping_lines(name: str, grid: Any, unit: str, G: nx.DiGraph | None = None) -> list[str]:
    """``augur tipping`` in the terminal: the grid of verdicts, and the least lever per shock value.

    The heading names the nodes and says the grid sets the lever to each value (it does not add to
    what a node holds); where several shock values in a row have no value on the grid that holds,
    the first :data:`~augur.text.names.FOLD_SHOWN` are listed and the rest folded into one line.
    """
    where = grid.nodes[0] if len(grid.nodes) == 1 else f"each of {count_text(len(grid.nodes), 'node')}"
    marks = {"graceful": "g", "degraded": "d", "cascade": "C"}
    lines = [
        f"{name}: {grid.lever} set to each value (not added to what a node has) at "
        f"{names_text(G, grid.nodes)}, against the shocks' {grid.shock_field}",
        f"  g graceful, d degraded, C cascade; rows {grid.shock_field}, columns {grid.lever}",
        "  " + " " * 10 + " ".join(f"{v:>6g}" for v in grid.lever_values),
    ]
    for s, row in zip(grid.shock_values, grid.verdicts()):
        lines.append(f"  {s:>10g}" + " ".join(f"{marks[v]:>6}" for v in row))
    lines.append(f"  least {grid.lever} that makes it {goal_text(grid.goal, grid.hypothesis)}:")
    field, nones = grid.shock_field, []
    for b in [*grid.boundary, None]:  # None: the end, where a run of nones is folded too
        if b is not None and b["lever_value"] is None:
            nones.append(b["shock_value"])
            continue
        if nones:
            lines += folded(
                [f"    {field} {s:g}: none on this grid" for s in nones],
                lambda n, last=nones[-1]: (
                    f"    ... {count_text(n, 'more value')}, to {field} {last:g}: none on this grid either"
                ),
            )
        nones = []
        if b is not None:
            lines.append(f"    {field} {b['shock_value']:g}: {least_text(grid.lever, where, b, G, unit)}")
    return lines


def fixes_heading(goal: str, hypothesis: bool = False) -> str:
    """What a list of least fixes is, as ``augur mitigate``, the pack and the Fix it panel head it.

    >>> fixes_heading("graceful")
    'The least single changes that make it GRACEFUL, each confirmed by a re-run'
    """
    return f"The least single changes that make it {goal_text(goal, hypothesis)}, each confirmed by a re-run"


def no_fix_text(goal: str, hypothesis: bool = False) -> str:
    """When no single change is enough, as ``augur mitigate``, the pack and the Fix it panel say it.

    >>> no_fix_text("graceful")[:60]
    'No single change of one lever at one node makes it GRACEFUL:'
    """
    goal = goal_text(goal, hypothesis)
    return (
        f"No single change of one lever at one node makes it {goal}: the levers below cannot do it on "
        "their own."
    )


def no_fix_next_text(cannot_help: Sequence[Mapping], G: nx.DiGraph | None, unit: str) -> str | None:
    """What to try when no single change is enough, as ``augur mitigate`` and the Fix it panel say it
    under :func:`no_fix_text`: the lever that came closest (its largest change tried left the fewest
    nodes failing, then the highest lowest service), to make and search again for a second change, or
    to vary in tipping points; ``None`` where no lever was tried and found not enough.

    >>> rows = [{"lever": "buffer", "node": "a", "reason": "not_enough", "tried": 48.0, "verdict": "cascade",
    ...          "secondary_failures": ["b", "c"], "service_level_min": 0.0},
    ...         {"lever": "capacity", "node": "b", "reason": "not_enough", "tried": 4.0, "verdict": "cascade",
    ...          "secondary_failures": ["c"], "service_level_min": 0.25}]
    >>> no_fix_next_text(rows, None, "hour")
    'Next: make the change that came closest, capacity for 4.00× baseline at b (1 node still fails), \
and search again on the graph with it for a second change, or see in Tipping points (augur tipping) how \
much milder the shocks must be for it to be enough alone.'
    """
    tried = [row for row in cannot_help if row["reason"] == "not_enough"]
    if not tried:
        return None
    row = min(
        tried, key=lambda r: (len(r.get("secondary_failures") or []), -(r.get("service_level_min") or 0))
    )
    n = len(row.get("secondary_failures") or [])
    still = (
        f"{count_text(n, 'node')} still fail{'s' if n == 1 else ''}"
        if n
        else f"it ends {row['verdict'].upper()}"
    )
    change = lever_text(row["lever"], row["node"], row["tried"], G, unit)
    return (
        f"Next: make the change that came closest, {change} ({still}), and search again on the graph with "
        "it for a second change, or see in Tipping points (augur tipping) how much milder the shocks must "
        "be for it to be enough alone."
    )


def fixes_headline(result: Any) -> str:
    """The mitigation finder's answer in its first line: the heading of the fixes found, that none is
    needed (the drill already reaches the goal), or that no single change is enough (``result`` a
    :class:`~augur.analysis.mitigate.MitigationResult`).

    >>> from types import SimpleNamespace as Result
    >>> fixes_headline(Result(verdict="graceful", goal="degraded", hypothesis=False, fixes=[]))
    'None needed: the drill already ends GRACEFUL.'
    """
    if VERDICT_RANK[result.verdict] <= VERDICT_RANK[result.goal]:
        return f"None needed: the drill already ends {result.verdict.upper()}."
    if result.fixes:
        return fixes_heading(result.goal, result.hypothesis) + ":"
    return no_fix_text(result.goal, result.hypothesis)


def fixes_lines(name: str, result: Any, G: nx.DiGraph | None = None, unit: str = "step") -> list[str]:
    """``augur mitigate`` in the terminal for one drill: how it ends, its least fixes (each with how
    the re-run checked it, the fix row's ``check``) or that none is needed, and the levers that cannot
    help (``result`` is a :class:`~augur.analysis.mitigate.MitigationResult` whose rows carry their
    sentences as ``text``, ``check`` and ``why``).

    >>> from types import SimpleNamespace as Result
    >>> held = Result(verdict="graceful", goal="degraded", hypothesis=True, fixes=[], cannot_help=[])
    >>> for line in fixes_lines("outage", held):
    ...     print(line)
    outage ends GRACEFUL.
      None needed: the drill already ends GRACEFUL.
    """
    lines = [f"{name} ends {result.verdict.upper()}.", f"  {fixes_headline(result)}"]
    if not result.fixes and VERDICT_RANK[result.verdict] > VERDICT_RANK[result.goal]:
        step = no_fix_next_text(result.cannot_help, G, unit)
        lines += [f"  {step}"] if step else []
    for fix in result.fixes:
        lines.append(f"  - {fix['text']}")
        lines.append(f"    {fix['check']}")
    if result.cannot_help:
        lines.append("cannot help:")
        why = [f"  - {row['why']}" for row in result.cannot_help]
        lines += folded(why, lambda n: f"  ... {more_levers_text(n)} (--json lists them all)")
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
