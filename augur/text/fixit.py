"""The Fix it panel in words: what it searched, on which drill, each fix's check, and what to do when
there is nothing to show yet.

The fixes themselves are worded by :func:`augur.text.fix_text` and :func:`augur.text.cannot_help_text`
(the same sentences ``augur mitigate`` and the review pack print); this module only frames them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from augur.text import cost_text, join_text
from augur.text.ending import goal_text
from augur.text.studies import fix_check_text, fixes_heading, no_fix_text

__all__ = [
    "GOAL_LABELS",
    "applied_note",
    "fix_check_text",
    "fix_cost_text",
    "fixit_intro",
    "fixit_state",
    "no_fix_text",
    "reopened_note",
    "undo_hint",
]

FIX_CAPTION = (
    "A fix changes one attribute of one node and re-runs the drill: it says what the model shows, not "
    "what the change costs to make. Apply one to compare the drill before and after it."
)
STALE_FIXES = "The drill changed since these fixes were found: find them again."

GOAL_LABELS = {
    "graceful": "GRACEFUL",
    "degraded": "DEGRADED or better",
    "hypothesis": "its hypothesis",
}


def fixit_intro(
    drill: str, graph: str, verdict: str, goal: str, shocks: Sequence[Mapping], hypothesis: bool = False
) -> str:
    """What the panel shows and on which drill, in one sentence; the goal as
    :func:`augur.text.goal_text` says it (``hypothesis``: the drill's own).

    >>> fixit_intro("Chip outage", "retail", "cascade", "graceful",
    ...             [{"when": "day 10 to day 29 (20 days)", "what": "Acme goes down completely"}])
    '"Chip outage" on retail ends CASCADE as run (Acme goes down completely, day 10 to day 29 (20 days)). \
The least single changes that make it GRACEFUL, each confirmed by a re-run:'
    """
    tried = join_text([f"{s['what']}, {s['when']}" for s in shocks]) or "no shocks"
    return f'"{drill}" on {graph} ends {verdict.upper()} as run ({tried}). {fixes_heading(goal, hypothesis)}:'


def fix_cost_text(cost: float, cheapest: bool) -> str:
    """A fix's cost from the nodes' cost attributes, and whether it is the cheapest.

    >>> fix_cost_text(52.0, True), fix_cost_text(1234.5, False)
    ('Cost 52.00 (the cheapest)', 'Cost 1,234.50')
    """
    return f"Cost {cost_text(cost)}" + (" (the cheapest)" if cheapest else "")


def fixit_state(
    state: str, *, drill: str = "", verdict: str = "", goal: str = "graceful", hypothesis: str | None = None
) -> str:
    """The panel's line when there are no fixes to list: not run, not searched (what Find fixes will
    search, for ``goal``, ``hypothesis`` the drill's own verdict if it states one), or nothing to fix.

    >>> fixit_state("graceful", drill="Chip outage", verdict="graceful")
    '"Chip outage" already ends GRACEFUL as run: nothing to fix.'
    >>> fixit_state("not_searched", drill="Chip outage", goal="hypothesis", hypothesis="degraded")
    'Not searched yet. Find fixes re-runs "Chip outage" as last run with one lever at one node changed \
at a time, and lists the least single changes that make it meet its hypothesis (DEGRADED or better), \
each confirmed by a re-run.'
    """
    if state == "not_run":
        return (
            "Run the drill first: Fix it looks for the least changes that make the drill on screen "
            "graceful, once it has run."
        )
    if state == "not_searched":
        if goal == "hypothesis" and not hypothesis:
            return fixit_state("no_hypothesis")
        target = goal_text(hypothesis, True) if goal == "hypothesis" else goal_text(goal)
        return (
            f'Not searched yet. Find fixes re-runs "{drill}" as last run with one lever at one node '
            f"changed at a time, and lists the least single changes that make it {target}, each "
            "confirmed by a re-run."
        )
    if state == "graceful":
        return f'"{drill}" already ends {verdict.upper()} as run: nothing to fix.'
    if state == "no_hypothesis":
        return "This drill states no hypothesis to meet: choose GRACEFUL or DEGRADED, or set one."
    raise ValueError(f"unknown state {state!r}")


def applied_note(change: str) -> str:
    """What the app says once a fix is applied.

    >>> applied_note("26 days of stock at Boardworks")
    'Applied 26 days of stock at Boardworks, and pinned the run before it as before: Compare shows both.'
    """
    return f"Applied {change}, and pinned the run before it as before: Compare shows both."


def undo_hint() -> str:
    """How to go back to the pinned run, beside the compare view's button that does it.

    >>> undo_hint()
    'The before is the pinned run: to undo what changed since, put it back on screen.'
    """
    return "The before is the pinned run: to undo what changed since, put it back on screen."


def reopened_note(name: str) -> str:
    """What the app says once the pinned run is back on screen.

    >>> reopened_note("Chip outage")
    'Opened the pinned run "Chip outage" again.'
    """
    return f'Opened the pinned run "{name}" again.'
