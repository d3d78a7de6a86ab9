"""Before and after: the drill on screen beside another one, run under the same shocks.

The other drill is a bundled one from the catalogue (say, the same outage with a mitigation) or the run
the user pinned as *before* and then changed. Both are run again from their designs on each request
(the drill is deterministic), so the server keeps nothing; :func:`compare_pair` is what the compare
view (:mod:`augur.app.components.compare`) and its export share.

>>> from augur.app.design import Catalogue, graph_store, scenario_store
>>> catalogue = Catalogue.scan("scenarios/")
>>> drill = catalogue.load("retail-chip-outage.yaml")
>>> screen = OnScreen(graph_store(drill.graph, "retail"), scenario_store(drill), run=True)
>>> before, after = compare_pair(screen, other_drill("retail-chip-outage-mitigated.yaml", catalogue, None))
>>> before.metrics["verdict"], after.metrics["verdict"]
('cascade', 'graceful')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from augur.app.design import Catalogue, build_scenario, graph_of, scenario_store
from augur.drill import DrillResult, simulate
from augur.errors import ScenarioError
from augur.report import pack_filename

__all__ = [
    "PINNED_CHOICE",
    "OnScreen",
    "Other",
    "compare_pair",
    "compare_stem",
    "on_screen",
    "other_drill",
    "roles",
    "same_shocks_default",
]

PINNED_CHOICE = "@pinned"  # the compare picker's value for the pinned run (no scenario file starts with @)
SAME_SHOCKS = "same"


@dataclass(frozen=True)
class OnScreen:
    """The drill on screen: the graph store, and the design of its last run (or, before any run, the
    design being edited)."""

    graph: Mapping
    scenario: Mapping
    run: bool


@dataclass(frozen=True)
class Other:
    """The drill set beside it: a graph, a scenario store, and where it comes from, in words."""

    G: nx.DiGraph
    scenario: Mapping
    origin: str


def on_screen(graph: Mapping | None, design: Mapping | None, scenario: Mapping | None) -> OnScreen | None:
    """The drill on screen as run (what its KPI cards show), else the design not run yet."""
    if not graph:
        return None
    if design and design.get("graph_rev") == graph.get("rev"):
        return OnScreen(graph, design["scenario"], run=True)
    return OnScreen(graph, scenario, run=False) if scenario else None


def other_drill(choice: str | None, catalogue: Catalogue, pinned: Mapping | None) -> Other | None:
    """The drill chosen in the compare picker: the pinned run, or a bundled drill by file name."""
    if not choice:
        return None
    if choice == PINNED_CHOICE:
        if not pinned:
            raise ScenarioError("nothing is pinned yet: run a drill and press 'Pin as before'")
        return Other(graph_of(pinned["graph"]), pinned["scenario"], "pinned run")
    drill = catalogue.load(choice)
    return Other(drill.graph, scenario_store(drill), "bundled drill")


def same_shocks_default(choice: str | None) -> list[str]:
    """Whether the compare view starts with 'Same shocks' ticked for ``choice``.

    A pinned run is compared as it ran: between a pin and the run on screen the shocks are often
    what changed, and re-running the pin under today's shocks would hide it. A bundled drill runs
    under the shocks on screen: its change (the mitigation) is in its graph.

    >>> same_shocks_default(PINNED_CHOICE), same_shocks_default("retail-chip-outage-mitigated.yaml")
    ([], ['same'])
    """
    return [] if choice == PINNED_CHOICE else [SAME_SHOCKS]


def roles(choice: str | None, swapped: bool) -> str:
    """Which side the drill on screen takes, ``"before"`` or ``"after"``.

    The pinned run came first, so the drill on screen is *after* it; a bundled drill is usually the
    change being weighed (the mitigated version), so the drill on screen is *before* it. Swap turns
    either round.

    >>> roles(PINNED_CHOICE, False), roles("retail-chip-outage-mitigated.yaml", False)
    ('after', 'before')
    """
    default = "after" if choice == PINNED_CHOICE else "before"
    return ({"before": "after", "after": "before"}[default]) if swapped else default


def _run(G: nx.DiGraph, scenario: Mapping, *, other: bool = False, same_shocks: bool = False) -> DrillResult:
    try:
        built = build_scenario(G, scenario)
    except ScenarioError as err:
        if not other:
            raise
        name = scenario.get("name") or "the other drill"
        hint = ""
        if same_shocks:
            name += " under the shocks on screen"
            hint = ". Untick 'Same shocks' to compare the two drills as they are"
        # the drill it is about stands where a file name would: the design on screen has none
        raise ScenarioError(err.message + hint, source=name, place=err.place) from err
    return simulate(G, built)


def compare_pair(
    screen: OnScreen, other: Other, *, on_screen_is: str = "before", same_shocks: bool = True
) -> tuple[DrillResult, DrillResult]:
    """Run both drills and return ``(before, after)``.

    With ``same_shocks`` the other drill keeps its own graph and settings but runs under the shocks of
    the drill on screen: the comparison then shows what the graph or the settings change, nothing else.
    Drills whose steps stand for different units are refused: step counts would be compared as equals.
    """
    other_scenario: dict[str, Any] = dict(other.scenario)
    mine_unit, their_unit = screen.scenario.get("step_unit", "hour"), other_scenario.get("step_unit", "hour")
    if mine_unit != their_unit:
        raise ScenarioError(
            f"the drill on screen counts in {mine_unit}s and the {other.origin} in {their_unit}s: their "
            f"figures and curves would not line up. Set 'One step is' to {their_unit} (or open a drill "
            f"counted in {mine_unit}s) to compare them"
        )
    if same_shocks:
        other_scenario["shocks"] = list(screen.scenario.get("shocks", []))
    mine = _run(graph_of(screen.graph), screen.scenario)
    theirs = _run(other.G, other_scenario, other=True, same_shocks=same_shocks)
    mine_steps, their_steps = screen.scenario.get("steps"), other_scenario.get("steps")
    if mine_steps != their_steps:
        raise ScenarioError(
            f"the drill on screen runs {mine_steps} {mine_unit}s and the {other.origin} {their_steps}: "
            f"losses summed over different horizons do not compare. Set Steps to {their_steps} to "
            "compare them"
        )
    return (mine, theirs) if on_screen_is == "before" else (theirs, mine)


def compare_stem(before: DrillResult, after: DrillResult) -> str:
    """The stem of the before/after files: ``<before>-vs-<after>``, as the review pack names them."""
    return pack_filename((before, after), "x")[:-2]
