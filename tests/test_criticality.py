"""Weak points: single failures ranked, pairs failed together, and the runner under both."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from builders import chip_plant, graph

from augur import load_scenario, parse_scenario, simulate
from augur.analysis.criticality import CRITICALITY_KEYS, PAIR_KEYS
from augur.cli import main
from augur.engine.batch import Drill
from augur.errors import AugurError, GraphError
from augur.graph import build_graph
from augur.scenario import Shock, dump_scenario
from augur.sweep import criticality, pairs, run_drills
from augur.text.studies import criticality_lines
from augur.text.weak_points import pair_interaction_text

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def plant_graph(**chips):
    """:func:`builders.chip_plant` with 2 steps of stock at assembly: orders need assembly; assembly
    needs chips (alone) and the plant's boxes (two substitutes, either enough)."""
    return chip_plant(assembly={"buffer": 2}, **chips)


def twenty_steps(G):
    return parse_scenario({"name": "sweep", "steps": 20}, graph=G)


def test_criticality_ranking_counted_by_hand():
    """Twenty steps and no shock: each node is down from step 2 for 5 steps (2..6), a tenth of the
    horizon in for a quarter of it. Each hop costs a step; service is the output of `orders`.

    - assembly: orders gets nothing at 3..7 and fails: loss 5, 1 secondary (orders).
    - orders: down itself 2..6: loss 5, no secondary.
    - chips: assembly's chip supply is gone at 3..7; its 2 steps of stock cover 3 and 4, it fails
      at 5..7 and orders at 6..8: loss 3, 2 secondary (assembly, orders).
    - plant: the same through the boxes group: loss 3, 2 secondary.
    - box-a, box-b: the plant still gets half its supply, which is all it needs: loss 0.
    Ties in loss go to more secondary failures, then the id: assembly, orders, chips, plant, box-a,
    box-b. The worst loss is 5: exposure 1, 1, 0.6, 0.6, 0, 0.
    """
    G = plant_graph()
    result = criticality(G, twenty_steps(G))
    assert result.outage == {"start": 2, "duration": 5, "severity": 1.0, "ttr": {}}
    table = [
        (r["target"], r["resilience_loss"], r["secondary_failures"], r["exposure_index"]) for r in result
    ]
    assert table == [
        ("assembly", 5.0, 1, 1.0),
        ("orders", 5.0, 0, 1.0),
        ("chips", 3.0, 2, 0.6),
        ("plant", 3.0, 2, 0.6),
        ("box-a", 0.0, 0, 0.0),
        ("box-b", 0.0, 0, 0.0),
    ]
    rows = {r["target"]: r for r in result}
    assert [rows[v]["verdict"] for v in ("assembly", "orders", "chips", "box-a")] == [
        "cascade",
        "degraded",
        "cascade",
        "graceful",
    ]
    # chips, assembly and orders failed: half the six nodes; a box vendor fails only itself
    assert rows["chips"]["blast_radius"] == 0.5 and rows["box-a"]["blast_radius"] == 1 / 6
    # orders fell at step 6, four steps after the outage began; back to full at 9, two after it ended
    assert (rows["chips"]["time_to_survive"], rows["chips"]["time_to_recover"]) == (4, 2)
    assert [r["single_point_of_failure"] for r in result] == [True, True, True, True, False, False]
    assert all(list(r) == list(CRITICALITY_KEYS) for r in result)


def test_augur_sweep_prints_time_to_survive_and_service_back_as_the_app_does():
    """The ranking counted by hand above: with chips down at steps 2-6, orders fell below the SLO at
    step 6 (survives 4) and was back at 9, two steps after chips returned at 7 (service back 2); box-a
    never took service below the SLO (survives never) and service was never away (back 0). The
    printed table has those columns, as the app's ranking does, and stays within 120 characters."""
    G = plant_graph()
    lines = criticality_lines("s", criticality(G, twenty_steps(G)), None, "step", 10)
    header = next(line for line in lines if line.lstrip().startswith("node"))
    assert header.split()[-5:] == ["survives", "service", "back", "single", "point"]
    chips = next(line for line in lines if line.lstrip().startswith("chips "))
    box = next(line for line in lines if line.lstrip().startswith("box-a "))
    assert chips.split()[-3:] == ["4", "2", "yes"] and box.split()[-3:] == ["never", "0", "-"]
    assert max(len(line) for line in lines) <= 120


def test_two_substitutes_that_each_survive_alone_are_the_strongest_pair():
    """box-a and box-b each lose nothing alone. Together, the plant gets nothing at 3..7 and fails;
    assembly's boxes are gone at 4..8, its stock covers 4 and 5, it fails at 6..8, and orders at
    7..9: loss 3, interaction 3 - 0 - 0 = 3, three secondary failures (plant, assembly, orders).
    Chips and plant cut the same input of assembly over the same steps: together they lose 3, as each
    does alone, so their interaction is 3 - 3 - 3 = -3."""
    G = plant_graph()
    duo = pairs(G, twenty_steps(G), top=3)
    first = duo[0]
    assert first["targets"] == ["box-a", "box-b"]
    assert (first["resilience_loss"], first["interaction"], first["secondary_failures"]) == (3.0, 3.0, 3)
    assert first["verdict"] == "cascade" and "substitutes" in first["candidates"]
    by_pair = {tuple(r["targets"]): r for r in duo}
    assert by_pair["chips", "plant"]["interaction"] == -3.0
    sets = {s["set"]: s for s in duo.sets}
    assert sets["substitutes"]["pairs"] == 1  # the two box vendors are the only substitutes
    assert sets["top"]["pairs"] == 3  # three worst singles, three pairs
    assert sets["all"]["tried"] and sets["all"]["pairs"] == 15 == len(duo)
    assert all(list(r) == list(PAIR_KEYS) for r in duo)


def test_all_pairs_are_left_out_beyond_the_budget_and_the_output_says_so():
    """Over the budget only substitutes and the top singles' pairs run; the sets say what was not tried."""
    G = plant_graph()
    duo = pairs(G, twenty_steps(G), top=2, budget=100)
    sets = {s["set"]: s for s in duo.sets}
    assert not sets["all"]["tried"] and "over the budget of 100" in sets["all"]["why"]
    assert {tuple(r["targets"]) for r in duo} == {("box-a", "box-b"), ("assembly", "orders")}


def test_over_the_budget_only_substitutes_that_cover_for_each_other_are_paired():
    """The hub needs 30% of its supply from a, b, c: losing any two leaves a third, enough. The dock
    needs half of what d and e send: either covers it, both lost leave nothing. Over the budget only
    d + e is tried, and the set says how many substitute pairs there were."""
    G = graph(
        {"a": "vendor", "b": "vendor", "c": "vendor", "d": "vendor", "e": "vendor",
         "hub": ("logistics", {"min_supply": 0.3}), "dock": ("logistics", {"min_supply": 0.5}), "shop": "process"},
        [("a", "hub"), ("b", "hub"), ("c", "hub"), ("d", "dock"), ("e", "dock"), ("hub", "shop", {"group": "hub"}), ("dock", "shop", {"group": "dock"})],
    )  # fmt: skip
    every = pairs(G, twenty_steps(G), top=1)
    assert {s["set"]: s["pairs"] for s in every.sets}["substitutes"] == 4
    few = pairs(G, twenty_steps(G), top=1, budget=1)
    sets = {s["set"]: s for s in few.sets}
    assert (
        sets["substitutes"]["pairs"] == 1 and "4 pairs of inputs in one group" in sets["substitutes"]["why"]
    )
    assert [r["targets"] for r in few] == [["d", "e"]]
    assert few[0]["interaction"] > 0


def four_sources(buffer):
    """Four equal second sources of m (``buffer`` steps of stock, min_supply 1), m feeding p, and the
    scenario whose shock sets the sweep's outage: from step 5 for 5 steps, reaching m at 6..10."""
    G = graph(
        {"s1": "vendor", "s2": "vendor", "s3": "vendor", "s4": "vendor",
         "m": ("logistics", {"buffer": buffer}), "p": "process"},
        [("s1", "m", {"group": "chips"}), ("s2", "m", {"group": "chips"}), ("s3", "m", {"group": "chips"}),
         ("s4", "m", {"group": "chips"}), ("m", "p")],
    )  # fmt: skip
    shock = {"kind": "vendor_failure", "target": "s1", "start": 5, "duration": 5}
    return G, parse_scenario({"name": "s", "steps": 30, "slo": 0.9, "shocks": [shock]}, graph=G)


def test_over_the_budget_two_sources_the_stock_rides_out_alone_are_paired():
    """2 steps of stock. One source lost leaves m 75%: 0.25 a step x 5 = 1.25 of its stock, m stays
    whole and p graceful. Two lost leave 50%: 0.5 a step, the stock covers 6..9 and m gives 50% at
    10, p degraded. By weights alone both losses leave m degraded, the same band, and the cut kept
    no pair; it keeps all six now."""
    G, s = four_sources(2)
    cut = pairs(G, s, kinds=["vendor"], top=1, budget=100)
    sets = {e["set"]: e for e in cut.sets}
    assert not sets["all"]["tried"] and sets["substitutes"]["considered"] == 6
    assert sets["substitutes"]["pairs"] == 6
    assert cut[0]["targets"] == ["s1", "s2"]
    assert {r["verdict"] for r in cut} == {"degraded"}
    assert {row["verdict"] for row in cut.singles} == {"graceful"}
    assert cut[0]["interaction"] == 0.5  # p at 50% for one step, 0.5 of a step lost; none alone


def test_over_the_budget_a_pair_the_stock_rides_out_together_is_not_paired():
    """3 steps of stock: two sources lost take 0.5 x 5 = 2.5 of it, m stays whole; three lost would
    take 3.75, but no pair crosses a band, so none is paired."""
    G, s = four_sources(3)
    cut = pairs(G, s, kinds=["vendor"], top=1, budget=1)
    assert {e["set"]: e["pairs"] for e in cut.sets}["substitutes"] == 0
    assert {r["verdict"] for r in pairs(G, s, kinds=["vendor"], top=1)} == {"graceful"}


def test_a_node_is_down_for_its_own_ttr():
    """chips states 8 steps to recover: down 2..9, assembly's chips are gone at 3..10, its stock
    covers 3 and 4, it fails at 5..10 and orders at 6..11: loss 6 instead of the default outage's 3.
    An explicit duration applies to every node, ttr or not."""
    G = plant_graph(ttr=8)
    s = twenty_steps(G)
    result = criticality(G, s)
    assert result.outage["ttr"] == {"chips": 8}
    assert {r["target"]: r["resilience_loss"] for r in result}["chips"] == 6.0
    explicit = criticality(G, s, duration=5)
    assert explicit.outage["ttr"] == {}
    assert {r["target"]: r["resilience_loss"] for r in explicit}["chips"] == 3.0


@pytest.mark.parametrize("value", [0, 2.5, -1, "soon"])
def test_a_ttr_that_is_not_a_whole_number_of_steps_is_refused(value):
    with pytest.raises(GraphError, match=r"nodes\[0\]: expected an integer in \[1, 1,000,000\] for 'ttr'"):
        build_graph([("nodes[0]", {"id": "a", "kind": "vendor", "ttr": value})], [])


def _single(G, scenario, targets, outage, duration=None):
    """The metrics of one `simulate` run with ``targets`` failed as the sweep fails them."""
    shock = Shock(
        "vendor_failure", tuple(targets), outage["start"], duration or outage["duration"], {"severity": 1.0}
    )
    return simulate(G, replace(scenario, shocks=(shock,), hypothesis=None)).metrics


def test_batched_sweep_rows_equal_single_simulate_runs():
    """Each row of the retail sweep, and each pair, is what one `simulate` of its outage gives."""
    s = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    G = s.graph
    result = criticality(G, s)
    for row in result:
        m = _single(G, s, [row["target"]], result.outage)
        for key in ("verdict", "resilience_loss", "service_level_min", "time_to_survive", "time_to_recover"):
            assert row[key] == m[key], (row["target"], key)
        assert row["secondary_failures"] == len(m["secondary_failures"])
        assert row["blast_radius"] == m["failed_nodes"] / G.number_of_nodes()
    duo = pairs(G, s, top=4, singles=result)
    for row in duo.rows[:12]:
        m = _single(G, s, row["targets"], result.outage)
        assert (row["verdict"], row["resilience_loss"]) == (m["verdict"], m["resilience_loss"])
        assert row["secondary_failures"] == len(m["secondary_failures"])


def test_the_worst_node_has_exposure_one_and_the_rest_scale_with_their_loss():
    s = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    rows = criticality(s.graph, s).rows
    assert rows[0]["exposure_index"] == 1.0
    worst = rows[0]["resilience_loss"]
    assert all(r["exposure_index"] == r["resilience_loss"] / worst for r in rows)


def test_runner_returns_drills_in_order_with_a_chunk_per_drill():
    """Chunks of one drill each (a tiny chunk time) give the same metrics, in drill order, and the
    progress hook counts every drill once, after each chunk."""
    G = plant_graph()
    s = twenty_steps(G)
    drills = [
        Drill(shocks=(Shock("vendor_failure", (v,), 2, k, {"severity": 1.0}),)) for k in (1, 5) for v in G
    ]
    seen = []
    tiny = run_drills(
        G, s, drills, chunk_seconds=1e-12, progress=lambda done, total: seen.append((done, total))
    )
    whole = run_drills(G, s, drills)
    assert tiny == whole
    assert seen == [(k, len(drills)) for k in range(1, len(drills) + 1)]
    assert [m["primary"] for m in whole] == [[v] for _ in (1, 5) for v in G]


def test_runner_applies_each_drills_parameters():
    """Two more steps of stock at assembly cover the whole chip outage of a drill that asks for them."""
    G = plant_graph()
    s = twenty_steps(G)
    out = Shock("vendor_failure", ("chips",), 2, 5, {"severity": 1.0})
    plain, stocked = run_drills(
        G, s, [Drill(shocks=(out,)), Drill(shocks=(out,), params={"buffer": {"assembly": 5.0}})]
    )
    assert plain["resilience_loss"] == 3.0 and stocked["resilience_loss"] == 0.0


@pytest.mark.parametrize("scheduler", ["local:2:threads", "local:2"])
def test_a_dask_local_cluster_gives_the_local_numbers(scheduler):
    """Threads or processes, chunked one drill at a time, the metrics are the local ones, in order."""
    pytest.importorskip("distributed")
    s = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    G = s.graph
    outage = criticality(G, s).outage
    from augur.analysis.criticality import single_drills

    drills = single_drills(list(G), outage)
    local = run_drills(G, s, drills)
    assert run_drills(G, s, drills, scheduler=scheduler, chunk_seconds=1e-12) == local


@pytest.mark.parametrize(
    ("scheduler", "expected"),
    [("lokal:2", "unknown scheduler 'lokal:2'"), ("local:0", "unknown scheduler 'local:0'"),
     ("local:2:fibres", "expected local:N (processes)")],
)  # fmt: skip
def test_a_scheduler_that_is_not_one_of_the_forms_is_refused(scheduler, expected):
    G = plant_graph()
    with pytest.raises(AugurError, match=re.escape(expected)):
        run_drills(G, twenty_steps(G), [Drill()], scheduler=scheduler)


def test_asking_for_dask_without_it_installed_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    G = plant_graph()
    with pytest.raises(AugurError, match=r"pip install 'augur\[dask\]'"):
        run_drills(G, twenty_steps(G), [Drill()], scheduler="local:2")


def test_sweep_refuses_an_unknown_kind_with_its_place_and_the_kind_it_is_a_typo_of(capsys):
    """vendr is one letter from vendor: the refusal names --kinds and says so, as a misspelt
    scenario key does; a kind like none (xyz) is refused without a guess."""
    G = plant_graph()
    with pytest.raises(AugurError) as err:
        criticality(G, twenty_steps(G), kinds=["vendr"])
    assert err.value.place == "--kinds"
    assert err.value.message.startswith(
        "unknown kind 'vendr' to sweep (did you mean 'vendor'?); expected some of vendor"
    )
    with pytest.raises(AugurError, match=r"unknown kind 'xyz' to sweep; expected"):
        criticality(G, twenty_steps(G), kinds=["xyz"])
    assert main(["sweep", str(SCENARIOS / "retail-chip-outage.yaml"), "--kinds", "vendr"]) == 2
    assert "--kinds: unknown kind 'vendr' to sweep (did you mean 'vendor'?)" in capsys.readouterr().err


def test_sweep_refuses_an_empty_list_of_kinds(capsys):
    """`--kinds ,,` names no kind: refused, not a sweep of no node."""
    G = plant_graph()
    with pytest.raises(AugurError, match="expected at least one kind to sweep") as err:
        criticality(G, twenty_steps(G), kinds=[])
    assert err.value.place == "--kinds"
    assert main(["sweep", str(SCENARIOS / "retail-chip-outage.yaml"), "--kinds", ",,"]) == 2
    assert "--kinds: expected at least one kind" in capsys.readouterr().err


def test_sweep_refuses_a_kind_the_graph_has_no_node_of_and_names_the_kinds_it_has(tmp_path, capsys):
    """The chip plant has vendors, logistics and a process but no AI service: `--kinds ai_service`
    fails no node, so it is refused (exit 2) with the kinds the graph has, as `--kinds ''` is, where it
    printed '0 nodes failed alone' over an empty table and exited 0; with --pairs too."""
    G = plant_graph()
    with pytest.raises(AugurError) as err:
        criticality(G, twenty_steps(G), kinds=["ai_service"])
    assert (err.value.place, err.value.message) == (
        "--kinds",
        "the graph has no ai_service node to sweep; expected some of vendor, logistics, process, the "
        "kinds it has",
    )
    with pytest.raises(
        AugurError, match="the targets have no process node to sweep; expected some of vendor"
    ):
        criticality(G, twenty_steps(G), targets=["chips", "box-a"], kinds=["process"])
    path = tmp_path / "plant.yaml"
    path.write_text(dump_scenario(twenty_steps(G)), encoding="utf-8")
    for extra in ([], ["--pairs"]):
        assert main(["sweep", str(path), "--kinds", "ai_service,data_source", *extra]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"augur: error: {path}: --kinds: the graph has no ai_service or data_source node to sweep; "
            "expected some of vendor, logistics, process, the kinds it has\n"
        )


def test_sweep_with_its_own_start_does_not_check_the_shocks_it_replaces(tmp_path, capsys):
    """v -> d -> p, v down from step 5. `--steps 4 --start 1 --duration 1` fails each node at step 1
    for 1 step: the drill's own shock (step 5, past the 4-step horizon) is not run, so it is not
    refused, as augur montecarlo does not refuse it; without --start the outage starts where that
    shock does, and the horizon is checked against it."""
    G = graph({"v": "vendor", "d": "logistics", "p": "process"}, [("v", "d"), ("d", "p")])
    shock = {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10}
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(parse_scenario({"name": "c", "steps": 30, "shocks": [shock]}, graph=G)))
    assert main(["sweep", str(path), "--steps", "4", "--start", "1", "--duration", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["outage"]["start"], out["outage"]["duration"]) == (1, 1)
    assert sorted(row["target"] for row in out["criticality"]) == ["d", "p", "v"]
    assert main(["sweep", str(path), "--steps", "4", "--start", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # the shock's 10 steps, cut to the 2 left of the horizon
    assert (out["outage"]["start"], out["outage"]["duration"]) == (2, 2)
    assert main(["sweep", str(path), "--steps", "4"]) == 2
    assert "shocks[0].start: the vendor_failure on v starts at step 5" in capsys.readouterr().err


def test_sweep_and_montecarlo_refuse_too_many_runs_in_the_same_words(capsys):
    """`augur sweep --runs` is montecarlo's study: its refusal is montecarlo's, file and flag named,
    where sweep's left the file out."""
    path = str(SCENARIOS / "retail-chip-outage.yaml")
    said = []
    for command in ("sweep", "montecarlo"):
        assert main([command, path, "--runs", "1000000"]) == 2
        said.append(capsys.readouterr().err)
    assert said[0] == said[1]
    assert said[0].startswith(f"augur: error: {path}: --runs: 1,000,000 random drills over ")


def test_the_sweeps_api_refuses_no_targets_and_a_top_below_one_as_the_cli_does():
    """criticality(targets=[]) returned no rows and pairs(top=-3) ran every single failure first
    and then paired none: both are refused, as `--top 0` is."""
    G = plant_graph()
    with pytest.raises(AugurError) as err:
        criticality(G, twenty_steps(G), targets=[])
    assert (err.value.place, err.value.message) == (
        "targets",
        "expected at least one node to sweep, got none",
    )
    calls = []
    with pytest.raises(AugurError) as err:
        pairs(G, twenty_steps(G), top=-3, progress=lambda done, total: calls.append(done))
    assert (err.value.place, err.value.message) == (
        "--top",
        "expected 1 or more worst singles to pair, got -3",
    )
    assert calls == []  # refused before any drill ran


@pytest.mark.parametrize("scheduler", ["local:1:threads", "local:1"])
def test_a_local_cluster_listens_on_loopback_only_with_no_dashboard(scheduler):
    """The cluster a sweep starts for itself serves no one else: its scheduler, workers and HTTP
    servers bind to 127.0.0.1, and it has no dashboard."""
    pytest.importorskip("distributed")
    from augur.sweep import _dask_client

    with _dask_client(scheduler) as client:
        scheduler_ = client.cluster.scheduler
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        assert all(w.startswith("tcp://127.0.0.1:") for w in client.scheduler_info()["workers"])
        hosts = {sock.getsockname()[0] for sock in scheduler_.http_server._sockets.values()}
        assert hosts == {"127.0.0.1"}


def test_rows_become_a_data_frame_with_one_column_per_key():
    G = plant_graph()
    frame = criticality(G, twenty_steps(G), kinds=["vendor"]).to_frame()
    assert list(frame.columns) == list(CRITICALITY_KEYS)
    assert frame["target"].tolist() == ["chips", "box-a", "box-b"]
    duo = pairs(G, twenty_steps(G), kinds=["vendor"]).to_frame()
    assert list(duo.columns) == list(PAIR_KEYS) and duo["interaction"].iloc[0] == 3.0


@pytest.fixture
def plant_drill(tmp_path) -> Path:
    from augur import write_graph

    write_graph(plant_graph(), tmp_path / "plant.json")
    path = tmp_path / "drill.yaml"
    path.write_text("name: Plant\ngraph: plant.json\nsteps: 20\n", encoding="utf-8")
    return path


def test_cli_sweep_json_has_the_rows_keys_and_the_csv_the_same_rows(plant_drill, tmp_path, capsys):
    """`--json` prints every row with docs/model.md's keys ("Weak points"); `--csv` writes the same rows."""
    table = tmp_path / "rows.csv"
    assert (
        main(["sweep", str(plant_drill), "--json", "--csv", str(table), "--kinds", "vendor,logistics"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["outage"] == {"start": 2, "duration": 5, "severity": 1.0, "ttr": {}}
    assert [r["target"] for r in out["criticality"]] == ["assembly", "chips", "plant", "box-a", "box-b"]
    assert all(list(r) == list(CRITICALITY_KEYS) for r in out["criticality"])
    with table.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [r["target"] for r in written] == [r["target"] for r in out["criticality"]]
    assert [float(r["resilience_loss"]) for r in written] == [
        r["resilience_loss"] for r in out["criticality"]
    ]
    assert [r["single_point_of_failure"] for r in written] == [
        str(r["single_point_of_failure"]) for r in out["criticality"]
    ]


def test_cli_sweep_pairs_json_says_which_candidates_were_tried(plant_drill, tmp_path, capsys):
    table = tmp_path / "pairs.csv"
    assert (
        main(["sweep", str(plant_drill), "--pairs", "--top", "3", "--json", "--csv", str(table), "--quiet"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["pairs"][0]["targets"] == ["box-a", "box-b"] and out["pairs"][0]["interaction"] == 3.0
    assert all(list(r) == list(PAIR_KEYS) for r in out["pairs"])
    assert [(c["set"], c["tried"]) for c in out["candidates"]] == [
        ("substitutes", True),
        ("top", True),
        ("all", True),
    ]
    with table.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [r["targets"].split(";") for r in written] == [r["targets"] for r in out["pairs"]]


def test_cli_sweep_text_names_the_pairs_and_the_ttr_nodes(tmp_path, capsys):
    from augur import write_graph

    write_graph(plant_graph(ttr=8), tmp_path / "plant.json")
    path = tmp_path / "drill.yaml"
    path.write_text("name: Plant\ngraph: plant.json\nsteps: 20\n", encoding="utf-8")
    assert main(["sweep", str(path), "--pairs", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "down for their own ttr instead: chips (8 hours)" in out
    assert "box-a + box-b" in out and "substitutes" in out


def test_cli_sweep_refuses_an_unknown_scheduler_with_status_2(plant_drill, capsys):
    assert main(["sweep", str(plant_drill), "--scheduler", "somewhere"]) == 2
    assert "--scheduler: unknown scheduler 'somewhere'" in capsys.readouterr().err


def test_the_progress_bar_is_silent_when_quiet_or_off_a_terminal(monkeypatch):
    import io
    import sys

    from augur.cli import _progress_bar

    assert _progress_bar(True) is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a file: not a terminal
    assert _progress_bar(False) is None


def test_the_progress_bar_draws_each_phase_of_a_job_on_a_terminal(monkeypatch):
    """The singles (6 drills), then the pairs (15): a bar each, counted to the end."""
    import io
    import sys

    from augur.cli import _progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    hook = _progress_bar(False)
    for done, total in [(3, 6), (6, 6), (5, 15), (15, 15)]:
        hook(done, total)
    assert "3/6" in err.getvalue() and "6/6" in err.getvalue() and "15/15" in err.getvalue()


@pytest.mark.parametrize("limit", [8, 40])
def test_the_packs_weak_points_are_the_sweeps_rows_for_the_same_targets(limit):
    """The pack's weak points run the sweep's drills in this process: on a bundled drill, whether a few
    of its nodes or all of them, every row equals `augur sweep`'s for those targets, in its order,
    with the outage's start and duration beside it."""
    from augur.analysis import weak_points

    scenario = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    result = simulate(scenario.graph, scenario)
    weak = weak_points(result, limit)
    targets = [row["target"] for row in weak.rows]
    assert weak.swept == len(targets) == min(limit, result.graph.number_of_nodes())
    swept = criticality(result.graph, result.scenario, targets=targets)
    start, duration = swept.outage["start"], swept.outage["duration"]
    assert [dict(r) for r in weak.rows] == [{**r, "start": start, "duration": duration} for r in swept]
    assert any(r["verdict"] != "graceful" for r in weak.rows)


def test_runner_answers_in_the_order_given_when_it_groups_drills_by_their_work():
    """Outages, quality drops, delays and demand spikes interleaved: the runner batches them by the
    work they ask of the engine, and drill k's metrics are still drill k's, as when it runs alone."""
    G = graph(
        {"a": "vendor", "port": "logistics", "feed": "data_source", "bot": "ai_service", "shop": "process"},
        [("a", "port"), ("port", "shop"), ("feed", "bot"), ("bot", "shop")],
    )
    s = twenty_steps(G)
    specs = [
        {"kind": "data_quality_drop", "target": "feed", "start": 3, "duration": 6, "quality": 0.4},
        {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 5},
        {"kind": "logistics_bottleneck", "target": "port", "start": 4, "duration": 6, "delay": 3},
        {"kind": "demand_spike", "target": "shop", "start": 5, "duration": 4, "multiplier": 2.5},
        {"kind": "vendor_failure", "target": "a", "start": 6, "duration": 2},
    ]
    drills = [Drill(parse_scenario({"name": "d", "steps": 20, "shocks": [spec]}, graph=G).shocks)
              for spec in specs]  # fmt: skip
    together = run_drills(G, s, drills)
    assert together == [run_drills(G, s, [drill])[0] for drill in drills]
    assert [m["primary"] for m in together] == [["feed"], ["a"], ["port"], [], ["a"]]
    # 2.5x on a capacity of 1.2 (48%) cannot fail shop alone: its failure is the cascade's, as the load it passes up
    assert together[3]["secondary_failures"] == ["feed", "bot", "shop"]
    assert together[1]["resilience_loss"] != together[4]["resilience_loss"]


def test_two_second_sources_worse_together_come_first_though_their_interaction_is_zero():
    """Twenty steps, each vendor down 2..6, SLO 95%; service is the mean of shop and store.

    - u, w, z feed shop as substitutes (weight 1 each); shop needs 75% (min_supply) and never fails
      (fail_below 0). One lost: supply 2/3, output 0.667 / 0.75 = 88.9% at 3..7, service 94.4%:
      degraded, loss 5 x 0.0556 = 0.278. Two lost: supply 1/3, output 44.4%, service 72.2%: loss
      1.389, still degraded; interaction 1.389 - 2 x 0.278 = 0.833.
    - x, y feed hub as substitutes (it needs half); hub feeds store, whose 10 steps of stock cover
      anything up to 10 steps. One lost: hub gets half, all it needs: graceful, loss 0. Both lost:
      hub gets nothing at 3..7 and fails, store draws on its stock: a cascade with no service lost,
      interaction 0 - 0 - 0 = 0.
    By interaction the three shop pairs (0.833) came first, then the six pairs of a shop vendor and a
    hub vendor (interaction 0, loss 0.278), and x + y last of ten (loss 0). Worse together (a cascade
    where each alone was graceful) it comes first; the shop pairs are degraded alone and together,
    with no secondary failure: not worse together, ranked by interaction behind it."""
    G = graph(
        {"u": "vendor", "w": "vendor", "z": "vendor", "x": "vendor", "y": "vendor",
         "shop": ("process", {"min_supply": 0.75, "fail_below": 0}),
         "hub": ("logistics", {"min_supply": 0.5}), "store": ("process", {"buffer": 10})},
        [("u", "shop"), ("w", "shop"), ("z", "shop"), ("x", "hub"), ("y", "hub"), ("hub", "store")],
    )  # fmt: skip
    scenario = parse_scenario({"name": "s", "steps": 20, "slo": 0.95}, graph=G)
    duo = pairs(G, scenario, kinds=["vendor"])
    assert len(duo) == 10
    first = duo[0]
    assert first["targets"] == ["x", "y"] and first["interaction"] == 0.0 and first["resilience_loss"] == 0.0
    assert (first["verdict"], first["verdicts_alone"], first["worse_together"]) == (
        "cascade",
        ["graceful", "graceful"],
        True,
    )
    assert (first["secondary_failures"], first["secondary_alone"]) == (1, 0)
    assert [r["targets"] for r in duo[1:4]] == [["u", "w"], ["u", "z"], ["w", "z"]]
    assert [r["worse_together"] for r in duo] == [True] + [False] * 9
    assert duo[1]["interaction"] == pytest.approx(0.833, abs=1e-3)
    frame = duo.to_frame()
    assert frame["worse_together"].tolist()[:2] == [True, False]
    lines = criticality_lines("s", duo.singles, duo, "step", 10)
    assert "  * x + y: worse together than either alone: a cascade, where each alone was graceful" in lines
    pack = pair_interaction_text(first, G, "step")
    assert pack == (
        "worse together than either alone: a cascade, where each alone was graceful; "
        "no more service lost than the two alone"
    )


def test_more_workers_than_four_a_core_are_refused_with_what_would_fit(monkeypatch, plant_drill, capsys):
    """On a machine of 2 cores at most 4 x 2 = 8 workers: local:500 would start 500 processes, so it
    is refused before any starts, with the count asked, the cores and the most allowed; local:9 and
    local:9:threads are one over, local:8 is the most (parsed, no cluster started here), and
    --workers counts threads by the same rule. The API raises AugurError, the CLI exits 2."""
    import augur.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "default_workers", lambda: 2)
    G = plant_graph()
    with pytest.raises(AugurError) as err:
        run_drills(G, twenty_steps(G), [Drill()], scheduler="local:500")
    assert err.value.message == (
        "local:500 asks for 500 worker processes; this machine has 2 cores; at most 8 (4 a core)"
    )
    assert err.value.place == "--scheduler"
    with pytest.raises(
        AugurError, match=re.escape("local:9:threads asks for 9 worker threads; this machine")
    ):
        run_drills(G, twenty_steps(G), [Drill()], scheduler="local:9:threads")
    assert sweep_module._parse_scheduler("local:8") == ("local", 8, True)
    with pytest.raises(
        AugurError, match=re.escape("9 threads asked for; this machine has 2 cores; at most 8")
    ):
        run_drills(G, twenty_steps(G), [Drill()], workers=9)
    assert run_drills(G, twenty_steps(G), [Drill()], workers=8) == run_drills(G, twenty_steps(G), [Drill()])
    for command in ("sweep", "montecarlo"):
        assert main([command, str(plant_drill), "--scheduler", "local:500", "--quiet"]) == 2
        assert "--scheduler: local:500 asks for 500 worker processes" in capsys.readouterr().err
        assert main([command, str(plant_drill), "--workers", "500", "--quiet"]) == 2
        assert (
            "--workers: 500 threads asked for; this machine has 2 cores; at most 8" in capsys.readouterr().err
        )


@pytest.mark.parametrize(
    ("shocks", "window"),
    [
        ([], (4, 10)),  # no shock: 40 // 10 = 4 in, for 40 // 4 = 10
        ([{"kind": "vendor_failure", "target": "chips", "start": 7}], (7, 10)),  # endless: its start, 10
        ([{"kind": "vendor_failure", "target": "chips", "start": 35}], (35, 5)),  # 10 would pass step 39
        ([{"kind": "vendor_failure", "target": "chips", "start": 6, "duration": 3}], (6, 3)),  # its window
    ],
)
def test_the_sweep_outage_is_the_window_the_rule_book_gives(shocks, window):
    """docs/model.md, 'Outage of a sweep', over 40 steps: without a shock a tenth of the horizon in
    for a quarter of it; an endless first shock keeps its start and lasts a quarter, cut at the
    horizon; a shock with a duration is copied."""
    from augur.sweep import outage_window

    G = plant_graph()
    assert outage_window(parse_scenario({"name": "s", "steps": 40, "shocks": shocks}, graph=G)) == window


CHAIN = {
    "nodes": [
        {"id": "v", "kind": "vendor"},
        {"id": "d", "kind": "logistics"},
        {"id": "p", "kind": "process"},
    ],
    "edges": [{"source": "v", "target": "d"}, {"source": "d", "target": "p"}],
}


def _chain_drill(tmp_path, shock: dict) -> Path:
    path = tmp_path / "chain.yaml"
    path.write_text(json.dumps({"name": "chain", "graph": CHAIN, "steps": 30, "slo": 0.9, "shocks": [shock]}))
    return path


def test_an_endless_shock_moved_by_start_lasts_a_quarter_from_the_new_start(tmp_path, capsys):
    """30 steps, the first shock from 28 without an end: its own window is 28 for 2 (a quarter, 7,
    cut at step 29). Moved to --start 2 the quarter is cut from step 2, not 28: from 2 for 7."""
    path = _chain_drill(tmp_path, {"kind": "vendor_failure", "target": "v", "start": 28})
    assert main(["sweep", str(path), "--start", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outage"]["duration"] == 7
    assert main(["sweep", str(path), "--start", "2"]) == 0
    assert "down completely from hour 2 for 7 hours (--start, --duration)" in capsys.readouterr().out


def test_a_duration_past_the_horizon_is_cut_there_in_the_text_and_the_json(tmp_path, capsys):
    """30 steps, the outage from step 5: steps 5..29 are run, 25 of them, whatever --duration says.
    The text and the JSON both say 25; the text says the 100 asked was cut."""
    path = _chain_drill(tmp_path, {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10})
    assert main(["sweep", str(path), "--duration", "100", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outage"]["duration"] == 25
    assert main(["sweep", str(path), "--duration", "100"]) == 0
    out = capsys.readouterr().out
    assert "down completely from hour 5 for 25 hours (--start, --duration; 100 asked, cut at the end" in out
    assert "100 hours" not in out
    # a shock's own duration past the horizon is cut there too: from 25, 5 of its 10 steps are run
    assert main(["sweep", str(path), "--start", "25", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outage"]["duration"] == 5


@pytest.mark.parametrize("first, second", [(1, "1"), (None, "")])
def test_a_graph_built_in_code_groups_its_inputs_as_the_files_reader_does(first, second):
    """Edges a -> p and b -> p of a graph built in code, grouped 1 and "1" (or None and ""): a file
    reads both as one group, so a and b are substitutes. With a down for 3 steps and p needing half
    its supply, b's half covers p (GRACEFUL, service never below 100%), and the sweep's pairs name
    (a, b) as two substitutes. The engine stopped on sorting 1 beside "1" or None beside "" (a
    TypeError), and the pairs found none for 1 and "1"; grouped 'x' and 'y', p needs both and fails
    (CASCADE), as before."""
    import networkx as nx

    from augur.analysis.criticality import substitute_pairs

    def two_inputs(ga, gb):
        G = nx.DiGraph()
        G.add_nodes_from([("a", {"kind": "vendor"}), ("b", {"kind": "vendor"})])
        G.add_node("p", kind="process", min_supply=0.5)
        G.add_edge("a", "p", group=ga)
        G.add_edge("b", "p", group=gb)
        return G

    shock = {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3}
    for G, verdict, substitutes in (
        (two_inputs(first, second), "graceful", [("a", "b")]),
        (two_inputs("x", "y"), "cascade", []),
    ):
        s = parse_scenario({"name": "two", "steps": 10, "shocks": [shock]}, graph=G)
        m = simulate(G, s).metrics
        assert (m["verdict"], m["service_level_min"] == 1.0) == (verdict, verdict == "graceful")
        assert substitute_pairs(G, G.nodes) == substitutes


def test_service_back_counts_from_the_end_of_the_outage_and_says_so(tmp_path, capsys):
    """v (recovery 3) is failed at 5..14 and recovering at 15..17, back at 18; d at 19, p at 20, so
    service is back at 20: 5 steps from the end of the outage (15), 2 from v's return. The column
    shows the drill's time to recover, 5, and its legend says it counts from the end of the outage,
    not from the node's return; the row's time down is v's 13 steps failed or recovering."""
    graph_data = {**CHAIN, "nodes": [{"id": "v", "kind": "vendor", "recovery": 3}, *CHAIN["nodes"][1:]]}
    path = tmp_path / "chainrec.yaml"
    path.write_text(json.dumps({"name": "chainrec", "graph": graph_data, "steps": 30, "slo": 0.9, "shocks": [
        {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10}]}))  # fmt: skip
    assert main(["sweep", str(path), "--json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["criticality"] if r["target"] == "v")
    assert (row["time_to_recover"], row["time_down"]) == (5, 13)
    assert main(["sweep", str(path)]) == 0
    out = capsys.readouterr().out
    assert "service back: hours from the end of the outage until service is back at 99%" in out
    assert "node's return" not in out
