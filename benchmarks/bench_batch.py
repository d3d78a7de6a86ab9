"""Many drills on one graph: the batched engine beside the same drills run one at a time.

Run: python benchmarks/bench_batch.py  (prints the machine, then one table: time, drills per second
and peak memory of each way)

Two workloads on a generated layered supply graph (2,000 nodes and 16,000 edges by default, 100
steps): every node failed alone for 10 steps from step 10 (a criticality sweep's drills), and random
drills of one to three shocks of every kind (a random-shock study's). Each runs

- looped: ``run_compiled`` once per drill, then ``drill_metrics`` (what a sweep did before batches);
  timed on the first ``--looped`` drills and scaled to the whole workload (stated in the table);
- ``run_batch`` keeping every field of every node (the whole trajectories), on the first ``--whole``
  drills (every field of 2,000 drills would not fit in memory), scaled the same way;
- ``measure_batch``: run_batch keeping only what the figures read, then ``batch_metrics``.

Before anything is timed, the batched figures of the looped drills are checked equal to theirs.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from dataclasses import replace

import numpy as np
from bench_watts import machine

from augur.engine import ALL_FIELDS, Drill, compile_graph, compile_shocks, run_batch, run_compiled
from augur.generate import layered_supply_graph
from augur.graph import validate_graph
from augur.metrics import BATCH_METRIC_KEYS, drill_metrics, measure_batch
from augur.scenario import parse_scenario


def timed(fn) -> tuple[float, float]:
    """Seconds and peak traced MB of one call (timed without tracing, then traced once more)."""
    gc.collect()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak


def outage_drills(G, steps: int) -> list[Drill]:
    shocks = [{"kind": "vendor_failure", "target": v, "start": 10, "duration": 10} for v in G.nodes]
    parsed = parse_scenario({"name": "sweep", "steps": steps, "shocks": shocks}, graph=G).shocks
    return [Drill((shock,)) for shock in parsed]


def random_drills(G, steps: int, count: int, seed: int) -> list[Drill]:
    rng = np.random.default_rng(seed)
    nodes = list(G.nodes)
    by_kind = {
        k: [v for v in nodes if G.nodes[v]["kind"] == k] for k in ("vendor", "logistics", "ai_service")
    }
    drills = []
    for _ in range(count):
        shocks = []
        for _ in range(int(rng.integers(1, 4))):
            kind = str(
                rng.choice(["vendor_failure", "logistics_bottleneck", "demand_spike", "data_quality_drop"])
            )
            pool = by_kind["logistics"] if kind == "logistics_bottleneck" else by_kind["vendor"] or nodes
            shock = {"kind": kind, "target": str(rng.choice(pool)), "start": int(rng.integers(1, steps // 2)),
                     "duration": int(rng.integers(1, steps // 4))}  # fmt: skip
            if kind == "logistics_bottleneck":
                shock.update(capacity=round(float(rng.uniform(0, 1)), 2), delay=int(rng.integers(0, 3)))
            shocks.append(shock)
        drills.append(Drill(parse_scenario({"name": "r", "steps": steps, "shocks": shocks}, graph=G).shocks))
    return drills


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2_000)
    parser.add_argument("--edges", type=int, default=16_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--random", type=int, default=1_000, help="random-shock drills")
    parser.add_argument("--looped", type=int, default=40, help="drills timed one at a time")
    parser.add_argument("--whole", type=int, default=100, help="drills batched keeping every field")
    args = parser.parse_args()

    G = validate_graph(layered_supply_graph(args.nodes, args.edges, seed=42))
    g = compile_graph(G)
    scenario = parse_scenario({"name": "bench", "steps": args.steps, "shocks": []}, graph=G)
    workloads = {
        f"fail each node alone ({G.number_of_nodes():,} drills)": outage_drills(G, args.steps),
        f"random shocks ({args.random:,} drills)": random_drills(G, args.steps, args.random, seed=1),
    }

    print(f"machine: {machine()}")
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, {args.steps} steps")
    print(f"{'workload / way':<58} {'time':>9} {'drills/s':>10} {'peak MB':>9}")
    for title, drills in workloads.items():
        few = drills[: args.looped]

        def looped(few=few):
            out = []
            for drill in few:
                traj = run_compiled(g, compile_shocks(g, drill.shocks), args.steps)
                out.append(drill_metrics(traj, G, replace(scenario, shocks=drill.shocks)))
            return out

        want = [{k: m[k] for k in BATCH_METRIC_KEYS} for m in looped()]
        got = [{k: m[k] for k in BATCH_METRIC_KEYS} for m in measure_batch(g, G, scenario, few)]
        assert got == want, "batched figures differ from single runs"

        rows = []
        seconds, peak = timed(looped)
        rows.append((f"looped single runs + drill_metrics (first {len(few)}, scaled)",
                     seconds * len(drills) / len(few), len(few) / seconds, peak))  # fmt: skip
        some = drills[: args.whole]
        seconds, peak = timed(lambda some=some: run_batch(g, some, args.steps, record=ALL_FIELDS))
        rows.append((f"run_batch, every field (first {len(some)}, scaled)",
                     seconds * len(drills) / len(some), len(some) / seconds, peak))  # fmt: skip
        seconds, peak = timed(lambda drills=drills: measure_batch(g, G, scenario, drills))
        rows.append(
            ("measure_batch (what the figures read) + batch_metrics", seconds, len(drills) / seconds, peak)
        )
        print(title)
        for name, seconds, rate, peak in rows:
            print(f"  {name:<56} {seconds:>7.2f} s {rate:>10.0f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
