"""The KPI cards under the header: the verdict and its figures, each with the meaning of its terms on
hover. The run fills them (:mod:`augur.app.components.actions`); opening a design empties them."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from augur.app import ids
from augur.metrics import METRIC_MEANINGS
from augur.text import cost_text, hops_text, multiple_text, steps_text

__all__ = ["KPI_METRICS", "kpi_cards", "kpis"]


# The metrics each card shows, as (what the card's second line calls it, key): their meanings make the
# card's tooltip, so every term is defined on screen.
KPI_METRICS = {
    "Verdict": (("", "verdict"),),
    "Time to survive": (("", "time_to_survive"),),
    "Time to recover": (("", "time_to_recover"),),
    "Resilience loss": (("", "resilience_loss"),),
    "Peak tokens": (
        ("", "peak_token_multiplier"),
        ("+tokens", "token_overrun"),
        ("cost", "token_overrun_cost"),
    ),
    "Secondary failures": (("", "secondary_failures"), ("depth", "cascade_depth")),
    "CI widening": (("", "ci_widening_peak"),),
}


def _meaning(label: str) -> str:
    lines = []
    for name, key in KPI_METRICS[label]:
        text = METRIC_MEANINGS[key]
        lines.append(f"{name}: {text}" if name else text[0].upper() + text[1:])
    return "\n".join(lines)


def _kpi(label: str, value: str, sub: str = "", *, tone: str = "", kpi_id: str = "") -> html.Div:
    meaning = _meaning(label)
    return html.Div(
        [
            html.Div(label, className="kpi-label"),
            html.Div(value, className="kpi-value"),
            html.Div(sub or "\u00a0", className="kpi-sub"),
        ],
        className=f"kpi {tone}".strip(),
        title=meaning,
        **({"id": kpi_id} if kpi_id else {}),
    )


def _tokens_text(count: float) -> str:
    """A token count for a card's second line, to three figures: ``36784.6`` -> ``'36.8k'`` (the
    card has room for a few characters; augur.text's number_text gives the full ``'36,785'``)."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(count) >= size:
            return f"{count / size:.3g}{suffix}"
    return f"{count:.0f}"


def kpi_cards(metrics: Mapping | None) -> list[html.Div]:
    """The verdict and its figures as cards, with the unit of a step ("days") spelled out; the counts,
    durations and multiples in augur.text's words."""
    if not metrics:
        return [
            _kpi(name, "—", "run the drill" if i == 0 else "", tone="kpi-empty")
            for i, name in enumerate(KPI_METRICS)
        ]
    unit = metrics.get("step_unit", "hour")
    verdict = metrics["verdict"]
    held = metrics.get("hypothesis_held")
    hypothesis = "" if held is None else ("hypothesis held" if held else f"expected {metrics['hypothesis']}")

    tts = metrics["time_to_survive"]
    survive = (
        ("SLO held", "never below SLO") if tts is None else (steps_text(tts, unit), "first shock to breach")
    )
    ttr = metrics["time_to_recover"]
    if not metrics.get("primary"):  # every shock has a target: no primary node, no shock
        recover = ("—", "no shocks in this drill")
    elif ttr is None:
        recover = ("not yet", "below 99% at the end")
    else:
        recover = (steps_text(ttr, unit), "after shocks end")
    peak = metrics.get("peak_token_multiplier")
    if peak is None:
        tokens = ("—", "no AI services")
    else:
        overrun = metrics.get("token_overrun") or 0.0
        cost = metrics.get("token_overrun_cost") or 0.0
        sub = f"+{_tokens_text(overrun)}" + (f" · cost {cost_text(cost)}" if cost else " tokens")
        tokens = (multiple_text(peak), sub)
    secondary = metrics["secondary_failures"]
    depth = metrics.get("cascade_depth") or 0
    widening = metrics.get("ci_widening_peak")
    budget = metrics.get("token_budget")
    token_tone = "kpi-bad" if peak is not None and budget is not None and peak > budget else ""
    return [
        _kpi(
            "Verdict",
            verdict.upper(),
            hypothesis,
            tone=f"kpi-verdict kpi-{verdict}",
            kpi_id=f"{ids.KPIS}-verdict",
        ),
        _kpi("Time to survive", *survive, tone="kpi-bad" if tts is not None else ""),
        _kpi("Time to recover", *recover, tone="kpi-bad" if ttr is None else ""),
        # one decimal always, as the loss is summed over steps ("30.0"): the unit is the line below
        _kpi("Resilience loss", f"{metrics['resilience_loss']:.1f}", f"{unit}s of service lost"),
        _kpi("Peak tokens", *tokens, tone=token_tone),
        _kpi(
            "Secondary failures",
            f"{len(secondary):,}",
            f"depth {hops_text(depth)}" if secondary else "no knock-on failures",
            tone="kpi-bad" if secondary else "",
        ),
        _kpi("CI widening", "—" if widening is None else multiple_text(widening), "peak vs baseline"),
    ]


def kpis() -> html.Div:
    """The row of cards as the page opens: empty until the drill has run."""
    return html.Div(kpi_cards(None), id=ids.KPIS, className="kpis")
