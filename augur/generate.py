"""Generated supply graphs: for benchmarks, sweeps and trying the app on something large."""

from __future__ import annotations

import networkx as nx
import numpy as np

from augur.graph import KINDS

__all__ = ["layered_supply_graph"]

# The share of nodes of each kind, in supply order: vendors feed logistics feed data feed AI feed processes.
_SHARES = {"vendor": 0.3, "logistics": 0.15, "data_source": 0.2, "ai_service": 0.15, "process": 0.2}


def layered_supply_graph(n_nodes: int, n_edges: int, *, seed: int = 0) -> nx.DiGraph:
    """A random supply graph of ``n_nodes`` in kind layers with about ``n_edges`` edges.

    Every edge runs from an earlier layer to a later one (or within a layer, forward), so every node
    but the vendors has a supplier; about 2% of edges run backwards, making the cycles real networks
    have. Substitute groups, lead times, buffers and AI token limits are drawn from ``seed``.

    >>> G = layered_supply_graph(50, 150, seed=1)
    >>> G.number_of_nodes(), G.number_of_edges() > 100
    (50, True)
    """
    rng = np.random.default_rng(seed)
    counts = {k: max(1, round(share * n_nodes)) for k, share in _SHARES.items()}
    counts["process"] += n_nodes - sum(counts.values())
    kinds = np.concatenate([np.full(c, KINDS.index(k)) for k, c in counts.items()])
    G = nx.DiGraph()
    for i, k in enumerate(kinds):
        kind = KINDS[k]
        attrs = {"kind": kind, "label": f"{kind.replace('_', ' ')} {i}"}
        if rng.random() < 0.3:
            attrs["buffer"] = float(rng.integers(1, 6))
        if kind == "ai_service":
            attrs["token_limit"] = float(rng.choice([1500.0, 2500.0, 4000.0]))
            attrs["price_per_1k_tokens"] = 0.01
        if rng.random() < 0.7:  # most real nodes have some second-source headroom
            attrs["min_supply"] = float(rng.choice([0.5, 0.7]))
        G.add_node(f"n{i}", **attrs)
    first_vendor_free = counts["vendor"]
    targets = rng.integers(first_vendor_free, n_nodes, size=n_edges)
    # a supplier sits earlier in supply order than its dependent
    sources = (rng.random(n_edges) * targets).astype(np.int64)
    backwards = rng.random(n_edges) < 0.02
    sources[backwards], targets[backwards] = targets[backwards], sources[backwards]
    groups = np.where(rng.random(n_edges) < 0.8, 0, rng.integers(1, 3, size=n_edges))
    leads = np.where(rng.random(n_edges) < 0.2, rng.integers(1, 4, size=n_edges), 0)
    for u, v, g, lead in zip(sources, targets, groups, leads):
        if u != v and not G.has_edge(f"n{u}", f"n{v}"):
            attrs = {"group": f"g{g}"} if g else {}
            if lead:
                attrs["lead_time"] = int(lead)
            G.add_edge(f"n{u}", f"n{v}", **attrs)
    return G
