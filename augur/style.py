"""How augur looks, in one place: the colours, the shapes of the node kinds and the type, shared by the
app's cytoscape network, every plotly chart (:mod:`augur.figures`) and the review pack
(:mod:`augur.report`), so a status, a kind or a shock looks the same wherever it is drawn.

Plain constants; no plotly, no Dash.

>>> STATUS_COLOURS["failed"] == VERDICT_COLOURS["cascade"]
True
>>> set(KIND_SHAPES) == set(KIND_SYMBOLS) == set(KIND_LABELS)
True
"""

from __future__ import annotations

__all__ = [
    "AFTER_COLOUR",
    "BADGE_TEXT",
    "BEFORE_COLOUR",
    "CARD_FILL",
    "CARD_LINE",
    "CYTOSCAPE_FONT",
    "DOWN_EDGE",
    "EDGE",
    "FONT",
    "GRID",
    "HALO",
    "INK",
    "KIND_GREY",
    "KIND_LABELS",
    "KIND_SHAPES",
    "KIND_SYMBOLS",
    "MUTED",
    "NOT_RUN",
    "QUALITY_COLOURS",
    "SELECTED",
    "SERIES_COLOURS",
    "SHARE_FAILED_COLOURS",
    "SHOCK_FILL",
    "SLO_COLOUR",
    "STATUS_COLOURS",
    "TONE_COLOURS",
    "VERDICT_COLOURS",
]

# -- colours -------------------------------------------------------------------------------------------

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale by lightness.
STATUS_COLOURS = {
    "ok": "#009E73",
    "degraded": "#E69F00",
    "failed": "#D55E00",
    "recovering": "#56B4E9",
    "throttled": "#CC79A7",
}
VERDICT_COLOURS = {"graceful": "#009E73", "degraded": "#E69F00", "cascade": "#D55E00"}
SERIES_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00")
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
SLO_COLOUR = "#D55E00"
SHOCK_FILL = "rgba(97, 110, 124, 0.13)"
BEFORE_COLOUR = "#CC79A7"  # Okabe-Ito reddish purple, dashed: the drill before the change
AFTER_COLOUR = "#0072B2"  # Okabe-Ito blue, solid: the drill after it
SELECTED = "#0072B2"  # the overlay on the node or edge in hand

# The network's links and nodes.
EDGE = "#9aa5b1"
DOWN_EDGE = STATUS_COLOURS["failed"]  # a link out of a node that is down
NOT_RUN = "#c8d0d9"  # a node before the drill has run
HALO = INK  # the token-multiplier halo: neutral, so it never reads as a status
KIND_GREY = "#7b8794"  # a kind's shape in a legend, where its colour would read as a status
# Delivered quality, from fine to poor: neutral grey, then deepening blue (no status colour reused).
QUALITY_COLOURS = (EDGE, "#56B4E9", "#0072B2", "#1b2a6b")  # >= 95%, >= 80%, >= 50%, below
# A group of the grouped view, by the share of its members down (at least that share).
SHARE_FAILED_COLOURS = ((0.6, "#D55E00"), (0.3, "#E69F00"), (0.1, "#F0E442"), (0.0, "#009E73"))

# The review pack's cards and badges.
TONE_COLOURS = {"bad": STATUS_COLOURS["failed"], "warn": "#B07400", "good": "#007A5A", "neutral": INK}
CARD_FILL = "#f5f7fa"
CARD_LINE = "#d9dee5"
# Verdict badges: text colour that reads on the badge (orange is too light for white text).
BADGE_TEXT = {"graceful": "white", "degraded": INK, "cascade": "white"}

# -- the node kinds ------------------------------------------------------------------------------------

KIND_LABELS = {
    "vendor": "vendor",
    "logistics": "logistics",
    "data_source": "data source",
    "ai_service": "AI service",
    "process": "process",
}
# The app's cytoscape shapes, one per kind.
KIND_SHAPES = {
    "vendor": "round-rectangle",
    "logistics": "round-tag",
    "data_source": "round-diamond",
    "ai_service": "hexagon",
    "process": "ellipse",
}
# Plotly marker symbols that echo them, for the review pack's network.
KIND_SYMBOLS = {
    "vendor": "square",
    "logistics": "triangle-right",
    "data_source": "diamond",
    "ai_service": "hexagon",
    "process": "circle",
}

# -- type ----------------------------------------------------------------------------------------------

FONT = "Inter, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# cytoscape takes a font list without quotes
CYTOSCAPE_FONT = "Inter, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
