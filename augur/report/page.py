"""The review pack as one self-contained HTML page: plotly.js inlined once, no CDN, no web fonts, no
external images, so it opens offline, attaches to an email and prints cleanly.

The page carries what produced it twice: for people in the header and footer, and for tools as JSON in
``<script type="application/json" id="augur-pack">`` (provenance and metrics). The exact scenario file,
with the graph inline, is in ``<pre id="scenario-file">`` and behind a download link, so the drill
re-runs with ``augur run`` from the page alone.
"""

from __future__ import annotations

from functools import lru_cache
from string import Template

from augur.analysis import worst_step
from augur.drill import DrillResult
from augur.figures import (
    STATUS_COLOURS,
    VERDICT_COLOURS,
    ci_figure,
    compare_service_figure,
    compare_tokens_figure,
    network_figure,
    pack_chart,
    pack_tokens_figure,
    quality_figure,
    service_level_figure,
    sized_for_page,
)
from augur.provenance import display_source, provenance
from augur.report.sections.common import (
    CHART_HEIGHT,
    CHART_WIDTH,
    cards_html,
    esc,
    figure_div,
    scenario_filename,
)
from augur.report.sections.detail import (
    EVENT_LIMIT,
    events_section,
    fix_section,
    json_block,
    metrics_section,
    provenance_footer,
    reproduce_section,
)
from augur.report.sections.weak_points import weak_points_section
from augur.text import (
    hypothesis_text,
    kpi_cards,
    pct_text,
    shock_sentences,
    steps_text,
    verdict_sentence,
)
from augur.text.compare import compare_facts
from augur.text.review import drawn_step_note, drawn_step_text, key_finding

__all__ = ["EVENT_LIMIT", "compare_page", "review_page", "scenario_filename"]

NETWORK_WIDTH, NETWORK_HEIGHT = 1100, 520

CSS = Template(
    """
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9dee5; --soft: #f5f7fa;
  --ok: ${ok}; --degraded: ${degraded}; --failed: ${failed}; --recovering: ${recovering};
  --throttled: ${throttled}; --good: #007A5A; --warn: #B07400; --bad: ${failed};
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: white;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1148px; margin: 0 auto; padding: 0 24px 48px; }
.topbar { height: 6px; background: var(--ink); }
header.review-header { display: flex; justify-content: space-between; gap: 24px; padding: 20px 0 12px;
  border-bottom: 1px solid var(--line); }
.eyebrow {
  font-size: 12px; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
  color: var(--muted);
}
h1 { font-size: 28px; line-height: 1.2; margin: 4px 0 6px; }
h1 .sub { display: block; font-size: 20px; margin-top: 4px; }
h1.pair { font-size: 22px; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
.meta { color: var(--muted); font-size: 13px; }
.meta code { font-size: 12px; white-space: nowrap; }
.badges { display: flex; align-items: flex-start; gap: 10px; flex: none; }
.badge { text-align: center; }
.badge .verdict { display: inline-block; min-width: 190px; padding: 10px 18px; font-size: 26px;
  font-weight: 800;
  letter-spacing: .03em; color: white; }
.badge .verdict.graceful { background: ${graceful}; }
.badge .verdict.degraded { background: ${degraded_v}; color: var(--ink); }
.badge .verdict.cascade { background: ${cascade}; }
.badge .note { font-size: 13px; margin-top: 4px; }
.arrow { font-size: 28px; color: var(--muted); padding-top: 8px; }
.sentence { font-size: 17px; margin: 14px 0 12px; }
.shockline { margin: 8px 0 0; }
.keyfinding { margin: 8px 0 0; padding: 6px 12px; border-left: 5px solid var(--ink); background: var(--soft);
  font-weight: 600; }
.overall { font-weight: 700; }
.cards {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px;
  margin: 8px 0;
}
.card {
  background: var(--soft); border: 1px solid var(--line); border-left: 5px solid var(--ink);
  padding: 8px 12px;
}
.card .label {
  font-size: 11px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase;
  color: var(--muted);
}
.card .value { font-size: 24px; font-weight: 800; line-height: 1.25; }
.card .note { font-size: 12px; color: var(--muted); }
.card.bad { border-left-color: var(--bad); } .card.bad .value { color: var(--bad); }
.card.warn { border-left-color: var(--warn); } .card.warn .value { color: var(--warn); }
.card.good { border-left-color: var(--good); } .card.good .value { color: var(--good); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
ol.shocks li, ul.findings > li { margin-bottom: 6px; }
ul.findings { padding-left: 20px; }
ul.findings ul { padding-left: 18px; margin: 2px 0 8px; }
.model-check { font-weight: 600; }
.figure { margin: 6px 0; overflow-x: auto; }
.grid2 { display: grid; grid-template-columns: repeat(2, ${chart_w}px); gap: 16px 20px; }
.caption { font-size: 13px; color: var(--muted); margin: 2px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td {
  text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
}
th {
  font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  background: var(--soft);
}
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.ev-failed td:first-child { box-shadow: inset 4px 0 var(--failed); }
tr.ev-degraded td:first-child { box-shadow: inset 4px 0 var(--degraded); }
tr.ev-recovering td:first-child { box-shadow: inset 4px 0 var(--recovering); }
tr.ev-throttled td:first-child { box-shadow: inset 4px 0 var(--throttled); }
tr.ev-shock td, tr.ev-slo_breach td { font-weight: 600; }
.better { color: var(--good); font-weight: 700; } .worse { color: var(--bad); font-weight: 700; }
.same { color: var(--muted); }
.warning {
  border-left: 5px solid var(--bad); background: #fdf1ea; padding: 8px 12px; font-weight: 600;
}
.scroll { max-height: 480px; overflow: auto; border: 1px solid var(--line); }
pre.scenario { background: var(--soft); border: 1px solid var(--line); padding: 10px 12px; font-size: 12px;
  line-height: 1.4; max-height: 480px; overflow: auto; white-space: pre; }
a.download { display: inline-block; padding: 6px 14px; background: var(--ink); color: white;
  text-decoration: none;
  font-weight: 600; border-radius: 3px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
footer {
  margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px;
  color: var(--muted);
}
footer table { font-size: 12px; width: auto; }
footer td, footer th { border: 0; padding: 1px 12px 1px 0; background: none; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
@page { size: A4 portrait; margin: 12mm 10mm; }
@media print {
  html { zoom: 0.62; }
  body { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  .topbar { display: none; }
  .noprint, .modebar-container { display: none !important; }
  main { display: flex; flex-direction: column; }
  /* page one is the one-page review (the figures, then the network or the before/after curves);
     the detail follows */
  header.review-header { order: 0; } #summary { order: 1; } main > section, main > footer { order: 6; }
  body.review #network { order: 2; } body.review #charts { order: 3; break-before: page; }
  body.review #drilled { order: 4; } body.review #fix { order: 5; }
  #weak-points { break-before: page; }
  body.compare #charts { order: 2; } body.compare #drilled { order: 3; }
  body.compare #network { order: 4; break-before: page; }
  #network h2, #charts h2 { margin-top: 12px; }
  #charts .grid2 .figure { zoom: 0.9; }
  .card, tr, .figure, li, .grid2, dl.facts { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  #events, #metrics, #reproduce { break-before: page; }
  .scroll, pre.scenario { max-height: none; overflow: visible; border: 0; }
  pre.scenario {
    white-space: pre-wrap; word-break: break-all; column-count: 2; column-gap: 24px;
    font-size: 11px;
  }
  a { color: inherit; text-decoration: none; }
  pre.scenario.long, tr.late { display: none; }
  .print-only { display: block; }
}
.print-only { display: none; }
"""
).substitute(
    ok=STATUS_COLOURS["ok"],
    degraded=STATUS_COLOURS["degraded"],
    failed=STATUS_COLOURS["failed"],
    recovering=STATUS_COLOURS["recovering"],
    throttled=STATUS_COLOURS["throttled"],
    graceful=VERDICT_COLOURS["graceful"],
    degraded_v=VERDICT_COLOURS["degraded"],
    cascade=VERDICT_COLOURS["cascade"],
    chart_w=CHART_WIDTH,
)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _badge(verdict: str, note: str) -> str:
    return (
        f'<div class="badge"><div class="verdict {esc(verdict)}" data-verdict="{esc(verdict)}">'
        f"{esc(verdict.upper())}"
        f'</div><div class="note">{esc(note)}</div></div>'
    )


def _hypothesis_note(m: dict) -> str:
    return hypothesis_text(m)


def _meta(prov: dict) -> str:
    when = prov["generated"].replace("T", " ").replace("Z", " UTC")
    return (
        f'<div class="meta">Generated {esc(when)} · augur {esc(prov["augur"])} · seed {esc(prov["seed"])} · '
        f"{esc(prov['steps'])} {esc(prov['step_unit'])}s · graph sha256 "
        f'<code title="{esc(prov["graph_hash"])}">{esc(prov["graph_hash"][:16])}</code> '
        f"({prov['graph_nodes']:,} nodes, {prov['graph_edges']:,} links)</div>"
    )


def _pair_meta(pa: dict, pb: dict) -> str:
    when = pa["generated"].replace("T", " ").replace("Z", " UTC")
    return (
        f'<div class="meta">Generated {esc(when)} · augur {esc(pb["augur"])} · seeds {esc(pa["seed"])} / '
        f"{esc(pb['seed'])} · graph sha256 "
        f'<code title="{esc(pa["graph_hash"])}">{esc(pa["graph_hash"][:12])}</code> → '
        f'<code title="{esc(pb["graph_hash"])}">{esc(pb["graph_hash"][:12])}</code></div>'
    )


def _drilled(result: DrillResult, heading: str = "What was drilled") -> str:
    s = result.scenario
    m = result.metrics
    unit = s.step_unit
    description = (
        f"<p>{esc(s.description)}</p>" if s.description else '<p class="meta">No description given.</p>'
    )
    budget = f"{s.token_budget:g}× baseline tokens at peak" if s.token_budget is not None else "none set"
    facts = [
        ("Service level objective", f"{pct_text(s.slo)} of the business processes' demand met, every {unit}"),
        ("Horizon", f"{steps_text(s.steps, unit)} (step 0 is the pre-shock baseline)"),
        ("Token budget", budget),
        ("Expected verdict", s.hypothesis or "none stated"),
        (
            "Scenario file",
            display_source(s.source)
            or "none read: the design on screen or in code; its exact scenario is below",
        ),
        ("Graph", f"{m['nodes']:,} nodes, {result.graph.number_of_edges():,} supply links"),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    shocks = shock_sentences(s, result.graph)
    if shocks:
        items = "".join(
            f"<li><strong>{esc(x['when'])}</strong>: {esc(x['what'])} "
            f'<span class="meta">({esc(x["technical"])})'
            "</span></li>"
            for x in shocks
        )
        shock_list = f'<h3>The shocks</h3><ol class="shocks">{items}</ol>'
    else:
        shock_list = '<h3>The shocks</h3><p class="meta">None: a baseline drill.</p>'
    return (
        f'<section id="drilled"><h2>{esc(heading)}</h2>{description}<dl class="facts">{rows}</dl>'
        f"{shock_list}</section>"
    )


def _document(title: str, body: str, *, kind: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="augur"><title>{esc(title)}</title><style>{CSS}</style>'
        f'<script type="text/javascript">{_plotly_js()}</script></head>'
        f'<body class="{kind}"><div class="topbar"></div><main>{body}</main></body></html>\n'
    )


def _charts(result: DrillResult, step: int, prefix: str, filename: str) -> str:
    """The four time series, each with its legend below the plot (never over the shock bands); the
    tokens chart is the pack's own (:func:`augur.figures.pack_tokens_figure`)."""
    figures = (
        ("service", service_level_figure(result, step)),
        ("tokens", pack_tokens_figure(result, step)),
        ("quality", pack_chart(quality_figure(result, step), result)),
        ("ci", pack_chart(ci_figure(result, step), result)),
    )
    divs = []
    for key, fig in figures:
        sized_for_page(fig, CHART_WIDTH, CHART_HEIGHT)
        divs.append(
            figure_div(
                fig,
                f"{prefix}chart-{key}",
                width=fig.layout.width,
                height=fig.layout.height,
                filename=f"{filename}-{key}",
            )
        )
    return "".join(divs)


def review_page(result: DrillResult, *, prov: dict | None = None, weak_points=None) -> str:
    """The whole single-drill review as an HTML string (see :func:`augur.report.review_html`); with
    ``weak_points`` (:class:`augur.report.weak_points.WeakPoints`) its weak-points section after the
    fixes, and the sweeps' figures in the page's JSON."""
    prov = prov or provenance(result)
    m = result.metrics
    step = worst_step(result)
    filename = scenario_filename(result)
    header = (
        '<header class="review-header"><div><div class="eyebrow">Resilience review · augur drill</div>'
        f"<h1>{esc(result.scenario.name)}</h1>{_meta(prov)}</div>"
        f'<div class="badges">{_badge(m["verdict"], _hypothesis_note(m))}</div></header>'
    )
    shocks = shock_sentences(result.scenario, result.graph)
    shock_line = "; ".join(x["text"] for x in shocks[:4]) or "none (a baseline drill)"
    if len(shocks) > 4:
        shock_line += f"; and {len(shocks) - 4} more"
    finding = key_finding(result)
    key = f'<p class="keyfinding">{esc(finding)} <a href="#fix">Details below.</a></p>' if finding else ""
    summary = (
        f'<section id="summary"><p class="sentence">{esc(verdict_sentence(result))}</p>'
        f"{cards_html(kpi_cards(result.metrics))}"
        f'<p class="shockline"><strong>Shocks:</strong> {esc(shock_line)}</p>{key}</section>'
    )
    network = network_figure(result, step, title=" ")
    network_html = (
        f'<section id="network"><h2>The network at {esc(drawn_step_text(result, step))}</h2>'
        '<p class="caption">Colour: each node\'s status then; shape: its kind; a dark ring: under a shock; '
        "arrows: who supplies whom, "
        "vermilion where the supplier was down. Hover a node for its figures.</p>"
        + figure_div(
            network,
            "network-figure",
            width=NETWORK_WIDTH,
            height=NETWORK_HEIGHT,
            filename=f"{filename}-network",
        )
        + "</section>"
    )
    charts = (
        '<section id="charts"><h2>Over time</h2><p class="caption">Shaded: when shocks were active. '
        "Vertical "
        f"line: {esc(drawn_step_note(result, step))}. Tokens and confidence intervals as multiples of their "
        f'baseline.</p><div class="grid2">{_charts(result, step, "", filename)}</div></section>'
    )
    payload = {"kind": "review", "provenance": prov, "metrics": m, "worst_step": step}
    weak = ""
    if weak_points is not None:
        weak = weak_points_section(weak_points, result, filename)
        payload["weak_points"] = weak_points.to_dict()
    body = "".join(
        (
            header,
            summary,
            _drilled(result),
            network_html,
            charts,
            fix_section(result),
            weak,
            events_section(result),
            metrics_section(result),
            reproduce_section(result, prov),
            provenance_footer([("", prov)]),
            json_block(payload),
        )
    )
    return _document(f"Resilience review: {result.scenario.name}", body, kind="review")


def compare_page(before: DrillResult, after: DrillResult, *, provs: tuple[dict, dict] | None = None) -> str:
    """Two drills side by side as an HTML string (see :func:`augur.report.compare_html`)."""
    pa, pb = provs or (provenance(before), provenance(after))
    facts = compare_facts(before, after)
    ma, mb = before.metrics, after.metrics
    step = worst_step(before)
    unit = before.scenario.step_unit
    fa, fb = scenario_filename(before), scenario_filename(after)
    header = (
        '<header class="review-header"><div><div class="eyebrow">Resilience review · before and after</div>'
        f'<h1 class="pair">Before: {esc(before.scenario.name)}'
        f'<span class="sub">After: {esc(after.scenario.name)}</span></h1>'
        f"{_pair_meta(pa, pb)}</div>"
        f'<div class="badges">{_badge(ma["verdict"], "before · " + _hypothesis_note(ma))}'
        '<div class="arrow">→</div>'
        f"{_badge(mb['verdict'], 'after · ' + _hypothesis_note(mb))}</div></header>"
    )
    rows = "".join(
        f'<tr data-key="{esc(r["key"])}" data-direction="{esc(r["direction"])}"><td>{esc(r["label"])}</td>'
        f'<td class="num">{esc(r["before"])}</td><td class="num">{esc(r["after"])}</td>'
        f'<td class="num">{esc(r["delta"])}</td>'
        f'<td class="{esc(r["direction"])}">{esc(r["mark"])}</td>'
        f'<td class="meta">{esc(r["better_when"])} is better</td></tr>'
        for r in facts["rows"]
    )
    summary = (
        '<section id="summary"><p class="sentence">'
        f'<span class="overall" data-overall="{esc(facts["overall"])}">'
        f"{esc(facts['sentence'])}</span></p>"
        '<table class="deltas"><thead><tr><th>figure</th><th>before</th><th>after</th><th>change</th>'
        "<th></th>"
        f"<th></th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
    if facts["same_shocks"]:
        shocks = "".join(
            f"<li><strong>{esc(x['when'])}</strong>: {esc(x['what'])}</li>" for x in facts["shocks_before"]
        )
        shock_html = f'<h3>The shocks (the same in both drills)</h3><ol class="shocks">{shocks}</ol>'
    else:
        lists = []
        for label, items in (("Before", facts["shocks_before"]), ("After", facts["shocks_after"])):
            lis = (
                "".join(f"<li><strong>{esc(x['when'])}</strong>: {esc(x['what'])}</li>" for x in items)
                or "<li>none</li>"
            )
            lists.append(f'<div><h3>{label}</h3><ol class="shocks">{lis}</ol></div>')
        if facts["same_graph"] and not facts["settings"]:
            mix = "only the shocks differ, so the change in the figures is the change of disruption"
        else:
            mix = "the comparison mixes a change of graph or settings with a change of disruption"
        shock_html = (
            '<p class="warning" id="shocks-differ">The two drills do not put the same shocks on their '
            f"graphs: {mix}.</p>"
            f'<div class="side">{"".join(lists)}</div>'
        )
    changes = facts["graph_changes"] + facts["settings"]
    change_html = (
        "<ul>" + "".join(f"<li>{esc(c)}</li>" for c in changes) + "</ul>"
        if changes
        else '<p class="meta">Nothing: the same graph and settings.</p>'
    )
    drilled = (
        f'<section id="drilled"><h2>What was drilled, and what changed</h2>{shock_html}'
        f'<h3>What changed between the two</h3><div id="changes">{change_html}</div></section>'
    )
    service = compare_service_figure(before, after)
    overlays = [
        figure_div(
            service, "compare-service", width=NETWORK_WIDTH, height=360, filename=f"{fa}-vs-{fb}-service"
        )
    ]
    has_ai = any(d["kind"] == "ai_service" for r in (before, after) for _, d in r.graph.nodes(data=True))
    if has_ai:
        tokens = compare_tokens_figure(before, after)
        overlays.append(
            figure_div(
                tokens, "compare-tokens", width=NETWORK_WIDTH, height=300, filename=f"{fa}-vs-{fb}-tokens"
            )
        )
    curves = (
        '<section id="charts"><h2>Service level, before and after</h2><p class="caption">'
        "Dashed reddish purple: "
        "before; solid blue: after; dotted: the SLO; shaded: the shocks.</p>"
        + "".join(overlays)
        + "</section>"
    )
    nets = []
    for result, label, key in ((before, "Before", "before"), (after, "After", "after")):
        at = min(step, result.trajectory.steps - 1)
        fig = network_figure(
            result,
            at,
            title=f"{label}: {result.metrics['verdict']}, service level {result.service_level[at]:.0%}",
        )
        nets.append(
            figure_div(
                fig,
                f"network-{key}",
                width=NETWORK_WIDTH,
                height=440,
                filename=f"{scenario_filename(result)}-net",
            )
        )
    networks = (
        f'<section id="network"><h2>Both networks at {esc(unit)} {step}, the before drill\'s worst step</h2>'
        + "".join(nets)
        + "</section>"
    )
    details = []
    for result, prov, label, key in ((before, pa, "Before", "before"), (after, pb, "After", "after")):
        details.append(
            f'<section id="{key}-detail"><h2>{label} in detail: {esc(result.scenario.name)}</h2>'
            f'<p class="sentence">{esc(verdict_sentence(result))}</p>'
            f"{cards_html(kpi_cards(result.metrics))}</section>"
            + fix_section(result, f"{label}: what the model shows").replace('id="fix"', f'id="{key}-fix"', 1)
            + events_section(result, f"{label}: event log", f"{key}-events")
            + metrics_section(result, f"{label}: all metrics", f"{key}-metrics")
            + reproduce_section(
                result, prov, element_id=f"scenario-file-{key}", heading=f"{label}: reproduce this drill"
            ).replace('id="reproduce"', f'id="{key}-reproduce"', 1)
        )
    payload = {
        "kind": "compare",
        "overall": facts["overall"],
        "rows": facts["rows"],
        "same_shocks": facts["same_shocks"],
        "before": {"provenance": pa, "metrics": ma},
        "after": {"provenance": pb, "metrics": mb},
    }
    body = "".join(
        (
            header,
            summary,
            drilled,
            curves,
            networks,
            *details,
            provenance_footer([("before", pa), ("after", pb)]),
            json_block(payload),
        )
    )
    return _document(
        f"Before and after: {before.scenario.name} → {after.scenario.name}", body, kind="compare"
    )
