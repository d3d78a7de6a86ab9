"""A plain-Python reference of the drill simulation, used by the tests as an oracle for the engine.

It is written from ``docs/model.md`` alone ("One step, t >= 1"), one node and one edge at a time,
so that each line can be checked against the rule book; it never looks at ``augur.engine``. Speed
does not matter here: the tests run it on graphs of a dozen nodes.

Where the rule book leaves a choice open, the reading taken is written next to the line, marked
``Reading:``.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from augur.graph import edge_param, node_param
from augur.scenario import Scenario

__all__ = [
    "DEGRADED",
    "FAILED",
    "FIELDS",
    "OK",
    "RECOVERING",
    "THROTTLED",
    "node_factors",
    "reference_run",
]

OK, DEGRADED, FAILED, RECOVERING, THROTTLED = 0, 1, 2, 3, 4

# The per-node state of docs/model.md, "State and baseline", in the order results are compared.
FIELDS = (
    "output",
    "load",
    "supply",
    "stock",
    "quality",
    "attempts",
    "tokens",
    "ci",
    "down",
    "status",
)

_NODE_PARAMS = (
    "capacity",
    "min_supply",
    "fail_below",
    "buffer",
    "restock",
    "recovery",
    "quality",
    "tokens_per_unit",
    "token_limit",
    "retry_sensitivity",
    "max_retries",
    "ci_base",
)


def node_factors(G: nx.DiGraph, scenario: Scenario, t: int) -> tuple[dict, dict]:
    """The shock factors at step ``t`` (docs/model.md, "Shocks").

    Returns ``(nodes, edges)``: for each node a dict with ``cap``, ``dem``, ``qual``, ``lim``,
    ``in`` (factors, 1 by default) and ``delay`` (0 by default); for each edge a dict with ``cap``
    and ``delay``. Overlapping shocks multiply their factors and add their delays.
    """
    nodes = {v: {"cap": 1.0, "dem": 1.0, "qual": 1.0, "lim": 1.0, "in": 1.0, "delay": 0} for v in G}
    edges = {e: {"cap": 1.0, "delay": 0} for e in G.edges}
    for shock in scenario.shocks:
        if not shock.active(t):
            continue
        p = shock.params
        if shock.kind == "vendor_failure":
            for v in shock.target:
                nodes[v]["cap"] *= 1.0 - p["severity"]
        elif shock.kind == "logistics_bottleneck":
            if shock.on_edges:
                for e in shock.target:
                    edges[e]["cap"] *= p["capacity"]
                    edges[e]["delay"] += p["delay"]
            else:
                # A bottlenecked logistics node: its capacity factor `in_f` multiplies every edge
                # into it (through d_e) and its own source supply; its delay is added to every edge
                # into it. Edge bottlenecks set `ecap_e` and `delay_e` instead.
                for v in shock.target:
                    nodes[v]["in"] *= p["capacity"]
                    nodes[v]["delay"] += p["delay"]
        elif shock.kind == "demand_spike":
            for v in shock.target:
                nodes[v]["dem"] *= p["multiplier"]
        elif shock.kind == "data_quality_drop":
            for v in shock.target:
                nodes[v]["qual"] *= p["quality"]
        elif shock.kind == "rate_limit_cut":
            for v in shock.target:
                nodes[v]["lim"] *= p["factor"]
        else:  # pragma: no cover - parse_scenario rejects other kinds
            raise ValueError(f"unknown shock kind {shock.kind!r}")
    return nodes, edges


def steady_quality(G: nx.DiGraph) -> tuple[dict, dict]:
    """The settled quality each node emits, and the mix it receives, before any shock.

    The largest solution of q_v = quality_v x (weighted mean of its suppliers' q): a node with no
    node below quality 1 upstream of it keeps q = 1; of the rest, one that no positive quality
    reaches is 0 (a closed loop that loses quality, what it alone feeds); the others solve the
    linear equations, densely.
    """
    nodes = list(G.nodes)
    lossy = {v for v in nodes if node_param(G, v, "quality") < 1.0}
    affected = set(lossy)
    for v in lossy:
        affected |= nx.descendants(G, v)
    # Positive quality flows from a node that stays at 1, or a source of quality above 0, into
    # nodes of quality above 0; what it never reaches settles at 0 exactly.
    positive = {
        v for v in nodes if v not in affected or (G.in_degree(v) == 0 and node_param(G, v, "quality") > 0)
    }
    frontier = list(positive)
    while frontier:
        u = frontier.pop()
        for x in G.successors(u):
            if x not in positive and node_param(G, x, "quality") > 0:
                positive.add(x)
                frontier.append(x)
    unknown = [v for v in nodes if v in affected and v in positive]
    pos = {v: i for i, v in enumerate(unknown)}
    system = np.eye(len(unknown))
    rhs = np.zeros(len(unknown))
    for v in unknown:
        i, own = pos[v], node_param(G, v, "quality")
        ins = list(G.in_edges(v))
        if not ins:
            rhs[i] = own
            continue
        total = sum(edge_param(G, u, v, "weight") for u, _ in ins)
        for u, _ in ins:
            share = own * edge_param(G, u, v, "weight") / total
            if u in pos:
                system[i, pos[u]] -= share
            elif u not in affected:
                rhs[i] += share  # a supplier that stays at quality 1 (one at 0 adds nothing)
    solved = np.linalg.solve(system, rhs) if unknown else np.zeros(0)
    settled = {v: float(solved[pos[v]]) if v in pos else 0.0 if v in affected else 1.0 for v in nodes}
    mix: dict = {}
    for v in nodes:
        ins = list(G.in_edges(v))
        weights = [edge_param(G, u, v, "weight") for u, _ in ins]
        mix[v] = sum(w * settled[u] for w, (u, _) in zip(weights, ins)) / sum(weights) if ins else 1.0
    return {v: node_param(G, v, "quality") * mix[v] for v in nodes}, mix


def reference_run(G: nx.DiGraph, scenario: Scenario) -> dict[str, np.ndarray]:
    """Run a drill step by step and return each state variable as an array of shape (steps, n).

    Columns follow ``list(G.nodes)``; row ``t`` is the state at step ``t`` and row 0 the baseline.
    ``down`` and ``status`` are integer arrays (status codes OK=0, DEGRADED=1, FAILED=2,
    RECOVERING=3, THROTTLED=4); the others are floats.
    """
    nodes = list(G.nodes)
    params = {v: {name: node_param(G, v, name) for name in _NODE_PARAMS} for v in nodes}
    is_ai = {v: G.nodes[v]["kind"] == "ai_service" for v in nodes}

    # history[t][field][node]: the state at step t.
    quality0, mix0 = steady_quality(G)
    baseline = {field: {} for field in FIELDS}
    for v in nodes:
        P = params[v]
        baseline["output"][v] = 1.0
        baseline["load"][v] = 1.0
        baseline["supply"][v] = 1.0
        baseline["stock"][v] = float(P["buffer"])
        baseline["quality"][v] = quality0[v]
        baseline["attempts"][v] = 1.0
        baseline["tokens"][v] = float(P["tokens_per_unit"]) if is_ai[v] else 0.0
        baseline["ci"][v] = float(P["ci_base"]) if is_ai[v] else math.nan
        baseline["down"][v] = 0
        baseline["status"][v] = OK
    history = [baseline]

    def at(step: int) -> dict:
        """The state at ``step``; any step before 0 reads the t = 0 values."""
        return history[max(step, 0)]

    max_delay = sum(int(shock.params.get("delay", 0)) for shock in scenario.shocks)
    factors_at = {t: node_factors(G, scenario, t) for t in range(1, scenario.steps)}

    def delay_at(step: int, u, v) -> int:
        """The delay in force on u -> v at ``step`` (none before any shock)."""
        if step < 1:
            return 0
        nf, ef = factors_at[step]
        return ef[(u, v)]["delay"] + nf[v]["delay"]

    for t in range(1, scenario.steps):
        nf, ef = factors_at[t]
        prev = history[t - 1]
        state = {field: {} for field in FIELDS}
        for v in nodes:
            P = params[v]

            # 1. Load: the weighted mean of the dependents' previous load x attempts.
            out_edges = list(G.out_edges(v))
            if not out_edges:
                load = nf[v]["dem"]
            else:
                asked = 0.0
                total_weight = 0.0
                equal = len({edge_param(G, v, x, "weight") for _, x in out_edges}) == 1
                for _, x in out_edges:
                    w = 1.0 if equal else edge_param(G, v, x, "weight")  # equal weights count as 1
                    asked += w * prev["load"][x] * prev["attempts"][x]
                    total_weight += w
                mean = asked / total_weight
                if abs(mean - 1) < 1e-12:  # the baseline, up to rounding
                    mean = 1.0
                load = nf[v]["dem"] * mean

            # What arrives on each in-edge e = u -> v: d_e and qd_e, read lag_e steps back.
            arrivals = []  # (group, weight, d_e, qd_e)
            for u, _ in G.in_edges(v):
                # A delay holds goods at the bottleneck: what was due at step t' lands at
                # t' + (the delay in force at t'); the latest due step landing now is what arrives,
                # and none may (a jam's first steps). Goods due at t' left u at t' - 1 - lead_time.
                lead = edge_param(G, u, v, "lead_time")
                landed = None
                for k in range(max_delay + 1):
                    if delay_at(t - k, u, v) == k:
                        landed = t - k - 1 - lead
                        break
                if landed is None:
                    d = 0.0
                    qd = at(t - 1 - lead)["quality"][u]
                else:
                    d = at(landed)["output"][u] * ef[(u, v)]["cap"] * nf[v]["in"]
                    qd = at(landed)["quality"][u]
                arrivals.append((edge_param(G, u, v, "group"), edge_param(G, u, v, "weight"), d, qd))

            # 2. Supply: the weighted mean within each group, the minimum over groups.
            if not arrivals:
                supply = nf[v]["in"]
            else:
                groups: dict[str, list[float]] = {}  # group -> [sum w d, sum w]
                for group, w, d, _ in arrivals:
                    if len({w_ for g_, w_, _, _ in arrivals if g_ == group}) == 1:
                        w = 1.0  # only the ratios of a group's weights matter: equal ones count as 1
                    sums = groups.setdefault(group, [0.0, 0.0])
                    sums[0] += w * d
                    sums[1] += w
                supply = min(wd / ws for wd, ws in groups.values())
                if 1 - 1e-12 < supply < 1:  # everything arrived, up to rounding
                    supply = 1.0

            # 3. Headroom.
            headroom = 1.0 if supply >= P["min_supply"] else supply / P["min_supply"]

            # 4. Buffer. Reading: stock is drawn and refilled whatever the node's status (the rule
            # book runs this step before failure and makes no exception for a node that is down).
            if headroom < 1:
                cover = min(1 - headroom, prev["stock"][v])
                stock = prev["stock"][v] - cover
                covered = headroom + cover
            else:
                stock = min(P["buffer"], prev["stock"][v] + P["restock"])
                covered = 1.0

            # 5. Output before failure; a load at capacity up to rounding is at capacity.
            room = P["capacity"] * nf[v]["cap"] / max(load, 1.0)
            if 1 - 1e-12 < room < 1:
                room = 1.0
            out = min(covered, room, 1.0)

            # 6. Quality mix of the in-edges (all groups together).
            if not arrivals:
                mix = 1.0
            else:
                delivered = sum(w * d for _, w, d, _ in arrivals)
                if delivered == 0:
                    weights = sum(w for _, w, _, _ in arrivals)
                    mix = sum(w * qd for _, w, _, qd in arrivals) / weights
                else:
                    mix = sum(w * d * qd for _, w, d, qd in arrivals) / delivered
            quality = P["quality"] * nf[v]["qual"] * mix

            # 7. AI services.
            attempts, tokens, ci = 1.0, 0.0, math.nan
            throttled = False
            out_before_throttle = out
            if is_ai[v]:
                # relative to the settled input quality, so an unshocked service does not retry
                # a baseline mix below 1e-12 is no baseline (a loop that decays to 0): judged by c alone
                q_in = covered * (mix / mix0[v] if mix0[v] > 1e-12 else 1.0)
                if q_in > 1 - 1e-12:  # the baseline, up to rounding
                    q_in = 1.0
                p = min(0.9, P["retry_sensitivity"] * (1 - q_in))
                attempts = 1.0 if p == 0 else (1 - p ** (P["max_retries"] + 1)) / (1 - p)
                wanted = P["tokens_per_unit"] * load * attempts * out
                if P["token_limit"] is not None and wanted > P["token_limit"] * nf[v]["lim"]:
                    limit = P["token_limit"] * nf[v]["lim"]
                    throttled = True
                    out = out * limit / wanted
                    tokens = limit
                else:
                    tokens = wanted
                ci = P["ci_base"] / math.sqrt(max(q_in, 0.01))

            # 8. Failure. A node that is down does no work: it spends no tokens and makes no retries
            # (attempts 1: its suppliers see only the demand it passes on). A service that throttling
            # cut below fail_below is still working: it spends its limit and keeps retrying. ci keeps
            # the value computed in step 7.
            if out < P["fail_below"]:
                status = FAILED
                output = 0.0
                down = P["recovery"]
                if out_before_throttle < P["fail_below"]:
                    tokens, attempts = 0.0, 1.0  # down on its own conditions
            elif prev["down"][v] > 0:
                status = RECOVERING
                output = 0.0
                down = prev["down"][v] - 1
                tokens, attempts = 0.0, 1.0
            else:
                output = out
                down = 0
                if throttled:
                    status = THROTTLED
                elif output >= 0.99:
                    status = OK
                else:
                    status = DEGRADED

            state["output"][v] = output
            state["load"][v] = load
            state["supply"][v] = supply
            state["stock"][v] = stock
            state["quality"][v] = quality
            state["attempts"][v] = attempts
            state["tokens"][v] = tokens
            state["ci"][v] = ci
            state["down"][v] = down
            state["status"][v] = status
        history.append(state)

    result = {}
    for field in FIELDS:
        dtype = int if field in ("down", "status") else float
        result[field] = np.array(
            [[history[t][field][v] for v in nodes] for t in range(scenario.steps)], dtype=dtype
        )
    return result
