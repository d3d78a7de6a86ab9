"""How nodes are named to a reader: by label, one or a list of them.

>>> names_text(None, ["a", "b", "c"])
'a, b and c'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["FOLD_SHOWN", "fold", "folded", "join_text", "names_text", "node_name"]


def node_name(G: nx.DiGraph | None, node: Any) -> str:
    """How a node is named to a reader: its label, or its id where it has none (or no graph is
    at hand, as in the event log's terse lines)."""
    if G is not None and node in G:
        return str(G.nodes[node].get("label") or node)
    return str(node)


def join_text(parts: list[str]) -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def names_text(G: nx.DiGraph | None, nodes: Iterable) -> str:
    """Nodes by name, at most five of them: ``'a, b, c, d and 3 more'``."""
    names = [node_name(G, v) for v in nodes]
    if len(names) <= 5:
        return join_text(names)
    return ", ".join(names[:4]) + f" and {len(names) - 4} more"


FOLD_SHOWN = 3  # alike lines listed before the rest are folded into one (levers that cannot help, ...)


def fold(items: Sequence, shown: int = FOLD_SHOWN) -> tuple[list, list]:
    """Alike ``items`` as ``(listed, folded)``: the first ``shown`` listed and the rest folded, none
    folded where folding would hide only one (a line saying "1 more" is no shorter than the one).

    >>> fold(["a", "b", "c", "d", "e"]), fold(["a", "b", "c", "d"])
    ((['a', 'b', 'c'], ['d', 'e']), (['a', 'b', 'c', 'd'], []))
    """
    if len(items) <= shown + 1:
        return list(items), []
    return list(items[:shown]), list(items[shown:])


def folded(lines: Sequence[str], more: Callable[[int], str], shown: int = FOLD_SHOWN) -> list[str]:
    """The lines :func:`fold` lists, and the rest as the one line ``more(n)`` says.

    >>> folded(["a", "b", "c", "d", "e"], lambda n: f"... {n} more"), folded(["a", "b"], str, 1)
    (['a', 'b', 'c', '... 2 more'], ['a', 'b'])
    """
    listed, rest = fold(lines, shown)
    return [*listed, more(len(rest))] if rest else listed
