"""One shock of a scenario's ``shocks:`` list, checked against the graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from augur.errors import ScenarioError
from augur.scenario._checks import _did_you_mean, _number, _unknown_node
from augur.scenario._model import SHOCK_KINDS, Shock


def _parse_target(kind: str, raw: Any, G: nx.DiGraph, place: str, source: str | None) -> tuple:
    def node(x: Any) -> str:
        if not isinstance(x, (str, int)) or isinstance(x, bool) or str(x) not in G:
            raise ScenarioError(_unknown_node(x, G), source=source, place=place)
        return str(x)

    if kind == "logistics_bottleneck":
        is_pair = isinstance(raw, list) and len(raw) == 2 and not isinstance(raw[0], list)
        if is_pair and all(str(x) in G for x in raw) and G.has_edge(str(raw[0]), str(raw[1])):
            return ((str(raw[0]), str(raw[1])),)
        if isinstance(raw, list) and raw and all(isinstance(p, list) for p in raw):
            edges = []
            for pair in raw:
                if len(pair) != 2:
                    raise ScenarioError(
                        f"expected an edge [source, target], got {pair!r}",
                        source=source,
                        place=place,
                    )
                u, v = node(pair[0]), node(pair[1])
                if not G.has_edge(u, v):
                    raise ScenarioError(f"no edge {u} -> {v} in the graph", source=source, place=place)
                edges.append((u, v))
            return tuple(edges)
        names = raw if isinstance(raw, list) else [raw]
        if not names:
            raise ScenarioError(
                "expected a logistics node, a list of them, or an edge [source, target]",
                source=source,
                place=place,
            )
        nodes = tuple(node(x) for x in names)
        for n in nodes:
            if G.nodes[n]["kind"] != "logistics":
                hint = " (and there is no such edge)" if is_pair else ""
                raise ScenarioError(
                    f"'{n}' is a {G.nodes[n]['kind']}, not a logistics node{hint}; expected a "
                    "logistics node or an edge [source, target]",
                    source=source,
                    place=place,
                )
        return nodes

    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ScenarioError("expected a node id or a list of node ids", source=source, place=place)
    nodes = tuple(node(x) for x in items)
    if kind == "rate_limit_cut":
        for n in nodes:
            if G.nodes[n]["kind"] != "ai_service":
                raise ScenarioError(
                    f"'{n}' is a {G.nodes[n]['kind']}; a rate_limit_cut targets ai_service nodes",
                    source=source,
                    place=place,
                )
            if G.nodes[n].get("token_limit") is None:
                raise ScenarioError(
                    f"'{n}' has no token_limit to cut; give it one in the graph",
                    source=source,
                    place=place,
                )
    return nodes


def _parse_shock(i: int, raw: Any, G: nx.DiGraph, steps: int, source: str | None) -> Shock:
    here = f"shocks[{i}]"
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"expected a mapping, got {raw!r}", source=source, place=here)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in SHOCK_KINDS:
        plain = isinstance(kind, (str, int, float)) or kind is None
        shown = repr(kind) if plain else f"a {type(kind).__name__}"
        hint = _did_you_mean(kind, SHOCK_KINDS) if isinstance(kind, str) else ""
        raise ScenarioError(
            f"unknown shock kind {shown[:60]}{hint}; expected one of {', '.join(SHOCK_KINDS)}",
            source=source,
            place=f"{here}.kind",
        )
    fields = SHOCK_KINDS[kind]
    allowed = {"kind", "target", "start", "duration", "note"} | {f.name for f in fields}
    for key in raw:
        if key not in allowed:
            raise ScenarioError(
                f"unknown field {key!r} for a {kind}{_did_you_mean(key, allowed)}; "
                f"expected {', '.join(sorted(allowed))}",
                source=source,
                place=f"{here}.{key}",
            )
    if "target" not in raw:
        raise ScenarioError("missing 'target'", source=source, place=here)
    target = _parse_target(kind, raw["target"], G, f"{here}.target", source)
    repeated = sorted({str(t) for t in target if target.count(t) > 1})
    if repeated:
        raise ScenarioError(
            f"{', '.join(repeated)} listed more than once; name each target once",
            source=source,
            place=f"{here}.target",
        )
    if "start" not in raw:
        raise ScenarioError("missing 'start'", source=source, place=here)
    start = raw["start"]
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start < steps:
        raise ScenarioError(
            f"expected an integer step from 1 to {steps - 1} (step 0 is the pre-shock baseline), "
            f"got {start!r}",
            source=source,
            place=f"{here}.start",
        )
    duration = raw.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 1):
        raise ScenarioError(
            f"expected a whole number of steps >= 1, or no duration for a shock that lasts to the "
            f"end, got {duration!r}",
            source=source,
            place=f"{here}.duration",
        )
    params = {
        f.name: _number(raw[f.name], f, f"{here}.{f.name}", source)
        if raw.get(f.name) is not None
        else f.default
        for f in fields
    }
    if kind == "logistics_bottleneck" and "capacity" not in raw and "delay" not in raw:
        raise ScenarioError(
            "a logistics_bottleneck needs 'capacity' (0..1), 'delay' (steps) or both",
            source=source,
            place=here,
        )
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise ScenarioError(f"expected text, got {note!r}", source=source, place=f"{here}.note")
    return Shock(kind=kind, target=target, start=start, duration=duration, params=params, note=note or "")
