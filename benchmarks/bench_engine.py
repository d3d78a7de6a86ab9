"""How long one drill takes on a large generated graph, and where the time goes.

Run: python benchmarks/bench_engine.py  (prints a table and the machine it ran on)
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from augur.drill import simulate
from augur.engine import compile_graph, compile_shocks, run_compiled
from augur.generate import layered_supply_graph
from augur.graph import validate_graph
from augur.scenario import parse_scenario


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    G = validate_graph(layered_supply_graph(args.nodes, args.edges, seed=42))
    vendors = [v for v, k in G.nodes(data="kind") if k == "vendor"][:20]
    ai = [v for v, k in G.nodes(data="kind") if k == "ai_service"][:5]
    logistics = [v for v, k in G.nodes(data="kind") if k == "logistics"][:3]
    scenario = parse_scenario(
        {
            "name": "benchmark",
            "steps": args.steps,
            "shocks": [
                {"kind": "vendor_failure", "target": vendors, "start": 10, "duration": 40},
                {"kind": "logistics_bottleneck", "target": logistics, "start": 20,
                 "duration": 30, "capacity": 0.4, "delay": 2},
                {"kind": "data_quality_drop", "target": vendors[:5], "start": 15, "quality": 0.5},
                {"kind": "rate_limit_cut", "target": ai, "start": 30, "duration": 50},
                {"kind": "demand_spike", "target": list(G.nodes)[-50:], "start": 60,
                 "duration": 20, "multiplier": 1.8},
            ],
        },
        graph=G,
    )  # fmt: skip
    g = compile_graph(G)
    plan = compile_shocks(g, scenario.shocks)

    rows = [
        ("validate graph", best_of(args.repeats, lambda: validate_graph(G))),
        ("compile graph", best_of(args.repeats, lambda: compile_graph(G))),
        ("step loop only", best_of(args.repeats, lambda: run_compiled(g, plan, args.steps))),
        ("simulate() end to end", best_of(args.repeats, lambda: simulate(G, scenario))),
        ("simulate() + metrics", best_of(args.repeats, lambda: simulate(G, scenario).metrics)),
    ]
    result = simulate(G, scenario)
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, {args.steps} steps")
    print(f"verdict {result.metrics['verdict']}, {result.metrics['failed_nodes']} nodes failed")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}")  # fmt: skip
    print(f"{'stage':<24}{'best of ' + str(args.repeats):>12}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds:>10.3f} s")
    per_step = rows[2][1] / args.steps * 1e3
    print(f"step loop: {per_step:.2f} ms per step for {G.number_of_nodes()} nodes")


if __name__ == "__main__":
    main()
