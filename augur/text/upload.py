"""What the page says about an upload: one it will not send, and what a graph uploaded under a drill
keeps of that drill."""

from __future__ import annotations

from collections.abc import Sequence

from augur.text.names import join_text
from augur.text.numbers import count_text, multiple_text, pct_text, steps_text

__all__ = ["upload_kept_text", "upload_loaded_text", "upload_too_large_text"]


def upload_too_large_text(limit_mb: float, file_limit_mb: float) -> str:
    """What the page says beside the upload when the files chosen would pass the server's request
    limit, with ``{files}`` and ``{size}`` (MB) left for the page to fill in: the browser measures
    the files before it sends them (base64 makes a file a third larger on the way).

    >>> upload_too_large_text(20, 14.8).format(files="big.xlsx", size="16.0")[:53]
    'big.xlsx is 16.0 MB: file too large (limit 14.8 MB, t'
    """
    return (
        f"{{files}} is {{size}} MB: file too large (limit {file_limit_mb:g} MB, the server's "
        f"{limit_mb:g} MB once encoded for sending). Restart augur serve with a larger "
        "--max-upload-mb to take it."
    )


def upload_loaded_text(names: str) -> str:
    """The upload's first words for a graph it opened: the files, not their size, which the graph's
    line under the upload gives (the two said the same names and counts one above the other).

    >>> upload_loaded_text("pharmacy-nodes.csv, pharmacy-edges.csv")
    'Loaded pharmacy-nodes.csv, pharmacy-edges.csv.'
    """
    return f"Loaded {names}."


# what a drill keeps that a new graph cannot: its words in the sentence, by the scenario's key
LEFT_WORDS = {"description": "its story", "hypothesis": "its hypothesis", "random": "its random shocks"}


def upload_kept_text(
    drill: str,
    *,
    steps: int,
    unit: str,
    seed: int,
    slo: float,
    token_budget: float | None,
    shocks_kept: int,
    dropped: Sequence[str],
    missing: bool,
    left: Sequence[str],
) -> str:
    """What a graph uploaded under the drill ``drill`` keeps of it, and what it drops, in one
    sentence: its horizon, seed, SLO and budget always; the shocks kept, the targets of those
    dropped (``missing``: because the graph has no such node; else they do not fit it), and the
    parts ``left`` behind (:data:`LEFT_WORDS`'s keys), which were about the old graph.

    >>> kept, dropped = upload_kept_text(
    ...     "Chip outage", steps=120, unit="day", seed=7, slo=0.9, token_budget=None, shocks_kept=1,
    ...     dropped=["acme-chips"], missing=True, left=["hypothesis", "random"]).split("; ")
    >>> kept
    'Kept from “Chip outage”: its 120 days, seed 7, SLO of 90% and 1 of its 2 shocks'
    >>> dropped
    'dropped the shock on acme-chips (not in this graph), its hypothesis and its random shocks.'
    >>> upload_kept_text("Port strike", steps=96, unit="hour", seed=0, slo=0.95, token_budget=1.5,
    ...                  shocks_kept=2, dropped=[], missing=False, left=[])
    'Kept from “Port strike”: its 96 hours, seed 0, SLO of 95%, token budget 1.50× and its 2 shocks.'
    """
    total = shocks_kept + len(dropped)
    kept = [steps_text(steps, unit), f"seed {seed}", f"SLO of {pct_text(slo)}"]
    if token_budget is not None:
        kept.append(f"token budget {multiple_text(token_budget)}")
    if shocks_kept and dropped:
        kept.append(f"{shocks_kept} of its {count_text(total, 'shock')}")
    elif shocks_kept:
        kept.append(f"its {count_text(total, 'shock')}" if total > 1 else "its shock")
    gone = []
    if dropped:
        why = (
            "not in this graph"
            if missing
            else "they do not fit this graph"
            if len(dropped) > 1
            else ("it does not fit this graph")
        )
        which = "the shock" if len(dropped) == 1 else f"the {len(dropped):,} shocks"
        gone.append(f"{which} on {join_text(list(dict.fromkeys(dropped)))} ({why})")
    gone += [LEFT_WORDS[key] for key in LEFT_WORDS if key in left]
    sentence = f"Kept from “{drill}”: its {join_text(kept)}"
    return sentence + (f"; dropped {join_text(gone)}." if gone else ".")
