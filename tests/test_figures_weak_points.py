"""The weak-point figures (augur.figures.weak_points) plot what the sweeps found: checked on a graph
small enough to count by hand.

Vendors a (weight 3) and b (weight 1) supply the shop, which runs at full output on half its supply. With
no shock in the scenario, each node is down from step 2 for 5 steps (a tenth of the 20-step horizon in,
for a quarter of it). The shop down: service 0 for 5 steps, loss 5. Vendor a down: the shop gets a
quarter of its supply, half of what it needs, so it runs at 50% for 5 steps, loss 2.5, exposure 0.5, and
falls below the 90% SLO a step later (one hop). Vendor b down: the shop still has three quarters, above its
min_supply: no loss.
"""

from __future__ import annotations

import numpy as np
import pytest
from builders import graph

from augur.figures.exposure_network import exposure_network
from augur.figures.weak_points import (
    distribution,
    exposure_bars,
    quadrant,
    quadrant_points,
    service_bands,
    tipping_heatmap,
    verdict_chances,
)
from augur.scenario import parse_scenario
from augur.style import VERDICT_COLOURS
from augur.sweep import criticality, monte_carlo, tipping
from augur.text.weak_points import quadrant_caption_text


def shop_graph(**a_attrs):
    return graph(
        {"a": ("vendor", a_attrs), "b": "vendor", "shop": ("process", {"min_supply": 0.5, "label": "Shop"})},
        [("a", "shop", {"weight": 3}), ("b", "shop")],
    )


@pytest.fixture(scope="module")
def table():
    G = shop_graph()
    return G, criticality(G, parse_scenario({"name": "s", "steps": 20, "slo": 0.9}, graph=G))


def test_exposure_bars_put_the_worst_on_top_coloured_by_verdict(table):
    """The bars read top down as the ranking: the shop (1.0), a (0.5), b (0); plotly lists them
    bottom up. A failure that took service below the SLO carries a mark at its bar's end."""
    G, crit = table
    bars, marks = exposure_bars(crit, graph=G).data
    assert list(bars.y) == ["b", "a", "Shop"]
    assert list(bars.x) == [0.0, 0.5, 1.0]
    assert list(bars.marker.color) == [
        VERDICT_COLOURS["graceful"],
        VERDICT_COLOURS["degraded"],
        VERDICT_COLOURS["degraded"],
    ]
    assert list(marks.y) == ["a", "Shop"] and list(marks.x) == [0.5, 1.0]


def test_a_long_name_is_cut_beside_its_bar_and_whole_in_its_hover():
    """The shop named in 41 characters reads as its first 31 and an ellipsis beside the bar (a name
    that long took the chart's width from the bars); its bar, its mark and its hover keep the whole
    name, so two names alike in their first characters still get a bar each."""
    name = "Shop of the Northern Region, Distribution"
    G = shop_graph()
    G.nodes["shop"]["label"] = name
    crit = criticality(G, parse_scenario({"name": "s", "steps": 20, "slo": 0.9}, graph=G))
    fig = exposure_bars(crit, graph=G)
    assert len(name) == 41
    assert list(fig.layout.yaxis.tickvals) == ["b", "a", name]
    assert list(fig.layout.yaxis.ticktext) == ["b", "a", name[:31] + "…"]
    assert fig.data[0].y[-1] == name and fig.data[1].y[-1] == name


def test_exposure_bars_keep_the_top_rows_and_read_plain_rows(table):
    """``top=1`` keeps the worst row alone; the rows of ``augur sweep --json`` draw the same bars."""
    _, crit = table
    assert list(exposure_bars(crit.rows, top=1).data[0].y) == ["shop"]
    assert len(exposure_bars(crit.rows, top=1).data) == 2


def test_quadrant_puts_each_node_at_its_outage_and_the_time_the_business_survived(table):
    """Every node is down 5 steps; the shop's failure takes service below the SLO at once, a's a
    step later (the hop to the shop): the business cannot outlast either. b's never does."""
    G, crit = table
    points = {p["target"]: p for p in quadrant_points(crit)}
    assert {v: (p["x"], p["y"], p["outlasts"]) for v, p in points.items()} == {
        "shop": (5, 0, False),
        "a": (5, 1, False),
        "b": (5, None, True),
    }
    fig = quadrant(crit, 0.9, graph=G)
    assert "below 90%" in fig.layout.yaxis.title.text
    never = fig.layout.yaxis.tickvals[-1]
    assert fig.layout.yaxis.ticktext[-1] == "never"
    graceful = next(t for t in fig.data if t.name == "graceful")
    assert list(graceful.y) == [never]
    degraded = next(t for t in fig.data if t.name == "degraded")
    assert sorted(zip(degraded.x, degraded.y)) == [(5, 0), (5, 1)]


def test_a_node_whose_hit_comes_after_it_is_back_is_above_the_line_and_still_not_outlasted():
    """a feeds the shop over a 6-step lead time. a is down at steps 2-6 (5 steps); the shop reads a's
    output 7 steps late, so its supply is 0 at steps 9-13 and service falls below the SLO at step 9:
    time to survive 7, above the 5 steps a was down. Service still fell, so a is not outlasted: it is
    named on the chart and counted in the caption as a hit that came after the node was back."""
    G = graph({"a": "vendor", "shop": "process"}, [("a", "shop", {"lead_time": 6})])
    crit = criticality(G, parse_scenario({"name": "s", "steps": 20, "slo": 0.9}, graph=G))
    points = {p["target"]: p for p in quadrant_points(crit)}
    assert (points["a"]["x"], points["a"]["y"], points["a"]["outlasts"]) == (5, 7, False)
    assert [a.text for a in quadrant(crit, 0.9, graph=G).layout.annotations] == ["a", "shop"]
    assert quadrant_caption_text(list(points.values()), G, "step", 0.9).startswith(
        "The business cannot outlast the outage of 2 nodes: service fell below the 90% SLO, for 1 before "
        "the node was back and for 1 after it (above the line: the hit came down lead times late)."
    )


def test_quadrant_draws_nodes_at_one_point_as_one_larger_marker():
    """Two vendors feeding the shop alike fail alike: one marker for both, larger than one node's."""
    G = graph(
        {"a": "vendor", "b": "vendor", "shop": "process"},
        [("a", "shop", {"group": "x"}), ("b", "shop", {"group": "y"})],
    )
    crit = criticality(G, parse_scenario({"name": "s", "steps": 20}, graph=G), kinds=["vendor"])
    [region, trace] = quadrant(crit, 0.9).data
    assert region.name == "below the line: service falls before the node is back" and list(region.x) == [None]
    assert list(trace.x) == [5] and "a, b" in trace.text[0]
    assert trace.marker.size[0] > quadrant(crit.rows[:1], 0.9, outage=crit.outage).data[1].marker.size[0]


def test_quadrant_draws_the_fewer_on_top_where_two_verdicts_share_a_point():
    """Three cascades and one graceful failure, all down 5 steps and never short: the graceful one's
    marker (one node, 9 px) is drawn after the cascades' (three, larger), and neither is cut by the
    frame on the "never" line; the legend keeps the verdicts' order."""
    rows = [
        {"target": t, "verdict": v, "time_to_survive": None, "resilience_loss": 0.1, "exposure_index": 0.5}
        for t, v in [("a", "cascade"), ("b", "cascade"), ("c", "cascade"), ("d", "graceful")]
    ]
    fig = quadrant(rows, 0.9, outage={"duration": 5, "ttr": {}})
    _, cascade, graceful = fig.data
    assert (cascade.name, graceful.name) == ("cascade", "graceful")
    assert list(cascade.x) == list(graceful.x) == [5] and cascade.y == graceful.y
    assert graceful.marker.size[0] == 9 and cascade.marker.size[0] > 9
    assert cascade.cliponaxis is False and graceful.cliponaxis is False
    assert graceful.legendrank < cascade.legendrank


def test_quadrant_reads_a_node_s_own_ttr():
    """A node with ``ttr: 2`` is down 2 steps in the sweep, and the quadrant draws it at 2."""
    G = shop_graph(ttr=2)
    crit = criticality(G, parse_scenario({"name": "s", "steps": 20}, graph=G))
    points = {p["target"]: p["x"] for p in quadrant_points(crit)}
    assert points == {"a": 2, "b": 5, "shop": 5}


def test_the_quadrant_s_time_down_counts_the_node_s_recovery_as_the_engine_does():
    """v (recovery 5) fails from step 5 for 10 steps: it is failed at 5..14 and recovering at 15..19
    (rule 8), down 15 steps, back at 20. d's 11 steps of stock cover its empty supply at 6..16; it fails
    at 17 and p a step later, at 18: time to survive 13, before v was back at 15 steps down, not the
    10 of the outage and not "after the node was back"."""
    G = graph(
        {"v": ("vendor", {"recovery": 5}), "d": ("logistics", {"buffer": 11}), "p": "process"},
        [("v", "d"), ("d", "p")],
    )
    s = parse_scenario({"name": "q", "steps": 40, "slo": 0.9, "shocks": [
        {"kind": "vendor_failure", "target": "v", "start": 5, "duration": 10}]}, graph=G)  # fmt: skip
    crit = criticality(G, s, targets=["v"])
    assert crit.rows[0]["time_down"] == 15
    points = quadrant_points(crit)
    assert [(p["x"], p["y"]) for p in points] == [(15, 13)]
    caption = quadrant_caption_text(points, G, "hour", 0.9)
    assert "before the node was back" in caption and "after the node was back" not in caption
    assert "v (13 hours of 15 hours)" in caption


def test_the_tinted_network_draws_each_edge_between_drawn_nodes_once_beneath_the_nodes():
    """Three edges, one to a node not drawn: two segments in one path, y pointing up as the markers."""
    rows = [{"target": "a", "verdict": "cascade", "exposure_index": 1.0}]
    positions = {"a": (0, 0), "b": (100, 0), "c": (100, 50)}
    fig = exposure_network(rows, positions, [("a", "b"), ("b", "c"), ("a", "elsewhere")])
    [edges] = fig.layout.shapes
    assert edges.path == "M0,0L100,0M100,0L100,-50" and edges.layer == "below"
    assert {t.name: list(t.y) for t in fig.data} == {"not swept": [0.0, -50.0], "swept": [0.0]}
    assert exposure_network(rows, positions).layout.shapes == ()


def test_service_bands_draw_the_study_s_bands_and_its_slo():
    """The band runs from p5 to p95, the median is its own line, the SLO a line at the SLO."""
    bands = {"p5": [1.0, 0.2, 0.6], "p50": [1.0, 0.7, 0.9], "p95": [1.0, 1.0, 1.0]}
    fig = service_bands(bands, 0.8)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["median"].y) == [1.0, 0.7, 0.9]
    assert list(by_name["p5 to p95"].y) == [1.0, 0.2, 0.6] and by_name["p5 to p95"].fill == "tonexty"
    assert [s.y0 for s in fig.layout.shapes] == [0.8]


def test_verdict_chances_are_the_shares_with_their_intervals():
    """3 of 4 graceful, 1 of 4 cascade: bars at 75% and 25%, whiskers to the intervals' ends."""
    intervals = {"graceful": (0.3, 0.95), "degraded": (0.0, 0.5), "cascade": (0.05, 0.7)}
    bar = verdict_chances({"graceful": 3, "degraded": 0, "cascade": 1}, intervals).data[0]
    assert list(bar.x) == ["graceful", "degraded", "cascade"]
    assert list(bar.y) == [0.75, 0.0, 0.25]
    assert [round(s + up, 9) for s, up in zip(bar.y, bar.error_y.array)] == [0.95, 0.5, 0.7]
    assert [round(s - dn, 9) for s, dn in zip(bar.y, bar.error_y.arrayminus)] == [0.3, 0.0, 0.05]


def test_the_random_shock_figures_read_a_study_as_it_comes():
    """A MonteCarloResult draws the same figures as its bands and counts."""
    G = shop_graph()
    mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 20}, graph=G), runs=20, seed=3)
    assert list(service_bands(mc, 0.9).data[2].y) == mc.service_level_bands["p50"]
    assert list(verdict_chances(mc).data[0].y) == [mc.verdicts[v] / 20 for v in mc.verdicts]


def test_a_distribution_is_the_histogram_of_every_drill_with_its_median_and_p95_marked():
    """The bars count the drills in each bin of the losses, as NumPy's histogram of the drills' own
    losses does; the two lines stand at NumPy's median and 95th percentile of them."""
    G = shop_graph()
    mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 20}, graph=G), runs=40, seed=5)
    losses = mc.resilience_loss
    fig = distribution(mc.distributions["resilience_loss"], title="loss")
    counts, edges = np.histogram(losses, bins=20)
    assert list(fig.data[0].y) == counts.tolist()
    assert list(fig.data[0].x) == pytest.approx(((edges[:-1] + edges[1:]) / 2).tolist())
    assert [s.x0 for s in fig.layout.shapes] == pytest.approx(np.percentile(losses, [50, 95]).tolist())


def test_a_figure_no_drill_has_says_so_instead_of_drawing_bars():
    """No AI service, no token figures: the figure carries its sentence and no bars."""
    G = shop_graph()
    mc = monte_carlo(G, parse_scenario({"name": "s", "steps": 20}, graph=G), runs=5, seed=5)
    assert mc.distributions["peak_token_multiplier"] is None
    fig = distribution(None, title="tokens", empty="No AI service here.")
    assert fig.data == () and fig.layout.annotations[0].text == "No AI service here."


def test_the_tipping_heatmap_colours_each_cell_by_its_verdict_and_draws_the_boundary():
    """On the chain a -> b -> shop with a down D steps, b's stock of v steps holds iff v >= D (a hand
    count: b is short exactly D steps). Each cell is graceful (rank 0) exactly there, and the
    boundary line runs through (D, D)."""
    G = graph({"a": "vendor", "b": "vendor", "shop": "process"}, [("a", "b"), ("b", "shop")])
    s = parse_scenario(
        {"name": "c", "steps": 30, "shocks": [{"kind": "vendor_failure", "target": "a", "start": 2,
                                               "duration": 3}]},
        graph=G,
    )  # fmt: skip
    grid = tipping(G, s, vary=("buffer", 0, 6), against=("duration", 1, 5), nodes=["b"])
    fig = tipping_heatmap(grid)
    cells, line = fig.data[0], fig.data[1]
    assert list(cells.x) == list(range(7)) and list(cells.y) == list(range(1, 6))
    assert [[z == 0 for z in row] for row in cells.z] == [[v >= d for v in range(7)] for d in range(1, 6)]
    assert list(line.x) == [1, 2, 3, 4, 5] and list(line.y) == [1, 2, 3, 4, 5]
    # the loss of each cell is on hover: b short D - v steps where the stock runs out first
    assert cells.customdata[4][0][1] == grid.cells[28]["resilience_loss"] > 0
    # both axes are whole steps, and tick at whole steps only (plotly's own can put ticks at 0.5, 1.5,
    # ...): stock 0 to 6 at 0, 2, 4, 6 (about four ticks), durations 1 to 5 at every step
    x, y = fig.layout.xaxis, fig.layout.yaxis
    assert (x.tick0, x.dtick, x.tickformat, y.tick0, y.dtick, y.tickformat) == (0, 2, "d", 1, 1, "d")
    shares = tipping(G, s, vary=("min_supply", 0.5, 1.0), against=("duration", 1, 5), nodes=["b"])
    assert tipping_heatmap(shares).layout.xaxis.dtick is None  # a share keeps plotly's ticks


def test_a_distributions_marks_read_away_from_the_edges_and_never_over_each_other():
    """Peak tokens from 1 to 2.1, median 1 and p95 2 (95% of the way): the median's label reads to
    the right of its line, off the axis' ticks, and p95's to the left, where it read off the plot
    ('p95 2' cut). Costs from 0 to 0.632, median 0 and p95 0.385 (61% along): the two labels read
    towards each other with less than 70% of the width between them, so p95's is lifted a line."""
    summary = {"histogram": {"edges": [1.0, 1.5, 2.1], "counts": [150, 50]}, "p50": 1.0, "p95": 2.0}
    marks = {a.text: (a.xanchor, a.yshift) for a in distribution(summary, title="tokens").layout.annotations}
    assert marks == {"p50 1": ("left", 0), "p95 2": ("right", 0)}
    costs = {"histogram": {"edges": [0.0, 0.3, 0.632], "counts": [150, 50]}, "p50": 0.0, "p95": 0.385}
    marks = {a.text: (a.xanchor, a.yshift) for a in distribution(costs, title="cost").layout.annotations}
    assert marks == {"p50 0": ("left", 0), "p95 0.385": ("right", 12)}
