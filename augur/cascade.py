"""How deep a cascade went: hops along the longest chain of knock-on failures (docs/model.md,
"cascade_depth"), from a drill's down starts and each node's suppliers.

:func:`augur.metrics.drill_metrics` and :func:`augur.metrics.batch_metrics` both ask it; the failures
of one step are taken at once, as arrays, so a cascade through 10,000 nodes costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import networkx as nx
import numpy as np

from augur.engine import CompiledGraph

__all__ = ["cascade_depth", "supplier_rows"]


def cascade_depth(
    G: nx.DiGraph,
    shocks: Sequence,
    nodes: Sequence,
    downs: np.ndarray,
    primary: np.ndarray,
    suppliers: tuple[np.ndarray, np.ndarray],
) -> int:
    """Hops along the longest chain of knock-on failures (docs/model.md, "cascade_depth").

    ``downs`` are the drill's down starts, rows ``(t, i)`` in step order: each time node ``nodes[i]``
    went down, and ``primary`` whether its own shocks took it down. A primary failure is at depth 0.
    A secondary failure is one hop past the shallowest of its suppliers that went down at an earlier
    step (a failure starves its dependents); with none, the failure came through nodes that held (a
    load passed upstream, a shortfall passed on) and its depth is its undirected hop distance to the
    nearest node whose shock had started by then. So a shock that fails nothing never shortens a
    chain of failures, however close to it it lands. ``suppliers`` are each node's suppliers as rows
    ``(indptr, indices)`` (:func:`supplier_rows`); a step's failures are taken at once.

    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nodes = ["a", "b", "c"]
    >>> downs = np.array([[2, 0], [3, 1], [4, 2]])  # a at step 2, b at 3, c at 4
    >>> cascade_depth(G, [], nodes, downs, np.array([True, False, False]), supplier_rows(G, nodes))
    2
    """
    if primary.all():
        return 0
    indptr, supplier = suppliers
    depth = np.full(len(nodes), np.inf)  # the least depth of each node's down starts before this step
    deepest = 0
    at = downs[:, 0]
    bounds = np.flatnonzero(np.r_[True, at[1:] != at[:-1], True])
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        now, found = downs[lo:hi, 1], np.zeros(hi - lo)
        knock_on = np.flatnonzero(~primary[lo:hi])
        if knock_on.size:
            found[knock_on] = _least_supplier_depth(now[knock_on], depth, indptr, supplier) + 1
            t = int(at[lo])
            for j in knock_on[np.isinf(found[knock_on])].tolist():  # no supplier went down before
                found[j] = _hops_to_shocks(G, nodes[now[j]], shocks, t)
            deepest = max(deepest, int(found[knock_on].max()))
        depth[now] = np.minimum(depth[now], found)
    return deepest


def _least_supplier_depth(rows: np.ndarray, depth: np.ndarray, indptr: np.ndarray, supplier: np.ndarray):
    """The least ``depth`` among the suppliers of each node in ``rows`` (inf where it has none)."""
    first, count = indptr[rows], indptr[rows + 1] - indptr[rows]
    offsets = np.cumsum(count) - count
    at = np.repeat(first - offsets, count) + np.arange(int(count.sum()))  # each row's suppliers in turn
    least = np.full(rows.size, np.inf)
    fed = count > 0
    if fed.any():
        least[fed] = np.minimum.reduceat(depth[supplier[at]], offsets[fed])
    return least


def supplier_rows(G: nx.DiGraph, nodes: Sequence, compiled: CompiledGraph | None = None):
    """Each node's suppliers as rows ``(indptr, indices into nodes)``: the compiled graph's in-edges
    where it is given, else read from the graph's predecessor dicts.

    >>> indptr, supplier = supplier_rows(nx.DiGraph([("a", "c"), ("b", "c")]), ["a", "c", "b"])
    >>> indptr.tolist(), supplier.tolist()
    ([0, 0, 2, 2], [0, 2])
    """
    if compiled is not None:
        inflow = compiled.inflow_matrix  # row v holds v's in-edges
        return inflow.indptr, compiled.src[inflow.indices]
    index = {v: i for i, v in enumerate(nodes)}
    preds = [G._pred[v] for v in nodes]
    counts = np.fromiter(map(len, preds), dtype=np.int64, count=len(preds))
    indptr = np.r_[0, np.cumsum(counts)]
    supplier = np.fromiter(map(index.__getitem__, chain.from_iterable(preds)), np.int64, int(indptr[-1]))
    return indptr, supplier


def _hops_to_shocks(G: nx.DiGraph, node: Any, shocks: Sequence, t: int) -> int:
    """Undirected hops from ``node`` to the nearest target of a shock started before step ``t``
    (0 when there is none, or none is connected to it)."""
    sources = {x[1] if isinstance(x, tuple) else x for s in shocks if s.start < t for x in s.target}
    if not sources:
        return 0
    seen, frontier, hops = {node}, [node], 0
    succ, pred = G._succ, G._pred
    while frontier:
        if sources.intersection(frontier):
            return hops
        hops += 1
        nxt = []
        for v in frontier:
            for nbrs in (succ[v], pred[v]):
                for w in nbrs:
                    if w not in seen:
                        seen.add(w)
                        nxt.append(w)
        frontier = nxt
    return 0
