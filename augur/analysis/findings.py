"""What the review pack tells about a drill, as data: each secondary failure and what was missing,
the gap the shock opened, the AI services that throttled or retried, the processes below the SLO,
what held, and why a drill that broke nothing is still degraded. Each comes with the model checks
(:mod:`augur.analysis.levers`) that fit it, chosen within one budget of re-runs.

:func:`augur.text.findings.findings` words these; nothing here is a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from augur.analysis.causes import Cause, failure_cause
from augur.analysis.levers import (
    VERDICT_RANK,
    Check,
    Checks,
    Lever,
    buffer_lever,
    levers_at,
    outcome_key,
    retry_levers,
    stock_needed,
    token_lever,
)
from augur.engine import Status
from augur.graph import input_groups, node_param
from augur.metrics import RECOVERED_LEVEL, service_nodes

if TYPE_CHECKING:  # results are read duck-typed: analysis sits below augur.drill
    from augur.drill import DrillResult

__all__ = [
    "AiStory",
    "BufferDrawn",
    "Degraded",
    "FailureStory",
    "Findings",
    "Gap",
    "SecondSource",
    "SloShort",
    "find",
    "worst_step",
]

STORIES = 8  # secondary failures told one by one; the rest are counted


def _first_index(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def worst_step(result: DrillResult) -> int:
    """The step of lowest service level; among equal lows, the one with most nodes not ok, then the
    earliest. (So a drill whose service never moved shows the step where most of the graph hurt.)"""
    level = result.service_level
    not_ok = (result.trajectory.status != Status.OK).sum(axis=1)
    candidates = np.flatnonzero(level <= level.min() + 1e-9)
    return int(candidates[int(np.argmax(not_ok[candidates]))])


@dataclass(frozen=True)
class FailureStory:
    """One secondary failure: when, for how long, its cause, and what was missing. ``stock_empty`` is
    the step its buffer ran out (where it had one); ``no_buffer`` says it had none though a buffer
    would have bridged a gap; ``sole_sources`` are its inputs whose every supplier was down (one
    supplier: a single source); ``peak_load`` is set where more demand than its capacity failed it."""

    node: Any
    t: int
    down: int
    cause: Cause
    buffer: float
    no_buffer: bool
    stock_empty: int | None
    sole_sources: tuple[tuple, ...]
    recovery: int
    peak_load: float | None
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Gap:
    """How long the first shocked node that lost output delivered less than full, from ``start``."""

    node: Any
    start: int
    steps: int


@dataclass(frozen=True)
class AiStory:
    """An AI service that throttled (``throttled`` steps; at ``at`` it wanted ``ratio`` times the
    ``allowed`` tokens, its ``limit`` as the drill cut it), retried (``attempts`` per unit of work at
    ``attempts_at``) or lost confidence (``widening`` of its interval), with its checks."""

    node: Any
    throttled: int
    at: int
    ratio: float
    allowed: float
    limit: float
    attempts: float
    attempts_at: int
    retries: int
    widening: float | None
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class SloShort:
    """A business process below the SLO at the worst step ``t``: the share of demand it ``met``, and
    its weakest input the step before where that was short (``weakest``, ``level``)."""

    node: Any
    t: int
    met: float
    weakest: Any = None
    level: float | None = None


@dataclass(frozen=True)
class BufferDrawn:
    """A node that did not fail and drew on its buffer: down to ``low`` of ``buffer`` at ``at``;
    ``lowest`` is its lowest output."""

    node: Any
    buffer: float
    low: float
    at: int
    lowest: float


@dataclass(frozen=True)
class SecondSource:
    """Suppliers (``others``) that kept ``node`` from failing while ``cut`` ones fell, as
    ``(supplier, lowest output)``; ``lowest`` is how far the node itself fell."""

    node: Any
    others: tuple
    cut: tuple[tuple[Any, float], ...]
    lowest: float


@dataclass(frozen=True)
class Degraded:
    """Why a drill that broke nothing beyond its shocks still ends degraded: the buffers that ran
    down before its worst step as ``(step, node, buffer)``; when service dipped below the SLO
    (``below``) and first reached its low (``bottom``); the lowest process at the worst step and its
    weakest input then (``weakest_throttled`` where that input was throttled)."""

    emptied: tuple[tuple[int, Any, float], ...]
    below: int | None
    bottom: int | None
    lowest_node: Any = None
    lowest_met: float | None = None
    weakest: Any = None
    weakest_level: float | None = None
    weakest_throttled: bool = False


@dataclass(frozen=True)
class Findings:
    """Everything the pack's "what would fix it" tells, as data (see the module docstring)."""

    failures: tuple[FailureStory, ...]
    more_failures: int
    gap: Gap | None
    ai: tuple[AiStory, ...]
    slo_short: tuple[SloShort, ...]
    held: tuple[BufferDrawn | SecondSource, ...]
    degraded: Degraded | None

    @property
    def checks(self) -> list[Check]:
        """The model checks reported, in the order told (citations of an earlier one left out)."""
        stories = (*self.failures, *self.ai)
        return [c for s in stories for c in s.checks if c.prevents is None]

    def best_check(self, verdict: str) -> Check | None:
        """The reported check that ends the drill in the mildest verdict, milder than ``verdict``."""
        milder = [c for c in self.checks if VERDICT_RANK[c.outcome.verdict] < VERDICT_RANK[verdict]]
        return min(milder, key=lambda c: outcome_key(c.outcome)) if milder else None


def _sole_sources(result: DrillResult, node: Any, t: int) -> tuple[tuple, ...]:
    """Inputs of ``node`` whose every supplier was down before ``t`` (one supplier: a single source)."""
    G, traj = result.graph, result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    groups = input_groups(G, node)
    window = slice(0, max(t, 1))
    return tuple(
        tuple(suppliers)
        for suppliers in groups.values()
        if all(traj.output[window, index[u]].min() < 0.5 for u in suppliers)
    )


def _choose(checks: Checks, result: DrillResult, node: Any, levers: list[Lever], rank: int) -> list[Check]:
    """The model check told at a failure: the best of ``levers``, a process's workaround only where
    nothing else ends the drill milder, and a citation where the best was reported above."""
    if checks.reported_left <= 0:
        return []
    ranked = checks.ranked(levers)
    if result.graph.nodes[node]["kind"] == "process" and (
        not ranked or VERDICT_RANK[ranked[0][1].verdict] >= rank
    ):
        workaround = buffer_lever(result, node)
        if workaround is not None:
            ranked = checks.ranked([*(lv for lv, _ in ranked), workaround])
    best = ranked[0] if ranked else None
    told = []
    if best is not None and best[0].key in checks.shown:
        lever, outcome = best
        if node not in outcome.secondary_failures and VERDICT_RANK[outcome.verdict] < rank:
            told.append(checks.reference(lever, node))  # say so rather than repeat it
            best = None
        else:
            best = next(((lv, o) for lv, o in ranked if lv.key not in checks.shown), None)
    if best is not None:
        told.append(checks.report(*best, node))
    return told


def _failures(result: DrillResult, checks: Checks) -> tuple[list[FailureStory], int]:
    """One story per secondary failure, in the order they happened (the first :data:`STORIES`)."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    rank = VERDICT_RANK[m["verdict"]]
    primary = set(m["primary"])
    index = {v: i for i, v in enumerate(traj.nodes)}
    status = traj.status
    secondary = list(m["secondary_failures"])
    first_fail = {v: _first_index(status[:, index[v]] == Status.FAILED) for v in secondary}
    secondary.sort(key=lambda v: (first_fail[v], str(v)))
    stories = []
    for node in secondary[:STORIES]:
        col, t = index[node], first_fail[node]
        cause = failure_cause(result, node, t)
        buffer = float(node_param(G, node, "buffer"))
        levers: list[Lever] = []
        peak_load = None
        if cause.reason == "overload":
            peak_load = float(traj.load[:, col].max())
            levers.append(Lever(node, "capacity", round(peak_load * 1.05, 2), was=cause.capacity))
        levers += levers_at(result, node)
        supplier = cause.weakest if cause.reason == "supply" else None
        if supplier is not None and supplier not in primary:
            levers += levers_at(result, supplier)
        stories.append(
            FailureStory(
                node=node,
                t=t,
                down=int(np.isin(status[:, col], (Status.FAILED, Status.RECOVERING)).sum()),
                cause=cause,
                buffer=buffer,
                no_buffer=buffer <= 0 and stock_needed(result, node) > 0,
                stock_empty=_first_index(traj.stock[:, col] <= 1e-9) if buffer > 0 else None,
                sole_sources=_sole_sources(result, node, t),
                recovery=int(node_param(G, node, "recovery")),
                peak_load=peak_load,
                checks=tuple(_choose(checks, result, node, levers, rank)),
            )
        )
    return stories, max(len(secondary) - STORIES, 0)


def _gap(result: DrillResult) -> Gap | None:
    traj = result.trajectory
    for node in result.metrics["primary"][:5]:
        if node not in traj.nodes:
            continue
        short = traj.output[:, traj.nodes.index(node)] < RECOVERED_LEVEL
        start = _first_index(short)
        if start is not None:
            return Gap(node, start, int(short.sum()))
    return None


def _ai(result: DrillResult, checks: Checks) -> list[AiStory]:
    """AI services that throttled, retried or lost confidence, with the check of the token limit
    each throttled one needed and of the retry setting that best calms a retry storm."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    stories = []
    for col, node in enumerate(traj.nodes):
        if G.nodes[node]["kind"] != "ai_service":
            continue
        told: list[Check] = []
        throttled = int((traj.status[:, col] == Status.THROTTLED).sum())
        at = int(np.argmax(traj.throttle_ratio[:, col]))
        if throttled:
            lever = token_lever(result, node)
            outcome = checks.outcome(lever) if lever is not None and checks.reported_left > 0 else None
            if outcome is not None and lever.key not in checks.shown:
                told.append(checks.report(lever, outcome, node))
        attempts = float(traj.attempts[:, col].max())
        if attempts > 1.05 and m["verdict"] != "graceful" and checks.reported_left > 0:
            own = outcome_key(m)
            fresh = [
                (lv, o)
                for lv, o in checks.ranked(retry_levers(result, node))
                if lv.key not in checks.shown and outcome_key(o) < own
            ]
            if fresh:
                told.append(checks.report(*fresh[0], node))
        base_ci = traj.ci[0, col]
        widening = None
        if np.isfinite(base_ci) and base_ci > 0:
            widening = float(np.nanmax(traj.ci[:, col]) / base_ci)
        if throttled or attempts > 1.05 or (widening is not None and widening > 1.05):
            stories.append(
                AiStory(
                    node=node,
                    throttled=throttled,
                    at=at,
                    ratio=float(traj.throttle_ratio[at, col]),
                    allowed=float(traj.tokens[at, col]),  # a throttled service spends exactly its limit
                    limit=float(node_param(G, node, "token_limit") or 0.0),
                    attempts=attempts,
                    attempts_at=int(np.argmax(traj.attempts[:, col])),
                    retries=int(node_param(G, node, "max_retries")),
                    widening=widening,
                    checks=tuple(told),
                )
            )
    return stories


def _weakest_before(result: DrillResult, node: Any, t: int) -> tuple[Any, float] | None:
    """The input of ``node`` that sent least the step before ``t``, where it sent less than full."""
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    preds = list(result.graph.predecessors(node))
    if not preds:
        return None
    before = max(t - 1, 0)  # what arrived at t left the supplier a step before (more with lead time)
    weakest = min(preds, key=lambda u: (traj.output[before, index[u]], str(u)))
    level = float(traj.output[before, index[weakest]])
    return (weakest, level) if level < RECOVERED_LEVEL else None


def _slo_short(result: DrillResult) -> list[SloShort]:
    traj, m = result.trajectory, result.metrics
    index = {v: i for i, v in enumerate(traj.nodes)}
    worst = worst_step(result)
    short = sorted(
        (v for v in service_nodes(result.graph) if traj.output[worst, index[v]] < m["slo"]),
        key=lambda v: traj.output[worst, index[v]],
    )
    out = []
    for node in short[:5]:
        weak = _weakest_before(result, node, worst)
        out.append(SloShort(node, worst, float(traj.output[worst, index[node]]), *(weak or (None, None))))
    return out


def _held(result: DrillResult) -> list[BufferDrawn | SecondSource]:
    """What protected the nodes that did not fail: a buffer drawn down, second sources that carried
    while another source was cut."""
    G, traj = result.graph, result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    failed = (traj.status == Status.FAILED).any(axis=0)
    lowest = traj.output.min(axis=0)
    found: list[BufferDrawn | SecondSource] = []
    for col, node in enumerate(traj.nodes):
        if failed[col]:
            continue
        buffer = float(node_param(G, node, "buffer"))
        low = float(traj.stock[:, col].min())
        if buffer > 0 and low < buffer - 1e-9:
            at = int(np.argmin(traj.stock[:, col]))
            found.append(BufferDrawn(node, buffer, low, at, float(lowest[col])))
        for suppliers in input_groups(G, node).values():
            cut = [u for u in suppliers if lowest[index[u]] < 0.5]
            if len(suppliers) > 1 and cut and len(cut) < len(suppliers):
                others = tuple(u for u in suppliers if u not in cut)
                cuts = tuple((u, float(lowest[index[u]])) for u in cut)
                found.append(SecondSource(node, others, cuts, float(lowest[col])))
    return found[:12]


def _upstream_depth(G: nx.DiGraph) -> dict:
    """Each node's topological generation (0 for nodes nothing supplies); all 0 in a graph with a
    cycle, where there is no upstream to speak of."""
    try:
        return {v: i for i, generation in enumerate(nx.topological_generations(G)) for v in generation}
    except nx.NetworkXUnfeasible:
        return dict.fromkeys(G, 0)


def _degraded(result: DrillResult) -> Degraded:
    G, traj, m = result.graph, result.trajectory, result.metrics
    worst = worst_step(result)
    emptied = []
    for col, node in enumerate(traj.nodes):
        buffer = float(node_param(G, node, "buffer"))
        empty = _first_index(traj.stock[: worst + 1, col] <= 1e-9) if buffer > 0 else None
        if empty is not None:
            emptied.append((empty, node, buffer))
    emptied.sort(key=lambda e: (e[0], str(e[1])))
    slo, low = m["slo"], m["service_level_min"]
    if low >= slo:
        return Degraded(tuple(emptied), None, None)
    below = _first_index(result.service_level < slo)
    # the first step at the low: the picture may show a later one where more of the graph hurt
    bottom = _first_index(result.service_level <= low + 1e-9)
    # the lowest process then; among equals the one furthest upstream, where the dip began
    depth = _upstream_depth(G)
    service = set(service_nodes(G))
    short = [(i, v) for i, v in enumerate(traj.nodes) if v in service]
    col, node = min(short, key=lambda iv: (traj.output[worst, iv[0]], depth[iv[1]], str(iv[1])))
    weak = _weakest_before(result, node, worst)
    throttled = False
    if weak is not None:
        before = max(worst - 1, 0)
        throttled = bool(traj.status[before, traj.nodes.index(weak[0])] == Status.THROTTLED)
    return Degraded(
        tuple(emptied),
        below,
        bottom,
        node,
        float(traj.output[worst, col]),
        *(weak or (None, None)),
        weakest_throttled=throttled,
    )


def find(result: DrillResult, *, what_ifs: int = 4) -> Findings:
    """The pack's findings for ``result``, with up to ``what_ifs`` model checks reported."""
    m = result.metrics
    checks = Checks(result, what_ifs)
    failures, more = _failures(result, checks)
    ai = _ai(result, checks)
    below_slo = not m["secondary_failures"] and m["service_level_min"] < m["slo"]
    return Findings(
        failures=tuple(failures),
        more_failures=more,
        gap=_gap(result) if failures else None,
        ai=tuple(ai),
        slo_short=tuple(_slo_short(result)) if below_slo else (),
        held=tuple(_held(result)),
        degraded=_degraded(result) if m["verdict"] == "degraded" else None,
    )
