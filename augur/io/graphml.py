"""GraphML graphs, with the contract's attribute names as ``<key attr.name=...>``.

GraphML is XML, and XML can declare entities that expand without limit ("billion laughs") or pull
in other files. Uploads are untrusted, so the text is parsed with :mod:`defusedxml`, which refuses
entity declarations and external references outright instead of expanding them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET
import networkx as nx

from augur.errors import GraphError
from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, build_graph, shown_value
from augur.io._common import edge_table, node_table, plain, read_bytes, write_bytes

__all__ = ["graphml_bytes", "parse_graphml", "read_graphml", "write_graphml"]

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"

_EXPECTED = "a GraphML document: <graphml> holding one <graph> of <node> and <edge> elements"
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def read_graphml(path: str | Path) -> nx.DiGraph:
    """Read a GraphML file into a validated supply graph.

    >>> G = read_graphml("tests/data/graphs/retail.graphml")  # doctest: +SKIP
    """
    path = Path(path)
    return parse_graphml(read_bytes(path, source=str(path)), source=str(path))


def parse_graphml(data: bytes | str, *, source: str | None = None) -> nx.DiGraph:
    """Parse GraphML bytes into a validated graph; entity declarations are refused.

    >>> G = parse_graphml(b'''<graphml><key id="k" for="node" attr.name="kind"/>
    ...   <graph edgedefault="directed"><node id="a"><data key="k">vendor</data></node></graph>
    ... </graphml>''')
    >>> dict(G.nodes(data=True))
    {'a': {'kind': 'vendor'}}
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise GraphError(f"the file is empty; expected {_EXPECTED}", source=source)
    try:
        root = SafeET.fromstring(raw)
    except defusedxml.EntitiesForbidden as err:
        raise GraphError(
            f"the XML declares an entity ({err.name!r}) and is refused: entities can expand "
            "without limit or read other files; expected GraphML without <!ENTITY> declarations",
            source=source,
        ) from err
    except defusedxml.DefusedXmlException as err:
        raise GraphError(
            f"the XML refers to other documents or declarations ({err}); expected {_EXPECTED}",
            source=source,
        ) from err
    except ET.ParseError as err:
        line, column = err.position
        raise GraphError(
            f"not valid XML: {_reason(err)} (column {column + 1}); expected {_EXPECTED}",
            source=source,
            place=f"line {line}",
        ) from err
    except (LookupError, ValueError) as err:  # an encoding in the XML declaration expat cannot read
        raise GraphError(f"not valid XML: {err}; expected {_EXPECTED}", source=source) from err
    nodes, edges = _records(root, source)
    return build_graph(nodes, edges, source=source)


def _reason(err: ET.ParseError) -> str:
    return str(err).split(":")[0]


def _local(tag: Any) -> str:
    """A tag without its namespace: files from some tools declare none, or another prefix."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


class _Key:
    """A declared ``<key>``: the attribute name, its GraphML type and its default, if any."""

    def __init__(self, element: ET.Element):
        self.name = element.get("attr.name")
        self.type = (element.get("attr.type") or "string").lower()
        self.domain = (element.get("for") or "all").lower()
        defaults = _children(element, "default")
        self.default = defaults[0].text if defaults else None


def _records(root: ET.Element, source: str | None):
    if _local(root.tag) != "graphml":
        raise GraphError(f"expected {_EXPECTED}, got a <{_local(root.tag)}> root element", source=source)
    keys = {key.get("id"): _Key(key) for key in _children(root, "key")}
    graphs = _children(root, "graph")
    if len(graphs) != 1:
        raise GraphError(f"found {len(graphs)} <graph> elements; expected {_EXPECTED}", source=source)
    graph = graphs[0]
    undirected = (graph.get("edgedefault") or "directed").lower() == "undirected"
    if _children(graph, "hyperedge"):
        raise GraphError("hyperedges are not supported; expected edges between two nodes", source=source)

    node_elements, edge_elements = _children(graph, "node"), _children(graph, "edge")
    defaults = {
        domain: _defaults(keys, domain, count, source)
        for domain, count in (("node", len(node_elements)), ("edge", len(edge_elements)))
    }
    nodes = []
    for index, element in enumerate(node_elements, start=1):
        node_id = element.get("id")
        place = f"node '{node_id}'" if node_id else f"<node> number {index}"
        if _children(element, "graph"):
            raise GraphError(
                "nested graphs are not supported; expected a flat graph", source=source, place=place
            )
        record = _data(element, keys, defaults["node"], place, source)
        nodes.append((place, {**record, "id": node_id}))

    edges = []
    for index, element in enumerate(edge_elements, start=1):
        u, v = element.get("source"), element.get("target")
        place = f"edge {u} -> {v}" if u and v else f"<edge> number {index}"
        record = {**_data(element, keys, defaults["edge"], place, source), "source": u, "target": v}
        edges.append((place, record))
        directed = (element.get("directed") or "").lower()
        if directed == "false" or (undirected and directed != "true"):
            # An undirected link is a dependency both ways, as for undirected node-link data.
            edges.append((f"edge {v} -> {u} (undirected)", {**record, "source": v, "target": u}))
    return nodes, edges


# Attribute values that <key> defaults may add across all elements: a default is copied into every
# node or edge without its own value, so 4,000 keys over a few thousand nodes would fill gigabytes.
MAX_DEFAULT_VALUES = 500_000


def _defaults(keys: dict[str | None, _Key], domain: str, elements: int, source: str | None) -> dict[str, Any]:
    """The typed defaults every ``domain`` element starts from, read once for the whole file."""
    chosen = {
        key_id: key
        for key_id, key in keys.items()
        if key.name and key.default is not None and key.domain in (domain, "all")
    }
    if len(chosen) * elements > MAX_DEFAULT_VALUES:
        raise GraphError(
            f"{len(chosen):,} <key> defaults for {elements:,} {domain}s would add "
            f"{len(chosen) * elements:,} values; expected at most {MAX_DEFAULT_VALUES:,} "
            "(give defaults only to the attributes that need one)",
            source=source,
        )
    return {
        key.name: _typed(key, key.default, f"<key id={key_id!r}> default", source)
        for key_id, key in chosen.items()
    }


def _data(
    element: ET.Element,
    keys: dict[str | None, _Key],
    defaults: dict[str, Any],
    place: str,
    source: str | None,
) -> dict[str, Any]:
    values = dict(defaults)
    for data in _children(element, "data"):
        key_id = data.get("key")
        if key_id not in keys:
            raise GraphError(
                f"<data key={key_id!r}> refers to no declared <key>; expected a <key id="
                f"{key_id!r} attr.name=...> at the top of the file",
                source=source,
                place=place,
            )
        key = keys[key_id]
        if not key.name:
            continue  # drawing data of an editor (yEd's nodegraphics): not an attribute
        values[key.name] = _typed(key, data.text or "", place, source)
    return values


def _typed(key: _Key, text: str, place: str, source: str | None) -> Any:
    """The value of a ``<data>`` element.

    Documented attributes stay text: :func:`build_graph` converts them and says which range it
    expected. The user's own attributes take the type their ``<key>`` declares.
    """
    if key.name in NODE_ATTRIBUTES or key.name in EDGE_ATTRIBUTES or key.type == "string":
        return text
    stripped = text.strip()
    if not stripped:
        return None
    try:
        if key.type in ("int", "long"):
            return int(stripped)
        if key.type in ("float", "double"):
            return float(stripped)
    except ValueError as err:
        raise GraphError(
            f"expected {'an integer' if key.type in ('int', 'long') else 'a number'} for "
            f"'{key.name}' (its <key> says attr.type=\"{key.type}\"), got {shown_value(text)}",
            source=source,
            place=place,
        ) from err
    if key.type == "boolean":
        if stripped.lower() in _TRUE:
            return True
        if stripped.lower() in _FALSE:
            return False
        raise GraphError(
            f"expected true or false for '{key.name}' (its <key> says attr.type=\"boolean\"), "
            f"got {shown_value(text)}",
            source=source,
            place=place,
        )
    return text


def _graphml_type(name: str, values: Iterable[Any]) -> str:
    documented = NODE_ATTRIBUTES.get(name) or EDGE_ATTRIBUTES.get(name)
    if documented is not None:
        return "long" if documented.integer else "double"
    values = [plain(v) for v in values]
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _text(value: Any) -> str:
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def graphml_bytes(G: nx.DiGraph) -> bytes:
    """The graph as GraphML (UTF-8), writing only the attributes it holds."""
    node_columns, node_rows = node_table(G)
    edge_columns, edge_rows = edge_table(G)
    root = ET.Element("graphml", {"xmlns": NAMESPACE})
    ids: dict[tuple[str, str], str] = {}
    for domain, columns, rows in (
        ("node", node_columns[1:], node_rows),
        ("edge", edge_columns[2:], edge_rows),
    ):
        for name in columns:
            values = [row[name] for row in rows if name in row]
            if not values:
                continue  # `kind` on a graph without nodes of any kind: nothing to declare
            key_id = f"d{len(ids)}"
            ids[domain, name] = key_id
            ET.SubElement(
                root,
                "key",
                {
                    "id": key_id,
                    "for": domain,
                    "attr.name": name,
                    "attr.type": _graphml_type(name, values),
                },
            )
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "directed"})
    for row in node_rows:
        node = ET.SubElement(graph, "node", {"id": str(row["id"])})
        for name, value in row.items():
            if name != "id":
                ET.SubElement(node, "data", {"key": ids["node", name]}).text = _text(value)
    for row in edge_rows:
        edge = ET.SubElement(graph, "edge", {"source": str(row["source"]), "target": str(row["target"])})
        for name, value in row.items():
            if name not in ("source", "target"):
                ET.SubElement(edge, "data", {"key": ids["edge", name]}).text = _text(value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_graphml(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as GraphML; return the path."""
    path = Path(path)
    write_bytes(path, graphml_bytes(G))
    return path
