"""Why a node went down, as data: its own shock, throttling, every input's share, or its load.

One reader for every place that says why something failed (the event log, the review pack, the app's
node detail); :mod:`augur.text` words what it finds.

>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> from augur.drill import simulate
>>> G = build_graph([("n", {"id": "siltron", "kind": "vendor"}), ("n", {"id": "vexa", "kind": "vendor"}),
...                  ("n", {"id": "fab", "kind": "process", "min_supply": 0.9})],
...                 [("e", {"source": "siltron", "target": "fab", "weight": 3}),
...                  ("e", {"source": "vexa", "target": "fab", "weight": 1})])
>>> s = parse_scenario({"name": "s", "steps": 8, "shocks": [
...     {"kind": "vendor_failure", "target": "siltron", "start": 2}]}, graph=G)
>>> cause = failure_cause(simulate(G, s), "fab", 3)
>>> cause.reason, cause.supply, [(i.supplier, i.delivered, i.weight) for i in cause.groups[0].inputs]
('supply', 0.25, [('siltron', 0.0, 3.0), ('vexa', 1.0, 1.0)])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from augur.engine import Status
from augur.graph import edge_param, input_groups, node_param
from augur.metrics import CANNOT_FAIL_TARGET, RECOVERED_LEVEL, own_shock_fails

if TYPE_CHECKING:  # results are read duck-typed: analysis sits below augur.drill
    from augur.drill import DrillResult

__all__ = ["Cause", "InputShare", "SupplyGroup", "failure_cause", "own_shock", "stock_drawn", "supply_groups"]


@dataclass(frozen=True)
class InputShare:
    """One supplier of a node: the fraction of its normal output it sent, and its edge's weight."""

    supplier: Any
    delivered: float
    weight: float


@dataclass(frozen=True)
class SupplyGroup:
    """The suppliers of one input of a node (one supply group, ``name`` its edges' ``group``, empty for
    the ungrouped), weakest first. The group delivers their weighted mean; a node gets the least of
    its groups."""

    inputs: tuple[InputShare, ...]
    name: str = ""

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.inputs)

    @property
    def level(self) -> float:
        return sum(i.delivered * i.weight for i in self.inputs) / self.total_weight


@dataclass(frozen=True)
class Cause:
    """Why ``node`` went down at step ``t``, and the facts around it.

    ``reason`` is the first that applies: ``shock`` (a shock acting on the node itself, ``shock``
    names its kind), ``throttled`` (an AI service that wanted ``throttle_ratio`` times its token
    limit), ``supply`` (an input fell: ``groups`` holds every input's share, lowest group first),
    ``overload`` (``load`` above ``capacity``) or ``short`` (none of these: its supply fell short).
    ``supply`` is what reached the node that step, ``stock`` what was left of its ``buffer``, and
    ``drawn`` the stock it had when the draw that ended in this failure began (:func:`stock_drawn`):
    its whole buffer the first time, what a part refill put back when it failed again.
    """

    node: Any
    t: int
    reason: str
    supply: float
    min_supply: float
    groups: tuple[SupplyGroup, ...] = ()
    shock: str | None = None
    throttle_ratio: float = 0.0
    load: float = 1.0
    capacity: float = 1.0
    buffer: float = 0.0
    stock: float = 0.0
    drawn: float = 0.0

    @property
    def weakest(self) -> Any:
        """The supplier that sent least in the lowest group, where it sent less than full."""
        if not self.groups:
            return None
        share = self.groups[0].inputs[0]
        return share.supplier if share.delivered < RECOVERED_LEVEL else None

    @property
    def overloaded(self) -> bool:
        return self.load > self.capacity


def own_shock(result: DrillResult, node: Any, t: int) -> str | None:
    """The kind of the first shock acting on ``node`` itself at ``t`` that can take it down (the head
    of a bottlenecked edge counts; a data-quality drop never lowers its target's own output), where
    the shocks on it could take it down by themselves (:func:`augur.metrics.own_shock_fails`): a 1%
    demand spike on a node whose supply ran out is not why it failed."""
    if not own_shock_fails(result.graph, result.scenario.shocks, node, t):
        return None
    for shock in result.scenario.shocks:
        if shock.kind in CANNOT_FAIL_TARGET or not shock.active(t):
            continue
        if any((x[1] if isinstance(x, tuple) else x) == node for x in shock.target):
            return shock.kind
    return None


def _columns(result: DrillResult) -> dict:
    """``{node: column}`` of the result's record: the result's own map, built once a drill, where it
    has one (a map built for each of a cascade's 10,000 failures took seconds)."""
    index = getattr(result, "node_index", None)
    return index if index is not None else {v: i for i, v in enumerate(result.trajectory.nodes)}


def supply_groups(result: DrillResult, node: Any, t: int) -> tuple[SupplyGroup, ...]:
    """Every input of ``node`` at ``t``, by supply group: what each supplier sent (its output the
    step the goods left it, so a lead time looks further back), lowest group first and the weakest
    supplier first within a group."""
    G, traj = result.graph, result.trajectory
    index = _columns(result)

    def share(u: Any) -> InputShare:
        left = max(t - 1 - int(edge_param(G, u, node, "lead_time")), 0)
        return InputShare(u, float(traj.output[left, index[u]]), float(edge_param(G, u, node, "weight")))

    groups = [
        SupplyGroup(tuple(sorted(map(share, suppliers), key=lambda s: (s.delivered, str(s.supplier)))), name)
        for name, suppliers in input_groups(G, node).items()
    ]
    return tuple(sorted(groups, key=lambda g: g.level))


def stock_drawn(stock: np.ndarray, status: np.ndarray, buffer: float, t: int) -> float:
    """The stock a node had when the draw that ended in its failure at ``t`` began: walking back from
    ``t`` while the stock only fell or stood, and no further back than the last step it was down
    (what it drew then was another failure's). A walk that reaches the drill's start finds the full
    ``buffer`` it began with.

    >>> down, up = Status.FAILED, Status.OK
    >>> stock_drawn(np.array([10, 10, 6, 2, 0, 0]), np.array([up] * 5 + [down]), 10, 5)
    10.0
    >>> stock_drawn(np.array([4, 0, 0, 0.5, 0, 0]), np.array([up, up, down, up, up, down]), 10, 5)
    0.5
    >>> stock_drawn(np.array([4, 0, 0, 0, 0, 0]), np.array([up, up, down, up, up, down]), 10, 5)
    0.0
    """
    before = np.flatnonzero(np.isin(status[:t], (Status.FAILED, Status.RECOVERING)))
    floor = int(before[-1]) + 1 if before.size else 0
    s = t
    while s > floor and stock[s - 1] >= stock[s] - 1e-12:
        s -= 1
    return float(buffer) if s == 0 else float(stock[s])


def failure_cause(result: DrillResult, node: Any, t: int) -> Cause:
    """Why ``node`` went down at ``t``, read from the drill's record (see :class:`Cause`)."""
    G, traj = result.graph, result.trajectory
    col = _columns(result)[node]
    groups = supply_groups(result, node, t)
    facts = {
        "supply": float(traj.supply[t, col]),
        "min_supply": float(node_param(G, node, "min_supply")),
        "groups": groups,
        "throttle_ratio": float(traj.throttle_ratio[t, col]),
        "load": float(traj.load[t, col]),
        "capacity": float(node_param(G, node, "capacity")),
        "buffer": float(node_param(G, node, "buffer")),
        "stock": float(traj.stock[t, col]),
        "drawn": stock_drawn(traj.stock[:, col], traj.status[:, col], node_param(G, node, "buffer"), t),
    }
    shock = own_shock(result, node, t)
    if shock is not None:
        reason = "shock"
    elif facts["throttle_ratio"] > 0:
        reason = "throttled"
    elif groups and groups[0].inputs[0].delivered < RECOVERED_LEVEL:
        reason = "supply"
    elif facts["load"] > facts["capacity"]:
        reason = "overload"
    else:
        reason = "short"
    return Cause(node, t, reason, shock=shock, **facts)
