"""The bundled drills in scenarios/ load, run, and end with the verdict their hypothesis states."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

import augur
from augur import SHOCK_KINDS, Status
from augur.scenario import VERDICTS

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DRILLS = sorted(SCENARIOS.glob("*.yaml"))
BEFORE, AFTER = "retail-chip-outage.yaml", "retail-chip-outage-mitigated.yaml"
RETRY_STORM = "kyc-retry-storm.yaml"


@cache
def drill(name: str) -> augur.DrillResult:
    scenario = augur.load_scenario(SCENARIOS / name)
    return augur.simulate(scenario.graph, scenario)


@pytest.mark.parametrize("path", DRILLS, ids=[p.name for p in DRILLS])
def test_bundled_drill_ends_with_the_verdict_its_hypothesis_states(path):
    """Each bundled drill runs and its verdict equals the hypothesis written in the file."""
    result = drill(path.name)
    assert result.scenario.hypothesis is not None, f"{path.name} states no hypothesis"
    assert result.verdict == result.scenario.hypothesis, result.metrics
    assert result.metrics["hypothesis_held"] is True


@pytest.mark.parametrize("path", DRILLS, ids=[p.name for p in DRILLS])
def test_bundled_drill_is_a_documented_story_on_a_labelled_graph(path):
    """Each bundled drill has a name, a description, a horizon of 48 to 168 steps and labelled nodes."""
    result = drill(path.name)
    scenario, graph = result.scenario, result.graph
    assert scenario.name and scenario.description
    assert 48 <= scenario.steps <= 168
    assert 8 <= graph.number_of_nodes() <= 30
    assert all(data.get("label") for _, data in graph.nodes(data=True))


@pytest.mark.parametrize("path", DRILLS, ids=[p.name for p in DRILLS])
def test_bundled_drill_recovers_within_the_horizon_once_its_shocks_end(path):
    """Every bundled drill's shocks end in time for the service level to recover before the horizon."""
    metrics = drill(path.name).metrics
    assert metrics["time_to_recover"] is not None, metrics
    assert drill(path.name).service_level[-1] >= 0.99


def test_bundled_drills_cover_every_verdict_and_every_shock_kind():
    """Together the bundled drills reach all three verdicts and use all five shock kinds."""
    assert len(DRILLS) >= 7
    verdicts = {drill(p.name).verdict for p in DRILLS}
    kinds = {shock.kind for p in DRILLS for shock in drill(p.name).scenario.shocks}
    assert verdicts == set(VERDICTS)
    assert kinds == set(SHOCK_KINDS)


def test_mitigation_turns_the_same_chip_outage_from_cascade_to_graceful():
    """The before/after retail pair runs the same shocks; only the mitigated graph stays graceful."""
    before, after = drill(BEFORE), drill(AFTER)
    assert before.scenario.shocks == after.scenario.shocks
    assert before.scenario.graph_ref != after.scenario.graph_ref
    assert (before.verdict, after.verdict) == ("cascade", "graceful")


def test_kyc_retry_storm_throttles_an_ai_service_and_prices_the_token_overrun():
    """The KYC drill drives an AI service into throttling and bills tokens spent over baseline."""
    result = drill(RETRY_STORM)
    ai = [i for i, v in enumerate(result.trajectory.nodes) if result.graph.nodes[v]["kind"] == "ai_service"]
    assert np.any(result.trajectory.status[:, ai] == Status.THROTTLED)
    assert result.metrics["token_overrun"] > 0
    assert result.metrics["token_overrun_cost"] > 0


def test_the_port_drill_s_random_section_is_what_its_random_drills_draw():
    """The pump maker's random: section (scenarios/README.md) says 300 drills of one or two shocks,
    outages of 3 to 28 days from day 5 to 45, on vendors, logistics, data sources and the customer
    deliveries, and never a rate-limit cut: its study's drills keep to that."""
    scenario = augur.load_scenario(SCENARIOS / "manufacturer-port-congestion.yaml")
    result = augur.sweep.monte_carlo(scenario.graph, scenario, runs=40)
    kinds = dict(scenario.graph.nodes(data="kind"))
    assert scenario.random.runs == 300
    for row in result.drills:
        assert 1 <= len(row["shocks"]) <= 2
        for shock in row["shocks"]:
            assert shock["kind"] != "rate_limit_cut"
            assert 5 <= shock["start"] <= 45 and 3 <= shock["duration"] <= 28
            target = shock["target"]
            assert target == "customer-deliveries" or kinds[target] in ("vendor", "logistics", "data_source")
