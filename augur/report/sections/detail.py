"""The review page's detail sections, the same for one drill and for each side of a pair: what would fix
it (the findings, the weak points around the shocks), the event log, every metric, the scenario file to
reproduce the drill, and what produced the pack (for people in the footer, for tools as JSON)."""

from __future__ import annotations

import base64
from collections.abc import Sequence

from augur.drill import DrillResult
from augur.figures import KIND_LABELS
from augur.io._common import json_text
from augur.provenance import scenario_text
from augur.report.sections.common import esc, scenario_filename
from augur.text import hypothesis_outcome, metric_rows, node_name, pct_text, steps_text
from augur.text.review import findings

__all__ = [
    "EVENT_LIMIT",
    "PRINT_EVENTS",
    "PRINT_SCENARIO_LINES",
    "event_node",
    "events_section",
    "fix_section",
    "json_block",
    "metrics_section",
    "provenance_footer",
    "reproduce_section",
]

EVENT_LIMIT = 3000  # event-log rows in the page; the full log is in `augur run --out`
PRINT_EVENTS = 300  # event-log rows printed
PRINT_SCENARIO_LINES = 600  # a longer scenario file is left out of print (it stays in the page)


def fix_section(result: DrillResult, heading: str = "What would fix it") -> str:
    f = findings(result)
    unit = result.scenario.step_unit
    parts = [f'<section id="fix"><h2>{esc(heading)}</h2>']
    # a missed hypothesis leads the headline; the warning style marks it
    warning = ' class="warning"' if hypothesis_outcome(result.metrics) == "worse" else ""
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


def event_node(G, node) -> str:
    """The event log's node cell: the node's name, with its id on hover where the two differ (the id
    is what the scenario file and ``augur run --out`` use)."""
    if node is None:
        return "<td></td>"
    name = node_name(G, node)
    title = f' title="{esc(node)}"' if name != str(node) else ""
    return f"<td{title}>{esc(name)}</td>"


def events_section(result: DrillResult, heading: str = "Event log", section_id: str = "events") -> str:
    events = result.events
    shown = events[:EVENT_LIMIT]
    G = result.graph
    rows = "".join(
        f'<tr class="ev-{esc(e.kind)}{" late" if i >= PRINT_EVENTS else ""}"><td class="num">{e.t}</td>'
        f"<td>{esc(e.kind)}</td>{event_node(G, e.node)}<td>{esc(e.message)}</td></tr>"
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


def metrics_section(result: DrillResult, heading: str = "All metrics", section_id: str = "metrics") -> str:
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


def reproduce_section(
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


def provenance_footer(provs: Sequence[tuple[str, dict]]) -> str:
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


def json_block(payload: dict) -> str:
    # no raw < > & inside the script element: a name holding "</script>" or "<!--" stays data
    text = (
        # strict JSON: a non-finite figure is null, not NaN; the record is kept as computed
        json_text(payload, rounded=False, indent=1)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return f'<script type="application/json" id="augur-pack">{text}</script>'
