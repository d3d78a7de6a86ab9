"""Helpers for the browser tests that share one server and one Chromium per module (see
``module_dash_duo`` in conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path


def fresh_page(duo, *, width: int, height: int) -> None:
    """Put ``duo`` on a fresh page of its server, as a first visit sees it: in a new tab (the others
    closed, so no earlier page can still write to storage), with the origin's local storage, session
    storage, IndexedDB and cookies cleared (stores the app persists start empty), the download
    folder emptied, the console log drained of what earlier pages left, and the viewport at
    ``width`` x ``height``."""
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
