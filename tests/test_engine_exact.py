"""Exact answers where a rule of docs/model.md is decided by an equality or a threshold: a drill with no
shock stays at its baseline on any valid graph, and rounding never decides a verdict.

Each graph is small enough to count by hand; the count is in the test's docstring. The engine and the
plain-Python reference (tests/reference.py) are both held to it.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from builders import column, drill, graph, outage, scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_run
from test_batch import oracle_batch

from augur.engine import ALL_FIELDS, Drill, compile_graph, compile_shocks, run_batch, run_compiled
from augur.graph import KINDS


def _q(quality: float) -> tuple:
    return ("data_source", {"quality": quality})


def closed_loop_beside_a_lossy_feed() -> nx.DiGraph:
    """a (0.7) <-> b (0.9), a closed loop, feeds llm alone; a lossy feed (0.5) and the loop meet at d.

    Counted by hand: q_a = 0.7 q_b and q_b = 0.9 q_a, so q_a = 0.63 q_a: the loop settles at 0, and
    llm's baseline mix m0 is 0. Solved as one linear system with d's equation, whose right side is
    not 0 (the feed's 0.5), the loop came out at 1.3e-17 instead: llm then judged its input against
    that, saw a mix of "0.0 / 1.3e-17", retried from step 2 and a drill with no shock was degraded.
    """
    return graph(
        {"a": _q(0.7), "feed": _q(0.5), "b": _q(0.9), "d": "process", "llm": "ai_service", "desk": "process"},
        [
            ("a", "b", {"weight": 0.7}),
            ("a", "d", {"weight": 2}),
            ("feed", "d"),
            ("b", "a", {"weight": 0.1}),
            ("b", "d", {"weight": 3}),
            ("a", "llm"),
            ("llm", "desk"),
        ],
    )


def closed_loop_the_reference_solved_to_a_hair() -> nx.DiGraph:
    """a (1.0) <-> c (0.5) is a closed loop (q_a = q_c, q_c = 0.5 q_a: both 0); b (0.7) is fed by
    the loop alone, so it settles at 0 too and llm's baseline mix is 0. A dense solve of the whole
    system gave b 2.2e-17, and the reference's llm retried three times over from step 2."""
    return graph(
        {
            "a": _q(1.0),
            "b": _q(0.7),
            "c": _q(0.5),
            "d": _q(1.0),
            "e": _q(0.7),
            "llm": "ai_service",
            "desk": "process",
        },
        [
            ("a", "b", {"weight": 0.1}),
            ("a", "c", {"weight": 0.7}),
            ("a", "d", {"weight": 0.7}),
            ("c", "a", {"weight": 2}),
            ("c", "b", {"weight": 2}),
            ("e", "d", {"weight": 0.1}),
            ("b", "llm"),
            ("llm", "desk"),
        ],
    )


def test_a_closed_loop_settles_at_exactly_zero_and_an_unshocked_drill_stays_graceful():
    """Both loops settle at quality 0 exactly, so llm's baseline mix is 0, it judges its input by
    supply alone (q_in = c = 1), never retries, spends its 1,000 tokens a step, and the drill with no
    shock is graceful, in the engine and in the reference."""
    for G in (closed_loop_beside_a_lossy_feed(), closed_loop_the_reference_solved_to_a_hair()):
        g = compile_graph(G)
        llm = list(G).index("llm")
        assert g.baseline_mix[llm] == 0.0
        result = drill(G, [], steps=12)
        assert column(result, "llm", "attempts") == [1.0] * 12
        assert column(result, "llm", "tokens") == [1000.0] * 12
        assert result.metrics["verdict"] == "graceful"
        expected = reference_run(G, scenario(G, [], steps=12))
        assert expected["attempts"][:, llm].tolist() == [1.0] * 12
        assert (expected["output"] == 1.0).all()


def test_a_baseline_mix_below_the_snap_counts_as_none():
    """A feed of quality 1e-13 gives llm a baseline mix of 1e-13: below 1e-12 it is no baseline, so
    llm judges its input by supply alone. Its feed's quality then halving (a data-quality drop of
    0.5) moves nothing: counted against 1e-13 the halving would read as q_in = 0.5 and retries."""
    G = graph({"feed": _q(1e-13), "llm": "ai_service", "desk": "process"}, [("feed", "llm"), ("llm", "desk")])
    drop = [{"kind": "data_quality_drop", "target": "feed", "start": 2, "quality": 0.5}]
    result = drill(G, drop, steps=6)
    assert column(result, "llm", "attempts") == [1.0] * 6
    expected = reference_run(G, scenario(G, drop, steps=6))
    assert expected["attempts"][:, 1].tolist() == [1.0] * 6


QUALITIES = st.sampled_from([0.0, 0.1, 0.5, 0.7, 0.9, 0.999, 1.0, 1.0])
WEIGHTS = st.sampled_from([0.1, 0.7, 1.0, 2.0, 3.0])


@st.composite
def small_graphs(draw) -> nx.DiGraph:
    """2 to 7 nodes of any kind and quality, random edges (two-way links and closed loops among
    them), random weights, groups and lead times; AI services with random retry settings."""
    n = draw(st.integers(2, 7))
    nodes = {}
    for i in range(n):
        attrs = {"quality": draw(QUALITIES)}
        kind = draw(st.sampled_from(sorted(KINDS)))
        if kind == "ai_service":
            attrs["max_retries"] = draw(st.integers(0, 7))
            attrs["retry_sensitivity"] = draw(st.sampled_from([0.5, 2.0, 10.0]))
        nodes[f"n{i}"] = (kind, attrs)
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    edges = [
        (
            f"n{u}",
            f"n{v}",
            {
                "weight": draw(WEIGHTS),
                "group": draw(st.sampled_from(["", "x"])),
                "lead_time": draw(st.integers(0, 2)),
            },
        )
        for u, v in sorted(pairs)
        if u != v
    ]
    return graph(nodes, edges)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_graphs())
def test_no_shock_is_graceful_on_any_graph(G):
    """With no shock every node of any valid graph keeps its baseline: output 1, no retries, tokens
    at tokens_per_unit (1,000) on every AI service, quality as it settled at step 0; the drill is
    graceful. The reference agrees."""
    result = drill(G, [], steps=8)
    traj = result.trajectory
    ai = [i for i, v in enumerate(G) if G.nodes[v]["kind"] == "ai_service"]
    assert (traj.output == 1.0).all()
    assert (traj.attempts == 1.0).all()
    assert (traj.tokens[:, ai] == 1000.0).all()
    assert result.metrics["verdict"] == "graceful"
    expected = reference_run(G, scenario(G, [], steps=8))
    assert (expected["output"] == 1.0).all() and (expected["attempts"] == 1.0).all()
    # quality settled at step 0: every later step repeats it, in both
    assert (traj.quality == traj.quality[0]).all()
    assert (expected["quality"] == expected["quality"][0]).all()


def suppliers(weight: float, **shop) -> nx.DiGraph:
    """Ten equal substitute vendors s0..s9 (each edge of ``weight``) supply shop."""
    nodes = {f"s{i}": "vendor" for i in range(10)}
    nodes["shop"] = ("process", shop)
    return graph(nodes, [(f"s{i}", "shop", {"weight": weight}) for i in range(10)])


@pytest.mark.parametrize("weight", [1.0, 0.1, 1 / 3, 7.0])
@pytest.mark.parametrize(("down", "survives"), [(1, True), (2, False)])
def test_nine_of_ten_equal_suppliers_meet_a_min_supply_of_ninety_percent(weight, down, survives):
    """Ten equal suppliers, min_supply 0.9, fail_below 1 (shop fails the moment it falls short).
    With one down from step 2 the supply is 9/10 = 0.9, exactly min_supply: headroom 1, output 1,
    shop survives. With two down it is 8/10 = 0.8 < 0.9: headroom 0.8 / 0.9, shop fails at step 3.
    Only the ratio of equal weights matters, so the weight changes nothing; summed as shares the
    nine tenths came to 0.8999999999999999 and shop failed with one supplier down."""
    G = suppliers(weight, min_supply=0.9, fail_below=1.0)
    shocks = [outage(f"s{i}", 2) for i in range(down)]
    expected_supply = [1.0] * 3 + [(10 - down) / 10] * 3
    expected_output = [1.0] * 6 if survives else [1.0] * 3 + [0.0] * 3
    result = drill(G, shocks, steps=6)
    assert column(result, "shop", "supply") == expected_supply
    assert column(result, "shop", "output") == expected_output
    reference = reference_run(G, scenario(G, shocks, steps=6))
    assert reference["supply"][:, -1].tolist() == expected_supply
    assert reference["output"][:, -1].tolist() == expected_output


def spiked_shops(capacity: float, multiplier: float, shops: int = 10) -> tuple[nx.DiGraph, list]:
    """plant (``capacity``, fail_below 1) supplies ``shops`` equal shops (of capacity 10, enough for
    any spike here), each spiked x ``multiplier`` from step 2."""
    nodes = {"plant": ("vendor", {"capacity": capacity, "fail_below": 1.0})}
    nodes |= {f"shop{i}": ("process", {"capacity": 10}) for i in range(shops)}
    G = graph(nodes, [("plant", f"shop{i}") for i in range(shops)])
    spike = {"kind": "demand_spike", "target": [f"shop{i}" for i in range(shops)], "start": 2}
    return G, [{**spike, "multiplier": multiplier}]


@pytest.mark.parametrize("capacity", [1.2, 1.3, 2.4])
def test_a_demand_spike_of_exactly_the_capacity_is_at_capacity(capacity):
    """Ten shops each asking x capacity from step 2 put a load of exactly capacity on plant (the mean
    of ten equal asks) from step 3: it meets it all, output capacity / capacity = 1, and holds (it
    fails below 1). Shares of 1/10 summed gave 1.2000000000000002 for 1.2, and the sum of ten 1.3s
    itself rounds above 13: either way plant failed at the load it was built for."""
    G, spike = spiked_shops(capacity, capacity)
    result = drill(G, spike, steps=6)
    assert column(result, "plant", "output") == [1.0] * 6
    assert result.metrics["verdict"] == "graceful"
    reference = reference_run(G, scenario(G, spike, steps=6))
    assert reference["output"][:, 0].tolist() == [1.0] * 6


def test_a_demand_spike_past_the_capacity_is_over_it():
    """Asked for 1.21 with a capacity of 1.2, plant meets 1.2 / 1.21 = 99.2% from step 3, below its
    fail_below of 1: it fails, and its ten shops are starved one step later."""
    G, spike = spiked_shops(1.2, 1.21)
    result = drill(G, spike, steps=6)
    assert column(result, "plant", "output") == [1.0] * 3 + [0.0] * 3
    assert column(result, "shop0", "output") == [1.0] * 4 + [0.0] * 2


def retrying_services(max_retries: int, services: int) -> nx.DiGraph:
    """feed supplies ``services`` AI services (``max_retries`` each, retry_sensitivity 1.3), which
    serve desk."""
    ai = {
        f"llm{i}": ("ai_service", {"max_retries": max_retries, "retry_sensitivity": 1.3})
        for i in range(services)
    }
    return graph(
        {"feed": "data_source", **ai, "desk": "process"},
        [("feed", s) for s in ai] + [(s, "desk") for s in ai],
    )


@pytest.mark.parametrize("services", [1, 5])
@pytest.mark.parametrize("max_retries", [1, 2, 3, 7])
@pytest.mark.parametrize("width", [1, 3, 8, 17])
def test_retries_are_the_same_in_a_batch_of_any_width_as_alone(max_retries, width, services):
    """A drop of the feed's quality to 0.5 + 0.013 b in drill b gives every service q_in below 1 and
    retries (p = 1.3 x (0.5 - 0.013 b) > 0), attempts (1 - p^(r+1)) / (1 - p). Each drill of a batch of
    ``width`` equals it run alone, bit for bit, on every field: p^(r+1) is multiplications only,
    which round the same at any array width. With NumPy's power one service with one retry took
    p^2 as p x p alone and through its vector pow in a batch of 8, an ulp apart."""
    G = retrying_services(max_retries, services)
    g = compile_graph(G)
    drills = []
    for b in range(width):
        drop = {"kind": "data_quality_drop", "target": "feed", "start": 2, "quality": 0.5 + 0.013 * b}
        drills.append(Drill(scenario(G, [drop], steps=8).shocks))
    batch = run_batch(g, drills, 8)
    assert (batch.field("attempts")[:, 3, 1 : 1 + services] > 1.0).all()  # every service retries at step 3
    for b, one in enumerate(drills):
        alone = run_compiled(g, compile_shocks(g, one.shocks), 8)
        for name in ALL_FIELDS:
            assert np.array_equal(batch.field(name)[b], getattr(alone, name), equal_nan=True), (b, name)


SIGNALLING_NAN = np.uint64(0x7FF0_0000_0000_0001)  # a NaN whose every use raises "invalid value"


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("seed", [3, 21, 56])
def test_the_engine_reads_no_memory_it_has_not_written(seed, monkeypatch):
    """Every array np.empty gives the engine is filled with a signalling NaN, the worst garbage
    uninitialised memory can hold: any use of a cell before it is written raises (RuntimeWarning is
    an error here), and a batch of the oracle's drills with lead times, quality and AI services runs
    through, equal to its run on ordinary memory. The history of quality was such an array, and
    the quality mix multiplied its unwritten rows (read by nobody) and warned at random."""
    empty = np.empty

    def garbage(shape, dtype=float, *args, **kwargs):
        arr = empty(shape, dtype, *args, **kwargs)
        if arr.dtype == np.float64:
            arr.view(np.uint64)[...] = SIGNALLING_NAN
        return arr

    G, drill_scenario, drills = oracle_batch(seed)
    g = compile_graph(G)
    plain = run_batch(g, drills, drill_scenario.steps)
    monkeypatch.setattr(np, "empty", garbage)
    dirty = run_batch(g, drills, drill_scenario.steps)
    for name in ALL_FIELDS:
        assert np.array_equal(dirty.field(name), plain.field(name), equal_nan=True), name
