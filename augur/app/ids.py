"""Every component id of the drill app, in one place, with the page prefix.

Callbacks, the layout, the clientside JavaScript (``assets/augur.js``) and the browser tests all refer to
components through these names; nothing builds an id by concatenating strings.
"""

from __future__ import annotations

PREFIX = "drill"

# Per-session state, kept in the browser (dcc.Store, memory).
GRAPH = f"{PREFIX}-graph-store"  # the supply graph as node-link data, its name and revision
GRAPH_META = f"{PREFIX}-graph-meta-store"  # the same without the data: name, counts, revision
SCENARIO = f"{PREFIX}-scenario-store"  # the drill design: settings and shocks, without the graph
DRILL = f"{PREFIX}-result-store"  # the last run: per-step frames, figures, metrics, events
RUN_DESIGN = f"{PREFIX}-run-design-store"  # what the last run was run on: graph revision, scenario
NODE = f"{PREFIX}-node-store"  # the time-series figure of the clicked node (or group)
PLACEHOLDERS = f"{PREFIX}-placeholder-store"  # the blank charts, shown before a run
NETWORK_VIEW = f"{PREFIX}-network-view-store"  # the graph as compact rows the browser draws

# Header.
TITLE = f"{PREFIX}-title"
SUBTITLE = f"{PREFIX}-subtitle"
VERDICT_BADGE = f"{PREFIX}-verdict-badge"
STALE_NOTE = f"{PREFIX}-stale-note"

# Control panel.
PICKER = f"{PREFIX}-picker"
UPLOAD = f"{PREFIX}-upload"
UPLOAD_MESSAGE = f"{PREFIX}-upload-message"
GRAPH_SUMMARY = f"{PREFIX}-graph-summary"
SHOCK_TARGET = f"{PREFIX}-shock-target"
SHOCK_KIND = f"{PREFIX}-shock-kind"
SHOCK_START = f"{PREFIX}-shock-start"
SHOCK_DURATION = f"{PREFIX}-shock-duration"
SHOCK_STRENGTH = f"{PREFIX}-shock-strength"
SHOCK_STRENGTH_LABEL = f"{PREFIX}-shock-strength-label"
SHOCK_DELAY = f"{PREFIX}-shock-delay"
SHOCK_DELAY_ROW = f"{PREFIX}-shock-delay-row"
SHOCK_ADD = f"{PREFIX}-shock-add"
SHOCK_MESSAGE = f"{PREFIX}-shock-message"
SHOCK_LIST = f"{PREFIX}-shock-list"
SHOCK_REMOVE = f"{PREFIX}-shock-remove"  # pattern-matching type: {"type": SHOCK_REMOVE, "index": i}
NAME = f"{PREFIX}-name"
STEPS = f"{PREFIX}-steps"
SEED = f"{PREFIX}-seed"
SLO = f"{PREFIX}-slo"
TOKEN_BUDGET = f"{PREFIX}-token-budget"
HYPOTHESIS = f"{PREFIX}-hypothesis"
SETTINGS_MESSAGE = f"{PREFIX}-settings-message"
RUN = f"{PREFIX}-run"
RUN_MESSAGE = f"{PREFIX}-run-message"
DOWNLOAD_BUTTON = f"{PREFIX}-download-button"
DOWNLOAD = f"{PREFIX}-download"
PACK_BUTTON = f"{PREFIX}-pack-button"
PACK_DOWNLOAD = f"{PREFIX}-pack-download"

# Network.
NETWORK = f"{PREFIX}-network"
NETWORK_NOTE = f"{PREFIX}-network-note"
NETWORK_DRAWN = f"{PREFIX}-network-drawn"  # says how many nodes are drawn, once they are
LEGEND = f"{PREFIX}-legend"
FIT = f"{PREFIX}-fit"

# Timeline.
PLAY = f"{PREFIX}-play"
TICKER = f"{PREFIX}-ticker"
SLIDER = f"{PREFIX}-slider"
STEP_LABEL = f"{PREFIX}-step-label"

# Verdict.
KPIS = f"{PREFIX}-kpis"
CHART_SERVICE = f"{PREFIX}-chart-service"
CHART_TOKENS = f"{PREFIX}-chart-tokens"
CHART_QUALITY = f"{PREFIX}-chart-quality"
CHART_CI = f"{PREFIX}-chart-ci"
CHART_NODE = f"{PREFIX}-chart-node"
DETAIL_TABS = f"{PREFIX}-detail-tabs"
NODE_TAB = f"{PREFIX}-node-tab"
EVENTS = f"{PREFIX}-events"

CHARTS = (CHART_SERVICE, CHART_TOKENS, CHART_QUALITY, CHART_CI)
