"""Deprecated: the layered graph drawing is :mod:`augur.drawing` (``augur.layout`` was also the name of
the app's page, :mod:`augur.app.layout`). This module re-exports it for one release.

>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", DeprecationWarning)
...     from augur.layout import layered_drawing
>>> import augur.drawing
>>> layered_drawing is augur.drawing.layered_drawing
True
"""

from __future__ import annotations

import warnings

from augur.drawing import (
    BEND_STEPS,
    CLEARANCE,
    KIND_ORDER,
    LABEL_FONT,
    LABEL_LIMIT,
    NODE_SIZE,
    PANEL,
    Drawing,
    edge_bends,
    edge_curve,
    layered_drawing,
    layered_positions,
    supply_layers,
    wrap_label,
)

__all__ = [
    "BEND_STEPS",
    "CLEARANCE",
    "KIND_ORDER",
    "LABEL_FONT",
    "LABEL_LIMIT",
    "NODE_SIZE",
    "PANEL",
    "Drawing",
    "edge_bends",
    "edge_curve",
    "layered_drawing",
    "layered_positions",
    "supply_layers",
    "wrap_label",
]

warnings.warn(
    "augur.layout is deprecated and will be removed in the next release: import from augur.drawing",
    DeprecationWarning,
    stacklevel=2,
)
