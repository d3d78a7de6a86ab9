"""A drill's analysis as plain data: why nodes failed, what would fix it, the weak points around the
shocked area, and how two drills differ. Typed results, no wording (see :mod:`augur.text`), no
drawing; computed from a :class:`~augur.drill.DrillResult` read duck-typed, once per drill
(``result.analysis``).

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> analysis = augur.simulate(scenario.graph, scenario).analysis         # doctest: +SKIP
>>> analysis.findings.failures[0].cause.reason                           # doctest: +SKIP
'supply'
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from augur.analysis.causes import Cause, InputShare, SupplyGroup, failure_cause
from augur.analysis.compare import Comparison, compare
from augur.analysis.criticality import Criticality, PairSweep
from augur.analysis.findings import Findings, find, worst_step
from augur.analysis.levers import Check, Lever, Outcome, what_if
from augur.analysis.weak_points import Outage, WeakPoints, sweep_outage, weak_points

if TYPE_CHECKING:
    from augur.drill import DrillResult

__all__ = [
    "Analysis",
    "Cause",
    "Check",
    "Comparison",
    "Criticality",
    "Findings",
    "InputShare",
    "Lever",
    "Outage",
    "Outcome",
    "PairSweep",
    "SupplyGroup",
    "WeakPoints",
    "analyse",
    "compare",
    "failure_cause",
    "find",
    "sweep_outage",
    "weak_points",
    "what_if",
    "worst_step",
]


class Analysis:
    """Everything the pack, the picture and the app read about one drill, each part computed when
    first asked and kept: ``worst_step``, ``findings`` (with its model checks) and ``weak_points``
    (a sweep of re-runs, the costliest part)."""

    def __init__(self, result: DrillResult):
        self.result = result

    @cached_property
    def worst_step(self) -> int:
        return worst_step(self.result)

    @cached_property
    def findings(self) -> Findings:
        return find(self.result)

    @cached_property
    def weak_points(self) -> WeakPoints:
        return weak_points(self.result)


def analyse(result: DrillResult) -> Analysis:
    """The analysis of ``result`` (``result.analysis`` keeps one per drill)."""
    return Analysis(result)
