"""Where a drill came from: the graph's content hash, the exact scenario file, and what produced a pack.

A pack records these so a reader can re-run the drill from the pack alone and check that the file
they run is the one the pack was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import yaml

from augur._version import __version__
from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, edge_param, node_param
from augur.scenario import Scenario, dump_scenario, scenario_to_dict

if TYPE_CHECKING:  # results are read duck-typed: provenance sits below augur.drill
    from augur.drill import DrillResult

__all__ = ["canonical_graph", "display_source", "graph_hash", "provenance", "scenario_text", "scenario_yaml"]


def _canonical_number(value: Any, *, integer: bool = False) -> Any:
    if value is None:
        return None
    number = float(value)
    return int(number) if integer else number


def _canonical_extra(value: Any) -> Any:
    """A user's own attribute, spelled the same whichever format carried it (graphs_equal's rule:
    a number equals the same number written as text)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else str(number)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    if isinstance(value, Mapping):
        return {str(k): _canonical_extra(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical_extra(v) for v in value]
    return str(value)


def canonical_graph(G: nx.DiGraph) -> dict:
    """The graph as sorted node-link data with every documented attribute filled in (defaults spelled
    out, numbers as floats or integers), so that two files describing the same drill agree."""
    nodes = []
    for node in sorted(G.nodes, key=str):
        data = G.nodes[node]
        record: dict[str, Any] = {
            "id": str(node),
            "kind": data["kind"],
            "label": str(node_param(G, node, "label")),
        }
        for name, spec in NODE_ATTRIBUTES.items():
            record[name] = _canonical_number(node_param(G, node, name), integer=spec.integer)
        extras = {k: _canonical_extra(v) for k, v in data.items() if k not in record and k != "id"}
        record["extra"] = dict(sorted(extras.items()))
        nodes.append(record)
    edges = []
    for u, v in sorted(G.edges, key=lambda e: (str(e[0]), str(e[1]))):
        data = G.edges[u, v]
        record = {"source": str(u), "target": str(v), "group": str(edge_param(G, u, v, "group"))}
        for name, spec in EDGE_ATTRIBUTES.items():
            record[name] = _canonical_number(edge_param(G, u, v, name), integer=spec.integer)
        extras = {k: _canonical_extra(x) for k, x in data.items() if k not in record}
        record["extra"] = dict(sorted(extras.items()))
        edges.append(record)
    return {"nodes": nodes, "edges": edges}


def graph_hash(G: nx.DiGraph) -> str:
    """The sha256 of the graph's content, as 64 hex digits.

    Stable across formats and orderings: the same graph read from JSON, YAML, GraphML, CSV or Excel,
    with its nodes in any order and its defaults left out or spelled out, has the same hash. Any change
    to a node, an edge or an attribute value changes it.

    >>> from augur.io import parse_node_link
    >>> a = parse_node_link({"nodes": [{"id": "x", "kind": "vendor"}, {"id": "y", "kind": "process"}],
    ...                      "edges": [{"source": "x", "target": "y"}]})
    >>> b = parse_node_link({"nodes": [{"id": "y", "kind": "process"}, {"id": "x", "kind": "vendor",
    ...                      "capacity": 1.2}], "edges": [{"source": "x", "target": "y", "weight": 1}]})
    >>> graph_hash(a) == graph_hash(b)
    True
    """
    text = json.dumps(canonical_graph(G), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_yaml(scenario: Scenario) -> str:
    """The drill's scenario file with its graph inline: what a pack embeds and hashes. (Slow on a
    large graph: a drill keeps it once, as ``DrillResult.scenario_text``.)"""
    data = scenario_to_dict(scenario, inline_graph=True)
    if getattr(yaml, "__with_libyaml__", False):  # the C emitter writes the same text, faster
        return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    return dump_scenario(scenario, inline_graph=True)


def scenario_text(result: DrillResult) -> str:
    """The scenario file a drill's pack embeds: ``result.scenario_text``, written once per drill."""
    return result.scenario_text


def display_source(source: str | None) -> str | None:
    """A scenario file's path as a pack shows it: relative to the working folder when inside it, else
    only the file name (a pack leaves no home folders or machine paths behind)."""
    if not source:
        return None
    path = Path(source)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.name


def provenance(result: DrillResult, *, generated: dt.datetime | None = None) -> dict:
    """What produced a pack: augur version, scenario, seed, horizon, graph hash, and when.

    ``scenario_sha256`` is the hash of the scenario file the pack embeds (graph inline), so a reader
    can check that the file they re-run is the one the pack was made from.
    """
    scenario = result.scenario
    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    text = scenario_text(result)
    return {
        "augur": result.metrics.get("augur", __version__),
        "scenario": scenario.name,
        "scenario_file": display_source(scenario.source),
        "seed": scenario.seed,
        "steps": scenario.steps,
        "step_unit": scenario.step_unit,
        "graph_hash": graph_hash(result.graph),
        "graph_nodes": result.graph.number_of_nodes(),
        "graph_edges": result.graph.number_of_edges(),
        "scenario_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "generated": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
