"""Run a drill: validate the scenario against the graph, step the engine, summarise the result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import repeat
from operator import contains

import networkx as nx
import numpy as np

from augur._version import __version__
from augur.analysis import Analysis, analyse
from augur.engine import CompiledGraph, Status, Trajectory, compile_graph, run_drill
from augur.engine.budget import DRILL_BUDGET_BYTES, check_drill_size
from augur.graph import validate_graph
from augur.metrics import Event, drill_events, drill_metrics, service_level
from augur.provenance import scenario_yaml
from augur.scenario import Scenario, validate_shocks
from augur.text import event_message

__all__ = ["DrillResult", "simulate"]


@dataclass(frozen=True)
class DrillResult:
    """A drill that has run: the scenario, the graph, every node's state at every step, and figures.

    ``metrics`` is the dict ``augur run --json`` prints; ``events`` tells the story in order.
    """

    scenario: Scenario
    graph: nx.DiGraph = field(repr=False)
    trajectory: Trajectory = field(repr=False)
    # the graph as the engine ran it, where simulate() kept it: the figures read its arrays
    compiled: CompiledGraph | None = field(default=None, repr=False, compare=False)

    @cached_property
    def metrics(self) -> dict:
        figures = drill_metrics(self.trajectory, self.graph, self.scenario, compiled=self.compiled)
        return {**figures, "augur": __version__}

    @cached_property
    def node_index(self) -> dict:
        """``{node: column}`` of the record: the compiled graph's map where simulate() kept it, so
        the event log's thousands of lines look their nodes up in one map, not one built each."""
        if self.compiled is not None:
            return self.compiled.node_index
        return {v: i for i, v in enumerate(self.trajectory.nodes)}

    @cached_property
    def events(self) -> list[Event]:
        raw = drill_events(self.trajectory, self.graph, self.scenario)
        return [replace(event, message=event_message(event, self)) for event in raw]

    @cached_property
    def analysis(self) -> Analysis:
        """Why nodes failed, what would fix it, the weak points: computed when first read, once."""
        return analyse(self)

    @cached_property
    def scenario_text(self) -> str:
        """The scenario file with its graph inline, as a pack embeds and hashes it (written once)."""
        return scenario_yaml(self.scenario)

    @cached_property
    def service_level(self) -> np.ndarray:
        return service_level(self.trajectory, self.graph, self.compiled)

    @property
    def verdict(self) -> str:
        return self.metrics["verdict"]

    def to_frame(self):
        """The per-step record in long format: ``t, node, status, output, load, supply, quality,
        tokens, ci`` (and ``stock``, ``attempts``), one row per node per step."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        traj = self.trajectory
        steps, n = traj.output.shape
        labels = np.array([s.label for s in Status], dtype=object)
        frame = {
            "t": np.repeat(np.arange(steps), n),
            "node": np.tile(np.array(traj.nodes, dtype=object), steps),
            "kind": np.tile(np.array([self.graph.nodes[v]["kind"] for v in traj.nodes]), steps),
            "status": labels[traj.status.reshape(-1)],
        }
        for name in ("output", "load", "supply", "quality", "tokens", "ci", "stock", "attempts"):
            frame[name] = getattr(traj, name).reshape(-1)
        return pd.DataFrame(frame)

    def series_frame(self):
        """One row per step: the service level and token totals, for charts and the CSV export."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        traj = self.trajectory
        ai = [i for i, v in enumerate(traj.nodes) if self.graph.nodes[v]["kind"] == "ai_service"]
        return pd.DataFrame(
            {
                "t": np.arange(traj.steps),
                "service_level": self.service_level,
                "tokens": traj.tokens[:, ai].sum(axis=1) if ai else 0.0,
                "failed": (traj.status == Status.FAILED).sum(axis=1),
            }
        )


def simulate(
    graph: nx.DiGraph,
    scenario: Scenario,
    *,
    seed: int | None = None,
    memory_budget: int = DRILL_BUDGET_BYTES,
) -> DrillResult:
    """Run ``scenario`` on ``graph`` and return a :class:`DrillResult`.

    The scenario is checked against the graph first (targets exist, kinds fit), so a scenario written
    for one graph fails clearly on another instead of running wrongly. ``seed`` overrides the
    scenario's seed; the drill itself is deterministic and the seed is recorded with the result.
    A drill whose record would take more than ``memory_budget`` bytes (nodes x steps, see
    :func:`augur.engine.budget.check_drill_size`) is refused before it runs; raise it to run one.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "acme", "target": "shop"})])
    >>> s = parse_scenario({"name": "outage", "steps": 10, "slo": 0.9, "shocks": [
    ...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}, graph=G)
    >>> simulate(G, s).metrics["verdict"]
    'cascade'
    """
    if not isinstance(graph, nx.DiGraph) or not all(map(contains, graph._node.values(), repeat("kind"))):
        graph = validate_graph(graph)
    validate_shocks(scenario, graph)
    check_drill_size(graph.number_of_nodes(), scenario.steps, budget=memory_budget, source=scenario.source)
    if seed is not None:
        scenario = scenario.with_overrides(seed=seed)
    compiled = compile_graph(graph)
    trajectory = run_drill(graph, scenario, compiled=compiled)
    return DrillResult(scenario=scenario, graph=graph, trajectory=trajectory, compiled=compiled)
