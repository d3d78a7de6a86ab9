"""Which single failure hurts most, and which two together: the drills of a sweep and their ranking.

Everything here is plain data in and out: the drills a sweep runs (:func:`single_drills`,
:func:`pair_drills`) and the rows made from their metrics (:func:`criticality_rows`,
:func:`pair_rows`). Running the drills is :func:`augur.sweep.run_drills`'s job, so the same ranking
comes out whether they ran in this process or on a Dask cluster. The rules are in
docs/model.md ("Weak points").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from augur.engine.batch import Drill
from augur.engine.budget import STUDY_BUDGET_CELLS
from augur.errors import ScenarioError
from augur.graph import KINDS, closest_name, edge_param, input_groups, node_param
from augur.scenario import VERDICT_RANK, Scenario, Shock

__all__ = [
    "CRITICALITY_KEYS",
    "PAIR_BUDGET_CELLS",
    "PAIR_KEYS",
    "Criticality",
    "PairSweep",
    "check_top",
    "chosen_targets",
    "criticality_rows",
    "outage_for",
    "outage_window",
    "pair_candidates",
    "pair_drills",
    "pair_rows",
    "single_drills",
    "single_failures",
    "substitute_pairs",
    "worse_together",
]

CRITICALITY_KEYS = (
    "target",
    "kind",
    "verdict",
    "resilience_loss",
    "exposure_index",
    "blast_radius",
    "secondary_failures",
    "service_level_min",
    "time_to_survive",
    "time_to_recover",
    "time_down",
    "single_point_of_failure",
)
PAIR_KEYS = (
    "targets",
    "verdict",
    "resilience_loss",
    "interaction",
    "worse_together",
    "verdicts_alone",
    "secondary_failures",
    "secondary_alone",
    "candidates",
)

# "All pairs of the chosen kinds" is tried when its drills cost at most this many node-steps of engine
# work (pairs x nodes x steps): on a 100-step horizon, every pair of a graph of about 200 nodes. Beyond
# it the pairs grow as the square of the graph while what they tell stays in the other two sets. The
# one budget of a study's engine work, a tipping grid's too.
PAIR_BUDGET_CELLS = STUDY_BUDGET_CELLS

# interactions are differences of sums of floats: below this they are additivity, not interaction
INTERACTION_DIGITS = 9


def outage_window(scenario: Scenario, start: int | None = None) -> tuple[int, int]:
    """The start and duration a criticality sweep fails each node for.

    The scenario's first shock's window, so a sweep asks "what if this outage had hit elsewhere".
    Without a shock: from a tenth of the horizon in (at least step 1), for a quarter of it. With a
    first shock that never ends: for a quarter of the horizon. A ``start`` given (``--start``) moves
    the outage there. Never past the horizon: the duration is cut to the steps from its start.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"})], [])
    >>> outage_window(parse_scenario({"name": "s", "steps": 40}, graph=G))
    (4, 10)
    >>> endless = {"kind": "vendor_failure", "target": "a", "start": 35}
    >>> outage_window(parse_scenario({"name": "s", "steps": 40, "shocks": [endless]}, graph=G))
    (35, 5)
    >>> outage_window(parse_scenario({"name": "s", "steps": 40, "shocks": [endless]}, graph=G), start=2)
    (2, 10)
    """
    first = min(scenario.shocks, key=lambda s: s.start, default=None)
    if start is None:
        start = first.start if first is not None else max(1, scenario.steps // 10)
    left = max(1, scenario.steps - start)
    if first is not None and first.duration is not None:
        return start, min(first.duration, left)
    return start, min(max(1, scenario.steps // 4), left)


def outage_for(
    G: nx.DiGraph,
    scenario: Scenario,
    targets: Iterable,
    *,
    start: int | None = None,
    duration: int | None = None,
    severity: float = 1.0,
) -> dict:
    """The outage each target suffers: ``start``, ``duration``, ``severity`` and ``ttr``, the targets
    whose own ``ttr`` attribute replaced the default duration (``{node: steps}``).

    An explicit ``duration`` applies to every target (the question "what if each were down that
    long"); without one, a node's ``ttr`` (its supplier's stated time to recover) is its outage.
    Either way the outage ends at the horizon at the latest: ``duration`` is cut to the steps left
    from ``start`` (the drill runs no further).
    """
    start = outage_window(scenario)[0] if start is None else start
    if not 1 <= start < scenario.steps:
        raise ScenarioError(
            f"expected a sweep's start from 1 to {scenario.steps - 1}, got {start}", source=scenario.source
        )
    if duration is not None and duration < 1:
        raise ScenarioError(f"expected a sweep's duration >= 1, got {duration}", source=scenario.source)
    if not 0 < severity <= 1:
        raise ScenarioError(f"expected a sweep's severity in (0, 1], got {severity}", source=scenario.source)
    ttr = {}
    if duration is None:
        ttr = {v: G.nodes[v]["ttr"] for v in targets if G.nodes[v].get("ttr") is not None}
        duration = outage_window(scenario, start)[1]
    return {
        "start": start,
        "duration": min(duration, scenario.steps - start),
        "severity": severity,
        "ttr": ttr,
    }


def chosen_targets(
    G: nx.DiGraph, *, kinds: Iterable[str] | None = None, targets: Iterable | None = None
) -> list:
    """The nodes a sweep fails: ``targets`` (in their order) or every node, kept to ``kinds``.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "p", "kind": "process"})], [])
    >>> chosen_targets(G, kinds=["vendor"])
    ['a']
    """
    if kinds is not None:
        kinds = list(kinds)
        if not kinds:
            raise ScenarioError(
                f"expected at least one kind to sweep, some of {', '.join(KINDS)}", place="--kinds"
            )
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            close = closest_name(unknown[0], KINDS)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise ScenarioError(
                f"unknown kind {unknown[0]!r} to sweep{hint}; expected some of {', '.join(KINDS)}",
                place="--kinds",
            )
    if targets is None:
        nodes = list(G.nodes)
    else:
        nodes = list(dict.fromkeys(targets))
        missing = [v for v in nodes if v not in G]
        if missing:
            raise ScenarioError(f"unknown node {missing[0]!r} to sweep; it is not in the graph")
    if kinds is not None:
        nodes = [v for v in nodes if G.nodes[v]["kind"] in kinds]
    return nodes


def _outage_shock(targets: tuple, outage: dict) -> tuple[Shock, ...]:
    """The shocks that fail ``targets`` together: one per distinct outage duration."""
    by_duration: dict[int, list] = {}
    for v in targets:
        by_duration.setdefault(outage["ttr"].get(v, outage["duration"]), []).append(v)
    return tuple(
        Shock("vendor_failure", tuple(nodes), outage["start"], length, {"severity": outage["severity"]})
        for length, nodes in by_duration.items()
    )


def single_drills(targets: Sequence, outage: dict) -> list[Drill]:
    """One drill per target: it alone fails for its outage."""
    return [Drill(shocks=_outage_shock((v,), outage)) for v in targets]


def single_failures(
    G: nx.DiGraph,
    scenario: Scenario,
    run: Callable[[list[Drill]], list[dict]],
    *,
    kinds: Iterable[str] | None = None,
    targets: Iterable | None = None,
    start: int | None = None,
    duration: int | None = None,
    severity: float = 1.0,
) -> Criticality:
    """Fail each chosen node alone for its outage (:func:`outage_for`) and rank them: the sweep
    ``augur sweep`` and the pack's weak points share. ``run`` gives the metrics of a list of drills
    (``augur.sweep.run_drills`` bound to the graph, or :func:`augur.metrics.measure_batch`)."""
    nodes = chosen_targets(G, kinds=kinds, targets=targets)
    if not nodes:
        _nothing_to_sweep(G, kinds, targets)
    outage = outage_for(G, scenario, nodes, start=start, duration=duration, severity=severity)
    metrics = run(single_drills(nodes, outage))
    return Criticality(rows=criticality_rows(G, scenario, nodes, metrics), outage=outage)


def _nothing_to_sweep(G: nx.DiGraph, kinds: Iterable[str] | None, targets: Iterable | None) -> None:
    """No node chosen is bad input, not a sweep of nothing: no targets, or none of the kinds asked,
    refused with the kinds the graph (or the targets) do have."""
    if targets is not None and not list(targets):
        raise ScenarioError("expected at least one node to sweep, got none", place="targets")
    pool = list(G.nodes) if targets is None else list(targets)
    have = [k for k in KINDS if any(G.nodes[v]["kind"] == k for v in pool)]
    asked = " or ".join(dict.fromkeys(kinds or ()))
    whose, theirs = ("the graph has", "it has") if targets is None else ("the targets have", "they are")
    raise ScenarioError(
        f"{whose} no {asked} node to sweep; expected some of {', '.join(have)}, the kinds {theirs}",
        place="--kinds",
    )


def pair_drills(pairs: Sequence[tuple], outage: dict) -> list[Drill]:
    """One drill per pair: both fail at once, each for its own outage."""
    return [Drill(shocks=_outage_shock(pair, outage)) for pair in pairs]


def criticality_rows(
    G: nx.DiGraph, scenario: Scenario, targets: Sequence, metrics: Sequence[dict]
) -> list[dict]:
    """One row per target from its drill's metrics (docs/model.md, "Weak points"), worst first."""
    largest = max((m["resilience_loss"] for m in metrics), default=0.0)
    rows = []
    for target, m in zip(targets, metrics):
        loss = m["resilience_loss"]
        rows.append(
            {
                "target": target,
                "kind": G.nodes[target]["kind"],
                "verdict": m["verdict"],
                "resilience_loss": loss,
                "exposure_index": loss / largest if largest > 0 else 0.0,
                "blast_radius": m["failed_nodes"] / G.number_of_nodes(),
                "secondary_failures": len(m["secondary_failures"]),
                "service_level_min": m["service_level_min"],
                "time_to_survive": m["time_to_survive"],
                "time_to_recover": m["time_to_recover"],
                # what the engine says: steps the target was failed or recovering (rule 8), not the outage
                "time_down": m["primary_down"].get(target, 0),
                "single_point_of_failure": m["service_level_min"] < scenario.slo,
            }
        )
    rows.sort(key=lambda r: (-r["resilience_loss"], -r["secondary_failures"], str(r["target"])))
    return rows


def _band(covered: float, fail_below: float) -> int:
    """0 when the node's ``covered`` supply is whole, 1 when it leaves the node degraded, 2 when failed."""
    return 0 if covered >= 1 else 1 if covered >= fail_below else 2


def _down(G: nx.DiGraph, u, v, outage: Mapping, steps: int) -> tuple[int, int, float]:
    """The steps ``[begin, end)`` at which ``u``'s outage reaches ``v`` and the share of its delivery
    that still lands then: its output under the outage's severity, or nothing for the outage and its
    ``recovery`` where that output is below its ``fail_below`` (docs/model.md, rules 5 and 8)."""
    length = outage["ttr"].get(u, outage["duration"])
    left = min(1.0, node_param(G, u, "capacity") * (1 - outage["severity"]))
    if left < node_param(G, u, "fail_below"):
        left, length = 0.0, length + node_param(G, u, "recovery")
    begin = outage["start"] + 1 + edge_param(G, u, v, "lead_time")
    return begin, min(begin + length, steps), left


def _worst_covered(v, G: nx.DiGraph, lost: Sequence[tuple[int, int, float, float]], total: float) -> float:
    """The least supply ``v`` covers at any step (its headroom, then its stock: rules 3 and 4) while
    the suppliers ``lost`` (``(begin, end, share that lands, weight)`` each) are down and the rest of
    their group, of weight ``total`` in all, delivers in full."""
    need, stock = node_param(G, v, "min_supply"), node_param(G, v, "buffer")
    full, restock = stock, node_param(G, v, "restock")
    cuts = sorted({t for begin, end, _, _ in lost for t in (begin, end) if begin < end})
    worst = 1.0
    for begin, end in itertools.pairwise(cuts):
        short = sum(w * (1 - left) for b, e, left, w in lost if b <= begin and end <= e)
        supply = 1 - short / total
        headroom = 1.0 if supply >= need else supply / need
        gap, steps = 1 - headroom, end - begin
        if gap <= 0:
            stock = min(full, stock + restock * steps)
        elif stock >= gap * steps:
            stock -= gap * steps
        else:
            whole = int(stock // gap)
            worst = min(worst, headroom + (stock - whole * gap) if whole + 1 == steps else headroom)
            stock = 0.0
    return worst


def substitute_pairs(
    G: nx.DiGraph, chosen: Iterable, *, outage: Mapping | None = None, steps: int = 0
) -> list[tuple]:
    """Every pair of substitutes among ``chosen``: two inputs in one group of one node.

    Each pair once, its two ids in graph order, pairs in the order their node and group come. Given
    the sweep's ``outage`` (:func:`outage_for`) over ``steps``, only the pairs whose loss together
    leaves their node in a worse band than either loss alone (whole, degraded, failed: the least
    supply it covers at any step, from its group's weights, its headroom and its stock over each
    outage as it reaches the node), the two second sources that cover for each other.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": i, "kind": k}) for i, k in
    ...                  [("a", "vendor"), ("b", "vendor"), ("c", "vendor"), ("p", "process")]],
    ...                 [("e", {"source": "a", "target": "p", "group": "chips"}),
    ...                  ("e", {"source": "b", "target": "p", "group": "chips"}),
    ...                  ("e", {"source": "c", "target": "p", "group": "boxes"})])
    >>> substitute_pairs(G, G.nodes)
    [('a', 'b')]
    """
    allowed = set(chosen)
    order = {v: i for i, v in enumerate(G.nodes)}
    seen: dict[tuple, None] = {}
    for v in G.nodes:
        fail = node_param(G, v, "fail_below")
        for suppliers in input_groups(G, v).values():
            total = sum(edge_param(G, u, v, "weight") for u in suppliers)
            suppliers = sorted((u for u in suppliers if u in allowed), key=order.__getitem__)
            if outage is not None:
                lost = {u: (*_down(G, u, v, outage, steps), edge_param(G, u, v, "weight")) for u in suppliers}
                band = {u: _band(_worst_covered(v, G, [lost[u]], total), fail) for u in suppliers}
            for a, b in itertools.combinations(suppliers, 2):
                if outage is not None:
                    together = _band(_worst_covered(v, G, [lost[a], lost[b]], total), fail)
                    if together <= max(band[a], band[b]):
                        continue
                seen.setdefault((a, b), None)
    return list(seen)


def check_top(top: int) -> None:
    """How many worst singles to pair: 1 or more, as ``--top`` takes (else a :class:`ScenarioError`)."""
    if top < 1:
        raise ScenarioError(f"expected 1 or more worst singles to pair, got {top}", place="--top")


def pair_candidates(
    G: nx.DiGraph,
    scenario: Scenario,
    ranked: Sequence,
    *,
    top: int = 10,
    budget: float = PAIR_BUDGET_CELLS,
    outage: Mapping | None = None,
) -> tuple[dict[tuple, list[str]], list[dict]]:
    """The pairs worth failing together, and what was tried.

    ``ranked`` are the chosen targets, worst single failure first. Returns ``{pair: [sets]}`` (the
    candidate sets that proposed each pair: ``substitutes``, ``top``, ``all``) and one entry per set:
    ``{"set", "pairs", "tried", "considered", "cost", "budget"}``: the pairs it proposed, whether they
    ran, how many it weighed (substitute pairs before the cut, the worst singles, all pairs) and the
    node-steps those would cost against the budget (``augur.text.studies.pair_set_text`` words it).
    Every substitute pair is tried when their drills cost at most ``budget`` node-steps (pairs x nodes
    x steps, :data:`PAIR_BUDGET_CELLS`), else those that cross a band together under the sweep's
    ``outage`` (:func:`substitute_pairs`; :func:`outage_for` the targets by default); all pairs of the chosen
    nodes are tried when they cost at most ``budget``. A ``top`` below 1 is refused, as ``--top`` is.
    """
    check_top(top)
    order = {v: i for i, v in enumerate(G.nodes)}

    def key(a, b) -> tuple:
        return (a, b) if order[a] <= order[b] else (b, a)

    candidates: dict[tuple, list[str]] = {}

    def add(pairs, name: str) -> int:
        count = 0
        for a, b in pairs:
            sets = candidates.setdefault(key(a, b), [])
            if name not in sets:
                sets.append(name)
            count += 1
        return count

    cells = G.number_of_nodes() * scenario.steps
    every = substitute_pairs(G, ranked)
    considered, cost = len(every), len(every) * cells
    if cost > budget:
        outage = outage_for(G, scenario, ranked) if outage is None else outage
        every = substitute_pairs(G, ranked, outage=outage, steps=scenario.steps)
    n_subs = add(every, "substitutes")
    best = list(ranked[:top])
    n_top = add(itertools.combinations(best, 2), "top")
    n_all = len(ranked) * (len(ranked) - 1) // 2
    affordable = n_all * cells <= budget
    if affordable:
        add(itertools.combinations(ranked, 2), "all")
    sets = [
        {"set": "substitutes", "pairs": n_subs, "tried": True, "considered": considered, "cost": cost},
        {"set": "top", "pairs": n_top, "tried": True, "considered": len(best), "cost": n_top * cells},
        {"set": "all", "pairs": n_all, "tried": affordable, "considered": n_all, "cost": n_all * cells},
    ]
    for entry in sets:
        entry["budget"] = budget
    return candidates, sets


def worse_together(pair: Mapping, alone: Sequence[Mapping]) -> bool:
    """Whether a pair did what neither of its two failures did alone: a worse verdict than both, or
    more secondary failures than the two alone had between them (so at least one that neither had).
    ``pair`` and each of ``alone`` hold a ``verdict`` and a count of ``secondary_failures``.

    >>> worse_together({"verdict": "cascade", "secondary_failures": 3},
    ...                [{"verdict": "graceful", "secondary_failures": 0}] * 2)
    True
    >>> one = {"verdict": "cascade", "secondary_failures": 2}
    >>> worse_together(one, [one, {"verdict": "graceful", "secondary_failures": 0}])
    False
    """
    worse = VERDICT_RANK[pair["verdict"]] > max(VERDICT_RANK[a["verdict"]] for a in alone)
    return worse or pair["secondary_failures"] > sum(a["secondary_failures"] for a in alone)


def pair_rows(candidates: dict[tuple, list[str]], metrics: Sequence[dict], singles: Mapping) -> list[dict]:
    """One row per pair: ``interaction = loss(pair) - loss(a) - loss(b)``, and ``worse_together``
    (:func:`worse_together`) against ``singles``, each target's row alone (its ``resilience_loss``,
    ``verdict`` and ``secondary_failures``). Worse together first, then by interaction, then loss:
    two second sources that are graceful alone and a cascade together lose little when losses are
    small, and are still the hidden single point of failure a review board looks for first."""
    rows = []
    for (a, b), m in zip(candidates, metrics):
        loss, alone = m["resilience_loss"], (singles[a], singles[b])
        pair = {"verdict": m["verdict"], "secondary_failures": len(m["secondary_failures"])}
        rows.append(
            {
                "targets": [a, b],
                "verdict": m["verdict"],
                "resilience_loss": loss,
                "interaction": round(loss - alone[0]["resilience_loss"] - alone[1]["resilience_loss"],
                                     INTERACTION_DIGITS) + 0.0,
                "worse_together": worse_together(pair, alone),
                "verdicts_alone": [x["verdict"] for x in alone],
                "secondary_failures": pair["secondary_failures"],
                "secondary_alone": sum(x["secondary_failures"] for x in alone),
                "candidates": list(candidates[a, b]),
            }
        )  # fmt: skip
    rows.sort(
        key=lambda r: (
            not r["worse_together"], -r["interaction"], -r["resilience_loss"], str(r["targets"][0]),
            str(r["targets"][1]),
        )
    )  # fmt: skip
    return rows


class _Rows:
    """Rows of a sweep, readable as a sequence of dicts (``for row in result``, ``result[0]``)."""

    rows: list[dict]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def to_frame(self):
        """The rows as a :class:`pandas.DataFrame`, one column per key."""
        import pandas as pd  # frames on request: importing augur must not load pandas

        return pd.DataFrame(self.rows, columns=list(self.keys))


@dataclass(frozen=True)
class Criticality(_Rows):
    """Each chosen node failed alone, worst first: ``rows`` (dicts with :data:`CRITICALITY_KEYS`)
    and the ``outage`` each suffered (:func:`outage_for`)."""

    rows: list[dict]
    outage: dict
    keys = CRITICALITY_KEYS


@dataclass(frozen=True)
class PairSweep(_Rows):
    """Pairs failed together, those worse together than either alone first, then the strongest
    interaction: ``rows`` (dicts with
    :data:`PAIR_KEYS`), the candidate ``sets`` tried, the ``outage``, and the ``singles`` sweep the
    interactions are measured against."""

    rows: list[dict]
    sets: list[dict]
    outage: dict
    singles: Criticality = field(repr=False)
    keys = PAIR_KEYS
