"""augur: supply-chain disruption drills for organisations that run AI services.

>>> import augur
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> result = augur.simulate(scenario.graph, scenario)                    # doctest: +SKIP
>>> result.metrics["verdict"]                                            # doctest: +SKIP
'cascade'
"""

from __future__ import annotations

from augur._version import __version__
from augur.drill import DrillResult, simulate
from augur.engine import Status
from augur.errors import AugurError, GraphError, ScenarioError
from augur.graph import KINDS, build_graph, graphs_equal, validate_graph
from augur.io import load_graph, write_graph
from augur.metrics import Event
from augur.scenario import (
    SHOCK_KINDS,
    Scenario,
    Shock,
    dump_scenario,
    load_scenario,
    parse_scenario,
)
from augur.sweep import criticality, monte_carlo

__all__ = [
    "KINDS",
    "SHOCK_KINDS",
    "AugurError",
    "DrillResult",
    "Event",
    "GraphError",
    "Scenario",
    "ScenarioError",
    "Shock",
    "Status",
    "__version__",
    "build_graph",
    "criticality",
    "dump_scenario",
    "graphs_equal",
    "load_graph",
    "load_scenario",
    "monte_carlo",
    "parse_scenario",
    "simulate",
    "validate_graph",
    "write_graph",
]
