"""The review pack's weak-points study: the sweeps ``augur sweep``, ``augur montecarlo`` and ``augur
mitigate`` run, on the drill's graph, horizon and SLO, gathered for the page and the picture.

Only :mod:`augur.sweep`'s public API runs here, so each figure in the pack is the one the command line
prints for the same scenario: the ranking's first row is ``augur sweep``'s first row.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")   # doctest: +SKIP
>>> study = weak_points_study(augur.simulate(scenario.graph, scenario), runs=50)  # doctest: +SKIP
>>> study.criticality[0]["target"]                                         # doctest: +SKIP
'acme-chips'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from augur.analysis.criticality import Criticality, PairSweep
from augur.analysis.mitigate import MitigationResult
from augur.analysis.random_shocks import MonteCarloResult
from augur.drill import DrillResult
from augur.errors import ReportError
from augur.scenario import MAX_RUNS
from augur.sweep import criticality, mitigate, monte_carlo, one_cluster, pairs

__all__ = ["DEFAULT_TOP", "WeakPoints", "weak_points_study"]

DEFAULT_TOP = 10  # rows of the ranking and of the pairs shown, and the worst singles paired


@dataclass(frozen=True)
class WeakPoints:
    """What the sweeps found for one drill: each node failed alone (``criticality``), pairs failed
    together (``pairs``), random shocks (``random``) and the least fixes (``fixes``); ``top`` is how
    many rows the pack shows."""

    criticality: Criticality
    pairs: PairSweep
    random: MonteCarloResult
    fixes: MitigationResult
    top: int = DEFAULT_TOP

    def to_dict(self) -> dict:
        """The figures as plain data, for the page's JSON: every ranking and pair row, the random-shock
        study and the fixes, as ``augur sweep --json``, ``augur montecarlo --json`` and ``augur mitigate
        --json`` print them."""
        return {
            "top": self.top,
            "outage": self.criticality.outage,
            "criticality": self.criticality.rows,
            "pairs": self.pairs.rows,
            "candidates": self.pairs.sets,
            "monte_carlo": self.random.to_dict(),
            "mitigation": self.fixes.to_dict(),
        }


def weak_points_study(
    result: DrillResult,
    *,
    runs: int | None = None,
    top: int = DEFAULT_TOP,
    scheduler=None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WeakPoints:
    """Run the weak-point sweeps on ``result``'s graph and scenario: every node failed alone, the pairs
    (the ``top`` worst singles among the candidates), ``runs`` random-shock drills (default: the
    scenario's ``random.runs``, else 200) and the mitigation finder, each on ``scheduler`` or
    ``workers`` threads (as :func:`augur.sweep.run_drills`)."""
    if not isinstance(result, DrillResult):
        raise ReportError(f"expected a drill result for the weak points, got {type(result).__name__}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ReportError(f"expected a whole number of rows 1 or more, got {top!r}", place="--top")
    whole = isinstance(runs, int) and not isinstance(runs, bool)
    if runs is not None and not (whole and 1 <= runs <= MAX_RUNS):
        raise ReportError(f"expected 1 to {MAX_RUNS:,} random drills, got {runs!r}", place="--runs")
    G, scenario = result.graph, result.scenario
    with one_cluster(scheduler, workers) as client:  # one Dask cluster for the four studies, if any
        options = {"scheduler": client, "workers": workers, "progress": progress}
        singles = criticality(G, scenario, **options)
        duo = pairs(G, scenario, top=top, singles=singles, **options)
        shocks = monte_carlo(G, scenario, runs=runs, **options)
        fixes = mitigate(G, scenario, **options)
    return WeakPoints(criticality=singles, pairs=duo, random=shocks, fixes=fixes, top=top)
