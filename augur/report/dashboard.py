"""The one-image dashboards that the PNG export renders (kaleido, without a Dash server or a browser
session): a drill on one page (:func:`review_figure`) and before/after on one page
(:func:`compare_figure`). They place the app's own charts (:mod:`augur.figures`) beside the network,
the header and the KPI cards on a pixel canvas (:mod:`augur.report.canvas`).

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> review_figure(augur.simulate(scenario.graph, scenario)).layout.width  # doctest: +SKIP
1600
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from augur.analysis import worst_step
from augur.drill import DrillResult
from augur.figures import (
    compare_service_figure,
    pack_chart,
    pack_tokens_figure,
    quality_figure,
    service_level_figure,
)
from augur.figures.theme import LEGEND_ROW, legend_names
from augur.provenance import provenance
from augur.report.canvas import (
    CHART_AXIS,
    FOOTER_WIDTH,
    Canvas,
    add_network,
    bullets,
    chart_column,
    footer,
    footer_height,
    footer_rows,
    header,
    kpi_card,
    network_legends,
    pack_legend,
    short_text,
    text_lines,
    verdict_badge,
)
from augur.report.weak_strip import strip_height, weak_points_strip
from augur.style import CARD_FILL, CARD_LINE, MUTED, STATUS_COLOURS, TONE_COLOURS
from augur.text import COST_LABEL, hypothesis_text, kpi_cards, pct_text, shock_sentences, verdict_sentence
from augur.text.compare import compare_facts, weak_points_left_text
from augur.text.review import drawn_step_note, drawn_step_text, findings, key_finding

__all__ = ["PNG_SIZE", "compare_figure", "review_figure"]

PNG_SIZE = (1600, 1000)

COST_NOTE = f"¹ {COST_LABEL}"


def _when(prov: dict) -> str:
    return prov["generated"].replace("T", " ").replace("Z", " UTC")


def _meta_line(prov: dict) -> str:
    return (
        f"Generated {_when(prov)} · augur {prov['augur']} · seed {prov['seed']} · "
        f"{prov['steps']} {prov['step_unit']}s · graph sha256 {prov['graph_hash'][:12]} "
        f"({prov['graph_nodes']:,} nodes, {prov['graph_edges']:,} links)"
    )


def _pack_lines(head: str, parts: list[str], width: int) -> list[str]:
    """``head`` then ``parts`` joined by '; ', a new line before a part that does not fit on the
    current one (a part longer than a line is wrapped at words)."""
    lines, current = [], head
    for i, part in enumerate(parts):
        piece = part + (";" if i < len(parts) - 1 else "")
        if len(current) + 1 + len(piece) <= width:
            current = f"{current} {piece}"
        else:
            lines.append(current)
            wrapped = textwrap.wrap(piece, width)
            lines += wrapped[:-1]
            current = wrapped[-1]
    return [*lines, current]


def _shock_lines(
    result: DrillResult, prefix: str = "Shocks", *, width: int = FOOTER_WIDTH, most: int = 2
) -> list[str]:
    """The shocks for a footer, never cut inside a word: all of them on up to ``most`` lines, a line
    breaking between shocks; else as many whole shocks as fit, counted ('Shocks, 3 of them: ...; and
    1 more: see the HTML page for all')."""
    shocks = [s["text"] for s in shock_sentences(result.scenario, result.graph)]
    if not shocks:
        return [f"{prefix}: none"]
    lines = _pack_lines(f"{prefix}:", shocks, width)
    if len(lines) <= most:
        return lines
    for shown in range(len(shocks) - 1, 0, -1):
        more = f"and {len(shocks) - shown} more: see the HTML page for all"
        lines = _pack_lines(f"{prefix}, {len(shocks)} of them:", [*shocks[:shown], more], width)
        if len(lines) <= most:
            return lines
    first = textwrap.shorten(shocks[0], width=width * most - 80, placeholder=" …")
    return textwrap.wrap(f"{prefix}, {len(shocks)} of them: {first}; see the HTML page for all", width)


def review_figure(
    result: DrillResult,
    *,
    prov: dict | None = None,
    size: tuple[int, int] = PNG_SIZE,
    weak_points=None,
) -> go.Figure:
    """The drill on one page: header (scenario, date, seed, verdict), KPI cards, the network at the worst
    step, and service level, tokens and data quality over time; what :func:`augur.report.review_png`
    renders. With ``weak_points`` (:class:`augur.report.weak_points.WeakPoints`) the picture grows by
    a strip of them above the footer (:mod:`augur.report.weak_strip`)."""
    prov = prov or provenance(result)
    m = result.metrics
    step = worst_step(result)
    unit = result.scenario.step_unit
    strip = strip_height(weak_points, result, size[0]) if weak_points is not None else 0
    c = Canvas(size[0], size[1] + strip)
    bottom = header(
        c,
        [short_text(result.scenario.name, 80)],
        _meta_line(prov),
        verdict_sentence(result),
        eyebrow="Resilience review · augur drill",
        text_width=150,
    )
    verdict_badge(c, c.w - 32, m["verdict"], hypothesis_text(m))
    top = max(bottom + 8, 128)
    footnotes = _review_cards(c, result, top)

    # The footer first: how many lines it needs decides where the body ends.
    finding = key_finding(result)
    reproduce = (
        f"Reproduce: augur run with the scenario file embedded in the HTML report (scenario sha256 "
        f"{prov['scenario_sha256'][:12]}). The vertical line on each chart marks "
        f"{drawn_step_note(result, step)}; shaded: shocks."
    )
    rows = footer_rows([*_shock_lines(result), reproduce, *footnotes], lead=finding)
    body_bottom = c.h - footer_height(rows) - 14 - strip

    # The network, left; three time series, right.
    body = top + 90 + 46
    _review_network(c, result, step, (32, body, 905, body_bottom))
    charts = [
        service_level_figure(result, step),
        pack_tokens_figure(result, step),
        pack_chart(quality_figure(result, step), result),
    ]
    chart_column(c, charts, 990, c.w - 32, body - 28, body_bottom + 8, unit)
    if weak_points is not None:
        weak_points_strip(c, weak_points, result, body_bottom + 24)
    footer(c, rows)
    return c.finish()


def _review_cards(c: Canvas, result: DrillResult, top: float) -> list[str]:
    """The KPI cards but the verdict (the badge says it) in a row at ``top`` px; returns the footnotes
    their marks need."""
    cards = [card for card in kpi_cards(result.metrics) if card["key"] != "verdict"]
    gap = 12
    left, right = 32, c.w - 32
    width = (right - left - gap * (len(cards) - 1)) / len(cards)
    footnotes = []
    for i, card in enumerate(cards):
        x0 = left + i * (width + gap)
        note = card.get("short_note", card["note"])
        if "¹" in note and COST_NOTE not in footnotes:
            footnotes.append(COST_NOTE)
        kpi_card(c, (x0, top, x0 + width, top + 90), card["label"], card["value"], note, card["tone"])
    return footnotes


def _review_network(c: Canvas, result: DrillResult, step: int, net_box: tuple) -> None:
    """The network at the worst step in a framed box, its title above and its legends below."""
    c.rect(
        net_box[0] - 8, net_box[1] - 30, net_box[2] + 8, net_box[3] + 8, fill="rgba(0,0,0,0)", line=CARD_LINE
    )
    c.text(
        net_box[0],
        net_box[1] - 22,
        f"The network at {drawn_step_text(result, step)}",
        size=14,
        bold=True,
    )
    entries = add_network(
        c,
        result,
        step,
        (net_box[0], net_box[1] + 6, net_box[2], net_box[3] - 58),
        font_size=12,
        marker_scale=1.2,
    )
    network_legends(c, [entries], net_box[0], net_box[3] - 52)


def compare_figure(
    before: DrillResult,
    after: DrillResult,
    *,
    prov: tuple[dict, dict] | None = None,
    size: tuple[int, int] = PNG_SIZE,
) -> go.Figure:
    """Before and after on one page: both verdicts, KPI deltas with the better side marked, what changed
    in the graph, both service-level curves on one chart, and the two networks at the before drill's
    worst step, under one legend that explains every colour either network shows."""
    facts = compare_facts(before, after)
    pa, pb = prov or (provenance(before), provenance(after))
    c = Canvas(*size)
    meta = (
        f"Generated {_when(pa)} · augur {pb['augur']} · seeds {pa['seed']} / {pb['seed']} · "
        f"graph sha256 {pa['graph_hash'][:12]} → {pb['graph_hash'][:12]}"
    )
    bottom = header(
        c,
        [f"Before: {short_text(before.scenario.name, 80)}", f"After: {short_text(after.scenario.name, 80)}"],
        meta,
        facts["sentence"],
        eyebrow="Resilience review · before and after",
        text_width=140,
    )
    mb, ma = before.metrics, after.metrics
    verdict_badge(c, c.w - 32 - 200 - 48, mb["verdict"], "before", width=200)
    verdict_badge(c, c.w - 32, ma["verdict"], "after", width=200)
    c.text(c.w - 32 - 200 - 24, 22 + 31, "→", size=30, color=MUTED, anchor="center", valign="middle")

    # The footer first: how many lines it needs decides where the body ends.
    rows = footer_rows(_compare_footer_lines(before, after, facts, (pa, pb)))
    body_bottom = c.h - footer_height(rows) - 14

    # KPI deltas, both curves and what changed, left; the two networks, right, each as tall as the
    # column allows: stacked under the curves they were squashed to a third of it, labels over nodes.
    top = bottom + 22
    y = _compare_table(c, facts, top)
    y = _compare_service(c, before, after, y)
    _compare_changes(c, facts, after, y, body_bottom)
    _compare_networks(c, before, after, top, body_bottom)
    footer(c, rows)
    return c.finish()


def _compare_footer_lines(before: DrillResult, after: DrillResult, facts: dict, provs: tuple) -> list[str]:
    pa, pb = provs
    if facts["same_shocks"]:
        lines = _shock_lines(before)
    else:
        lines = _shock_lines(before, "Before, shocks", most=1) + _shock_lines(after, "After, shocks", most=1)
    lines.append(
        "Reproduce: both scenario files are embedded in the HTML report (sha256 "
        f"{pa['scenario_sha256'][:12]} / {pb['scenario_sha256'][:12]})."
    )
    if any(row["key"] == "token_overrun_cost" for row in facts["rows"]):
        lines.append(COST_NOTE)
    return lines


def _compare_table(c: Canvas, facts: dict, top: float) -> float:
    """The KPI deltas as a table from ``top`` px, the better side marked; returns the next free y."""
    same = facts["same_shocks"]
    table_right = COMPARE_LEFT
    c.text(32, top, "The figures", size=14, bold=True)
    c.text(
        table_right,
        top,
        "same shocks in both drills" if same else "THE SHOCKS DIFFER (see footer)",
        size=12,
        color=MUTED if same else STATUS_COLOURS["failed"],
        anchor="right",
        bold=not same,
    )
    cols = (32, 246, 400, 530)
    header_y = top + 28
    for x, label in zip(cols, ("figure", "before", "after", "change")):
        c.text(x, header_y, label.upper(), size=11, color=MUTED, bold=True)
    row_h = 26
    colours = {"better": TONE_COLOURS["good"], "worse": TONE_COLOURS["bad"]}
    for i, row in enumerate(facts["rows"]):
        y = header_y + 22 + i * row_h
        if i % 2 == 0:
            c.rect(24, y - 5, table_right + 8, y + row_h - 5, fill=CARD_FILL)
        label = "Overrun cost¹" if row["key"] == "token_overrun_cost" else row["label"]
        c.text(cols[0], y, label, size=13)
        c.text(cols[1], y, short_text(row["before"], 20), size=13)
        c.text(cols[2], y, short_text(row["after"], 17), size=13, bold=row["direction"] == "better")
        colour = colours.get(row["direction"], MUTED)
        c.text(cols[3], y, row["mark"], size=13, color=colour, bold=row["direction"] in colours)
    return header_y + 22 + len(facts["rows"]) * row_h + 24


def _compare_changes(c: Canvas, facts: dict, after: DrillResult, y: float, body_bottom: float) -> None:
    """What changed between the drills from ``y`` px, then, where there is room, what held after the
    change and the weak points left."""
    changes = facts["graph_changes"] + facts["settings"]
    c.text(32, y, "What changed between them", size=14, bold=True)
    y += 26
    if not changes:
        same = "the same drill twice" if facts["same_shocks"] else "only the shocks differ (see the footer)"
        c.text(40, y, f"Nothing in the graph or the settings: {same}.", size=12, color=MUTED)
        y += 22
    y = bullets(c, changes, y, bottom=body_bottom)
    found = findings(after)
    held = found["held"][:4]
    weak = [
        f"{row['name']} failing alone: {row['verdict']}, service down to {pct_text(row['service_level_min'])}"
        for row in found["weak_points"][: 6 - len(held)]
    ]
    if (held or weak) and y < body_bottom - 80:
        y += 14
        c.text(32, y, "After the change: what held, and the weak points left", size=14, bold=True)
        y = bullets(c, held, y + 26, bottom=body_bottom)
        heading = text_lines(f"Weak points: {found['outage']}; those that still hurt:", 92, 2)
        first = text_lines(weak[0], 88, 2) if weak else []
        if weak and y + 4 + 18 * len(heading) + 8 + 18 * len(first) <= body_bottom:
            for part in heading:  # the heading only where its first weak point fits under it
                c.text(32, y + 4, part, size=12, color=MUTED)
                y += 18
            bullets(c, weak, y + 8, bottom=body_bottom)
        elif weak and y + 22 <= body_bottom:
            c.text(32, y + 4, weak_points_left_text(len(found["weak_points"])), size=12, color=MUTED)


COMPARE_LEFT, COMPARE_RIGHT = 620, 680  # px: the left column ends, the networks' column starts
SERVICE_PLOT = 160  # px of the before/after service-level plot


def _compare_service(c: Canvas, before: DrillResult, after: DrillResult, y: float) -> float:
    """Both service-level curves on one chart from ``y`` px in the left column, the legend below it;
    returns the next free y."""
    fig = compare_service_figure(before, after)
    c.text(32, y, fig.layout.title.text, size=14, bold=True)
    fig.update_layout(title_text="")
    x0, y0 = 32 + 44, y + 26  # room for the y ticks left of the plot
    c.place(
        fig, (x0, y0, COMPARE_LEFT, y0 + SERVICE_PLOT), legend="legend2", xtitle=before.scenario.step_unit
    )
    rows = len(pack_legend(legend_names(fig), COMPARE_LEFT - x0 + 6))
    return y0 + SERVICE_PLOT + CHART_AXIS + LEGEND_ROW * rows + 20


def _compare_networks(c: Canvas, before: DrillResult, after: DrillResult, top: float, body_bottom: float):
    """The two networks at the before drill's worst step, one above the other in the right column,
    under one legend that explains every colour either shows."""
    step = worst_step(before)
    unit = after.scenario.step_unit
    c.text(
        COMPARE_RIGHT,
        top,
        f"Both networks at {unit} {step}, the before drill's worst step",
        size=14,
        bold=True,
    )
    legend_top = body_bottom - 52
    height = (legend_top - 8 - (top + 26)) / 2
    entry_lists = []
    for k, (result, label) in enumerate(((before, "before"), (after, "after"))):
        at = min(step, result.trajectory.steps - 1)
        top_k = top + 26 + k * height
        level = result.service_level[at]
        c.text(
            COMPARE_RIGHT,
            top_k,
            f"{label.upper()}: {result.metrics['verdict']}, service {level:.0%}",
            size=12,
            color=MUTED,
            bold=True,
        )
        entry_lists.append(
            add_network(
                c,
                result,
                at,
                (COMPARE_RIGHT + 10, top_k + 18, c.w - 40, top_k + height - 6),
                marker_scale=0.75,
                font_size=10,
                label_width=20,
            )
        )
    network_legends(c, entry_lists, COMPARE_RIGHT, legend_top)
