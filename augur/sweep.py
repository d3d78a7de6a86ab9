"""Find the weak points: which single failure hurts most, which two together, how often random
shocks cascade.

Every sweep is a list of drills on one graph. :func:`run_drills` compiles the graph once and runs the
drills through the batched engine in chunks of about a second of work each: in this process, or spread
over a Dask cluster (``scheduler="local:4"`` for one on this machine, ``"tcp://host:8786"`` for an
existing one). A drill's result does not depend on the chunk it ran in, so the numbers are the same
wherever the drills ran. What the drills are and how their results are ranked is
:mod:`augur.analysis.criticality`.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np

from augur.analysis.criticality import (
    PAIR_BUDGET_CELLS,
    Criticality,
    PairSweep,
    chosen_targets,
    criticality_rows,
    outage_for,
    outage_window,
    pair_candidates,
    pair_drills,
    pair_rows,
    single_drills,
)
from augur.engine import compile_graph, compile_shocks, run_compiled
from augur.engine.batch import Drill, run_batch
from augur.errors import AugurError
from augur.metrics import METRIC_FIELDS, batch_metrics, drill_metrics
from augur.scenario import Scenario, Shock
from augur.text import shock_technical

__all__ = [
    "Criticality",
    "MonteCarloResult",
    "PairSweep",
    "criticality",
    "monte_carlo",
    "outage_window",
    "pairs",
    "run_drills",
]

SCHEDULER_FORMS = "local:N (processes), local:N:threads, or tcp://HOST:PORT (an existing Dask cluster)"

# Node-steps (nodes x steps of one drill) the engine gets through per second, assumed for the first
# chunk only: every later chunk is sized from the rate the chunks before it measured.
FIRST_GUESS_RATE = 2e7
# Node-steps one chunk holds at most, whatever the rate: a chunk's recorded fields stay a few hundred
# megabytes on any graph.
CHUNK_CELLS_MAX = 1e7


def _chunk_size(rate: float, cells: int, seconds: float, left: int) -> int:
    """How many drills of ``cells`` node-steps make ``seconds`` of work at ``rate``, within bounds."""
    most = max(1, int(CHUNK_CELLS_MAX // cells))
    return max(1, min(left, most, math.ceil(seconds * rate / cells)))


def _evaluate_chunk(payload: tuple, drills: Sequence[Drill], series: bool) -> tuple[list[dict], float]:
    """Run one chunk of drills on the compiled graph; return their metrics and the seconds it took."""
    compiled, G, scenario = payload
    began = time.perf_counter()
    batch = run_batch(compiled, drills, scenario.steps, record=METRIC_FIELDS)
    metrics = batch_metrics(batch, G, scenario, drills, series=series)
    return metrics, time.perf_counter() - began


def _parse_scheduler(scheduler: str) -> tuple[str, int, bool] | tuple[str, str]:
    """``"local:4"`` -> ``("local", 4, True)``, ``"local:2:threads"`` -> ``("local", 2, False)``,
    ``"tcp://h:8786"`` -> ``("address", "tcp://h:8786")``.

    >>> _parse_scheduler("local:2:threads")
    ('local', 2, False)
    """
    text = str(scheduler).strip()
    parts = text.split(":")
    local = parts[0] == "local" and len(parts) in (2, 3) and parts[1].isdigit() and int(parts[1]) >= 1
    if local and (len(parts) == 2 or parts[2] in ("processes", "threads")):
        return ("local", int(parts[1]), len(parts) == 2 or parts[2] == "processes")
    if "://" in text and text.split("://", 1)[1]:
        return ("address", text)
    raise AugurError(f"unknown scheduler {text!r}; expected {SCHEDULER_FORMS}", place="--scheduler")


@contextlib.contextmanager
def _dask_client(scheduler):
    """A ``distributed.Client`` for ``scheduler``: a cluster started here is closed on the way out."""
    if not isinstance(scheduler, str):  # a Client the caller made and keeps
        yield scheduler
        return
    form = _parse_scheduler(scheduler)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise AugurError(
            f"--scheduler {scheduler} runs the drills on Dask, which is not installed; "
            "expected it installed with: pip install 'augur[dask]'",
            place="--scheduler",
        ) from None
    if form[0] == "address":
        try:
            client = Client(form[1], timeout=10)
        except (OSError, TimeoutError) as err:
            raise AugurError(
                f"no Dask scheduler answered at {form[1]} ({err}); expected a running cluster's address",
                place="--scheduler",
            ) from err
        with client:
            yield client
        return
    _, workers, processes = form
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=40,  # logging.ERROR: a sweep's output is its table, not the cluster's log
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_drills(
    G: nx.DiGraph,
    scenario: Scenario,
    drills: Sequence[Drill],
    *,
    scheduler=None,
    progress: Callable[[int, int], None] | None = None,
    chunk_seconds: float = 1.0,
    series: bool = False,
) -> list[dict]:
    """Run every drill on ``G`` with ``scenario``'s horizon and SLO; return their metrics, in order.

    Drill ``b`` replaces the scenario's shocks with its own (and changes the node parameters it
    names); its dict is what :func:`augur.metrics.batch_metrics` gives for it (with ``series=True``
    also its per-step ``service_level``), equal to a single ``simulate`` of the same shocks. The graph
    is compiled once; the drills run in chunks of about ``chunk_seconds`` of work each, sized from
    nodes x steps and the rate the chunks before measured.

    ``scheduler``: ``None`` runs here; ``"local:N"`` on a Dask LocalCluster of N worker processes
    (``"local:N:threads"``: threads); ``"tcp://HOST:PORT"`` on an existing Dask cluster; or a
    ``distributed.Client``. ``progress(done, total)`` is called after each finished chunk.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "shop"})])
    >>> s = parse_scenario({"name": "s", "steps": 10}, graph=G)
    >>> down = Drill(shocks=(Shock("vendor_failure", ("a",), 2, 3, {"severity": 1.0}),))
    >>> [m["resilience_loss"] for m in run_drills(G, s, [Drill(), down])]
    [0.0, 3.0]
    """
    drills = list(drills)
    total = len(drills)
    if total == 0:
        return []
    cells = max(1, G.number_of_nodes() * scenario.steps)
    payload = (compile_graph(G), G, replace(scenario, graph=None))
    results: list[list[dict] | None] = []
    if scheduler is None:
        rate, done = FIRST_GUESS_RATE, 0
        while done < total:
            size = _chunk_size(rate, cells, chunk_seconds, total - done)
            metrics, seconds = _evaluate_chunk(payload, drills[done : done + size], series)
            rate = size * cells / max(seconds, 1e-6)
            results.append(metrics)
            done += size
            if progress is not None:
                progress(done, total)
        return [m for part in results for m in part]
    with _dask_client(scheduler) as client:
        return _run_on_dask(client, payload, drills, cells, chunk_seconds, series, progress)


def _run_on_dask(client, payload, drills, cells, chunk_seconds, series, progress) -> list[dict]:
    """Keep two chunks per worker in flight, each sized from the rate the finished ones measured."""
    from distributed import as_completed

    total = len(drills)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    [shared] = client.scatter([payload], broadcast=True)
    parts: dict[int, list[dict]] = {}
    rate, submitted, done = FIRST_GUESS_RATE, 0, 0
    offsets: dict = {}

    def submit() -> object:
        nonlocal submitted
        size = _chunk_size(rate, cells, chunk_seconds, total - submitted)
        future = client.submit(
            _evaluate_chunk, shared, drills[submitted : submitted + size], series, pure=False
        )
        offsets[future.key] = (submitted, size)
        submitted += size
        return future

    pending = as_completed([submit() for _ in range(2 * workers) if submitted < total])
    for future in pending:
        metrics, seconds = future.result()
        offset, size = offsets.pop(future.key)
        parts[offset] = metrics
        rate = size * cells / max(seconds, 1e-6)
        done += size
        if progress is not None:
            progress(done, total)
        if submitted < total:
            pending.add(submit())
    return [m for offset in sorted(parts) for m in parts[offset]]


def criticality(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    kinds: Iterable[str] | None = None,
    targets: Iterable | None = None,
    start: int | None = None,
    duration: int | None = None,
    severity: float = 1.0,
    scheduler=None,
    progress: Callable[[int, int], None] | None = None,
) -> Criticality:
    """Fail each node alone, with the scenario's horizon and SLO, and rank them by the damage done.

    Returns a :class:`Criticality`: one row per target (a dict of
    :data:`~augur.analysis.criticality.CRITICALITY_KEYS`), worst first by resilience loss, then
    secondary failures, then id; it reads as the sequence of its rows. By default each node suffers
    the drilled outage, moved (:func:`outage_window`): the scenario's first shock's start and
    duration, or the node's own ``ttr`` for the duration where it has one. ``kinds`` or ``targets``
    choose the nodes; the scenario's own shocks are replaced, not added to.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process", "min_supply": 0.5})],
    ...                 [("e", {"source": "a", "target": "shop", "weight": 3}),
    ...                  ("e", {"source": "b", "target": "shop"})])
    >>> result = criticality(G, parse_scenario({"name": "s", "steps": 20}, graph=G))
    >>> [(r["target"], r["verdict"], r["exposure_index"]) for r in result]
    [('shop', 'degraded', 1.0), ('a', 'degraded', 0.5), ('b', 'graceful', 0.0)]
    """
    nodes = chosen_targets(G, kinds=kinds, targets=targets)
    outage = outage_for(G, scenario, nodes, start=start, duration=duration, severity=severity)
    base = replace(scenario, hypothesis=None)
    metrics = run_drills(G, base, single_drills(nodes, outage), scheduler=scheduler, progress=progress)
    return Criticality(rows=criticality_rows(G, scenario, nodes, metrics), outage=outage)


def pairs(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    kinds: Iterable[str] | None = None,
    targets: Iterable | None = None,
    top: int = 10,
    start: int | None = None,
    duration: int | None = None,
    severity: float = 1.0,
    budget: float = PAIR_BUDGET_CELLS,
    singles: Criticality | None = None,
    scheduler=None,
    progress: Callable[[int, int], None] | None = None,
) -> PairSweep:
    """Fail two nodes at once and rank the pairs by how much worse together than apart.

    ``interaction = loss(pair) - loss(a) - loss(b)``: two second sources that each survive alone but
    not together are the hidden single point of failure. Candidates
    (:func:`~augur.analysis.criticality.pair_candidates`): every pair of substitutes, every pair among
    the ``top`` worst singles, and every pair of the chosen nodes when that costs at most ``budget``
    node-steps; :attr:`PairSweep.sets` says which were tried and how many. The singles sweep runs
    first (or pass it as ``singles``); ``progress`` sees both, singles then pairs.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process", "min_supply": 0.5})],
    ...                 [("e", {"source": "a", "target": "shop"}), ("e", {"source": "b", "target": "shop"})])
    >>> duo = pairs(G, parse_scenario({"name": "s", "steps": 20}, graph=G), kinds=["vendor"])
    >>> duo[0]["targets"], duo[0]["interaction"], duo[0]["candidates"]
    (['a', 'b'], 5.0, ['substitutes', 'top', 'all'])
    """
    if singles is None:
        singles = criticality(
            G, scenario, kinds=kinds, targets=targets, start=start, duration=duration, severity=severity,
            scheduler=scheduler, progress=progress,
        )  # fmt: skip
    ranked = [row["target"] for row in singles]
    candidates, sets = pair_candidates(G, scenario, ranked, top=top, budget=budget)
    base = replace(scenario, hypothesis=None)
    metrics = run_drills(
        G, base, pair_drills(list(candidates), singles.outage), scheduler=scheduler, progress=progress
    )
    single_loss = {row["target"]: row["resilience_loss"] for row in singles}
    return PairSweep(
        rows=pair_rows(candidates, metrics, single_loss), sets=sets, outage=singles.outage, singles=singles
    )


def _run(G: nx.DiGraph, compiled, scenario: Scenario) -> dict:
    traj = run_compiled(compiled, compile_shocks(compiled, scenario.shocks), scenario.steps)
    return drill_metrics(traj, G, scenario)


@dataclass(frozen=True)
class MonteCarloResult:
    """How often random shocks end in each verdict, with the drills behind the figures."""

    runs: int
    seed: int
    verdicts: dict
    cascade_probability: float
    cascade_interval: tuple[float, float]
    resilience_loss: np.ndarray
    drills: list

    def summary(self) -> str:
        low, high = self.cascade_interval
        q = np.percentile(self.resilience_loss, [50, 90])
        return (
            f"{self.runs} random drill{'s' if self.runs != 1 else ''} (seed {self.seed}): "
            f"cascade in {self.cascade_probability:.0%} "
            f"(95% interval {low:.0%} to {high:.0%}); resilience loss median {q[0]:.1f}, "
            f"90th percentile {q[1]:.1f} steps"
        )


def _wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _random_shock(rng: np.random.Generator, G: nx.DiGraph, nodes: Sequence, steps: int) -> Shock:
    target = nodes[int(rng.integers(len(nodes)))]
    start = int(rng.integers(1, max(2, steps // 2)))
    duration = int(rng.integers(1, max(2, steps // 4)))
    if G.nodes[target]["kind"] == "ai_service" and G.nodes[target].get("token_limit") and rng.random() < 0.5:
        return Shock("rate_limit_cut", (target,), start, duration, {"factor": float(rng.uniform(0.2, 0.8))})
    kind = ("vendor_failure", "data_quality_drop", "demand_spike")[int(rng.integers(3))]
    params = {
        "vendor_failure": {"severity": float(rng.uniform(0.3, 1.0))},
        "data_quality_drop": {"quality": float(rng.uniform(0.3, 0.9))},
        "demand_spike": {"multiplier": float(rng.uniform(1.2, 3.0))},
    }[kind]
    return Shock(kind, (target,), start, duration, params)


def _evaluate(G: nx.DiGraph, scenario: Scenario, shock_sets: Sequence[tuple]) -> list[tuple[str, float]]:
    """Verdict and resilience loss of each set of shocks on one graph (one compile for them all)."""
    compiled = compile_graph(G)
    out = []
    for shocks in shock_sets:
        m = _run(G, compiled, replace(scenario, shocks=shocks, hypothesis=None))
        out.append((m["verdict"], m["resilience_loss"]))
    return out


def monte_carlo(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    runs: int = 200,
    seed: int | None = None,
    shocks_per_drill: tuple[int, int] = (1, 3),
    executor=None,
    chunks: int = 8,
) -> MonteCarloResult:
    """Run ``runs`` drills of random shocks (1 to 3 by default) and count how often they cascade.

    Shock targets, kinds, starts, durations and strengths are all drawn first, from one generator
    seeded with ``seed`` (the scenario's seed when absent), so the result does not depend on where
    the drills run. Give an ``executor`` (any :class:`concurrent.futures.Executor`, such as a
    ``ProcessPoolExecutor`` or a Dask cluster's ``client.get_executor()``) to spread the drills over
    ``chunks`` tasks. The cascade probability comes with a 95% Wilson interval, honest about how few
    runs a sweep may have.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "shop"})])
    >>> mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 30}, graph=G), runs=20, seed=1)
    >>> mc.runs, sum(mc.verdicts.values())
    (20, 20)
    """
    seed = scenario.seed if seed is None else seed
    rng = np.random.default_rng(seed)
    nodes = list(G.nodes)
    low, high = shocks_per_drill
    shock_sets = [
        tuple(_random_shock(rng, G, nodes, scenario.steps) for _ in range(int(rng.integers(low, high + 1))))
        for _ in range(runs)
    ]
    base = replace(scenario, seed=seed, graph=None)  # the graph travels once per task, as G
    if executor is None or runs == 0:
        outcomes = _evaluate(G, base, shock_sets)
    else:
        size = max(1, -(-runs // max(1, chunks)))
        parts = [shock_sets[i : i + size] for i in range(0, runs, size)]
        results = executor.map(_evaluate, [G] * len(parts), [base] * len(parts), parts)
        outcomes = [o for part in results for o in part]
    verdicts = {"graceful": 0, "degraded": 0, "cascade": 0}
    for verdict, _ in outcomes:
        verdicts[verdict] += 1
    cascades = verdicts["cascade"]
    unit = scenario.step_unit
    return MonteCarloResult(
        runs=runs,
        seed=seed,
        verdicts=verdicts,
        cascade_probability=cascades / runs if runs else 0.0,
        cascade_interval=_wilson(cascades, runs),
        resilience_loss=np.array([loss for _, loss in outcomes], dtype=float),
        drills=[
            {"shocks": [shock_technical(s, unit) for s in shocks], "verdict": verdict}
            for shocks, (verdict, _) in zip(shock_sets, outcomes)
        ],
    )
