"""The timeline: Play, the slider over the drill's horizon and the step label. Replaying a drill runs in
the browser (assets/augur.js), with no server round-trip: moving the slider (by hand, by Play, or by
clicking an event) recolours the network and moves the marker on every chart from the frames the
run sent once."""

from __future__ import annotations

from collections.abc import Mapping

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from augur.app import ids
from augur.app.design import Catalogue

__all__ = ["horizon_marks", "register", "slider_marks", "timeline"]


def horizon_marks(scenario: Mapping) -> dict:
    """:func:`slider_marks` for a scenario store; the slider's max is the last mark."""
    return slider_marks(scenario.get("steps", 2), scenario.get("step_unit", "hour"))


def slider_marks(steps: int, unit: str) -> dict:
    """Marks for the timeline: at most about eight round steps, the last labelled with the unit.

    >>> slider_marks(120, "day")
    {0: '0', 20: '20', 40: '40', 60: '60', 80: '80', 100: '100', 119: '119 days'}
    """
    last = max(steps - 1, 1)
    stride = next(s * 10**power for power in range(7) for s in (1, 2, 5) if last / (s * 10**power) <= 8)
    marks = {t: str(t) for t in range(0, last, stride) if last - t > stride * 0.6}
    marks[last] = f"{last} {unit}s" if len(str(last)) < 5 else str(last)
    return marks


def _js(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="augur", function_name=name)


def _slider(**props) -> dcc.Slider:
    """The timeline's slider, without Dash 4's box for typing a value (the step label says it)."""
    try:
        return dcc.Slider(allow_direct_input=False, **props)
    except TypeError:  # Dash before 4 has no such box
        return dcc.Slider(**props)


def timeline(scenario: Mapping | None) -> html.Div:
    """Play, the slider over the drill's horizon (disabled until it has run) and the step label."""
    marks = horizon_marks(scenario) if scenario else None
    return html.Div(
        [
            html.Button(
                "▶ Play",
                id=ids.PLAY,
                className="button play",
                n_clicks=0,
                title="Replay the drill",
                disabled=True,
            ),
            html.Div(
                _slider(
                    id=ids.SLIDER,
                    min=0,
                    max=max(marks) if marks else 1,
                    step=1,
                    value=0,
                    updatemode="drag",
                    marks=marks,
                    disabled=True,
                    className="slider",
                ),
                className="slider-wrap",
            ),
            html.Div("Run the drill to replay it step by step", id=ids.STEP_LABEL, className="step-label"),
            dcc.Interval(id=ids.TICKER, interval=160, disabled=True),
        ],
        className="card timeline",
    )


def register(app: Dash, catalogue: Catalogue) -> None:
    """Attach this component's callbacks to ``app``."""
    app.clientside_callback(
        _js("frame"),
        *(Output(chart, "figure") for chart in ids.CHARTS),
        Output(ids.CHART_NODE, "figure"),
        Output(ids.STEP_LABEL, "children"),
        Output(ids.EVENTS, "style_data_conditional"),
        Input(ids.SLIDER, "value"),
        Input(ids.DRILL, "data"),
        Input(ids.NODE, "data"),
        Input(ids.SCENARIO, "data"),
        State(ids.GRAPH_META, "data"),
        State(ids.PLACEHOLDERS, "data"),
        State(ids.NETWORK, "id"),
        State(ids.EVENTS, "id"),
    )

    app.clientside_callback(
        _js("play"),
        Output(ids.SLIDER, "value", allow_duplicate=True),
        Output(ids.TICKER, "disabled"),
        Output(ids.PLAY, "children"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.TICKER, "n_intervals"),
        State(ids.SLIDER, "value"),
        State(ids.SLIDER, "max"),
        State(ids.TICKER, "disabled"),
        State(ids.DRILL, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        _js("jump"),
        Output(ids.SLIDER, "value", allow_duplicate=True),
        Input(ids.EVENTS, "active_cell"),
        State(ids.EVENTS, "data"),
        prevent_initial_call=True,
    )

    # each chart's "Download plot as png" names its file after the drill on screen
    app.clientside_callback(
        _js("chartFiles"),
        *(Output(chart, "config") for chart in (*ids.CHARTS, ids.CHART_NODE)),
        Input(ids.RUN_DESIGN, "data"),
        Input(ids.NODE, "data"),
        *(State(chart, "config") for chart in (*ids.CHARTS, ids.CHART_NODE)),
    )
