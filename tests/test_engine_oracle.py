"""The engine agrees with the plain-Python reference (tests/reference.py) on random drills.

Both are written from docs/model.md independently. A seeded generator builds random supply graphs
and scenarios that touch every rule of the book; the engine and the reference must then agree on
every state of every node at every step. The reference itself is checked first against small drills
worked out by hand below, and the generator is checked to produce drills in which things actually
happen (failures, recoveries, throttling, stock drawn down), so that the oracle test can fail.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from builders import chain, column, graph, outage, scenario
from reference import (
    DEGRADED,
    FAILED,
    FIELDS,
    OK,
    RECOVERING,
    THROTTLED,
    reference_run,
)

from augur.graph import KINDS, build_graph
from augur.scenario import Scenario, parse_scenario
from augur.text import shock_technical

SEEDS = range(60)
TOLERANCE = 1e-9

# --------------------------------------------------------------------------------------------------
# The reference against hand-worked drills


def test_reference_baseline_is_stationary_without_shocks():
    """With no shock every node stays at its baseline at every step."""
    G = chain(buffer=2.5)
    result = reference_run(G, scenario(G, [], steps=10))
    assert np.all(result["output"] == 1) and np.all(result["load"] == 1)
    assert np.all(result["supply"] == 1) and np.all(result["status"] == OK)
    assert column(result, "b", "stock", nodes=G) == [2.5] * 10


def test_reference_one_hop_costs_one_step():
    """A vendor down at step 3 takes its dependent down at 4 and the next one at 5."""
    G = chain()
    result = reference_run(G, scenario(G, [outage("a", 3)], steps=8))
    assert column(result, "a", "output", nodes=G) == [1, 1, 1, 0, 0, 0, 0, 0]
    assert column(result, "b", "output", nodes=G) == [1, 1, 1, 1, 0, 0, 0, 0]
    assert column(result, "c", "output", nodes=G) == [1, 1, 1, 1, 1, 0, 0, 0]
    assert column(result, "c", "status", nodes=G) == [OK] * 5 + [FAILED] * 3
    assert column(result, "c", "supply", nodes=G) == [1, 1, 1, 1, 1, 0, 0, 0]


def test_reference_lead_time_adds_steps_in_transit():
    """A lead time of 2 on a -> b makes b fail 1 + 2 steps after a."""
    G = chain(lead_time=2)
    result = reference_run(G, scenario(G, [outage("a", 3)], steps=10))
    assert column(result, "b", "output", nodes=G) == [1] * 6 + [0] * 4


def test_reference_buffer_of_three_steps_delays_failure_by_three_steps():
    """A buffer of three steps delays the dependent's failure by three steps."""
    G = chain(buffer=3)
    result = reference_run(G, scenario(G, [outage("a", 3)], steps=10))
    # Without the buffer b fails at 4; stock covers 4, 5 and 6.
    assert column(result, "b", "output", nodes=G) == [1] * 7 + [0] * 3
    assert column(result, "b", "stock", nodes=G) == [3, 3, 3, 3, 2, 1, 0, 0, 0, 0]
    assert column(result, "c", "output", nodes=G) == [1] * 8 + [0] * 2


def test_reference_stock_refills_by_restock_up_to_buffer():
    """A two-step outage draws two units of stock; it comes back by `restock` a step."""
    G = chain(buffer=3, restock=0.5)
    result = reference_run(G, scenario(G, [outage("a", 3, duration=2)], steps=10))
    assert column(result, "b", "stock", nodes=G) == [3, 3, 3, 3, 2, 1, 1.5, 2, 2.5, 3]
    assert column(result, "b", "output", nodes=G) == [1] * 10


def test_reference_fractional_buffer_covers_part_of_a_step():
    """Half a unit of stock covers half of one step of full shortfall."""
    G = chain(buffer=0.5, fail_below=0.4)
    result = reference_run(G, scenario(G, [outage("a", 3)], steps=7))
    assert column(result, "b", "output", nodes=G) == [1, 1, 1, 1, 0.5, 0, 0]
    assert column(result, "b", "status", nodes=G) == [OK] * 4 + [DEGRADED, FAILED, FAILED]
    assert column(result, "b", "stock", nodes=G) == [0.5] * 4 + [0, 0, 0]


@pytest.mark.parametrize("r", [0, 1, 2, 3])
def test_reference_recovery_keeps_a_node_down_r_steps(r):
    """`recovery = r` keeps a node at output 0 for exactly r steps after its conditions return."""
    G = chain(recovery=r)
    result = reference_run(G, scenario(G, [outage("a", 3, duration=2)], steps=12))
    # a is out at 3 and 4; b sees it at 4 and 5, its conditions are back at 6.
    assert column(result, "a", "output", nodes=G) == [1, 1, 1, 0, 0] + [1] * 7
    expected_status = [OK] * 4 + [FAILED] * 2 + [RECOVERING] * r + [OK] * (6 - r)
    assert column(result, "b", "status", nodes=G) == expected_status
    assert column(result, "b", "output", nodes=G) == [1] * 4 + [0] * (2 + r) + [1] * (6 - r)
    assert column(result, "b", "down", nodes=G) == [0] * 4 + [r, r] + list(range(r - 1, -1, -1)) + [0] * (
        6 - r
    )


def test_reference_partial_outage_and_min_supply_headroom():
    """Half a vendor's capacity degrades a dependent that needs all of it, not one with headroom."""
    G = graph(
        {
            "a": {"kind": "vendor"},
            "b": {"kind": "process", "min_supply": 0.5},
            "c": {"kind": "process"},
        },
        [("a", "b", {}), ("a", "c", {})],
    )
    result = reference_run(G, scenario(G, [outage("a", 2, severity=0.5)], steps=4))
    # capacity 1.2 x (1 - 0.5) = 0.6
    assert column(result, "a", "output", nodes=G) == pytest.approx([1, 1, 0.6, 0.6])
    assert column(result, "a", "status", nodes=G) == [OK, OK, DEGRADED, DEGRADED]
    assert column(result, "b", "output", nodes=G) == pytest.approx([1, 1, 1, 1])
    assert column(result, "b", "supply", nodes=G) == pytest.approx([1, 1, 1, 0.6])
    assert column(result, "c", "output", nodes=G) == pytest.approx([1, 1, 1, 0.6])


def test_reference_groups_are_substitutes_within_and_complements_across():
    """Within a group suppliers stand in for each other by weight; across groups all are needed."""
    same = {"kind": "vendor"}
    G = graph(
        {"a1": same, "a2": same, "sub": {"kind": "process"}, "both": {"kind": "process"}},
        [
            ("a1", "sub", {"weight": 3}),
            ("a2", "sub", {"weight": 1}),
            ("a1", "both", {"group": "x"}),
            ("a2", "both", {"group": "y", "weight": 5}),
        ],
    )
    result = reference_run(G, scenario(G, [outage("a2", 2)], steps=4))
    assert column(result, "sub", "supply", nodes=G) == pytest.approx([1, 1, 1, 0.75])
    assert column(result, "sub", "status", nodes=G)[3] == DEGRADED
    assert column(result, "both", "supply", nodes=G) == pytest.approx([1, 1, 1, 0])
    result = reference_run(G, scenario(G, [outage("a1", 2)], steps=4))
    assert column(result, "sub", "supply", nodes=G) == pytest.approx([1, 1, 1, 0.25])
    assert column(result, "sub", "status", nodes=G)[3] == FAILED  # 0.25 < fail_below 0.3


def test_reference_demand_spike_travels_upstream_one_step_per_hop():
    """Doubling a sink's demand caps it at capacity / 2 at once, its suppliers a step per hop."""
    G = chain()
    shock = {"kind": "demand_spike", "target": "c", "start": 3, "multiplier": 2}
    result = reference_run(G, scenario(G, [shock], steps=7))
    assert column(result, "c", "load", nodes=G) == [1, 1, 1, 2, 2, 2, 2]
    assert column(result, "b", "load", nodes=G) == [1, 1, 1, 1, 2, 2, 2]
    assert column(result, "a", "load", nodes=G) == [1, 1, 1, 1, 1, 2, 2]
    assert column(result, "c", "output", nodes=G) == pytest.approx([1, 1, 1, 0.6, 0.6, 0.6, 0.6])
    assert column(result, "a", "output", nodes=G) == pytest.approx([1, 1, 1, 1, 1, 0.6, 0.6])


def ai_graph(**service):
    """data_source d -> ai_service s -> process p."""
    return graph(
        {
            "d": {"kind": "data_source"},
            "s": {"kind": "ai_service", **service},
            "p": {"kind": "process"},
        },
        [("d", "s", {}), ("s", "p", {})],
    )


def test_reference_bad_data_multiplies_attempts_tokens_and_throttles():
    """Half-quality data: p = 0.9, 3.439 attempts; past the token limit the service is throttled."""
    G = ai_graph(token_limit=2000)
    drop = {"kind": "data_quality_drop", "target": "d", "start": 2, "quality": 0.5}
    result = reference_run(G, scenario(G, [drop], steps=6))
    attempts = (1 - 0.9**4) / (1 - 0.9)  # 3.439
    assert column(result, "d", "quality", nodes=G) == pytest.approx([1, 1, 0.5, 0.5, 0.5, 0.5])
    # Step 3: the service reads the bad data; 3439 tokens wanted, 2000 allowed.
    assert column(result, "s", "attempts", nodes=G)[3] == pytest.approx(attempts)
    assert column(result, "s", "tokens", nodes=G) == pytest.approx([1000, 1000, 1000, 2000, 2000, 1200])
    assert column(result, "s", "status", nodes=G)[:5] == [OK, OK, OK, THROTTLED, THROTTLED]
    assert column(result, "s", "output", nodes=G)[3] == pytest.approx(2000 / 3439)
    assert column(result, "s", "ci", nodes=G)[3] == pytest.approx(0.05 / math.sqrt(0.5))
    assert column(result, "s", "quality", nodes=G)[3] == pytest.approx(0.5)
    # Step 4: the data source is asked for load x attempts and can serve 1.2 / 3.439 of it.
    assert column(result, "d", "load", nodes=G)[4] == pytest.approx(attempts)
    assert column(result, "d", "output", nodes=G)[4] == pytest.approx(1.2 / attempts)
    assert column(result, "p", "output", nodes=G)[4] == pytest.approx(2000 / 3439)
    # Step 5: short supply lowers input quality, q_in = 0.5 x 0.349; wanted 1000 x 3.439 x 0.349.
    assert column(result, "s", "output", nodes=G)[5] == pytest.approx(1.2 / attempts)
    assert column(result, "s", "status", nodes=G)[5] == DEGRADED
    assert column(result, "s", "ci", nodes=G)[5] == pytest.approx(0.05 / math.sqrt(0.5 * 1.2 / attempts))
    # Non-AI nodes: one attempt, no tokens, no interval.
    assert column(result, "d", "attempts", nodes=G) == [1] * 6
    assert column(result, "p", "tokens", nodes=G) == [0] * 6
    assert all(math.isnan(x) for x in column(result, "p", "ci", nodes=G))


def test_reference_no_retries_means_one_attempt():
    G = ai_graph(max_retries=0)
    drop = {"kind": "data_quality_drop", "target": "d", "start": 2, "quality": 0.5}
    result = reference_run(G, scenario(G, [drop], steps=5))
    assert column(result, "s", "attempts", nodes=G) == pytest.approx([1] * 5)


def test_reference_rate_limit_cut_throttles_and_a_throttling_failure_still_spends():
    """Cut to half the baseline use, output halves; to a fifth, it fails but spends the limit."""
    G = ai_graph(token_limit=1000)
    cut = {"kind": "rate_limit_cut", "target": "s", "start": 2}
    result = reference_run(G, scenario(G, [{**cut, "factor": 0.5}], steps=4))
    assert column(result, "s", "output", nodes=G) == pytest.approx([1, 1, 0.5, 0.5])
    assert column(result, "s", "tokens", nodes=G) == pytest.approx([1000, 1000, 500, 500])
    assert column(result, "s", "status", nodes=G) == [OK, OK, THROTTLED, THROTTLED]
    result = reference_run(G, scenario(G, [{**cut, "factor": 0.2}], steps=4))
    assert column(result, "s", "output", nodes=G) == [1, 1, 0, 0]
    assert column(result, "s", "tokens", nodes=G) == pytest.approx([1000, 1000, 200, 200])
    assert column(result, "s", "status", nodes=G) == [OK, OK, FAILED, FAILED]
    # Down on its own conditions (the service itself out), it spends nothing.
    result = reference_run(G, scenario(G, [{**cut, "factor": 0.2}, outage("s", 2)], steps=4))
    assert column(result, "s", "tokens", nodes=G) == pytest.approx([1000, 1000, 0, 0])


def test_reference_recovering_ai_service_spends_no_tokens():
    G = ai_graph(recovery=2)
    result = reference_run(G, scenario(G, [outage("s", 2, duration=1)], steps=7))
    assert column(result, "s", "status", nodes=G) == [OK, OK, FAILED, RECOVERING, RECOVERING, OK, OK]
    assert column(result, "s", "tokens", nodes=G) == pytest.approx([1000, 1000, 0, 0, 0, 1000, 1000])


def test_reference_edge_bottleneck_delay_and_capacity():
    """A delay of 2 on a -> b opens a two-step gap, then b sees a's outage 2 steps later; capacity scales."""
    G = graph({"a": {"kind": "vendor"}, "b": {"kind": "process"}}, [("a", "b", {})])
    blip = outage("a", 2, duration=1)
    result = reference_run(G, scenario(G, [blip], steps=8))
    assert column(result, "b", "output", nodes=G) == [1, 1, 1, 0, 1, 1, 1, 1]
    slow = {"kind": "logistics_bottleneck", "target": ["a", "b"], "start": 1, "delay": 2}
    result = reference_run(G, scenario(G, [blip, slow], steps=8))
    # from step 1 what is due lands 2 steps later: nothing lands at 1 and 2; a's outage lands at 5
    assert column(result, "b", "output", nodes=G) == [1, 0, 0, 1, 1, 0, 1, 1]
    narrow = {"kind": "logistics_bottleneck", "target": [["a", "b"]], "start": 3, "capacity": 0.4}
    result = reference_run(G, scenario(G, [narrow], steps=5))
    assert column(result, "b", "supply", nodes=G) == pytest.approx([1, 1, 1, 0.4, 0.4])


def test_reference_logistics_node_bottleneck_acts_on_its_inputs_or_its_source_supply():
    G = graph(
        {
            "a": {"kind": "vendor"},
            "port": {"kind": "logistics"},
            "dock": {"kind": "logistics"},
            "p": {"kind": "process"},
        },
        [("a", "port", {}), ("port", "p", {}), ("dock", "p", {"group": "dock"})],
    )
    blip = outage("a", 1, duration=1)  # a out at step 1 only
    port = {
        "kind": "logistics_bottleneck",
        "target": "port",
        "start": 2,
        "capacity": 0.4,
        "delay": 1,
    }
    dock = {"kind": "logistics_bottleneck", "target": "dock", "start": 3, "capacity": 0.5}
    result = reference_run(G, scenario(G, [blip, port, dock], steps=6))
    # what is due at 2 (a(1) = 0) is held to 3 and nothing lands at 2; a(2) lands at 4; everything
    # arriving is cut to 0.4 from step 2 on.
    assert column(result, "port", "supply", nodes=G) == pytest.approx([1, 1, 0, 0, 0.4, 0.4])
    assert column(result, "port", "status", nodes=G) == [OK, OK, FAILED, FAILED, DEGRADED, DEGRADED]
    # dock has no inputs: its own supply is the factor.
    assert column(result, "dock", "supply", nodes=G) == pytest.approx([1, 1, 1, 0.5, 0.5, 0.5])
    assert column(result, "p", "supply", nodes=G) == pytest.approx([1, 1, 1, 0, 0, 0.4])


def test_reference_failure_circulates_around_a_two_way_link():
    """In a two-way link a one-step outage chases itself round the loop, one hop a step."""
    G = graph({"a": {"kind": "vendor"}, "b": {"kind": "process"}}, [("a", "b", {}), ("b", "a", {})])
    result = reference_run(G, scenario(G, [outage("a", 2, duration=1)], steps=8))
    assert column(result, "a", "output", nodes=G) == [1, 1, 0, 1, 0, 1, 0, 1]
    assert column(result, "b", "output", nodes=G) == [1, 1, 1, 0, 1, 0, 1, 0]


def test_reference_quality_mix_weighs_by_delivery_and_falls_back_to_what_is_held():
    G = graph(
        {
            "a": {"kind": "vendor", "quality": 0.6},
            "b": {"kind": "vendor", "quality": 0.9},
            "c": {"kind": "process", "quality": 0.8, "fail_below": 0},
        },
        [("a", "c", {"weight": 3}), ("b", "c", {})],
    )
    half = outage("a", 2, duration=2, severity=0.5)  # a emits 0.6 of its output at 2 and 3
    both = outage(["a", "b"], 3)
    result = reference_run(G, scenario(G, [half, both], steps=6))
    quality = column(result, "c", "quality", nodes=G)
    # the baseline is the settled quality: intrinsic x the suppliers' weighted mean
    assert quality[0] == pytest.approx(0.8 * (3 * 0.6 + 0.9) / 4)
    assert quality[1] == pytest.approx(0.8 * (3 * 0.6 + 0.9) / 4)
    assert quality[3] == pytest.approx(0.8 * (3 * 0.6 * 0.6 + 0.9) / (3 * 0.6 + 1))
    assert quality[4] == pytest.approx(0.8 * (3 * 0.6 + 0.9) / 4)  # nothing arrives
    assert column(result, "c", "status", nodes=G)[4] == DEGRADED  # fail_below 0: output 0 is not failed


def test_reference_overlapping_shocks_multiply_factors():
    G = graph({"a": {"kind": "vendor", "capacity": 2}})
    shocks = [outage("a", 2, severity=0.5), outage("a", 3, duration=1, severity=0.5)]
    shocks.append({"kind": "demand_spike", "target": "a", "start": 2, "multiplier": 1.5})
    shocks.append({"kind": "demand_spike", "target": "a", "start": 3, "multiplier": 2})
    result = reference_run(G, scenario(G, shocks, steps=5))
    assert column(result, "a", "load", nodes=G) == pytest.approx([1, 1, 1.5, 3, 3])
    # 2 x 0.5 / 1.5, 2 x 0.25 / 3 (below 0.3: failed), 2 x 0.5 / 3
    assert column(result, "a", "output", nodes=G) == pytest.approx([1, 1, 2 / 3, 0, 1 / 3])


# --------------------------------------------------------------------------------------------------
# Random drills

_SHOCK_KINDS = (
    "vendor_failure",
    "logistics_bottleneck",
    "demand_spike",
    "data_quality_drop",
    "rate_limit_cut",
)
_TIER = {"vendor": 0, "data_source": 0, "logistics": 1, "ai_service": 2, "process": 3}


def _maybe(rng: np.random.Generator, probability: float) -> bool:
    return bool(rng.random() < probability)


def _random_node(rng: np.random.Generator, kind: str) -> dict:
    """A node record with a random subset of attributes; the rest take their defaults."""
    attrs: dict = {"kind": kind}
    if _maybe(rng, 0.5):
        attrs["capacity"] = round(float(rng.uniform(0.5, 2.0)), 3)
    if _maybe(rng, 0.5):
        attrs["min_supply"] = round(float(rng.uniform(0.2, 1.0)), 3)
    if _maybe(rng, 0.6):
        edge_case = rng.random()
        if edge_case < 0.1:
            attrs["fail_below"] = 0.0  # never fails
        elif edge_case < 0.2:
            attrs["fail_below"] = 1.0  # fails at any shortfall
        else:
            attrs["fail_below"] = round(float(rng.uniform(0, 0.6)), 3)
    if _maybe(rng, 0.5):
        integer = _maybe(rng, 0.5)
        attrs["buffer"] = int(rng.integers(1, 5)) if integer else round(float(rng.uniform(0, 3)), 3)
    if _maybe(rng, 0.4):
        attrs["restock"] = round(float(rng.uniform(0, 1.5)), 3)
    if _maybe(rng, 0.6):
        attrs["recovery"] = int(rng.integers(0, 4))
    if _maybe(rng, 0.4):
        attrs["quality"] = round(float(rng.uniform(0.4, 1.0)), 3)
    # The ai_service attributes; other kinds carry them sometimes and must ignore them.
    if kind == "ai_service" or _maybe(rng, 0.15):
        tokens_per_unit = round(float(rng.uniform(200, 3000)), 1)
        if _maybe(rng, 0.6):
            attrs["tokens_per_unit"] = tokens_per_unit
        else:
            tokens_per_unit = 1000.0
        if _maybe(rng, 0.15):
            attrs["token_limit"] = tokens_per_unit  # exactly its baseline use: not yet throttled
        elif _maybe(rng, 0.5):
            attrs["token_limit"] = round(tokens_per_unit * float(rng.uniform(1.0, 3.0)), 1)
        if _maybe(rng, 0.6):
            attrs["retry_sensitivity"] = round(float(rng.uniform(0, 4)), 3)
        if _maybe(rng, 0.6):
            attrs["max_retries"] = int(rng.integers(0, 5))
        if _maybe(rng, 0.4):
            attrs["ci_base"] = round(float(rng.uniform(0.01, 0.2)), 4)
        if _maybe(rng, 0.3):
            attrs["price_per_1k_tokens"] = round(float(rng.uniform(0, 0.05)), 4)
    if _maybe(rng, 0.2):
        attrs["region"] = str(rng.choice(["eu", "us", "apac"]))  # passes through untouched
    # a capacity below fail_below is refused (the node would fail before any shock): at most equal
    fail_below = attrs.get("fail_below", 0.3)
    if attrs.get("capacity", 1.2) < fail_below:
        attrs["capacity"] = fail_below
    return attrs


def random_graph(rng: np.random.Generator) -> nx.DiGraph:
    """A random supply graph with every node kind, groups, weights, lead times and two-way links."""
    n = int(rng.integers(6, 15))
    kinds = list(KINDS) + [str(rng.choice(KINDS)) for _ in range(n - len(KINDS))]
    rng.shuffle(kinds)
    ids = [f"{kind[:3]}{i}" for i, kind in enumerate(kinds)]
    # Suppliers come from a lower tier, mostly; ties broken at random.
    order = sorted(range(n), key=lambda i: (_TIER[kinds[i]], rng.random()))
    edges: dict[tuple[str, str], dict] = {}
    for position, i in enumerate(order):
        earlier = order[:position]
        if not earlier or (_TIER[kinds[i]] == 0 and _maybe(rng, 0.7)):
            continue
        count = min(len(earlier), int(rng.integers(1, 4)))
        for j in rng.choice(earlier, size=count, replace=False):
            edges[(ids[int(j)], ids[i])] = {}
    for _ in range(int(rng.integers(0, 3))):  # two-way links: cycles
        u, v = list(edges)[int(rng.integers(len(edges)))]
        edges.setdefault((v, u), {})
    for _ in range(int(rng.integers(0, 3))):  # a few edges anywhere
        u, v = (ids[int(k)] for k in rng.choice(n, size=2, replace=False))
        edges.setdefault((u, v), {})
    groups = ["", "", "g1", "g2"]
    for attrs in edges.values():
        if _maybe(rng, 0.5):
            attrs["weight"] = round(float(rng.uniform(0.2, 4)), 3)
        if _maybe(rng, 0.4):
            attrs["group"] = str(rng.choice(groups))
        if _maybe(rng, 0.4):
            attrs["lead_time"] = int(rng.integers(0, 4))
    return build_graph(
        [(f"nodes[{i}]", {"id": ids[i], **_random_node(rng, kinds[i])}) for i in range(n)],
        [
            (f"edges[{k}]", {"source": u, "target": v, **attrs})
            for k, ((u, v), attrs) in enumerate(edges.items())
        ],
    )


def _random_shock(rng: np.random.Generator, G: nx.DiGraph, kind: str, steps: int) -> dict:
    nodes = list(G.nodes)

    def some_nodes(pool: list[str]):
        picked = [
            str(x) for x in rng.choice(pool, size=min(len(pool), int(rng.integers(1, 3))), replace=False)
        ]
        return picked[0] if len(picked) == 1 and _maybe(rng, 0.5) else picked

    shock: dict = {"kind": kind, "start": int(rng.integers(1, max(2, steps * 2 // 3)))}
    if _maybe(rng, 0.7):
        shock["duration"] = int(rng.integers(1, steps // 2))
    if kind == "vendor_failure":
        vendors = [v for v in nodes if G.nodes[v]["kind"] == "vendor"]
        shock["target"] = some_nodes(vendors if _maybe(rng, 0.6) else nodes)
        if _maybe(rng, 0.6):
            shock["severity"] = float(rng.choice([1.0, round(float(rng.uniform(0.2, 1)), 3)]))
    elif kind == "logistics_bottleneck":
        ports = [v for v in nodes if G.nodes[v]["kind"] == "logistics"]
        edges = list(G.edges)
        where = rng.random()
        if where < 0.4:
            shock["target"] = str(rng.choice(ports))
        elif where < 0.7 or len(edges) < 2:
            u, v = edges[int(rng.integers(len(edges)))]
            shock["target"] = [u, v]
        else:
            picks = rng.choice(len(edges), size=2, replace=False)
            shock["target"] = [list(edges[int(k)]) for k in picks]
        given = rng.choice(["capacity", "delay", "both"])
        if given in ("capacity", "both"):
            shock["capacity"] = float(rng.choice([0.0, round(float(rng.uniform(0, 1)), 3)]))
        if given in ("delay", "both"):
            shock["delay"] = int(rng.integers(0, 4))
    elif kind == "demand_spike":
        shock["target"] = some_nodes(nodes)
        if _maybe(rng, 0.7):
            shock["multiplier"] = round(float(rng.uniform(0.5, 4)), 3)
    elif kind == "data_quality_drop":
        sources = [v for v in nodes if G.nodes[v]["kind"] == "data_source"]
        shock["target"] = some_nodes(sources if _maybe(rng, 0.6) else nodes)
        if _maybe(rng, 0.7):
            shock["quality"] = round(float(rng.uniform(0, 1)), 3)
    elif kind == "rate_limit_cut":
        limited = [
            v
            for v in nodes
            if G.nodes[v]["kind"] == "ai_service" and G.nodes[v].get("token_limit") is not None
        ]
        shock["target"] = some_nodes(limited)
        if _maybe(rng, 0.7):
            shock["factor"] = round(float(rng.uniform(0.05, 1)), 3)
    return shock


def random_drill(seed: int) -> tuple[nx.DiGraph, Scenario]:
    """A random graph and a scenario of 1 to 4 shocks over 20 to 60 steps, all from ``seed``."""
    rng = np.random.default_rng(seed)
    G = random_graph(rng)
    steps = int(rng.integers(20, 61))
    has_limit = any(
        G.nodes[v]["kind"] == "ai_service" and G.nodes[v].get("token_limit") is not None for v in G
    )
    possible = [k for k in _SHOCK_KINDS if k != "rate_limit_cut" or has_limit]
    # The first shock's kind rotates with the seed, so every kind leads some drills.
    first = _SHOCK_KINDS[seed % len(_SHOCK_KINDS)]
    kinds = [first if first in possible else str(rng.choice(possible))]
    kinds += [str(rng.choice(possible)) for _ in range(int(rng.integers(0, 4)))]
    shocks = [_random_shock(rng, G, kind, steps) for kind in kinds]
    scenario = parse_scenario(
        {"name": f"random drill {seed}", "steps": steps, "seed": seed, "shocks": shocks}, graph=G
    )
    return G, scenario


def test_random_drills_exercise_every_rule():
    """Over the seeds, generated drills fail, recover, throttle and draw stock: the oracle bites."""
    seen = dict.fromkeys(
        [
            "failed",
            "secondary failure",
            "recovering",
            "throttled",
            "throttled to failure",
            "degraded",
            "stock drawn",
            "stock refilled",
            "cycle",
            "lead time",
            "groups",
            "edge bottleneck",
            "node bottleneck",
            "delay",
            "shock without duration",
            "overlapping shocks",
            "retries",
        ],
        0,
    )
    kinds_seen = dict.fromkeys(_SHOCK_KINDS, 0)
    for seed in SEEDS:
        G, scenario = random_drill(seed)
        result = reference_run(G, scenario)
        status, stock, tokens = result["status"], result["stock"], result["tokens"]
        shocked = {v for s in scenario.shocks if not s.on_edges for v in s.target}
        nodes = list(G.nodes)
        failed_nodes = {nodes[j] for j in np.flatnonzero((status == FAILED).any(axis=0))}
        seen["failed"] += bool(failed_nodes)
        seen["secondary failure"] += bool(failed_nodes - shocked)
        seen["recovering"] += bool((status == RECOVERING).any())
        seen["throttled"] += bool((status == THROTTLED).any())
        seen["throttled to failure"] += bool(((status == FAILED) & (tokens > 0)).any())
        seen["degraded"] += bool((status == DEGRADED).any())
        seen["stock drawn"] += bool((np.diff(stock, axis=0) < 0).any())
        seen["stock refilled"] += bool(((np.diff(stock, axis=0) > 0) & (stock[1:] > 0)).any())
        seen["cycle"] += any(G.has_edge(v, u) for u, v in G.edges)
        seen["lead time"] += any(G.edges[e].get("lead_time", 0) > 0 for e in G.edges)
        seen["groups"] += any(len({G.edges[e].get("group", "") for e in G.in_edges(v)}) > 1 for v in G)
        seen["retries"] += bool((result["attempts"] > 1).any())
        seen["shock without duration"] += any(s.duration is None for s in scenario.shocks)
        seen["overlapping shocks"] += any(
            a.start < b.end and b.start < a.end
            for i, a in enumerate(scenario.shocks)
            for b in scenario.shocks[i + 1 :]
        )
        for s in scenario.shocks:
            kinds_seen[s.kind] += 1
            if s.kind == "logistics_bottleneck":
                seen["edge bottleneck" if s.on_edges else "node bottleneck"] += 1
                seen["delay"] += s.params["delay"] > 0
    assert all(count >= 5 for count in kinds_seen.values()), kinds_seen
    assert all(count >= 3 for count in seen.values()), seen


# --------------------------------------------------------------------------------------------------
# The engine against the reference


def first_difference(expected: dict, traj, nodes: list) -> str | None:
    """Describe the first (step, node, field) where ``traj`` and ``expected`` differ, or None.

    Values agree within 1e-9, relative above 1 (tokens run to thousands); NaN equals NaN.
    """
    steps, n = expected["output"].shape
    mismatch = np.zeros((steps, n, len(FIELDS)), dtype=bool)
    for k, field in enumerate(FIELDS):
        got = np.asarray(getattr(traj, field), dtype=float)
        want = np.asarray(expected[field], dtype=float)
        if got.shape != want.shape:
            return f"field {field}: engine shape {got.shape}, reference shape {want.shape}"
        both_nan = np.isnan(got) & np.isnan(want)
        close = np.abs(got - want) <= TOLERANCE * np.maximum(1.0, np.abs(want))
        mismatch[:, :, k] = ~(both_nan | close)
    if not mismatch.any():
        return None
    t, j, k = (int(x) for x in np.argwhere(mismatch)[0])
    field = FIELDS[k]
    got = np.asarray(getattr(traj, field), dtype=float)[t, j]
    want = np.asarray(expected[field], dtype=float)[t, j]
    return (
        f"first difference at step {t}, node {nodes[j]!r}, field {field}: "
        f"engine {got!r}, reference {want!r} ({int(mismatch.sum())} differing values in all)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_agrees_with_reference(seed):
    from augur.engine import run_drill

    G, scenario = random_drill(seed)
    traj = run_drill(G, scenario)
    nodes = list(G.nodes)
    assert list(traj.nodes) == nodes
    expected = reference_run(G, scenario)
    difference = first_difference(expected, traj, nodes)
    shocks = "; ".join(f"{shock_technical(s)} from {s.start} to {s.end}" for s in scenario.shocks)
    assert difference is None, f"seed {seed}: {difference}\n  shocks: {shocks}"


def test_first_difference_names_step_node_and_field():
    G = chain()
    expected = reference_run(G, scenario(G, [outage("a", 3)], steps=6))

    class Trajectory:
        pass

    traj = Trajectory()
    for field in FIELDS:
        setattr(traj, field, expected[field].astype(float).copy())
    assert first_difference(expected, traj, list(G.nodes)) is None
    traj.quality[4, 2] += 1e-6
    traj.load[5, 1] += 1
    message = first_difference(expected, traj, list(G.nodes))
    assert message is not None and "step 4, node 'c', field quality" in message
