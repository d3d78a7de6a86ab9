"""The command line's own lines: a drill's printout, and what ``check``, ``validate`` and ``convert`` say.

The weak-point studies' printouts (``augur sweep``, ``montecarlo``, ``tipping``, ``mitigate``) are in
:mod:`augur.text.studies`; both are printed by :mod:`augur.cli` as they come.

>>> check_line("outage.yaml", {"verdict": "cascade", "hypothesis": "degraded", "hypothesis_held": False})
'FAIL outage.yaml: cascade (hypothesis degraded: NOT held)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from augur.text import count_text, hypothesis_text, summary_lines

__all__ = [
    "EVENTS_SHOWN",
    "check_line",
    "checks_failed_text",
    "converted_text",
    "graph_ok_text",
    "run_lines",
    "scenario_ok_text",
    "wrote_text",
]

EVENTS_SHOWN = 25  # events ``augur run`` prints before it points to --all-events


def run_lines(
    name: str,
    metrics: Mapping,
    shocks: Sequence[Mapping],
    events: Sequence[str],
    *,
    every_event: bool = False,
) -> list[str]:
    """``augur run`` in the terminal: the drill's settings, its figures, its shocks and its events
    (the first :data:`EVENTS_SHOWN` unless ``every_event``). ``shocks`` are
    :func:`augur.text.shock_sentences`, ``events`` the event log's messages."""
    m = metrics
    lines = [f"{name}  (seed {m['seed']}, {count_text(m['steps'], m['step_unit'])}, SLO {m['slo']:.0%})"]
    lines += summary_lines(m)
    if shocks:
        lines.append("\nshocks:")
        lines += [f"  {line['text']}" for line in shocks]
    if events:
        lines.append("\nevents:")
        shown = events if every_event else events[:EVENTS_SHOWN]
        lines += [f"  {event}" for event in shown]
        if len(shown) < len(events):
            lines.append(f"  ... {len(events) - len(shown)} more (--all-events, or --out DIR for the file)")
    return lines


def check_line(name: str, metrics: Mapping) -> str:
    """One drill of ``augur check``: whether its hypothesis held, its verdict and what was expected."""
    mark = {True: "ok  ", False: "FAIL", None: "--  "}[metrics["hypothesis_held"]]
    return f"{mark} {name}: {metrics['verdict']} ({hypothesis_text(metrics)})"


def checks_failed_text(failed: int, total: int) -> str:
    """``augur check``'s closing line when a drill did not hold its hypothesis.

    >>> checks_failed_text(1, 3)
    '1 of 3 drills did not hold their hypothesis'
    """
    return f"{failed} of {total} drills did not hold their hypothesis"


def scenario_ok_text(name: str, scenario: str, shocks: int) -> str:
    """``augur validate`` on a good scenario file.

    >>> scenario_ok_text("s.yaml", "outage", 1)
    "s.yaml: ok, scenario 'outage' with 1 shock"
    """
    return f"{name}: ok, scenario '{scenario}' with {count_text(shocks, 'shock')}"


def graph_ok_text(name: str, nodes: int, edges: int) -> str:
    """``augur validate`` on a good graph file.

    >>> graph_ok_text("g.json", 3, 2)
    'g.json: ok, 3 nodes, 2 edges'
    """
    return f"{name}: ok, {count_text(nodes, 'node')}, {count_text(edges, 'edge')}"


def converted_text(source: str, written: Sequence[str], nodes: int, edges: int) -> str:
    """``augur convert``: what was read, what was written (a CSV graph is two files) and its size.

    >>> converted_text("g.json", ["g.nodes.csv", "g.edges.csv"], 3, 2)
    'g.json -> g.nodes.csv and g.edges.csv: 3 nodes, 2 edges'
    """
    return f"{source} -> {' and '.join(written)}: {count_text(nodes, 'node')}, {count_text(edges, 'edge')}"


def wrote_text(paths: Sequence, *, drill: str | None = None) -> str:
    """What a command wrote: the files, or which drill (``worst``, ``median``) and where.

    >>> wrote_text(["out/metrics.json", "out/events.csv"]), wrote_text(["w.yaml"], drill="worst")
    ('wrote out/metrics.json, out/events.csv', 'wrote the worst drill to w.yaml')
    """
    where = ", ".join(str(p) for p in paths)
    return f"wrote {where}" if drill is None else f"wrote the {drill} drill to {where}"
