"""How long one drill takes on a large generated graph, and where the time goes.

Run: python benchmarks/bench_engine.py  (prints a table and the machine it ran on)

It also runs one drill side by side through the engine and through the plain-Python reference the
tests use as an oracle (tests/reference.py), on a smaller graph the reference finishes in seconds,
and prints the ratio: what compiling to arrays and vectorising each step buys.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

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


def benchmark_scenario(G, steps: int):
    """All five shock kinds at once, on the first vendors, logistics nodes and AI services."""
    vendors = [v for v, k in G.nodes(data="kind") if k == "vendor"][:20]
    ai = [v for v, k in G.nodes(data="kind") if k == "ai_service"][:5]
    logistics = [v for v, k in G.nodes(data="kind") if k == "logistics"][:3]
    return parse_scenario(
        {
            "name": "benchmark",
            "steps": steps,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-nodes", type=int, default=1_000, help="0 skips the side-by-side run")
    args = parser.parse_args()

    G = validate_graph(layered_supply_graph(args.nodes, args.edges, seed=42))
    scenario = benchmark_scenario(G, args.steps)
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
    if args.reference_nodes:
        side_by_side(args.reference_nodes, args.steps // 2)


def side_by_side(nodes: int, steps: int) -> None:
    """The same drill through the engine and through the tests' plain-Python reference, in one run."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from reference import reference_run

    G = validate_graph(layered_supply_graph(nodes, 5 * nodes, seed=42))
    scenario = benchmark_scenario(G, steps)
    engine = best_of(3, lambda: simulate(G, scenario))
    start = time.perf_counter()
    reference_run(G, scenario)
    reference = time.perf_counter() - start
    print(f"\nside by side: {nodes} nodes, {5 * nodes} edges, {steps} steps, same drill")
    print(f"{'plain-Python reference':<24}{reference:>10.3f} s")
    print(f"{'engine (simulate)':<24}{engine:>10.3f} s")
    print(f"engine is {reference / engine:.0f}x faster")


if __name__ == "__main__":
    main()
