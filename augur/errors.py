"""One exception hierarchy for everything augur rejects.

Every message names the file (where there is one), the place inside it and what was expected, so that
the CLI can print it as is and the app can show it beside the upload.
"""

from __future__ import annotations

__all__ = ["AugurError", "GraphError", "ReportError", "ScenarioError"]


class AugurError(Exception):
    """Base class: bad input that augur explains instead of crashing on.

    The parts are kept as fields, so a caller words the place its own way or leaves the file out
    without editing the message: ``message`` says what is wrong and what was expected, ``place`` where
    (``shocks[1].start``, ``line 4``), ``source`` the file (``None`` for input that came from no file,
    such as a design in the app or a dict built in code).

    >>> err = ScenarioError("expected a number, got 'x'", source="drill.yaml", place="slo")
    >>> str(err)
    "drill.yaml: slo: expected a number, got 'x'"
    >>> err.describe(source=False)
    "slo: expected a number, got 'x'"
    >>> err.message, err.place, err.source
    ("expected a number, got 'x'", 'slo', 'drill.yaml')
    """

    def __init__(self, message: str, *, source: str | None = None, place: str | None = None):
        self.message = message
        self.source = source
        self.place = place
        super().__init__(self.describe())

    def describe(self, *, source: bool = True) -> str:
        """The message after its place and, unless ``source`` is false, the file it came from: the
        CLI prints it whole; a page that shows the error beside the design it is about leaves the
        file out."""
        parts = [self.source if source else None, self.place, self.message]
        return ": ".join(part for part in parts if part)

    def with_source(self, source: str) -> AugurError:
        """Return a copy of this error that names ``source`` as the file it came from."""
        if self.source:
            return self
        return type(self)(self.message, source=source, place=self.place)


class GraphError(AugurError, ValueError):
    """A supply graph that cannot be read or does not validate."""


class ScenarioError(AugurError, ValueError):
    """A scenario that cannot be read or does not fit its graph."""


class ReportError(AugurError):
    """A review pack that cannot be built from what it was given (a wrong argument, a missing browser)."""
