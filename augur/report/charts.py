"""Deprecated: the review pack's figures moved. The plotly figures are in :mod:`augur.figures`
(``network_figure``, ``compare_service_figure``, ``compare_tokens_figure``, ``pack_chart``,
``pack_tokens_figure``, ``sized_for_page``), the pixel canvas in :mod:`augur.report.canvas` and the
one-image dashboards in :mod:`augur.report.dashboard` (``review_figure``, ``compare_figure``). This
module re-exports them for one release.
"""

from __future__ import annotations

import warnings

from augur.figures import (
    compare_service_figure,
    compare_tokens_figure,
    network_figure,
    pack_chart,
    pack_tokens_figure,
    sized_for_page,
)
from augur.figures.theme import legend_names, legend_rows
from augur.report.dashboard import PNG_SIZE, compare_figure, review_figure
from augur.style import KIND_SYMBOLS

__all__ = [
    "KIND_SYMBOLS",
    "PNG_SIZE",
    "compare_figure",
    "compare_service_figure",
    "compare_tokens_figure",
    "legend_names",
    "legend_rows",
    "network_figure",
    "pack_chart",
    "pack_tokens_figure",
    "review_figure",
    "sized_for_page",
]

warnings.warn(
    "augur.report.charts is deprecated and will be removed in the next release: import the figures "
    "from augur.figures and the dashboards from augur.report.dashboard",
    DeprecationWarning,
    stacklevel=2,
)
