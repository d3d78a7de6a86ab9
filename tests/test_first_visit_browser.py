"""What a new user met in the browser (headless Chromium through dash_duo): the first paint, a name
typed just before Run, an upload past the server's limit, a drill cut short by its horizon, and an
event log and network that can be read at 1280x800.

The screenshots (first-paint.png, cut-short.png, event-log.png, upload-too-large.png) go to the test's
download folder, or to docs/screenshots/ with AUGUR_DOCS=1.

Run: flock /tmp/augur-browser.lock pytest -m browser tests/test_first_visit_browser.py
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from browsing import fresh_page
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from augur import load_scenario, simulate
from augur.app import create_app, ids
from augur.app.components.controls import upload_limits
from augur.app.layout import FIRST_PAINT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHOTS = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800
# a small request limit, so a file past it is quick to make: the page lets through 0.187 MB
LIMIT_MB = 0.5


@pytest.fixture(scope="module")
def app_duo(module_dash_duo):
    module_dash_duo.start_server(create_app(SCENARIOS, max_upload_mb=LIMIT_MB), navigate=False)
    return module_dash_duo


@pytest.fixture
def duo(app_duo):
    """The app on a fresh page at 1280x800, checked for console errors when the test ends."""
    fresh_page(app_duo, width=WIDTH, height=HEIGHT)
    wait_until(lambda: js(app_duo, "return document.documentElement.classList.contains('augur-painted')"))
    yield app_duo
    assert app_duo.get_logs() == [], "errors in the browser console"


def js(duo, script: str, *args):
    return duo.driver.execute_script(script, *args)


def wait_until(predicate, timeout: float = 60.0, message: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {message}")


def text(duo, component: str) -> str:
    return duo.find_element(f"#{component}").text


def store(duo, component: str):
    """A store's data as the page holds it (Dash's own state)."""
    return js(
        duo,
        "var s = window.store.getState(); var node = s.paths.strs[arguments[0]]"
        ".reduce(function (o, k) { return o[k]; }, s.layout); return node.props.data;",
        component,
    )


def settled(duo) -> bool:
    """Whether Dash has no callback waiting, running or unanswered (the renderer's own queues)."""
    return js(
        duo,
        "var c = window.store.getState().callbacks;"
        "return ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']"
        ".every(function (k) { return !c[k] || !c[k].length; });",
    )


def run(duo):
    duo.find_element(f"#{ids.RUN}").click()
    wait_until(lambda: "Not run" not in text(duo, ids.VERDICT_BADGE), message="a verdict")


def screenshot(duo, name: str) -> Path:
    folder = SHOTS if os.environ.get("AUGUR_DOCS") else Path(duo.download_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    duo.driver.save_screenshot(str(path))
    header = path.read_bytes()[:24]
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (WIDTH, HEIGHT)
    return path


# What the page looked like at every change of the document until it was whole: whether the app was
# on screen (not hidden) and which of the lazily drawn components were missing then. The page shows
# itself after 8 s even with components missing (first-paint.js's MAX_WAIT): on a loaded machine the
# chunks took longer than that (shown at 8.75 s with 7 missing, load average 8), so the test gives the
# wait two minutes and checks what it is for, that the page is shown whole once the chunks are in.
FIRST_PAINT_WAIT_MS = 120_000
WATCH = """
window.augurFirstPaintMaxWait = WAIT;
window.__paint = [];
new MutationObserver(function () {
  var app = document.querySelector('.app');
  if (!app) return;
  var missing = IDS.filter(function (id) { return !document.getElementById(id); });
  window.__paint.push({shown: getComputedStyle(app).visibility !== 'hidden', missing: missing.length});
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
""".replace("IDS", json.dumps(list(FIRST_PAINT))).replace("WAIT", str(FIRST_PAINT_WAIT_MS))


def test_the_page_is_first_shown_whole_with_the_drill_picker_upload_and_dropdowns(duo):
    """Dash draws the layout before the code of its dropdowns, upload, slider, charts and table has
    resolved; for a second or two the panel had no drill picker, no upload box and no dropdowns.
    The page now stays hidden until all of them are drawn: at no change of the document is the app
    shown with one missing, and right after it is shown every one of them is there."""
    script = duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    try:
        duo.driver.get(duo.server.url)
        wait_until(
            lambda: js(duo, "return document.documentElement.classList.contains('augur-painted')"),
            timeout=FIRST_PAINT_WAIT_MS / 1000,
            message="the page shown",
        )
        seen = js(duo, "return window.__paint")
        missing_now = js(
            duo,
            "return arguments[0].filter(function (id) { return !document.getElementById(id); })",
            FIRST_PAINT,
        )
        path = screenshot(duo, "first-paint.png")
    finally:
        duo.driver.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )
    assert missing_now == []
    assert seen and [s for s in seen if s["shown"] and s["missing"]] == []
    assert any(not s["shown"] for s in seen)  # it was hidden while the components came in
    picker = duo.find_element(f"#{ids.PICKER}")
    assert picker.is_displayed() and "chip outage" in picker.text.lower()
    assert duo.find_element(f"#{ids.UPLOAD}").is_displayed()
    assert path.stat().st_size > 10_000


def test_a_name_typed_just_before_run_is_the_runs_name_and_no_design_changed_note_stays(duo):
    """Typing a new name and clicking Run straight away (the field commits as it is left, which is
    as Run fires) runs the drill under the new name: the title, the run's design and the store on
    screen agree, and the note that the design changed since the run stays hidden."""
    field = duo.find_element(f"#{ids.NAME}")
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("Chip outage before the board")
    run(duo)
    wait_until(lambda: text(duo, ids.TITLE) == "Chip outage before the board", message="the new title")
    # both answers (the settings' and Run's) in: Dash has no callback left to run or to answer, where
    # a fixed 0.5 s could pass before a loaded machine's settings answer came
    wait_until(lambda: settled(duo), message="every callback answered")
    ran, shown = store(duo, ids.RUN_DESIGN), store(duo, ids.SCENARIO)
    assert ran["scenario"]["name"] == "Chip outage before the board"
    assert shown["rev"] == ran["scenario"]["rev"]
    assert not duo.find_element(f"#{ids.STALE_NOTE}").is_displayed()
    assert "pulse" not in duo.find_element(f"#{ids.RUN}").get_attribute("class")


def test_an_upload_past_the_servers_limit_is_refused_beside_the_upload_and_the_design_stays(duo, tmp_path):
    """With a request limit of 0.5 MB the page lets through files of up to 0.187 MB (a third more in
    base64, and room for the rest of the request). A 0.3 MB graph is refused in the browser, before
    it is sent, with the limit beside the upload; the drill on screen stays as it was; a small file
    still loads."""
    _, file_limit = upload_limits(LIMIT_MB)
    big = tmp_path / "big-graph.json"
    nodes = [{"id": f"n{i}", "kind": "vendor", "label": "x" * 40} for i in range(4000)]
    big.write_text(json.dumps({"nodes": nodes, "edges": []}))
    assert 0.25 * 2**20 < big.stat().st_size < 0.5 * 2**20
    title, summary = text(duo, ids.TITLE), text(duo, ids.GRAPH_SUMMARY)
    field = duo.driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]")
    field.send_keys(str(big))
    wait_until(lambda: "too large" in text(duo, ids.UPLOAD_MESSAGE), message="the refusal")
    said = text(duo, ids.UPLOAD_MESSAGE)
    assert said.startswith(
        f"big-graph.json is 0.3 MB: file too large (limit {file_limit:g} MB, the server's 0.5 MB"
    )
    assert "--max-upload-mb" in said
    assert "error" in duo.find_element(f"#{ids.UPLOAD_MESSAGE}").get_attribute("class")
    time.sleep(0.5)  # nothing else arrives: no request was sent
    assert (text(duo, ids.TITLE), text(duo, ids.GRAPH_SUMMARY)) == (title, summary)
    screenshot(duo, "upload-too-large.png")

    small = tmp_path / "small.json"
    small.write_text(json.dumps({"nodes": [{"id": "a", "kind": "vendor"}, {"id": "b", "kind": "process"}],
                                 "edges": [{"source": "a", "target": "b"}]}))  # fmt: skip
    js(duo, "arguments[0].value = '';", field)
    field.send_keys(str(small))
    wait_until(lambda: "Loaded small.json" in text(duo, ids.UPLOAD_MESSAGE), message="the small upload")


def test_a_drill_cut_short_by_its_horizon_says_consequences_are_still_to_come(duo):
    """The chip outage runs from day 10 to day 30; in a 12-day drill nothing has failed beyond Acme
    yet and service is 100% throughout. The cards say so far, consequences still to come, and the
    time to recover unknown, not "below 99% at the end"."""
    steps = duo.find_element(f"#{ids.STEPS}")
    steps.click()
    steps.send_keys(Keys.CONTROL, "a")
    steps.send_keys("12", Keys.TAB)
    wait_until(lambda: store(duo, ids.SCENARIO)["steps"] == 12, message="the new horizon")
    run(duo)
    cards = text(duo, ids.KPIS)
    assert "GRACEFUL" in cards
    assert "so far: consequences still to come" in cards
    assert "unknown" in cards and "a shock lasts to the end of the drill" in cards
    assert "below 99%" not in cards
    screenshot(duo, "cut-short.png")


def test_the_event_log_shows_a_useful_stretch_and_network_labels_are_legible(duo):
    """After the chip outage runs, at 1280x800 the event log shows at least seven whole rows (it
    showed five, each a line taller than its text) and scrolls for the rest; network labels are 14.5 px type on a nearly opaque
    background, so an edge passing behind one does not run through its text."""
    run(duo)
    expected = simulate(load_scenario(SCENARIOS / "retail-chip-outage.yaml").graph,
                        load_scenario(SCENARIOS / "retail-chip-outage.yaml")).events  # fmt: skip
    wait_until(lambda: js(duo, f"return document.querySelectorAll('#{ids.EVENTS} tbody tr').length") > 8)
    rows, whole = js(
        duo,
        f"""var wrap = document.querySelector('.events-wrap').getBoundingClientRect();
        var rows = document.querySelectorAll('#{ids.EVENTS} tbody tr'), whole = 0;
        rows.forEach(function (r) {{ var b = r.getBoundingClientRect();
            if (b.top >= wrap.top && b.bottom <= wrap.bottom + 0.5) whole++; }});
        return [rows.length, whole];""",
    )
    screenshot(duo, "event-log.png")
    assert rows == len(expected) + 1  # and the header row
    assert whole >= 7
    style = js(
        duo,
        f"var n = document.getElementById('{ids.NETWORK}')._cyreg.cy.nodes()[0];"
        "return [n.style('font-size'), n.style('text-background-opacity')];",
    )
    assert style == ["14.5px", "0.92"]
