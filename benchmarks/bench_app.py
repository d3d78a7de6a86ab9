"""How long the app takes from a 2,000-node upload to a rendered result, and where the time goes.

Server side (best of --repeats): parse the upload, build the network view (layout and compact rows),
run the drill, build the payload the timeline replays (frames, charts, metrics, events), and
serialise both responses as Dash does. With --browser, the same in headless Chromium, end to end:
upload to drawn network, and Run to coloured network (Debian's chromium and chromedriver).

Run: python benchmarks/bench_app.py [--nodes 2000] [--browser]   (prints a table and the machine)
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import dash
import plotly.io

from augur import write_graph
from augur.app.components.actions import run_drill
from augur.app.design import (
    graph_store,
    read_design_upload,
    scenario_store,
    shock_form_fields,
    with_shock,
)
from augur.app.network import network_view
from augur.generate import layered_supply_graph


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def design_for(G) -> dict:
    """A drill on the generated graph: a fifth of the vendors fail for twenty steps."""
    vendors = [v for v, kind in G.nodes(data="kind") if kind == "vendor"]
    store = {"name": "benchmark", "steps": 96, "seed": 0, "slo": 0.9, "shocks": []}
    store = scenario_store(store)
    return with_shock(
        store, shock_form_fields("vendor_failure", vendors[: len(vendors) // 5], 10, 20, 1.0), G
    )


def server_side(path: Path, repeats: int) -> list[tuple[str, float]]:
    contents = ["data:application/json;base64," + base64.b64encode(path.read_bytes()).decode()]
    names = [path.name]
    _, G = read_design_upload(contents, names)
    graph = graph_store(G, path.name)
    scenario = design_for(G)
    view = network_view(G)
    _, payload = run_drill(graph, scenario)
    rows = [
        ("parse the upload", best_of(repeats, lambda: read_design_upload(contents, names))),
        ("graph store", best_of(repeats, lambda: graph_store(G, path.name))),
        ("network view (layout)", best_of(repeats, lambda: network_view(G))),
        ("serialise upload reply", best_of(repeats, lambda: plotly.io.json.to_json_plotly([graph, view]))),
        ("run: simulate + payload", best_of(repeats, lambda: run_drill(graph, scenario))),
        ("serialise run reply", best_of(repeats, lambda: plotly.io.json.to_json_plotly(payload))),
    ]
    total = sum(seconds for _, seconds in rows)
    rows.append(("server total", total))
    size = len(plotly.io.json.to_json_plotly([graph, view])) + len(plotly.io.json.to_json_plotly(payload))
    print(f"replies: {size / 1e6:.2f} MB of JSON (upload and run)")
    return rows


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_side(path: Path, view: dict, vendor: str, repeats: int) -> list[tuple[str, float]]:
    """Upload to drawn, and Run to coloured, in headless Chromium against a local server. A graph
    above the full-view limit is drawn grouped: then "drawn" and "coloured" count groups."""
    from selenium import webdriver
    from selenium.webdriver.common.by import By

    from augur.app import create_app, ids

    app = create_app()
    port = 8765
    threading.Thread(target=lambda: app.run(host="127.0.0.1", port=port, debug=False), daemon=True).start()
    time.sleep(1.5)
    options = webdriver.ChromeOptions()
    options.binary_location = _chromium() or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    network = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg && el._cyreg.cy"
    upload = f"#{ids.UPLOAD} input[type=file]"
    nodes = len(view["nodes"])
    coloured = "[f >= 0]" if view["grouped"] else "[s >= 0]"
    drawn_times, coloured_times = [], []
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        for _ in range(repeats):
            driver.get(f"http://127.0.0.1:{port}/")
            _wait(lambda: (driver.execute_script(network + ".nodes().length") or 0) > 0)
            _wait(lambda: driver.find_elements(By.CSS_SELECTOR, upload))  # a lazily loaded component
            field = driver.find_element(By.CSS_SELECTOR, upload)
            start = time.perf_counter()
            field.send_keys(str(path))
            _wait(lambda: driver.execute_script(network + ".nodes().length") == nodes)
            drawn_times.append(time.perf_counter() - start)
            driver.find_element(By.ID, ids.SHOCK_TARGET).send_keys(vendor)
            driver.find_element(By.ID, ids.SHOCK_ADD).click()
            _wait(lambda: vendor in driver.find_element(By.ID, ids.SHOCK_LIST).text)
            start = time.perf_counter()
            driver.find_element(By.ID, ids.RUN).click()
            _wait(lambda: driver.execute_script(network + f".nodes('{coloured}').length") == nodes)
            coloured_times.append(time.perf_counter() - start)
        version = driver.capabilities.get("browserVersion", "?")
    finally:
        driver.quit()
    shown = f"{nodes} groups" if view["grouped"] else f"{nodes:,} nodes"
    print(f"browser: headless Chromium {version}, viewport 1280x800, software rendering; {shown} drawn")
    return [
        ("upload to drawn network", min(drawn_times)),
        ("Run to coloured network", min(coloured_times)),
        ("upload, run, render", min(drawn_times) + min(coloured_times)),
    ]


def _wait(predicate, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.01)
    raise TimeoutError("the page did not get there")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = f"{model} ({platform.machine()})"
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Dash {dash.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=None, help="default: three per node")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time it in headless Chromium")
    args = parser.parse_args()

    G = layered_supply_graph(args.nodes, args.edges or 3 * args.nodes, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        path = write_graph(G, Path(folder) / f"generated-{args.nodes}.json")
        print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, 96 steps; "
              f"upload {path.stat().st_size / 1e6:.2f} MB of JSON")  # fmt: skip
        print(f"machine: {machine()}")
        rows = server_side(path, args.repeats)
        if args.browser:
            if not (_chromium() and shutil.which("chromedriver")):
                sys.exit("--browser needs chromium and chromedriver on PATH")
            vendor = next(v for v, kind in G.nodes(data="kind") if kind == "vendor")
            rows += browser_side(path, network_view(G), vendor, max(1, args.repeats // 2 + 1))
    print(f"{'stage':<28}{'best of runs':>14}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>12.3f} s")


if __name__ == "__main__":
    main()
