"""The one screen: header, control panel, network, timeline, KPI cards, charts and the event log.

Builders of the parts that callbacks re-render (KPI cards, verdict badge, shock list, legend) live here
too, so the first page and every update draw them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import dash_cytoscape as cyto
from dash import dash_table, dcc, html

from augur.app import ids
from augur.app.compare import compare_overlay
from augur.app.design import graph_meta
from augur.figures import empty_figure
from augur.metrics import METRIC_MEANINGS
from augur.report.facts import cost_text
from augur.scenario import SHOCK_KINDS
from augur.style import (
    FONT,
    HALO,
    INK,
    KIND_LABELS,
    KIND_SHAPES,
    NOT_RUN,
    QUALITY_COLOURS,
    SHARE_FAILED_COLOURS,
    STATUS_COLOURS,
)

__all__ = [
    "STEP_UNITS",
    "build_layout",
    "graph_summary",
    "horizon_marks",
    "kpi_cards",
    "legend",
    "shock_list",
    "slider_marks",
    "step_unit_options",
    "subtitle",
    "verdict_badge",
]

SHOCK_KIND_LABELS = {
    "vendor_failure": "Vendor failure",
    "logistics_bottleneck": "Logistics bottleneck",
    "demand_spike": "Demand spike",
    "data_quality_drop": "Data-quality drop",
    "rate_limit_cut": "Rate-limit cut",
}
# The mode bar (on hover) keeps zoom, pan and "Download plot as a PNG"; assets/augur.js names each
# chart's file after the drill on screen (toImageButtonOptions.filename). plotly.js 3's "Share chart"
# uploads the chart's data to Plotly Cloud: a drill's supply graph stays on the user's machine.
CHART_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "augur-chart"},
}
CHART_TITLES = {
    ids.CHART_SERVICE: "Service level vs SLO",
    ids.CHART_TOKENS: "Tokens vs baseline",
    ids.CHART_QUALITY: "Data quality",
    ids.CHART_CI: "Confidence-interval width",
}
UPLOAD_HINT = "JSON, YAML, GraphML, Excel, a nodes + edges CSV pair, or a scenario file with its graph"


# ---------------------------------------------------------------------------------------------- parts


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def subtitle(scenario: Mapping | None, graph: Mapping | None) -> str:
    """The header's second line: seed, horizon, SLO and the graph."""
    if not scenario:
        return "Load a drill or upload a supply graph to begin"
    unit = scenario.get("step_unit", "hour")
    bits = [
        f"seed {scenario.get('seed', 0)}",
        _plural(int(scenario.get("steps", 96)), unit),
        f"SLO {scenario.get('slo', 0.9):.0%}",
    ]
    if graph:
        bits.append(
            f"{graph.get('name')}: {_plural(graph['nodes'], 'node')}, {_plural(graph['edges'], 'edge')}"
        )
    return " · ".join(bits)


def graph_summary(graph: Mapping | None) -> str:
    if not graph:
        return "No graph loaded."
    return f"{graph.get('name')}: {_plural(graph['nodes'], 'node')}, {_plural(graph['edges'], 'edge')}"


def verdict_badge(metrics: Mapping | None) -> tuple[list, str]:
    """The header badge: the verdict in its colour, and whether the hypothesis held."""
    if not metrics:
        return [html.Span("Not run yet", className="badge-verdict")], "verdict-badge verdict-none"
    verdict = metrics["verdict"]
    children = [html.Span(verdict.upper(), className="badge-verdict")]
    held = metrics.get("hypothesis_held")
    if held is not None:
        text = "hypothesis held" if held else f"expected {metrics['hypothesis']}"
        children.append(html.Span(("✓ " if held else "✗ ") + text, className="badge-hypothesis"))
    return children, f"verdict-badge verdict-{verdict}"


def _steps_text(value, unit: str) -> str:
    return _plural(int(value), unit)


# The metrics each card shows, as (what the card's second line calls it, key): their meanings make the
# card's tooltip, so every term is defined on screen.
KPI_METRICS = {
    "Verdict": (("", "verdict"),),
    "Time to survive": (("", "time_to_survive"),),
    "Time to recover": (("", "time_to_recover"),),
    "Resilience loss": (("", "resilience_loss"),),
    "Peak tokens": (
        ("", "peak_token_multiplier"),
        ("+tokens", "token_overrun"),
        ("cost", "token_overrun_cost"),
    ),
    "Secondary failures": (("", "secondary_failures"), ("depth", "cascade_depth")),
    "CI widening": (("", "ci_widening_peak"),),
}


def _meaning(label: str) -> str:
    lines = []
    for name, key in KPI_METRICS[label]:
        text = METRIC_MEANINGS[key]
        lines.append(f"{name}: {text}" if name else text[0].upper() + text[1:])
    return "\n".join(lines)


def _kpi(label: str, value: str, sub: str = "", *, tone: str = "", kpi_id: str = "") -> html.Div:
    meaning = _meaning(label)
    return html.Div(
        [
            html.Div(label, className="kpi-label"),
            html.Div(value, className="kpi-value"),
            html.Div(sub or "\u00a0", className="kpi-sub"),
        ],
        className=f"kpi {tone}".strip(),
        title=meaning,
        **({"id": kpi_id} if kpi_id else {}),
    )


def _tokens_text(count: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(count) >= size:
            return f"{count / size:.3g}{suffix}"
    return f"{count:.0f}"


def kpi_cards(metrics: Mapping | None) -> list[html.Div]:
    """The verdict and its figures as cards, with the unit of a step ("days") spelled out."""
    if not metrics:
        return [
            _kpi(name, "—", "run the drill" if i == 0 else "", tone="kpi-empty")
            for i, name in enumerate(KPI_METRICS)
        ]
    unit = metrics.get("step_unit", "hour")
    verdict = metrics["verdict"]
    held = metrics.get("hypothesis_held")
    hypothesis = "" if held is None else ("hypothesis held" if held else f"expected {metrics['hypothesis']}")

    tts = metrics["time_to_survive"]
    survive = (
        ("SLO held", "never below SLO") if tts is None else (_steps_text(tts, unit), "first shock to breach")
    )
    ttr = metrics["time_to_recover"]
    if not metrics.get("primary"):  # every shock has a target: no primary node, no shock
        recover = ("—", "no shocks in this drill")
    elif ttr is None:
        recover = ("not yet", "below 99% at the end")
    else:
        recover = (_steps_text(ttr, unit), "after shocks end")
    peak = metrics.get("peak_token_multiplier")
    if peak is None:
        tokens = ("—", "no AI services")
    else:
        overrun = metrics.get("token_overrun") or 0.0
        cost = metrics.get("token_overrun_cost") or 0.0
        sub = f"+{_tokens_text(overrun)}" + (f" · cost {cost_text(cost)}" if cost else " tokens")
        tokens = (f"{peak:.2f}×", sub)
    secondary = metrics["secondary_failures"]
    depth = metrics.get("cascade_depth") or 0
    widening = metrics.get("ci_widening_peak")
    budget = metrics.get("token_budget")
    token_tone = "kpi-bad" if peak is not None and budget is not None and peak > budget else ""
    return [
        _kpi(
            "Verdict",
            verdict.upper(),
            hypothesis,
            tone=f"kpi-verdict kpi-{verdict}",
            kpi_id=f"{ids.KPIS}-verdict",
        ),
        _kpi("Time to survive", *survive, tone="kpi-bad" if tts is not None else ""),
        _kpi("Time to recover", *recover, tone="kpi-bad" if ttr is None else ""),
        _kpi("Resilience loss", f"{metrics['resilience_loss']:.1f}", f"{unit}s of service lost"),
        _kpi("Peak tokens", *tokens, tone=token_tone),
        _kpi(
            "Secondary failures",
            str(len(secondary)),
            f"depth {depth} hop{'s' if depth != 1 else ''}" if secondary else "no knock-on failures",
            tone="kpi-bad" if secondary else "",
        ),
        _kpi("CI widening", "—" if widening is None else f"{widening:.2f}×", "peak vs baseline"),
    ]


def _target_text(target) -> str:
    if isinstance(target, list) and target and isinstance(target[0], list):
        return ", ".join(f"{u} → {v}" for u, v in target)
    if isinstance(target, list) and len(target) == 2 and all(isinstance(x, str) for x in target):
        return f"{target[0]} → {target[1]}"
    return ", ".join(map(str, target)) if isinstance(target, list) else str(target)


def _strength_text(shock: Mapping, unit: str = "step") -> str:
    kind = shock["kind"]
    if kind == "vendor_failure":
        return f"severity {shock.get('severity', 1.0):.0%}"
    if kind == "logistics_bottleneck":
        parts = []
        if "capacity" in shock:
            parts.append(f"capacity {shock['capacity']:.0%}")
        if shock.get("delay"):
            parts.append(f"+{_plural(shock['delay'], unit)}")
        return ", ".join(parts)
    if kind == "demand_spike":
        return f"demand ×{shock.get('multiplier', 2.0):g}"
    if kind == "data_quality_drop":
        return f"quality {shock.get('quality', 0.5):.0%}"
    return f"limit {shock.get('factor', 0.5):.0%}"


def shock_list(scenario: Mapping | None) -> list:
    """The designed shocks, one line each, with a remove button."""
    shocks = (scenario or {}).get("shocks", [])
    if not shocks:
        return [html.Div("No shocks yet: click a node or an edge, then add one.", className="muted small")]
    unit = (scenario or {}).get("step_unit", "hour")
    rows = []
    for i, shock in enumerate(shocks):
        start = shock["start"]
        duration = shock.get("duration")
        # a shock that outlasts the horizon lasts to its end: say that, not "for 500 days" of 120
        lasts = duration and start + duration <= (scenario or {}).get("steps", start + duration)
        window = f"{unit} {start}, " + (f"for {_plural(duration, unit)}" if lasts else "to the end")
        rows.append(
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(
                                SHOCK_KIND_LABELS.get(shock["kind"], shock["kind"]), className="shock-kind"
                            ),
                            html.Span(f" on {_target_text(shock['target'])}", className="shock-target"),
                            html.Div(f"{window} · {_strength_text(shock, unit)}", className="shock-detail"),
                        ],
                        className="shock-text",
                    ),
                    html.Button(
                        "×",
                        id={"type": ids.SHOCK_REMOVE, "index": i},
                        className="shock-remove",
                        title="Remove this shock",
                        n_clicks=0,
                    ),
                ],
                className="shock-row",
                title=shock.get("note") or None,  # the drill author's reason, on hover
            )
        )
    return rows


def _svg(shape: str, fill: str = "#52606d", *, stroke: str = "none") -> str:
    """A small inline SVG of a node shape for the legend."""
    paths = {
        "round-rectangle": '<rect x="2" y="4" width="16" height="12" rx="3"/>',
        "round-tag": '<path d="M2 5 h11 l5 5 l-5 5 h-11 z" stroke-linejoin="round"/>',
        "round-diamond": '<path d="M10 2 l8 8 l-8 8 l-8 -8 z" stroke-linejoin="round"/>',
        "hexagon": '<path d="M5 3 h10 l4 7 l-4 7 h-10 l-4 -7 z"/>',
        "ellipse": '<ellipse cx="10" cy="10" rx="8" ry="7"/>',
        "circle": '<circle cx="10" cy="10" r="6"/>',
        "halo": '<circle cx="10" cy="10" r="9" fill-opacity="0.18"/><circle cx="10" cy="10" r="4.5" '
        f'fill="{NOT_RUN}"/>',
        "ring": '<circle cx="10" cy="10" r="6.5" fill="#ffffff" stroke-width="3"/>',
    }
    body = paths[shape]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20" fill="{fill}" '
        f'stroke="{stroke}">{body}</svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg)


def _line_svg(colour: str, width: float, dash: str = "") -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="22" height="10" viewBox="0 0 22 10">'
        f'<line x1="1" y1="5" x2="21" y2="5" stroke="{colour}" stroke-width="{width}" '
        f'stroke-dasharray="{dash}"/></svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg)


def _key(src: str, text: str, title: str = "") -> html.Span:
    return html.Span([html.Img(src=src, alt=""), text], className="legend-item", title=title or text)


def legend(*, grouped: bool = False) -> list:
    """The network's legend: kinds by shape, status (or share failed) by colour, edges, halo, shocks."""
    kinds = [_key(_svg(KIND_SHAPES[k]), KIND_LABELS[k]) for k in KIND_SHAPES]
    if grouped:
        shares = [
            _key(_svg("circle", colour), label)
            for (_, colour), label in zip(
                reversed(SHARE_FAILED_COLOURS), ("< 10% down", "10–30%", "30–60%", "≥ 60% down")
            )
        ]
        return [html.Div(kinds, className="legend-row"), html.Div(shares, className="legend-row")]
    statuses = [_key(_svg("circle", colour), label) for label, colour in STATUS_COLOURS.items()]
    extras = [
        _key(_line_svg(QUALITY_COLOURS[2], 2.4), "quality < 80%", "edge colour: quality delivered along it"),
        _key(_svg("halo", HALO), "tokens ×", "halo: an AI service's tokens as a multiple of baseline"),
        _key(_svg("ring", stroke=INK), "shocked", "outline: under a shock at this step"),
    ]
    return [
        html.Div(kinds + extras[2:], className="legend-row"),
        html.Div(statuses + extras[:2], className="legend-row"),
    ]


def horizon_marks(scenario: Mapping) -> dict:
    """:func:`slider_marks` for a scenario store; the slider's max is the last mark."""
    return slider_marks(scenario.get("steps", 2), scenario.get("step_unit", "hour"))


def slider_marks(steps: int, unit: str) -> dict:
    """Marks for the timeline: at most about eight round steps, the last labelled with the unit.

    >>> slider_marks(120, "day")
    {0: '0', 20: '20', 40: '40', 60: '60', 80: '80', 100: '100', 119: '119 days'}
    """
    last = max(steps - 1, 1)
    stride = next(s * 10**power for power in range(7) for s in (1, 2, 5) if last / (s * 10**power) <= 8)
    marks = {t: str(t) for t in range(0, last, stride) if last - t > stride * 0.6}
    marks[last] = f"{last} {unit}s" if len(str(last)) < 5 else str(last)
    return marks


# ---------------------------------------------------------------------------------------------- screen


def _field(
    label: str,
    component,
    *,
    width: str = "",
    field_id: str | None = None,
    hidden: bool = False,
    hint: str = "",
):
    kwargs = {"id": field_id} if field_id else {}
    if hint:
        kwargs["title"] = hint
    style = {"display": "none"} if hidden else None
    return html.Label(
        [html.Span(label, className="field-label"), component],
        className=f"field {width}".strip(),
        style=style,
        **kwargs,
    )


STEP_UNITS = ("minute", "hour", "day", "week", "month")


def step_unit_options(current: str | None = None) -> list[dict]:
    """The units a step can stand for; a scenario's own unit ("shift") is offered too.

    >>> [o["value"] for o in step_unit_options("shift")]
    ['minute', 'hour', 'day', 'week', 'month', 'shift']
    """
    units = list(STEP_UNITS) + ([current] if current and current not in STEP_UNITS else [])
    return [{"label": f"1 {unit}", "value": unit} for unit in units]


def _number(component_id: str, value, **kwargs) -> dcc.Input:
    """A number field without the browser's own min, max or step checks: Dash turns a value those
    reject into ``None``, so the callbacks check the numbers and say what was expected instead."""
    return dcc.Input(
        id=component_id, type="number", value=value, step="any", debounce=True, className="input", **kwargs
    )


def _controls(catalogue, scenario: Mapping | None, graph: Mapping | None, message: str) -> html.Aside:
    scenario = scenario or {}
    drills = html.Section(
        [
            html.H2("Drill"),
            dcc.Dropdown(
                id=ids.PICKER,
                options=[{"label": label, "value": name} for name, label in catalogue.entries],
                value=catalogue.default,
                placeholder="Bundled drills…",
                clearable=False,
                searchable=False,
                className="picker",
            ),
            dcc.Upload(
                id=ids.UPLOAD,
                children=html.Div(
                    [
                        html.Strong("Upload a graph or scenario"),
                        html.Div(UPLOAD_HINT, className="small muted"),
                    ]
                ),
                multiple=True,
                max_size=64 * 1024 * 1024,
                className="upload",
            ),
            html.Div(
                message,
                id=ids.UPLOAD_MESSAGE,
                className="message error" if message else "message",
                role="status",
            ),
            html.Div(graph_summary(graph), id=ids.GRAPH_SUMMARY, className="small muted"),
        ],
        className="panel-section",
    )
    shocks = html.Section(
        [
            html.H2("Shocks"),
            _field(
                "Target",
                dcc.Input(
                    id=ids.SHOCK_TARGET,
                    type="text",
                    placeholder="click a node or an edge",
                    debounce=False,
                    className="input",
                ),
            ),
            _field(
                "Kind",
                dcc.Dropdown(
                    id=ids.SHOCK_KIND,
                    options=[{"label": SHOCK_KIND_LABELS[k], "value": k} for k in SHOCK_KINDS],
                    value="vendor_failure",
                    clearable=False,
                    searchable=False,
                    className="dropdown",
                ),
            ),
            html.Div(
                [
                    _field("Start", _number(ids.SHOCK_START, 10), width="half"),
                    _field(
                        "Duration",
                        _number(ids.SHOCK_DURATION, 12, placeholder="to end"),
                        width="half",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    html.Label(
                        [
                            html.Span(
                                "Severity (1 = down)", id=ids.SHOCK_STRENGTH_LABEL, className="field-label"
                            ),
                            _number(ids.SHOCK_STRENGTH, 1.0),
                        ],
                        className="field half",
                    ),
                    _field(
                        "Extra delay",
                        _number(ids.SHOCK_DELAY, 0),
                        width="half",
                        field_id=ids.SHOCK_DELAY_ROW,
                        hidden=True,
                    ),
                ],
                className="row",
            ),
            html.Button("Add shock", id=ids.SHOCK_ADD, className="button secondary", n_clicks=0),
            html.Div(id=ids.SHOCK_MESSAGE, className="message", role="status"),
            html.Div(shock_list(scenario), id=ids.SHOCK_LIST, className="shock-list"),
        ],
        className="panel-section",
    )
    budget = scenario.get("token_budget")
    settings = html.Section(
        [
            html.H2("Settings"),
            _field(
                "Name",
                dcc.Input(
                    id=ids.NAME, type="text", value=scenario.get("name", ""), debounce=True, className="input"
                ),
            ),
            html.Div(
                [
                    _field("Steps", _number(ids.STEPS, scenario.get("steps", 96)), width="half"),
                    _field(
                        "One step is",
                        dcc.Dropdown(
                            id=ids.STEP_UNIT,
                            options=step_unit_options(scenario.get("step_unit")),
                            value=scenario.get("step_unit", "hour"),
                            clearable=False,
                            searchable=False,
                            className="dropdown",
                        ),
                        width="half",
                        hint='What one step stands for in the results ("25 days"). Lead times, buffers '
                        "and recovery are counted in steps, so this changes the words, not the drill.",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    _field(
                        "Seed",
                        _number(ids.SEED, scenario.get("seed", 0)),
                        width="half",
                        hint="Recorded with the drill. A drill itself draws no random numbers; the seed "
                        "drives random-shock sweeps (augur sweep --runs).",
                    ),
                    _field("SLO %", _number(ids.SLO, round(scenario.get("slo", 0.9) * 100, 2)), width="half"),
                ],
                className="row",
            ),
            html.Div(
                [
                    _field(
                        "Token budget ×",
                        _number(ids.TOKEN_BUDGET, budget, placeholder="none"),
                        width="half",
                    ),
                    _field(
                        "Hypothesis",
                        dcc.Dropdown(
                            id=ids.HYPOTHESIS,
                            options=[{"label": v, "value": v} for v in ("graceful", "degraded", "cascade")],
                            value=scenario.get("hypothesis"),
                            placeholder="none",
                            searchable=False,
                            className="dropdown",
                        ),
                        width="half",
                    ),
                ],
                className="row",
            ),
            html.Div(id=ids.SETTINGS_MESSAGE, className="message", role="status"),
        ],
        className="panel-section",
    )
    actions = html.Div(
        [
            html.Div(
                [
                    html.Button("Run drill", id=ids.RUN, className="button primary", n_clicks=0),
                    html.Div(
                        [
                            html.Button(
                                "Export review",
                                id=ids.EXPORT,
                                className="button secondary download",
                                n_clicks=0,
                                title="Download the review pack of the drill on screen, as run: a one-image "
                                "dashboard (PNG) and a self-contained report (HTML), in one zip",
                            ),
                            html.Button(
                                "Scenario file",
                                id=ids.DOWNLOAD_BUTTON,
                                className="button secondary download",
                                n_clicks=0,
                                title="Download the design as a scenario file that `augur run` reproduces",
                            ),
                        ],
                        className="downloads",
                    ),
                    html.Div(
                        [
                            html.Button(
                                "Pin as before",
                                id=ids.PIN,
                                className="button secondary pin",
                                n_clicks=0,
                                title="Keep this run as 'before': change the design, run it, then compare",
                            ),
                            html.Button(
                                "Compare…",
                                id=ids.COMPARE_OPEN,
                                className="button secondary compare",
                                n_clicks=0,
                                title="Set the drill on screen beside another: the pinned run or a bundled "
                                "drill, under the same shocks",
                            ),
                        ],
                        className="downloads",
                    ),
                ],
                className="actions-row",
            ),
            html.Div(id=ids.RUN_MESSAGE, className="message", role="status"),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ],
        className="panel-actions",
    )
    return html.Aside(
        [html.Div([drills, shocks, settings], className="panel-scroll"), actions], className="panel"
    )


def placeholders() -> dict:
    """The blank charts the timeline shows while there are no results: ``charts`` in the order of
    :data:`ids.CHARTS`, and ``node``."""
    return {
        "charts": [
            empty_figure("Run the drill to see this chart", title=CHART_TITLES[chart]).to_plotly_json()
            for chart in ids.CHARTS
        ],
        "node": empty_figure("Click a node in the network to see its story").to_plotly_json(),
    }


def _placeholder(chart_id: str) -> dict:
    blank = placeholders()
    return blank["node"] if chart_id == ids.CHART_NODE else blank["charts"][ids.CHARTS.index(chart_id)]


def _chart(chart_id: str, extra_class: str = "") -> dcc.Graph:
    return dcc.Graph(
        id=chart_id,
        figure=_placeholder(chart_id),
        config=CHART_CONFIG,
        className=f"chart {extra_class}".strip(),
    )


def _network(view: Mapping | None) -> html.Div:
    view = view or {"grouped": False, "note": ""}
    return html.Div(
        [
            html.Div(legend(grouped=view["grouped"]), id=ids.LEGEND, className="legend"),
            html.Div(view["note"], id=ids.NETWORK_NOTE, className="network-note", hidden=not view["note"]),
            # Elements and stylesheet are drawn by assets/augur.js from the network view store, not
            # through the component's properties: see augur/app/network.py.
            cyto.Cytoscape(
                id=ids.NETWORK,
                elements=[],
                stylesheet=[],
                layout={"name": "preset", "fit": True, "padding": 28, "animate": False},
                minZoom=0.05,
                maxZoom=3,
                # one wheel notch zooms about 10% rather than 2.5x (cytoscape's default); cytoscape logs
                # a warning for any value given, the default included, so the console shows it either way
                wheelSensitivity=0.3,
                style={"width": "100%", "height": "100%"},
                className="network",
                responsive=True,
                autoRefreshLayout=False,
            ),
            # what a printed page shows instead of the canvas: the whole graph as drawn, as an image
            html.Img(className="network-print", alt=""),
            html.Div(id=ids.NETWORK_DRAWN, hidden=True),
            html.Div(
                [
                    html.Button(
                        "⤓ PNG",
                        id=ids.NETWORK_PNG,
                        className="network-button",
                        title="Download the network as drawn at this step (the whole graph, PNG)",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Fit",
                        id=ids.FIT,
                        className="network-button",
                        title="Fit the whole graph in view",
                        n_clicks=0,
                    ),
                ],
                className="network-buttons",
            ),
        ],
        className="card network-card",
    )


def _slider(**props) -> dcc.Slider:
    """The timeline's slider, without Dash 4's box for typing a value (the step label says it)."""
    try:
        return dcc.Slider(allow_direct_input=False, **props)
    except TypeError:  # Dash before 4 has no such box
        return dcc.Slider(**props)


def _timeline(scenario: Mapping | None) -> html.Div:
    """Play, the slider over the drill's horizon (disabled until it has run) and the step label."""
    marks = horizon_marks(scenario) if scenario else None
    return html.Div(
        [
            html.Button(
                "▶ Play",
                id=ids.PLAY,
                className="button play",
                n_clicks=0,
                title="Replay the drill",
                disabled=True,
            ),
            html.Div(
                _slider(
                    id=ids.SLIDER,
                    min=0,
                    max=max(marks) if marks else 1,
                    step=1,
                    value=0,
                    updatemode="drag",
                    marks=marks,
                    disabled=True,
                    className="slider",
                ),
                className="slider-wrap",
            ),
            html.Div("Run the drill to replay it step by step", id=ids.STEP_LABEL, className="step-label"),
            dcc.Interval(id=ids.TICKER, interval=160, disabled=True),
        ],
        className="card timeline",
    )


def _detail() -> html.Div:
    events = dash_table.DataTable(
        id=ids.EVENTS,
        columns=[
            {"name": "Step", "id": "t", "type": "numeric"},
            {"name": "What happened", "id": "message"},
        ],
        data=[],
        page_action="none",
        cell_selectable=True,
        style_as_list_view=True,
        style_table={"height": "100%", "overflowY": "auto"},
        style_cell={
            "fontFamily": FONT,
            "fontSize": "12px",
            "padding": "3px 8px",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "border": "none",
            "borderBottom": "1px solid #eef1f4",
            "cursor": "pointer",
        },
        style_cell_conditional=[{"if": {"column_id": "t"}, "width": "44px", "textAlign": "right"}],
        style_header={"fontWeight": "600", "backgroundColor": "#f5f7fa", "borderBottom": "1px solid #d9dee4"},
        style_data_conditional=[],
        css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
    )
    return html.Div(
        dcc.Tabs(
            id=ids.DETAIL_TABS,
            value="events",
            children=[
                dcc.Tab(
                    label="Event log",
                    value="events",
                    children=html.Div(events, className="events-wrap"),
                    className="tab",
                    selected_className="tab-selected",
                ),
                dcc.Tab(
                    id=ids.NODE_TAB,
                    label="Node",
                    value="node",
                    children=_chart(ids.CHART_NODE, "node-chart"),
                    className="tab",
                    selected_className="tab-selected",
                ),
            ],
            className="tabs",
            parent_className="tabs-parent",
            content_className="tabs-content",
        ),
        className="card detail-card",
    )


def build_layout(
    catalogue,
    *,
    graph: Mapping | None,
    scenario: Mapping | None,
    view: Mapping | None,
    message: str = "",
) -> html.Div:
    """The whole page, opened on ``graph`` and ``scenario`` (the default drill) when given."""
    badge, badge_class = verdict_badge(None)
    header = html.Header(
        [
            html.Div(
                [
                    html.Div("augur", className="brand"),
                    html.Div(
                        [
                            html.H1((scenario or {}).get("name", "No drill loaded"), id=ids.TITLE),
                            html.Div(subtitle(scenario, graph), id=ids.SUBTITLE, className="subtitle"),
                        ],
                        className="titles",
                    ),
                ],
                className="header-left",
            ),
            html.Div(
                [
                    html.Div(id=ids.STALE_NOTE, className="stale-note", hidden=True),
                    html.Div(id=ids.PRINTED, className="printed print-only"),
                    html.Div(badge, id=ids.VERDICT_BADGE, className=badge_class),
                ],
                className="header-right",
            ),
        ],
        className="app-header",
    )
    main = html.Main(
        [
            html.Div(kpi_cards(None), id=ids.KPIS, className="kpis"),
            html.Div(
                [
                    _network(view),
                    html.Div(_chart(ids.CHART_SERVICE), className="card"),
                ],
                className="stage",
            ),
            _timeline(scenario),
            html.Div(
                [
                    html.Div(_chart(ids.CHART_TOKENS), className="card"),
                    html.Div(_chart(ids.CHART_QUALITY), className="card"),
                    html.Div(_chart(ids.CHART_CI), className="card"),
                    _detail(),
                ],
                className="lower",
            ),
        ],
        className="main",
    )
    stores = [
        dcc.Store(id=ids.GRAPH, data=graph),
        dcc.Store(id=ids.GRAPH_META, data=graph_meta(graph)),
        dcc.Store(id=ids.SCENARIO, data=scenario),
        dcc.Store(id=ids.DRILL, data=None),
        dcc.Store(id=ids.RUN_DESIGN, data=None),
        dcc.Store(id=ids.NODE, data=None),
        dcc.Store(id=ids.PLACEHOLDERS, data=placeholders()),
        dcc.Store(id=ids.NETWORK_VIEW, data=view),
        dcc.Store(id=ids.PINNED, data=None),
        dcc.Store(id=ids.COMPARE_SWAPPED, data=False),
    ]
    return html.Div(
        [
            header,
            html.Div([_controls(catalogue, scenario, graph, message), main], className="app-body"),
            compare_overlay(catalogue, chart_config=CHART_CONFIG),
            *stores,
        ],
        className="app",
    )
