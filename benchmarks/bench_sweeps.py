"""Weak points at scale: a criticality sweep of every node and the pairs among the worst, timed.

Run: python benchmarks/bench_sweeps.py  (prints the machine and one table, in Markdown, side by side)

On a 2,000-node, 16,000-edge generated graph over 100 steps (issue 9, benchmarks 2 and 4):

- every node failed alone through ``augur.sweep.criticality`` (one compile, the batch engine in chunks
  on ``--workers`` threads of this process, and again on one thread), and the loop of single drills it
  replaces (compile once, ``run_compiled`` + ``drill_metrics`` per target), timed on ``--loop-subset``
  targets and scaled to all of them, so the ratio is honest;
- the same sweep on a Dask LocalCluster of two worker processes (``--scheduler``; ``none`` skips it);
- the 4,950 pairs among the 100 worst single failures, and the substitute pairs the sweep tries beside
  them (``--pairs-subset`` times a part of each and scales, for a quick look), on ``--workers`` threads
  (default: one per core this process may use; the count is printed with the machine).

Each job runs in a fresh process, so the peak memory beside its time (the process's peak resident set,
``ru_maxrss``) is that job's alone; ``baseline`` is the same process after the imports and the graph,
before the job. Beside the wall time is the job's own CPU time: on a shared machine whose load average
is above its cores, the wall time is mostly the wait for a core, and the CPU time is what the job cost.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import os
import platform
import resource
import sys
import time

NODES, EDGES, STEPS, SEED = 2_000, 16_000, 100, 42


def machine() -> str:
    import numpy as np
    import scipy

    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}"
    )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _cpu_seconds() -> float:
    """This process's CPU time: on a shared machine, what the job cost it, whatever the others ran."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _setup(nodes: int, edges: int):
    from augur.generate import layered_supply_graph
    from augur.graph import validate_graph
    from augur.scenario import parse_scenario

    G = validate_graph(layered_supply_graph(nodes, edges, seed=SEED))
    return G, parse_scenario({"name": "sweep benchmark", "steps": STEPS}, graph=G)


def _job(name: str, arg, size: tuple[int, int], out) -> None:
    """Run one job in this (fresh) process; send back its seconds, drill count, memory and result."""
    G, scenario = _setup(*size)
    baseline = _rss_mb()
    from augur.analysis.criticality import outage_for, pair_drills, single_drills, substitute_pairs
    from augur.engine import compile_graph, compile_shocks, run_compiled
    from augur.metrics import drill_metrics
    from augur.sweep import criticality, run_drills

    result = None
    cpu = _cpu_seconds()
    began = time.perf_counter()
    if name == "criticality":
        rows = criticality(G, scenario, **arg).rows
        drills, result = len(rows), [r["target"] for r in rows]
    elif name == "loop":
        from dataclasses import replace

        outage = outage_for(G, scenario, G)
        targets = list(G)[:arg]
        compiled = compile_graph(G)
        for drill in single_drills(targets, outage):
            one = replace(scenario, shocks=drill.shocks, hypothesis=None)
            traj = run_compiled(compiled, compile_shocks(compiled, one.shocks), scenario.steps)
            drill_metrics(traj, G, one)
        drills = len(targets)
    elif name in ("pairs", "substitutes"):
        ranked, subset, workers = arg
        outage = outage_for(G, scenario, G)
        if name == "pairs":
            chosen = list(itertools.combinations(ranked[:100], 2))
        else:
            chosen = substitute_pairs(G, G, outage=outage, steps=scenario.steps)
            result = {"every": len(substitute_pairs(G, G)), "crossing": len(chosen)}
        total = len(chosen)
        chosen = chosen[:subset] if subset else chosen
        run_drills(G, scenario, pair_drills(chosen, outage), workers=workers)
        drills = len(chosen)
        result = {**(result or {}), "total": total}
    else:
        raise ValueError(name)
    seconds = time.perf_counter() - began
    out.put(
        {
            "seconds": seconds,
            "cpu": _cpu_seconds() - cpu,
            "drills": drills,
            "peak_mb": _rss_mb(),
            "baseline_mb": baseline,
            "result": result,
        }
    )


def run_job(name: str, arg, size: tuple[int, int]) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_job, args=(name, arg, size, queue))
    proc.start()
    got = queue.get()
    proc.join()
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-subset", type=int, default=100, help="targets the old loop is timed on")
    parser.add_argument("--pairs-subset", type=int, default=0, help="time only this many of each pair set")
    parser.add_argument("--scheduler", default="local:2", help="Dask scheduler for the sweep, or 'none'")
    parser.add_argument("--nodes", type=int, default=NODES, help="a smaller graph for a quick look")
    parser.add_argument("--edges", type=int, default=EDGES)
    parser.add_argument("--workers", type=int, help="threads in this process (default: one per core)")
    args = parser.parse_args()
    size = (args.nodes, args.edges)
    from augur.sweep import default_workers

    workers = args.workers or default_workers()

    load_before = f"{os.getloadavg()[0]:.1f}"
    print(f"machine: {machine()}")
    print(f"graph: layered_supply_graph({args.nodes}, {args.edges}, seed={SEED}), {STEPS} steps")
    print(f"workers: {workers} threads in this process (of {default_workers()} cores it may use)\n")
    rows = []

    def row(job: str, r: dict, *, scale: float = 1.0, note: str = "") -> None:
        seconds = r["seconds"] * scale
        cpu = r["cpu"] * scale
        rows.append((job, round(r["drills"] * scale), seconds, cpu, r["peak_mb"], r["baseline_mb"], note))
        print(f"  {job}: {seconds:.1f} s", file=sys.stderr)

    sweep = run_job("criticality", {"workers": workers}, size)
    row(f"criticality, every node (this process, {workers} threads)", sweep)
    ranked = sweep["result"]
    if workers != 1:
        serial = run_job("criticality", {"workers": 1}, size)
        assert serial["result"] == ranked, "one thread ranked the nodes differently"
        row("criticality, every node (this process, 1 thread)", serial, note="same ranking")
    loop = run_job("loop", args.loop_subset, size)
    scale = args.nodes / loop["drills"]
    row("loop of single drills, every node", loop, scale=scale, note=f"timed on {loop['drills']}, x{scale:g}")
    if args.scheduler != "none":
        spread = run_job("criticality", {"scheduler": args.scheduler}, size)
        assert spread["result"] == ranked, "the Dask sweep ranked the nodes differently"
        row(f"criticality, every node (Dask {args.scheduler})", spread, note="same ranking")
    pairs = run_job("pairs", (ranked, args.pairs_subset, workers), size)
    scale = pairs["result"]["total"] / pairs["drills"]
    note = f"timed on {pairs['drills']}, x{scale:.3g}" if scale != 1 else ""
    row("pairs among the 100 worst singles", pairs, scale=scale, note=note)
    subs = run_job("substitutes", (ranked, args.pairs_subset, workers), size)
    scale = subs["result"]["total"] / subs["drills"]
    every = subs["result"]["every"]
    note = f"of {every:,} substitute pairs" + (
        f"; timed on {subs['drills']}, x{scale:.3g}" if scale != 1 else ""
    )
    row("substitute pairs that cross a band together", subs, scale=scale, note=note)
    rate = subs["drills"] / subs["seconds"]
    cpu_rate = subs["drills"] / subs["cpu"]
    rows.append(("every substitute pair (at that rate)", every, every / rate, every / cpu_rate, None, None,
                 "estimate"))  # fmt: skip

    print(f"load average before: {load_before}; after: {os.getloadavg()[0]:.1f}")
    print("| job | drills | seconds | CPU seconds | drills/s | peak memory | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for job, drills, seconds, cpu, peak, base, note in rows:
        memory = "-" if peak is None else f"{peak:,.0f} MB ({base:,.0f} before)"
        figures = f"{drills:,} | {seconds:,.1f} | {cpu:,.1f} | {drills / seconds:,.0f}"
        print(f"| {job} | {figures} | {memory} | {note} |")
    baseline = next(r for r in rows if r[0].startswith("loop"))[2]
    print(f"\ncriticality of every node: {baseline / rows[0][2]:.1f}x the loop of single drills")


if __name__ == "__main__":
    main()
