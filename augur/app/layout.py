"""The one screen, assembled from its components (:mod:`augur.app.components`): header, control panel,
KPI cards, network, charts, timeline, detail card and the compare overlay, and the browser stores a
session keeps its design and results in.

The parts callbacks re-render (KPI cards, verdict badge, shock list, legend, slider marks) are built by
their components, so the first page and every update draw them the same way; they are importable from
here too, where they lived before the page was split.
"""

from __future__ import annotations

from collections.abc import Mapping

from dash import dcc, html

from augur.app import ids
from augur.app.components.charts import CHART_CONFIG, CHART_TITLES, chart_card, placeholders
from augur.app.components.common import STEP_UNITS, step_unit_options
from augur.app.components.compare import compare_overlay
from augur.app.components.controls import controls, graph_summary
from augur.app.components.detail import detail
from augur.app.components.header import header, subtitle, verdict_badge
from augur.app.components.kpis import kpi_cards, kpis
from augur.app.components.network import legend, network_card
from augur.app.components.shocks import SHOCK_KIND_LABELS, shock_list
from augur.app.components.timeline import horizon_marks, slider_marks, timeline
from augur.app.components.views import pages, tab_strip
from augur.app.design import graph_meta
from augur.app.server import DEFAULT_MAX_UPLOAD_MB

__all__ = [
    "CHART_CONFIG",
    "CHART_TITLES",
    "FIRST_PAINT",
    "SHOCK_KIND_LABELS",
    "STEP_UNITS",
    "build_layout",
    "graph_summary",
    "horizon_marks",
    "kpi_cards",
    "legend",
    "placeholders",
    "shock_list",
    "slider_marks",
    "step_unit_options",
    "subtitle",
    "verdict_badge",
]


# The components whose code Dash loads after the layout (dropdowns, upload, slider, charts, the event
# log's table): the page is shown when all of them are drawn, so it never opens without them
# (assets/first-paint.js).
FIRST_PAINT = (
    ids.PICKER,
    ids.UPLOAD,
    ids.SHOCK_KIND,
    ids.STEP_UNIT,
    ids.HYPOTHESIS,
    ids.SLIDER,
    ids.CHART_SERVICE,
    ids.CHART_TOKENS,
    ids.CHART_QUALITY,
    ids.CHART_CI,
    ids.EVENTS,
)


def build_layout(
    catalogue,
    *,
    graph: Mapping | None,
    scenario: Mapping | None,
    view: Mapping | None,
    message: str = "",
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    on_screen: str | None = None,
) -> html.Div:
    """The whole page, opened on ``graph`` and ``scenario`` (the listed drill ``on_screen``, the
    default one) when given; the upload refuses files past the server's request limit of
    ``max_upload_mb``."""
    main = html.Main(
        [
            kpis(),
            html.Div(
                [
                    network_card(view),
                    chart_card(ids.CHART_SERVICE),
                ],
                className="stage",
            ),
            timeline(scenario),
            html.Div(
                [
                    chart_card(ids.CHART_TOKENS),
                    chart_card(ids.CHART_QUALITY),
                    chart_card(ids.CHART_CI),
                    detail(),
                ],
                className="lower",
            ),
        ],
        className="main",
    )
    stores = [
        dcc.Store(id=ids.GRAPH, data=graph),
        dcc.Store(id=ids.GRAPH_META, data=graph_meta(graph)),
        dcc.Store(id=ids.SCENARIO, data=scenario),
        dcc.Store(id=ids.DRILL, data=None),
        dcc.Store(id=ids.RUN_DESIGN, data=None),
        dcc.Store(id=ids.NODE, data=None),
        dcc.Store(id=ids.PLACEHOLDERS, data=placeholders()),
        dcc.Store(id=ids.NETWORK_VIEW, data=view),
        dcc.Store(id=ids.PINNED, data=None),
        dcc.Store(id=ids.COMPARE_SWAPPED, data=False),
        # the design kept across reloads and server restarts, per tab (augur.app.components.persist)
        dcc.Store(id=ids.SAVED, storage_type="session"),
        dcc.Store(id=ids.REOPEN, data=None),
        dcc.Store(id=ids.RUN_REQUEST, data=None),
    ]
    return html.Div(
        [
            header(scenario, graph),
            html.Div(
                [
                    controls(catalogue, scenario, graph, message, max_upload_mb, on_screen),
                    # the drill underneath, every other view laid over it (augur.app.components.views)
                    html.Div(
                        [tab_strip(), html.Div([main, *pages(catalogue)], className="view-stack")],
                        className="workspace",
                    ),
                ],
                className="app-body",
            ),
            compare_overlay(catalogue, chart_config=CHART_CONFIG),
            *stores,
        ],
        className="app",
        **{"data-paint": " ".join(FIRST_PAINT)},
    )
