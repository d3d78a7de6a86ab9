"""The KPI cards under the header: the verdict and its figures, each with the meaning of its terms on
hover. The run fills them (:mod:`augur.app.components.actions`); opening a design empties them.

The cards are :func:`augur.text.kpi_cards`, the review pack's own: this module only picks which of them
the app shows and dresses them in its classes, so a card reads the same on screen and on paper."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from augur import text
from augur.app import ids
from augur.metrics import METRIC_MEANINGS

__all__ = ["KPI_METRICS", "kpi_cards", "kpis"]


# The cards the app shows, by key, in order, with the metrics each one speaks of as (what the card's
# tooltip calls it, key): their meanings make the tooltip, so every term is defined on screen. The
# peak-tokens card carries the overrun and its cost on its second line, so no overrun card of its own.
KPI_METRICS = {
    "verdict": (("", "verdict"),),
    "time_to_survive": (("", "time_to_survive"),),
    "time_to_recover": (("", "time_to_recover"),),
    "resilience_loss": (("", "resilience_loss"),),
    "peak_token_multiplier": (
        ("", "peak_token_multiplier"),
        ("+tokens", "token_overrun"),
        ("cost", "token_overrun_cost"),
    ),
    "secondary_failures": (("", "secondary_failures"), ("depth", "cascade_depth")),
    "ci_widening_peak": (("", "ci_widening_peak"),),
}

# A card's tone as the app's class: the verdict has its own colours (see _kpi).
TONE_CLASSES = {"bad": "kpi-bad", "warn": "kpi-warn", "empty": "kpi-empty"}


def _meaning(key: str) -> str:
    lines = []
    for name, metric in KPI_METRICS[key]:
        meaning = METRIC_MEANINGS[metric]
        lines.append(f"{name}: {meaning}" if name else meaning[0].upper() + meaning[1:])
    return "\n".join(lines)


def _kpi(card: Mapping, verdict: str | None) -> html.Div:
    key = card["key"]
    note = card.get("compact_note", card["note"])
    if key == "verdict" and verdict is not None:
        tone, more = f"kpi-verdict kpi-{verdict}", {"id": f"{ids.KPIS}-verdict"}
    else:
        tone, more = TONE_CLASSES.get(card["tone"], ""), {}
    return html.Div(
        [
            html.Div(card["label"], className="kpi-label"),
            html.Div(card["value"], className="kpi-value"),
            html.Div(note or "\u00a0", className="kpi-sub"),
        ],
        className=f"kpi {tone}".strip(),
        title=_meaning(key),
        **more,
    )


def kpi_cards(metrics: Mapping | None) -> list[html.Div]:
    """The app's cards: augur.text's cards for the keys in :data:`KPI_METRICS`, in that order; empty
    cards before the drill has run (``metrics`` None)."""
    cards = {card["key"]: card for card in text.kpi_cards(metrics)}
    verdict = metrics["verdict"] if metrics else None
    return [_kpi(cards[key], verdict) for key in KPI_METRICS]


def kpis() -> html.Div:
    """The row of cards as the page opens: empty until the drill has run."""
    return html.Div(kpi_cards(None), id=ids.KPIS, className="kpis")
