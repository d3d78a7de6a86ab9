"""One exception hierarchy for everything augur rejects.

Every message names the file (where there is one), the place inside it and what was expected, so that
the CLI can print it as is and the app can show it beside the upload.
"""

from __future__ import annotations

__all__ = ["AugurError", "GraphError", "ReportError", "ScenarioError"]


class AugurError(Exception):
    """Base class: bad input that augur explains instead of crashing on."""

    def __init__(self, message: str, *, source: str | None = None, place: str | None = None):
        self.message = message
        self.source = source
        self.place = place
        super().__init__(self._compose())

    def _compose(self) -> str:
        prefix = ""
        if self.source:
            prefix = f"{self.source}: "
        if self.place:
            prefix += f"{self.place}: "
        return prefix + self.message

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
