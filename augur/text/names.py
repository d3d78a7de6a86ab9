"""How nodes are named to a reader: by label, one or a list of them.

>>> names_text(None, ["a", "b", "c"])
'a, b and c'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["FOLD_SHOWN", "folded", "join_text", "names_text", "node_name"]


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


def folded(lines: Sequence[str], more: Callable[[int], str], shown: int = FOLD_SHOWN) -> list[str]:
    """The first ``shown`` of alike ``lines``, and the rest as the one line ``more(n)`` says; all of
    them where folding would hide only one.

    >>> folded(["a", "b", "c", "d", "e"], lambda n: f"... {n} more"), folded(["a", "b"], str, 1)
    (['a', 'b', 'c', '... 2 more'], ['a', 'b'])
    """
    if len(lines) <= shown + 1:
        return list(lines)
    return [*lines[:shown], more(len(lines) - shown)]
