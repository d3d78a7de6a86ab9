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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from augur.engine.compiled import CompiledGraph, compile_shocks
from augur.engine.step import ALL_FIELDS, DRILL_PARAMS, Trajectory, simulate_arrays
from augur.errors import GraphError, ScenarioError
from augur.graph import NODE_ATTRIBUTES

if TYPE_CHECKING:
    from augur.scenario import Shock

__all__ = ["ALL_FIELDS", "DRILL_PARAMS", "BatchTrajectory", "Drill", "run_batch"]

# How many (node or edge, drill) cells one step works on at most: a large batch runs in chunks of
# drills, so its working arrays stay a few tens of megabytes whatever its size.
CHUNK_CELLS = 1 << 21


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
    """The recorded states of a batch of drills: ``field(name)`` is an array ``(size, steps, k)``.

    ``k`` is every node, or for a field recorded at some nodes only the nodes ``columns[name]``
    lists, in that order.
    """

    nodes: list
    size: int  # the number of drills
    steps: int
    fields: Mapping[str, np.ndarray]
    columns: Mapping[str, np.ndarray] = field(default_factory=dict)
    # with "failures" recorded: rows (drill, step, node) where a node went down (failed, or recovering
    # after being up), in step order within each drill; and (size, n): whether each node ever failed,
    # and at how many steps it was failed or recovering
    down_starts: np.ndarray | None = None
    failed_ever: np.ndarray | None = None
    down_steps: np.ndarray | None = None

    def field(self, name: str) -> np.ndarray:
        """Every drill's ``name`` at every step of every recorded node, shape ``(size, steps, k)``."""
        if name not in self.fields:
            recorded = ", ".join(self.fields) or "none"
            raise KeyError(f"field {name!r} was not recorded (recorded: {recorded})")
        return self.fields[name]

    def drill(self, b: int) -> Trajectory:
        """Drill ``b`` as a :class:`Trajectory`; every field must have been recorded at every node."""
        missing = [name for name in ALL_FIELDS if name not in self.fields or name in self.columns]
        if missing:
            raise KeyError(
                f"drill({b}) needs every field at every node; not recorded so: {', '.join(missing)}"
            )
        return Trajectory(nodes=list(self.nodes), **{name: self.fields[name][b] for name in ALL_FIELDS})


def _check_record(record: Collection[str]) -> tuple[str, ...]:
    unknown = [name for name in record if name not in ALL_FIELDS and name != "failures"]
    if unknown:
        raise ValueError(
            f"cannot record {unknown!r}: the fields are {', '.join(ALL_FIELDS)}, and 'failures' the summary"
        )
    return tuple(name for name in (*ALL_FIELDS, "failures") if name in record)


def _drill_params(g: CompiledGraph, drills: Sequence[Drill]) -> dict[str, np.ndarray]:
    """The node parameters some drill changes, as arrays ``(n, B)``: column ``b`` is drill ``b``'s.

    Each value is checked as the graph reader checks it, so a bad one names the drill, the
    parameter and the node. A tipping grid sets one value on hundreds of nodes: each distinct value
    is checked once, at the first node that has it, which is where a bad one is named.
    """
    index = None
    out: dict[str, np.ndarray] = {}
    checked: dict[tuple, float] = {}
    for b, drill in enumerate(drills):
        for name, values in drill.params.items():
            place = f"drills[{b}]"
            if name not in DRILL_PARAMS:
                raise ScenarioError(
                    f"cannot change {name!r} per drill; the parameters a drill may change are "
                    f"{', '.join(DRILL_PARAMS)}",
                    place=place,
                )
            if not values:
                continue
            if index is None:
                index = g.node_index
            if name not in out:
                base = getattr(g, name)
                out[name] = np.repeat(base[:, None], len(drills), axis=1)
            rows, numbers = [], []
            for node, value in values.items():
                if node not in index:
                    raise ScenarioError(f"{name}: unknown node {node!r}", place=place)
                key = (name, type(value), value) if isinstance(value, (int, float, str)) else None
                number = checked.get(key) if key is not None else None
                if number is None:
                    try:
                        number = NODE_ATTRIBUTES[name].coerce(value, f"{name}[{node!r}]", None)
                    except GraphError as err:
                        raise ScenarioError(err.message, place=f"{place}: {err.place}") from err
                    if key is not None:
                        checked[key] = number
                rows.append(index[node])
                numbers.append(number)
            out[name][rows, b] = numbers
    return out


def run_batch(
    g: CompiledGraph,
    drills: Sequence[Drill],
    steps: int,
    *,
    record: Collection[str] = ALL_FIELDS,
    columns: Mapping[str, Sequence[int]] | None = None,
) -> BatchTrajectory:
    """Run every drill for ``steps`` steps on ``g`` and keep the fields named in ``record``.

    ``columns`` keeps a field at some nodes only (``{"output": [0, 4]}``: node indices of ``g``), so
    that a large batch holds only what its figures need. Drill ``b``'s states equal ``run_compiled``
    on drill ``b`` alone, on the graph with its parameters set, exactly.
    """
    names = _check_record(record)
    columns = {
        name: np.asarray(cols, dtype=np.int64) for name, cols in (columns or {}).items() if name in names
    }
    plans = [compile_shocks(g, drill.shocks) for drill in drills]
    params = _drill_params(g, drills)
    fields = [name for name in names if name != "failures"]
    width = {name: columns[name].size if name in columns else g.n for name in fields}
    dtypes = {"down": np.int64, "status": np.int8}
    shape = {name: (len(drills), steps, width[name]) for name in fields}
    out = {} if drills else {name: np.empty(shape[name], dtype=dtypes.get(name, float)) for name in fields}
    starts, failed_ever = [], np.zeros((len(drills), g.n), dtype=bool)
    down_steps = np.zeros((len(drills), g.n), dtype=np.int64)
    chunk = max(1, CHUNK_CELLS // max(g.n, g.m, 1))
    for lo in range(0, len(drills), chunk):
        hi = min(lo + chunk, len(drills))
        rec = simulate_arrays(
            g,
            plans[lo:hi],
            steps,
            params={name: array[:, lo:hi] for name, array in params.items()},
            record=names,
            columns=columns,
        )
        if "failures" in names:
            rows = rec.pop("down_starts")
            rows[:, 0] += lo
            starts.append(rows)
            failed_ever[lo:hi] = rec.pop("failed_ever").T
            down_steps[lo:hi] = rec.pop("down_steps").T
        for name, values in rec.items():
            if not values.flags.writeable:  # a constant (an AI-only field without AI services)
                # kept at no column at all (a graph without AI services), it has no value to repeat
                fill = values.flat[0] if values.size else np.zeros((), values.dtype)
                out[name] = np.broadcast_to(fill, shape[name])
                continue
            if hi - lo == len(drills):  # one chunk: its arrays are the batch's, drill by drill already
                out[name] = values
                continue
            if name not in out:
                out[name] = np.empty(shape[name], dtype=values.dtype)
            out[name][lo:hi] = values
    failures = {}
    if "failures" in names:
        rows = np.concatenate(starts) if starts else np.zeros((0, 3), np.int64)
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        failures = {"down_starts": rows, "failed_ever": failed_ever, "down_steps": down_steps}
    return BatchTrajectory(
        nodes=list(g.nodes), size=len(drills), steps=steps, fields=out, columns=columns, **failures
    )
