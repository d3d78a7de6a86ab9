"""Deprecated: the app's callbacks live beside the layout of their components, in
:mod:`augur.app.components`, and :func:`augur.app.components.register_callbacks` attaches them all.
This module re-exports it for one release.
"""

from __future__ import annotations

import warnings

from augur.app.components import register_callbacks

__all__ = ["register_callbacks"]

warnings.warn(
    "augur.app.callbacks is deprecated and will be removed in the next release: the callbacks are in "
    "augur.app.components (register_callbacks)",
    DeprecationWarning,
    stacklevel=2,
)
