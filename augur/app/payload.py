"""What a finished drill sends to the browser, once: per-step frames the timeline scrubs without a
server round-trip, the charts, the metrics and the event log.

Frames are compact: a node's status at a step is one character (``"0"`` ok .. ``"4"`` throttled, the
:class:`~augur.engine.Status` values), its emitted quality one letter (``"A"`` = 0 .. ``"U"`` = 1, in
twentieths), so a 2,000-node, 100-step drill is a few hundred kilobytes of JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from augur import figures
from augur.drill import DrillResult
from augur.engine import Status

__all__ = ["chart_figures", "drill_payload", "status_frames"]

MAX_EVENTS = 500  # rows of the event log sent to the browser; the scenario file gives them all


def status_frames(result: DrillResult) -> list[str]:
    """One string per step, one character per node (trajectory order): the node's status code."""
    codes = result.trajectory.status.astype(np.uint8) + ord("0")
    return [row.tobytes().decode("ascii") for row in codes]


def quality_frames(result: DrillResult) -> list[str]:
    """One string per step, one letter per node: its emitted quality in twentieths (A = 0, U = 1)."""
    q = np.clip(np.nan_to_num(result.trajectory.quality, nan=1.0), 0.0, 1.0)
    codes = (np.rint(q * 20).astype(np.uint8) + ord("A")).astype(np.uint8)
    return [row.tobytes().decode("ascii") for row in codes]


def _token_frames(result: DrillResult) -> dict:
    traj = result.trajectory
    cols = [i for i, v in enumerate(traj.nodes) if result.graph.nodes[v]["kind"] == "ai_service"]
    if not cols:
        return {"cols": [], "mult": []}
    base = traj.tokens[0, cols]
    mult = traj.tokens[:, cols] / np.where(base > 0, base, 1.0)
    return {"cols": cols, "mult": np.round(mult, 2).tolist()}


def _group_frames(result: DrillResult, groups: Sequence[Sequence[str]]) -> dict:
    """Per step and group: the share of members failed or recovering, and the share not ok."""
    traj = result.trajectory
    index = {v: i for i, v in enumerate(traj.nodes)}
    down = np.isin(traj.status, (Status.FAILED, Status.RECOVERING))
    hurt = traj.status != Status.OK
    failed, not_ok = [], []
    for members in groups:
        cols = [index[v] for v in members]
        failed.append(down[:, cols].mean(axis=1))
        not_ok.append(hurt[:, cols].mean(axis=1))
    return {
        "failed": np.round(np.array(failed).T, 3).tolist(),
        "not_ok": np.round(np.array(not_ok).T, 3).tolist(),
    }


def _shock_windows(result: DrillResult) -> list[dict]:
    steps = result.trajectory.steps
    out = []
    for shock in result.scenario.shocks:
        edges = [list(t) for t in shock.target if isinstance(t, tuple)]
        nodes = [t for t in shock.target if not isinstance(t, tuple)]
        end = steps if shock.end == math.inf else int(min(shock.end, steps))
        out.append({"nodes": nodes, "edges": edges, "start": shock.start, "end": end})
    return out


def chart_figures(result: DrillResult, step: int = 0) -> dict:
    """The four verdict charts as plotly JSON, keyed like the app's chart slots."""
    built = {
        "service": figures.service_level_figure(result, step),
        "tokens": figures.tokens_figure(result, step),
        "quality": figures.quality_figure(result, step),
        "ci": figures.ci_figure(result, step),
    }
    return {key: fig.to_plotly_json() for key, fig in built.items()}


def _plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (np.floating, np.integer)):
        return _plain(value.item())
    return value


def drill_payload(
    result: DrillResult,
    *,
    graph_rev: str,
    scenario: Mapping,
    groups: Sequence[Sequence[str]] | None = None,
    step: int = 0,
    max_events: int = MAX_EVENTS,
) -> dict:
    """Everything the browser needs to replay ``result``: frames, charts, metrics, events.

    ``graph_rev`` and ``scenario["rev"]`` record which design the result belongs to, so the screen
    can say when the design has changed since. With ``groups`` (a grouped view) the frames are per
    group instead of per node. The event log carries the first ``max_events`` events and
    ``events_total`` says how many there are (a large cascade tells its story in tens of thousands).
    """
    traj = result.trajectory
    level = result.service_level
    metrics = {key: _plain(value) for key, value in result.metrics.items()}
    payload = {
        "graph_rev": graph_rev,
        "scenario_rev": scenario.get("rev"),
        "scenario": dict(scenario),
        "steps": traj.steps,
        "step_unit": result.scenario.step_unit,
        "slo": result.scenario.slo,
        "nodes": [str(v) for v in traj.nodes],
        "service_level": np.round(level, 4).tolist(),
        "failed": (traj.status == Status.FAILED).sum(axis=1).tolist(),
        "shocks": _shock_windows(result),
        "figures": chart_figures(result, step),
        "metrics": metrics,
        "events": [e.to_dict() for e in result.events[:max_events]],
        "events_total": len(result.events),
        "grouped": groups is not None,
    }
    if groups is None:
        payload["status"] = status_frames(result)
        payload["quality"] = quality_frames(result)
        payload["tokens"] = _token_frames(result)
    else:
        payload["groups"] = _group_frames(result, groups)
    return payload
