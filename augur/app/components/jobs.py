"""Long work in the app: a Run button, a Cancel button, a progress bar and a line saying how far it got.

A view's long job (a sweep, random-shock drills) runs as a Dash background callback: in a process of
its own (the app's background manager, :func:`augur.app.background_manager`), so the server keeps
answering everyone else meanwhile, and the browser polls it for progress. :func:`background` gives the
callback's keyword arguments, so every job disables Run and enables Cancel while it runs, and reports
its progress the same way:

>>> from augur.app.components.jobs import JobIds, background
>>> job = JobIds(run="r", cancel="c", progress="p", status="s")
>>> sorted(background(job))
['background', 'cancel', 'interval', 'progress', 'progress_default', 'running']

Inside the callback, ``set_progress(progress_values(done, total, "drill"))`` moves the bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from dash import Input, Output, html

from augur.text import progress_text

__all__ = ["JobIds", "background", "job_bar", "progress_values"]

POLL_MS = 500  # how often the browser asks how the job is going


@dataclass(frozen=True)
class JobIds:
    """The ids of one job's controls (each in :mod:`augur.app.ids`)."""

    run: str
    cancel: str
    progress: str
    status: str


def job_bar(job: JobIds, run_label: str) -> html.Div:
    """Run and Cancel, and the bar and line that say how far the job is (hidden until it runs)."""
    return html.Div(
        [
            html.Button(run_label, id=job.run, className="button primary job-run", n_clicks=0),
            html.Button("Cancel", id=job.cancel, className="button job-cancel", n_clicks=0, disabled=True),
            html.Progress(id=job.progress, className="job-progress", value="0", max="1", hidden=True),
            html.Span(id=job.status, className="job-status", role="status"),
        ],
        className="job-bar",
    )


def progress_values(done: int, total: int, noun: str) -> tuple[str, str, str]:
    """What ``set_progress`` takes: the bar's value and maximum, and the line beside it."""
    return str(done), str(max(total, 1)), progress_text(done, total, noun)


def background(job: JobIds) -> dict:
    """The keyword arguments of ``app.callback`` that make a callback this job."""
    return {
        "background": True,
        "running": [
            (Output(job.run, "disabled"), True, False),
            (Output(job.cancel, "disabled"), False, True),
            (Output(job.progress, "hidden"), False, True),
        ],
        "cancel": [Input(job.cancel, "n_clicks")],
        "progress": [
            Output(job.progress, "value"),
            Output(job.progress, "max"),
            Output(job.status, "children"),
        ],
        "progress_default": ["0", "1", ""],
        "interval": POLL_MS,
    }
