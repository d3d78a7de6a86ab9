"""The review pack as one self-contained HTML page: plotly.js inlined once, no CDN, no web fonts, no
external images, so it opens offline, attaches to an email and prints cleanly.

The page carries what produced it twice: for people in the header and footer, and for tools as JSON in
``<script type="application/json" id="augur-pack">`` (provenance and metrics). The exact scenario file,
with the graph inline, is in ``<pre id="scenario-file">`` and behind a download link, so the drill
re-runs with ``augur run`` from the page alone.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from functools import lru_cache
from string import Template

import plotly.graph_objects as go

from augur.analysis import worst_step
from augur.drill import DrillResult
from augur.figures import (
    KIND_LABELS,
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
from augur.io._common import json_text
from augur.provenance import display_source, provenance, scenario_text
from augur.text import (
    kpi_cards,
    metric_rows,
    node_name,
    pct_text,
    shock_sentences,
    steps_text,
    verdict_sentence,
)
from augur.text.compare import compare_facts
from augur.text.review import findings, key_finding

__all__ = ["EVENT_LIMIT", "compare_page", "review_page", "scenario_filename"]

EVENT_LIMIT = 3000  # event-log rows in the page; the full log is in `augur run --out`
PRINT_EVENTS = 300  # event-log rows printed
PRINT_SCENARIO_LINES = 600  # a longer scenario file is left out of print (it stays in the page)
CHART_WIDTH, CHART_HEIGHT = 540, 290
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


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def scenario_filename(result: DrillResult) -> str:
    """A file name for the drill's scenario: the source file's stem, else the name as a slug."""
    source = result.scenario.source
    if source:
        stem = re.sub(r"\.(ya?ml|json)$", "", source.replace("\\", "/").rsplit("/", 1)[-1], flags=re.I)
    else:
        stem = result.scenario.name
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return (slug or "drill")[:80]


def _figure_div(fig: go.Figure, div_id: str, *, width: int, height: int, filename: str) -> str:
    fig.update_layout(width=width, height=height, autosize=False)
    config = {
        **PLOT_CONFIG,
        "toImageButtonOptions": {**PLOT_CONFIG["toImageButtonOptions"], "filename": filename},
    }
    inner = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config)
    return f'<div class="figure">{inner}</div>'


def _cards(cards: Sequence[dict]) -> str:
    items = "".join(
        f'<div class="card {esc(c["tone"])}" data-kpi="{esc(c["key"])}">'
        f'<div class="label">{esc(c["label"])}</div>'
        f'<div class="value">{esc(c["value"])}</div><div class="note">{esc(c["note"])}</div></div>'
        for c in cards
    )
    return f'<div class="cards">{items}</div>'


def _badge(verdict: str, note: str) -> str:
    return (
        f'<div class="badge"><div class="verdict {esc(verdict)}" data-verdict="{esc(verdict)}">'
        f"{esc(verdict.upper())}"
        f'</div><div class="note">{esc(note)}</div></div>'
    )


def _hypothesis_note(m: dict) -> str:
    held = m["hypothesis_held"]
    if held is None:
        return "no hypothesis stated"
    return f"hypothesis {m['hypothesis']}: {'held' if held else 'NOT held'}"


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


def _fix(result: DrillResult, heading: str = "What would fix it") -> str:
    f = findings(result)
    unit = result.scenario.step_unit
    parts = [f'<section id="fix"><h2>{esc(heading)}</h2>']
    # a missed hypothesis leads the headline; the warning style marks it
    warning = ' class="warning"' if result.metrics["hypothesis_held"] is False else ""
    parts.append(f"<p{warning}>{esc(f['headline'])}</p>")
    if f["items"]:
        items = []
        for item in f["items"]:
            details = "".join(
                f'<li class="{"model-check" if d.startswith("Model check") else ""}">{esc(d)}</li>'
                for d in item["details"]
            )
            items.append(f"<li><strong>{esc(item['title'])}</strong><ul>{details}</ul></li>")
        parts.append(f'<ul class="findings">{"".join(items)}</ul>')
    if f["held"]:
        held = "".join(f"<li>{esc(h)}</li>" for h in f["held"])
        parts.append(f'<h3>What held, and how close it came</h3><ul class="findings">{held}</ul>')
    if f["weak_points"]:
        rows = "".join(
            f"<tr><td>{esc(r['name'])}</td><td>{esc(KIND_LABELS.get(r['kind'], r['kind']))}</td>"
            f"<td>{esc(r['verdict'])}</td>"
            f'<td class="num">{esc(pct_text(r["service_level_min"]))}</td>'
            f'<td class="num">{esc(steps_text(round(r["resilience_loss"], 1), unit))}</td>'
            f'<td class="num">{r["secondary_failures"]}</td></tr>'
            for r in f["weak_points"]
        )
        outage = f["outage"]
        parts.append(
            "<h3>Weak points: the single failures that hurt most</h3>"
            f'<p class="caption" id="weak-points-outage">{esc(outage[0].upper() + outage[1:])}, with this '
            f"drill's horizon and SLO; worst first, from a sweep of {esc(f['scope'])} "
            "(<code>augur sweep</code> runs the same outage on the whole graph).</p>"
            "<table><thead><tr><th>node failed alone</th><th>kind</th><th>verdict</th><th>lowest service</th>"
            f"<th>service lost</th><th>secondary failures</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append(
        '<p class="caption">Derived from this drill\'s record and re-runs of the model; a model check '
        "changes "
        "one attribute and reports what the model then shows, not what a change would cost. Prove a fix with "
        "a before/after pack: <code>augur report BEFORE.yaml AFTER.yaml</code>.</p></section>"
    )
    return "".join(parts)


def _event_node(G, node) -> str:
    """The event log's node cell: the node's name, with its id on hover where the two differ (the id
    is what the scenario file and ``augur run --out`` use)."""
    if node is None:
        return "<td></td>"
    name = node_name(G, node)
    title = f' title="{esc(node)}"' if name != str(node) else ""
    return f"<td{title}>{esc(name)}</td>"


def _events(result: DrillResult, heading: str = "Event log", section_id: str = "events") -> str:
    events = result.events
    shown = events[:EVENT_LIMIT]
    G = result.graph
    rows = "".join(
        f'<tr class="ev-{esc(e.kind)}{" late" if i >= PRINT_EVENTS else ""}"><td class="num">{e.t}</td>'
        f"<td>{esc(e.kind)}</td>{_event_node(G, e.node)}<td>{esc(e.message)}</td></tr>"
        for i, e in enumerate(shown)
    )
    note = (
        f'<p class="caption">The first {len(shown):,} of {len(events):,} events; '
        "<code>augur run SCENARIO --out DIR</code> writes all of them.</p>"
        if len(shown) < len(events)
        else f'<p class="caption">{len(events):,} events, in order: shocks, then nodes, then the service '
        "level.</p>"
    )
    if len(shown) > PRINT_EVENTS:
        note += (
            f'<p class="print-only">Printed: the first {PRINT_EVENTS:,} events; the HTML pack lists '
            f"{len(shown):,}.</p>"
        )
    unit = result.scenario.step_unit
    return (
        f'<section id="{esc(section_id)}"><h2>{esc(heading)}</h2>{note}'
        '<div class="scroll"><table class="events">'
        f"<thead><tr><th>{esc(unit)}</th><th>kind</th><th>node</th><th>what happened</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>"
    )


def _metrics(result: DrillResult, heading: str = "All metrics", section_id: str = "metrics") -> str:
    rows = "".join(
        f'<tr data-key="{esc(k)}"><td><code>{esc(k)}</code></td><td>{esc(v)}</td><td>{esc(meaning)}</td></tr>'
        for k, v, meaning in metric_rows(result)
    )
    return (
        f'<section id="{esc(section_id)}"><h2>{esc(heading)}</h2><p class="caption">The keys '
        "<code>augur run SCENARIO --json</code> prints, with their values in words and the drill's "
        "step unit; the exact values are in this page's JSON (<code>#augur-pack</code>).</p>"
        '<table class="metrics"><thead><tr><th>key</th>'
        f"<th>value</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _reproduce(
    result: DrillResult,
    prov: dict,
    *,
    element_id: str = "scenario-file",
    heading: str = "Reproduce this drill",
) -> str:
    text = scenario_text(result)
    name = f"{scenario_filename(result)}.yaml"
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    lines = text.count("\n")
    long, note = "", ""
    if lines > PRINT_SCENARIO_LINES:  # pages of YAML help no one on paper; the file is in the HTML pack
        long = " long"
        note = (
            f'<p class="print-only">The scenario file has {lines:,} lines and is not printed: it is embedded '
            "in the HTML pack, with the sha256 above.</p>"
        )
    return (
        f'<section id="reproduce" class="reproduce"><h2>{esc(heading)}</h2>'
        f"<p>The exact scenario, with its graph inline: save it and run <code>augur run {esc(name)}</code> "
        f"(or <code>augur report {esc(name)}</code> for this pack again). Its sha256 is "
        f"<code>{esc(prov['scenario_sha256'])}</code>; the graph's content hash is "
        f"<code>{esc(prov['graph_hash'])}</code>.</p>"
        f'<p><a class="download" id="{esc(element_id)}-download" download="{esc(name)}" '
        f'href="data:application/yaml;charset=utf-8;base64,{data}">Download {esc(name)}</a></p>'
        f'<pre class="scenario{long}" id="{esc(element_id)}" data-filename="{esc(name)}">{esc(text)}</pre>'
        f"{note}</section>"
    )


def _provenance_table(provs: Sequence[tuple[str, dict]]) -> str:
    keys = (
        ("augur", "augur version"),
        ("scenario", "scenario"),
        ("scenario_file", "scenario file"),
        ("seed", "seed"),
        ("steps", "horizon (steps)"),
        ("graph_hash", "graph sha256"),
        ("scenario_sha256", "scenario sha256"),
        ("generated", "generated (UTC)"),
    )
    head = "".join(f"<th>{esc(label)}</th>" for label, _ in provs) if len(provs) > 1 else ""
    rows = "".join(
        f"<tr><td>{esc(label)}</td>"
        + "".join(f"<td><code>{esc(p[key] if p[key] is not None else '-')}</code></td>" for _, p in provs)
        + "</tr>"
        for key, label in keys
    )
    header = f"<thead><tr><th></th>{head}</tr></thead>" if head else ""
    return (
        f"<footer><strong>What produced this pack</strong><table>{header}<tbody>{rows}</tbody></table>"
        "</footer>"
    )


def _json_block(payload: dict) -> str:
    # no raw < > & inside the script element: a name holding "</script>" or "<!--" stays data
    text = (
        json_text(payload, indent=1)  # strict JSON: a non-finite figure is null, not NaN
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return f'<script type="application/json" id="augur-pack">{text}</script>'


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
            _figure_div(
                fig,
                f"{prefix}chart-{key}",
                width=fig.layout.width,
                height=fig.layout.height,
                filename=f"{filename}-{key}",
            )
        )
    return "".join(divs)


def review_page(result: DrillResult, *, prov: dict | None = None) -> str:
    """The whole single-drill review as an HTML string (see :func:`augur.report.review_html`)."""
    prov = prov or provenance(result)
    m = result.metrics
    step = worst_step(result)
    unit = result.scenario.step_unit
    filename = scenario_filename(result)
    header = (
        '<header class="review-header"><div><div class="eyebrow">Resilience review · augur drill</div>'
        f"<h1>{esc(result.scenario.name)}</h1>{_meta(prov)}</div>"
        f'<div class="badges">{_badge(m["verdict"], _hypothesis_note(m))}</div></header>'
    )
    shocks = shock_sentences(result.scenario, result.graph)
    shock_line = "; ".join(f"{x['when']}: {x['what']}" for x in shocks[:4]) or "none (a baseline drill)"
    if len(shocks) > 4:
        shock_line += f"; and {len(shocks) - 4} more"
    finding = key_finding(result)
    key = f'<p class="keyfinding">{esc(finding)} <a href="#fix">Details below.</a></p>' if finding else ""
    summary = (
        f'<section id="summary"><p class="sentence">{esc(verdict_sentence(result))}</p>'
        f"{_cards(kpi_cards(result.metrics))}"
        f'<p class="shockline"><strong>Shocks:</strong> {esc(shock_line)}</p>{key}</section>'
    )
    network = network_figure(result, step, title=" ")
    network_html = (
        f'<section id="network"><h2>The network at {esc(unit)} {step}, the worst step</h2>'
        f'<p class="caption">Service level {result.service_level[step]:.0%} at {esc(unit)} {step}, the '
        "lowest of the drill. Colour: each node's status then; shape: its kind; a dark ring: under a shock; "
        "arrows: who supplies whom, "
        "vermilion where the supplier was down. Hover a node for its figures.</p>"
        + _figure_div(
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
        f"line: {esc(unit)} {step}, the worst step. Tokens and confidence intervals as multiples of their "
        f'baseline.</p><div class="grid2">{_charts(result, step, "", filename)}</div></section>'
    )
    payload = {"kind": "review", "provenance": prov, "metrics": m, "worst_step": step}
    body = "".join(
        (
            header,
            summary,
            _drilled(result),
            network_html,
            charts,
            _fix(result),
            _events(result),
            _metrics(result),
            _reproduce(result, prov),
            _provenance_table([("", prov)]),
            _json_block(payload),
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
    marks = {"better": "▲ better", "worse": "▼ worse", "same": "= same", "n/a": ""}
    rows = "".join(
        f'<tr data-key="{esc(r["key"])}" data-direction="{esc(r["direction"])}"><td>{esc(r["label"])}</td>'
        f'<td class="num">{esc(r["before"])}</td><td class="num">{esc(r["after"])}</td>'
        f'<td class="num">{esc(r["delta"])}</td>'
        f'<td class="{esc(r["direction"])}">{esc(marks[r["direction"]])}</td>'
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
        _figure_div(
            service, "compare-service", width=NETWORK_WIDTH, height=360, filename=f"{fa}-vs-{fb}-service"
        )
    ]
    has_ai = any(d["kind"] == "ai_service" for r in (before, after) for _, d in r.graph.nodes(data=True))
    if has_ai:
        tokens = compare_tokens_figure(before, after)
        overlays.append(
            _figure_div(
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
            _figure_div(
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
            f"{_cards(kpi_cards(result.metrics))}</section>"
            + _fix(result, f"{label}: what the model shows").replace('id="fix"', f'id="{key}-fix"', 1)
            + _events(result, f"{label}: event log", f"{key}-events")
            + _metrics(result, f"{label}: all metrics", f"{key}-metrics")
            + _reproduce(
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
            _provenance_table([("before", pa), ("after", pb)]),
            _json_block(payload),
        )
    )
    return _document(
        f"Before and after: {before.scenario.name} → {after.scenario.name}", body, kind="compare"
    )
