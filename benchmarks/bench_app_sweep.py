"""How long the app's Weak points view takes to sweep a 2,000-node graph, from the click to the table.

In headless Chromium against a local server (Debian's chromium and chromedriver): upload a generated
2,000-node, 16,000-edge graph, set a 100-step horizon (issue 9's sweep benchmark graph and horizon),
open Weak points and time "Find weak points" from the click until the ranking's rows are drawn and
the caption names 2,000 nodes. The sweep runs as a background job in a process of its own; beside it,
the same sweep in this process (:func:`augur.sweep.criticality` alone), measured after it (on a shared
machine the two see different loads: compare them with the load average printed).

Run: python benchmarks/bench_app_sweep.py [--nodes 2000] [--edges 16000] [--steps 100] [--repeats 1]
(prints the machine and a table in Markdown)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

SEED = 42


def machine() -> str:
    import dash
    import numpy as np

    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores (load {load:.1f}); "
        f"Python {platform.python_version()}, NumPy {np.__version__}, Dash {dash.__version__}"
    )


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = predicate()
        except Exception:  # an element re-rendered between finding and reading it
            value = None
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"the page did not get there: {what}")


def in_the_browser(path: Path, nodes: int, steps: int, repeats: int, port: int) -> list[float]:
    """Seconds from the click on "Find weak points" to the ranking drawn, once per repeat."""
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from augur.app import create_app, ids

    app = create_app()
    threading.Thread(target=lambda: app.run(host="127.0.0.1", port=port, debug=False), daemon=True).start()
    time.sleep(1.5)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    rows = f"#{ids.WEAK_GRID} .ag-center-cols-container .ag-row"
    upload = f"#{ids.UPLOAD} input[type=file]"
    times = []
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        for _ in range(repeats):
            driver.get(f"http://127.0.0.1:{port}/")
            _wait(lambda: driver.find_elements(By.CSS_SELECTOR, upload), 30, "the upload box")
            driver.find_element(By.CSS_SELECTOR, upload).send_keys(str(path))
            _wait(lambda: path.name in driver.find_element(By.ID, ids.GRAPH_SUMMARY).text, 60, "the upload")
            box = driver.find_element(By.ID, ids.STEPS)
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(str(steps), Keys.TAB)
            _wait(lambda: f"{steps:,} " in driver.find_element(By.ID, ids.SUBTITLE).text, 10, "the horizon")
            driver.find_element(By.CSS_SELECTOR, f"#{ids.VIEW_TABS} .view-tab:nth-child(2)").click()
            _wait(lambda: driver.find_element(By.ID, ids.WEAK_RUN).is_displayed(), 10, "the view")
            start = time.perf_counter()
            driver.find_element(By.ID, ids.WEAK_RUN).click()
            _wait(
                lambda: (
                    f"{nodes:,} nodes swept" in driver.find_element(By.ID, ids.WEAK_CAPTION).text
                    and driver.find_elements(By.CSS_SELECTOR, rows)
                ),
                1800,
                "the ranking",
            )
            times.append(time.perf_counter() - start)
            print(f"  click to table: {times[-1]:.1f} s; {driver.find_element(By.ID, ids.WEAK_MESSAGE).text}")
        version = driver.capabilities.get("browserVersion", "?")
    finally:
        driver.quit()
    print(f"browser: headless Chromium {version}, viewport 1280x800")
    return times


def in_this_process(path: Path, steps: int) -> float:
    from augur import load_graph
    from augur.scenario import parse_scenario
    from augur.sweep import criticality

    G = load_graph(path)
    scenario = parse_scenario({"name": "sweep benchmark", "steps": steps}, graph=G)
    start = time.perf_counter()
    criticality(G, scenario)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2_000)
    parser.add_argument("--edges", type=int, default=16_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
        sys.exit("this benchmark needs chromium and chromedriver on PATH")

    from augur import write_graph
    from augur.generate import layered_supply_graph

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("AUGUR_JOBS_DIR", str(Path(folder) / "jobs"))
        path = write_graph(
            layered_supply_graph(args.nodes, args.edges, seed=SEED), Path(folder) / "sweep.json"
        )
        print(f"machine: {machine()}")
        print(
            f"graph: {args.nodes:,} nodes, {args.edges:,} edges, {args.steps} steps; every node failed alone"
        )
        browser = in_the_browser(path, args.nodes, args.steps, args.repeats, args.port)
        alone = in_this_process(path, args.steps)
    print()
    print("| what | time |")
    print("|---|---|")
    print(
        f"| Weak points view: click to table, in Chromium (best of {len(browser)}) | {min(browser):.1f} s |"
    )
    print(f"| the same sweep in this process (`augur.sweep.criticality`) | {alone:.1f} s |")


if __name__ == "__main__":
    main()
