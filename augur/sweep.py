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
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import replace

import networkx as nx

from augur.analysis.cheapest import CheapestFixes
from augur.analysis.cheapest import cheapest_fixes as _cheapest_fixes
from augur.analysis.criticality import (
    PAIR_BUDGET_CELLS,
    Criticality,
    PairSweep,
    check_top,
    outage_window,
    pair_candidates,
    pair_drills,
    pair_rows,
    single_failures,
)
from augur.analysis.mitigate import LEVERS, MitigationResult, find_fixes
from augur.analysis.random_shocks import MonteCarloResult, draw_drills, summarise
from augur.analysis.tipping import SHOCK_FIELDS, TippingResult, axis_values, tipping_grid
from augur.engine import compile_graph
from augur.engine.batch import Drill
from augur.engine.budget import check_study_size
from augur.errors import AugurError, ScenarioError
from augur.metrics import measure_batch
from augur.scenario import DEFAULT_GOAL, MAX_RUNS, RandomShocks, Scenario, Shock  # noqa: F401  (Shock: the doctests)
from augur.text import cannot_help_text, count_text, fix_text
from augur.text.studies import fix_check_text, pair_set_text

__all__ = [
    "CheapestFixes",
    "Criticality",
    "MitigationResult",
    "MonteCarloResult",
    "PairSweep",
    "TippingResult",
    "cheapest_fixes",
    "criticality",
    "default_workers",
    "mitigate",
    "monte_carlo",
    "one_cluster",
    "outage_window",
    "pairs",
    "run_drills",
    "tipping",
]

SCHEDULER_FORMS = "local:N (processes), local:N:threads, or tcp://HOST:PORT (an existing Dask cluster)"

# Node-steps (nodes x steps of one drill) the engine gets through per second, assumed for the first
# chunks only: every later chunk is sized from the rate the chunks before it measured.
FIRST_GUESS_RATE = 2e7
# Node-steps one chunk holds at most, whatever the rate: a chunk's memory stays bounded on any graph,
# and the batched engine is at its fastest there (on the 2,000-node benchmark graph over 100 steps, 32
# drills a batch: 15 ms of CPU a drill, against 17 ms at 16, 15 ms at 64 and 16 ms at 128).
CHUNK_CELLS_MAX = 6.4e6
# What a chunk's work is measured in: its thread's CPU time, not the wall clock. On a machine loaded
# beyond its cores, or with threads waiting on each other for the GIL, the wall clock counts the wait
# too, and chunks sized from it shrink: on a 100-node graph 36 drills a chunk cost 1.7 ms of CPU a
# drill against 0.7 ms at 256 (load 13).
_work_clock = time.thread_time
# Drills of the first chunk in this process: enough to measure the rate, few enough that the
# progress moves within a fraction of a second on any graph (on the 2,000-node benchmark graph, four
# drills are 40 ms of a 15 s sweep).
FIRST_CHUNK_DRILLS = 4


def _chunk_size(rate: float, cells: int, seconds: float, left: int) -> int:
    """How many drills of ``cells`` node-steps make ``seconds`` of work at ``rate``, within bounds."""
    most = max(1, int(CHUNK_CELLS_MAX // cells))
    return max(1, min(left, most, math.ceil(seconds * rate / cells)))


def _evaluate_chunk(payload: tuple, drills: Sequence[Drill], series: bool) -> tuple[list[dict], float]:
    """Run one chunk of drills on the compiled graph; return their metrics and the CPU seconds its
    thread spent on them (``_work_clock``).

    The drills go through :func:`augur.metrics.measure_batch`, the one metric runner: it records
    only what the figures read, not every node's status at every step.
    """
    compiled, G, scenario = payload
    began = _work_clock()
    metrics = measure_batch(compiled, G, scenario, drills, series=series)
    return metrics, _work_clock() - began


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
        processes = len(parts) == 2 or parts[2] == "processes"
        what = "worker processes" if processes else "worker threads"
        _check_count(int(parts[1]), f"{text} asks for {int(parts[1]):,} {what}", "--scheduler")
        return ("local", int(parts[1]), processes)
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
            # the cluster serves this process alone, so nothing of it listens beyond loopback: tcp even
            # for threads (inproc workers still open their HTTP servers on every interface), and no
            # dashboard (dashboard_address=None alone still serves the scheduler's on :8787)
            host="127.0.0.1",
            protocol="tcp://",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            silence_logs=40,  # logging.ERROR: a sweep's output is its table, not the cluster's log
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def default_workers() -> int:
    """How many threads run the drills in this process by default: the cores it may run on (its CPU
    affinity, which a container or ``taskset`` may narrow), else every core the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform (macOS, Windows)
        return os.cpu_count() or 1


# A local cluster or this process's threads at most this many per core: beyond it they only wait on
# each other, and local:500 would start 500 processes, each with its own interpreter and graph.
WORKERS_PER_CORE = 4


def _check_count(count: int, asked: str, place: str) -> None:
    """Refuse ``count`` workers beyond :data:`WORKERS_PER_CORE` per core this process may use;
    ``asked`` says what asked for them."""
    cores = default_workers()
    most = WORKERS_PER_CORE * cores
    if count > most:
        raise AugurError(
            f"{asked}; this machine has {count_text(cores, 'core')}; at most {most:,} "
            f"({WORKERS_PER_CORE} a core)",
            place=place,
        )


def _check_workers(workers, scheduler) -> int:
    """``workers`` as a count of threads, refused with its flag where it is not one."""
    if workers is None:
        return default_workers()
    if scheduler is not None:
        raise AugurError(
            f"--workers {workers} counts the threads of this process; with --scheduler the cluster's "
            "workers run the drills, so expected one of the two",
            place="--workers",
        )
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise AugurError(f"expected a whole number of threads, 1 or more, got {workers!r}", place="--workers")
    _check_count(workers, f"{workers:,} threads asked for", "--workers")
    return workers


def run_drills(
    G: nx.DiGraph,
    scenario: Scenario,
    drills: Sequence[Drill],
    *,
    scheduler=None,
    workers: int | None = None,
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

    ``scheduler``: ``None`` runs here, on ``workers`` threads (default :func:`default_workers`, the
    cores this process may use; 1 runs the chunks one after another); ``"local:N"`` on a Dask
    LocalCluster of N worker processes (``"local:N:threads"``: threads); ``"tcp://HOST:PORT"`` on an
    existing Dask cluster; or a ``distributed.Client``. ``progress(done, total)`` is called after each
    finished chunk, from the calling thread. The numbers do not depend on where or on how many
    workers the drills ran.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "shop"})])
    >>> s = parse_scenario({"name": "s", "steps": 10}, graph=G)
    >>> down = Drill(shocks=(Shock("vendor_failure", ("a",), 2, 3, {"severity": 1.0}),))
    >>> [m["resilience_loss"] for m in run_drills(G, s, [Drill(), down])]
    [0.0, 3.0]
    """
    threads = _check_workers(workers, scheduler)
    drills = list(drills)
    total = len(drills)
    if total == 0:
        return []
    cells = max(1, G.number_of_nodes() * scenario.steps)
    payload = (compile_graph(G), G, replace(scenario, graph=None))
    # Drills that ask the engine for the same work run side by side (a drill's numbers do not depend
    # on its neighbours in a batch); the results come back in the order given.
    order = sorted(range(total), key=lambda i: _work_kind(drills[i]))
    drills = [drills[i] for i in order]
    if scheduler is None:
        ran = _run_here(payload, drills, cells, chunk_seconds, series, progress, threads)
    else:
        with _dask_client(scheduler) as client:
            ran = _run_on_dask(client, payload, drills, cells, chunk_seconds, series, progress)
    out: list = [None] * total  # every slot is filled below, in the order given
    for i, metrics in zip(order, ran):
        out[i] = metrics
    return out


class _Inline:
    """An executor of one worker that runs each chunk as it is submitted, in the calling thread."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as err:  # re-raised by future.result(), as a pool's would be
            future.set_exception(err)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def _run_here(payload, drills, cells, chunk_seconds, series, progress, workers) -> list[dict]:
    """Run the chunks on ``workers`` threads of this process, at most ``workers + 1`` in flight, each
    sized from the rate the finished ones measured; the metrics come back in drill order.

    The first chunk runs alone, in the calling thread, and small (at most :data:`FIRST_CHUNK_DRILLS`):
    it measures the rate on this graph, builds what the engine builds once, and moves the progress
    early even on a graph small enough for the whole study to fit in one chunk of a second; a study
    that fits in it starts no thread. NumPy's and SciPy's work on large arrays (and the engine's
    compiled kernels) release the GIL, so the threads share the cores.
    """
    total = len(drills)
    first = min(FIRST_CHUNK_DRILLS, _chunk_size(FIRST_GUESS_RATE, cells, chunk_seconds, total))
    metrics, seconds = _evaluate_chunk(payload, drills[:first], series)
    parts: dict[int, list[dict]] = {0: metrics}
    rate, submitted, done = first * cells / max(seconds, 1e-6), first, first
    if progress is not None:
        progress(done, total)
    if done == total:
        return metrics
    in_flight: dict[Future, tuple[int, int]] = {}
    pool = _Inline() if workers == 1 else ThreadPoolExecutor(workers, thread_name_prefix="augur-drills")
    window = 1 if workers == 1 else workers + 1
    try:
        while submitted < total or in_flight:
            while submitted < total and len(in_flight) < window:
                size = _chunk_size(rate, cells, chunk_seconds, total - submitted)
                chunk = drills[submitted : submitted + size]
                in_flight[pool.submit(_evaluate_chunk, payload, chunk, series)] = (submitted, size)
                submitted += size
            finished, _ = futures_wait(in_flight, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=in_flight.__getitem__):
                offset, size = in_flight.pop(future)
                parts[offset], seconds = future.result()
                rate = size * cells / max(seconds, 1e-6)
                done += size
                if progress is not None:
                    progress(done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [m for offset in sorted(parts) for m in parts[offset]]


def _work_kind(drill: Drill) -> tuple[bool, bool, bool]:
    """What a drill makes the engine do beyond the plainest step, for all the drills of its batch: a
    logistics bottleneck reads arrivals edge by edge, a quality drop steps the quality mix, and a
    demand spike the load of every drill."""
    kinds = {shock.kind for shock in drill.shocks}
    return ("logistics_bottleneck" in kinds, "data_quality_drop" in kinds, "demand_spike" in kinds)


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
    workers: int | None = None,
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
    base = replace(scenario, hypothesis=None)
    where = {"scheduler": scheduler, "workers": workers, "progress": progress}
    return single_failures(
        G, scenario, lambda drills: run_drills(G, base, drills, **where),
        kinds=kinds, targets=targets, start=start, duration=duration, severity=severity,
    )  # fmt: skip


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
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PairSweep:
    """Fail two nodes at once and rank the pairs by how much worse together than apart.

    ``interaction = loss(pair) - loss(a) - loss(b)``: two second sources that each survive alone but
    not together are the hidden single point of failure, so the pairs ``worse_together`` (a worse
    verdict than both alone, or more secondary failures than the two alone had) come first, then the
    rest by interaction (:func:`~augur.analysis.criticality.pair_rows`). Candidates
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
    check_top(top)  # before the singles run for nothing
    if singles is None:
        singles = criticality(
            G, scenario, kinds=kinds, targets=targets, start=start, duration=duration, severity=severity,
            scheduler=scheduler, workers=workers, progress=progress,
        )  # fmt: skip
    ranked = [row["target"] for row in singles]
    candidates, sets = pair_candidates(G, scenario, ranked, top=top, budget=budget, outage=singles.outage)
    base = replace(scenario, hypothesis=None)
    metrics = run_drills(
        G, base, pair_drills(list(candidates), singles.outage), scheduler=scheduler, workers=workers,
        progress=progress,
    )  # fmt: skip
    return PairSweep(
        rows=pair_rows(candidates, metrics, {row["target"]: row for row in singles}),
        sets=[{**entry, "why": pair_set_text(entry)} for entry in sets],
        outage=singles.outage,
        singles=singles,
    )


def monte_carlo(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    runs: int | None = None,
    seed: int | None = None,
    spec: RandomShocks | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress=None,
    source: str | None = None,
) -> MonteCarloResult:
    """Run ``runs`` drills of random shocks and count how often each verdict comes out.

    What a random shock is comes from ``spec``, else the scenario's ``random:`` section, else the
    defaults (docs/model.md, Random shocks); ``runs`` and ``seed`` default to the section's runs and
    the scenario's seed. Drill ``i`` draws from child ``i`` of ``SeedSequence(seed)``, so the figures
    are the same locally and on any number of Dask workers (``scheduler``, as for :func:`run_drills`).
    The scenario's own shocks are replaced by the random ones, not added to. A study whose drills
    would keep more than a gigabyte between them is refused before any runs, saying the most runs
    and steps that fit (:func:`augur.engine.budget.check_study_size`; ``source`` names the file).

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "shop"})])
    >>> mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 30}, graph=G), runs=20, seed=1)
    >>> mc.runs, sum(mc.verdicts.values()), len(mc.service_level_bands["p50"])
    (20, 20, 30)
    """
    spec = spec or scenario.random or RandomShocks()
    runs = spec.runs if runs is None else runs
    if not 1 <= runs <= MAX_RUNS:
        raise ScenarioError(f"expected 1 to {MAX_RUNS:,} drills, got {runs:,}", place="--runs")
    check_study_size(runs, G.number_of_nodes(), scenario.steps, source=source)
    seed = scenario.seed if seed is None else seed
    base = replace(scenario, seed=seed, hypothesis=None, random=spec, graph=G)
    drills = draw_drills(G, spec, scenario.steps, seed, range(runs))
    plain = replace(base, shocks=(), graph=None)  # the graph travels once, as G
    metrics = run_drills(
        G, plain, drills, scheduler=scheduler, workers=workers, progress=progress, series=True
    )
    return summarise(base, seed, drills, metrics)


def tipping(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    vary: tuple[str, float, float],
    against: tuple[str, float, float],
    nodes=None,
    steps_of: int | None = None,
    goal: str = DEFAULT_GOAL,
    scheduler: str | None = None,
    workers: int | None = None,
    progress=None,
) -> TippingResult:
    """A grid of one lever against one shock field, and per shock value the least lever value that
    keeps the drill at ``goal`` (graceful by default), run as one batch.

    ``vary`` is ``(lever, low, high)``: a lever of :data:`augur.analysis.mitigate.LEVERS` set to each
    value on ``nodes`` (ids or kinds; default every vendor). ``against`` is ``(field, low, high)``: the
    scenario's shocks' ``start``, ``duration`` or a strength field, set on every shock that has it.
    ``steps_of`` is how many values each axis takes (:func:`augur.analysis.tipping.axis_values`).

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "c", "steps": 30, "shocks": [{"kind": "vendor_failure",
    ...                     "target": "a", "start": 2, "duration": 5}]}, graph=G)
    >>> grid = tipping(G, s, vary=("buffer", 0, 10), against=("duration", 2, 6))
    >>> [b["lever_value"] for b in grid.boundary]
    [2, 3, 4, 5, 6]
    """
    lever, low, high = vary
    name, s_low, s_high = against
    if lever not in LEVERS:
        raise ScenarioError(f"--vary: unknown lever {lever!r}; expected one of {', '.join(LEVERS)}")
    if name not in SHOCK_FIELDS:
        raise ScenarioError(
            f"--against: unknown shock field {name!r}; expected one of {', '.join(SHOCK_FIELDS)}"
        )
    lever_values = axis_values(low, high, steps_of, LEVERS[lever].integer, place="--vary")
    shock_values = axis_values(s_low, s_high, steps_of, SHOCK_FIELDS[name], place="--against")
    plain = replace(scenario, hypothesis=None)
    return tipping_grid(
        G,
        scenario,
        lambda drills: run_drills(G, plain, drills, scheduler=scheduler, workers=workers, progress=progress),
        lever=lever,
        lever_values=lever_values,
        shock_field=name,
        shock_values=shock_values,
        nodes=nodes,
        goal=goal,
    )


@contextlib.contextmanager
def one_cluster(scheduler, workers: int | None = None):
    """The scheduler a study of several phases or rounds runs each on: one Dask client for them all
    (a LocalCluster started once, not once a phase), or ``None`` for this process. ``workers``
    beside a scheduler is refused here, before a cluster starts for nothing.

    >>> with one_cluster(None) as where:
    ...     print(where)
    None
    """
    _check_workers(workers, scheduler)
    if scheduler is None:
        yield None
        return
    with _dask_client(scheduler) as client:
        yield client


def mitigate(
    G: nx.DiGraph,
    scenario: Scenario,
    *,
    goal: str = DEFAULT_GOAL,
    levers=None,
    nodes=None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress=None,
) -> MitigationResult:
    """The least single changes that bring the drill to ``goal``, each confirmed by a re-run, and the
    levers that cannot help with why (:func:`augur.analysis.mitigate.find_fixes`, worded here).

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> s = parse_scenario({"name": "c", "steps": 30, "shocks": [{"kind": "vendor_failure",
    ...                     "target": "a", "start": 2, "duration": 5}]}, graph=G)
    >>> result = mitigate(G, s)
    >>> result.fixes[0]["text"]
    '5 hours of stock at b, against 0 hours today, makes this drill GRACEFUL.'
    >>> result.fixes[0]["check"]
    'Confirmed by a re-run; 4 hours does not do it.'
    >>> result.cannot_help[0]["why"]
    'Stock at a cannot cover its own outage; stock at its dependents can (b).'
    """
    plain = replace(scenario, hypothesis=None)
    with one_cluster(scheduler, workers) as client:
        found = find_fixes(
            G,
            scenario,
            lambda drills: run_drills(G, plain, drills, scheduler=client, workers=workers, progress=progress),
            goal=goal,
            levers=levers,
            nodes=nodes,
        )
    unit = scenario.step_unit
    return replace(
        found,
        fixes=[
            {
                **f,
                "text": fix_text(f, G, unit),
                "check": fix_check_text(f["lever"], f["short"], f["confirmed"], f["verdict"], unit),
            }
            for f in found.fixes
        ],
        cannot_help=[{**c, "why": cannot_help_text(c, G, unit)} for c in found.cannot_help],
    )


def cheapest_fixes(
    G: nx.DiGraph,
    scenarios,
    *,
    goal: str = DEFAULT_GOAL,
    levers=None,
    nodes=None,
    method: str = "milp",
    scheduler: str | None = None,
    workers: int | None = None,
    progress=None,
) -> CheapestFixes:
    """The cheapest set of changes that makes every drill of ``scenarios`` (on one graph ``G``) reach
    ``goal`` together: each drill's least fixes (:func:`mitigate`) priced by the nodes'
    ``<lever>_cost`` attributes, the cheapest cover chosen exactly (``method="milp"``, what ships) or
    greedily, and every drill re-run with all the chosen changes at once.

    >>> from augur.graph import build_graph
    >>> from augur.scenario import parse_scenario
    >>> G = build_graph([("n", {"id": "a", "kind": "vendor"}), ("n", {"id": "b", "kind": "vendor"}),
    ...                  ("n", {"id": "shop", "kind": "process"})],
    ...                 [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})])
    >>> drills = [parse_scenario({"name": f"{d} steps down", "steps": 30, "shocks": [{"kind":
    ...           "vendor_failure", "target": "a", "start": 2, "duration": d}]}, graph=G) for d in (3, 6)]
    >>> plan = cheapest_fixes(G, drills)
    >>> [(c["node"], c["to"]) for c in plan.changes], [d["fixed"] for d in plan.drills]
    ([('b', 6.0)], [True, True])
    """
    with one_cluster(scheduler, workers) as client:
        results = [
            mitigate(
                G,
                s,
                goal=goal,
                levers=levers,
                nodes=nodes,
                scheduler=client,
                workers=workers,
                progress=progress,
            )
            for s in scenarios
        ]
    return _cheapest_fixes(G, list(scenarios), results, goal=goal, method=method)
