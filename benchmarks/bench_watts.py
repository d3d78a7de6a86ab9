"""Watts' threshold cascade through augur's engine, beside NDlib and a bare SciPy loop of the same rule.

Run: python benchmarks/bench_watts.py  (prints the machine, then one table: wall and CPU time, peak memory)

NDlib is the peer, not a dependency: install it for this run with ``pip install ndlib`` (or, to keep
it out of the environment, ``pip install --no-deps --target /tmp/ndlib-site ndlib dynetx future
netdispatch`` and ``PYTHONPATH=/tmp/ndlib-site``). Without it its row is left out.

The rule (Watts 2002): a node fails once more than a fraction ``phi`` of its neighbours has failed.
In augur it is a graph of ``process`` nodes with ``min_supply = 1 - phi`` and ``fail_below = 1``, two
edges per link, and one permanent ``vendor_failure`` on the seed nodes (docs/model.md). The seeds fail
at step 1 and each step is one round of the rule, so 30 steps are 28 rounds; NDlib runs its initial
iteration and 28 more, the bare loop 28 rounds. The benchmark checks that all four end with the same
failed nodes before it prints a time.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sp

from augur.drill import simulate
from augur.engine import Status, compile_graph, compile_shocks, run_compiled
from augur.graph import build_graph
from augur.scenario import parse_scenario


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.platform()}, {cpu} x {os.cpu_count()}, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, SciPy {scipy.__version__}, NetworkX {nx.__version__}"
    )


def best_of(repeats: int, fn) -> tuple[float, float]:
    """The least wall time and the least CPU time of this process over ``repeats`` calls: on a
    machine loaded beyond its cores the wall time waits for a core, the CPU time much less."""
    times, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(times), min(cpu)


def peak_memory(fn) -> float:
    """Peak traced allocation of one call, in MB (tracemalloc sees NumPy's buffers too)."""
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def watts_graph(n: int, degree: float, seed: int) -> nx.Graph:
    return nx.fast_gnp_random_graph(n, degree / (n - 1), seed=seed)


def augur_drill(U: nx.Graph, seeds: list[int], phi: float, steps: int):
    nodes = [(f"nodes[{v}]", {"id": str(v), "kind": "process", "min_supply": 1 - phi, "fail_below": 1.0})
             for v in U.nodes]  # fmt: skip
    links = [(str(u), str(v)) for u, v in U.edges]
    edges = [(f"edges[{i}]", {"source": a, "target": b})
             for i, (a, b) in enumerate(e for u, v in links for e in ((u, v), (v, u)))]  # fmt: skip
    G = build_graph(nodes, edges)
    shock = {"kind": "vendor_failure", "target": [str(v) for v in seeds], "start": 1}
    scenario = parse_scenario({"name": "watts", "steps": steps, "shocks": [shock]}, graph=G)
    return G, scenario


def bare_loop(A: sp.csr_matrix, seeds: np.ndarray, phi: float, rounds: int) -> np.ndarray:
    """The rule and nothing else: the failed share of each node's neighbours, one product a round."""
    failed = np.zeros(A.shape[0])
    failed[seeds] = 1.0
    for _ in range(rounds):
        failed = np.maximum(failed, (A @ failed > phi).astype(float))
    return failed > 0


def ndlib_run(U: nx.Graph, seeds: list[int], phi: float, rounds: int) -> set:
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc

    model = ep.ThresholdModel(U, seed=0)
    config = mc.Configuration()
    config.add_model_initial_configuration("Infected", list(seeds))
    for v in U.nodes:
        config.add_node_configuration("threshold", v, phi)
    model.set_initial_status(config)
    model.iteration_bunch(rounds + 1, node_status=False, progress_bar=False)
    return {v for v, s in model.status.items() if s == 1}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--degree", type=float, default=4.0)
    parser.add_argument("--phi", type=float, default=0.18)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=20, help="how many nodes fail first")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rounds = args.steps - 2

    U = watts_graph(args.nodes, args.degree, seed=7)
    rng = np.random.default_rng(7)
    seeds = sorted(int(v) for v in rng.choice(args.nodes, size=args.seeds, replace=False))
    G, scenario = augur_drill(U, seeds, args.phi, args.steps)
    g = compile_graph(G)
    plan = compile_shocks(g, scenario.shocks)
    index = {v: i for i, v in enumerate(g.nodes)}
    degree = np.array([max(U.degree(v), 1) for v in U.nodes], dtype=float)
    A = sp.csr_matrix(nx.to_scipy_sparse_array(U, nodelist=list(U.nodes), format="csr") / degree[:, None])

    # The same failed set four ways, before anything is timed.
    traj = run_compiled(g, plan, args.steps)
    engine_failed = {int(g.nodes[i]) for i in np.flatnonzero(traj.status[-1] == Status.FAILED)}
    result = simulate(G, scenario)
    simulate_failed = {int(v) for v, i in index.items() if result.trajectory.status[-1, i] == Status.FAILED}
    bare_failed = set(np.flatnonzero(bare_loop(A, np.array(seeds), args.phi, rounds)).tolist())
    assert engine_failed == simulate_failed == bare_failed, "augur and the bare loop disagree"
    try:
        ndlib_failed = ndlib_run(U, seeds, args.phi, rounds)
    except ImportError:
        ndlib_failed = None
    if ndlib_failed is not None:
        assert ndlib_failed == bare_failed, "NDlib and the bare loop disagree"

    runs = {
        "augur engine loop (compiled graph)": lambda: run_compiled(g, plan, args.steps),
        "augur simulate() end to end": lambda: simulate(G, scenario),
        "augur simulate() + metrics": lambda: simulate(G, scenario).metrics,
        "bare SciPy CSR loop": lambda: bare_loop(A, np.array(seeds), args.phi, rounds),
    }
    if ndlib_failed is not None:
        runs["NDlib ThresholdModel"] = lambda: ndlib_run(U, seeds, args.phi, rounds)
    best = {name: best_of(args.repeats if "NDlib" not in name else 3, fn) for name, fn in runs.items()}
    times = {name: wall for name, (wall, _) in best.items()}
    cpu = {name: seconds for name, (_, seconds) in best.items()}
    memory = {name: peak_memory(fn) for name, fn in runs.items()}

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"Watts threshold rule, phi {args.phi}: Erdos-Renyi graph of {args.nodes:,} nodes, mean degree "
        f"{args.degree:g} ({U.number_of_edges():,} links, {g.m:,} augur edges), {args.steps} steps "
        f"({rounds} rounds), {len(seeds)} seed nodes; {len(bare_failed):,} nodes failed in the end, "
        "the same in every row"
    )
    bare = times["bare SciPy CSR loop"]
    ndlib = times.get("NDlib ThresholdModel")
    bare_cpu, ndlib_cpu = cpu["bare SciPy CSR loop"], cpu.get("NDlib ThresholdModel")
    print(f"{'run':<36} {'time':>10} {'x bare loop':>12} {'NDlib / it':>11} {'CPU time':>10} "
          f"{'x bare':>7} {'NDlib / it':>11} {'peak MB':>9}")  # fmt: skip
    for name, seconds in times.items():
        vs_ndlib = f"{ndlib / seconds:.1f}x" if ndlib else "-"
        ms, ratio = seconds * 1000, seconds / bare
        cpu_ms, cpu_ratio = cpu[name] * 1000, cpu[name] / bare_cpu
        cpu_ndlib = f"{ndlib_cpu / cpu[name]:.1f}x" if ndlib_cpu else "-"
        print(f"{name:<36} {ms:>8.1f} ms {ratio:>11.1f}x {vs_ndlib:>11} {cpu_ms:>7.1f} ms {cpu_ratio:>6.1f}x "
              f"{cpu_ndlib:>11} {memory[name]:>9.1f}")  # fmt: skip
    if ndlib is None:
        print("NDlib is not installed: see this file's docstring to add its row", file=sys.stderr)


if __name__ == "__main__":
    main()
