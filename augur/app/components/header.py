"""The page's header: the brand, the drill's name and its settings in a line, the note that the results
on screen are stale, and the verdict badge."""

from __future__ import annotations

from collections.abc import Mapping

from dash import ClientsideFunction, Dash, Input, Output, html

from augur.app import ids
from augur.app.design import Catalogue
from augur.text import hypothesis_mark, hypothesis_note, settings_text

__all__ = ["header", "register", "subtitle", "verdict_badge"]


def subtitle(scenario: Mapping | None, graph: Mapping | None) -> str:
    """The header's second line: seed, horizon, SLO and the graph."""
    if not scenario:
        return "Load a drill or upload a supply graph to begin"
    settings = {key: scenario[key] for key in ("seed", "steps", "step_unit", "slo") if key in scenario}
    return settings_text(**settings, graph=graph)


def verdict_badge(metrics: Mapping | None) -> tuple[list, str]:
    """The header badge: the verdict in its colour, and whether the hypothesis held."""
    if not metrics:
        return [html.Span("Not run yet", className="badge-verdict")], "verdict-badge verdict-none"
    verdict = metrics["verdict"]
    children = [html.Span(verdict.upper(), className="badge-verdict")]
    note = hypothesis_note(metrics)
    if note:
        children.append(html.Span(f"{hypothesis_mark(metrics)} {note}", className="badge-hypothesis"))
    return children, f"verdict-badge verdict-{verdict}"


def header(scenario: Mapping | None, graph: Mapping | None) -> html.Header:
    """The header as the page opens on ``scenario`` and ``graph`` (not run yet)."""
    badge, badge_class = verdict_badge(None)
    return html.Header(
        [
            html.Div(
                [
                    html.Div("augur", className="brand"),
                    html.Div(
                        [
                            html.H1((scenario or {}).get("name", "No drill loaded"), id=ids.TITLE),
                            html.Div(subtitle(scenario, graph), id=ids.SUBTITLE, className="subtitle"),
                        ],
                        className="titles",
                    ),
                ],
                className="header-left",
            ),
            html.Div(
                [
                    html.Div(id=ids.STALE_NOTE, className="stale-note", hidden=True),
                    html.Div(id=ids.PRINTED, className="printed print-only"),
                    html.Div(badge, id=ids.VERDICT_BADGE, className=badge_class),
                ],
                className="header-right",
            ),
        ],
        className="app-header",
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    app.clientside_callback(
        ClientsideFunction(namespace="augur", function_name="stale"),
        Output(ids.STALE_NOTE, "children"),
        Output(ids.STALE_NOTE, "hidden"),
        Output(ids.RUN, "className"),
        Input(ids.RUN_DESIGN, "data"),
        Input(ids.GRAPH_META, "data"),
        Input(ids.SCENARIO, "data"),
    )
