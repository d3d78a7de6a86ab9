"""The network card: the legend, the cytoscape canvas, the note a grouped view shows, and the PNG and Fit
buttons. The server sends the view as compact rows (:func:`augur.app.network.network_view`) and
assets/augur.js draws them straight into cytoscape, fits the graph back into view and downloads it as
a PNG (cytoscape's image export, with a margin, in the browser)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import dash_cytoscape as cyto
from dash import ClientsideFunction, Dash, Input, Output, State, html

from augur.app import ids
from augur.app.design import Catalogue
from augur.style import (
    HALO,
    INK,
    KIND_LABELS,
    KIND_SHAPES,
    NOT_RUN,
    QUALITY_COLOURS,
    SHARE_FAILED_COLOURS,
    STATUS_COLOURS,
)

__all__ = ["legend", "network_card", "register"]


def _svg(shape: str, fill: str = "#52606d", *, stroke: str = "none") -> str:
    """A small inline SVG of a node shape for the legend."""
    paths = {
        "round-rectangle": '<rect x="2" y="4" width="16" height="12" rx="3"/>',
        "round-tag": '<path d="M2 5 h11 l5 5 l-5 5 h-11 z" stroke-linejoin="round"/>',
        "round-diamond": '<path d="M10 2 l8 8 l-8 8 l-8 -8 z" stroke-linejoin="round"/>',
        "hexagon": '<path d="M5 3 h10 l4 7 l-4 7 h-10 l-4 -7 z"/>',
        "ellipse": '<ellipse cx="10" cy="10" rx="8" ry="7"/>',
        "circle": '<circle cx="10" cy="10" r="6"/>',
        "halo": '<circle cx="10" cy="10" r="9" fill-opacity="0.18"/><circle cx="10" cy="10" r="4.5" '
        f'fill="{NOT_RUN}"/>',
        "ring": '<circle cx="10" cy="10" r="6.5" fill="#ffffff" stroke-width="3"/>',
    }
    body = paths[shape]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20" fill="{fill}" '
        f'stroke="{stroke}">{body}</svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg)


def _line_svg(colour: str, width: float, dash: str = "") -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="22" height="10" viewBox="0 0 22 10">'
        f'<line x1="1" y1="5" x2="21" y2="5" stroke="{colour}" stroke-width="{width}" '
        f'stroke-dasharray="{dash}"/></svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg)


def _key(src: str, text: str, title: str = "") -> html.Span:
    return html.Span([html.Img(src=src, alt=""), text], className="legend-item", title=title or text)


def legend(*, grouped: bool = False) -> list:
    """The network's legend: kinds by shape, status (or share failed) by colour, edges, halo, shocks."""
    kinds = [_key(_svg(KIND_SHAPES[k]), KIND_LABELS[k]) for k in KIND_SHAPES]
    if grouped:
        shares = [
            _key(_svg("circle", colour), label)
            for (_, colour), label in zip(
                reversed(SHARE_FAILED_COLOURS), ("< 10% down", "10–30%", "30–60%", "≥ 60% down")
            )
        ]
        return [html.Div(kinds, className="legend-row"), html.Div(shares, className="legend-row")]
    statuses = [_key(_svg("circle", colour), label) for label, colour in STATUS_COLOURS.items()]
    extras = [
        _key(_line_svg(QUALITY_COLOURS[2], 2.4), "quality < 80%", "edge colour: quality delivered along it"),
        _key(_svg("halo", HALO), "tokens ×", "halo: an AI service's tokens as a multiple of baseline"),
        _key(_svg("ring", stroke=INK), "shocked", "outline: under a shock at this step"),
    ]
    return [
        html.Div(kinds + extras[2:], className="legend-row"),
        html.Div(statuses + extras[:2], className="legend-row"),
    ]


def network_card(view: Mapping | None) -> html.Div:
    """The network card as the page opens on ``view`` (:func:`augur.app.network.network_view`)."""
    view = view or {"grouped": False, "note": ""}
    return html.Div(
        [
            html.Div(legend(grouped=view["grouped"]), id=ids.LEGEND, className="legend"),
            html.Div(view["note"], id=ids.NETWORK_NOTE, className="network-note", hidden=not view["note"]),
            # Elements and stylesheet are drawn by assets/augur.js from the network view store, not
            # through the component's properties: see augur/app/network.py.
            cyto.Cytoscape(
                id=ids.NETWORK,
                elements=[],
                stylesheet=[],
                layout={"name": "preset", "fit": True, "padding": 28, "animate": False},
                minZoom=0.05,
                maxZoom=3,
                # one wheel notch zooms about 10% rather than 2.5x (cytoscape's default); cytoscape logs
                # a warning for any value given, the default included, so the console shows it either way
                wheelSensitivity=0.3,
                style={"width": "100%", "height": "100%"},
                className="network",
                responsive=True,
                autoRefreshLayout=False,
            ),
            # what a printed page shows instead of the canvas: the whole graph as drawn, as an image
            html.Img(className="network-print", alt=""),
            html.Div(id=ids.NETWORK_DRAWN, hidden=True),
            html.Div(
                [
                    html.Button(
                        "⤓ PNG",
                        id=ids.NETWORK_PNG,
                        className="network-button",
                        title="Download the network as drawn at this step (the whole graph, PNG)",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Fit",
                        id=ids.FIT,
                        className="network-button",
                        title="Fit the whole graph in view",
                        n_clicks=0,
                    ),
                ],
                className="network-buttons",
            ),
        ],
        className="card network-card",
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="draw"),
        Output(ids.NETWORK_DRAWN, "children"),
        Input(ids.NETWORK_VIEW, "data"),
        State(ids.NETWORK, "id"),
        State(ids.NETWORK_DRAWN, "id"),
    )

    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="fit"),
        Output(ids.FIT, "title"),
        Input(ids.FIT, "n_clicks"),
        State(ids.NETWORK, "id"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="networkPng"),
        Output(ids.NETWORK_PNG, "title"),
        Input(ids.NETWORK_PNG, "n_clicks"),
        State(ids.SCENARIO, "data"),
        State(ids.RUN_DESIGN, "data"),
        State(ids.DRILL, "data"),
        State(ids.GRAPH_META, "data"),
        State(ids.SLIDER, "value"),
        State(ids.NETWORK, "id"),
        prevent_initial_call=True,
    )
