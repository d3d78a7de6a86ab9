"""The app's callbacks, one module per concern; each callback is short and calls the library.

No callback keeps state on the server: everything a session needs comes in from its browser stores.
"""

from __future__ import annotations

from dash import Dash

from augur.app.callbacks import compare, design, drill, export, network, timeline, upload
from augur.app.design import Catalogue

__all__ = ["register_callbacks"]


def register_callbacks(app: Dash, catalogue: Catalogue) -> None:
    """Attach every callback to ``app``; ``catalogue`` names the drills it may open."""
    for module in (design, upload, network, drill, timeline, export, compare):
        module.register(app, catalogue)
