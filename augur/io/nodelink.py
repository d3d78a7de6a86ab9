"""JSON and YAML node-link graphs: ``{"nodes": [{"id", "kind"}], "edges": [{"source", "target"}]}``.

What :func:`networkx.node_link_data` writes loads as is: ``links`` is read as ``edges``, and its
``directed``, ``multigraph`` and ``graph`` keys are understood. An undirected node-link graph
(``"directed": false``) stands for a dependency both ways, so each of its edges becomes two, as
:func:`augur.graph.validate_graph` does for an undirected graph built in code.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import yaml

from augur.errors import GraphError
from augur.graph import build_graph
from augur.io._common import (
    decode_text,
    describe,
    edge_table,
    node_table,
    plain,
    read_bytes,
    write_bytes,
)
from augur.io._json import load_json
from augur.io._yaml import MAX_DIGITS, expands_beyond, load_yaml, yaml_budget, yaml_problem

__all__ = [
    "parse_node_link",
    "parse_node_link_text",
    "read_node_link",
    "to_node_link",
    "write_node_link",
]

Format = Literal["json", "yaml"]

_EXPECTED = "a node-link graph: a mapping with 'nodes' and 'edges' lists"
_TOP_KEYS = ("nodes", "edges", "links")


def read_node_link(path: str | Path) -> nx.DiGraph:
    """Read a JSON (``.json``) or YAML (``.yaml``, ``.yml``) node-link graph file.

    In YAML, quote ids that look like numbers (``id: "007"``): unquoted, YAML reads ``007`` as 7.

    >>> G = read_node_link("tests/data/graphs/retail.json")  # doctest: +SKIP
    """
    path = Path(path)
    source = str(path)
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_node_link_text(read_bytes(path, source=source), fmt=fmt, source=source)


def parse_node_link_text(text: str | bytes, *, fmt: Format = "json", source: str | None = None) -> nx.DiGraph:
    """Parse node-link JSON or YAML text (or its UTF-8 bytes) into a validated graph.

    >>> G = parse_node_link_text('{"nodes": [{"id": "a", "kind": "vendor"}], "edges": []}')
    >>> list(G.nodes(data=True))
    [('a', {'kind': 'vendor'})]
    """
    if isinstance(text, bytes):
        text = decode_text(text, expected=f"{fmt.upper()} text holding {_EXPECTED}", source=source)
    elif not text.strip():
        raise GraphError(f"the file is empty; expected {_EXPECTED}", source=source)
    data = _load_yaml(text, source) if fmt == "yaml" else _load_json(text, source)
    return parse_node_link(data, source=source)


def _load_json(text: str, source: str | None) -> Any:
    try:
        return load_json(text)
    except json.JSONDecodeError as err:
        raise GraphError(
            f"not valid JSON: {err.msg} (column {err.colno}); expected {_EXPECTED}",
            source=source,
            place=f"line {err.lineno}",
        ) from err
    except RecursionError as err:
        raise GraphError(f"JSON nested too deeply; expected {_EXPECTED}", source=source) from err
    except ValueError as err:  # an integer past Python's digit limit
        raise GraphError(f"{too_long_number(err)}; expected {_EXPECTED}", source=source) from err


def too_long_number(err: ValueError) -> str:
    """Word the error ``json.loads`` raises for an integer longer than Python reads."""
    found = re.search(r"has (\d+) digits", str(err))
    count = f" of {int(found.group(1)):,} digits" if found else ""
    return f"a number{count}, longer than the {MAX_DIGITS:,} digits a number may have"


def _load_yaml(text: str, source: str | None) -> Any:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:
        problem, place = yaml_problem(err)
        raise GraphError(
            f"not valid YAML: {problem}; expected {_EXPECTED}", source=source, place=place
        ) from err
    except RecursionError as err:
        raise GraphError(f"YAML nested too deeply; expected {_EXPECTED}", source=source) from err
    if data is None:
        raise GraphError(f"the file is empty; expected {_EXPECTED}", source=source)
    if expands_beyond(data, yaml_budget(text)):
        raise GraphError(
            "YAML aliases expand to far more data than the file holds; expected a plain "
            "node-link graph (anchors and aliases that repeat data without limit are refused)",
            source=source,
        )
    return data


def parse_node_link(data: Any, *, source: str | None = None) -> nx.DiGraph:
    """Validate an already parsed node-link mapping and return the graph it describes.

    Used for a scenario's inline graph and by the JSON and YAML readers. A missing ``edges`` list
    means a graph without edges.

    >>> G = parse_node_link({"nodes": [{"id": "acme", "kind": "vendor"},
    ...                                {"id": "plant", "kind": "process"}],
    ...                      "edges": [{"source": "acme", "target": "plant", "lead_time": 2}]})
    >>> G.edges["acme", "plant"]
    {'lead_time': 2}
    """
    if not isinstance(data, Mapping):
        raise GraphError(f"expected {_EXPECTED} at the top, got {describe(data)}", source=source)
    if "nodes" not in data:
        raise GraphError(
            f"missing 'nodes'{_did_you_mean(data, 'nodes')}; expected {_EXPECTED}", source=source
        )
    if "edges" in data and "links" in data:
        raise GraphError("both 'edges' and 'links' are given; expected one list of edges", source=source)
    edge_key = "links" if "links" in data else "edges"
    if edge_key not in data:
        # A graph without edges is valid, but a misspelt key should not silently drop them.
        near = _did_you_mean(data, "edges")
        if near:
            raise GraphError(f"missing 'edges'{near}; expected {_EXPECTED}", source=source)

    directed = data.get("directed", True)
    if not isinstance(directed, bool):
        raise GraphError(
            f"expected true or false for 'directed', got {describe(directed)}",
            source=source,
            place="directed",
        )
    nodes = _records(data.get("nodes"), "nodes", "a node mapping with 'id' and 'kind'", source)
    edges = _records(data.get(edge_key), edge_key, "an edge mapping with 'source' and 'target'", source)
    for place, record in (*nodes, *edges):
        for key, value in record.items():
            # a spreadsheet's blank cell reads as NaN and means the default; written in a file, it
            # is a value that is no number, and the default would be taken silently
            if isinstance(value, float) and math.isnan(value):
                raise GraphError(
                    f"{key!r} is NaN; expected a number (leave '{key}' out for its default)",
                    source=source,
                    place=place,
                )
    if not directed:
        edges = [
            record
            for place, edge in edges
            for record in (
                (place, edge),
                (f"{place} (reversed: the graph is undirected)", _reversed(edge)),
            )
        ]
    return build_graph(nodes, edges, source=source)


def _records(items: Any, key: str, expected: str, source: str | None) -> list[tuple[str, Mapping[str, Any]]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise GraphError(f"expected a list of {key}, got {describe(items)}", source=source, place=key)
    records = []
    for index, item in enumerate(items):
        place = f"{key}[{index}]"
        ident = item.get("id") if key == "nodes" and isinstance(item, Mapping) else None
        if isinstance(ident, (str, int, float)) and not isinstance(ident, bool) and ident != "":
            place += f" (id {ident!r})"  # a 0-based index alone is hard to find in a long file
        if not isinstance(item, Mapping):
            raise GraphError(f"expected {expected}, got {describe(item)}", source=source, place=place)
        records.append((place, {str(name): value for name, value in item.items()}))
    return records


def _reversed(edge: Mapping[str, Any]) -> dict[str, Any]:
    return {**edge, "source": edge.get("target"), "target": edge.get("source")}


def _did_you_mean(data: Mapping, wanted: str) -> str:
    keys = [str(k) for k in data if str(k) not in _TOP_KEYS]
    lowered = {k.lower(): k for k in keys}
    close = difflib.get_close_matches(wanted, list(lowered), n=1, cutoff=0.7)
    if wanted == "edges" and not close:
        close = difflib.get_close_matches("links", list(lowered), n=1, cutoff=0.7)
    return f" (found {lowered[close[0]]!r}: did you mean {wanted!r}?)" if close else ""


def to_node_link(G: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    """The graph as plain, JSON-able node-link data, the shape the JSON writer writes.

    Only the attributes the graph holds are written; ``id`` and ``kind`` come first.

    >>> G = parse_node_link({"nodes": [{"kind": "vendor", "id": "a", "region": "EU"}]})
    >>> to_node_link(G)
    {'nodes': [{'id': 'a', 'kind': 'vendor', 'region': 'EU'}], 'edges': []}
    """
    _, nodes = node_table(G)
    _, edges = edge_table(G)
    return {"nodes": [plain(n) for n in nodes], "edges": [plain(e) for e in edges]}


def write_node_link(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as node-link JSON (``.json``) or YAML (``.yaml``, ``.yml``); return it."""
    path = Path(path)
    data = to_node_link(G)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    write_bytes(path, text.encode("utf-8"))
    return path
