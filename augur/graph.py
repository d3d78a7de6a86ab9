"""Supply graphs: node kinds, attribute defaults and validation.

A supply graph is an :class:`networkx.DiGraph` where an edge ``u -> v`` means *v depends on u*. Every
reader in :mod:`augur.io` parses its format into plain records (each with the place it came from, such
as ``nodes[3]`` or ``nodes.csv line 14``) and hands them to :func:`build_graph`, which is the one place
that checks kinds, ranges, ids and edges. The graph it returns holds only the attributes the file gave,
typed; defaults are looked up with :func:`node_param` and :func:`edge_param` so that a graph written back
out stays as small as the file it came from.
"""

from __future__ import annotations

import difflib
import functools
import gc
import itertools
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from augur.errors import GraphError

__all__ = [
    "EDGE_ATTRIBUTES",
    "KINDS",
    "NODE_ATTRIBUTES",
    "Attribute",
    "build_graph",
    "closest_name",
    "edge_param",
    "graphs_equal",
    "group_name",
    "input_groups",
    "misspelt_attributes",
    "nearest_node_hint",
    "nesting_problem",
    "node_named",
    "node_param",
    "shown_value",
    "ungrouped_inputs",
    "validate_graph",
]

KINDS: tuple[str, ...] = ("vendor", "logistics", "data_source", "ai_service", "process")


@dataclass(frozen=True)
class Attribute:
    """A documented graph attribute: its default, its allowed range and whether it is an integer."""

    name: str
    default: float | None
    low: float
    high: float = math.inf
    low_open: bool = False
    integer: bool = False
    meaning: str = ""

    def expected(self) -> str:
        """Describe the allowed range in words, for error messages.

        >>> NODE_ATTRIBUTES["capacity"].expected()
        'a number in (0, 1,000,000]'
        """
        kind = "an integer" if self.integer else "a number"
        if self.high == math.inf:
            op = ">" if self.low_open else ">="
            return f"{kind} {op} {_bound(self.low)}"
        return f"{kind} in {self.interval()}"

    def interval(self) -> str:
        """The allowed range as an interval, as :meth:`expected` and the app's labels write it.

        >>> NODE_ATTRIBUTES["min_supply"].interval(), NODE_ATTRIBUTES["capacity"].interval()
        ('[0.000001, 1]', '(0, 1,000,000]')
        """
        left = "(" if self.low_open else "["
        return f"{left}{_bound(self.low)}, {_bound(self.high)}]"

    def coerce(self, value: Any, place: str, source: str | None) -> float | int:
        """Return ``value`` as a number in range, or raise a :class:`GraphError` naming ``place``."""
        number = _as_number(value)
        ok = number is not None and math.isfinite(number)
        if ok:
            ok = (number > self.low if self.low_open else number >= self.low) and number <= self.high
        if ok and self.integer:
            ok = float(number).is_integer()
        if not ok:
            form = f" {_PLAIN_NUMBER_TEXT}" if _odd_number(value) else ""
            raise GraphError(
                f"expected {self.expected()} for '{self.name}'{form}, got {shown_value(value)}",
                source=source,
                place=place,
            )
        return int(number) if self.integer else float(number)


NODE_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("capacity", 1.2, 0, 1e6, low_open=True, meaning="load it can serve, x baseline"),
        # at least a millionth: supply is divided by it, and 5e-324 made every step's headroom overflow
        Attribute("min_supply", 1.0, 1e-6, 1, meaning="supply fraction for full output"),
        Attribute("fail_below", 0.3, 0, 1, meaning="output fraction below which it fails"),
        Attribute("buffer", 0.0, 0, 1e6, meaning="steps of full output held in stock or cache"),
        Attribute("restock", 0.5, 0, 1e6, meaning="steps of buffer regained per step"),
        Attribute("recovery", 0, 0, 1e6, integer=True, meaning="steps down after conditions return"),
        Attribute("quality", 1.0, 0, 1, meaning="intrinsic quality of what it emits"),
        # at least a millionth: tokens wanted are divided by a limit of at least this (times a cut)
        Attribute("tokens_per_unit", 1000.0, 1e-6, 1e9, meaning="tokens per unit of work"),
        Attribute("token_limit", None, 0, 1e12, low_open=True, meaning="tokens per step allowed"),
        Attribute("retry_sensitivity", 2.0, 0, 1e3, meaning="how fast retries grow as quality falls"),
        Attribute("max_retries", 3, 0, 1e3, integer=True, meaning="retries per unit of work at most"),
        Attribute("ci_base", 0.05, 0, 1e3, low_open=True, meaning="CI half-width at full quality"),
        Attribute("price_per_1k_tokens", 0.0, 0, 1e6, meaning="cost of 1,000 tokens"),
        Attribute("ttr", None, 1, 1e6, integer=True, meaning="steps its supplier states it needs to recover"),
    )
}

EDGE_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        # at least 1e-300: weighted means of weights near the float's least normal (2.2e-308) lose
        # their digits; two of 5e-324 and 1e-323 left a node's supply whole with one supplier half out
        Attribute("weight", 1.0, 1e-300, 1e6, meaning="share of supply within its group"),
        Attribute("lead_time", 0, 0, 1e6, integer=True, meaning="extra steps in transit"),
    )
}

# Attributes every format carries as text rather than numbers.
_NODE_TEXT = ("label",)
_EDGE_TEXT = ("group",)


def shown_value(value: Any) -> str:
    """``repr(value)``, short: a huge integer is named by its length (its repr may not even exist)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# How deep a user's own attribute may nest lists and mappings: far more than any real value, far less
# than the recursion limit every writer (JSON, YAML, GraphML, a review pack) would hit walking it.
MAX_DEPTH = 32


def nesting_problem(value: Any, *, limit: int = MAX_DEPTH) -> str | None:
    """Why ``value`` is nested too deeply to carry through (lists and mappings past ``limit``), or
    ``None``. Walked without recursion, so the check itself cannot overflow the stack.

    >>> nesting_problem({"owner": ["a", {"b": 1}]}) is None
    True
    >>> nesting_problem([[[1]]], limit=2)
    'lists or mappings nested more than 2 deep; expected at most 2'
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (Mapping, list, tuple)):
            if depth + 1 > limit:
                return f"lists or mappings nested more than {limit} deep; expected at most {limit}"
            children = list(item.keys()) + list(item.values()) if isinstance(item, Mapping) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def _bound(x: float) -> str:
    if 0 < x < 1e-6:  # 1e-300, where ten decimals would say 0.
        return f"{x:g}"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.10f}".rstrip("0")


# A number written as text: ASCII digits, a point, an exponent. float() also reads '1_000', Arabic-Indic
# and full-width digits and surrounding Unicode spaces, none of which a graph's author would mean as
# the number; they are refused, saying the form expected.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_SPACE = " \t\r\n"
_PLAIN_NUMBER_TEXT = "written in plain digits (such as 10, 0.5 or 1e3)"


def _odd_number(value: Any) -> bool:
    """Text that Python's float() reads as a number but :data:`_PLAIN_NUMBER` does not: '1_0', '٣'."""
    if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value.strip(_SPACE)):
        return False
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer past the float range: out of every allowed range
            return math.inf
    if isinstance(value, str):
        text = value.strip(_SPACE)
        return float(text) if _PLAIN_NUMBER.fullmatch(text) else None
    try:  # numpy scalars
        return float(value)
    except (TypeError, ValueError):
        return None


def _is_blank(value: Any) -> bool:
    """Blank cells (CSV, Excel) and explicit nulls mean 'use the default'."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _node_id(value: Any, place: str, source: str | None, what: str) -> str:
    if _is_blank(value):
        raise GraphError(f"expected a non-empty {what}", source=source, place=place)
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            shown = shown_value(value)
            raise GraphError(f"expected text for {what}, got {shown}", source=source, place=place)
    return str(value).strip()


_F = TypeVar("_F", bound=Callable[..., Any])


def without_gc(fn: _F) -> _F:
    """Run ``fn`` with the cyclic garbage collector paused. Reading or checking a large graph creates
    many small objects and no cycles, and the collections they trigger walk every node and edge dict
    again: a third to a half of the time of loading a 50,000-edge graph."""

    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused  # type: ignore[return-value]


@without_gc
def build_graph(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    source: str | None = None,
) -> nx.DiGraph:
    """Validate node and edge records and return the supply graph they describe.

    Each record comes with the place it was read from, used in error messages. Node records need
    ``id`` and ``kind``; edge records need ``source`` and ``target``. Blank values mean the default.

    >>> G = build_graph([("nodes[0]", {"id": "a", "kind": "vendor"}),
    ...                  ("nodes[1]", {"id": "b", "kind": "process", "buffer": "2"})],
    ...                 [("edges[0]", {"source": "a", "target": "b"})])
    >>> G.nodes["b"]["buffer"]
    2.0
    """
    G = nx.DiGraph()
    first_place: dict[str, str] = {}
    # each id's own string: an edge's ends are stored as the very objects its nodes are keyed by, so a
    # look-up of an edge's end (the engine's compile, NetworkX's own) matches by identity, not by
    # comparing characters: on a 40,000-edge graph that is a few times faster on a busy machine
    own_id: dict[str, str] = {}
    for place, record in nodes:
        node = _node_id(record.get("id"), place, source, "node 'id'")
        if node in first_place:
            # a place named after the id (GraphML's "node 'a'") would point at itself
            first = "" if first_place[node] == place else f" (first defined at {first_place[node]})"
            raise GraphError(
                f"duplicate node id '{node}'{first}; ids must be unique", source=source, place=place
            )
        first_place[node] = place
        own_id[node] = node
        G.add_node(node, **_node_attributes(record, place, source))
    if G.number_of_nodes() == 0:
        raise GraphError("the graph has no nodes; expected at least one node", source=source)
    for place, record in edges:
        u = _node_id(record.get("source"), place, source, "edge 'source'")
        v = _node_id(record.get("target"), place, source, "edge 'target'")
        for end, name in ((u, "source"), (v, "target")):
            if end not in own_id:
                raise GraphError(
                    f"edge {name} '{end}' is not a node in this graph{_suggest(end, G)}",
                    source=source,
                    place=place,
                )
        u, v = own_id[u], own_id[v]
        if u == v:
            raise GraphError(
                f"self-loop on '{u}': a node cannot depend on itself", source=source, place=place
            )
        if G.has_edge(u, v):
            raise GraphError(f"duplicate edge {u} -> {v}", source=source, place=place)
        G.add_edge(u, v, **_edge_attributes(record, place, source))
    return G


def _node_attributes(record: Mapping[str, Any], place: str, source: str | None) -> dict:
    kind = record.get("kind")
    if _is_blank(kind):
        raise GraphError(f"missing 'kind'; expected one of {', '.join(KINDS)}", source=source, place=place)
    kind = str(kind).strip()
    if kind not in KINDS:
        hint = f" (did you mean '{kind.lower()}'?)" if kind.lower() in KINDS else ""
        raise GraphError(
            f"unknown kind {kind!r}{hint}; expected one of {', '.join(KINDS)}", source=source, place=place
        )
    attrs: dict[str, Any] = {"kind": kind}
    for key, value in record.items():
        if key in ("id", "kind") or _is_blank(value):
            continue
        if key in NODE_ATTRIBUTES:
            attrs[key] = NODE_ATTRIBUTES[key].coerce(value, place, source)
        elif key in _NODE_TEXT:
            attrs[key] = str(value)
        else:
            _check_plain(key, value, place, source)
            attrs[key] = value  # the user's own columns (region, owner, x, y) pass through
    capacity = attrs.get("capacity", NODE_ATTRIBUTES["capacity"].default)
    fail_below = attrs.get("fail_below", NODE_ATTRIBUTES["fail_below"].default)
    if capacity < fail_below:
        raise GraphError(
            f"capacity {capacity:g} is below fail_below {fail_below:g}: the node would fail before any "
            "shock; expected a capacity at least its fail_below",
            source=source,
            place=place,
        )
    limit = attrs.get("token_limit")
    per_unit = attrs.get("tokens_per_unit", NODE_ATTRIBUTES["tokens_per_unit"].default)
    if kind == "ai_service" and limit is not None and limit < per_unit:
        raise GraphError(
            f"token_limit {limit:g} is below tokens_per_unit {per_unit:g}: the service would be "
            "throttled before any shock; expected a limit at least its baseline use",
            source=source,
            place=place,
        )
    return attrs


def _edge_attributes(record: Mapping[str, Any], place: str, source: str | None) -> dict:
    attrs: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("source", "target", "key", "id") or _is_blank(value):
            continue
        if key in EDGE_ATTRIBUTES:
            attrs[key] = EDGE_ATTRIBUTES[key].coerce(value, place, source)
        elif key in _EDGE_TEXT:
            attrs[key] = str(value).strip()
        else:
            _check_plain(key, value, place, source)
            attrs[key] = value
    return attrs


def _check_plain(key: Any, value: Any, place: str, source: str | None) -> None:
    if isinstance(value, (str, int, float)):  # the common case, without a walk
        return
    problem = nesting_problem(value)
    if problem:
        raise GraphError(f"attribute {str(key)[:40]!r} holds {problem}", source=source, place=place)


def _suggest(name: str, G: nx.DiGraph) -> str:
    close = difflib.get_close_matches(name, [str(n) for n in G.nodes], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def closest_name(name: Any, names: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The one of ``names`` that ``name`` is most likely a typo of (by :mod:`difflib`, case aside), or
    ``None`` where none is close: a misspelt key's hint.

    >>> closest_name("stpes", ["seed", "steps", "slo"]), closest_name("Buffer", ["buffer"])
    ('steps', 'buffer')
    >>> closest_name("region", ["buffer", "capacity"]) is None
    True
    """
    text = str(name).strip().lower()
    names = list(names)
    if text in names:
        return text
    close = difflib.get_close_matches(text, names, n=1, cutoff=cutoff)
    return close[0] if close else None


def node_named(G: nx.DiGraph, name: Any) -> Any:
    """The node ``name`` names, as a person types it: a node id (as given or as text), else a node's
    label, case and surrounding spaces aside, where one node alone carries it; None where none does.

    >>> G = nx.DiGraph([("tablet-maker", "dc")]); G.nodes["tablet-maker"]["label"] = "Heron Tablets"
    >>> node_named(G, "dc"), node_named(G, "heron tablets "), node_named(G, "heron")
    ('dc', 'tablet-maker', None)
    """
    if name in G:  # networkx answers False for an unhashable name
        return name
    text = str(name).strip()
    by_id = [v for v in G if str(v) == text]
    if by_id:
        return by_id[0]
    folded = text.lower()
    by_label = [
        v for v, label in G.nodes(data="label") if label is not None and str(label).strip().lower() == folded
    ]
    return by_label[0] if len(by_label) == 1 else None


def nearest_node_hint(G: nx.DiGraph, name: Any) -> str:
    """`` (did you mean 'tablet-maker', Heron Tablets?)`` for a name no node carries: the node whose
    id or label it is most likely a typo of (:func:`closest_name`), else the first whose id or label
    holds it as a word (``heron`` of ``Heron Tablets``); ``""`` where none is near.

    >>> G = nx.DiGraph([("tablet-maker", "dc-warehouse")]); G.nodes["tablet-maker"]["label"] = "Heron Tablets"
    >>> nearest_node_hint(G, "heron"), nearest_node_hint(G, "dc-warehous"), nearest_node_hint(G, "zz")
    (" (did you mean 'tablet-maker', Heron Tablets?)", " (did you mean 'dc-warehouse'?)", '')
    """
    names: dict[str, Any] = {}
    for v, label in G.nodes(data="label"):
        names.setdefault(str(v).lower(), v)
        if label is not None:
            names.setdefault(str(label).strip().lower(), v)
    close = closest_name(name, names)
    text = str(name).strip().lower()
    if close is not None:
        node = names[close]
    else:
        worded = [v for key, v in names.items() if text and text in re.split(r"[^\w]+", key)]
        if not worded:
            return ""
        node = worded[0]
    label = G.nodes[node].get("label")
    named = f", {label}" if label is not None and str(label) != str(node) else ""
    return f" (did you mean {str(node)!r}{named}?)"


def ungrouped_inputs(G: nx.DiGraph) -> dict[Any, int]:
    """The nodes with two or more inputs without a ``group``, and how many each has, in the graph's
    order. Those inputs share the group ``""`` and are averaged as second sources of each other
    (docs/model.md, "The supply graph": substitutes and groups): where each is needed, the file has to say so.

    >>> G = build_graph([("n", {"id": i, "kind": "vendor"}) for i in "abcd"],
    ...                 [("e", {"source": "a", "target": "d"}), ("e", {"source": "b", "target": "d"}),
    ...                  ("e", {"source": "c", "target": "d", "group": "power"})])
    >>> ungrouped_inputs(G)
    {'d': 2}
    """
    counts: dict[Any, int] = {}
    for _, v, group in G.edges(data="group"):  # one pass: a 60,000-edge graph in a few milliseconds
        if not group:
            counts[v] = counts.get(v, 0) + 1
    return {v: n for v in G if (n := counts.get(v, 0)) >= 2}


# The names each table is read by, that a misspelt column is likely meant as.
_NODE_NAMES = ("id", "kind", *_NODE_TEXT, *NODE_ATTRIBUTES)
_EDGE_NAMES = ("source", "target", *_EDGE_TEXT, *EDGE_ATTRIBUTES)


def misspelt_attributes(G: nx.DiGraph) -> list[tuple[str, str, str]]:
    """``(table, name, meant)`` for each attribute the graph keeps as the user's own that is close to
    one augur reads (``bufer`` for ``buffer``): a typo there loses the value without an error, since
    any other name is a column of the user's own. ``table`` is ``"nodes"`` or ``"edges"``.

    >>> G = build_graph([("n", {"id": "a", "kind": "vendor", "bufer": "2", "owner": "infra"})], [])
    >>> misspelt_attributes(G)
    [('nodes', 'bufer', 'buffer')]
    """
    found = []
    for table, rows, names in (
        ("nodes", (data for _, data in G.nodes(data=True)), _NODE_NAMES),
        ("edges", (data for _, _, data in G.edges(data=True)), _EDGE_NAMES),
    ):
        keys = dict.fromkeys(itertools.chain.from_iterable(rows))  # every key once, in the order met
        own = [key for key in keys if key not in names]
        found += [(table, str(key), meant) for key in own if (meant := closest_name(key, names, cutoff=0.8))]
    return found


@without_gc
def validate_graph(G: nx.Graph, *, source: str | None = None) -> nx.DiGraph:
    """Check a NetworkX graph built in code and return a validated copy.

    >>> G = nx.DiGraph([("a", "b")])
    >>> validate_graph(G)
    Traceback (most recent call last):
    ...
    augur.errors.GraphError: node 'a': missing 'kind'; expected one of vendor, logistics, \
data_source, ai_service, process
    """
    if G.is_multigraph():
        raise GraphError("expected a simple directed graph, got a multigraph", source=source)
    directed = G if G.is_directed() else G.to_directed()
    nodes = [(f"node '{n}'", {**data, "id": n}) for n, data in directed.nodes(data=True)]
    edges = [
        (f"edge {u} -> {v}", {**data, "source": u, "target": v}) for u, v, data in directed.edges(data=True)
    ]
    return build_graph(nodes, edges, source=source)


def node_param(G: nx.DiGraph, node: Any, name: str) -> Any:
    """The value of a node attribute, falling back to its documented default."""
    value = G.nodes[node].get(name)
    if value is None:
        if name == "label":
            return str(node)
        return NODE_ATTRIBUTES[name].default
    return value


def edge_param(G: nx.DiGraph, u: Any, v: Any, name: str) -> Any:
    """The value of an edge attribute, falling back to its documented default."""
    value = G.edges[u, v].get(name)
    if value is None:
        return "" if name == "group" else EDGE_ATTRIBUTES[name].default
    return value


def group_name(value: Any) -> str:
    """The supply group an edge's ``group`` value names: its text, ``""`` for none. A file's group is
    text already; a graph built in code may say ``1`` or ``None``, read as the file's ``"1"`` and none.

    >>> group_name(1), group_name(None), group_name("chips")
    ('1', '', 'chips')
    """
    return "" if value is None else str(value)


def input_groups(G: nx.DiGraph, node: Any) -> dict[str, list]:
    """The suppliers of ``node`` by supply group (docs/model.md, rule 2), each group's suppliers in
    the graph's order of in-edges: the inputs that substitute for one another, and the groups that
    are all needed.

    >>> G = nx.DiGraph([("a", "m"), ("b", "m"), ("c", "m")])
    >>> G.edges["a", "m"]["group"] = G.edges["b", "m"]["group"] = "chips"
    >>> input_groups(G, "m")
    {'chips': ['a', 'b'], '': ['c']}
    """
    groups: dict[str, list] = {}
    for u in G.predecessors(node):
        groups.setdefault(group_name(G.edges[u, node].get("group")), []).append(u)
    return groups


def graphs_equal(G: nx.DiGraph, H: nx.DiGraph) -> bool:
    """True when two supply graphs have the same nodes, edges and attribute values.

    Numbers compare by value (``1`` equals ``1.0``) so a round trip through a text format counts.
    """

    def same(a: Mapping, b: Mapping) -> bool:
        if set(a) != set(b):
            return False
        for key in a:
            x, y = a[key], b[key]
            if isinstance(x, str) and isinstance(y, str):
                if x != y:
                    return False
                continue
            # a number on one side: a text format may have carried it as text
            nx_, ny = _as_number(x), _as_number(y)
            if nx_ is None or ny is None:
                if str(x) != str(y):
                    return False
            elif not math.isclose(nx_, ny, rel_tol=1e-12, abs_tol=0):
                return False
        return True

    if set(G.nodes) != set(H.nodes) or set(G.edges) != set(H.edges):
        return False
    return all(same(G.nodes[n], H.nodes[n]) for n in G.nodes) and all(
        same(G.edges[e], H.edges[e]) for e in G.edges
    )
