"""Issue 9, benchmark 3: 1,000 random-shock drills on a 1,000-node graph over 100 steps.

Run: python benchmarks/bench_random.py [--runs 1000] [--old-subset 60]

Side by side in one run, on the same drills: ``augur.sweep.monte_carlo`` (drawn per drill, run in
batches by the shared runner on ``--workers`` threads, by default one per core this process may use,
and again on one thread; summarised with bands and intervals), and the loop the random-shock
study used to be (one ``run_compiled`` and ``drill_metrics`` per drill), timed on a subset of the
drills and scaled to all of them, so the ratio compares like with like. Each case runs in a forked
child process, whose peak resident memory (``ru_maxrss``, the parent's pages it shares included) sits
beside its time; the machine is printed with the table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import time
from dataclasses import replace

import numpy as np
import scipy

from augur.analysis.random_shocks import draw_drills
from augur.engine import compile_graph, compile_shocks, run_compiled
from augur.generate import layered_supply_graph
from augur.metrics import drill_metrics
from augur.scenario import RandomShocks, parse_scenario
from augur.sweep import default_workers, monte_carlo


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}); Python {platform.python_version()}, "
        f"NumPy {np.__version__}, SciPy {scipy.__version__}"
    )


def measured(fn):
    """``fn()``'s result, its wall time and its CPU time in seconds and its peak resident memory in MB,
    run in a forked child so that each case's peak is its own (tracemalloc would slow the engine's
    Python). On a machine loaded beyond its cores the wall time is mostly the wait for a core; the CPU
    time is what the case cost."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        start = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)  # the child's own, from its fork
        child.send((out, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))

    process = ctx.Process(target=work)
    process.start()
    result = parent.recv()
    process.join()
    return result


def old_loop(G, scenario, drills):
    """The random-shock study as it was: one single drill after another on one compiled graph."""
    compiled = compile_graph(G)
    out = []
    for drill in drills:
        traj = run_compiled(compiled, compile_shocks(compiled, drill.shocks), scenario.steps)
        out.append(drill_metrics(traj, G, replace(scenario, shocks=drill.shocks)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=4000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--old-subset", type=int, default=60, help="drills the old loop runs, then scaled")
    parser.add_argument("--scheduler", help="also time the study on this scheduler (local:2, tcp://...)")
    parser.add_argument("--workers", type=int, help="threads in this process (default: one per core)")
    args = parser.parse_args()
    workers = args.workers or default_workers()

    import scipy.stats  # noqa: F401  (imported once up front: about a second the study would pay)

    G = layered_supply_graph(args.nodes, args.edges, seed=1)
    scenario = parse_scenario({"name": "bench", "steps": args.steps, "seed": 42}, graph=G)
    spec = RandomShocks(runs=args.runs)
    print(f"machine: {machine()}")
    print(
        f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges; {args.steps} steps; "
        f"{args.runs:,} random drills (default random: section, seed 42)"
    )
    print(f"workers: {workers} threads in this process (of {default_workers()} cores it may use)")

    load_before = os.getloadavg()[0]
    mc, new_s, new_cpu, new_mb = measured(
        lambda: monte_carlo(G, scenario, runs=args.runs, spec=spec, workers=workers)
    )
    drills = draw_drills(G, spec, args.steps, 42, range(args.old_subset))
    old, old_s, old_cpu, old_mb = measured(lambda: old_loop(G, scenario, drills))
    scaled = old_s * args.runs / args.old_subset
    scaled_cpu = old_cpu * args.runs / args.old_subset
    same = all(o["verdict"] == r["verdict"] and o["resilience_loss"] == r["resilience_loss"]
               for o, r in zip(old, mc.drills))  # fmt: skip
    rows = [
        (f"augur montecarlo ({workers} threads: batched runner, bands, intervals)", f"{new_s:.2f} s",
         f"{new_cpu:.2f} s", f"{new_mb:.0f} MB"),
        (
            f"old loop of single drills ({args.old_subset} drills, scaled x{args.runs / args.old_subset:g})",
            f"{scaled:.2f} s ({old_s:.2f} s measured)",
            f"{scaled_cpu:.2f} s",
            f"{old_mb:.0f} MB",
        ),
    ]  # fmt: skip
    if workers != 1:
        one, one_s, one_cpu, one_mb = measured(
            lambda: monte_carlo(G, scenario, runs=args.runs, spec=spec, workers=1)
        )
        assert one.drills == mc.drills and one.service_level_bands == mc.service_level_bands
        rows.append(
            ("augur montecarlo (1 thread; the same figures)", f"{one_s:.2f} s", f"{one_cpu:.2f} s",
             f"{one_mb:.0f} MB")
        )  # fmt: skip
    if args.scheduler:
        _, dask_s, dask_cpu, dask_mb = measured(
            lambda: monte_carlo(G, scenario, runs=args.runs, spec=spec, scheduler=args.scheduler)
        )
        rows.append(
            (f"augur montecarlo --scheduler {args.scheduler}", f"{dask_s:.2f} s",
             f"{dask_cpu:.2f} s (this process)", f"{dask_mb:.0f} MB")
        )  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"load average: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"\n{'what':<{width}}  {'time':>28}  {'CPU time':>24}  {'peak memory':>11}")
    for name, t, cpu, mb in rows:
        print(f"{name:<{width}}  {t:>28}  {cpu:>24}  {mb:>11}")
    print(f"\nspeed-up: {scaled / new_s:.1f}x; {args.runs / new_s:,.0f} drills a second")
    print(f"the old loop's drills give the same verdicts and losses as the study's: {same}")
    print(f"verdicts: {mc.verdicts}")


if __name__ == "__main__":
    main()
