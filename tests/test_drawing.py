"""The layered drawing (augur.drawing) shared by the app's network and the review pack's: where nodes sit, which edges
bend around a node in their way, and how labels wrap so that a bundled drill fills the app's network
panel with labels that can be read.

The browser tests at the end check the same on screen, in the app at 1280x800 (headless Chromium).
"""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from browsing import fresh_page

from augur import load_scenario
from augur.drawing import (
    BEND_STEPS,
    LABEL_FONT,
    LABEL_LIMIT,
    NODE_SIZE,
    PANEL,
    edge_bends,
    edge_curve,
    layered_drawing,
    layered_positions,
    wrap_label,
)
from augur.generate import layered_supply_graph

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LEGIBLE = 10.0  # px: the smallest label size on screen that reads comfortably


def quadratic(p0, p2, bend: float, samples: int = 400) -> np.ndarray:
    """The drawn edge, computed here rather than taken from the layout: a quadratic Bezier curve whose
    control point is ``bend`` px off the middle of the chord, towards (-dy, dx), as cytoscape's
    unbundled-bezier draws it with control-point-distances and edge-distances: node-position."""
    p0, p2 = np.asarray(p0, float), np.asarray(p2, float)
    d = p2 - p0
    control = (p0 + p2) / 2 + bend * np.array([-d[1], d[0]]) / np.hypot(*d)
    t = np.linspace(0, 1, samples)[:, None]
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * control + t**2 * p2


def closest_pass(G: nx.DiGraph, drawing) -> tuple[float, tuple]:
    """How near any drawn edge comes to the centre of a node that is not one of its ends."""
    nearest = (np.inf, ())
    for u, v in G.edges:
        curve = quadratic(drawing.positions[u], drawing.positions[v], drawing.bends.get((u, v), 0.0))
        for w in G.nodes:
            if w not in (u, v):
                gap = float(np.hypot(*(curve - drawing.positions[w]).T).min())
                nearest = min(nearest, (gap, (u, v, w)))
    return nearest


def drawn_extent(drawing) -> tuple[float, float]:
    """Width and height of the drawing as cytoscape fits it: nodes, labels below them (wrapped as
    the layout says, at a generous 0.55 em a character) and the bent edges' curves."""
    boxes = []
    for v, (x, y) in drawing.positions.items():
        lines = drawing.labels[v].split("\n")
        half = max(NODE_SIZE, max(len(line) for line in lines) * 0.55 * LABEL_FONT) / 2
        boxes.append(
            (x - half, y - NODE_SIZE / 2, x + half, y + NODE_SIZE / 2 + 6 + len(lines) * 1.05 * LABEL_FONT)
        )
    for (u, v), bend in drawing.bends.items():
        curve = quadratic(drawing.positions[u], drawing.positions[v], bend)
        boxes.append((*curve.min(axis=0), *curve.max(axis=0)))
    boxes = np.array(boxes)
    return boxes[:, 2].max() - boxes[:, 0].min(), boxes[:, 3].max() - boxes[:, 1].min()


# ----------------------------------------------------------------------------------------- the drills


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_drawn_edge_passes_through_a_node_it_does_not_touch(path):
    """Every edge of a bundled drill, drawn as the app and the pack draw it, keeps more than a node's
    radius from the centre of every node but its own two."""
    G = load_scenario(path).graph
    gap, (u, v, w) = closest_pass(G, layered_drawing(G))
    assert gap > NODE_SIZE / 2, f"{u} -> {v} passes {gap:.1f} px from the centre of {w}"


@pytest.mark.parametrize(
    ("path", "edge", "node"),
    [
        ("retail-chip-outage", ("foldseal", "dc-west"), "port-long-beach"),
        ("voice-agent-telephony-outage", ("bellwave", "phone-support"), "voice-llm"),
        ("voice-agent-telephony-outage", ("relaylink", "phone-support"), "text-to-speech"),
        ("kyc-retry-storm", ("case-mgmt", "aml-monitoring"), "identity-feed"),
        ("kyc-retry-storm", ("case-mgmt", "aml-monitoring"), "kyc-llm"),
        ("manufacturer-port-congestion", ("erp-orders", "customer-deliveries"), "final-assembly"),
        ("manufacturer-port-congestion", ("erp-orders", "customer-deliveries"), "outbound-trucking"),
    ],
)
def test_the_routes_a_new_user_misread_now_go_round(path, edge, node):
    """The edges a new user read as running through an unrelated node keep clear of it."""
    G = load_scenario(ROOT / "scenarios" / f"{path}.yaml").graph
    assert G.has_edge(*edge) and node in G
    drawing = layered_drawing(G)
    curve = quadratic(drawing.positions[edge[0]], drawing.positions[edge[1]], drawing.bends.get(edge, 0.0))
    assert np.hypot(*(curve - drawing.positions[node]).T).min() > NODE_SIZE / 2


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


def test_an_edge_in_line_with_a_node_bends_by_the_smallest_step_that_clears():
    """A long edge in line with the node between its ends bends; 40 px brings the curve only 20 px
    off the line, so it takes 80. An edge that runs clear stays straight."""
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")])
    positions = {"a": (0, 0), "b": (150, 0), "c": (300, 0), "d": (150, 100)}
    assert BEND_STEPS[:2] == (40.0, 80.0)
    assert edge_bends(G, positions) == {("a", "c"): 80.0}
    # with 40 px the only bend on offer, none clears: the edge takes it all the same, as it has more room
    assert edge_bends(G, positions, steps=(40.0,)) == {("a", "c"): 40.0}


def test_a_bend_goes_round_on_the_side_with_room():
    """With a node just below the line, the edge bends up (a negative offset on a left-to-right edge,
    the y axis pointing down the screen)."""
    G = nx.DiGraph([("a", "c"), ("b", "x")])
    positions = {"a": (0, 0), "b": (150, 10), "c": (300, 0), "x": (150, 300)}
    bends = edge_bends(G, positions)
    assert list(bends) == [("a", "c")] and bends["a", "c"] < 0
    curve = edge_curve(positions["a"], positions["c"], bends["a", "c"])
    assert curve[len(curve) // 2][1] < 0


def test_edge_curve_is_the_quadratic_cytoscape_draws():
    curve = edge_curve((10, 20), (310, 120), 60.0, samples=33)
    np.testing.assert_allclose(curve, quadratic((10, 20), (310, 120), 60.0, samples=33))


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


def test_a_graph_too_large_to_label_is_drawn_straight_and_fast():
    """Above the label limit the layout packs tight and bends nothing (cytoscape draws such edges as
    haystack lines, which cannot bend), so laying out 2,000 nodes searches no bends."""
    G = layered_supply_graph(2000, 6000, seed=7)
    start = time.perf_counter()
    drawing = layered_drawing(G)
    assert time.perf_counter() - start < 2.0  # a hang guard: benchmarks/bench_app.py times it
    assert drawing.bends == {} and drawing.labels == {}
    assert drawing.positions == layered_positions(G)
    assert G.number_of_nodes() > LABEL_LIMIT


@pytest.mark.parametrize("n", [20, 60, 400])
def test_every_supplier_sits_left_of_what_depends_on_it_whatever_the_spacing(n):
    """Outside a cycle, every edge runs left to right, in a small graph (reordered to keep edges
    clear of nodes), a labelled one and a large one (tall layers wrapped)."""
    G = layered_supply_graph(n, 3 * n, seed=11)
    positions = layered_positions(G)
    cyclic = {v for c in nx.strongly_connected_components(G) if len(c) > 1 for v in c}
    for u, v in G.edges:
        if not {u, v} <= cyclic:
            assert positions[u][0] < positions[v][0], f"{u} -> {v}"


def test_the_old_module_name_still_imports_and_says_where_the_drawing_went():
    """``augur.layout`` (the drawing's name before ``augur.drawing``) re-exports it for one release,
    with a deprecation warning that names the new module."""
    import importlib
    import sys

    sys.modules.pop("augur.layout", None)
    with pytest.warns(DeprecationWarning, match="augur.drawing"):
        old = importlib.import_module("augur.layout")
    assert old.layered_drawing is layered_drawing
    assert set(old.__all__) == set(importlib.import_module("augur.drawing").__all__)


# ------------------------------------------------------------------------------------ in the browser


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
@pytest.mark.filterwarnings(r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_on_screen_labels_are_legible_and_edges_curve_as_the_layout_bends_them(module_dash_duo, path):
    """In the app at 1280x800, after Fit: labels at 10 px or more, the graph across most of the panel,
    and each bent edge drawn through the control point the layout computed (straight ones straight).
    One Chromium serves every drill; each gets its own server, opened on it."""
    from augur.app import create_app, ids

    dash_duo = module_dash_duo
    if dash_duo.server.started:
        dash_duo.server.stop()
    dash_duo.start_server(create_app(path), navigate=False)
    fresh_page(dash_duo, width=1280, height=800)
    G = load_scenario(path).graph
    drawing = layered_drawing(G)
    cy = f"var cy = document.getElementById('{ids.NETWORK}')._cyreg.cy;"
    script = f"var el = document.getElementById('{ids.NETWORK}'); return el && el._cyreg ? el._cyreg.cy.nodes().length : 0"
    end = time.monotonic() + 60  # a loaded machine's fresh page is slow to draw; a met wait is quick
    while dash_duo.driver.execute_script(script) != G.number_of_nodes():
        assert time.monotonic() < end, "the network was not drawn"
        time.sleep(0.05)
    # zoomed out first, so that Fit's clientside callback, run a moment after the click, shows by
    # changing the viewport: read after a fixed 0.3 s, a slow machine's page could still be unfitted
    zoomed_out = dash_duo.driver.execute_script(cy + "cy.zoom(cy.zoom() / 2); return cy.zoom();")
    dash_duo.find_element(f"#{ids.FIT}").click()
    end = time.monotonic() + 60
    while dash_duo.driver.execute_script(cy + "return cy.zoom();") == zoomed_out:
        assert time.monotonic() < end, "Fit did not fit the graph"
        time.sleep(0.05)
    shown = dash_duo.driver.execute_script(
        cy + "var box = cy.elements().renderedBoundingBox();"
        "return {zoom: cy.zoom(), font: parseFloat(cy.nodes()[0].style('font-size')), w: cy.width(), h: cy.height(),"
        " bw: box.w, bh: box.h, edges: cy.edges().map(function (e) { return [e.data('source'), e.data('target'),"
        " e.style('curve-style'), e.controlPoints() || []]; })};"
    )
    assert shown["zoom"] * shown["font"] >= LEGIBLE
    assert max(shown["bw"] / shown["w"], shown["bh"] / shown["h"]) > 0.85
    for source, target, style, points in shown["edges"]:
        bend = drawing.bends.get((source, target))
        if bend is None:
            assert style in ("bezier", "straight") and not points
            continue
        assert style == "unbundled-bezier"
        p0, p2 = np.array(drawing.positions[source]), np.array(drawing.positions[target])
        control = 2 * edge_curve(p0, p2, bend, samples=3)[1] - (p0 + p2) / 2
        np.testing.assert_allclose([points[0]["x"], points[0]["y"]], control, atol=0.5)
    assert dash_duo.get_logs() == [], "errors in the browser console"
