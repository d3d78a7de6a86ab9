"""Editing the graph in the app, and a node's story, in headless Chromium (as tests/test_app_browser.py).

Failure steps are counted by hand from the bundled retail drill: Acme Chips goes down at step 10;
Boardworks reads it over a two-step lead time, one step later, so it fails at step 13. Every test
ends with a clean browser console. The screenshots edit-node-story.png, edit-panel.png and
edit-panel-lower.png (adding, Undo, the download) are taken here at 1280x800 (into docs/screenshots/
with AUGUR_DOCS=1).

Run: pytest -m browser tests/test_edit_browser.py
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from browsing import choose, fresh_page
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from test_app_browser import (
    DEFAULT,
    HEIGHT,
    SCENARIOS,
    WIDTH,
    click_node,
    cy,
    run,
    screenshot,
    text,
    wait_for_nodes,
    wait_until,
)

from augur import load_scenario, simulate
from augur.app import create_app, ids
from augur.app.edit import DOWNLOAD_FORMATS
from augur.graph import graphs_equal
from augur.io import read_upload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def app_duo(module_dash_duo):
    module_dash_duo.start_server(create_app(SCENARIOS), navigate=False)
    return module_dash_duo


@pytest.fixture
def duo(app_duo):
    fresh_page(app_duo, width=WIDTH, height=HEIGHT)
    wait_for_nodes(app_duo, 13)
    yield app_duo
    assert app_duo.get_logs() == [], "errors in the browser console"


def field_id(kind: str, name: str) -> str:
    """The DOM id Dash gives a pattern-matching id."""
    return json.dumps({"name": name, "type": kind}, separators=(",", ":"), sort_keys=True)


def by_id(duo, element_id: str):
    # a CSS selector cannot hold the quotes of a pattern-matching id; getElementById can
    element = duo.driver.execute_script("return document.getElementById(arguments[0])", element_id)
    assert element is not None, f"no element {element_id}"
    return element


def node_field(duo, name: str):
    return by_id(duo, field_id(ids.EDIT_NODE_FIELD, name))


def edge_field(duo, name: str):
    return by_id(duo, field_id(ids.EDIT_EDGE_FIELD, name))


def field_message(duo, kind: str, name: str) -> str:
    return by_id(duo, field_id(kind, name)).text


def type_into(box, value) -> None:
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(str(value), Keys.TAB)


TABS = ("Event log", "Node", "Edit")  # the node's tab is labelled with the node in hand


def selected_tab(duo) -> int:
    tabs = duo.driver.find_elements(By.CSS_SELECTOR, ".detail-card .tab")
    return next(i for i, tab in enumerate(tabs) if "tab-selected" in tab.get_attribute("class"))


def open_tab(duo, tab: str) -> None:
    duo.driver.find_elements(By.CSS_SELECTOR, ".detail-card .tab")[TABS.index(tab)].click()


def edit_node_in_panel(duo, node: str, **values) -> None:
    click_node(duo, node)
    # the click opens the node's story; the Edit tab after that (its content is in the page only
    # while it is open)
    wait_until(lambda: selected_tab(duo) == 1, message="the node's story open")
    open_tab(duo, "Edit")
    wait_until(lambda: node in text(duo, ids.EDIT_HEADING), message=f"{node} in the edit panel")
    for name, value in values.items():
        type_into(node_field(duo, name), value)


def saved_graph(duo) -> dict:
    """The graph store as the tab keeps it across a reload (augur.app.components.persist)."""
    saved = duo.driver.execute_script(f"return window.sessionStorage.getItem({json.dumps(ids.SAVED)})")
    return json.loads(saved)["graph"]


def event_rows(duo) -> list[str]:
    return [row.text for row in duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.NODE_EVENTS} tbody tr")]


def click_edge(duo, source: str, target: str) -> None:
    x, y = cy(
        duo,
        f"var e = cy.edges().filter(function (e) {{ return e.data('source') === '{source}' && "
        f"e.data('target') === '{target}'; }})[0]; var p = e.renderedMidpoint();"
        "var box = cy.container().getBoundingClientRect(); return [box.left + p.x, box.top + p.y];",
    )
    ActionChains(duo.driver).move_to_location(int(x), int(y)).click().perform()


def run_edited(duo) -> None:
    """Run the edited design and wait for its results: the badge may already show the same verdict,
    so the sign is the design-changed note going."""
    stale = duo.find_element(f"#{ids.STALE_NOTE}")
    assert stale.is_displayed(), "an edit since the last run"
    run(duo)
    wait_until(lambda: not stale.is_displayed(), message="the edited design's results")


def edge_count(duo) -> int:
    return cy(duo, "return cy.edges().length;")


def test_a_buffer_edited_in_the_panel_moves_the_nodes_failure_by_its_steps(duo):
    """Boardworks fails at step 13; four steps of buffer cover steps 13 to 16, so it fails at step
    17, its story says so in words, and the header says the design changed until the run."""
    run(duo, "cascade")
    click_node(duo, "boardworks")
    wait_until(lambda: "failed at day 13" in text(duo, ids.NODE_WHY), message="the story of Boardworks")
    assert "supply from Acme Chips (tier 2) at 0%" in text(duo, ids.NODE_WHY)
    rows = event_rows(duo)
    assert any(r.startswith("13") and "Boardworks Assembly (tier 1) failed" in r for r in rows)
    assert all("Boardworks" in r for r in rows), "only the node's own events"
    screenshot(duo, "edit-node-story.png")

    open_tab(duo, "Edit")
    wait_until(lambda: "Boardworks" in text(duo, ids.EDIT_HEADING), message="Boardworks in the panel")
    assert node_field(duo, "recovery").get_attribute("value") == "3"
    assert node_field(duo, "buffer").get_attribute("placeholder") == "default 0"
    type_into(node_field(duo, "buffer"), 4)
    wait_until(lambda: "Buffer of Boardworks Assembly (tier 1) set to 4" in text(duo, ids.EDIT_MESSAGE))
    stale = duo.find_element(f"#{ids.STALE_NOTE}")
    wait_until(stale.is_displayed, message="the design-changed note")
    screenshot(duo, "edit-panel.png")

    run(duo, "cascade")
    wait_until(lambda: not stale.is_displayed(), message="the results current again")
    open_tab(duo, "Node")
    wait_until(lambda: "failed at day 17" in text(duo, ids.NODE_WHY), message="the failure moved to step 17")
    assert "its 4 days of stock spent" in text(duo, ids.NODE_WHY)
    assert saved_graph(duo)["data"]["nodes"][1] == {
        "id": "boardworks",
        "kind": "vendor",
        "label": "Boardworks Assembly (tier 1)",
        "recovery": 3,
        "buffer": 4.0,
    }

    # Undo brings back the graph the first run was on: those results are the ones on screen no more,
    # so the design-changed note shows again; running gives the failure at step 13 once more
    open_tab(duo, "Edit")
    duo.find_element(f"#{ids.EDIT_UNDO_BUTTON}").click()
    wait_until(lambda: "Undone: buffer of Boardworks" in text(duo, ids.EDIT_MESSAGE), message="undone")
    wait_until(stale.is_displayed, message="the results on screen of the edited graph, not this one")
    duo.driver.execute_script("document.querySelector('.editor').scrollTop = 10000")
    screenshot(duo, "edit-panel-lower.png")
    wait_until(
        lambda: node_field(duo, "buffer").get_attribute("value") == "", message="the buffer blank again"
    )
    assert duo.find_element(f"#{ids.EDIT_UNDO_BUTTON}").get_attribute("disabled") == "true"
    run(duo, "cascade")
    open_tab(duo, "Node")
    wait_until(lambda: "failed at day 13" in text(duo, ids.NODE_WHY), message="step 13 again")


def test_a_bad_value_says_why_beside_its_field_and_keeps_the_graph(duo):
    run(duo, "cascade")
    before = saved_graph(duo)
    edit_node_in_panel(duo, "boardworks", buffer=-1)
    wait_until(
        lambda: (
            "expected a number in [0, 1,000,000] for 'buffer', got -1"
            in field_message(duo, ids.EDIT_NODE_FIELD_MESSAGE, "buffer")
        ),
        message="the refusal beside Buffer",
    )
    assert field_message(duo, ids.EDIT_NODE_FIELD_MESSAGE, "capacity") == ""
    assert not duo.find_element(f"#{ids.STALE_NOTE}").is_displayed()
    assert saved_graph(duo) == before
    # a value that fits is then taken, and the message goes
    type_into(node_field(duo, "buffer"), 2)
    wait_until(lambda: field_message(duo, ids.EDIT_NODE_FIELD_MESSAGE, "buffer") == "", message="cleared")
    wait_until(lambda: saved_graph(duo)["data"]["nodes"][1].get("buffer") == 2.0, message="buffer 2 kept")


def test_an_edge_added_as_a_second_source_saves_order_fulfilment_and_removing_it_does_not(duo):
    """Order fulfilment takes its stock from the West DC alone, which is down from step 34, so it
    fails at step 35. A new East DC feeding it in the same 'stock' group gives that group
    (0 + 1) / 2 = 50%: half of min_supply 1, above fail_below 0.3, so it only degrades, to 50%.
    Removing the edge again brings the failure back at step 35."""
    open_tab(duo, "Edit")
    type_into(duo.find_element(f"#{ids.EDIT_NEW_NODE_ID}"), "dc-east")
    choose(duo, f"#{ids.EDIT_NEW_NODE_KIND}", "logistics")
    duo.find_element(f"#{ids.EDIT_NODE_ADD}").click()
    wait_for_nodes(duo, 14)
    type_into(duo.find_element(f"#{ids.EDIT_NEW_EDGE_SOURCE}"), "dc-east")
    type_into(duo.find_element(f"#{ids.EDIT_NEW_EDGE_TARGET}"), "order-fulfilment")
    duo.find_element(f"#{ids.EDIT_EDGE_ADD}").click()
    wait_until(lambda: edge_count(duo) == 13, message="the new edge drawn")

    click_edge(duo, "dc-east", "order-fulfilment")
    wait_until(lambda: "Edge dc-east → Order fulfilment" in text(duo, ids.EDIT_HEADING), message="the edge")
    type_into(edge_field(duo, "group"), "stock")
    wait_until(lambda: "Group of dc-east → Order fulfilment set to stock" in text(duo, ids.EDIT_MESSAGE))

    run(duo)
    click_node(duo, "order-fulfilment")
    open_tab(duo, "Node")
    wait_until(
        lambda: "never failed; its output fell to 50% at its lowest, at day 35" in text(duo, ids.NODE_WHY),
        message="order fulfilment saved by its second source",
    )

    click_edge(duo, "dc-east", "order-fulfilment")
    wait_until(lambda: "Edge dc-east" in text(duo, ids.EDIT_HEADING), message="the edge again")
    duo.find_element(f"#{ids.EDIT_EDGE_REMOVE}").click()
    wait_until(lambda: edge_count(duo) == 12, message="the edge gone")
    run_edited(duo)
    click_node(duo, "order-fulfilment")
    open_tab(duo, "Node")
    wait_until(lambda: "failed at day 35" in text(duo, ids.NODE_WHY), message="the failure back at 35")


@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv"])
def test_the_edited_graph_downloads_and_reads_back_as_the_edited_graph(duo, fmt):
    edit_node_in_panel(duo, "boardworks", buffer=4, label="Boardworks EMS")
    wait_until(lambda: "Name of" in text(duo, ids.EDIT_MESSAGE), message="the name taken")
    label = next(label for value, label, _ in DOWNLOAD_FORMATS if value == fmt)
    choose(duo, f"#{ids.EDIT_FORMAT}", label)
    duo.find_element(f"#{ids.EDIT_DOWNLOAD_BUTTON}").click()
    folder = Path(duo.download_path)
    suffix = ".zip" if fmt == "csv" else f".{fmt}"
    path = wait_until(
        lambda: next((p for p in folder.iterdir() if p.suffix == suffix and p.stat().st_size), None),
        message="the download",
    )
    data = path.read_bytes()
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            H = read_upload({name: archive.read(name) for name in archive.namelist()})
    else:
        H = read_upload({path.name: data})
    expected = load_scenario(DEFAULT).graph
    expected.nodes["boardworks"].update(buffer=4.0, label="Boardworks EMS")
    assert path.name == f"retail-edited{suffix}"
    assert graphs_equal(H, expected)
    assert simulate(H, load_scenario(DEFAULT)).metrics["verdict"] == "cascade"


def test_an_edited_graph_is_kept_across_a_reload(duo):
    """The edited graph is the session's graph: a reload reopens it as an upload would."""
    edit_node_in_panel(duo, "boardworks", buffer=4)
    wait_until(lambda: "(edited)" in text(duo, ids.SUBTITLE), message="the graph marked as edited")
    duo.driver.refresh()
    wait_for_nodes(duo, 13)
    wait_until(lambda: "(edited)" in text(duo, ids.SUBTITLE), message="the edited graph reopened")
    edit_node_in_panel(duo, "boardworks")
    wait_until(lambda: node_field(duo, "buffer").get_attribute("value") == "4", message="its buffer of 4")
