"""What the app says when Export review is pressed: the pack it saved, or why it saved none."""

from __future__ import annotations

__all__ = ["export_failed_text", "export_refused_text", "export_saved_text", "scenario_saved_text"]


def export_refused_text(*, ran: bool) -> str:
    """Why no review pack was saved: no drill has run, or the graph changed since the one on screen
    ran (a pack reports a drill as run, and that run's graph is no longer the one being edited).

    >>> export_refused_text(ran=False)
    'Run the drill first: the review pack reports the drill on screen.'
    >>> export_refused_text(ran=True)
    'The graph changed since this run: run the drill again, then export its review pack.'
    """
    if not ran:
        return "Run the drill first: the review pack reports the drill on screen."
    return "The graph changed since this run: run the drill again, then export its review pack."


def export_saved_text(filename: str, *, edited: bool) -> str:
    """The pack saved, and whether it is the drill as run while the settings have changed since.

    >>> export_saved_text("x-review.zip", edited=True)
    'Saved x-review.zip: the dashboard (PNG) and the report (HTML) of the drill as run, not your later edits.'
    """
    return f"Saved {filename}: the dashboard (PNG) and the report (HTML) of the drill " + (
        "as run, not your later edits." if edited else "on screen."
    )


def scenario_saved_text(filename: str, random_problem: str | None = None) -> str:
    """The scenario file saved; and, where the drill's ``random:`` section no longer fits the design
    (a node it names removed, a horizon it outlasts), that the file leaves it out, and why.

    >>> scenario_saved_text("port-strike.yaml")
    'Saved port-strike.yaml: `augur run port-strike.yaml` reproduces this drill.'
    >>> scenario_saved_text("p.yaml", "random.targets: unknown node 'gone'").split(". ", 1)[1]
    "Its random shocks are left out, as they no longer fit it: random.targets: unknown node 'gone'."
    """
    note = f"Saved {filename}: `augur run {filename}` reproduces this drill."
    if random_problem:
        note += f" Its random shocks are left out, as they no longer fit it: {random_problem.rstrip('.')}."
    return note


def export_failed_text(err: BaseException) -> str:
    """Why an export saved nothing when making the pack failed unforeseen (a fault, not bad input):
    what went wrong in its own words, and what to do, so the button never just resets.

    >>> export_failed_text(KeyError("text"))
    "The review pack could not be made (KeyError: 'text'), so nothing was saved: reload the page and \
export again; if it fails again, the server's log has the details."
    """
    return (
        f"The review pack could not be made ({type(err).__name__}: {err}), so nothing was saved: reload the "
        "page and export again; if it fails again, the server's log has the details."
    )
