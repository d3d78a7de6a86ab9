"""Shared test set-up: headless Chromium for the browser tests (Debian's chromium and chromedriver)."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_setup_options():
    """Chrome options for dash_duo: Debian's chromium, headless, without background networking."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    binary = chromium_path()
    if binary:
        options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return options


def pytest_addoption(parser):
    parser.addoption(
        "--run-load", action="store_true", help="run the load test (marked load: about 90 s of a busy server)"
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--run-load"):
        skip_load = pytest.mark.skip(reason="the load test runs with --run-load (scripts/test gives it)")
        for item in items:
            if "load" in item.keywords:
                item.add_marker(skip_load)
    if chromium_path() and shutil.which("chromedriver"):
        return
    skip = pytest.mark.skip(reason="browser tests need chromium and chromedriver on PATH")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
