"""The shock designer's words: what it says when a click on a node changes the kind chosen, and
while a view's drill stands in for the drill the designer built.

>>> kind_changed_text("rate_limit_cut", "vendor_failure", "Acme Chips", "vendor")
'Kind set to Vendor failure: a rate-limit cut hits AI services only, and Acme Chips is a vendor.'
"""

from __future__ import annotations

from augur.text import SHOCK_KIND_NAMES, count_text

__all__ = ["BACK_LABEL", "kept_text", "kind_changed_text", "restored_text"]

# the node kinds a shock kind may target, where it is not every kind (augur/scenario/_shocks.py)
_ONLY = {"logistics_bottleneck": "logistics nodes and routes", "rate_limit_cut": "AI services"}


def _a(word: str) -> str:
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def kind_changed_text(kind: str, new_kind: str, node: str, node_kind: str) -> str:
    """Why the kind the designer chose gave way to ``new_kind`` for the clicked ``node`` (of the
    kind ``node_kind``, as the page names it).

    >>> kind_changed_text("logistics_bottleneck", "demand_spike", "Shop", "AI service")[-39:]
    'routes only, and Shop is an AI service.'
    """
    chosen = SHOCK_KIND_NAMES.get(kind, kind).lower()
    return (
        f"Kind set to {SHOCK_KIND_NAMES.get(new_kind, new_kind)}: {_a(chosen)} hits "
        f"{_ONLY.get(kind, 'other nodes')} only, and {node} is {_a(node_kind)}."
    )


BACK_LABEL = "Back to your drill"


def kept_text(drilled: str, kept: str, shocks: int) -> str:
    """Above the shocks, while a view's drill stands in for the one the designer built: which drill
    is on screen, and that theirs is kept.

    >>> kept_text("Weak point: Acme Chips fails alone", "Tier-2 chip outage", 2)
    'Drilling “Weak point: Acme Chips fails alone”. Your drill “Tier-2 chip outage” (2 shocks) is kept.'
    """
    return f"Drilling “{drilled}”. Your drill “{kept}” ({count_text(shocks, 'shock')}) is kept."


def restored_text(kept: str) -> str:
    """Beside the shocks once the designer's drill is back.

    >>> restored_text("Tier-2 chip outage")
    'Back to “Tier-2 chip outage”: its shocks and settings as you left them.'
    """
    return f"Back to “{kept}”: its shocks and settings as you left them."


AS_SAVED_LABEL = "Open the file as saved"


def edits_kept_text(left: str) -> str:
    """After the opening note, when the drill left behind had edits: they are kept, and how to get
    them back.

    >>> edits_kept_text("pharmacy.yaml")
    'Your edits to pharmacy.yaml are kept: pick it again to have them back.'
    """
    return f"Your edits to {left} are kept: pick it again to have them back."


def edits_restored_text(name: str, graph: str, shocks: int) -> str:
    """Beside the picker when a drill comes back with the edits it was left with.

    >>> edits_restored_text("pharmacy.yaml", "pharmacy.yaml (edited)", 1)
    'Opened pharmacy.yaml with your edits, as you left it: 1 shock on pharmacy.yaml (edited).'
    """
    return f"Opened {name} with your edits, as you left it: {count_text(shocks, 'shock')} on {graph}."


def as_saved_text(name: str) -> str:
    """Once the designer chose the file over the edits they had kept.

    >>> as_saved_text("pharmacy.yaml")
    'Opened pharmacy.yaml as the file has it: your edits to it are dropped.'
    """
    return f"Opened {name} as the file has it: your edits to it are dropped."
