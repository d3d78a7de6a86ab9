"""From a trajectory to what a review board reads: verdict, survival, recovery, loss, tokens, events.

The rules are written in docs/model.md ("Drill results"); each function here implements one of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, repeat
from operator import eq, methodcaller
from typing import Any

import networkx as nx
import numpy as np

from augur.cascade import cascade_depth, supplier_rows
from augur.engine import BatchTrajectory, CompiledGraph, Drill, Status, Trajectory, run_batch
from augur.graph import edge_param, input_groups, node_param
from augur.scenario import Scenario

__all__ = [
    "BATCH_METRIC_KEYS",
    "METRIC_FIELDS",
    "METRIC_MEANINGS",
    "Event",
    "batch_metrics",
    "down_starts",
    "drill_events",
    "drill_metrics",
    "measure_batch",
    "metric_record",
    "own_shock_fails",
    "primary_nodes",
    "primary_starts",
    "secondary_failures",
    "service_level",
    "service_nodes",
]

RECOVERED_LEVEL = 0.99

# What each key of ``result.metrics`` means, in words a reviewer reads (a pack's metrics table, the
# app's KPI tooltips).
METRIC_MEANINGS = {
    "scenario": "the drill's name",
    "seed": "the seed recorded with the drill (a drill itself draws no random numbers)",
    "steps": "the horizon, in steps",
    "step_unit": "what one step stands for",
    "slo": "the service level the business needs",
    "token_budget": "peak tokens allowed, as a multiple of baseline",
    "verdict": "cascade if anything failed beyond the shocked nodes; degraded if service fell below the "
    "SLO or tokens over budget; else graceful",
    "hypothesis": "the verdict the drill was expected to end with",
    "hypothesis_held": "whether the verdict equals the hypothesis",
    "primary": "nodes hit by a shock directly, but for those that went down only as part of the cascade",
    "secondary_failures": "nodes that failed other than by their own shock",
    "cascade_depth": "hops along the longest chain of failures beyond the shocked nodes",
    "service_level_min": "the lowest service level over the drill",
    "time_to_survive": "steps from the first shock until service fell below the SLO",
    "time_to_recover": "steps from the end of the last shock until service held at 99% or more again",
    "ends_during_shock": "whether a shock still acts at the drill's last step: its consequences are still "
    "to come, and the time to recover is unknown",
    "down_at_end": "nodes still failed or recovering at the drill's last step",
    "resilience_loss": "the sum over steps of (1 - service level): steps of service lost",
    "peak_token_multiplier": "the most tokens spent in one step, as a multiple of baseline",
    "token_overrun": "tokens spent above each AI service's baseline, summed over the drill",
    "token_overrun_cost": "the overrun's cost (in the price units of price_per_1k_tokens), at each "
    "service's price_per_1k_tokens",
    "ci_widening_peak": "the widest confidence interval of an AI service, as a multiple of its baseline",
    "failed_nodes": "nodes that failed at some step, shocked or not",
    "nodes": "nodes in the graph",
    "augur": "the augur version that ran the drill",
}


@dataclass(frozen=True)
class Event:
    """One line of a drill's story: at step ``t``, ``node`` (or the drill as a whole) did ``kind``.

    ``facts`` holds what the line says (the shock, the status it left, the output it fell to, the
    SLO and level); ``message`` is those facts in words, filled in by :class:`augur.drill.DrillResult`
    through :func:`augur.text.event_message` (the wording lives above this layer).
    """

    t: int
    kind: str
    message: str = ""
    node: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return f"t={self.t} {self.message}"

    def to_dict(self) -> dict:
        return {"t": self.t, "kind": self.kind, "node": self.node, "message": self.message}


_KIND = methodcaller("get", "kind")  # a node's kind, None where its dict has none (as G.nodes(data="kind"))


def service_nodes(G: nx.DiGraph) -> list:
    """The nodes whose mean output is the service level: processes, else sinks, else all."""
    node_data = G._node  # each node's kind read from its dict, not through a view's pair per node
    processes = list(compress(node_data, map(eq, map(_KIND, node_data.values()), repeat("process"))))
    if processes:
        return processes
    sinks = [v for v in G.nodes if G.out_degree(v) == 0]
    return sinks or list(G.nodes)


def service_level(traj: Trajectory, G: nx.DiGraph, compiled: CompiledGraph | None = None) -> np.ndarray:
    """Mean output of the service nodes at each step. ``compiled``, the graph the drill ran on as
    arrays, gives the nodes' kinds and dependents where the caller has it."""
    if compiled is not None and compiled.nodes == traj.nodes:
        # service_nodes(G) read from the arrays: processes, else sinks (nothing depends on them), else all
        cols = np.flatnonzero(compiled.kinds == "process")
        if not cols.size:
            cols = np.flatnonzero(~compiled.has_dependents)
        every = not cols.size or cols.size == len(traj.nodes)
    else:
        service = service_nodes(G)
        # every node, in order (a graph of processes): the record itself, not a copy of every column
        every = service == traj.nodes
        if not every:
            index = dict(zip(traj.nodes, range(len(traj.nodes))))
            cols = np.fromiter(map(index.__getitem__, service), dtype=np.intp, count=len(service))
    # a C-ordered copy: the mean's summation order then follows from the array, not its layout, so a
    # batch of drills (batch_metrics) gets the same bits
    return np.ascontiguousarray(traj.output if every else traj.output[:, cols]).mean(axis=1)


def primary_nodes(scenario: Scenario, went_down: Iterable = (), primary_down: Iterable = ()) -> list:
    """Targets of node shocks, and the head of each bottlenecked edge, in first-shock order, but for
    those in ``went_down`` (the nodes that went down) not in ``primary_down`` (those whose own shocks
    took them down at least once): such a node went down only as part of the cascade, a secondary
    failure, and is not said to be primary too (docs/model.md, "Drill results").
    """
    only_knock_on = set(went_down).difference(primary_down)
    seen: dict = {}
    for shock in scenario.shocks:
        for target in shock.target:
            seen.setdefault(target[1] if isinstance(target, tuple) else target, None)
    return [v for v in seen if v not in only_knock_on]


# A data-quality drop lowers the quality of what its target emits, never the target's own output:
# its target can only go down for other reasons, so the drop does not make the failure its own.
CANNOT_FAIL_TARGET = ("data_quality_drop",)


def _target_node(target: Any) -> Any:
    return target[1] if isinstance(target, tuple) else target


def own_shock_fails(
    G: nx.DiGraph, shocks: Sequence, node: Any, t: int, params: Mapping[str, Mapping] | None = None
) -> bool:
    """Whether the shocks acting on ``node`` itself at ``t`` could take it down by themselves: with
    every supplier delivering in full, its dependents asking their normal load and no stock to draw
    on, would their factors leave its output below ``fail_below`` (docs/model.md, "Drill results")?

    An outage of severity s fails it when capacity x (1 - s) < fail_below; a demand spike when
    capacity / multiplier < fail_below; a bottleneck when what still lands through it (nothing while
    a delay holds the goods) is less than fail_below of its min_supply; a rate-limit cut when the cut
    limit buys less than fail_below of the tokens it needs. ``params`` are a drill's own node values
    (``Drill.params``), read before the graph's.
    """
    params = params or {}

    def value(name: str) -> float:
        own = params.get(name, {})
        return float(own[node] if node in own else node_param(G, node, name))

    capacity_f = demand = limit_f = 1.0
    edge_f: dict = {}
    for shock in shocks:
        if shock.kind in CANNOT_FAIL_TARGET or not shock.active(t):
            continue
        hits = [x for x in shock.target if _target_node(x) == node]
        if not hits:
            continue
        if shock.kind == "vendor_failure":
            capacity_f *= 1.0 - shock.params["severity"]
        elif shock.kind == "demand_spike":
            demand *= shock.params["multiplier"]
        elif shock.kind == "rate_limit_cut":
            limit_f *= shock.params["factor"]
        else:  # a bottleneck: on edges into the node, or on every edge into a logistics node
            held = shock.params["delay"] > 0 and t < shock.start + shock.params["delay"]
            cut = 0.0 if held else shock.params["capacity"]
            for u in {x[0] for x in hits if isinstance(x, tuple)} or set(G.predecessors(node)) or {None}:
                edge_f[u] = edge_f.get(u, 1.0) * cut
    supply = 1.0
    if edge_f and G.in_degree(node):
        shares = []
        for suppliers in input_groups(G, node).values():
            weights = [float(edge_param(G, u, node, "weight")) for u in suppliers]
            arrived = sum(w * edge_f.get(u, 1.0) for u, w in zip(suppliers, weights))
            shares.append(arrived / sum(weights))
        supply = min(shares)
    elif edge_f:
        supply = edge_f.get(None, 1.0)  # a logistics node without inputs: its own source supply
    output = min(supply / value("min_supply"), value("capacity") * capacity_f / max(demand, 1.0), 1.0)
    limited = G.nodes[node]["kind"] == "ai_service" and node_param(G, node, "token_limit") is not None
    wanted = value("tokens_per_unit") * demand * output if limited else 0.0
    if wanted > 0:  # a cut limit throttles it: output shrinks by limit / wanted
        output *= min(1.0, value("token_limit") * limit_f / wanted)
    return output < value("fail_below")


def primary_starts(
    traj: Trajectory, G: nx.DiGraph, scenario: Scenario, *, starts: np.ndarray | None = None, index=None
) -> np.ndarray:
    """A boolean array ``(steps, n)``: where a node went down under shocks acting on it that could
    take it down by themselves (:func:`own_shock_fails`), the starts of its primary failures.
    ``starts`` (:func:`_starts`) and ``index`` (``{node: column}``) are the caller's where it has them."""
    starts = _starts(traj) if starts is None else starts
    primary = np.zeros(starts.shape, dtype=bool)
    for t, i in np.argwhere(starts & _shock_acts(traj, scenario, index)):
        primary[t, i] = own_shock_fails(G, scenario.shocks, traj.nodes[i], int(t))
    return primary


def _shock_acts(traj: Trajectory, scenario: Scenario, index=None) -> np.ndarray:
    """Where a shock that can take the node itself down acts on it (any but a data-quality drop)."""
    if index is None:
        index = {v: i for i, v in enumerate(traj.nodes)}
    hit = np.zeros(traj.status.shape, dtype=bool)
    for shock in scenario.shocks:
        if shock.kind in CANNOT_FAIL_TARGET:
            continue
        end = min(shock.end, traj.steps)
        hit[shock.start : int(end), [index[_target_node(t)] for t in shock.target]] = True
    return hit


def secondary_failures(traj: Trajectory, G: nx.DiGraph, scenario: Scenario) -> list:
    """Nodes that went down at some step other than by their own shock, in graph order.

    A failure is primary when it starts under shocks acting on the node itself that could take it
    down by themselves (:func:`own_shock_fails`); the steps it then stays failed or recovering belong
    to that failure. Any other failure, of a shocked node or not, is secondary: a vendor that fails
    because its supplier did is part of the cascade even if the drill shocks it again later, or
    spikes its demand by 1% as its supply runs out.
    """
    return _knock_on(traj.nodes, _starts(traj), primary_starts(traj, G, scenario))


def _knock_on(nodes: Sequence, starts: np.ndarray, primary: np.ndarray) -> list:
    """The nodes with a down start that is not primary, in graph order."""
    return list(map(nodes.__getitem__, np.flatnonzero((starts & ~primary).any(axis=0)).tolist()))


def _named(nodes: Sequence, columns: np.ndarray) -> set:
    """The nodes at ``columns``."""
    return set(map(nodes.__getitem__, np.unique(columns).tolist()))


def _starts(traj: Trajectory) -> np.ndarray:
    """A boolean array ``(steps, n)``: where a node went down (failed or recovering, not the step before)."""
    down = _down(traj.status)
    starts = down.copy()
    starts[1:] &= ~down[:-1]
    return starts


def _down(status: np.ndarray) -> np.ndarray:
    """Where a status is failed or recovering."""
    return (status == _FAILED) | (status == _RECOVERING)


_FAILED, _RECOVERING = int(Status.FAILED), int(Status.RECOVERING)  # read once: an Enum's lookup is slow


def down_starts(traj: Trajectory, G: nx.DiGraph, scenario: Scenario) -> list[tuple[int, Any, bool]]:
    """Each time a node went down, in step order: ``(t, node, primary)``, primary when its own
    shocks took it down (see :func:`secondary_failures`)."""
    primary = primary_starts(traj, G, scenario)
    return [(int(t), traj.nodes[i], bool(primary[t, i])) for t, i in np.argwhere(_starts(traj))]


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _time_to_recover(level: np.ndarray, scenario: Scenario) -> int | None:
    # without shocks it is measured from step 0: a graph that cannot serve its demand never recovers
    end = max((s.end for s in scenario.shocks), default=0)
    if end == math.inf or end >= len(level) or level[-1] < RECOVERED_LEVEL:
        return None
    below = np.flatnonzero(level[int(end) :] < RECOVERED_LEVEL)
    return int(below[-1] + 1) if below.size else 0


def _ends_during_shock(shocks: Sequence, steps: int) -> bool:
    """Whether a shock still acts at the last step (``end`` is the step after its last)."""
    return any(shock.end >= steps for shock in shocks)


def _none_if_nan(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def drill_metrics(
    traj: Trajectory, G: nx.DiGraph, scenario: Scenario, *, compiled: CompiledGraph | None = None
) -> dict:
    """The drill's figures, under the keys ``augur run --json`` prints (docs/model.md, "Drill results").

    ``compiled`` is the graph the drill ran on, as arrays, where the caller has it: its in-edges
    then give the cascade's depth without reading the graph's dicts again.
    """
    level = service_level(traj, G, compiled)
    failed_ever = (traj.status == _FAILED).any(axis=0)
    # the compiled graph's map of the record's columns, where it is the graph the drill ran on
    index = compiled.node_index if compiled is not None and compiled.nodes == traj.nodes else None
    starts = _starts(traj)
    primary_start = primary_starts(traj, G, scenario, starts=starts, index=index)
    secondary = _knock_on(traj.nodes, starts, primary_start)
    downs = np.argwhere(starts)
    downs_primary = primary_start[tuple(downs.T)]
    primary = primary_nodes(
        scenario, _named(traj.nodes, downs[:, 1]), _named(traj.nodes, downs[downs_primary, 1])
    )
    depth = 0
    if secondary:
        suppliers = supplier_rows(G, traj.nodes, compiled)
        depth = cascade_depth(G, scenario.shocks, traj.nodes, downs, downs_primary, suppliers)

    multiplier, overrun, cost, widening = _token_figures(traj, G, compiled if index is not None else None)

    below_slo = level < scenario.slo
    over_budget = (
        scenario.token_budget is not None and multiplier is not None and multiplier > scenario.token_budget
    )
    if secondary:
        verdict = "cascade"
    elif below_slo.any() or over_budget:
        verdict = "degraded"
    else:
        verdict = "graceful"

    first_shock = min((s.start for s in scenario.shocks), default=None)
    first_below = _first(below_slo)
    tts = None
    if first_below is not None:
        tts = first_below - first_shock if first_shock is not None else first_below
        tts = max(tts, 0)

    return {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "steps": traj.steps,
        "step_unit": scenario.step_unit,
        "slo": scenario.slo,
        "token_budget": scenario.token_budget,
        "verdict": verdict,
        "hypothesis": scenario.hypothesis,
        "hypothesis_held": None if scenario.hypothesis is None else verdict == scenario.hypothesis,
        "primary": primary,
        "secondary_failures": secondary,
        "cascade_depth": depth,
        "service_level_min": float(level.min()),
        "time_to_survive": tts,
        "time_to_recover": _time_to_recover(level, scenario),
        "ends_during_shock": _ends_during_shock(scenario.shocks, traj.steps),
        "down_at_end": list(map(traj.nodes.__getitem__, np.flatnonzero(_down(traj.status[-1])).tolist())),
        "resilience_loss": float((1.0 - level).sum()),
        "peak_token_multiplier": multiplier,
        "token_overrun": overrun,
        "token_overrun_cost": cost,
        "ci_widening_peak": _none_if_nan(widening) if widening is not None else None,
        "failed_nodes": int(failed_ever.sum()),
        "nodes": len(traj.nodes),
    }


def _token_figures(traj: Trajectory, G: nx.DiGraph, compiled: CompiledGraph | None) -> tuple:
    """The AI services' peak token multiplier, token overrun, its cost and the interval's peak
    widening; all None where the drill has no AI service. ``compiled`` is the graph the drill ran
    on, where its columns are the record's: its AI mask is read, not each node's kind."""
    node_data = G._node  # the attribute dicts themselves, not a view's look-up per node
    if compiled is not None:
        ai = compiled.is_ai
    else:
        kinds = map(_KIND, map(node_data.__getitem__, traj.nodes))
        ai = np.fromiter(map(eq, kinds, repeat("ai_service")), bool, len(traj.nodes))
    if not ai.any():
        return None, None, None, None
    tokens = np.ascontiguousarray(traj.tokens[:, ai])  # C-ordered, as in service_level
    baseline = tokens[0]
    multiplier = float(tokens.sum(axis=1).max() / baseline.sum())
    over = np.ascontiguousarray(np.clip(tokens - baseline, 0, None).T).sum(axis=1)
    services = (v for v, is_ai in zip(traj.nodes, ai) if is_ai)
    price = np.array([node_data[v].get("price_per_1k_tokens", 0.0) for v in services])
    overrun, cost = float(over.sum()), float((over * price).sum() / 1000.0)
    widening = float(np.nanmax(traj.ci[:, ai] / traj.ci[0, ai]))
    return multiplier, overrun, cost, widening


DEEPER_STEP = 0.1  # how much further a degraded node must sink to be told again
_LABELS = [status.label for status in Status]  # by status code


def drill_events(traj: Trajectory, G: nx.DiGraph, scenario: Scenario) -> list[Event]:
    """The drill's story in order: shocks, status changes of nodes, and the service level vs SLO,
    as facts (:class:`augur.drill.DrillResult` puts them in words).

    Within a step: shocks first, then nodes in graph order, then the service level.
    """
    events: list[Event] = []
    level = service_level(traj, G)
    status = traj.status
    nodes = traj.nodes
    changes = np.argwhere(status[1:] != status[:-1])  # rows are (t - 1, i), sorted by step
    by_step: dict[int, list[int]] = {}
    for row, i in changes:
        by_step.setdefault(int(row) + 1, []).append(int(i))

    # a degraded node that sinks a further DEEPER_STEP below the level last told is told again
    told = np.ones(len(traj.nodes))
    degraded = status == Status.DEGRADED
    for t in range(1, traj.steps):
        began = degraded[t] & ~degraded[t - 1]
        told[began] = traj.output[t, began]
        deeper = np.flatnonzero(degraded[t] & degraded[t - 1] & (traj.output[t] <= told - DEEPER_STEP))
        told[deeper] = traj.output[t, deeper]
        for shock in scenario.shocks:
            if shock.start == t:
                events.append(Event(t, "shock", facts={"shock": shock}))
            if shock.end == t:
                events.append(Event(t, "shock_end", facts={"shock": shock}))
        told_now = sorted([*by_step.get(t, ()), *deeper])
        # a step's values taken at once: on a large cascade thousands of nodes change in one step
        new_codes, old_codes = status[t, told_now].tolist(), status[t - 1, told_now].tolist()
        outputs = traj.output[t, told_now].tolist()
        for i, new, old, output in zip(told_now, new_codes, old_codes, outputs):
            facts = {"was": _LABELS[old], "output": output}
            if new == Status.THROTTLED:
                facts["ratio"] = float(traj.throttle_ratio[t, i])
            elif new == Status.RECOVERING:
                facts["left"] = int(traj.down[t, i] + 1)
            events.append(Event(t, _LABELS[new], node=nodes[i], facts=facts))
        if level[t] < scenario.slo <= level[t - 1]:
            events.append(Event(t, "slo_breach", facts={"slo": scenario.slo, "level": float(level[t])}))
        elif level[t] >= scenario.slo > level[t - 1]:
            events.append(Event(t, "slo_met", facts={"slo": scenario.slo, "level": float(level[t])}))
    return events


# The drill figures that depend on the drill (its shocks and states), not on the scenario's settings:
# what batch_metrics gives for each drill of a batch.
BATCH_METRIC_KEYS = (
    "verdict",
    "hypothesis_held",
    "primary",
    "secondary_failures",
    "cascade_depth",
    "service_level_min",
    "time_to_survive",
    "time_to_recover",
    "ends_during_shock",
    "resilience_loss",
    "peak_token_multiplier",
    "token_overrun",
    "token_overrun_cost",
    "ci_widening_peak",
    "failed_nodes",
)

# Fields from which batch_metrics can work: run_batch(..., record=METRIC_FIELDS) keeps them whole.
# metric_record(G) keeps only what the figures read, which is what a large batch should record.
METRIC_FIELDS = ("output", "status", "tokens", "ci")

# How many recorded values one chunk of measure_batch holds at most.
METRIC_CHUNK_VALUES = 1 << 22


def metric_record(G: nx.DiGraph) -> dict:
    """What a batch must record for :func:`batch_metrics`, and nothing more.

    ``run_batch(g, drills, steps, **metric_record(G))`` keeps the output of the service nodes, the
    tokens and interval of the AI services, and the failures summary instead of every status.
    """
    index = {v: i for i, v in enumerate(G.nodes)}
    service = [index[v] for v in service_nodes(G)]
    ai = [i for i, (_, kind) in enumerate(G.nodes(data="kind")) if kind == "ai_service"]
    return {
        "record": ("output", "tokens", "ci", "failures"),
        "columns": {"output": service, "tokens": ai, "ci": ai},
    }


def _recorded(batch: BatchTrajectory, name: str, want: np.ndarray) -> np.ndarray:
    """Field ``name`` at the nodes ``want`` (indices), shape ``(size, steps, len(want))``."""
    values = batch.field(name)
    cols = batch.columns.get(name)
    if cols is None:
        return values[:, :, want]
    position = {int(c): j for j, c in enumerate(cols)}
    missing = [batch.nodes[i] for i in want if int(i) not in position]
    if missing:
        raise KeyError(f"field {name!r} was not recorded at {missing[:3]!r}, which batch_metrics reads")
    pick = [position[int(i)] for i in want]
    return values if pick == list(range(len(cols))) else values[:, :, pick]


def _down_starts(batch: BatchTrajectory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows ``(drill, step, node)`` where a node went down, and ``(size, n)`` whether it ever failed
    and at how many steps it was failed or recovering."""
    if batch.down_starts is not None:
        return batch.down_starts, batch.failed_ever, batch.down_steps
    status = _recorded(batch, "status", np.arange(len(batch.nodes)))
    down = (status == Status.FAILED) | (status == Status.RECOVERING)
    starts = down.copy()
    starts[:, 1:] &= ~down[:, :-1]
    return np.argwhere(starts), (status == Status.FAILED).any(axis=1), down.sum(axis=1)


def _batch_tokens(batch: BatchTrajectory, G: nx.DiGraph) -> tuple[np.ndarray, ...] | None:
    """Per drill: peak tokens as a multiple of baseline, tokens over baseline, their cost and the
    widest interval against its baseline; ``None`` on a graph without AI services."""
    nodes = batch.nodes
    kinds = dict(G.nodes(data="kind"))  # one pass over the graph, not a view's look-up per node
    ai = np.array([i for i, v in enumerate(nodes) if kinds[v] == "ai_service"], dtype=np.int64)
    if not ai.size:
        return None
    tokens = np.ascontiguousarray(_recorded(batch, "tokens", ai))
    baseline = tokens[:, 0, :]
    multiplier = tokens.sum(axis=2).max(axis=1) / baseline.sum(axis=1)
    # summed over steps as drill_metrics sums one drill's: along a C-ordered copy
    over = np.ascontiguousarray(np.clip(tokens - baseline[:, None, :], 0, None).transpose(0, 2, 1)).sum(
        axis=2
    )
    price = np.array([G.nodes[nodes[i]].get("price_per_1k_tokens", 0.0) for i in ai])
    overrun, cost = over.sum(axis=1), (over * price).sum(axis=1) / 1000.0
    ci = _recorded(batch, "ci", ai)
    widening = np.nanmax(ci / ci[:, 0, :][:, None, :], axis=(1, 2))
    return multiplier, overrun, cost, widening


def _batch_tts(below_slo: np.ndarray, shocks: Sequence) -> int | None:
    """Time to survive of one drill of a batch: steps from its first shock to its first step below
    the SLO (from step 0 without shocks); ``None`` when it never falls below."""
    first_shock = min((s.start for s in shocks), default=None)
    first_below = _first(below_slo)
    if first_below is None:
        return None
    return max(first_below - first_shock if first_shock is not None else first_below, 0)


def _shocked_rows(
    rows: np.ndarray, G: nx.DiGraph, drill: Drill, nodes: Sequence, index: Mapping, steps: int
) -> np.ndarray:
    """Which down-start rows ``(drill, step, node)`` of one drill began under shocks acting on the
    node itself that could take it down by themselves (see :func:`secondary_failures`)."""
    shocks = drill.shocks
    shocked = np.zeros(len(rows), dtype=bool)
    if not len(rows):
        return shocked
    at, node = rows[:, 1], rows[:, 2]
    for shock in shocks:
        if shock.kind in CANNOT_FAIL_TARGET:
            continue
        # a shock has a target or two: one comparison each costs less than np.isin's set-up
        targeted = np.zeros(len(rows), dtype=bool)
        for t in shock.target:
            targeted |= node == index[t[1] if isinstance(t, tuple) else t]
        shocked |= (at >= shock.start) & (at < min(shock.end, steps)) & targeted
    for j in np.flatnonzero(shocked):  # a shock hits a node or two: few rows to look at
        shocked[j] = own_shock_fails(G, shocks, nodes[rows[j, 2]], int(rows[j, 1]), drill.params)
    return shocked


def batch_metrics(
    batch: BatchTrajectory,
    G: nx.DiGraph,
    scenario: Scenario,
    drills: Sequence[Drill],
    *,
    series: bool = False,
    compiled: CompiledGraph | None = None,
) -> list[dict]:
    """Each drill's figures: drill ``b``'s dict is what :func:`drill_metrics` gives for drill ``b``
    alone (the scenario with ``drills[b].shocks``), under the keys of :data:`BATCH_METRIC_KEYS`, and
    ``"primary_down"``: ``{node: steps}`` each primary node was down (a sweep's time down). With
    ``series=True`` also ``"service_level"``, the per-step array. The batch must have recorded the
    output of the service nodes, the tokens and interval of the AI services, and the status of every
    node or the failures summary: :data:`METRIC_FIELDS`, or :func:`metric_record`, which keeps only
    that. ``compiled`` is the graph the batch ran on, as arrays (see :func:`drill_metrics`).
    """
    if len(drills) != batch.size:
        raise ValueError(f"{len(drills)} drills given for a batch of {batch.size}")
    nodes = batch.nodes
    index = {v: i for i, v in enumerate(nodes)}
    steps = batch.steps
    service = np.array([index[v] for v in service_nodes(G)])
    level = np.ascontiguousarray(_recorded(batch, "output", service)).mean(axis=2)
    starts, failed_ever, down_steps = _down_starts(batch)
    bounds = np.searchsorted(starts[:, 0], np.arange(batch.size + 1))

    tokens = _batch_tokens(batch, G)
    minimum = level.min(axis=1)
    loss = (1.0 - level).sum(axis=1)
    below_slo = level < scenario.slo

    out, suppliers = [], None
    for b, drill in enumerate(drills):
        drill_scenario = replace(scenario, shocks=tuple(drill.shocks))
        rows = starts[bounds[b] : bounds[b + 1]]
        shocked = _shocked_rows(rows, G, drill, nodes, index, steps)
        secondary = [nodes[i] for i in np.unique(rows[~shocked, 2])]
        primary = primary_nodes(drill_scenario, _named(nodes, rows[:, 2]), _named(nodes, rows[shocked, 2]))
        depth = 0
        if secondary:
            suppliers = suppliers or supplier_rows(G, nodes, compiled)
            depth = cascade_depth(G, drill.shocks, nodes, rows[:, 1:], shocked, suppliers)

        if tokens is None:
            token_figures, ci_peak = (None, None, None), None
        else:
            multiplier, overrun, cost, widening = tokens
            token_figures = float(multiplier[b]), float(overrun[b]), float(cost[b])
            ci_peak = _none_if_nan(widening[b])
        peak = token_figures[0]
        over_budget = scenario.token_budget is not None and peak is not None and peak > scenario.token_budget
        if secondary:
            verdict = "cascade"
        elif below_slo[b].any() or over_budget:
            verdict = "degraded"
        else:
            verdict = "graceful"
        row = {
            "verdict": verdict,
            "hypothesis_held": None if scenario.hypothesis is None else verdict == scenario.hypothesis,
            "primary": primary,
            "secondary_failures": secondary,
            "cascade_depth": depth,
            "service_level_min": float(minimum[b]),
            "time_to_survive": _batch_tts(below_slo[b], drill.shocks),
            "time_to_recover": _time_to_recover(level[b], drill_scenario),
            "ends_during_shock": _ends_during_shock(drill.shocks, steps),
            "resilience_loss": float(loss[b]),
            "peak_token_multiplier": token_figures[0],
            "token_overrun": token_figures[1],
            "token_overrun_cost": token_figures[2],
            "ci_widening_peak": ci_peak,
            "failed_nodes": int(failed_ever[b].sum()),
            "primary_down": {v: int(down_steps[b, index[v]]) for v in primary if v in index},
        }
        if series:
            row["service_level"] = level[b].copy()
        out.append(row)
    return out


def measure_batch(
    g: CompiledGraph, G: nx.DiGraph, scenario: Scenario, drills: Sequence[Drill], *, series: bool = False
) -> list[dict]:
    """Run ``drills`` on ``g`` over the scenario's horizon and return :func:`batch_metrics` of each.

    The drills run in chunks that record only what the figures read (:func:`metric_record`), so a
    sweep of thousands of drills on a large graph holds a few tens of megabytes of states at a time.
    """
    record = metric_record(G)
    per_drill = scenario.steps * max(1, sum(len(c) for c in record["columns"].values()))
    chunk = max(1, METRIC_CHUNK_VALUES // per_drill)
    out: list[dict] = []
    for lo in range(0, len(drills), chunk):
        part = drills[lo : lo + chunk]
        batch = run_batch(g, part, scenario.steps, **record)
        out += batch_metrics(batch, G, scenario, part, series=series, compiled=g)
    return out
