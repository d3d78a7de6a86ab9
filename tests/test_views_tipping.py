"""The Tipping points view: a lever against a field of the drill's shocks, the verdict of every cell
and the boundary, checked on a chain counted by hand.

The chain: vendor a supplies vendor b, which supplies the shop; a goes down completely. One unit of
stock covers one step of total shortfall (docs/model.md, the step's rule 4), so stock of v steps at b
keeps the shop whole through an outage of d steps exactly when v >= d; stock at a cannot cover a's own
outage. The browser test takes tipping.png at 1280x800 into the download folder (docs/screenshots/
with AUGUR_DOCS=1).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from browsing import choose, fresh_page

from augur import sweep
from augur.app import create_app, ids
from augur.app.components.tipping import _bound, _store, grid_axes
from augur.app.design import graph_store, scenario_store
from augur.cli import main
from augur.errors import ScenarioError
from augur.graph import build_graph
from augur.io import to_node_link
from augur.scenario import dump_scenario, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
NAME = "Chain outage"


def chain():
    return build_graph(
        [
            ("n", {"id": "a", "kind": "vendor"}),
            ("n", {"id": "b", "kind": "vendor"}),
            ("n", {"id": "shop", "kind": "process"}),
        ],
        [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})],
    )


def chain_drill() -> dict:
    shock = {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3}
    return {"name": NAME, "steps": 30, "shocks": [shock]}


def test_the_boundary_on_the_chain_is_the_hand_count_in_words():
    """Stock at b: the least that holds an outage of d steps is d, said per row and in a sentence;
    set on every vendor (a too), the boundary is the same, since a's stock cannot cover a."""
    G = chain()
    scenario = parse_scenario(chain_drill(), graph=G)
    graph = graph_store(G, "chain")
    at_b = sweep.tipping(G, scenario, vary=("buffer", 0, 6), against=("duration", 1, 5), nodes=["b"])
    store = _store(at_b, G, scenario, graph, "b")
    assert [(b["shock_value"], b["lever_value"]) for b in store["boundary"]] == [(d, d) for d in range(1, 6)]
    assert store["rows"][2] == {"shock": "a duration of 3 hours", "least": "3 hours of stock at b"}
    assert store["summary"] == (
        "GRACEFUL at a duration of 1 hour takes 1 hour of stock at b, and 5 hours at a duration of 5 hours."
    )
    vendors = sweep.tipping(G, scenario, vary=("buffer", 0, 6), against=("duration", 1, 5), nodes=["vendor"])
    assert vendors.boundary == at_b.boundary
    assert _store(vendors, G, scenario, graph, "vendor")["where"] == "each vendor (2)"


def test_a_grid_that_tips_for_good_says_from_where():
    """Stock up to 3 steps holds outages up to 3 steps; from 4 nothing on the grid does."""
    G = chain()
    scenario = parse_scenario(chain_drill(), graph=G)
    grid = sweep.tipping(G, scenario, vary=("buffer", 0, 3), against=("duration", 2, 5), nodes=["b"])
    summary = _store(grid, G, scenario, graph_store(G, "chain"), "b")["summary"]
    assert summary.endswith("From a duration of 4 hours no value on the grid holds it.")


def test_the_axes_and_the_bound_beside_them():
    """Blank ends and reversed ranges are refused as `augur tipping` refuses them; the work is
    cells x nodes x steps against the app's bound."""
    with pytest.raises(ScenarioError) as blank:
        grid_axes("buffer", 0, None, "duration", 1, 5)
    assert blank.value.place == "--vary"
    with pytest.raises(ScenarioError) as reversed_:
        grid_axes("buffer", 0, 5, "duration", 5, 1)
    assert reversed_.value.place == "--against" and "LO <= HI" in reversed_.value.message
    text, refused = _bound("buffer", 0, 6, "duration", 1, 5, 3, 30)
    assert not refused and text.startswith(
        "7 lever values × 5 duration values. 35 drills × 3 nodes × 30 steps"
    )
    # 35 drills x 1,000 nodes x 5,000 steps = 175,000,000: past the app's 100,000,000, within augur tipping's
    text, refused = _bound("buffer", 0, 6, "duration", 1, 5, 1_000, 5_000)
    assert refused and "narrower ranges" in text and "command line" in text


def test_a_grid_past_the_study_budget_is_refused_in_augur_tippings_words(tmp_path, capsys):
    """31 x 30 drills x 100,000 nodes x 100 steps = 9,300,000,000 node-steps, past the 400,000,000 a study
    may take: the view refuses it as augur tipping does (exit 2), with the same words, not by sending
    it to the command line. What fits: 400,000,000 // (100,000 x 100) = 40 drills, a grid of 6 x 6
    (--steps-of 6), or 400,000,000 // (930 x 100,000) = 4 steps."""
    text, refused = _bound("buffer", 0, 30, "duration", 1, 30, 100_000, 100)
    said = (
        "--steps-of: a tipping grid of 31 × 30 values is 930 drills × 100,000 nodes × 100 steps = "
        "9,300,000,000 node-steps, over the budget of 400,000,000: use at most 6 values per axis "
        "(--steps-of 6), or at most 4 steps (--steps)"
    )
    assert refused and text == said
    G = build_graph([("n", {"id": "v", "kind": "vendor"}), ("n", {"id": "p", "kind": "process"})],
                    [("e", {"source": "v", "target": "p"})])  # fmt: skip
    s = parse_scenario({"name": "s", "steps": 20_000, "shocks": [
        {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10}]}, graph=G)  # fmt: skip
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    args = [
        "tipping",
        str(path),
        "--vary",
        "buffer=0:100000",
        "--against",
        "duration=1:19000",
        "--steps-of",
        "1000",
    ]
    assert main(args) == 2
    assert "a tipping grid of 1,000 × 1,000 values is 1,000,000 drills × 2 nodes × 20,000 steps" in (
        capsys.readouterr().err
    )


def _callback(app, name):
    """The function a callback named ``name`` runs (for a background job, what its process calls)."""
    spec = next(v for v in app.callback_map.values() if getattr(v.get("callback"), "__name__", "") == name)
    return spec["callback"].__wrapped__


def test_the_goal_of_the_drills_hypothesis_asks_no_more_than_graceful():
    """The bundled inbox drill states a hypothesis of degraded, and a token-limit cut cascades nowhere
    (the drill's own account: no retries, no cascade), so every cell of stock 0..16 at the support
    desk against durations 2..16 is degraded or better: the hypothesis goal's least is 0 at each
    duration, never more than graceful's, which needs stock: as bundled, 1.5 at the desk leaves the
    drill degraded at its duration of 8, so graceful there takes more than 1.5, 2 or more; and it is what
    ``augur.sweep.tipping(..., goal="hypothesis")`` gives. The goal is offered in ``goal_text``'s
    words and the headline and the boundary's heading name it; a drill with no hypothesis is offered
    graceful alone."""
    path = ROOT / "scenarios" / "inbox-autopilot-rate-limit.yaml"
    scenario = load_scenario(path)
    graph, store = graph_store(scenario.graph, "inbox-autopilot.json"), scenario_store(scenario)
    app = create_app(path)
    meta = {"name": "inbox-autopilot.json", "nodes": scenario.graph.number_of_nodes()}
    *_, options, value = _callback(app, "tipping_describe")(store, meta, "duration", "hypothesis")
    assert [o["label"] for o in options] == ["GRACEFUL", "meet its hypothesis (DEGRADED or better)"]
    assert value == "hypothesis"
    *_, options, value = _callback(app, "tipping_describe")(
        {**store, "hypothesis": None}, meta, None, "hypothesis"
    )
    assert [o["value"] for o in options] == ["graceful"] and value == "graceful"
    run = _callback(app, "tipping_run")
    axes = ("buffer", "support-desk", 0, 16, "duration", 2, 16)
    found = {
        goal: run(lambda _values: None, 1, graph, store, *axes, goal)[0]
        for goal in ("graceful", "hypothesis")
    }
    least = {goal: [b["lever_value"] for b in r["boundary"]] for goal, r in found.items()}
    assert least["hypothesis"] == [0] * 15 and least["graceful"][8 - 2] >= 2
    assert all(h <= g for h, g in zip(least["hypothesis"], least["graceful"]))
    direct = sweep.tipping(
        scenario.graph, scenario, vary=("buffer", 0, 16), against=("duration", 2, 16), nodes=["support-desk"],
        goal="hypothesis",
    )  # fmt: skip
    assert found["hypothesis"]["boundary"] == direct.boundary and direct.hypothesis
    assert found["hypothesis"]["summary"].startswith(
        "To meet its hypothesis (DEGRADED or better) at a duration of 2 hours takes"
    )
    assert found["graceful"]["summary"].startswith("GRACEFUL at a duration of 2 hours takes")
    head = _callback(app, "tipping_show")(found["hypothesis"])[-1]
    assert (
        head
        == "Where it tips: the least that makes it meet its hypothesis (DEGRADED or better), per shock value"
    )


# -------------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def app_duo(module_dash_duo, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("AUGUR_JOBS_DIR", str(tmp_path_factory.mktemp("jobs")))
    folder = tmp_path_factory.mktemp("drills")
    (folder / "chain.yaml").write_text(yaml.safe_dump({**chain_drill(), "graph": to_node_link(chain())}))
    module_dash_duo.start_server(create_app(folder / "chain.yaml"), navigate=False)
    return module_dash_duo


def _wait(predicate, timeout=60.0, message="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def _visible(duo, element_id: str) -> bool:
    return duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]); return !!el && el.offsetParent !== null;", element_id
    )


def set_number(duo, component: str, value) -> None:
    field = duo.find_element(f"#{component}")
    field.clear()
    field.send_keys(str(value))
    field.send_keys("\t")


def heatmap(duo) -> list:
    return duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');"
        "return el && el.data ? el.data.map(function (t) { return {name: t.name, x: t.x, y: t.y, z: t.z}; })"
        " : null;",
        ids.TIPPING_HEATMAP,
    )


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
@pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning")
def test_a_tipping_grid_on_the_chain_draws_the_hand_counted_boundary(app_duo):
    duo = app_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    tab = next(t for t in duo.find_elements(f"#{ids.VIEW_TABS} .view-tab") if t.text == "Tipping points")
    tab.click()
    _wait(lambda: _visible(duo, ids.TIPPING_PAGE), message="the Tipping points view")
    _wait(lambda: NAME in duo.find_element(f"#{ids.TIPPING_INTRO}").text, message="the intro")
    choose(duo, f"#{ids.TIPPING_NODES}", "b")
    _wait(lambda: duo.find_element(f"#{ids.TIPPING_LEVER_HIGH}").get_attribute("value"), message="defaults")
    set_number(duo, ids.TIPPING_LEVER_LOW, 0)
    set_number(duo, ids.TIPPING_LEVER_HIGH, 8)
    set_number(duo, ids.TIPPING_FIELD_LOW, 1)
    set_number(duo, ids.TIPPING_FIELD_HIGH, 6)
    _wait(
        lambda: duo.find_element(f"#{ids.TIPPING_BOUND}").text.startswith(
            "9 lever values × 6 duration values"
        ),
        message="the grid's size",
    )
    duo.find_element(f"#{ids.TIPPING_RUN}").click()
    # 54 drills of 3 nodes take less than the browser's first poll: the grid may be done before any
    # progress shows, so the test waits for the heatmap (the random-shock test sees progress)
    _wait(lambda: _visible(duo, ids.TIPPING_HEATMAP), timeout=120, message="the heatmap")
    traces = _wait(lambda: heatmap(duo), message="the heatmap drawn")
    cells, line = traces[0], traces[1]
    # graceful (0) exactly where the stock covers the outage, v >= d
    assert [[z == 0 for z in row] for row in cells["z"]] == [[v >= d for v in range(9)] for d in range(1, 7)]
    assert line["x"] == [1, 2, 3, 4, 5, 6] and line["y"] == [1, 2, 3, 4, 5, 6]
    summary = duo.find_element(f"#{ids.TIPPING_SUMMARY}").text
    assert summary.startswith("GRACEFUL at a duration of 1 hour takes 1 hour of stock at b")
    assert "6 hours of stock at b" in duo.find_element(f"#{ids.TIPPING_BOUNDARY}").text
    folder = SHOTS if os.environ.get("AUGUR_DOCS") else Path(duo.download_path)
    duo.driver.save_screenshot(str(folder / "tipping.png"))
    assert duo.get_logs() == []
