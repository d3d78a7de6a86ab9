"""Names beside points, placed so that no two collide: a greedy placement in the figure's pixels.

A figure that names some of its points (the quadrant's worst nodes, the tinted network's) places each
name, most important first, on the first side of its point (right, left, above, below, as the figure
prefers) where its box stays inside the plot and clear of every name placed before it and of the
middle of every other point's marker; a name with no such side is left to the point's hover. The
pixels are those of the smallest plot the figure is drawn in (the app's card at 1280x800): drawn
larger, the points move apart and the names keep their size, so what is clear there is clear
everywhere.

>>> boxes = place([(120, 50, "Tag Label Co"), (124, 50, "Swiftpost Courier")], (300, 100), ("right", "left"))
>>> [(b.side if b else None) for b in boxes]
['right', 'left']
>>> overlapping([b for b in boxes if b])
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "CHAR",
    "LINE",
    "Box",
    "annotation_box",
    "marker_box",
    "name_box",
    "overlapping",
    "place",
    "placed_annotation",
]

CHAR = 6.2  # px a character of 10 px type takes, a little wider than Arial's, so other fonts fit too
LINE = 14.0  # px a line of 10 px type takes, its ground included
GAP = 8.0  # px from a point's centre to its name
CORE = 6.0  # px of the middle of a marker no name may cover


@dataclass(frozen=True)
class Box:
    """A name's box in the plot's pixels (y up, as the axes'), and the side of its point it is on."""

    x0: float
    y0: float
    x1: float
    y1: float
    side: str = ""

    def meets(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, width: float, height: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height


def name_box(x: float, y: float, text: str, side: str, gap: float = GAP) -> Box:
    """The box of ``text`` on ``side`` of the point at pixel ``(x, y)``.

    >>> name_box(100, 50, "Acme", "left")
    Box(x0=67.2, y0=43.0, x1=92.0, y1=57.0, side='left')
    """
    width = CHAR * len(text)
    if side == "right":
        return Box(x + gap, y - LINE / 2, x + gap + width, y + LINE / 2, side)
    if side == "left":
        return Box(x - gap - width, y - LINE / 2, x - gap, y + LINE / 2, side)
    if side == "above":
        return Box(x - width / 2, y + gap, x + width / 2, y + gap + LINE, side)
    return Box(x - width / 2, y - gap - LINE, x + width / 2, y - gap, side)


def place(
    points: Sequence[tuple[float, float, str]],
    plot: tuple[float, float],
    sides: Sequence[str],
    markers: Iterable[Box] = (),
) -> list[Box | None]:
    """Each of ``points`` (pixel x, pixel y, name; most important first) its name's box on the first
    of ``sides`` inside the ``plot`` (width, height) and clear of the boxes placed before and of
    ``markers`` (the points' own boxes: a name may not sit on another point); None where no side is."""
    taken = list(markers)
    out: list[Box | None] = []
    for x, y, text in points:
        own = [
            m
            for m in taken
            if m.side == "marker" and abs((m.x0 + m.x1) / 2 - x) < 1e-6 and abs((m.y0 + m.y1) / 2 - y) < 1e-6
        ]
        chosen = None
        for side in sides:
            box = name_box(x, y, text, side)
            if box.inside(*plot) and not any(box.meets(t) for t in taken if t not in own):
                chosen = box
                break
        if chosen is not None:
            taken.append(chosen)
        out.append(chosen)
    return out


def marker_box(x: float, y: float, size: float) -> Box:
    """The core of a marker of ``size`` px at pixel ``(x, y)``, what a name may not cover: the middle
    :data:`CORE` px of it. A name may pass over a big marker's rim (a column of points a few px apart
    has no room beside them otherwise); every point stays in sight, and findable by its hover."""
    half = min(size, CORE) / 2
    return Box(x - half, y - half, x + half, y + half, "marker")


def placed_annotation(box: Box, gap: float = GAP) -> dict:
    """A plotly annotation's anchor and shift that draw the name in ``box`` (its point at the
    annotation's ``x``, ``y``)."""
    return {
        "right": {"xanchor": "left", "yanchor": "middle", "xshift": gap, "yshift": 0},
        "left": {"xanchor": "right", "yanchor": "middle", "xshift": -gap, "yshift": 0},
        "above": {"xanchor": "center", "yanchor": "bottom", "xshift": 0, "yshift": gap},
        "below": {"xanchor": "center", "yanchor": "top", "xshift": 0, "yshift": -gap},
    }[box.side]


def annotation_box(x: float, y: float, annotation: dict) -> Box:
    """The box a name annotation drawn at pixel ``(x, y)`` takes, read back from its anchors and shifts
    as plotly draws them (what the geometry tests check placed names by)."""
    width = CHAR * len(str(annotation["text"]))
    left = (
        x
        + annotation.get("xshift", 0)
        - {"left": 0, "right": width, "center": width / 2}[annotation.get("xanchor", "center")]
    )
    bottom = (
        y
        + annotation.get("yshift", 0)
        - {"bottom": 0, "top": LINE, "middle": LINE / 2}[annotation.get("yanchor", "middle")]
    )
    return Box(left, bottom, left + width, bottom + LINE)


def overlapping(boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """The pairs of ``boxes`` that overlap, by index."""
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].meets(boxes[j])]
