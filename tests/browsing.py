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
    duo.server_url = url  # goes there, and waits for the app to load
    wait_painted(driver)


def wait_painted(driver, timeout: float = 15.0) -> None:
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
