"""The app's Weak points view in words: what a sweep tried (which nodes, which outage, against what),
what the pairs tried, why a sweep was refused, and the empty and stale states.

The facts come from :mod:`augur.analysis.criticality` (the rows, the outage, the candidate sets);
this module only says them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from augur.analysis.weak_points import Outage
from augur.text import count_text, join_text, pct_text, steps_text
from augur.text.numbers import seconds_text
from augur.text.review import outage_text

__all__ = [
    "FIGURES_DRAWING",
    "NETWORK_GROUPED",
    "NO_KIND",
    "PAIRS_EMPTY",
    "PAIRS_FIRST",
    "PAIRS_NONE",
    "PAIRS_NOT_YET",
    "ROW_HINT",
    "SWEEP_EMPTY",
    "drill_name",
    "found_text",
    "kinds_text",
    "not_in_graph",
    "nothing_to_sweep",
    "pairs_caption",
    "pairs_found_text",
    "pairs_sets_text",
    "shock_note",
    "stale_text",
    "sweep_caption",
    "sweep_outage_text",
    "too_big_text",
]

SWEEP_EMPTY = (
    "Find weak points fails each node of the kinds chosen alone, with this drill's horizon and SLO, and "
    "ranks them by the service lost: which single failure hurts most, and which the business cannot "
    "outlast. Leave the outage blank to try the drilled one."
)
PAIRS_EMPTY = (
    "Find pairs fails two nodes at once: every pair of second sources (inputs in one group of one node), "
    "every pair among the worst single failures, and all pairs where that is affordable. A pair that "
    "hurts more together than apart is a single point of failure the ranking above cannot show."
)
NO_KIND = "Choose at least one kind of node to fail."
# in each figure's place from the moment the table is drawn until the ranking's own figures come
FIGURES_DRAWING = "Drawing this ranking's figures…"


def kinds_text(kinds: Sequence[str] | None) -> str:
    """The kinds a sweep failed, by their labels (None: every kind), as a reader says them.

    >>> kinds_text(["vendor", "AI service"]), kinds_text(None)
    ('vendor and AI service', 'every kind')
    """
    return "every kind" if kinds is None else join_text(list(kinds))


def sweep_outage_text(outage: Mapping, copied: str | None, unit: str) -> str:
    """The outage a sweep gave each node: the drilled one (``copied`` as
    :class:`~augur.analysis.weak_points.Outage` says it) or, with ``copied`` None, the one chosen.

    >>> sweep_outage_text({"start": 10, "duration": 21, "ttr": {}}, "outage", "day")
    'each node failed alone for 21 days from day 10, as the drilled outage'
    >>> sweep_outage_text({"start": 5, "duration": 3, "ttr": {"a": 7}}, None, "hour")
    'each node failed alone for 3 hours (or its own ttr) from hour 5, the outage chosen here'
    """
    own = bool(outage.get("ttr"))
    if copied is not None:
        return outage_text(Outage(outage["start"], outage["duration"], copied, own), unit)
    down = steps_text(outage["duration"], unit) + (" (or its own ttr)" if own else "")
    return f"each node failed alone for {down} from {unit} {outage['start']}, the outage chosen here"


def sweep_caption(
    *,
    drill: str,
    graph: str,
    count: int,
    kinds: Sequence[str] | None,
    outage: str,
    slo: float,
    steps: int,
    unit: str,
) -> str:
    """What the ranking shows, on what drill, in one sentence; ``kinds`` by their labels (None: every
    kind).

    >>> sweep_caption(drill="Chip outage", graph="retail.json", count=13, kinds=["vendor"],
    ...               outage="each node failed alone for 3 days from day 2", slo=0.9, steps=40, unit="day")
    ... # doctest: +NORMALIZE_WHITESPACE
    'Chip outage (retail.json): 13 nodes swept (vendor); each node failed alone for 3 days from day 2.
     Worst first, against the SLO of 90% over 40 days.'
    """
    return (
        f"{drill} ({graph}): {count_text(count, 'node')} swept ({kinds_text(kinds)}); {outage}. Worst first, "
        f"against the SLO of {pct_text(slo)} over {steps_text(steps, unit)}."
    )


def nothing_to_sweep(kinds: Sequence[str]) -> str:
    """A graph with no node of the chosen kinds.

    >>> nothing_to_sweep(["AI service"])
    'This graph has no AI service node to fail: choose other kinds.'
    """
    return f"This graph has no {kinds_text(kinds)} node to fail: choose other kinds."


def too_big_text(*, drills: int, nodes: int, steps: int, limit: float, what: str = "sweep") -> str:
    """Why a sweep is refused: its engine work (drills x nodes x steps) is over the limit.

    >>> too_big_text(drills=5000, nodes=5000, steps=200, limit=2e9)  # doctest: +ELLIPSIS
    'This sweep is 5,000 drills of a 5,000-node graph over 200 steps: 5,000,000,000 node-steps, over ...'
    """
    cells = drills * nodes * steps
    return (
        f"This {what} is {count_text(drills, 'drill')} of a {nodes:,}-node graph over {steps:,} steps: "
        f"{cells:,} node-steps, over the limit of {int(limit):,}. Fail fewer kinds of node, shorten the "
        "horizon, or run `augur sweep` from the command line (on a Dask cluster with --scheduler)."
    )


def stale_text() -> str:
    """The results on screen were found on an earlier graph or settings."""
    return (
        "The graph or the drill's settings changed since these were found: they describe the earlier "
        "design. Find them again to see this one."
    )


def pairs_sets_text(sets: Sequence[Mapping]) -> str:
    """Which candidate sets the pairs sweep tried, and how many pairs each proposed.

    >>> pairs_sets_text([{"set": "substitutes", "pairs": 0, "tried": True, "why": "inputs in one group"},
    ...                  {"set": "top", "pairs": 45, "tried": True, "why": "among the 10 worst"},
    ...                  {"set": "all", "pairs": 78, "tried": False, "why": "over the budget"}])
    ... # doctest: +NORMALIZE_WHITESPACE
    'Tried: substitutes, no pair (inputs in one group); top, 45 pairs (among the 10 worst).
     Not tried: all, 78 pairs (over the budget).'
    """

    def one(entry: Mapping) -> str:
        pairs = "no pair" if entry["pairs"] == 0 else count_text(entry["pairs"], "pair")
        return f"{entry['set']}, {pairs} ({entry['why']})"

    tried = [one(e) for e in sets if e["tried"]]
    skipped = [one(e) for e in sets if not e["tried"]]
    text = "Tried: " + "; ".join(tried) + "." if tried else "Tried no set."
    return text + (" Not tried: " + "; ".join(skipped) + "." if skipped else "")


def pairs_caption(*, count: int, top: int) -> str:
    """What the pairs table shows.

    >>> pairs_caption(count=78, top=10)[:72]
    '78 pairs failed together (the pairs among the 10 worst singles and more)'
    """
    return (
        f"{count_text(count, 'pair')} failed together (the pairs among the {top} worst singles and more), "
        "those worse together than either alone first, then the strongest interaction: the loss beyond "
        "the two failures apart."
    )


def drill_name(names: Sequence[str]) -> str:
    """The name of a drill sent from the ranking: what fails.

    >>> drill_name(["Acme Chips"]), drill_name(["Acme Chips", "Boardworks"])
    ('Weak point: Acme Chips fails alone', 'Weak point: Acme Chips and Boardworks fail together')
    """
    if len(names) == 1:
        return f"Weak point: {names[0]} fails alone"
    return f"Weak point: {join_text(list(names))} fail together"


def shock_note() -> str:
    """Why a shock drilled from the ranking is there, shown on the shock in the list."""
    return "the outage the weak-points sweep gave every node"


def not_in_graph(node: str) -> str:
    """A row of a ranking found on another graph."""
    return f"{node} is not in the graph on screen: find the weak points again"


def found_text(count: int, seconds: float) -> str:
    """The line under the settings once a sweep is done.

    >>> found_text(13, 0.42), found_text(20, 0.04)
    ('13 nodes failed alone in 0.42 s.', '20 nodes failed alone in 0.04 s.')
    """
    return f"{count_text(count, 'node')} failed alone in {seconds_text(seconds)}."


def pairs_found_text(count: int, seconds: float) -> str:
    """The line under the pairs' settings once they are done.

    >>> pairs_found_text(78, 1.25)
    '78 pairs failed together in 1.2 s.'
    """
    return f"{count_text(count, 'pair')} failed together in {seconds_text(seconds)}."


ROW_HINT = "Click a row to drill that failure; your own drill is kept, one click from coming back."
PAIRS_NOT_YET = "No pairs yet: Find pairs fills this table, the pairs that hurt most together first."
PAIRS_NONE = "No pair to show: the sets above say which pairs were tried and why."
PAIRS_FIRST = "Find weak points first, on the design on screen: pairs are measured against its ranking."
NETWORK_GROUPED = (
    "This graph is drawn in groups: too many nodes to tint one by one. The ranking and the bars say the same."
)
