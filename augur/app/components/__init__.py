"""The app's page as components, each a module with its layout function beside its callbacks:

==========  ==================================================================================
header      the drill's name, its settings in a line, the stale note and the verdict badge
controls    the panel: drill picker, upload, settings; opening a design and changing it
picker      opening a listed drill; the edits of the drill left kept, and Open the file as saved
shocks      the shock form and the list of shocks; adding and removing them
kept        the designer's drill, kept while a view's drill stands in for it, and Back to your drill
actions     Run, the downloads and the before/after buttons; running the drill
kpis        the KPI cards
network     the network card: legend, cytoscape canvas, PNG and Fit
charts      the time-series charts and their blank placeholders
timeline    Play, the slider and the step label; replaying a drill in the browser
detail      the event log, the node (or group) in hand and its story
editor      the Edit tab: the clicked node's or edge's attributes, adding and removing, Undo, download
compare     the before/after overlay and its export
views       the tab strip over the main area and the views beside the drill (weak points...)
jobs        no callbacks: Run, Cancel and the progress bar of a view's long job
persist     no part of the screen: the design the tab keeps across reloads, and reopening it
==========  ==================================================================================

:mod:`augur.app.layout` assembles the page from them; :func:`register_callbacks` attaches every
component's callbacks. Component ids live in :mod:`augur.app.ids`. No callback keeps state on the
server: everything a session needs comes in from its browser stores.
"""

from __future__ import annotations

from dash import Dash

from augur.app.components import (
    actions,
    compare,
    controls,
    detail,
    editor,
    header,
    kept,
    network,
    persist,
    picker,
    shocks,
    timeline,
    views,
)
from augur.app.design import Catalogue

__all__ = ["register_callbacks"]

# the components that have callbacks, in the order they are attached
_WITH_CALLBACKS = (
    controls,
    picker,
    shocks,
    kept,
    network,
    actions,
    detail,
    editor,
    timeline,
    header,
    compare,
    persist,
    views,
)


def register_callbacks(app: Dash, catalogue: Catalogue) -> None:
    """Attach every component's callbacks to ``app``; ``catalogue`` names the drills it may open."""
    for component in _WITH_CALLBACKS:
        component.register(app, catalogue)
