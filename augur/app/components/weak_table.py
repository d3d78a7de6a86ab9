"""The Weak points view's two tables: the ranking of every node failed alone, and the pairs failed
together; their columns in a reader's words and the drill's unit, their rows from the view's stores,
and the grid both are drawn in. :mod:`augur.app.components.weak_points` lays them out and fills them.

>>> [c["headerName"] for c in ranking_columns("day")][8:10]
['Survives (days)', 'Service back (days)']
"""

from __future__ import annotations

from collections.abc import Mapping

import dash_ag_grid as dag

from augur.style import KIND_LABELS, VERDICT_COLOURS
from augur.text.studies import pair_worse_text
from augur.text.weak_points import service_back_header, service_back_tooltip

__all__ = [
    "GRID_OPTIONS",
    "grid",
    "grid_options",
    "pair_columns",
    "pair_rows",
    "ranking_columns",
    "ranking_rows",
]


def _number(value: str) -> dict:
    return {"function": f"params.value == null ? '{value}' : d3.format(',.1f')(params.value)"}


def _verdict_style() -> dict:
    return {
        "styleConditions": [
            {
                "condition": f"params.value == '{verdict}'",
                "style": {"color": colour, "fontWeight": 700},
            }
            for verdict, colour in VERDICT_COLOURS.items()
        ]
    }


def ranking_columns(unit: str = "step") -> list[dict]:
    """The ranking's columns: every key of a criticality row, in a reader's words. The words and the
    verdicts filter; every column sorts."""
    units = f"{unit}s"
    # narrow enough that every column fits beside the panel at 1280 px, scrollbars and all: the node's
    # name takes the rest (and its tooltip the whole name where that is short)
    number = {"type": "rightAligned", "filter": False, "width": 64}
    return [
        {"field": "name", "headerName": "Node", "flex": 1, "minWidth": 140, "tooltipField": "name",
         "headerTooltip": "The node failed alone"},
        {"field": "kind_label", "headerName": "Kind", "width": 84},
        {"field": "verdict", "headerName": "Verdict", "width": 84, "cellStyle": _verdict_style()},
        {"field": "resilience_loss", "headerName": "Loss", **number, "valueFormatter": _number("-"),
         "headerTooltip": f"Resilience loss: service lost over the horizon, in {units} of no service"},
        {"field": "exposure_index", "headerName": "Exposure", **number, "width": 74,
         "valueFormatter": {"function": "d3.format('.2f')(params.value)"},
         "headerTooltip": "Exposure index: this loss over the worst loss (the worst is 1.00)"},
        {"field": "blast_radius", "headerName": "Blast radius", **number,
         "valueFormatter": {"function": "d3.format('.0%')(params.value)"},
         "headerTooltip": "Share of the graph's nodes that failed"},
        {"field": "secondary_failures", "headerName": "2nd failures", **number,
         "headerTooltip": "Nodes that failed though no shock touched them"},
        {"field": "service_level_min", "headerName": "Lowest service", **number,
         "valueFormatter": {"function": "d3.format('.0%')(params.value)"}},
        {"field": "time_to_survive", "headerName": f"Survives ({units})", **number, "width": 72,
         "valueFormatter": {"function": "params.value == null ? 'never' : params.value"},
         "headerTooltip": f"Time to survive: {units} from the failure until service fell below the SLO"},
        {"field": "time_to_recover", "headerName": service_back_header(unit), **number, "width": 72,
         "valueFormatter": {"function": "params.value == null ? 'not in time' : params.value"},
         "headerTooltip": service_back_tooltip(unit)},
        {"field": "spof", "headerName": "Single point", "width": 72,
         "headerTooltip": "Single point of failure: failing it alone takes service below the SLO"},
    ]  # fmt: skip


# a column whose sentences run past its width: its cells wrap and the row grows to hold them (the
# pair's two names, why it ranks first), where they were cut at "Server freight f…"
WRAPPED = {"wrapText": True, "autoHeight": True, "cellClass": "wrap-cell"}


def pair_columns() -> list[dict]:
    """The pairs table's columns, in the library's order: worse together first, then the strongest
    interaction; "Why first" says what a pair did that neither failure did alone."""
    # narrow enough that every column fits beside the panel at 1280 px, as the ranking's do: the
    # pair's names and why it ranks first share the rest
    number = {"type": "rightAligned", "filter": False, "width": 80}
    return [
        {"field": "pair", "headerName": "Nodes failed together", "minWidth": 220, "flex": 1, **WRAPPED,
         "tooltipField": "pair"},
        {"field": "verdict", "headerName": "Verdict", "width": 84, "cellStyle": _verdict_style()},
        {"field": "interaction", "headerName": "Interaction", **number, "valueFormatter": _number("-"),
         "headerTooltip": "The pair's loss beyond the two failures' losses alone"},
        {"field": "resilience_loss", "headerName": "Loss", **number, "valueFormatter": _number("-")},
        {"field": "secondary_failures", "headerName": "2nd failures", **number},
        {"field": "why", "headerName": "Why first", "minWidth": 200, "flex": 1, **WRAPPED,
         "tooltipField": "why", "headerTooltip": "What the pair did together that neither failure did alone"},
        {"field": "sets", "headerName": "Proposed by", "width": 120, "tooltipField": "sets",
         "headerTooltip": "The candidate sets that proposed the pair"},
    ]  # fmt: skip


def ranking_rows(weak: Mapping) -> list[dict]:
    """The grid's rows: the store's rows with a row id, the kind's label and yes or no."""
    return [
        {
            **row,
            "row_id": str(i),
            "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
            "spof": "yes" if row["single_point_of_failure"] else "no",
        }
        for i, row in enumerate(weak["rows"])
    ]


def pair_rows(found: Mapping) -> list[dict]:
    """The pairs grid's rows."""
    return [
        {
            **row,
            "row_id": str(i),
            "pair": " + ".join(row["names"]),
            "sets": ", ".join(row["candidates"]),
            "why": pair_worse_text(row),
        }
        for i, row in enumerate(found["rows"])
    ]


GRID_OPTIONS = {
    "animateRows": False,
    "rowHeight": 28,
    "headerHeight": 32,
    "tooltipShowDelay": 300,
    "suppressCellFocus": True,
    "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
}


def grid_options(empty: str) -> dict:
    """The grids' options, ``empty`` in the table's place while it has no rows, where AG Grid says
    "No Rows To Show".

    >>> grid_options("No pairs yet")["localeText"]
    {'noRowsToShow': 'No pairs yet'}
    """
    return {**GRID_OPTIONS, "localeText": {"noRowsToShow": empty}}


def grid(grid_id: str, columns: list[dict], height: int, empty: str = "") -> dag.AgGrid:
    """A table of ``columns``, ``height`` px high: every column sorts, filters and resizes, its header
    wraps, and a click on a row selects it (the view drills what it clicked)."""
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowData=[],
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions=grid_options(empty) if empty else GRID_OPTIONS,
        getRowId="params.data.row_id",
        style={"height": f"{height}px", "width": "100%"},
        className="weak-grid",
    )
