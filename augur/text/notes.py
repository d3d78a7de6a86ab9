"""What augur says of a graph it reads without complaint that may still not be what its author meant:
inputs averaged as second sources because they have no ``group``, and a column whose name is a typo of
one augur reads. ``augur validate`` and ``augur run`` print these on stderr; the app adds them to the
upload's message.

>>> from augur.graph import build_graph
>>> nodes = [("n", {"id": i, "kind": "vendor", "bufer": 2}) for i in ("gpu-a", "gpu-b", "llm")]
>>> edges = [("e", {"source": "gpu-a", "target": "llm"}), ("e", {"source": "gpu-b", "target": "llm"})]
>>> for note in graph_notes(build_graph(nodes, edges), "edges.csv", "nodes.csv"):
...     print(note)  # doctest: +NORMALIZE_WHITESPACE
edges.csv: llm averages its 2 ungrouped inputs as second sources of each other; give inputs it needs each
their own group
nodes.csv: column 'bufer' is not an attribute augur reads; did you mean 'buffer'?
"""

from __future__ import annotations

from pathlib import PurePath

import networkx as nx

from augur.graph import misspelt_attributes, ungrouped_inputs
from augur.text.names import join_text

__all__ = ["NODES_NAMED", "graph_notes", "ungrouped_text"]

NODES_NAMED = 4  # nodes a note names before it counts the rest


def graph_notes(G: nx.DiGraph, edges_file: str, nodes_file: str | None = None) -> list[str]:
    """The notes on ``G``, each naming the file it is about: ``edges_file`` holds the edges,
    ``nodes_file`` the nodes (the same file where it is not given: JSON, YAML, GraphML, Excel)."""
    nodes_file = nodes_file or edges_file
    notes = []
    ungrouped = ungrouped_inputs(G)
    if ungrouped:
        notes.append(f"{edges_file}: {ungrouped_text(ungrouped)}")
    for table, name, meant in misspelt_attributes(G):
        where = nodes_file if table == "nodes" else edges_file
        notes.append(f"{where}: {_typo_text(table, name, meant, where)}")
    return notes


def ungrouped_text(counts: dict) -> str:
    """The nodes whose ungrouped inputs are averaged, those with the most first, at most
    :data:`NODES_NAMED` of them by id (the name the file uses), and what to do where the inputs are
    each needed.

    >>> ungrouped_text({"desk": 3, "llm": 5})[:90]
    '2 nodes average their ungrouped inputs as second sources of each other: llm (5 inputs) and'
    >>> ungrouped_text({f"n{i}": 2 for i in range(7)})[72:]
    'n0 (2 inputs), n1 (2), n2 (2), n3 (2) and 3 more; give inputs a node needs each their own group'
    """
    if len(counts) == 1:
        ((node, n),) = counts.items()
        return (
            f"{node} averages its {n} ungrouped inputs as second sources of each other; give inputs it "
            "needs each their own group"
        )
    most = sorted(counts.items(), key=lambda item: -item[1])  # stable: ties keep the graph's order
    named = [f"{node} ({n}{' inputs' if i == 0 else ''})" for i, (node, n) in enumerate(most)]
    if len(named) > NODES_NAMED + 1:
        named = [*named[:NODES_NAMED], f"{len(named) - NODES_NAMED} more"]
    return (
        f"{len(counts)} nodes average their ungrouped inputs as second sources of each other: "
        f"{join_text(named)}; give inputs a node needs each their own group"
    )


def _typo_text(table: str, name: str, meant: str, file: str) -> str:
    # a CSV file or an Excel sheet has columns; JSON, YAML and GraphML have attributes
    suffix = PurePath(file).suffix.lower()
    what = {
        ".csv": f"column {name!r}",
        ".xlsx": f"column {name!r} of sheet {table!r}",
    }.get(suffix, f"{table[:-1]} attribute {name!r}")
    return f"{what} is not an attribute augur reads; did you mean {meant!r}?"
