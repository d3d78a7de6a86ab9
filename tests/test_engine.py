"""The propagation rules of docs/model.md, each shown on a graph small enough to check by hand."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import networkx as nx
import numpy as np
import pytest
from builders import column, drill, first_step, graph

from augur import Status

FAILED, THROTTLED = Status.FAILED, Status.THROTTLED


def chain(**attrs):
    """vendor -> port -> warehouse -> fulfilment, with optional attributes per node."""
    nodes = {
        "vendor": ("vendor", attrs.get("vendor", {})),
        "port": ("logistics", attrs.get("port", {})),
        "warehouse": ("logistics", attrs.get("warehouse", {})),
        "fulfilment": ("process", attrs.get("fulfilment", {})),
    }
    edges = [
        ("vendor", "port", attrs.get("vendor->port", {})),
        ("port", "warehouse"),
        ("warehouse", "fulfilment"),
    ]
    return graph(nodes, edges)


OUTAGE = {"kind": "vendor_failure", "target": "vendor", "start": 5}


def test_one_hop_costs_one_step():
    """Each node fails one step after its supplier."""
    result = drill(chain(), [OUTAGE])
    assert [first_step(result, v, FAILED) for v in ("vendor", "port", "warehouse", "fulfilment")] == [
        5,
        6,
        7,
        8,
    ]


def test_lead_time_adds_its_steps():
    """A lead time of two steps on vendor -> port makes the port fail two steps later."""
    result = drill(chain(**{"vendor->port": {"lead_time": 2}}), [OUTAGE])
    assert first_step(result, "port", FAILED) == 5 + 1 + 2
    assert first_step(result, "fulfilment", FAILED) == 5 + 3 + 2


@pytest.mark.parametrize("buffer", [1, 3, 6])
def test_buffer_delays_dependent_failure_by_exactly_its_steps(buffer):
    """A buffer of b steps of stock delays the node's failure, and everything after it, by b steps."""
    plain = drill(chain(), [OUTAGE])
    stocked = drill(chain(warehouse={"buffer": buffer}), [OUTAGE])
    for node in ("warehouse", "fulfilment"):
        assert first_step(stocked, node, FAILED) - first_step(plain, node, FAILED) == buffer
    # the stock runs down one unit per step of total shortfall, and output holds at 1 meanwhile
    stock = column(stocked, "warehouse", "stock")
    assert stock[6 : 6 + buffer + 1] == [float(buffer - k) for k in range(buffer + 1)]
    assert column(stocked, "warehouse")[7 : 7 + buffer] == [1.0] * buffer


def test_stock_refills_at_restock_rate_after_supply_returns():
    """After the shortfall, stock regains `restock` steps per step up to the buffer."""
    G = chain(warehouse={"buffer": 4, "restock": 0.5})
    result = drill(G, [{**OUTAGE, "duration": 2}], steps=20)
    stock = column(result, "warehouse", "stock")
    assert min(stock) == 2.0  # two steps of outage used two units
    refill = stock[stock.index(2.0) :]
    assert refill[:6] == [2.0, 2.5, 3.0, 3.5, 4.0, 4.0]
    assert stock[-1] == 4.0


def test_substitute_within_headroom_keeps_output_whole():
    """With a second supplier and min_supply 0.5, losing one supplier leaves output at 1."""
    G = graph(
        {"acme": "vendor", "bolt": "vendor", "plant": ("process", {"min_supply": 0.5})},
        [("acme", "plant", {"group": "chips"}), ("bolt", "plant", {"group": "chips"})],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "acme", "start": 3}])
    assert column(result, "plant") == [1.0] * 20
    assert result.verdict == "graceful"


def test_substitute_without_headroom_degrades_by_the_missing_share():
    """With min_supply 1, losing one of two equal substitutes halves the output."""
    G = graph(
        {"acme": "vendor", "bolt": "vendor", "plant": "process"},
        [("acme", "plant"), ("bolt", "plant")],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "acme", "start": 3}])
    assert column(result, "plant")[4:] == [0.5] * 16
    assert first_step(result, "plant", FAILED) is None


def test_substitute_weights_set_each_suppliers_share():
    """A supplier of weight 3 against one of weight 1 carries three quarters of the supply."""
    G = graph(
        {"big": "vendor", "small": "vendor", "plant": "process"},
        [("big", "plant", {"weight": 3}), ("small", "plant", {"weight": 1})],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "small", "start": 3}])
    assert column(result, "plant")[-1] == pytest.approx(0.75)


def test_complementary_groups_fail_together():
    """A plant that needs chips and packaging fails when packaging alone is lost."""
    G = graph(
        {"chips": "vendor", "boxes": "vendor", "plant": "process"},
        [("chips", "plant", {"group": "chips"}), ("boxes", "plant", {"group": "packaging"})],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "boxes", "start": 3}])
    assert first_step(result, "plant", FAILED) == 4
    assert column(result, "chips")[-1] == 1.0


@pytest.mark.parametrize("recovery", [0, 2, 5])
def test_recovery_keeps_a_node_down_that_many_steps(recovery):
    """A node with recovery r stays at output 0 for r steps after its supply returns."""
    G = chain(port={"recovery": recovery})
    result = drill(G, [{**OUTAGE, "duration": 3}], steps=25)
    output = column(result, "port")
    statuses = column(result, "port", "status")
    # vendor down at steps 5..7, back at 8; the port sees it back at 9
    assert output[6:9] == [0.0, 0.0, 0.0]
    assert statuses[9 : 9 + recovery] == [Status.RECOVERING] * recovery
    assert output[9 : 9 + recovery] == [0.0] * recovery
    assert output[9 + recovery] == 1.0


def test_partial_vendor_failure_degrades_without_failing():
    """A vendor at 60% capacity passes 60% down the chain: degraded, not failed."""
    result = drill(chain(vendor={"capacity": 1.0}), [{**OUTAGE, "severity": 0.4}])
    assert column(result, "fulfilment")[8:] == pytest.approx([0.6] * 12)
    assert set(column(result, "fulfilment", "status")[8:]) == {Status.DEGRADED}


def test_demand_spike_beyond_capacity_degrades():
    """Demand at 2x on a node of capacity 1.2 meets 60% of it, one step later upstream too."""
    G = chain()
    result = drill(G, [{"kind": "demand_spike", "target": "fulfilment", "start": 5, "multiplier": 2}])
    assert column(result, "fulfilment")[5] == pytest.approx(0.6)
    assert column(result, "warehouse", "load")[5:7] == [1.0, 2.0]
    assert column(result, "vendor", "load")[7:9] == [1.0, 2.0]
    assert result.verdict == "degraded"


def test_demand_spike_far_beyond_capacity_fails_the_node():
    """Demand at 5x on capacity 1.2 leaves 24% met, below fail_below 0.3: the node fails."""
    result = drill(chain(), [{"kind": "demand_spike", "target": "fulfilment", "start": 5, "multiplier": 5}])
    assert first_step(result, "fulfilment", FAILED) == 5
    # the spike's target is primary: its own failure is not a cascade, but its suppliers fail next
    assert "fulfilment" in result.metrics["primary"]


def ai_pipeline(**llm):
    return graph(
        {
            # capacity headroom everywhere, so retries do not overload the feed in these tests
            "feed": ("data_source", {"capacity": 10.0}),
            "llm": ("ai_service", {"capacity": 10.0, **llm}),
            "desk": "process",
        },
        [("feed", "llm"), ("llm", "desk")],
    )


def test_an_unshocked_drill_stays_at_its_baseline_even_with_imperfect_data():
    """A feed of intrinsic quality 0.7 is the normal state: without a shock nothing retries or moves."""
    G = graph(
        {
            "feed": ("data_source", {"quality": 0.7}),
            "llm": "ai_service",
            "desk": ("process", {"quality": 0.9}),
        },
        [("feed", "llm"), ("llm", "desk")],
    )
    result = drill(G, [], steps=10)
    assert column(result, "llm", "tokens") == [1000.0] * 10
    assert column(result, "desk", "quality") == pytest.approx([0.9 * 0.7] * 10)
    assert result.metrics["peak_token_multiplier"] == 1.0
    # a drop to 0.5 of that baseline is what the service reacts to: p = 2 x (1 - 0.5) = 0.9 (capped)
    dropped = drill(G, [{"kind": "data_quality_drop", "target": "feed", "start": 3, "quality": 0.5}])
    assert column(dropped, "llm", "attempts")[4] == pytest.approx((1 - 0.9**4) / 0.1)


def test_retry_storm_holds_an_overloaded_supplier_down_after_the_shock_ends():
    """Retries that push a supplier past its capacity keep it degraded: a metastable failure."""
    G = graph(
        {"feed": "data_source", "llm": ("ai_service", {"capacity": 10.0}), "desk": "process"},
        [("feed", "llm"), ("llm", "desk")],
    )
    drop = {
        "kind": "data_quality_drop",
        "target": "feed",
        "start": 5,
        "duration": 3,
        "quality": 0.6,
    }
    result = drill(G, [drop], steps=30)
    assert column(result, "feed", "load")[-1] > 1.2  # the llm still retries after the drop ended
    assert column(result, "desk")[-1] < 0.99
    assert result.metrics["time_to_recover"] is None


def test_an_ai_service_that_is_down_makes_no_retries_and_the_chain_recovers():
    """With its input gone the service fails: down, it does no work, so it neither spends tokens nor
    asks its supplier again; once the supplier is back the chain recovers instead of being held down
    by retries from a service that is not running."""
    G = ai_pipeline()
    G.nodes["feed"]["capacity"] = 1.0  # no headroom: retries would overload it
    outage = {"kind": "vendor_failure", "target": "feed", "start": 5, "duration": 3}
    result = drill(G, [outage], steps=30)
    down = np.array(column(result, "llm", "status")) == FAILED
    assert down.any()
    assert (np.array(column(result, "llm", "attempts"))[down] == 1.0).all()
    assert (np.array(column(result, "llm", "tokens"))[down] == 0.0).all()
    steps_after = np.flatnonzero(down) + 1
    assert (np.array(column(result, "feed", "load"))[steps_after] == 1.0).all()
    assert result.metrics["time_to_recover"] is not None


def test_retries_raise_upstream_load_and_tokens():
    """Lower input quality makes an AI service retry: its supplier's load and its tokens rise."""
    result = drill(
        ai_pipeline(), [{"kind": "data_quality_drop", "target": "feed", "start": 5, "quality": 0.8}]
    )
    # quality 0.8 reaches the llm at step 6: p = 2 x 0.2 = 0.4, attempts = (1 - 0.4^4) / 0.6
    attempts = (1 - 0.4**4) / 0.6
    assert column(result, "llm", "attempts")[6] == pytest.approx(attempts)
    assert column(result, "llm", "tokens")[6] == pytest.approx(1000 * attempts)
    assert column(result, "feed", "load")[7] == pytest.approx(attempts)
    assert column(result, "feed", "load")[5] == 1.0
    assert result.metrics["peak_token_multiplier"] == pytest.approx(attempts)


def test_throttling_caps_tokens_and_cuts_output():
    """Above its token limit an AI service spends the limit and its output shrinks by limit/wanted."""
    G = ai_pipeline(token_limit=1500)
    result = drill(G, [{"kind": "data_quality_drop", "target": "feed", "start": 5, "quality": 0.6}])
    p = min(0.9, 2 * 0.4)
    wanted = 1000 * (1 - p**4) / (1 - p)
    assert column(result, "llm", "tokens")[6] == pytest.approx(1500)
    assert column(result, "llm")[6] == pytest.approx(1500 / wanted)
    assert column(result, "llm", "status")[6] == THROTTLED
    assert any(e.kind == "throttled" and "× its token limit" in e.message for e in result.events)


def test_rate_limit_cut_lowers_the_limit_while_it_lasts():
    """A rate-limit cut to half throttles a service that was within its limit, then lets it go."""
    G = ai_pipeline(token_limit=1500)
    cut = {"kind": "rate_limit_cut", "target": "llm", "start": 5, "duration": 4, "factor": 0.5}
    result = drill(G, [cut])
    tokens = column(result, "llm", "tokens")
    assert tokens[4] == 1000 and tokens[5:9] == [750.0] * 4 and tokens[9] == 1000
    assert column(result, "llm")[5] == pytest.approx(0.75)


def test_missing_input_lowers_ai_input_quality_and_widens_the_interval():
    """An AI service with half its input gone retries and its confidence interval widens."""
    G = graph(
        {
            "a": "data_source",
            "b": ("data_source", {"capacity": 10}),
            "llm": ("ai_service", {"capacity": 10}),
            "desk": "process",
        },
        [("a", "llm"), ("b", "llm"), ("llm", "desk")],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "a", "start": 3}])
    # half the input arrives: q_in = 1 x 0.5, ci = 0.05 / sqrt(0.5)
    assert column(result, "llm", "ci")[4] == pytest.approx(0.05 / np.sqrt(0.5))
    assert column(result, "llm", "attempts")[4] == pytest.approx((1 - 0.9**4) / 0.1)
    assert result.metrics["ci_widening_peak"] == pytest.approx(1 / np.sqrt(0.5))


def test_logistics_bottleneck_on_an_edge_cuts_and_delays_delivery():
    """A bottleneck edge at 50% with two steps of delay: a two-step gap in arrivals, then half arrives."""
    G = chain()
    shocks = [
        {
            "kind": "logistics_bottleneck",
            "target": ["port", "warehouse"],
            "start": 3,
            "capacity": 0.5,
            "delay": 2,
        },
        {"kind": "vendor_failure", "target": "vendor", "start": 6},
    ]
    result = drill(G, shocks)
    # from step 3 what is due lands two steps later: nothing lands at 3 and 4, then half;
    # the port fails at 7 and, held two steps, that reaches the warehouse at 10 instead of 8
    assert column(result, "warehouse")[3:11] == [0.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.0]


def test_a_jam_opens_a_gap_that_matching_stock_rides_out():
    """A three-step delay starves the next node for three steps; three steps of stock cover it exactly."""
    jam = {
        "kind": "logistics_bottleneck",
        "target": ["port", "warehouse"],
        "start": 4,
        "duration": 10,
        "delay": 3,
    }
    bare = drill(chain(), [jam])
    assert column(bare, "warehouse")[3:9] == [1.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    stocked = drill(chain(warehouse={"buffer": 3}), [jam])
    assert column(stocked, "warehouse")[3:9] == [1.0] * 6
    assert stocked.verdict == "graceful"


def test_logistics_bottleneck_on_a_port_throttles_everything_through_it():
    """A bottleneck on a logistics node scales what arrives at it."""
    result = drill(chain(), [{"kind": "logistics_bottleneck", "target": "port", "start": 3, "capacity": 0.7}])
    assert column(result, "port")[3:] == pytest.approx([0.7] * 17)
    assert column(result, "fulfilment")[5:] == pytest.approx([0.7] * 15)


def test_overlapping_shocks_multiply():
    """Two 50% capacity cuts on the same vendor leave it at 1.2 x 0.25 = 30%."""
    shocks = [{**OUTAGE, "severity": 0.5}, {**OUTAGE, "severity": 0.5, "start": 6}]
    result = drill(chain(), shocks)
    assert column(result, "vendor")[5] == pytest.approx(0.6)
    assert column(result, "vendor")[6] == pytest.approx(0.3)


def watts_graph(links, phi):
    G = nx.Graph(links)
    directed = graph(
        {v: ("vendor", {"min_supply": 1 - phi, "fail_below": 1.0}) for v in G.nodes},
        [e for u, v in G.edges for e in ((u, v), (v, u))],
    )
    return directed


def test_watts_threshold_rule_on_a_hand_checked_graph():
    """With phi = 0.4, a node fails once more than 40% of its neighbours have failed."""
    links = [("s", "a"), ("s", "b"), ("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("c", "e")]
    G = watts_graph(links, phi=0.4)
    result = drill(G, [{"kind": "vendor_failure", "target": "s", "start": 1}], steps=10)
    # a: 1 of 2 neighbours failed (50% > 40%) -> fails at 2; b: 1 of 3 (33%) holds at 2,
    # then 2 of 3 once a has failed -> fails at 3; c: 1 of 3 failed -> holds forever
    assert first_step(result, "a", FAILED) == 2
    assert first_step(result, "b", FAILED) == 3
    for node in ("c", "d", "e"):
        assert first_step(result, node, FAILED) is None


def watts_cascade(G: nx.Graph, seed, phi) -> set:
    """Watts (2002) threshold model, synchronous updates, written directly from the paper."""
    failed = {seed}
    while True:
        new = {v for v in G.nodes if v not in failed and sum(u in failed for u in G[v]) / G.degree(v) > phi}
        if not new:
            return failed
        failed |= new


@pytest.mark.parametrize("seed", range(8))
def test_watts_threshold_cascade_matches_the_model_on_random_graphs(seed):
    """On random graphs the engine's failed set equals Watts' threshold cascade."""
    rng = np.random.default_rng(seed)
    links = nx.relabel_nodes(nx.gnm_random_graph(40, 70, seed=int(rng.integers(1 << 30))), str)
    links.remove_nodes_from([v for v in list(links) if links.degree(v) == 0])
    phi = float(rng.choice([0.18, 0.25, 0.34]))
    G = watts_graph(list(links.edges), phi)
    start = next(iter(links.nodes))
    result = drill(G, [{"kind": "vendor_failure", "target": start, "start": 1}], steps=45)
    status = result.trajectory.status[-1]
    failed = {v for v, s in zip(result.trajectory.nodes, status) if s == FAILED}
    assert failed == watts_cascade(links, start, phi)


def test_same_scenario_and_seed_give_identical_results():
    """Two runs of one drill agree bit for bit, in this process and in a fresh one."""
    shocks = [
        OUTAGE,
        {"kind": "demand_spike", "target": "fulfilment", "start": 3, "multiplier": 1.5},
    ]
    first, second = drill(chain(), shocks, seed=7), drill(chain(), shocks, seed=7)
    for field in ("output", "load", "stock", "quality", "tokens", "status"):
        assert np.array_equal(getattr(first.trajectory, field), getattr(second.trajectory, field))
    code = (
        "import sys; sys.path.insert(0, 'tests'); from builders import drill; "
        "from test_engine import chain, OUTAGE; import json; "
        "print(json.dumps(drill(chain(), [OUTAGE], seed=7).metrics, sort_keys=True))"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    assert json.loads(fresh.stdout) == json.loads(
        json.dumps(drill(chain(), [OUTAGE], seed=7).metrics, sort_keys=True)
    )


def test_an_unshocked_drill_on_a_decaying_cycle_through_a_service_stays_at_its_baseline():
    """A closed loop of quality 0.9 settles at quality 0 (it decays geometrically): nothing retries."""
    G = graph(
        {"llm": ("ai_service", {"quality": 0.9}), "desk": "process", "review": "process"},
        [("llm", "desk"), ("desk", "review"), ("review", "llm")],
    )
    result = drill(G, [], steps=30)
    assert column(result, "llm", "attempts") == [1.0] * 30
    assert column(result, "llm", "tokens") == [1000.0] * 30
    assert column(result, "desk", "quality") == [0.0] * 30
    assert result.metrics["verdict"] == "graceful"
    assert result.metrics["peak_token_multiplier"] == 1.0


def test_a_fed_cycle_settles_on_the_solution_of_its_equations():
    """feed (1.0) -> llm (0.8) <-> desk (0.5), equal weights: llm = 0.8 (1 + desk) / 2, desk = 0.5 llm.

    Counted by hand: llm = 0.4 + 0.2 llm, so llm = 0.5 and desk = 0.25, at every step of a quiet drill.
    """
    G = graph(
        {
            "feed": "data_source",
            "llm": ("ai_service", {"quality": 0.8}),
            "desk": ("process", {"quality": 0.5}),
        },
        [("feed", "llm"), ("llm", "desk"), ("desk", "llm")],
    )
    result = drill(G, [], steps=40)
    assert column(result, "llm", "quality") == pytest.approx([0.5] * 40, rel=1e-12)
    assert column(result, "desk", "quality") == pytest.approx([0.25] * 40, rel=1e-12)
    assert column(result, "llm", "attempts") == [1.0] * 40
    # a shock still bites: half the feed's quality is what the service reacts to
    dropped = drill(G, [{"kind": "data_quality_drop", "target": "feed", "start": 3, "quality": 0.5}])
    assert max(column(dropped, "llm", "attempts")) > 1.0


def test_a_slowly_decaying_cycle_stays_quiet_over_a_long_drill():
    """A loop of quality 0.999 on one node only (the slowest decay) is at its limit from step 0."""
    G = graph(
        {"llm": ("ai_service", {"quality": 0.999}), "desk": "process"},
        [("llm", "desk"), ("desk", "llm")],
    )
    result = drill(G, [], steps=2000)
    assert set(column(result, "llm", "attempts")) == {1.0}
    assert result.metrics["verdict"] == "graceful"


FIELDS = ("output", "load", "supply", "stock", "quality", "down", "status")


def _same_trajectory(a, b):
    return all(
        np.array_equal(getattr(a.trajectory, f), getattr(b.trajectory, f), equal_nan=True) for f in FIELDS
    )


def test_a_lead_time_longer_than_the_horizon_is_a_lead_time_of_the_horizon():
    """Goods a million steps in transit arrive after a 20-step drill, as goods 20 steps in transit do:
    the port keeps drawing on what left the vendor at step 0, so its failure never comes; and the
    engine keeps no million-step history for it (this ran out of memory on a 300-node graph)."""
    tracemalloc.start()
    far = drill(chain(**{"vendor->port": {"lead_time": 1_000_000}}), [OUTAGE])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8_000_000  # a million rows of 4 nodes' output alone would be 32 MB
    horizon = drill(chain(**{"vendor->port": {"lead_time": 20}}), [OUTAGE])
    assert _same_trajectory(far, horizon)
    assert first_step(far, "vendor", FAILED) == 5
    assert first_step(far, "port", FAILED) is None


def test_a_delay_longer_than_the_horizon_is_a_delay_of_the_horizon():
    """A jam of a million steps from step 4 lands nothing more within a 20-step drill, as a jam of
    20 steps does: the warehouse runs dry one step after the jam starts and stays dry."""

    def jam(delay):
        return {"kind": "logistics_bottleneck", "target": ["port", "warehouse"], "start": 4, "delay": delay}

    tracemalloc.start()
    far = drill(chain(), [jam(1_000_000)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8_000_000  # a million steps of one edge's delays alone would be 8 MB
    horizon = drill(chain(), [jam(20)])
    assert _same_trajectory(far, horizon)
    assert column(far, "warehouse")[3:6] == [1.0, 0.0, 0.0]
