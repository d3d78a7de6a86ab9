"""The stages of one step of the engine (docs/model.md, "One step"), each a pure function on arrays
``(rows, drills)``, and the readers of the output and quality history the stages take their inputs
from. :func:`augur.engine.step.simulate_arrays` runs them in order and keeps the bookkeeping they share.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from augur.engine.compiled import CompiledGraph

__all__ = [
    "BASELINE_SNAP",
    "HistoryReader",
    "ai_services",
    "arrivals",
    "buffer_step",
    "carry",
    "delayed_arrivals",
    "flat",
    "least_of_groups",
    "load_step",
    "power_bits",
    "quality_mix",
    "recovery_step",
    "whole_power",
]

# Supply or relative input quality this close to 1 is the baseline: summation order must not draw on
# a buffer or create retries.
BASELINE_SNAP = 1e-12


def load_step(load_matrix, out_weight, load_prev, attempts, ai, sinks) -> np.ndarray:
    """1. Load: sinks carry their demand; others the weighted mean of what dependents ask (their
    load, times their attempts where they are AI services): the weighted sum, divided once by the
    total out-weight."""
    asked = load_prev
    if attempts is not None and (attempts != 1.0).any():  # times 1 is the load itself
        asked = load_prev.copy()
        asked[ai] *= attempts
    L = load_matrix @ asked
    L /= out_weight
    L[sinks] = 1.0
    # everything asked is the baseline, up to the rounding of the weighted mean: not more load
    # (the loads already 1, most of them, are left out: writing them would change nothing)
    near = (L > 1.0 - BASELINE_SNAP) & (L < 1.0 + BASELINE_SNAP) & (L != 1.0)
    if near.any():
        L[near] = 1.0
    return L


def least_of_groups(per_group, group_rows) -> np.ndarray:
    """2. The least of each node's groups, one group row after another (np.minimum.reduceat's value)."""
    least = per_group[group_rows[0]]
    for rows in group_rows[1:]:
        np.minimum(least, per_group[rows], out=least)
    return least


def buffer_step(h, prev_stock, buffer, restock) -> tuple[np.ndarray, np.ndarray]:
    """4. Stock covers a shortfall while it lasts and refills while supply is sufficient: the new
    stock and the covered supply.

    Without a choice between the two branches, exactly: ``h`` is at most 1, so where supply is
    sufficient ``h`` is 1 and the cover ``min(1 - h, stock)`` is 0, and the covered supply ``h + 0``
    is 1; stock never exceeds its buffer, so where supply falls short ``min(buffer, stock + 0)`` is
    the stock, less the cover.
    """
    cover = np.subtract(1.0, h)
    np.minimum(cover, prev_stock, out=cover)
    refill = np.greater_equal(h, 1.0) * restock  # the restock where supply is sufficient, else 0
    refill += prev_stock
    S = np.minimum(buffer, refill, out=refill)
    S -= cover
    return S, h + cover


def quality_mix(inflow, delivered, held_quality, has_inputs, in_weight) -> np.ndarray:
    """6. The quality mix: delivered-weighted; the plain weighted mean where nothing arrives.
    ``inflow`` sums over a node's in-edges what ``delivered`` and ``held_quality`` hold."""
    weighted = inflow @ (delivered * held_quality)
    den = inflow @ delivered
    mix = np.ones(den.shape)
    empty = has_inputs & (den <= 0)
    arrived = has_inputs & ~empty
    np.divide(weighted, den, out=mix, where=arrived)
    if empty.any():
        mix = np.where(empty, (inflow @ held_quality) / in_weight, mix)
    return mix


def ai_services(c_ai, mix_ai, o, L_ai, limit, par, ai) -> tuple:
    """7. AI services: retries, tokens, throttling (which cuts their rows of ``o``, in place) and
    confidence interval. Returns attempts, tokens, throttle ratio, interval, where throttled, and
    where down before throttling."""
    # input quality relative to the settled baseline, so an unshocked drill does not retry
    # (with no mix given, every service's mix is 1: the ratio is the one its baseline sets)
    rel = par["relative_one"] if mix_ai is None else np.where(par["has_mix0"], mix_ai / par["safe_mix0"], 1.0)
    q_in = c_ai * rel
    # at the baseline the ratio is 1 up to rounding; snap it so float noise never retries
    q_in[q_in > 1.0 - BASELINE_SNAP] = 1.0
    p = np.minimum(0.9, par["retry_sensitivity"] * (1.0 - q_in))
    retrying = p > 0
    if retrying.any():
        power = whole_power(p, par["max_retries"] + 1, par.get("retry_bits"))
        A = np.where(retrying, (1.0 - power) / (1.0 - p), 1.0)
    else:
        A = np.ones(q_in.shape)
    o_ai = o[ai]
    wanted = par["tokens_per_unit"] * L_ai * A * o_ai
    throttled = wanted > limit
    T = np.where(throttled, limit, wanted)
    idle = o_ai < par["fail_below"]  # down before throttling: no work, no tokens
    ratio = np.zeros(q_in.shape)
    if throttled.any():
        cut = np.divide(limit, wanted, out=np.ones(q_in.shape), where=throttled)
        o[ai] = np.where(throttled, o_ai * cut, o_ai)
        np.divide(wanted, limit, out=ratio, where=throttled)
    ci = par["ci_base"] / np.sqrt(np.maximum(q_in, 0.01))
    return A, T, ratio, ci, throttled, idle


def power_bits(exponent: np.ndarray) -> np.ndarray:
    """The bits of whole exponents >= 0, lowest first, as a bool array ``(bits, *exponent.shape)``
    (at least one row): what :func:`whole_power` reads of an exponent, taken once for many calls.

    >>> power_bits(np.array([3, 0, 4])).astype(int).tolist()
    [[1, 0, 0], [1, 0, 0], [0, 0, 1]]
    """
    left = np.array(exponent, np.int64)
    bits = [(left >> i) & 1 for i in range(max(1, int(left.max(initial=0)).bit_length()))]
    return np.array(bits, dtype=bool)


def whole_power(base: np.ndarray, exponent: np.ndarray, bits: np.ndarray | None = None) -> np.ndarray:
    """``base ** exponent`` for whole exponents >= 0 (broadcast against ``base``), by repeated squaring.

    Multiplications only, each rounded once as IEEE 754 says, so every element comes out the same at
    any array width and on any machine: NumPy's power takes a vector path or a scalar one by the
    array's size and the exponent's (``p ** 2`` as ``p x p``, or through an AVX-512 pow that is an
    ulp away), and a drill's attempts moved with the size of its batch. ``bits``, the exponent's
    :func:`power_bits` if the caller keeps them, spares reading the exponent again: the same products.

    >>> whole_power(np.array([0.5, 3.0, 2.0]), np.array([3, 0, 10])).tolist()
    [0.125, 1.0, 1024.0]
    >>> whole_power(np.array([0.5, 3.0, 2.0]), None, power_bits(np.array([3, 0, 10]))).tolist()
    [0.125, 1.0, 1024.0]
    """
    if bits is None:
        bits = power_bits(exponent)
    shape = np.broadcast_shapes(base.shape, bits.shape[1:])
    result = np.ones(shape)
    square = np.array(np.broadcast_to(base, shape), dtype=float)
    for i, odd in enumerate(bits):
        if i:
            square *= square
        np.multiply(result, square, out=result, where=odd)
    return result


def recovery_step(fails, prev_down, recovery) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """8. A node that fails is down for ``recovery`` steps more once conditions return: where it is
    recovering, where it is down, and the steps it has left."""
    recovering = ~fails & (prev_down > 0)
    down = np.where(fails, recovery, np.where(recovering, prev_down - 1, 0))
    return recovering, fails | recovering, down


# -- reading the history -------------------------------------------------------------------------------


class HistoryReader:
    """``group_matrix`` and ``inflow_matrix`` over the history rings instead of the edges.

    Without a shock on edges, what arrives on edge ``e`` at step ``t`` is its source's output at
    ``t - 1 - lead_time[e]`` (never before step 0), which sits at a fixed place of the output ring
    flattened to ``(depth x n, drills)``. Folding that place into the matrices' columns reads the
    arrivals in one sparse product, with no gather edge by edge; each row keeps its terms in edge
    order, so every sum comes out bit for bit as through the edge matrices. Past the longest lead
    time the places repeat every ``depth`` steps, so at most ``depth + max lead`` pairs are built.
    """

    def __init__(self, g: CompiledGraph, depth: int, lead: np.ndarray | None = None):
        self.g, self.depth = g, depth
        # the lead times as the step reads them (clamped to the horizon), else the graph's
        self.lead = g.lead_time if lead is None else lead
        self.max_lead = int(self.lead.max(initial=0))
        # kept with the graph, so that every batch on it reads through the same matrices: lead times
        # clamped to a horizon are set by the longest of them, so it and the depth name them
        self._built: dict[int, tuple] = g.history_matrices.setdefault((depth, self.max_lead), {})
        self.stacked, self.stacked_weight, self.no_inputs = _stacked_groups(g)

    def at(self, t: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """``inflow_matrix`` and the stacked ``group_matrix`` (:meth:`supply`) at step ``t``, their
        columns the places in the flattened output ring."""
        key = t if t <= self.max_lead else -1 - t % self.depth
        if key not in self._built:
            g = self.g
            place = (np.maximum(t - 1 - self.lead, 0) % self.depth) * g.n + g.src
            width = self.depth * g.n
            self._built[key] = tuple(
                sp.csr_matrix((mat.data, place[mat.indices], mat.indptr), shape=(mat.shape[0], width))
                for mat in (g.inflow_matrix, self.stacked)
            )
        return self._built[key]

    def supply(self, sums: np.ndarray) -> np.ndarray:
        """2. Each node's supply, ``(n, k)``, from the stacked matrix's product with the ring: the
        least of its groups' weighted means (as :func:`least_of_groups`), 1 where it has no inputs."""
        sums /= self.stacked_weight  # the weighted sums, divided once
        n = self.g.n
        least = sums[:n]
        for start in range(n, sums.shape[0], n):
            np.minimum(least, sums[start : start + n], out=least)
        least[self.no_inputs] = 1.0
        return least


def _stacked_groups(g: CompiledGraph) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """``group_matrix`` with its rows laid out as ``group_rows`` reads them, one block of ``n`` rows
    for each row of ``group_rows`` (a node without inputs: an empty row), so that the least of each
    node's groups is an elementwise minimum of blocks, with no gather; the weight each row's sum is
    divided by (1 for an empty row); the nodes without inputs. Built once for the graph."""
    if "stacked_groups" not in g.history_matrices:
        mat, n = g.group_matrix, g.n
        rows = np.full((len(g.group_rows), n), mat.shape[0])  # past the last group: an empty row
        rows[:, g.input_nodes] = g.group_rows
        rows = rows.ravel()
        counts = np.append(np.diff(mat.indptr), 0)[rows]
        # each row's terms in their order in group_matrix, so each sum is the same, bit for bit
        if len(g.group_rows) == 1:  # a group a node: every group once, in order, empty rows between
            data, indices = mat.data.copy(), mat.indices.copy()
        else:
            starts = np.append(mat.indptr[:-1], 0)[rows]
            take = np.repeat(starts - np.r_[0, np.cumsum(counts)[:-1]], counts) + np.arange(counts.sum())
            data, indices = mat.data[take], mat.indices[take]
        stacked = sp.csr_matrix((data, indices, np.r_[0, np.cumsum(counts)]), shape=(rows.size, mat.shape[1]))
        weight = np.append(g.group_weight, 1.0)[rows][:, None]
        no_inputs = np.ones(n, dtype=bool)
        no_inputs[g.input_nodes] = False
        no_inputs = np.flatnonzero(no_inputs)  # np.setdiff1d's answer, without its sort
        g.history_matrices["stacked_groups"] = (stacked, weight, no_inputs)
    return g.history_matrices["stacked_groups"]


def flat(ring: np.ndarray, cols) -> np.ndarray:
    """A history ring ``(depth, n, drills)`` as ``(depth x n, k)``, at columns ``cols`` (all if None)."""
    if cols is not None:
        ring = ring[:, :, cols]
    return ring.reshape(-1, ring.shape[2])


def carry(out_ring, q_ring, prev_row, row, computed) -> None:
    """Move the history rings on by one step: every drill keeps its last row, the computed ones
    (``(cols, output, quality)``) take their new values."""
    for ring, k in ((out_ring, 1), (q_ring, 2)):
        if ring is None:
            continue
        if row != prev_row:
            ring[row] = ring[prev_row]
        if computed is not None:
            ring[row][:, computed[0]] = computed[k]


def arrivals(t, out_ring, q_ring, cols, lead, src, max_lead, depth, prev_row, need_quality):
    """What left each edge's source ``1 + lead_time`` steps ago (never before step 0), and its quality,
    as arrays ``(m, k)``."""
    if max_lead:
        n = out_ring.shape[1]
        flat = (np.maximum(t - 1 - lead, 0) % depth) * n + src
    else:
        flat = src + prev_row * out_ring.shape[1]
    rings = (out_ring, q_ring) if need_quality else (out_ring,)
    got = []
    for ring in rings:
        flat_ring = ring.reshape(-1, ring.shape[2])
        got.append(flat_ring[flat] if cols is None else flat_ring[np.ix_(flat, cols)])
    return got[0], (got[1] if need_quality else None)


def delayed_arrivals(t, delivered, held_quality, arrival_delay, delayed, lead, ks, src, out_ring, q_ring,
                      depth, cols):  # fmt: skip
    """Overwrite what arrives, and its quality, on delayed edges at step ``t``.

    A delay holds goods at the bottleneck: what was due to land at step t' lands at ``t' + delay(t')``,
    with the delay in force at t'. The latest due step that lands at t is what arrives; where none
    does (the first ``delay`` steps of a jam), nothing arrives and the quality is that of what was
    due. ``arrival_delay`` holds the delays in force over the last ``len(ks)`` steps, by step modulo
    its length; its rows follow ``delayed``.
    """
    due = t - ks  # candidate due steps, latest first: shape (max delay + 1, 1, 1)
    delay_then = np.where(due > 0, arrival_delay[np.maximum(due.ravel(), 0) % len(ks)], 0)
    lands = delay_then == ks
    found = lands.any(axis=0)
    landed_due = t - lands.argmax(axis=0)
    rows = np.maximum(landed_due - 1 - lead, 0) % depth  # the step those goods left the supplier
    k = delivered.shape[1]
    drills = np.arange(k)[None, :] if cols is None else cols[None, :]
    delivered[delayed] = np.where(found, out_ring[rows, src, drills], 0.0)
    if held_quality is not None:
        held_quality[delayed] = np.where(found, q_ring[rows, src, drills], held_quality[delayed])
