"""The Random shocks view's settings: the scenario's ``random:`` section as a form, field for field,
and back. :func:`random_section` reads the form as a file would hold the section, :func:`form_values`
fills the form from one, and :func:`settings` lays the form out (the drills and seed, the shocks per
drill, their timing, a row per shock kind with its chance and strengths, the nodes they may hit),
each part with the place its problems are shown. :mod:`augur.app.components.random_shocks` checks the
form and runs it.

>>> section = random_section(300, 2, 2, {"vendor_failure": 0.5}, {}, {}, (None, None), (3, 28), [])
>>> form_values(section)["duration"], form_values(section)["chances"]["vendor_failure"]
((3, 28), 0.5)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from augur.app import ids
from augur.app.components.common import field, number_input
from augur.app.components.shocks import SHOCK_KIND_LABELS
from augur.scenario import RANDOM_KIND_CHANCES, RANDOM_STRENGTHS, SHOCK_KINDS, RandomShocks
from augur.text import unit_label_text

__all__ = ["PARTS", "STRENGTH_FIELDS", "form_values", "random_section", "range_input", "settings"]

# The parts of the settings a problem is shown beside, by where the scenario's check places it.
PARTS = ("runs", "shocks", "timing", "kinds", "targets")
STRENGTH_FIELDS = tuple(f.name for fields in SHOCK_KINDS.values() for f in fields)


def _part(place: str | None) -> str:
    """The part of the settings a problem at ``place`` (``random.kinds.demand_spike``) is about."""
    key = (place or "").removeprefix("random.").split(".")[0].split("[")[0]
    if key in ("start", "duration"):
        return "timing"
    if key in ("kinds", *STRENGTH_FIELDS):
        return "kinds"
    if key in ("shocks", "targets"):
        return key
    return "runs"


def _pair(low: Any, high: Any, default: tuple) -> list:
    """``[low, high]`` with a blank end taken from ``default``."""
    return [default[0] if low in (None, "") else low, default[1] if high in (None, "") else high]


def random_section(
    runs: Any,
    shocks_low: Any,
    shocks_high: Any,
    chances: Mapping[str, Any],
    lows: Mapping[str, Any],
    highs: Mapping[str, Any],
    start: tuple,
    duration: tuple,
    targets: Sequence | None,
) -> dict:
    """The scenario's ``random:`` section from the view's settings, as a file would hold it.

    A blank chance is 0; a blank end of a strength range is the default's end; a start or duration
    range left blank at both ends scales with the horizon (the file's default), one blank end is the
    horizon's default end. Nothing is checked here: :func:`checked_study` checks it as a file is.
    """
    section: dict[str, Any] = {
        "runs": runs,
        "shocks": _pair(shocks_low, shocks_high, (1, 3)),
        "kinds": {k: 0.0 if chances.get(k) in (None, "") else chances[k] for k in SHOCK_KINDS},
    }
    for name in STRENGTH_FIELDS:
        section[name] = _pair(lows.get(name), highs.get(name), RANDOM_STRENGTHS[name])
    for name, given in (("start", start), ("duration", duration)):
        if any(v not in (None, "") for v in given):
            section[name] = list(given)  # a blank end is filled by checked_study, from the horizon
    if targets:
        section["targets"] = list(targets)
    return section


def _ends(value: Any, default: tuple) -> tuple:
    """A range as the file may write it (a count, ``[low, high]``, nothing) as its two ends."""
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return tuple(value)
    if value is None:
        return tuple(default)
    return (value, value)


def form_values(section: Mapping | None) -> dict:
    """The view's settings for a drill's ``random:`` section, as a file writes it: the inverse of
    :func:`random_section`. ``None`` (a drill without one) gives the defaults; a start or duration the
    section leaves out stays blank, which scales with the horizon as the file's default does.

    >>> values = form_values({"runs": 300, "shocks": 2, "kinds": {"vendor_failure": 0.5},
    ...                       "duration": [3, 28], "targets": ["vendor"]})
    >>> values["runs"], values["shocks"], values["chances"]["rate_limit_cut"]
    (300, (2, 2), 0)
    >>> values["start"], values["duration"], values["lows"]["severity"], values["targets"]
    ((None, None), (3, 28), 0.3, ['vendor'])
    """
    section = section if isinstance(section, Mapping) else {}
    defaults = RandomShocks()
    given = section.get("kinds")
    chances = (
        dict(RANDOM_KIND_CHANCES)
        if not isinstance(given, Mapping)
        else {k: given.get(k, 0) for k in SHOCK_KINDS}
    )
    strengths = {name: _ends(section.get(name), RANDOM_STRENGTHS[name]) for name in STRENGTH_FIELDS}
    targets = section.get("targets") or []
    return {
        "runs": section.get("runs", defaults.runs),
        "shocks": _ends(section.get("shocks"), defaults.shocks),
        "chances": chances,
        "lows": {name: low for name, (low, _) in strengths.items()},
        "highs": {name: high for name, (_, high) in strengths.items()},
        "start": _ends(section.get("start"), (None, None)),
        "duration": _ends(section.get("duration"), (None, None)),
        "targets": [targets] if isinstance(targets, str) else list(targets),
    }


def range_input(component_id, value, kind: str = "range-input", **kwargs) -> dcc.Input:
    """A number field the callbacks check (as :func:`~augur.app.components.common.number_input`),
    narrow enough for a range's two ends."""
    return dcc.Input(
        id=component_id, type="number", value=value, step="any", debounce=True,
        className=f"input {kind}", **kwargs,
    )  # fmt: skip


def _range_row(label: str, low_id, high_id, low, high, *, hint: str = "", label_id=None) -> html.Div:
    named = {"id": label_id} if label_id else {}
    return html.Div(
        [
            html.Span(label, className="range-label", title=hint or None, **named),
            range_input(low_id, low),
            html.Span("to", className="range-to"),
            range_input(high_id, high),
        ],
        className="range-row",
    )


def _problem(part: str) -> html.Div:
    return html.Div(id={"type": ids.RANDOM_PROBLEM, "part": part}, className="message", role="status")


def _kind_rows() -> list:
    """One row per shock kind: its chance, then each of its strength fields' range."""
    head = html.Tr(
        [html.Th("Shock kind"), html.Th("Chance"), html.Th("Strength"), html.Th("from"), html.Th("to")]
    )
    rows = [head]
    for kind, fields in SHOCK_KINDS.items():
        for i, f in enumerate(fields):
            low, high = RANDOM_STRENGTHS[f.name]
            cells = [
                html.Td(SHOCK_KIND_LABELS.get(kind, kind) if i == 0 else ""),
                html.Td(
                    range_input(
                        {"type": ids.RANDOM_CHANCE, "kind": kind}, RANDOM_KIND_CHANCES[kind], "chance-input"
                    )
                    if i == 0
                    else ""
                ),
                html.Td(f.name, className="strength-name"),
                html.Td(range_input({"type": ids.RANDOM_LOW, "field": f.name}, low)),
                html.Td(range_input({"type": ids.RANDOM_HIGH, "field": f.name}, high)),
            ]  # fmt: skip
            rows.append(html.Tr(cells))
    return rows


def settings(job: html.Div) -> html.Div:
    defaults = RandomShocks()
    return html.Div(
        [
            html.H3("What a random drill is"),
            html.Div(
                [
                    field("Drills", number_input(ids.RANDOM_RUNS, defaults.runs), width="half"),
                    field(
                        "Seed", number_input(ids.RANDOM_SEED, None, placeholder="the drill's"), width="half"
                    ),
                ],
                className="row",
            ),
            html.Div(id=ids.RANDOM_BOUND, className="message bound", role="status"),
            _problem("runs"),
            _range_row("Shocks per drill", ids.RANDOM_SHOCKS_LOW, ids.RANDOM_SHOCKS_HIGH, *defaults.shocks),
            _problem("shocks"),
            _range_row(
                unit_label_text("Start", "step"),
                ids.RANDOM_START_LOW,
                ids.RANDOM_START_HIGH,
                None,
                None,
                label_id=ids.RANDOM_START_LABEL,
            ),
            _range_row(
                unit_label_text("Duration", "step", many=True),
                ids.RANDOM_DURATION_LOW,
                ids.RANDOM_DURATION_HIGH,
                None,
                None,
                label_id=ids.RANDOM_DURATION_LABEL,
            ),
            _problem("timing"),
            html.Table(_kind_rows(), className="kind-table"),
            _problem("kinds"),
            field(
                "Which nodes",
                dcc.Dropdown(
                    id=ids.RANDOM_TARGETS,
                    options=[],
                    value=[],
                    multi=True,
                    placeholder="every node",
                    className="dropdown",
                ),
                hint="Node ids or kinds a random shock may hit; empty: every node",
            ),
            _problem("targets"),
            job,
            html.Div(id=ids.RANDOM_MESSAGE, className="message", role="status"),
        ],
        className="study-settings card",
    )
