"""A batch of drills equals the drills run one by one, on every field of every node at every step.

The drills of each batch come from the oracle's random generator (tests/test_engine_oracle.py): the
seed's own shocks, other random shocks on the same graph, and none, each with random node parameter
overrides, so that shocks and parameters both vary along the batch.
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import numpy as np
import pytest
from builders import chain, outage, scenario
from test_engine_oracle import SEEDS, _random_shock, random_drill

from augur.engine import ALL_FIELDS, Drill, Status, compile_graph, compile_shocks, run_batch, run_compiled
from augur.errors import ScenarioError
from augur.metrics import (
    BATCH_METRIC_KEYS,
    METRIC_FIELDS,
    batch_metrics,
    drill_metrics,
    measure_batch,
    service_level,
)
from augur.scenario import parse_scenario


def random_params(rng: np.random.Generator, G: nx.DiGraph) -> dict:
    """Overrides of a few node parameters at a few nodes, each within its allowed range."""
    nodes = list(G.nodes)
    draw = {
        "buffer": lambda: float(rng.choice([0.0, 1.0, 2.5, 4.0])),
        "min_supply": lambda: round(float(rng.uniform(0.2, 1.0)), 3),
        "capacity": lambda: round(float(rng.uniform(0.5, 2.0)), 3),
        "fail_below": lambda: float(rng.choice([0.0, 1.0, round(float(rng.uniform(0, 0.6)), 3)])),
        "recovery": lambda: int(rng.integers(0, 4)),
        "restock": lambda: round(float(rng.uniform(0, 1.5)), 3),
        "token_limit": lambda: round(float(rng.uniform(300, 4000)), 1),
        "max_retries": lambda: int(rng.integers(0, 5)),
        "retry_sensitivity": lambda: round(float(rng.uniform(0, 4)), 3),
    }
    params: dict = {}
    for name in rng.choice(list(draw), size=int(rng.integers(1, 5)), replace=False):
        picked = rng.choice(nodes, size=min(len(nodes), int(rng.integers(1, 4))), replace=False)
        params[str(name)] = {str(v): draw[str(name)]() for v in picked}
    return params


def with_params(G: nx.DiGraph, params: dict) -> nx.DiGraph:
    """A copy of ``G`` with the drill's node parameters written into the graph."""
    H = G.copy()
    for name, values in params.items():
        for node, value in values.items():
            H.nodes[node][name] = value
    return H


def oracle_batch(seed: int) -> tuple[nx.DiGraph, object, list[Drill]]:
    """The seed's graph and scenario, and eight drills on it with varied shocks and parameters."""
    G, scenario = random_drill(seed)
    rng = np.random.default_rng(10_000 + seed)
    kinds = sorted({s.kind for s in scenario.shocks})
    other = [_random_shock(rng, G, str(rng.choice(kinds)), scenario.steps) for _ in range(2)]
    other_shocks = parse_scenario({"name": "other", "steps": scenario.steps, "shocks": other}, graph=G).shocks
    drills = [
        Drill(scenario.shocks),
        Drill(scenario.shocks, random_params(rng, G)),
        Drill(other_shocks, random_params(rng, G)),
        Drill((), random_params(rng, G)),
        Drill(scenario.shocks[:1], random_params(rng, G)),
        # drills that change no parameter are the unshocked drill until they start: some share it
        Drill(other_shocks),
        Drill(scenario.shocks[-1:]),
        Drill(),
    ]
    return G, scenario, drills


def single_run(G: nx.DiGraph, drill: Drill, steps: int):
    """Drill alone, on the graph with its parameters set, through the single-drill engine."""
    g = compile_graph(with_params(G, drill.params))
    return run_compiled(g, compile_shocks(g, drill.shocks), steps)


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_equals_single_runs_on_oracle_seeds(seed):
    """Drill b of a batch equals drill b run alone, exactly, on every field, node and step."""
    G, scenario, drills = oracle_batch(seed)
    batch = run_batch(compile_graph(G), drills, scenario.steps)
    assert batch.size == len(drills) and batch.steps == scenario.steps and batch.nodes == list(G.nodes)
    for b, drill in enumerate(drills):
        alone = single_run(G, drill, scenario.steps)
        for name in ALL_FIELDS:
            got, want = batch.field(name)[b], getattr(alone, name)
            assert got.dtype == want.dtype, (seed, b, name)
            assert np.array_equal(got, want, equal_nan=True), f"seed {seed}, drill {b}, field {name}"
        assert np.array_equal(batch.drill(b).output, alone.output)


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_metrics_equal_drill_metrics(seed):
    """batch_metrics gives each drill the figures drill_metrics gives it alone, from whole fields or
    from only what the figures read (measure_batch), with and without a token budget and hypothesis."""
    G, scenario, drills = oracle_batch(seed)
    if seed % 2:
        scenario = replace(scenario, token_budget=1.3, hypothesis="cascade", slo=0.8)
    g = compile_graph(G)
    whole = batch_metrics(
        run_batch(g, drills, scenario.steps, record=METRIC_FIELDS), G, scenario, drills, series=True
    )
    compact = measure_batch(g, G, scenario, drills, series=True)
    for b, drill in enumerate(drills):
        alone = single_run(G, drill, scenario.steps)
        H = with_params(G, drill.params)
        want = drill_metrics(alone, H, replace(scenario, shocks=drill.shocks))
        for rows in (whole, compact):
            assert {k: rows[b][k] for k in BATCH_METRIC_KEYS} == {k: want[k] for k in BATCH_METRIC_KEYS}
            assert np.array_equal(rows[b]["service_level"], service_level(alone, H))


def test_measure_batch_on_a_graph_without_ai_services_records_no_token_column():
    """With no AI service the token and interval fields are kept at no node at all: the drills still
    run and give the figures a single run gives."""
    G = chain()
    s = scenario(G, [outage("a", 2, 3)], steps=12)
    drills = [Drill(), Drill(shocks=s.shocks)]
    rows = measure_batch(compile_graph(G), G, s, drills)
    for b, drill in enumerate(drills):
        want = drill_metrics(single_run(G, drill, s.steps), G, replace(s, shocks=drill.shocks))
        assert {k: rows[b][k] for k in BATCH_METRIC_KEYS} == {k: want[k] for k in BATCH_METRIC_KEYS}
    assert rows[0]["resilience_loss"] == 0.0 < rows[1]["resilience_loss"]


def test_the_failures_summary_is_what_the_status_says():
    """down_starts, failed_ever and down_steps, recorded in place of every status, agree with the
    status: down_steps counts the steps each node was failed or recovering, drill by drill."""
    for seed in SEEDS[:20]:
        G, scenario, drills = oracle_batch(seed)
        g = compile_graph(G)
        both = run_batch(g, drills, scenario.steps, record=("status", "failures"))
        status = both.field("status")
        down = (status == Status.FAILED) | (status == Status.RECOVERING)
        went_down = down.copy()
        went_down[:, 1:] &= ~down[:, :-1]
        assert both.down_starts.tolist() == np.argwhere(went_down).tolist()
        assert np.array_equal(both.failed_ever, (status == Status.FAILED).any(axis=1))
        assert np.array_equal(both.down_steps, down.sum(axis=1))
        alone = run_batch(g, drills, scenario.steps, record=("output", "failures"))
        assert np.array_equal(alone.down_steps, down.sum(axis=1))


def test_the_oracle_batches_vary_what_happens():
    """Across the seeds, drills of one batch end differently: the parameters and shocks bite."""
    differing = 0
    for seed in SEEDS:
        G, scenario, drills = oracle_batch(seed)
        batch = run_batch(compile_graph(G), drills, scenario.steps, record=("output",))
        output = batch.field("output")
        differing += not np.array_equal(output[0], output[1])
    assert differing >= len(SEEDS) // 2


def test_a_buffer_given_per_drill_delays_failure_by_that_many_steps():
    """On a -> b -> c with a down from step 3, b holding k steps of stock fails k steps later."""
    G = chain()
    shocks = scenario(G, [outage("a", 3)], steps=10).shocks
    drills = [Drill(shocks, {"buffer": {"b": k}}) for k in (0, 1, 3)]
    batch = run_batch(compile_graph(G), drills, 10, record=("output", "stock"))
    b = list(G.nodes).index("b")
    output = batch.field("output")[:, :, b].tolist()
    assert output[0] == [1] * 4 + [0] * 6
    assert output[1] == [1] * 5 + [0] * 5
    assert output[2] == [1] * 7 + [0] * 3
    assert batch.field("stock")[2, :, b].tolist() == [3, 3, 3, 3, 2, 1, 0, 0, 0, 0]


def test_overrides_leave_the_compiled_graph_alone():
    """A drill's parameters apply to that drill only: the next drill and the graph keep theirs."""
    G = chain()
    g = compile_graph(G)
    shocks = scenario(G, [outage("a", 3)], steps=10).shocks
    batch = run_batch(g, [Drill(shocks, {"buffer": {"b": 3}}), Drill(shocks)], 10, record=("output",))
    b = list(G.nodes).index("b")
    assert batch.field("output")[1, :, b].tolist() == [1] * 4 + [0] * 6
    assert g.buffer.tolist() == [0, 0, 0]


def test_only_recorded_fields_are_kept():
    G = chain()
    batch = run_batch(compile_graph(G), [Drill()], 5, record=("status",))
    assert list(batch.fields) == ["status"]
    with pytest.raises(KeyError, match="'output' was not recorded"):
        batch.field("output")
    with pytest.raises(KeyError, match="needs every field"):
        batch.drill(0)
    with pytest.raises(ValueError, match="cannot record"):
        run_batch(compile_graph(G), [Drill()], 5, record=("outputs",))


def test_an_empty_batch_has_no_drills():
    batch = run_batch(compile_graph(chain()), [], 5, record=("output",))
    assert batch.size == 0 and batch.field("output").shape == (0, 5, 3)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"quality": {"a": 0.5}}, "drills\\[0\\]: cannot change 'quality' per drill"),
        ({"buffer": {"x": 1.0}}, "drills\\[0\\]: buffer: unknown node 'x'"),
        (
            {"min_supply": {"b": 1.5}},
            "drills\\[0\\]: min_supply\\['b'\\]: expected a number in \\[0\\.000001, 1\\]",
        ),
        ({"recovery": {"b": 1.5}}, "expected an integer in \\[0, 1,000,000\\] for 'recovery'"),
    ],
)
def test_a_bad_override_names_the_drill_the_parameter_and_the_node(params, message):
    with pytest.raises(ScenarioError, match=message):
        run_batch(compile_graph(chain()), [Drill(params=params)], 5)


def test_a_value_checked_once_is_still_refused_where_it_first_stands():
    """One value on many nodes is checked once: a good one lands on each node, a bad one is named at
    the first node that has it, in the drill that has it; True is not taken for the 1 beside it."""
    from augur.engine.batch import _drill_params

    g = compile_graph(chain())
    two = [Drill(params={"buffer": {"a": 2, "b": 2, "c": 2.0}}), Drill(params={"buffer": {"c": 3}})]
    assert _drill_params(g, two)["buffer"].tolist() == [[2.0, 0.0], [2.0, 0.0], [2.0, 3.0]]
    ok, bad = Drill(params={"buffer": {"a": 1}}), Drill(params={"buffer": {"a": 1, "b": True, "c": True}})
    with pytest.raises(ScenarioError, match=r"drills\[1\]: buffer\['b'\]: expected a number .* got True"):
        run_batch(g, [ok, bad], 5)


@pytest.mark.parametrize("seed", SEEDS[::6])
def test_chunks_and_columns_do_not_change_a_batch(seed, monkeypatch):
    """Run one drill per chunk, or keep some nodes only: the recorded numbers are the same."""
    import augur.engine.batch as batch_module

    G, scenario, drills = oracle_batch(seed)
    g = compile_graph(G)
    whole = run_batch(g, drills, scenario.steps)
    keep = np.array([g.n - 1, 0, g.n // 2])
    monkeypatch.setattr(batch_module, "CHUNK_CELLS", 1)
    parts = run_batch(
        g, drills, scenario.steps, record=("output", "tokens", "status"), columns={"tokens": keep}
    )
    assert np.array_equal(parts.field("output"), whole.field("output"))
    assert np.array_equal(parts.field("status"), whole.field("status"))
    assert np.array_equal(parts.field("tokens"), whole.field("tokens")[:, :, keep])
    assert parts.columns["tokens"].tolist() == keep.tolist()
    with pytest.raises(KeyError, match="tokens"):
        parts.drill(0)


def test_a_drill_beside_a_delayed_bottleneck_equals_its_run_alone():
    """A vendor outage on a chain with a two-step lead time gives, beside a bottleneck that delays
    goods (its batch reads arrivals edge by edge), what it gives alone (read from the output history):
    every field the same; a down from step 3 takes b down at 3 + 1 + 2 = 6 and c at 7."""
    G = chain(lead_time=2)
    steps = 16

    def shocks(*specs):
        return parse_scenario({"name": "s", "steps": steps, "shocks": list(specs)}, graph=G).shocks

    down = shocks({"kind": "vendor_failure", "target": "a", "start": 3, "duration": 4})
    jam = shocks({"kind": "logistics_bottleneck", "target": "b", "start": 2, "duration": 5, "delay": 2})
    g = compile_graph(G)
    batch = run_batch(g, [Drill(jam), Drill(down)], steps)
    alone = run_compiled(g, compile_shocks(g, down), steps)
    for name in ALL_FIELDS:
        assert np.array_equal(batch.field(name)[1], getattr(alone, name), equal_nan=True), name
    output = batch.field("output")[1]
    assert np.flatnonzero(output[:, 1] == 0)[0] == 6 and np.flatnonzero(output[:, 2] == 0)[0] == 7
