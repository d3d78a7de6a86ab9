"""The least single change that makes a drill graceful: a mitigation finder.

A lever is one attribute of one node (:data:`LEVERS`): more ``buffer``, ``capacity`` or ``token_limit``,
less ``min_supply`` (second-source headroom) or ``recovery``. For every lever that could matter in a
drill (read from the drill's own trajectory: where supply fell short, load passed capacity, a service
was throttled, a node stayed down), the finder searches the least change, in the lever's unit (whole
steps of stock, 0.01 of headroom or capacity, one token, one step of recovery), that brings the drill's
verdict to the goal. The search runs many candidate values of many levers as one batch per round
through the ``run`` it is given (the runner of :mod:`augur.sweep`), and each answer is then confirmed
by a plain single re-run of the drill on the graph with that change, beside the value one unit short.

Where a lever is monotone (a larger change never makes the verdict worse) a k-ary bisection finds the
exact boundary; where it need not be (a drill with a token budget: more output can mean more tokens
spent) the lever's range is scanned whole when short, else on a grid whose gap before the first passing
value is then searched (``grid+bisection``: a pass between two failing grid points can be missed).
"""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from augur.engine import Status, run_drill
from augur.engine.batch import Drill
from augur.errors import ScenarioError
from augur.graph import NODE_ATTRIBUTES, nearest_node_hint, node_named, node_param
from augur.metrics import drill_metrics
from augur.scenario import DEFAULT_GOAL, VERDICT_RANK, VERDICTS, Scenario

__all__ = [
    "LEVERS",
    "Lever",
    "MitigationResult",
    "batch_runner",
    "find_fixes",
    "goal_verdict",
    "least_change",
    "lever_monotone",
    "rerun",
    "rerun_each",
]

Run = Callable[[Sequence[Drill]], list]
PROBES = 7  # values tried per lever per round: each round narrows a bisection eightfold
SCAN_POINTS = 64  # a non-monotone lever's range is scanned whole up to this many values, else on a grid


@dataclass(frozen=True)
class Lever:
    """An attribute the finder may change: the better direction (+1: more helps) and its unit."""

    name: str
    direction: int
    unit: float
    integer: bool

    def value(self, current: float, k: int) -> float:
        """The value ``k`` units better than ``current`` (whole levers count from a whole value)."""
        if self.integer:
            base = math.floor(current) if self.direction > 0 else math.ceil(current)
            return float(base + self.direction * k)
        return round(current + self.direction * k * self.unit, 10)

    def steps_to(self, current: float, value: float) -> int:
        """How many units from ``current`` to ``value`` (the inverse of :meth:`value`)."""
        if self.integer:
            base = math.floor(current) if self.direction > 0 else math.ceil(current)
            return round((value - base) * self.direction)
        return round((value - current) * self.direction / self.unit)


LEVERS: dict[str, Lever] = {
    "buffer": Lever("buffer", +1, 1.0, True),
    "min_supply": Lever("min_supply", -1, 0.01, False),
    "capacity": Lever("capacity", +1, 0.01, False),
    "token_limit": Lever("token_limit", +1, 1.0, True),
    "recovery": Lever("recovery", -1, 1.0, True),
}


def goal_verdict(scenario: Scenario, goal: str = DEFAULT_GOAL) -> str:
    """The verdict a fix must reach: ``graceful``, ``degraded``, or ``hypothesis`` (the scenario's).

    >>> from augur.scenario import Scenario
    >>> goal_verdict(Scenario("s", (), hypothesis="degraded"), "hypothesis")
    'degraded'
    """
    if goal == "hypothesis":
        if scenario.hypothesis is None:
            raise ValueError("the scenario states no hypothesis to meet")
        return scenario.hypothesis
    if goal not in VERDICTS:
        raise ValueError(f"expected a goal of graceful, degraded or hypothesis, got {goal!r}")
    return goal


def lever_monotone(G: nx.DiGraph, scenario: Scenario) -> bool:
    """Whether every lever is monotone in this drill: yes unless a token budget is set on a graph with
    AI services, where more output upstream can mean more tokens spent (over budget: degraded)."""
    has_ai = any(d["kind"] == "ai_service" for _, d in G.nodes(data=True))
    return not (scenario.token_budget is not None and has_ai)


@dataclass
class _Search:
    """The search for one lever at one node: ``k`` units of change; 0 fails (the drill as it is)."""

    lever: Lever
    node: Any
    current: float
    kmax: int
    monotone: bool
    lo: int = 0  # the largest change known to fail
    hi: int | None = None  # the smallest change known to pass
    outcomes: dict = field(default_factory=dict)
    started: bool = False
    done: bool = False

    def probes(self) -> list[int]:
        if not self.started:
            if self.monotone:  # the far end (can the lever help at all?) and a first narrowing
                ks = {round(self.kmax * j / (PROBES + 1)) for j in range(1, PROBES + 1)}
                return sorted(k for k in ks | {self.kmax} if k >= 1)
            if self.kmax <= SCAN_POINTS:
                return list(range(1, self.kmax + 1))
            grid = np.unique(np.linspace(1, self.kmax, SCAN_POINTS // 2 + 1).round().astype(int))
            return grid.tolist()
        gap = self.hi - self.lo
        if gap <= SCAN_POINTS and not self.monotone:
            return list(range(self.lo + 1, self.hi))
        ks = {self.lo + round(gap * j / (PROBES + 1)) for j in range(1, PROBES + 1)}
        return sorted(k for k in ks if self.lo < k < self.hi)

    def update(self, results: Mapping[int, bool]) -> None:
        passing = sorted(k for k, ok in results.items() if ok)
        if not self.started:
            self.started = True
            if not passing:
                self.done = True
                return
            self.hi = passing[0]
            failing = [k for k, ok in results.items() if not ok and k < self.hi]
            self.lo = max(failing, default=0)
        else:
            if passing:
                self.hi = min(self.hi, passing[0])
            failing = [k for k, ok in results.items() if not ok and k < self.hi]
            self.lo = max([self.lo, *failing])
        self.done = self.hi - self.lo <= 1


@dataclass(frozen=True)
class MitigationResult:
    """The least single fixes of one drill, and the levers that cannot help, with why.

    ``fixes`` rows: ``lever, node, from, to, short, verdict, resilience_loss, method, confirmed``
    (``short`` the value one unit short of ``to`` that the check re-ran, None where that is today's
    value); ``method``
    is ``bisection``, ``scan`` (every value tried up to the first that passes) or ``grid+bisection`` (a
    range too long to scan: a grid, then the gap before its first pass narrowed) and ``confirmed``
    says the single re-run at ``to`` reached the goal and the one a unit short did not.
    ``cannot_help`` rows: ``lever, node, reason`` and data for the sentence (for stock at a vendor that
    fails, its ``dependents``, the ones a confirmed fix puts stock at, ``helped_by``, and
    ``none_enough`` where stock at each was tried and none reached ``goal``; ``tried`` and ``verdict``
    for a lever that is not enough on its own, with the ``slo`` and ``token_budget`` it missed, and
    ``holds`` and ``within`` where the two pull apart). ``hypothesis`` is true where ``goal`` is the drill's
    own hypothesis (asked as ``goal="hypothesis"``).
    """

    verdict: str
    goal: str
    fixes: list
    cannot_help: list
    monotone: bool
    drills_run: int
    hypothesis: bool = False

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "goal": self.goal,
            "hypothesis": self.hypothesis,
            "monotone": self.monotone,
            "drills_run": self.drills_run,
            "fixes": self.fixes,
            "cannot_help": self.cannot_help,
        }

    def to_frame(self):
        """One row per fix: ``lever, node, from, to, verdict, resilience_loss, method, confirmed``."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        columns = ["lever", "node", "from", "to", "verdict", "resilience_loss", "method", "confirmed"]
        return pd.DataFrame([{k: f[k] for k in columns} for f in self.fixes], columns=columns)


def _vendor_failures(scenario: Scenario) -> dict:
    """Each node a vendor_failure hits, with the strongest severity it suffers."""
    out: dict = {}
    for shock in scenario.shocks:
        if shock.kind == "vendor_failure":
            for node in shock.target:
                out[node] = max(out.get(node, 0.0), float(shock.params["severity"]))
    return out


def _candidates(G: nx.DiGraph, scenario: Scenario, traj, levers: Iterable[str], nodes: set | None):
    """The levers worth searching in this drill, and the ones that cannot help by their nature.

    Returns ``(searches, cannot_help)``: a search per lever and node where the drill shows the lever
    could act (short supply for stock and headroom, load above capacity or a partial outage for
    capacity, throttling for a token limit, a failure for recovery).
    """
    index = {v: i for i, v in enumerate(traj.nodes)}
    failed = {v: sev for v, sev in _vendor_failures(scenario).items()}
    status = traj.status
    searches, cannot = [], []
    for name in levers:
        lever = LEVERS[name]
        for v in traj.nodes:
            if nodes is not None and v not in nodes:
                continue
            col = index[v]
            current = float(
                node_param(G, v, name) if name != "token_limit" else G.nodes[v].get(name, math.inf)
            )
            shortfall = traj.supply[:, col] < node_param(G, v, "min_supply") - 1e-12
            short = bool(shortfall.any())
            kmax = 0
            if name == "buffer":
                if v in failed and not short:
                    deps = [u for u in G.successors(v)]
                    cannot.append({"lever": name, "node": v, "reason": "fails_itself", "dependents": deps})
                    continue
                if short:
                    kmax = scenario.steps - math.floor(current)
            elif name == "min_supply":
                # where every short step got nothing, headroom a / min_supply is 0 at each whatever
                # min_supply is, and no step that was not short becomes short: nothing changes. Where
                # some supply arrived it can help, even if another step got none (stock covers that one)
                if (traj.supply[:, col][shortfall] > 0).any():
                    kmax = math.floor((current - 0.01) / lever.unit + 1e-9)
            elif name == "capacity":
                severity = failed.get(v, 0.0)
                if severity >= 1:
                    if nodes is not None:  # asked about by name: say why it cannot help
                        cannot.append({"lever": name, "node": v, "reason": "down_completely"})
                    continue
                overloaded = bool((traj.load[:, col] > current + 1e-12).any())
                if overloaded or severity > 0:
                    need = max(float(traj.load[:, col].max()), 1.0) / (1.0 - severity)
                    kmax = _whole_above((2 * need - current) / lever.unit) if need > current else 0
                    kmax = max(kmax, math.ceil(current / lever.unit))
            elif name == "token_limit":
                if math.isfinite(current) and traj.throttle_ratio[:, col].max() > 0:
                    wanted = float(traj.throttle_ratio[:, col].max()) * current
                    cut = min(
                        (
                            float(s.params["factor"])
                            for s in scenario.shocks
                            if s.kind == "rate_limit_cut" and v in s.target
                        ),
                        default=1.0,
                    )
                    kmax = _whole_above(2 * wanted / cut - current)
            elif name == "recovery" and current > 0 and (status[:, col] == Status.FAILED).any():
                kmax = int(current)
            kmax = min(kmax, _most_steps(lever, current))
            if kmax >= 1:
                searches.append(_Search(lever, v, current, kmax, monotone=True))
    return searches, cannot


def _whole_above(x: float) -> int:
    """The least whole number of units at or above ``x``, where ``x`` is a product of the engine's
    figures: rounding noise a billionth above a whole number does not add a unit (a throttle ratio of
    2.3616000000000006 at a limit of 7,500 wants 17,712 tokens, not 17,713).

    >>> _whole_above(17712.000000000004), _whole_above(17712.2)
    (17712, 17713)
    """
    return math.ceil(x - 1e-9)


def _most_steps(lever: Lever, current: float) -> int:
    """The most units ``lever`` may move up from ``current`` and stay within the largest value a graph
    file allows, so the finder never proposes a value the graph would refuse. (The levers that move
    down, min_supply and recovery, have their search ranges end at their least allowed value.)"""
    high = NODE_ATTRIBUTES[lever.name].high
    if lever.direction < 0 or not math.isfinite(high) or not math.isfinite(current):
        return sys.maxsize
    k = lever.steps_to(current, high)
    while k > 0 and lever.value(current, k) > high:
        k -= 1
    return max(k, 0)


def _method(search: _Search) -> str:
    """How a lever was searched: a scan is whole only where the range was short enough to try all."""
    if search.monotone:
        return "bisection"
    return "scan" if search.kmax <= SCAN_POINTS else "grid+bisection"


def _drill(scenario: Scenario, search: _Search, k: int) -> Drill:
    value = search.lever.value(search.current, k)
    return Drill(scenario.shocks, {search.lever.name: {search.node: value}})


def rerun(G: nx.DiGraph, scenario: Scenario, params: Mapping[str, Mapping[Any, float]]) -> dict:
    """The drill re-run once, alone, on a copy of the graph with ``params`` set (attribute -> node ->
    value), as ``augur run`` would run the changed graph: the check each fix is confirmed by."""
    H = G.copy()
    for name, values in params.items():
        for node, value in values.items():
            H.nodes[node][name] = NODE_ATTRIBUTES[name].coerce(value, f"{name}[{node!r}]", None)
    sc = replace(scenario, graph=H)
    return drill_metrics(run_drill(H, sc), H, sc)


def rerun_each(G: nx.DiGraph, scenario: Scenario) -> Run:
    """A ``run`` that re-runs each drill alone (:func:`rerun`): the reference the batch runner equals,
    and enough for small graphs."""

    def run(drills: Sequence[Drill]) -> list[dict]:
        return [rerun(G, replace(scenario, shocks=d.shocks), d.params) for d in drills]

    return run


def _lever_names(levers: Iterable[str] | None) -> list[str]:
    """The levers asked for (all of :data:`LEVERS` when none are), an unknown name rejected."""
    names = list(LEVERS) if levers is None else [str(x) for x in levers]
    if not names:
        raise ScenarioError(f"expected at least one lever, some of {', '.join(LEVERS)}", place="--levers")
    for name in names:
        if name not in LEVERS:
            close = difflib.get_close_matches(name, list(LEVERS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(
                f"unknown lever {name!r}{hint}; expected {', '.join(LEVERS)}", place="--levers"
            )
    return names


def _node_ids(G: nx.DiGraph, nodes: Iterable) -> set:
    """The nodes asked about, each named by its id or its label (:func:`augur.graph.node_named`); a
    name no node carries rejected with the nearest one."""
    chosen = set()
    nodes = list(nodes)
    if not nodes:
        raise ScenarioError("expected at least one node id or label to try", place="--nodes")
    for x in nodes:
        node = node_named(G, x)
        if node is None:
            raise ScenarioError(f"unknown node {str(x)!r}{nearest_node_hint(G, x)}", place="--nodes")
        chosen.add(node)
    return chosen


def _fits(G: nx.DiGraph, name: str, v: Any) -> bool:
    """Whether lever ``name`` can change anything at node ``v`` of ``G`` at all: a token limit only
    where an AI service has one, less headroom only where a node has suppliers and more than the least
    share of them to give up, a faster recovery only where a node takes time to recover."""
    if name == "token_limit":
        return G.nodes[v]["kind"] == "ai_service" and math.isfinite(G.nodes[v].get("token_limit") or math.inf)
    if name == "min_supply":
        return G.in_degree(v) > 0 and node_param(G, v, "min_supply") >= 2 * LEVERS["min_supply"].unit
    if name == "recovery":
        return node_param(G, v, "recovery") > 0
    return True


FITS_NOWHERE = {  # what a node must be for the lever to fit it, said of "none"
    "token_limit": "is an AI service with a token limit",
    "min_supply": "has suppliers and needs more than 1% of its supply",
    "recovery": "takes time to recover (recovery is 0 at each, as fast as it goes)",
}


def _check_levers_fit(G: nx.DiGraph, names: list[str], chosen: set | None) -> None:
    """A lever asked for that no node of the graph (or of the nodes asked) could take is bad input at
    ``--levers``, with the levers that do fit, not a search of nothing."""
    pool = list(G.nodes) if chosen is None else [v for v in G.nodes if v in chosen]
    fits = [name for name in LEVERS if any(_fits(G, name, v) for v in pool)]
    for name in names:
        if name not in fits:
            where = "of this graph" if chosen is None else "asked"
            expected = f"; expected some of {', '.join(fits)}" if fits else ""
            raise ScenarioError(
                f"{name} fits no node {where}: none {FITS_NOWHERE[name]}{expected}", place="--levers"
            )


def _nowhere(scenario: Scenario, names: list[str], searches: list, cannot: list, chosen: set | None) -> list:
    """A row for each lever asked that this drill calls for at no node (no shortfall for stock, no
    overload or partial outage for capacity, no throttling for a token limit, no failed node that is
    slow to recover), so an empty answer says why; for capacity, the nodes down completely."""
    touched = {c["lever"] for c in cannot} | {s.lever.name for s in searches}
    asked = None if chosen is None else sorted(chosen, key=str)
    rows = []
    for name in names:
        if name in touched:
            continue
        row = {"lever": name, "node": None, "reason": "nowhere", "nodes": asked}
        if name == "capacity":
            down = [v for v, sev in _vendor_failures(scenario).items() if sev >= 1]
            row["down"] = [v for v in down if chosen is None or v in chosen]
        rows.append(row)
    return rows


def find_fixes(
    G: nx.DiGraph,
    scenario: Scenario,
    run: Run,
    *,
    goal: str = DEFAULT_GOAL,
    levers: Iterable[str] | None = None,
    nodes: Iterable | None = None,
) -> MitigationResult:
    """The least single change per lever and node that brings ``scenario`` on ``G`` to ``goal``.

    ``run(drills)`` evaluates a list of :class:`~augur.engine.batch.Drill` and returns their metrics
    (``augur.sweep.run_drills`` bound to ``G`` and the scenario). ``levers`` limits the attributes
    tried (default all of :data:`LEVERS`); ``nodes`` the nodes. An unknown lever or node is a
    :class:`~augur.errors.ScenarioError`, not a lever quietly left out.

    On a chain ``a -> b -> shop`` where ``a`` is down for 5 steps, ``b`` runs dry one step after ``a``
    fails and stays short 5 steps (a's output reaches it a step late, both ways), so 5 steps of stock at
    ``b`` cover the gap and 4 leave one step bare:

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> from augur.metrics import drill_metrics
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "c", "steps": 20, "shocks": [{"kind": "vendor_failure",
    ...                     "target": "a", "start": 2, "duration": 5}]}, graph=G)
    >>> fixes = find_fixes(G, s, rerun_each(G, s), levers=["buffer"]).fixes
    >>> [(f["lever"], f["node"], f["to"], f["confirmed"]) for f in fixes]
    [('buffer', 'b', 5.0, True)]
    """
    target = goal_verdict(scenario, goal)
    hypothesis = goal == "hypothesis"
    scenario = replace(scenario, hypothesis=None)
    traj = run_drill(G, scenario)
    base = drill_metrics(traj, G, scenario)
    names = _lever_names(levers)
    chosen = None if nodes is None else _node_ids(G, nodes)
    if levers is not None:
        _check_levers_fit(G, names, chosen)
    monotone = lever_monotone(G, scenario)
    if VERDICT_RANK[base["verdict"]] <= VERDICT_RANK[target]:
        return MitigationResult(base["verdict"], target, [], [], monotone, 0, hypothesis)
    searches, cannot = _candidates(G, scenario, traj, names, chosen)
    quiet = _nowhere(scenario, names, searches, cannot, chosen)
    for s in searches:
        s.monotone = monotone

    def passes(m: Mapping) -> bool:
        return VERDICT_RANK[m["verdict"]] <= VERDICT_RANK[target]

    drills_run = _search(searches, scenario, run, passes)
    short = [s for s in searches if s.hi is None]
    edges = _trade_offs(short, scenario) if target == "graceful" else {}
    drills_run += _narrow([task for pair in edges.values() for task in pair], scenario, run)
    fixes = []
    for s in searches:
        if s.hi is None:
            cannot.append(_not_enough(s, scenario, edges.get(id(s))))
            continue
        fix, reruns = _confirmed_fix(G, scenario, base, s, passes)
        fixes.append(fix)
        drills_run += reruns
    order = {name: i for i, name in enumerate(LEVERS)}
    fixes.sort(key=lambda f: (order[f["lever"]], abs(f["to"] - f["from"]), str(f["node"])))
    _where_stock_helps(cannot, fixes, chosen, target)
    if levers is not None or not (fixes or cannot):
        cannot += quiet
    return MitigationResult(base["verdict"], target, fixes, cannot, monotone, drills_run, hypothesis)


def _where_stock_helps(cannot: list, fixes: list, chosen: set | None, goal: str) -> None:
    """Fill in, for stock at a vendor that fails, which of its dependents stock does help at: those
    with a fix a re-run confirmed (``helped_by``), and whether the search tried stock at all of them
    and none reached ``goal`` (``none_enough``), so the sentence claims only what was run."""
    stocked = {f["node"]: f for f in fixes if f["lever"] == "buffer"}
    for row in cannot:
        if row["reason"] != "fails_itself":
            continue
        deps = row["dependents"]
        row["helped_by"] = [d for d in deps if d in stocked and stocked[d]["confirmed"]]
        tried_all = chosen is None or set(deps) <= chosen
        row["none_enough"] = bool(deps) and tried_all and not any(d in stocked for d in deps)
        row["goal"] = goal


def _search(searches: list[_Search], scenario: Scenario, run: Run, passes: Callable[[Mapping], bool]) -> int:
    """Every search's probes, batched round by round until each has found its least passing value
    (or run out of values); the number of drills it took."""
    drills_run = 0
    active = list(searches)
    while active:
        asked = [(s, k) for s in active for k in s.probes()]
        metrics = run([_drill(scenario, s, k) for s, k in asked]) if asked else []
        drills_run += len(asked)
        answers: dict[int, dict] = {}
        for (s, k), m in zip(asked, metrics):
            s.outcomes[k] = m
            answers.setdefault(id(s), {})[k] = passes(m)
        for s in active:
            s.update(answers.get(id(s), {}))
        active = [s for s in active if not s.done]
    return drills_run


def _holds(m: Mapping, scenario: Scenario) -> bool:
    """Whether a drill keeps service at or above the SLO with nothing failing beyond its shocks."""
    return not m["secondary_failures"] and m["service_level_min"] >= scenario.slo


def _within(m: Mapping, scenario: Scenario) -> bool:
    """Whether a drill's peak tokens stay within the token budget, with nothing failing beyond its
    shocks (no budget: always)."""
    peak, budget = m["peak_token_multiplier"], scenario.token_budget
    return not m["secondary_failures"] and (budget is None or peak is None or peak <= budget)


def _trade_offs(searches: list[_Search], scenario: Scenario) -> dict:
    """For each lever that missed GRACEFUL where some value tried kept service at the SLO (over the
    token budget) and some stayed within the budget (below the SLO): the two edges to narrow, the
    least value that holds the SLO and the most that stays within the budget, as :func:`_narrow`
    tasks (a search sharing the lever's outcomes, and the test its ``hi`` passes)."""
    if scenario.token_budget is None:
        return {}
    edges = {}
    for s in searches:
        tried = sorted(s.outcomes)
        holding = [k for k in tried if _holds(s.outcomes[k], scenario)]
        within = [k for k in tried if _within(s.outcomes[k], scenario)]
        if not holding or not within:
            continue
        first = holding[0]  # the least value tried that holds: narrowed down from the one below it
        below = max((k for k in tried if k < first), default=0)
        last = within[-1]  # the most that stays within: narrowed up to the one above it
        above = min((k for k in tried if k > last), default=last + 1)
        edges[id(s)] = (
            _edge(s, below, first, lambda m: _holds(m, scenario)),
            _edge(s, last, above, lambda m: not _within(m, scenario)),
        )
    return edges


def _edge(s: _Search, lo: int, hi: int, test: Callable[[Mapping], bool]) -> tuple:
    """A bisection of ``s``'s lever between ``lo`` (fails ``test``) and ``hi`` (passes), sharing its
    outcomes: a :func:`_narrow` task."""
    e = _Search(s.lever, s.node, s.current, s.kmax, True, lo, hi, s.outcomes, True)
    e.done = hi - lo <= 1
    return e, test


def _narrow(tasks: list[tuple[_Search, Callable[[Mapping], bool]]], scenario: Scenario, run: Run) -> int:
    """Bisect each task's search to the least value that passes its own test (each ``hi`` passes,
    each ``lo`` does not), all tasks batched round by round; the number of drills it took."""
    drills_run = 0
    active = [t for t in tasks if not t[0].done]
    while active:
        asked = [(s, test, k) for s, test in active for k in s.probes() if k not in s.outcomes]
        metrics = run([_drill(scenario, s, k) for s, _, k in asked]) if asked else []
        drills_run += len(asked)
        for (s, _, k), m in zip(asked, metrics):
            s.outcomes[k] = m
        for s, test in active:
            s.update({k: test(s.outcomes[k]) for k in s.probes() if k in s.outcomes})
        active = [t for t in active if not t[0].done]
    return drills_run


def _not_enough(s: _Search, scenario: Scenario, edges: tuple | None = None) -> dict:
    """A lever whose largest value still misses the goal: what it tried and how the drill ended, its
    lowest service level, its peak tokens against the SLO and the budget, and whether a shock still
    acted at its end (what says a cascade it leaves was contained, :func:`augur.text.contained`).
    Where the SLO and the token budget pull apart (``edges``, :func:`_trade_offs`), ``holds`` is the
    least value that kept the SLO, over the budget, and ``within`` the most that kept the budget,
    below the SLO: what the sentence names as the reason."""
    worst = s.outcomes[max(s.outcomes)]
    row = {
        "lever": s.lever.name,
        "node": s.node,
        "reason": "not_enough",
        "tried": s.lever.value(s.current, s.kmax),
        "verdict": worst["verdict"],
        "secondary_failures": list(worst["secondary_failures"]),
        "service_level_min": worst["service_level_min"],
        "peak_token_multiplier": worst["peak_token_multiplier"],
        "ends_during_shock": worst["ends_during_shock"],
        "slo": scenario.slo,
        "token_budget": scenario.token_budget,
    }
    if edges is not None:
        (held, _), (kept, _) = edges
        for key, k in (("holds", held.hi), ("within", kept.lo)):
            m = s.outcomes[k]
            row[key] = {
                "value": s.lever.value(s.current, k),
                "service_level_min": m["service_level_min"],
                "peak_token_multiplier": m["peak_token_multiplier"],
            }
    return row


def _confirmed_fix(
    G: nx.DiGraph, scenario: Scenario, base: Mapping, s: _Search, passes: Callable[[Mapping], bool]
) -> tuple[dict, int]:
    """A search's least value as a fix row, checked by a single re-run at it and one a unit short
    (``short``; the drill itself, and ``short`` None, when a unit short is no change); the row and
    the re-runs it took."""
    to = s.lever.value(s.current, s.hi)
    confirm = rerun(G, scenario, {s.lever.name: {s.node: to}})
    short = s.lever.value(s.current, s.hi - 1) if s.hi > 1 else None
    below = rerun(G, scenario, {s.lever.name: {s.node: short}}) if short is not None else base
    row = {
        "lever": s.lever.name,
        "node": s.node,
        "from": s.current,
        "to": to,
        "short": short,
        "verdict": confirm["verdict"],
        "resilience_loss": confirm["resilience_loss"],
        "method": _method(s),
        "confirmed": passes(confirm) and not passes(below),
    }
    return row, 2 if s.hi > 1 else 1


# -- the least change of one lever, for the pack's model checks ---------------------------------------


def batch_runner(G: nx.DiGraph, scenario: Scenario) -> Run:
    """A ``run`` that evaluates its drills here, on one compilation of ``G``, through the one metric
    runner (:func:`augur.metrics.measure_batch`): what analysis can use without the chunks and the
    Dask cluster of ``augur.sweep.run_drills``."""
    from augur.engine import compile_graph
    from augur.metrics import measure_batch

    compiled = compile_graph(G)
    plain = replace(scenario, hypothesis=None)

    def run(drills: Sequence[Drill]) -> list[dict]:
        return measure_batch(compiled, G, plain, list(drills))

    return run


def least_change(
    G: nx.DiGraph,
    scenario: Scenario,
    lever: str,
    node: Any,
    *,
    upto: float,
    goal: str,
    run: Run | None = None,
) -> float | None:
    """The least value of ``lever`` at ``node``, from today's towards ``upto``, whose drill ends
    ``goal`` or milder (``None`` if none does): a bisection, or a scan where a token budget can make
    the lever not monotone (:func:`lever_monotone`), as :func:`find_fixes` searches.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "c", "steps": 30, "shocks": [{"kind": "vendor_failure",
    ...                     "target": "a", "start": 2, "duration": 5}]}, graph=G)
    >>> least_change(G, s, "buffer", "b", upto=9, goal="graceful")
    5.0
    """
    spec = LEVERS[lever]
    current = float(node_param(G, node, lever))
    kmax = spec.steps_to(current, upto)
    if kmax < 1:
        return None
    run = run or batch_runner(G, scenario)
    search = _Search(spec, node, current, kmax, monotone=lever_monotone(G, scenario))
    while not search.done:
        ks = search.probes()
        metrics = run([_drill(scenario, search, k) for k in ks])
        search.update({k: VERDICT_RANK[m["verdict"]] <= VERDICT_RANK[goal] for k, m in zip(ks, metrics)})
    return None if search.hi is None else spec.value(current, search.hi)
