"""What every section of the review page shares: escaping, the plot configuration (no button that sends
a chart to the cloud), a figure as a ``<div>`` of the page and the KPI cards."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import plotly.graph_objects as go

from augur.drill import DrillResult

__all__ = [
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "CLOUD_BUTTONS",
    "PLOT_CONFIG",
    "cards_html",
    "esc",
    "figure_div",
    "scenario_filename",
]

CHART_WIDTH, CHART_HEIGHT = 540, 290  # px of a chart of the page's two-column grid

# The page is read offline and may hold a supplier map not meant to leave the building: no button that
# sends a chart to Plotly's cloud (plotly.js 3 shows "Share chart..." by default and posts the chart's
# data to cloud.plotly.com; 1.x and 2.x name it sendDataToCloud, beside editInChartStudio).
CLOUD_BUTTONS = ("sendChartToCloud", "sendDataToCloud", "editInChartStudio")
PLOT_CONFIG = {
    "displaylogo": False,
    "responsive": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", *CLOUD_BUTTONS],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def esc(text: object) -> str:
    """``text`` safe inside HTML, quotes included."""
    return html.escape(str(text), quote=True)


def figure_div(fig: go.Figure, div_id: str, *, width: int, height: int, filename: str) -> str:
    """``fig`` at ``width`` x ``height`` px as a ``<div>`` of the page (plotly.js is inlined once, in the
    head), its download button naming the file ``filename``."""
    fig.update_layout(width=width, height=height, autosize=False)
    config = {
        **PLOT_CONFIG,
        "toImageButtonOptions": {**PLOT_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    inner = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config)
    return f'<div class="figure">{inner}</div>'


def cards_html(cards: Sequence[dict]) -> str:
    """The KPI cards (:func:`augur.text.kpi_cards`) as the page's grid of cards."""
    items = "".join(
        f'<div class="card {esc(c["tone"])}" data-kpi="{esc(c["key"])}">'
        f'<div class="label">{esc(c["label"])}</div>'
        f'<div class="value">{esc(c["value"])}</div><div class="note">{esc(c["note"])}</div></div>'
        for c in cards
    )
    return f'<div class="cards">{items}</div>'


def scenario_filename(result: DrillResult) -> str:
    """A file name for the drill's scenario: the source file's stem, else the name as a slug."""
    source = result.scenario.source
    if source:
        stem = re.sub(r"\.(ya?ml|json)$", "", source.replace("\\", "/").rsplit("/", 1)[-1], flags=re.I)
    else:
        stem = result.scenario.name
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return (slug or "drill")[:80]
