"""What the browser hands back, checked before the server trusts it; and what it keeps across a reload.

The page's stores hold what the app wrote, but they come back from the browser, where they may be an
older version's layout, a hand-edited ``sessionStorage`` or a crafted request. Every read of a graph or
scenario store goes through :func:`checked_graph_store` and :func:`checked_scenario_store` (from
:func:`augur.app.design.graph_of` and :func:`augur.app.design.build_scenario`), so a store that is
not what the app wrote is one clear message, never a traceback.

The *saved design* is the browser's copy of the session's work, kept in the tab's ``sessionStorage``
(it survives a reload and a server restart). It holds the graph store (when it fits, see
:data:`KEEP_LIMIT`), the scenario store and whether the results on screen were of that design: the
result itself is not kept (it can be many times the graph's size) but run again on reopening, which
gives exactly the same drill.

>>> try:
...     checked_scenario_store(["not", "a", "scenario"])
... except ScenarioError as err:
...     print(err.message[-32:])
settings and shocks), got a list
>>> keep_note({"name": "g.json", "rev": "1", "data": {"nodes": [], "edges": []}})
''
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from augur.errors import AugurError, GraphError, ScenarioError

__all__ = [
    "KEEP_LIMIT",
    "SavedDesign",
    "checked_graph_store",
    "checked_saved_design",
    "checked_scenario_store",
    "keep_note",
    "kept_size",
]

# Characters of JSON the browser keeps for one design. sessionStorage holds about 5 million characters
# per site and tab; a design above this is kept without its graph.
KEEP_LIMIT = 2_000_000
SAVED_VERSION = 1

NOT_WRITTEN = "the page's {what}: expected what augur wrote ({expected}), got {got}"
TOO_LARGE_TO_KEEP = (
    " This graph is too large for the browser to keep ({size} MB of JSON; it keeps {limit} MB): after a "
    "reload the page opens the bundled drill. Download the scenario file to keep your design."
)
LOST_TOO_LARGE = (
    "Your last design, on {name}, was too large for this browser to keep ({size} MB): this is the "
    "bundled drill. Upload the graph again, or open the scenario file you downloaded."
)
REFUSED = "The design this browser kept could not be reopened ({reason}): this is the bundled drill."


def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def checked_graph_store(store: Any) -> Mapping:
    """``store`` if it has the shape of a graph store: a mapping with a ``rev``, a ``name`` and node-link
    ``data`` (whose content :func:`augur.io.parse_node_link` then checks). Raises :class:`GraphError`."""
    expected = "a mapping with rev, name and data"
    if not isinstance(store, Mapping):
        raise GraphError(NOT_WRITTEN.format(what="graph", expected=expected, got=_got(store)))
    for key, kind in (("rev", str), ("name", str), ("data", Mapping)):
        if not isinstance(store.get(key), kind):
            got = f"{_got(store.get(key))} for {key}" if key in store else f"no {key}"
            raise GraphError(NOT_WRITTEN.format(what="graph", expected=expected, got=got))
    return store


def checked_scenario_store(store: Any) -> Mapping:
    """``store`` if it has the shape of a scenario store: a mapping whose ``shocks`` (when present) is
    a list of mappings. Its values are then checked by :func:`augur.scenario.parse_scenario`."""
    expected = "a mapping of settings and shocks"
    if not isinstance(store, Mapping):
        raise ScenarioError(NOT_WRITTEN.format(what="scenario", expected=expected, got=_got(store)))
    shocks = store.get("shocks", [])
    if not isinstance(shocks, list) or not all(isinstance(s, Mapping) for s in shocks):
        got = f"{_got(shocks)} for shocks"
        raise ScenarioError(NOT_WRITTEN.format(what="scenario", expected="a list of shocks", got=got))
    if "rev" in store and not isinstance(store["rev"], str):
        raise ScenarioError(
            NOT_WRITTEN.format(what="scenario", expected=expected, got="a rev that is not text")
        )
    return store


def kept_size(graph: Mapping) -> int:
    """Characters of JSON the browser needs to keep ``graph`` (as ``JSON.stringify`` writes it)."""
    return len(json.dumps(graph, separators=(",", ":"), ensure_ascii=False))


def keep_note(graph: Mapping) -> str:
    """A sentence for the note beside the upload when ``graph`` is too large to keep, else ``''``."""
    size = kept_size(graph)
    if size <= KEEP_LIMIT:
        return ""
    return TOO_LARGE_TO_KEEP.format(size=f"{size / 1e6:.1f}", limit=f"{KEEP_LIMIT / 1e6:g}")


class SavedDesign(dict):
    """A checked saved design: ``graph`` (a graph store, or None when it was too large), ``scenario``,
    ``ran`` (whether the results on screen were of this design)."""


def checked_saved_design(saved: Any) -> SavedDesign:
    """The saved design the browser handed back, checked; raises :class:`AugurError` with a sentence
    for the page (:data:`REFUSED`, or :data:`LOST_TOO_LARGE` when its graph was not kept)."""
    try:
        if not isinstance(saved, Mapping) or saved.get("version") != SAVED_VERSION:
            raise AugurError(f"expected a saved design of version {SAVED_VERSION}, got {_got(saved)}")
        scenario = checked_scenario_store(saved.get("scenario"))
        graph = None if saved.get("graph") is None else checked_graph_store(saved["graph"])
    except AugurError as err:
        raise AugurError(REFUSED.format(reason=err.message)) from err
    if graph is None:
        name, size = str(saved.get("graph_name") or "a graph")[:200], saved.get("graph_size")
        size = f"{size / 1e6:.1f}" if isinstance(size, int | float) else "?"
        raise AugurError(LOST_TOO_LARGE.format(name=name, size=size))
    return SavedDesign(graph=graph, scenario=scenario, ran=saved.get("ran") is True)
