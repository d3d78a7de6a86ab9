"""Drill results: the verdict rules, survival and recovery times, loss, tokens and the event log."""

from __future__ import annotations

import pytest
from builders import chain, drill, graph, outage


def retail(**plant):
    return graph(
        {
            "chips": "vendor",
            "spare": "vendor",
            "plant": ("logistics", plant),
            "shop": "process",
            "web": "process",
        },
        [
            ("chips", "plant", {"group": "chips"}),
            ("spare", "plant", {"group": "chips"}),
            ("plant", "shop"),
            ("plant", "web"),
        ],
    )


def test_verdict_is_graceful_when_service_holds_and_nothing_else_fails():
    """A shock absorbed by a substitute within headroom leaves the verdict graceful."""
    result = drill(retail(min_supply=0.5), [{"kind": "vendor_failure", "target": "chips", "start": 3}])
    assert result.verdict == "graceful"
    assert result.metrics["service_level_min"] == 1.0
    assert result.metrics["time_to_survive"] is None


def test_verdict_is_degraded_when_service_falls_below_slo_without_secondary_failures():
    """Service at 50% with an SLO of 90% and no secondary failure is degraded."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": "chips", "start": 3}], slo=0.9)
    assert result.metrics["secondary_failures"] == []
    assert result.verdict == "degraded"
    assert result.metrics["service_level_min"] == pytest.approx(0.5)


def test_verdict_is_degraded_when_tokens_exceed_the_budget():
    """Tokens above the scenario's token_budget make a drill degraded even with service intact."""
    G = graph(
        {
            "feed": ("data_source", {"capacity": 10}),
            "llm": ("ai_service", {"capacity": 10}),
            "desk": "process",
        },
        [("feed", "llm"), ("llm", "desk")],
    )
    drop = {"kind": "data_quality_drop", "target": "feed", "start": 3, "quality": 0.9}
    within = drill(G, [drop], token_budget=3.0)
    over = drill(G, [drop], token_budget=1.1)
    assert within.metrics["peak_token_multiplier"] == pytest.approx(over.metrics["peak_token_multiplier"])
    assert 1.1 < over.metrics["peak_token_multiplier"] < 3.0
    assert within.verdict == "graceful"
    assert over.verdict == "degraded"


def test_verdict_is_cascade_when_a_node_that_was_not_shocked_fails():
    """A vendor outage that fails the plant and the processes behind it is a cascade."""
    G = retail()
    both = [{"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3}]
    result = drill(G, both)
    assert result.verdict == "cascade"
    assert set(result.metrics["secondary_failures"]) == {"plant", "shop", "web"}
    assert result.metrics["cascade_depth"] == 2
    assert result.metrics["primary"] == ["chips", "spare"]


def test_primary_failure_alone_is_not_a_cascade():
    """The shocked node failing, with everything else holding, is not a cascade."""
    result = drill(retail(min_supply=0.5), [{"kind": "vendor_failure", "target": "chips", "start": 3}])
    assert result.metrics["failed_nodes"] == 1
    assert result.verdict != "cascade"


def test_time_to_survive_counts_steps_from_first_shock_to_slo_breach():
    """A buffer of 4 steps at the plant holds service for 1 + 4 steps after the outage starts."""
    G = retail(buffer=4)
    result = drill(G, [{"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3}], steps=30)
    # supply gone at the plant from step 4; stock covers steps 4..7; plant fails at 8; shops at 9
    assert result.metrics["time_to_survive"] == 6


def test_time_to_recover_counts_steps_from_shock_end_to_full_service():
    """After a 5-step outage ends, service returns two hops later: time to recover is 2."""
    outage = {"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3, "duration": 5}
    result = drill(retail(), [outage], steps=30)
    assert result.metrics["time_to_recover"] == 2


def test_time_to_recover_includes_recovery_steps():
    """A plant that needs 4 steps to restart adds those 4 steps to the time to recover."""
    outage = {"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3, "duration": 5}
    result = drill(retail(recovery=4), [outage], steps=30)
    assert result.metrics["time_to_recover"] == 2 + 4


def test_time_to_recover_is_null_while_a_shock_lasts_to_the_horizon():
    """A permanent outage has no recovery time."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3}])
    assert result.metrics["time_to_recover"] is None


def test_resilience_loss_is_the_area_above_the_service_curve():
    """Service at 50% for 17 steps loses 8.5 steps of service."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": "chips", "start": 3}], steps=20)
    # plant halves from step 4, the shops one step later: 15 steps at 50%
    assert result.metrics["resilience_loss"] == pytest.approx(15 * 0.5)


def test_token_overrun_and_its_cost():
    """Tokens above each service's baseline are summed and priced per thousand."""
    G = graph(
        {
            "feed": ("data_source", {"capacity": 10}),
            "llm": ("ai_service", {"capacity": 10, "price_per_1k_tokens": 0.02}),
            "desk": "process",
        },
        [("feed", "llm"), ("llm", "desk")],
    )
    drop = {"kind": "data_quality_drop", "target": "feed", "start": 3, "duration": 2, "quality": 0.8}
    result = drill(G, [drop], steps=12)
    attempts = (1 - 0.4**4) / 0.6
    extra = 2 * 1000 * (attempts - 1)  # two steps of retries at the llm
    assert result.metrics["token_overrun"] == pytest.approx(extra)
    assert result.metrics["token_overrun_cost"] == pytest.approx(extra / 1000 * 0.02)


def test_hypothesis_held_compares_verdict_with_the_expectation():
    """hypothesis_held is true when the verdict matches, false when not, null without one."""
    G = retail()
    outage = [{"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3}]
    assert drill(G, outage, hypothesis="cascade").metrics["hypothesis_held"] is True
    assert drill(G, outage, hypothesis="graceful").metrics["hypothesis_held"] is False
    assert drill(G, outage).metrics["hypothesis_held"] is None


def test_event_log_tells_the_story_in_order():
    """Events name the shock, each failure with its cause, and the SLO breach, in step order."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": ["chips", "spare"], "start": 3}])
    lines = [str(e) for e in result.events]
    assert lines[0] == "t=3 shock, hour 3 to the end: chips and spare go down completely"
    assert "t=3 chips failed (its own vendor failure)" in lines
    assert "t=4 plant failed (supply 0%: chips 0%, spare 0%)" in lines
    assert any(line.startswith("t=5 service level fell below the SLO") for line in lines)
    assert [e.t for e in result.events] == sorted(e.t for e in result.events)


def test_event_log_reports_degradation_with_the_share_met():
    """A process that falls to 50% is logged as degraded to 50%."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": "chips", "start": 3}])
    assert "t=5 shop degraded to 50%" in [str(e) for e in result.events]


def test_a_degraded_node_that_sinks_ten_points_further_is_logged_again():
    """80%, then 60% is a new low worth telling; a further dip of 3 points is not."""
    G = graph({"v": ("vendor", {"capacity": 1.0}), "shop": ("process", {"min_supply": 1.0})}, [("v", "shop")])
    shocks = [
        {"kind": "vendor_failure", "target": "v", "start": 2, "severity": 0.2},
        {"kind": "vendor_failure", "target": "v", "start": 5, "severity": 0.25},
        {"kind": "vendor_failure", "target": "v", "start": 8, "severity": 0.05},
    ]
    result = drill(G, shocks, steps=12)
    told = [str(e) for e in result.events if e.node == "shop" and e.kind == "degraded"]
    assert told == ["t=3 shop degraded to 80%", "t=6 shop degraded to 60%"]


def test_metrics_carry_what_reproduces_the_drill():
    """The metrics name the scenario, the seed and the augur version."""
    result = drill(retail(), [], seed=11)
    assert result.metrics["scenario"] == "test drill"
    assert result.metrics["seed"] == 11
    assert result.metrics["augur"]


def test_long_frame_has_one_row_per_node_per_step_with_status_names():
    """to_frame gives t, node, status and the state columns; statuses are words."""
    result = drill(retail(), [{"kind": "vendor_failure", "target": "chips", "start": 3}], steps=6)
    frame = result.to_frame()
    assert {"t", "node", "status", "output", "load", "supply", "quality", "tokens", "ci"} <= set(frame)
    row = frame[(frame.t == 5) & (frame.node == "shop")].iloc[0]
    assert row.status == "degraded" and row.output == pytest.approx(0.5)
    assert frame[(frame.t == 3) & (frame.node == "chips")].iloc[0].status == "failed"


def test_a_later_shock_on_a_node_does_not_excuse_its_earlier_knock_on_failure():
    """A node that failed because its supplier did stays a secondary failure if it is shocked later."""
    from test_engine import chain

    G = chain()
    outage = {"kind": "vendor_failure", "target": "vendor", "start": 3, "duration": 3}
    later = {"kind": "vendor_failure", "target": "warehouse", "start": 14, "duration": 2}
    alone = drill(G, [outage], steps=24)
    both = drill(G, [outage, later], steps=24)
    assert alone.metrics["secondary_failures"] == ["port", "warehouse", "fulfilment"]
    assert both.metrics["secondary_failures"] == ["port", "warehouse", "fulfilment"]
    assert both.metrics["primary"] == ["vendor", "warehouse"]


def test_a_shocked_node_failing_under_its_own_shock_is_primary():
    """The warehouse failing while its own shock acts on it is not a cascade by itself."""
    from test_engine import chain

    result = drill(chain(), [{"kind": "vendor_failure", "target": "warehouse", "start": 3, "duration": 2}])
    assert result.metrics["secondary_failures"] == ["fulfilment"]


def test_a_node_under_a_quality_drop_that_fails_from_load_is_a_knock_on_failure():
    """A data-quality drop never lowers its target's own output: when the feed fails under a demand
    spike on the desk it serves, the failure is the spike's knock-on, and the log names the load."""
    G = graph({"feed": "data_source", "desk": "process"}, [("feed", "desk")])
    spike = {"kind": "demand_spike", "target": "desk", "start": 3, "duration": 4, "multiplier": 5}
    drop = {"kind": "data_quality_drop", "target": "feed", "start": 2, "quality": 0.5}
    result = drill(G, [spike, drop], steps=12)
    assert result.metrics["secondary_failures"] == ["feed"]
    assert result.metrics["verdict"] == "cascade"
    failed = [e.message for e in result.events if e.kind == "failed" and e.node == "feed"]
    assert failed == ["feed failed (demand of 5.00× baseline against a capacity of 1.2×)"]


def _line(**e):
    """a -> b -> c -> d -> e: a vendor, three logistics stages and a process, with a side feed f
    into e (its own supply group, so e needs both)."""
    return graph(
        {
            "a": "vendor",
            "b": "logistics",
            "c": "logistics",
            "d": "logistics",
            "e": ("process", e),
            "f": ("data_source", {"capacity": 3}),
        },
        [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e", {"group": "goods"}), ("f", "e", {"group": "data"})],
    )


def test_cascade_depth_counts_the_hops_of_the_chain_of_failures_whatever_else_is_shocked():
    """a fails at step 3 and each hop costs a step: b fails at 4, c at 5, d at 6, e at 7, four hops
    down the chain. A data-quality drop on f, one hop from e, fails nothing and changes no failure;
    measured from the nearest shocked node it made the chain look two hops deep (d is two from f, e
    one). The depth is counted along the failures, so it stays four, batched or not."""
    from augur.engine import Drill, compile_graph
    from augur.metrics import measure_batch

    G = _line()
    outage = {"kind": "vendor_failure", "target": "a", "start": 3}
    unrelated = {"kind": "data_quality_drop", "target": "f", "start": 2, "quality": 0.5}
    alone, both = drill(G, [outage], steps=12), drill(G, [outage, unrelated], steps=12)
    failed = [(e.t, e.node) for e in alone.events if e.kind == "failed"]
    assert failed == [(3, "a"), (4, "b"), (5, "c"), (6, "d"), (7, "e")]
    assert [(e.t, e.node) for e in both.events if e.kind == "failed"] == failed
    assert alone.metrics["secondary_failures"] == both.metrics["secondary_failures"] == ["b", "c", "d", "e"]
    assert alone.metrics["cascade_depth"] == both.metrics["cascade_depth"] == 4
    batched = measure_batch(
        compile_graph(G), G, both.scenario, [Drill(alone.scenario.shocks), Drill(both.scenario.shocks)]
    )
    assert [row["cascade_depth"] for row in batched] == [4, 4]


def test_cascade_depth_of_a_failure_that_came_through_nodes_that_held_is_its_distance_to_the_shock():
    """A demand spike of 5x on the process e passes up the chain as load: e, b, c and d have the
    capacity for it (10x), a has 1.2x and fails (output 1.2 / 5 = 24%, under fail_below 30%). No
    supplier of a went down before it, so its depth is its distance from e: four hops. Then a's
    outage starves the chain back down, a hop a step: b at 5, c at 6, d at 7 and e, after its spike
    ended, at 8 hops: the disruption went four hops up as load and four back down as shortage."""
    G = graph(
        {
            "a": "vendor",
            "b": ("logistics", {"capacity": 10}),
            "c": ("logistics", {"capacity": 10}),
            "d": ("logistics", {"capacity": 10}),
            "e": ("process", {"capacity": 10}),
        },
        [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")],
    )
    spike = {"kind": "demand_spike", "target": "e", "start": 2, "duration": 3, "multiplier": 5}
    result = drill(G, [spike], steps=14)
    failed = [(e.t, e.node) for e in result.events if e.kind == "failed"]
    # the spike's load reaches a four steps after it starts at e
    assert failed == [(6, "a"), (7, "b"), (8, "c"), (9, "d"), (10, "e")]
    assert result.metrics["secondary_failures"] == ["a", "b", "c", "d", "e"]
    assert result.metrics["cascade_depth"] == 8


def test_cascade_depth_reads_the_same_suppliers_from_the_graph_as_from_its_compiled_arrays():
    """A result made without the compiled graph (as a pack re-made from its parts is) reads each
    node's suppliers from the graph's own dicts: a -> b -> c -> d, a's outage starves b at one hop,
    c at two, d at three, either way."""
    from augur.drill import DrillResult

    G = graph({"a": "vendor", "b": "logistics", "c": "logistics", "d": "process"},
              [("a", "b"), ("b", "c"), ("c", "d")])  # fmt: skip
    result = drill(G, [{"kind": "vendor_failure", "target": "a", "start": 2}], steps=8)
    bare = DrillResult(result.scenario, result.graph, result.trajectory)
    assert result.compiled is not None and bare.compiled is None
    assert result.metrics["secondary_failures"] == bare.metrics["secondary_failures"] == ["b", "c", "d"]
    assert result.metrics["cascade_depth"] == bare.metrics["cascade_depth"] == 3


def test_a_drill_that_ends_while_a_shock_acts_says_so_and_has_no_time_to_recover():
    """A 10-step horizon on an outage from step 3 that never ends: nothing further fails in time
    (an eight-step buffer at b covers steps 4 to 11), service is 100% throughout, yet the shock still acts at the last
    step, so its consequences are still to come: ends_during_shock, time_to_recover null."""
    result = drill(chain(buffer=8), [{"kind": "vendor_failure", "target": "a", "start": 3}], steps=10)
    m = result.metrics
    assert m["verdict"] == "graceful" and m["service_level_min"] == 1.0
    assert m["ends_during_shock"] is True
    assert m["time_to_recover"] is None
    assert m["down_at_end"] == ["a"]
    longer = drill(chain(buffer=8), [{"kind": "vendor_failure", "target": "a", "start": 3, "duration": 2}])
    assert longer.metrics["ends_during_shock"] is False and longer.metrics["down_at_end"] == []


def _a_b_shop():
    """vendor a -> logistics b -> process shop, every attribute its default (capacity 1.2,
    min_supply 1, fail_below 0.3, no stock)."""
    return graph({"a": "vendor", "b": "logistics", "shop": "process"}, [("a", "b"), ("b", "shop")])


@pytest.mark.parametrize("spiked", [["b"], ["shop"], ["b", "shop"]])
def test_a_tiny_demand_spike_on_a_node_whose_supply_ran_out_leaves_the_cascade_a_cascade(spiked):
    """a fails at 3; b, fed by a alone, has nothing at 4 and fails; shop, fed by b, at 5: b and shop
    are secondary, a cascade. A x1.01 spike on b or shop from step 2 asks 1.01 of a capacity of 1.2
    (room 1.2 / 1.01 = 119%, nowhere near fail_below 30%): it could not fail them, their supply ran
    out, so they stay secondary, the cascade stays a cascade 2 hops deep, batched or not, and the
    log says their supply failed. Judged by 'a shock was acting' both were primary: with b and shop
    spiked, no secondary failure was left and the verdict softened to degraded."""
    from augur.engine import Drill, compile_graph
    from augur.metrics import measure_batch

    G = _a_b_shop()
    outage = {"kind": "vendor_failure", "target": "a", "start": 3}
    spike = {"kind": "demand_spike", "target": spiked, "start": 2, "multiplier": 1.01}
    result = drill(G, [outage, spike], steps=10)
    assert [(e.t, e.node) for e in result.events if e.kind == "failed"] == [(3, "a"), (4, "b"), (5, "shop")]
    assert result.metrics["secondary_failures"] == ["b", "shop"]
    assert result.verdict == "cascade"
    assert result.metrics["cascade_depth"] == 2
    assert [e.message for e in result.events if e.kind == "failed" and e.node in ("b", "shop")] == [
        "b failed (supply from a at 0%)",
        "shop failed (supply from b at 0%)",
    ]
    (row,) = measure_batch(compile_graph(G), G, result.scenario, [Drill(result.scenario.shocks)])
    assert (row["verdict"], row["secondary_failures"], row["cascade_depth"]) == ("cascade", ["b", "shop"], 2)


def test_a_demand_spike_that_overloads_its_own_node_is_still_its_primary_failure():
    """A x5 spike on shop from step 2 asks 5 of its capacity 1.2: output 1.2 / 5 = 24%, below
    fail_below 30%, so shop fails at 2 by its own spike: primary. b, not spiked, fails at 3 under the
    load shop passes up (5 against its 1.2): secondary. A x2 spike (room 60%) could not fail shop by itself: with a's outage shop fails at 5
    for want of supply, and is secondary."""
    G = _a_b_shop()
    outage = {"kind": "vendor_failure", "target": "a", "start": 3}
    big = drill(
        G, [outage, {"kind": "demand_spike", "target": "shop", "start": 2, "multiplier": 5}], steps=10
    )
    assert [(e.t, e.node) for e in big.events if e.kind == "failed"][:3] == [(2, "shop"), (3, "a"), (3, "b")]
    assert big.metrics["secondary_failures"] == ["b"]
    assert [e.message for e in big.events if e.kind == "failed" and e.node == "shop"] == [
        "shop failed (its own demand spike)"
    ]
    small = drill(
        G, [outage, {"kind": "demand_spike", "target": "shop", "start": 2, "multiplier": 2}], steps=10
    )
    assert small.metrics["secondary_failures"] == ["b", "shop"]


def test_the_event_log_reads_its_nodes_columns_from_the_result_s_one_map():
    """The drill's columns are looked up in one map per result, the compiled graph's where simulate()
    kept it: a -> b -> c, a's outage at step 2 starves b at 3 and c at 4, and a result made without
    the compiled graph tells the same three failures in the same words."""
    from augur.drill import DrillResult

    G = graph({"a": "vendor", "b": "logistics", "c": "process"}, [("a", "b"), ("b", "c")])
    result = drill(G, [{"kind": "vendor_failure", "target": "a", "start": 2}], steps=6)
    bare = DrillResult(result.scenario, result.graph, result.trajectory)
    assert result.node_index is result.compiled.node_index
    assert bare.node_index == result.node_index == {"a": 0, "b": 1, "c": 2}
    failed = [(e.t, e.node) for e in result.events if e.kind == "failed"]
    assert failed == [(2, "a"), (3, "b"), (4, "c")]
    assert [e.to_dict() for e in bare.events] == [e.to_dict() for e in result.events]


def test_without_processes_the_service_level_is_the_sinks_mean_output():
    """No process: the service nodes are the sinks b and c, not a, which b depends on. a's outage
    takes b down and leaves c whole, so the level bottoms at (0 + 1) / 2, where all three nodes
    would give 1 / 3; read from the compiled graph or from the graph's dicts, the same series."""
    from augur.metrics import service_level

    result = drill(
        graph({"a": "vendor", "b": "logistics", "c": "vendor"}, [("a", "b")]),
        [{"kind": "vendor_failure", "target": "a", "start": 2}],
        steps=8,
    )
    assert result.metrics["service_level_min"] == 0.5
    assert result.service_level.tolist() == service_level(result.trajectory, result.graph).tolist()
    assert result.service_level.tolist()[-1] == 0.5


def test_a_token_cut_and_a_demand_spike_that_fail_only_together_are_secondary_never_primary_too():
    """llm (tokens_per_unit 1, token_limit 1, no retries) feeds app (fail_below 0.5); from step 2 for
    4 steps llm's limit is cut to 50% and demand on app doubles. Alone, the cut leaves llm 0.5 / 1 =
    50% (above fail_below 30%) and the spike leaves app 1.2 / 2 = 60% (above 50%): each alone only
    degrades. Together, app's load of 2 reaches llm at step 3: it wants 2 tokens against 0.5, 25%,
    and fails; app, fed 50% at 3 (not below 50%), gets 0% at 4 and fails. Both failures are the
    cascade's, secondary, so neither is also listed as primary: the primary list had both, each named
    twice among 2 failed nodes. Batched, the figures agree."""
    from augur.engine import Drill, compile_graph
    from augur.metrics import measure_batch

    G = graph(
        {
            "llm": ("ai_service", {"capacity": 2, "tokens_per_unit": 1, "token_limit": 1, "max_retries": 0}),
            "app": ("process", {"fail_below": 0.5}),
        },
        [("llm", "app")],
    )
    cut = {"kind": "rate_limit_cut", "target": "llm", "start": 2, "duration": 4, "factor": 0.5}
    spike = {"kind": "demand_spike", "target": "app", "start": 2, "duration": 4, "multiplier": 2.0}
    for alone in (cut, spike):
        assert drill(G, [alone], steps=10).metrics["secondary_failures"] == []
    result = drill(G, [cut, spike], steps=10)
    m = result.metrics
    assert [(e.t, e.node) for e in result.events if e.kind == "failed"] == [(3, "llm"), (4, "app")]
    assert (m["primary"], m["secondary_failures"], m["failed_nodes"]) == ([], ["llm", "app"], 2)
    (row,) = measure_batch(compile_graph(G), G, result.scenario, [Drill(result.scenario.shocks)])
    assert (row["primary"], row["secondary_failures"]) == ([], ["llm", "app"])


def test_a_node_its_own_shock_failed_stays_primary_and_a_spiked_node_that_ran_dry_does_not():
    """An outage fails a at step 2 (primary, its own shock); a x1.01 spike on c from step 1 fails
    nothing by itself, c fails when b's supply runs out: a is primary, b and c secondary, c is not
    primary too."""
    result = drill(
        chain(), [outage("a", 2), {"kind": "demand_spike", "target": "c", "start": 1, "multiplier": 1.01}]
    )
    assert result.metrics["primary"] == ["a"]
    assert result.metrics["secondary_failures"] == ["b", "c"]
