"""Compiling a supply graph to arrays (augur/engine/compiled.py): the layout the step loop reads,
checked on graphs small enough to count by hand."""

from __future__ import annotations

import numpy as np
from builders import graph

from augur.engine.compiled import _numbered, compile_graph


def _small():
    """a -> b, a -> c (weight 2), b -> c (weight 1, group "x"): edges e0, e1, e2 in that order."""
    return graph(
        {"a": "vendor", "b": "logistics", "c": "process"},
        [("a", "b"), ("a", "c", {"weight": 2}), ("b", "c", {"weight": 1, "group": "x", "lead_time": 3})],
    )


def test_each_node_s_row_holds_its_in_edges_in_edge_order():
    """c's in-edges are e1 (weight 2) and e2 (weight 1): its inflow row is [0, 2, 1], its mean row
    [0, 2/3, 1/3], stored in that order; b's is e0 alone; a has none."""
    g = compile_graph(_small())
    assert g.src.tolist() == [0, 0, 1] and g.dst.tolist() == [1, 2, 2]
    assert g.weight.tolist() == [1.0, 2.0, 1.0] and g.lead_time.tolist() == [0, 0, 3]
    assert g.inflow_matrix.toarray().tolist() == [[0, 0, 0], [1, 0, 0], [0, 2, 1]]
    assert g.inflow_matrix.indptr.tolist() == [0, 0, 1, 3] and g.inflow_matrix.indices.tolist() == [0, 1, 2]
    assert g.inflow_mean_matrix.toarray()[2].tolist() == [0, 2 / 3, 1 / 3]


def test_groups_are_numbered_by_node_then_name():
    """Names sort "" before "x": b's group "" is 0, c's "" (e1) is 1 and c's "x" (e2) is 2, each edge
    carrying all of its group's weight; b's groups start at row 0, c's at row 1."""
    g = compile_graph(_small())
    assert g.group_matrix.toarray().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert g.input_nodes.tolist() == [1, 2] and g.group_starts.tolist() == [0, 1]


def test_numbering_counts_in_a_table_or_sorts_and_gives_the_same():
    """Keys 5, 2, 5, 0: the distinct keys are 0, 2, 5 and the ranks 2, 1, 2, 0, whether the key space
    is small (6, a table of it) or too large for one (10**12, sorted)."""
    keys = np.array([5, 2, 5, 0])
    for space in (6, 10**12):
        distinct, rank = _numbered(keys, space)
        assert distinct.tolist() == [0, 2, 5] and rank.tolist() == [2, 1, 2, 0]


def test_a_node_s_index_is_looked_up_from_the_map_built_while_compiling():
    g = compile_graph(_small())
    assert g.node_index == {"a": 0, "b": 1, "c": 2}


def test_a_subgraph_view_compiles_as_its_copy_does():
    """A view of a, b and c leaves d out: the same three nodes, edges e0..e2 and weights as the copy,
    though the view's adjacency holds filtered mappings rather than dicts."""
    G = _small()
    G.add_node("d", kind="process")
    G.add_edge("c", "d", weight=5.0)
    view, copy = compile_graph(G.subgraph(["a", "b", "c"])), compile_graph(G.subgraph(["a", "b", "c"]).copy())
    assert view.nodes == copy.nodes == ["a", "b", "c"]
    assert view.dst.tolist() == copy.dst.tolist() == [1, 2, 2]
    assert view.weight.tolist() == copy.weight.tolist() == [1.0, 2.0, 1.0]
