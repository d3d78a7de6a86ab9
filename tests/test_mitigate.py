"""The mitigation finder: the least single change that makes a drill graceful, with answers counted by hand."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from builders import graph, two_substitutes

from augur import load_scenario, parse_scenario, simulate
from augur.analysis.mitigate import LEVERS, _candidates, find_fixes, lever_monotone, rerun, rerun_each
from augur.cli import main
from augur.engine import run_drill
from augur.engine.batch import Drill
from augur.errors import ScenarioError
from augur.graph import NODE_ATTRIBUTES, build_graph
from augur.scenario import dump_scenario
from augur.sweep import mitigate, run_drills

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def chain(duration: int = 5):
    """a -> b -> shop; a is down for ``duration`` steps from step 2."""
    G = graph({"a": "vendor", "b": "vendor", "shop": "process"}, [("a", "b"), ("b", "shop")])
    s = parse_scenario(
        {"name": "chain", "steps": 30, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": duration}]},
        graph=G,
    )  # fmt: skip
    return G, s


def test_least_buffer_on_a_chain_equals_the_hand_count():
    """a is down at steps 2..8 (7 steps). b reads a's output a step late, so b's supply is 0 at steps
    3..9: 7 steps of full shortfall, one unit of stock each. 7 steps of stock at b cover them all; 6
    leave step 9 bare, b fails, and shop with it (cascade). So the least buffer at b is 7, not 8."""
    G, s = chain(7)
    result = mitigate(G, s, levers=["buffer"])
    fix = next(f for f in result.fixes if f["node"] == "b")
    assert (fix["lever"], fix["from"], fix["to"], fix["verdict"]) == ("buffer", 0.0, 7.0, "graceful")
    assert fix["confirmed"] and fix["method"] == "bisection"
    H = G.copy()
    H.nodes["b"]["buffer"] = 6.0
    assert simulate(H, replace(s, graph=H)).verdict == "cascade"
    assert fix["text"] == "7 hours of stock at b, against 0 hours today, makes this drill GRACEFUL."


def test_stock_at_the_failing_vendor_cannot_help_and_says_where_it_would():
    """Stock at a covers a's supply, not a's own outage: the finder says so and points at b."""
    G, s = chain(5)
    result = mitigate(G, s, levers=["buffer"])
    row = next(c for c in result.cannot_help if c["node"] == "a")
    assert row["lever"] == "buffer" and row["reason"] == "fails_itself" and row["dependents"] == ["b"]
    assert row["why"] == "Stock at a cannot cover its own outage; stock at its dependents can (b)."
    assert all(f["node"] != "a" for f in result.fixes)
    H = G.copy()
    H.nodes["a"]["buffer"] = 30.0  # the whole horizon of stock at a: still a cascade
    assert simulate(H, replace(s, graph=H)).verdict == "cascade"


def _split(second_source: bool):
    """a feeds x and y; y also takes context from x. With ``second_source`` y's compute has south beside
    a (group compute, min_supply 0.5), else y needs a itself. a is down for steps 2-6."""
    nodes = {"a": "vendor", "south": "vendor", "x": "logistics", "y": ("logistics", {"min_supply": 0.5})}
    edges = [("a", "x"), ("a", "y", {"group": "compute"}), ("x", "y", {"group": "ctx"}), ("y", "shop")]
    if second_source:
        edges.append(("south", "y", {"group": "compute"}))
    G = graph({**nodes, "shop": "process"}, edges)
    s = parse_scenario(
        {"name": "split", "steps": 30, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 5}]},
        graph=G,
    )  # fmt: skip
    return G, s


def test_stock_at_the_failing_vendor_names_only_the_dependents_a_rerun_confirmed():
    """a's dependents are x and y. With south beside a, y keeps half its compute (its min_supply), so
    5 steps of stock at x (a's five bare steps, a step late) make it graceful; stock at y, even the
    whole horizon, leaves x failing (shop keeps full service on y's stock: a contained cascade). The
    note names x alone, never y, which the list says is not enough; without south neither helps alone and the note says so, claiming no fix."""
    G, s = _split(second_source=True)
    result = mitigate(G, s, levers=["buffer"])
    assert [(f["node"], f["to"], f["confirmed"]) for f in result.fixes] == [("x", 5.0, True)]
    own = next(c for c in result.cannot_help if c["node"] == "a")
    assert own["dependents"] == ["x", "y"] and own["helped_by"] == ["x"]
    assert own["why"] == "Stock at a cannot cover its own outage; stock at its dependents can (x)."
    at_y = next(c for c in result.cannot_help if c["node"] == "y")
    assert (
        at_y["why"]
        == "With 30 hours of stock at y, service holds at 100%, but x still fails: a contained cascade."
    )
    G, s = _split(second_source=False)
    result = mitigate(G, s, levers=["buffer"])
    assert not [f for f in result.fixes if f["node"] in ("x", "y")]
    own = next(c for c in result.cannot_help if c["node"] == "a")
    assert own["helped_by"] == [] and own["none_enough"] is True
    assert own["why"] == (
        "Stock at a cannot cover its own outage; stock covers it only where its supply arrives (x and y), "
        "and no stock at one of them alone makes this drill GRACEFUL."
    )
    for node in ("x", "y"):  # by hand: the whole horizon of stock at either still leaves a cascade
        H = G.copy()
        H.nodes[node]["buffer"] = 30.0
        assert simulate(H, replace(s, graph=H)).verdict == "cascade"


def test_second_source_headroom_on_two_substitutes_equals_the_hand_count():
    """The least min_supply change at shop is 1.0 -> 0.75: supply is 0.75 of what shop needs
    (builders.two_substitutes); needing only 75% of its supply keeps it at full output, and at 0.76
    it runs at 0.75 / 0.76 = 98.7%, still below the SLO of 99%."""
    G, s = two_substitutes()
    assert simulate(G, s).verdict == "degraded"
    result = mitigate(G, s, levers=["min_supply"])
    assert [(f["node"], f["from"], f["to"], f["verdict"]) for f in result.fixes] == [
        ("shop", 1.0, 0.75, "graceful")
    ]
    assert result.fixes[0]["confirmed"]
    assert result.fixes[0]["text"].startswith("shop running at full output on 75% of its supply")


def typed_back(G, s, node, attribute, value):
    """The drill's verdict with ``node``'s ``attribute`` set to ``value``, as a user re-runs it."""
    H = G.copy()
    H.nodes[node][attribute] = value
    return simulate(H, replace(s, graph=H)).verdict


def shown_number(text, pattern):
    """The number a reader copies out of ``text`` where ``pattern`` (a regex with one group) finds it."""
    return float(re.search(pattern, text).group(1))


def test_a_headroom_fix_off_the_hundredths_is_shown_as_the_value_that_works():
    """a and d are equal substitutes of c, which needs 60.5% of its supply; a is down 3..6, so c gets
    50% at 4..7 and runs at 0.5 / min_supply. The SLO of 90% needs min_supply <= 0.5 / 0.9 = 0.5556.
    Searched by 0.01 from 0.605, the least is 0.555 (90.1%); 0.565 (88.5%) one unit short fails. As
    a whole percentage it read '56%', and 0.56 gives 89.3%: DEGRADED. Shown '55.5%', typed back
    0.555: GRACEFUL; the '56.5%' shown as not doing it does not."""
    G = graph(
        {"a": "vendor", "d": "vendor", "c": ("process", {"min_supply": 0.605})},
        [("a", "c", {"group": "x"}), ("d", "c", {"group": "x"})],
    )
    s = parse_scenario(
        {"name": "s", "steps": 20, "slo": 0.9,
         "shocks": [{"kind": "vendor_failure", "target": "a", "start": 3, "duration": 4}]}, graph=G,
    )  # fmt: skip
    fix = mitigate(G, s, levers=["min_supply"]).fixes[0]
    assert (fix["to"], fix["short"]) == (0.555, 0.565)
    shown = shown_number(fix["text"], r"on ([\d.]+)% of its supply") / 100
    short = shown_number(fix["check"], r"; ([\d.]+)% does not") / 100
    assert typed_back(G, s, "c", "min_supply", shown) == "graceful"
    assert typed_back(G, s, "c", "min_supply", short) == "degraded"
    assert typed_back(G, s, "c", "min_supply", 0.56) == "degraded"  # what '56%' said


def test_a_capacity_fix_off_the_hundredths_is_shown_as_the_value_that_works():
    """p (capacity 1.2004) under a x2 demand spike meets capacity / 2; the SLO of 90.51% needs 1.8102.
    Searched by 0.01 from 1.2004, the least is 1.8104 (90.52%); 1.8004 short fails. As '1.81×' it
    read a value that gives 90.5%: DEGRADED. Shown '1.8104×', typed back: GRACEFUL."""
    G = graph({"a": ("vendor", {"capacity": 10}), "p": ("process", {"capacity": 1.2004})}, [("a", "p")])
    s = parse_scenario(
        {"name": "s", "steps": 20, "slo": 0.9051,
         "shocks": [{"kind": "demand_spike", "target": "p", "start": 3, "duration": 4, "multiplier": 2}]},
        graph=G,
    )  # fmt: skip
    fix = mitigate(G, s, levers=["capacity"]).fixes[0]
    assert (fix["to"], fix["short"]) == (1.8104, 1.8004)
    shown = shown_number(fix["text"], r"[Cc]apacity for ([\d.]+)× baseline")
    short = shown_number(fix["check"], r"; ([\d.]+)× does not")
    assert typed_back(G, s, "p", "capacity", shown) == "graceful"
    assert typed_back(G, s, "p", "capacity", short) == "degraded"
    assert typed_back(G, s, "p", "capacity", 1.81) == "degraded"  # what '1.81×' said


def test_batched_search_equals_a_loop_of_single_reruns():
    """The finder gives the same fixes through the batch runner as through single re-runs."""
    G, s = two_substitutes()
    plain = replace(s, hypothesis=None)
    batched = find_fixes(G, s, lambda drills: run_drills(G, plain, drills))
    single = find_fixes(G, s, rerun_each(G, s))
    assert batched.fixes == single.fixes and batched.cannot_help == single.cannot_help


def test_a_graceful_drill_needs_no_fix():
    """A drill that already meets its goal runs no search."""
    G, s = chain(5)
    H = G.copy()
    H.nodes["b"]["buffer"] = 10.0
    result = mitigate(H, replace(s, graph=H))
    assert result.verdict == "graceful" and result.fixes == [] and result.drills_run == 0


def test_goal_degraded_accepts_a_milder_verdict():
    """a (capacity 1.0) loses 60% at steps 2..5, so b gets 0.4 of its supply at steps 3..6 and, below
    its fail_below of 0.5, fails: a cascade. Each step stock tops b up by what is missing (0.6).
    Stock 3 covers all four (2.4): graceful. Stock 2 covers three (1.8) and 0.2 of the fourth, where b
    runs at 0.6, above 0.5, and shop at 0.6, below the SLO: degraded. Stock 1 leaves b at 0.4 on the
    third step: the cascade again. So 'degraded' asks for 2, 'graceful' for 3."""
    G = graph(
        {"a": ("vendor", {"capacity": 1.0}), "b": ("vendor", {"fail_below": 0.5}), "shop": "process"},
        [("a", "b"), ("b", "shop")],
    )
    s = parse_scenario(
        {"name": "thin", "steps": 20, "slo": 0.99, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 4, "severity": 0.6}]},
        graph=G,
    )  # fmt: skip
    graceful = mitigate(G, s, levers=["buffer"], nodes=["b"]).fixes
    degraded = mitigate(G, s, levers=["buffer"], nodes=["b"], goal="degraded").fixes
    assert [(f["to"], f["verdict"], f["confirmed"]) for f in graceful] == [(3.0, "graceful", True)]
    assert [(f["to"], f["verdict"], f["confirmed"]) for f in degraded] == [(2.0, "degraded", True)]
    for stock, verdict in ((1.0, "cascade"), (2.0, "degraded"), (3.0, "graceful")):
        H = G.copy()
        H.nodes["b"]["buffer"] = stock
        assert simulate(H, replace(s, graph=H)).verdict == verdict


def test_headroom_is_searched_where_stock_covers_the_steps_that_got_nothing():
    """At the port-congestion drill Rotterdam gets nothing at some step, but its stock of 4 covers
    that; the steps that got some supply are where headroom helps: needing 68% of it ends the drill
    graceful, 69% does not. The finder offers 0.68 there."""
    s = load_scenario(SCENARIOS / "manufacturer-port-congestion.yaml")
    G = s.graph
    plain = replace(s, hypothesis=None)
    col = run_drill(G, plain).nodes.index("port-rotterdam")
    assert G.nodes["port-rotterdam"]["buffer"] == 4.0 and run_drill(G, plain).supply[:, col].min() == 0.0
    fixes = mitigate(G, s, levers=["min_supply"], nodes=["port-rotterdam"]).fixes
    assert [(f["node"], f["from"], f["to"], f["verdict"], f["confirmed"]) for f in fixes] == [
        ("port-rotterdam", 1.0, 0.68, "graceful", True)
    ]
    assert rerun(G, plain, {"min_supply": {"port-rotterdam": 0.68}})["verdict"] == "graceful"
    assert rerun(G, plain, {"min_supply": {"port-rotterdam": 0.69}})["verdict"] == "degraded"


def test_headroom_is_not_searched_where_every_short_step_got_nothing():
    """On the chain b gets nothing at each short step: a / min_supply is 0 there whatever min_supply
    is, so the finder does not search it."""
    G, s = chain(5)
    searches, _ = _candidates(G, s, run_drill(G, s), ["min_supply"], None)
    assert searches == []


def test_an_unknown_lever_or_node_is_named_not_dropped():
    """A misspelt lever or node is bad input, with the nearest name; never 'none needed'."""
    G, s = chain(5)
    with pytest.raises(
        ScenarioError, match=r"unknown lever 'bufer' \(did you mean 'buffer'\?\); expected buffer"
    ):
        find_fixes(G, s, rerun_each(G, s), levers=["bufer"])
    with pytest.raises(ScenarioError, match=r"unknown node 'bb' \(did you mean 'b'\?\)"):
        find_fixes(G, s, rerun_each(G, s), nodes=["bb"])


def test_mitigate_cli_rejects_an_unknown_lever_or_node_with_exit_2(capsys):
    path = str(SCENARIOS / "retail-chip-outage.yaml")
    assert main(["mitigate", path, "--levers", "bufer"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"augur: error: {path}: --levers: unknown lever 'bufer' (did you mean 'buffer'?); "
        "expected buffer, min_supply, capacity, token_limit, recovery\n"
    )
    assert main(["mitigate", path, "--nodes", "acme-chip", "--levers", "buffer"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"augur: error: {path}: --nodes: unknown node 'acme-chip' (did you mean 'acme-chips', Acme Chips (tier 2)?)\n"
    )


def test_mitigate_nodes_take_a_label_and_a_part_of_one_gets_the_nodes_name():
    """--nodes names a node by its id or its label, case aside: 'acme chips (tier 2)' is acme-chips.
    'acme' is no node's id or label, nor a typo of one (difflib finds none within 0.6), but it is a
    word of Acme Chips (tier 2): the refusal names that node, id and label."""
    path = str(SCENARIOS / "retail-chip-outage.yaml")
    s = load_scenario(path)
    by_label = find_fixes(
        s.graph, s, rerun_each(s.graph, s), levers=["buffer"], nodes=["acme chips (tier 2)"]
    )
    by_id = find_fixes(s.graph, s, rerun_each(s.graph, s), levers=["buffer"], nodes=["acme-chips"])
    assert by_label.cannot_help == by_id.cannot_help and by_label.fixes == by_id.fixes
    assert {row["node"] for row in by_label.cannot_help} == {"acme-chips"}
    with pytest.raises(ScenarioError) as err:
        find_fixes(s.graph, s, rerun_each(s.graph, s), nodes=["acme"])
    assert str(err.value).endswith("unknown node 'acme' (did you mean 'acme-chips', Acme Chips (tier 2)?)")


def test_mitigate_says_none_needed_only_when_the_goal_is_met(tmp_path, capsys):
    """The chain ends cascade; with no lever to search (nothing overloaded, so no capacity) the CLI
    says it found no single change, not that none is needed."""
    _, s = chain(5)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", str(path), "--levers", "capacity"]) == 0
    out = capsys.readouterr().out
    assert "None needed" not in out
    assert "  No single change of one lever at one node makes it GRACEFUL: the levers below" in out


def bundled():
    return sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", bundled(), ids=lambda p: p.stem)
def test_levers_are_monotone_on_the_bundled_drills(path):
    """On every bundled drill, each lever the finder would search gives a verdict that never gets
    worse as the change grows (checked on a grid of up to nine changes per lever): the ground for
    searching by bisection."""
    s = load_scenario(path)
    G = s.graph
    plain = replace(s, hypothesis=None)
    searches, _ = _candidates(G, plain, run_drill(G, plain), LEVERS, None)
    asked = []
    for search in searches:
        ks = sorted({max(1, round(search.kmax * j / 8)) for j in range(9)})
        asked += [(search, k) for k in ks]
    value = {(id(x), k): x.lever.value(x.current, k) for x, k in asked}
    drills = [Drill(plain.shocks, {x.lever.name: {x.node: value[(id(x), k)]}}) for x, k in asked]
    metrics = run_drills(G, plain, drills)
    rank = {"graceful": 0, "degraded": 1, "cascade": 2}
    last: dict = {}
    for (x, k), m in zip(asked, metrics):
        r = rank[m["verdict"]]
        assert r <= last.get(id(x), 2), (x.lever.name, x.node, k, m["verdict"])
        last[id(x)] = r
    if s.token_budget is not None and any(d["kind"] == "ai_service" for _, d in G.nodes(data=True)):
        assert not lever_monotone(G, s)  # searched by a scan all the same: a budget can make it not


def test_mitigate_json_lists_fixes_and_levers_that_cannot_help(tmp_path, capsys):
    """`augur mitigate --json`: fixes with lever, node, from, to, verdict; cannot_help with why."""
    _, s = chain(5)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "cascade" and out["goal"] == "graceful"
    assert {"lever": "buffer", "node": "b", "from": 0.0, "to": 5.0, "verdict": "graceful"}.items() <= (
        out["fixes"][0].items()
    )
    assert any(c["node"] == "a" and "own outage" in c["why"] for c in out["cannot_help"])
    assert main(["mitigate", str(path)]) == 0
    assert (
        "5 hours of stock at b, against 0 hours today, makes this drill GRACEFUL." in capsys.readouterr().out
    )


def test_mitigate_goal_hypothesis_without_one_exits_2(tmp_path, capsys):
    """Asking to meet a hypothesis the scenario does not state is bad input, named."""
    _, s = chain(5)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", str(path), "--goal", "hypothesis"]) == 2
    assert "no hypothesis" in capsys.readouterr().err


def test_exact_cover_beats_greedy_where_the_greedy_choice_is_a_trap():
    """Six drills; one change fixes four of them at cost 1, two others fix three each at cost 1
    (0, 1, 4 and 2, 3, 5). Greedy takes the four first and then needs both others: cost 3. The exact
    cover (milp) takes the two threes: cost 2. Both fix every drill."""
    from augur.analysis.cheapest import Option, cheapest_set

    trap = Option("buffer", "t", 1.0, 1.0, frozenset({0, 1, 2, 3}))
    s1 = Option("buffer", "s1", 1.0, 1.0, frozenset({0, 1, 4}))
    s2 = Option("buffer", "s2", 1.0, 1.0, frozenset({2, 3, 5}))
    greedy = cheapest_set([trap, s1, s2], range(6), method="greedy")
    exact = cheapest_set([trap, s1, s2], range(6), method="milp")
    assert sum(o.cost for o in greedy) == 3.0 and sum(o.cost for o in exact) == 2.0
    for chosen in (greedy, exact):
        assert set().union(*(o.fixes for o in chosen)) == set(range(6))
    assert {o.node for o in exact} == {"s1", "s2"}


def test_cheapest_fixes_for_two_drills_take_the_larger_stock_once_and_price_it():
    """Outages of 3 and 6 steps at a need 3 and 6 steps of stock at b; 6 covers both. At a
    buffer_cost of 2.5 per step that is 15, and both drills re-run graceful with it."""
    from augur.sweep import cheapest_fixes

    G, short = chain(3)
    G.nodes["b"]["buffer_cost"] = 2.5
    _, long = chain(6)
    plan = cheapest_fixes(G, [replace(short, graph=G), replace(long, graph=G)])
    assert [(c["lever"], c["node"], c["to"], c["cost"]) for c in plan.changes] == [("buffer", "b", 6.0, 15.0)]
    assert plan.cost == plan.greedy_cost == 15.0
    assert [(d["verdict"], d["with_changes"], d["fixed"]) for d in plan.drills] == [
        ("cascade", "graceful", True),
        ("cascade", "graceful", True),
    ]


def test_the_packs_stock_check_names_the_least_stock_the_finder_finds():
    """At the port-congestion drill, rounding the port's shortfall up asks for 23 days of stock at
    Rotterdam; 13 already end the drill graceful, 12 do not. The pack's model check offers 13, as
    augur mitigate does."""
    from augur.analysis.levers import buffer_lever, stock_needed

    s = load_scenario(SCENARIOS / "manufacturer-port-congestion.yaml")
    result = simulate(s.graph, s)
    assert round(stock_needed(result, "port-rotterdam") + 0.5) >= 23
    lever = buffer_lever(result, "port-rotterdam")
    assert lever.value == 13.0
    fix = next(f for f in mitigate(s.graph, s, levers=["buffer"]).fixes if f["node"] == "port-rotterdam")
    assert fix["to"] == lever.value
    for stock, verdict in ((13.0, "graceful"), (12.0, "degraded")):
        H = s.graph.copy()
        H.nodes["port-rotterdam"]["buffer"] = stock
        assert simulate(H, replace(s, graph=H)).verdict == verdict


def test_mitigate_several_drills_prints_the_cheapest_set_together(tmp_path, capsys):
    """`augur mitigate A B`: each drill's least fixes, then the one set that fixes both, priced."""
    paths = []
    for d in (3, 6):
        _, s = chain(d)
        paths.append(tmp_path / f"chain-{d}.yaml")
        paths[-1].write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", *map(str, paths), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["fixes"][0]["to"] for d in out["drills"]] == [3.0, 6.0]
    together = out["together"]
    assert together["method"] == "milp" and together["cost"] == 6.0 and together["greedy_cost"] == 6.0
    assert [(c["node"], c["to"]) for c in together["changes"]] == [("b", 6.0)]
    assert all(d["fixed"] for d in together["drills"])
    assert main(["mitigate", *map(str, paths)]) == 0
    assert "together (milp): 2 of 2 drills graceful, cost 6.00" in capsys.readouterr().out


def test_a_scan_is_called_a_scan_only_where_every_value_was_tried():
    """Up to 64 values a non-monotone lever is scanned whole; past that it is a grid of 33 and then
    the gap before the first pass, which can miss a pass between two failing grid points."""
    from augur.analysis.mitigate import _method, _Search

    def search(kmax, monotone=False):
        return _Search(LEVERS["buffer"], "b", 0.0, kmax, monotone=monotone)

    assert [_method(search(64)), _method(search(65)), _method(search(65, True))] == [
        "scan",
        "grid+bisection",
        "bisection",
    ]
    assert len(search(65).probes()) == 33


def test_the_capacity_search_stops_at_the_largest_capacity_a_graph_allows():
    """A vendor left at a ten-millionth of its output would need capacity for ten million times the
    baseline: beyond what a graph file allows (1,000,000), so the finder tries up to that and says it
    is not enough, where it used to propose 2,500,001.05 and fail on its own refusal."""
    G = build_graph(
        [("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
        [("e", {"source": "a", "target": "shop"})],
    )
    shock = {"kind": "vendor_failure", "target": "a", "start": 3, "duration": 5, "severity": 0.9999999}
    result = mitigate(G, parse_scenario({"name": "s", "steps": 20, "shocks": [shock]}, graph=G))
    capacity = next(row for row in result.cannot_help if row["lever"] == "capacity")
    assert capacity["reason"] == "not_enough"
    assert capacity["tried"] == NODE_ATTRIBUTES["capacity"].high


def test_the_packs_token_check_names_the_least_limit_the_finder_finds():
    """At the inbox drill 13,334 tokens would stop the drafting LLM's throttling altogether, but 8,400
    already end the drill graceful: the pack's model check offers the least, as augur mitigate does,
    and 8,399 does not do it."""
    from augur.analysis.levers import token_lever

    s = load_scenario(SCENARIOS / "inbox-autopilot-rate-limit.yaml")
    result = simulate(s.graph, s)
    lever = token_lever(result, "drafting-llm")
    assert lever.covering == 13_334
    fix = next(f for f in mitigate(s.graph, s, levers=["token_limit"]).fixes if f["node"] == "drafting-llm")
    assert lever.value == fix["to"] == 8_400
    for limit, verdict in ((8_400, "graceful"), (8_399, "degraded")):
        H = s.graph.copy()
        H.nodes["drafting-llm"]["token_limit"] = limit
        assert simulate(H, replace(s, graph=H)).verdict == verdict


def test_stock_that_keeps_service_whole_says_what_it_achieves_and_what_still_fails():
    """a -> b -> c -> shop, a down at days 2-6: b (a vendor, no stock) fails at days 3-7 whatever
    is done downstream. The whole horizon's stock at c (30 days) covers c's five bare days, so shop
    never falls: service stays at 100% while b still fails, a contained cascade. The note says that
    rather than 'not enough on its own'; stock at b (5 days, its five bare days) is the fix."""
    G = graph(
        {"a": "vendor", "b": "vendor", "c": "logistics", "shop": "process"},
        [("a", "b"), ("b", "c"), ("c", "shop")],
    )
    shock = {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 5}
    s = parse_scenario({"name": "chain", "steps": 30, "step_unit": "day", "shocks": [shock]}, graph=G)
    result = mitigate(G, s, levers=["buffer"])
    assert [(f["node"], f["to"]) for f in result.fixes] == [("b", 5.0)]
    at_c = next(c for c in result.cannot_help if c["node"] == "c")
    assert (at_c["reason"], at_c["service_level_min"]) == ("not_enough", 1.0)
    assert (
        at_c["why"]
        == "With 30 days of stock at c, service holds at 100%, but b still fails: a contained cascade."
    )


def test_a_token_limit_the_budget_rules_out_names_the_budget_as_the_reason():
    """feed -> llm -> desk, feed's quality halved for 10 steps, a token budget of 2.5x. A throttled
    service spends exactly its limit, and llm's baseline is 1,000 tokens (1 unit at 1,000 tokens a
    unit), so its peak is the limit / 1,000: 2,500 is the most within the budget (2.5x; 2,501 is
    2.501x, over), and there service falls to 73%. Service holds the 90% SLO from a limit of 3,096
    (3,095 falls below it), which peaks at 3.096x, over the budget. Every limit tried ends DEGRADED,
    the largest (6,878) with service at 100%: the sentence names the budget, where it said 'Even a
    token limit of 6,878 at llm leaves this drill DEGRADED: not enough on its own'."""
    G = graph(
        {"feed": ("data_source", {"capacity": 10}), "llm": ("ai_service", {"token_limit": 2000}),
         "desk": "process"},
        [("feed", "llm"), ("llm", "desk")],
    )  # fmt: skip
    shock = {"kind": "data_quality_drop", "target": "feed", "start": 5, "duration": 10, "quality": 0.5}
    s = parse_scenario(
        {"name": "aib", "steps": 30, "slo": 0.9, "token_budget": 2.5, "shocks": [shock]}, graph=G
    )
    result = mitigate(G, s, levers=["token_limit"], workers=1)
    row = next(c for c in result.cannot_help if c["lever"] == "token_limit")
    assert (row["reason"], row["verdict"], row["service_level_min"]) == ("not_enough", "degraded", 1.0)
    assert (row["holds"]["value"], row["within"]["value"]) == (3096.0, 2500.0)
    for limit, holds, within in (
        (3095, False, False),
        (3096, True, False),
        (2500, False, True),
        (2501, False, False),
    ):
        H = G.copy()
        H.nodes["llm"]["token_limit"] = limit
        m = simulate(H, replace(s, graph=H)).metrics
        assert (m["service_level_min"] >= 0.9, m["peak_token_multiplier"] <= 2.5) == (holds, within)
    assert row["why"] == (
        "The token budget rules it out: a token limit of 3,096 at llm keeps service at or above the SLO "
        "of 90% but peaks at 3.10× baseline tokens, over the budget of 2.50×, and a token limit of 2,500 "
        "at llm stays within the budget but lets service fall to 73%."
    )


def test_a_lever_the_drill_calls_for_nowhere_says_why_where_the_answer_was_empty():
    """a -> b -> shop, a down completely at steps 2-6: no node carries more than its baseline load of
    1 (capacity 1) and none is partly down, a is down completely. Asked for capacity alone, the finder
    runs no drill and says so, where the answer was 'the levers below are not enough' over nothing."""
    G, s = chain(5)
    result = mitigate(G, s, levers=["capacity"], workers=1)
    assert (result.fixes, result.drills_run) == ([], 0)
    assert [(c["lever"], c["node"], c["reason"], c["down"]) for c in result.cannot_help] == [
        ("capacity", None, "nowhere", ["a"])
    ]
    assert result.cannot_help[0]["why"] == (
        "More capacity cannot help anywhere in this drill: no node had more load than its capacity or "
        "was partly down (a is down completely)."
    )
    at_b = mitigate(G, s, levers=["capacity"], nodes=["b"], workers=1).cannot_help
    assert [c["why"] for c in at_b] == [
        "More capacity cannot help at b in this drill: no node asked had more load than its capacity or "
        "was partly down."
    ]


def test_a_lever_that_fits_no_node_of_the_graph_is_refused_with_exit_2(tmp_path, capsys):
    """The chain has no AI service and every node comes back at once (recovery 0): a token limit or a
    faster recovery can change nothing anywhere, so asking for either is bad input naming the file, the
    flag and the levers that do fit, where the search ran nothing and said the levers were not enough."""
    G, s = chain(5)
    with pytest.raises(ScenarioError) as err:
        find_fixes(G, s, rerun_each(G, s), levers=["buffer", "token_limit"])
    assert (err.value.place, err.value.message) == (
        "--levers",
        "token_limit fits no node of this graph: none is an AI service with a token limit; expected "
        "some of buffer, min_supply, capacity",
    )
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", str(path), "--levers", "recovery"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"augur: error: {path}: --levers: recovery fits no node of this graph: none takes time to recover "
        "(recovery is 0 at each, as fast as it goes); expected some of buffer, min_supply, capacity\n"
    )
    with pytest.raises(ScenarioError, match="min_supply fits no node asked: none has suppliers"):
        find_fixes(G, s, rerun_each(G, s), levers=["min_supply"], nodes=["a"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--nodes", ""], "--nodes: expected at least one node id or label to try"),
        (["--nodes", ","], "--nodes: expected at least one node id or label to try"),
        (["--levers", ""], "--levers: expected at least one lever, some of buffer, min_supply, capacity"),
        (["--levers", ",,"], "--levers: expected at least one lever, some of buffer, min_supply, capacity"),
    ],
)
def test_mitigate_refuses_an_empty_list_of_nodes_or_levers(tmp_path, capsys, flags, message):
    """`--nodes ''` and `--levers ''` meant every node and every lever, where `--kinds ''` is refused:
    each names nothing, so each is refused (exit 2) with the flag and what it expects."""
    _, s = chain(5)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["mitigate", str(path), *flags]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"augur: error: {path}: {message}")
    assert captured.err.count("\n") == 1


def test_a_faster_recovery_at_a_source_says_its_own_outage_ends_not_its_supply():
    """v -> d -> p, v (recovery 3, no suppliers) down at steps 5-14; d holds 11 steps of stock and
    goes without from step 6 for v's 10 steps down plus its recovery. 10 + r <= 11 steps: a recovery
    of 1 is the least fix, 2 is not. v has no supply to return: it is back once its own outage ends,
    where the sentence said 'v back 1 hour after its supply returns'."""
    G = graph(
        {"v": ("vendor", {"recovery": 3}), "d": ("logistics", {"buffer": 11}), "p": "process"},
        [("v", "d"), ("d", "p")],
    )
    s = parse_scenario(
        {"name": "rec", "steps": 30, "shocks": [
            {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10}]},
        graph=G,
    )  # fmt: skip
    fix = next(f for f in mitigate(G, s, levers=["recovery"], workers=1).fixes if f["node"] == "v")
    assert (fix["from"], fix["to"], fix["short"], fix["confirmed"]) == (3.0, 1.0, 2.0, True)
    assert (
        fix["text"]
        == "v back 1 hour after its own outage ends, against 3 hours today, makes this drill GRACEFUL."
    )
