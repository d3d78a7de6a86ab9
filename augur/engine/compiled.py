"""Compile a supply graph and its shocks into arrays, once per drill.

Everything the step loop needs is laid out here so that a step is a handful of array operations: node
parameters as vectors, the load and supply relations as sparse matrices, and each shock as index arrays
into those vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, repeat
from operator import itemgetter, methodcaller

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as splinalg

from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, group_name, without_gc

__all__ = ["CompiledGraph", "ShockPlan", "compile_graph", "compile_shocks"]


@dataclass(frozen=True)
class CompiledGraph:
    """A supply graph as arrays. Node ``i`` is ``nodes[i]``; edge ``e`` runs ``src[e] -> dst[e]``."""

    nodes: list
    kinds: np.ndarray
    capacity: np.ndarray
    min_supply: np.ndarray
    fail_below: np.ndarray
    buffer: np.ndarray
    restock: np.ndarray
    recovery: np.ndarray
    quality: np.ndarray
    tokens_per_unit: np.ndarray
    token_limit: np.ndarray  # inf where a service has no limit
    retry_sensitivity: np.ndarray
    max_retries: np.ndarray
    ci_base: np.ndarray
    price_per_1k_tokens: np.ndarray
    is_ai: np.ndarray
    has_dependents: np.ndarray
    has_inputs: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    lead_time: np.ndarray
    # load_v = sum over out-edges of weight x (load x attempts) of the dependent, then divided once
    # by out_weight (1 where none); the weights of a node whose out-weights are all equal are 1
    load_matrix: sp.csr_matrix
    out_weight: np.ndarray
    # per (target, group): sum of weight x what arrives on its edges, then divided once by
    # group_weight; the weights of a group whose weights are all equal are 1
    group_matrix: sp.csr_matrix
    group_weight: np.ndarray
    group_starts: np.ndarray  # first group row of each node with inputs (groups sorted by node)
    input_nodes: np.ndarray  # the nodes with inputs, in the order of group_starts
    # per node: sum of weight x (edge value) over its in-edges, and the same normalised
    inflow_matrix: sp.csr_matrix
    inflow_mean_matrix: sp.csr_matrix
    # the steady state before any shock: emitted quality and the quality mix arriving at each node
    baseline_quality: np.ndarray
    baseline_mix: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    @cached_property
    def node_index(self) -> dict:
        """``{node: i}``: built once, for every drill's shocks to be resolved against."""
        return {v: i for i, v in enumerate(self.nodes)}

    @cached_property
    def edge_index(self) -> dict:
        """``{(u, v): e}``: built on first use (a shock on edges), not for every drill."""
        nodes = self.nodes
        return {(nodes[u], nodes[v]): e for e, (u, v) in enumerate(zip(self.src.tolist(), self.dst.tolist()))}

    @property
    def m(self) -> int:
        return len(self.src)

    @cached_property
    def group_rows(self) -> np.ndarray:
        """``(k, len(input_nodes))``: row ``j`` is each input node's ``j``-th group (its last one
        where it has fewer), so the minimum over a node's groups is ``k - 1`` elementwise minima."""
        counts = np.diff(np.r_[self.group_starts, self.group_matrix.shape[0]])
        most = int(counts.max(initial=1))
        return self.group_starts + np.minimum(np.arange(most)[:, None], counts - 1)

    @cached_property
    def history_matrices(self) -> dict:
        """The matrices :class:`~augur.engine.stages.HistoryReader` builds over the history rings, by
        ring depth and longest lead time: built once for the graph, not once a batch."""
        return {}

    @cached_property
    def in_weight(self) -> np.ndarray:
        """Each node's total in-edge weight (1 where it has none)."""
        if not self.m:
            return np.ones(self.n)
        return np.where(self.has_inputs, self.inflow_matrix @ np.ones(self.m), 1.0)


def _node_table(datas: list[dict]) -> dict[str, np.ndarray]:
    """Every numeric node parameter as a vector, defaults filled in.

    One pass over the nodes per parameter some node sets, with ``dict.get`` mapped over them (a plain
    look-up where every node sets it, the common case); a parameter no node sets is its default
    everywhere, with no pass at all.
    """
    present = set().union(*datas) if datas else set()  # every key some node sets
    table = {}
    for name, attribute in NODE_ATTRIBUTES.items():
        default = np.inf if attribute.default is None else float(attribute.default)
        if name in present:
            table[name] = _column(datas, name, default)
        else:
            table[name] = np.full(len(datas), default)
    return table


def _column(datas: list, name: str, default: float) -> np.ndarray:
    """``name`` of every dict in ``datas`` as floats, ``default`` where a dict lacks it."""
    try:
        return np.fromiter(map(itemgetter(name), datas), dtype=float, count=len(datas))
    except KeyError:  # some dict lacks it: the default there
        return np.fromiter(map(dict.get, datas, repeat(name), repeat(default)), dtype=float, count=len(datas))


def _edge_table(edge_data: list[dict]) -> tuple[np.ndarray, np.ndarray, list | None]:
    """Each edge's weight, lead time and group name, in edge order, defaults filled in: one pass per
    attribute some edge sets, none for an attribute no edge sets (most graphs set few). The group
    names are None where no edge names a group (every edge is in the group "")."""
    m = len(edge_data)
    present = set().union(*edge_data) if any(edge_data) else set()
    weight_default = float(EDGE_ATTRIBUTES["weight"].default)
    if "weight" in present:
        weight = np.fromiter(map(dict.get, edge_data, repeat("weight"), repeat(weight_default)), float, m)
    else:
        weight = np.full(m, weight_default)
    if "lead_time" in present:
        lead = np.fromiter(map(dict.get, edge_data, repeat("lead_time"), repeat(0)), np.int64, m)
    else:
        lead = np.zeros(m, dtype=np.int64)
    groups = list(map(dict.get, edge_data, repeat("group"), repeat(""))) if "group" in present else None
    if groups is not None and set(map(type, groups)) - {str}:
        # a graph built in code: its groups as input_groups reads them (1 and "1" one group, None none)
        groups = list(map(group_name, groups))
    return weight, lead, groups


@without_gc
def compile_graph(G: nx.DiGraph) -> CompiledGraph:
    """Lay out a validated supply graph as arrays for the engine."""
    nodes = list(G.nodes)
    n = len(nodes)
    index = dict(zip(nodes, range(n)))
    datas = list(G._node.values())  # the attribute dicts, in node order
    kinds = np.fromiter(map(itemgetter("kind"), datas), dtype=object, count=n)

    # Edges in G.edges order: each node's successors in turn. Most edges carry no attributes, so
    # only those that do are looked at one by one.
    succ = list(map(G._succ.__getitem__, nodes))  # the adjacency dicts, not a view per node
    out_degree = np.fromiter(map(len, succ), dtype=np.int64, count=n)
    m = int(out_degree.sum())
    src = np.repeat(np.arange(n, dtype=np.int64), out_degree)
    if m > 1:  # one look-up of all the ends at once (itemgetter of one key gives it, not a tuple)
        ends = itemgetter(*chain.from_iterable(succ))(index)
    else:
        ends = map(index.__getitem__, chain.from_iterable(succ))
    dst = np.fromiter(ends, dtype=np.int64, count=m)
    # values() called on each, not dict.values: a subgraph view's adjacency holds filtered mappings
    weight, lead, groups = _edge_table(list(chain.from_iterable(map(methodcaller("values"), succ))))
    params = _node_table(datas)

    out_weight = np.bincount(src, weights=weight, minlength=n)
    in_weight = np.bincount(dst, weights=weight, minlength=n)
    has_dependents = out_weight > 0
    has_inputs = in_weight > 0

    # A weighted mean is its weighted sum divided once by the total, not a sum of shares each rounded:
    # nine equal suppliers of ten up give 9 / 10 = 0.9 exactly, where nine shares of 0.1 summed to
    # 0.8999999999999999 and fell short of a min_supply of 0.9. Only the ratios of the weights
    # matter, so equal ones are summed as ones and the quotient is exact whatever their value.
    # (every weight the same: every set's are, and each is a one)
    uniform = not m or bool((weight == weight[0]).all())
    load_weight = np.ones(m) if uniform else _equal_as_ones(weight, src, n)
    # laid out by row as it stands (the edges come by source), its columns then sorted as SciPy's
    # conversion from (row, column) pairs sorts them, so each row sums in the same order; sorted in
    # place, so on arrays of its own
    index_type = np.int32 if max(n, m) < 2**31 else np.int64
    load_matrix = sp.csr_matrix(
        (load_weight.copy(), dst.astype(index_type), np.r_[0, np.cumsum(out_degree)].astype(index_type)),
        shape=(n, n),
    )
    load_matrix.sort_indices()
    load_total = np.bincount(src, weights=load_weight, minlength=n)
    inflow_matrix = _by_row(weight, dst, n, m)

    # Groups are numbered in (target node, group name) order, so one node's groups are contiguous
    # and np.minimum.reduceat can take the minimum over them.
    names = [""] if groups is None else sorted(set(groups))  # the order np.unique would give
    if len(names) > 1:
        code = {name: i for i, name in enumerate(names)}
        name_code = np.fromiter(map(code.__getitem__, groups), dtype=np.int64, count=m)
    else:
        name_code = np.zeros(m, dtype=np.int64)
    group_key, gid = _numbered(dst * max(len(names), 1) + name_code, n * max(len(names), 1))
    n_groups = len(group_key)
    group_edge_weight = np.ones(m) if uniform else _equal_as_ones(weight, gid, n_groups)
    group_weight = np.bincount(gid, weights=group_edge_weight, minlength=n_groups)
    group_node = group_key // max(len(names), 1)
    # the keys come sorted, so each node's groups are a run: where a run starts, not np.unique's sort
    group_starts = np.flatnonzero(np.r_[True, group_node[1:] != group_node[:-1]]) if n_groups else gid[:0]
    input_nodes = group_node[group_starts]
    if len(names) > 1:
        group_matrix = _by_row(group_edge_weight, gid, n_groups, m)
    else:  # a node's one group is all its in-edges: the inflow matrix's rows that hold any
        layout = inflow_matrix.indices
        starts = np.r_[inflow_matrix.indptr[input_nodes], m].astype(inflow_matrix.indptr.dtype)
        group_matrix = sp.csr_matrix((group_edge_weight[layout], layout.copy(), starts), shape=(n_groups, m))

    safe_in = np.where(has_inputs, in_weight, 1.0)
    # the same layout: each entry's column is its edge, so its value is read by that column
    inflow_mean_matrix = _by_row(weight / safe_in[dst], dst, n, m, like=inflow_matrix)

    baseline_quality, baseline_mix = _steady_quality(
        params["quality"], src, dst, inflow_matrix, inflow_mean_matrix, has_inputs
    )
    compiled = CompiledGraph(
        nodes=nodes,
        kinds=kinds,
        capacity=params["capacity"],
        min_supply=params["min_supply"],
        fail_below=params["fail_below"],
        buffer=params["buffer"],
        restock=params["restock"],
        recovery=params["recovery"].astype(np.int64),
        quality=params["quality"],
        tokens_per_unit=params["tokens_per_unit"],
        token_limit=params["token_limit"],
        retry_sensitivity=params["retry_sensitivity"],
        max_retries=params["max_retries"],
        ci_base=params["ci_base"],
        price_per_1k_tokens=params["price_per_1k_tokens"],
        is_ai=kinds == "ai_service",
        has_dependents=has_dependents,
        has_inputs=has_inputs,
        src=src,
        dst=dst,
        weight=weight,
        lead_time=lead,
        load_matrix=load_matrix,
        out_weight=np.where(has_dependents, load_total, 1.0),
        group_matrix=group_matrix,
        group_weight=group_weight,
        group_starts=group_starts,
        input_nodes=input_nodes,
        inflow_matrix=inflow_matrix,
        inflow_mean_matrix=inflow_mean_matrix,
        baseline_quality=baseline_quality,
        baseline_mix=baseline_mix,
    )
    compiled.__dict__["node_index"] = index  # the cached property, filled with the map built above
    # and the in-weights summed above, edge by edge in edge order as the inflow matrix's rows sum them
    compiled.__dict__["in_weight"] = safe_in
    return compiled


def _numbered(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for keys in ``[0, space)``: the distinct keys in
    order, and each key's rank among them. Counted in a table of the key space where it is not much
    larger than the keys (a node's groups are few), without np.unique's sort; sorted otherwise."""
    if space > 8 * (keys.size + 1):
        return np.unique(keys, return_inverse=True)
    used = np.zeros(space, dtype=bool)
    used[keys] = True
    return np.flatnonzero(used), (np.cumsum(used) - 1)[keys]


def _equal_as_ones(weight: np.ndarray, key: np.ndarray, size: int) -> np.ndarray:
    """``weight``, with 1 on every edge of a set (the edges sharing a ``key``) whose weights are all equal.

    >>> _equal_as_ones(np.array([0.1, 0.1, 3.0, 1.0]), np.array([0, 0, 1, 1]), 2).tolist()
    [1.0, 1.0, 3.0, 1.0]
    """
    most = np.full(size, -np.inf)
    least = np.full(size, np.inf)
    np.maximum.at(most, key, weight)
    np.minimum.at(least, key, weight)
    return np.where((most == least)[key], 1.0, weight)


def _by_row(data: np.ndarray, rows: np.ndarray, n_rows: int, m: int, like=None) -> sp.csr_matrix:
    """The ``n_rows x m`` matrix with ``data[e]`` at ``(rows[e], e)``: each row's entries in edge order.

    Laid out as one entry per column and converted, which SciPy does by counting entries per row in
    O(n_rows + m), where a stable sort of the rows took a few times as long on a large graph. ``like``,
    a matrix built here from the same ``rows``, lends its layout: only the values are placed anew.
    """
    if like is not None:
        return sp.csr_matrix((data[like.indices], like.indices.copy(), like.indptr.copy()), shape=like.shape)
    return sp.csc_matrix((data, rows, np.arange(m + 1)), shape=(n_rows, m)).tocsr()


def _steady_quality(intrinsic, src, dst, inflow, inflow_mean, has_inputs) -> tuple[np.ndarray, np.ndarray]:
    """The quality every node emits, and receives, once the unshocked graph has settled.

    The steady state solves ``q = intrinsic x (weighted mean of the suppliers' q)``: the largest
    solution, the one iterating from q = 1 tends to. Nodes that nothing below quality 1 reaches
    (upstream, through any number of suppliers) keep q = 1 exactly. Of the others, those that no
    positive quality reaches (a closed loop that loses quality, what it alone feeds, a node of quality
    0) settle at 0 exactly: found from the graph's shape, not left to a solver whose rounding, mixing
    in the other equations' right sides, gave them 1e-17, which a service then judged its input
    against. The rest are a linear system whose matrix is invertible (each of them has an upstream
    node that loses quality), solved directly. Iterating instead would stop too early on a cycle
    whose quality decays: the values shrink geometrically towards 0 and an absolute tolerance is met
    long before the ratio between two steps is 1, so a drill would see the mix keep falling and
    retry with no shock.
    """
    n = len(intrinsic)
    m = len(src)
    if not m:
        return intrinsic.astype(float), np.ones(n)
    lossy = np.flatnonzero(intrinsic < 1.0)
    if not lossy.size:  # nothing loses quality: every node emits and receives exactly 1
        return intrinsic.astype(float), np.ones(n)
    # everything downstream of a node below quality 1, found from one extra start node wired to them
    solve = _reached(n, src, dst, lossy)
    # positive: reached by a positive quality, from a node kept at 1 or a source of quality above 0,
    # along edges into nodes of quality above 0
    into_positive = intrinsic[dst] > 0
    roots = np.flatnonzero(~solve | (~has_inputs & (intrinsic > 0)))
    positive = _reached(n, src[into_positive], dst[into_positive], roots)
    q = np.where(solve, 0.0, 1.0)
    rows = np.flatnonzero(solve & positive)
    if rows.size:
        # supplier matrix: mean[v, u] = share of v's in-weight that comes from u
        mean = (inflow_mean @ sp.csr_matrix((np.ones(m), (np.arange(m), src)), shape=(m, n))).tocsr()
        keep = np.flatnonzero(~solve)
        scaled = sp.diags(intrinsic[rows]) @ mean[rows]
        system = sp.identity(rows.size, format="csc") - scaled[:, rows].tocsc()
        rhs = np.where(has_inputs[rows], scaled[:, keep] @ np.ones(keep.size), intrinsic[rows])
        q[rows] = np.clip(np.atleast_1d(splinalg.spsolve(system, rhs)), 0.0, 1.0)
    # The mix as the step computes it from a full delivery: the weighted sum, divided once by the
    # total weight, so step 1 repeats step 0 bit for bit. Where nothing below quality 1 reaches a
    # node its mix is 1 exactly: a quality of exactly 1 lets the step skip the quality mix.
    total = inflow @ np.ones(m)
    mix = np.ones(n)
    np.divide(inflow @ q[src], total, out=mix, where=has_inputs & solve)
    # the emitted quality the step's own arithmetic gives from that mix
    return intrinsic * mix, mix


def _reached(n: int, tails: np.ndarray, heads: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Whether each of ``n`` nodes is one of ``starts`` or downstream of one along the arcs
    ``tails -> heads``: one breadth-first search from an extra node wired to the starts."""
    tails, heads = np.r_[tails, np.full(starts.size, n)], np.r_[heads, starts]
    arcs = sp.csr_matrix((np.ones(tails.size), (tails, heads)), shape=(n + 1, n + 1))
    reached = np.zeros(n + 1, dtype=bool)
    reached[csgraph.breadth_first_order(arcs, n, return_predecessors=False)] = True
    return reached[:n]


@dataclass(frozen=True)
class _Action:
    """One shock, resolved to array indices: while active, ``factor`` multiplies ``array[index]``."""

    start: int
    end: float
    array: str
    index: np.ndarray
    factor: float = 1.0
    delay: int = 0


@dataclass(frozen=True)
class ShockPlan:
    """The shocks of a drill as array actions; :meth:`factors` gives their effect at one step."""

    actions: tuple[_Action, ...]
    n: int
    m: int
    # edges some shock delays, and the most delay each can carry (the sum of every delay on it)
    delayed_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    max_delay: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def factors(self, t: int) -> dict[str, np.ndarray]:
        """The node and edge factors and delays that shocks change at step ``t``.

        Only the vectors some active shock touches are present: an absent factor is 1 everywhere and
        an absent delay 0, which lets a quiet step skip the work.
        """
        out: dict[str, np.ndarray] = {}
        for act in self.actions:
            if act.start <= t < act.end:
                vec = out.get(act.array)
                if vec is None:
                    size = self.m if act.array.startswith("edge") else self.n
                    is_delay = act.array.endswith("delay")
                    vec = out[act.array] = np.zeros(size, np.int64) if is_delay else np.ones(size)
                if act.array.endswith("delay"):
                    np.add.at(vec, act.index, act.delay)
                else:
                    np.multiply.at(vec, act.index, act.factor)
        return out

    @property
    def quiet(self) -> bool:
        return not self.actions


# Which node vector each node shock scales, and by which of its fields.
_NODE_SHOCKS = {
    "vendor_failure": ("capacity", "severity"),
    "demand_spike": ("demand", "multiplier"),
    "data_quality_drop": ("quality", "quality"),
    "rate_limit_cut": ("limit", "factor"),
}


def compile_shocks(compiled: CompiledGraph, shocks) -> ShockPlan:
    """Resolve validated shocks to index arrays into the compiled graph."""
    index = compiled.node_index
    actions: list[_Action] = []
    for shock in shocks:
        p = shock.params
        span = {"start": shock.start, "end": shock.end}
        if shock.kind == "logistics_bottleneck":
            if shock.on_edges:
                idx = np.array([compiled.edge_index[e] for e in shock.target], dtype=np.int64)
                arrays = ("edge_capacity", "edge_delay")
                into = idx
            else:
                idx = np.array([index[v] for v in shock.target], dtype=np.int64)
                arrays = ("inflow", "edge_delay")
                into = np.flatnonzero(np.isin(compiled.dst, idx))  # everything arriving at the port
            actions.append(_Action(**span, array=arrays[0], index=idx, factor=p["capacity"]))
            if p["delay"] and into.size:
                actions.append(_Action(**span, array=arrays[1], index=into, delay=int(p["delay"])))
            continue
        idx = np.array([index[v] for v in shock.target], dtype=np.int64)
        array, field = _NODE_SHOCKS[shock.kind]
        factor = 1.0 - p[field] if field == "severity" else p[field]
        actions.append(_Action(**span, array=array, index=idx, factor=factor))
    total_delay = np.zeros(compiled.m, dtype=np.int64)
    for act in actions:
        if act.array == "edge_delay":
            np.add.at(total_delay, act.index, act.delay)
    delayed = np.flatnonzero(total_delay)
    return ShockPlan(
        actions=tuple(actions),
        n=compiled.n,
        m=compiled.m,
        delayed_edges=delayed,
        max_delay=total_delay[delayed],
    )
