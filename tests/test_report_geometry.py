"""The one-image dashboards laid out as a reader sees them: no node under another node or a label, every
legend inside the picture, and the picture's content reaching its right edge.

Positions are read from the picture kaleido draws, as SVG (the PNG's twin, drawn by the same plotly.js in
the same Chromium): where plotly put each marker, label and legend once it had measured the text. No
pixel is compared. The drill is an 18-node grocery one (tests/data), on which the before/after networks were
squashed under their labels and the token legend pushed a blank strip down the single-drill PNG.

Run: pytest -m browser tests/test_report_geometry.py
"""

from __future__ import annotations

import itertools
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
from augur.report.export import CHROMIUM_FLAGS, chromium_path, figure_svg
from augur.report.weak_strip import BAR_NAME_CHARS, strip_height, strip_rows
from augur.text.weak_points import strip_lines

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
    """With the weak points the picture is 1600 wide and the strip's height taller; without, 1000. The
    grocery strip: its plots 84 px down and 210 tall, 32 for their axes, two legend rows of 18 (the
    quadrant's three entries do not fit one row of its 304 px), 14 of gap, then four lines of one row
    each at 19 px, and 22 below: 474. No line says the quadrant's points stand in one column: no node
    states a ttr, but swift-couriers' recovery of 2 keeps it down 12 hours of the outage's 10."""
    study = weak_points_study(grocery(), runs=20, top=5)
    assert strip_height(study, grocery(), WIDTH) == 84 + 210 + 32 + 2 * 18 + 14 + 4 * 19 + 22 == 474
    assert review_figure(grocery(), weak_points=study).layout.height == HEIGHT + 474
    assert review_figure(grocery()).layout.height == HEIGHT


def test_augur_report_weak_points_writes_a_png_that_opens(tmp_path):
    """``augur report --weak-points --format png`` writes a PNG of 1600 x 1474 whose header reads."""
    from augur.cli import main

    code = main(
        ["report", str(GROCERY), "--weak-points", "--runs", "20", "--format", "png", "--out", str(tmp_path)]
    )
    assert code == 0
    data = (tmp_path / "grocery-maps-outage-review.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT + 474)


# -- the weak-points strip with long names, measured in Chromium ---------------------------------------

LONG = " International Components Holding Division (EMEA region)"  # 56 characters more on every name

# Every text of the picture as Chromium draws it: its words and its box, px from the top left.
TEXT_BOXES = """() => Array.from(document.querySelectorAll('svg text')).filter(t => t.textContent.trim())
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent, box: [r.left, r.top, r.right, r.bottom],
                        tick: !!t.closest('.yaxislayer-above'), note: !!t.closest('.annotation')}; })"""


@cache
def long_named() -> augur.DrillResult:
    """The grocery drill with 56 characters more on each node's name: 80 to 100 in all."""
    before = grocery()
    G = before.graph.copy()
    for node in G:
        G.nodes[node]["label"] = (G.nodes[node].get("label") or node) + LONG
    return augur.simulate(G, replace(before.scenario, graph=G))


@pytest.fixture(scope="module")
def long_strip():
    """The long-named drill's picture with its weak points: the figure, the strip's rows, and every
    text's box as drawn."""
    sync_api = pytest.importorskip("playwright.sync_api")
    result = long_named()
    study = weak_points_study(result, runs=50, top=8)
    fig = review_figure(result, weak_points=study)
    svg = figure_svg(fig)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_FLAGS))
        page = browser.new_page(viewport={"width": WIDTH, "height": int(fig.layout.height)})
        page.set_content(f'<body style="margin:0">{svg}</body>')
        texts = page.evaluate(TEXT_BOXES)
        browser.close()
    return result, study, fig, strip_rows(study, result, WIDTH - 72), texts


def _frame(fig) -> tuple[float, float, float, float]:
    """The strip's frame in px: the lowest of the outlined shapes with no fill (the network's card is
    the other)."""
    shape = min((s for s in fig.layout.shapes if s.fillcolor == "rgba(0,0,0,0)"), key=lambda s: s.y0)
    h = fig.layout.height
    return shape.x0 * WIDTH, (1 - shape.y1) * h, shape.x1 * WIDTH, (1 - shape.y0) * h


def test_every_line_of_the_strip_is_drawn_whole_inside_its_frame(long_strip):
    """Each of the strip's lines (the fix, where a lever cannot help, the strongest pair, the random
    drills), 120 to 260 characters with these names, is drawn in full, wrapped to rows that end inside
    the strip's frame, one row under the other: the last of them used to fall off the strip's foot
    and the long ones were cut at 225 characters."""
    result, study, fig, rows, texts = long_strip
    lines = strip_lines(study, result)
    assert len(lines) == 4 and max(len(line) for line, _ in lines) > 225
    assert [" ".join(r for r, _ in rows)] == [" ".join(line for line, _ in lines)]  # no word cut
    assert len(rows) > len(lines)  # the long ones wrapped
    drawn = {t["text"]: t["box"] for t in texts if t["note"]}
    x0, y0, x1, y1 = _frame(fig)
    boxes = [drawn[row] for row, _ in rows]
    for box in boxes:
        assert x0 < box[0] <= box[2] < x1 and y0 < box[1] <= box[3] < y1, box
    assert all(a[3] <= b[1] + 1 for a, b in itertools.pairwise(boxes))  # each row below the last


def test_the_strip_s_names_stay_inside_their_panels(long_strip):
    """The names beside the bars are cut to fit the 180 px left of them and end before the bars; the
    names beside the quadrant's points stay inside its plot and clear of each other: whole, they ran
    off the picture's left edge and across the quadrant's axis."""
    _result, _study, fig, _rows, texts = long_strip
    ticks = [t for t in texts if t["tick"] and not t["text"][0].isdigit() and t["text"] != "never"]
    assert len(ticks) == 8
    assert all(len(t["text"]) <= BAR_NAME_CHARS and t["text"].endswith("…") for t in ticks)
    # inside the strip's frame (24 px in) and ending at the bars' axis (212 px; the ellipsis's side
    # bearing reaches a pixel or two past the text's anchor)
    assert all(t["box"][0] > 24 and t["box"][2] < 214 for t in ticks), [t["box"] for t in ticks]
    _x0, y0, _x1, y1 = _frame(fig)
    rows = {row for row, _ in _rows}
    labels = [
        t["box"]
        for t in texts
        if t["note"] and t["text"].endswith("…") and t["text"] not in rows and y0 < t["box"][1] < y1
    ]
    assert len(labels) == 4  # the quadrant names its four worst
    left, right = 614, 912  # the quadrant's plot
    for box in labels:
        assert left < box[0] <= box[2] < right, box
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :] if _overlap(a, b)]


@pytest.mark.parametrize(("bottom", "listed"), [(145, False), (200, True)])
def test_the_weak_points_left_are_listed_only_where_the_first_fits_under_their_heading(
    monkeypatch, bottom, listed
):
    """The before/after picture's left column from y = 0: the changes' heading (26 px) and one
    change (18) end at 44; 14 px on, what held (heading 26, one line 18) ends at 102. The weak
    points' heading is one line (4 + 18) and its first bullet 8 + 18 more: 150 px. With the body
    ending at 145 they do not fit, and one line (22 px, to 124) says how many there are, where the
    heading stood over nothing but '... and 5 more'; at 200 the heading and the first four bullets
    (128 to 200) are drawn, then '... and 1 more'."""
    from augur.report import dashboard
    from augur.report.canvas import Canvas

    weak = [{"name": f"n{i}", "verdict": "cascade", "service_level_min": 0.0} for i in range(5)]
    found = {"held": ["x drew on its stock."], "weak_points": weak, "outage": "each node failed alone"}
    monkeypatch.setattr(dashboard, "findings", lambda _after: found)
    c = Canvas(1600, 1000)
    facts = {"graph_changes": ["x: buffer 0 → 3"], "settings": [], "same_shocks": True}
    dashboard._compare_changes(c, facts, None, 0, bottom)
    texts = [a["text"] for a in c.annotations]
    more = [t for t in texts if "more (see the HTML report)" in t]
    assert more == (["… and 1 more (see the HTML report)"] if listed else [])
    left = "Weak points left: 5 nodes still hurt failing alone, listed in the HTML report."
    assert (left in texts, any("n0 failing alone" in t for t in texts)) == (not listed, listed)
