"""The words of the review pack's weak-points section (HTML and PNG alike): what the sweeps did and what
they found, said once.

Every function takes the sweeps' plain data (criticality rows and their outage, pair rows and candidate
sets, a random-shock study's counts and intervals, the mitigation finder's fixes) and returns text.

>>> sweep_outage_text({"start": 10, "duration": 21, "severity": 1.0, "ttr": {}}, "day", 13)
'Each of the 13 nodes failed alone, down completely from day 10 for 21 days'
>>> exposure_caption_text([{"single_point_of_failure": True}, {"single_point_of_failure": False}], 0.9)
'1 of 2 single failures took service below the 90% SLO (a single point of failure, marked).'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from augur.text import count_text, join_text, node_name, pct_text, steps_text
from augur.text.studies import fixes_headline, pair_set_text, pair_worse_text

__all__ = [
    "FIXES_CAPTION",
    "PAIRS_CAPTION",
    "PAIR_SET_LABELS",
    "QUADRANT_ABOVE",
    "QUADRANT_BELOW",
    "QUADRANT_SHORT_TITLE",
    "QUADRANT_TITLE",
    "SECTION_INTRO",
    "chance_rows",
    "exposure_caption_text",
    "fixes_lines",
    "node_down_axis_text",
    "one_recovery_text",
    "pair_interaction_text",
    "pair_set_lines",
    "quadrant_caption_text",
    "random_caption_text",
    "ranking_caption_text",
    "service_back_header",
    "service_back_tooltip",
    "strip_lines",
    "strip_title",
    "sweep_outage_text",
    "worst_random_text",
    "yes_no",
]

# Two recovery times live on the weak-points screens and must not share a name: how long the node
# failed alone stays down (the steps it is failed or recovering: its outage, its ttr, and its own
# recovery after either; the quadrant's x, Simchi-Levi's time to recover), and how long service takes
# to come back from the end of the outage (the drill's time to recover, a column of the ranking). The
# first is "time down", the second "service back".
QUADRANT_TITLE = "Time to survive against time down"
QUADRANT_SHORT_TITLE = "Time to survive vs time down"
# the quadrant's two halves, as plotted: a point above the diagonal kept service longer than its node
# was down, yet may still fall below the SLO after the node is back (lead times deliver the hit late);
# only a point on the "never" line came through
QUADRANT_BELOW = "below the line: service falls before the node is back"
QUADRANT_ABOVE = "above the line: service holds longer than the node is down"


def node_down_axis_text(unit: str) -> str:
    """The quadrant's x axis: how long each node failed alone was down.

    >>> node_down_axis_text("hour")
    'time down (hours the node is failed or restarting)'
    """
    return f"time down ({unit}s the node is failed or restarting)"


def service_back_header(unit: str) -> str:
    """The ranking's column of each single failure's time to recover.

    >>> service_back_header("hour")
    'Service back (hours)'
    """
    return f"Service back ({unit}s)"


def service_back_tooltip(unit: str) -> str:
    """What the service-back column counts, apart from the quadrant's time down.

    >>> service_back_tooltip("day")[:62]
    'Time to recover: days from the end of the outage until service'
    """
    return (
        f"Time to recover: {unit}s from the end of the outage until service is back at 99%, its node's "
        "own recovery included (how long the node was down is the quadrant's time down)"
    )


SECTION_INTRO = (
    "The drill above is one disruption. These sweeps fail every node in turn, then pairs of them, then "
    "random shocks, on the same graph with the same horizon and SLO, and search for the least change "
    "that makes this drill graceful."
)
PAIRS_CAPTION = (
    "First the pairs worse together than either alone (a worse verdict, or more knock-on failures than "
    "the two alone had), then by interaction: the service lost by the pair beyond what the two lost "
    "alone (positive: worse together, as two second sources covering for each other; negative: the two "
    "cut the same flow). The candidate sets tried:"
)
FIXES_CAPTION = (
    "From augur mitigate: one attribute at one node, the least change from today's value, confirmed by "
    "re-running the drill with it."
)

PAIR_SET_LABELS = {
    "substitutes": "substitutes (two inputs in one group of one node)",
    "top": "pairs of the worst single failures",
    "all": "every pair of nodes",
}


def yes_no(flag: bool) -> str:
    """A table's yes, or a dash for no: ``yes_no(True)`` -> ``'yes'``."""
    return "yes" if flag else "-"


def sweep_outage_text(outage: Mapping, unit: str, nodes: int) -> str:
    """The outage every node of a sweep suffered, with the nodes that had their own ``ttr``."""
    down = f"down completely from {unit} {outage['start']} for {steps_text(outage['duration'], unit)}"
    own = outage.get("ttr") or {}
    text = f"Each of the {nodes:,} nodes failed alone, {down}"
    if own:
        text += f" ({count_text(len(own), 'node')} for {'its' if len(own) == 1 else 'their'} own ttr)"
    return text


def exposure_caption_text(rows: Sequence[Mapping], slo: float) -> str:
    """How many single failures took service below the SLO."""
    spof = sum(bool(r["single_point_of_failure"]) for r in rows)
    return (
        f"{spof:,} of {count_text(len(rows), 'single failure')} took service below the {pct_text(slo)} SLO "
        "(a single point of failure, marked)."
    )


def ranking_caption_text(outage: Mapping, unit: str, rows: Sequence[Mapping], slo: float, shown: int) -> str:
    """What the ranking is: the outage each node suffered, what its columns mean, how many rows show."""
    more = f" The table shows the worst {shown:,} of {len(rows):,}." if len(rows) > shown else ""
    return (
        f"{sweep_outage_text(outage, unit, len(rows))}, with this drill's horizon and SLO (augur sweep "
        "prints the same ranking). Exposure: the service lost over the worst node's loss; blast radius: "
        f"the share of nodes that failed. {exposure_caption_text(rows, slo)}{more}"
    )


def quadrant_caption_text(points: Sequence[Mapping], G: nx.DiGraph | None, unit: str, slo: float) -> str:
    """Which nodes the business cannot outlast: service fell below the SLO, before the node was back
    (below the line) or after it (above it: the hit came down lead times late); a node only outlasts
    its outage where service never fell, on the "never" line.

    >>> points = [{"target": "a", "x": 5, "y": 2, "outlasts": False},
    ...           {"target": "b", "x": 5, "y": 7, "outlasts": False},
    ...           {"target": "c", "x": 5, "y": None, "outlasts": True}]
    >>> quadrant_caption_text(points, None, "day", 0.9)[:132]
    'The business cannot outlast the outage of 2 nodes: service fell below the 90% SLO, for 1 before the \
node was back and for 1 after it'
    """
    short = [p for p in points if not p["outlasts"]]
    if not short:
        return f"The business outlasts every outage: service stayed at or above the {pct_text(slo)} SLO."
    named = [
        f"{node_name(G, p['target'])} ({steps_text(p['y'], unit)} of {steps_text(p['x'], unit)})"
        for p in short[:4]
    ]
    more = f" and {len(short) - 4} more" if len(short) > 4 else ""
    late = sum(p["x"] is not None and p["y"] >= p["x"] for p in short)
    if not late:
        when = "before the node was back"
    elif late == len(short):
        when = "after the node was back (above the line: the hit came down lead times late)"
    else:
        when = (
            f"for {len(short) - late:,} before the node was back and for {late:,} after it (above the line: "
            "the hit came down lead times late)"
        )
    return (
        f"The business cannot outlast the outage of {count_text(len(short), 'node')}: service fell below the "
        f"{pct_text(slo)} SLO, {when}. Worst first, time to survive of time down: "
        f"{', '.join(named) + more if more else join_text(named)}."
    )


def one_recovery_text(
    outage: Mapping, unit: str, *, asked: bool = False, rows: Sequence[Mapping] = ()
) -> str:
    """Why the quadrant's points stand in one column, where they do: every node was down as long, the
    sweep's outage (no node states a ``ttr`` of its own) or the duration ``asked`` for; ``''`` where
    nodes' own ``ttr`` spread them, or the ``rows``' time down does (a node's own ``recovery``).

    >>> print(one_recovery_text({"start": 10, "duration": 21, "ttr": {}}, "day").replace(": ", ":\\n"))
    No node states its time to recover (ttr):
    every outage lasts the sweep's 21 days, so the points stand in one column.
    >>> one_recovery_text({"start": 10, "duration": 21, "ttr": {"acme": 5}}, "day")
    ''
    >>> one_recovery_text({"start": 10, "duration": 21, "ttr": {}}, "day", rows=[{"time_down": 21},
    ...                   {"time_down": 24}])
    ''
    """
    if outage.get("ttr") or len({r["time_down"] for r in rows if "time_down" in r}) > 1:
        return ""
    down = steps_text(outage["duration"], unit)
    if asked:
        return f"Every outage lasts the {down} asked for, so the points stand in one column."
    return (
        f"No node states its time to recover (ttr): every outage lasts the sweep's {down}, so the points "
        "stand in one column."
    )


def pair_interaction_text(row: Mapping, G: nx.DiGraph | None, unit: str) -> str:
    """A pair's interaction in words: worse together than apart, or overlapping; led by what the
    pair did that neither failure did alone, where it did (:func:`pair_worse_text`)."""
    x = row["interaction"]
    if x > 0:
        lost = f"{steps_text(round(x, 1), unit)} of service lost beyond the two failures alone"
    elif x < 0:
        lost = f"{steps_text(round(-x, 1), unit)} less than the two alone: they cut the same flow"
    else:
        lost = "no more service lost than the two alone"
    worse = pair_worse_text(row)
    return f"{worse}; {lost}" if worse else lost


def pair_set_lines(sets: Sequence[Mapping]) -> list[str]:
    """One line per candidate set of a pair sweep: which set, how many pairs, tried or not, and why."""
    lines = []
    for entry in sets:
        label = PAIR_SET_LABELS.get(entry["set"], entry["set"])
        tried = "tried" if entry["tried"] else "not tried"
        lines.append(
            f"{label.capitalize()}: {count_text(entry['pairs'], 'pair')}, {tried} ({pair_set_text(entry)})."
        )
    return lines


def random_caption_text(runs: int, seed: int, slo: float, unit: str) -> str:
    """What the band chart shows."""
    return (
        f"{count_text(runs, 'random drill')} (seed {seed}): the shaded band holds 90% of them at each "
        f"{unit} (p5 to p95), the line is the median, the dotted line the {pct_text(slo)} SLO."
    )


def chance_rows(verdicts: Mapping[str, int], intervals: Mapping[str, Sequence[float]]) -> list[dict]:
    """The chance of each verdict as table rows: ``verdict, drills, share, interval``.

    >>> chance_rows({"graceful": 3, "cascade": 1}, {"graceful": (0.3, 0.95), "cascade": (0.05, 0.7)})[1]
    {'verdict': 'cascade', 'drills': '1 of 4', 'share': '25%', 'interval': '5% to 70%'}
    """
    runs = sum(verdicts.values())
    return [
        {
            "verdict": verdict,
            "drills": f"{count:,} of {runs:,}",
            "share": pct_text(count / runs if runs else 0.0),
            "interval": f"{pct_text(intervals[verdict][0])} to {pct_text(intervals[verdict][1])}",
        }
        for verdict, count in verdicts.items()
    ]


def worst_random_text(worst: Mapping, unit: str, shocks: Sequence[str]) -> str:
    """The worst random drill in one sentence, with how to run it."""
    return (
        f"The worst random drill (#{worst['drill']}) ended {worst['verdict'].upper()}, "
        f"{steps_text(round(worst['resilience_loss'], 1), unit)} of service lost: {'; '.join(shocks)}. "
        "augur montecarlo --save-worst FILE writes it as a scenario."
    )


def fixes_lines(mitigation: Any, verdict: str) -> tuple[str, list[str], list[str]]:
    """The mitigation finder's answer as ``(headline, fixes, cannot_help)``: each fix and each lever
    that cannot help as the sentence it already carries."""
    fixes = [
        f["text"] + ("" if f["confirmed"] else " (not confirmed by the re-run)") for f in mitigation.fixes
    ]
    cannot = [row["why"] for row in mitigation.cannot_help]
    return fixes_headline(mitigation), fixes, cannot


def strip_title(study: Any, result: Any) -> tuple[str, str]:
    """The picture's weak-points strip: its title and the line under it (the outage, how many single
    failures broke the SLO)."""
    rows = study.criticality.rows
    unit, slo = result.scenario.step_unit, result.scenario.slo
    spof = sum(bool(r["single_point_of_failure"]) for r in rows)
    title = "Weak points: every node failed alone, pairs of them, random shocks, and the fixes found"
    sub = (
        f"{sweep_outage_text(study.criticality.outage, unit, len(rows))}: {spof:,} of them took service "
        f"below the {pct_text(slo)} SLO. The HTML report has every row."
    )
    return title, sub


def strip_lines(study: Any, result: Any) -> list[tuple[str, bool]]:
    """The strip's lines under its charts, as ``(text, bold)``: the fixes found (or why none), the pair
    that interacts most, why the quadrant's points stand in one column where they do, and the random
    shocks in one line."""
    G, unit = result.graph, result.scenario.step_unit
    head, fixes, cannot = fixes_lines(study.fixes, result.metrics["verdict"])
    lines = []
    if fixes:
        lines.append(("Fixes found: " + " ".join(fixes[:2]), True))
    else:
        lines.append((head, True))
    if cannot:
        lines.append(("Where a lever cannot help: " + cannot[0], False))
    duo = study.pairs.rows
    if duo:
        best = duo[0]
        names = " + ".join(node_name(G, t) for t in best["targets"])
        tried = ", ".join(
            f"{e['set']} {e['pairs']:,}{'' if e['tried'] else ' (not tried)'}" for e in study.pairs.sets
        )
        lines.append(
            (
                f"Strongest pair: {names}, {best['verdict']}, {pair_interaction_text(best, G, unit)} "
                f"(pairs: {tried}).",
                False,
            )
        )
    one_column = one_recovery_text(study.criticality.outage, unit, rows=study.criticality.rows)
    if one_column:
        lines.append((one_column, False))
    mc = study.random
    shares = "; ".join(
        f"{r['verdict']} {r['share']} ({r['interval']})" for r in chance_rows(mc.verdicts, mc.intervals)
    )
    lines.append((f"{count_text(mc.runs, 'random drill')} (seed {mc.seed}): {shares}, 95% intervals.", False))
    return lines
