/*
 * augur's timeline, in the browser: a drill's result arrives once (the result store), and every frame
 * of the replay is drawn here, without a round-trip to the server.
 *
 * - The network is drawn here from compact rows and its stylesheet (draw), not through the component's
 *   elements and stylesheet properties.
 * - The network is recoloured by setting each element's data on the cytoscape instance: `s` (status
 *   code), `q` (delivered quality in twentieths), `m` (token multiplier), `hit` (under a shock), or `f`
 *   (share failed) for a grouped view. The stylesheet built in augur/app/network.py maps them to colour.
 * - Each chart's step marker (the shape named "step", drawn by augur/figures/theme.py) is moved to the step.
 *
 * - Downloads made in the browser: the network as a PNG (dash-cytoscape's generateImage) and each chart's
 *   "Download plot as png", named after the drill on screen; pinning a run as "before".
 * - Printing: before the page prints it takes a one-page layout (html.printing, assets/augur.css); the
 *   charts are sized to their printed boxes and the network is printed as an image of the whole graph.
 *
 * Callback signatures are set in augur/app/callbacks/timeline.py, network.py and compare.py.
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

  /* Set data on an element only where it changes: a step moves a few nodes, not all of them. */
  function update(ele, values) {
    var changed = null;
    Object.keys(values).forEach(function (key) {
      if (ele.data(key) !== values[key]) {
        changed = changed || {};
        changed[key] = values[key];
      }
    });
    if (changed) ele.data(changed);
  }

  function paint(cy, frame) {
    var drill = frame.drill;
    var t = frame.t;
    var hit = shockedAt(cy, drill, frame.scenario, t);
    cy.batch(function () {
      if (drill && drill.grouped) {
        var failed = drill.groups.failed[t];
        cy.nodes().forEach(function (n) {
          var g = parseInt(n.id().slice(1), 10);
          update(n, { f: failed[g] === undefined ? -1 : failed[g] });
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
        update(n, { s: s, m: m, hit: hit.nodes.has(id) ? 1 : 0 });
        if (m > 1.05) update(n, { display: n.data('label') + '\n' + m.toFixed(1) + '× tokens' });
        else if (n.data('display') !== undefined) n.removeData('display');
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
        update(e, { q: q, hit: hit.edges.has(edgeKey(e.data('source'), e.data('target'))) ? 1 : 0 });
      });
    });
  }

  /* Paint a frame, and keep it on the instance so that a graph drawn later shows it too. */
  function show(cyId, frame, attempt) {
    var cy = cyOf(cyId);
    if (!cy) {
      if ((attempt || 0) < 50) setTimeout(function () { show(cyId, frame, (attempt || 0) + 1); }, 40);
      return;
    }
    cy.scratch('_augurFrame', frame);
    paint(cy, frame);
  }

  /*
   * dash-cytoscape copies every element back into Dash after each add, remove or drag and diffs the
   * copy again: seconds for a 2,000-node graph. The app never reads elements back (they are drawn
   * here from the network view store), so that copy is switched off.
   */
  function quiet(cy) {
    if (cy.scratch('_augurQuiet')) return;
    cy.off('add');
    cy.off('remove');
    cy.off('dragfree');
    cy.scratch('_augurQuiet', true);
    // Follow the container's size (the grid row can grow after the first draw); otherwise clicks
    // land where cytoscape thinks nodes are, not where they are drawn.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var box = cy.container().getBoundingClientRect();
        if (Math.abs(box.width - cy.width()) > 1 || Math.abs(box.height - cy.height()) > 1) {
          cy.resize();
          fitView(cy, cy.scratch('_augurView'));
        }
      }).observe(cy.container());
    }
  }

  /* Cytoscape elements from the compact rows of augur/app/network.py (network_view). */
  function elementsOf(view) {
    var out = [];
    var ids = view.nodes.map(function (row) { return row[0]; });
    view.nodes.forEach(function (row) {
      var data = { id: row[0], label: row[1], kind: row[2], hit: 0 };
      if (view.grouped) {
        data.size = row[5];
        data.example = row[6];
        data.f = -1;
        data.group = 1;
      } else {
        data.s = -1;
        data.m = 1;
        if (row[5]) data.limit = 1;
      }
      out.push({ group: 'nodes', data: data, position: { x: row[3], y: row[4] } });
    });
    view.edges.forEach(function (row, i) {
      var data = { id: 'e' + i, source: ids[row[0]], target: ids[row[1]], hit: 0 };
      if (view.grouped) {
        data.width = row[2];
        data.count = row[3];
        data.group = 1;
      } else {
        data.lag = row[2];
        data.q = 20;
        if (row[3]) data.bend = row[3]; // drawn as a curve around a node in its way (edge[bend] style)
      }
      out.push({ group: 'edges', data: data });
    });
    return out;
  }

  /*
   * Fit the drawn graph in view. For a large graph the box comes from the rows' positions: asking
   * cytoscape (cy.fit) measures every element's rendered style first, half a second at 2,000 nodes.
   */
  function fitView(cy, view) {
    var padding = 28;
    if (!view || view.nodes.length <= 300) {
      cy.fit(undefined, padding);
      return;
    }
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    view.nodes.forEach(function (row) {
      var r = view.grouped ? row[5] / 2 + 40 : 10;
      x1 = Math.min(x1, row[3] - r);
      x2 = Math.max(x2, row[3] + r);
      y1 = Math.min(y1, row[4] - r);
      y2 = Math.max(y2, row[4] + r + (view.grouped ? 20 : 0));
    });
    var w = cy.width(), h = cy.height();
    var zoom = Math.min((w - 2 * padding) / (x2 - x1), (h - 2 * padding) / (y2 - y1));
    zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom));
    cy.viewport({ zoom: zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - zoom * (y1 + y2)) / 2 } });
  }

  function drawInto(cy, view) {
    quiet(cy);
    cy.resize();
    cy.batch(function () {
      cy.elements().remove();
      if (view) {
        cy.style().fromJson(view.stylesheet).update();
        cy.add(elementsOf(view));
      }
    });
    cy.scratch('_augurView', view);
    fitView(cy, view);
    var frame = cy.scratch('_augurFrame');
    if (frame) paint(cy, frame);
    return view ? view.nodes.length + ' nodes drawn' : 'no graph';
  }

  function draw(view, cyId, markerId) {
    var cy = cyOf(cyId);
    if (cy) return drawInto(cy, view);
    var attempt = 0;
    var retry = function () {
      var later = cyOf(cyId);
      if (later) window.dash_clientside.set_props(markerId, { children: drawInto(later, view) });
      else if (attempt++ < 50) setTimeout(retry, 40);
    };
    setTimeout(retry, 40);
    return noUpdate();
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

  function scrollerOf(el) {
    for (var node = el.parentElement; node; node = node.parentElement) {
      var overflow = getComputedStyle(node).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight + 1) return node;
    }
    return null;
  }

  /*
   * Keep the step's latest event in view in the event log as the replay moves on: one row above the
   * bottom, whole rows only, none hidden under the sticky header.
   */
  function followEvents(tableId, events, t) {
    var last = -1;
    for (var i = 0; i < events.length && events[i].t <= t; i++) last = i;
    requestAnimationFrame(function () {
      var table = document.getElementById(tableId);
      var cell = table && table.querySelector('td[data-dash-row="' + Math.max(last, 0) + '"]');
      var scroller = cell && scrollerOf(cell);
      if (!scroller) return;
      var row = cell.parentElement;
      var origin = scroller.getBoundingClientRect().top - scroller.scrollTop;
      var top = function (el) { return el.getBoundingClientRect().top - origin; };
      var header = table.querySelector('th');
      var headerHeight = header ? header.getBoundingClientRect().height : 0;
      var rowTop = top(row);
      var rowBottom = rowTop + row.offsetHeight;
      if (rowTop >= scroller.scrollTop + headerHeight && rowBottom <= scroller.scrollTop + scroller.clientHeight) return;
      var next = row.nextElementSibling;
      var wanted = rowBottom + (next ? next.offsetHeight : 0) - scroller.clientHeight;
      var first = row;
      while (first.previousElementSibling && first.previousElementSibling.querySelector('td') &&
             top(first.previousElementSibling) - headerHeight >= wanted) {
        first = first.previousElementSibling;
      }
      scroller.scrollTop = Math.max(0, top(first) - headerHeight);
    });
  }

  function frame(step, drill, node, scenario, graphMeta, placeholders, cyId, tableId) {
    var current = drill && graphMeta && drill.graph_rev === graphMeta.rev ? drill : null;
    var t = current ? Math.max(0, Math.min(step || 0, current.steps - 1)) : 0;
    show(cyId, { drill: current, scenario: scenario, t: t }, 0);
    if (current) followEvents(tableId, current.events, t);

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
    // the closing "… more events" row has no step to jump to
    return row && row.t !== null && row.t !== undefined ? row.t : noUpdate();
  }

  function stale(design, graphMeta, scenario) {
    if (!design || !graphMeta || !scenario) return ['', true, 'button primary'];
    var changed = design.graph_rev !== graphMeta.rev || design.scenario.rev !== scenario.rev;
    if (!changed) return ['', true, 'button primary'];
    return ['Design changed since this run: press Run drill to update', false, 'button primary pulse'];
  }

  function fit(clicks, cyId) {
    var cy = cyOf(cyId);
    if (cy) fitView(cy, cy.scratch('_augurView'));
    return noUpdate();
  }

  /* A file-name stem for a drill: the same rule as augur.app.design's scenario file name. */
  function slug(name) {
    var text = String(name || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return (text || 'drill').slice(0, 60);
  }

  function currentDrill(drill, graphMeta) {
    return drill && graphMeta && drill.graph_rev === graphMeta.rev ? drill : null;
  }

  /*
   * The whole graph as drawn at this step, on white with a margin (cytoscape's own export crops at
   * the outermost label), at twice the scale, downloaded as a PNG.
   */
  var PNG_MARGIN = 24; // px at scale 1

  function savePng(cy, file) {
    var scale = 2;
    var blob = cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: scale, maxWidth: 4000, maxHeight: 4000 });
    var url = URL.createObjectURL(blob);
    var image = new Image();
    image.onload = function () {
      URL.revokeObjectURL(url);
      var pad = PNG_MARGIN * scale;
      var canvas = document.createElement('canvas');
      canvas.width = image.width + 2 * pad;
      canvas.height = image.height + 2 * pad;
      var ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, pad, pad);
      canvas.toBlob(function (png) {
        var link = document.createElement('a');
        link.href = URL.createObjectURL(png);
        link.download = file + '.png';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }, 'image/png');
    };
    image.src = url;
  }

  function networkPng(clicks, scenario, design, drill, graphMeta, step, cyId) {
    var current = currentDrill(drill, graphMeta);
    var name = current && design ? design.scenario.name : scenario && scenario.name;
    var file = slug(name) + '-network';
    if (current) {
      var t = Math.max(0, Math.min(step || 0, current.steps - 1));
      file += '-' + (current.step_unit || 'step') + '-' + t;
    }
    var cy = cyOf(cyId);
    if (cy) savePng(cy, file);
    return noUpdate();
  }

  var CHART_FILES = ['service-level', 'tokens', 'data-quality', 'ci-width'];

  function withFilename(config, filename) {
    var options = (config && config.toImageButtonOptions) || {};
    if (options.filename === filename) return noUpdate();
    return Object.assign({}, config, {
      toImageButtonOptions: Object.assign({}, options, { filename: filename }),
    });
  }

  /* Each chart's "Download plot as png" file, named after the drill as run (and the node in hand). */
  function chartFiles(design, node) {
    var configs = Array.prototype.slice.call(arguments, 2);
    var stem = design ? slug(design.scenario.name) : 'augur';
    var out = CHART_FILES.map(function (suffix, i) { return withFilename(configs[i], stem + '-' + suffix); });
    var nodeName = node && node.node ? '-node-' + slug(node.node) : '-node';
    out.push(withFilename(configs[CHART_FILES.length], stem + nodeName));
    return out;
  }

  var PINNED_CHOICE = '@pinned'; // augur.app.compare.PINNED_CHOICE

  /* Keep the run on screen as "before", in this browser only (the compare picker offers it: pinnedChoice). */
  function pin(clicks, design, graph, drill) {
    var NU = noUpdate();
    if (!design || !graph || !drill || design.graph_rev !== graph.rev) {
      return [NU, 'Run the drill first: pin the run that a changed design is compared with.', 'message error'];
    }
    var name = design.scenario.name || 'Untitled drill';
    var verdict = drill.metrics.verdict;
    var pinned = { graph: graph, scenario: design.scenario, name: name, verdict: verdict };
    var note = 'Pinned "' + name + '" (' + verdict + ') as before. Change the design, run it, ' +
      'then press Compare.';
    return [pinned, note, 'message ok'];
  }

  /* Whoever pinned a run (Pin as before, or a fix applied), the compare picker offers it, chosen. */
  function pinnedChoice(pinned, options) {
    var NU = noUpdate();
    if (!pinned) return [NU, NU];
    var others = (options || []).filter(function (o) { return o.value !== PINNED_CHOICE; });
    var option = { label: 'Pinned run: ' + pinned.name + ' (' + pinned.verdict + ')', value: PINNED_CHOICE };
    return [[option].concat(others), PINNED_CHOICE];
  }

  function closeCompare() {
    return true;
  }

  // Escape closes the compare view.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var close = document.querySelector('.compare-overlay:not([hidden]) .compare-close');
    if (close) close.click();
  });

  /*
   * Printing. The page takes its one-page layout (html.printing) before the browser lays it out for
   * print, so the charts can be sized to their printed boxes here, synchronously; a cytoscape canvas
   * redraws on the next animation frame, too late for print, so the network prints as an image.
   */
  function plots() {
    return Array.prototype.slice.call(document.querySelectorAll('.js-plotly-plot'));
  }

  function beforePrint() {
    var root = document.documentElement;
    if (root.classList.contains('printing')) return;
    root.classList.add('printing');
    var stamp = document.querySelector('.printed');
    if (stamp) stamp.textContent = 'Printed ' + new Date().toLocaleString([], {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    });
    document.querySelectorAll('.network-card').forEach(function (card) {
      var el = card.querySelector('.network');
      var cy = el && el._cyreg ? el._cyreg.cy : null;
      var image = card.querySelector('.network-print');
      if (!cy || !image) return;
      image.src = cy.nodes().length
        ? cy.png({ full: true, bg: '#ffffff', scale: 2, maxWidth: 2400, maxHeight: 1600 })
        : '';
    });
    if (!window.Plotly) return;
    plots().forEach(function (gd) {
      var box = gd.parentElement.getBoundingClientRect();
      if (box.width < 1 || box.height < 1) return; // not printed
      window.Plotly.relayout(gd, { width: Math.floor(box.width), height: Math.floor(box.height) });
    });
  }

  function afterPrint() {
    var root = document.documentElement;
    if (!root.classList.contains('printing')) return;
    root.classList.remove('printing');
    if (!window.Plotly) return;
    // sized once the screen layout has come back (the next frame), not while the printed one stands
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        plots().forEach(function (gd) {
          if (gd.layout && gd.layout.width !== undefined) {
            window.Plotly.relayout(gd, { width: null, height: null, autosize: true });
          }
        });
      });
    });
  }

  /* A message that appears below the fold of the scrolling control panel is scrolled into view. */
  function reveal(children, id) {
    if (children) {
      var el = document.getElementById(id);
      if (el) requestAnimationFrame(function () { el.scrollIntoView({ block: 'nearest' }); });
    }
    return window.dash_clientside.no_update;
  }

  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    augur: {
      draw: draw,
      frame: frame,
      play: play,
      jump: jump,
      stale: stale,
      fit: fit,
      networkPng: networkPng,
      chartFiles: chartFiles,
      pin: pin,
      pinnedChoice: pinnedChoice,
      closeCompare: closeCompare,
      reveal: reveal,
    },
  });
})();
