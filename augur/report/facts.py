"""What a review board reads, as plain data: where the pack came from, the headline figures, the shocks
in words, what the model shows would fix it, and the deltas between a drill before and after a change.

Nothing here draws: :mod:`augur.report.charts` and :mod:`augur.report.page` render these facts. Every
sentence is derived from the drill's own record or from a re-run of the model, never from a template
of generic advice.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> result = augur.simulate(scenario.graph, scenario)                    # doctest: +SKIP
>>> worst_step(result)                                                   # doctest: +SKIP
35
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import yaml

from augur import __version__
from augur.drill import DrillResult, simulate
from augur.engine import Status
from augur.errors import ReportError
from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, edge_param, node_param
from augur.metrics import RECOVERED_LEVEL
from augur.scenario import Scenario, Shock, dump_scenario, scenario_to_dict

__all__ = [
    "COST_LABEL",
    "METRIC_MEANINGS",
    "ReportError",
    "compare_facts",
    "cost_text",
    "display_source",
    "findings",
    "graph_diff",
    "graph_hash",
    "key_finding",
    "kpi_cards",
    "metric_rows",
    "metric_text",
    "node_name",
    "provenance",
    "scenario_text",
    "shock_sentences",
    "value_text",
    "verdict_sentence",
    "worst_step",
]

VERDICT_RANK = {"graceful": 0, "degraded": 1, "cascade": 2}
# Costs are plain numbers: price_per_1k_tokens records no currency. Said the same way wherever a
# cost is labelled.
COST_LABEL = "cost (in the price units of price_per_1k_tokens)"
AI_METRICS = ("peak_token_multiplier", "token_overrun", "token_overrun_cost", "ci_widening_peak")
SWEEP_CELLS = 5_000_000  # node-steps of re-runs a pack's weak-point sweep may spend (about a second)

# What each key of ``result.metrics`` means, for the metrics table of a pack.
METRIC_MEANINGS = {
    "scenario": "the drill's name",
    "seed": "the seed recorded with the drill (a drill itself draws no random numbers)",
    "steps": "the horizon, in steps",
    "step_unit": "what one step stands for",
    "slo": "the service level the business needs",
    "token_budget": "peak tokens allowed, as a multiple of baseline",
    "verdict": "cascade if anything failed beyond the shocked nodes; degraded if service fell below the "
    "SLO or tokens over budget; else graceful",
    "hypothesis": "the verdict the drill was expected to end with",
    "hypothesis_held": "whether the verdict equals the hypothesis",
    "primary": "nodes hit by a shock directly",
    "secondary_failures": "nodes that failed without being hit by a shock",
    "cascade_depth": "hops from the nearest shocked node to the furthest secondary failure",
    "service_level_min": "the lowest service level over the drill",
    "time_to_survive": "steps from the first shock until service fell below the SLO",
    "time_to_recover": "steps from the end of the last shock until service held at 99% or more again",
    "resilience_loss": "the sum over steps of (1 - service level): steps of service lost",
    "peak_token_multiplier": "the most tokens spent in one step, as a multiple of baseline",
    "token_overrun": "tokens spent above each AI service's baseline, summed over the drill",
    "token_overrun_cost": "the overrun's cost (in the price units of price_per_1k_tokens), at each "
    "service's price_per_1k_tokens",
    "ci_widening_peak": "the widest confidence interval of an AI service, as a multiple of its baseline",
    "failed_nodes": "nodes that failed at some step, shocked or not",
    "nodes": "nodes in the graph",
    "augur": "the augur version that ran the drill",
}


# -- provenance ----------------------------------------------------------------------------------------


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


_SCENARIO_TEXTS: dict[int, str] = {}


def scenario_text(result: DrillResult) -> str:
    """The drill's scenario file with its graph inline: what a pack embeds and hashes.

    Written once per result (YAML output is slow on a large graph) and kept while the result lives.
    """
    key = id(result)
    text = _SCENARIO_TEXTS.get(key)
    if text is None:
        data = scenario_to_dict(result.scenario, inline_graph=True)
        if getattr(yaml, "__with_libyaml__", False):  # the C emitter writes the same text, faster
            text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        else:
            text = dump_scenario(result.scenario, inline_graph=True)
        _SCENARIO_TEXTS[key] = text
        weakref.finalize(result, _SCENARIO_TEXTS.pop, key, None)
    return text


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


# -- formatting ----------------------------------------------------------------------------------------


def steps_text(n: float | None, unit: str, *, none: str = "-") -> str:
    """``3`` -> ``'3 days'``; ``1`` -> ``'1 day'``; fractions keep one decimal."""
    if n is None:
        return none
    if float(n).is_integer():
        n = int(n)
        return f"{n:,} {unit}" + ("" if n == 1 else "s")
    return f"{n:,.1f} {unit}s"


def multiple_text(x: float | None) -> str:
    return "-" if x is None else f"{x:,.2f}×"


def pct_text(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def number_text(x: float | None) -> str:
    """A count or amount for people: ``36784.6`` -> ``'36,785'``, ``0.4567`` -> ``'0.46'``."""
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.2f}"


def cost_text(x: float | None) -> str:
    """A cost as a plain number with two decimals (no currency is known): ``'1,234.50'``."""
    return "-" if x is None else f"{x:,.2f}"


def value_text(x: float) -> str:
    """An attribute's value as its author would write it, never in exponent form: ``17712`` ->
    ``'17,712'``, ``0.004`` -> ``'0.004'``, ``1.5e6`` -> ``'1,500,000'``."""
    x = float(x)
    if x.is_integer():
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return np.format_float_positional(x, precision=4, unique=True, fractional=False, trim="-")


def node_name(G: nx.DiGraph, node: Any) -> str:
    """How a node is named to a reader: its label, or its id where it has none."""
    return str(G.nodes[node].get("label", node)) if node in G else str(node)


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _names(G: nx.DiGraph, nodes) -> str:
    names = [node_name(G, v) for v in nodes]
    if len(names) <= 5:
        return _join(names)
    return ", ".join(names[:4]) + f" and {len(names) - 4} more"


def metric_text(key: str, value: Any, result: DrillResult) -> str:
    """A metric's value for people, in the drill's step unit: ``resilience_loss`` 9.0 ->
    ``'9 hours of service'``, ``token_overrun`` 36784.6 -> ``'36,785 tokens'``, ``slo`` 0.95 ->
    ``'95%'``, node ids as their names."""
    unit = result.scenario.step_unit
    if value is None:
        return {
            "time_to_survive": "never below the SLO",
            "time_to_recover": "not recovered within the horizon",
            "hypothesis": "none stated",
            "token_budget": "none set",
        }.get(key, "no AI services" if key in AI_METRICS else "-")
    if isinstance(value, (list, tuple)):
        return _names(result.graph, value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("steps", "time_to_survive", "time_to_recover"):
        return steps_text(value, unit)
    if key == "resilience_loss":
        return steps_text(round(value, 1), unit) + " of service"
    if key in ("slo", "service_level_min"):
        return pct_text(value)
    if key == "token_budget":
        return f"{value:g}× baseline"
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return f"{multiple_text(value)} baseline"
    if key == "token_overrun":
        return f"{number_text(value)} tokens"
    if key == "token_overrun_cost":
        return cost_text(value)
    if key == "cascade_depth":
        return f"{value:,} hop{'s' if value != 1 else ''}"
    if key == "seed" or isinstance(value, str):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number_text(float(value))
    return str(value)


# -- the drill in numbers ------------------------------------------------------------------------------


def worst_step(result: DrillResult) -> int:
    """The step of lowest service level; among equal lows, the one with most nodes not ok, then the
    earliest. (So a drill whose service never moved shows the step where most of the graph hurt.)

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process", "min_supply": 0.5})],
    ...                 [("e", {"source": "a", "target": "shop"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "s", "steps": 12, "shocks": [
    ...     {"kind": "vendor_failure", "target": "b", "start": 4, "duration": 2}]}, graph=G)
    >>> worst_step(simulate(G, s))
    4
    """
    level = result.service_level
    not_ok = (result.trajectory.status != Status.OK).sum(axis=1)
    candidates = np.flatnonzero(level <= level.min() + 1e-9)
    return int(candidates[int(np.argmax(not_ok[candidates]))])


def verdict_sentence(result: DrillResult) -> str:
    """The drill in one sentence: the verdict and what it rests on."""
    m = result.metrics
    unit = m["step_unit"]
    parts = []
    secondary = m["secondary_failures"]
    if secondary:
        parts.append(
            f"{len(secondary)} node{'s' if len(secondary) != 1 else ''} failed beyond the shocked ones, "
            f"up to {m['cascade_depth']} hop{'s' if m['cascade_depth'] != 1 else ''} away"
        )
    if m["service_level_min"] < m["slo"]:
        tts = m["time_to_survive"]
        when = f" {steps_text(tts, unit)} after the first shock" if tts is not None else ""
        parts.append(
            f"service fell to {pct_text(m['service_level_min'])} against an SLO of {pct_text(m['slo'])}{when}"
        )
    else:
        parts.append(
            f"service stayed at {pct_text(m['service_level_min'])} or above (SLO {pct_text(m['slo'])})"
        )
    budget = m["token_budget"]
    peak = m["peak_token_multiplier"]
    if budget is not None and peak is not None and peak > budget:
        parts.append(f"tokens peaked at {multiple_text(peak)} baseline, over the {budget:g}× budget")
    ttr = m["time_to_recover"]
    if m["service_level_min"] < RECOVERED_LEVEL:
        parts.append(
            f"it recovered {steps_text(ttr, unit)} after the last shock ended"
            if ttr is not None
            else "it had not recovered by the end of the drill"
        )
    text = "; ".join(parts)
    return f"{m['verdict'].capitalize()}: {text}."


def kpi_cards(result: DrillResult) -> list[dict]:
    """The headline figures as cards: ``key, label, value, note, tone`` (tone: bad, warn, good, neutral)."""
    m = result.metrics
    unit = m["step_unit"]
    held = m["hypothesis_held"]
    secondary = len(m["secondary_failures"])
    budget = m["token_budget"]
    peak = m["peak_token_multiplier"]
    overrun = m["token_overrun"]
    ci = m["ci_widening_peak"]
    verdict_tone = {"cascade": "bad", "degraded": "warn", "graceful": "good"}[m["verdict"]]
    cards = [
        {
            "key": "verdict",
            "label": "Verdict",
            "value": m["verdict"].upper(),
            "note": "no hypothesis"
            if held is None
            else f"expected {m['hypothesis']}: {'held' if held else 'NOT held'}",
            "tone": verdict_tone,
        },
        {
            "key": "service_level_min",
            "label": "Lowest service level",
            "value": pct_text(m["service_level_min"]),
            "note": f"SLO {pct_text(m['slo'])}",
            "tone": "bad" if m["service_level_min"] < m["slo"] else "good",
        },
        {
            "key": "time_to_survive",
            "label": "Time to survive",
            "value": steps_text(m["time_to_survive"], unit, none="held"),
            "note": "first shock to below SLO" if m["time_to_survive"] is not None else "never below the SLO",
            "tone": "warn" if m["time_to_survive"] is not None else "good",
        },
        {
            "key": "time_to_recover",
            "label": "Time to recover",
            "value": steps_text(m["time_to_recover"], unit, none="not recovered"),
            "note": "last shock's end to 99% service"
            if m["time_to_recover"] is not None
            else "within the horizon",
            "tone": "bad" if m["time_to_recover"] is None else "neutral",
        },
        {
            "key": "resilience_loss",
            "label": "Resilience loss",
            "value": steps_text(round(m["resilience_loss"], 1), unit),
            "note": "of service lost, summed",
            "tone": "warn" if m["resilience_loss"] > 0.05 else "good",
        },
        {
            "key": "peak_token_multiplier",
            "label": "Peak tokens",
            "value": multiple_text(peak) if peak is not None else "no AI",
            "note": f"of baseline; budget {budget:g}×" if budget is not None else "of baseline per step",
            "tone": "bad"
            if (budget is not None and peak is not None and peak > budget)
            else ("warn" if peak is not None and peak > 1.05 else "neutral"),
        },
        {
            "key": "token_overrun",
            "label": "Token overrun",
            "value": number_text(overrun) if overrun is not None else "no AI",
            "note": f"tokens over baseline; {COST_LABEL}: {cost_text(m['token_overrun_cost'])}"
            if overrun is not None
            else "no AI services",
            # where a card has no room for the label: a mark that a footnote explains (COST_LABEL)
            "short_note": f"tokens over baseline; cost¹ {cost_text(m['token_overrun_cost'])}"
            if overrun is not None
            else "no AI services",
            "tone": "warn" if overrun else "neutral",
        },
        {
            "key": "secondary_failures",
            "label": "Secondary failures",
            "value": f"{secondary:,}",
            "note": f"cascade depth {m['cascade_depth']} hop{'s' if m['cascade_depth'] != 1 else ''}"
            if secondary
            else "nothing failed beyond the shocks",
            "tone": "bad" if secondary else "good",
        },
        {
            "key": "ci_widening_peak",
            "label": "CI widening",
            "value": multiple_text(ci) if ci is not None else "no AI",
            "note": "widest interval vs baseline",
            "tone": "warn" if ci is not None and ci > 1.05 else "neutral",
        },
    ]
    return cards


def metric_rows(result: DrillResult) -> list[tuple[str, str, str]]:
    """Every metric as ``(key, value for people, meaning)``, in the order ``augur run --json`` prints
    (the exact values are the JSON's; see :func:`metric_text`)."""
    return [
        (key, metric_text(key, value, result), METRIC_MEANINGS.get(key, ""))
        for key, value in result.metrics.items()
    ]


# -- the shocks in words -------------------------------------------------------------------------------


def _shock_what(shock: Shock, G: nx.DiGraph, unit: str) -> str:
    p = shock.params
    if shock.on_edges:
        where = ", ".join(f"{node_name(G, u)} → {node_name(G, v)}" for u, v in shock.target)
    else:
        where = _names(G, shock.target)
    plural = len(shock.target) > 1
    if shock.kind == "vendor_failure":
        severity = p.get("severity", 1.0)
        if severity >= 1:
            return f"{where} {'go' if plural else 'goes'} down completely"
        verb, whose = ("lose", "their") if plural else ("loses", "its")
        return f"{where} {verb} {severity:.0%} of {whose} capacity"
    if shock.kind == "logistics_bottleneck":
        bits = []
        if p.get("capacity", 1.0) < 1:
            bits.append(f"capacity cut to {p['capacity']:.0%}")
        if p.get("delay"):
            bits.append(f"goods held {steps_text(p['delay'], unit)} longer")
        route = where if shock.on_edges else f"everything through {where}"
        return f"{route}: {' and '.join(bits) or 'a bottleneck'}"
    if shock.kind == "demand_spike":
        m = p.get("multiplier", 2.0)
        verb = "rises" if m >= 1 else "falls"
        return f"demand on {where} {verb} to {m:g}× baseline"
    if shock.kind == "data_quality_drop":
        return f"data from {where} drops to {p.get('quality', 0.5):.0%} of its normal quality"
    if shock.kind == "rate_limit_cut":
        return f"the token limit of {where} is cut to {p.get('factor', 0.5):.0%}"
    return shock.describe()


def shock_sentences(scenario: Scenario, G: nx.DiGraph) -> list[dict]:
    """Each shock as ``{when, what, technical}``: 'day 10 for 21 days (to day 30)', 'Acme Chips goes
    down completely', and the terse form of the event log."""
    unit = scenario.step_unit
    out = []
    for shock in scenario.shocks:
        if shock.duration is None:
            when = f"from {unit} {shock.start} to the end of the drill"
        elif shock.duration == 1:
            when = f"{unit} {shock.start} only"
        else:
            last = shock.start + shock.duration - 1
            when = f"{unit} {shock.start} to {unit} {last} ({steps_text(shock.duration, unit)})"
        out.append({"when": when, "what": _shock_what(shock, G, unit), "technical": shock.describe()})
    return out


# -- what would fix it ---------------------------------------------------------------------------------


def _first_index(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _failure_cause(result: DrillResult, node: Any) -> str:
    """Why ``node`` first failed, as the event log says it, with node ids given as names."""
    prefix = f"{node} failed ("
    for event in result.events:
        if event.kind == "failed" and event.node == node and event.message.startswith(prefix):
            cause = event.message[len(prefix) : -1]
            supplier = re.fullmatch(r"supply from (.+) at (\d+%)", cause)
            if supplier and supplier.group(1) in result.graph:
                return f"supply from {node_name(result.graph, supplier.group(1))} fell to {supplier.group(2)}"
            return cause
    return ""


def _stock_needed(result: DrillResult, col: int, node: Any) -> float:
    """The stock that would have covered every shortfall of ``node``'s supply in this drill: the sum of
    ``1 - a / min_supply`` over its short steps (one unit covers one step of total shortfall)."""
    supply = result.trajectory.supply[:, col]
    need = node_param(result.graph, node, "min_supply")
    headroom = np.minimum(supply / need, 1.0)
    return float((1.0 - headroom).sum())


def _what_if(result: DrillResult, node: Any, **attrs: float) -> dict:
    """Re-run the drill with ``node``'s attributes changed; the verdict and figures it ends with."""
    H = result.graph.copy()
    H.nodes[node].update(attrs)
    m = simulate(H, replace(result.scenario, graph=H)).metrics
    return {
        "verdict": m["verdict"],
        "service_level_min": m["service_level_min"],
        "resilience_loss": m["resilience_loss"],
        "secondary_failures": len(m["secondary_failures"]),
    }


def _what_if_text(change: str, outcome: dict, before: dict, unit: str) -> str:
    verdict = outcome["verdict"]
    ends = f"still ends {verdict.upper()}" if verdict == before["verdict"] else f"ends {verdict.upper()}"
    return (
        f"Model check: {change}, this drill {ends} (was {before['verdict']}), lowest service "
        f"{pct_text(outcome['service_level_min'])}, "
        f"{steps_text(round(outcome['resilience_loss'], 1), unit)} of "
        f"service lost, {outcome['secondary_failures']} secondary failure"
        f"{'s' if outcome['secondary_failures'] != 1 else ''}."
    )


def _sole_sources(result: DrillResult, node: Any, t: int) -> tuple[list[str], list[str]]:
    """Groups of ``node``'s inputs with a single supplier that was down before ``t``, and groups whose
    every supplier was down: the places where a second source was missing."""
    G = result.graph
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    groups: dict[str, list] = defaultdict(list)
    for u in G.predecessors(node):
        groups[str(edge_param(G, u, node, "group"))].append(u)
    single, all_down = [], []
    window = slice(0, max(t, 1))
    for group, suppliers in groups.items():
        down = [u for u in suppliers if traj.output[window, index[u]].min() < 0.5]
        if not down or len(down) < len(suppliers):
            continue
        what = f"'{group}'" if group else "its supply"
        if len(suppliers) == 1:
            single.append(f"a single source for {what}: {node_name(G, suppliers[0])}")
        else:
            all_down.append(f"all {len(suppliers)} sources of {what} were down at once")
    return single, all_down


def _weak_points(result: DrillResult, limit: int) -> list[dict]:
    """The criticality sweep around the shocked area: each nearby node failed alone, worst first."""
    from augur.sweep import criticality

    G = result.graph
    scenario = result.scenario
    m = result.metrics
    seeds = [v for v in (*m["primary"], *m["secondary_failures"]) if v in G]
    # each target is one drill: keep the sweep to about SWEEP_CELLS node-steps of engine work
    limit = max(8, min(limit, SWEEP_CELLS // max(G.number_of_nodes() * scenario.steps, 1)))
    if G.number_of_nodes() <= limit:
        targets = list(G.nodes)
    else:
        # breadth-first from the shocked nodes, both directions: the area the drill touched
        seen = dict.fromkeys(seeds)
        frontier = list(seeds)
        while frontier and len(seen) < limit:
            nxt = []
            for v in frontier:
                for w in (*G.pred[v], *G.succ[v]):
                    if w not in seen and len(seen) < limit:
                        seen[w] = None
                        nxt.append(w)
            frontier = nxt
        targets = list(seen)[:limit]
    if not targets:
        return []
    starts = [s.start for s in scenario.shocks]
    durations = [s.duration for s in scenario.shocks if s.duration is not None]
    start = min(starts) if starts else max(1, scenario.steps // 10)
    duration = max(durations) if durations else max(1, scenario.steps // 4)
    duration = max(1, min(duration, scenario.steps - start))
    rows = criticality(G, scenario, targets=targets, start=start, duration=duration)
    for row in rows:
        row["name"] = node_name(G, row["target"])
        row["duration"] = duration
    return rows


def _cascade_items(result: DrillResult, what_ifs: int) -> list[dict]:
    """One item per secondary failure, in the order they happened: what cut it and what was missing,
    with a model check (a re-run with one change) at the first ``what_ifs`` of them."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    index = {v: i for i, v in enumerate(traj.nodes)}
    status = traj.status
    secondary = list(m["secondary_failures"])
    first_fail = {v: _first_index(status[:, index[v]] == Status.FAILED) for v in secondary}
    secondary.sort(key=lambda v: (first_fail[v], str(v)))
    items = []
    for node in secondary[:8]:
        col = index[node]
        t = first_fail[node]
        down = int(np.isin(status[:, col], (Status.FAILED, Status.RECOVERING)).sum())
        name = node_name(G, node)
        details = []
        cause = _failure_cause(result, node)
        if cause:
            details.append(f"Cause: {cause}.")
        buffer = float(node_param(G, node, "buffer"))
        needed = _stock_needed(result, col, node)
        if buffer <= 0 and needed > 0:
            details.append("It held no stock to cover a gap (buffer 0).")
        elif buffer > 0:
            empty = _first_index(traj.stock[:, col] <= 1e-9)
            if empty is not None:
                details.append(f"Its {steps_text(buffer, unit)} of stock ran out at {unit} {empty}.")
        single, all_down = _sole_sources(result, node, t)
        details += [s[0].upper() + s[1:] + "." for s in (*single, *all_down)]
        recovery = int(node_param(G, node, "recovery"))
        if recovery:
            details.append(
                f"Once its supply returned it stayed down {steps_text(recovery, unit)} more (recovery)."
            )
        peak_load = float(traj.load[:, col].max())
        capacity = float(node_param(G, node, "capacity"))
        overloaded = "load" in cause and peak_load > capacity
        if overloaded:
            details.append(
                f"Demand on it peaked at {peak_load:.2f}× baseline against a capacity of {capacity:g}×."
            )
        if what_ifs and needed > 0.5 and buffer < needed and ("supply" in cause or not cause):
            stock = float(math.ceil(needed))
            change = f"with {steps_text(stock, unit)} of stock at {name}"
            details.append(_what_if_text(change, _what_if(result, node, buffer=stock), m, unit))
            what_ifs -= 1
        elif what_ifs and overloaded:
            change = f"with capacity for {peak_load * 1.05:.2f}× baseline at {name}"
            outcome = _what_if(result, node, capacity=round(peak_load * 1.05, 2))
            details.append(_what_if_text(change, outcome, m, unit))
            what_ifs -= 1
        items.append(
            {
                "title": f"{name} failed at {unit} {t} and was down {steps_text(down, unit)}",
                "details": details,
            }
        )
    if len(secondary) > 8:
        items.append(
            {
                "title": f"{len(secondary) - 8} more secondary failures",
                "details": ["All are listed in the metrics table and the event log."],
            }
        )
    return items


def _gap_item(result: DrillResult) -> dict | None:
    """How long the first shocked node that lost output delivered less than full: the gap to bridge."""
    traj, unit = result.trajectory, result.metrics["step_unit"]
    for node in result.metrics["primary"][:5]:
        if node not in traj.nodes:
            continue
        short = traj.output[:, traj.nodes.index(node)] < RECOVERED_LEVEL
        start = _first_index(short)
        if start is None:
            continue
        return {
            "title": f"The gap to bridge: {node_name(result.graph, node)} delivered less than full output "
            f"for {steps_text(int(short.sum()), unit)}",
            "details": [
                f"From {unit} {start}, counting the shock and the steps it took to recover. Whatever "
                "depends on it needs stock for that long (one step of buffer covers one step of total "
                "shortfall) or another source in the same group that can carry the load.",
            ],
        }
    return None


def _ai_items(result: DrillResult, what_ifs: int) -> list[dict]:
    """AI services that throttled, retried or lost confidence; a model check of the token limit each
    throttled one needed."""
    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    items = []
    for col, node in enumerate(traj.nodes):
        if G.nodes[node]["kind"] != "ai_service":
            continue
        name = node_name(G, node)
        details = []
        throttled = int((traj.status[:, col] == Status.THROTTLED).sum())
        if throttled:
            at = int(np.argmax(traj.throttle_ratio[:, col]))
            ratio = float(traj.throttle_ratio[at, col])
            allowed = float(traj.tokens[at, col])  # a throttled service spends exactly its limit
            limit = node_param(G, node, "token_limit")
            cut = f" (its limit of {limit:,.0f} as cut by the drill's shock)" if allowed < limit - 0.5 else ""
            details.append(
                f"Throttled for {steps_text(throttled, unit)}: at {unit} {at} it wanted "
                f"{allowed * ratio:,.0f} tokens against a limit of {allowed:,.0f}{cut}, {ratio:.2f}× what it "
                "was allowed."
            )
            if what_ifs and limit:
                needed = math.ceil(limit * ratio)
                outcome = _what_if(result, node, token_limit=float(needed))
                details.append(_what_if_text(f"with a token limit of {needed:,} at {name}", outcome, m, unit))
                what_ifs -= 1
        attempts = float(traj.attempts[:, col].max())
        if attempts > 1.05:
            at = int(np.argmax(traj.attempts[:, col]))
            retries = int(node_param(G, node, "max_retries"))
            details.append(
                f"Retries rose to {attempts:.2f} attempts per unit of work at {unit} {at} as its input "
                f"quality fell (max_retries {retries})."
            )
        base_ci = traj.ci[0, col]
        if np.isfinite(base_ci) and base_ci > 0:
            widening = float(np.nanmax(traj.ci[:, col]) / base_ci)
            if widening > 1.05:
                details.append(f"Its confidence intervals widened to {widening:.2f}× their baseline width.")
        if details:
            items.append({"title": f"{name} (AI service)", "details": details})
    budget, peak = m["token_budget"], m["peak_token_multiplier"]
    if budget is not None and peak is not None and peak > budget:
        overrun = f"{number_text(m['token_overrun'])} tokens over baseline"
        items.append(
            {
                "title": f"Tokens went over budget: {peak:.2f}× baseline against {budget:g}×",
                "details": [f"{overrun}; {COST_LABEL}: {cost_text(m['token_overrun_cost'])}."],
            }
        )
    return items


def _slo_items(result: DrillResult) -> list[dict]:
    """Business processes below the SLO at the worst step, and their weakest input then."""
    from augur.metrics import service_nodes

    G, traj, m = result.graph, result.trajectory, result.metrics
    unit = m["step_unit"]
    index = {v: i for i, v in enumerate(traj.nodes)}
    worst = worst_step(result)
    before = max(worst - 1, 0)
    short = sorted(
        (v for v in service_nodes(G) if traj.output[worst, index[v]] < m["slo"]),
        key=lambda v: traj.output[worst, index[v]],
    )
    items = []
    for node in short[:5]:
        detail = f"At {unit} {worst} it met {traj.output[worst, index[node]]:.0%} of its demand"
        preds = list(G.predecessors(node))
        if preds:
            weakest = min(preds, key=lambda u: traj.output[before, index[u]])
            level = traj.output[before, index[weakest]]
            if level < RECOVERED_LEVEL:
                detail += f"; its weakest input was {node_name(G, weakest)} at {level:.0%}"
        items.append({"title": f"{node_name(G, node)} fell below the SLO", "details": [detail + "."]})
    return items


def _held(result: DrillResult) -> list[str]:
    """What protected the nodes that did not fail: stock drawn down (and how far), second sources that
    carried while another source was down."""
    G, traj = result.graph, result.trajectory
    unit = result.metrics["step_unit"]
    index = {v: i for i, v in enumerate(traj.nodes)}
    failed = (traj.status == Status.FAILED).any(axis=0)
    lines = []
    for col, node in enumerate(traj.nodes):
        if failed[col]:
            continue
        name = node_name(G, node)
        buffer = float(node_param(G, node, "buffer"))
        low = float(traj.stock[:, col].min())
        if buffer > 0 and low < buffer - 1e-9:
            at = int(np.argmin(traj.stock[:, col]))
            left = f"{low / buffer:.0%} left" if low > 1e-9 else "it ran out"
            lines.append(
                f"{name} drew on its stock: down to {low:.1f} of {steps_text(buffer, unit)} at {unit} {at} "
                f"({left})."
            )
        groups: dict[str, list] = defaultdict(list)
        for u in G.predecessors(node):
            groups[str(edge_param(G, u, node, "group"))].append(u)
        for group, suppliers in groups.items():
            down = [u for u in suppliers if traj.output[:, index[u]].min() < 0.5]
            if len(suppliers) > 1 and down and len(down) < len(suppliers):
                others = [u for u in suppliers if u not in down]
                what = f"'{group}'" if group else "its supply"
                verb = "was" if len(down) == 1 else "were"
                lines.append(
                    f"{name} kept {what} coming from {_names(G, others)} while {_names(G, down)} {verb} down."
                )
    return lines[:12]


def key_finding(result: DrillResult) -> str | None:
    """The one line of the findings a picture has room for: the first model check that ends the drill
    in a milder verdict, else (for a drill that held) the closest call, else None."""
    found = findings(result, sweep=False)
    rank = VERDICT_RANK[result.metrics["verdict"]]
    for item in found["items"]:
        for detail in item["details"]:
            match = re.match(r"Model check: (.+?), this drill ends (\w+)", detail)
            if match and VERDICT_RANK.get(match.group(2).lower(), rank) < rank:
                return (
                    f"What would fix it (a model check): {match.group(1)}, this drill ends {match.group(2)}."
                )
    if found["held"] and not result.metrics["secondary_failures"]:
        return f"What held: {found['held'][0]}"
    return None


def findings(result: DrillResult, *, sweep_limit: int = 40, what_ifs: int = 2, sweep: bool = True) -> dict:
    """What the model shows would fix this drill, derived from its record.

    Returns ``{"headline", "items", "held", "weak_points", "scope"}``: ``items`` are
    ``{"title", "details"}``: the gap the shock opened, each secondary failure (what cut it, no stock, a
    single source, a long recovery), each AI service that throttled, retried or lost confidence, and
    the business processes that missed the SLO, with a re-run of the model where one change would have
    stopped it ("Model check: with 26 days of stock at Boardworks, this drill ends GRACEFUL");
    ``held`` says what protected the graph (stock drawn down, second sources that carried);
    ``weak_points`` is the criticality sweep of up to ``sweep_limit`` nodes around the shocked area
    (each failed alone, for as long as this drill's longest shock), the ones that hurt, worst first;
    ``sweep=False`` leaves it out.
    """
    m = result.metrics
    items = _cascade_items(result, what_ifs)
    if items:
        gap = _gap_item(result)
        items = ([gap] if gap else []) + items
    items += _ai_items(result, what_ifs)
    if not m["secondary_failures"] and m["service_level_min"] < m["slo"]:
        items += _slo_items(result)
    weak = _weak_points(result, sweep_limit) if sweep else []

    head = ""
    if m["hypothesis_held"] is False:
        head = f"The drill did not hold its hypothesis: expected {m['hypothesis']}, it ended {m['verdict']}. "
    n = len(m["secondary_failures"])
    if n:
        shocks = "shocks" if len(result.scenario.shocks) != 1 else "shock"
        head += (
            f"The {shocks} spread: {n} node{'s' if n != 1 else ''} failed that no shock touched. Each "
            "failure below says what cut it and what was missing; a model check re-runs the drill with one "
            "change."
        )
    elif m["verdict"] == "degraded":
        head += "Nothing failed beyond the shocked nodes, but the drill missed its SLO or token budget."
    else:
        head += (
            "Nothing failed beyond the shocked nodes and service held the SLO: this drill needs no fix. "
            "What protected it is listed below, with how close it came."
        )
    everything = len(weak) == result.graph.number_of_nodes()
    return {
        "headline": head,
        "items": items,
        "held": _held(result),
        "weak_points": [row for row in weak if row["verdict"] != "graceful"][:6],
        "scope": f"all {len(weak)} nodes"
        if everything
        else f"the {len(weak)} nodes nearest the shocked ones",
    }


# -- before and after ----------------------------------------------------------------------------------

# (metrics key, label, which way is better)
COMPARE_METRICS = (
    ("service_level_min", "Lowest service level", "higher"),
    ("time_to_survive", "Time to survive", "higher"),
    ("time_to_recover", "Time to recover", "lower"),
    ("resilience_loss", "Resilience loss", "lower"),
    ("secondary_failures", "Secondary failures", "lower"),
    ("cascade_depth", "Cascade depth", "lower"),
    ("peak_token_multiplier", "Peak tokens", "lower"),
    ("token_overrun", "Token overrun", "lower"),
    ("token_overrun_cost", f"Overrun {COST_LABEL}", "lower"),
    ("ci_widening_peak", "CI widening", "lower"),
)


def _compare_value(key: str, value: Any) -> float | None:
    """A metric as a number that orders outcomes (None where the metric does not apply)."""
    if key == "secondary_failures":
        return float(len(value))
    if key == "time_to_survive":
        return math.inf if value is None else float(value)  # never below the SLO: as good as it gets
    if key == "time_to_recover":
        return math.inf if value is None else float(value)  # not recovered in the horizon: the worst
    return None if value is None else float(value)


def _compare_text(key: str, value: Any, unit: str) -> str:
    if key == "service_level_min":
        return pct_text(value)
    if key == "time_to_survive":
        return steps_text(value, unit, none="never below SLO")
    if key == "time_to_recover":
        return steps_text(value, unit, none="not recovered")
    if key == "resilience_loss":
        return steps_text(round(value, 1), unit)
    if key == "secondary_failures":
        return f"{len(value):,}"
    if key == "cascade_depth":
        return f"{value} hop{'s' if value != 1 else ''}"
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return multiple_text(value)
    if key == "token_overrun_cost":
        return cost_text(value)
    return number_text(value)


def _delta_text(key: str, a: float | None, b: float | None, unit: str) -> str:
    if a is None or b is None:
        return ""
    if math.isinf(a) or math.isinf(b):
        if a == b:
            return "no change"
        if key == "time_to_survive":
            return "no longer breached" if math.isinf(b) else "now breached"
        return "not recovered now" if math.isinf(b) else "now recovers"
    d = b - a
    if abs(d) < 1e-9:
        return "no change"
    sign = "+" if d > 0 else "−"
    if key == "service_level_min":
        return f"{sign}{abs(d) * 100:.0f} pts"
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return f"{sign}{abs(d):.2f}×"
    if key in ("time_to_survive", "time_to_recover", "resilience_loss"):
        return f"{sign}{steps_text(round(abs(d), 1), unit)}"
    if key == "token_overrun_cost":
        return f"{sign}{cost_text(abs(d))}"
    return f"{sign}{number_text(abs(d))}"


def _shock_key(shock: Shock) -> str:
    return json.dumps(shock.to_dict(), sort_keys=True, default=str)


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value_text(value)
    return str(value)


def _kind_word(G: nx.DiGraph, node: Any) -> str:
    return G.nodes[node]["kind"].replace("_", " ").replace("ai ", "AI ")


def graph_diff(before: nx.DiGraph, after: nx.DiGraph, *, limit: int = 40) -> list[str]:
    """What changed between two graphs, in words a reviewer reads: nodes and edges added or removed,
    attribute values changed (defaults spelled out, so ``buffer 0 → 21``)."""
    lines: list[str] = []
    a_nodes, b_nodes = set(before.nodes), set(after.nodes)
    for node in sorted(b_nodes - a_nodes, key=str):
        lines.append(f"added {_kind_word(after, node)} {node_name(after, node)}")
    for node in sorted(a_nodes - b_nodes, key=str):
        lines.append(f"removed {_kind_word(before, node)} {node_name(before, node)}")
    for node in sorted(a_nodes & b_nodes, key=str):
        if before.nodes[node]["kind"] != after.nodes[node]["kind"]:
            lines.append(
                f"{node_name(after, node)}: kind {before.nodes[node]['kind']} → {after.nodes[node]['kind']}"
            )
        for name in NODE_ATTRIBUTES:
            x, y = node_param(before, node, name), node_param(after, node, name)
            if (x is None) != (y is None) or (x is not None and not math.isclose(float(x), float(y))):
                lines.append(f"{node_name(after, node)}: {name} {_value_text(x)} → {_value_text(y)}")
    a_edges, b_edges = set(before.edges), set(after.edges)

    def edge_words(G: nx.DiGraph, u: Any, v: Any) -> str:
        group = edge_param(G, u, v, "group")
        bits = [f"group '{group}'"] if group else []
        if edge_param(G, u, v, "weight") != 1:
            bits.append(f"weight {value_text(edge_param(G, u, v, 'weight'))}")
        if edge_param(G, u, v, "lead_time"):
            bits.append(f"lead time {edge_param(G, u, v, 'lead_time')}")
        return f"{node_name(G, u)} → {node_name(G, v)}" + (f" ({', '.join(bits)})" if bits else "")

    for u, v in sorted(b_edges - a_edges, key=lambda e: (str(e[0]), str(e[1]))):
        lines.append(f"new supply link {edge_words(after, u, v)}")
    for u, v in sorted(a_edges - b_edges, key=lambda e: (str(e[0]), str(e[1]))):
        lines.append(f"removed supply link {edge_words(before, u, v)}")
    for u, v in sorted(a_edges & b_edges, key=lambda e: (str(e[0]), str(e[1]))):
        for name in ("weight", "group", "lead_time"):
            x, y = edge_param(before, u, v, name), edge_param(after, u, v, name)
            if x != y:
                lines.append(
                    f"{node_name(after, u)} → {node_name(after, v)}: {name} {_value_text(x) or '(none)'} → "
                    f"{_value_text(y) or '(none)'}"
                )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... and {len(lines) - limit} more changes"]
    return lines


def compare_facts(before: DrillResult, after: DrillResult) -> dict:
    """Two drills side by side: KPI rows with the better side marked, an overall call, whether the
    shocks and settings match, and what changed in the graph.

    ``overall`` is ``better`` when the after drill's verdict is milder, or the same verdict with no
    figure worse and at least one better; ``worse`` the mirror image; ``mixed`` when figures pull both
    ways; ``same`` when nothing moved.
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, DrillResult):
            raise ReportError(f"expected a DrillResult for '{name}', got {type(value).__name__}")
    ma, mb = before.metrics, after.metrics
    unit = mb["step_unit"]
    rows = []
    for key, label, better in COMPARE_METRICS:
        a, b = _compare_value(key, ma[key]), _compare_value(key, mb[key])
        if a is None and b is None:
            continue
        if a is None or b is None or a == b:
            direction = "same" if a == b else "n/a"
        else:
            improved = (b > a) if better == "higher" else (b < a)
            direction = "better" if improved else "worse"
        rows.append(
            {
                "key": key,
                "label": label,
                "better_when": better,
                "before": _compare_text(key, ma[key], ma["step_unit"]),
                "after": _compare_text(key, mb[key], unit),
                "delta": _delta_text(key, a, b, unit),
                "direction": direction,
            }
        )
    rank_a, rank_b = VERDICT_RANK[ma["verdict"]], VERDICT_RANK[mb["verdict"]]
    n_better = sum(r["direction"] == "better" for r in rows)
    n_worse = sum(r["direction"] == "worse" for r in rows)
    if rank_b < rank_a:
        overall = "better"
    elif rank_b > rank_a:
        overall = "worse"
    elif n_better and not n_worse:
        overall = "better"
    elif n_worse and not n_better:
        overall = "worse"
    elif n_better and n_worse:
        overall = "mixed"
    else:
        overall = "same"

    sa, sb = before.scenario, after.scenario
    same_shocks = sorted(map(_shock_key, sa.shocks)) == sorted(map(_shock_key, sb.shocks))
    settings = []
    for attr, label in (
        ("steps", "horizon"),
        ("slo", "SLO"),
        ("token_budget", "token budget"),
        ("step_unit", "step unit"),
    ):
        x, y = getattr(sa, attr), getattr(sb, attr)
        if x != y:
            settings.append(f"{label}: {_value_text(x)} → {_value_text(y)}")
    same_graph = graph_hash(before.graph) == graph_hash(after.graph)
    sentence = {
        "better": "The after drill is better",
        "worse": "The after drill is worse",
        "mixed": "The after drill is better on some figures and worse on others",
        "same": "The two drills end the same",
    }[overall]
    sentence += f": {ma['verdict']} → {mb['verdict']}"
    loss_a, loss_b = ma["resilience_loss"], mb["resilience_loss"]
    sentence += (
        f", resilience loss {steps_text(round(loss_a, 1), unit)} → {steps_text(round(loss_b, 1), unit)}."
    )
    return {
        "rows": rows,
        "overall": overall,
        "sentence": sentence,
        "same_shocks": same_shocks,
        "shocks_before": shock_sentences(sa, before.graph),
        "shocks_after": shock_sentences(sb, after.graph),
        "settings": settings,
        "same_graph": same_graph,
        "graph_changes": [] if same_graph else graph_diff(before.graph, after.graph),
    }
