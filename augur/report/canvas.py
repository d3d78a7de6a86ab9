"""Pixel placement for the one-image dashboards (:mod:`augur.report.dashboard`): a fixed-size plotly
figure drawn on like a page, in pixels from its top left, with the pack's header, verdict badge, KPI
cards, footer band and bullets, and the app's charts and networks placed in boxes on it.

>>> c = Canvas(1600, 1000)
>>> c.text(32, 20, "Resilience review")
>>> round(c.fig.layout.height or c.h), c.annotations[0]["x"], c.annotations[0]["y"]
(1000, 0.02, 0.98)
"""

from __future__ import annotations

import copy
import textwrap

import plotly.graph_objects as go

from augur.drill import DrillResult
from augur.figures.network import legend_traces, network_parts
from augur.figures.theme import LEGEND_ROW, hidden_axis, legend_names
from augur.style import BADGE_TEXT, CARD_FILL, CARD_LINE, FONT, INK, MUTED, TONE_COLOURS, VERDICT_COLOURS

__all__ = [
    "CHART_AXIS",
    "FOOTER_ROW",
    "FOOTER_WIDTH",
    "LEAD_WIDTH",
    "LEGEND_CHAR",
    "LEGEND_SWATCH",
    "Canvas",
    "add_network",
    "bullets",
    "chart_column",
    "footer",
    "footer_height",
    "footer_rows",
    "header",
    "kpi_card",
    "legend_width",
    "network_legends",
    "pack_legend",
    "short_text",
    "text_lines",
    "verdict_badge",
]

CHART_AXIS = 32  # px below a dashboard chart's plot for its tick labels and axis title
LEGEND_SWATCH = 45  # px a legend entry takes besides its text (plotly: 40 to the text, 5 between entries)
LEGEND_CHAR = 0.56  # px a character of legend text takes, per px of font size (a little over, so none spills)


def legend_width(name: str, font_size: float = 11) -> float:
    """How wide plotly draws one horizontal legend entry, estimated from its text.

    >>> legend_width("ok", 11)
    57.32
    """
    return round(LEGEND_SWATCH + LEGEND_CHAR * font_size * len(name), 2)


def pack_legend(names: list[str], width: float, font_size: float = 11) -> list[list[int]]:
    """The entries of a horizontal legend in rows that each fit in ``width`` px, in order: the indices
    of ``names`` per row. Plotly wraps a horizontal legend only at the figure's whole width, whatever
    room is left to the right of where it starts, and pushes the figure's margin out for the rest (a
    blank strip down the picture's right side); so the dashboards wrap their legends themselves, one
    plotly legend per row.

    >>> pack_legend(["service level", "SLO", "a very long name for a service"], 250)
    [[0, 1], [2]]
    """
    rows: list[list[int]] = []
    used = 0.0
    for i, name in enumerate(names):
        w = legend_width(name, font_size)
        if rows and used + w <= width:
            rows[-1].append(i)
            used += w
        else:
            rows.append([i])
            used = w
    return rows


class Canvas:
    """Pixel placement on a fixed-size figure: paper coordinates from pixels measured from the top left."""

    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.fig = go.Figure()
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []
        self.axes = 0
        self.legends = 5  # legend, legend2 ... legend5 are named by the dashboards; rows take the next

    def x(self, px: float) -> float:
        """The paper x of ``px`` pixels from the left."""
        return px / self.w

    def y(self, px: float) -> float:
        """The paper y of ``px`` pixels from the top."""
        return 1 - px / self.h

    def rect(self, x0, y0, x1, y1, *, fill, line=None, width=1.0, layer="below"):
        """A rectangle from ``(x0, y0)`` to ``(x1, y1)`` px, filled, with an optional outline."""
        self.shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": self.x(x0),
                "x1": self.x(x1),
                "y0": self.y(y1),
                "y1": self.y(y0),
                "fillcolor": fill,
                "line": {"color": line or fill, "width": width if line else 0},
                "layer": layer,
            }
        )

    def text(self, x, y, text, *, size=12, color=INK, anchor="left", valign="top", bold=False, **extra):
        """Text at ``(x, y)`` px, anchored left, right or centre and top, middle or bottom."""
        self.annotations.append(
            {
                "text": f"<b>{text}</b>" if bold else text,
                "xref": "paper",
                "yref": "paper",
                "x": self.x(x),
                "y": self.y(y),
                "xanchor": anchor,
                "yanchor": valign,
                "showarrow": False,
                "font": {"size": size, "color": color, "family": FONT},
                "align": anchor if anchor in ("left", "right") else "center",
                **extra,
            }
        )

    def next_legend(self) -> str:
        """The name of a legend no one has used yet: 'legend6', 'legend7', ..."""
        self.legends += 1
        return f"legend{self.legends}"

    def legend_block(
        self, traces: list, x0: float, width: float, y: float, *, font_size: float = 11, row_height=None
    ) -> int:
        """Legend entries for ``traces`` (already on the figure) from ``(x0, y)`` px, in rows that fit
        in ``width`` px (:func:`pack_legend`), one plotly legend per row; returns the rows used."""
        rows = pack_legend([t.name for t in traces], width, font_size)
        step = row_height or LEGEND_ROW + (font_size - 11) * 2
        for r, members in enumerate(rows):
            name = self.next_legend()
            for i in members:
                traces[i].update(legend=name, showlegend=True)
            self.fig.layout[name] = {
                "orientation": "h",
                "x": self.x(x0),
                "xanchor": "left",
                "y": self.y(y + step * r),
                "yanchor": "top",
                "font": {"size": font_size},
                "bgcolor": "rgba(255,255,255,0)",
                "itemwidth": 30,
            }
        return len(rows)

    def next_axes(self) -> tuple[str, str, str, str]:
        """Names of a fresh x/y axis pair: ('x2', 'y2', 'xaxis2', 'yaxis2')."""
        self.axes += 1
        suffix = "" if self.axes == 1 else str(self.axes)
        return f"x{suffix}", f"y{suffix}", f"xaxis{suffix}", f"yaxis{suffix}"

    def place(
        self,
        src: go.Figure,
        box: tuple[float, float, float, float],
        *,
        legend: str | None = None,
        xtitle: str | None = None,
    ):
        """Move the traces, axes, shapes and annotations of figure ``src`` into the pixel ``box``
        (x0, y0, x1, y1 from the top left), its title above the box."""
        x0, y0, x1, y1 = box
        xa, ya, xkey, ykey = self.next_axes()
        listed = []
        for trace in src.data:
            trace = copy.deepcopy(trace)
            trace.update(xaxis=xa, yaxis=ya)
            if legend and getattr(trace, "showlegend", None) is not False:
                trace.update(legend=legend, showlegend=bool(src.layout.showlegend))
            else:
                trace.update(showlegend=False)
            self.fig.add_trace(trace)
            if legend and trace.showlegend and trace.name:
                listed.append(self.fig.data[-1])
        xaxis = src.layout.xaxis.to_plotly_json()
        yaxis = src.layout.yaxis.to_plotly_json()
        xaxis.update(domain=[self.x(x0), self.x(x1)], anchor=ya)
        yaxis.update(domain=[self.y(y1), self.y(y0)], anchor=xa)
        xaxis.setdefault("tickfont", {"size": 11})
        if xtitle:
            xaxis["title"] = {"text": xtitle, "font": {"size": 11, "color": MUTED}, "standoff": 2}
        yaxis.setdefault("tickfont", {"size": 11})
        self.fig.layout[xkey] = xaxis
        self.fig.layout[ykey] = yaxis

        def remap(item: dict) -> dict:
            item = dict(item)
            for key, axis in (("xref", xa), ("yref", ya)):
                ref = item.get(key, "paper")
                if ref == "paper":
                    item[key] = f"{axis} domain"
                elif ref in ("x", "y"):
                    item[key] = axis
            for key, axis in (("axref", xa), ("ayref", ya)):
                if item.get(key) in ("x", "y"):
                    item[key] = axis
            return item

        self.shapes += [remap(s.to_plotly_json()) for s in src.layout.shapes]
        self.annotations += [remap(a.to_plotly_json()) for a in src.layout.annotations]
        title = src.layout.title.text
        if title:
            self.text(x0, y0 - 22, title, size=14, bold=True)
        if legend and src.layout.showlegend and listed:
            # below the plot and its axis title, outside the plotting area, in rows as wide as the box
            self.legend_block(listed, x0 - 6, x1 - x0 + 6, y1 + CHART_AXIS)

    def finish(self) -> go.Figure:
        """The figure, sized and with every shape and annotation placed on it."""
        self.fig.update_layout(
            width=self.w,
            height=self.h,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            paper_bgcolor="white",
            plot_bgcolor="white",
            font={"family": FONT, "size": 12, "color": INK},
            shapes=self.shapes,
            annotations=self.annotations,
            showlegend=True,
            hovermode=False,
        )
        return self.fig


def short_text(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word where there is one to cut at."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:(-") + "…"


def text_lines(text: str, width: int, most: int) -> list[str]:
    """``text`` wrapped at ``width`` characters, in at most ``most`` lines (the last cut short)."""
    parts = textwrap.wrap(text, width=width) or [""]
    if len(parts) > most:
        parts = [*parts[: most - 1], short_text(" ".join(parts[most - 1 :]), width)]
    return parts


def header(c: Canvas, titles: list[str], meta: str, sentence: str, *, eyebrow: str, text_width: int) -> float:
    """Eyebrow, title line(s), the provenance line and the verdict sentence; returns the bottom (px)."""
    c.rect(0, 0, c.w, 6, fill=INK)
    c.text(32, 20, eyebrow.upper(), size=12, color=MUTED, bold=True)
    y = 38.0
    size = 26 if len(titles) == 1 else 20
    for title in titles:
        c.text(32, y, title, size=size, bold=True)
        y += size + 8
    c.text(32, y + 2, meta, size=13, color=MUTED)
    y += 26
    for line in text_lines(sentence, text_width, 2):
        c.text(32, y, line, size=15)
        y += 21
    return y


def verdict_badge(
    c: Canvas, x1: float, verdict: str, note: str, *, width: float = 250, y0: float = 22
) -> None:
    """The verdict in its colour, right-aligned at ``x1`` px, with ``note`` under it."""
    x0 = x1 - width
    c.rect(x0, y0, x1, y0 + 62, fill=VERDICT_COLOURS[verdict])
    c.text(
        (x0 + x1) / 2,
        y0 + 31,
        verdict.upper(),
        size=28,
        color=BADGE_TEXT[verdict],
        anchor="center",
        valign="middle",
        bold=True,
    )
    c.text((x0 + x1) / 2, y0 + 70, note, size=13, color=INK, anchor="center")


def kpi_card(c: Canvas, box: tuple, label: str, value: str, note: str, tone: str) -> None:
    """A KPI card in ``box`` px: its label, value in its tone's colour, and note."""
    x0, y0, x1, y1 = box
    c.rect(x0, y0, x1, y1, fill=CARD_FILL, line=CARD_LINE)
    c.rect(x0, y0, x0 + 5, y1, fill=TONE_COLOURS[tone])
    c.text(x0 + 16, y0 + 12, label.upper(), size=11, color=MUTED, bold=True)
    c.text(
        x0 + 16,
        y0 + 32,
        short_text(value, 16),
        size=24,
        color=TONE_COLOURS[tone] if tone != "neutral" else INK,
        bold=True,
    )
    c.text(x0 + 16, y1 - 10, short_text(note, 32), size=11, color=MUTED, valign="bottom")


FOOTER_ROW = 18  # px per line of the footer band
FOOTER_WIDTH = 240  # characters of 12 px text a footer line holds (1,536 px), with a margin
LEAD_WIDTH = 200  # the same for the bold 13 px lead line


def footer_rows(lines: list[str], *, lead: str | None = None) -> list[tuple[str, bool]]:
    """The footer's rows as ``(text, is_lead)``: the lead (the finding that matters) wrapped to at most
    two lines, then ``lines``, each already cut to fit (see :func:`_shock_lines`)."""
    rows = [(line, True) for line in (text_lines(lead, LEAD_WIDTH, 2) if lead else [])]
    return rows + [(line, False) for line in lines]


def footer_height(rows: list) -> float:
    """The footer band's height in px for ``rows``."""
    return 16 + FOOTER_ROW * len(rows)


def footer(c: Canvas, rows: list[tuple[str, bool]]) -> None:
    """A grey band at the bottom: the lead rows in bold ink, the others muted."""
    top = c.h - footer_height(rows)
    c.rect(0, top, c.w, c.h, fill=CARD_FILL)
    for i, (line, lead) in enumerate(rows):
        y = top + 8 + FOOTER_ROW * i + FOOTER_ROW / 2
        c.text(32, y, line, size=13 if lead else 12, color=INK if lead else MUTED, valign="middle", bold=lead)


def bullets(c: Canvas, lines: list[str], y: float, *, bottom: float, width: int = 88) -> float:
    """Lines as bullets from ``y`` down to ``bottom`` (px), wrapped; returns the next free ``y``."""
    for shown, line in enumerate(lines):
        wrapped = text_lines(line, width, 2)
        if y + 18 * len(wrapped) > bottom:
            c.text(40, y, f"… and {len(lines) - shown} more (see the HTML report)", size=12, color=MUTED)
            return y + 18
        for k, part in enumerate(wrapped):
            c.text(40, y, ("· " if k == 0 else "  ") + part, size=12)
            y += 18
    return y


def add_network(c: Canvas, result: DrillResult, step: int, box: tuple, **options) -> list:
    """The network of ``result`` at ``step`` in the pixel ``box`` (x0, y0, x1, y1); returns the
    legend entries it needs."""
    traces, annotations, xr, yr, entries = network_parts(result, step, **options)
    xa, ya, xkey, ykey = c.next_axes()
    for trace in traces:
        trace.update(xaxis=xa, yaxis=ya)
        c.fig.add_trace(trace)
    for ann in annotations:
        ann.update(xref=xa, yref=ya)
        if "axref" in ann:
            ann.update(axref=xa, ayref=ya)
    c.annotations += annotations
    c.fig.layout[xkey] = hidden_axis(xr, (c.x(box[0]), c.x(box[2])), ya)
    c.fig.layout[ykey] = hidden_axis(yr, (c.y(box[3]), c.y(box[1])), xa)
    return entries


def network_legends(c: Canvas, entry_lists: list[list], x0: float, y: float) -> None:
    """Two legend rows at ``(x0, y)`` px for the networks drawn: what the colours and special links
    mean (for every network drawn), then the kinds' shapes."""
    traces = legend_traces(*entry_lists, legend="legend", kind_legend="legend5")
    for trace in traces:
        c.fig.add_trace(trace)
    added = c.fig.data[-len(traces) :] if traces else ()
    colours = [t for t in added if t.legend == "legend"]
    kinds = [t for t in added if t.legend == "legend5"]
    width = (c.w - 32) - x0
    rows = c.legend_block(colours, x0, width, y, font_size=12, row_height=26)
    c.legend_block(kinds, x0, width, y + 26 * rows, font_size=12, row_height=26)


def chart_column(
    c: Canvas, charts: list[go.Figure], x0: float, x1: float, top: float, bottom: float, unit: str
):
    """Charts stacked between ``top`` and ``bottom`` px, each with its title above, its axis title
    and legend below the plot; the plots share what the titles and legends leave."""
    rows = [len(pack_legend(legend_names(fig), x1 - x0 + 6)) for fig in charts]
    fixed = sum(26 + CHART_AXIS + LEGEND_ROW * r + 14 for r in rows)
    plot_h = (bottom - top - fixed) / len(charts)
    y = top
    for i, (fig, r) in enumerate(zip(charts, rows)):
        y0 = y + 26
        c.place(fig, (x0, y0, x1, y0 + plot_h), legend=f"legend{i + 2}", xtitle=unit)
        y = y0 + plot_h + CHART_AXIS + LEGEND_ROW * r + 14
