"""One voice: every sentence augur shows a person is made here, once.

The CLI, the event log, the app and the review pack all word a number, a shock, a failure's cause or a
headline figure through these functions, so a wording fix made here reaches every place a reader sees
it. Nothing here computes an answer: the figures come from :mod:`augur.metrics` and
:mod:`augur.analysis`; this module only says them.

>>> steps_text(3, "day"), pct_text(0.25), multiple_text(1.5), cost_text(1234.5)
('3 days', '25%', '1.50×', '1,234.50')
>>> from augur.scenario import Shock
>>> shock = Shock("vendor_failure", ("acme",), start=10, duration=500, params={"severity": 1.0})
>>> shock_text(shock, None, 120, "day")
'day 10 to the end: acme goes down completely'
>>> shock_when(shock, 120, "day"), shock_what(shock), shock_technical(shock, "day")
('day 10 to the end', 'acme goes down completely', 'vendor_failure on acme (severity 100%)')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from augur.analysis.causes import Cause, failure_cause
from augur.engine import Status
from augur.metrics import METRIC_MEANINGS, RECOVERED_LEVEL, Event
from augur.scenario import Scenario, Shock
from augur.text.ending import (
    contained,
    goal_text,
    hypothesis_mark,
    hypothesis_outcome,
    hypothesis_text,
    recover_unknown_text,
    shocked,
    unfinished_text,
)
from augur.text.names import join_text, names_text, node_name
from augur.text.numbers import (
    at_or_above,
    compact_number_text,
    cost_shown,
    cost_text,
    count_text,
    fraction_in_percent_text,
    hops_text,
    multiple_text,
    number_text,
    pct_text,
    progress_text,
    quantile_text,
    steps_text,
    unit_label_text,
    value_text,
)
from augur.text.upload import upload_too_large_text

if TYPE_CHECKING:  # results are read duck-typed: this module sits below augur.drill
    from augur.drill import DrillResult

__all__ = [
    "AI_METRICS",
    "COST_LABEL",
    "SHOCK_KIND_NAMES",
    "at_or_above",
    "cannot_help_text",
    "cause_text",
    "compact_number_text",
    "contained",
    "cost_shown",
    "cost_text",
    "count_text",
    "event_message",
    "fix_text",
    "fraction_in_percent_text",
    "goal_text",
    "hops_text",
    "hypothesis_mark",
    "hypothesis_note",
    "hypothesis_outcome",
    "hypothesis_text",
    "join_text",
    "kpi_cards",
    "lever_text",
    "lever_value_text",
    "metric_rows",
    "metric_text",
    "monte_carlo_summary",
    "multiple_text",
    "names_text",
    "node_name",
    "node_story_text",
    "number_text",
    "pct_text",
    "progress_text",
    "quantile_text",
    "random_drill_description",
    "recover_unknown_text",
    "settings_text",
    "shock_sentences",
    "shock_technical",
    "shock_text",
    "shock_what",
    "shock_when",
    "steps_text",
    "study_summary",
    "summary_lines",
    "unfinished_text",
    "unit_label_text",
    "upload_too_large_text",
    "value_text",
    "verdict_sentence",
]

# Costs are plain numbers: price_per_1k_tokens records no currency. Said the same way wherever a
# cost is labelled.
COST_LABEL = "cost (in the price units of price_per_1k_tokens)"
AI_METRICS = ("peak_token_multiplier", "token_overrun", "token_overrun_cost", "ci_widening_peak")


# -- shocks --------------------------------------------------------------------------------------------


def _as_shock(shock: Shock | Mapping) -> Shock:
    return shock if isinstance(shock, Shock) else Shock.from_dict(shock)


def shock_when(shock: Shock | Mapping, steps: int | None = None, unit: str = "step") -> str:
    """When a shock acts, cut at the drill's horizon of ``steps``: ``'day 10 to day 30 (21 days)'``,
    ``'day 10 only'``, and ``'day 10 to the end'`` for a shock with no end or one that outlasts the
    horizon (a 500-day shock in a 120-day drill is not said to last 500 days).

    >>> shock = Shock("vendor_failure", ("acme",), start=10, duration=21)
    >>> shock_when(shock, 120, "day"), shock_when(shock, 20, "day")
    ('day 10 to day 30 (21 days)', 'day 10 to the end')
    """
    shock = _as_shock(shock)
    start, duration = shock.start, shock.duration
    if duration is None or (steps is not None and start + duration > steps):
        return f"{unit} {start} to the end"
    if duration == 1:
        return f"{unit} {start} only"
    return f"{unit} {start} to {unit} {start + duration - 1} ({steps_text(duration, unit)})"


def shock_what(shock: Shock | Mapping, G: nx.DiGraph | None = None, unit: str = "step") -> str:
    """What a shock does, in a sentence, its targets by name where the graph is given: ``'Acme Chips
    goes down completely'``, ``'demand on Shop rises to 2.00× baseline'``. A random drill's
    drawn strengths are rounded as every figure is: ``1.53775`` reads ``1.54×``, ``0.43127`` ``43%``."""
    shock = _as_shock(shock)
    p = shock.params
    if shock.on_edges:
        where = ", ".join(f"{node_name(G, u)} → {node_name(G, v)}" for u, v in shock.target)
    else:
        where = names_text(G, shock.target)
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
        return f"demand on {where} {verb} to {multiple_text(m)} baseline"
    if shock.kind == "data_quality_drop":
        return f"data from {where} drops to {p.get('quality', 0.5):.0%} of its normal quality"
    if shock.kind == "rate_limit_cut":
        return f"the token limit of {where} is cut to {p.get('factor', 0.5):.0%}"
    return shock_technical(shock, unit)


def shock_technical(shock: Shock | Mapping, unit: str = "step") -> str:
    """The terse form the event log prints, targets by id: ``'vendor_failure on acme (severity
    100%)'``; a delay speaks the drill's unit (``'+4 days'``).

    >>> route = Shock("logistics_bottleneck", (("a", "b"),), 3, 2, {"capacity": 0.5, "delay": 4})
    >>> shock_technical(route, "day")
    'logistics_bottleneck on a -> b (capacity 50%, +4 days)'
    """
    shock = _as_shock(shock)
    names = [f"{t[0]} -> {t[1]}" if isinstance(t, tuple) else str(t) for t in shock.target]
    bits = []
    for name, value in shock.params.items():
        if name in ("severity", "capacity", "quality", "factor"):
            bits.append(f"{name} {value:.0%}")
        elif name == "multiplier":
            bits.append(multiple_text(value))
        elif name == "delay" and value:
            bits.append(f"+{value:g} {unit}{'s' if value != 1 else ''}")
    return f"{shock.kind} on {', '.join(names)}" + (f" ({', '.join(bits)})" if bits else "")


def shock_text(
    shock: Shock | Mapping, G: nx.DiGraph | None = None, steps: int | None = None, unit: str = "step"
) -> str:
    """A shock as every reader gets it, when and then what: ``'day 10 to day 30 (21 days): Acme Chips
    goes down completely'``. The one sentence for a shock: ``augur run``'s list, the event log (at its
    start and its end), the app's shock list, the pack and a random drill's card all say this.

    >>> shock_text({"kind": "demand_spike", "target": "shop", "start": 4, "duration": 2}, None, 40, "day")
    'day 4 to day 5 (2 days): demand on shop rises to 2.00× baseline'
    """
    return f"{shock_when(shock, steps, unit)}: {shock_what(shock, G, unit)}"


def shock_sentences(scenario: Scenario, G: nx.DiGraph | None = None) -> list[dict]:
    """Each shock of a drill as ``{when, what, text, technical}``: ``'day 10 to day 30 (21 days)'``,
    ``'Acme Chips goes down completely'``, the two as :func:`shock_text` says them, and the terse
    form by id and field that the pack puts beside them for the scenario file's reader."""
    unit, steps = scenario.step_unit, scenario.steps
    G = scenario.graph if G is None else G
    return [
        {
            "when": shock_when(shock, steps, unit),
            "what": shock_what(shock, G, unit),
            "text": shock_text(shock, G, steps, unit),
            "technical": shock_technical(shock, unit),
        }
        for shock in scenario.shocks
    ]


# -- why a node failed, and the event log --------------------------------------------------------------


def _share_text(G: nx.DiGraph | None, share, group, many: bool) -> str:
    text = f"{node_name(G, share.supplier)} {pct_text(share.delivered)}"
    if many and share.delivered > group.level + 1e-9:  # why this one did not carry the input alone
        text += f" at weight {value_text(share.weight)} of {value_text(group.total_weight)}"
    return text


def _group_text(G: nx.DiGraph | None, group) -> str:
    return ", ".join(_share_text(G, share, group, len(group.inputs) > 1) for share in group.inputs)


# The shock kinds as a reader names them: the app's shock list, and a failure a node's own shock caused.
SHOCK_KIND_NAMES = {
    "vendor_failure": "Vendor failure",
    "logistics_bottleneck": "Logistics bottleneck",
    "demand_spike": "Demand spike",
    "data_quality_drop": "Data-quality drop",
    "rate_limit_cut": "Rate-limit cut",
}


def cause_text(cause: Cause, G: nx.DiGraph | None = None, unit: str | None = None) -> str:
    """Why a node went down, in one clause: its own shock's kind, the token limit it hit, every
    input's share where an input fell (``'supply 25%: Siltron 0%, Vexa 100% at weight 1 of 4, below
    min_supply 80%'``; one input alone reads ``'supply from Siltron at 0%'``; an input that fell but
    still gave min_supply is said to have held, after the ones that fell short) and the stock it had
    (``', buffer 3 used up'``), or its load; a node's own shock by its kind in words, as the app's
    shock list names it (``'its own vendor failure'``). With the drill's ``unit`` it reads as a
    sentence for a reader (a node's story): ``', its 3 days of stock spent'``."""
    if cause.reason == "shock":
        return f"its own {SHOCK_KIND_NAMES.get(cause.shock, str(cause.shock)).lower()}"
    if cause.reason == "throttled":
        return f"throttled: it wanted {multiple_text(cause.throttle_ratio)} its token limit"
    if cause.reason == "overload":
        return f"demand of {multiple_text(cause.load)} baseline against a capacity of {cause.capacity:g}×"
    if cause.reason != "supply":
        return "its supply fell short"
    # the inputs that fell short of what the node needs come first; one that fell but still gave
    # min_supply held, and is said to have held (the second source that did its job)
    need = min(cause.min_supply, RECOVERED_LEVEL)
    short = [g for g in cause.groups if g.level < need] or list(cause.groups[:1])
    held = [g for g in cause.groups if g not in short and g.level < RECOVERED_LEVEL]
    if len(cause.groups) == 1 and len(short[0].inputs) == 1:
        only = short[0].inputs[0]
        text = f"supply from {node_name(G, only.supplier)} at {pct_text(only.delivered)}"
    else:
        text = f"supply {pct_text(cause.supply)}: {'; '.join(_group_text(G, g) for g in short)}"
    if cause.supply < cause.min_supply < 1:
        text += f", below min_supply {pct_text(cause.min_supply)}"
    for g in held:
        which = f"its {g.name} input" if g.name else "its ungrouped inputs"
        text += f"; {which} held at {pct_text(g.level)}, enough: {_group_text(G, g)}"
    return text + _stock_spent_text(cause, unit)


def _stock_spent_text(cause: Cause, unit: str | None) -> str:
    """The stock a failed node drew on before it went down, as its cause's last clause: its whole
    buffer (``', buffer 10 used up'``, ``', its 10 days of stock spent'``), or what a part refill had
    put back since it last failed (``', stock 0.5 of buffer 10 used up'``, ``', its 0.5 days of stock
    spent (a part refill of its 10-day buffer)'``); nothing where it drew none."""
    if cause.drawn <= 0 or cause.stock >= cause.drawn:
        return ""
    whole = cause.drawn >= cause.buffer - 1e-9
    if unit is None:
        if whole:
            return f", buffer {value_text(cause.buffer)} used up"
        return f", stock {value_text(cause.drawn)} of buffer {value_text(cause.buffer)} used up"
    if whole:
        return f", its {steps_text(cause.buffer, unit)} of stock spent"
    full = f"{value_text(cause.buffer)}-{unit}"
    return f", its {steps_text(cause.drawn, unit)} of stock spent (a part refill of its {full} buffer)"


def event_message(event: Event, result: DrillResult) -> str:
    """One line of the event log, from the facts :func:`augur.metrics.drill_events` recorded:
    ``'shock, day 4 to the end: chips goes down completely'`` (the shock as :func:`shock_text`
    says it everywhere), ``'plant failed (supply from chips at 0%)'``, ``'service level fell below
    the SLO (90%): 50%'``."""
    unit = result.scenario.step_unit
    facts = event.facts
    if event.kind in ("shock", "shock_end"):
        said = "shock" if event.kind == "shock" else "shock ended"
        return f"{said}, {shock_text(facts['shock'], result.graph, result.scenario.steps, unit)}"
    if event.kind == "slo_breach":
        return f"service level fell below the SLO ({pct_text(facts['slo'])}): {pct_text(facts['level'])}"
    if event.kind == "slo_met":
        return f"service level back above the SLO: {pct_text(facts['level'])}"
    name = node_name(result.graph, event.node)
    new, old = Status[event.kind.upper()], Status[facts["was"].upper()]
    if new is Status.FAILED:
        return f"{name} failed ({cause_text(failure_cause(result, event.node, event.t), result.graph)})"
    if new is Status.THROTTLED:
        return f"{name} throttled: wants {multiple_text(facts['ratio'])} its token limit"
    if new is Status.RECOVERING:
        return f"{name} recovering: back in {steps_text(facts['left'], unit)}"
    if new is Status.DEGRADED:
        back = old in (Status.FAILED, Status.RECOVERING)
        return f"{name} {'back up at' if back else 'degraded to'} {pct_text(facts['output'])}"
    return f"{name} back to normal"


# -- metrics -------------------------------------------------------------------------------------------


def metric_text(key: str, value: Any, result: DrillResult) -> str:
    """A metric's value for people, in the drill's step unit: ``resilience_loss`` 9.0 ->
    ``'9 hours of service'``, ``token_overrun`` 36784.6 -> ``'36,785 tokens'``, ``slo`` 0.95 ->
    ``'95%'``, node ids as their names."""
    unit = result.scenario.step_unit
    if value is None and key == "time_to_recover":
        return recover_unknown_text(result.metrics)
    if value is None:
        return {
            "time_to_survive": "never below the SLO",
            "hypothesis": "none stated",
            "token_budget": "none set",
        }.get(key, "no AI services" if key in AI_METRICS else "-")
    if isinstance(value, (list, tuple)):
        return names_text(result.graph, value) if value else "none"
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
        return hops_text(value)
    if key == "seed" or isinstance(value, str):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number_text(float(value))
    return str(value)


def metric_rows(result: DrillResult) -> list[tuple[str, str, str]]:
    """Every metric as ``(key, value for people, meaning)``, in the order ``augur run --json`` prints
    (the exact values are the JSON's; see :func:`metric_text`)."""
    return [
        (key, metric_text(key, value, result), METRIC_MEANINGS.get(key, ""))
        for key, value in result.metrics.items()
    ]


def verdict_sentence(result: DrillResult) -> str:
    """The drill in one sentence: the verdict and what it rests on; a cascade that cost no service
    is said to be contained, and a drill that ends before its shocks have played out says so."""
    m = result.metrics
    G = result.graph
    unit = m["step_unit"]
    parts = []
    secondary = m["secondary_failures"]
    if secondary:
        parts.append(
            f"{names_text(G, secondary)} failed beyond the shocked nodes, "
            f"up to {hops_text(m['cascade_depth'])} away, and no further"
            if contained(m)
            else f"{count_text(len(secondary), 'node')} failed beyond the shocked ones, "
            f"up to {hops_text(m['cascade_depth'])} away"
        )
    if m["service_level_min"] < m["slo"]:
        tts = m["time_to_survive"]
        if tts is None:
            when = ""
        elif tts == 0:
            when = " as the first shock hit"
        else:
            when = f" {steps_text(tts, unit)} after the first shock"
        parts.append(
            f"service fell below its {pct_text(m['slo'])} SLO{when}, to {pct_text(m['service_level_min'])}"
        )
    else:
        parts.append(f"service stayed at {at_or_above(m['service_level_min'])} (SLO {pct_text(m['slo'])})")
    budget = m["token_budget"]
    peak = m["peak_token_multiplier"]
    if budget is not None and peak is not None and peak > budget:
        parts.append(f"tokens peaked at {multiple_text(peak)} baseline, over the {budget:g}× budget")
    ttr = m["time_to_recover"]
    unfinished = unfinished_text(m, G)
    if m.get("ends_during_shock"):
        parts.append(f"{unfinished}, and the time to recover is unknown")
    elif m["service_level_min"] < RECOVERED_LEVEL and ttr is None:
        parts.append("it had not recovered by the end of the drill")
    else:
        if m["service_level_min"] < RECOVERED_LEVEL:
            parts.append(
                "service was back by the time the last shock ended"
                if ttr == 0
                else f"it recovered {steps_text(ttr, unit)} after the last shock ended"
            )
        if unfinished:
            parts.append(unfinished)
    text = "; ".join(parts)
    verdict = m["verdict"].capitalize()
    if contained(m):
        verdict += ", contained"
    elif unfinished and m["verdict"] == "graceful":
        verdict += " so far"
    return f"{verdict}: {text}."


KPI_LABELS = {
    "verdict": "Verdict",
    "service_level_min": "Lowest service level",
    "time_to_survive": "Time to survive",
    "time_to_recover": "Time to recover",
    "resilience_loss": "Resilience loss",
    "peak_token_multiplier": "Peak tokens",
    "token_overrun": "Token overrun",
    "secondary_failures": "Secondary failures",
    "ci_widening_peak": "CI widening",
}


def _card(key: str, value: str, note: str, tone: str = "neutral", **more: str) -> dict:
    return {"key": key, "label": KPI_LABELS[key], "value": value, "note": note, "tone": tone, **more}


def kpi_cards(metrics: Mapping | None) -> list[dict]:
    """The headline figures as cards ``{key, label, value, note, tone}`` (tone: bad, warn, good,
    neutral; ``empty`` before a drill has run, when ``metrics`` is None). The token-overrun card also
    has a ``short_note`` for a card with no room for the cost's label (a mark a footnote explains);
    the peak-tokens card has a ``compact_note``, the overrun and its cost in a few characters, for a
    row of cards with no token-overrun card of its own (the app's).

    >>> [c["value"] for c in kpi_cards(None)][:2]
    ['—', '—']
    """
    # One card after another in the order they are shown: a longer list reads better than helpers.
    if not metrics:
        return [
            _card(key, "—", "run the drill" if i == 0 else "", "empty") for i, key in enumerate(KPI_LABELS)
        ]
    m = metrics
    unit = m["step_unit"]
    secondary = len(m["secondary_failures"])
    budget, peak = m["token_budget"], m["peak_token_multiplier"]
    overrun, ci, tts, ttr = (
        m["token_overrun"],
        m["ci_widening_peak"],
        m["time_to_survive"],
        m["time_to_recover"],
    )
    verdict_note = hypothesis_text(m)
    unfinished = m.get("ends_during_shock") or bool(m.get("down_at_end"))
    if contained(m):
        verdict_note = f"contained: no service lost; {verdict_note}"
    elif unfinished:
        verdict_note = f"so far: consequences still to come; {verdict_note}"
    cost = cost_text(m["token_overrun_cost"])
    if not shocked(m):
        recover = ("—", "no shocks in this drill", "neutral")
    elif m.get("ends_during_shock"):
        recover = ("unknown", "a shock lasts to the end of the drill", "warn")
    elif ttr is None:
        recover = ("not recovered", "below 99% at the end of the drill", "bad")
    elif m.get("down_at_end"):
        recover = (steps_text(ttr, unit), "to 99% service; some nodes still down at the end", "warn")
    else:
        recover = (steps_text(ttr, unit), "last shock's end to 99% service", "neutral")
    return [
        _card(
            "verdict",
            m["verdict"].upper(),
            verdict_note,
            "warn"
            if contained(m) or (unfinished and m["verdict"] == "graceful")
            else {"cascade": "bad", "degraded": "warn"}.get(m["verdict"], "good"),
        ),
        _card(
            "service_level_min",
            pct_text(m["service_level_min"]),
            f"SLO {pct_text(m['slo'])}",
            "bad" if m["service_level_min"] < m["slo"] else "good",
        ),
        _card(
            "time_to_survive",
            steps_text(tts, unit, none="SLO held"),
            "first shock to below SLO" if tts is not None else "never below the SLO",
            "warn" if tts is not None else "good",
        ),
        _card("time_to_recover", *recover),
        _card(
            "resilience_loss",
            steps_text(round(m["resilience_loss"], 1), unit),
            "of service lost, summed",
            "warn" if m["resilience_loss"] > 0.05 else "good",
        ),
        _card(
            "peak_token_multiplier",
            multiple_text(peak) if peak is not None else "no AI",
            "no AI services"
            if peak is None
            else (f"of baseline; budget {budget:g}×" if budget is not None else "of baseline per step"),
            "bad"
            if (budget is not None and peak is not None and peak > budget)
            else ("warn" if peak is not None and peak > 1.05 else "neutral"),
            compact_note="no AI services"
            if peak is None
            else f"+{compact_number_text(overrun or 0.0)} "
            + (f"· cost {cost}" if m["token_overrun_cost"] else "tokens"),
        ),
        _card(
            "token_overrun",
            number_text(overrun) if overrun is not None else "no AI",
            f"tokens over baseline; {COST_LABEL}: {cost}" if overrun is not None else "no AI services",
            "warn" if overrun else "neutral",
            short_note=f"tokens over baseline; cost¹ {cost}" if overrun is not None else "no AI services",
        ),
        _card(
            "secondary_failures",
            f"{secondary:,}",
            (
                f"contained: {hops_text(m['cascade_depth'])} deep, no service lost"
                if contained(m)
                else f"cascade depth {hops_text(m['cascade_depth'])}"
            )
            if secondary
            else "nothing failed beyond the shocks",
            ("warn" if contained(m) else "bad") if secondary else "good",
        ),
        _card(
            "ci_widening_peak",
            multiple_text(ci) if ci is not None else "no AI",
            "widest interval vs baseline",
            "warn" if ci is not None and ci > 1.05 else "neutral",
        ),
    ]


def summary_lines(metrics: Mapping) -> list[str]:
    """The drill's headline figures as aligned text lines (``augur run``).

    >>> summary_lines({"verdict": "cascade", "hypothesis_held": None, "service_level_min": 0.5,
    ...     "time_to_survive": 1, "time_to_recover": None, "resilience_loss": 2.5,
    ...     "peak_token_multiplier": None, "token_overrun": None, "token_overrun_cost": None,
    ...     "ci_widening_peak": None, "primary": ["acme"], "secondary_failures": [],
    ...     "cascade_depth": 1, "step_unit": "hour"})[3:5]
    ['  time to recover     not recovered within the drill', '  resilience loss     2.5 hours']
    """
    m = metrics
    unit = m["step_unit"]
    held = m["hypothesis_held"]
    hypothesis = "" if held is None else f"  ({hypothesis_text(m)})"
    overrun, cost = m["token_overrun"], m["token_overrun_cost"]
    verdict = m["verdict"].upper()
    if contained(m):
        verdict += ", contained: no service lost"
    ttr = m["time_to_recover"]
    recover = steps_text(ttr, unit) if ttr is not None or not shocked(m) else recover_unknown_text(m)
    rows = [
        ("verdict", verdict + hypothesis),
        ("service level min", pct_text(m["service_level_min"])),
        ("time to survive", steps_text(m["time_to_survive"], unit)),
        ("time to recover", recover),
        ("resilience loss", steps_text(round(m["resilience_loss"], 1), unit)),
        (
            "peak tokens",
            "-"
            if m["peak_token_multiplier"] is None
            else f"{multiple_text(m['peak_token_multiplier'])} baseline",
        ),
        ("token overrun", "-" if overrun is None else f"{number_text(overrun)} tokens"),
        ("overrun cost", "-" if cost is None else f"{cost_text(cost)} (price_per_1k_tokens units)"),
        ("CI widening peak", multiple_text(m["ci_widening_peak"])),
        ("primary", ", ".join(map(str, m["primary"])) or "-"),
        ("secondary failures", ", ".join(map(str, m["secondary_failures"])) or "none"),
        ("cascade depth", hops_text(m["cascade_depth"])),
    ]
    lines = [f"  {name:<19} {value}" for name, value in rows]
    unfinished = unfinished_text(m)
    if unfinished:  # said under the verdict, which it qualifies
        lines.insert(1, f"  {'':<19} {unfinished[0].upper()}{unfinished[1:]}.")
    return lines


def hypothesis_note(metrics: Mapping) -> str:
    """Whether the drill ended as its hypothesis said (:func:`hypothesis_text`); ``""`` without one.

    >>> hypothesis_note({"verdict": "graceful", "hypothesis": "degraded", "hypothesis_held": False})
    'hypothesis degraded: better than expected'
    >>> hypothesis_note({})
    ''
    """
    return "" if metrics.get("hypothesis_held") is None else hypothesis_text(metrics)


def settings_text(
    *, seed: int = 0, steps: int = 96, step_unit: str = "hour", slo: float = 0.9, graph: Mapping | None = None
) -> str:
    """A drill's settings in a line: seed, horizon, SLO and, given ``{name, nodes, edges}``, the graph.

    >>> settings_text(seed=3, steps=120, step_unit="day", graph={"name": "chips", "nodes": 4, "edges": 1})
    'seed 3 · 120 days · SLO 90% · chips: 4 nodes, 1 edge'
    """
    bits = [f"seed {seed}", count_text(int(steps), step_unit), f"SLO {slo:.0%}"]
    if graph:
        bits.append(
            f"{graph.get('name')}: {count_text(graph['nodes'], 'node')}, {count_text(graph['edges'], 'edge')}"
        )
    return " · ".join(bits)


# -- a node's story ------------------------------------------------------------------------------------


def node_story_text(result: DrillResult, node: Any, *, most: int = 3) -> list[str]:
    """Why ``node`` failed in this drill, in sentences: each of its first ``most`` failures with every
    input's share (:func:`cause_text`) and the stock it had spent, whether it was still down when the
    drill ended; or, when it never failed, how low its output went.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> from augur.drill import simulate
    >>> G = build_graph([("n", {"id": "chips", "kind": "vendor"}), ("n", {"id": "plant", "kind": "process"})],
    ...                 [("e", {"source": "chips", "target": "plant"})])
    >>> s = parse_scenario({"name": "s", "steps": 8, "step_unit": "day", "shocks": [
    ...     {"kind": "vendor_failure", "target": "chips", "start": 2}]}, graph=G)
    >>> node_story_text(simulate(G, s), "plant")
    ['plant failed at day 3: supply from chips at 0%.', 'It was still down when the drill ended.']
    """
    G, traj = result.graph, result.trajectory
    col = traj.nodes.index(node)
    status, output = traj.status[:, col], traj.output[:, col]
    name, unit = node_name(G, node), result.scenario.step_unit
    down = status == Status.FAILED
    starts = [t for t in range(len(down)) if down[t] and (t == 0 or not down[t - 1])]
    if not starts:
        low = float(output.min())
        if low >= RECOVERED_LEVEL:
            return [f"{name} never failed: its output stayed at {at_or_above(low)} throughout."]
        at = int(output.argmin())
        return [f"{name} never failed; its output fell to {pct_text(low)} at its lowest, at {unit} {at}."]
    lines = []
    for t in starts[:most]:
        cause = failure_cause(result, node, t)
        lines.append(f"{name} failed at {unit} {t}: {cause_text(cause, G, unit)}.")
    if len(starts) > most:
        lines.append(f"It failed {count_text(len(starts) - most, 'more time')} after that.")
    if Status(int(status[-1])) in (Status.FAILED, Status.RECOVERING):
        lines.append("It was still down when the drill ended.")
    return lines


# the weak-point studies' words live in augur.text.studies; their names are read from here too
from augur.text.studies import (  # noqa: E402  (studies reads the number words above)
    cannot_help_text,
    fix_text,
    lever_text,
    lever_value_text,
    monte_carlo_summary,
    random_drill_description,
    study_summary,
)
