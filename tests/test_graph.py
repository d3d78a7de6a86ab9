"""Supply graphs (augur/graph.py): what build_graph keeps and refuses, defaults, equality.

The same refusals read from every file format are in test_io.py; here the graph is built in code.
"""

from __future__ import annotations

import gc
from pathlib import Path

import networkx as nx
import pytest
from builders import graph

from augur.errors import GraphError
from augur.graph import build_graph, edge_param, graphs_equal, node_param, validate_graph
from augur.io import load_graph, write_graph

DATA = Path(__file__).parent / "data" / "graphs"


def test_a_built_graph_holds_what_was_given_and_defaults_are_looked_up():
    G = graph({"a": "vendor", "b": ("process", {"buffer": "2"})}, [("a", "b", {"group": "chips"})])
    assert G.nodes["b"] == {"kind": "process", "buffer": 2.0}
    assert G.nodes["a"] == {"kind": "vendor"}
    assert node_param(G, "a", "capacity") == 1.2
    assert node_param(G, "b", "buffer") == 2.0
    assert node_param(G, "a", "label") == "a"
    assert edge_param(G, "a", "b", "weight") == 1.0
    assert edge_param(G, "a", "b", "group") == "chips"


def test_a_duplicate_node_says_where_it_was_first_defined():
    nodes = [("nodes[0]", {"id": "a", "kind": "vendor"}), ("nodes[2]", {"id": "a", "kind": "process"})]
    with pytest.raises(GraphError) as caught:
        build_graph(nodes, [], source="plant.yaml")
    assert caught.value.place == "nodes[2]"
    assert caught.value.message == "duplicate node id 'a' (first defined at nodes[0]); ids must be unique"


def test_an_edge_to_a_missing_node_suggests_the_close_one():
    with pytest.raises(GraphError) as caught:
        graph({"siltron": "vendor", "fab": "process"}, [("siltrom", "fab")])
    assert caught.value.message == (
        "edge source 'siltrom' is not a node in this graph (did you mean 'siltron'?)"
    )


def test_an_undirected_graph_in_code_depends_both_ways():
    U = nx.Graph()
    U.add_node("a", kind="vendor")
    U.add_node("b", kind="process")
    U.add_edge("a", "b", lead_time=2)
    G = validate_graph(U)
    assert set(G.edges) == {("a", "b"), ("b", "a")}
    assert G.edges["b", "a"]["lead_time"] == 2


def test_a_multigraph_is_refused():
    M = nx.MultiDiGraph()
    M.add_edge("a", "b")
    with pytest.raises(GraphError, match="expected a simple directed graph, got a multigraph"):
        validate_graph(M)


def test_graphs_equal_compares_numbers_by_value_and_sees_one_changed_attribute():
    G = graph({"a": ("vendor", {"recovery": 1}), "b": "process"}, [("a", "b")])
    H = G.copy()
    H.nodes["a"]["recovery"] = 1.0
    assert graphs_equal(G, H)
    H.nodes["a"]["recovery"] = 2
    assert not graphs_equal(G, H)
    assert not graphs_equal(G, graph({"a": ("vendor", {"recovery": 1}), "b": "process"}, []))


def test_loading_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """Loading pauses the cyclic collector for speed; it is back on afterwards, after a refusal too,
    and stays off for a caller who had turned it off."""
    good, bad = tmp_path / "g.json", tmp_path / "bad.json"
    write_graph(load_graph(DATA / "retail.json"), good)
    bad.write_text("{", encoding="utf-8")
    assert gc.isenabled()
    load_graph(good)
    with pytest.raises(GraphError):
        load_graph(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        load_graph(good)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_edge_s_ends_are_the_objects_its_nodes_are_keyed_by():
    """The ids an edge names are equal strings made apart from the nodes' own (here from ids with
    spaces around them); the graph stores the nodes' own, so looking one up finds it by identity."""
    G = build_graph(
        [("n0", {"id": "port", "kind": "logistics"}), ("n1", {"id": "shop", "kind": "process"})],
        [("e0", {"source": " port ", "target": " shop"})],
    )
    own = {v: v for v in G}
    ((u, v),) = G.edges
    assert u is own["port"] and v is own["shop"]
    assert next(iter(G._pred["shop"])) is own["port"]


@pytest.mark.parametrize("text", ["1_0", "1_000", "٣", "５", "\u30001", "0x10", "1e"])
def test_a_number_in_an_odd_form_is_refused_saying_the_form_expected(tmp_path, text):
    """Python's float() reads '1_0' as 10, '1_000' as 1000, Arabic-Indic '٣' as 3 and full-width '５'
    as 5 (and strips an ideographic space); a graph's buffer is read from plain ASCII digits only."""
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "nodes.csv").write_text(f"id,kind,buffer\na,vendor,{text}\n", encoding="utf-8")
    (folder / "edges.csv").write_text("source,target\n", encoding="utf-8")
    with pytest.raises(GraphError) as err:
        load_graph(folder)
    plain = " written in plain digits (such as 10, 0.5 or 1e3)" if text not in ("0x10", "1e") else ""
    assert str(err.value) == (
        f"{folder}: nodes.csv line 2: expected a number in [0, 1,000,000] for 'buffer'{plain}, got {text!r}"
    )


@pytest.mark.parametrize(
    ("text", "number"), [("10", 10), (" 1.5 ", 1.5), (".5", 0.5), ("5.", 5), ("1E1", 10)]
)
def test_a_number_in_plain_digits_is_read(text, number):
    """Plain forms, spaces around them aside, read as float() reads them."""
    G = build_graph([("n", {"id": "a", "kind": "vendor", "buffer": text})], [])
    assert node_param(G, "a", "buffer") == number
