"""Random-shock drills: what random disruptions do to a graph, as counts, intervals and bands.

What a random shock is comes from the scenario's ``random:`` section (:class:`augur.scenario.RandomShocks`;
docs/model.md, Random shocks). Drill ``i`` draws everything it needs from its own generator, seeded with
child ``i`` of ``numpy.random.SeedSequence(seed)``, so drill ``i`` is the same drill however many drills
are drawn, in whatever chunks and on however many workers they run.

This module draws the drills and summarises their figures; running them is the caller's (the runner in
:mod:`augur.sweep`), so the same summary serves a local loop and a Dask cluster alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from augur.engine.batch import Drill
from augur.scenario import (
    SHOCK_KINDS,
    VERDICT_RANK,
    VERDICTS,
    RandomShocks,
    Scenario,
    Shock,
    parse_scenario,
    random_targets,
)

__all__ = [
    "DISTRIBUTION_KEYS",
    "QUANTILES",
    "MonteCarloResult",
    "draw_drills",
    "drill_rng",
    "summarise",
]

QUANTILES = (5, 25, 50, 75, 95)
DISTRIBUTION_KEYS = ("resilience_loss", "peak_token_multiplier", "token_overrun_cost")
HISTOGRAM_BINS = 20


def drill_rng(seed: int, i: int) -> np.random.Generator:
    """Drill ``i``'s generator: child ``i`` of ``SeedSequence(seed)``, built without its siblings.

    >>> a = drill_rng(7, 3).random()
    >>> b = np.random.default_rng(np.random.SeedSequence(7).spawn(4)[3]).random()
    >>> a == b
    True
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))


def _draw_shock(
    rng: np.random.Generator,
    spec: RandomShocks,
    kinds: list,
    chances: np.ndarray,
    targets: Mapping[str, list],
    steps: int,
) -> Shock:
    kind = kinds[int(rng.choice(len(kinds), p=chances))]
    pool = targets[kind]
    target = pool[int(rng.integers(len(pool)))]
    start = int(rng.integers(spec.start_range(steps)[0], spec.start_range(steps)[1] + 1))
    low, high = spec.duration_range(steps)
    duration = int(rng.integers(low, high + 1))
    params: dict[str, float] = {}
    for f in SHOCK_KINDS[kind]:
        lo, hi = spec.strengths[f.name]
        params[f.name] = int(rng.integers(lo, hi + 1)) if f.integer else float(rng.uniform(lo, hi))
    return Shock(kind, (target,), start, duration, params)


def draw_drills(
    G: nx.DiGraph, spec: RandomShocks, steps: int, seed: int, indices: Iterable[int]
) -> list[Drill]:
    """The random drills numbered ``indices``, each drawn from :func:`drill_rng` ``(seed, i)``.

    Kinds with no target in the graph (no logistics node for a bottleneck, no AI service with a
    token limit to cut) are never drawn; the other kinds' chances are scaled to sum to one.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"})], [])
    >>> spec = RandomShocks(shocks=(2, 2))
    >>> draw_drills(G, spec, 40, 1, [5]) == draw_drills(G, spec, 40, 1, range(8))[5:6]
    True
    """
    targets = random_targets(spec, G)
    kinds = [k for k in SHOCK_KINDS if spec.kinds.get(k, 0) > 0 and targets[k]]
    chances = np.array([spec.kinds[k] for k in kinds], dtype=float)
    chances /= chances.sum()
    drills = []
    for i in indices:
        rng = drill_rng(seed, i)
        count = int(rng.integers(spec.shocks[0], spec.shocks[1] + 1))
        drills.append(
            Drill(tuple(_draw_shock(rng, spec, kinds, chances, targets, steps) for _ in range(count)))
        )
    return drills


def _distribution(values: Sequence[float | None]) -> dict | None:
    """Quantiles and histogram-ready arrays of one figure over the drills (``None`` where no drill
    has the figure: token figures on a graph without AI services)."""
    if not values or any(v is None for v in values):
        return None
    x = np.asarray(values, dtype=float)
    counts, edges = np.histogram(x, bins=HISTOGRAM_BINS)
    return {
        **{f"p{q}": float(v) for q, v in zip(QUANTILES, np.percentile(x, QUANTILES))},
        "mean": float(x.mean()),
        "max": float(x.max()),
        "values": x.tolist(),
        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
    }


def _interval(k: int, n: int) -> tuple[float, float]:
    """SciPy's 95% Wilson score interval for ``k`` of ``n``."""
    from scipy.stats import binomtest  # a second's import, for the studies that give intervals alone

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return (float(ci.low), float(ci.high))


@dataclass(frozen=True)
class MonteCarloResult:
    """How often random shocks end in each verdict, with the drills behind the figures.

    ``drills`` holds one row per drill (``drill, shocks, verdict, resilience_loss,
    peak_token_multiplier, token_overrun_cost, secondary_failures``); ``worst`` and ``median`` are two
    of those rows, and :meth:`scenario` turns either into a drill ``augur run`` reproduces.
    """

    runs: int
    seed: int
    verdicts: dict
    intervals: dict
    service_level_bands: dict
    distributions: dict
    worst: dict
    median: dict
    drills: list
    base: Scenario = field(repr=False, compare=False)

    @property
    def cascade_probability(self) -> float:
        return self.verdicts["cascade"] / self.runs

    @property
    def cascade_interval(self) -> tuple[float, float]:
        return tuple(self.intervals["cascade"])

    @property
    def resilience_loss(self) -> np.ndarray:
        return np.array([row["resilience_loss"] for row in self.drills], dtype=float)

    def scenario(self, which: str | int = "worst", description: str | None = None) -> Scenario:
        """Drill ``which`` (``"worst"``, ``"median"`` or a drill number) as a scenario of its own:
        the base scenario's graph, horizon, SLO and budget with that drill's shocks and nothing random,
        described by ``description`` (:func:`augur.text.studies.random_drill_description`), else by the
        base scenario's."""
        row = self.row(which)
        shocks = [dict(s) for s in row["shocks"]]
        base = self.base
        name = f"{base.name}: random drill {row['drill']} of {self.runs} (seed {self.seed})"
        data = {"name": name, "steps": base.steps, "seed": self.seed, "slo": base.slo, "shocks": shocks}
        if base.token_budget is not None:
            data["token_budget"] = base.token_budget
        if base.step_unit != "hour":
            data["step_unit"] = base.step_unit
        parsed = parse_scenario(data, graph=base.graph, source=base.source)
        said = base.description if description is None else description
        return replace(parsed, description=said, graph_ref=base.graph_ref)

    def row(self, which: str | int) -> dict:
        """The row of drill ``which``: ``"worst"``, ``"median"`` or a drill number."""
        return self.worst if which == "worst" else self.median if which == "median" else self.drills[which]

    def to_dict(self) -> dict:
        """The figures as plain JSON-ready data (``augur montecarlo --json``)."""
        return {
            "runs": self.runs,
            "seed": self.seed,
            "verdicts": dict(self.verdicts),
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "service_level_bands": {k: list(v) for k, v in self.service_level_bands.items()},
            "distributions": self.distributions,
            "worst": self.worst,
            "median": self.median,
        }

    def to_frame(self):
        """One row per drill: ``drill, verdict, resilience_loss, peak_token_multiplier,
        token_overrun_cost, secondary_failures, shocks`` (the number of shocks)."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        return pd.DataFrame([{**row, "shocks": len(row["shocks"])} for row in self.drills])


def _row(i: int, drill: Drill, m: Mapping[str, Any]) -> dict:
    """A drill's row: its shocks in the order they start (as drawn where two start together), so its
    card, ``augur montecarlo``'s lines, the pack and the saved scenario file all list them so."""
    return {
        "drill": i,
        "shocks": [s.to_dict() for s in sorted(drill.shocks, key=lambda s: s.start)],
        "verdict": m["verdict"],
        "resilience_loss": float(m["resilience_loss"]),
        "peak_token_multiplier": m["peak_token_multiplier"],
        "token_overrun_cost": m["token_overrun_cost"],
        "secondary_failures": len(m["secondary_failures"]),
    }


def summarise(
    base: Scenario, seed: int, drills: Sequence[Drill], metrics: Sequence[Mapping]
) -> MonteCarloResult:
    """Counts, intervals, bands and distributions of drills already run (``metrics`` as the runner
    returns them, each with its ``service_level`` series).

    The worst drill lost the most service (a harsher verdict first among equal losses, then the
    lower drill number); the median drill is the lower median of the drills ordered by loss then
    drill number, so both are one drill that ran, not a blend.
    """
    runs = len(drills)
    if runs == 0:
        raise ValueError("a random-shock study needs at least one drill")
    rows = [_row(i, d, m) for i, (d, m) in enumerate(zip(drills, metrics))]
    verdicts = {v: sum(row["verdict"] == v for row in rows) for v in VERDICTS}
    levels = np.stack([np.asarray(m["service_level"], dtype=float) for m in metrics])
    p5, p50, p95 = np.percentile(levels, (5, 50, 95), axis=0)
    worst = max(rows, key=lambda r: (r["resilience_loss"], VERDICT_RANK[r["verdict"]], -r["drill"]))
    ordered = sorted(rows, key=lambda r: (r["resilience_loss"], r["drill"]))
    return MonteCarloResult(
        runs=runs,
        seed=seed,
        verdicts=verdicts,
        intervals={v: _interval(k, runs) for v, k in verdicts.items()},
        service_level_bands={"p5": p5.tolist(), "p50": p50.tolist(), "p95": p95.tolist()},
        distributions={key: _distribution([row[key] for row in rows]) for key in DISTRIBUTION_KEYS},
        worst=worst,
        median=ordered[(runs - 1) // 2],
        drills=rows,
        base=base,
    )
