"""The views beside the drill: the tab strip, a page laid over the drill, and a view's long job run in
the background with progress and cancel (the machinery the weak-point views are built on)."""

from __future__ import annotations

import time
import types
from pathlib import Path

import pytest
from browsing import fresh_page
from dash import Input, Output, html

from augur.app import create_app, ids
from augur.app.components import views
from augur.app.components.jobs import JobIds, background, job_bar, progress_values

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

JOB = JobIds(run="demo-run", cancel="demo-cancel", progress="demo-progress", status="demo-status")


def _demo_page(catalogue):
    return html.Section(
        [job_bar(JOB, "Count"), html.Div(id="demo-out"), html.Button("Drill it", id="demo-drill")],
        id="demo-page",
        className="view-page",
        hidden=True,
    )


def _demo_register(app, catalogue):
    @app.callback(
        Output(ids.RUN_REQUEST, "data", allow_duplicate=True),
        Output(ids.VIEW_TABS, "value", allow_duplicate=True),
        Input("demo-drill", "n_clicks"),
        prevent_initial_call=True,
    )
    def drill_it(_):
        return views.run_request(), views.DRILL

    @app.callback(
        Output("demo-out", "children"),
        Input(JOB.run, "n_clicks"),
        prevent_initial_call=True,
        **background(JOB),
    )
    def count(set_progress, clicks):
        # 40 s of counting: the test cancels it within moments, and a 4 s count could end first on a
        # loaded machine (the job's process is forked and polled), leaving nothing to cancel
        total = 400
        for done in range(1, total + 1):
            set_progress(progress_values(done, total, "drill"))
            time.sleep(0.1)
        return f"counted {total}"


DEMO = types.SimpleNamespace(
    KEY="demo", LABEL="Demo", PAGE="demo-page", page=_demo_page, register=_demo_register
)


def test_no_views_no_tab_strip():
    """With the drill alone there is nothing to switch to: no strip."""
    assert views.tab_strip(()) is None
    assert views.pages(None, ()) == []


def test_the_strip_has_the_drill_first_then_each_view():
    strip = views.tab_strip((DEMO,))
    tabs = strip.children.children
    assert [(tab.label, tab.value) for tab in tabs] == [("Drill", views.DRILL), ("Demo", "demo")]
    assert strip.children.value == views.DRILL


def test_progress_values_move_the_bar_and_say_how_far():
    assert progress_values(3, 40, "drill") == ("3", "40", "3 of 40 drills")
    assert progress_values(0, 0, "drill") == ("0", "1", "0 of 0 drills")


@pytest.fixture(scope="module")
def demo_duo(module_dash_duo, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setattr(views, "VIEWS", (DEMO,))
    monkeypatch_module.setenv("AUGUR_JOBS_DIR", str(tmp_path_factory.mktemp("jobs")))
    module_dash_duo.start_server(create_app(SCENARIOS), navigate=False)
    return module_dash_duo


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _visible(duo, element_id: str) -> bool:
    return duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]); return !!el && el.offsetParent !== null;", element_id
    )


def _wait(predicate, timeout=60.0, message="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.mark.browser
def test_a_view_lies_over_the_drill_and_the_drill_comes_back(demo_duo):
    duo = demo_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    assert not _visible(duo, "demo-page")
    network_box = duo.driver.execute_script(
        f"return document.getElementById('{ids.NETWORK}').getBoundingClientRect().width"
    )
    duo.find_element(f"#{ids.VIEW_TABS} .view-tab:nth-child(2)").click()
    _wait(lambda: _visible(duo, "demo-page"), message="the demo page")
    duo.find_element(f"#{ids.VIEW_TABS} .view-tab:nth-child(1)").click()
    _wait(lambda: not _visible(duo, "demo-page"), message="the drill in front again")
    # the network kept its size underneath: it was never hidden
    assert network_box > 300
    assert duo.driver.execute_script(
        f"return document.getElementById('{ids.NETWORK}').getBoundingClientRect().width"
    ) == pytest.approx(network_box)
    assert duo.get_logs() == []


@pytest.mark.browser
def test_a_long_job_shows_progress_and_can_be_cancelled(demo_duo):
    duo = demo_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    duo.find_element(f"#{ids.VIEW_TABS} .view-tab:nth-child(2)").click()
    _wait(lambda: _visible(duo, "demo-page"), message="the demo page")
    duo.find_element(f"#{JOB.run}").click()
    status = _wait(lambda: duo.find_element(f"#{JOB.status}").text, message="progress")
    assert status.endswith("of 400 drills")
    assert _visible(duo, JOB.progress)
    assert duo.find_element(f"#{JOB.run}").get_attribute("disabled")
    duo.find_element(f"#{JOB.cancel}").click()
    _wait(lambda: not duo.find_element(f"#{JOB.run}").get_attribute("disabled"), message="Run again")
    stopped = duo.find_element(f"#{JOB.status}").text
    time.sleep(1.0)
    # cancelled: it counts no further and never finishes
    assert duo.find_element(f"#{JOB.status}").text in (stopped, "")
    assert duo.find_element("#demo-out").text == ""
    assert not _visible(duo, JOB.progress)


@pytest.mark.browser
def test_a_view_asks_for_a_run_and_the_drill_comes_to_the_front(demo_duo):
    duo = demo_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    duo.find_element(f"#{ids.VIEW_TABS} .view-tab:nth-child(2)").click()
    _wait(lambda: _visible(duo, "demo-page"), message="the demo page")
    assert "Not run yet" in duo.find_element(f"#{ids.VERDICT_BADGE}").text
    duo.find_element("#demo-drill").click()
    _wait(lambda: not _visible(duo, "demo-page"), message="the drill in front")
    # the bundled retail drill cascades when run
    _wait(lambda: "CASCADE" in duo.find_element(f"#{ids.VERDICT_BADGE}").text, message="the run's verdict")
    assert duo.get_logs() == []
