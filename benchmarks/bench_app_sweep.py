"""How long the app's Weak points view takes to sweep a 2,000-node graph, from the click to the table,
and where that time goes.

In headless Chromium against a local server (Debian's chromium and chromedriver): upload a generated
2,000-node, 16,000-edge graph, set a 100-step horizon (issue 9's sweep benchmark graph and horizon),
open Weak points and time "Find weak points" from the click until the ranking's rows are drawn and
the caption names 2,000 nodes, and on until the network tinted by exposure is drawn. The page itself
keeps the times (``performance.now()`` at the click, then at each frame until the table and the
figures are there), and the browser's resource timings say when the job was started, when its answer
came and when the figures' came.

The sweep runs as a background job in a process of its own. Beside the browser's run, the job's own
steps in this process: reading the graph store as the job does (:func:`augur.app.design.graph_of`),
the whole of :func:`~augur.app.components.weak_points.find_weak_points` (the sweep,
:func:`augur.sweep.criticality`, is all of it but the graph read), the figures drawn from its answer
and the size of each payload. On a shared machine the two runs see different loads: compare them with
the load averages and CPU seconds printed.

Run: python benchmarks/bench_app_sweep.py [--nodes 2000] [--edges 16000] [--steps 100] [--repeats 1]
(prints the machine, one line per run and a table in Markdown)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
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


def _wait(predicate, timeout: float, what: str, every: float = 0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = predicate()
        except Exception:  # an element re-rendered between finding and reading it
            value = None
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"the page did not get there: {what}")


# Installed before the click: the page notes the click, then, whenever the page changes, whether the
# ranking's rows and the caption naming every node swept are there ("table") and the tinted network
# has its nodes ("figures"), each marked at the next frame, once drawn. It watches for changes rather
# than looking at every frame: a loop of frames, like a test polling the page, takes CPU the job needs.
MARKS = """
var grid = arguments[0], caption = arguments[1], network = arguments[2], run = arguments[3];
var swept = arguments[4];
window.augurMarks = {};
function mark(name) {
  window.augurMarks[name] = -1;
  requestAnimationFrame(function () { window.augurMarks[name] = performance.now(); });
}
function look() {
  var marks = window.augurMarks;
  var rows = document.querySelectorAll('#' + grid + ' .ag-center-cols-container .ag-row').length;
  if (!marks.table && rows && document.getElementById(caption).textContent.indexOf(swept) >= 0) {
    mark('table');
  }
  var plot = document.querySelector('#' + network + ' .js-plotly-plot');
  if (!marks.figures && plot && plot.data && plot.data.some(function (t) { return t.name === 'swept'; })) {
    mark('figures');
  }
}
document.getElementById(run).addEventListener('click', function () {
  window.augurMarks.click = performance.now();
  new MutationObserver(look).observe(document.body, {childList: true, subtree: true, characterData: true});
}, {capture: true, once: true});
"""

DONE = "var m = window.augurMarks; return m.table > 0 && m.figures > 0 && m"

# The page's requests to the server since the click, oldest first: start, answer's first and last byte.
REQUESTS = """
return performance.getEntriesByType('resource')
  .filter(function (e) { return e.name.indexOf('_dash-update-component') >= 0; })
  .map(function (e) {
    return {url: e.name, start: e.startTime, first: e.responseStart, end: e.responseEnd,
            bytes: e.decodedBodySize};
  });
"""


def _breakdown(marks: dict, requests: list[dict], job_seconds: float | None) -> dict:
    """Seconds from the click to each step, from the page's marks and the requests it made: the job
    started (the answer to the first request), its answer in the page (the poll that brought it: the
    largest answer before the table), the table drawn, the figures' answer and the figures drawn."""
    click = marks["click"]
    after = [r for r in requests if r["start"] >= click - 1]
    started = min(after, key=lambda r: r["start"])
    polls = [r for r in after if "job=" in r["url"] and r["end"] <= marks["table"]]
    answer = max(polls, key=lambda r: r["bytes"])
    later = [r for r in after if r["start"] >= answer["end"] and "job=" not in r["url"]]
    figures = max(later, key=lambda r: r["bytes"])
    return {
        "started": (started["end"] - click) / 1000,
        "job": job_seconds,
        "answered": (answer["end"] - click) / 1000,
        "answer_mb": answer["bytes"] / 1e6,
        "table": (marks["table"] - click) / 1000,
        "figures_asked": (figures["start"] - click) / 1000,
        "figures_answered": (figures["end"] - click) / 1000,
        "figures_mb": figures["bytes"] / 1e6,
        "figures": (marks["figures"] - click) / 1000,
    }


def in_the_browser(path: Path, nodes: int, steps: int, repeats: int, port: int) -> list[dict]:
    """The steps from the click on "Find weak points" to the ranking and its figures drawn, in seconds
    from the click (:func:`_breakdown`), once per repeat."""
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
    upload = f"#{ids.UPLOAD} input[type=file]"
    runs = []
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
            time.sleep(1.0)  # the view's own requests done, so the ones after the click are the sweep's
            driver.execute_script("performance.clearResourceTimings();")
            swept = f"{nodes:,} nodes swept"
            driver.execute_script(
                MARKS, ids.WEAK_GRID, ids.WEAK_CAPTION, ids.WEAK_NETWORK, ids.WEAK_RUN, swept
            )
            cpu, browser_cpu = _cpu_seconds(), _browser_cpu_seconds()
            driver.find_element(By.ID, ids.WEAK_RUN).click()
            # the page marks the times itself: asking it now and then is enough
            marks = _wait(lambda: driver.execute_script(DONE), 1800, "the ranking and its figures", 0.5)
            said = driver.find_element(By.ID, ids.WEAK_MESSAGE).text
            found = re.search(r"in ([\d,.]+) s", said)
            job = float(found.group(1).replace(",", "")) if found else None
            runs.append(
                {
                    **_breakdown(marks, driver.execute_script(REQUESTS), job),
                    "load": os.getloadavg()[0],
                    "cpu": _cpu_seconds() - cpu,
                    "browser_cpu": _browser_cpu_seconds() - browser_cpu,
                }
            )
            print(f"  click to table: {runs[-1]['table']:.1f} s (load {runs[-1]['load']:.1f}); {said}")
        version = driver.capabilities.get("browserVersion", "?")
    finally:
        driver.quit()
    print(f"browser: headless Chromium {version}, viewport 1280x800")
    return runs


def _browser_cpu_seconds() -> float:
    """CPU seconds of the browser so far: every live process under this one but the jobs (chromedriver
    and Chromium's processes)."""
    import psutil

    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name():
                times = child.cpu_times()
                total += times.user + times.system
        except psutil.Error:  # it ended meanwhile
            pass
    return total


def _cpu_seconds() -> float:
    """CPU seconds of this process, its threads (the server) and its finished children (the jobs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def in_this_process(path: Path, steps: int) -> dict:
    """The job's steps and the figures' work here, in seconds (wall and CPU), and each payload's size."""
    from plotly.io.json import to_json_plotly

    from augur import load_graph
    from augur.app.components import weak_points
    from augur.app.design import graph_of, graph_store, scenario_store
    from augur.app.network import network_view

    graph = json.loads(json.dumps(graph_store(load_graph(path), path.name)))  # as the browser sends it
    scenario = scenario_store({"name": "sweep benchmark", "steps": steps})
    out = {"load": os.getloadavg()[0], "graph_mb": len(json.dumps(graph)) / 1e6}
    began, cpu = time.perf_counter(), time.process_time()
    G = graph_of(graph)
    out["read"] = time.perf_counter() - began
    began, cpu = time.perf_counter(), time.process_time()
    weak = json.loads(json.dumps(weak_points.find_weak_points(graph, scenario)))
    out["job"], out["job_cpu"] = time.perf_counter() - began, time.process_time() - cpu
    answer = to_json_plotly([weak, *weak_points.ranking_table(weak)])  # as Dash sends it
    out["weak_mb"], out["answer_mb"] = len(json.dumps(weak)) / 1e6, len(answer) / 1e6
    view = json.loads(json.dumps(network_view(G)))
    began = time.perf_counter()
    figures = weak_points.figures(weak, view)
    text = to_json_plotly(figures)
    out["figures"], out["figures_mb"] = time.perf_counter() - began, len(text) / 1e6
    out["figures_in_mb"] = (len(json.dumps(weak)) + len(json.dumps(view))) / 1e6
    return out


def report_browser(browser: list[dict]) -> None:
    """The breakdown of the best run in the browser, in Markdown."""
    best = min(browser, key=lambda run: run["table"])
    job = best["job"] if best["job"] is not None else float("nan")
    gaps = [
        ("click → job started (the request, the job's process forked)", best["started"]),
        ("the job: read the graph, sweep, rank (as the job timed itself)", job),
        (
            f"job done → its answer in the page (polls every 500 ms; {best['answer_mb']:.1f} MB)",
            best["answered"] - best["started"] - job,
        ),
        ("answer → table drawn", best["table"] - best["answered"]),
        ("**click to table**", best["table"]),
        (
            f"table → figures' answer (server draws them; {best['figures_mb']:.1f} MB)",
            best["figures_answered"] - best["table"],
        ),
        ("figures' answer → figures drawn", best["figures"] - best["figures_answered"]),
        ("**click to figures**", best["figures"]),
    ]
    print()
    cpu = f"{best['cpu']:.1f} CPU s of the server and the job, {best['browser_cpu']:.1f} of the browser"
    print(f"In Chromium, best of {len(browser)} (load {best['load']:.1f}; {cpu}):")
    print()
    print("| step | seconds |")
    print("|---|---|")
    for step, seconds in gaps:
        print(f"| {step} | {seconds:.2f} |")


def report_here(here: dict) -> None:
    """The job's steps and the figures' work in this process, in Markdown."""
    print()
    print(f"In this process (load {here['load']:.1f}):")
    print()
    print("| step | seconds |")
    print("|---|---|")
    print(f"| the job's graph read (`graph_of`, a {here['graph_mb']:.1f} MB store) | {here['read']:.2f} |")
    print(
        f"| the job's work (`find_weak_points`: graph read, `augur.sweep.criticality`, rows) "
        f"| {here['job']:.2f} ({here['job_cpu']:.1f} CPU s) |"
    )
    print(
        f"| the figures (`figures` and their JSON: {here['figures_in_mb']:.1f} MB in, "
        f"{here['figures_mb']:.1f} MB out) | {here['figures']:.2f} |"
    )
    print(f"| payloads: the ranking {here['weak_mb']:.1f} MB, with its table {here['answer_mb']:.1f} MB | |")


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
        report_browser(in_the_browser(path, args.nodes, args.steps, args.repeats, args.port))
        report_here(in_this_process(path, args.steps))


if __name__ == "__main__":
    main()
