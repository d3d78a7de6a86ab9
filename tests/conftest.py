"""Shared test set-up: headless Chromium for the browser tests (Debian's chromium and chromedriver),
and the bundled drills that many modules read, each run once for the session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import bundled

from augur.report.export import CHROMIUM_FLAGS as PACK_CHROMIUM_FLAGS

# the flags the review pack's own Chromium runs with, in a window the size of a laptop's screen
CHROMIUM_FLAGS = (*PACK_CHROMIUM_FLAGS, "--window-size=1280,800")

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="module")
def module_dash_duo(request, tmp_path_factory):
    """One ``dash_duo`` for a whole test module: one Chromium and one threaded server, which take
    seconds to start, where ``dash_duo`` starts both for every test. The module starts its app once
    (``module_dash_duo.start_server(app)``) and each test takes a fresh page with :func:`browsing.fresh_page`.
    Built as dash.testing's own ``dash_duo`` fixture is, from the same command-line options."""
    from dash.testing.application_runners import ThreadedRunner
    from dash.testing.composite import DashComposite

    config = request.config
    with (
        ThreadedRunner() as server,
        DashComposite(
            server=server,
            browser=config.getoption("webdriver"),
            remote=config.getoption("remote"),
            remote_url=config.getoption("remote_url"),
            headless=config.getoption("headless"),
            options=config.hook.pytest_setup_options(),
            download_path=str(tmp_path_factory.mktemp("download")),
            percy_assets_root=config.getoption("percy_assets"),
            percy_finalize=config.getoption("nopercyfinalize"),
            pause=config.getoption("pause"),
        ) as duo,
    ):
        yield duo


@pytest.fixture(scope="session")
def retail():
    """The bundled retail chip outage, run: read by many tests, never changed by them."""
    return bundled(ROOT / "scenarios" / "retail-chip-outage.yaml")


@pytest.fixture(scope="session")
def kyc():
    """The bundled KYC retry storm, run."""
    return bundled(ROOT / "scenarios" / "kyc-retry-storm.yaml")
