"""How much memory a drill takes, checked before it runs.

A drill records every node's state at every step (:class:`~augur.engine.step.Trajectory`), so its
memory is nodes x steps x the bytes of one recorded state. A 2,500-node graph over 100,000 steps
would need about 20 GB: :func:`check_drill_size` refuses such a drill with a message that says how to
fit, before any array is allocated. The CLI (``--steps``), :func:`augur.simulate` and the app's
horizon input share this one check.
"""

from __future__ import annotations

from augur.errors import ScenarioError

__all__ = [
    "BYTES_PER_NODE_STEP",
    "BYTES_PER_RUN",
    "BYTES_PER_RUN_STEP",
    "DRILL_BUDGET_BYTES",
    "STUDY_BUDGET_CELLS",
    "check_drill_size",
    "check_grid_size",
    "check_study_size",
    "drill_bytes",
    "study_bytes",
]

# One recorded state of one node: nine float64 fields (output, load, supply, stock, quality,
# attempts, tokens, ci, throttle ratio), the down counter (int64) and the status (int8), plus about
# ten bytes of the per-step work arrays and the metrics' copies.
BYTES_PER_NODE_STEP = 90

# The default budget for one drill: 1 GB leaves room for several users of one server.
DRILL_BUDGET_BYTES = 1_000_000_000


# The engine work a study of many drills may take, in node-steps (drills x nodes x steps): every pair of
# a graph of about 200 nodes over 100 steps, a minute or so. augur sweep --pairs leaves out the pairs
# past it; a tipping grid past it is refused (:func:`check_grid_size`).
STUDY_BUDGET_CELLS = 400_000_000


def drill_bytes(nodes: int, steps: int) -> int:
    """The memory a drill of ``nodes`` over ``steps`` takes, in bytes (about).

    >>> drill_bytes(2_500, 100_000) / 1e9
    22.5
    """
    return BYTES_PER_NODE_STEP * nodes * steps


def check_drill_size(
    nodes: int, steps: int, *, budget: int = DRILL_BUDGET_BYTES, source: str | None = None
) -> None:
    """Refuse a drill of ``nodes`` over ``steps`` that would need more than ``budget`` bytes.

    The message says what it would need, the limit, and the most steps that fit.

    >>> check_drill_size(300, 1_000)
    >>> check_drill_size(2_500, 100_000)
    Traceback (most recent call last):
    ...
    augur.errors.ScenarioError: steps: a 2,500-node graph over 100,000 steps needs about 22.5 GB; \
the limit is 1 GB: use at most 4,444 steps
    """
    need = drill_bytes(nodes, steps)
    if need <= budget:
        return
    fit = budget // (BYTES_PER_NODE_STEP * max(nodes, 1))
    advice = f"use at most {fit:,} steps" if fit >= 2 else "use a smaller graph"
    raise ScenarioError(
        f"a {nodes:,}-node graph over {steps:,} steps needs about {_size(need)}; the limit is "
        f"{_size(budget)}: {advice}",
        source=source,
        place="steps",
    )


# What a random-shock study keeps of each drill until its bands are drawn: the service level at
# every step three times over (each drill's series, the stacked array, the copy the percentiles
# sort), and its figures, shocks and row. Measured with tracemalloc on the retail chip outage, 300
# drills over 100 and over 1,500 steps peaked at 9.7 kB and 39.8 kB a drill: 21.5 bytes a step and
# 7.6 kB a drill besides.
BYTES_PER_RUN_STEP = 24
BYTES_PER_RUN = 8_000


def study_bytes(runs: int, steps: int) -> int:
    """The memory ``runs`` random-shock drills over ``steps`` keep, in bytes (about).

    >>> study_bytes(1_000_000, 1_000) / 1e9
    32.0
    """
    return runs * (BYTES_PER_RUN + BYTES_PER_RUN_STEP * steps)


def check_study_size(
    runs: int, nodes: int, steps: int, *, budget: int = DRILL_BUDGET_BYTES, source: str | None = None
) -> None:
    """Refuse a random-shock study whose drills would keep more than ``budget`` bytes between them,
    or whose single drill would not fit (:func:`check_drill_size`: the worst and median drills are
    re-run whole). The message says the most runs that fit at these steps, and the most steps at
    these runs.

    >>> check_study_size(1_000, 300, 100)
    >>> check_study_size(100_000, 300, 1_000)
    Traceback (most recent call last):
    ...
    augur.errors.ScenarioError: --runs: 100,000 random drills over 1,000 steps keep about 3.2 GB of \
service levels and figures; the limit is 1 GB: use at most 31,250 runs (--runs), or at most 83 steps \
(--steps)
    """
    check_drill_size(nodes, steps, budget=budget, source=source)
    need = study_bytes(runs, steps)
    if need <= budget:
        return
    most_runs = budget // (BYTES_PER_RUN + BYTES_PER_RUN_STEP * steps)
    most_steps = (budget // runs - BYTES_PER_RUN) // BYTES_PER_RUN_STEP
    advice = [f"use at most {most_runs:,} runs (--runs)"] if most_runs >= 1 else []
    if most_steps >= 2:
        advice.append(f"at most {most_steps:,} steps (--steps)")
    raise ScenarioError(
        f"{runs:,} random drills over {steps:,} steps keep about {_size(need)} of service levels and "
        f"figures; the limit is {_size(budget)}: {', or '.join(advice) or 'use fewer runs and steps'}",
        source=source,
        place="--runs",
    )


def check_grid_size(
    lever_values: int,
    shock_values: int,
    nodes: int,
    steps: int,
    *,
    budget: int = STUDY_BUDGET_CELLS,
    most_per_axis: int = 1_000,
    source: str | None = None,
) -> None:
    """Refuse a tipping grid whose drills (``lever_values`` x ``shock_values``, each ``nodes`` over
    ``steps``) would cost more than ``budget`` node-steps of engine work, before any runs. The
    message says what it costs and what fits: the most values per axis (``--steps-of``, at most
    ``most_per_axis``) and the most steps (``--steps``) at this grid.

    >>> check_grid_size(21, 21, 13, 120)
    >>> check_grid_size(1_000, 1_000, 3, 20_000)
    Traceback (most recent call last):
    ...
    augur.errors.ScenarioError: --steps-of: a tipping grid of 1,000 × 1,000 values is 1,000,000 drills × \
3 nodes × 20,000 steps = 60,000,000,000 node-steps, over the budget of 400,000,000: use at most 81 values \
per axis (--steps-of 81), or at most 133 steps (--steps)
    """
    drills = lever_values * shock_values
    cells = drills * nodes * steps
    if cells <= budget:
        return
    most = budget // max(1, nodes * steps)
    fits = [k for k in range(2, most_per_axis + 1) if min(lever_values, k) * min(shock_values, k) <= most]
    advice = [f"use at most {fits[-1]:,} values per axis (--steps-of {fits[-1]})"] if fits else []
    most_steps = budget // max(1, drills * nodes)
    if most_steps >= 2:
        advice.append(f"at most {most_steps:,} steps (--steps)")
    raise ScenarioError(
        f"a tipping grid of {lever_values:,} × {shock_values:,} values is {drills:,} drills × {nodes:,} "
        f"nodes × {steps:,} steps = {cells:,} node-steps, over the budget of {budget:,}: "
        f"{', or '.join(advice) or 'use a smaller graph or fewer steps'}",
        source=source,
        place="--steps-of",
    )


def _size(count: int) -> str:
    gb = count / 1e9
    if gb >= 1:
        return f"{gb:,.1f} GB".replace(".0 GB", " GB")
    return f"{count / 1e6:,.0f} MB"
