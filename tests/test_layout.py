"""The layered layout shared by the app's network and the review pack's: where nodes sit and how labels
wrap so that a bundled drill fills the app's network panel with labels that can be read.

The browser tests at the end check the same on screen, in the app at 1280x800 (headless Chromium).
"""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from augur import load_scenario
from augur.generate import layered_supply_graph
from augur.layout import (
    LABEL_FONT,
    LABEL_LIMIT,
    NODE_SIZE,
    PANEL,
    layered_drawing,
    layered_positions,
    wrap_label,
)

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LEGIBLE = 10.0  # px: the smallest label size on screen that reads comfortably


def drawn_extent(drawing) -> tuple[float, float]:
    """Width and height of the drawing as cytoscape fits it: nodes and the labels below them (wrapped
    as the layout says, at a generous 0.55 em a character)."""
    boxes = []
    for v, (x, y) in drawing.positions.items():
        lines = drawing.labels[v].split("\n")
        half = max(NODE_SIZE, max(len(line) for line in lines) * 0.55 * LABEL_FONT) / 2
        boxes.append(
            (x - half, y - NODE_SIZE / 2, x + half, y + NODE_SIZE / 2 + 6 + len(lines) * 1.05 * LABEL_FONT)
        )
    boxes = np.array(boxes)
    return boxes[:, 2].max() - boxes[:, 0].min(), boxes[:, 3].max() - boxes[:, 1].min()


# ----------------------------------------------------------------------------------------- the drills


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_bundled_drill_fills_the_panel_with_legible_labels(path):
    """Fitted into the app's network panel, a bundled drill's labels show at 10 px or more, and the
    drawing spans most of the panel's width or height (no graph in a third of it)."""
    drawing = layered_drawing(load_scenario(path).graph)
    width, height = drawn_extent(drawing)
    zoom = min(PANEL[0] / width, PANEL[1] / height)
    assert zoom * LABEL_FONT >= LEGIBLE
    assert max(width * zoom / PANEL[0], height * zoom / PANEL[1]) > 0.95
    assert min(width * zoom / PANEL[0], height * zoom / PANEL[1]) > 0.6


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_labels_of_neighbouring_layers_do_not_meet(path):
    """Two labels side by side (their lines at the same height) leave a gap between them."""
    drawing = layered_drawing(load_scenario(path).graph)
    boxes = {}
    for v, (x, y) in drawing.positions.items():
        lines = drawing.labels[v].split("\n")
        half = max(len(line) for line in lines) * 0.47 * LABEL_FONT / 2  # Arial's mean width
        boxes[v] = (
            x - half,
            y + NODE_SIZE / 2 + 4,
            x + half,
            y + NODE_SIZE / 2 + 4 + len(lines) * LABEL_FONT,
        )
    for a, (ax0, ay0, ax1, ay1) in boxes.items():
        for b, (bx0, by0, bx1, by1) in boxes.items():
            if a < b:
                overlap = min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0)
                assert min(overlap) <= 0, f"the labels of {a} and {b} overlap"


# ------------------------------------------------------------------------------------------ the rules


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Production-scheduling model", 100, ["Production-", "scheduling", "model"]),
        ("Acme Chips (tier 2)", 90, ["Acme Chips", "(tier 2)"]),
        ("E-signature service", 60, ["E-signature", "service"]),
        ("Customer deliveries", 400, ["Customer deliveries"]),
    ],
)
def test_labels_break_at_spaces_and_after_hyphens_but_not_before_a_short_word(text, width, lines):
    assert wrap_label(text, width) == lines


def test_a_graph_too_large_to_label_is_packed_tight_and_fast():
    """Above the label limit the layout packs tight and wraps no labels."""
    G = layered_supply_graph(2000, 6000, seed=7)
    start = time.perf_counter()
    drawing = layered_drawing(G)
    assert time.perf_counter() - start < 2.0  # a hang guard: benchmarks/bench_app.py times it
    assert drawing.labels == {}
    assert drawing.positions == layered_positions(G)
    assert G.number_of_nodes() > LABEL_LIMIT


@pytest.mark.parametrize("n", [20, 60, 400])
def test_every_supplier_sits_left_of_what_depends_on_it_whatever_the_spacing(n):
    """Outside a cycle, every edge runs left to right, in labelled graphs and in a large one (tall
    layers wrapped)."""
    G = layered_supply_graph(n, 3 * n, seed=11)
    positions = layered_positions(G)
    cyclic = {v for c in nx.strongly_connected_components(G) if len(c) > 1 for v in c}
    for u, v in G.edges:
        if not {u, v} <= cyclic:
            assert positions[u][0] < positions[v][0], f"{u} -> {v}"


# ------------------------------------------------------------------------------------ in the browser


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
@pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_on_screen_labels_are_legible_and_the_graph_fills_the_panel(dash_duo, path):
    """In the app at 1280x800, after Fit: labels at 10 px or more, the graph across most of the panel."""
    from augur.app import create_app, ids

    dash_duo.start_server(create_app(path))
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    G = load_scenario(path).graph
    cy = f"var cy = document.getElementById('{ids.NETWORK}')._cyreg.cy;"
    script = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg ? el._cyreg.cy.nodes().length : 0"
    end = time.monotonic() + 10
    while dash_duo.driver.execute_script(script) != G.number_of_nodes():
        assert time.monotonic() < end, "the network was not drawn"
        time.sleep(0.05)
    dash_duo.find_element(f"#{ids.FIT}").click()
    time.sleep(0.3)
    shown = dash_duo.driver.execute_script(
        cy + "var box = cy.elements().renderedBoundingBox();"
        "return {zoom: cy.zoom(), font: parseFloat(cy.nodes()[0].style('font-size')), w: cy.width(), h: cy.height(),"
        " bw: box.w, bh: box.h};"
    )
    assert shown["zoom"] * shown["font"] >= LEGIBLE
    assert max(shown["bw"] / shown["w"], shown["bh"] / shown["h"]) > 0.85
    assert dash_duo.get_logs() == [], "errors in the browser console"
