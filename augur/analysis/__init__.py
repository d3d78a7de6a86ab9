"""A drill's analysis as plain data: why nodes failed, what would fix it, the weak points around the
shocked area, and how two drills differ. Typed results, no wording (see :mod:`augur.text`), no
drawing; computed from a :class:`~augur.drill.DrillResult` read duck-typed.
"""

from __future__ import annotations

from augur.analysis.causes import Cause, InputShare, SupplyGroup, failure_cause
from augur.analysis.criticality import Criticality, PairSweep

__all__ = ["Cause", "Criticality", "InputShare", "PairSweep", "SupplyGroup", "failure_cause"]
