"""The weak points, condensed for the one-drill picture: a strip under the dashboard with the exposure
bars of the worst nodes, the time-to-survive against time-to-recover quadrant, the random-shock bands
and the chance of each verdict, and a few lines for the fixes found and the strongest pair. The
figures are :mod:`augur.figures.weak_points`'s, the words :mod:`augur.text.weak_points`'s.
"""

from __future__ import annotations

import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.figures.theme import LEGEND_ROW, legend_names
from augur.figures.weak_points import exposure_bars, quadrant, service_bands, verdict_chances
from augur.report.canvas import CHART_AXIS, Canvas, pack_legend, short_text
from augur.style import CARD_LINE, MUTED
from augur.text.weak_points import strip_lines, strip_title

__all__ = ["STRIP_BARS", "STRIP_HEIGHT", "weak_points_strip"]

STRIP_HEIGHT = 440  # px the strip adds to the picture
STRIP_BARS = 8  # nodes in the strip's exposure bars
PLOT_TOP, PLOT_HEIGHT = 84, 210  # px from the strip's top to its plots, and their height


def _panels(c: Canvas) -> list[tuple[float, float, float]]:
    """``(title_x, plot_x0, plot_x1)`` px of the four panels: the bars want room for names on the left,
    the quadrant for its axis title, the others for their ticks."""
    return [(32, 212, 500), (556, 614, 912), (968, 1012, 1290), (1340, 1384, c.w - 32)]


def _prepare(fig: go.Figure) -> go.Figure:
    """A figure ready to be placed: its y axis never grows the picture's margin (automargin would push
    a strip down the picture's side, as an overflowing legend did)."""
    fig.update_yaxes(automargin=False)
    fig.update_xaxes(automargin=False)
    return fig


def weak_points_strip(c: Canvas, study, result: DrillResult, top: float) -> None:
    """Draw ``study`` (:class:`augur.report.weak_points.WeakPoints`) on ``c`` from ``top`` px down
    (:data:`STRIP_HEIGHT` of it)."""
    G, unit, slo = result.graph, result.scenario.step_unit, result.scenario.slo
    c.rect(24, top, c.w - 24, top + STRIP_HEIGHT - 12, fill="rgba(0,0,0,0)", line=CARD_LINE)
    title, subtitle = strip_title(study, result)
    c.text(36, top + 10, title, size=15, bold=True)
    c.text(36, top + 32, short_text(subtitle, 230), size=12, color=MUTED)
    figures = [
        exposure_bars(study.criticality, graph=G, top=STRIP_BARS, title="Exposure index, worst nodes"),
        quadrant(study.criticality, slo, graph=G, unit=unit, label=4, title="Time to survive vs recover"),
        service_bands(
            study.random, slo, unit=unit, title=f"{study.random.runs:,} random drills: service level"
        ),
        verdict_chances(study.random, title="Chance of each verdict"),
    ]
    plot_top = top + PLOT_TOP
    plot_bottom = plot_top + PLOT_HEIGHT
    lowest = plot_bottom + CHART_AXIS
    for (title_x, x0, x1), fig in zip(_panels(c), figures):
        name = fig.layout.title.text
        fig.update_layout(title_text="")
        c.text(title_x, plot_top - 26, name, size=13, bold=True)
        c.place(
            _prepare(fig),
            (x0, plot_top, x1, plot_bottom),
            legend="legend2" if fig.layout.showlegend else None,
        )
        rows = len(pack_legend(legend_names(fig), x1 - x0 + 6)) if fig.layout.showlegend else 0
        lowest = max(lowest, plot_bottom + CHART_AXIS + LEGEND_ROW * rows)
    y = lowest + 14
    for line, bold in strip_lines(study, result):
        if y > top + STRIP_HEIGHT - 30:
            break
        c.text(36, y, short_text(line, 225), size=12, bold=bold)
        y += 19
