"""The one-image dashboards laid out as a reader sees them: no node under another node or a label, every
legend inside the picture, and the picture's content reaching its right edge.

Positions are read from the picture kaleido draws, as SVG (the PNG's twin, drawn by the same plotly.js in
the same Chromium): where plotly put each marker, label and legend once it had measured the text. No
pixel is compared. The drill is an 18-node grocery one (tests/data), on which the before/after networks were
squashed under their labels and the token legend pushed a blank strip down the single-drill PNG.

Run: pytest -m browser tests/test_report_geometry.py
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

import augur
from augur.report import weak_points_study
from augur.report.dashboard import PNG_SIZE, compare_figure, review_figure
from augur.report.export import figure_svg
from augur.report.weak_strip import STRIP_HEIGHT

pytestmark = pytest.mark.browser

GROCERY = Path(__file__).resolve().parent / "data" / "grocery-maps-outage.yaml"
WIDTH, HEIGHT = PNG_SIZE
NS = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)(?:[ ,]+([-\d.e]+))?\s*\)")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@cache
def grocery() -> augur.DrillResult:
    scenario = augur.load_scenario(GROCERY)
    return augur.simulate(scenario.graph, scenario)


@cache
def grocery_after() -> augur.DrillResult:
    """The same drill with eight hours of planned routes at the courier fleet."""
    before = grocery()
    G = before.graph.copy()
    G.nodes["swift-couriers"]["buffer"] = 8.0
    return augur.simulate(G, replace(before.scenario, graph=G, name="Grocery with planned routes"))


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _offset(el, at: tuple[float, float]) -> tuple[float, float]:
    match = TRANSLATE.search(el.get("transform") or "")
    if not match:
        return at
    return at[0] + float(match.group(1)), at[1] + float(match.group(2) or 0)


def _box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    return (x, y, x + w, y + h)


def layout_boxes(svg: str) -> dict:
    """Boxes (x0, y0, x1, y1 px from the top left) of what the picture drew: ``points`` by subplot
    (``"x3y3"``), ``annotations`` by index, ``legends`` by name, and the shapes' right ends."""
    root = ET.fromstring(svg)
    found: dict = {"points": {}, "annotations": {}, "legends": {}, "shape_right": []}

    def walk(el, at, subplot, annotation, legend):
        at = _offset(el, at)
        classes = _classes(el)
        if "subplot" in classes:
            subplot = classes[1]
        if "annotation" in classes:
            annotation = int(el.get("data-index"))
        legend = next((c for c in classes if re.fullmatch(r"legend\d*", c)), legend)
        tag = el.tag.replace(NS, "")
        if tag == "path" and "point" in classes and subplot:
            numbers = [float(n) for n in NUMBER.findall(el.get("d") or "")]
            if numbers:
                half = max(abs(n) for n in numbers)
                found["points"].setdefault(subplot, []).append(
                    (at[0] - half, at[1] - half, at[0] + half, at[1] + half)
                )
        if tag == "rect" and "bg" in classes:
            box = _box(
                at[0] + float(el.get("x", 0)),
                at[1] + float(el.get("y", 0)),
                float(el.get("width")),
                float(el.get("height")),
            )
            if annotation is not None:
                found["annotations"][annotation] = box
            elif legend is not None and el.get("shape-rendering") == "crispEdges":
                found["legends"][legend] = box
        if tag == "path" and el.get("data-index") is not None and subplot is None:
            xs = [float(n) for n in re.findall(r"[MHL]([-\d.]+)", el.get("d") or "")]
            if xs:
                found["shape_right"].append(max(xs))
        for child in el:
            walk(child, at, subplot, annotation, legend)

    walk(root, (0.0, 0.0), None, None, None)
    return found


def _overlap(a, b, slack: float = 1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def network_layout(fig) -> tuple[list, list]:
    """The node markers and node labels of every network in ``fig``'s picture."""
    networks = {
        name.replace("axis", ""): None
        for name in fig.layout.to_plotly_json()
        if name.startswith("xaxis") and fig.layout[name].visible is False
    }
    subplots = {f"{x}y{x[1:]}" if x != "x" else "xy" for x in networks}
    boxes = layout_boxes(figure_svg(fig))
    nodes = [box for name in subplots for box in boxes["points"].get(name, [])]
    labels = [
        boxes["annotations"][i]
        for i, ann in enumerate(fig.layout.annotations)
        if ann.xref in networks and not ann.showarrow and ann.text and i in boxes["annotations"]
    ]
    return nodes, labels, boxes


@pytest.fixture(scope="module", params=["review", "compare", "weak points"])
def picture(request):
    if request.param == "review":
        fig = review_figure(grocery())
    elif request.param == "compare":
        fig = compare_figure(grocery(), grocery_after())
    else:
        fig = review_figure(grocery(), weak_points=weak_points_study(grocery(), runs=50, top=8))
    return request.param, fig, *network_layout(fig)


def test_the_grocery_drill_draws_every_node_of_its_networks(picture):
    """One marker per node and per network drawn (one in the review, two in the before/after)."""
    which, _fig, nodes, labels, _ = picture
    networks = 2 if which == "compare" else 1
    assert len(nodes) == 18 * networks
    assert len(labels) == 18 * networks


def test_no_node_sits_on_another_node_or_under_a_label(picture):
    """Markers keep apart, and no label covers a marker or another label: the before/after panels
    were so short that the rows ran into each other."""
    _which, _fig, nodes, labels, _ = picture
    clashes = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :] if _overlap(a, b)]
    assert not clashes
    covered = [(label, node) for label in labels for node in nodes if _overlap(label, node)]
    assert not covered  # its own node included: a label starts below the marker's lowest point
    crowded = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :] if _overlap(a, b)]
    assert not crowded


def test_nodes_and_labels_stay_inside_the_picture_and_clear_of_the_legends(picture):
    """No marker or label is cut at the picture's edge or drawn over a legend."""
    _which, fig, nodes, labels, boxes = picture
    height = fig.layout.height
    for box in nodes + labels:
        assert 0 <= box[0] <= box[2] <= WIDTH and 0 <= box[1] <= box[3] <= height, box
    for legend in boxes["legends"].values():
        assert not [box for box in nodes + labels if _overlap(box, legend)]


def test_every_legend_fits_inside_the_picture(picture):
    """Each legend ends inside the picture: the token legend ran past the right edge, and plotly made
    room for it by shrinking everything else."""
    _which, fig, _nodes, _labels, boxes = picture
    assert boxes["legends"]
    for name, (x0, y0, x1, y1) in boxes["legends"].items():
        assert 0 <= x0 <= x1 <= WIDTH - 8 and 0 <= y0 <= y1 <= fig.layout.height, name


def test_the_picture_reaches_its_right_edge(picture):
    """The top bar and the footer band span the whole width: no blank strip down the right side."""
    _which, _fig, _nodes, _labels, boxes = picture
    assert max(boxes["shape_right"]) == pytest.approx(WIDTH, abs=0.5)


def test_the_weak_points_strip_makes_the_picture_taller_by_its_height():
    """With the weak points the picture is 1600 wide and the strip's height taller; without, 1000."""
    study = weak_points_study(grocery(), runs=20, top=5)
    assert review_figure(grocery(), weak_points=study).layout.height == HEIGHT + STRIP_HEIGHT
    assert review_figure(grocery()).layout.height == HEIGHT


def test_augur_report_weak_points_writes_a_png_that_opens(tmp_path):
    """``augur report --weak-points --format png`` writes a PNG of 1600 x 1440 whose header reads."""
    from augur.cli import main

    code = main(
        ["report", str(GROCERY), "--weak-points", "--runs", "20", "--format", "png", "--out", str(tmp_path)]
    )
    assert code == 0
    data = (tmp_path / "grocery-maps-outage-review.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT + STRIP_HEIGHT)
