"""Numbers and units as a reader reads them: steps in the drill's unit, counts with their noun,
percentages, multiples, costs and attribute values.

>>> steps_text(3, "day"), pct_text(0.25), multiple_text(1.5), cost_text(1234.5)
('3 days', '25%', '1.50×', '1,234.50')
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "at_or_above",
    "compact_number_text",
    "cost_shown",
    "cost_text",
    "count_text",
    "exact_multiple_text",
    "exact_pct_text",
    "fraction_in_percent_text",
    "hops_text",
    "multiple_text",
    "number_text",
    "pct_text",
    "progress_text",
    "quantile_steps_text",
    "quantile_text",
    "seconds_text",
    "steps_text",
    "unit_label_text",
    "value_text",
]


def steps_text(n: float | None, unit: str, *, none: str = "-") -> str:
    """A count of steps in the drill's unit: ``3`` -> ``'3 days'``; ``1`` -> ``'1 day'``; fractions
    keep one decimal.

    >>> steps_text(1, "day"), steps_text(2.5, "hour"), steps_text(None, "day", none="held")
    ('1 day', '2.5 hours', 'held')
    """
    if n is None:
        return none
    if float(n).is_integer():
        n = int(n)
        return f"{n:,} {unit}" + ("" if n == 1 else "s")
    return f"{n:,.1f} {unit}s"


def unit_label_text(label: str, unit: str, *, many: bool = False) -> str:
    """A form field's label in the drill's unit, as its results are counted: a point in time names
    the unit, a length says it in the plural.

    >>> unit_label_text("Start", "day"), unit_label_text("Down for", "hour", many=True)
    ('Start day', 'Down for (hours)')
    """
    return f"{label} ({unit}s)" if many else f"{label} {unit}"


def count_text(n: int, word: str) -> str:
    """A whole count with its noun: ``1`` -> ``'1 edge'``, ``1234`` -> ``'1,234 edges'``.

    >>> count_text(1, "hop"), count_text(3, "secondary failure")
    ('1 hop', '3 secondary failures')
    """
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def progress_text(done: int, total: int, noun: str) -> str:
    """How far a long job is, as the app's progress line says it.

    >>> progress_text(250, 2000, "drill")
    '250 of 2,000 drills'
    >>> progress_text(1, 1, "drill")
    '1 of 1 drill'
    """
    return f"{done:,} of {count_text(total, noun)}"


def hops_text(n: int) -> str:
    """A cascade's depth: ``'2 hops'``."""
    return count_text(n, "hop")


def multiple_text(x: float | None) -> str:
    """A multiple of baseline: ``1.5`` -> ``'1.50×'``."""
    return "-" if x is None else f"{x:,.2f}×"


def pct_text(x: float | None) -> str:
    """A fraction as a whole percentage: ``0.254`` -> ``'25%'``."""
    return "-" if x is None else f"{x:.0%}"


def _fewest_digits(x: float, least: int, most: int, toward: int) -> str:
    """``x`` with the fewest decimals from ``least`` to ``most`` that still show it exactly; where even
    ``most`` do not, rounded there up (``toward`` +1), down (-1) or to the nearest (0)."""
    for places in range(least, most + 1):
        text = f"{x:,.{places}f}"
        if abs(float(text.replace(",", "")) - x) <= 1e-9 * max(1.0, abs(x)):
            return text
    scale = 10.0**most
    x = {1: np.ceil, -1: np.floor}.get(toward, np.round)(x * scale - toward * 1e-9) / scale
    return f"{x:,.{most}f}"


def exact_pct_text(x: float, toward: int = 0) -> str:
    """A fraction as a percentage with the decimals it needs to be the value itself, so a reader who
    types it back gets what was shown (:func:`pct_text` gives whole percentages); past four decimals
    rounded ``toward`` +1 (up), -1 (down) or 0 (the nearest).

    >>> exact_pct_text(0.6), exact_pct_text(0.555), exact_pct_text(0.123456789, -1)
    ('60%', '55.5%', '12.3456%')
    """
    return f"{_fewest_digits(float(x) * 100, 0, 4, toward)}%"


def exact_multiple_text(x: float, toward: int = 0) -> str:
    """A multiple of baseline with the decimals it needs to be the value itself (two at least, as
    :func:`multiple_text`); past six rounded ``toward`` +1 (up), -1 (down) or 0 (the nearest).

    >>> exact_multiple_text(1.2), exact_multiple_text(1.8104), exact_multiple_text(1 / 3, 1)
    ('1.20×', '1.8104×', '0.333334×')
    """
    return f"{_fewest_digits(float(x), 2, 6, toward)}×"


def number_text(x: float | None) -> str:
    """A count or amount for people: ``36784.6`` -> ``'36,785'``, ``0.4567`` -> ``'0.46'``."""
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.2f}"


def compact_number_text(x: float) -> str:
    """A number in three figures for a card with room for a few characters: ``36784.6`` -> ``'36.8k'``
    (:func:`number_text` gives the full ``'36,785'``).

    >>> compact_number_text(36784.6), compact_number_text(2.5e6), compact_number_text(950)
    ('36.8k', '2.5M', '950')
    """
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.0f}"


def cost_text(x: float | None) -> str:
    """A cost as a plain number with two decimals (no currency is known): ``'1,234.50'``; a cost
    that two decimals would round to 0.00 gets the decimals of its first two figures, so an overrun
    of thousands of cheap tokens does not read as free, and one under a millionth says so.

    >>> cost_text(1234.5), cost_text(0.004852), cost_text(-0.0012), cost_text(0), cost_text(3e-9)
    ('1,234.50', '0.0049', '-0.0012', '0.00', 'under 0.000001')
    """
    if x is None:
        return "-"
    if x == 0 or abs(x) >= 0.005 or not math.isfinite(x):
        return f"{x:,.2f}"
    if abs(x) < 1e-6:
        return f"{'-' if x < 0 else ''}under 0.000001"
    return np.format_float_positional(float(x), precision=2, unique=False, fractional=False, trim="-")


def cost_shown(x: float) -> float:
    """A cost as :func:`cost_text` shows it, as a number, so a change is the difference of the
    costs shown: ``1.234`` -> ``1.23``, ``0.004852`` -> ``0.0049``.

    >>> cost_shown(1.234), cost_shown(0.004852), cost_shown(3e-9)
    (1.23, 0.0049, 0.0)
    """
    text = cost_text(x)
    return 0.0 if "under" in text else float(text.replace(",", ""))


def value_text(x: float) -> str:
    """An attribute's value as its author would write it, never in exponent form: ``17712`` ->
    ``'17,712'``, ``0.004`` -> ``'0.004'``, ``1.5e6`` -> ``'1,500,000'``.

    >>> value_text(17712), value_text(0.004), value_text(1.5e6)
    ('17,712', '0.004', '1,500,000')
    """
    x = float(x)
    if x.is_integer():
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return np.format_float_positional(x, precision=4, unique=True, fractional=False, trim="-")


def at_or_above(level: float) -> str:
    """``'97% or above'``; plain ``'100%'`` at the top, where there is no above.

    >>> at_or_above(0.97), at_or_above(1.0)
    ('97% or above', '100%')
    """
    text = pct_text(level)
    return text if text == "100%" else f"{text} or above"


def fraction_in_percent_text(x: float) -> str:
    """What a percent field says of a value in (0, 1]: almost surely a fraction typed where a percent
    goes (0.95 for 95%), which taken as it stands would be an SLO under 1%.

    >>> fraction_in_percent_text(0.95), fraction_in_percent_text(1)
    ('0.95 reads as 0.95%; did you mean 95%?', '1 reads as 1%; did you mean 100%?')
    """
    return f"{value_text(x)} reads as {value_text(x)}%; did you mean {value_text(x * 100)}%?"


def quantile_steps_text(x: float, unit: str) -> str:
    """A percentile of a study's figure counted in the drill's unit, in :func:`quantile_text`'s three
    figures, the unit singular only for exactly one: ``'2.03 hours'``, ``'1 hour'``.

    >>> quantile_steps_text(2.0300288, "hour"), quantile_steps_text(1.0, "day"), quantile_steps_text(0, "day")
    ('2.03 hours', '1 day', '0 days')
    """
    shown = quantile_text(x)
    return f"{shown} {unit}" + ("" if shown == "1" else "s")


def quantile_text(x: float) -> str:
    """A percentile of a study's figure, in three figures, as the histogram marks it and the summary
    says it (the two read the same number): ``3.2195`` -> ``'3.22'``, ``0.77912`` -> ``'0.779'``.

    >>> quantile_text(3.2195), quantile_text(0.0), quantile_text(1234.5)
    ('3.22', '0', '1,234')
    """
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def seconds_text(s: float) -> str:
    """A short time taken, in digits that never read as no time at all: two decimals below a
    second (a sweep of 20 nodes takes some hundredths), one below ten, whole seconds above.

    >>> seconds_text(0.004), seconds_text(0.04), seconds_text(0.456), seconds_text(1.25), seconds_text(73.4)
    ('under 0.01 s', '0.04 s', '0.46 s', '1.2 s', '73 s')
    """
    if s < 0.005:
        return "under 0.01 s"
    if s < 0.995:
        return f"{s:.2f} s"
    return f"{s:.1f} s" if s < 9.95 else f"{s:.0f} s"
