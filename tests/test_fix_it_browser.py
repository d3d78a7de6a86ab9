"""The Fix it panel in headless Chromium: the least fixes of the drill on screen, found in the background,
equal augur.sweep.mitigate's (and, on a chain, the hand count); a cannot-help row on the vendor that
fails; "Apply and re-run" into the compare view with the better verdict, and back to the before.

Screenshots at 1280x800 go to AUGUR_SHOTS (a folder) when set, else the test's download folder; the
README's are re-taken with AUGUR_SHOTS=docs/screenshots.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from browsing import choose, fresh_page

from augur import load_scenario
from augur.app import create_app, ids
from augur.app.components import fix_it
from augur.sweep import mitigate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1280, 800

CHAIN_GRAPH = {
    "nodes": [
        {"id": "a", "kind": "vendor", "label": "Vendor A"},
        {"id": "b", "kind": "vendor", "label": "Assembler B"},
        {"id": "shop", "kind": "process", "label": "Shop"},
    ],
    "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "shop"}],
}
CHAIN = """name: Chain with a five-day outage
graph: graphs/chain.json
step_unit: day
steps: 20
shocks:
  - kind: vendor_failure
    target: a
    start: 2
    duration: 5
"""


@pytest.fixture(scope="module")
def drills(tmp_path_factory):
    """The bundled drills and a hand-countable chain, in one folder the app serves."""
    folder = tmp_path_factory.mktemp("drills")
    shutil.copytree(ROOT / "scenarios", folder, dirs_exist_ok=True)
    (folder / "graphs" / "chain.json").write_text(json.dumps(CHAIN_GRAPH), encoding="utf-8")
    (folder / "zz-chain.yaml").write_text(CHAIN, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def fix_duo(module_dash_duo, drills, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("AUGUR_JOBS_DIR", str(tmp_path_factory.mktemp("jobs")))
    module_dash_duo.start_server(create_app(drills), navigate=False)
    return module_dash_duo


@pytest.fixture
def duo(fix_duo):
    fresh_page(fix_duo, width=WIDTH, height=HEIGHT)
    fix_duo.wait_for_element(f"#{ids.VIEW_TABS}")
    yield fix_duo
    assert fix_duo.get_logs() == []


def _wait(predicate, timeout=60.0, message="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = predicate()
        except Exception:  # an element redrawn between finding and reading it
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def _visible(duo, element_id: str) -> bool:
    return duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]); return !!el && el.offsetParent !== null;", element_id
    )


def _text(duo, element_id: str) -> str:
    return duo.find_element(f"#{element_id}").text


def _run(duo, verdict: str):
    duo.find_element(f"#{ids.RUN}").click()
    _wait(lambda: verdict.upper() in _text(duo, ids.VERDICT_BADGE), message=verdict)


def _open_fix_it(duo):
    tabs = duo.driver.find_elements("css selector", f"#{ids.VIEW_TABS} .view-tab")
    next(tab for tab in tabs if tab.text == fix_it.LABEL).click()
    _wait(lambda: _visible(duo, ids.FIX_PAGE), message="the Fix it panel")


def _find(duo):
    duo.find_element(f"#{ids.FIX_RUN}").click()


def _rows(duo, selector=".fix-row"):
    script = (
        "return Array.from(document.querySelectorAll(arguments[0])).map(function (li) {"
        "  return {node: li.dataset.node, lever: li.dataset.lever, to: li.dataset.to, reason: li.dataset.reason,"
        "          text: (li.querySelector('.fix-text') || li).innerText}; });"
    )
    return duo.driver.execute_script(script, f"#{ids.FIX_BODY} {selector}")


def _screenshot(duo, name: str):
    folder = Path(os.environ.get("AUGUR_SHOTS") or duo.download_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    duo.driver.save_screenshot(str(path))
    header = path.read_bytes()[:24]
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (WIDTH, HEIGHT)


def test_fix_it_finds_the_least_fix_applies_it_and_compares(duo, drills):
    """On the cascading retail drill: the panel lists mitigate's least fixes (26 days of stock at
    Boardworks first), says stock at Acme Chips cannot cover its own outage, and applying the fix
    shows the compare view with the pinned cascade before and a graceful drill after."""
    drill = load_scenario(drills / "retail-chip-outage.yaml")
    expected = mitigate(drill.graph, drill)
    _open_fix_it(duo)
    assert _text(duo, ids.FIX_INTRO).startswith("Run the drill first")
    _run(duo, "cascade")
    _wait(lambda: _text(duo, ids.FIX_INTRO).startswith("Not searched yet."), message="what Find fixes does")
    assert _rows(duo) == []  # nothing searched until the button is pressed
    _find(duo)
    rows = _wait(lambda: _rows(duo), message="the fixes found")
    assert [(r["lever"], r["node"], float(r["to"])) for r in rows] == [
        (f["lever"], f["node"], f["to"]) for f in expected.fixes
    ]
    assert [r["text"] for r in rows] == [f["text"] for f in expected.fixes]
    assert rows[0]["text"].startswith("26 days of stock at Boardworks Assembly (tier 1)")
    own = [r for r in _rows(duo, ".cannot-row") if r["reason"] == "fails_itself"]
    assert [r["node"] for r in own] == ["acme-chips"]
    assert own[0]["text"].startswith("Stock at Acme Chips (tier 2) cannot cover its own outage")
    assert "Tier-2 chip outage at a smart-home retailer" in _text(duo, ids.FIX_INTRO)
    _screenshot(duo, "fix-it.png")

    duo.find_element(f"#{ids.FIX_BODY} .fix-row .fix-apply").click()
    _wait(lambda: _visible(duo, ids.COMPARE_BODY), message="the compare view")
    sides = _wait(
        lambda: duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('.compare-side')).map(function (s) {"
            " return s.dataset.verdict; });"
        ),
        message="both sides",
    )
    assert sides == ["cascade", "graceful"]
    assert "pinned run" in duo.find_element(".side-before").text
    assert duo.find_element(".compare-overall").get_attribute("data-overall") == "better"
    assert "26" in duo.find_element(".compare-changes").text  # the graph change, said
    assert _visible(duo, ids.COMPARE_BEFORE)  # how to undo, beside the button that does it
    assert "pinned run" in _text(duo, ids.COMPARE_UNDO_NOTE)
    assert "GRACEFUL" in _text(duo, ids.VERDICT_BADGE)
    _screenshot(duo, "fix-it-compare.png")

    # undo: the pinned cascade back on screen, run again
    duo.find_element(f"#{ids.COMPARE_BEFORE}").click()
    _wait(lambda: not _visible(duo, ids.COMPARE_BODY), message="the compare view closed")
    _wait(lambda: "CASCADE" in _text(duo, ids.VERDICT_BADGE), message="the before on screen")


def test_on_a_chain_the_panel_gives_the_hand_count(duo):
    """Vendor A is down days 2-6; Assembler B runs dry a day later for five days: five days of stock
    at B is the least (four leave a day bare), and stock at A cannot help."""
    duo.wait_for_element(f"#{ids.PICKER}")
    choose(duo, f"#{ids.PICKER}", "Chain with a five-day outage")
    _wait(lambda: "Chain with a five-day outage" in _text(duo, ids.TITLE), message="the chain drill")
    _run(duo, "cascade")
    _open_fix_it(duo)
    _find(duo)
    rows = _wait(lambda: _rows(duo), message="the fixes found")
    stock = [r for r in rows if r["lever"] == "buffer"]
    assert [(r["node"], float(r["to"])) for r in stock] == [("b", 5.0)]
    assert (
        stock[0]["text"] == "5 days of stock at Assembler B, against 0 days today, makes this drill GRACEFUL."
    )
    assert "4 days does not do it" in duo.find_element(f"#{ids.FIX_BODY} .fix-row[data-lever=buffer]").text
    assert [r["node"] for r in _rows(duo, ".cannot-row") if r["reason"] == "fails_itself"] == ["a"]
