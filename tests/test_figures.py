"""The plotly figures (augur.figures): what each chart of a drill plots, the step marker the app's
timeline moves, and the package's import surface.

The pack's own uses of them (legends below the plot, full names, the network figure) are checked in
test_report.py, beside the pages that show them.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from augur import Status, simulate
from augur.app.design import build_scenario, scenario_store
from augur.figures import (
    STATUS_COLOURS,
    STEP_MARKER,
    ci_figure,
    group_figure,
    node_figure,
    quality_figure,
    service_level_figure,
    tokens_figure,
    with_step,
)
from augur.figures.theme import LEGEND_ROW

ROOT = Path(__file__).resolve().parents[1]


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def _marker(fig):
    return [s for s in fig.layout.shapes if s.name == STEP_MARKER]


def test_service_level_chart_plots_the_drill_against_its_slo(retail):
    """The service-level chart draws the engine's service level, the SLO line, and the step marker."""
    fig = service_level_figure(retail, step=30)
    np.testing.assert_allclose(_trace(fig, "service level").y, retail.service_level)
    slo_lines = [s for s in fig.layout.shapes if s.name == "reference"]
    assert [s.y0 for s in slo_lines] == [retail.scenario.slo]
    (marker,) = _marker(fig)
    assert marker.x0 == marker.x1 == 30


def test_with_step_moves_the_one_marker(retail):
    """Moving the step keeps exactly one marker, at the new step; None removes it."""
    fig = with_step(service_level_figure(retail, step=3), 50)
    assert [s.x0 for s in _marker(fig)] == [50]
    assert _marker(with_step(fig, None)) == []


def test_token_chart_total_peaks_at_the_peak_token_multiplier(kyc):
    """The all-services line of the token chart peaks at the drill's peak_token_multiplier."""
    fig = tokens_figure(kyc, step=0)
    total = _trace(fig, "all AI services")
    assert max(total.y) == pytest.approx(kyc.metrics["peak_token_multiplier"])


def test_token_chart_legend_sits_below_the_plot_clear_of_its_lines(kyc):
    """The app's small tokens chart keeps its legend (two services, all services, the budget) in the
    figure's bottom margin, under the x ticks, and labels the budget there rather than over the lines:
    the legend once sat in the plot's top right and covered its lines and y ticks."""
    assert kyc.scenario.token_budget is not None
    fig = tokens_figure(kyc, step=0)
    names = [t.name for t in fig.data if t.name]
    assert len(names) <= 4 and names[-1] == f"budget {kyc.scenario.token_budget:g}×"
    assert max(len(name) for name in names) <= 27  # what a 1280 px laptop's chart shows whole
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    assert fig.layout.margin.b >= LEGEND_ROW * len(names) + 20  # a row each, and the x ticks above
    assert fig.layout.yaxis.range[1] < max(max(t.y) for t in fig.data if t.y[0] is not None) * 1.2
    assert not [a for a in fig.layout.annotations if a.yref == "y"]  # no label on the plot


def test_ci_chart_peaks_at_the_ci_widening_peak(kyc):
    fig = ci_figure(kyc, step=0)
    assert max(max(t.y) for t in fig.data) == pytest.approx(kyc.metrics["ci_widening_peak"])


def test_quality_chart_shows_the_feed_that_dropped(kyc):
    fig = quality_figure(kyc, step=0)
    names = [t.name for t in fig.data]
    assert any("identity" in name.lower() for name in names)


def test_charts_without_ai_services_say_so(retail):
    """A graph without AI services gets a labelled blank token chart, not an empty frame."""
    retail_no_ai = retail.graph.copy()
    retail_no_ai.remove_nodes_from([v for v, k in retail.graph.nodes(data="kind") if k == "ai_service"])
    scenario = build_scenario(retail_no_ai, scenario_store(retail.scenario))
    result = simulate(retail_no_ai, scenario)
    for builder in (tokens_figure, ci_figure):
        fig = builder(result, step=0)
        assert "No AI services" in fig.layout.annotations[0].text


def test_node_chart_marks_the_steps_the_node_was_down(retail):
    """A node's chart has a status strip whose failed runs cover exactly the steps it failed."""
    node = retail.metrics["secondary_failures"][0]
    fig = node_figure(retail, node, step=10)
    col = retail.trajectory.nodes.index(node)
    failed = set(np.flatnonzero(retail.trajectory.status[:, col] == Status.FAILED))
    strips = [s for s in fig.layout.shapes if s.name == "status" and s.fillcolor == STATUS_COLOURS["failed"]]
    covered = {t for s in strips for t in range(int(s.x0 + 0.5), int(s.x1 + 0.5))}
    assert covered == failed
    np.testing.assert_allclose(_trace(fig, "output").y, retail.trajectory.output[:, col])


def test_node_chart_names_the_attributes_its_file_sets_and_not_the_defaults(retail):
    """West distribution centre sets capacity, buffer, restock and recovery; min_supply is left at its
    default and is not listed."""
    (note,) = node_figure(retail, "dc-west").layout.annotations
    assert note.text == "capacity 1.5 · buffer 3 · restock 1 · recovery 2"


def test_group_chart_shares_add_up_to_the_whole_group(retail):
    fig = group_figure(retail, list(retail.graph.nodes), step=0, title="everything")
    total = np.sum([np.asarray(t.y) for t in fig.data], axis=0)
    np.testing.assert_allclose(total, 1.0)


def test_figures_do_not_import_dash():
    """The figures are reused by the static review pack: they must not pull in Dash."""
    code = "import augur.figures, sys; assert 'dash' not in sys.modules, 'dash imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_figures_do_not_import_the_report():
    """The figures sit below the review pack, which draws with them: importing them loads no part of
    augur.report (nor augur.app)."""
    code = (
        "import augur.figures, sys; "
        "bad = sorted(m for m in sys.modules if m.startswith(('augur.report', 'augur.app'))); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_chart_takes_its_colours_from_the_one_palette(kyc):
    """The status strip, the series and the reference lines use augur.style's colours, which the app's
    network and the pack use too."""
    import augur.style

    hurt = next(
        v for i, v in enumerate(kyc.trajectory.nodes) if (kyc.trajectory.status[:, i] != Status.OK).any()
    )
    fig = node_figure(kyc, hurt)
    strip = {s.fillcolor for s in fig.layout.shapes if s.name == "status"}
    assert strip and strip <= set(augur.style.STATUS_COLOURS.values())
    lines = {t.line.color for t in tokens_figure(kyc).data}
    assert lines <= set(augur.style.SERIES_COLOURS)
    assert augur.style.STATUS_COLOURS is STATUS_COLOURS


def test_the_old_chart_module_still_imports_and_says_where_its_figures_went():
    """``augur.report.charts`` re-exports the figures and dashboards for one release, with a
    deprecation warning naming their new homes."""
    sys.modules.pop("augur.report.charts", None)
    with pytest.warns(DeprecationWarning, match="augur.figures"):
        old = importlib.import_module("augur.report.charts")
    import augur.figures
    import augur.report.dashboard

    assert old.network_figure is augur.figures.network_figure
    assert old.review_figure is augur.report.dashboard.review_figure
    assert old.pack_chart is augur.figures.pack_chart
