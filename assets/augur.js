/*
 * augur's timeline, in the browser: a drill's result arrives once (the result store), and every frame
 * of the replay is drawn here, without a round-trip to the server.
 *
 * - The network is recoloured by setting each element's data on the cytoscape instance: `s` (status
 *   code), `q` (delivered quality in twentieths), `m` (token multiplier), `hit` (under a shock), or `f`
 *   (share failed) for a grouped view. The stylesheet built in augur/app/network.py maps them to colour.
 * - Each chart's step marker (the shape named "step", drawn by augur/figures.py) is moved to the step.
 *
 * Callback signatures are set in augur/app/callbacks/timeline.py and network.py.
 */
(function () {
  'use strict';

  var CHART_KEYS = ['service', 'tokens', 'quality', 'ci'];
  var STEP_MARKER = 'step';
  var indexCache = new WeakMap();
  var QUIET_SELECTION = [
    { if: { state: 'active' }, backgroundColor: 'rgba(0, 114, 178, 0.08)', border: '1px solid transparent' },
    { if: { state: 'selected' }, backgroundColor: 'rgba(0, 114, 178, 0.08)', border: '1px solid transparent' },
  ];

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function cyOf(id) {
    var el = document.getElementById(id);
    return el && el._cyreg && el._cyreg.cy ? el._cyreg.cy : null;
  }

  /* Column of each node id in the result's frames, and of each AI service in the token frames. */
  function indexOf(drill) {
    var cached = indexCache.get(drill);
    if (cached) return cached;
    var nodes = new Map();
    drill.nodes.forEach(function (id, i) { nodes.set(id, i); });
    var tokens = new Map();
    if (drill.tokens) drill.tokens.cols.forEach(function (col, j) { tokens.set(col, j); });
    cached = { nodes: nodes, tokens: tokens };
    indexCache.set(drill, cached);
    return cached;
  }

  function edgeKey(u, v) {
    return u + '\u0000' + v;
  }

  /* Which nodes and edges are under a shock: at step t for a result, or any shock target before a run. */
  function shockedAt(cy, drill, scenario, t) {
    var nodes = new Set();
    var edges = new Set();
    if (drill) {
      drill.shocks.forEach(function (shock) {
        if (t < shock.start || t >= shock.end) return;
        shock.nodes.forEach(function (n) { nodes.add(n); });
        shock.edges.forEach(function (e) { edges.add(edgeKey(e[0], e[1])); });
      });
      return { nodes: nodes, edges: edges };
    }
    var existing = new Set();
    cy.edges().forEach(function (e) { existing.add(edgeKey(e.data('source'), e.data('target'))); });
    ((scenario && scenario.shocks) || []).forEach(function (shock) {
      var target = shock.target;
      var list = Array.isArray(target) ? target : [target];
      var pair = list.length === 2 && typeof list[0] === 'string' && typeof list[1] === 'string';
      if (shock.kind === 'logistics_bottleneck' && pair && existing.has(edgeKey(list[0], list[1]))) {
        edges.add(edgeKey(list[0], list[1]));
        return;
      }
      list.forEach(function (item) {
        if (Array.isArray(item)) edges.add(edgeKey(item[0], item[1]));
        else nodes.add(String(item));
      });
    });
    return { nodes: nodes, edges: edges };
  }

  function paint(cy, drill, scenario, t) {
    var hit = shockedAt(cy, drill, scenario, t);
    cy.batch(function () {
      if (drill && drill.grouped) {
        var failed = drill.groups.failed[t];
        cy.nodes().forEach(function (n) {
          var g = parseInt(n.id().slice(1), 10);
          n.data('f', failed[g] === undefined ? -1 : failed[g]);
        });
        return;
      }
      var index = drill ? indexOf(drill) : null;
      var status = drill ? drill.status[t] : null;
      var mult = drill && drill.tokens.mult.length ? drill.tokens.mult[t] : null;
      cy.nodes().forEach(function (n) {
        var id = n.id();
        var col = index ? index.nodes.get(id) : undefined;
        var s = -1;
        var m = 1;
        if (col !== undefined) {
          s = status.charCodeAt(col) - 48;
          var j = index.tokens.get(col);
          if (j !== undefined && mult) m = mult[j];
        }
        var display = n.data('label');
        if (m > 1.05) display += '\n' + m.toFixed(1) + '× tokens';
        n.data({ s: s, m: m, hit: hit.nodes.has(id) ? 1 : 0, display: display });
      });
      cy.edges().forEach(function (e) {
        var q = 20;
        if (index) {
          var col = index.nodes.get(e.data('source'));
          if (col !== undefined) {
            var lagged = Math.max(0, t - (e.data('lag') || 1));
            q = drill.quality[lagged].charCodeAt(col) - 65;
          }
        }
        e.data({ q: q, hit: hit.edges.has(edgeKey(e.data('source'), e.data('target'))) ? 1 : 0 });
      });
    });
  }

  /* Paint now and again shortly: a new set of elements may reach cytoscape just after this callback. */
  function schedulePaint(cyId, drill, scenario, t) {
    var attempts = [0, 40, 150, 400];
    attempts.forEach(function (delay) {
      setTimeout(function () {
        var cy = cyOf(cyId);
        if (cy) paint(cy, drill, scenario, t);
      }, delay);
    });
    var cy = cyOf(cyId);
    if (cy) paint(cy, drill, scenario, t);
  }

  function withMarker(fig, t) {
    if (!fig || !fig.layout) return fig;
    var found = false;
    var shapes = (fig.layout.shapes || []).map(function (shape) {
      if (shape.name !== STEP_MARKER) return shape;
      found = true;
      return Object.assign({}, shape, { x0: t, x1: t });
    });
    if (!found) return fig;
    return { data: fig.data, layout: Object.assign({}, fig.layout, { shapes: shapes }) };
  }

  function withMessage(fig, text) {
    var layout = Object.assign({}, fig.layout);
    layout.annotations = (layout.annotations || []).map(function (a) {
      return Object.assign({}, a, { text: text });
    });
    return { data: fig.data, layout: layout };
  }

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function stepLabel(drill, t) {
    var unit = capitalise(drill.step_unit || 'step');
    var level = drill.service_level[t];
    var failed = drill.failed[t];
    var parts = [
      unit + ' ' + t + ' of ' + (drill.steps - 1),
      'service level ' + Math.round(level * 100) + '%',
      failed + ' failed',
    ];
    return parts.join(' · ');
  }

  /* Events still to come are greyed; those of the current step highlighted. */
  function eventStyles(t) {
    return QUIET_SELECTION.concat([
      { if: { filter_query: '{t} > ' + t }, color: '#9aa5b1' },
      { if: { filter_query: '{t} = ' + t }, backgroundColor: '#fff4d6', fontWeight: '600' },
    ]);
  }

  function frame(step, drill, node, elements, scenario, graphMeta, placeholders, cyId) {
    var current = drill && graphMeta && drill.graph_rev === graphMeta.rev ? drill : null;
    var t = current ? Math.max(0, Math.min(step || 0, current.steps - 1)) : 0;
    schedulePaint(cyId, current, scenario, t);

    var charts = placeholders.charts.map(function (blank, i) {
      return current ? withMarker(current.figures[CHART_KEYS[i]], t) : blank;
    });
    var nodeFigure;
    var blankNode = placeholders.node;
    if (node && node.figure && current) nodeFigure = withMarker(node.figure, t);
    else if (node && node.message) nodeFigure = withMessage(blankNode, node.message);
    else nodeFigure = blankNode;
    var label = current ? stepLabel(current, t) : 'Run the drill to replay it step by step';
    return charts.concat([nodeFigure, label, current ? eventStyles(t) : QUIET_SELECTION]);
  }

  function play(clicks, ticks, step, max, paused, drill) {
    var ctx = window.dash_clientside.callback_context;
    var byButton = ctx.triggered.some(function (t) { return t.prop_id.indexOf('n_clicks') !== -1; });
    var NU = noUpdate();
    if (!drill) return [NU, true, '▶ Play'];
    var at = step || 0;
    if (byButton) {
      if (paused) return [at >= max ? 0 : NU, false, '❚❚ Pause'];
      return [NU, true, '▶ Play'];
    }
    if (paused) return [NU, NU, NU];
    if (at >= max) return [NU, true, '▶ Play'];
    var stride = Math.max(1, Math.round((max + 1) / 150));
    return [Math.min(max, at + stride), false, NU];
  }

  function jump(cell, rows) {
    if (!cell || !rows) return noUpdate();
    var row = null;
    if (cell.row_id !== undefined && cell.row_id !== null) {
      row = rows.find(function (r) { return r.id === cell.row_id; }) || null;
    }
    if (!row) row = rows[cell.row];
    return row ? row.t : noUpdate();
  }

  function stale(design, graphMeta, scenario) {
    if (!design || !graphMeta || !scenario) return ['', true, 'button primary'];
    var changed = design.graph_rev !== graphMeta.rev || design.scenario.rev !== scenario.rev;
    if (!changed) return ['', true, 'button primary'];
    return ['Design changed since this run: press Run drill to update', false, 'button primary pulse'];
  }

  function fit(clicks, cyId) {
    var cy = cyOf(cyId);
    if (cy) cy.fit(undefined, 28);
    return noUpdate();
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    augur: { frame: frame, play: play, jump: jump, stale: stale, fit: fit },
  });
})();
