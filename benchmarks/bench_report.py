"""How long a review pack takes: a bundled drill and a generated 2,000-node drill, each part timed.

Run: python benchmarks/bench_report.py  (prints the machine, then a table per drill; ``--bundled-only``
skips the 2,000-node one)

The first PNG of a process starts kaleido's Chromium (once); every later PNG reuses it. The table shows
that first export apart from the warm ones, and what a browser per export (kaleido's one-shot call,
what ``fig.to_image`` does without a running server) would cost instead.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import augur
from augur.generate import layered_supply_graph
from augur.graph import validate_graph
from augur.report import review_html, review_pdf, review_png, weak_points_study, write_pack
from augur.report.dashboard import review_figure
from augur.report.export import chromium_path, figure_png, stop_renderer
from augur.scenario import parse_scenario
from augur.text.review import findings

ROOT = Path(__file__).resolve().parent.parent


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_of(repeats: int, fn) -> float:
    return min(timed(fn) for _ in range(repeats))


def bundled_drill() -> augur.DrillResult:
    scenario = augur.load_scenario(ROOT / "scenarios" / "retail-chip-outage.yaml")
    return augur.simulate(scenario.graph, scenario)


def generated_drill(nodes: int, edges: int, seed: int) -> augur.DrillResult:
    G = validate_graph(layered_supply_graph(nodes, edges, seed=seed))
    vendors = [v for v, kind in G.nodes(data="kind") if kind == "vendor"][:8]
    logistics = [v for v, kind in G.nodes(data="kind") if kind == "logistics"][:2]
    scenario = parse_scenario(
        {
            "name": f"Generated {nodes:,}-node supply network: eight vendors down",
            "steps": 120,
            "seed": seed,
            "shocks": [
                {"kind": "vendor_failure", "target": vendors, "start": 10, "duration": 30},
                {"kind": "logistics_bottleneck", "target": logistics, "start": 20, "duration": 20,
                 "capacity": 0.4, "delay": 2},
                {"kind": "data_quality_drop", "target": vendors[:3], "start": 15, "duration": 30,
                 "quality": 0.5},
            ],
        },
        graph=G,
    )  # fmt: skip
    return augur.simulate(G, scenario)


def machine() -> str:
    chromium = chromium_path() or "none"
    try:
        browser = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        browser = chromium
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, plotly {version('plotly')}, kaleido {version('kaleido')}, {browser}"
    )


def fresh(result: augur.DrillResult) -> augur.DrillResult:
    """The same drill as a new result: the findings a pack derives are kept per result, so a repeat
    on the same object would time a lookup, not the work a new drill's pack does."""
    return augur.DrillResult(result.scenario, result.graph, result.trajectory)


def bench_weak_points(result: augur.DrillResult, repeats: int, runs: int) -> None:
    """The weak-points section (``augur report --weak-points``): its sweeps, then the page and the
    taller picture with them, against the pack without them."""
    print(f"\nweak points of the bundled drill ({runs} random drills)")
    study = weak_points_study(result, runs=runs)
    rows = [
        ("weak_points_study()", best_of(repeats, lambda: weak_points_study(result, runs=runs))),
        ("review_html(), with them", best_of(repeats, lambda: review_html(fresh(result), weak_points=study))),
        ("review_png(), with them", best_of(repeats, lambda: review_png(fresh(result), weak_points=study))),
        ("review_png(), without", best_of(repeats, lambda: review_png(fresh(result)))),
    ]
    print(f"{'stage':<28}{'best of ' + str(repeats):>12}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>10.2f} s")


def bench(label: str, result: augur.DrillResult, repeats: int, *, one_shot: bool) -> None:
    G = result.graph
    size = f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, {result.scenario.steps} steps"
    print(f"\n{label}: {size}")
    fig = review_figure(result)
    rows = [
        ("simulate()", best_of(repeats, lambda: augur.simulate(G, result.scenario))),
        ("findings (sweep, checks)", best_of(repeats, lambda: findings(fresh(result)))),
        ("review_html()", best_of(repeats, lambda: review_html(fresh(result)))),
        ("dashboard figure", best_of(repeats, lambda: review_figure(fresh(result)))),
        ("render PNG, warm", best_of(repeats, lambda: figure_png(fig))),
        ("review_png(), warm", best_of(repeats, lambda: review_png(fresh(result)))),
    ]
    if one_shot:
        import kaleido

        spec = fig.to_plotly_json()
        opts = {"format": "png", "width": 1600, "height": 1000}
        rows.append(
            (
                "render PNG, one-shot",
                timed(lambda: kaleido.calc_fig_sync(spec, opts=opts, kopts={"mathjax": False})),
            )
        )
    rows.append(("review_pdf()", best_of(max(1, repeats // 2), lambda: review_pdf(fresh(result)))))
    with tempfile.TemporaryDirectory() as folder:
        rows.append(
            (
                "write_pack(html, png)",
                best_of(repeats, lambda: write_pack(fresh(result), folder, ["html", "png"])),
            )
        )
        sizes = {p.suffix: p.stat().st_size for p in Path(folder).iterdir()}
    print(f"{'stage':<28}{'best of ' + str(repeats):>12}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>10.2f} s")
    print(f"pack sizes: HTML {sizes['.html'] / 1e6:.1f} MB, PNG {sizes['.png'] / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=200, help="random drills of the weak points")
    parser.add_argument("--bundled-only", action="store_true", help="skip the generated drill")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    small = bundled_drill()
    stop_renderer()
    cold = timed(lambda: review_png(small))
    print(f"first review_png() of the process (starts kaleido's Chromium): {cold:.2f} s")
    bench("bundled drill retail-chip-outage.yaml", small, args.repeats, one_shot=True)
    bench_weak_points(small, args.repeats, args.runs)
    if not args.bundled_only:
        bench(
            "generated drill", generated_drill(args.nodes, args.edges, seed=42), args.repeats, one_shot=False
        )


if __name__ == "__main__":
    main()
