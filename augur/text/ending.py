"""Whether a drill saw its story end: a cascade contained with no service lost, or a drill whose
horizon cut it short (a shock still acting at the last step, nodes still down), and a time to
recover the drill cannot give. :func:`augur.text.verdict_sentence`, the cards and ``augur run``
say the verdict with these; whether it ended as its hypothesis said is worded here too, once.

>>> unfinished_text({"ends_during_shock": True})
'the drill ends while a shock still acts: its consequences are still to come'
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from augur.metrics import RECOVERED_LEVEL
from augur.scenario import VERDICT_RANK
from augur.text.names import names_text

__all__ = [
    "contained",
    "goal_text",
    "hypothesis_mark",
    "hypothesis_outcome",
    "hypothesis_text",
    "recover_unknown_text",
    "shocked",
    "unfinished_text",
]

HYPOTHESIS_WORDS = {"held": "held", "better": "better than expected", "worse": "NOT held"}
HYPOTHESIS_MARKS = {"held": "✓", "better": "▲", "worse": "✗"}
NO_HYPOTHESIS = "no hypothesis"


def shocked(metrics: Mapping) -> bool:
    """Whether the drill had shocks: every shock has a target, which is primary or, where it went down
    only as part of the cascade, a secondary failure (a drill without shocks whose graph fails
    nodes of itself reads as shocked here; its time to recover is then measured from step 0).

    >>> shocked({"primary": [], "secondary_failures": ["llm"]})
    True
    >>> shocked({"primary": [], "secondary_failures": []})
    False
    """
    return bool(metrics.get("primary", True)) or bool(metrics.get("secondary_failures"))


def contained(metrics: Mapping) -> bool:
    """A cascade that cost no service: nodes failed beyond the shocked ones, yet the service level
    never fell below 99%, and the drill saw it end (no shock acts and nothing is down at the last
    step: a cascade still under way is not said to be contained)."""
    return (
        bool(metrics["secondary_failures"])
        and metrics["service_level_min"] >= RECOVERED_LEVEL
        and not unfinished_text(metrics)
    )


def unfinished_text(metrics: Mapping, G: nx.DiGraph | None = None) -> str:
    """Why the drill's last step is not the end of its story, or ``""``: a shock still acts there
    (its consequences are still to come), or nodes are still down.

    >>> unfinished_text({"ends_during_shock": True, "down_at_end": []})
    'the drill ends while a shock still acts: its consequences are still to come'
    >>> unfinished_text({"ends_during_shock": False, "down_at_end": ["acme"]})
    'the drill ends with acme still down: consequences may be still to come'
    """
    if metrics.get("ends_during_shock"):
        return "the drill ends while a shock still acts: its consequences are still to come"
    down = metrics.get("down_at_end") or []
    if down:
        return f"the drill ends with {names_text(G, down)} still down: consequences may be still to come"
    return ""


def recover_unknown_text(metrics: Mapping) -> str:
    """A time to recover that the drill cannot give (null), and why.

    >>> recover_unknown_text({"ends_during_shock": True})
    'unknown: a shock lasts to the end of the drill'
    """
    if metrics.get("ends_during_shock"):
        return "unknown: a shock lasts to the end of the drill"
    return "not recovered within the drill"


def hypothesis_outcome(metrics: Mapping) -> str | None:
    """How the verdict stands to the drill's hypothesis: ``held`` (the same), ``better`` (milder than
    expected), ``worse``; None without a hypothesis.

    >>> hypothesis_outcome({"verdict": "graceful", "hypothesis": "degraded", "hypothesis_held": False})
    'better'
    """
    if metrics.get("hypothesis_held") is None:
        return None
    if metrics["hypothesis_held"]:
        return "held"
    return "better" if VERDICT_RANK[metrics["verdict"]] < VERDICT_RANK[metrics["hypothesis"]] else "worse"


def hypothesis_text(metrics: Mapping) -> str:
    """Whether the drill ended as its hypothesis said, in the words every place uses (the app's badge,
    card and compare view, the pack, ``augur run`` and ``augur check``).

    >>> for v in ("graceful", "degraded", "cascade"):
    ...     m = {"verdict": v, "hypothesis": "degraded", "hypothesis_held": v == "degraded"}
    ...     print(hypothesis_text(m))
    hypothesis degraded: better than expected
    hypothesis degraded: held
    hypothesis degraded: NOT held
    >>> hypothesis_text({"verdict": "cascade", "hypothesis": None, "hypothesis_held": None})
    'no hypothesis'
    """
    outcome = hypothesis_outcome(metrics)
    if outcome is None:
        return NO_HYPOTHESIS
    return f"hypothesis {metrics['hypothesis']}: {HYPOTHESIS_WORDS[outcome]}"


def goal_text(goal: str, hypothesis: bool = False) -> str:
    """The verdict a fix must reach, said after "make it": GRACEFUL, or a milder verdict "or better",
    and where it is the drill's own hypothesis (``--goal hypothesis``, the Fix it panel's "its
    hypothesis"), said so.

    >>> goal_text("graceful"), goal_text("degraded"), goal_text("degraded", hypothesis=True)
    ('GRACEFUL', 'DEGRADED or better', 'meet its hypothesis (DEGRADED or better)')
    """
    verdict = goal.upper() if VERDICT_RANK[goal] == 0 else f"{goal.upper()} or better"
    return f"meet its hypothesis ({verdict})" if hypothesis else verdict


def hypothesis_mark(metrics: Mapping) -> str:
    """The mark beside :func:`hypothesis_text` on a badge: ✓ held, ▲ better than expected, ✗ not held."""
    outcome = hypothesis_outcome(metrics)
    return "" if outcome is None else HYPOTHESIS_MARKS[outcome]
