"""The app as ``augur serve`` runs it (waitress, the guard, the CSP), in headless Chromium.

Run: flock /tmp/augur-browser.lock pytest -m browser tests/test_server_browser.py
"""

from __future__ import annotations

import time

import pytest
from browsing import wait_painted
from selenium.webdriver.common.keys import Keys
from serving import ROOT, augur_serve, free_port

from augur import load_scenario, simulate
from augur.app import ids

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

SCENARIOS = ROOT / "scenarios"
TOKEN = "browser-test-token-0123"


def wait_until(predicate, timeout: float = 60.0, message: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def text(driver, component: str) -> str:
    return driver.find_element("css selector", f"#{component}").text


def console_errors(duo) -> list:
    return [entry for entry in duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def test_the_page_runs_a_drill_under_the_content_security_policy_from_the_token_link(dash_duo):
    """Every script Dash needs runs with the CSP on: the page draws the network, runs the drill and
    shows the engine's verdict; the console has no CSP violation; the token link leaves the address bar."""
    scenario = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    expected = simulate(scenario.graph, scenario)
    with augur_serve([str(SCENARIOS), "--token", TOKEN], port=free_port()) as (url, _):
        driver = dash_duo.driver
        driver.get(url)
        assert "access link" in driver.find_element("tag name", "body").text
        time.sleep(0.5)
        assert all("403" in entry["message"] for entry in console_errors(dash_duo))  # refused, as meant
        driver.get(f"{url}?token={TOKEN}")
        wait_until(lambda: "token" not in driver.current_url, message="the token out of the address bar")
        wait_until(lambda: driver.find_elements("css selector", f"#{ids.RUN}"), message="the page")
        network = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg ? el._cyreg.cy.nodes().length : 0"
        wait_until(lambda: driver.execute_script(network) > 0, message="the network drawn")
        wait_painted(driver)
        driver.find_element("css selector", f"#{ids.RUN}").click()
        verdict = expected.metrics["verdict"].upper()
        wait_until(lambda: verdict in text(driver, ids.VERDICT_BADGE), message=f"the verdict {verdict}")
        assert console_errors(dash_duo) == []


# ------------------------------------------------------------------------ nothing lost on a reload

DATA = ROOT / "tests" / "data" / "graphs"
BUNDLED_TITLE = "Tier-2 chip outage at a smart-home retailer"


def wait_for_page(driver):
    network = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg ? el._cyreg.cy.nodes().length : 0"
    wait_until(lambda: driver.execute_script(network) > 0, message="the network drawn")
    wait_painted(driver)


def upload(driver, path):
    field = driver.find_element("css selector", f"#{ids.UPLOAD} input[type=file]")
    driver.execute_script("arguments[0].value = '';", field)
    field.send_keys(str(path))


def add_shock(driver, target: str, start: int):
    box = driver.find_element("css selector", f"#{ids.SHOCK_TARGET}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(target, Keys.TAB)
    box = driver.find_element("css selector", f"#{ids.SHOCK_START}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(start), Keys.TAB)
    driver.find_element("css selector", f"#{ids.SHOCK_ADD}").click()
    wait_until(lambda: target in text(driver, ids.SHOCK_LIST), message=f"the shock on {target} listed")


def the_design_is_back(driver, verdict: str):
    wait_until(lambda: "Reopened" in text(driver, ids.UPLOAD_MESSAGE), message="the design reopened")
    assert "retail.json" in text(driver, ids.GRAPH_SUMMARY)
    shocks = text(driver, ids.SHOCK_LIST)
    assert "acme-chips" in shocks and "dc-west" in shocks
    # the results were of this design: the drill is run again, to the same verdict
    wait_until(lambda: verdict in text(driver, ids.VERDICT_BADGE), message=f"the verdict {verdict} again")


def test_an_uploaded_graph_and_two_shocks_survive_a_reload_and_a_server_restart(dash_duo):
    driver, port = dash_duo.driver, free_port()
    with augur_serve([str(SCENARIOS)], port=port) as (url, _):
        driver.get(url)
        wait_for_page(driver)
        upload(driver, DATA / "retail.json")
        wait_until(lambda: "retail.json" in text(driver, ids.UPLOAD_MESSAGE), message="the upload")
        add_shock(driver, "acme-chips", 5)
        add_shock(driver, "dc-west", 12)
        driver.find_element("css selector", f"#{ids.RUN}").click()
        wait_until(lambda: "Not run" not in text(driver, ids.VERDICT_BADGE), message="a verdict")
        verdict = text(driver, ids.VERDICT_BADGE)

        driver.refresh()
        the_design_is_back(driver, verdict)
    with augur_serve([str(SCENARIOS)], port=port) as (url, _):
        driver.get(url)
        the_design_is_back(driver, verdict)
        assert console_errors(dash_duo) == []


def test_browser_state_augur_did_not_write_is_refused_and_the_bundled_drill_stays(dash_duo):
    """A saved graph without its revision, a scenario that is a list, a graph that does not validate,
    plain garbage: each is one message beside the upload, the page stays on the bundled drill."""
    graph = {"rev": "abc", "name": "g.json", "nodes": 1, "edges": 0,
             "data": {"directed": True, "nodes": [{"id": "a", "kind": "vendor"}], "edges": []}}  # fmt: skip
    cases = {
        "no rev": {"version": 1, "graph": {k: v for k, v in graph.items() if k != "rev"}, "scenario": {}},
        "got a list": {"version": 1, "graph": graph, "scenario": ["not", "a", "scenario"]},
        "capacity": {
            "version": 1,
            "graph": {
                **graph,
                "data": {**graph["data"], "nodes": [{"id": "a", "kind": "vendor", "capacity": -1}]},
            },
            "scenario": {},
        },
        "version": "garbage",
    }
    with augur_serve([str(SCENARIOS)]) as (url, _):
        driver = dash_duo.driver
        driver.get(url)
        wait_for_page(driver)
        for expected, saved in cases.items():
            driver.execute_script(
                "sessionStorage.setItem(arguments[0], JSON.stringify(arguments[1]));", ids.SAVED, saved
            )
            driver.refresh()
            wait_until(lambda: "could not be reopened" in text(driver, ids.UPLOAD_MESSAGE), message=expected)
            assert expected in text(driver, ids.UPLOAD_MESSAGE)
            assert text(driver, ids.TITLE) == BUNDLED_TITLE
            wait_for_page(driver)
        assert console_errors(dash_duo) == []
