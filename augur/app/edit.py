"""Editing the supply graph on screen: plain functions from a graph store to the edited graph store.

Every edit is made on the store's node-link records and the whole graph is then built again by
:func:`augur.graph.build_graph`, with the places :func:`augur.graph.validate_graph` gives (``node
'plant'``, ``edge chips -> plant``): an edit is checked exactly as a file is, and a refused one raises
the file's :class:`~augur.errors.GraphError`, its ``place`` the field that was edited, so the app
says it beside that field and keeps the graph it had. The drill's shocks must still fit the edited
graph (a node a shock targets cannot go without its shock).

>>> from augur.app.design import graph_store, graph_of
>>> from augur.io import parse_node_link
>>> store = graph_store(parse_node_link({"nodes": [{"id": "chips", "kind": "vendor"},
...     {"id": "plant", "kind": "process"}], "edges": [{"source": "chips", "target": "plant"}]}), "g.json")
>>> edited = edit_node(store, "plant", {"buffer": 3})
>>> graph_of(edited).nodes["plant"], edited["name"]
({'kind': 'process', 'buffer': 3.0}, 'g.json (edited)')
>>> edit_node(store, "plant", {"buffer": -1})
Traceback (most recent call last):
...
augur.errors.GraphError: buffer: expected a number in [0, 1,000,000] for 'buffer', got -1
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx

from augur.app.design import build_scenario, graph_of, graph_store
from augur.app.stores import checked_graph_store
from augur.errors import AugurError, GraphError
from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, build_graph
from augur.io import SUPPORTED_SUFFIXES, write_graph

__all__ = [
    "DOWNLOAD_FORMATS",
    "EDGE_FIELDS",
    "NODE_FIELDS",
    "add_edge",
    "add_node",
    "edge_fields",
    "edit_edge",
    "edit_node",
    "graph_download",
    "node_fields",
    "remove_edge",
    "remove_node",
    "undo_record",
    "undone",
]

# What the node and edge panels edit, in the order they show it. ``label`` is the node's name.
NODE_FIELDS = ("label", "kind", "buffer", "min_supply", "capacity", "fail_below", "recovery", "token_limit")
EDGE_FIELDS = ("weight", "group", "lead_time")

EDITED = " (edited)"
SHOCKS_NO_LONGER_FIT = "{problem}: the drill's shocks must fit the graph; remove or change that shock first"

# The formats the edited graph downloads in: (value, label, file suffix). CSV is a nodes and an edges
# file, so it comes as a zip of the two.
DOWNLOAD_FORMATS = (
    ("json", "JSON", ".json"),
    ("yaml", "YAML", ".yaml"),
    ("graphml", "GraphML", ".graphml"),
    ("xlsx", "Excel", ".xlsx"),
    ("csv", "CSV (zip of nodes and edges)", ".zip"),
)


def _records(store: Mapping) -> tuple[list[dict], list[dict]]:
    """Copies of the store's node and edge records, to edit."""
    data = checked_graph_store(store)["data"]
    nodes, edges = data.get("nodes", []), data.get("edges", data.get("links", []))
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise GraphError("the page's graph: expected node and edge lists")
    return [dict(n) for n in nodes], [dict(e) for e in edges]


def _rebuilt(
    store: Mapping, nodes: list[dict], edges: list[dict], scenario: Mapping | None, place: str | None
) -> dict:
    """The graph store of the edited records, checked as a file is; a refusal names ``place``."""
    name = str(store.get("name") or "graph")
    try:
        G = build_graph(
            [(f"node '{n.get('id')}'", n) for n in nodes],
            [(f"edge {e.get('source')} -> {e.get('target')}", e) for e in edges],
            source=name,
        )
    except GraphError as err:
        raise GraphError(err.message, place=place) from err
    if scenario is not None:
        try:
            build_scenario(G, scenario)
        except AugurError as err:
            problem = err.describe(source=False)
            raise GraphError(SHOCKS_NO_LONGER_FIT.format(problem=problem), place=place) from err
    return graph_store(G, name if name.endswith(EDITED) else name + EDITED)


def _changed(record: dict, changes: Mapping[str, Any]) -> dict:
    """``record`` with ``changes``; a blank value (``None``, ``""``) means the default, so it goes."""
    out = dict(record)
    for key, value in changes.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            out.pop(key, None)
        else:
            out[key] = value.strip() if isinstance(value, str) else value
    return out


def _node_index(nodes: list[dict], node: Any) -> int:
    for i, record in enumerate(nodes):
        if str(record.get("id")) == str(node):
            return i
    raise GraphError(f"no node {str(node)!r} in this graph; click a node in the network")


def _edge_index(edges: list[dict], source: Any, target: Any) -> int:
    for i, record in enumerate(edges):
        if str(record.get("source")) == str(source) and str(record.get("target")) == str(target):
            return i
    raise GraphError(f"no edge {source} -> {target} in this graph; click an edge in the network")


def _place(changes: Mapping[str, Any]) -> str | None:
    return next(iter(changes)) if len(changes) == 1 else None


def edit_node(graph: Mapping, node: Any, changes: Mapping[str, Any], scenario: Mapping | None = None) -> dict:
    """The graph store with ``node``'s attributes changed (``{"buffer": 3}``; ``None`` restores the
    default). A refusal is a :class:`GraphError` whose ``place`` is the one field changed."""
    nodes, edges = _records(graph)
    i = _node_index(nodes, node)
    nodes[i] = _changed(nodes[i], changes)
    return _rebuilt(graph, nodes, edges, scenario, _place(changes))


def edit_edge(
    graph: Mapping, source: Any, target: Any, changes: Mapping[str, Any], scenario: Mapping | None = None
) -> dict:
    """The graph store with the edge ``source -> target``'s attributes changed (weight, group,
    lead_time; ``None`` restores the default)."""
    nodes, edges = _records(graph)
    i = _edge_index(edges, source, target)
    edges[i] = _changed(edges[i], changes)
    return _rebuilt(graph, nodes, edges, scenario, _place(changes))


def add_node(graph: Mapping, node: Any, kind: Any, scenario: Mapping | None = None) -> dict:
    """The graph store with a new node ``node`` of ``kind``, every other attribute at its default.

    >>> from augur.app.design import graph_store
    >>> from augur.io import parse_node_link
    >>> store = graph_store(parse_node_link({"nodes": [{"id": "a", "kind": "vendor"}]}), "g")
    >>> add_node(store, "a", "process")
    Traceback (most recent call last):
    ...
    augur.errors.GraphError: node: duplicate node id 'a'; ids must be unique
    """
    nodes, edges = _records(graph)
    nodes.append(_changed({}, {"id": node, "kind": kind}))
    return _rebuilt(graph, nodes, edges, scenario, "node")


def remove_node(graph: Mapping, node: Any, scenario: Mapping | None = None) -> dict:
    """The graph store without ``node`` and the edges in and out of it."""
    nodes, edges = _records(graph)
    nodes.pop(_node_index(nodes, node))
    kept = [e for e in edges if str(node) not in (str(e.get("source")), str(e.get("target")))]
    return _rebuilt(graph, nodes, kept, scenario, "node")


def add_edge(graph: Mapping, source: Any, target: Any, scenario: Mapping | None = None) -> dict:
    """The graph store with a new edge ``source -> target`` (``target`` depends on ``source``)."""
    nodes, edges = _records(graph)
    edges.append(_changed({}, {"source": source, "target": target}))
    return _rebuilt(graph, nodes, edges, scenario, "edge")


def remove_edge(graph: Mapping, source: Any, target: Any, scenario: Mapping | None = None) -> dict:
    """The graph store without the edge ``source -> target``."""
    nodes, edges = _records(graph)
    edges.pop(_edge_index(edges, source, target))
    return _rebuilt(graph, nodes, edges, scenario, "edge")


def node_fields(G: nx.DiGraph, node: Any) -> dict:
    """What the node panel shows for ``node``: each field's value as the graph holds it (``None``
    where the default applies) and the default, for the blank field's placeholder."""
    attrs = G.nodes[node]
    defaults = {"label": str(node), "kind": None}
    defaults.update((name, NODE_ATTRIBUTES[name].default) for name in NODE_FIELDS if name in NODE_ATTRIBUTES)
    return {name: {"value": attrs.get(name), "default": defaults[name]} for name in NODE_FIELDS}


def edge_fields(G: nx.DiGraph, source: Any, target: Any) -> dict:
    """What the edge panel shows for ``source -> target``, as :func:`node_fields` does for a node."""
    attrs = G.edges[source, target]
    return {
        name: {"value": attrs.get(name), "default": "" if name == "group" else EDGE_ATTRIBUTES[name].default}
        for name in EDGE_FIELDS
    }


def undo_record(before: Mapping, after: Mapping, what: str) -> dict:
    """What Undo needs: the graph store before an edit, kept while the graph is still the one that
    edit made (``after``'s revision); opening another design leaves it behind."""
    return {"after": after["rev"], "graph": dict(before), "what": what}


def undone(undo: Mapping, scenario: Mapping | None = None) -> dict:
    """The graph store Undo brings back, checked (it comes back from the browser) and with its own
    revision, so results run on that graph are current again. The drill's shocks must fit it: a
    shock added since on a node the edit added keeps the edit until the shock goes."""
    if not isinstance(undo, Mapping):
        raise GraphError("the page's undo: expected what augur wrote")
    store = dict(checked_graph_store(undo.get("graph")))
    G = graph_of(store)
    if scenario is not None:
        try:
            build_scenario(G, scenario)
        except AugurError as err:
            problem = err.describe(source=False)
            raise GraphError(SHOCKS_NO_LONGER_FIT.format(problem=problem)) from err
    return store


# "nodes" or "edges" as a word of a CSV file's name (platform-nodes, nodes_2024, edges)
_PAIR_PART = re.compile(r"(?i)(?:^|[-_ .])(?:nodes|edges)(?=$|[-_ .])")


def _stem(name: str) -> str:
    base = name[: -len(EDITED)] if name.endswith(EDITED) else name
    path = PurePosixPath(base.replace("\\", "/").split(",")[0].strip())
    stem = path.stem if path.suffix.lower() in SUPPORTED_SUFFIXES else path.name
    if path.suffix.lower() == ".csv":  # a pair is named by what its files share: platform-nodes -> platform
        stem = _PAIR_PART.sub("", stem, count=1)
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-_") or "graph"
    return stem[:60] + ("-edited" if name.endswith(EDITED) else "")


def graph_download(graph: Mapping, fmt: str) -> tuple[str, bytes]:
    """The graph on screen as a file in ``fmt`` (one of :data:`DOWNLOAD_FORMATS`), written by
    :func:`augur.io.write_graph`: ``(file name, bytes)``. CSV is a zip of the nodes and edges files.

    >>> from augur.app.design import graph_store
    >>> from augur.io import parse_node_link
    >>> store = graph_store(parse_node_link({"nodes": [{"id": "a", "kind": "vendor"}]}), "retail.json")
    >>> name, data = graph_download(store, "yaml")
    >>> name, data.decode()
    ('retail.yaml', 'nodes:\\n- id: a\\n  kind: vendor\\nedges: []\\n')
    """
    suffixes = {value: suffix for value, _, suffix in DOWNLOAD_FORMATS}
    if fmt not in suffixes:
        raise GraphError(f"choose a format: one of {', '.join(suffixes)}", place="format")
    G = graph_of(graph)
    stem = _stem(str(graph.get("name") or "graph"))
    with tempfile.TemporaryDirectory() as folder:
        if fmt != "csv":
            path = write_graph(G, Path(folder) / f"{stem}{suffixes[fmt]}")
            return path.name, path.read_bytes()
        write_graph(G, Path(folder) / f"{stem}-edges.csv")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in ("nodes", "edges"):
                archive.write(Path(folder) / f"{stem}-{part}.csv", f"{stem}-{part}.csv")
        return f"{stem}.zip", buffer.getvalue()
