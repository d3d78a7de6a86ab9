"""Every plotly figure augur draws, with one theme, whoever draws it: the app, the review page or the
one-image dashboards. Nothing here imports Dash.

- :mod:`augur.figures.theme`: the frame, axes, shock bands, reference lines, legends, step marker
- :mod:`augur.figures.series`: a drill over time (service level, tokens, quality, CI width, a node,
  a group)
- :mod:`augur.figures.compare`: two drills on one chart, and the time series made for the pack
- :mod:`augur.figures.network`: the supply graph at one step
- :mod:`augur.figures.weak_points`: the sweeps' figures (exposure bars, the time-to-survive against
  time-to-recover quadrant, random-shock service bands, the chance of each verdict)

The colours are :mod:`augur.style`'s, re-exported here for the charts' callers.

>>> from augur.drill import simulate
>>> from augur.graph import build_graph
>>> from augur.scenario import parse_scenario
>>> G = build_graph([("n", {"id": "acme", "kind": "vendor"}), ("n", {"id": "shop", "kind": "process"})],
...                 [("e", {"source": "acme", "target": "shop"})])
>>> drill = parse_scenario({"name": "outage", "steps": 10, "shocks": [
...     {"kind": "vendor_failure", "target": "acme", "start": 2, "duration": 3}]}, graph=G)
>>> fig = service_level_figure(simulate(G, drill), step=4)
>>> [shape.x0 for shape in fig.layout.shapes if shape.name == STEP_MARKER]
[4]
"""

from __future__ import annotations

from augur.figures.compare import (
    compare_service_figure,
    compare_tokens_figure,
    pack_chart,
    pack_tokens_figure,
    sized_for_page,
)
from augur.figures.network import network_figure
from augur.figures.series import (
    ci_figure,
    group_figure,
    node_attributes_text,
    node_figure,
    quality_figure,
    service_level_figure,
    tokens_figure,
    tokens_that_matter,
)
from augur.figures.theme import STEP_MARKER, empty_figure, step_marker, with_step
from augur.figures.weak_points import exposure_bars, quadrant, service_bands, verdict_chances
from augur.style import (
    FONT,
    GRID,
    INK,
    KIND_LABELS,
    MUTED,
    SERIES_COLOURS,
    SHOCK_FILL,
    SLO_COLOUR,
    STATUS_COLOURS,
    VERDICT_COLOURS,
)

__all__ = [
    "FONT",
    "GRID",
    "INK",
    "KIND_LABELS",
    "MUTED",
    "SERIES_COLOURS",
    "SHOCK_FILL",
    "SLO_COLOUR",
    "STATUS_COLOURS",
    "STEP_MARKER",
    "VERDICT_COLOURS",
    "ci_figure",
    "compare_service_figure",
    "compare_tokens_figure",
    "empty_figure",
    "exposure_bars",
    "group_figure",
    "network_figure",
    "node_attributes_text",
    "node_figure",
    "pack_chart",
    "pack_tokens_figure",
    "quadrant",
    "quality_figure",
    "service_bands",
    "service_level_figure",
    "sized_for_page",
    "step_marker",
    "tokens_figure",
    "tokens_that_matter",
    "verdict_chances",
    "with_step",
]
