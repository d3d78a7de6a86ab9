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
PINNED = f"{PREFIX}-pinned-store"  # the run pinned as "before": its graph store, scenario and verdict
COMPARE_SWAPPED = f"{PREFIX}-compare-swapped-store"  # whether the user swapped before and after
SAVED = f"{PREFIX}-saved-store"  # the design the tab keeps across reloads (augur.app.stores)
RUN_REQUEST = f"{PREFIX}-run-request-store"  # a view asks for a run of the design it just set
REOPEN = f"{PREFIX}-reopen-store"  # a saved design handed to the server to reopen, once per page load

# The views beside the drill (augur.app.components.views).
VIEW_TABS = f"{PREFIX}-view-tabs"

# Header.
TITLE = f"{PREFIX}-title"
SUBTITLE = f"{PREFIX}-subtitle"
VERDICT_BADGE = f"{PREFIX}-verdict-badge"
STALE_NOTE = f"{PREFIX}-stale-note"
PRINTED = f"{PREFIX}-printed"  # print only: when the page was printed

# Control panel.
PICKER = f"{PREFIX}-picker"
UPLOAD = f"{PREFIX}-upload"
ON_SCREEN = f"{PREFIX}-on-screen-store"  # the listed drill on screen, its file name (None for an upload)
EDITS = f"{PREFIX}-edits-store"  # the drills left with edits, by file name (components.picker)
RESTORED = f"{PREFIX}-restored-store"  # the drill last opened with its kept edits
EDITS_BAR = f"{PREFIX}-edits-bar"
AS_SAVED = f"{PREFIX}-as-saved"
UPLOAD_MESSAGE = f"{PREFIX}-upload-message"
GRAPH_SUMMARY = f"{PREFIX}-graph-summary"
SHOCK_TARGET = f"{PREFIX}-shock-target"
SHOCK_KIND = f"{PREFIX}-shock-kind"
KEPT = f"{PREFIX}-kept-store"  # the designer's drill a view's drill stands in for (components.kept)
KEPT_BAR = f"{PREFIX}-kept-bar"
KEPT_TEXT = f"{PREFIX}-kept-text"
KEPT_BACK = f"{PREFIX}-kept-back"
SHOCK_START_LABEL = f"{PREFIX}-shock-start-label"  # the form's times, in the drill's unit
SHOCK_DURATION_LABEL = f"{PREFIX}-shock-duration-label"
SHOCK_DELAY_LABEL = f"{PREFIX}-shock-delay-label"
SHOCK_SUGGESTED = f"{PREFIX}-shock-suggested-store"  # the kind a click last suggested
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
STEP_UNIT = f"{PREFIX}-step-unit"
SEED = f"{PREFIX}-seed"
SLO = f"{PREFIX}-slo"
TOKEN_BUDGET = f"{PREFIX}-token-budget"
HYPOTHESIS = f"{PREFIX}-hypothesis"
SETTINGS_MESSAGE = f"{PREFIX}-settings-message"
RUN = f"{PREFIX}-run"
RUN_MESSAGE = f"{PREFIX}-run-message"
DOWNLOAD_BUTTON = f"{PREFIX}-download-button"
DOWNLOAD = f"{PREFIX}-download"
EXPORT = f"{PREFIX}-export"  # "Export review": the review pack of the drill on screen
EXPORT_DOWNLOAD = f"{PREFIX}-export-download"
EXPORT_JOB = f"{PREFIX}-export-job"  # the export's progress line, shown while the pack is made
EXPORT_PROGRESS = f"{PREFIX}-export-progress"
EXPORT_STATUS = f"{PREFIX}-export-status"
EXPORT_CANCEL = f"{PREFIX}-export-cancel"
PIN = f"{PREFIX}-pin"  # "Pin as before": keep this run to compare a changed design with
COMPARE_OPEN = f"{PREFIX}-compare-open"

# Network.
NETWORK = f"{PREFIX}-network"
NETWORK_NOTE = f"{PREFIX}-network-note"
NETWORK_DRAWN = f"{PREFIX}-network-drawn"  # says how many nodes are drawn, once they are
LEGEND = f"{PREFIX}-legend"
FIT = f"{PREFIX}-fit"
NETWORK_PNG = f"{PREFIX}-network-png"

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

# Before and after: the compare view, an overlay over the whole screen.
COMPARE = f"{PREFIX}-compare"
COMPARE_CLOSE = f"{PREFIX}-compare-close"
COMPARE_WITH = f"{PREFIX}-compare-with"
COMPARE_SWAP = f"{PREFIX}-compare-swap"
COMPARE_SAME_SHOCKS = f"{PREFIX}-compare-same-shocks"
COMPARE_BODY = f"{PREFIX}-compare-body"
COMPARE_CHART = f"{PREFIX}-compare-chart"
COMPARE_EXPORT = f"{PREFIX}-compare-export"
COMPARE_DOWNLOAD = f"{PREFIX}-compare-download"
COMPARE_MESSAGE = f"{PREFIX}-compare-message"

CHARTS = (CHART_SERVICE, CHART_TOKENS, CHART_QUALITY, CHART_CI)

# The node's story and editing the graph (augur.app.components.detail, augur.app.components.editor).
NODE_WHY = f"{PREFIX}-node-why"  # why the node in hand failed, in words
NODE_EVENTS = f"{PREFIX}-node-events"  # the node's own lines of the event log
EDIT_TAB = f"{PREFIX}-edit-tab"
EDIT_TARGET = f"{PREFIX}-edit-target-store"  # what the panel edits: {"node": id} or {"edge": [u, v]}
EDIT_UNDO = f"{PREFIX}-edit-undo-store"  # the graph before the last edit (augur.app.edit.undo_record)
EDIT_HEADING = f"{PREFIX}-edit-heading"
EDIT_NODE_FORM = f"{PREFIX}-edit-node-form"
EDIT_EDGE_FORM = f"{PREFIX}-edit-edge-form"
EDIT_NODE_FIELD = f"{PREFIX}-edit-node-field"  # pattern-matching type: {"type": EDIT_NODE_FIELD, "name": f}
EDIT_NODE_FIELD_MESSAGE = f"{PREFIX}-edit-node-field-message"  # the same, beside each field
EDIT_EDGE_FIELD = f"{PREFIX}-edit-edge-field"  # pattern-matching type: {"type": EDIT_EDGE_FIELD, "name": f}
EDIT_EDGE_FIELD_MESSAGE = f"{PREFIX}-edit-edge-field-message"
EDIT_NODE_REMOVE = f"{PREFIX}-edit-node-remove"
EDIT_EDGE_REMOVE = f"{PREFIX}-edit-edge-remove"
EDIT_NEW_NODE_ID = f"{PREFIX}-edit-new-node-id"
EDIT_NEW_NODE_KIND = f"{PREFIX}-edit-new-node-kind"
EDIT_NODE_ADD = f"{PREFIX}-edit-node-add"
EDIT_NEW_EDGE_SOURCE = f"{PREFIX}-edit-new-edge-source"
EDIT_NEW_EDGE_TARGET = f"{PREFIX}-edit-new-edge-target"
EDIT_EDGE_ADD = f"{PREFIX}-edit-edge-add"
EDIT_UNDO_BUTTON = f"{PREFIX}-edit-undo"
EDIT_FORMAT = f"{PREFIX}-edit-format"
EDIT_DOWNLOAD_BUTTON = f"{PREFIX}-edit-download-button"
EDIT_DOWNLOAD = f"{PREFIX}-edit-download"
EDIT_MESSAGE = f"{PREFIX}-edit-message"

# The Fix it panel (augur.app.components.fix_it).
FIX_PAGE = f"{PREFIX}-fix-page"
FIX_INTRO = f"{PREFIX}-fix-intro"
FIX_GOAL = f"{PREFIX}-fix-goal"
FIX_RUN = f"{PREFIX}-fix-run"
FIX_CANCEL = f"{PREFIX}-fix-cancel"
FIX_PROGRESS = f"{PREFIX}-fix-progress"
FIX_STATUS = f"{PREFIX}-fix-status"
FIX_MESSAGE = f"{PREFIX}-fix-message"
FIX_BODY = f"{PREFIX}-fix-body"
FIX_APPLY = f"{PREFIX}-fix-apply"  # pattern-matching type: {"type": FIX_APPLY, "index": i}
FIX_RESULT = f"{PREFIX}-fix-result-store"  # the fixes found, and the run they were found for
FIX_APPLIED = f"{PREFIX}-fix-applied-store"  # the graph revision a fix made: compare once it has run
COMPARE_BEFORE = f"{PREFIX}-compare-before"  # "Open the before": the pinned run back on screen
COMPARE_UNDO_NOTE = f"{PREFIX}-compare-undo-note"

# The Weak points view (augur.app.components.weak_points).
WEAK = "weak"
WEAK_PAGE = f"{WEAK}-page"
WEAK_CAPTION = f"{WEAK}-caption"  # what the view shows, on what drill, with which outage
WEAK_KINDS = f"{WEAK}-kinds"
WEAK_START = f"{WEAK}-start"
WEAK_DURATION = f"{WEAK}-duration"
WEAK_START_LABEL = f"{WEAK}-start-label"  # the outage fields' words, in the drill's unit
WEAK_DURATION_LABEL = f"{WEAK}-duration-label"
WEAK_RUN = f"{WEAK}-run"
WEAK_CANCEL = f"{WEAK}-cancel"
WEAK_PROGRESS = f"{WEAK}-progress"
WEAK_STATUS = f"{WEAK}-status"
WEAK_MESSAGE = f"{WEAK}-message"
WEAK_STALE = f"{WEAK}-stale"
WEAK_RESULTS = f"{WEAK}-results"  # the ranking, its figures and the pairs, hidden until a sweep
WEAK_GRID = f"{WEAK}-grid"
WEAK_BARS = f"{WEAK}-bars"
WEAK_QUADRANT = f"{WEAK}-quadrant"
WEAK_QUADRANT_NOTE = f"{WEAK}-quadrant-note"  # why its points stand in one column, where they do
WEAK_NETWORK = f"{WEAK}-network"
WEAK_STORE = f"{WEAK}-store"  # the last sweep: its rows, outage and the design it was run on
PAIRS_TOP = f"{WEAK}-pairs-top"
PAIRS_RUN = f"{WEAK}-pairs-run"
PAIRS_CANCEL = f"{WEAK}-pairs-cancel"
PAIRS_PROGRESS = f"{WEAK}-pairs-progress"
PAIRS_STATUS = f"{WEAK}-pairs-status"
PAIRS_MESSAGE = f"{WEAK}-pairs-message"
PAIRS_CAPTION = f"{WEAK}-pairs-caption"
PAIRS_SETS = f"{WEAK}-pairs-sets"
PAIRS_GRID = f"{WEAK}-pairs-grid"
PAIRS_STORE = f"{WEAK}-pairs-store"  # the last pairs sweep, measured against the ranking's singles

# The Random shocks view (augur.app.components.random_shocks).
RANDOM_PAGE = f"{PREFIX}-random-page"
RANDOM_INTRO = f"{PREFIX}-random-intro"
RANDOM_RUNS = f"{PREFIX}-random-runs"
RANDOM_SEED = f"{PREFIX}-random-seed"
RANDOM_BOUND = f"{PREFIX}-random-bound"  # how much work the study is, beside the number of drills
RANDOM_SHOCKS_LOW = f"{PREFIX}-random-shocks-low"
RANDOM_SHOCKS_HIGH = f"{PREFIX}-random-shocks-high"
RANDOM_START_LOW = f"{PREFIX}-random-start-low"
RANDOM_START_HIGH = f"{PREFIX}-random-start-high"
RANDOM_DURATION_LOW = f"{PREFIX}-random-duration-low"
RANDOM_DURATION_HIGH = f"{PREFIX}-random-duration-high"
RANDOM_START_LABEL = f"{PREFIX}-random-start-label"  # the timing rows' words, in the drill's unit
RANDOM_DURATION_LABEL = f"{PREFIX}-random-duration-label"
RANDOM_CHANCE = f"{PREFIX}-random-chance"  # pattern-matching type: {"type": RANDOM_CHANCE, "kind": k}
RANDOM_LOW = f"{PREFIX}-random-low"  # pattern-matching type: {"type": RANDOM_LOW, "field": f}
RANDOM_HIGH = f"{PREFIX}-random-high"  # pattern-matching type: {"type": RANDOM_HIGH, "field": f}
RANDOM_TARGETS = f"{PREFIX}-random-targets"
RANDOM_PROBLEM = f"{PREFIX}-random-problem"  # pattern-matching type: {"type": RANDOM_PROBLEM, "part": p}
RANDOM_RUN = f"{PREFIX}-random-run"
RANDOM_CANCEL = f"{PREFIX}-random-cancel"
RANDOM_PROGRESS = f"{PREFIX}-random-progress"
RANDOM_STATUS = f"{PREFIX}-random-status"
RANDOM_FILLED = f"{PREFIX}-random-filled-store"  # the drill's random: section the settings were filled from
RANDOM_RESULT = f"{PREFIX}-random-result-store"  # the last study: figures' data, worst and median drills
RANDOM_RESULTS = f"{PREFIX}-random-results"
RANDOM_EMPTY = f"{PREFIX}-random-empty"  # what to do, until a study has run
RANDOM_SUMMARY = f"{PREFIX}-random-summary"
RANDOM_CHANCES = f"{PREFIX}-random-chances"
RANDOM_BANDS = f"{PREFIX}-random-bands"
RANDOM_LOSS = f"{PREFIX}-random-loss"
RANDOM_PEAK = f"{PREFIX}-random-peak"
RANDOM_COST = f"{PREFIX}-random-cost"
RANDOM_DRILLS = f"{PREFIX}-random-drills"  # the worst and the median drill's cards
RANDOM_DRILL = f"{PREFIX}-random-drill"  # pattern-matching type: {"type": RANDOM_DRILL, "which": w}
RANDOM_SAVE = f"{PREFIX}-random-save"  # pattern-matching type: {"type": RANDOM_SAVE, "which": w}
RANDOM_DOWNLOAD = f"{PREFIX}-random-download"
RANDOM_MESSAGE = f"{PREFIX}-random-message"

# The Tipping points view (augur.app.components.tipping).
TIPPING_PAGE = f"{PREFIX}-tipping-page"
TIPPING_INTRO = f"{PREFIX}-tipping-intro"
TIPPING_LEVER = f"{PREFIX}-tipping-lever"
TIPPING_NODES = f"{PREFIX}-tipping-nodes"
TIPPING_LEVER_LOW = f"{PREFIX}-tipping-lever-low"
TIPPING_LEVER_HIGH = f"{PREFIX}-tipping-lever-high"
TIPPING_FIELD = f"{PREFIX}-tipping-field"
TIPPING_FIELD_LOW = f"{PREFIX}-tipping-field-low"
TIPPING_FIELD_HIGH = f"{PREFIX}-tipping-field-high"
TIPPING_GOAL = f"{PREFIX}-tipping-goal"  # graceful, or the drill's hypothesis where it states one
TIPPING_GOAL_HEAD = f"{PREFIX}-tipping-goal-head"  # the boundary's heading, naming the goal
TIPPING_BOUND = f"{PREFIX}-tipping-bound"  # the grid's size and work, beside the axes
TIPPING_RUN = f"{PREFIX}-tipping-run"
TIPPING_CANCEL = f"{PREFIX}-tipping-cancel"
TIPPING_PROGRESS = f"{PREFIX}-tipping-progress"
TIPPING_STATUS = f"{PREFIX}-tipping-status"
TIPPING_RESULT = f"{PREFIX}-tipping-result-store"
TIPPING_RESULTS = f"{PREFIX}-tipping-results"
TIPPING_EMPTY = f"{PREFIX}-tipping-empty"
TIPPING_HEATMAP = f"{PREFIX}-tipping-heatmap"
TIPPING_SUMMARY = f"{PREFIX}-tipping-summary"
TIPPING_BOUNDARY = f"{PREFIX}-tipping-boundary"
TIPPING_MESSAGE = f"{PREFIX}-tipping-message"
