"""Compiling a supply graph to arrays (augur/engine/compiled.py): the layout the step loop reads,
checked on graphs small enough to count by hand."""

from __future__ import annotations

import numpy as np
from builders import graph

from augur.engine.compiled import _numbered, compile_graph
from augur.engine.stages import _stacked_groups


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


def test_a_node_s_out_weight_sums_its_weights_in_edge_order():
    """a's edges run to x3, x2, x1 (weights 0.1, 0.2, 0.3), its load row stores them by column (x1
    first) and its out-weight sums them as they come: (0.1 + 0.2) + 0.3 is 0.6000000000000001,
    where the columns' order gives 0.6; the edges' weights are left as they were."""
    G = graph(
        {"a": "vendor", "x1": "process", "x2": "process", "x3": "process"},
        [("a", "x3", {"weight": 0.1}), ("a", "x2", {"weight": 0.2}), ("a", "x1", {"weight": 0.3})],
    )
    g = compile_graph(G)
    assert g.out_weight[0] == 0.6000000000000001 and g.weight.tolist() == [0.1, 0.2, 0.3]
    assert g.load_matrix.indices.tolist() == [1, 2, 3] and g.load_matrix.data.tolist() == [0.3, 0.2, 0.1]
    assert g.dst.tolist() == [3, 2, 1]


def test_without_group_names_each_node_s_group_is_its_inflow_row():
    """c, first in node order, takes e0 from a (weight 1) and e2 from b (weight 3), b
    takes e1 from a: c's group is row 0, [1, 0, 3] of weight 4, b's row 1, [0, 1, 0]; the group
    matrix holds arrays of its own, not the inflow matrix's."""
    G = graph(
        {"c": "process", "a": "vendor", "b": "process"}, [("a", "c"), ("a", "b"), ("b", "c", {"weight": 3})]
    )
    g = compile_graph(G)
    assert g.group_matrix.toarray().tolist() == [[1, 0, 3], [0, 1, 0]]
    assert g.group_weight.tolist() == [4.0, 1.0]
    assert g.input_nodes.tolist() == [0, 2] and g.group_starts.tolist() == [0, 1]
    assert not np.shares_memory(g.group_matrix.indices, g.inflow_matrix.indices)


def test_the_stacked_supply_matrix_holds_a_block_of_rows_for_each_group_a_node_may_have():
    """In _small b has one group (e0) and c two (e1, then "x" with e2): the first block holds b's and
    c's first groups, the second b's again and c's "x"; a has no inputs, so its rows are empty and
    divided by 1. With one group a node (c: e0 and e2, b: e1) there is one block, a's row empty."""
    stacked, weight, no_inputs = _stacked_groups(compile_graph(_small()))
    assert stacked.toarray().tolist() == [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 1]]
    assert weight.ravel().tolist() == [1.0] * 6 and no_inputs.tolist() == [0]
    G = graph(
        {"c": "process", "a": "vendor", "b": "process"}, [("a", "c"), ("a", "b"), ("b", "c", {"weight": 3})]
    )
    g = compile_graph(G)
    stacked, weight, no_inputs = _stacked_groups(g)
    assert stacked.toarray().tolist() == [[1, 0, 3], [0, 0, 0], [0, 1, 0]]
    assert weight.ravel().tolist() == [4.0, 1.0, 1.0] and no_inputs.tolist() == [1]
    assert not np.shares_memory(stacked.data, g.group_matrix.data)


def test_a_node_s_in_weight_sums_its_in_edges_in_edge_order():
    """t's suppliers s1, s2, s3 come in that order with weights 0.1, 0.2, 0.3: (0.1 + 0.2) + 0.3 is
    0.6000000000000001, as its inflow row sums them; a node without inputs counts 1."""
    G = graph(
        {"s1": "vendor", "s2": "vendor", "s3": "vendor", "t": "process"},
        [("s1", "t", {"weight": 0.1}), ("s2", "t", {"weight": 0.2}), ("s3", "t", {"weight": 0.3})],
    )
    g = compile_graph(G)
    assert g.in_weight.tolist() == [1.0, 1.0, 1.0, 0.6000000000000001]
    assert g.in_weight.tolist() == np.where(g.has_inputs, g.inflow_matrix @ np.ones(g.m), 1.0).tolist()
