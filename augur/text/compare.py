"""Two drills side by side, in words: each figure before and after with its delta, the overall
sentence, the shocks in one drill only, the settings and the graph changes.

The comparison itself is :func:`augur.analysis.compare`; this module only says it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from augur.analysis.compare import (
    AttributeChanged,
    EdgeAdded,
    EdgeChanged,
    EdgeRemoved,
    NodeAdded,
    NodeRemoved,
    compare,
    graph_changes,
)
from augur.errors import ReportError
from augur.graph import edge_param
from augur.text import (
    COST_LABEL,
    contained,
    cost_shown,
    cost_text,
    count_text,
    hops_text,
    multiple_text,
    node_name,
    number_text,
    pct_text,
    shock_sentences,
    steps_text,
    value_text,
)

if TYPE_CHECKING:
    from augur.drill import DrillResult

__all__ = [
    "COMPARE_LABELS",
    "DIRECTION_MARKS",
    "NO_CHANGE",
    "change_text",
    "compare_facts",
    "first_few_text",
    "graph_diff",
    "weak_points_left_text",
]

COMPARE_LABELS = {
    "service_level_min": "Lowest service level",
    "time_to_survive": "Time to survive",
    "time_to_recover": "Time to recover",
    "resilience_loss": "Resilience loss",
    "secondary_failures": "Secondary failures",
    "cascade_depth": "Cascade depth",
    "peak_token_multiplier": "Peak tokens",
    "token_overrun": "Token overrun",
    "token_overrun_cost": f"Overrun {COST_LABEL}",
    "ci_widening_peak": "CI widening",
}
# how each figure moved, as the compare table marks it (the app, the pack page and its picture)
DIRECTION_MARKS = {"better": "▲ better", "worse": "▼ worse", "same": "= unchanged", "n/a": "–"}
NO_CHANGE = "no change"
SETTING_LABELS = {"steps": "horizon", "slo": "SLO", "token_budget": "token budget", "step_unit": "step unit"}


def first_few_text(items: Sequence[str], limit: int = 4) -> str:
    """The first ``limit`` of ``items`` joined by semicolons, and how many more there are.

    >>> first_few_text(["a", "b", "c"], 2), first_few_text([])
    ('a; b; and 1 more', '')
    """
    more = len(items) - limit
    return "; ".join(items[:limit]) + (f"; and {more} more" if more > 0 else "")


def _figure_text(key: str, value: Any, unit: str) -> str:
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
        return hops_text(value)
    if key in ("peak_token_multiplier", "ci_widening_peak"):
        return multiple_text(value)
    if key == "token_overrun_cost":
        return cost_text(value)
    return number_text(value)


# the decimals each figure is shown with, so a change is the difference of the numbers shown
_SHOWN_DECIMALS = {
    "service_level_min": 2,  # a whole percentage
    "peak_token_multiplier": 2,
    "ci_widening_peak": 2,
    "time_to_survive": 1,
    "time_to_recover": 1,
    "resilience_loss": 1,
}


def _delta_text(key: str, a: float | None, b: float | None, direction: str, unit: str) -> str:
    if a is None or b is None:
        return ""
    if direction == "same":
        return NO_CHANGE
    if math.isinf(a) or math.isinf(b):
        if key == "time_to_survive":
            return "no longer breached" if math.isinf(b) else "now breached"
        return "not recovered now" if math.isinf(b) else "now recovers"
    places = _SHOWN_DECIMALS.get(key)
    d = b - a if places is None else round(b, places) - round(a, places)
    if key == "token_overrun_cost":  # shown with the decimals its first two figures need
        d = cost_shown(b) - cost_shown(a)
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


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value_text(value)
    return str(value)


def _kind_word(G: nx.DiGraph, node: Any) -> str:
    return G.nodes[node]["kind"].replace("_", " ").replace("ai ", "AI ")


def _edge_words(G: nx.DiGraph, u: Any, v: Any) -> str:
    group = edge_param(G, u, v, "group")
    bits = [f"group '{group}'"] if group else []
    if edge_param(G, u, v, "weight") != 1:
        bits.append(f"weight {value_text(edge_param(G, u, v, 'weight'))}")
    if edge_param(G, u, v, "lead_time"):
        bits.append(f"lead time {edge_param(G, u, v, 'lead_time')}")
    return f"{node_name(G, u)} → {node_name(G, v)}" + (f" ({', '.join(bits)})" if bits else "")


def change_text(change: Any, before: nx.DiGraph, after: nx.DiGraph) -> str:
    """One graph change as a reviewer reads it: 'added vendor Acme', 'Acme: buffer 0 → 21'."""
    if isinstance(change, NodeAdded):
        return f"added {_kind_word(after, change.node)} {node_name(after, change.node)}"
    if isinstance(change, NodeRemoved):
        return f"removed {_kind_word(before, change.node)} {node_name(before, change.node)}"
    if isinstance(change, AttributeChanged):
        if change.attribute == "kind":
            return f"{node_name(after, change.node)}: kind {change.before} → {change.after}"
        name, x, y = node_name(after, change.node), _value(change.before), _value(change.after)
        return f"{name}: {change.attribute} {x} → {y}"
    if isinstance(change, EdgeAdded):
        return f"new supply link {_edge_words(after, change.u, change.v)}"
    if isinstance(change, EdgeRemoved):
        return f"removed supply link {_edge_words(before, change.u, change.v)}"
    if isinstance(change, EdgeChanged):
        return (
            f"{node_name(after, change.u)} → {node_name(after, change.v)}: {change.attribute} "
            f"{_value(change.before) or '(none)'} → {_value(change.after) or '(none)'}"
        )
    raise TypeError(f"not a graph change: {change!r}")


def graph_diff(before: nx.DiGraph, after: nx.DiGraph, *, limit: int = 40) -> list[str]:
    """What changed between two graphs, in words a reviewer reads: nodes and edges added or removed,
    attribute values changed (defaults spelled out, so ``buffer 0 → 21``)."""
    lines = [change_text(c, before, after) for c in graph_changes(before, after)]
    if len(lines) > limit:
        lines = [*lines[:limit], f"... and {len(lines) - limit} more changes"]
    return lines


def _check_comparable(before: DrillResult, after: DrillResult) -> None:
    for name, value in (("before", before), ("after", after)):
        if not all(hasattr(value, part) for part in ("scenario", "graph", "trajectory", "metrics")):
            raise ReportError(f"expected a DrillResult for '{name}', got {type(value).__name__}")
    ma, mb = before.metrics, after.metrics
    unit = mb["step_unit"]
    if ma["step_unit"] != unit:
        raise ReportError(
            f"the before drill counts in {ma['step_unit']}s and the after drill in {unit}s: their "
            "figures and curves would not line up; compare drills whose steps stand for the same time"
        )
    if ma["steps"] != mb["steps"]:
        raise ReportError(
            f"the before drill runs {ma['steps']} {unit}s and the after drill {mb['steps']}: losses "
            "summed over different horizons do not compare; give both the same steps"
        )


# the figures that say why one drill is better than another of the same verdict, first first
WHY_ORDER = ("secondary_failures", "resilience_loss", "service_level_min", "time_to_survive", "cascade_depth")


def _call_sentence(overall: str, ma: dict, mb: dict, rows: Sequence[dict]) -> str:
    """The comparison's call in one sentence. Where the verdict changed it says so with the loss
    (``'The after drill is better: cascade → graceful, resilience loss 4 days → 0 days.'``); where
    both drills end alike it says why the call went as it did: a cascade contained after (or no
    longer), and the figures that moved, fewest failures and least loss first (``'The after drill is
    better: both cascade, but the after one is contained: no service lost; resilience loss 2.1 days
    → 0 days, lowest service level 57% → 100%.'``).

    >>> m = {"verdict": "cascade", "secondary_failures": ["b"], "service_level_min": 0.5,
    ...      "resilience_loss": 3.0, "step_unit": "day"}
    >>> rows = [{"key": "resilience_loss", "label": "Resilience loss", "before": "3 days",
    ...          "after": "1 day", "direction": "better"}]
    >>> _call_sentence("better", m, {**m, "resilience_loss": 1.0}, rows)
    'The after drill is better: both cascade; resilience loss 3 days → 1 day.'
    """
    head = {
        "better": "The after drill is better",
        "worse": "The after drill is worse",
        "mixed": "The after drill is better on some figures and worse on others",
        "same": "The two drills end the same",
    }[overall]
    unit = mb["step_unit"]
    if ma["verdict"] != mb["verdict"] or overall == "same":
        loss_a, loss_b = ma["resilience_loss"], mb["resilience_loss"]
        verdicts = (
            f"{ma['verdict']} → {mb['verdict']}"
            if ma["verdict"] != mb["verdict"]
            else f"both {mb['verdict']}"
        )
        return (
            f"{head}: {verdicts}, resilience loss {steps_text(round(loss_a, 1), unit)} → "
            f"{steps_text(round(loss_b, 1), unit)}."
        )
    verdicts = f"both {mb['verdict']}"
    was, now = contained(ma), contained(mb)
    if now and not was:
        verdicts += ", but the after one is contained: no service lost"
    elif was and not now:
        verdicts += ", but the after one is no longer contained: it loses service"
    elif was and now:
        verdicts += ", contained"
    by_key = {r["key"]: r for r in rows}
    keys = [k for k in WHY_ORDER if k in by_key] + [k for k in by_key if k not in WHY_ORDER]

    def moved(direction: str) -> str:
        found = [by_key[k] for k in keys if by_key[k]["direction"] == direction][:3]
        return ", ".join(f"{r['label'].lower()} {r['before']} → {r['after']}" for r in found)

    if overall == "mixed":
        return f"{head}: {verdicts}; better: {moved('better')}; worse: {moved('worse')}."
    return f"{head}: {verdicts}; {moved(overall)}."


def compare_facts(before: DrillResult, after: DrillResult) -> dict:
    """Two drills side by side, in words: KPI rows with the better side marked, the overall call and
    its sentence, whether the shocks and settings match, and what changed in the graph (see
    :func:`augur.analysis.compare` for how the call is made)."""
    _check_comparable(before, after)
    ma, mb = before.metrics, after.metrics
    unit = mb["step_unit"]
    # a figure shown alike before and after is unchanged, never "worse" by a rounding
    c = compare(before, after, shown=lambda key, value: _figure_text(key, value, unit))
    rows = [
        {
            "key": d.key,
            "label": COMPARE_LABELS[d.key],
            "better_when": d.better_when,
            "before": _figure_text(d.key, d.before, unit),
            "after": _figure_text(d.key, d.after, unit),
            "delta": _delta_text(d.key, d.a, d.b, d.direction, unit),
            "direction": d.direction,
            "mark": DIRECTION_MARKS[d.direction],
        }
        for d in c.deltas
    ]
    sentence = _call_sentence(c.overall, ma, mb, rows)
    if not c.same_shocks:  # a milder shock is no mitigation: say so where the call is made
        sentence += " The shocks differ too, so part of this change is the shocks, not the drill's design."
    lines_a = shock_sentences(before.scenario, before.graph)
    lines_b = shock_sentences(after.scenario, after.graph)
    only = [("before", i, lines_a) for i in c.shocks_only_before] + [
        ("after", i, lines_b) for i in c.shocks_only_after
    ]
    return {
        "rows": rows,
        "overall": c.overall,
        "sentence": sentence,
        "same_shocks": c.same_shocks,
        "shocks_before": lines_a,
        "shocks_after": lines_b,
        # the shocks in one drill only, as "when: what" lines
        "shock_changes": [f"{side} only, {lines[i]['when']}: {lines[i]['what']}" for side, i, lines in only],
        "settings": [f"{SETTING_LABELS[name]}: {_value(x)} → {_value(y)}" for name, x, y in c.settings],
        "same_graph": c.same_graph,
        "graph_changes": [change_text(ch, before.graph, after.graph) for ch in c.graph_changes][:40]
        + ([f"... and {len(c.graph_changes) - 40} more changes"] if len(c.graph_changes) > 40 else []),
    }


def weak_points_left_text(n: int) -> str:
    """Where the before/after picture has no room to list the weak points left after the change.

    >>> weak_points_left_text(5)
    'Weak points left: 5 nodes still hurt failing alone, listed in the HTML report.'
    """
    hurt = "hurts" if n == 1 else "hurt"
    return f"Weak points left: {count_text(n, 'node')} still {hurt} failing alone, listed in the HTML report."
