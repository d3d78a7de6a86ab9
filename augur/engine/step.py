"""Step compiled drills through time: every node of every drill at once, no Python loop over nodes,
edges or drills.

The state of a batch is a set of arrays of shape ``(n, B)``, column ``b`` being drill ``b``; a single
drill is a batch of one, so one implementation serves both and a batched drill equals its single run
exactly. The order of operations is the one written in docs/model.md ("One step"); each numbered
comment below points at its rule there.

Work a batch cannot need is skipped, exactly:

- no AI service: no retries, tokens, throttling or intervals, and the load is the same for every
  drill (only a demand spike or retries change it), so it is stepped once until it settles;
- no shock on edges (a delay, an edge's capacity, a bottlenecked logistics node): what arrives is
  read straight from the history rings through one sparse product,
  not gathered edge by edge;
- quality is stepped only when it is recorded or an AI service reads it;
- a drill whose whole state has not changed for as long as the engine looks back, and whose shocks
  do not change at this step, keeps its state: a step is a pure function of that history and the
  shocks, so the skipped step would give the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from augur.engine.compiled import CompiledGraph, ShockPlan
from augur.engine.stages import (
    BASELINE_SNAP,
    HistoryReader,
    ai_services,
    arrivals,
    buffer_step,
    carry,
    delayed_arrivals,
    flat,
    least_of_groups,
    load_step,
    power_bits,
    quality_mix,
    recovery_step,
)

__all__ = ["ALL_FIELDS", "DRILL_PARAMS", "STATE_FIELDS", "Status", "Trajectory", "run_compiled"]


class Status(IntEnum):
    """A node's condition at one step."""

    OK = 0
    DEGRADED = 1
    FAILED = 2
    RECOVERING = 3
    THROTTLED = 4

    @property
    def label(self) -> str:
        return self.name.lower()


STATE_FIELDS = ("output", "load", "supply", "stock", "quality", "attempts", "tokens", "ci", "down")
ALL_FIELDS = (*STATE_FIELDS, "status", "throttle_ratio")

# The node parameters a drill of a batch may change. Intrinsic quality is not among them: it sets the
# settled baseline every drill starts from, so changing it is a different graph, not a different drill.
DRILL_PARAMS = (
    "capacity",
    "min_supply",
    "fail_below",
    "buffer",
    "restock",
    "recovery",
    "tokens_per_unit",
    "token_limit",
    "retry_sensitivity",
    "max_retries",
    "ci_base",
)

# Fields that only an AI service moves: every other node keeps this value at every step.
_AI_FIELDS = {"attempts": 1.0, "tokens": 0.0, "ci": np.nan, "throttle_ratio": 0.0}
_DTYPES = {"down": np.int64, "status": np.int8}


@dataclass(frozen=True)
class Trajectory:
    """Every node's state at every step: arrays of shape ``(steps, n)``, column ``i`` is ``nodes[i]``."""

    nodes: list
    output: np.ndarray
    load: np.ndarray
    supply: np.ndarray
    stock: np.ndarray
    quality: np.ndarray
    attempts: np.ndarray
    tokens: np.ndarray
    ci: np.ndarray
    down: np.ndarray
    status: np.ndarray
    throttle_ratio: np.ndarray  # tokens wanted / limit where throttled, else 0

    @property
    def steps(self) -> int:
        return self.output.shape[0]


class _Schedule:
    """The shocks of a batch of drills as factor arrays ``(size, B)``, rebuilt only when one changes."""

    def __init__(self, plans: Sequence[ShockPlan], n: int, m: int, steps: int):
        self.n, self.m, self.size = n, m, len(plans)
        delayed = [p.delayed_edges for p in plans]
        self.delayed = np.unique(np.concatenate(delayed)) if delayed else np.zeros(0, np.int64)
        # A delay of the whole horizon or more lands nothing within it, as does any longer one: the
        # history kept for delays is at most the horizon, however long a delay the file asks for.
        self.max_delay = min(max((int(p.max_delay.max(initial=0)) for p in plans), default=0), steps)
        # changed[t, b]: some shock of drill b starts or ends at step t
        self.changed = np.zeros((steps + 1, self.size), dtype=bool)
        parts: dict[str, list] = {}
        for b, plan in enumerate(plans):
            for act in plan.actions:
                index = act.index
                if act.array == "edge_delay":
                    index = np.searchsorted(self.delayed, index)
                value = min(act.delay, steps) if act.array.endswith("delay") else act.factor
                k = index.size
                parts.setdefault(act.array, []).append(
                    (
                        index,
                        np.full(k, b),
                        np.full(k, value),
                        np.full(k, act.start, float),
                        np.full(k, act.end),
                    )
                )
                for at in (act.start, act.end):
                    if at <= steps:
                        self.changed[int(at), b] = True
        # per array: entries (index, drill, value, start, end) in drill then shock order, so that
        # overlapping shocks multiply in the same order as a drill run alone
        self.entries = {
            name: tuple(np.concatenate(col) for col in zip(*rows)) for name, rows in parts.items()
        }
        self.arrays = frozenset(self.entries)
        self._at = -1
        self._factors: dict[str, np.ndarray] = {}
        self.version = 0  # counts the rebuilds, so that work depending only on the factors is reused

    def factors(self, t: int) -> dict[str, np.ndarray]:
        """The factor (and delay) arrays some active shock of some drill touches at step ``t``.

        An absent array is 1 everywhere (a delay 0); a drill no shock touches gets 1 in a present one.
        """
        if self._at >= 0 and not self.changed[self._at + 1 : t + 1].any():
            self._at = t
            return self._factors
        out = {}
        for name, (index, drill, value, start, end) in self.entries.items():
            active = (start <= t) & (t < end)
            if not active.any():
                continue
            if name == "edge_delay":
                vec = np.zeros((self.delayed.size, self.size), np.int64)
                np.add.at(vec, (index[active], drill[active]), value[active].astype(np.int64))
            else:
                vec = np.ones((self.m if name.startswith("edge") else self.n, self.size))
                np.multiply.at(vec, (index[active], drill[active]), value[active])
            out[name] = vec
        self._at, self._factors = t, out
        self.version += 1
        return out


def simulate_arrays(
    g: CompiledGraph,
    plans: Sequence[ShockPlan],
    steps: int,
    *,
    params: Mapping[str, np.ndarray] | None = None,
    record: Collection[str] = ALL_FIELDS,
    columns: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Run one drill per shock plan on ``g`` for ``steps`` steps; return the recorded fields.

    ``params`` gives node parameters that differ between drills, as arrays ``(n, B)``; the others
    are ``g``'s. Each recorded field is an array ``(B, steps, k)``: ``k`` is every node, or the nodes
    ``columns[field]`` lists; drill by drill, as the batch hands them on, so no transposing copy of the
    whole trajectory is made at the end (each step's rows are small enough to transpose in cache).
    Only the history the lags need is kept beyond that.

    With ``"failures"`` in ``record``, three summaries take the place of the status of every node at
    every step: ``down_starts``, rows ``(drill, step, node)`` where a node went down (failed or
    recovering after being up), ``failed_ever``, ``(n, B)``: whether it failed at some step, and
    ``down_steps``, ``(n, B)``: at how many steps it was failed or recovering.
    """
    n, m, B = g.n, g.m, len(plans)
    params = params or {}
    columns = columns or {}
    failures = "failures" in record
    record = tuple(name for name in ALL_FIELDS if name in record)
    sched = _Schedule(plans, n, m, steps)
    P = {name: params[name] if name in params else getattr(g, name)[:, None] for name in DRILL_PARAMS}

    ai = np.flatnonzero(g.is_ai)
    has_ai = ai.size > 0
    need_quality = "quality" in record or has_ai
    # With every intrinsic quality 1 and no quality shock, a quality of exactly 1 everywhere stays 1:
    # the delivered-weighted mean of ones is a sum divided by itself. ones_rows counts the latest rows
    # of history that are all ones; once the lags read only such rows the mix is not computed.
    all_intrinsic_one = bool((g.quality == 1.0).all()) and "quality" not in sched.arrays
    ones_rows = int(bool((g.baseline_quality == 1.0).all()))
    # Goods more than the horizon in transit arrive after it, as those a whole horizon in transit do:
    # at every step both read step 0. Clamped, the history kept is at most the horizon long.
    lead = np.minimum(g.lead_time, steps)
    max_lead = int(lead.max(initial=0))
    delayed, max_delay = sched.delayed, sched.max_delay
    depth = max_lead + max_delay + 1  # rows of output and quality history the lags read
    src, dst = g.src, g.dst
    sinks = ~g.has_dependents
    has_inputs = g.has_inputs[:, None]
    input_nodes = g.input_nodes
    group_rows = g.group_rows if m else None
    in_weight = g.in_weight[:, None]
    out_weight, group_weight = g.out_weight[:, None], g.group_weight[:, None]
    history = HistoryReader(g, depth, lead) if m else None
    intrinsic = g.quality[:, None]

    # AI parameters, taken once: retries, tokens and throttling only concern these rows.
    ai_tpu, ai_limit, ai_ci = P["tokens_per_unit"][ai], P["token_limit"][ai], P["ci_base"][ai]
    ai_mix0 = g.baseline_mix[ai][:, None]
    ai_par = {
        "retry_sensitivity": P["retry_sensitivity"][ai],
        "max_retries": P["max_retries"][ai],
        "tokens_per_unit": ai_tpu,
        "fail_below": P["fail_below"][ai],
        "ci_base": ai_ci,
        # a baseline mix this close to 0 is none (rule 7): the service judges its input by supply alone
        "has_mix0": ai_mix0 > BASELINE_SNAP,
        "safe_mix0": np.where(ai_mix0 > BASELINE_SNAP, ai_mix0, 1.0),
        # the exponent of the retries' power, read once
        "retry_bits": power_bits(P["max_retries"][ai] + 1),
    }
    # the mix relative to its baseline where the mix is 1: what the ratio is at every such step
    ai_par["relative_one"] = np.where(ai_par["has_mix0"], 1.0 / ai_par["safe_mix0"], 1.0)

    # The load is the same for every drill when nothing but the graph sets it: no retries, no spikes.
    load_shared = not has_ai and "demand" not in sched.arrays
    # Without any buffer stock stays 0 and covers nothing; without recovery nothing is left recovering.
    no_stock = not P["buffer"].any()
    # A row no drill gives a buffer holds no stock at any step (the rule where no node has one, below):
    # where most rows are such, the buffer step reads and writes only the others.
    stock_rows = np.flatnonzero(P["buffer"].any(axis=1))
    if 2 * stock_rows.size > n:
        stock_rows = None
    else:
        stock_buffer, stock_restock = P["buffer"][stock_rows], P["restock"][stock_rows]
    no_recovery = not P["recovery"].any()
    cap_cache: tuple = (None, None)  # (factors version, capacity / max(load, 1)) while both stand still

    # State at the latest step, (n, B); output and quality keep `depth` steps of history.
    out_ring = np.ones((depth, n, B))
    q_ring = None
    if need_quality:
        # rows not yet written hold ones, not uninitialised memory: the quality mix multiplies whole
        # rings, and garbage there (a signalling NaN) warned though no sum reads those rows
        q_ring = np.ones((depth, n, B))
        q_ring[0] = g.baseline_quality[:, None]
    state = {
        "load": np.ones((n, 1)) if load_shared else np.ones((n, B)),
        "stock": np.array(np.broadcast_to(P["buffer"], (n, B))),
        "down": np.zeros((n, B), np.int64),
        "attempts": np.ones((ai.size, B)),
        "supply": np.ones((n, B)),
        "status": np.zeros((n, B), np.int8),
        "tokens": np.array(np.broadcast_to(ai_tpu, (ai.size, B))),
        "ci": np.array(np.broadcast_to(ai_ci, (ai.size, B))),
        "throttle_ratio": np.zeros((ai.size, B)),
        "is_down": np.zeros((n, B), dtype=bool),
    }
    down_starts: list[np.ndarray] = []
    failed_ever = np.zeros((n, B), dtype=bool)
    # steps down, counted where they change: minus the step a node goes down, plus the step it is back
    down_steps = np.zeros((n, B), np.int64)
    arrival_ring = np.zeros((max_delay + 1, delayed.size, B), np.int64)
    delayed_lead, delayed_src = lead[delayed][:, None], src[delayed][:, None]
    delay_steps = np.arange(max_delay + 1)[:, None, None]

    # What stays as it starts: no stock without a buffer, no steps down without recovery, and quality
    # 1 where it is 1 from the first step on (quality_one below, at every step).
    constant = {"stock": 0.0} if no_stock else {}
    if no_recovery:
        constant["down"] = 0
    if all_intrinsic_one and ones_rows >= depth:
        constant["quality"] = 1.0
    recorder = _Recorder(g, ai, record, columns, steps, B, constant)
    ones = np.ones((n, B))  # the quality and its mix where both are 1 everywhere (quality_one)
    rec = recorder.fields

    def write(t: int) -> None:
        recorder.write(t, state, out_ring[t % depth], None if q_ring is None else q_ring[t % depth])

    write(0)
    # streak[b]: steps in a row at which drill b neither changed state nor saw its shocks change
    streak = np.zeros(B, np.int64)
    # A drill that changes no parameter is the unshocked drill until its first shock starts: while the
    # one of them that starts last is computed, the others that have not started yet copy it.
    first = np.array([min((act.start for act in plan.actions), default=steps) for plan in plans])
    plain = np.ones(B, dtype=bool)
    for name, values in params.items():
        plain &= (values == getattr(g, name)[:, None]).all(axis=0)
    leader = int(np.argmax(np.where(plain, first, -1)))
    share = int(plain.sum()) > 1 and first[leader] > 1
    load_settled = False

    # The loop stays one function: its stages (augur/engine/stages.py, numbered as in docs/model.md)
    # are pure, and what is left here is the bookkeeping they share: the history rings, which
    # drills are computed at this step (the moving ones, or all), and which stood still.
    for t in range(1, steps):
        f_all = sched.factors(t)
        if delayed.size:
            arrival_ring[t % (max_delay + 1)] = f_all.get("edge_delay", 0)
        prev_row, row = (t - 1) % depth, t % depth
        quiet = (streak > depth) & ~sched.changed[t]
        if quiet.all():
            carry(out_ring, q_ring, prev_row, row, None)
            write(t)
            streak += 1
            ones_rows += bool(ones_rows)
            continue
        waiting = None
        if share and t < first[leader]:
            waiting = plain & (first > t) & ~quiet
            waiting[leader] = False
            waiting = np.flatnonzero(waiting) if waiting.any() else None
        computed = ~quiet
        if waiting is not None:
            computed[waiting] = False
        cols = None
        if 2 * int(computed.sum()) <= B:  # few move: worth gathering their columns
            cols = np.flatnonzero(computed)
        else:  # most move: every column is computed (a step is pure, so a still one comes out the same)
            waiting = None

        def take(a, cols=cols):
            return a if cols is None or a.shape[-1] == 1 else a[..., cols]

        f = {name: take(v) for name, v in f_all.items()}
        k = B if cols is None else cols.size
        out_prev = take(out_ring[prev_row])
        quality_one = all_intrinsic_one and ones_rows >= depth
        mix_needed = need_quality and not quality_one
        q_prev = take(q_ring[prev_row]) if need_quality else None
        demand = f.get("demand")
        inflow = f.get("inflow")

        # 1. Load: sinks carry their demand; others the weighted mean of what dependents ask.
        load_prev = take(state["load"])
        if load_shared and load_settled:
            L = load_prev
        elif m:
            L = load_step(g.load_matrix, out_weight, load_prev, take(state["attempts"]) if has_ai else None,
                          ai, sinks)  # fmt: skip
        else:
            L = np.ones((n, 1 if load_shared else k))
        if demand is not None:
            L = L * demand

        # 2. Supply: what arrives on each edge, lagged by lead time and delay, per group, min.
        # by edge where a shock acts on edges; else straight from the history rings (the same sums)
        by_edge = m and (delayed.size > 0 or "edge_capacity" in f or inflow is not None)
        if m and not by_edge:
            inflow_at, supply_at = history.at(t)
            out_hist = flat(out_ring, cols)
            a = history.supply(supply_at @ out_hist)
        else:
            a = np.ones((n, k)) if inflow is None else inflow.copy()
        if by_edge:
            delivered, held_quality = arrivals(
                t, out_ring, q_ring, cols, lead, src, max_lead, depth, prev_row, mix_needed
            )
            if delayed.size:
                delayed_arrivals(t, delivered, held_quality, take(arrival_ring), delayed, delayed_lead,
                                  delay_steps, delayed_src, out_ring, q_ring, depth, cols)  # fmt: skip
            if "edge_capacity" in f:
                delivered *= f["edge_capacity"]
            if inflow is not None:
                delivered *= inflow[dst]
            per_group = g.group_matrix @ delivered
            per_group /= group_weight  # the weighted sums, divided once
            a[input_nodes] = least_of_groups(per_group, group_rows)
        if m:
            # everything arrived, up to the rounding of the weighted mean: not a shortfall
            near = (a > 1.0 - BASELINE_SNAP) & (a < 1.0)
            if near.any():
                a[near] = 1.0

        # 3. Headroom.
        h = a / take(P["min_supply"])
        np.minimum(h, 1.0, out=h)

        # 4. Buffer: stock covers a shortfall while it lasts, refills while supply is sufficient.
        prev_stock = take(state["stock"])
        if no_stock:  # S = 0 - min(1 - h, 0) or min(0, 0 + restock): 0; c = h + 0 or 1 (= h): h
            S, c = prev_stock, h
            stock_pair = (prev_stock, S)
        elif stock_rows is None:
            S, c = buffer_step(h, prev_stock, take(P["buffer"]), take(P["restock"]))
            stock_pair = (prev_stock, S)
        else:
            held = prev_stock[stock_rows]
            S_held, c_held = buffer_step(h[stock_rows], held, take(stock_buffer), take(stock_restock))
            S, c = prev_stock, h  # the state's own stock (or its columns) takes the new rows
            S[stock_rows], c[stock_rows] = S_held, c_held
            stock_pair = (held, S_held)  # the other rows hold 0 before and after

        # 5. Output before failure.
        if cols is None and load_shared and load_settled and cap_cache[0] == sched.version:
            room = cap_cache[1]
        else:
            cap = take(P["capacity"])
            if "capacity" in f:
                cap = cap * f["capacity"]
            room = np.maximum(L, 1.0)
            # in place where the load has a column for every drill the capacity has
            room = np.divide(cap, room, out=room if room.shape[1] >= cap.shape[1] else None)
            # a load at capacity up to the rounding of its sum (ten asks of 1.3 sum above 13) is at it
            room[(room > 1.0 - BASELINE_SNAP) & (room < 1.0)] = 1.0
            if cols is None and load_shared and load_settled:
                cap_cache = (sched.version, room)
        o = np.minimum(c, room)
        np.minimum(o, 1.0, out=o)

        # 6. Quality mix: delivered-weighted; the plain weighted mean where nothing arrives.
        q = mix = None
        if quality_one:
            q = mix = ones if k == B else ones[:, :k]  # read only: the ring rows are ones already
        elif need_quality:
            mix = np.ones((n, k))
            if m and by_edge:
                mix = quality_mix(g.inflow_matrix, delivered, held_quality, has_inputs, in_weight)
            elif m:
                mix = quality_mix(inflow_at, out_hist, flat(q_ring, cols), has_inputs, in_weight)
            q = intrinsic * mix
            if "quality" in f:
                q *= f["quality"]

        # 7. AI services: retries, tokens, throttling, confidence interval.
        if has_ai:
            limit = take(ai_limit)
            if "limit" in f:
                limit = limit * f["limit"][ai]
            mix_ai = None if quality_one else mix[ai]  # None: every mix is 1
            A, T, ratio, ci, throttled, idle_ai = ai_services(
                c[ai], mix_ai, o, L[ai], limit, {name: take(v) for name, v in ai_par.items()}, ai
            )

        # 8. Failure and recovery.
        fails = o < take(P["fail_below"])
        prev_down = take(state["down"])
        if no_recovery:  # down stays 0: nothing recovers, what fails is all that is down
            recovering, is_down, down = None, fails, prev_down
        else:
            recovering, is_down, down = recovery_step(fails, prev_down, take(P["recovery"]))
        output = np.where(is_down, 0.0, o)
        new = {"load": L, "stock": S, "down": down}
        if has_ai:
            # a service that is down does no work: no tokens, and no retries asking its suppliers again
            idle = idle_ai if recovering is None else idle_ai | recovering[ai]
            new["attempts"] = np.where(idle, 1.0, A)
            new["tokens"] = np.where(idle, 0.0, T)
            new["ci"] = ci
            new["throttle_ratio"] = ratio
        if "status" in rec:
            new["status"] = _status(o, fails, recovering, ai, throttled if has_ai else None)
        if "supply" in rec:
            new["supply"] = a
        if failures:
            new["is_down"] = is_down
            # where a node went down or came back: one comparison, split by where it is now
            changed = np.not_equal(is_down, take(state["is_down"]))
            flips = np.argwhere(changed) if changed.any() else None  # rows (node, column), in order
            if flips is not None:
                down_now = is_down[flips[:, 0], flips[:, 1]]
                went_down, came_back = flips[down_now], flips[~down_now]
                drill = went_down[:, 1] if cols is None else cols[went_down[:, 1]]
                if drill.size:
                    down_starts.append(np.column_stack([drill, np.full(len(drill), t), went_down[:, 0]]))
                    if waiting is not None:  # the waiting drills went down where their leader did
                        led = down_starts[-1][drill == leader]
                        down_starts += [np.column_stack([np.full(len(led), w), led[:, 1:]]) for w in waiting]
                # steps down, counted where they change: minus the step it went down, plus the step it is back
                down_steps[went_down[:, 0], drill] -= t
                back = came_back[:, 1] if cols is None else cols[came_back[:, 1]]
                down_steps[came_back[:, 0], back] += t
            if cols is None:
                failed_ever |= fails
            else:
                failed_ever[:, cols] |= fails

        # Which drills stood still: the same state as the step before (and the same shocks). Once
        # every drill has moved in some part, the other parts are not compared.
        same = ~sched.changed[t] if cols is None else ~sched.changed[t, cols]
        for before, after in (
            (out_prev, output),
            (None if quality_one else q_prev, q),  # ones, and ones before: the same
            stock_pair,
            (prev_down, down),
            (take(state["attempts"]) if has_ai else None, new.get("attempts")),
            (None if load_shared else load_prev, L),
        ):
            if before is not None and after is not None and after is not before and same.any():
                same &= (after == before).all(axis=0)
        if load_shared:
            load_settled = load_settled or bool((load_prev == L).all())
            same &= load_settled

        if need_quality and all_intrinsic_one:
            if quality_one:  # every drill's row is ones: the computed ones and the carried ones
                ones_rows += 1
            else:
                row_is_one = (q == 1.0).all() and (cols is None or (q_ring[prev_row] == 1.0).all())
                ones_rows = ones_rows + 1 if row_is_one else 0
        if cols is None:
            out_ring[row] = output
            if need_quality and not quality_one:  # else its rows are ones already
                q_ring[row] = q
            if load_shared:
                state["load"] = L if L.shape[1] == 1 else L[:, :1]
            for name, value in new.items():
                if name != "load" or not load_shared:
                    state[name] = value
            streak = np.where(same, streak + 1, 0)
        else:
            carry(out_ring, q_ring, prev_row, row, (cols, output, q))
            if load_shared:
                state["load"] = L
            for name, value in new.items():
                if name != "load" or not load_shared:
                    state[name][:, cols] = value
            streak[quiet] += 1
            streak[cols] = np.where(same, streak[cols] + 1, 0)
            if waiting is not None:
                for ring in (out_ring, q_ring):
                    if ring is not None:
                        ring[row][:, waiting] = ring[row][:, [leader]]
                for name in new:
                    if name != "load" or not load_shared:
                        state[name][:, waiting] = state[name][:, [leader]]
                streak[waiting] = streak[leader]
                if failures:
                    failed_ever[:, waiting] = failed_ever[:, [leader]]
                    down_steps[:, waiting] = down_steps[:, [leader]]
        write(t)
    if failures:
        rec["down_starts"] = np.concatenate(down_starts) if down_starts else np.zeros((0, 3), np.int64)
        rec["failed_ever"] = failed_ever
        rec["down_steps"] = down_steps + steps * state["is_down"]  # those down at the end: to the horizon
    return rec


class _Recorder:
    """The fields a batch records, ``fields[name]`` of shape ``(B, steps, k)``, and how each step's
    state is copied into them: node-wide fields copy their rows; AI-only fields start at their
    constant and copy the rows of the recorded services. A field in ``constant`` (the value it keeps
    at every node, step and drill of this batch) is that value as a read-only view, never copied."""

    def __init__(self, g: CompiledGraph, ai: np.ndarray, record, columns, steps: int, B: int, constant):
        n = g.n
        self.fields: dict[str, np.ndarray] = {}
        self.rows: dict = {}
        self.ai_rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name in record:
            rows = columns.get(name)
            rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
            # every node in order: a plain copy, not a gather
            self.rows[name] = slice(None) if np.array_equal(rows, np.arange(n)) else rows
            arr = None  # allocated below, with the other fields of its type
            if name in constant:
                value = np.array(constant[name], dtype=_DTYPES.get(name, float))
                arr = np.broadcast_to(value, (B, steps, rows.size))
            elif name in _AI_FIELDS:
                # (positions in the record, positions among the AI services) of the recorded services
                pos = np.flatnonzero(g.is_ai[rows])
                if pos.size:
                    arr = np.full((B, steps, rows.size), _AI_FIELDS[name])
                    which = np.searchsorted(ai, rows[pos])
                    # every service, in order: slices, so that a step's rows copy without a gather
                    if pos.size == rows.size and np.array_equal(which, np.arange(ai.size)):
                        pos, which = slice(None), slice(None)
                    self.ai_rows[name] = (pos, which)
                else:  # no service among them: the constant, as a read-only view that holds no memory
                    arr = np.broadcast_to(np.array(_AI_FIELDS[name]), (B, steps, rows.size))
            self.fields[name] = arr
        # One block per type for the fields written step by step: a few large allocations, which the
        # kernel backs with huge pages, instead of one page fault per 4 kB of trajectory.
        for dtype in (float, np.int64, np.int8):
            names = [name for name, arr in self.fields.items()
                     if arr is None and _DTYPES.get(name, float) is dtype]  # fmt: skip
            sizes = [steps * (n if isinstance(self.rows[name], slice) else len(self.rows[name])) * B
                     for name in names]  # fmt: skip
            block = np.empty(sum(sizes), dtype=dtype)
            for name, size, start in zip(names, sizes, np.cumsum([0, *sizes])):
                self.fields[name] = block[start : start + size].reshape(B, steps, -1)

    def write(self, t: int, state: dict, output: np.ndarray, quality: np.ndarray | None) -> None:
        """Copy step ``t``: ``state``'s arrays, and the step's rows of the output and quality rings."""
        for name, arr in self.fields.items():
            if not arr.flags.writeable:  # a constant
                continue
            if name in _AI_FIELDS:
                if name in self.ai_rows:
                    pos, which = self.ai_rows[name]
                    arr[:, t, pos] = state[name][which].T
            elif name == "output":
                arr[:, t] = output[self.rows[name]].T
            elif name == "quality":
                arr[:, t] = quality[self.rows[name]].T
            else:
                arr[:, t] = state[name][self.rows[name]].T


def _status(o, fails, recovering, ai, throttled) -> np.ndarray:
    """Each node's :class:`Status`: failed over recovering over throttled over degraded or ok."""
    # OK is 0 and DEGRADED 1: whether the output is short of 0.99, as a number (NaN short, as in np.where)
    st = np.logical_not(o >= 0.99).view(np.int8)
    if throttled is not None:
        st_ai = st[ai]
        st_ai[throttled] = Status.THROTTLED
        st[ai] = st_ai
    if recovering is not None:
        st[recovering] = Status.RECOVERING
    st -= fails * (st - np.int8(Status.FAILED))  # FAILED where it fails: st - (st - FAILED)
    return st


def run_compiled(g: CompiledGraph, plan: ShockPlan, steps: int) -> Trajectory:
    """Run ``steps`` steps (step 0 is the baseline) and return the whole trajectory."""
    rec = simulate_arrays(g, [plan], steps)
    return Trajectory(nodes=list(g.nodes), **{name: rec[name][0] for name in ALL_FIELDS})
