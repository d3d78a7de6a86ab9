"""The resilience-review pack without a browser: the graph hash, the HTML page's content, the scenario it
embeds, the before/after call, what the findings claim, and the errors bad input gets.

Expected figures come from the engine (``augur.simulate``) or from re-running what the page embeds,
never from numbers typed into the test. The browser and PNG/PDF checks are in test_report_browser.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest
import yaml
from builders import bundled, graph

import augur
from augur.analysis.levers import VERDICT_RANK
from augur.drawing import edge_curve, layered_drawing
from augur.engine import Status
from augur.errors import AugurError, ScenarioError
from augur.figures import (
    network_figure,
    pack_chart,
    pack_tokens_figure,
    quality_figure,
    tokens_figure,
    tokens_that_matter,
)
from augur.generate import layered_supply_graph
from augur.graph import validate_graph
from augur.report import (
    ReportError,
    compare_facts,
    compare_html,
    findings,
    graph_hash,
    main_report,
    pack_filename,
    pack_zip,
    provenance,
    review_html,
    worst_step,
    write_pack,
)
from augur.report import export as report_export
from augur.report.dashboard import compare_figure, review_figure
from augur.scenario import Shock, parse_scenario
from augur.text import COST_LABEL, metric_rows, shock_sentences, steps_text, verdict_sentence
from augur.text.compare import graph_diff
from augur.text.review import key_finding, why_degraded

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BEFORE, AFTER = SCENARIOS / "retail-chip-outage.yaml", SCENARIOS / "retail-chip-outage-mitigated.yaml"
WHEN = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone.utc)


drill = bundled  # each bundled drill runs once a session


@cache
def page(path: Path) -> str:
    return review_html(drill(path), generated=WHEN)


@cache
def pair_page() -> str:
    return compare_html(drill(BEFORE), drill(AFTER), generated=WHEN)


def embedded_json(text: str) -> dict:
    match = re.search(r'<script type="application/json" id="augur-pack">(.*?)</script>', text, re.S)
    assert match, "the page carries no augur-pack JSON"
    return json.loads(match.group(1))


def embedded_scenario(text: str, element_id: str = "scenario-file") -> str:
    match = re.search(rf'<pre class="scenario" id="{element_id}"[^>]*>(.*?)</pre>', text, re.S)
    assert match, f"the page has no <pre id={element_id!r}>"
    return html.unescape(match.group(1))


def plain(metrics: dict) -> dict:
    """Metrics as JSON carries them (tuples become lists)."""
    return json.loads(json.dumps(metrics))


# -- the graph's content hash --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".graphml", ".csv", ".xlsx"])
def test_graph_hash_is_the_same_for_the_same_graph_in_any_format(tmp_path, suffix):
    """The retail graph written to each format and read back has the hash of the original."""
    G = augur.load_graph(SCENARIOS / "graphs" / "retail.json")
    path = augur.write_graph(G, tmp_path / f"retail{suffix}")
    assert graph_hash(augur.load_graph(path)) == graph_hash(G)


def test_graph_hash_ignores_node_order_and_defaults_spelled_out():
    """Listing nodes in another order, or writing a default value out, leaves the hash alone."""
    G = augur.load_graph(SCENARIOS / "graphs" / "retail.json")
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(G.edges(data=True))))
    shuffled.nodes["polyform"]["capacity"] = 1.2  # the documented default
    shuffled.edges["acme-chips", "boardworks"]["weight"] = 1
    assert graph_hash(shuffled) == graph_hash(G)


@pytest.mark.parametrize(
    "change",
    [
        lambda G: G.nodes["dc-west"].update(buffer=4),
        lambda G: G.nodes["acme-chips"].update(region="APAC"),
        lambda G: G.edges["acme-chips", "boardworks"].update(lead_time=3),
        lambda G: G.add_edge("polyform", "boardworks"),
        lambda G: G.remove_node("promo-calendar"),
    ],
    ids=["attribute", "extra-attribute", "edge-attribute", "new-edge", "removed-node"],
)
def test_graph_hash_changes_when_the_graph_does(change):
    """Any change to a node, an edge or an attribute value gives another hash."""
    G = augur.load_graph(SCENARIOS / "graphs" / "retail.json")
    H = G.copy()
    change(H)
    assert graph_hash(H) != graph_hash(G)
    assert re.fullmatch(r"[0-9a-f]{64}", graph_hash(H))


# -- the single-drill page -----------------------------------------------------------------------------


def test_review_page_is_self_contained():
    """Nothing in the page loads from elsewhere: no src or href to http(s), one copy of plotly.js."""
    text = page(BEFORE)
    bundles = re.findall(r'<script type="text/javascript">(.*?)</script>', text, re.S)
    assert len(bundles) == 1 and "plotly.js" in bundles[0][:400]  # plotly.js, inlined once
    own = text.replace(bundles[0], "")  # plotly.js names map-tile sites it never loads here
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", own, re.I)
    assert "@import" not in own and "url(" not in own
    assert own.count("Plotly.newPlot") == 5  # the network and four charts


def plot_configs(text: str) -> dict[str, dict]:
    """Each ``Plotly.newPlot(id, data, layout, config)`` call in a page, as ``{id: config}``."""
    decoder = json.JSONDecoder()
    configs = {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', text):
        pos, args = match.end(), []
        for _ in range(3):  # data, layout, config
            value, pos = decoder.raw_decode(text, pos)
            args.append(value)
            pos = re.compile(r"\s*,?\s*").match(text, pos).end()
        configs[match.group(1)] = args[2]
    return configs


@pytest.mark.parametrize("which", ["review", "compare"])
def test_page_charts_offer_no_button_that_sends_a_chart_to_the_cloud(which):
    """Every figure of a pack turns off plotly's 'Share chart...' (on by default in plotly.js 3, it posts
    the chart's data to cloud.plotly.com) and removes each cloud button by name, old names included."""
    text = page(BEFORE) if which == "review" else pair_page()
    configs = plot_configs(text)
    assert len(configs) == text.count("Plotly.newPlot(")
    for div_id, config in configs.items():
        assert config.get("showSendToCloud") is False, div_id
        removed = set(config["modeBarButtonsToRemove"])
        assert {"sendChartToCloud", "sendDataToCloud", "editInChartStudio"} <= removed, div_id
        assert "toImage" not in removed  # the PNG download stays: it needs no network


def test_review_page_records_what_produced_it():
    """The page names the augur version, scenario, seed, graph hash and date, for people and in JSON."""
    result = drill(BEFORE)
    text = page(BEFORE)
    data = embedded_json(text)
    prov = data["provenance"]
    assert prov["augur"] == augur.__version__
    assert prov["scenario"] == result.scenario.name
    assert prov["seed"] == result.scenario.seed
    assert prov["graph_hash"] == graph_hash(result.graph)
    assert prov["generated"] == "2025-03-14T09:30:00Z"
    assert data["metrics"] == plain(result.metrics)
    for shown in (
        prov["graph_hash"],
        f"seed {result.scenario.seed}",
        "2025-03-14 09:30:00 UTC",
        result.scenario.name,
    ):
        assert shown in text


def test_review_page_shows_the_drill_story():
    """Header verdict, every KPI card, the shocks in words, the worst step, every event and every metric."""
    result = drill(BEFORE)
    text = page(BEFORE)
    assert f'data-verdict="{result.verdict}"' in text
    for key in (
        "verdict",
        "service_level_min",
        "time_to_survive",
        "time_to_recover",
        "resilience_loss",
        "peak_token_multiplier",
        "token_overrun",
        "secondary_failures",
        "ci_widening_peak",
    ):
        assert f'data-kpi="{key}"' in text
    assert "Acme Chips (tier 2) goes down completely" in text
    assert result.scenario.description[:40] in html.unescape(text)
    step = worst_step(result)
    assert result.service_level[step] == result.service_level.min()
    assert f"The network at day {step}, the worst step" in text
    for event in result.events:
        assert html.escape(event.message) in text
    for key in result.metrics:
        assert f'<tr data-key="{key}">' in text


def test_a_drill_whose_service_held_says_so_at_the_step_it_draws_not_a_worst_step():
    """shop takes one part in two from each of two vendors (substitutes) and needs half its supply
    (min_supply 0.5): a down from step 3 for 4 steps leaves it 50%, all it needs, so service holds at
    100% (graceful) and only a is hurt, at steps 3 to 6. The picture and the page draw step 3, the
    earliest with the most nodes hurt, and say service held there, never 'the worst step: service
    level 100%'; the charts' line is that step too."""
    G = graph(
        {"a": "vendor", "b": "vendor", "shop": ("process", {"min_supply": 0.5})},
        [("a", "shop"), ("b", "shop")],
    )
    s = parse_scenario(
        {"name": "held", "steps": 12, "step_unit": "day",
         "shocks": [{"kind": "vendor_failure", "target": "a", "start": 3, "duration": 4}]},
        graph=G,
    )  # fmt: skip
    result = augur.simulate(G, s)
    assert result.metrics["verdict"] == "graceful" and worst_step(result) == 3
    said = "day 3, when the most nodes were hurt (1 of 3): service held at 100% throughout"
    words = " ".join(a.text or "" for a in review_figure(result).layout.annotations)
    assert f"The network at {said}" in words and "the worst step" not in words
    assert "The vertical line on each chart marks day 3, when the most nodes were hurt;" in words
    text = html.unescape(review_html(result))
    assert f"<h2>The network at {said}</h2>" in text and "the worst step" not in text


EVENT_ROW = re.compile(
    r'<tr class="ev-[^"]*"><td class="num">(\d+)</td><td>[^<]*</td><td(?: title="([^"]*)")?>([^<]*)</td>'
)


def test_event_log_names_each_node_as_the_rest_of_the_page_does():
    """The event log's node column shows each node's name (its label, else its id), as the messages
    beside it do, with the id on hover where the two differ; a drill-wide event leaves it empty."""
    result = drill(BEFORE)
    G = result.graph
    rows = EVENT_ROW.findall(page(BEFORE))
    assert len(rows) == len(result.events)
    for (t, title, cell), event in zip(rows, result.events):
        assert int(t) == event.t
        if event.node is None:
            assert cell == "" and title == ""
            continue
        label = G.nodes[event.node].get("label")
        assert html.unescape(cell) == (label or event.node)
        assert html.unescape(cell) in event.message
        assert html.unescape(title) == (event.node if label and label != event.node else "")
    assert any(html.unescape(cell) == "Acme Chips (tier 2)" for _, _, cell in rows)


def test_the_scenario_embedded_in_the_page_reruns_to_the_same_metrics(tmp_path):
    """Saving the page's scenario file and running it gives the metrics the page reports, and the
    download link carries the same file."""
    text = page(BEFORE)
    scenario_file = embedded_scenario(text)
    path = tmp_path / "from-the-page.yaml"
    path.write_text(scenario_file, encoding="utf-8")
    rerun = augur.load_scenario(path)
    metrics = augur.simulate(rerun.graph, rerun).metrics
    assert plain(metrics) == embedded_json(text)["metrics"]
    assert graph_hash(rerun.graph) == embedded_json(text)["provenance"]["graph_hash"]
    link = re.search(
        r'id="scenario-file-download" download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', text
    )
    assert link and link.group(1) == "retail-chip-outage.yaml"
    assert base64.b64decode(link.group(2)).decode("utf-8") == scenario_file


def test_page_escapes_names_from_the_graph_and_scenario():
    """A node label or scenario name holding markup is shown as text, never run."""
    G = augur.build_graph(
        [("n", {"id": "acme", "kind": "vendor", "label": "<script>alert('x')</script>"}),
         ("n", {"id": "shop", "kind": "process"})],
        [("e", {"source": "acme", "target": "shop"})],
    )  # fmt: skip
    scenario = parse_scenario(
        {"name": "Outage </pre><script>alert(1)</script>", "steps": 12,
         "shocks": [{"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]},
        graph=G,
    )  # fmt: skip
    text = review_html(augur.simulate(G, scenario))
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert embedded_scenario(text).startswith("name: Outage </pre><script>alert(1)</script>")


def test_page_for_a_large_generated_graph_is_built_quickly_and_complete():
    """A 400-node drill gets a full page: the network drawn without arrows, a bounded weak-point sweep."""
    G = validate_graph(layered_supply_graph(400, 1600, seed=5))
    vendors = [v for v, kind in G.nodes(data="kind") if kind == "vendor"][:4]
    scenario = parse_scenario(
        {"name": "four vendors down", "steps": 60,
         "shocks": [{"kind": "vendor_failure", "target": vendors, "start": 5, "duration": 20}]},
        graph=G,
    )  # fmt: skip
    result = augur.simulate(G, scenario)
    text = review_html(result)
    assert embedded_json(text)["metrics"] == plain(result.metrics)
    found = findings(result)
    assert "nearest the shocked ones" in found["scope"] or found["weak_points"] == []


# -- what would fix it ---------------------------------------------------------------------------------


def test_findings_for_a_cascade_name_each_failure_and_a_model_check_that_holds():
    """Each secondary failure gets an item; the model check at the first one is what a re-run shows."""
    result = drill(BEFORE)
    found = findings(result)
    titles = " ".join(item["title"] for item in found["items"])
    for node in result.metrics["secondary_failures"]:
        assert result.graph.nodes[node]["label"] in titles
    first = next(item for item in found["items"] if item["title"].startswith("Boardworks"))
    assert any("single source" in d and "Acme Chips" in d for d in first["details"])
    check = next(d for d in first["details"] if d.startswith("Model check"))
    stock = int(re.search(r"with (\d+) days of stock", check).group(1))
    H = result.graph.copy()
    H.nodes["boardworks"]["buffer"] = stock
    verdict = augur.simulate(H, replace(result.scenario, graph=H)).verdict
    assert f"ends {verdict.upper()}" in check or f"still ends {verdict.upper()}" in check
    assert found["weak_points"] and found["weak_points"][0]["verdict"] != "graceful"


def test_findings_for_a_graceful_drill_say_what_held_and_how_close():
    """The mitigated drill needs no fix; the page says which stock and which second source carried it."""
    result = drill(AFTER)
    found = findings(result)
    assert "needs no fix" in found["headline"]
    assert not [item for item in found["items"] if "failed" in item["title"]]
    stock = result.trajectory.stock[:, result.trajectory.nodes.index("boardworks")]
    low = f"down to {stock.min():.1f} of 21 days"
    assert any("Boardworks" in line and low in line for line in found["held"])
    assert any("Bolt Semiconductors" in line and "while Acme Chips" in line for line in found["held"])


def test_the_lead_of_a_degraded_drill_says_why_it_is_degraded_not_what_held():
    """The port-congestion drill breaks nothing beyond its shocks: the lead line of its page and picture
    says which buffers ran down and when, and when and how far service dipped below the SLO; it does
    not call an emptied buffer what held, nor say anything ran out or failed."""
    result = drill(SCENARIOS / "manufacturer-port-congestion.yaml")
    m, traj, G = result.metrics, result.trajectory, result.graph
    assert m["verdict"] == "degraded" and not m["secondary_failures"]
    lead = key_finding(result)
    assert lead.startswith("Why it is degraded:")
    assert lead.endswith("Nothing failed beyond the shocked nodes.")
    for words in ("What held", "ran out", "failed at", "cascade", "down for"):
        assert words not in lead
    places = []
    for node in ("port-rotterdam", "inbound-warehouse"):
        col = traj.nodes.index(node)
        empty = int(np.flatnonzero(traj.stock[:, col] <= 1e-9)[0])
        buffer = steps_text(G.nodes[node]["buffer"], "day")
        match = re.search(
            rf"the {buffer} of stock at {re.escape(G.nodes[node]['label'])}( ran down)? by day (\d+)", lead
        )
        assert match and int(match.group(2)) == empty, (node, empty, lead)
        places.append(match.start())
    assert places == sorted(places)  # in the order they ran down
    below = int(np.flatnonzero(result.service_level < m["slo"])[0])
    assert f"service dipped below the {m['slo']:.0%} SLO at day {below}" in lead
    bottom = int(np.flatnonzero(result.service_level <= m["service_level_min"] + 1e-9)[0])
    assert f"reached {m['service_level_min']:.0%} by day {bottom}" in lead
    assert lead.index("ran down by day") < lead.index("then service dipped")  # in time order
    lead_html = html.escape(lead, quote=True)
    assert f'<p class="keyfinding">{lead_html} ' in page(SCENARIOS / "manufacturer-port-congestion.yaml")
    words = " ".join(a.text or "" for a in review_figure(result).layout.annotations)
    assert "Why it is degraded" in words and "ran out" not in words and "What held" not in words


def test_a_buffer_that_ran_out_under_a_node_that_stayed_up_is_told_as_such():
    """The port ran through its stock and then ran degraded without failing: its line under "What held"
    says when the stock ran out and how low the port sank, not that it merely drew on its stock."""
    result = drill(SCENARIOS / "manufacturer-port-congestion.yaml")
    traj = result.trajectory
    col = traj.nodes.index("port-rotterdam")
    empty = int(np.flatnonzero(traj.stock[:, col] <= 1e-9)[0])
    (line,) = [h for h in findings(result, sweep=False)["held"] if "Port of Rotterdam" in h]
    assert f"4 days of stock until it ran out at day {empty}" in line
    assert f"it then ran degraded (lowest output {traj.output[:, col].min():.0%}) but never failed" in line


def test_the_verdict_sentence_says_service_fell_as_the_shock_hit_not_after_zero_days():
    G = augur.build_graph(
        [("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
        [("e", {"source": "a", "target": "shop"})],
    )
    shocks = [{"kind": "vendor_failure", "target": "shop", "start": 3, "duration": 2, "severity": 0.5}]
    scenario = parse_scenario({"name": "at once", "steps": 12, "slo": 0.9, "shocks": shocks}, graph=G)
    result = augur.simulate(G, scenario)
    assert result.metrics["time_to_survive"] == 0
    low = f"{result.metrics['service_level_min']:.0%}"
    assert result.metrics["time_to_recover"] == 0
    sentence = verdict_sentence(result)
    assert f"service fell below its 90% SLO as the first shock hit, to {low}" in sentence
    assert "service was back by the time the last shock ended" in sentence


def test_a_second_source_that_could_not_carry_alone_is_not_said_to_have_kept_supply_whole():
    """Half the supply gone: the other source kept the shop from failing, not supplied."""
    G = augur.build_graph(
        [("n", {"id": "a", "kind": "vendor", "label": "Main"}), ("n", {"id": "b", "kind": "vendor", "label": "Backup"}),
         ("n", {"id": "shop", "kind": "process", "label": "Shop", "min_supply": 1.0, "fail_below": 0.3})],
        [("e", {"source": "a", "target": "shop"}), ("e", {"source": "b", "target": "shop"})],
    )  # fmt: skip
    shocks = [{"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3}]
    result = augur.simulate(G, parse_scenario({"name": "half", "steps": 12, "shocks": shocks}, graph=G))
    low = min(result.trajectory.output[:, result.trajectory.nodes.index("shop")])
    (line,) = [h for h in findings(result, sweep=False)["held"] if "Backup" in h]
    assert (
        line == f"Backup kept Shop from failing while Main was down, though not whole: it fell to {low:.0%}."
    )


def test_why_degraded_tells_a_dip_that_came_before_the_buffers_ran_down_first():
    """Service dips at once (a half-cut second input) and a buffer runs down later: the lead tells the
    dip first, and never says the buffer ran down 'then' service dipped."""
    G = augur.build_graph(
        [("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
         ("n", {"id": "hub", "kind": "logistics", "label": "Hub", "buffer": 3}),
         ("n", {"id": "shop", "kind": "process", "label": "Shop"})],
        [("e", {"source": "a", "target": "hub"}), ("e", {"source": "hub", "target": "shop", "group": "x"}),
         ("e", {"source": "b", "target": "shop", "group": "y"})],
    )  # fmt: skip
    shocks = [{"kind": "vendor_failure", "target": "b", "start": 2, "severity": 0.5},
              {"kind": "logistics_bottleneck", "target": ["a", "hub"], "start": 2, "capacity": 0.5}]  # fmt: skip
    scenario = parse_scenario({"name": "dip first", "steps": 20, "slo": 0.9, "shocks": shocks}, graph=G)
    result = augur.simulate(G, scenario)
    assert result.metrics["verdict"] == "degraded" and not result.metrics["secondary_failures"]
    lead = why_degraded(result.analysis.findings.degraded, result)
    below = int(np.flatnonzero(result.service_level < 0.9)[0])
    emptied = int(np.flatnonzero(result.trajectory.stock[:, result.trajectory.nodes.index("hub")] <= 1e-9)[0])
    assert below < emptied
    assert lead.index(f"SLO at hour {below}") < lead.index(f"Hub ran down by hour {emptied}")
    assert "then service" not in lead


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_drill_has_a_lead_that_fits_its_verdict(path):
    """A model check leads where one ends the drill milder; else a degraded drill's lead says why it is
    degraded (service against the SLO, tokens against the budget, as the metrics have them), a graceful
    drill's says what held, and only a graceful drill's says what held."""
    result = drill(path)
    m = result.metrics
    lead = key_finding(result)
    if m["verdict"] != "graceful":
        assert lead is None or "What held" not in lead
    if lead and lead.startswith("What would fix it"):
        ends = re.search(r"this drill ends (\w+)", lead).group(1).lower()
        assert VERDICT_RANK[ends] < VERDICT_RANK[m["verdict"]]
    elif m["verdict"] == "degraded":
        assert lead.startswith("Why it is degraded:") and "ran out" not in lead
        if m["service_level_min"] < m["slo"]:
            assert f"below the {m['slo']:.0%} SLO at" in lead and f"{m['service_level_min']:.0%}" in lead
        else:
            assert f"service stayed at {m['service_level_min']:.0%} or above" in lead
        over = m["token_budget"] is not None and (m["peak_token_multiplier"] or 0) > m["token_budget"]
        assert ("tokens peaked at" in lead) == over
    elif m["verdict"] == "graceful":
        assert lead.startswith("What held: ") and lead[len("What held: ") :] in findings(result)["held"]


def test_findings_for_a_throttled_ai_service_check_the_token_limit_it_needed():
    """A rate-limited service's finding names the tokens it wanted and re-runs with that limit."""
    result = drill(SCENARIOS / "inbox-autopilot-rate-limit.yaml")
    item = next(i for i in findings(result)["items"] if "(AI service)" in i["title"])
    assert any(d.startswith("Throttled for") for d in item["details"])
    assert any(d.startswith("Model check: with a token limit of") for d in item["details"])


def _rerun(result: augur.DrillResult, node, attribute: str, value) -> dict:
    H = result.graph.copy()
    H.nodes[node][attribute] = value
    return augur.simulate(H, replace(result.scenario, graph=H)).metrics


def _checks(found: dict) -> list[dict]:
    return [check for item in found["items"] for check in item["checks"]]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_model_check_matches_an_independent_rerun(path):
    """Each model check names its change and states what a fresh run of the drill with that one change
    shows: the verdict, lowest service, service lost and secondary failures, and why it is not
    graceful (what still fails, or which limit it still misses). A check cited at a later failure
    ('prevents this failure too') holds for that failure in the re-run."""
    result = drill(path)
    m = result.metrics
    unit = result.scenario.step_unit
    for check in _checks(findings(result)):
        rerun = _rerun(result, check["node"], check["attribute"], check["value"])
        text = check["text"]
        if "prevents" in check:
            assert "prevents this failure too" in text
            assert check["prevents"] not in rerun["secondary_failures"]
            continue
        name = result.graph.nodes[check["node"]].get("label", check["node"])
        assert name in text, text
        verdict = rerun["verdict"].upper()
        assert f"ends {verdict} (was {m['verdict']})" in text, text
        assert f"lowest service {rerun['service_level_min']:.0%}" in text, text
        assert f"{steps_text(round(rerun['resilience_loss'], 1), unit)} of service lost" in text, text
        n = len(rerun["secondary_failures"])
        assert f"{n or 'no'} secondary failure{'s' if n != 1 else ''}" in text, text
        value = {
            "token_limit": f"token limit of {int(check['value']):,}",
            "buffer": steps_text(check["value"], unit),
            "max_retries": f"max_retries {int(check['value'])}",
            "retry_sensitivity": f"retry_sensitivity {check['value']:g}",
            "capacity": f"{check['value']:.2f}×",
        }[check["attribute"]]
        assert value in text, text
        if rerun["verdict"] == "cascade":
            for node in rerun["secondary_failures"]:
                assert result.graph.nodes[node].get("label", node) in text.split(";")[0], text
        if rerun["verdict"] == "degraded":
            if rerun["service_level_min"] < m["slo"]:
                assert f"falls to {rerun['service_level_min']:.0%} against an SLO of {m['slo']:.0%}" in text
            if m["token_budget"] is not None and rerun["peak_token_multiplier"] > m["token_budget"]:
                peak, budget = rerun["peak_token_multiplier"], m["token_budget"]
                if m["peak_token_multiplier"] > budget and peak > m["peak_token_multiplier"] + 0.005:
                    # the change let the service spend more: said as higher, beside the drill's own peak
                    expected = (
                        f"peak higher, at {peak:.2f}× (the drill: {m['peak_token_multiplier']:.2f}×), "
                        f"against a budget of {budget:g}×"
                    )
                else:
                    expected = f"peak at {peak:.2f}× against a budget of {budget:g}×"
                assert expected in text, text


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_buffer_in_a_model_check_is_said_as_its_kind_holds_one(path):
    """Stock at vendors and logistics, cached results at data feeds and AI services, and at a business
    process a manual workaround: never 'stock' at a process or an AI service."""
    result = drill(path)
    words = {
        "vendor": "of stock at",
        "logistics": "of stock at",
        "data_source": "of cached results at",
        "ai_service": "of cached results at",
        "process": "manual workaround",
    }
    for check in _checks(findings(result)):
        if check["attribute"] == "buffer" and "prevents" not in check:
            assert words[result.graph.nodes[check["node"]]["kind"]] in check["text"], check["text"]


def test_a_retry_storm_is_fixed_at_the_ai_service_not_with_stock_at_the_process():
    """In the KYC retry storm, onboarding fails because the reviewer LLM behind it retries on bad
    identity data: the model checks pull the LLM's own levers (token limit, retries) and find one that
    ends the drill graceful; none proposes stock at the onboarding process."""
    result = drill(SCENARIOS / "kyc-retry-storm.yaml")
    found = findings(result)
    checks = [c for c in _checks(found) if "prevents" not in c]
    assert not [c for c in checks if c["node"] == "onboarding" and c["attribute"] == "buffer"]
    assert not [c for c in checks if " of stock at " in c["text"]]
    onboarding = next(i for i in found["items"] if i["title"].startswith("Customer onboarding failed"))
    fix = onboarding["checks"][0]
    assert fix["node"] == "kyc-llm" and fix["attribute"] in ("max_retries", "retry_sensitivity")
    assert _rerun(result, "kyc-llm", fix["attribute"], fix["value"])["verdict"] == "graceful"
    attributes = {c["attribute"] for c in checks if c["node"] == "kyc-llm"}
    assert "token_limit" in attributes and attributes & {"max_retries", "retry_sensitivity"}
    assert key_finding(result).startswith("What would fix it (a model check): if KYC reviewer LLM")
    assert key_finding(result).endswith("this drill ends GRACEFUL.")


def _workaround_drill(budget: float = 1.05) -> augur.DrillResult:
    """A process cut off by a vendor outage (nothing but a workaround can carry it), beside an AI
    service whose demand spike keeps tokens over budget whatever the process does."""
    G = augur.build_graph(
        [("n", {"id": "acme", "kind": "vendor", "label": "Acme parts"}),
         ("n", {"id": "shop", "kind": "process", "label": "Web shop"}),
         ("n", {"id": "llm", "kind": "ai_service", "label": "Support LLM"}),
         ("n", {"id": "desk", "kind": "process", "label": "Support desk"})],
        [("e", {"source": "acme", "target": "shop"}), ("e", {"source": "llm", "target": "desk"})],
    )  # fmt: skip
    scenario = parse_scenario(
        {"name": "outage beside a busy assistant", "steps": 20, "token_budget": budget,
         "shocks": [{"kind": "vendor_failure", "target": "acme", "start": 3, "duration": 4},
                    {"kind": "demand_spike", "target": "llm", "start": 3, "duration": 4,
                     "multiplier": 1.1}]},
        graph=G,
    )  # fmt: skip
    return augur.simulate(G, scenario)


def test_a_model_check_that_stays_degraded_with_service_intact_says_it_is_the_token_budget():
    """When a re-run holds service at 100% but still ends DEGRADED, the check says why: tokens still
    peak over the budget, with the figures of the re-run; a process's buffer is a manual workaround,
    offered because nothing else could help."""
    result = drill_of(_workaround_drill)
    assert result.verdict == "cascade"
    item = next(i for i in findings(result)["items"] if i["title"].startswith("Web shop failed"))
    (check,) = item["checks"]
    assert check["attribute"] == "buffer" and "manual workaround" in check["text"]
    rerun = _rerun(result, "shop", "buffer", check["value"])
    assert rerun["verdict"] == "degraded" and rerun["service_level_min"] == 1.0
    peak = rerun["peak_token_multiplier"]
    assert f"because tokens still peak at {peak:.2f}× against a budget of 1.05×" in check["text"]
    assert f"because tokens still peak at {peak:.2f}× against a budget of 1.05×" in key_finding(result)


@cache
def drill_of(build) -> augur.DrillResult:
    return build()


def _second_source_drill(severity: float) -> augur.DrillResult:
    G = augur.build_graph(
        [("n", {"id": "trustid", "kind": "vendor", "label": "TrustID identity API", "capacity": 1.0}),
         ("n", {"id": "veri", "kind": "vendor", "label": "VeriBackup"}),
         # half its supply is enough: the backup alone keeps it whole
         ("n", {"id": "feed", "kind": "data_source", "label": "Identity-data feed", "min_supply": 0.5}),
         ("n", {"id": "kyc", "kind": "process", "label": "KYC checks"})],
        [("e", {"source": "trustid", "target": "feed", "group": "idv"}),
         ("e", {"source": "veri", "target": "feed", "group": "idv"}),
         ("e", {"source": "feed", "target": "kyc"})],
    )  # fmt: skip
    scenario = parse_scenario(
        {"name": "identity API degraded", "steps": 12,
         "shocks": [{"kind": "vendor_failure", "target": "trustid", "start": 2, "duration": 3,
                     "severity": severity}]},
        graph=G,
    )  # fmt: skip
    return augur.simulate(G, scenario)


@pytest.mark.parametrize("severity", [0.55, 1.0])
def test_what_held_says_how_far_a_source_was_cut_and_leaves_group_ids_out(severity):
    """A second source that carried is credited with how far the other was cut ('was cut to 45%'),
    'was down' only when its output was zero; the internal group id ('idv') is not shown."""
    result = _second_source_drill(severity)
    lowest = result.trajectory.output[:, result.trajectory.nodes.index("trustid")].min()
    (line,) = [h for h in findings(result, sweep=False)["held"] if "VeriBackup" in h]
    assert "idv" not in line
    assert line.startswith("VeriBackup kept Identity-data feed supplied while TrustID identity API")
    if lowest > 0:
        assert f"was cut to {lowest:.0%}." in line and "was down" not in line
    else:
        assert line.endswith("was down.")


def test_weak_points_fail_each_node_with_the_sweeps_own_outage_and_say_which(capsys):
    """The pack's weak points are `augur sweep`'s rows: the same outage (the first shock's start and
    duration), the same figures in the same order; the page says which outage it applied."""
    from augur.cli import main as cli_main
    from augur.sweep import criticality

    result = drill(BEFORE)
    found = findings(result)
    shock = result.scenario.shocks[0]
    assert found["outage"] == (
        f"each node failed alone for {shock.duration} days from day {shock.start}, as the drilled outage"
    )
    assert f"Each node failed alone for {shock.duration} days from day {shock.start}" in page(BEFORE)
    rows = [r for r in criticality(result.graph, result.scenario) if r["verdict"] != "graceful"][:6]
    keys = ("target", "verdict", "resilience_loss", "service_level_min", "secondary_failures")
    assert [{k: r[k] for k in keys} for r in found["weak_points"]] == [{k: r[k] for k in keys} for r in rows]
    assert cli_main(["sweep", str(BEFORE), "--json", "--top", "20"]) == 0
    swept = json.loads(capsys.readouterr().out)
    assert (swept["outage"]["start"], swept["outage"]["duration"]) == (shock.start, shock.duration)
    cli_rows = [r for r in swept["criticality"] if r["verdict"] != "graceful"][:6]
    assert [r["target"] for r in cli_rows] == [r["target"] for r in found["weak_points"]]


def test_a_weak_point_with_its_own_ttr_is_down_for_it_and_the_caption_says_so():
    """A node carrying a ttr is failed for its ttr, not the drilled outage: its row says the duration its
    drill used, and the words of the outage say some nodes were down for their own."""
    from builders import drill as drill_on
    from builders import graph, outage

    from augur.analysis import weak_points

    G = graph({"a": ("vendor", {"ttr": 12}), "b": "vendor", "p": "process"}, [("a", "p"), ("b", "p")])
    result = drill_on(G, [outage("b", 3, 4)])
    weak = weak_points(result)
    assert {r["target"]: (r["start"], r["duration"]) for r in weak.rows} == {
        "a": (3, 12),
        "b": (3, 4),
        "p": (3, 4),
    }
    assert weak.outage.own_ttr
    said = findings(result)["outage"]
    assert said == "each node failed alone for 4 hours (or its own ttr) from hour 3, as the drilled outage"
    plain = drill_on(graph({"b": "vendor", "p": "process"}, [("b", "p")]), [outage("b", 3, 4)])
    assert "ttr" not in findings(plain)["outage"] and not weak_points(plain).outage.own_ttr


def test_metrics_table_reads_as_numbers_for_people():
    """Every metric in the page's table is written for people: thousands separators and no exponent,
    times in the step unit, percentages, multiples, the cost with two decimals and its label; the
    token overrun reads as the KPI card does."""
    result = drill(SCENARIOS / "kyc-retry-storm.yaml")
    m = result.metrics
    rows = {key: (value, meaning) for key, value, meaning in metric_rows(result)}
    assert all(not re.search(r"\de[+-]\d", value) for value, _ in rows.values())
    assert rows["token_overrun"][0] == f"{m['token_overrun']:,.0f} tokens"
    assert rows["token_overrun_cost"][0] == f"{m['token_overrun_cost']:,.2f}"
    assert COST_LABEL in rows["token_overrun_cost"][1]
    assert rows["resilience_loss"][0] == f"{steps_text(round(m['resilience_loss'], 1), 'hour')} of service"
    assert rows["steps"][0] == "72 hours" and rows["slo"][0] == "95%"
    assert rows["peak_token_multiplier"][0] == f"{m['peak_token_multiplier']:.2f}× baseline"
    assert rows["secondary_failures"][0] == "Customer onboarding"  # a name, not the id
    text = html.unescape(review_html(result, generated=WHEN))
    assert f"{m['token_overrun']:,.0f}" in text and f"{COST_LABEL}: {m['token_overrun_cost']:,.2f}" in text
    assert "e+0" not in "".join(re.findall(r'<table class="metrics">.*?</table>', text, re.S))


def test_graph_changes_write_large_and_small_values_without_exponents():
    """A token limit of a million and a price of 0.004 are written as their author would write them."""
    G = augur.load_graph(SCENARIOS / "graphs" / "kyc.json")
    H = G.copy()
    H.nodes["kyc-llm"]["token_limit"] = 1_500_000
    H.nodes["doc-ocr"]["price_per_1k_tokens"] = 0.0045
    changes = graph_diff(G, H)
    assert "KYC reviewer LLM: token_limit 7,500 → 1,500,000" in changes
    assert "Document OCR service: price_per_1k_tokens 0.004 → 0.0045" in changes


# -- the pack's pictures (as plotly figures; test_report_browser.py renders them) -----------------------


def _legend(fig) -> set[str]:
    return {t.name for t in fig.data if t.showlegend}


def test_the_pack_draws_a_bent_edge_along_the_curve_the_app_draws():
    """Each edge the layout bends round a node is drawn in the pack's network along the app's curve
    (the y axis flipped: the pack's points up), its arrow on the last stretch; the figure's range
    holds the whole curve."""
    result = drill(SCENARIOS / "manufacturer-port-congestion.yaml")
    drawing = layered_drawing(result.graph)
    assert drawing.bends
    fig = network_figure(result)
    drawn = np.array(
        [
            (x, y)
            for t in fig.data
            if t.mode == "lines"
            for x, y in zip(t.x, t.y)
            if x is not None and y is not None
        ]
    )
    for (u, v), bend in drawing.bends.items():
        curve = edge_curve(drawing.positions[u], drawing.positions[v], bend, samples=25) * (1, -1)
        body, tail = curve[:19], curve[18]
        assert all(np.hypot(*(drawn - point).T).min() < 1e-6 for point in body), (u, v)
        arrow = [a for a in fig.layout.annotations if a.showarrow and (a.ax, a.ay) == tuple(tail)]
        assert len(arrow) == 1 and (arrow[0].x, arrow[0].y) == (curve[-1][0], curve[-1][1])
        assert (
            fig.layout.yaxis.range[0] <= curve[:, 1].min() and curve[:, 1].max() <= fig.layout.yaxis.range[1]
        )


def test_before_after_picture_legend_lists_every_status_either_network_shows():
    """The before network shows failed nodes, the after one none: the one legend under both still
    explains every status colour that appears in either, and the supply cuts."""
    before, after = drill(BEFORE), drill(AFTER)
    step = worst_step(before)
    shown = {Status(code).label for r in (before, after) for code in r.trajectory.status[step]}
    assert "failed" in shown
    legend = _legend(compare_figure(before, after))
    assert shown <= legend
    assert "supply cut" in legend


@pytest.mark.parametrize("path", [BEFORE, SCENARIOS / "kyc-retry-storm.yaml"], ids=lambda p: p.stem)
def test_single_drill_picture_legend_lists_the_statuses_at_the_drawn_step(path):
    """The one-drill picture's network legend names exactly the statuses present at the step drawn."""
    result = drill(path)
    step = worst_step(result)
    present = {Status(code).label for code in result.trajectory.status[step]}
    statuses = {s.label for s in Status}
    assert _legend(review_figure(result)) & statuses == present


def _many_shocks_drill() -> augur.DrillResult:
    base = drill(SCENARIOS / "manufacturer-port-congestion.yaml")
    shocked = {t for shock in base.scenario.shocks for t in shock.target}
    others = [v for v in base.graph if v not in shocked][:4]
    extra = [
        Shock("demand_spike", (node,), 20 + 3 * i, 10, {"multiplier": 1.3}) for i, node in enumerate(others)
    ]
    return augur.simulate(base.graph, replace(base.scenario, shocks=(*base.scenario.shocks, *extra)))


def _footer_shock_lines(fig) -> list[str]:
    texts = [a.text for a in fig.layout.annotations]
    first = next(i for i, t in enumerate(texts) if t.startswith(("Shocks", "Before, shocks")))
    last = next(i for i, t in enumerate(texts) if t.startswith("Reproduce"))
    return texts[first:last]


@pytest.mark.parametrize("many", [False, True], ids=["two-shocks", "six-shocks"])
def test_picture_footer_never_cuts_a_shock_mid_word(many):
    """The footer lists the shocks on at most two lines, breaking between words; when they do not fit
    it counts them and points to the HTML page instead of cutting one off."""
    result = drill_of(_many_shocks_drill) if many else drill(SCENARIOS / "manufacturer-port-congestion.yaml")
    lines = _footer_shock_lines(review_figure(result))
    assert 1 <= len(lines) <= 2
    text = " ".join(lines)
    assert "…" not in text
    sentences = " ".join(f"{s['when']}: {s['what']};" for s in shock_sentences(result.scenario, result.graph))
    words = set(sentences.split()) | set(f"Shocks: Shocks, {len(result.scenario.shocks)} of them:".split())
    words |= set(["and", "more:", "see", "the", "HTML", "page", "for", "all"]) | {str(n) for n in range(10)}
    assert set(text.split()) <= words | {w.rstrip(";") for w in words}
    if many:
        assert len(result.scenario.shocks) == 6 and "see the HTML page for all" in text


def test_picture_chart_legends_sit_below_their_plots_with_full_names():
    """On the one-drill picture each time-series legend is below its plot (never over the shock
    bands), and names keep their full labels ('Veritas identity-data feed', not 'Veritas identity-da…')."""
    fig = review_figure(drill(SCENARIOS / "kyc-retry-storm.yaml"))
    layout = fig.layout.to_plotly_json()
    # the charts placed after the network, on axes 2 to 4: tokens and quality have a legend, each row
    # of it a legend of its own; the service chart has none
    listed = {k: [t for t in fig.data if t.yaxis == f"y{k}" and t.showlegend] for k in (2, 3, 4)}
    assert [k for k in listed if listed[k]] == [3, 4]
    for k in (3, 4):
        for name in {t.legend for t in listed[k]}:
            assert layout[name]["yanchor"] == "top"
            assert layout[name]["y"] < layout[f"yaxis{k}"]["domain"][0]
    names = {t.name for t in fig.data if t.showlegend}
    assert "Veritas identity-data feed" in names
    assert not [n for n in names if n.endswith("…")]


def test_page_charts_put_legends_below_the_plot():
    """In the HTML page the charts' legends sit at the bottom of the figure, under the axis."""
    result = drill(SCENARIOS / "kyc-retry-storm.yaml")
    for fig in (pack_tokens_figure(result), pack_chart(quality_figure(result), result)):
        assert fig.layout.legend.yref == "container" and fig.layout.legend.yanchor == "bottom"
        assert fig.layout.legend.y == 0


def _costly_drill() -> augur.DrillResult:
    """Two cheap services whose tokens soar, one costly service that barely moves, one throttled."""
    nodes = [("n", {"id": "desk", "kind": "process"})]
    edges = []
    for name, extra in (
        ("soar-a", {}),
        ("soar-b", {}),
        ("costly", {"price_per_1k_tokens": 5.0, "tokens_per_unit": 20000}),
        ("capped", {"token_limit": 1040}),
    ):
        nodes.append(("n", {"id": name, "kind": "ai_service", "price_per_1k_tokens": 0.001, **extra}))
        edges.append(("e", {"source": name, "target": "desk", "group": name}))
    G = augur.build_graph(nodes, edges)
    scenario = parse_scenario(
        {"name": "busy assistants", "steps": 20,
         "shocks": [{"kind": "demand_spike", "target": ["soar-a", "soar-b"], "start": 3, "duration": 5,
                     "multiplier": 3},
                    {"kind": "demand_spike", "target": ["costly", "capped"], "start": 3, "duration": 5,
                     "multiplier": 1.1}]},
        graph=G,
    )  # fmt: skip
    return augur.simulate(G, scenario)


def test_tokens_charts_always_show_the_throttled_and_the_costliest_service():
    """Besides the two steepest services, the pack's chart shows the one that was throttled and the
    one that cost the most, each marked why, and the page uses that chart; the app's small chart has
    room for two services and shows those two, in the same words."""
    result = drill_of(_costly_drill)
    assert (result.trajectory.status[:, result.trajectory.nodes.index("capped")] == Status.THROTTLED).any()
    app = {t.name for t in tokens_figure(result).data}
    assert app == {"costly (highest cost)", "capped (throttled)", "all AI services"}
    pack = {t.name for t in pack_tokens_figure(result).data}
    assert {"soar-a", "soar-b", "costly (highest cost)", "capped (throttled)", "all AI services"} <= pack
    assert [node for node, _ in tokens_that_matter(result)][:2] == ["soar-a", "soar-b"]
    assert "costly (highest cost)" in review_html(result)


# -- before and after ----------------------------------------------------------------------------------


def test_compare_marks_the_mitigated_drill_better():
    """After the mitigation the verdict is milder and every figure that moved moved the right way."""
    facts = compare_facts(drill(BEFORE), drill(AFTER))
    assert facts["overall"] == "better"
    assert facts["same_shocks"] is True
    rows = {r["key"]: r for r in facts["rows"]}
    assert rows["resilience_loss"]["direction"] == "better"
    assert rows["secondary_failures"]["direction"] == "better"
    assert not [r for r in facts["rows"] if r["direction"] == "worse"]
    assert any(line.startswith("added vendor Bolt Semiconductors") for line in facts["graph_changes"])
    assert "Boardworks Assembly (tier 1): buffer 0 → 21" in facts["graph_changes"]


def _with_metrics(result, **figures):
    """The drill as compare reads it, with some figures replaced (the rest of it as it ran)."""
    return SimpleNamespace(
        scenario=result.scenario,
        graph=result.graph,
        trajectory=result.trajectory,
        metrics={**result.metrics, **figures},
    )


def test_compare_calls_figures_shown_alike_unchanged_never_worse():
    """A token peak of 1.000 against 1.004 reads 1.00× on both sides, an overrun cost of 0.0001
    against 0.000104 reads 0.0001 on both: each is unchanged with no change to show, and the call
    stays "better" (not "mixed"); 1.004 against 1.006 reads 1.00× → 1.01×, a change of +0.01×."""
    before = _with_metrics(
        drill(AFTER), peak_token_multiplier=1.0, token_overrun_cost=0.0001, resilience_loss=1.0
    )
    after = _with_metrics(drill(AFTER), peak_token_multiplier=1.004, token_overrun_cost=0.000104)
    facts = compare_facts(before, after)
    rows = {r["key"]: r for r in facts["rows"]}
    peak, cost = rows["peak_token_multiplier"], rows["token_overrun_cost"]
    assert (peak["before"], peak["after"], peak["delta"], peak["mark"]) == (
        "1.00×",
        "1.00×",
        "no change",
        "= unchanged",
    )
    assert (cost["before"], cost["after"], cost["delta"], cost["mark"]) == (
        "0.0001",
        "0.0001",
        "no change",
        "= unchanged",
    )
    assert facts["overall"] == "better"  # only the loss moved, the right way
    later = _with_metrics(drill(AFTER), peak_token_multiplier=1.006)
    peak = {r["key"]: r for r in compare_facts(after, later)["rows"]}["peak_token_multiplier"]
    assert (peak["before"], peak["after"], peak["delta"], peak["mark"]) == (
        "1.00×",
        "1.01×",
        "+0.01×",
        "▼ worse",
    )


def test_compare_shows_an_overrun_cost_under_a_hundredth_with_its_figures():
    """An overrun cost of 0.004852 (9,705 tokens at 0.0005 per 1,000) against 0.0032 read "0.00"
    on both sides beside overruns of thousands of tokens: each now reads in its first two figures,
    0.0049 and 0.0032, and the change is the difference of those, −0.0017, better."""
    before = _with_metrics(drill(AFTER), token_overrun_cost=0.004852)
    after = _with_metrics(drill(AFTER), token_overrun_cost=0.0032)
    cost = {r["key"]: r for r in compare_facts(before, after)["rows"]}["token_overrun_cost"]
    assert (cost["before"], cost["after"], cost["delta"], cost["mark"]) == (
        "0.0049",
        "0.0032",
        "−0.0017",
        "▲ better",
    )


def test_compare_the_other_way_round_is_worse():
    """Swapping before and after turns the call around."""
    assert compare_facts(drill(AFTER), drill(BEFORE))["overall"] == "worse"


def test_compare_says_why_a_drill_of_the_same_verdict_is_better():
    """a -> b -> c -> shop, a down at days 2-6: without stock b, c and shop fail in turn (shop is down
    at days 5-9: 5 days of loss, service 0%); with 30 days of stock at c only b fails and shop never
    falls (loss 0, service 100%). Both cascade, so the call says why the after drill is better: it is
    contained, with 1 failure where 3 failed and no loss where 5 days were lost."""
    from builders import drill as run

    def chain(buffer):
        nodes = {"a": "vendor", "b": "vendor", "c": ("logistics", {"buffer": buffer}), "shop": "process"}
        return graph(nodes, [("a", "b"), ("b", "c"), ("c", "shop")])

    outage = [{"kind": "vendor_failure", "target": "a", "start": 2, "duration": 5}]
    before, after = run(chain(0), outage, step_unit="day"), run(chain(30), outage, step_unit="day")
    assert compare_facts(before, after)["sentence"] == (
        "The after drill is better: both cascade, but the after one is contained: no service lost; "
        "secondary failures 3 → 1, resilience loss 5 days → 0 days, lowest service level 0% → 100%."
    )
    assert compare_facts(after, before)["sentence"].startswith(
        "The after drill is worse: both cascade, but the after one is no longer contained: it loses service; "
        "secondary failures 1 → 3"
    )


def test_compare_flags_different_shocks():
    """Two drills with different shocks are compared, with a warning that the shocks differ."""
    before = drill(BEFORE)
    shorter = replace(before.scenario, shocks=(replace(before.scenario.shocks[0], duration=3),))
    after = augur.simulate(before.graph, shorter)
    facts = compare_facts(before, after)
    assert facts["same_shocks"] is False and facts["same_graph"] is True
    text = compare_html(before, after)
    assert 'id="shocks-differ"' in text
    assert "only the shocks differ" in text and "mixes a change of graph" not in text
    # the call itself says a milder shock is part of the change, and which shock moved
    assert facts["overall"] == "better"
    assert "part of this change is the shocks, not the drill's design" in facts["sentence"]
    assert facts["shock_changes"] == [
        "before only, day 10 to day 30 (21 days): Acme Chips (tier 2) goes down completely",
        "after only, day 10 to day 12 (3 days): Acme Chips (tier 2) goes down completely",
    ]


def test_compare_page_carries_both_drills_and_reruns_each():
    """The pair page marks the after drill better, and each embedded scenario re-runs to its metrics."""
    text = pair_page()
    data = embedded_json(text)
    assert data["overall"] == "better"
    assert 'data-overall="better"' in text
    assert text.count("Plotly.newPlot") == 4  # both curves, tokens, two networks
    for key, path in (("before", BEFORE), ("after", AFTER)):
        scenario_file = embedded_scenario(text, f"scenario-file-{key}")
        scenario = augur.parse_scenario(yaml.safe_load(scenario_file))
        assert plain(augur.simulate(scenario.graph, scenario).metrics) == data[key]["metrics"]
        assert data[key]["metrics"] == plain(drill(path).metrics)


# -- files and errors ----------------------------------------------------------------------------------


def test_write_pack_writes_html_named_after_the_scenarios(tmp_path):
    """One drill's pack is named after its file; a pair's after both."""
    written = write_pack(drill(BEFORE), tmp_path, ["html"], generated=WHEN)
    assert [p.name for p in written] == ["retail-chip-outage-review.html"]
    assert (
        embedded_json(written[0].read_text(encoding="utf-8"))["provenance"]["generated"]
        == "2025-03-14T09:30:00Z"
    )
    assert pack_filename((drill(BEFORE), drill(AFTER)), "png") == (
        "retail-chip-outage-vs-retail-chip-outage-mitigated.png"
    )


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda tmp: main_report([str(BEFORE)], tmp, "html,docx"), ReportError, "unknown format docx"),
        (
            lambda tmp: main_report([str(BEFORE)], tmp, ""),
            ReportError,
            "expected one or more of html, png, pdf",
        ),
        (lambda tmp: main_report([], tmp, "html"), ReportError, "expected one scenario, or two"),
        (lambda tmp: main_report([str(BEFORE)] * 3, tmp, "html"), ReportError, "got 3"),
        (lambda tmp: main_report([str(tmp / "missing.yaml")], tmp, "html"), ScenarioError, "file not found"),
        (lambda tmp: review_html({"verdict": "cascade"}), ReportError, "expected a drill result"),
        (lambda tmp: write_pack((drill(BEFORE),), tmp, "html"), ReportError, "(before, after) pair"),
    ],
    ids=[
        "format",
        "no-format",
        "no-scenario",
        "three-scenarios",
        "missing-file",
        "not-a-result",
        "not-a-pair",
    ],
)
def test_bad_input_gets_an_augur_error_that_says_what_was_expected(tmp_path, call, error, words):
    """Every misuse raises one of augur's own errors with the expectation in words, never a traceback."""
    with pytest.raises(error) as caught:
        call(tmp_path)
    assert isinstance(caught.value, AugurError)
    assert words in str(caught.value)


def test_write_pack_into_a_file_is_refused(tmp_path):
    """An --out that names a file, not a folder, is refused before anything is written."""
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    with pytest.raises(ReportError, match="expected a folder"):
        write_pack(drill(BEFORE), target, "html")


def test_pdf_without_chromium_is_a_clear_error(tmp_path, monkeypatch):
    """--format pdf on a machine without Chromium says what to install instead of crashing."""
    monkeypatch.setattr(report_export, "chromium_path", lambda: None)
    with pytest.raises(ReportError, match="needs Chromium or Chrome"):
        main_report([str(BEFORE)], tmp_path, "pdf")
    assert not list(tmp_path.iterdir())


def test_pack_names_the_scenario_file_without_machine_folders(tmp_path, monkeypatch):
    """A scenario inside the working folder is named by its relative path; one elsewhere by its name
    only, so a pack leaves no home folders behind."""
    monkeypatch.chdir(SCENARIOS.parent)
    assert provenance(drill(BEFORE))["scenario_file"] == "scenarios/retail-chip-outage.yaml"
    elsewhere = tmp_path / "drills"
    elsewhere.mkdir()
    (elsewhere / "outage.yaml").write_text(
        BEFORE.read_text(encoding="utf-8").replace("graph: graphs/retail.json", "graph: retail.json"),
        encoding="utf-8",
    )
    (elsewhere / "retail.json").write_text(
        (SCENARIOS / "graphs" / "retail.json").read_text(), encoding="utf-8"
    )
    scenario = augur.load_scenario(elsewhere / "outage.yaml")
    text = review_html(augur.simulate(scenario.graph, scenario))
    assert embedded_json(text)["provenance"]["scenario_file"] == "outage.yaml"
    assert str(tmp_path) not in text


def test_main_report_applies_seed_and_horizon_overrides(tmp_path):
    """`augur report --steps 60 --seed 3` packs the drill it ran: the page's metrics and scenario say so."""
    written = main_report([str(BEFORE)], tmp_path, "html", seed=3, steps=60)
    text = written[0].read_text(encoding="utf-8")
    metrics = embedded_json(text)["metrics"]
    assert (metrics["steps"], metrics["seed"]) == (60, 3)
    rerun = augur.parse_scenario(yaml.safe_load(embedded_scenario(text)))
    assert plain(augur.simulate(rerun.graph, rerun).metrics) == metrics


def test_pack_zip_holds_the_pack_files_for_one_download(tmp_path):
    """The app's one-click export: one zip holding the pack's files, named as write_pack names them."""
    import io
    import zipfile

    data = pack_zip((drill(BEFORE), drill(AFTER)), "html", generated=WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["retail-chip-outage-vs-retail-chip-outage-mitigated.html"]
        page_text = archive.read(archive.namelist()[0]).decode("utf-8")
        # unzip tools give each file the mode stored here: readable by all, as written files are
        assert [entry.external_attr >> 16 for entry in archive.infolist()] == [0o644]
    assert embedded_json(page_text)["overall"] == "better"


def test_the_review_pack_needs_no_dashboard_server():
    """Importing the report for the command line loads neither Dash nor the app."""
    import subprocess
    import sys

    code = "import augur.report, sys; print(sorted({'dash', 'augur.app'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_chromium_s_scratch_folder_is_removed_though_its_profile_is_still_being_written(monkeypatch):
    """Chromium's helpers can write into its profile while the folder is removed ("Directory not
    empty"): the removal tries again and the folder goes; one that never empties is left, not raised
    after the pack was written."""
    real = report_export.shutil.rmtree
    calls = []

    def busy_twice(path, *args, **kwargs):
        calls.append(path)
        if len(calls) <= 2:
            raise OSError(39, "Directory not empty", str(Path(path) / "profile" / "Default"))
        real(path, *args, **kwargs)

    monkeypatch.setattr(report_export.shutil, "rmtree", busy_twice)
    with report_export._scratch_folder("augur-test-", wait=0) as folder:
        (Path(folder) / "profile" / "Default").mkdir(parents=True)
    assert len(calls) == 3 and not Path(folder).exists()

    def always_busy(path, *args, **kwargs):
        raise OSError(39, "Directory not empty", path)

    monkeypatch.setattr(report_export.shutil, "rmtree", always_busy)
    with report_export._scratch_folder("augur-test-", wait=0) as folder:
        pass
    real(folder)
