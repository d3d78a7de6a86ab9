"""The names the weak-point figures draw beside their points never collide: no two names' boxes
overlap, and no name covers the middle of another point's marker, on every bundled drill and on the home-delivery
pharmacy (tests/data/graphs/pharmacy.yaml), whose quadrant drew Tag Label Co over Swiftpost Courier
and whose tinted network drew Prescription OCR under Triage LLM.

The boxes are read back from each annotation's anchor, shift and text as plotly draws them
(:func:`augur.figures.labels.annotation_box`), in the pixels of the smallest plot each figure is
drawn in; larger, the points only move apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from augur import load_graph, load_scenario
from augur.app.components.weak_points import _positions
from augur.app.network import network_view
from augur.figures.exposure_network import exposure_network, exposure_pixels
from augur.figures.labels import annotation_box, marker_box, overlapping
from augur.figures.weak_points import quadrant, quadrant_pixels
from augur.scenario import parse_scenario
from augur.sweep import criticality

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))


def _pharmacy():
    """The pharmacy's API maker down for 20 of 90 days, as the new user drilled it."""
    G = load_graph(ROOT / "tests" / "data" / "graphs" / "pharmacy.yaml")
    shock = {"kind": "vendor_failure", "target": "api-ingredient", "start": 10, "duration": 20}
    data = {"name": "pharmacy", "steps": 90, "step_unit": "day", "slo": 0.9, "shocks": [shock]}
    return parse_scenario(data, graph=G)


def _drills():
    return [("pharmacy", _pharmacy)] + [(p.stem, lambda p=p: load_scenario(p)) for p in BUNDLED]


@pytest.fixture(scope="module", params=_drills(), ids=lambda d: d[0])
def swept(request):
    scenario = request.param[1]()
    return scenario, criticality(scenario.graph, scenario)


def _clashes(names, markers) -> list:
    """Pairs of names that overlap, and names on a marker not their own point's (``own``: the markers
    drawn at the named point, one per verdict there)."""
    clashes = [(names[i][1], names[j][1]) for i, j in overlapping([box for box, _, _ in names])]
    for box, text, own in names:
        clashes += [(text, "marker") for m in markers if m not in own and box.meets(m)]
    return clashes


@pytest.mark.parametrize("label", [6, 4])  # the app's quadrant names 6, the pack's strip 4
def test_the_quadrants_names_meet_no_other_name_and_no_other_point(swept, label):
    """On the pharmacy, Tag Label Co (down 5 days, below the SLO after 1) and Swiftpost Courier (down 3,
    after 1) sit 2 days apart: 10 px on the 220 px plot of 42 days, their names 74 and 105 px long;
    beside each other they met, now one goes where it meets nothing, or is left to its hover."""
    scenario, table = swept
    fig = quadrant(table, scenario.slo, graph=scenario.graph, unit=scenario.step_unit, label=label)
    top = fig.layout.xaxis.range[1]
    markers = {}
    for trace in fig.data:
        if trace.x and trace.x[0] is not None and trace.marker.size is not None:
            for x, y, size in zip(trace.x, trace.y, trace.marker.size):
                markers.setdefault((x, y), []).append(marker_box(*quadrant_pixels(x, y, top), size))
    names = []
    for a in fig.layout.annotations:
        if a.xref == "x":
            px, py = quadrant_pixels(a.x, a.y, top)
            names.append((annotation_box(px, py, a.to_plotly_json()), a.text, markers[(a.x, a.y)]))
    assert names, "the quadrant names no point"
    assert _clashes(names, [m for at in markers.values() for m in at]) == []


def test_the_tinted_networks_names_meet_no_other_name_and_no_other_node(swept):
    """The app's tinted network names the 3 worst; on the pharmacy Prescription OCR and Triage LLM
    are neighbours in a column, 35 px apart: one name above and one below met, now each goes where
    it meets nothing."""
    scenario, table = swept
    drawn = _positions(network_view(scenario.graph))
    if drawn is None:
        pytest.skip("a grouped view: the app draws no tinted network")
    positions, edges, kinds = drawn
    fig = exposure_network(table, positions, edges, kinds=kinds, graph=scenario.graph, label=3)
    pixels = exposure_pixels(positions)
    at = {(float(p[0]), -float(p[1])): v for v, p in positions.items()}
    markers = {v: [marker_box(*xy, 13)] for v, xy in pixels.items()}
    names = []
    for a in fig.layout.annotations:
        v = at[(a.x, a.y)]
        names.append((annotation_box(*pixels[v], a.to_plotly_json()), a.text, markers[v]))
    assert _clashes(names, [m for at in markers.values() for m in at]) == []


def test_the_packs_network_breaks_each_name_where_the_layout_spaced_its_row_for():
    """The layout spaces the pharmacy's rows for names of one line (its label width, 320 px, holds the
    longest, 'Sorrel API Chemicals (tier 2)'), so the pack draws each on one line: wrapped anew at 20
    characters 'Insurer eligibility API' took a second line, 'API', which sat on the Drug interaction
    database's node below."""
    from augur import simulate
    from augur.figures.network import network_parts

    scenario = _pharmacy()
    result = simulate(scenario.graph, scenario)
    _traces, annotations, _xr, _yr, _entries = network_parts(result, 47, font_size=10, label_width=20)
    names = {a["text"] for a in annotations if not a.get("showarrow")}
    assert "Insurer eligibility API" in names and "Sorrel API Chemicals (tier 2)" in names
    assert not [name for name in names if "<br>" in name]
