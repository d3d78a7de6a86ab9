"""The weak points, condensed for the one-drill picture: a strip under the dashboard with the exposure
bars of the worst nodes, the time-to-survive against time-to-recover quadrant, the random-shock bands
and the chance of each verdict, and a few lines for the fixes found and the strongest pair. The
figures are :mod:`augur.figures.weak_points`'s, the words :mod:`augur.text.weak_points`'s.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.figures.theme import LEGEND_ROW, legend_names
from augur.figures.weak_points import exposure_bars, quadrant, service_bands, verdict_chances
from augur.report.canvas import CHART_AXIS, LEGEND_CHAR, Canvas, pack_legend, short_text, text_lines
from augur.style import CARD_LINE, MUTED
from augur.text.weak_points import QUADRANT_SHORT_TITLE, strip_lines, strip_title

__all__ = ["STRIP_BARS", "strip_height", "strip_rows", "weak_points_strip"]

STRIP_BARS = 8  # nodes in the strip's exposure bars
PLOT_TOP, PLOT_HEIGHT = 84, 210  # px from the strip's top to its plots, and their height
BAR_NAME_CHARS = 28  # characters of a name the 180 px left of the exposure bars hold at 11 px
TEXT_LEFT, TEXT_SIZE, TEXT_ROW = 36, 12, 19  # px: where the strip's lines start, their size, their pitch
BOLD_CHAR = 0.62  # px a character of bold text takes per px of font size: wider than LEGEND_CHAR's
ROWS_PER_LINE = 2  # a line of the strip wraps to at most this many rows, the second cut short
BOTTOM_PAD = 22  # px below the last row: its descenders, the strip's frame and the gap to the footer


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


def _figures(study, result: DrillResult) -> list[go.Figure]:
    """The strip's four charts, titled, in panel order."""
    G, unit, slo = result.graph, result.scenario.step_unit, result.scenario.slo
    return [
        exposure_bars(
            study.criticality,
            graph=G,
            top=STRIP_BARS,
            title="Exposure index, worst nodes",
            name_chars=BAR_NAME_CHARS,
        ),
        quadrant(
            study.criticality,
            slo,
            graph=G,
            unit=unit,
            label=4,
            title=QUADRANT_SHORT_TITLE,
            plot=(912 - 614, PLOT_HEIGHT),  # the quadrant's panel (_panels)
        ),
        service_bands(
            study.random, slo, unit=unit, title=f"{study.random.runs:,} random drills: service level"
        ),
        verdict_chances(study.random, title="Chance of each verdict"),
    ]


def _legend_rows(c: Canvas, figures: list[go.Figure]) -> list[int]:
    """Rows each chart's legend takes below its plot."""
    return [
        len(pack_legend(legend_names(fig), x1 - x0 + 6)) if fig.layout.showlegend else 0
        for (_, x0, x1), fig in zip(_panels(c), figures)
    ]


def _text_top(rows: list[int]) -> float:
    """Px from the strip's top to its first line of text: below the plots, their axes and legends."""
    return PLOT_TOP + PLOT_HEIGHT + CHART_AXIS + LEGEND_ROW * max(rows, default=0) + 14


def strip_rows(study, result: DrillResult, width: float) -> list[tuple[str, bool]]:
    """The strip's lines (:func:`augur.text.weak_points.strip_lines`) as the rows drawn in ``width``
    px: each wrapped at the characters that fit (bold text is wider), in at most two rows."""
    rows = []
    for line, bold in strip_lines(study, result):
        chars = int(width // (TEXT_SIZE * (BOLD_CHAR if bold else LEGEND_CHAR)))
        rows += [(part, bold) for part in text_lines(line, chars, ROWS_PER_LINE)]
    return rows


def _text_width(c: Canvas) -> float:
    return c.w - 2 * TEXT_LEFT


def strip_height(study, result: DrillResult, width: int) -> int:
    """Px the strip adds to a picture ``width`` px wide: the charts, then as many rows as its lines
    take (:func:`strip_rows`), so no line is cut off at the strip's foot."""
    c = Canvas(width, 1)
    rows = strip_rows(study, result, _text_width(c))
    return math.ceil(_text_top(_legend_rows(c, _figures(study, result))) + TEXT_ROW * len(rows) + BOTTOM_PAD)


def weak_points_strip(c: Canvas, study, result: DrillResult, top: float) -> None:
    """Draw ``study`` (:class:`augur.report.weak_points.WeakPoints`) on ``c`` from ``top`` px down
    (:func:`strip_height` of it)."""
    height = strip_height(study, result, c.w)
    c.rect(24, top, c.w - 24, top + height - 12, fill="rgba(0,0,0,0)", line=CARD_LINE)
    title, subtitle = strip_title(study, result)
    c.text(TEXT_LEFT, top + 10, title, size=15, bold=True)
    sub_chars = int(_text_width(c) // (TEXT_SIZE * LEGEND_CHAR))
    c.text(TEXT_LEFT, top + 32, short_text(subtitle, sub_chars), size=TEXT_SIZE, color=MUTED)
    figures = _figures(study, result)
    plot_top = top + PLOT_TOP
    plot_bottom = plot_top + PLOT_HEIGHT
    for (title_x, x0, x1), fig in zip(_panels(c), figures):
        name = fig.layout.title.text
        fig.update_layout(title_text="")
        c.text(title_x, plot_top - 26, name, size=13, bold=True)
        c.place(
            _prepare(fig),
            (x0, plot_top, x1, plot_bottom),
            legend="legend2" if fig.layout.showlegend else None,
        )
    y = top + _text_top(_legend_rows(c, figures))
    for line, bold in strip_rows(study, result, _text_width(c)):
        c.text(TEXT_LEFT, y, line, size=TEXT_SIZE, bold=bold)
        y += TEXT_ROW
