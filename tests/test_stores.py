"""Browser state checked before it is trusted (augur.app.stores) and the saved design reopened.

The callbacks are called through Dash's endpoint with the values a browser would send, including
values no version of the app wrote: each gives a message, never an HTTP 500.
"""

from __future__ import annotations

import base64
import json

import pytest
from serving import ROOT

from augur import load_scenario, simulate, write_graph
from augur.app import create_app, ids
from augur.app.design import build_scenario, graph_store, scenario_store
from augur.app.stores import (
    KEEP_LIMIT,
    checked_graph_store,
    checked_saved_design,
    checked_scenario_store,
    keep_note,
    kept_size,
)
from augur.errors import AugurError, GraphError, ScenarioError
from augur.generate import layered_supply_graph

pytestmark = pytest.mark.filterwarnings(
    r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"
)

RETAIL = ROOT / "scenarios" / "retail-chip-outage.yaml"


@pytest.fixture(scope="module")
def app():
    return create_app(ROOT / "scenarios")


def call(app, name: str, *values):
    """Call the callback named ``name`` as the browser does; return the response's JSON and status."""
    key, spec = next(
        (k, v) for k, v in app.callback_map.items() if getattr(v.get("callback"), "__name__", "") == name
    )
    outputs = [dict(zip(("id", "property"), part.split(".", 1))) for part in key.strip(".").split("...")]
    declared = spec["inputs"] + spec["state"]
    filled = [{**d, "value": v} for d, v in zip(declared, values)]
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": filled[: len(spec["inputs"])],
        "state": filled[len(spec["inputs"]) :],
        "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    return response.status_code, (
        json.loads(response.data)["response"] if response.status_code == 200 else None
    )


@pytest.fixture(scope="module")
def design():
    scenario = load_scenario(RETAIL)
    return graph_store(scenario.graph, "retail.json"), scenario_store(scenario), scenario


# ------------------------------------------------------------------------------------------- checks


@pytest.mark.parametrize(
    "store, expected",
    [
        (None, "got nothing"),
        (["a"], "got a list"),
        ({"name": "g", "data": {}}, "got no rev"),
        ({"rev": 7, "name": "g", "data": {}}, "got an int for rev"),
        ({"rev": "1", "name": "g", "data": []}, "got a list for data"),
    ],
)
def test_a_graph_store_augur_did_not_write_is_a_graph_error(store, expected):
    with pytest.raises(GraphError, match=expected):
        checked_graph_store(store)


@pytest.mark.parametrize(
    "store, expected",
    [
        ("x", "got a str"),
        ([{}], "got a list"),
        ({"shocks": "x"}, "a str for shocks"),
        ({"shocks": [1]}, "a list for shocks"),
    ],
)
def test_a_scenario_store_augur_did_not_write_is_a_scenario_error(store, expected):
    with pytest.raises(ScenarioError, match=expected):
        checked_scenario_store(store)


def test_a_saved_design_is_checked_whole(design):
    graph, scenario, _ = design
    saved = {"version": 1, "graph": graph, "scenario": scenario, "ran": True}
    assert checked_saved_design(saved) == {"graph": graph, "scenario": scenario, "ran": True}
    assert checked_saved_design({**saved, "ran": "yes"})["ran"] is False
    for bad in ("x", {**saved, "version": 2}, {**saved, "scenario": []}, {**saved, "graph": {"name": "g"}}):
        with pytest.raises(AugurError, match="could not be reopened"):
            checked_saved_design(bad)
    with pytest.raises(AugurError, match=r"on big.json, was too large .* \(3.4 MB\)"):
        checked_saved_design({**saved, "graph": None, "graph_name": "big.json", "graph_size": 3_400_000})


def test_a_graph_above_the_limit_gets_a_note_and_one_below_none(design):
    graph, _, _ = design
    assert keep_note(graph) == "" and kept_size(graph) == len(json.dumps(graph, separators=(",", ":")))
    big = {**graph, "data": {**graph["data"], "padding": "x" * KEEP_LIMIT}}
    assert "too large for the browser to keep" in keep_note(
        big
    ) and "Download the scenario file" in keep_note(big)


# -------------------------------------------------------------------------------- through the endpoint


def test_running_with_stores_augur_did_not_write_is_a_message_not_a_500(app, design):
    graph, scenario, _ = design
    without_rev = {k: v for k, v in graph.items() if k != "rev"}
    fields = _fields(scenario)
    for bad_graph, bad_scenario, said in (
        (without_rev, scenario, "no rev"),
        (graph, ["a", "list"], "got a list"),
        (graph, {**scenario, "shocks": "x"}, "for shocks"),
        ("garbage", scenario, "got a str"),
    ):
        status, response = call(app, "run", 1, None, bad_graph, bad_scenario, 0, None, *fields)
        assert status == 200
        assert said in response[ids.RUN_MESSAGE]["children"]
        assert "error" in response[ids.RUN_MESSAGE]["className"]
        assert ids.DRILL not in response  # the results on screen are kept


def _fields(scenario):
    """The settings fields as the panel shows ``scenario`` (what Run reads beside the stores)."""
    return [
        scenario["name"],
        scenario["steps"],
        scenario.get("step_unit", "hour"),
        scenario["seed"],
        round(scenario.get("slo", 0.9) * 100, 2),
        scenario.get("token_budget"),
        scenario.get("hypothesis"),
    ]


def test_a_saved_design_reopens_and_runs_again_when_its_results_were_shown(app, design):
    graph, scenario, loaded = design
    saved = {"version": 1, "graph": graph, "scenario": scenario, "ran": True}
    status, response = call(app, "reopen", saved, 4)
    assert status == 200
    assert response[ids.GRAPH]["data"] == graph and response[ids.SCENARIO]["data"] == scenario
    assert response[ids.RUN]["n_clicks"] == 5  # one more click: the run callback runs it again
    assert "Reopened your design on retail.json" in response[ids.UPLOAD_MESSAGE]["children"]
    # what that run gives is the drill as it was: the engine's verdict on the saved design
    status, ran = call(app, "run", 5, None, graph, scenario, 0, None, *_fields(scenario))
    expected = simulate(loaded.graph, build_scenario(graph, scenario)).metrics
    assert ran[ids.DRILL]["data"]["metrics"]["verdict"] == expected["verdict"]

    status, response = call(app, "reopen", {**saved, "ran": False}, 4)
    assert ids.RUN not in response  # not run: its results were not on screen, or were of another design


def test_a_reopened_design_puts_the_picker_on_the_listed_drill_it_was_and_on_none_for_an_upload(app, design):
    """Saved as the retail drill picked from the list, the design reopens with the picker on
    retail-chip-outage.yaml; saved as an upload (no listed drill), or naming a file the folder does not
    list, the picker is cleared: it never names a drill that is not on screen."""
    graph, scenario, _ = design
    saved = {"version": 1, "graph": graph, "scenario": scenario, "ran": False}
    for on_screen, shown in (
        ("retail-chip-outage.yaml", "retail-chip-outage.yaml"),
        (None, None),
        ("x.yaml", None),
    ):
        response = call(app, "reopen", {**saved, "on_screen": on_screen}, 4)[1]
        assert response[ids.PICKER]["value"] == shown and response[ids.ON_SCREEN]["data"] == shown


def test_a_saved_design_that_does_not_check_out_leaves_the_page_as_it_is(app, design):
    graph, scenario, _ = design
    broken = {**graph, "data": {**graph["data"], "nodes": [{"id": "a", "kind": "robot"}], "edges": []}}
    for saved, said in (
        ({"version": 1, "graph": broken, "scenario": scenario}, "could not be reopened"),
        (
            {"version": 1, "graph": None, "graph_name": "big.json", "graph_size": 9e6, "scenario": scenario},
            "too large",
        ),
        ([1, 2, 3], "could not be reopened"),
    ):
        status, response = call(app, "reopen", saved, None)
        assert status == 200
        assert said in response[ids.UPLOAD_MESSAGE]["children"]
        assert ids.GRAPH not in response and ids.SCENARIO not in response


def test_an_upload_too_large_to_keep_says_so_beside_the_upload(app, design, tmp_path):
    """300 nodes with 8,000 characters of notes each: 2.4 million characters, above what is kept."""
    G = layered_supply_graph(300, 600, seed=3)
    for node in G:
        G.nodes[node]["notes"] = "n" * 8000
    raw = write_graph(G, tmp_path / "annotated.json").read_bytes()
    content = "data:application/json;base64," + base64.b64encode(raw).decode()
    status, response = call(app, "upload", [content], ["annotated.json"], design[1], None, None, None, None)
    assert status == 200
    assert kept_size(response[ids.GRAPH]["data"]) > KEEP_LIMIT
    # the generated graph's ungrouped inputs get their note on a line of its own, below
    note, ungrouped = response[ids.UPLOAD_MESSAGE]["children"]
    assert "average their ungrouped inputs" in ungrouped["props"]["children"]
    assert note.startswith("Loaded annotated.json.")
    assert "too large for the browser to keep (2.4 MB of JSON; it keeps 2 MB)" in note
