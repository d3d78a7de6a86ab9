"""The app's Weak points view, off the browser: the sweep and pairs it runs on the design in the stores,
what it refuses, the drill a row sends to the main view, and the figures. The browser side is
tests/test_weak_points_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import graph

from augur import load_scenario, simulate
from augur.app.components import views
from augur.app.components import weak_points as view
from augur.app.components.charts import MODEBAR_BAND
from augur.app.design import build_scenario, graph_of, graph_store, scenario_store
from augur.app.network import network_view
from augur.errors import ScenarioError
from augur.figures.weak_points import quadrant, quadrant_points
from augur.generate import layered_supply_graph
from augur.sweep import criticality
from augur.text import weak_view as words

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def stock_chain(**a_attrs):
    """Vendor a -> logistics b (2 steps of stock) -> process c; c's output is the service."""
    return graph(
        {"a": ("vendor", a_attrs), "b": ("logistics", {"buffer": 2}), "c": "process"},
        [("a", "b"), ("b", "c")],
    )


def two_sources():
    """Vendors a and b both feed the shop, which needs half its supply: either one covers it."""
    return graph(
        {"a": "vendor", "b": "vendor", "shop": ("process", {"min_supply": 0.5})},
        [("a", "shop"), ("b", "shop")],
    )


def stores(G, **fields):
    return graph_store(G, "test graph"), scenario_store({"name": "drill", "steps": 20, **fields})


def roundtrip(data):
    """What the browser hands back: the store as JSON read again."""
    return json.loads(json.dumps(data))


def test_the_view_ranks_the_bundled_drill_as_the_library_does():
    """The retail drill swept in the view gives augur.sweep.criticality's rows, in its order, each named
    by its label, with the drilled outage (21 days from day 10) said in the caption."""
    drill = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    graph_data, scenario = graph_store(drill.graph, "retail.json"), scenario_store(drill)
    weak = view.find_weak_points(graph_data, scenario)
    expected = criticality(drill.graph, drill)
    assert [{k: r[k] for k in expected.keys} for r in weak["rows"]] == expected.rows
    assert [r["name"] for r in weak["rows"]][:2] == ["Acme Chips (tier 2)", "Boardworks Assembly (tier 1)"]
    assert "each node failed alone for 21 days from day 10, as the drilled outage" in weak["caption"]
    assert weak["caption"].startswith(f"{drill.name} (retail.json): 13 nodes swept (every kind)")


def test_a_vendor_sweep_counted_by_hand_and_its_row_drilled_gives_the_same_numbers():
    """Twenty steps, no shock: a is down from step 2 for 5 steps. b's 2 steps of stock cover steps 3
    and 4; b fails at 5..7 and c at 6..8: loss 3, two secondary failures, a cascade. Drilling the row
    runs that very outage: the drill's own metrics are the row's."""
    G = stock_chain()
    graph_data, scenario = stores(G)
    weak = roundtrip(view.find_weak_points(graph_data, scenario, kinds=["vendor"]))
    [row] = weak["rows"]
    assert (row["target"], row["resilience_loss"], row["secondary_failures"], row["verdict"]) == (
        "a",
        3.0,
        2,
        "cascade",
    )
    assert weak["kinds"] == ["vendor"] and "(vendor)" in weak["caption"]
    drilled = view.drill_design(graph_data, scenario, weak, ["a"])
    assert [(s["target"], s["start"], s["duration"]) for s in drilled["shocks"]] == [("a", 2, 5)]
    assert drilled["name"] == "Weak point: a fails alone"
    result = simulate(G, build_scenario(G, drilled))
    assert result.metrics["resilience_loss"] == row["resilience_loss"]
    assert result.metrics["verdict"] == row["verdict"]
    assert sorted(result.metrics["secondary_failures"]) == ["b", "c"]


def test_a_row_replaces_the_designs_shocks_and_keeps_its_settings():
    G = stock_chain()
    graph_data, scenario = stores(G, slo=0.95, shocks=[{"kind": "vendor_failure", "target": "c", "start": 9}])
    weak = view.find_weak_points(graph_data, scenario)
    drilled = view.drill_design(graph_data, scenario, weak, ["b"])
    assert [s["target"] for s in drilled["shocks"]] == ["b"]
    assert drilled["slo"] == 0.95 and drilled["steps"] == 20
    assert drilled["rev"] != scenario["rev"]
    # the sweep took the drilled shock's window: from step 9 to the end is a quarter of the horizon, 5
    assert (drilled["shocks"][0]["start"], drilled["shocks"][0]["duration"]) == (9, 5)


def test_an_outage_chosen_in_the_view_is_the_one_tried_and_said():
    G = stock_chain()
    graph_data, scenario = stores(G)
    weak = view.find_weak_points(graph_data, scenario, start=5, duration=3)
    assert (weak["outage"]["start"], weak["outage"]["duration"]) == (5, 3)
    assert "each node failed alone for 3 hours from hour 5, the outage chosen here" in weak["caption"]


@pytest.mark.parametrize(
    ("options", "place", "words_expected"),
    [
        ({"kinds": []}, "kinds", "Choose at least one kind"),
        ({"kinds": ["ai_service"]}, "kinds", "no AI service node to fail"),
        ({"start": 0}, "start", "expected a sweep's start from 1 to 19, got 0"),
        ({"start": 25}, "start", "expected a sweep's start from 1 to 19, got 25"),
        ({"duration": 0}, "duration", "expected a sweep's duration >= 1, got 0"),
        ({"duration": 2.5}, "duration", "expected a whole number of steps, got 2.5"),
    ],
)
def test_settings_that_give_no_sweep_are_refused_beside_their_field(options, place, words_expected):
    graph_data, scenario = stores(stock_chain())
    with pytest.raises(ScenarioError, match=words_expected) as caught:
        view.find_weak_points(graph_data, scenario, **options)
    assert caught.value.place == place


def test_a_sweep_over_the_limit_is_refused_before_it_runs_and_says_its_size():
    """Three drills of a three-node graph over 20 steps are 180 node-steps: over a limit of 179."""
    graph_data, scenario = stores(stock_chain())
    progress = []
    with pytest.raises(ScenarioError) as caught:
        view.find_weak_points(graph_data, scenario, limit=179, progress=lambda *p: progress.append(p))
    assert "3 drills of a 3-node graph over 20 steps: 180 node-steps, over the limit of 179" in str(
        caught.value
    )
    assert caught.value.place == "kinds" and progress == []
    assert len(view.find_weak_points(graph_data, scenario, limit=180)["rows"]) == 3


def test_a_drill_too_large_for_memory_is_refused_as_the_cli_refuses_it():
    """One drill of 200 nodes over 100,000 steps records about 1.8 GB: refused whatever few nodes
    are failed (here the processes alone, whose sweep would be under the work limit)."""
    G = layered_supply_graph(200, 400, seed=1)
    graph_data, scenario = stores(G, steps=100_000)
    processes = [v for v, kind in G.nodes(data="kind") if kind == "process"]
    assert len(processes) * 200 * 100_000 < view.SWEEP_CELLS_LIMIT
    with pytest.raises(ScenarioError, match=r"a 200-node graph over 100,000 steps needs about 1\.8 GB"):
        view.find_weak_points(graph_data, scenario, kinds=["process"])


def test_a_nodes_own_ttr_survives_the_store_and_is_its_outage_when_drilled():
    """a's supplier says 8 steps to recover: the sweep fails a for 8, b and c for the default 5, and
    the drill from a's row does too, after the store went through the browser as JSON."""
    G = stock_chain(ttr=8)
    graph_data, scenario = stores(G)
    weak = roundtrip(view.find_weak_points(graph_data, scenario))
    assert "(or its own ttr)" in weak["caption"]
    assert view.drill_design(graph_data, scenario, weak, ["a"])["shocks"][0]["duration"] == 8
    assert view.drill_design(graph_data, scenario, weak, ["b"])["shocks"][0]["duration"] == 5
    together = view.drill_design(graph_data, scenario, weak, ["a", "b"])["shocks"]
    assert sorted((s["target"], s["duration"]) for s in together) == [("a", 8), ("b", 5)]


def test_under_the_quadrant_it_says_why_every_point_stands_in_one_column():
    """No node of the chain states a ttr: each is down the default 5 steps, all at x = 5, and the
    note says so; 3 steps asked for, it says those; a's own ttr of 8 spreads them: no note."""
    graph_data, scenario = stores(stock_chain())
    weak = roundtrip(view.find_weak_points(graph_data, scenario))
    assert {p["x"] for p in quadrant_points(weak["rows"], view._outage(weak))} == {5}
    assert view.quadrant_note(weak) == (
        "No node states its time to recover (ttr): every outage lasts the sweep's 5 hours, so the points "
        "stand in one column."
    )
    asked = roundtrip(view.find_weak_points(graph_data, scenario, duration=3))
    assert (
        view.quadrant_note(asked)
        == "Every outage lasts the 3 hours asked for, so the points stand in one column."
    )
    own = roundtrip(view.find_weak_points(*stores(stock_chain(ttr=8))))
    assert view.quadrant_note(own) == ""


def test_the_ranking_is_stale_when_the_graph_or_a_setting_changes_not_the_shocks():
    graph_data, scenario = stores(stock_chain())
    key = view.design_key(graph_data, scenario)
    shocked = {**scenario, "shocks": [{"kind": "vendor_failure", "target": "a", "start": 3}], "rev": "x"}
    assert view.design_key(graph_data, shocked) == key
    assert view.design_key(graph_data, {**scenario, "steps": 30}) != key
    assert view.design_key({**graph_data, "rev": "other"}, scenario) != key


def test_two_substitutes_are_the_strongest_pair_counted_by_hand():
    """Either vendor alone leaves the shop half its supply, all it needs: loss 0 each. Both down for
    the 5 steps from step 2: the shop gets nothing, loss 5, interaction 5 - 0 - 0 = 5. The pair's
    drill, sent to the main view, fails both in one shock and loses the same 5."""
    G = two_sources()
    graph_data, scenario = stores(G)
    weak = roundtrip(view.find_weak_points(graph_data, scenario, kinds=["vendor"]))
    found = roundtrip(view.find_pairs(graph_data, scenario, weak, top=2))
    [pair] = found["rows"]
    assert (pair["targets"], pair["interaction"], pair["resilience_loss"]) == (["a", "b"], 5.0, 5.0)
    assert pair["names"] == ["a", "b"] and "substitutes" in pair["candidates"]
    assert found["sets_text"].startswith("Tried: substitutes, 1 pair (inputs in one group of one node)")
    drilled = view.drill_design(graph_data, scenario, weak, pair["targets"])
    assert [s["target"] for s in drilled["shocks"]] == [["a", "b"]]
    assert drilled["name"] == "Weak point: a and b fail together"
    assert simulate(G, build_scenario(G, drilled)).metrics["resilience_loss"] == 5.0


def test_pairs_refuse_too_few_singles_and_too_much_work():
    graph_data, scenario = stores(two_sources())
    weak = view.find_weak_points(graph_data, scenario)
    with pytest.raises(ScenarioError, match="2 or more, got 1") as caught:
        view.find_pairs(graph_data, scenario, weak, top=1)
    assert caught.value.place == "top"
    # all three pairs of three nodes over 20 steps: 3 x 3 x 20 = 180 node-steps
    with pytest.raises(ScenarioError, match="3 drills of a 3-node graph over 20 steps"):
        view.find_pairs(graph_data, scenario, weak, limit=179)


def test_a_row_of_a_ranking_found_on_another_graph_is_refused():
    graph_data, scenario = stores(stock_chain())
    weak = view.find_weak_points(graph_data, scenario)
    other, _ = stores(two_sources())
    with pytest.raises(ScenarioError, match="c is not in the graph on screen"):
        view.drill_design(other, scenario, weak, ["c"])


def test_the_grid_rows_say_yes_or_no_and_keep_the_librarys_order():
    graph_data, scenario = stores(stock_chain())
    weak = view.find_weak_points(graph_data, scenario)
    rows = view.ranking_rows(weak)
    assert [r["row_id"] for r in rows] == ["0", "1", "2"]
    assert [r["target"] for r in rows] == [r["target"] for r in weak["rows"]]
    assert [r["spof"] for r in rows] == [
        "yes" if r["single_point_of_failure"] else "no" for r in weak["rows"]
    ]
    assert {r["kind_label"] for r in rows} == {"vendor", "logistics", "process"}
    columns = [c["field"] for c in view.ranking_columns("day")]
    assert columns[0] == "name" and "Survives (days)" in [
        c["headerName"] for c in view.ranking_columns("day")
    ]


def test_time_down_and_service_back_are_two_figures_with_two_names():
    """a (ttr 6) fails alone at hour 2 and is down hours 2-7: that is the quadrant's time down, 6. b
    gets nothing from hour 3, its 2 hours of stock cover 3 and 4, it fails at 5; the shop a step later
    at 6 (time to survive 4). a is back at 8, b at 9, the shop at 10: service is back 2 hours after a
    returns, the ranking's "Service back". Neither is called the other's name."""
    graph_data, scenario = stores(stock_chain(ttr=6))
    weak = view.find_weak_points(graph_data, scenario)
    row = next(r for r in weak["rows"] if r["target"] == "a")
    assert (row["time_to_survive"], row["time_to_recover"]) == (4, 2)
    column = next(c for c in view.ranking_columns("hour") if c["field"] == "time_to_recover")
    assert column["headerName"] == "Service back (hours)"
    assert column["headerTooltip"].startswith("Time to recover: hours from the end of the outage")
    G = graph_of(graph_data)
    crit = criticality(G, build_scenario(G, scenario))
    assert {p["target"]: p["x"] for p in quadrant_points(crit)}["a"] == 6
    square = quadrant(crit, 0.9, graph=G, unit="hour")
    assert square.layout.title.text == "Time to survive against time down"
    assert square.layout.xaxis.title.text == "time down (hours the node is failed or restarting)"
    assert "recover" not in square.layout.xaxis.title.text


def test_the_sweeps_answer_carries_its_table_in_its_own_unit_and_clears_earlier_pairs():
    """The table comes with the ranking: its rows, columns in the unit the sweep counted in (days),
    the caption, the results shown, no pairs, each of the three figures saying its own is being
    drawn and the quadrant's note hidden till its figure comes, one value for each table output."""
    graph_data, scenario = stores(stock_chain(), step_unit="day")
    weak = view.find_weak_points(graph_data, scenario)
    table = view.ranking_table(weak)
    assert len(table) == len(view.TABLE_OUTPUTS)
    rows, columns, caption, hidden, pairs_found, *drawing, note_hidden = table
    assert rows == view.ranking_rows(weak) and caption == weak["caption"]
    assert "Survives (days)" in [c["headerName"] for c in columns]
    assert (hidden, pairs_found) == (False, None)
    assert [f.layout.annotations[0].text for f in drawing] == [words.FIGURES_DRAWING] * 3
    assert note_hidden is True


def test_the_figures_name_the_nodes_tint_by_exposure_and_label_both_halves_of_the_quadrant():
    G = stock_chain()
    graph_data, scenario = stores(G)
    weak = roundtrip(view.find_weak_points(graph_data, scenario))
    bars, quad, network = view.figures(weak, network_view(graph_of(graph_data)))
    assert set(bars.data[0].y) == {"a", "b", "c"}
    labels = " ".join(a.text for a in quad.layout.annotations) + " ".join(t.name or "" for t in quad.data)
    assert (
        "above the line: service holds longer than the node is down" in labels.replace("<br>", " ")
        and "below the line: service falls before the node is back" in labels
    )
    [swept] = [t for t in network.data if t.name == "swept"]
    exposure = {r["target"]: r["exposure_index"] for r in weak["rows"]}
    assert dict(zip(swept.text, swept.marker.color)) == exposure
    grouped = view.figures(weak, {"grouped": True, "nodes": [], "edges": []})[2]
    assert grouped.layout.annotations[0].text == words.NETWORK_GROUPED


def _clear_of_modebar(fig) -> bool:
    """The title's top sits at or under the mode bar's 26 px strip (a title 26 px down from the top
    of the chart), and the plot starts under the title's 12 px line: 26 + 12 = 38 px at least."""
    title = fig.layout.title
    return (
        title.yref == "container" and title.y == 1 and title.yanchor == "top" and title.pad.t >= MODEBAR_BAND
        and fig.layout.margin.t >= MODEBAR_BAND + 12
    )  # fmt: skip


def test_the_views_figures_keep_their_titles_clear_of_the_mode_bar():
    """The exposure bars', the quadrant's and the network's titles run under the mode bar's strip
    at the card's top right when the pointer nears them ("Time to survive against time down" lost
    its last word): each title now starts under the strip, and the plot under the title."""
    G = stock_chain()
    graph_data, scenario = stores(G)
    weak = roundtrip(view.find_weak_points(graph_data, scenario))
    assert all(_clear_of_modebar(fig) for fig in view.figures(weak, network_view(graph_of(graph_data))))


def test_the_weak_points_view_is_the_first_tab_beside_the_drill():
    assert views.VIEWS[0] is view and (view.KEY, view.LABEL) == ("weak", "Weak points")
    page = view.page(None)
    assert page.id == view.PAGE and page.hidden is True


def test_the_time_a_sweep_took_is_said_in_digits_that_never_read_as_none():
    """A sweep of 20 nodes takes hundredths of a second: said to one decimal, 0.04 s read '0.0 s',
    as if it had taken no time. The view measures the sweep (more than nothing) and says it so."""
    assert words.found_text(20, 0.04) == "20 nodes failed alone in 0.04 s."
    assert words.found_text(20, 0.002) == "20 nodes failed alone in under 0.01 s."
    assert words.pairs_found_text(6, 2.34) == "6 pairs failed together in 2.3 s."
    drill = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    weak = view.find_weak_points(graph_store(drill.graph, "retail.json"), scenario_store(drill))
    assert weak["seconds"] > 0
    assert "in 0.0 s" not in words.found_text(len(weak["rows"]), weak["seconds"])


def test_pair_table_wraps_the_pairs_names_and_why_they_rank_first():
    """A pair's two names and its "Why first" sentence run past their columns at 1280 px ("Helios GPU
    cloud (east) + Server freight f…"): those cells wrap, their rows grow to hold them, and the whole
    text is also the cell's tooltip; the numbers' columns stay one line."""
    from augur.app.components.weak_table import pair_columns

    columns = {c["field"]: c for c in pair_columns()}
    for field in ("pair", "why"):
        assert columns[field]["wrapText"] and columns[field]["autoHeight"]
        assert columns[field]["tooltipField"] == field
    assert not any(columns[f].get("wrapText") for f in ("interaction", "resilience_loss", "verdict"))
