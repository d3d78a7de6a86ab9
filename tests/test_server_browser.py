"""The app as ``augur serve`` runs it (waitress, the guard, the CSP), in headless Chromium.

Run: flock /tmp/augur-browser.lock pytest -m browser tests/test_server_browser.py
"""

from __future__ import annotations

import time

import pytest
from serving import ROOT, augur_serve, free_port

from augur import load_scenario, simulate
from augur.app import ids

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

SCENARIOS = ROOT / "scenarios"
TOKEN = "browser-test-token-0123"


def wait_until(predicate, timeout: float = 20.0, message: str = "condition"):
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
        driver.find_element("css selector", f"#{ids.RUN}").click()
        verdict = expected.metrics["verdict"].upper()
        wait_until(lambda: verdict in text(driver, ids.VERDICT_BADGE), message=f"the verdict {verdict}")
        assert console_errors(dash_duo) == []
