"""Helpers for the browser tests that share one server and one Chromium per module (see
``module_dash_duo`` in conftest.py)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path


def fresh_page(duo, *, width: int, height: int) -> None:
    """Put ``duo`` on a fresh page of its server, as a first visit sees it: in a new tab (the others
    closed, so no earlier page can still write to storage), with the origin's local storage, session
    storage, IndexedDB and cookies cleared (stores the app persists start empty), the download
    folder emptied, the console log drained of what earlier pages left, and the viewport at
    ``width`` x ``height``; it returns once the page is shown."""
    driver = duo.driver
    earlier = driver.window_handles
    driver.switch_to.new_window("tab")
    fresh = driver.current_window_handle
    for handle in earlier:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(fresh)
    url = duo.server.url
    origin = url.rstrip("/")
    driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": duo.download_path}
    )
    for path in Path(duo.download_path).iterdir():
        if path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path)
    duo.get_logs()
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    # goes there and waits for the app to load: dash.testing's own wait (server_url's) gives it 10 s,
    # which a fresh tab on a loaded machine came close to (a test's set-up took 9 to 14 s)
    duo._url = url
    duo.wait_for_page(timeout=LOAD_TIMEOUT)
    wait_painted(driver)


# seconds to wait for a page to load and show itself: generous, since a wait that is met returns at
# once and only a page that never comes waits it out
LOAD_TIMEOUT = 60.0


def wait_painted(driver, timeout: float = LOAD_TIMEOUT) -> None:
    """Wait until the app's page is shown: it stays hidden until every lazily drawn component is
    in (assets/first-paint.js), and a hidden element has no text for Selenium. An app page that
    names no components to wait for (no ``data-paint``) is shown as soon as it is drawn."""
    script = (
        "return document.documentElement.classList.contains('augur-painted') || "
        "(!!document.querySelector('.app') && !document.querySelector('.app[data-paint]'));"
    )
    end = time.monotonic() + timeout
    while not driver.execute_script(script):
        if time.monotonic() > end:
            raise AssertionError("the page was not shown: first-paint.js never marked it painted")
        time.sleep(0.02)


def choose(duo, selector: str, value: str, timeout: float = LOAD_TIMEOUT) -> None:
    """Pick the option ``value`` of the dcc.Dropdown at ``selector`` as a person does, waiting for its
    menu to list it: dash.testing's select_dcc_dropdown looks for the menu once (within the driver's
    2 s implicit wait) and, when the option is not there yet, logs it and picks nothing."""
    from selenium.webdriver.common.by import By

    duo.find_element(selector).click()
    end = time.monotonic() + timeout
    while True:
        options = duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-options .dash-dropdown-option")
        option = next((o for o in options if o.text == value), None)
        if option is not None:
            option.click()
            return
        if time.monotonic() > end:
            listed = [o.text for o in options]
            raise AssertionError(f"the dropdown {selector} never listed {value!r} (it listed {listed})")
        time.sleep(0.05)
