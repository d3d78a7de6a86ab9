"""The review page's weak-points section: what else could break this drill's graph, from the sweeps of
:func:`augur.report.weak_points.weak_points_study`. The criticality ranking (bars and its top rows), the
time-to-survive against time-to-recover quadrant, the pairs that interact most and the candidate sets
tried, the random-shock bands with the chance of each verdict, and the least fixes with the levers that
cannot help. Every figure is :mod:`augur.figures.weak_points`'s, every sentence
:mod:`augur.text.weak_points`'s."""

from __future__ import annotations

from augur.drill import DrillResult
from augur.figures import KIND_LABELS
from augur.figures.weak_points import exposure_bars, quadrant, quadrant_points, service_bands, verdict_chances
from augur.report.sections.common import CHART_HEIGHT, CHART_WIDTH, esc, figure_div
from augur.text import node_name, pct_text, steps_text
from augur.text.names import fold
from augur.text.studies import more_levers_text, random_drill_text
from augur.text.weak_points import (
    FIXES_CAPTION,
    PAIRS_CAPTION,
    SECTION_INTRO,
    chance_rows,
    fixes_lines,
    one_recovery_text,
    pair_interaction_text,
    pair_set_lines,
    quadrant_caption_text,
    random_caption_text,
    ranking_caption_text,
    worst_random_text,
    yes_no,
)

__all__ = ["weak_points_section"]


def _table(head: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(), cls: str = "") -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _ranking(study, result: DrillResult, filename: str) -> str:
    G, unit, slo = result.graph, result.scenario.step_unit, result.scenario.slo
    rows = study.criticality.rows
    shown = rows[: study.top]
    table = _table(
        [
            "#",
            "node failed alone",
            "kind",
            "verdict",
            "exposure",
            "blast radius",
            "lowest service",
            "secondary failures",
            "time to survive",
            "below the SLO",
        ],
        [
            [
                str(i + 1),
                esc(node_name(G, r["target"])),
                esc(KIND_LABELS.get(r["kind"], r["kind"])),
                esc(r["verdict"]),
                f"{r['exposure_index']:.2f}",
                esc(pct_text(r["blast_radius"])),
                esc(pct_text(r["service_level_min"])),
                str(r["secondary_failures"]),
                esc(steps_text(r["time_to_survive"], unit, none="never")),
                esc(yes_no(r["single_point_of_failure"])),
            ]
            for i, r in enumerate(shown)
        ],
        numeric={0, 4, 5, 6, 7, 8},
        cls="ranking",
    )
    bars = exposure_bars(study.criticality, graph=G, top=study.top)
    points = quadrant_points(study.criticality)
    square = quadrant(study.criticality, slo, graph=G, unit=unit)
    caption = ranking_caption_text(study.criticality.outage, unit, rows, slo, len(shown))
    quad_caption = quadrant_caption_text(points, G, unit, slo)
    one_column = one_recovery_text(study.criticality.outage, unit, rows=study.criticality.rows)
    quad_caption += f" {one_column}" if one_column else ""
    return (
        "<h3>Each node failed alone, worst first</h3>"
        f'<p class="caption" id="weak-outage">{esc(caption)}</p>'
        f'<div class="grid2">'
        + figure_div(
            bars,
            "weak-exposure",
            width=CHART_WIDTH,
            height=max(CHART_HEIGHT, bars.layout.height),
            filename=f"{filename}-exposure",
        )
        + figure_div(
            square,
            "weak-quadrant",
            width=CHART_WIDTH,
            height=max(CHART_HEIGHT, bars.layout.height),
            filename=f"{filename}-quadrant",
        )
        + "</div>"
        f'<p class="caption" id="weak-quadrant-caption">{esc(quad_caption)}</p>'
        f'<div class="scroll">{table}</div>'
    )


def _pairs(study, result: DrillResult) -> str:
    G, unit = result.graph, result.scenario.step_unit
    duo = study.pairs
    sets = "".join(f"<li>{esc(line)}</li>" for line in pair_set_lines(duo.sets))
    if not duo.rows:
        return f'<h3>Two failures at once</h3><p class="meta">No pair to try.</p><ul class="sets">{sets}</ul>'
    rows = duo.rows[: study.top]
    table = _table(
        ["nodes failed together", "verdict", "service lost", "interaction", "what it means", "proposed by"],
        [
            [
                esc(" + ".join(node_name(G, t) for t in r["targets"])),
                esc(r["verdict"]),
                esc(steps_text(round(r["resilience_loss"], 1), unit)),
                f"{r['interaction']:+.1f}",
                esc(pair_interaction_text(r, G, unit)),
                esc(", ".join(r["candidates"])),
            ]
            for r in rows
        ],
        numeric={2, 3},
        cls="pairs",
    )
    return (
        "<h3>Two failures at once: the pairs that interact most</h3>"
        f'<p class="caption">{esc(PAIRS_CAPTION)}</p>'
        f'<ul class="sets" id="weak-pair-sets">{sets}</ul>{table}'
    )


def _random(study, result: DrillResult, filename: str) -> str:
    mc, unit, slo = study.random, result.scenario.step_unit, result.scenario.slo
    bands = service_bands(mc, slo, unit=unit)
    chances = verdict_chances(mc)
    table = _table(
        ["verdict", "drills", "chance", "95% interval"],
        [
            [esc(r["verdict"]), esc(r["drills"]), esc(r["share"]), esc(r["interval"])]
            for r in chance_rows(mc.verdicts, mc.intervals)
        ],
        numeric={1, 2, 3},
        cls="chances",
    )
    shocks = random_drill_text(mc.worst, result.scenario.steps, unit, result.graph)
    worst = worst_random_text(mc.worst, unit, shocks)
    return (
        "<h3>Random shocks: how often this graph cascades</h3>"
        f'<p class="caption">{esc(random_caption_text(mc.runs, mc.seed, slo, unit))}</p>'
        '<div class="grid2">'
        + figure_div(
            bands, "weak-bands", width=CHART_WIDTH, height=CHART_HEIGHT, filename=f"{filename}-bands"
        )
        + figure_div(
            chances, "weak-chances", width=CHART_WIDTH, height=CHART_HEIGHT, filename=f"{filename}-chances"
        )
        + "</div>"
        f"{table}<p>{esc(worst)}</p>"
    )


def _fixes(study, result: DrillResult) -> str:
    head, fixes, cannot = fixes_lines(study.fixes, result.metrics["verdict"])
    parts = ["<h3>The fixes found</h3>", f'<p id="weak-fix-head">{esc(head)}</p>']
    if fixes:
        parts.append(
            '<ul class="findings" id="weak-fixes">' + "".join(f"<li>{esc(f)}</li>" for f in fixes) + "</ul>"
        )
    if cannot:
        listed, rest = fold(cannot)
        items = "".join(f"<li>{esc(c)}</li>" for c in listed)
        if rest:  # ten sentences alike buried the fixes under them: the first few, the rest one click on
            items += (
                f'<li class="more"><details><summary>{esc(more_levers_text(len(rest)))}</summary><ul>'
                + "".join(f"<li>{esc(c)}</li>" for c in rest)
                + "</ul></details></li>"
            )
        parts.append(
            f'<p>Where a lever cannot help, and why:</p><ul class="findings" id="weak-cannot">{items}</ul>'
        )
    parts.append(f'<p class="caption">{esc(FIXES_CAPTION)}</p>')
    return "".join(parts)


def weak_points_section(study, result: DrillResult, filename: str) -> str:
    """The weak-points section of ``result``'s page from ``study``
    (:class:`augur.report.weak_points.WeakPoints`); ``filename`` names the figures' downloads."""
    return (
        '<section id="weak-points"><h2>Weak points: what else could break this</h2>'
        f"<p>{esc(SECTION_INTRO)}</p>"
        + _ranking(study, result, filename)
        + _pairs(study, result)
        + _random(study, result, filename)
        + _fixes(study, result)
        + "</section>"
    )
