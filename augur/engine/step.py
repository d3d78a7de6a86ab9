"""Step a compiled drill through time: every node at once, no Python loop over nodes or edges.

The order of operations is the one written in docs/model.md ("One step"); each numbered comment below
points at its rule there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from augur.engine.compiled import CompiledGraph, ShockPlan

__all__ = ["STATE_FIELDS", "Status", "Trajectory", "run_compiled"]


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


# Supply or relative input quality this close to 1 is the baseline: summation order must not draw on
# a buffer or create retries.
BASELINE_SNAP = 1e-12

STATE_FIELDS = ("output", "load", "supply", "stock", "quality", "attempts", "tokens", "ci", "down")


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


def _delayed_arrivals(t, delivered, held_quality, arrival_delay, delayed, lead, ks, src, output, quality):
    """Overwrite what arrives, and its quality, on delayed edges at step ``t``.

    A delay holds goods at the bottleneck: what was due to land at step t' lands at ``t' + delay(t')``,
    with the delay in force at t'. The latest due step that lands at t is what arrives; where none
    does (the first ``delay`` steps of a jam), nothing arrives and the quality is that of what was
    due. Columns of ``arrival_delay`` follow ``delayed``.
    """
    due = t - ks  # candidate due steps, latest first: shape (max delay + 1, 1)
    cols = np.arange(delayed.size)[None, :]
    delay_then = np.where(due > 0, arrival_delay[np.maximum(due, 0), cols], 0)
    lands = delay_then == ks
    found = lands.any(axis=0)
    landed_due = due[lands.argmax(axis=0), 0]
    rows = np.maximum(landed_due - 1 - lead, 0)  # the step those goods left the supplier
    delivered[delayed] = np.where(found, output[rows, src], 0.0)
    held_quality[delayed] = np.where(found, quality[rows, src], held_quality[delayed])


def run_compiled(g: CompiledGraph, plan: ShockPlan, steps: int) -> Trajectory:
    """Run ``steps`` steps (step 0 is the baseline) and return the whole trajectory."""
    n = g.n
    shape = (steps, n)
    output = np.empty(shape)
    load = np.empty(shape)
    supply = np.empty(shape)
    stock = np.empty(shape)
    quality = np.empty(shape)
    attempts = np.ones(shape)
    tokens = np.zeros(shape)
    ci = np.full(shape, np.nan)
    down = np.zeros(shape, dtype=np.int64)
    status = np.zeros(shape, dtype=np.int8)
    ratio = np.zeros(shape)

    ai = np.flatnonzero(g.is_ai)
    output[0] = load[0] = supply[0] = 1.0
    stock[0] = g.buffer
    quality[0] = g.baseline_quality
    tokens[0, ai] = g.tokens_per_unit[ai]
    ci[0, ai] = g.ci_base[ai]

    # AI parameters, taken once: retries, tokens and throttling only concern these columns.
    ai_rs, ai_mr = g.retry_sensitivity[ai], g.max_retries[ai]
    ai_tpu, ai_limit, ai_ci = g.tokens_per_unit[ai], g.token_limit[ai], g.ci_base[ai]
    ai_fail_below = g.fail_below[ai]
    ai_mix0 = g.baseline_mix[ai]
    ai_has_mix0 = ai_mix0 > 0

    flat_output = output.reshape(-1)
    flat_quality = quality.reshape(-1)
    # Flat index of the edge source's row ``t - 1 - lead_time`` is t * n + offset, never before row 0.
    offset = g.src - (1 + g.lead_time) * n
    has_inputs = g.has_inputs
    sinks = ~g.has_dependents
    input_nodes, group_starts = g.input_nodes, g.group_starts
    # Nodes with inputs but nowhere anything arrives fall back to the quality of what they hold.
    in_weight = np.where(has_inputs, g.inflow_matrix @ np.ones(g.m), 1.0) if g.m else np.ones(n)
    edge_values = np.empty((g.m, 2))
    # Delayed edges: the delay in force at each step, to find what arrives when.
    delayed = plan.delayed_edges
    arrival_delay = np.zeros((steps, delayed.size), dtype=np.int64)
    delayed_lead, delayed_src = g.lead_time[delayed], g.src[delayed]
    delay_steps = np.arange(int(plan.max_delay.max(initial=0)) + 1)[:, None]

    for t in range(1, steps):
        f = plan.factors(t)
        demand = f.get("demand")
        inflow = f.get("inflow")

        # 1. Load: sinks carry their demand; others the weighted mean of what dependents ask.
        if g.m:
            L = g.load_matrix @ (load[t - 1] * attempts[t - 1])
            L[sinks] = 1.0
        else:
            L = np.ones(n)
        if demand is not None:
            L *= demand

        # 2. Supply: what arrives on each edge, lagged by lead time and delay, per group, min.
        a = np.ones(n) if inflow is None else inflow.copy()
        if g.m:
            flat = np.maximum(t * n + offset, g.src)
            delivered = flat_output[flat]
            held_quality = flat_quality[flat]
            if delayed.size:
                if "edge_delay" in f:
                    arrival_delay[t] = f["edge_delay"][delayed]
                _delayed_arrivals(t, delivered, held_quality, arrival_delay, delayed, delayed_lead,
                                  delay_steps, delayed_src, output, quality)  # fmt: skip
            if "edge_capacity" in f:
                delivered *= f["edge_capacity"]
            if inflow is not None:
                delivered *= inflow[g.dst]
            a[input_nodes] = np.minimum.reduceat(g.group_matrix @ delivered, group_starts)
            # everything arrived, up to the rounding of the weighted mean: not a shortfall
            a[(a > 1.0 - BASELINE_SNAP) & (a < 1.0)] = 1.0

        # 3. Headroom.
        h = np.minimum(a / g.min_supply, 1.0)

        # 4. Buffer: stock covers a shortfall while it lasts, refills while supply is sufficient.
        short = h < 1.0
        prev_stock = stock[t - 1]
        cover = np.minimum(1.0 - h, prev_stock)
        S = np.where(short, prev_stock - cover, np.minimum(g.buffer, prev_stock + g.restock))
        c = np.where(short, h + cover, 1.0)

        # 5. Output before failure.
        cap = g.capacity if "capacity" not in f else g.capacity * f["capacity"]
        o = np.minimum(np.minimum(c, cap / np.maximum(L, 1.0)), 1.0)

        # 6. Quality mix: delivered-weighted; the plain weighted mean where nothing arrives.
        mix = np.ones(n)
        if g.m:
            edge_values[:, 0] = delivered * held_quality
            edge_values[:, 1] = delivered
            sums = g.inflow_matrix @ edge_values
            den = sums[:, 1]
            empty = has_inputs & (den <= 0)
            arrived = has_inputs & ~empty
            mix[arrived] = sums[arrived, 0] / den[arrived]
            if empty.any():
                mix[empty] = (g.inflow_matrix @ held_quality)[empty] / in_weight[empty]
        q = g.quality * mix
        if "quality" in f:
            q *= f["quality"]
        quality[t] = q

        # 7. AI services: retries, tokens, throttling, confidence interval.
        # input quality relative to the settled baseline, so an unshocked drill does not retry
        q_in = c[ai] * np.where(ai_has_mix0, mix[ai] / np.where(ai_has_mix0, ai_mix0, 1.0), 1.0)
        # at the baseline the ratio is 1 up to rounding; snap it so float noise never retries
        q_in[q_in > 1.0 - BASELINE_SNAP] = 1.0
        p = np.minimum(0.9, ai_rs * (1.0 - q_in))
        retrying = p > 0
        A = np.ones(ai.size)
        A[retrying] = (1.0 - p[retrying] ** (ai_mr[retrying] + 1)) / (1.0 - p[retrying])
        o_ai = o[ai]
        wanted = ai_tpu * L[ai] * A * o_ai
        limit = ai_limit if "limit" not in f else ai_limit * f["limit"][ai]
        throttled = wanted > limit
        T = np.where(throttled, limit, wanted)
        idle_ai = o_ai < ai_fail_below  # down before throttling: no work, no tokens
        if throttled.any():
            hit = ai[throttled]
            o[hit] *= limit[throttled] / wanted[throttled]
            ratio[t, hit] = wanted[throttled] / limit[throttled]
        ci[t, ai] = ai_ci / np.sqrt(np.maximum(q_in, 0.01))

        # 8. Failure and recovery.
        fails = o < g.fail_below
        prev_down = down[t - 1]
        recovering = ~fails & (prev_down > 0)
        is_down = fails | recovering
        down[t] = np.where(fails, g.recovery, np.where(recovering, prev_down - 1, 0))
        output[t] = np.where(is_down, 0.0, o)
        # a service that is down does no work: no tokens, and no retries asking its suppliers again
        idle = idle_ai | recovering[ai]
        tokens[t, ai] = np.where(idle, 0.0, T)
        attempts[t, ai] = np.where(idle, 1.0, A)
        st = np.where(o >= 0.99, np.int8(Status.OK), np.int8(Status.DEGRADED))
        st[ai[throttled]] = Status.THROTTLED
        st[recovering] = Status.RECOVERING
        st[fails] = Status.FAILED
        status[t] = st
        load[t] = L
        supply[t] = a
        stock[t] = S

    return Trajectory(
        nodes=list(g.nodes),
        output=output,
        load=load,
        supply=supply,
        stock=stock,
        quality=quality,
        attempts=attempts,
        tokens=tokens,
        ci=ci,
        down=down,
        status=status,
        throttle_ratio=ratio,
    )
