"""The review pack's findings in words: what cut each failure and what was missing, the model checks
("Model check: with 26 days of stock at Boardworks, this drill ends GRACEFUL ..."), what held, why a
drill is degraded, and the one key finding a picture has room for.

The facts come from :mod:`augur.analysis` (``result.analysis``, computed once per drill); this module
only says them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import networkx as nx

from augur.analysis import find, weak_points
from augur.analysis.findings import (
    AiStory,
    BufferDrawn,
    Degraded,
    FailureStory,
    Findings,
    SecondSource,
    SloShort,
)
from augur.analysis.levers import Check, Lever, Outcome
from augur.analysis.weak_points import Outage, sweep_outage
from augur.engine import Status
from augur.metrics import RECOVERED_LEVEL
from augur.scenario import Scenario
from augur.text import (
    COST_LABEL,
    at_or_above,
    cause_text,
    cost_text,
    count_text,
    hypothesis_outcome,
    join_text,
    multiple_text,
    names_text,
    node_name,
    number_text,
    pct_text,
    steps_text,
)

if TYPE_CHECKING:
    from augur.drill import DrillResult

__all__ = [
    "BUFFER_NOUNS",
    "check_text",
    "drawn_step_note",
    "drawn_step_text",
    "findings",
    "key_finding",
    "lever_phrase",
    "outage_text",
    "why_degraded",
]

# What a node's ``buffer`` is, in the words of its kind: goods for vendors and logistics, cached results
# for data feeds and AI services, and for a business process a manual workaround or a backlog of ready
# work (a process holds no stock).
BUFFER_NOUNS = {
    "vendor": "stock",
    "logistics": "stock",
    "data_source": "cache",
    "ai_service": "cache",
    "process": "manual workaround",
}


def _noun(G: nx.DiGraph, node: Any) -> str:
    return BUFFER_NOUNS.get(G.nodes[node]["kind"], "stock")


def lever_phrase(lever: Lever, G: nx.DiGraph, unit: str) -> str:
    """A change as a reviewer reads it: 'with 26 days of stock at Boardworks', 'if Reviewer retried
    at most 1 time per unit of work (max_retries 1, from 3)'."""
    name = node_name(G, lever.node)
    if lever.attribute == "buffer":
        span = steps_text(lever.value, unit)
        kind = G.nodes[lever.node]["kind"]
        if kind in ("data_source", "ai_service"):
            return f"with {span} of cached results at {name}"
        if kind == "process":
            return f"with a manual workaround (or a backlog of ready work) that keeps {name} going for {span}"
        return f"with {span} of stock at {name}"
    if lever.attribute == "token_limit":
        why = (
            f"after the drill's cut, enough for the {lever.wanted:,} it wanted at its peak"
            if lever.wanted is not None
            else "what it wanted at its peak"
        )
        if lever.covering is not None and lever.value < lever.covering:
            why = f"the least that does it; {int(lever.covering):,}, {why}, stops the throttling altogether"
        return f"with a token limit of {int(lever.value):,} at {name} (from {lever.was:,.0f}: {why})"
    if lever.attribute == "max_retries":
        k = int(lever.value)
        what = (
            f"if {name} did not retry work on poor input"
            if k == 0
            else f"if {name} retried at most {count_text(k, 'time')} per unit of work"
        )
        return f"{what} (max_retries {k}, from {int(lever.was)})"
    if lever.attribute == "retry_sensitivity":
        return (
            f"if {name} retried less readily as its input quality fell (retry_sensitivity {lever.value:g}, "
            f"from {lever.was:g})"
        )
    if lever.attribute == "capacity":
        return f"with capacity for {lever.value:.2f}× baseline at {name}"
    return f"with {lever.attribute} {lever.value:g} at {name}"


def because_text(outcome: Outcome, result: DrillResult) -> str:
    """Why a re-run does not end graceful: what still fails, or which limit it still misses, and
    whether the drill missed it already ('still') or only with the change ('now')."""
    G, m = result.graph, result.metrics
    parts = []
    if outcome.verdict == "cascade":
        before = set(m["secondary_failures"])
        for adverb, nodes in (
            ("still", [v for v in outcome.secondary_failures if v in before]),
            ("now", [v for v in outcome.secondary_failures if v not in before]),
        ):
            if nodes:
                parts.append(f"{names_text(G, nodes)} {adverb} fail{'s' if len(nodes) == 1 else ''}")
    elif outcome.verdict == "degraded":
        slo, level = m["slo"], outcome.service_level_min
        if level < slo:
            adverb = "still" if m["service_level_min"] < slo else "now"
            parts.append(f"service {adverb} falls to {pct_text(level)} against an SLO of {pct_text(slo)}")
        budget, peak = m["token_budget"], outcome.peak_token_multiplier
        if budget is not None and peak is not None and peak > budget:
            before = m["peak_token_multiplier"]
            if before is not None and before > budget and peak > before + 0.005:
                # the change lets the service spend more (a higher limit, say): not 'still'
                parts.append(
                    f"tokens peak higher, at {multiple_text(peak)} (the drill: {multiple_text(before)}), "
                    f"against a budget of {budget:g}×"
                )
            else:
                adverb = "still" if before is not None and before > budget else "now"
                parts.append(f"tokens {adverb} peak at {multiple_text(peak)} against a budget of {budget:g}×")
    return " and ".join(parts)


def check_text(lever: Lever, outcome: Outcome, result: DrillResult) -> str:
    """A model check as a sentence: the change, the verdict it ends with and why, and its figures."""
    m = result.metrics
    unit = m["step_unit"]
    verdict = outcome.verdict
    ends = f"still ends {verdict.upper()}" if verdict == m["verdict"] else f"ends {verdict.upper()}"
    why = because_text(outcome, result)
    n = len(outcome.secondary_failures)
    figures = [
        f"lowest service {pct_text(outcome.service_level_min)}",
        f"{steps_text(round(outcome.resilience_loss, 1), unit)} of service lost",
        f"{n or 'no'} secondary failure{'s' if n != 1 else ''}",
    ]
    peaks = (m["peak_token_multiplier"], outcome.peak_token_multiplier)
    # tokens, where they matter to this drill: a budget to hold, or a peak above baseline
    if peaks[1] is not None and (m["token_budget"] is not None or max(peaks) > 1.005):
        figures.append(f"tokens at most {multiple_text(peaks[1])} baseline")
    return (
        f"Model check: {lever_phrase(lever, result.graph, unit)}, this drill {ends} (was {m['verdict']})"
        + (f", because {why}" if why else "")
        + f"; {', '.join(figures)}."
    )


def _outcome_dict(outcome: Outcome) -> dict:
    return {
        "verdict": outcome.verdict,
        "service_level_min": outcome.service_level_min,
        "resilience_loss": outcome.resilience_loss,
        "secondary_failures": list(outcome.secondary_failures),
        "peak_token_multiplier": outcome.peak_token_multiplier,
    }


def _check(check: Check, result: DrillResult) -> dict:
    """A check as the pack's findings carry it: ``node, attribute, value, outcome, text`` (and
    ``phrase, because`` for a check reported, ``prevents`` for one cited again)."""
    lever = check.lever
    out = {"node": lever.node, "attribute": lever.attribute, "value": lever.value}
    if check.prevents is not None:
        where = node_name(result.graph, check.where)
        return {
            **out,
            "outcome": _outcome_dict(check.outcome),
            "prevents": check.prevents,
            "text": f"The model check under {where} above prevents this failure too.",
        }
    return {
        **out,
        "phrase": lever_phrase(lever, result.graph, result.metrics["step_unit"]),
        "because": because_text(check.outcome, result),
        "outcome": _outcome_dict(check.outcome),
        "text": check_text(lever, check.outcome, result),
    }


def _failure_item(story: FailureStory, result: DrillResult) -> dict:
    G, unit = result.graph, result.metrics["step_unit"]
    name, noun = node_name(G, story.node), _noun(G, story.node)
    details = [f"Cause: {cause_text(story.cause, G)}."]
    if story.no_buffer:
        details.append(f"It had no {noun} to bridge a gap (buffer 0).")
    elif story.stock_empty is not None:
        details.append(
            f"Its {steps_text(story.buffer, unit)} of {noun} ran out at {unit} {story.stock_empty}."
        )
    for suppliers in story.sole_sources:
        if len(suppliers) == 1:
            details.append(f"It had a single source, {node_name(G, suppliers[0])}, and no second source.")
        else:
            details.append(
                f"All {len(suppliers)} of its sources for one input ({names_text(G, suppliers)}) were "
                "down at once."
            )
    if story.recovery:
        details.append(
            f"Once its supply returned it stayed down {steps_text(story.recovery, unit)} more (recovery)."
        )
    if story.peak_load is not None:
        details.append(
            f"Demand on it peaked at {story.peak_load:.2f}× baseline against a capacity of "
            f"{story.cause.capacity:g}×."
        )
    checks = [_check(c, result) for c in story.checks]
    details += [c["text"] for c in checks]
    title = f"{name} failed at {unit} {story.t} and was down {steps_text(story.down, unit)}"
    return {"title": title, "details": details, "checks": checks}


def _gap_item(found: Findings, result: DrillResult) -> dict:
    gap, unit = found.gap, result.metrics["step_unit"]
    return {
        "title": f"The gap to bridge: {node_name(result.graph, gap.node)} delivered less than full output "
        f"for {steps_text(gap.steps, unit)}",
        "details": [
            f"From {unit} {gap.start}, counting the shock and the steps it took to recover. Whatever "
            "depends on it needs a buffer for that long (stock, a cache or a manual workaround: one "
            "step of buffer covers one step of total shortfall) or another source in the same group "
            "that can carry the load.",
        ],
        "checks": [],
    }


def _ai_item(story: AiStory, result: DrillResult) -> dict:
    unit = result.metrics["step_unit"]
    details = []
    checks = [_check(c, result) for c in story.checks]
    token_checks = [c for c in checks if c["attribute"] == "token_limit"]
    if story.throttled:
        cut = (
            f" (its limit of {story.limit:,.0f} as cut by the drill's shock)"
            if story.allowed < story.limit - 0.5
            else ""
        )
        details.append(
            f"Throttled for {steps_text(story.throttled, unit)}: at {unit} {story.at} it wanted "
            f"{math.ceil(story.allowed * story.ratio):,} tokens against a limit of "
            f"{story.allowed:,.0f}{cut}, {story.ratio:.2f}× what it was allowed."
        )
        details += [c["text"] for c in token_checks]
    if story.attempts > 1.05:
        details.append(
            f"Retries rose to {story.attempts:.2f} attempts per unit of work at {unit} "
            f"{story.attempts_at} as its input quality fell (max_retries {story.retries})."
        )
        details += [c["text"] for c in checks if c not in token_checks]
    if story.widening is not None and story.widening > 1.05:
        details.append(f"Its confidence intervals widened to {story.widening:.2f}× their baseline width.")
    return {
        "title": f"{node_name(result.graph, story.node)} (AI service)",
        "details": details,
        "checks": checks,
    }


def _slo_item(short: SloShort, result: DrillResult) -> dict:
    unit, G = result.metrics["step_unit"], result.graph
    detail = f"At {unit} {short.t} it met {short.met:.0%} of its demand"
    if short.weakest is not None:
        detail += (
            f"; its weakest input was {node_name(G, short.weakest)} at {short.level:.0%} the {unit} before"
        )
    return {
        "title": f"{node_name(G, short.node)} fell below the SLO",
        "details": [detail + "."],
        "checks": [],
    }


def _held_line(held: BufferDrawn | SecondSource, result: DrillResult) -> str:
    G, unit = result.graph, result.metrics["step_unit"]
    name = node_name(G, held.node)
    if isinstance(held, BufferDrawn):
        noun, span = _noun(G, held.node), steps_text(held.buffer, unit)
        if held.low > 1e-9:
            return (
                f"{name} drew on its {noun}: down to {held.low:.1f} of {span} at {unit} {held.at} "
                f"({held.low / held.buffer:.0%} left)."
            )
        # it held on the buffer, then on what still arrived: say how far it sank
        after = "it then ran degraded" if held.lowest < RECOVERED_LEVEL else "it kept going"
        return (
            f"{name} lived on its {span} of {noun} until it ran out at {unit} {held.at}; {after} "
            f"(lowest output {held.lowest:.0%}) but never failed."
        )
    states = [
        f"{node_name(G, u)} was down" if low <= 1e-9 else f"{node_name(G, u)} was cut to {low:.0%}"
        for u, low in held.cut
    ]
    others = names_text(G, held.others)
    if held.lowest >= RECOVERED_LEVEL:
        return f"{others} kept {name} supplied while {join_text(states)}."
    # the other source was not enough on its own: say how far the node fell
    return (
        f"{others} kept {name} from failing while {join_text(states)}, though not whole: it fell to "
        f"{held.lowest:.0%}."
    )


def _items(found: Findings, result: DrillResult) -> list[dict]:
    items = [_failure_item(story, result) for story in found.failures]
    if found.more_failures:
        items.append(
            {
                "title": f"{found.more_failures} more secondary failures",
                "details": ["All are listed in the metrics table and the event log."],
                "checks": [],
            }
        )
    if items and found.gap is not None:
        items.insert(0, _gap_item(found, result))
    items += [_ai_item(story, result) for story in found.ai]
    m = result.metrics
    budget, peak = m["token_budget"], m["peak_token_multiplier"]
    if budget is not None and peak is not None and peak > budget:
        overrun = f"{number_text(m['token_overrun'])} tokens over baseline"
        items.append(
            {
                "title": f"Tokens went over budget: {peak:.2f}× baseline against {budget:g}×",
                "details": [f"{overrun}; {COST_LABEL}: {cost_text(m['token_overrun_cost'])}."],
                "checks": [],
            }
        )
    items += [_slo_item(short, result) for short in found.slo_short]
    return items


def outage_text(outage: Outage, unit: str) -> str:
    """The sweep's outage: 'each node failed alone for 21 days from day 10, as the drilled outage'."""
    how = {
        "none": "a tenth of the horizon in, for a quarter of it (this drill has no shock to copy)",
        "endless": "from the drilled shock's start, for a quarter of the horizon (that shock never ends)",
        "outage": "as the drilled outage",
        "window": "in the window of the drilled shock",
    }[outage.copied]
    own = " (or its own ttr)" if outage.own_ttr else ""
    down = steps_text(outage.duration, unit) + own
    return f"each node failed alone for {down} from {unit} {outage.start}, {how}"


def sweep_outage_dict(scenario: Scenario) -> dict:
    """The sweep's outage as ``{start, duration, text}`` (what ``findings`` reports as ``outage``)."""
    outage = sweep_outage(scenario)
    return {
        "start": outage.start,
        "duration": outage.duration,
        "text": outage_text(outage, scenario.step_unit),
    }


def _headline(result: DrillResult) -> str:
    m = result.metrics
    head = ""
    outcome = hypothesis_outcome(m)
    if outcome == "worse":
        head = f"The drill did not hold its hypothesis: expected {m['hypothesis']}, it ended {m['verdict']}. "
    elif outcome == "better":
        head = (
            f"The drill ended better than expected: its hypothesis was {m['hypothesis']}, it ended "
            f"{m['verdict']}. "
        )
    n = len(m["secondary_failures"])
    if n:
        shocks = "shocks" if len(result.scenario.shocks) != 1 else "shock"
        return head + (
            f"The {shocks} spread: {count_text(n, 'node')} failed that no shock touched. Each failure below "
            "says what cut it and what was missing; a model check re-runs the drill with one change."
        )
    if m["verdict"] == "degraded":
        return head + "Nothing failed beyond the shocked nodes, but the drill missed its SLO or token budget."
    return head + (
        "Nothing failed beyond the shocked nodes and service held the SLO: this drill needs no fix. "
        "What protected it is listed below, with how close it came."
    )


def findings(result: DrillResult, *, sweep_limit: int = 40, what_ifs: int = 4, sweep: bool = True) -> dict:
    """What the model shows would fix this drill, in words, from ``result.analysis``.

    Returns ``{"headline", "items", "held", "weak_points", "scope", "outage"}``: ``items`` are
    ``{"title", "details", "checks"}``: the gap the shock opened, each secondary failure (what cut it,
    no buffer, a single source, a long recovery), each AI service that throttled, retried or lost
    confidence, and the business processes that missed the SLO. Up to ``what_ifs`` of them carry a
    model check (see :mod:`augur.analysis.levers`), said in ``details`` and kept in ``checks`` as
    ``{node, attribute, value, outcome, text}``; ``held`` says what protected the graph;
    ``weak_points`` is the criticality sweep of up to ``sweep_limit`` nodes around the shocked area,
    the ones that hurt, worst first (``outage`` says which outage each got); ``sweep=False`` leaves it
    out. The default limits read the drill's own analysis, computed once.
    """
    analysis = result.analysis
    found = analysis.findings if what_ifs == 4 else find(result, what_ifs=what_ifs)
    weak = None
    if sweep:
        weak = analysis.weak_points if sweep_limit == 40 else weak_points(result, sweep_limit)
    rows = [dict(row, name=node_name(result.graph, row["target"])) for row in (weak.rows if weak else ())]
    swept = len(rows)
    return {
        "headline": _headline(result),
        "items": _items(found, result),
        "held": [_held_line(h, result) for h in found.held],
        "weak_points": [row for row in rows if row["verdict"] != "graceful"][:6],
        "scope": f"all {swept} nodes"
        if swept == result.graph.number_of_nodes()
        else f"the {swept} nodes nearest the shocked ones",
        "outage": outage_text(weak.outage, result.scenario.step_unit)
        if weak
        else sweep_outage_dict(result.scenario)["text"],
    }


def why_degraded(degraded: Degraded, result: DrillResult) -> str:
    """Why a drill that broke nothing beyond its shocks still ends degraded, in time order: the
    buffers that ran down before its worst step, when service dipped below the SLO and how low it
    went (at which process, short of which input), and the token budget it went over."""
    G, m = result.graph, result.metrics
    unit = m["step_unit"]
    parts = []
    emptied = degraded.emptied
    if emptied:
        drawn = [
            f"the {steps_text(buffer, unit)} of {_noun(G, node)} at {node_name(G, node)}"
            + (" ran down" if i == 0 else "")
            + f" by {unit} {empty}"
            for i, (empty, node, buffer) in enumerate(emptied[:3])
        ]
        if len(emptied) > 3:
            drawn.append(f"{len(emptied) - 3} more buffers too")
        parts.append(join_text(drawn))
    slo, low = m["slo"], m["service_level_min"]
    if low < slo:
        below, bottom = degraded.below, degraded.bottom
        when = f"dipped below the {pct_text(slo)} SLO at {unit} {below}" + (
            f" and reached {pct_text(low)} by {unit} {bottom}" if bottom != below else f", to {pct_text(low)}"
        )
        where = f"{node_name(G, degraded.lowest_node)} met {degraded.lowest_met:.0%} of its demand"
        if degraded.weakest is not None:
            throttled = " (throttled)" if degraded.weakest_throttled else ""
            where += (
                f", its weakest input {node_name(G, degraded.weakest)}{throttled} at "
                f"{degraded.weakest_level:.0%} the {unit} before"
            )
        clause = f"service {when} ({where})"
        if not emptied:
            parts.append(clause)
        elif below >= emptied[-1][0]:  # in time order: the buffers ran down, then service dipped
            parts.append(f"then {clause}")
        else:  # service dipped first (or in between): say so, before the buffers
            parts.insert(len(parts) - 1, clause)
    budget, peak = m["token_budget"], m["peak_token_multiplier"]
    if budget is not None and peak is not None and peak > budget:
        parts.append(f"tokens peaked at {multiple_text(peak)} baseline against a budget of {budget:g}×")
    if low >= slo:
        parts.append(f"service stayed at {at_or_above(low)} (SLO {pct_text(slo)})")
    return f"Why it is degraded: {'; '.join(parts)}. Nothing failed beyond the shocked nodes."


def key_finding(result: DrillResult) -> str | None:
    """The one line of the findings a picture has room for: the model check that ends the drill in
    the mildest verdict (with why it is not graceful, where it is not); else, for a degraded drill,
    why it is degraded, and for a drill that held, the closest call; else None."""
    found = result.analysis.findings
    verdict = result.metrics["verdict"]
    best = found.best_check(verdict)
    if best is not None:
        because = because_text(best.outcome, result)
        phrase = lever_phrase(best.lever, result.graph, result.metrics["step_unit"])
        return (
            f"What would fix it (a model check): {phrase}, this drill ends {best.outcome.verdict.upper()}"
            + (f", because {because}" if because else "")
            + "."
        )
    if verdict == "degraded":
        # Not "what held": the drill missed its SLO or budget, and a buffer that emptied did not hold.
        return why_degraded(found.degraded, result)
    if found.held and verdict == "graceful":
        return f"What held: {_held_line(found.held[0], result)}"
    return None


# -- the step the pack draws the network at --------------------------------------------------------


def _held_and_hurt(result: DrillResult, step: int) -> tuple[bool, int]:
    """Whether service held at 99% or more all drill, and how many nodes were not ok at ``step``."""
    held = float(min(result.service_level)) >= RECOVERED_LEVEL
    return held, int((result.trajectory.status[step] != Status.OK).sum())


def drawn_step_text(result: DrillResult, step: int) -> str:
    """The step the pack's network is drawn at, for its title: the worst step and its service level,
    or, where service held throughout, the step most nodes were hurt (a drill that never dipped has no
    worst step to speak of): ``'hour 10, when the most nodes were hurt (1 of 10): service held at 100%
    throughout'``."""
    unit, level = result.scenario.step_unit, result.service_level
    held, hurt = _held_and_hurt(result, step)
    if not held:
        return f"{unit} {step}, the worst step: service level {pct_text(level[step])}"
    throughout = f"service held at {at_or_above(float(min(level)))} throughout"
    if not hurt:
        return f"{unit} {step}: {throughout}, and every node stayed ok"
    return f"{unit} {step}, when the most nodes were hurt ({hurt} of {len(result.graph)}): {throughout}"


def drawn_step_note(result: DrillResult, step: int) -> str:
    """What the charts' vertical line marks: ``'hour 34, the worst step'``, or where service held
    throughout ``'hour 10, when the most nodes were hurt'``."""
    unit = result.scenario.step_unit
    held, hurt = _held_and_hurt(result, step)
    if not held:
        return f"{unit} {step}, the worst step"
    return f"{unit} {step}, when the most nodes were hurt" if hurt else f"{unit} {step}"
