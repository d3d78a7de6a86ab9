"""The drill app without a browser: the network layout, the design stores, the payload
the timeline replays, and the Dash callbacks themselves, driven through the app's own HTTP endpoint."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import plotly.io
import plotly.utils
import pytest
import yaml
from dash import no_update

from augur import Status, graphs_equal, load_graph, load_scenario, simulate, write_graph
from augur.app import create_app, ids
from augur.app.compare import PINNED_CHOICE, OnScreen, compare_pair, other_drill
from augur.app.components import actions
from augur.app.design import (
    Catalogue,
    build_scenario,
    graph_of,
    graph_store,
    read_design_upload,
    scenario_file,
    scenario_store,
    shock_form_fields,
    with_settings,
    with_shock,
    without_shock,
)
from augur.app.edit import edit_node
from augur.app.layout import CHART_CONFIG, shock_list
from augur.app.network import (
    FULL_VIEW_LIMIT,
    KIND_SHAPES,
    group_view,
    layered_positions,
    network_stylesheet,
    network_view,
    supply_layers,
)
from augur.app.payload import drill_payload, quality_frames, status_frames
from augur.drawing import LABEL_LIMIT, layered_drawing
from augur.errors import AugurError, ScenarioError
from augur.figures import STATUS_COLOURS
from augur.generate import layered_supply_graph
from augur.io._common import json_text
from augur.report import compare_facts
from augur.scenario import parse_scenario_text

# the event log is a DataTable, which Dash says will leave its core in a future major version
pytestmark = pytest.mark.filterwarnings(
    r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"
)

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
DATA = ROOT / "tests" / "data" / "graphs"
RETAIL = ROOT / "scenarios" / "retail-chip-outage.yaml"
KYC = ROOT / "scenarios" / "kyc-retry-storm.yaml"
OKABE_ITO = {"#009E73", "#E69F00", "#D55E00", "#56B4E9", "#CC79A7", "#0072B2", "#F0E442", "#000000"}


# ------------------------------------------------------------------------------------------- network


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_layout_puts_every_supplier_left_of_its_dependents(path):
    """In the layered layout each edge outside a cycle runs left to right."""
    G = load_scenario(path).graph
    positions = layered_positions(G)
    import networkx as nx

    cyclic = {v for c in nx.strongly_connected_components(G) if len(c) > 1 for v in c}
    for u, v in G.edges:
        if not ({u, v} <= cyclic):
            assert positions[u][0] < positions[v][0], f"{u} -> {v}"


def test_layout_reads_vendors_to_processes(retail):
    """Vendors sit in the leftmost layer, business processes in the rightmost."""
    layers = supply_layers(retail.graph)
    kinds = dict(retail.graph.nodes(data="kind"))
    vendors = [layers[v] for v in layers if kinds[v] == "vendor"]
    processes = [layers[v] for v in layers if kinds[v] == "process"]
    assert min(vendors) == 0
    assert set(processes) == {max(layers.values())}


def test_large_graphs_switch_to_a_grouped_view():
    """Above the full-view limit the network is drawn as groups that partition the nodes."""
    G = layered_supply_graph(FULL_VIEW_LIMIT + 1, 3 * FULL_VIEW_LIMIT, seed=3)
    view = network_view(G)
    assert view["grouped"] and "groups" in view["note"]
    rows, groups = group_view(G)
    assert view["nodes"] == rows["nodes"]
    members = [v for group in groups for v in group]
    assert sorted(members) == sorted(G.nodes)
    assert len(groups) <= 40
    small = network_view(load_scenario(RETAIL).graph)
    assert not small["grouped"] and (len(small["nodes"]), len(small["edges"])) == (13, 12)


def test_group_edges_are_each_groups_heaviest_flows():
    G = layered_supply_graph(300, 900, seed=5)
    rows, groups = group_view(G)
    of = {v: i for i, members in enumerate(groups) for v in members}
    flows = {}
    for u, v in G.edges:
        if of[u] != of[v]:
            flows[of[u], of[v]] = flows.get((of[u], of[v]), 0) + 1
    drawn = {(a, b): count for a, b, _, count in rows["edges"]}
    assert all(flows[pair] == count for pair, count in drawn.items())
    for group in {a for a, _ in flows}:  # each group's three heaviest flows out are drawn
        out = sorted((c for (a, _), c in flows.items() if a == group), reverse=True)
        assert sorted((c for (a, _), c in drawn.items() if a == group), reverse=True) == out[:3]


def test_stylesheet_has_a_colour_blind_safe_colour_per_status_and_a_shape_per_kind():
    rules = network_stylesheet(n_nodes=10)
    colours = {r["style"]["background-color"] for r in rules if r["selector"].startswith("node[s = ")}
    assert colours == set(STATUS_COLOURS.values()) and colours <= OKABE_ITO
    shapes = {r["style"]["shape"] for r in rules if r["selector"].startswith("node[kind")}
    assert len(shapes) == len(KIND_SHAPES) == 5


def test_the_network_view_sends_each_bend_and_each_label_as_the_layout_drew_them():
    """An edge the layout bends round a node reaches the browser with its bend, drawn as the same
    curve (unbundled bezier, control point off the line between the node centres); labels break
    where the layout planned, after hyphens too, and wrap at its width."""
    G = load_scenario(ROOT / "scenarios" / "manufacturer-port-congestion.yaml").graph
    drawing = layered_drawing(G)
    view = network_view(G)
    names = [row[0] for row in view["nodes"]]
    bent = {(names[row[0]], names[row[1]]): row[3] for row in view["edges"] if len(row) > 3}
    assert bent and bent == {edge: round(bend, 1) for edge, bend in drawing.bends.items()}
    rules = {rule["selector"]: rule["style"] for rule in view["stylesheet"]}
    assert rules["edge[bend]"]["curve-style"] == "unbundled-bezier"
    assert rules["edge[bend]"]["control-point-distances"] == "data(bend)"
    assert rules["edge[bend]"]["edge-distances"] == "node-position"
    assert rules['node[id = "scheduling-model"]']["label"] == drawing.labels["scheduling-model"]
    assert drawing.labels["scheduling-model"].startswith("Production-\n")
    assert rules["node"]["text-max-width"] >= drawing.label_width
    large = network_view(layered_supply_graph(LABEL_LIMIT + 1, 3 * LABEL_LIMIT, seed=2))
    assert all(len(row) == 3 for row in large["edges"])


# -------------------------------------------------------------------------------------------- design


def test_graph_store_round_trips_the_graph(retail):
    assert graphs_equal(graph_of(graph_store(retail.graph, "retail.json")), retail.graph)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_bundled_drill_opened_in_the_app_runs_as_it_does_on_the_command_line(path):
    scenario = load_scenario(path)
    stores = graph_store(scenario.graph, path.name), scenario_store(scenario)
    built = build_scenario(*stores)
    assert simulate(built.graph, built).metrics == simulate(scenario.graph, scenario).metrics


def test_a_shock_on_an_unknown_node_is_refused_with_its_name(retail):
    store = scenario_store(retail.scenario)
    shock = shock_form_fields("vendor_failure", "acme-chip", 5, 3, 1.0)
    with pytest.raises(ScenarioError, match=r"unknown node 'acme-chip'.*acme-chips"):
        with_shock(store, shock, retail.graph)


def test_shocks_are_added_and_removed(retail):
    store = scenario_store(retail.scenario)
    edge = shock_form_fields("logistics_bottleneck", ["port-long-beach", "coastline-freight"], 5, 4, 0.3, 2)
    added = with_shock(store, edge, retail.graph)
    assert added["shocks"][-1] == {**edge, "target": ["port-long-beach", "coastline-freight"]}
    assert added["rev"] != store["rev"]
    assert without_shock(added, len(added["shocks"]) - 1)["shocks"] == store["shocks"]


def test_a_horizon_that_cuts_a_shock_is_refused(retail):
    store = scenario_store(retail.scenario)
    with pytest.raises(ScenarioError, match="starts at step 10"):
        with_settings(store, steps=5)
    with pytest.raises(ScenarioError, match="slo"):
        with_settings(store, slo=1.5)
    assert with_settings(store, steps=store["steps"]) == store
    assert with_settings(store, steps=50)["steps"] == 50


def test_the_downloaded_scenario_reproduces_the_drill_through_the_cli(tmp_path, kyc):
    """`augur run` on the app's scenario file gives the verdict and figures the app shows."""
    G = kyc.graph
    store = with_shock(
        scenario_store(kyc.scenario), shock_form_fields("demand_spike", "onboarding", 30, 6, 2.5), G
    )
    name, text = scenario_file(graph_store(G, "kyc.json"), store)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "augur.cli", "run", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    expected = simulate(G, build_scenario(G, store)).metrics
    assert json.loads(out.stdout) == json.loads(json_text(expected))  # figures as the CLI prints them


def _upload(paths):
    contents = [
        "data:application/octet-stream;base64," + base64.b64encode(Path(p).read_bytes()).decode()
        for p in paths
    ]
    return contents, [Path(p).name for p in paths]


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".graphml", ".xlsx", "pair"])
def test_every_graph_format_uploads(tmp_path, retail, suffix):
    """The upload takes every format of docs/model.md's "File formats": node-link JSON and YAML,
    GraphML, Excel, and a nodes + edges CSV pair."""
    if suffix == "pair":
        paths = [DATA / "retail-nodes.csv", DATA / "retail-edges.csv"]
    else:
        paths = [write_graph(retail.graph, tmp_path / f"retail{suffix}")]
    what, G = read_design_upload(*_upload(paths))
    assert what == "graph"
    assert (
        graphs_equal(G, load_graph(DATA / "retail.json"))
        if suffix == "pair"
        else graphs_equal(G, retail.graph)
    )


@pytest.mark.parametrize(
    "names",
    [
        ["missing-comma.json"],
        ["bad-indent.yaml"],
        ["billion-laughs.yaml"],
        ["billion-laughs.graphml"],
        ["external-entity.graphml"],
        ["typo-nodes.csv", "typo-edges.csv"],
        ["typo-edges.csv"],
    ],
)
def test_a_bad_upload_gets_one_message_naming_the_file(names):
    with pytest.raises(AugurError) as info:
        read_design_upload(*_upload([DATA / "invalid" / n for n in names]))
    message = str(info.value)
    assert "\n" not in message.strip()
    assert any(n in message for n in names)


def test_an_uploaded_scenario_must_carry_its_graph():
    """An uploaded scenario that names its graph by path is refused: the server never opens a path
    it was sent."""
    with pytest.raises(ScenarioError, match="upload it together with that graph file"):
        read_design_upload(*_upload([RETAIL]))


def test_a_scenario_uploaded_with_the_graph_file_it_names_runs_as_the_cli_runs_it(retail):
    graph = ROOT / "scenarios" / "graphs" / "retail.json"
    what, scenario = read_design_upload(*_upload([RETAIL, graph]))
    assert (what, scenario.graph_ref) == ("scenario", "graphs/retail.json")
    assert simulate(scenario.graph, scenario).metrics == retail.metrics


def test_a_scenario_uploaded_with_its_csv_pair_runs_as_the_cli_runs_it():
    path = ROOT / "scenarios" / "manufacturer-port-congestion.yaml"
    pair = [ROOT / "scenarios" / "graphs" / f"manufacturer-{part}.csv" for part in ("nodes", "edges")]
    what, scenario = read_design_upload(*_upload([*pair, path]))
    expected = load_scenario(path)
    assert what == "scenario"
    assert simulate(scenario.graph, scenario).metrics == simulate(expected.graph, expected).metrics


def test_a_scenario_uploaded_with_another_graph_file_names_the_one_it_expected():
    other = ROOT / "scenarios" / "graphs" / "kyc.json"
    with pytest.raises(ScenarioError) as info:
        read_design_upload(*_upload([RETAIL, other]))
    assert str(info.value) == (
        "retail-chip-outage.yaml: graph: this scenario names its graph graphs/retail.json, "
        "but the file uploaded with it is kyc.json; expected retail.json"
    )


def test_two_scenarios_in_one_upload_are_refused():
    with pytest.raises(ScenarioError, match="2 scenarios uploaded"):
        read_design_upload(*_upload([RETAIL, ROOT / "scenarios" / "kyc-retry-storm.yaml"]))


def test_an_uploaded_scenario_with_its_graph_inline_opens(retail):
    name, text = scenario_file(graph_store(retail.graph, "retail.json"), scenario_store(retail.scenario))
    contents = "data:application/x-yaml;base64," + base64.b64encode(text.encode()).decode()
    what, scenario = read_design_upload([contents], [name])
    assert what == "scenario"
    assert simulate(scenario.graph, scenario).metrics == retail.metrics


def test_the_downloaded_scenario_keeps_the_random_section_it_was_opened_with(app):
    """parse -> the app's store -> Scenario file -> parse gives the file's drill back, its random:
    section included (300 runs, 1 to 2 shocks, start days 5 to 45, as the bundled file writes them);
    with its node gone from the graph, a section naming it is left out, the drill still saves, and
    the message beside the download says what was left out and why."""
    path = ROOT / "scenarios" / "manufacturer-port-congestion.yaml"
    first = load_scenario(path)
    graph = graph_store(first.graph, "manufacturer.json")
    _, text = scenario_file(graph, scenario_store(first))
    again = parse_scenario_text(text)
    assert again.random == first.random
    assert (again.random.runs, again.random.shocks, again.random.start) == (300, (1, 2), (5, 45))
    assert [s.to_dict() for s in again.shocks] == [s.to_dict() for s in first.shocks]
    assert (again.name, again.steps, again.seed, again.slo) == (
        first.name,
        first.steps,
        first.seed,
        first.slo,
    )
    # a section naming a node the graph no longer has is refused by the file reader: left out
    stale = {**scenario_store(first), "random": {**scenario_store(first)["random"], "targets": ["gone"]}}
    problems: list[str] = []
    _, text = scenario_file(graph, stale, problems=problems)
    assert parse_scenario_text(text).random is None
    assert len(problems) == 1 and "gone" in problems[0]
    # and the page says so beside the download, where it said nothing of them
    sent = Session(app).call("download", 1, graph, stale)[ids.RUN_MESSAGE]["children"]
    assert sent.endswith(
        f"Its random shocks are left out, as they no longer fit it: {problems[0].rstrip('.')}."
    )


def test_the_catalogue_opens_on_the_retail_cascade_and_opens_nothing_else():
    catalogue = Catalogue.scan(ROOT / "scenarios")
    assert catalogue.default == "retail-chip-outage.yaml"
    assert {name for name, _ in catalogue.entries} == {p.name for p in SCENARIOS}
    for outside in ("../pyproject.toml", "/etc/passwd", "graphs/retail.json"):
        with pytest.raises(ScenarioError):
            catalogue.path(outside)
    single = Catalogue.scan(KYC)
    assert single.default == KYC.name


def test_two_drills_with_one_name_are_told_apart_by_their_file_names(tmp_path):
    text = RETAIL.read_text(encoding="utf-8").replace("graphs/", str(ROOT / "scenarios" / "graphs") + "/")
    for name in ("outage-a.yaml", "outage-b.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    labels = dict(Catalogue.scan(tmp_path).entries)
    title = load_scenario(RETAIL).name
    assert labels == {
        "outage-a.yaml": f"{title} (outage-a.yaml)",
        "outage-b.yaml": f"{title} (outage-b.yaml)",
    }


# ------------------------------------------------------------------------------------------- payload


def test_status_frames_spell_the_trajectory(kyc):
    frames = status_frames(kyc)
    decoded = np.array([[int(c) for c in row] for row in frames])
    np.testing.assert_array_equal(decoded, kyc.trajectory.status)


def test_quality_frames_round_to_twentieths(kyc):
    frames = quality_frames(kyc)
    decoded = np.array([[ord(c) - ord("A") for c in row] for row in frames]) / 20
    np.testing.assert_allclose(decoded, kyc.trajectory.quality, atol=0.025 + 1e-9)


def test_a_2000_node_payload_is_json_and_compact():
    """The run sends a 2,000-node drill once, as JSON of a few hundred kilobytes."""
    G = layered_supply_graph(2000, 6000, seed=1)
    vendor = next(v for v, k in G.nodes(data="kind") if k == "vendor")
    store = {"name": "big", "steps": 96, "slo": 0.9, "seed": 0, "rev": "r", "shocks": []}
    store = with_shock(store, shock_form_fields("vendor_failure", vendor, 5, 20, 1.0), G)
    result = simulate(G, build_scenario(G, store))
    payload = drill_payload(result, graph_rev="g", scenario=store)
    text = plotly.io.json.to_json_plotly(payload)
    assert len(text) < 2_000_000
    assert len(payload["status"]) == 96 and len(payload["status"][0]) == 2000


def test_grouped_payload_gives_the_share_failed_per_group():
    G = layered_supply_graph(400, 1200, seed=2)
    _, groups = group_view(G)
    vendors = [v for v, k in G.nodes(data="kind") if k == "vendor"][:40]
    store = {"name": "g", "steps": 30, "slo": 0.9, "seed": 0, "rev": "r", "shocks": []}
    store = with_shock(store, shock_form_fields("vendor_failure", vendors, 2, 10, 1.0), G)
    result = simulate(G, build_scenario(G, store))
    payload = drill_payload(result, graph_rev="g", scenario=store, groups=groups)
    index = {v: i for i, v in enumerate(result.trajectory.nodes)}
    t, g = 8, 0
    cols = [index[v] for v in groups[g]]
    down = np.isin(result.trajectory.status[t, cols], (Status.FAILED, Status.RECOVERING)).mean()
    assert payload["groups"]["failed"][t][g] == pytest.approx(down, abs=1e-3)
    assert "status" not in payload


# ------------------------------------------------------------------------------- callbacks over HTTP


class Session:
    """One browser session, played through the app's callback endpoint: it keeps its own stores and
    sends them with each request, as the browser does."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        self.client.get("/")  # the page, as a browser would load it first
        layout = app.layout
        self.stores = {
            store.id: store.data
            for store in _walk(layout)
            if getattr(store, "id", None) in (ids.GRAPH, ids.GRAPH_META, ids.SCENARIO, ids.ON_SCREEN)
        }

    def call(self, name, *values, trigger=0):
        """Call the callback named ``name`` with input and state values in declaration order;
        return ``{component id: {prop: value}}`` of what it changed (empty when it changed nothing)."""
        key, spec = next(
            (k, v)
            for k, v in self.app.callback_map.items()
            if getattr(v.get("callback"), "__name__", "") == name
        )
        outputs = [
            {"id": part.split(".")[0], "property": part.split(".", 1)[1]}
            for part in key.strip(".").split("...")
        ]
        declared = spec["inputs"] + spec["state"]
        assert len(values) == len(declared), f"{name} takes {len(declared)} values"
        filled = [_filled(d, v) for d, v in zip(declared, values)]
        inputs, state = filled[: len(spec["inputs"])], filled[len(spec["inputs"]) :]
        changed = inputs[trigger]
        if isinstance(changed, list):  # a pattern-matching input: the first of its components changed
            changed = {
                **changed[0],
                "id": json.dumps(changed[0]["id"], separators=(",", ":"), sort_keys=True),
            }
        body = {
            "output": key,
            "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": inputs,
            "state": state,
            "changedPropIds": [f"{changed['id']}.{changed['property']}"],
        }
        response = self.client.post("/_dash-update-component", json=body)
        if response.status_code == 204:
            return {}
        assert response.status_code == 200, response.data[:500]
        return json.loads(response.data)["response"]


def _filled(declared: dict, value):
    """One input or state as the browser sends it; an ALL pattern is a list, one item per component."""
    if '"ALL"' not in declared["id"]:
        return {**declared, "value": value}
    pattern = json.loads(declared["id"])
    key = next(k for k, v in pattern.items() if v == ["ALL"])
    return [
        {"id": {**pattern, key: i}, "property": declared["property"], "value": v} for i, v in enumerate(value)
    ]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from _walk(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from _walk(children)


@pytest.fixture(scope="module")
def app():
    return create_app(ROOT / "scenarios")


# What an upload reads of the drill it replaces (the listed drill on screen, the edits kept, its graph
# and the designer's drill a view's drill stands in for): none, as after an upload.
NOT_LISTED = (None, None, None, None)


def _open(session, name, kept=None):
    """Pick ``name`` in the drill picker, the session's stores sent as the page sends them."""
    stores = session.stores
    response = session.call(
        "open_bundled", name, stores.get(ids.ON_SCREEN), stores.get(ids.EDITS), stores[ids.GRAPH],
        stores[ids.SCENARIO], kept,
    )  # fmt: skip
    for store in (ids.GRAPH, ids.SCENARIO, ids.ON_SCREEN, ids.EDITS):
        if store in response:
            session.stores[store] = response[store]["data"]
    return response


def _fields(scenario, **typed):
    """The settings fields as the panel shows ``scenario``, with ``typed`` values in place (by the
    scenario key: name, steps, step_unit, seed, slo as a percentage, token_budget, hypothesis)."""
    shown = {
        "name": scenario.get("name", ""),
        "steps": scenario.get("steps"),
        "step_unit": scenario.get("step_unit", "hour"),
        "seed": scenario.get("seed"),
        "slo": round(scenario.get("slo", 0.9) * 100, 2),
        "token_budget": scenario.get("token_budget"),
        "hypothesis": scenario.get("hypothesis"),
    }
    shown.update(typed)
    return list(shown.values())


def _run(session, step=0, tapped=None, **typed):
    """Press Run, with the settings fields as they show the scenario store, or as ``typed``."""
    graph, scenario = session.stores[ids.GRAPH], session.stores[ids.SCENARIO]
    return session.call("run", 1, None, graph, scenario, step, tapped, *_fields(scenario, **typed))


def test_the_app_opens_on_the_retail_cascade_ready_to_run(app):
    session = Session(app)
    assert session.stores[ids.SCENARIO]["name"] == load_scenario(RETAIL).name
    assert session.stores[ids.GRAPH]["nodes"] == 13


def test_run_shows_the_engines_verdict_and_figures(app, retail):
    session = Session(app)
    response = _run(session)
    expected = retail.metrics
    payload = response[ids.DRILL]["data"]
    assert payload["metrics"]["verdict"] == expected["verdict"]
    assert payload["metrics"]["time_to_survive"] == expected["time_to_survive"]
    assert expected["verdict"].upper() in json.dumps(response[ids.VERDICT_BADGE]["children"])
    assert len(response[ids.EVENTS]["data"]) == len(retail.events)
    assert response[ids.SLIDER]["max"] == expected["steps"] - 1


def test_a_bad_upload_changes_nothing_but_the_message(app):
    session = Session(app)
    contents, names = _upload([DATA / "invalid" / "missing-comma.json"])
    response = session.call("upload", contents, names, session.stores[ids.SCENARIO], *NOT_LISTED)
    assert set(response) == {ids.UPLOAD_MESSAGE, ids.UPLOAD}
    assert "missing-comma.json" in response[ids.UPLOAD_MESSAGE]["children"]
    assert response[ids.UPLOAD_MESSAGE]["className"] == "message error"


def test_a_good_upload_opens_the_graph_and_keeps_the_shocks_that_fit(app):
    session = Session(app)
    contents, names = _upload([DATA / "retail-nodes.csv", DATA / "retail-edges.csv"])
    response = session.call("upload", contents, names, session.stores[ids.SCENARIO], *NOT_LISTED)
    assert response[ids.GRAPH_META]["data"]["nodes"] == load_graph(DATA / "retail.json").number_of_nodes()
    assert response[ids.SCENARIO]["data"]["shocks"] == session.stores[ids.SCENARIO]["shocks"]
    assert response[ids.DRILL]["data"] is None  # the old results belong to the old graph
    assert len(response[ids.NETWORK_VIEW]["data"]["nodes"]) == 8


def test_an_uploaded_graph_says_beside_the_upload_what_it_kept_of_the_drill_and_what_it_dropped(app):
    """The retail drill (120 days, seed 7, SLO 90%, one shock on acme-chips, a story and the
    hypothesis 'cascade') under the grocery graph, which has no acme-chips: the note keeps the
    horizon, seed and SLO and drops the shock, naming its target and why, the hypothesis and the
    story. The retail graph uploaded instead keeps the shock, and says so."""
    session = Session(app)
    current = session.stores[ids.SCENARIO]
    contents, names = _upload([DATA / "grocery.json"])
    note = session.call("upload", contents, names, current, *NOT_LISTED)[ids.UPLOAD_MESSAGE]["children"]
    note = note[0] if isinstance(note, list) else note
    assert (
        "Kept from “Tier-2 chip outage at a smart-home retailer”: its 120 days, seed 7 and SLO of 90%; "
        "dropped the shock on acme-chips (not in this graph), its story and its hypothesis."
    ) in note
    contents, names = _upload([DATA / "retail.json"])
    note = session.call("upload", contents, names, current, *NOT_LISTED)[ids.UPLOAD_MESSAGE]["children"]
    note = note[0] if isinstance(note, list) else note
    assert "its 120 days, seed 7, SLO of 90% and its shock; dropped its story and its hypothesis." in note


def test_clicking_a_group_of_the_grouped_view_says_how_to_reach_its_nodes(app):
    """A group is no shock target: the click leaves Target alone and names a member to type instead."""
    G = layered_supply_graph(FULL_VIEW_LIMIT + 500, 3 * FULL_VIEW_LIMIT, seed=3)
    rows, members = group_view(G)
    node, kind, example = rows["nodes"][0][0], rows["nodes"][0][2], rows["nodes"][0][6]
    assert example in members[0] and G.nodes[example]["kind"] == kind
    tap = Session(app).call("choose_target", {"id": node, "label": rows["nodes"][0][1], "group": 1,
                                              "example": example}, None, "vendor_failure", "vendor_failure")  # fmt: skip
    assert ids.SHOCK_TARGET not in tap
    assert f"type its id in Target (for example {example})" in tap[ids.SHOCK_MESSAGE]["children"]
    edge = {"source": "g0", "target": "g1", "group": 1, "count": 1234}
    tap = Session(app).call("choose_target", None, edge, "vendor_failure", "vendor_failure", trigger=1)
    assert ids.SHOCK_TARGET not in tap and "1,234 links" in tap[ids.SHOCK_MESSAGE]["children"]


def test_the_views_outage_and_timing_fields_are_labelled_in_the_drill_s_unit(app):
    """The retail drill counts days: the weak points' outage reads "Outage starts at day" and "Down
    for (days)", the random timing rows "Start day" and "Duration (days)"; in a drill of hours they
    say hours; the shock form's Start, Duration and Extra delay alike. Never "step", the word the
    view's other numbers in days do not use."""
    session = Session(app)
    scenario, meta = session.stores[ids.SCENARIO], session.stores[ids.GRAPH_META]
    weak = session.call("outage_labels", scenario)
    assert weak[ids.WEAK_START_LABEL]["children"] == "Outage starts at day"
    assert weak[ids.WEAK_DURATION_LABEL]["children"] == "Down for (days)"
    shown = session.call("random_describe", scenario, meta, 3000)
    assert shown[ids.RANDOM_START_LABEL]["children"] == "Start day"
    assert shown[ids.RANDOM_DURATION_LABEL]["children"] == "Duration (days)"
    assert shown[ids.RANDOM_INTRO]["children"].startswith("3,000 drills on")
    hourly = {**scenario, "step_unit": "hour"}
    assert session.call("random_describe", hourly, meta, 200)[ids.RANDOM_DURATION_LABEL]["children"] == (
        "Duration (hours)"
    )
    # the shock form's times too, as its list says them ("day 10 to day 30")
    form = session.call("shock_timing_labels", scenario)
    assert [form[i]["children"] for i in (ids.SHOCK_START_LABEL, ids.SHOCK_DURATION_LABEL)] == [
        "Start day",
        "Duration (days)",
    ]
    assert (
        session.call("shock_timing_labels", hourly)[ids.SHOCK_DELAY_LABEL]["children"]
        == "Extra delay (hours)"
    )


def test_a_click_on_a_node_sets_the_target_and_keeps_the_kind_the_designer_chose(app):
    """The designer chose a data-quality drop (the form last suggested vendor failure): a click on a
    process sets the target and leaves the kind, where it used to turn it into a demand spike. A
    rate-limit cut the designer chose cannot hit a vendor (AI services only): there the kind gives
    way to the vendor's vendor failure, and the designer is told why. Until a kind is chosen, a click
    still suggests the node's own (a process: demand spike)."""
    session = Session(app)
    process = {"id": "order-fulfilment", "label": "Order fulfilment", "kind": "process"}
    kept = session.call("choose_target", process, None, "data_quality_drop", "vendor_failure")
    assert kept == {ids.SHOCK_TARGET: {"value": "order-fulfilment"}}
    vendor = {"id": "acme-chips", "label": "Acme Chips (tier 2)", "kind": "vendor"}
    moved = session.call("choose_target", vendor, None, "rate_limit_cut", "vendor_failure")
    assert moved[ids.SHOCK_KIND]["value"] == "vendor_failure"
    assert moved[ids.SHOCK_MESSAGE]["children"] == (
        "Kind set to Vendor failure: a rate-limit cut hits AI services only, and Acme Chips (tier 2) "
        "is a vendor."
    )
    suggested = session.call("choose_target", process, None, "vendor_failure", "vendor_failure")
    assert suggested[ids.SHOCK_KIND]["value"] == "demand_spike"
    assert suggested[ids.SHOCK_SUGGESTED]["data"] == "demand_spike"


def test_drilling_a_weak_point_keeps_the_designed_drill_and_back_restores_it(app):
    """The designer adds a bottleneck at dc-west to the retail drill (2 shocks) and turns its SLO to
    85%. Drilling the ranking's second row replaces the shocks with that node's outage alone, and
    keeps the designer's drill: the line over the shocks names both. A third row drilled from the
    second keeps the designer's drill, not the second row's. Back puts the 2 shocks and the 85% back,
    the settings fields with them, runs it, and the line goes. A drill the designer edited after a
    row set it is theirs: drilling another row keeps that one."""
    from augur.app.components.weak_points import find_weak_points

    session = Session(app)
    graph, meta = session.stores[ids.GRAPH], session.stores[ids.GRAPH_META]
    start = session.stores[ids.SCENARIO]
    added = session.call("add_shock", 1, "dc-west", "logistics_bottleneck", 40, 10, 0.2, 2, start, graph)
    mine = session.call("change_settings", *_fields(added[ids.SCENARIO]["data"], slo=85),
                        added[ids.SCENARIO]["data"], "")[ids.SCENARIO]["data"]  # fmt: skip
    assert len(mine["shocks"]) == 2 and mine["slo"] == 0.85
    weak = find_weak_points(graph, mine)

    def drill(row, scenario, kept):
        done = session.call("drill_row", {"rowId": str(row)}, None, weak, None, graph, scenario, kept)
        assert done[ids.SHOCK_MESSAGE]["children"] == ""  # no "Shock added" about shocks now gone
        return done[ids.SCENARIO]["data"], done[ids.KEPT]["data"]

    second, kept = drill(1, mine, None)
    assert kept["scenario"] == mine and [s["target"] for s in second["shocks"]] == [weak["rows"][1]["target"]]
    bar = session.call("show_kept", kept, second, meta)
    assert bar[ids.KEPT_BAR]["hidden"] is False
    assert bar[ids.KEPT_TEXT]["children"] == (
        f"Drilling “{second['name']}”. Your drill “{mine['name']}” (2 shocks) is kept."
    )
    third, kept = drill(2, second, kept)
    assert kept["scenario"] == mine and third["name"] != second["name"]
    back = session.call("back_to_kept", 1, kept, meta)
    assert back[ids.SCENARIO]["data"] == mine and back[ids.KEPT]["data"] is None
    assert back[ids.SLO]["value"] == 85 and back[ids.NAME]["value"] == mine["name"]
    assert back[ids.RUN_REQUEST]["data"]  # run as it is
    assert session.call("show_kept", None, mine, meta)[ids.KEPT_BAR]["hidden"] is True
    edited = session.call("remove_shock", [1], third, trigger=0)[ids.SCENARIO]["data"]
    _, kept_now = drill(3, edited, kept)
    assert kept_now["scenario"] == edited


def test_the_empty_pairs_table_says_why_it_is_empty_in_the_app_s_words(app):
    """Before Find pairs the table reads "No pairs yet: Find pairs fills this table...", and after
    a sweep that found none, that the sets above say what was tried: never AG Grid's "No Rows To
    Show"."""
    from augur.text import weak_view as words

    session = Session(app)
    before = session.call("show_pairs", None)[ids.PAIRS_GRID]["dashGridOptions"]["localeText"]
    assert before == {"noRowsToShow": words.PAIRS_NOT_YET}
    found = {"rows": [], "caption": "0 pairs", "sets_text": "", "key": None}
    after = session.call("show_pairs", found)[ids.PAIRS_GRID]["dashGridOptions"]["localeText"]
    assert after == {"noRowsToShow": words.PAIRS_NONE}


def test_picking_another_drill_keeps_the_edits_of_the_one_left_and_picking_it_back_restores_them(app):
    """The designer gives dc-west a 9-step buffer (the file's 3) in the Edit tab of the retail drill (header:
    'graphs/retail.json (edited)') and picks the KYC drill: the note says the retail drill's edits
    are kept. Picking the retail drill again opens it as it was left (the edited graph, its 1 shock),
    the note saying so and "Open the file as saved" shown; pressing it opens the file itself. The KYC
    drill, left as its file has it, keeps nothing."""
    session = Session(app)
    retail = "retail-chip-outage.yaml"
    assert session.stores[ids.ON_SCREEN] == retail
    edited = edit_node(session.stores[ids.GRAPH], "dc-west", {"buffer": 9})
    session.stores[ids.GRAPH] = edited
    left = _open(session, "kyc-retry-storm.yaml")
    assert left[ids.UPLOAD_MESSAGE]["children"] == (
        "Opened kyc-retry-storm.yaml: ready to run. Your edits to retail-chip-outage.yaml are kept: pick it "
        "again to have them back."
    )
    assert left[ids.EDITS]["data"][retail]["graph"] == edited and left[ids.RESTORED]["data"] is None
    back = _open(session, retail)
    assert back[ids.GRAPH]["data"] == edited and back[ids.ON_SCREEN]["data"] == retail
    assert back[ids.UPLOAD_MESSAGE]["children"] == (
        "Opened retail-chip-outage.yaml with your edits, as you left it: 1 shock on graphs/retail.json (edited)."
    )
    assert graph_of(back[ids.GRAPH]["data"]).nodes["dc-west"]["buffer"] == 9
    assert back[ids.EDITS]["data"] == {}  # the KYC drill was as its file has it: nothing to keep
    assert session.call("show_as_saved", retail, retail)[ids.EDITS_BAR]["hidden"] is False
    saved = session.call("open_as_saved", 1, retail)
    assert saved[ids.GRAPH]["data"]["name"] == "graphs/retail.json"
    assert graph_of(saved[ids.GRAPH]["data"]).nodes["dc-west"]["buffer"] == 3
    assert saved[ids.UPLOAD_MESSAGE]["children"] == (
        "Opened retail-chip-outage.yaml as the file has it: your edits to it are dropped."
    )
    assert session.call("show_as_saved", None, retail)[ids.EDITS_BAR]["hidden"] is True


def test_the_drill_left_keeps_the_designers_shocks_when_a_views_drill_stands_in_for_them(app):
    """The designer adds a second shock to the retail drill, then drills a weak point (one shock,
    the designer's 2 kept, as components.kept keeps them). Picking the KYC drill keeps the
    designer's drill of 2 shocks, not the view's of 1, for the retail drill."""
    session = Session(app)
    graph = session.stores[ids.GRAPH]
    start = session.stores[ids.SCENARIO]
    mine = session.call("add_shock", 1, "dc-west", "logistics_bottleneck", 40, 10, 0.2, 2, start, graph)[
        ids.SCENARIO
    ]["data"]
    view = {**mine, "name": "Weak point: dc-west fails alone", "rev": "drilled", "shocks": mine["shocks"][:1]}
    session.stores[ids.SCENARIO] = view
    kept = {"scenario": mine, "graph_rev": graph["rev"], "by": "drilled"}
    left = _open(session, "kyc-retry-storm.yaml", kept=kept)
    assert left[ids.EDITS]["data"]["retail-chip-outage.yaml"]["scenario"] == mine
    assert len(mine["shocks"]) == 2


def test_a_drill_that_fails_to_load_leaves_the_picker_on_the_drill_shown_and_names_its_file(tmp_path):
    """A folder of the retail drill and bad.yaml (a shock on 'acme-chip', not a node). Picking bad.yaml
    leaves the retail drill on screen and puts the picker back on it; the message names bad.yaml as
    the picker lists it, not by the server's path."""
    shutil.copytree(ROOT / "scenarios" / "graphs", tmp_path / "graphs")
    good = (ROOT / "scenarios" / "retail-chip-outage.yaml").read_text()
    (tmp_path / "retail-chip-outage.yaml").write_text(good)
    (tmp_path / "bad.yaml").write_text(good.replace("target: acme-chips", "target: acme-chip"))
    session = Session(create_app(tmp_path))
    response = _open(session, "bad.yaml")
    assert ids.GRAPH not in response and ids.SCENARIO not in response
    assert response[ids.PICKER]["value"] == "retail-chip-outage.yaml"
    message = response[ids.UPLOAD_MESSAGE]["children"]
    assert message.startswith("bad.yaml: shocks[0].target: unknown node 'acme-chip'"), message
    assert str(tmp_path) not in message


def test_the_shock_list_says_when_a_shock_lasts_to_the_end_of_the_horizon():
    """A duration past the horizon is cut there: the list says "to the end", not "for 500 days"."""
    store = {"steps": 120, "step_unit": "day", "shocks": [
        {"kind": "vendor_failure", "target": "acme-chips", "start": 10, "duration": 500},
        {"kind": "vendor_failure", "target": "foldseal", "start": 10, "duration": 12}]}  # fmt: skip
    text = json.dumps(shock_list(store), cls=plotly.utils.PlotlyJSONEncoder)
    assert "day 10 to the end" in text and "500" not in text
    assert "day 10 to day 21 (12 days)" in text


def test_shocks_are_designed_through_the_callbacks(app):
    """Click a node, add a shock, see it listed, remove it: the scenario store follows."""
    session = Session(app)
    opening = ("vendor_failure", "vendor_failure")  # the kind the form opens on, as it was suggested
    tap = session.call("choose_target", {"id": "dc-west", "kind": "logistics"}, None, *opening)
    assert tap[ids.SHOCK_TARGET]["value"] == "dc-west"
    assert tap[ids.SHOCK_KIND]["value"] == "logistics_bottleneck"
    scenario, graph = session.stores[ids.SCENARIO], session.stores[ids.GRAPH]
    added = session.call("add_shock", 1, "dc-west", "logistics_bottleneck", 40, 10, 0.2, 2, scenario, graph)
    new = added[ids.SCENARIO]["data"]
    assert new["shocks"][-1] == {"kind": "logistics_bottleneck", "target": "dc-west", "start": 40,
                                 "duration": 10, "capacity": 0.2, "delay": 2}  # fmt: skip
    refused = session.call("add_shock", 1, "dc-wets", "vendor_failure", 40, 10, 1, 0, scenario, graph)
    assert "dc-west" in refused[ids.SHOCK_MESSAGE]["children"] and ids.SCENARIO not in refused
    again = session.call("add_shock", 1, "dc-west", "logistics_bottleneck", 40, 10, 0.2, 2, new, graph)
    number = len(new["shocks"])
    assert again[ids.SHOCK_MESSAGE]["children"] == f"this shock is already in the list (shock {number})"
    assert ids.SCENARIO not in again  # the same shock twice would double it
    removed = session.call("remove_shock", [1, 0], new, trigger=0)
    assert removed[ids.SCENARIO]["data"]["shocks"] == new["shocks"][1:]
    # the bundled story told of the shocks it came with; the edited drill no longer carries it
    assert scenario.get("description") and "description" not in new
    assert "description" not in removed[ids.SCENARIO]["data"]


def test_settings_that_cut_a_shock_are_refused_beside_the_settings(app):
    session = Session(app)
    s = session.stores[ids.SCENARIO]
    response = session.call("change_settings", s["name"], 5, "day", s["seed"], 90, None, None, s, "")
    assert ids.SCENARIO not in response
    assert "starts at step" in response[ids.SETTINGS_MESSAGE]["children"]


@pytest.mark.parametrize(
    ("steps", "seed", "slo", "expected"),
    [
        (1, 0, 90, "Steps: expected an integer number of steps from 2 to 100000, got 1"),
        (None, 0, 90, "Steps: enter a number."),
        (96, 0, 150, "SLO %: expected a number from 0 to 100, got 150."),
        (96, 0, None, "SLO %: enter a number."),
        # a fraction typed in the percent field: 0.95 would be an SLO of 0.95 %
        (96, 0, 0.95, "SLO %: 0.95 reads as 0.95%; did you mean 95%?"),
        (96, 0, 1, "SLO %: 1 reads as 1%; did you mean 100%?"),
        (96, -1, 90, "Seed: expected an integer >= 0, got -1"),
    ],
)
def test_settings_out_of_range_or_empty_are_refused_with_what_was_expected(app, steps, seed, slo, expected):
    session = Session(app)
    s = session.stores[ids.SCENARIO]
    response = session.call("change_settings", s["name"], steps, "day", seed, slo, None, None, s, "")
    assert ids.SCENARIO not in response
    assert response[ids.SETTINGS_MESSAGE] == {"children": expected, "className": "message error"}


def test_a_token_budget_below_baseline_is_refused_under_its_label(app):
    session = Session(app)
    s = session.stores[ids.SCENARIO]
    response = session.call("change_settings", s["name"], 96, "day", 0, 90, 0.5, None, s, "")
    assert ids.SCENARIO not in response
    assert response[ids.SETTINGS_MESSAGE]["children"].startswith("Token budget ×: expected 1 or more")


def test_the_step_unit_chosen_is_what_the_verdict_speaks_in_and_what_the_scenario_file_keeps(app, tmp_path):
    session = Session(app)
    s = session.stores[ids.SCENARIO]
    assert s["step_unit"] == "day"  # the retail drill's own unit
    response = session.call(
        "change_settings", s["name"], s["steps"], "week", s["seed"], 90, None, "cascade", s, ""
    )
    session.stores[ids.SCENARIO] = response[ids.SCENARIO]["data"]
    kpis = str(_run(session)[ids.KPIS]["children"])
    assert "weeks" in kpis and "days" not in kpis
    sent = session.call("download", 1, session.stores[ids.GRAPH], session.stores[ids.SCENARIO])[ids.DOWNLOAD]
    path = tmp_path / sent["data"]["filename"]
    path.write_text(sent["data"]["content"], encoding="utf-8")
    assert load_scenario(path).step_unit == "week"


def test_run_is_refused_while_the_settings_are_refused(app):
    """Running the previous settings while the panel shows others would mislead: Run says why it waits."""
    session = Session(app)
    response = _run(session, slo=None)  # the SLO field emptied
    assert ids.DRILL not in response and ids.SCENARIO not in response
    assert response[ids.RUN_MESSAGE] == {
        "children": "Fix the settings first: SLO %: enter a number.",
        "className": "message error",
    }


def test_a_name_typed_just_before_run_is_the_name_of_the_run_and_leaves_no_design_changed_note(app):
    """The name field commits when it is left, which for a click on Run is as Run fires: the
    settings callback and Run then both start from the old store. Run applies the field itself,
    and both write the very same store, so the run carries the new name and the stale note
    (design changed since this run) has nothing to show, whichever answer lands last."""
    session = Session(app)
    old = session.stores[ids.SCENARIO]
    ran = _run(session, name="Chip outage, renamed")
    assert ran[ids.RUN_DESIGN]["data"]["scenario"]["name"] == "Chip outage, renamed"
    assert ran[ids.DRILL]["data"]["metrics"]["scenario"] == "Chip outage, renamed"
    stored = ran[ids.SCENARIO]["data"]
    assert stored == ran[ids.RUN_DESIGN]["data"]["scenario"]
    assert stored["rev"] != old["rev"]
    fields = _fields(old, name="Chip outage, renamed")
    settled = session.call("change_settings", *fields, old, "")[ids.SCENARIO]["data"]
    assert settled == stored  # the same revision too: the design on screen is the design that ran
    again = _run(session)  # nothing typed: Run leaves the store alone
    assert ids.SCENARIO not in again


@pytest.mark.parametrize(
    ("target", "kind", "duration", "expected"),
    [
        (
            "boardworks → port-long-beach",
            "vendor_failure",
            10,
            "target: an edge (boardworks → port-long-beach) takes a logistics bottleneck only; "
            "for a vendor failure, click a node",
        ),
        ("acme-chips", "vendor_failure", 0, "duration: expected a whole number of steps, 1 or more "
         "(empty: to the end), got 0"),
    ],
)  # fmt: skip
def test_a_shock_the_designer_cannot_mean_is_refused_not_reinterpreted(app, target, kind, duration, expected):
    """A node shock on a clicked edge would hit both its ends; a duration of 0 would last to the end."""
    session = Session(app)
    scenario, graph = session.stores[ids.SCENARIO], session.stores[ids.GRAPH]
    refused = session.call("add_shock", 1, target, kind, 5, duration, 1, 0, scenario, graph)
    assert ids.SCENARIO not in refused
    assert refused[ids.SHOCK_MESSAGE]["children"] == expected


def test_run_s_refusal_goes_once_the_settings_are_accepted(app):
    session = Session(app)
    s = session.stores[ids.SCENARIO]
    refusal = "Fix the settings first: SLO %: enter a number."
    fixed = session.call(
        "change_settings", s["name"], s["steps"], "day", s["seed"], 95, None, "cascade", s, refusal
    )
    assert fixed[ids.RUN_MESSAGE]["children"] == ""
    other = session.call(
        "change_settings", s["name"], s["steps"], "day", s["seed"], 96, None, "cascade", s, "Ran."
    )
    assert ids.RUN_MESSAGE not in other


def test_a_shock_without_a_start_says_so(app):
    session = Session(app)
    scenario, graph = session.stores[ids.SCENARIO], session.stores[ids.GRAPH]
    refused = session.call("add_shock", 1, "dc-west", "vendor_failure", None, 10, 1, 0, scenario, graph)
    assert refused[ids.SHOCK_MESSAGE]["children"] == "start: enter the step the shock starts at (1 or later)"


def test_download_gives_a_scenario_that_reruns_to_the_same_verdict(app, tmp_path):
    session = Session(app)
    response = session.call("download", 1, session.stores[ids.GRAPH], session.stores[ids.SCENARIO])
    sent = response[ids.DOWNLOAD]["data"]
    path = tmp_path / sent["filename"]
    path.write_text(sent["content"], encoding="utf-8")
    scenario = load_scenario(path)
    assert (
        simulate(scenario.graph, scenario).metrics["verdict"]
        == _run(session)[ids.DRILL]["data"]["metrics"]["verdict"]
    )


def _zip(sent) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(sent["content"])))
    return {name: archive.read(name) for name in archive.namelist()}


def _pack_json(page: bytes) -> dict:
    """The machine-readable block every review page embeds (its metrics, provenance)."""
    text = page.decode("utf-8")
    start = text.index('<script type="application/json" id="augur-pack">') + len(
        '<script type="application/json" id="augur-pack">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def test_export_review_after_a_graph_edit_says_the_design_changed_not_run_first(app):
    """With a result on screen and the graph edited since (a buffer set on Boardworks), Export review
    saves nothing and says the graph changed since the run: run it, then export; with no run at all it
    says to run the drill first."""
    session = Session(app)
    graph, scenario = session.stores[ids.GRAPH], session.stores[ids.SCENARIO]
    design = _run(session)[ids.RUN_DESIGN]["data"]
    edited = edit_node(graph, "boardworks", {"buffer": 3})
    assert actions.export_pack(edited, design, scenario) == (
        None,
        "The graph changed since this run: run the drill again, then export its review pack.",
        True,
    )
    assert actions.export_pack(graph, None, scenario) == (
        None,
        "Run the drill first: the review pack reports the drill on screen.",
        True,
    )


def test_export_review_packs_the_drill_as_run_not_later_edits(app, retail):
    """Export review zips the review page and its PNG for the design that ran, not later edits,
    telling its progress as each of the two files is made: none, the page, then the picture. (The
    callback runs this in a background job; a browser test clicks it.)"""
    session = Session(app)
    graph, scenario = session.stores[ids.GRAPH], session.stores[ids.SCENARIO]
    told = []
    sent, _note, error = actions.export_pack(graph, None, scenario, lambda *step: told.append(step))
    assert sent is None and error
    assert told == []  # nothing made
    design = _run(session)[ids.RUN_DESIGN]["data"]
    edited = with_settings(scenario, name="A later edit", seed=99)
    sent, note, error = actions.export_pack(graph, design, edited, lambda *step: told.append(step))
    assert told == [(0, 2), (1, 2), (2, 2)]
    assert sent["filename"] == "tier-2-chip-outage-at-a-smart-home-retailer-review.zip"
    assert "as run, not your later edits" in note and not error
    files = _zip(sent)
    assert sorted(n.rsplit(".", 1)[1] for n in files) == ["html", "png"]
    expected = retail.metrics
    pack = _pack_json(next(data for name, data in files.items() if name.endswith(".html")))
    assert pack["metrics"]["verdict"] == expected["verdict"]
    assert pack["metrics"]["seed"] == expected["seed"] and pack["metrics"]["scenario"] == expected["scenario"]
    png = next(data for name, data in files.items() if name.endswith(".png"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1600, 1000)


def _callback(app, name):
    """The function a callback named ``name`` runs (for a background job, what its process calls)."""
    spec = next(v for v in app.callback_map.values() if getattr(v.get("callback"), "__name__", "") == name)
    return spec["callback"].__wrapped__


def test_an_export_that_fails_says_so_beside_the_button(app, monkeypatch, caplog):
    """Making the pack raises KeyError('text') (a server running old and new code at once did): the
    Export review job sends no download and puts one error sentence in the message under the
    buttons, where the job failed and the button just reset; the fault is in the server's log."""
    session = Session(app)
    graph, scenario = session.stores[ids.GRAPH], session.stores[ids.SCENARIO]
    design = _run(session)[ids.RUN_DESIGN]["data"]

    def broken(*_args, **_kwargs):
        raise KeyError("text")

    monkeypatch.setattr(actions, "review_pack", broken)
    sent, text, css = _callback(app, "export_review")(lambda _values: None, 1, graph, design, scenario)
    assert sent is no_update and css == "message error"
    assert text == (
        "The review pack could not be made (KeyError: 'text'), so nothing was saved: reload the page and "
        "export again; if it fails again, the server's log has the details."
    )
    assert "Export review failed" in caplog.text and "KeyError: 'text'" in caplog.text


# ------------------------------------------------------------------------------------ before and after


def _compare(
    session, choice, *, trigger=0, same=("same",), hidden=True, swapped=False, pinned=None, design=None
):
    return session.call(
        "compare",
        1,
        choice,
        0,
        list(same),
        hidden,
        swapped,
        pinned,
        session.stores[ids.GRAPH],
        design,
        session.stores[ids.SCENARIO],
        dict(CHART_CONFIG),
        trigger=trigger,
    )


def test_compare_refuses_drills_counted_in_different_units(app):
    """The retail drill counts days, the KYC drill hours: side by side the figures would not line up."""
    session = Session(app)
    response = _compare(session, "kyc-retry-storm.yaml", trigger=1, same=(), hidden=False)
    message = response[ids.COMPARE_MESSAGE]["children"]
    assert "counts in days and the bundled drill in hours" in message
    assert "Set 'One step is' to hour" in message


def _pin(session) -> dict:
    """Run the design on screen and pin it, as 'Pin as before' does."""
    design = _run(session)[ids.RUN_DESIGN]["data"]
    return {
        "graph": session.stores[ids.GRAPH],
        "scenario": design["scenario"],
        "name": "x",
        "verdict": "cascade",
    }


def test_compare_refuses_a_pinned_run_over_another_horizon(app):
    """Pinned at 120 days, run again at 60: summed losses would differ only because the drill stopped."""
    session = Session(app)
    pinned = _pin(session)
    session.stores[ids.SCENARIO] = {**session.stores[ids.SCENARIO], "steps": 60}
    design = _run(session)[ids.RUN_DESIGN]["data"]
    response = _compare(
        session, PINNED_CHOICE, same=(), pinned=pinned, design=design, trigger=1, hidden=False
    )
    assert "runs 60 days and the pinned run 120" in response[ids.COMPARE_MESSAGE]["children"]


def _values(array) -> list[float]:
    """A figure's data array as sent to the browser: a list, or plotly's typed-array encoding."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _service_levels(figure) -> list[list[float]]:
    return [_values(trace["y"]) for trace in figure["data"]]


def _text(children) -> str:
    return json.dumps(children, ensure_ascii=False)


def test_compare_sets_the_chip_outage_beside_its_mitigation_and_calls_the_after_drill_better(app, retail):
    """The drill on screen (the retail cascade, as run) before its mitigated version: both verdicts,
    the KPI deltas marked, both service-level curves on one chart, and the pair's review pack."""
    session = Session(app)
    design = _run(session)[ids.RUN_DESIGN]["data"]
    empty = _compare(session, None, design=design)  # opened before a choice: what to do
    assert empty[ids.COMPARE]["hidden"] is False
    assert "Pin as before" in _text(empty[ids.COMPARE_BODY]["children"])
    assert empty[ids.COMPARE_EXPORT]["disabled"] is True

    response = _compare(session, "retail-chip-outage-mitigated.yaml", design=design)
    before = retail
    mitigated = load_scenario(ROOT / "scenarios" / "retail-chip-outage-mitigated.yaml")
    after = simulate(mitigated.graph, mitigated)
    body = _text(response[ids.COMPARE_BODY]["children"])
    assert '"data-overall": "better"' in body
    for result in (before, after):
        assert f'"data-verdict": "{result.metrics["verdict"]}"' in body
        assert result.scenario.name in body
    assert body.count("▲ better") == sum(
        r["direction"] == "better" for r in compare_facts(before, after)["rows"]
    )
    figure = response[ids.COMPARE_CHART]["figure"]
    curves = _service_levels(figure)
    assert curves[0] == pytest.approx(before.service_level.tolist())
    assert curves[1] == pytest.approx(after.service_level.tolist())
    assert [t["name"] for t in figure["data"]] == ["before: cascade", "after: graceful"]
    filename = response[ids.COMPARE_CHART]["config"]["toImageButtonOptions"]["filename"]
    assert filename.endswith("-service-level") and "-vs-" in filename
    assert response[ids.COMPARE_EXPORT]["disabled"] is False

    exported = session.call(
        "export_pair",
        1,
        False,
        "retail-chip-outage-mitigated.yaml",
        ["same"],
        None,
        session.stores[ids.GRAPH],
        design,
        session.stores[ids.SCENARIO],
    )
    sent = exported[ids.COMPARE_DOWNLOAD]["data"]
    assert sent["filename"] == (
        "tier-2-chip-outage-at-a-smart-home-retailer-vs-"
        "tier-2-chip-outage-with-a-second-source-and-buffer-stock.zip"
    )
    files = _zip(sent)
    pack = _pack_json(next(data for name, data in files.items() if name.endswith(".html")))
    assert pack["kind"] != "review"  # the before/after page, not a single review
    assert sorted(n.rsplit(".", 1)[1] for n in files) == ["html", "png"]

    swapped = _compare(session, "retail-chip-outage-mitigated.yaml", trigger=2, design=design, hidden=False)
    assert swapped[ids.COMPARE_SWAPPED]["data"] is True
    assert '"data-overall": "worse"' in _text(swapped[ids.COMPARE_BODY]["children"])


def test_a_pinned_run_is_before_and_the_changed_design_after(app):
    """Pin the cascade, open the mitigated drill and run it: the compare view sets the pinned run
    before the one on screen."""
    session = Session(app)
    pinned = _pin(session)
    _open(session, "retail-chip-outage-mitigated.yaml")
    design = _run(session)[ids.RUN_DESIGN]["data"]
    response = _compare(session, PINNED_CHOICE, pinned=pinned, design=design)
    body = response[ids.COMPARE_BODY]["children"]
    sides = [side["props"] for side in body[0]["props"]["children"] if "data-verdict" in side["props"]]
    assert [side["data-verdict"] for side in sides] == ["cascade", "graceful"]
    assert "pinned run" in _text(sides[0]) and "on screen, as run" in _text(sides[1])
    # the clientside pin callback names the same choice
    assert f"'{PINNED_CHOICE}'" in (ROOT / "assets" / "augur.js").read_text(encoding="utf-8")


def test_a_pinned_run_whose_shocks_changed_since_is_compared_as_it_ran(app):
    """Pin a full vendor outage, soften it to 10% and run: choosing the pinned run unticks 'Same
    shocks', so the view shows the pin's cascade beside today's milder drill, not two equal runs."""
    session = Session(app)
    pinned = _pin(session)
    softer = json.loads(json.dumps(session.stores[ids.SCENARIO]))
    softer["shocks"][0]["severity"] = 0.1
    session.stores[ids.SCENARIO] = softer
    design = _run(session)[ids.RUN_DESIGN]["data"]
    same = session.call("default_same_shocks", PINNED_CHOICE)[ids.COMPARE_SAME_SHOCKS]["value"]
    assert same == []
    body = _compare(session, PINNED_CHOICE, same=same, pinned=pinned, design=design)[ids.COMPARE_BODY]
    sides = [
        side["props"] for side in body["children"][0]["props"]["children"] if "data-verdict" in side["props"]
    ]
    assert [side["data-verdict"] for side in sides] == ["cascade", "graceful"]
    bundled = session.call("default_same_shocks", "retail-chip-outage-mitigated.yaml")
    assert bundled[ids.COMPARE_SAME_SHOCKS]["value"] == ["same"]


def test_the_other_drill_runs_under_the_shocks_on_screen():
    """With same shocks, the other drill keeps its graph and settings and takes the shocks on screen."""
    catalogue = Catalogue.scan(ROOT / "scenarios")
    drill = catalogue.load("retail-chip-outage.yaml")
    store = scenario_store(drill)
    store["shocks"] = [{"kind": "logistics_bottleneck", "target": "dc-west", "start": 20, "duration": 30,
                        "capacity": 0.1}]  # fmt: skip
    screen = OnScreen(graph_store(drill.graph, "retail"), store, run=True)
    other = other_drill("retail-chip-outage-mitigated.yaml", catalogue, None)
    before, after = compare_pair(screen, other, same_shocks=True)
    assert [s.to_dict() for s in after.scenario.shocks] == [s.to_dict() for s in before.scenario.shocks]
    assert after.scenario.steps == catalogue.load("retail-chip-outage-mitigated.yaml").steps
    _, as_is = compare_pair(screen, other, same_shocks=False)
    assert as_is.scenario.shocks == catalogue.load("retail-chip-outage-mitigated.yaml").shocks

    plant = other_drill("manufacturer-port-congestion.yaml", catalogue, None)  # also in days
    with pytest.raises(ScenarioError, match=r"dc-west.*Untick 'Same shocks'"):
        compare_pair(screen, plant, same_shocks=True)


def test_a_drill_that_does_not_fit_the_shocks_on_screen_is_explained_in_the_compare_view(app):
    session = Session(app)
    response = _compare(session, "manufacturer-port-congestion.yaml")
    assert response[ids.COMPARE]["hidden"] is False
    assert "Untick 'Same shocks'" in response[ids.COMPARE_MESSAGE]["children"]
    assert response[ids.COMPARE_EXPORT]["disabled"] is True


def test_a_choice_made_while_the_compare_view_is_closed_runs_nothing(app):
    """Pinning sets the picker while the view is closed: nothing is run until the view opens."""
    session = Session(app)
    response = _compare(session, PINNED_CHOICE, trigger=1, swapped=True)
    assert response == {ids.COMPARE_SWAPPED: {"data": False}}


def test_charts_offer_a_png_download_and_the_network_a_png_button(app):
    assert "toImage" not in CHART_CONFIG["modeBarButtonsToRemove"]
    assert "sendChartToCloud" in CHART_CONFIG["modeBarButtonsToRemove"]  # the data stays here
    assert CHART_CONFIG["toImageButtonOptions"]["format"] == "png"
    layout = {c.id: c for c in _walk(app.layout) if isinstance(getattr(c, "id", None), str)}
    assert ids.NETWORK_PNG in layout and ids.EXPORT in layout
    assert layout[ids.EXPORT].children == "Export review"


def test_a_node_in_hand_gets_its_chart_from_a_new_run(app):
    session = Session(app)
    tapped = {"id": "acme-chips", "label": "Acme Chips (tier 2)", "kind": "vendor"}
    figure = _run(session, tapped=tapped)[ids.NODE]["data"]["figure"]
    assert "Acme Chips" in figure["layout"]["title"]["text"]


def test_a_node_click_after_a_run_shows_that_nodes_story(app):
    session = Session(app)
    run = _run(session)
    design = run[ids.RUN_DESIGN]["data"]
    response = session.call(
        "node_story",
        {"id": "dc-west", "label": "West distribution centre"},
        design,
        session.stores[ids.GRAPH],
    )
    assert response[ids.DETAIL_TABS]["value"] == "node"
    assert response[ids.NODE]["data"]["node"] == "dc-west"
    assert "West distribution centre" in response[ids.NODE]["data"]["figure"]["layout"]["title"]["text"]


def test_two_sessions_never_see_each_others_drills(app):
    """The server keeps nothing between requests: sessions interleaved get exactly what each gets
    alone, and the app's modules hold the same globals before and after."""
    import augur.app.components.actions as actions_module
    import augur.app.components.compare as compare_module
    import augur.app.components.controls as controls_module
    import augur.app.components.shocks as shocks_module

    before = {m: dict(vars(m)) for m in (controls_module, shocks_module, actions_module, compare_module)}
    alone = Session(app)
    _open(alone, "kyc-retry-storm.yaml")
    kyc_alone = _run(alone)[ids.DRILL]["data"]["metrics"]

    first, second = Session(app), Session(app)
    _open(first, "kyc-retry-storm.yaml")
    _open(second, "retail-chip-outage-mitigated.yaml")
    second_result = _run(second)[ids.DRILL]["data"]["metrics"]
    first_result = _run(first)[ids.DRILL]["data"]["metrics"]
    assert first_result == kyc_alone
    assert second_result["scenario"] != first_result["scenario"]
    for module, names in before.items():
        assert vars(module).keys() == names.keys()
        assert all(vars(module)[k] is v for k, v in names.items())


def test_create_app_takes_a_file_or_a_folder_and_refuses_a_missing_one(tmp_path):
    single = create_app(KYC)
    assert Session(single).stores[ids.SCENARIO]["name"] == load_scenario(KYC).name
    with pytest.raises(AugurError, match="no such"):
        create_app(tmp_path / "nowhere")
    empty = create_app(tmp_path)  # no drills: the app still opens and says what to do
    assert Session(empty).stores[ids.GRAPH] is None


def test_the_scenario_store_is_plain_yaml_data(retail):
    """What the browser holds is exactly a scenario file's fields: it dumps to YAML as is."""
    store = scenario_store(retail.scenario)
    text = yaml.safe_dump({k: v for k, v in store.items() if k != "rev"})
    assert yaml.safe_load(text)["shocks"] == store["shocks"]


def test_a_drill_without_shocks_runs_and_is_graceful(app):
    """A freshly uploaded graph has no shocks yet: running it shows the calm baseline, not an error."""
    session = Session(app)
    contents, names = _upload(
        [ROOT / "scenarios" / "graphs" / "kyc.json"]
    )  # the retail shock has no target here
    opened = session.call("upload", contents, names, session.stores[ids.SCENARIO], *NOT_LISTED)
    session.stores[ids.GRAPH] = opened[ids.GRAPH]["data"]
    session.stores[ids.SCENARIO] = opened[ids.SCENARIO]["data"]
    assert session.stores[ids.SCENARIO]["shocks"] == []
    assert "hypothesis" not in session.stores[ids.SCENARIO]  # the old story's expectation is dropped
    response = _run(session)
    metrics = response[ids.DRILL]["data"]["metrics"]
    assert metrics["verdict"] == "graceful" and metrics["resilience_loss"] == 0
    assert "no shocks in this drill" in str(response[ids.KPIS]["children"])


def test_a_one_node_graph_is_drawn_and_runs():
    G = load_graph(DATA / "retail.json").subgraph(["acme-chips"]).copy()
    view = network_view(G)
    assert view["nodes"][0][0] == "acme-chips" and view["edges"] == []
    store = with_shock(
        {"name": "one", "steps": 10, "slo": 0.9, "seed": 0, "shocks": []},
        shock_form_fields("vendor_failure", "acme-chips", 2, 3, 1.0),
        G,
    )
    result = simulate(G, build_scenario(G, store))
    assert drill_payload(result, graph_rev="g", scenario=store)["status"][3] == "2"


def test_opening_another_drill_shows_its_own_horizon_on_the_timeline(app):
    """After a 120-day drill has run, opening a 48-hour one must not leave 120 days of ticks behind."""
    session = Session(app)
    ran = _run(session)
    assert ran[ids.SLIDER]["max"] == load_scenario(RETAIL).steps - 1
    voice = load_scenario(ROOT / "scenarios" / "voice-agent-telephony-outage.yaml")
    response = _open(session, "voice-agent-telephony-outage.yaml")
    assert response[ids.SLIDER]["max"] == voice.steps - 1
    assert response[ids.SLIDER]["disabled"] is True  # nothing to replay until it runs
    last = str(voice.steps - 1)
    assert response[ids.SLIDER]["marks"][last] == f"{last} hours"


def test_the_upload_carries_the_servers_request_limit_and_serve_passes_its_own(monkeypatch):
    """The page measures an upload against the limit the server enforces: create_app puts it on the
    upload (the bytes a request may spend on files, and the sentence to show), and augur serve hands
    create_app its --max-upload-mb, so the two never disagree."""
    import augur.app
    import augur.app.server
    from augur.app.components.controls import UPLOAD_MARGIN, upload_limits

    def limits(app):
        [box] = [c for c in _walk(app.layout) if getattr(c, "data-upload-limit", None) is not None]
        upload = next(c for c in _walk(box) if getattr(c, "id", None) == ids.UPLOAD)
        return int(getattr(box, "data-upload-limit")), getattr(box, "data-too-large"), upload.max_size

    spend, words, max_size = limits(create_app(ROOT / "scenarios", max_upload_mb=5))
    assert (spend, max_size) == (5 * 2**20 - UPLOAD_MARGIN, 5 * 2**20)
    assert f"limit {upload_limits(5)[1]:g} MB, the server's 5 MB" in words
    assert "{files}" in words and "{size}" in words  # filled in by the page, which measures the files

    served = {}
    monkeypatch.setattr(augur.app, "run_server", lambda app, options: served.update(app=app, options=options))
    augur.app.serve(ROOT / "scenarios", max_upload_mb=3)
    assert served["options"].max_upload_mb == 3
    assert limits(served["app"])[0] == 3 * 2**20 - UPLOAD_MARGIN
