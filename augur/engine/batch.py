"""Many drills on one compiled graph: each with its own shocks and its own node parameters.

A sweep, a random-shock study or a mitigation search asks the same graph many questions that differ
only in the shocks and in a few node parameters (a buffer here, a second-source headroom there). A
:class:`Drill` is one such question; :func:`run_batch` answers a sequence of them and returns a
:class:`BatchTrajectory`, whose drill ``b`` is exactly what :func:`run_compiled` gives for drill ``b``
alone on the graph with ``b``'s parameters set.

>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> from augur.engine import compile_graph
>>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}),
...                  ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "acme", "target": "shop"})])
>>> outage = parse_scenario({"name": "outage", "steps": 8, "shocks": [
...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}, graph=G).shocks
>>> drills = [Drill(outage), Drill(outage, params={"buffer": {"shop": 3.0}})]
>>> batch = run_batch(compile_graph(G), drills, 8, record=("output",))
>>> batch.field("output")[:, :, 1].tolist()  # shop: down a step after acme, unless it holds stock
[[1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from augur.engine.compiled import CompiledGraph, compile_shocks
from augur.engine.step import STATE_FIELDS, Trajectory, run_compiled
from augur.errors import GraphError, ScenarioError
from augur.graph import NODE_ATTRIBUTES

if TYPE_CHECKING:
    from augur.scenario import Shock

__all__ = ["ALL_FIELDS", "DRILL_PARAMS", "BatchTrajectory", "Drill", "run_batch"]

ALL_FIELDS = (*STATE_FIELDS, "status", "throttle_ratio")

# The node parameters a drill may change. Intrinsic quality is not among them: it sets the settled
# baseline every drill starts from, so changing it is a different graph, not a different drill.
DRILL_PARAMS = (
    "capacity",
    "min_supply",
    "fail_below",
    "buffer",
    "restock",
    "recovery",
    "tokens_per_unit",
    "token_limit",
    "retry_sensitivity",
    "max_retries",
    "ci_base",
)


@dataclass(frozen=True)
class Drill:
    """One drill of a batch: its shocks, and the node parameters it changes.

    ``params`` maps an attribute to ``{node id: value}``, for example ``{"buffer": {"kestrel": 17.0}}``;
    every other node keeps the graph's value.
    """

    shocks: tuple[Shock, ...] = ()
    params: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchTrajectory:
    """The recorded states of a batch of drills: ``field(name)`` is an array ``(size, steps, n)``."""

    nodes: list
    size: int  # the number of drills
    steps: int
    fields: Mapping[str, np.ndarray]

    def field(self, name: str) -> np.ndarray:
        """Every drill's ``name`` at every step of every node, shape ``(size, steps, n)``."""
        if name not in self.fields:
            recorded = ", ".join(self.fields) or "none"
            raise KeyError(f"field {name!r} was not recorded (recorded: {recorded})")
        return self.fields[name]

    def drill(self, b: int) -> Trajectory:
        """Drill ``b`` as a :class:`Trajectory`; every field must have been recorded."""
        missing = [name for name in ALL_FIELDS if name not in self.fields]
        if missing:
            raise KeyError(f"drill({b}) needs every field; not recorded: {', '.join(missing)}")
        return Trajectory(nodes=list(self.nodes), **{name: self.fields[name][b] for name in ALL_FIELDS})


def _check_record(record: Collection[str]) -> tuple[str, ...]:
    unknown = [name for name in record if name not in ALL_FIELDS]
    if unknown:
        raise ValueError(f"cannot record {unknown!r}: the fields are {', '.join(ALL_FIELDS)}")
    return tuple(name for name in ALL_FIELDS if name in record)


def drill_graph(g: CompiledGraph, params: Mapping[str, Mapping[Any, float]], *, place: str = "drill"):
    """``g`` with a drill's node parameters set, on copies of the arrays it changes.

    Each value is checked as the graph reader checks it, so a bad override names the drill, the
    attribute and the node.
    """
    if not params:
        return g
    index = None
    changed = {}
    for name, values in params.items():
        if name not in DRILL_PARAMS:
            raise ScenarioError(
                f"cannot change {name!r} per drill; the parameters a drill may change are "
                f"{', '.join(DRILL_PARAMS)}",
                place=place,
            )
        if not values:
            continue
        if index is None:
            index = {v: i for i, v in enumerate(g.nodes)}
        array = getattr(g, name).copy()
        for node, value in values.items():
            if node not in index:
                raise ScenarioError(f"{name}: unknown node {node!r}", place=place)
            try:
                array[index[node]] = NODE_ATTRIBUTES[name].coerce(value, f"{name}[{node!r}]", None)
            except GraphError as err:
                raise ScenarioError(err.message, place=f"{place}: {err.place}") from err
        changed[name] = array
    return replace(g, **changed) if changed else g


def run_batch(
    g: CompiledGraph, drills: Sequence[Drill], steps: int, *, record: Collection[str] = ALL_FIELDS
) -> BatchTrajectory:
    """Run every drill for ``steps`` steps on ``g`` and keep the fields named in ``record``.

    Drill ``b``'s states equal ``run_compiled`` on drill ``b`` alone, exactly.
    """
    names = _check_record(record)
    out = {}
    for b, drill in enumerate(drills):
        gb = drill_graph(g, drill.params, place=f"drills[{b}]")
        traj = run_compiled(gb, compile_shocks(gb, drill.shocks), steps)
        for name in names:
            values = getattr(traj, name)
            if name not in out:
                out[name] = np.empty((len(drills), *values.shape), dtype=values.dtype)
            out[name][b] = values
    if not drills:
        dtypes = {"down": np.int64, "status": np.int8}
        out = {name: np.empty((0, steps, g.n), dtype=dtypes.get(name, float)) for name in names}
    return BatchTrajectory(nodes=list(g.nodes), size=len(drills), steps=steps, fields=out)
