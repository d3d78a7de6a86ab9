"""The app's views beside the drill: a tab strip over the main area, and the pages it switches between.

The drill (KPIs, network, charts, timeline) is always on the page underneath; every other view is a
page laid over it, so the network keeps its size and place while another view is open. A view is a
module with:

- ``KEY`` and ``LABEL``: its value in the tab strip and the words on its tab;
- ``PAGE``: the id of its page (in :mod:`augur.app.ids`);
- ``page(catalogue)``: its layout, a :class:`dash.html.Section` with that id;
- ``register(app, catalogue)``: its callbacks.

:data:`VIEWS` lists them in tab order. With none listed there is no tab strip: the drill is the page.
To drill something from a view (a row clicked in a ranking, the worst random drill, a fix applied),
one callback of the view writes, in one response: the design (``ids.SCENARIO``, and the graph through
:data:`~augur.app.components.common.OPEN_OUTPUTS` when it changes), ``ids.RUN_REQUEST`` (any new
value, :func:`run_request`), which runs it as the Run button does, and ``ids.VIEW_TABS`` ``value``
:data:`DRILL`, which brings the drill in front; each with ``allow_duplicate=True``.
"""

from __future__ import annotations

import json
import uuid

from dash import Dash, Input, Output, dcc, html

from augur.app import ids
from augur.app.components import fix_it, random_shocks, tipping, weak_points
from augur.app.design import Catalogue

__all__ = ["DRILL", "VIEWS", "pages", "register", "run_request", "tab_strip"]

DRILL = "drill"

# the views beside the drill, in tab order
VIEWS: tuple = (weak_points, random_shocks, tipping, fix_it)


def run_request() -> str:
    """A value for ``ids.RUN_REQUEST`` that differs from every earlier one: a run is asked for."""
    return uuid.uuid4().hex


def tab_strip(views=None) -> html.Nav | None:
    """The tabs that switch views, or None when the drill is the only one."""
    views = VIEWS if views is None else views
    if not views:
        return None
    tabs = [dcc.Tab(label="Drill", value=DRILL, className="view-tab", selected_className="view-tab-on")]
    tabs += [
        dcc.Tab(label=view.LABEL, value=view.KEY, className="view-tab", selected_className="view-tab-on")
        for view in views
    ]
    return html.Nav(
        dcc.Tabs(
            id=ids.VIEW_TABS,
            value=DRILL,
            children=tabs,
            className="view-tabs",
            parent_className="view-tabs-parent",
        ),
        className="view-strip",
    )


def pages(catalogue: Catalogue, views=None) -> list:
    """Every view's page, hidden until its tab is chosen."""
    views = VIEWS if views is None else views
    return [view.page(catalogue) for view in views]


# Which page shows: the one whose key is chosen; all hidden on the drill.
_SHOW = """
function (value) {
    var keys = KEYS;
    return keys.map(function (key) { return key !== value; });
}
"""


def register(app: Dash, catalogue: Catalogue, views=None) -> None:
    """Attach the views' callbacks, and the switch between them, to ``app``."""
    views = VIEWS if views is None else views
    if not views:
        return
    app.clientside_callback(
        _SHOW.replace("KEYS", json.dumps([view.KEY for view in views])),
        [Output(view.PAGE, "hidden") for view in views],
        Input(ids.VIEW_TABS, "value"),
    )
    for view in views:
        view.register(app, catalogue)
