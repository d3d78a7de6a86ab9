"""The drill app in headless Chromium (Debian's chromium and chromedriver, through dash_duo).

Every test ends with a clean browser console. The screenshots in docs/screenshots/ (app-before.png,
app-cascade.png, app-ai-cascade.png, app-compare.png, app-print.png) are taken here, at 1280x800. Expected verdicts and figures come
from the engine (`augur.simulate`), never from the test.

Run: pytest -m browser tests/test_app_browser.py
Re-take the screenshots in docs/: AUGUR_DOCS=1 pytest -m browser tests/test_app_browser.py
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from browsing import choose, fresh_page, wait_painted
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from augur import Status, load_graph, load_scenario, simulate, write_graph
from augur.app import create_app, ids
from augur.app.design import build_scenario, scenario_store
from augur.figures import STATUS_COLOURS
from augur.generate import layered_supply_graph
from augur.text import steps_text

pytestmark = [
    pytest.mark.browser,
    # selenium 4.2 calls a urllib3 method urllib3 deprecates; nothing the app does
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    # the event log is a DataTable, which Dash says will leave its core in a future major version
    pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
DATA = ROOT / "tests" / "data" / "graphs"
SHOTS = ROOT / "docs" / "screenshots"
DEFAULT = SCENARIOS / "retail-chip-outage.yaml"
WIDTH, HEIGHT = 1280, 800


# ------------------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def renderer():
    """The report's PNG renderer, started before any test server: dash_duo stops a server by raising
    SystemExit in every thread started since, which would take the renderer's event loop with it and
    leave the next test's export waiting on a dead loop."""
    import plotly.graph_objects as go

    from augur.report.export import figure_png

    figure_png(go.Figure(), width=10, height=10)


@pytest.fixture(scope="module")
def app_duo(renderer, module_dash_duo):
    """The bundled drills' app, started once for the module (after the PNG renderer: see there)."""
    module_dash_duo.start_server(create_app(SCENARIOS), navigate=False)
    return module_dash_duo


@pytest.fixture
def duo(app_duo):
    """The app on a fresh page at 1280x800, checked for console errors when the test ends."""
    fresh_page(app_duo, width=WIDTH, height=HEIGHT)
    wait_for_nodes(app_duo, 13)
    yield app_duo
    assert app_duo.get_logs() == [], "errors in the browser console"


def cy(duo, script: str, *args):
    """Run ``script`` with ``cy`` bound to the network's cytoscape instance."""
    prelude = f"var cy = document.getElementById('{ids.NETWORK}')._cyreg.cy;"
    return duo.driver.execute_script(prelude + script, *args)


# A wait that is met returns at once; only one that never is waits this out. 10 s was too short for a
# loaded machine: a fresh page took 9 to 14 s to draw its network there (load average 6).
TIMEOUT = 60.0


def wait_until(predicate, timeout: float = TIMEOUT, message: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {message}")


def wait_for_nodes(duo, count: int, timeout: float = TIMEOUT):
    script = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg ? el._cyreg.cy.nodes().length : -1"
    wait_until(lambda: duo.driver.execute_script(script) == count, timeout, f"{count} nodes drawn")


def text(duo, component: str) -> str:
    return duo.find_element(f"#{component}").text


# every node painted with a status (a group with its failed count): the network is painted by the
# timeline's own callback, which runs after the run's answer has put the verdict on the badge
PAINTED = "return cy.nodes().length > 0 && cy.nodes('[s >= 0], [f >= 0]').length === cy.nodes().length;"


def run(duo, verdict: str | None = None):
    """Click Run and wait for a verdict (``verdict`` if given) and for the network painted by a run."""
    duo.find_element(f"#{ids.RUN}").click()
    wait_until(lambda: "Not run" not in text(duo, ids.VERDICT_BADGE), message="a verdict")
    if verdict:
        wait_until(lambda: verdict.upper() in text(duo, ids.VERDICT_BADGE), message=verdict)
    wait_until(lambda: cy(duo, PAINTED), message="the network painted by the run")


def move_slider(duo, step: int):
    """Put the timeline at ``step`` as a prop change, the way Play and the event log do, and wait for
    the step label and the network's frame to be at it (one clientside callback paints both)."""
    duo.driver.execute_script(f"window.dash_clientside.set_props('{ids.SLIDER}', {{value: {step}}})")
    wait_until(lambda: re.search(rf"\b{step} of", text(duo, ids.STEP_LABEL)), message=f"step {step}")
    wait_until(
        lambda: cy(duo, "var f = cy.scratch('_augurFrame'); return !!f && f.t === arguments[0];", step),
        message=f"the network painted at step {step}",
    )


def chart_steps(duo) -> list:
    """The step each chart of the run marks, as Plotly drew it (None for a chart not drawn yet)."""
    return duo.driver.execute_script(
        "return arguments[0].map(function (id) { var gd = document.querySelector('#' + id + ' .js-plotly-plot');"
        " var shapes = gd && gd.layout && gd.layout.shapes || [];"
        " var mark = shapes.filter(function (s) { return s.name === 'step'; })[0];"
        " return mark ? mark.x0 : null; });",
        list(ids.CHARTS),
    )


def set_step(duo, step: int):
    """:func:`move_slider`, then wait for every chart redrawn with its marker at ``step``, where a
    fixed 0.3 s was left for the charts' relayout."""
    move_slider(duo, step)
    wait_until(
        lambda: chart_steps(duo) == [step] * len(ids.CHARTS), message=f"the charts marked at step {step}"
    )


def node_colours(duo) -> dict:
    return cy(
        duo,
        "var out = {}; cy.nodes().forEach(function (n) { out[n.id()] = n.style('background-color'); }); return out;",
    )


def rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({},{},{})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


def expected_colours(result, step: int) -> dict:
    return {
        node: rgb(STATUS_COLOURS[Status(int(result.trajectory.status[step, i])).label])
        for i, node in enumerate(result.trajectory.nodes)
    }


def click_node(duo, node: str):
    """Click ``node`` where cytoscape drew it, with the mouse."""
    x, y = cy(
        duo,
        f"var p = cy.getElementById('{node}').renderedPosition();"
        "var box = cy.container().getBoundingClientRect(); return [box.left + p.x, box.top + p.y];",
    )
    ActionChains(duo.driver).move_to_location(int(x), int(y)).click().perform()


def upload(duo, *paths: Path):
    field = duo.driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]")
    # chromedriver adds to a multiple file input's selection; a person choosing files replaces it
    duo.driver.execute_script("arguments[0].value = '';", field)
    field.send_keys("\n".join(str(p) for p in paths))


def expected_default():
    scenario = load_scenario(DEFAULT)
    return simulate(scenario.graph, scenario)


def screenshot(duo, name: str):
    """Take a 1280x800 screenshot: into docs/screenshots/ with AUGUR_DOCS=1 (as the review-pack docs
    are re-rendered), else into the test's download folder, so a plain run leaves the tree clean."""
    folder = SHOTS if os.environ.get("AUGUR_DOCS") else Path(duo.download_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    duo.driver.save_screenshot(str(path))
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (WIDTH, HEIGHT)


# --------------------------------------------------------------------------------------------- tests


def test_a_bundled_drill_runs_and_shows_the_engines_verdict_and_kpis(duo):
    """Run the drill the app opens on; the header, the KPI cards and the event log say what the
    engine says. The two screenshots of the main screen are taken here."""
    result = expected_default()
    m = result.metrics
    assert text(duo, ids.TITLE) == result.scenario.name
    assert "Not run yet" in text(duo, ids.VERDICT_BADGE)
    run(duo, m["verdict"])

    assert m["verdict"].upper() in text(duo, ids.VERDICT_BADGE)
    kpis = text(duo, ids.KPIS)
    unit = m["step_unit"]
    assert f"{m['time_to_survive']} {unit}s" in kpis
    assert f"{m['time_to_recover']} {unit}s" in kpis
    assert steps_text(round(m["resilience_loss"], 1), unit) in kpis
    assert re.search(rf"Secondary failures\s+{len(m['secondary_failures'])}\b", kpis)
    rows = duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.EVENTS} tbody tr")
    assert len(rows) == len(result.events) + 1  # and the header

    first_shock = min(s.start for s in result.scenario.shocks)
    set_step(duo, first_shock - 2)
    screenshot(duo, "app-before.png")
    failed = (result.trajectory.status == Status.FAILED).sum(axis=1)
    set_step(duo, int(np.argmax(failed)))
    screenshot(duo, "app-cascade.png")


def test_scrubbing_the_timeline_recolours_the_network_in_the_browser(duo):
    """Dragging the slider recolours every node to its status at that step, with no server call."""
    result = expected_default()
    run(duo, result.metrics["verdict"])
    wait_until(lambda: node_colours(duo) == expected_colours(result, 0), message="the colours of step 0")

    requests_before = duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update')).length"
    )
    left, top, width, height = duo.driver.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height];",
        duo.driver.find_element(By.CSS_SELECTOR, f"#{ids.SLIDER} [role=slider]"),
    )
    track = duo.driver.find_element(By.CSS_SELECTOR, f"#{ids.SLIDER} .dash-slider-track").size["width"]
    x, y = int(left + width / 2), int(top + height / 2)
    ActionChains(duo.driver).move_to_location(x, y).click_and_hold().move_by_offset(
        int(track * 0.15), 0
    ).move_by_offset(int(track * 0.15), 0).release().perform()
    step = int(
        wait_until(lambda: re.search(r"(\d+) of", text(duo, ids.STEP_LABEL)), message="a step").group(1)
    )
    assert step > 0
    wait_until(lambda: node_colours(duo) == expected_colours(result, step), message=f"colours of step {step}")
    assert node_colours(duo) != expected_colours(result, 0)
    requests_after = duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update')).length"
    )
    assert requests_after == requests_before, "scrubbing went to the server"

    # the keyboard moves it one step at a time
    duo.find_element(f"#{ids.SLIDER} [role=slider]").send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: f"{step + 1} of" in text(duo, ids.STEP_LABEL), message="one step on")


def test_play_replays_and_an_event_jumps_the_timeline(duo):
    result = expected_default()
    run(duo, result.metrics["verdict"])
    duo.find_element(f"#{ids.PLAY}").click()
    wait_until(lambda: not text(duo, ids.STEP_LABEL).startswith("Day 0 "), message="the replay to move")
    duo.find_element(f"#{ids.PLAY}").click()
    wait_until(lambda: "Play" in text(duo, ids.PLAY), message="the replay to pause")

    event = next(e for e in result.events if e.kind == "failed" and e.t > 12)
    cell = next(
        c
        for c in duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.EVENTS} td[data-dash-column=message]")
        if c.text.startswith(event.message[:30])
    )
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    wait_until(lambda: text(duo, ids.STEP_LABEL).startswith(f"Day {event.t} of"), message="the jump")
    wait_until(lambda: node_colours(duo) == expected_colours(result, event.t), message="colours at the event")

    # clicking a node opens its own time series, marked at the current step
    click_node(duo, event.node)
    label = result.graph.nodes[event.node].get("label", event.node)
    wait_until(lambda: label[:20] in text(duo, ids.NODE_TAB), message="the node tab")
    title = duo.find_element(f"#{ids.CHART_NODE} .gtitle")
    wait_until(lambda: label[:20] in title.text, message="the node chart")
    marker = duo.driver.execute_script(
        f"var gd = document.querySelector('#{ids.CHART_NODE} .js-plotly-plot');"
        "return gd.layout.shapes.filter(s => s.name === 'step').map(s => s.x0);"
    )
    assert marker == [event.t]


def test_an_ai_retry_storm_shows_throttling_token_halos_and_poor_data_on_the_edges(duo):
    """On the KYC drill at its token peak: throttled services in their colour, a halo as large as
    their token multiple, and the edges out of the degraded feed coloured by the quality they carry."""
    scenario = load_scenario(SCENARIOS / "kyc-retry-storm.yaml")
    result = simulate(scenario.graph, scenario)
    choose(duo, f"#{ids.PICKER}", scenario.name)
    wait_for_nodes(duo, scenario.graph.number_of_nodes())
    run(duo, result.metrics["verdict"])
    traj = result.trajectory
    ai = [i for i, v in enumerate(traj.nodes) if scenario.graph.nodes[v]["kind"] == "ai_service"]
    peak = int(np.argmax(traj.tokens[:, ai].sum(axis=1)))
    set_step(duo, peak)
    assert node_colours(duo) == expected_colours(result, peak)
    for i in ai:
        multiple = traj.tokens[peak, i] / traj.tokens[0, i]
        shown = cy(duo, f"return cy.getElementById('{traj.nodes[i]}').data('m');")
        assert shown == pytest.approx(multiple, abs=0.01)
    feed = scenario.shocks[0].target[0]  # the identity-data feed whose quality drops
    col = traj.nodes.index(feed)
    for target in scenario.graph.successors(feed):
        lag = 1 + scenario.graph.edges[feed, target].get("lead_time", 0)
        quality = traj.quality[max(0, peak - lag), col]
        shown = cy(duo, f"return cy.edges('[source = \"{feed}\"][target = \"{target}\"]').data('q');")
        assert shown == round(quality * 20)
    screenshot(duo, "app-ai-cascade.png")


def test_uploads_a_csv_pair_and_refuses_a_broken_file_beside_the_upload(duo, tmp_path):
    """A valid nodes + edges CSV pair opens; a broken file shows one message and changes nothing else."""
    pair = load_graph(DATA / "retail-nodes.csv")
    upload(duo, DATA / "retail-nodes.csv", DATA / "retail-edges.csv")
    wait_until(lambda: "retail-nodes.csv" in text(duo, ids.UPLOAD_MESSAGE), message="the upload note")
    assert f"{pair.number_of_nodes()} nodes" in text(duo, ids.GRAPH_SUMMARY)
    wait_for_nodes(duo, pair.number_of_nodes())
    run(duo)
    verdict, summary = text(duo, ids.VERDICT_BADGE), text(duo, ids.GRAPH_SUMMARY)
    title, colours = text(duo, ids.TITLE), node_colours(duo)

    upload(duo, DATA / "invalid" / "missing-comma.json")
    wait_until(lambda: "missing-comma.json" in text(duo, ids.UPLOAD_MESSAGE), message="the error")
    message = duo.find_element(f"#{ids.UPLOAD_MESSAGE}")
    assert "error" in message.get_attribute("class")
    assert "line" in message.text and "\n" not in message.text.strip()
    assert (text(duo, ids.VERDICT_BADGE), text(duo, ids.GRAPH_SUMMARY)) == (verdict, summary)
    assert (text(duo, ids.TITLE), node_colours(duo)) == (title, colours)


def test_design_a_shock_by_clicking_a_node_and_run_it(duo):
    """On the mitigated retail drill, remove its shock, click the distribution centre, add a
    bottleneck there, run: the verdict is the engine's for that design."""
    choose(duo, f"#{ids.PICKER}", "Tier-2 chip outage, with a second source and buffer stock")
    wait_until(lambda: "second source" in text(duo, ids.TITLE), message="the mitigated drill")
    run(duo)
    stale = duo.find_element(f"#{ids.STALE_NOTE}")
    assert not stale.is_displayed()
    duo.find_element(".shock-remove").click()
    wait_until(lambda: "No shocks yet" in text(duo, ids.SHOCK_LIST), message="the shock removed")
    wait_until(stale.is_displayed, message="the results marked as from an earlier design")

    click_node(duo, "dc-west")
    wait_until(
        lambda: duo.find_element(f"#{ids.SHOCK_TARGET}").get_attribute("value") == "dc-west", message="target"
    )
    assert "Logistics bottleneck" in text(duo, ids.SHOCK_KIND)
    for field, value in ((ids.SHOCK_START, 20), (ids.SHOCK_DURATION, 30), (ids.SHOCK_STRENGTH, 0.1)):
        box = duo.find_element(f"#{field}")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(str(value), Keys.TAB)
    duo.find_element(f"#{ids.SHOCK_ADD}").click()
    wait_until(lambda: "dc-west" in text(duo, ids.SHOCK_LIST), message="the shock listed")

    scenario = load_scenario(SCENARIOS / "retail-chip-outage-mitigated.yaml")
    store = scenario_store(scenario)
    store["shocks"] = [{"kind": "logistics_bottleneck", "target": "dc-west", "start": 20, "duration": 30,
                        "capacity": 0.1}]  # fmt: skip
    expected = simulate(scenario.graph, build_scenario(scenario.graph, store)).metrics
    run(duo, expected["verdict"])
    wait_until(
        lambda: (
            steps_text(round(expected["resilience_loss"], 1), expected["step_unit"]) in text(duo, ids.KPIS)
        ),
        message="the new KPIs",
    )
    wait_until(lambda: not stale.is_displayed(), message="the results current again")


def test_the_downloaded_scenario_reruns_through_the_cli_to_the_same_verdict(duo):
    run(duo)
    verdict = text(duo, ids.VERDICT_BADGE).split()[0].lower()
    duo.find_element(f"#{ids.DOWNLOAD_BUTTON}").click()
    folder = Path(duo.download_path)
    path = wait_until(lambda: next(iter(folder.glob("*.yaml")), None), message="the download")

    out = subprocess.run(
        [sys.executable, "-m", "augur.cli", "run", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    metrics = json.loads(out.stdout)
    assert metrics["verdict"] == verdict
    assert steps_text(round(metrics["resilience_loss"], 1), metrics["step_unit"]) in text(duo, ids.KPIS)

    # and the file opens again in the app, to the same drill
    choose(duo, f"#{ids.PICKER}", "KYC retry storm after an identity-data quality drop")
    wait_for_nodes(duo, 10)
    upload(duo, path)
    wait_until(lambda: path.name in text(duo, ids.UPLOAD_MESSAGE), message="the scenario reopened")
    wait_for_nodes(duo, 13)
    assert text(duo, ids.TITLE) == metrics["scenario"]
    run(duo, verdict)
    assert steps_text(round(metrics["resilience_loss"], 1), metrics["step_unit"]) in text(duo, ids.KPIS)


def test_two_sessions_never_see_each_others_drills(duo):
    """A second tab on the same server opens and runs another drill; the first tab keeps its own."""
    run(duo)
    first = (text(duo, ids.TITLE), text(duo, ids.VERDICT_BADGE), node_colours(duo))
    duo.driver.switch_to.new_window("tab")
    duo.driver.get(duo.server_url)
    wait_for_nodes(duo, 13)
    wait_painted(duo.driver)
    choose(duo, f"#{ids.PICKER}", "KYC retry storm after an identity-data quality drop")
    wait_for_nodes(duo, 10)
    run(duo)
    assert text(duo, ids.TITLE) != first[0]
    duo.driver.switch_to.window(duo.driver.window_handles[0])
    assert (text(duo, ids.TITLE), text(duo, ids.VERDICT_BADGE), node_colours(duo)) == first


def _graph_file(tmp_path: Path, nodes: int) -> Path:
    return write_graph(layered_supply_graph(nodes, 3 * nodes, seed=7), tmp_path / f"generated-{nodes}.json")


def test_a_2000_node_graph_uploads_runs_and_every_node_is_coloured(duo, tmp_path):
    """A 2,000-node upload is drawn in full (not grouped) and a run colours every node.
    How long it takes is measured in benchmarks/bench_app.py, not asserted here."""
    path = _graph_file(tmp_path, 2000)
    upload(duo, path)
    wait_for_nodes(duo, 2000)
    assert "groups" not in text(duo, ids.NETWORK_NOTE)
    vendor = cy(duo, "return cy.nodes('[kind = \"vendor\"]')[0].id();")
    duo.find_element(f"#{ids.SHOCK_TARGET}").send_keys(vendor)
    duo.find_element(f"#{ids.SHOCK_ADD}").click()
    wait_until(lambda: vendor in text(duo, ids.SHOCK_LIST), message="the shock")
    run(duo)
    wait_until(lambda: cy(duo, "return cy.nodes('[s >= 0]').length;") == 2000, message="the network coloured")
    assert text(duo, ids.VERDICT_BADGE).lower() in {"graceful", "degraded", "cascade"}


def test_a_10000_node_graph_is_grouped_and_the_view_still_responds(duo, tmp_path):
    path = _graph_file(tmp_path, 10_000)
    upload(duo, path)
    wait_until(lambda: "groups" in text(duo, ids.NETWORK_NOTE), timeout=20, message="the grouped view")
    groups = int(re.search(r"drawn as (\d+) groups", text(duo, ids.NETWORK_NOTE)).group(1))
    assert 5 <= groups <= 40
    # the note and the drawing are separate renders: wait until the groups it names are the ones drawn
    wait_until(lambda: cy(duo, "return cy.nodes().length;") == groups, message="the groups drawn")
    vendor = "n0"
    duo.find_element(f"#{ids.SHOCK_TARGET}").send_keys(vendor)
    duo.find_element(f"#{ids.SHOCK_ADD}").click()
    wait_until(lambda: vendor in text(duo, ids.SHOCK_LIST), message="the shock")
    run(duo)
    set_step(duo, 20)
    start = time.perf_counter()
    move_slider(duo, 40)
    # a hang guard, not a speed figure (that is in benchmarks/bench_app.py): a frozen tab takes far longer
    assert time.perf_counter() - start < 5.0
    assert cy(duo, "return cy.nodes('[f >= 0]').length;") == groups


# ------------------------------------------------------------------- review: export, images, compare, print

STEM = "tier-2-chip-outage-at-a-smart-home-retailer"  # file names of the default drill's exports
MITIGATED = SCENARIOS / "retail-chip-outage-mitigated.yaml"


def download(duo, pattern: str, timeout: float = 180.0) -> Path:
    """The downloaded file matching ``pattern``, once there: an export opens a Chromium of its own in
    the job's new process (RENDER_TIMEOUT allows it 120 s), so the wait is long."""
    folder = Path(duo.download_path)
    return wait_until(lambda: next(iter(folder.glob(pattern)), None), timeout, f"a download {pattern}")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def png_is_drawn(data: bytes) -> bool:
    """True when a PNG holds a picture: its pixel rows take many values (a blank image, white or
    transparent, compresses to a handful of byte values however it is filtered)."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return len(set(zlib.decompress(b"".join(chunks)))) > 32


def pack_json(page: bytes) -> dict:
    """The machine-readable block a review page embeds: its metrics and provenance."""
    marker = '<script type="application/json" id="augur-pack">'
    text = page.decode("utf-8")
    start = text.index(marker) + len(marker)
    return json.loads(text[start : text.index("</script>", start)])


def worst(result) -> int:
    return int(np.argmax((result.trajectory.status == Status.FAILED).sum(axis=1)))


def plot_y(duo, chart: str) -> list[list[float]]:
    return duo.driver.execute_script(
        f"var gd = document.querySelector('#{chart} .js-plotly-plot');"
        "return gd._fullData.map(function (t) { return Array.from(t.y); });"  # typed arrays decoded
    )


def test_export_review_downloads_the_pack_of_the_drill_as_run(renderer, duo):
    """One click on Export review: a background job whose progress shows under the buttons, then a
    zip whose page and dashboard image report the drill as run, whatever was edited since."""
    result = expected_default()
    run(duo, result.metrics["verdict"])
    name = duo.find_element(f"#{ids.NAME}")
    name.send_keys(Keys.CONTROL, "a")
    name.send_keys("Edited after the run", Keys.TAB)
    wait_until(duo.find_element(f"#{ids.STALE_NOTE}").is_displayed, message="the design marked as changed")

    start = time.perf_counter()
    duo.find_element(f"#{ids.EXPORT}").click()
    # a background job: the button says so, the line under it counts the pack's two files; read in
    # one go as the progress first shows, since the job may end soon after and put the button back
    shown = wait_until(
        lambda: duo.driver.execute_script(
            "var status = document.getElementById(arguments[0]).innerText;"
            "var button = document.getElementById(arguments[1]), cancel = document.getElementById(arguments[2]);"
            "return status && {status: status, disabled: button.disabled, label: button.innerText,"
            " cancel: cancel.offsetParent !== null};",
            ids.EXPORT_STATUS,
            ids.EXPORT,
            ids.EXPORT_CANCEL,
        ),
        message="the export's progress",
    )
    assert re.fullmatch(r"[012] of 2 files", shown["status"])
    assert shown["disabled"] and shown["label"].endswith("Exporting…")
    assert shown["cancel"]
    pack = download(duo, "*.zip")
    print(f"\nExport review: {time.perf_counter() - start:.2f} s from click to zip")
    wait_until(lambda: not duo.find_element(f"#{ids.EXPORT_JOB}").is_displayed(), message="the bar gone")
    assert duo.find_element(f"#{ids.EXPORT}").is_enabled()
    files = {n: zipfile.ZipFile(pack).read(n) for n in zipfile.ZipFile(pack).namelist()}
    assert pack.name == f"{STEM}-review.zip"
    assert sorted(files) == [f"{STEM}-review.html", f"{STEM}-review.png"]
    page = pack_json(files[f"{STEM}-review.html"])
    assert page["metrics"]["verdict"] == result.metrics["verdict"]
    assert page["metrics"]["scenario"] == result.scenario.name  # the run, not the later edit
    assert page["metrics"]["resilience_loss"] == pytest.approx(result.metrics["resilience_loss"])
    assert png_size(files[f"{STEM}-review.png"]) == (1600, 1000)
    assert png_is_drawn(files[f"{STEM}-review.png"])
    assert "as run, not your later edits" in text(duo, ids.RUN_MESSAGE)


def test_the_network_and_each_chart_download_as_png(duo):
    """The network's PNG button saves the whole graph as drawn at the step on screen; a chart's
    "Download plot as a PNG" saves that chart; both named after the drill. No chart offers to upload
    its data to the cloud."""
    result = expected_default()
    run(duo, result.metrics["verdict"])
    step = worst(result)
    set_step(duo, step)
    duo.find_element(f"#{ids.NETWORK_PNG}").click()
    network = download(duo, "*-network-*.png").read_bytes()
    assert download(duo, "*-network-*.png").name == f"{STEM}-network-day-{step}.png"
    width, height = png_size(network)
    assert width > height > 200  # the whole layered graph, left to right, at twice the scale
    assert png_is_drawn(network)

    # with the mouse, as a person does: the mode bar shows on hover (a scripted click is no gesture,
    # and Chromium blocks a second download without one)
    chart = duo.find_element(f"#{ids.CHART_SERVICE}")
    button = duo.find_element(f"#{ids.CHART_SERVICE} .modebar-btn[data-title^='Download plot']")
    ActionChains(duo.driver).move_to_element(chart).perform()
    wait_until(
        lambda: duo.driver.execute_script(
            "return parseFloat(getComputedStyle(arguments[0].closest('.modebar')).opacity) === 1;", button
        ),
        message="the mode bar shown on hover",
    )
    ActionChains(duo.driver).move_to_element(button).click().perform()
    chart = download(duo, f"{STEM}-service-level.png").read_bytes()
    assert png_is_drawn(chart)
    titles = duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"
    )
    assert titles and not [t for t in titles if "Share" in t or "Cloud" in t]


def test_compare_sets_the_chip_outage_beside_its_mitigation(renderer, duo):
    """Compare, then pick the mitigated drill: both verdicts, the after drill marked better, the KPI
    deltas marked, and both service-level curves on one chart, as the engine computes them. The
    screenshot of the compare view is taken here."""
    from augur.report import compare_facts

    before = expected_default()
    mitigated = load_scenario(MITIGATED)
    after = simulate(mitigated.graph, mitigated)
    run(duo, before.metrics["verdict"])
    duo.find_element(f"#{ids.COMPARE_OPEN}").click()
    overlay = duo.find_element(f"#{ids.COMPARE}")
    wait_until(overlay.is_displayed, message="the compare view")
    assert "Pin as before" in text(duo, ids.COMPARE_BODY)

    choose(duo, f"#{ids.COMPARE_WITH}", mitigated.name)
    wait_until(lambda: "GRACEFUL" in text(duo, ids.COMPARE_BODY), message="the comparison")
    before_side = duo.find_element(f"#{ids.COMPARE_BODY} .side-before")
    after_side = duo.find_element(f"#{ids.COMPARE_BODY} .side-after")
    assert before.metrics["verdict"].upper() in before_side.text and before.scenario.name in before_side.text
    assert after.metrics["verdict"].upper() in after_side.text
    overall = duo.find_element(f"#{ids.COMPARE_BODY} .compare-overall")
    assert overall.get_attribute("data-overall") == "better" and "better" in overall.text
    rows = compare_facts(before, after)["rows"]
    marks = duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.COMPARE_BODY} .delta-better")
    assert len(marks) == sum(r["direction"] == "better" for r in rows) > 0
    curves = wait_until(lambda: len(plot_y(duo, ids.COMPARE_CHART)) == 2 and plot_y(duo, ids.COMPARE_CHART))
    assert curves[0] == pytest.approx(before.service_level.tolist())
    assert curves[1] == pytest.approx(after.service_level.tolist())
    wait_until(
        lambda: duo.driver.execute_script(
            f"var gd = document.querySelector('#{ids.COMPARE_CHART} .js-plotly-plot');"
            "return !!gd && !!gd.data && gd.querySelectorAll('.scatterlayer .trace').length === gd.data.length;"
        ),
        message="the compare chart's two curves drawn",
    )
    screenshot(duo, "app-compare.png")

    duo.find_element(f"#{ids.COMPARE_EXPORT}").click()
    pack = download(duo, "*-vs-*.zip")
    assert sorted(n.rsplit(".", 1)[1] for n in zipfile.ZipFile(pack).namelist()) == ["html", "png"]
    ActionChains(duo.driver).send_keys(Keys.ESCAPE).perform()
    wait_until(lambda: not overlay.is_displayed(), message="Escape to close the compare view")


def test_a_pinned_run_is_compared_with_the_design_changed_after_it(duo):
    """Pin the cascade, upload the graph with a second source and buffers (the shock carries over),
    run it: the compare view sets the pinned run before the new one, under the same shock."""
    before = expected_default()
    run(duo, before.metrics["verdict"])
    duo.find_element(f"#{ids.PIN}").click()
    wait_until(lambda: "Pinned" in text(duo, ids.RUN_MESSAGE), message="the run pinned")

    graph = SCENARIOS / "graphs" / "retail-mitigated.json"
    upload(duo, graph)
    wait_until(lambda: graph.name in text(duo, ids.UPLOAD_MESSAGE), message="the new graph")
    G = load_graph(graph)
    store = {**scenario_store(load_scenario(DEFAULT)), "name": f"Drill on {graph.name}"}
    store.pop("hypothesis")
    after = simulate(G, build_scenario(G, store))
    run(duo, after.metrics["verdict"])

    duo.find_element(f"#{ids.COMPARE_OPEN}").click()
    wait_until(lambda: "pinned run" in text(duo, ids.COMPARE_BODY), message="the pinned run compared")
    before_side = duo.find_element(f"#{ids.COMPARE_BODY} .side-before").text
    after_side = duo.find_element(f"#{ids.COMPARE_BODY} .side-after").text
    assert "pinned run" in before_side and before.metrics["verdict"].upper() in before_side
    assert "on screen, as run" in after_side and after.metrics["verdict"].upper() in after_side
    assert "Same shocks" in text(duo, ids.COMPARE_BODY)
    overall = duo.find_element(f"#{ids.COMPARE_BODY} .compare-overall").get_attribute("data-overall")
    assert overall == "better"


def test_printing_gives_a_one_page_landscape_review(duo):
    """Printing the page (headless Chromium's print to PDF) gives one landscape page: the header, the
    KPI cards, the network and the charts, without the control panel, the slider or the buttons. The
    screenshot of the printed layout is taken here."""
    result = expected_default()
    run(duo, result.metrics["verdict"])
    set_step(duo, worst(result))
    start = time.perf_counter()
    pdf = base64.b64decode(
        duo.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})[
            "data"
        ]
    )
    print(f"\nprint to PDF: {time.perf_counter() - start:.2f} s, {len(pdf) / 1e3:.0f} kB")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([\d.\s]+)\]", pdf).group(1).split()]
    assert box[2] > box[3], "a landscape page"
    # the screen comes back as it was
    assert "printing" not in duo.driver.execute_script("return document.documentElement.className")
    wait_until(
        lambda: duo.driver.execute_script(
            f"var el = document.getElementById('{ids.CHART_SERVICE}');"
            "return Math.abs(el.querySelector('.main-svg').getBoundingClientRect().width"
            " - el.getBoundingClientRect().width) < 2;"
        ),
        message="the charts sized to the screen again",
    )

    # what the page prints: the print layout under print media
    duo.driver.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    try:
        duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        shown = duo.driver.execute_script(
            "var seen = function (s) { var e = document.querySelector(s);"
            " return !!e && e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== 'none'; };"
            f"return {{panel: seen('.panel'), slider: seen('#{ids.SLIDER}'), run: seen('#{ids.RUN}'),"
            f" kpis: seen('#{ids.KPIS}'), network: seen('.network-print'), tokens: seen('#{ids.CHART_TOKENS}'),"
            f" ci: seen('#{ids.CHART_CI}'), printed: seen('#{ids.PRINTED}')}};"
        )
        assert shown == {"panel": False, "slider": False, "run": False, "kpis": True, "network": True,
                         "tokens": True, "ci": True, "printed": True}  # fmt: skip
        assert result.metrics["verdict"].upper() in text(duo, ids.VERDICT_BADGE)
        assert f"seed {result.scenario.seed}" in text(duo, ids.SUBTITLE)
        # and as a sheet on screen, the way it shows behind the print dialog
        duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        time.sleep(0.2)
        screenshot(duo, "app-print.png")
    finally:
        duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        duo.driver.execute_script("window.dispatchEvent(new Event('afterprint'))")
