"""What a review board reads, as plain data: where the pack came from, the headline figures, the shocks
in words, what the model shows would fix it, and the deltas between a drill before and after a change.

Nothing here draws: :mod:`augur.report.charts` and :mod:`augur.report.page` render these facts. Every
sentence is derived from the drill's own record or from a re-run of the model, never from a template
of generic advice.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> result = augur.simulate(scenario.graph, scenario)                    # doctest: +SKIP
>>> worst_step(result)                                                   # doctest: +SKIP
35
"""

from __future__ import annotations

import copy
import json
import math
import weakref
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np

from augur.analysis.causes import failure_cause
from augur.drill import DrillResult, simulate
from augur.engine import Status
from augur.errors import ReportError
from augur.graph import NODE_ATTRIBUTES, edge_param, node_param
from augur.metrics import METRIC_MEANINGS, RECOVERED_LEVEL, service_nodes
from augur.provenance import display_source, graph_hash, provenance, scenario_text
from augur.scenario import Scenario, Shock
from augur.text import (
    COST_LABEL,
    at_or_above,
    cause_text,
    cost_text,
    join_text,
    metric_rows,
    metric_text,
    multiple_text,
    names_text,
    node_name,
    number_text,
    pct_text,
    shock_sentences,
    steps_text,
    value_text,
    verdict_sentence,
)
from augur.text import kpi_cards as _kpi_cards

__all__ = [
    "COST_LABEL",
    "METRIC_MEANINGS",
    "ReportError",
    "compare_facts",
    "cost_text",
    "display_source",
    "findings",
    "graph_diff",
    "graph_hash",
    "key_finding",
    "kpi_cards",
    "metric_rows",
    "metric_text",
    "node_name",
    "provenance",
    "scenario_text",
    "shock_sentences",
    "sweep_outage",
    "value_text",
    "verdict_sentence",
    "worst_step",
]

VERDICT_RANK = {"graceful": 0, "degraded": 1, "cascade": 2}
SWEEP_CELLS = 5_000_000  # node-steps of re-runs a pack's weak-point sweep may spend (about a second)


def kpi_cards(result: DrillResult) -> list[dict]:
    """The headline figures as cards (see :func:`augur.text.kpi_cards`)."""
    return _kpi_cards(result.metrics)


def worst_step(result: DrillResult) -> int:
    """The step of lowest service level; among equal lows, the one with most nodes not ok, then the
    earliest. (So a drill whose service never moved shows the step where most of the graph hurt.)

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process", "min_supply": 0.5})],
    ...                 [("e", {"source": "a", "target": "shop"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "s", "steps": 12, "shocks": [
    ...     {"kind": "vendor_failure", "target": "b", "start": 4, "duration": 2}]}, graph=G)
    >>> worst_step(simulate(G, s))
    4
    """
    level = result.service_level
    not_ok = (result.trajectory.status != Status.OK).sum(axis=1)
    candidates = np.flatnonzero(level <= level.min() + 1e-9)
    return int(candidates[int(np.argmax(not_ok[candidates]))])


BUFFER_NOUNS = {
    "vendor": "stock",
    "logistics": "stock",
    "data_source": "cache",
    "ai_service": "cache",
    "process": "manual workaround",
}
CHECK_RUNS = 60  # re-runs of the drill the model checks of one pack may spend, at most
CHECK_CELLS = 2_500_000  # and node-steps of engine work they may spend (about half a second)


def _first_index(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _buffer_noun(G: nx.DiGraph, node: Any) -> str:
    return BUFFER_NOUNS.get(G.nodes[node]["kind"], "stock")


def _buffer_phrase(G: nx.DiGraph, node: Any, steps: float, unit: str) -> str:
    """A buffer of ``steps`` at ``node``, as its kind calls it: '26 days of stock at Boardworks'."""
    name, span = node_name(G, node), steps_text(steps, unit)
    kind = G.nodes[node]["kind"]
    if kind in ("data_source", "ai_service"):
        return f"with {span} of cached results at {name}"
    if kind == "process":
        return f"with a manual workaround (or a backlog of ready work) that keeps {name} going for {span}"
    return f"with {span} of stock at {name}"


def _stock_needed(result: DrillResult, col: int, node: Any) -> float:
    """The buffer that would have covered every shortfall of ``node``'s supply in this drill: the sum
    of ``1 - a / min_supply`` over its short steps (one unit covers one step of total shortfall)."""
    supply = result.trajectory.supply[:, col]
    need = node_param(result.graph, node, "min_supply")
    headroom = np.minimum(supply / need, 1.0)
    return float((1.0 - headroom).sum())


@dataclass(frozen=True)
class _Lever:
    """One attribute of one node changed to one value, and how a reviewer reads the change."""

    node: Any
    attribute: str
    value: float
    phrase: str

    @property
    def key(self) -> tuple:
        return (self.node, self.attribute, self.value)


def _buffer_lever(result: DrillResult, node: Any) -> _Lever | None:
    """The buffer that covers ``node``'s shortfall in this drill, where it had less."""
    col = result.trajectory.nodes.index(node)
    needed = _stock_needed(result, col, node)
    if needed <= 0.5 or float(node_param(result.graph, node, "buffer")) >= needed:
        return None
    stock = float(math.ceil(needed))
    phrase = _buffer_phrase(result.graph, node, stock, result.metrics["step_unit"])
    return _Lever(node, "buffer", stock, phrase)


def _token_lever(result: DrillResult, node: Any) -> _Lever | None:
    """The token limit a throttled AI service needed at its peak (before any cut the shock made)."""
    traj = result.trajectory
    col = traj.nodes.index(node)
    limit = node_param(result.graph, node, "token_limit")
    at = int(np.argmax(traj.throttle_ratio[:, col]))
    ratio = float(traj.throttle_ratio[at, col])
    if not limit or ratio <= 1:
        return None
    needed = math.ceil(limit * ratio)  # at least what it wanted: a limit a hair short still throttles
    allowed = float(traj.tokens[at, col])  # a throttled service spends exactly its (cut) limit
    name = node_name(result.graph, node)
    why = (
        f"after the drill's cut, enough for the {math.ceil(allowed * ratio):,} it wanted at its peak"
        if allowed < limit - 0.5
        else "what it wanted at its peak"
    )
    phrase = f"with a token limit of {needed:,} at {name} (from {limit:,.0f}: {why})"
    return _Lever(node, "token_limit", float(needed), phrase)


def _retry_levers(result: DrillResult, node: Any) -> list[_Lever]:
    """Fewer retries, or retries less eager as input quality falls: the levers on a retry storm, the
    smallest change first."""
    G = result.graph
    col = result.trajectory.nodes.index(node)
    if float(result.trajectory.attempts[:, col].max()) <= 1.05:
        return []
    name = node_name(G, node)
    levers = []
    retries = int(node_param(G, node, "max_retries"))
    for k in sorted({retries - 1, retries // 2, 1, 0}, reverse=True):
        if 0 <= k < retries:
            what = (
                f"if {name} did not retry work on poor input"
                if k == 0
                else f"if {name} retried at most {k} time{'s' if k != 1 else ''} per unit of work"
            )
            levers.append(_Lever(node, "max_retries", k, f"{what} (max_retries {k}, from {retries})"))
    sensitivity = float(node_param(G, node, "retry_sensitivity"))
    for factor in (0.75, 0.5, 0.25):
        value = round(sensitivity * factor, 2)
        if 0 < value < sensitivity:
            phrase = (
                f"if {name} retried less readily as its input quality fell (retry_sensitivity {value:g}, "
                f"from {sensitivity:g})"
            )
            levers.append(_Lever(node, "retry_sensitivity", value, phrase))
    return levers


def _levers_at(result: DrillResult, node: Any) -> list[_Lever]:
    """The changes at ``node`` that fit its kind: for an AI service its token limit and retries, then
    a cache; a buffer for vendors, logistics and data feeds. (A process's workaround is the fallback
    of :func:`_cascade_items`, not a lever offered here.)"""
    kind = result.graph.nodes[node]["kind"]
    levers: list[_Lever | None] = []
    if kind == "ai_service":
        levers += [_token_lever(result, node), *_retry_levers(result, node)]
    if kind != "process":
        levers.append(_buffer_lever(result, node))
    return [lever for lever in levers if lever is not None]


def _outcome_key(outcome: dict) -> tuple:
    """Orders re-run outcomes, best first: milder verdict, fewer secondary failures, less service
    lost, fewer tokens at the peak."""
    return (
        VERDICT_RANK[outcome["verdict"]],
        len(outcome["secondary_failures"]),
        round(outcome["resilience_loss"], 6),
        round(outcome["peak_token_multiplier"] or 0.0, 6),
    )


class _Checks:
    """Re-runs of the drill with one change each: each run once, within a budget of runs."""

    def __init__(self, result: DrillResult, reported: int):
        self.result = result
        self.reported_left = reported
        cells = result.graph.number_of_nodes() * result.scenario.steps
        self.runs_left = min(CHECK_RUNS, max(6, CHECK_CELLS // max(cells, 1)))
        self.outcomes: dict[tuple, dict] = {}
        self.shown: dict[tuple, str] = {}  # lever key -> name of the item that reported it

    def outcome(self, lever: _Lever) -> dict | None:
        if lever.key not in self.outcomes:
            if self.runs_left <= 0:
                return None
            self.runs_left -= 1
            self.outcomes[lever.key] = _what_if(self.result, lever.node, **{lever.attribute: lever.value})
        return self.outcomes[lever.key]

    def ranked(self, levers: list[_Lever]) -> list[tuple[_Lever, dict]]:
        """The levers that could be re-run, best outcome first (the earlier lever among equals)."""
        scored = [(lever, self.outcome(lever)) for lever in levers]
        return sorted(((lv, o) for lv, o in scored if o is not None), key=lambda lo: _outcome_key(lo[1]))

    def report(self, lever: _Lever, outcome: dict, where: str) -> dict:
        """The model check as a sentence, with the change and the outcome it rests on."""
        self.reported_left -= 1
        self.shown[lever.key] = where
        return {
            "node": lever.node,
            "attribute": lever.attribute,
            "value": lever.value,
            "phrase": lever.phrase,
            "because": _because(outcome, self.result),
            "outcome": outcome,
            "text": _what_if_text(lever.phrase, outcome, self.result),
        }

    def reference(self, lever: _Lever, node: Any) -> dict:
        """A check already reported, cited at another failure it prevents too (no new re-run)."""
        where = self.shown[lever.key]
        return {
            "node": lever.node,
            "attribute": lever.attribute,
            "value": lever.value,
            "outcome": self.outcomes[lever.key],
            "prevents": node,
            "text": f"The model check under {where} above prevents this failure too.",
        }


def _what_if(result: DrillResult, node: Any, **attrs: float) -> dict:
    """Re-run the drill with ``node``'s attributes changed; the verdict and figures it ends with."""
    H = result.graph.copy()
    H.nodes[node].update(attrs)
    m = simulate(H, replace(result.scenario, graph=H)).metrics
    return {
        "verdict": m["verdict"],
        "service_level_min": m["service_level_min"],
        "resilience_loss": m["resilience_loss"],
        "secondary_failures": list(m["secondary_failures"]),
        "peak_token_multiplier": m["peak_token_multiplier"],
    }


def _because(outcome: dict, result: DrillResult) -> str:
    """Why a re-run does not end graceful: what still fails, or which limit it still misses, and
    whether the drill missed it already ('still') or only with the change ('now')."""
    G, m = result.graph, result.metrics
    if outcome["verdict"] == "cascade":
        failing = outcome["secondary_failures"]
        before = set(m["secondary_failures"])
        parts = []
        for adverb, nodes in (
            ("still", [v for v in failing if v in before]),
            ("now", [v for v in failing if v not in before]),
        ):
            if nodes:
                parts.append(f"{names_text(G, nodes)} {adverb} fail{'s' if len(nodes) == 1 else ''}")
        return " and ".join(parts)
    if outcome["verdict"] == "degraded":
        parts = []
        slo, level = m["slo"], outcome["service_level_min"]
        if level < slo:
            adverb = "still" if m["service_level_min"] < slo else "now"
            parts.append(f"service {adverb} falls to {pct_text(level)} against an SLO of {pct_text(slo)}")
        budget, peak = m["token_budget"], outcome["peak_token_multiplier"]
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
    return ""


def _what_if_text(change: str, outcome: dict, result: DrillResult) -> str:
    m = result.metrics
    unit = m["step_unit"]
    verdict = outcome["verdict"]
    ends = f"still ends {verdict.upper()}" if verdict == m["verdict"] else f"ends {verdict.upper()}"
    why = _because(outcome, result)
    n = len(outcome["secondary_failures"])
    figures = [
        f"lowest service {pct_text(outcome['service_level_min'])}",
        f"{steps_text(round(outcome['resilience_loss'], 1), unit)} of service lost",
        f"{n or 'no'} secondary failure{'s' if n != 1 else ''}",
    ]
    peaks = (m["peak_token_multiplier"], outcome["peak_token_multiplier"])
    # tokens, where they matter to this drill: a budget to hold, or a peak above baseline
    if peaks[1] is not None and (m["token_budget"] is not None or max(peaks) > 1.005):
        figures.append(f"tokens at most {multiple_text(peaks[1])} baseline")
    return (
        f"Model check: {change}, this drill {ends} (was {m['verdict']})"
        + (f", because {why}" if why else "")
        + f"; {', '.join(figures)}."
    )


def _sole_sources(result: DrillResult, node: Any, t: int) -> list[str]:
    """Inputs of ``node`` that came from a single supplier that was down before ``t``, and inputs
    whose every supplier was down: where a second source was missing. (Supply groups are named by
    their suppliers, not by the graph's internal group ids.)"""
    G = result.graph
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    groups: dict[str, list] = defaultdict(list)
    for u in G.predecessors(node):
        groups[str(edge_param(G, u, node, "group"))].append(u)
    lines = []
    window = slice(0, max(t, 1))
    for suppliers in groups.values():
        down = [u for u in suppliers if traj.output[window, index[u]].min() < 0.5]
        if not down or len(down) < len(suppliers):
            continue
        if len(suppliers) == 1:
            lines.append(f"It had a single source, {node_name(G, suppliers[0])}, and no second source.")
        else:
            lines.append(
                f"All {len(suppliers)} of its sources for one input ({names_text(G, suppliers)}) were "
                "down at once."
            )
    return lines


def sweep_outage(scenario: Scenario) -> dict:
    """The outage a weak-point sweep gives each node, as ``augur sweep`` gives it: ``start``,
    ``duration``, and ``text`` ('each node failed alone for 21 days from day 10, as the drilled
    outage')."""
    from augur.sweep import outage_window

    start, duration = outage_window(scenario)
    unit = scenario.step_unit
    first = min(scenario.shocks, key=lambda s: s.start, default=None)
    if first is None:
        how = "a tenth of the horizon in, for a quarter of it (this drill has no shock to copy)"
    elif first.duration is None:
        how = "from the drilled shock's start, for a quarter of the horizon (that shock never ends)"
    elif first.kind == "vendor_failure" and first.params.get("severity", 1.0) >= 1:
        how = "as the drilled outage"
    else:
        how = "in the window of the drilled shock"
    text = f"each node failed alone for {steps_text(duration, unit)} from {unit} {start}, {how}"
    return {"start": start, "duration": duration, "text": text}


def _weak_points(result: DrillResult, limit: int) -> list[dict]:
    """The criticality sweep around the shocked area: each nearby node failed alone with the outage
    ``augur sweep`` uses (:func:`sweep_outage`), worst first."""
    from augur.sweep import criticality

    G = result.graph
    scenario = result.scenario
    m = result.metrics
    seeds = [v for v in (*m["primary"], *m["secondary_failures"]) if v in G]
    # each target is one drill: keep the sweep to about SWEEP_CELLS node-steps of engine work
    limit = max(8, min(limit, SWEEP_CELLS // max(G.number_of_nodes() * scenario.steps, 1)))
    if G.number_of_nodes() <= limit:
        targets = list(G.nodes)
    else:
        # breadth-first from the shocked nodes, both directions: the area the drill touched
        seen = dict.fromkeys(seeds)
        frontier = list(seeds)
        while frontier and len(seen) < limit:
            nxt = []
            for v in frontier:
                for w in (*G.pred[v], *G.succ[v]):
                    if w not in seen and len(seen) < limit:
                        seen[w] = None
                        nxt.append(w)
            frontier = nxt
        targets = list(seen)[:limit]
    if not targets:
        return []
    outage = sweep_outage(scenario)
    rows = criticality(G, scenario, targets=targets)
    for row in rows:
        row["name"] = node_name(G, row["target"])
        row["start"], row["duration"] = outage["start"], outage["duration"]
    return rows


def _cascade_items(result: DrillResult, checks: _Checks) -> list[dict]:
    """One item per secondary failure, in the order they happened: what cut it and what was missing,
    with a model check: the best of the levers that fit the failed node and the input that cut it
    (a process's manual workaround only where nothing else ends the drill milder)."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    rank = VERDICT_RANK[m["verdict"]]
    primary = set(m["primary"])
    index = {v: i for i, v in enumerate(traj.nodes)}
    status = traj.status
    secondary = list(m["secondary_failures"])
    first_fail = {v: _first_index(status[:, index[v]] == Status.FAILED) for v in secondary}
    secondary.sort(key=lambda v: (first_fail[v], str(v)))
    items = []
    for node in secondary[:8]:
        col = index[node]
        t = first_fail[node]
        down = int(np.isin(status[:, col], (Status.FAILED, Status.RECOVERING)).sum())
        name = node_name(G, node)
        kind = G.nodes[node]["kind"]
        details = []
        cause = failure_cause(result, node, t)
        details.append(f"Cause: {cause_text(cause, G)}.")
        buffer = float(node_param(G, node, "buffer"))
        noun = _buffer_noun(G, node)
        if buffer <= 0 and _stock_needed(result, col, node) > 0:
            details.append(f"It had no {noun} to bridge a gap (buffer 0).")
        elif buffer > 0:
            empty = _first_index(traj.stock[:, col] <= 1e-9)
            if empty is not None:
                details.append(f"Its {steps_text(buffer, unit)} of {noun} ran out at {unit} {empty}.")
        details += _sole_sources(result, node, t)
        recovery = int(node_param(G, node, "recovery"))
        if recovery:
            details.append(
                f"Once its supply returned it stayed down {steps_text(recovery, unit)} more (recovery)."
            )
        levers: list[_Lever] = []
        if cause.reason == "overload":
            peak_load = float(traj.load[:, col].max())
            capacity = float(node_param(G, node, "capacity"))
            details.append(
                f"Demand on it peaked at {peak_load:.2f}× baseline against a capacity of {capacity:g}×."
            )
            value = round(peak_load * 1.05, 2)
            levers.append(
                _Lever(node, "capacity", value, f"with capacity for {value:.2f}× baseline at {name}")
            )
        levers += _levers_at(result, node)
        supplier = cause.weakest if cause.reason == "supply" else None
        if supplier is not None and supplier not in primary:
            levers += _levers_at(result, supplier)
        checked = []
        if checks.reported_left > 0:
            ranked = checks.ranked(levers)
            if kind == "process" and (not ranked or VERDICT_RANK[ranked[0][1]["verdict"]] >= rank):
                workaround = _buffer_lever(result, node)
                if workaround is not None:
                    ranked = checks.ranked([*(lv for lv, _ in ranked), workaround])
            best = ranked[0] if ranked else None
            if best is not None and best[0].key in checks.shown:
                lever, outcome = best
                if node not in outcome["secondary_failures"] and VERDICT_RANK[outcome["verdict"]] < rank:
                    # the best change is one a check above already made: say so rather than repeat it
                    checked.append(checks.reference(lever, node))
                    details.append(checked[-1]["text"])
                    best = None
                else:
                    best = next(((lv, o) for lv, o in ranked if lv.key not in checks.shown), None)
            if best is not None:
                checked.append(checks.report(*best, name))
                details.append(checked[-1]["text"])
        items.append(
            {
                "title": f"{name} failed at {unit} {t} and was down {steps_text(down, unit)}",
                "details": details,
                "checks": checked,
            }
        )
    if len(secondary) > 8:
        items.append(
            {
                "title": f"{len(secondary) - 8} more secondary failures",
                "details": ["All are listed in the metrics table and the event log."],
                "checks": [],
            }
        )
    return items


def _gap_item(result: DrillResult) -> dict | None:
    """How long the first shocked node that lost output delivered less than full: the gap to bridge."""
    traj, unit = result.trajectory, result.metrics["step_unit"]
    for node in result.metrics["primary"][:5]:
        if node not in traj.nodes:
            continue
        short = traj.output[:, traj.nodes.index(node)] < RECOVERED_LEVEL
        start = _first_index(short)
        if start is None:
            continue
        return {
            "title": f"The gap to bridge: {node_name(result.graph, node)} delivered less than full output "
            f"for {steps_text(int(short.sum()), unit)}",
            "details": [
                f"From {unit} {start}, counting the shock and the steps it took to recover. Whatever "
                "depends on it needs a buffer for that long (stock, a cache or a manual workaround: one "
                "step of buffer covers one step of total shortfall) or another source in the same group "
                "that can carry the load.",
            ],
            "checks": [],
        }
    return None


def _ai_items(result: DrillResult, checks: _Checks) -> list[dict]:
    """AI services that throttled, retried or lost confidence: a model check of the token limit each
    throttled one needed, and of the retry setting that best calms a retry storm."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    items = []
    for col, node in enumerate(traj.nodes):
        if G.nodes[node]["kind"] != "ai_service":
            continue
        name = node_name(G, node)
        details, checked = [], []
        throttled = int((traj.status[:, col] == Status.THROTTLED).sum())
        if throttled:
            at = int(np.argmax(traj.throttle_ratio[:, col]))
            ratio = float(traj.throttle_ratio[at, col])
            allowed = float(traj.tokens[at, col])  # a throttled service spends exactly its limit
            limit = node_param(G, node, "token_limit")
            cut = f" (its limit of {limit:,.0f} as cut by the drill's shock)" if allowed < limit - 0.5 else ""
            details.append(
                f"Throttled for {steps_text(throttled, unit)}: at {unit} {at} it wanted "
                f"{math.ceil(allowed * ratio):,} tokens against a limit of {allowed:,.0f}{cut}, "
                f"{ratio:.2f}× what it "
                "was allowed."
            )
            lever = _token_lever(result, node)
            outcome = checks.outcome(lever) if lever is not None and checks.reported_left > 0 else None
            if outcome is not None and lever.key not in checks.shown:
                checked.append(checks.report(lever, outcome, name))
                details.append(checked[-1]["text"])
        attempts = float(traj.attempts[:, col].max())
        if attempts > 1.05:
            at = int(np.argmax(traj.attempts[:, col]))
            retries = int(node_param(G, node, "max_retries"))
            details.append(
                f"Retries rose to {attempts:.2f} attempts per unit of work at {unit} {at} as its input "
                f"quality fell (max_retries {retries})."
            )
            if m["verdict"] != "graceful" and checks.reported_left > 0:
                own = _outcome_key(m)
                fresh = [
                    (lv, o)
                    for lv, o in checks.ranked(_retry_levers(result, node))
                    if lv.key not in checks.shown and _outcome_key(o) < own
                ]
                if fresh:
                    checked.append(checks.report(*fresh[0], name))
                    details.append(checked[-1]["text"])
        base_ci = traj.ci[0, col]
        if np.isfinite(base_ci) and base_ci > 0:
            widening = float(np.nanmax(traj.ci[:, col]) / base_ci)
            if widening > 1.05:
                details.append(f"Its confidence intervals widened to {widening:.2f}× their baseline width.")
        if details:
            items.append({"title": f"{name} (AI service)", "details": details, "checks": checked})
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
    return items


def _slo_items(result: DrillResult) -> list[dict]:
    """Business processes below the SLO at the worst step, and their weakest input then."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    index = {v: i for i, v in enumerate(traj.nodes)}
    worst = worst_step(result)
    before = max(worst - 1, 0)
    short = sorted(
        (v for v in service_nodes(G) if traj.output[worst, index[v]] < m["slo"]),
        key=lambda v: traj.output[worst, index[v]],
    )
    items = []
    for node in short[:5]:
        detail = f"At {unit} {worst} it met {traj.output[worst, index[node]]:.0%} of its demand"
        preds = list(G.predecessors(node))
        if preds:
            weakest = min(preds, key=lambda u: traj.output[before, index[u]])
            level = traj.output[before, index[weakest]]
            if level < RECOVERED_LEVEL:
                # what arrived at the worst step left the supplier a step before (more with lead time)
                detail += f"; its weakest input was {node_name(G, weakest)} at {level:.0%} the {unit} before"
        items.append(
            {"title": f"{node_name(G, node)} fell below the SLO", "details": [detail + "."], "checks": []}
        )
    return items


def _held(result: DrillResult) -> list[str]:
    """What protected the nodes that did not fail: a buffer drawn down (and how far), second sources
    that carried while another source was cut, with how far it was cut ('was down' only at zero)."""
    G, traj = result.graph, result.trajectory
    unit = result.metrics["step_unit"]
    index = {v: i for i, v in enumerate(traj.nodes)}
    failed = (traj.status == Status.FAILED).any(axis=0)
    lowest = traj.output.min(axis=0)
    lines = []
    for col, node in enumerate(traj.nodes):
        if failed[col]:
            continue
        name = node_name(G, node)
        buffer = float(node_param(G, node, "buffer"))
        low = float(traj.stock[:, col].min())
        if buffer > 0 and low < buffer - 1e-9:
            at = int(np.argmin(traj.stock[:, col]))
            noun = _buffer_noun(G, node)
            if low > 1e-9:
                lines.append(
                    f"{name} drew on its {noun}: down to {low:.1f} of {steps_text(buffer, unit)} "
                    f"at {unit} {at} ({low / buffer:.0%} left)."
                )
            else:  # it held on the buffer, then on what still arrived: say how far it sank
                after = "it then ran degraded" if lowest[col] < RECOVERED_LEVEL else "it kept going"
                lines.append(
                    f"{name} lived on its {steps_text(buffer, unit)} of {noun} until it ran out at "
                    f"{unit} {at}; {after} (lowest output {lowest[col]:.0%}) but never failed."
                )
        groups: dict[str, list] = defaultdict(list)
        for u in G.predecessors(node):
            groups[str(edge_param(G, u, node, "group"))].append(u)
        for suppliers in groups.values():
            cut = [u for u in suppliers if lowest[index[u]] < 0.5]
            if len(suppliers) > 1 and cut and len(cut) < len(suppliers):
                others = [u for u in suppliers if u not in cut]
                states = [
                    f"{node_name(G, u)} was down"
                    if lowest[index[u]] <= 1e-9
                    else f"{node_name(G, u)} was cut to {lowest[index[u]]:.0%}"
                    for u in cut
                ]
                if lowest[col] >= RECOVERED_LEVEL:
                    lines.append(f"{names_text(G, others)} kept {name} supplied while {join_text(states)}.")
                else:  # the other source was not enough on its own: say how far the node fell
                    lines.append(
                        f"{names_text(G, others)} kept {name} from failing while {join_text(states)}, though "
                        f"not whole: it fell to {lowest[col]:.0%}."
                    )
    return lines[:12]


_REMEMBERED: dict[tuple, Any] = {}


def _remembered(result: DrillResult, what: tuple, compute) -> Any:
    """``compute()`` once per result: a pack asks for the same re-runs from its page, its picture and
    its key finding. Kept while the result lives."""
    key = (id(result), *what)
    if key not in _REMEMBERED:
        _REMEMBERED[key] = compute()
        weakref.finalize(result, _REMEMBERED.pop, key, None)
    return _REMEMBERED[key]


def _items(result: DrillResult, what_ifs: int) -> list[dict]:
    """The findings' items, with their model checks (see :func:`findings`)."""
    m = result.metrics
    checks = _Checks(result, what_ifs)
    items = _cascade_items(result, checks)
    if items:
        gap = _gap_item(result)
        items = ([gap] if gap else []) + items
    items += _ai_items(result, checks)
    if not m["secondary_failures"] and m["service_level_min"] < m["slo"]:
        items += _slo_items(result)
    return items


def _why_degraded(result: DrillResult) -> str:
    """Why a drill that broke nothing beyond its shocks still ends degraded, in time order: the
    buffers that ran down before its worst step, when service dipped below the SLO and how low it
    went (at which process, short of which input), and the token budget it went over."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    worst = worst_step(result)
    parts = []
    emptied = []  # (step its stock was gone, node, buffer)
    for col, node in enumerate(traj.nodes):
        buffer = float(node_param(G, node, "buffer"))
        empty = _first_index(traj.stock[: worst + 1, col] <= 1e-9) if buffer > 0 else None
        if empty is not None:
            emptied.append((empty, node, buffer))
    emptied.sort(key=lambda e: (e[0], str(e[1])))
    if emptied:
        drawn = [
            f"the {steps_text(buffer, unit)} of {_buffer_noun(G, node)} at {node_name(G, node)}"
            + (" ran down" if i == 0 else "")
            + f" by {unit} {empty}"
            for i, (empty, node, buffer) in enumerate(emptied[:3])
        ]
        if len(emptied) > 3:
            drawn.append(f"{len(emptied) - 3} more buffers too")
        parts.append(join_text(drawn))
    slo, low = m["slo"], m["service_level_min"]
    if low < slo:
        below = _first_index(result.service_level < slo)
        # the first step at the low: the picture may show a later one where more of the graph hurt
        bottom = _first_index(result.service_level <= low + 1e-9)
        when = f"dipped below the {pct_text(slo)} SLO at {unit} {below}" + (
            f" and reached {pct_text(low)} by {unit} {bottom}" if bottom != below else f", to {pct_text(low)}"
        )
        # the lowest process then; among equals the one furthest upstream, where the dip began
        depth = _upstream_depth(G)
        service = set(service_nodes(G))
        short = [(i, v) for i, v in enumerate(traj.nodes) if v in service]
        col, node = min(short, key=lambda iv: (traj.output[worst, iv[0]], depth[iv[1]], str(iv[1])))
        where = f"{node_name(G, node)} met {traj.output[worst, col]:.0%} of its demand"
        preds = list(G.predecessors(node))
        if preds:
            index = {v: i for i, v in enumerate(traj.nodes)}
            before = max(worst - 1, 0)  # what it was sent that step (as _slo_items reads it)
            weakest = min(preds, key=lambda u: (traj.output[before, index[u]], str(u)))
            level = float(traj.output[before, index[weakest]])
            if level < RECOVERED_LEVEL:
                throttled = " (throttled)" if traj.status[before, index[weakest]] == Status.THROTTLED else ""
                where += (
                    f", its weakest input {node_name(G, weakest)}{throttled} at {level:.0%} the {unit} before"
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


def _upstream_depth(G: nx.DiGraph) -> dict:
    """Each node's topological generation (0 for nodes nothing supplies); all 0 in a graph with a
    cycle, where there is no upstream to speak of."""
    try:
        return {v: i for i, generation in enumerate(nx.topological_generations(G)) for v in generation}
    except nx.NetworkXUnfeasible:
        return dict.fromkeys(G, 0)


def key_finding(result: DrillResult) -> str | None:
    """The one line of the findings a picture has room for: the model check that ends the drill in
    the mildest verdict (with why it is not graceful, where it is not); else, for a degraded drill,
    why it is degraded (buffers that ran down, how far service dipped, the token budget), and for a
    drill that held, the closest call; else None."""
    found = findings(result, sweep=False)
    verdict = result.metrics["verdict"]
    rank = VERDICT_RANK[verdict]
    checks = [c for item in found["items"] for c in item["checks"] if "prevents" not in c]
    milder = [c for c in checks if VERDICT_RANK[c["outcome"]["verdict"]] < rank]
    if milder:
        best = min(milder, key=lambda c: _outcome_key(c["outcome"]))
        because = f", because {best['because']}" if best["because"] else ""
        return (
            f"What would fix it (a model check): {best['phrase']}, this drill ends "
            f"{best['outcome']['verdict'].upper()}{because}."
        )
    if verdict == "degraded":
        # Not "what held": the drill missed its SLO or budget, and a buffer that emptied did not hold.
        return _why_degraded(result)
    if found["held"] and verdict == "graceful":
        return f"What held: {found['held'][0]}"
    return None


def findings(result: DrillResult, *, sweep_limit: int = 40, what_ifs: int = 4, sweep: bool = True) -> dict:
    """What the model shows would fix this drill, derived from its record.

    Returns ``{"headline", "items", "held", "weak_points", "scope", "outage"}``: ``items`` are
    ``{"title", "details", "checks"}``: the gap the shock opened, each secondary failure (what cut it,
    no buffer, a single source, a long recovery), each AI service that throttled, retried or lost
    confidence, and the business processes that missed the SLO. Up to ``what_ifs`` of them carry a
    model check: a re-run of the drill with one change that fits the node's kind (a token limit or
    fewer retries for an AI service, stock for a vendor, cached results for a data feed, a manual
    workaround for a process only where nothing else helps), said in ``details`` ("Model check: with
    26 days of stock at Boardworks, this drill ends GRACEFUL ...", with why it is not graceful where it
    is not) and kept in ``checks`` as ``{node, attribute, value, outcome, text}``;
    ``held`` says what protected the graph (a buffer drawn down, second sources that carried);
    ``weak_points`` is the criticality sweep of up to ``sweep_limit`` nodes around the shocked area,
    each failed alone with the outage ``augur sweep`` uses (``outage`` says which), the ones that hurt,
    worst first; ``sweep=False`` leaves it out.
    """
    m = result.metrics
    items = copy.deepcopy(_remembered(result, ("items", what_ifs), lambda: _items(result, what_ifs)))
    weak = []
    if sweep:
        weak = copy.deepcopy(
            _remembered(result, ("sweep", sweep_limit), lambda: _weak_points(result, sweep_limit))
        )

    head = ""
    if m["hypothesis_held"] is False:
        head = f"The drill did not hold its hypothesis: expected {m['hypothesis']}, it ended {m['verdict']}. "
    n = len(m["secondary_failures"])
    if n:
        shocks = "shocks" if len(result.scenario.shocks) != 1 else "shock"
        head += (
            f"The {shocks} spread: {n} node{'s' if n != 1 else ''} failed that no shock touched. Each "
            "failure below says what cut it and what was missing; a model check re-runs the drill with one "
            "change."
        )
    elif m["verdict"] == "degraded":
        head += "Nothing failed beyond the shocked nodes, but the drill missed its SLO or token budget."
    else:
        head += (
            "Nothing failed beyond the shocked nodes and service held the SLO: this drill needs no fix. "
            "What protected it is listed below, with how close it came."
        )
    everything = len(weak) == result.graph.number_of_nodes()
    found = {
        "headline": head,
        "items": items,
        "held": _held(result),
        "weak_points": [row for row in weak if row["verdict"] != "graceful"][:6],
        "scope": f"all {len(weak)} nodes"
        if everything
        else f"the {len(weak)} nodes nearest the shocked ones",
        "outage": sweep_outage(result.scenario)["text"],
    }
    return found


# -- before and after ----------------------------------------------------------------------------------

# (metrics key, label, which way is better)
COMPARE_METRICS = (
    ("service_level_min", "Lowest service level", "higher"),
    ("time_to_survive", "Time to survive", "higher"),
    ("time_to_recover", "Time to recover", "lower"),
    ("resilience_loss", "Resilience loss", "lower"),
    ("secondary_failures", "Secondary failures", "lower"),
    ("cascade_depth", "Cascade depth", "lower"),
    ("peak_token_multiplier", "Peak tokens", "lower"),
    ("token_overrun", "Token overrun", "lower"),
    ("token_overrun_cost", f"Overrun {COST_LABEL}", "lower"),
    ("ci_widening_peak", "CI widening", "lower"),
)


def _compare_value(key: str, value: Any) -> float | None:
    """A metric as a number that orders outcomes (None where the metric does not apply)."""
    if key == "secondary_failures":
        return float(len(value))
    if key == "time_to_survive":
        return math.inf if value is None else float(value)  # never below the SLO: as good as it gets
    if key == "time_to_recover":
        return math.inf if value is None else float(value)  # not recovered in the horizon: the worst
    return None if value is None else float(value)


def _compare_text(key: str, value: Any, unit: str) -> str:
    if key == "service_level_min":
        return pct_text(value)
    if key == "time_to_survive":
        return steps_text(value, unit, none="never below SLO")
    if key == "time_to_recover":
        return steps_text(value, unit, none="not recovered")
    if key == "resilience_loss":
        return steps_text(round(value, 1), unit)
    if key == "secondary_failures":
        return f"{len(value):,}"
    if key == "cascade_depth":
        return f"{value} hop{'s' if value != 1 else ''}"
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return multiple_text(value)
    if key == "token_overrun_cost":
        return cost_text(value)
    return number_text(value)


def _delta_text(key: str, a: float | None, b: float | None, unit: str) -> str:
    if a is None or b is None:
        return ""
    if math.isinf(a) or math.isinf(b):
        if a == b:
            return "no change"
        if key == "time_to_survive":
            return "no longer breached" if math.isinf(b) else "now breached"
        return "not recovered now" if math.isinf(b) else "now recovers"
    d = b - a
    if abs(d) < 1e-9:
        return "no change"
    sign = "+" if d > 0 else "−"
    if key == "service_level_min":
        return f"{sign}{abs(d) * 100:.0f} pts"
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return f"{sign}{abs(d):.2f}×"
    if key in ("time_to_survive", "time_to_recover", "resilience_loss"):
        return f"{sign}{steps_text(round(abs(d), 1), unit)}"
    if key == "token_overrun_cost":
        return f"{sign}{cost_text(abs(d))}"
    return f"{sign}{number_text(abs(d))}"


def _shock_key(shock: Shock) -> str:
    return json.dumps(shock.to_dict(), sort_keys=True, default=str)


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value_text(value)
    return str(value)


def _kind_word(G: nx.DiGraph, node: Any) -> str:
    return G.nodes[node]["kind"].replace("_", " ").replace("ai ", "AI ")


def graph_diff(before: nx.DiGraph, after: nx.DiGraph, *, limit: int = 40) -> list[str]:
    """What changed between two graphs, in words a reviewer reads: nodes and edges added or removed,
    attribute values changed (defaults spelled out, so ``buffer 0 → 21``)."""
    lines: list[str] = []
    a_nodes, b_nodes = set(before.nodes), set(after.nodes)
    for node in sorted(b_nodes - a_nodes, key=str):
        lines.append(f"added {_kind_word(after, node)} {node_name(after, node)}")
    for node in sorted(a_nodes - b_nodes, key=str):
        lines.append(f"removed {_kind_word(before, node)} {node_name(before, node)}")
    for node in sorted(a_nodes & b_nodes, key=str):
        if before.nodes[node]["kind"] != after.nodes[node]["kind"]:
            lines.append(
                f"{node_name(after, node)}: kind {before.nodes[node]['kind']} → {after.nodes[node]['kind']}"
            )
        for name in NODE_ATTRIBUTES:
            x, y = node_param(before, node, name), node_param(after, node, name)
            if (x is None) != (y is None) or (x is not None and not math.isclose(float(x), float(y))):
                lines.append(f"{node_name(after, node)}: {name} {_value_text(x)} → {_value_text(y)}")
    a_edges, b_edges = set(before.edges), set(after.edges)

    def edge_words(G: nx.DiGraph, u: Any, v: Any) -> str:
        group = edge_param(G, u, v, "group")
        bits = [f"group '{group}'"] if group else []
        if edge_param(G, u, v, "weight") != 1:
            bits.append(f"weight {value_text(edge_param(G, u, v, 'weight'))}")
        if edge_param(G, u, v, "lead_time"):
            bits.append(f"lead time {edge_param(G, u, v, 'lead_time')}")
        return f"{node_name(G, u)} → {node_name(G, v)}" + (f" ({', '.join(bits)})" if bits else "")

    for u, v in sorted(b_edges - a_edges, key=lambda e: (str(e[0]), str(e[1]))):
        lines.append(f"new supply link {edge_words(after, u, v)}")
    for u, v in sorted(a_edges - b_edges, key=lambda e: (str(e[0]), str(e[1]))):
        lines.append(f"removed supply link {edge_words(before, u, v)}")
    for u, v in sorted(a_edges & b_edges, key=lambda e: (str(e[0]), str(e[1]))):
        for name in ("weight", "group", "lead_time"):
            x, y = edge_param(before, u, v, name), edge_param(after, u, v, name)
            if x != y:
                lines.append(
                    f"{node_name(after, u)} → {node_name(after, v)}: {name} {_value_text(x) or '(none)'} → "
                    f"{_value_text(y) or '(none)'}"
                )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... and {len(lines) - limit} more changes"]
    return lines


def compare_facts(before: DrillResult, after: DrillResult) -> dict:
    """Two drills side by side: KPI rows with the better side marked, an overall call, whether the
    shocks and settings match, and what changed in the graph.

    ``overall`` is ``better`` when the after drill's verdict is milder, or the same verdict with no
    figure worse and at least one better; ``worse`` the mirror image; ``mixed`` when figures pull both
    ways; ``same`` when nothing moved.
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, DrillResult):
            raise ReportError(f"expected a DrillResult for '{name}', got {type(value).__name__}")
    ma, mb = before.metrics, after.metrics
    unit = mb["step_unit"]
    if ma["step_unit"] != unit:
        raise ReportError(
            f"the before drill counts in {ma['step_unit']}s and the after drill in {unit}s: their "
            "figures and curves would not line up; compare drills whose steps stand for the same time"
        )
    if ma["steps"] != mb["steps"]:
        raise ReportError(
            f"the before drill runs {ma['steps']} {unit}s and the after drill {mb['steps']}: losses "
            "summed over different horizons do not compare; give both the same steps"
        )
    rows = []
    for key, label, better in COMPARE_METRICS:
        a, b = _compare_value(key, ma[key]), _compare_value(key, mb[key])
        if a is None and b is None:
            continue
        if a is None or b is None or a == b:
            direction = "same" if a == b else "n/a"
        else:
            improved = (b > a) if better == "higher" else (b < a)
            direction = "better" if improved else "worse"
        rows.append(
            {
                "key": key,
                "label": label,
                "better_when": better,
                "before": _compare_text(key, ma[key], ma["step_unit"]),
                "after": _compare_text(key, mb[key], unit),
                "delta": _delta_text(key, a, b, unit),
                "direction": direction,
            }
        )
    rank_a, rank_b = VERDICT_RANK[ma["verdict"]], VERDICT_RANK[mb["verdict"]]
    n_better = sum(r["direction"] == "better" for r in rows)
    n_worse = sum(r["direction"] == "worse" for r in rows)
    if rank_b < rank_a:
        overall = "better"
    elif rank_b > rank_a:
        overall = "worse"
    elif n_better and not n_worse:
        overall = "better"
    elif n_worse and not n_better:
        overall = "worse"
    elif n_better and n_worse:
        overall = "mixed"
    else:
        overall = "same"

    sa, sb = before.scenario, after.scenario
    keys_a, keys_b = [_shock_key(x) for x in sa.shocks], [_shock_key(x) for x in sb.shocks]
    same_shocks = sorted(keys_a) == sorted(keys_b)
    settings = []
    for attr, label in (
        ("steps", "horizon"),
        ("slo", "SLO"),
        ("token_budget", "token budget"),
        ("step_unit", "step unit"),
    ):
        x, y = getattr(sa, attr), getattr(sb, attr)
        if x != y:
            settings.append(f"{label}: {_value_text(x)} → {_value_text(y)}")
    same_graph = graph_hash(before.graph) == graph_hash(after.graph)
    sentence = {
        "better": "The after drill is better",
        "worse": "The after drill is worse",
        "mixed": "The after drill is better on some figures and worse on others",
        "same": "The two drills end the same",
    }[overall]
    sentence += f": {ma['verdict']} → {mb['verdict']}"
    loss_a, loss_b = ma["resilience_loss"], mb["resilience_loss"]
    sentence += (
        f", resilience loss {steps_text(round(loss_a, 1), unit)} → {steps_text(round(loss_b, 1), unit)}."
    )
    if not same_shocks:  # a milder shock is no mitigation: say so where the call is made
        sentence += " The shocks differ too, so part of this change is the shocks, not the drill's design."
    lines_a, lines_b = shock_sentences(sa, before.graph), shock_sentences(sb, after.graph)
    return {
        "rows": rows,
        "overall": overall,
        "sentence": sentence,
        "same_shocks": same_shocks,
        "shocks_before": lines_a,
        "shocks_after": lines_b,
        # the shocks in one drill only, as "when: what" lines
        "shock_changes": [
            f"{side} only, {line['when']}: {line['what']}"
            for side, keys, lines, other in (
                ("before", keys_a, lines_a, keys_b),
                ("after", keys_b, lines_b, keys_a),
            )
            for key, line in zip(keys, lines)
            if key not in other
        ],
        "settings": settings,
        "same_graph": same_graph,
        "graph_changes": [] if same_graph else graph_diff(before.graph, after.graph),
    }
