"""The propagation engine: compile a graph to arrays once, then step every node at once.

Nothing here imports Dash, plotly or pandas; the engine is plain NumPy and SciPy.
"""

from __future__ import annotations

import networkx as nx

from augur.engine.batch import ALL_FIELDS, BatchTrajectory, Drill, run_batch
from augur.engine.compiled import CompiledGraph, ShockPlan, compile_graph, compile_shocks
from augur.engine.step import STATE_FIELDS, Status, Trajectory, run_compiled

__all__ = [
    "ALL_FIELDS",
    "STATE_FIELDS",
    "BatchTrajectory",
    "CompiledGraph",
    "Drill",
    "ShockPlan",
    "Status",
    "Trajectory",
    "compile_graph",
    "compile_shocks",
    "run_batch",
    "run_compiled",
    "run_drill",
]


def run_drill(G: nx.DiGraph, scenario, *, compiled: CompiledGraph | None = None) -> Trajectory:
    """Run a validated scenario on a validated graph and return every node's state at every step.

    Pass ``compiled`` to reuse one compilation of ``G`` across many drills (sweeps do).
    """
    g = compiled if compiled is not None else compile_graph(G)
    return run_compiled(g, compile_shocks(g, scenario.shocks), scenario.steps)
