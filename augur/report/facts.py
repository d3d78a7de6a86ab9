"""Deprecated: the review pack's facts moved to their homes, and this module re-exports them for one
release.

- the analysis as data: :mod:`augur.analysis` (causes, levers and re-runs, weak points, comparison);
- every sentence: :mod:`augur.text` (numbers, shocks, metrics, KPI cards), :mod:`augur.text.review`
  (findings, key finding), :mod:`augur.text.compare` (compare facts, graph diff);
- provenance and hashing: :mod:`augur.provenance`.

Importing it warns; import from those modules instead.
"""

from __future__ import annotations

import warnings

from augur.analysis import worst_step
from augur.analysis.levers import VERDICT_RANK
from augur.errors import ReportError
from augur.metrics import METRIC_MEANINGS
from augur.provenance import canonical_graph, display_source, graph_hash, provenance, scenario_text
from augur.text import (
    AI_METRICS,
    COST_LABEL,
    cost_text,
    metric_rows,
    metric_text,
    multiple_text,
    node_name,
    number_text,
    pct_text,
    shock_sentences,
    steps_text,
    value_text,
    verdict_sentence,
)
from augur.text import kpi_cards as _kpi_cards
from augur.text.compare import compare_facts, graph_diff
from augur.text.review import BUFFER_NOUNS, findings, key_finding
from augur.text.review import sweep_outage_dict as sweep_outage

warnings.warn(
    "augur.report.facts is deprecated: import from augur.analysis, augur.text, augur.text.review, "
    "augur.text.compare or augur.provenance",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "AI_METRICS",
    "BUFFER_NOUNS",
    "COST_LABEL",
    "METRIC_MEANINGS",
    "VERDICT_RANK",
    "ReportError",
    "canonical_graph",
    "compare_facts",
    "cost_text",
    "display_source",
    "findings",
    "graph_diff",
    "graph_hash",
    "key_finding",
    "kpi_cards",
    "metric_rows",
    "metric_text",
    "multiple_text",
    "node_name",
    "number_text",
    "pct_text",
    "provenance",
    "scenario_text",
    "shock_sentences",
    "steps_text",
    "sweep_outage",
    "value_text",
    "verdict_sentence",
    "worst_step",
]


def kpi_cards(result) -> list[dict]:
    """The headline figures of a drill as cards: :func:`augur.text.kpi_cards` of its metrics."""
    return _kpi_cards(result.metrics)
