"""What would fix a drill: the levers that fit a node, and re-runs of the model with one changed.

A lever is one attribute of one node set to one value (26 days of stock at a board maker, a token
limit of 3,751 for a reviewer model); :func:`what_if` re-runs the drill with it, straight on the
engine and the metrics, and :class:`Checks` spends a budget of such re-runs, each at most once.
Plain data only: :mod:`augur.text` says what a lever and its outcome mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from augur.analysis.mitigate import batch_runner, least_change, rerun
from augur.engine.batch import Drill
from augur.graph import node_param
from augur.scenario import VERDICT_RANK

if TYPE_CHECKING:  # results are read duck-typed: analysis sits below augur.drill
    from augur.drill import DrillResult

__all__ = [
    "CHECK_CELLS",
    "CHECK_RUNS",
    "VERDICT_RANK",
    "Check",
    "Checks",
    "Lever",
    "Outcome",
    "buffer_lever",
    "least_stock",
    "levers_at",
    "outcome_key",
    "retry_levers",
    "stock_needed",
    "token_lever",
    "what_if",
]

CHECK_RUNS = 60  # re-runs of the drill the model checks of one pack may spend, at most
CHECK_CELLS = 2_500_000  # and node-steps of engine work they may spend (about half a second)


@dataclass(frozen=True)
class Lever:
    """One attribute of one node changed to one value.

    ``was`` is the value it had; for a token limit, ``wanted`` is what the service asked for at its
    peak after the drill's own cut of its limit (None where the drill did not cut it), and
    ``covering`` the limit that stops all throttling, where ``value`` is a lesser limit that ends the
    drill as mildly.
    """

    node: Any
    attribute: str
    value: float
    was: float | None = None
    wanted: int | None = None
    covering: float | None = None

    @property
    def key(self) -> tuple:
        return (self.node, self.attribute, self.value)


@dataclass(frozen=True)
class Outcome:
    """The figures a re-run of the drill ends with."""

    verdict: str
    service_level_min: float
    resilience_loss: float
    secondary_failures: tuple = ()
    peak_token_multiplier: float | None = None

    def __getitem__(self, key: str) -> Any:  # read like the metrics dict it summarises
        return getattr(self, key)


@dataclass(frozen=True)
class Check:
    """A model check a pack reports: the lever, what the re-run ended with, and the failure it is
    reported under (``where``); ``prevents`` is set where an earlier check is cited at another
    failure it prevents too, without a re-run."""

    lever: Lever
    outcome: Outcome
    where: Any
    prevents: Any = None


def outcome_key(outcome: Outcome | dict) -> tuple:
    """Orders outcomes, best first: milder verdict, fewer secondary failures, less service lost,
    fewer tokens at the peak."""
    return (
        VERDICT_RANK[outcome["verdict"]],
        len(outcome["secondary_failures"]),
        round(outcome["resilience_loss"], 6),
        round(outcome["peak_token_multiplier"] or 0.0, 6),
    )


def what_if(result: DrillResult, node: Any, **attrs: float) -> Outcome:
    """Re-run the drill with ``node``'s attributes changed (:func:`augur.analysis.mitigate.rerun`, the
    one re-run of a changed graph); the figures it ends with.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> from augur.drill import simulate
    >>> G = build_graph([("n", {"id": "v", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "v", "target": "shop"})])
    >>> s = parse_scenario({"name": "s", "steps": 12, "shocks": [
    ...     {"kind": "vendor_failure", "target": "v", "start": 3, "duration": 2}]}, graph=G)
    >>> what_if(simulate(G, s), "shop", buffer=2).verdict
    'graceful'
    """
    m = rerun(result.graph, result.scenario, {name: {node: value} for name, value in attrs.items()})
    return Outcome(
        m["verdict"],
        m["service_level_min"],
        m["resilience_loss"],
        tuple(m["secondary_failures"]),
        m["peak_token_multiplier"],
    )


def stock_needed(result: DrillResult, node: Any) -> float:
    """The buffer that would have covered every shortfall of ``node``'s supply in this drill: the sum
    of ``1 - a / min_supply`` over its short steps (one unit covers one step of total shortfall)."""
    supply = result.trajectory.supply[:, result.trajectory.nodes.index(node)]
    need = node_param(result.graph, node, "min_supply")
    return float((1.0 - np.minimum(supply / need, 1.0)).sum())


def buffer_lever(result: DrillResult, node: Any) -> Lever | None:
    """The least whole buffer that does what covering ``node``'s whole shortfall in this drill does,
    where it had less (:func:`least_stock`)."""
    needed = stock_needed(result, node)
    had = float(node_param(result.graph, node, "buffer"))
    if needed <= 0.5 or had >= needed:
        return None
    return Lever(node, "buffer", least_stock(result, node, float(math.ceil(needed))), was=had)


# A graph small enough that the bisection of least_stock (about 16 batched re-runs) fits many times
# in the checks' budget of engine work; on a larger one the covering stock is offered as it is.
LEAST_STOCK_CELLS = CHECK_CELLS // 16


def least_stock(result: DrillResult, node: Any, covering: float) -> float:
    """The least whole stock at ``node`` that ends the drill as mildly as ``covering`` (the stock that
    covers its every shortfall) does: found by the mitigation finder's bisection, so a check says 17
    days where rounding the shortfall up says 18 (:func:`least_setting`)."""
    return least_setting(result, node, "buffer", covering)


def least_setting(result: DrillResult, node: Any, attribute: str, covering: float) -> float:
    """The least value of ``attribute`` at ``node``, from today's towards ``covering`` (the value that
    covers the whole need), that ends the drill as mildly as ``covering`` does: the mitigation finder's
    search, so the pack's check and ``augur mitigate`` name the same least change. ``covering`` where
    it ends the drill no milder than it is, or the graph is too large to search
    (:data:`LEAST_STOCK_CELLS`)."""
    G, scenario = result.graph, result.scenario
    if G.number_of_nodes() * scenario.steps > LEAST_STOCK_CELLS:
        return covering
    run = batch_runner(G, scenario)
    reached = run([Drill(scenario.shocks, {attribute: {node: covering}})])[0]["verdict"]
    if VERDICT_RANK[reached] >= VERDICT_RANK[result.metrics["verdict"]]:
        return covering
    least = least_change(G, scenario, attribute, node, upto=covering, goal=reached, run=run)
    return covering if least is None else least


def token_lever(result: DrillResult, node: Any) -> Lever | None:
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
    wanted = math.ceil(allowed * ratio) if allowed < limit - 0.5 else None
    least = least_setting(result, node, "token_limit", float(needed))
    return Lever(node, "token_limit", least, was=float(limit), wanted=wanted, covering=float(needed))


def retry_levers(result: DrillResult, node: Any) -> list[Lever]:
    """Fewer retries, or retries less eager as input quality falls: the levers on a retry storm, the
    smallest change first."""
    G = result.graph
    col = result.trajectory.nodes.index(node)
    if float(result.trajectory.attempts[:, col].max()) <= 1.05:
        return []
    retries = int(node_param(G, node, "max_retries"))
    levers = [
        Lever(node, "max_retries", k, was=retries)
        for k in sorted({retries - 1, retries // 2, 1, 0}, reverse=True)
        if 0 <= k < retries
    ]
    sensitivity = float(node_param(G, node, "retry_sensitivity"))
    for factor in (0.75, 0.5, 0.25):
        value = round(sensitivity * factor, 2)
        if 0 < value < sensitivity:
            levers.append(Lever(node, "retry_sensitivity", value, was=sensitivity))
    return levers


def levers_at(result: DrillResult, node: Any) -> list[Lever]:
    """The changes at ``node`` that fit its kind: for an AI service its token limit and retries, then
    a cache; a buffer for vendors, logistics and data feeds. (A process's workaround is offered only
    where nothing else helps: see :mod:`augur.analysis.findings`.)"""
    kind = result.graph.nodes[node]["kind"]
    levers: list[Lever | None] = []
    if kind == "ai_service":
        levers += [token_lever(result, node), *retry_levers(result, node)]
    if kind != "process":
        levers.append(buffer_lever(result, node))
    return [lever for lever in levers if lever is not None]


@dataclass
class Checks:
    """Re-runs of the drill with one change each: each run once, within a budget of runs, and at
    most ``reported_left`` of them reported."""

    result: DrillResult
    reported_left: int
    runs_left: int = field(init=False)
    outcomes: dict[tuple, Outcome] = field(default_factory=dict, init=False)
    shown: dict[tuple, Any] = field(default_factory=dict, init=False)  # lever key -> where reported

    def __post_init__(self) -> None:
        cells = self.result.graph.number_of_nodes() * self.result.scenario.steps
        self.runs_left = min(CHECK_RUNS, max(6, CHECK_CELLS // max(cells, 1)))

    def outcome(self, lever: Lever) -> Outcome | None:
        if lever.key not in self.outcomes:
            if self.runs_left <= 0:
                return None
            self.runs_left -= 1
            self.outcomes[lever.key] = what_if(self.result, lever.node, **{lever.attribute: lever.value})
        return self.outcomes[lever.key]

    def ranked(self, levers: list[Lever]) -> list[tuple[Lever, Outcome]]:
        """The levers that could be re-run, best outcome first (the earlier lever among equals)."""
        scored = [(lever, self.outcome(lever)) for lever in levers]
        return sorted(((lv, o) for lv, o in scored if o is not None), key=lambda lo: outcome_key(lo[1]))

    def report(self, lever: Lever, outcome: Outcome, where: Any) -> Check:
        """Report a check under the failure (or service) ``where``."""
        self.reported_left -= 1
        self.shown[lever.key] = where
        return Check(lever, outcome, where)

    def reference(self, lever: Lever, node: Any) -> Check:
        """A check already reported, cited at another failure it prevents too (no new re-run)."""
        return Check(lever, self.outcomes[lever.key], self.shown[lever.key], prevents=node)
