"""Find the weak points: which single failure hurts most, and how often random shocks cascade.

Both sweeps compile the graph once and run many drills on it. Each Monte Carlo draw comes from one
generator seeded by the caller, so the same seed gives the same sweep on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np

from augur.engine import compile_graph, compile_shocks, run_compiled
from augur.metrics import drill_metrics
from augur.scenario import Scenario, Shock
from augur.text import shock_technical

__all__ = ["MonteCarloResult", "criticality", "monte_carlo", "outage_window"]

SWEEP_FIELDS = (
    "verdict",
    "service_level_min",
    "resilience_loss",
    "time_to_survive",
    "time_to_recover",
    "secondary_failures",
)


def _run(G: nx.DiGraph, compiled, scenario: Scenario) -> dict:
    traj = run_compiled(compiled, compile_shocks(compiled, scenario.shocks), scenario.steps)
    return drill_metrics(traj, G, scenario)


def criticality(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    targets: Iterable | None = None,
    start: int | None = None,
    duration: int | None = None,
    severity: float = 1.0,
) -> list[dict]:
    """Fail each node alone, with the scenario's horizon and SLO, and rank them by the damage done.

    Returns one row per target, worst first (by resilience loss, then by the number of secondary
    failures): ``target, kind, verdict, resilience_loss, service_level_min, secondary_failures,
    time_to_survive, time_to_recover``. By default each node suffers the drilled outage, moved: the
    scenario's first shock's start and duration (:func:`outage_window`). The scenario's own shocks
    are replaced, not added to.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process", "min_supply": 0.5})],
    ...                 [("e", {"source": "a", "target": "shop", "weight": 3}),
    ...                  ("e", {"source": "b", "target": "shop"})])
    >>> rows = criticality(G, parse_scenario({"name": "s", "steps": 20}, graph=G))
    >>> [(r["target"], r["verdict"]) for r in rows]
    [('shop', 'degraded'), ('a', 'degraded'), ('b', 'graceful')]
    """
    compiled = compile_graph(G)
    default_start, default_duration = outage_window(scenario)
    start = default_start if start is None else start
    duration = default_duration if duration is None else duration
    rows = []
    for target in G.nodes if targets is None else targets:
        shock = Shock("vendor_failure", (target,), start, duration, {"severity": severity})
        m = _run(G, compiled, replace(scenario, shocks=(shock,), hypothesis=None))
        rows.append(
            {
                "target": target,
                "kind": G.nodes[target]["kind"],
                **{k: m[k] for k in SWEEP_FIELDS if k != "secondary_failures"},
                "secondary_failures": len(m["secondary_failures"]),
            }
        )
    rows.sort(key=lambda r: (-r["resilience_loss"], -r["secondary_failures"], str(r["target"])))
    return rows


def outage_window(scenario: Scenario) -> tuple[int, int]:
    """The start and duration a criticality sweep fails each node for.

    The scenario's first shock's window, so a sweep asks "what if this outage had hit elsewhere";
    without a shock (or one that lasts to the end), a tenth of the horizon in, for a quarter of it.
    """
    first = min(scenario.shocks, key=lambda s: s.start, default=None)
    start = first.start if first is not None else max(1, scenario.steps // 10)
    if first is not None and first.duration is not None:
        return start, first.duration
    return start, max(1, min(scenario.steps // 4, scenario.steps - start))


@dataclass(frozen=True)
class MonteCarloResult:
    """How often random shocks end in each verdict, with the drills behind the figures."""

    runs: int
    seed: int
    verdicts: dict
    cascade_probability: float
    cascade_interval: tuple[float, float]
    resilience_loss: np.ndarray
    drills: list

    def summary(self) -> str:
        low, high = self.cascade_interval
        q = np.percentile(self.resilience_loss, [50, 90])
        return (
            f"{self.runs} random drill{'s' if self.runs != 1 else ''} (seed {self.seed}): "
            f"cascade in {self.cascade_probability:.0%} "
            f"(95% interval {low:.0%} to {high:.0%}); resilience loss median {q[0]:.1f}, "
            f"90th percentile {q[1]:.1f} steps"
        )


def _wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _random_shock(rng: np.random.Generator, G: nx.DiGraph, nodes: Sequence, steps: int) -> Shock:
    target = nodes[int(rng.integers(len(nodes)))]
    start = int(rng.integers(1, max(2, steps // 2)))
    duration = int(rng.integers(1, max(2, steps // 4)))
    if G.nodes[target]["kind"] == "ai_service" and G.nodes[target].get("token_limit") and rng.random() < 0.5:
        return Shock("rate_limit_cut", (target,), start, duration, {"factor": float(rng.uniform(0.2, 0.8))})
    kind = ("vendor_failure", "data_quality_drop", "demand_spike")[int(rng.integers(3))]
    params = {
        "vendor_failure": {"severity": float(rng.uniform(0.3, 1.0))},
        "data_quality_drop": {"quality": float(rng.uniform(0.3, 0.9))},
        "demand_spike": {"multiplier": float(rng.uniform(1.2, 3.0))},
    }[kind]
    return Shock(kind, (target,), start, duration, params)


def _evaluate(G: nx.DiGraph, scenario: Scenario, shock_sets: Sequence[tuple]) -> list[tuple[str, float]]:
    """Verdict and resilience loss of each set of shocks on one graph (one compile for them all)."""
    compiled = compile_graph(G)
    out = []
    for shocks in shock_sets:
        m = _run(G, compiled, replace(scenario, shocks=shocks, hypothesis=None))
        out.append((m["verdict"], m["resilience_loss"]))
    return out


def monte_carlo(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    runs: int = 200,
    seed: int | None = None,
    shocks_per_drill: tuple[int, int] = (1, 3),
    executor=None,
    chunks: int = 8,
) -> MonteCarloResult:
    """Run ``runs`` drills of random shocks (1 to 3 by default) and count how often they cascade.

    Shock targets, kinds, starts, durations and strengths are all drawn first, from one generator
    seeded with ``seed`` (the scenario's seed when absent), so the result does not depend on where
    the drills run. Give an ``executor`` (any :class:`concurrent.futures.Executor`, such as a
    ``ProcessPoolExecutor`` or a Dask cluster's ``client.get_executor()``) to spread the drills over
    ``chunks`` tasks. The cascade probability comes with a 95% Wilson interval, honest about how few
    runs a sweep may have.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "shop"})])
    >>> mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 30}, graph=G), runs=20, seed=1)
    >>> mc.runs, sum(mc.verdicts.values())
    (20, 20)
    """
    seed = scenario.seed if seed is None else seed
    rng = np.random.default_rng(seed)
    nodes = list(G.nodes)
    low, high = shocks_per_drill
    shock_sets = [
        tuple(_random_shock(rng, G, nodes, scenario.steps) for _ in range(int(rng.integers(low, high + 1))))
        for _ in range(runs)
    ]
    base = replace(scenario, seed=seed, graph=None)  # the graph travels once per task, as G
    if executor is None or runs == 0:
        outcomes = _evaluate(G, base, shock_sets)
    else:
        size = max(1, -(-runs // max(1, chunks)))
        parts = [shock_sets[i : i + size] for i in range(0, runs, size)]
        results = executor.map(_evaluate, [G] * len(parts), [base] * len(parts), parts)
        outcomes = [o for part in results for o in part]
    verdicts = {"graceful": 0, "degraded": 0, "cascade": 0}
    for verdict, _ in outcomes:
        verdicts[verdict] += 1
    cascades = verdicts["cascade"]
    unit = scenario.step_unit
    return MonteCarloResult(
        runs=runs,
        seed=seed,
        verdicts=verdicts,
        cascade_probability=cascades / runs if runs else 0.0,
        cascade_interval=_wilson(cascades, runs),
        resilience_loss=np.array([loss for _, loss in outcomes], dtype=float),
        drills=[
            {"shocks": [shock_technical(s, unit) for s in shocks], "verdict": verdict}
            for shocks, (verdict, _) in zip(shock_sets, outcomes)
        ],
    )
