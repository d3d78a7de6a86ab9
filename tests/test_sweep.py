"""Weak points: single-failure criticality and Monte Carlo cascade frequency."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from builders import chip_plant

from augur import load_scenario, parse_scenario
from augur.sweep import criticality, monte_carlo

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_criticality_ranks_the_single_point_of_failure_above_redundant_suppliers():
    """The sole chip vendor hurts more than either of two substitute packaging vendors."""
    G = chip_plant()
    rows = criticality(G, parse_scenario({"name": "sweep", "steps": 40}, graph=G))
    rank = {row["target"]: i for i, row in enumerate(rows)}
    assert rank["chips"] < rank["box-a"] and rank["chips"] < rank["box-b"]
    by_target = {row["target"]: row for row in rows}
    assert by_target["chips"]["verdict"] == "cascade"
    assert by_target["box-a"]["verdict"] == "graceful"
    assert by_target["box-a"]["resilience_loss"] == 0.0
    losses = [row["resilience_loss"] for row in rows]
    assert losses == sorted(losses, reverse=True)


def test_monte_carlo_is_reproducible_from_its_seed():
    """The same seed draws the same shocks and verdicts; another seed draws others."""
    G = chip_plant()
    s = parse_scenario({"name": "mc", "steps": 40}, graph=G)
    first, again, other = (monte_carlo(G, s, runs=40, seed=k) for k in (3, 3, 4))
    assert first.drills == again.drills
    assert np.array_equal(first.resilience_loss, again.resilience_loss)
    assert first.drills != other.drills


def test_monte_carlo_interval_brackets_the_cascade_rate():
    """The 95% Wilson interval contains the observed cascade frequency and stays within [0, 1]."""
    G = chip_plant()
    mc = monte_carlo(G, parse_scenario({"name": "mc", "steps": 40}, graph=G), runs=60, seed=1)
    low, high = mc.cascade_interval
    assert 0.0 <= low <= mc.cascade_probability <= high <= 1.0
    assert mc.cascade_probability == mc.verdicts["cascade"] / 60
    from augur.text import monte_carlo_summary

    line = monte_carlo_summary(mc.runs, mc.seed, mc.verdicts, mc.intervals, mc.resilience_loss)
    assert "random drills (seed 1)" in line


def test_mitigation_takes_the_chip_vendor_off_the_top_of_the_weak_points():
    """Before mitigation the chip vendor's outage cascades; after it, the same outage is graceful."""
    before = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    after = load_scenario(SCENARIOS / "retail-chip-outage-mitigated.yaml")
    row_before = next(r for r in criticality(before.graph, before) if r["target"] == "acme-chips")
    row_after = next(r for r in criticality(after.graph, after) if r["target"] == "acme-chips")
    assert row_before["verdict"] == "cascade" and row_after["verdict"] == "graceful"
    assert row_after["resilience_loss"] < row_before["resilience_loss"]


def test_criticality_moves_the_drilled_outage_onto_each_node():
    """By default each node suffers the scenario's first shock's window: same start, same duration."""
    from augur.sweep import outage_window

    G = chip_plant()
    s = parse_scenario(
        {
            "name": "w",
            "steps": 40,
            "shocks": [{"kind": "vendor_failure", "target": "chips", "start": 6, "duration": 5}],
        },
        graph=G,
    )
    assert outage_window(s) == (6, 5)
    default = {r["target"]: r for r in criticality(G, s)}
    explicit = {r["target"]: r for r in criticality(G, s, start=6, duration=5)}
    assert default == explicit
    # without shocks: a tenth of the horizon in, for a quarter of it
    assert outage_window(parse_scenario({"name": "q", "steps": 40}, graph=G)) == (4, 10)
