/**
 * The dashboard's browser script, as a string inlined into the page (no network, no libraries). It opens an
 * EventSource on `/events`, folds every event into a small state (run info, progress, loss per step, epoch
 * metrics, `metric` streams) and redraws SVG line charts at most once per animation frame. A reload replays the
 * whole history from the server; an automatic reconnect sends Last-Event-ID and receives only what it missed.
 *
 * DOM contract (used by the browser tests): `#status[data-state]` is connecting | running | finished | error |
 * closed; `#events-count` is the number of events received; every chart is `svg.chart[data-chart]` with one
 * `path.series[data-series][data-n]` per series (`data-n` = points drawn).
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var MAX_POINTS = 3000;
  var COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d'];
  var S;
  function reset() {
    S = { count: 0, start: null, progress: null, epoch: null, loss: [], epochs: {}, metrics: {}, end: null, error: null, lastId: -1 };
  }
  reset();
  function $(id) { return document.getElementById(id); }
  function push(arr, p) {
    arr.push(p);
    if (arr.length > MAX_POINTS) { var k = []; for (var i = 0; i < arr.length; i += 2) k.push(arr[i]); arr.length = 0; Array.prototype.push.apply(arr, k); }
  }
  function series(map, key) { return map[key] || (map[key] = []); }
  function fold(e) {
    S.count++;
    switch (e.type) {
      case 'run-start': S.start = e; break;
      case 'epoch-start': S.epoch = e; break;
      case 'batch-end': push(S.loss, [e.step, e.loss]); break;
      case 'epoch-end':
        S.epoch = e;
        for (var k in e.metrics) if (typeof e.metrics[k] === 'number') push(series(S.epochs, k), [e.epoch + 1, e.metrics[k]]);
        break;
      case 'progress': S.progress = e; break;
      case 'metric':
        var m = S.metrics[e.name] || (S.metrics[e.name] = {});
        for (var v in e.values) if (typeof e.values[v] === 'number') push(series(m, v), [e.step, e.values[v]]);
        break;
      case 'run-end': S.end = e; break;
      case 'error': S.error = e; break;
    }
  }
  function fmt(x) {
    if (x === null || x === undefined || typeof x !== 'number' || !isFinite(x)) return String(x);
    var a = Math.abs(x);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  var NS = 'http://www.w3.org/2000/svg';
  /** Ticks at 1, 2 or 5 x 10^k inside [lo, hi]. */
  function niceTicks(lo, hi, n) {
    var raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / p;
    var step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * p, out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(Math.abs(t) < 1e-12 * step ? 0 : Number(t.toPrecision(12)));
    return out;
  }
  function chart(host, id, title, list, opts) {
    opts = opts || {};
    var box = host.querySelector('[data-box="' + id + '"]');
    if (!box) {
      box = document.createElement('div'); box.className = 'chartbox'; box.setAttribute('data-box', id);
      box.innerHTML = '<div class="ctitle"></div><svg class="chart" data-chart="' + esc(id) + '" xmlns="' + NS + '" viewBox="0 0 420 220" width="420" height="220"></svg><div class="legend"></div>';
      host.appendChild(box);
    }
    box.querySelector('.ctitle').textContent = title;
    var svg = box.querySelector('svg');
    var W = 420, H = 220, L = 52, R = 10, T = 8, B = 26;
    var xs = [], ys = [], logY = !!opts.logY;
    list.forEach(function (s) { s.points.forEach(function (p) { if (isFinite(p[0]) && isFinite(p[1]) && (!logY || p[1] > 0)) { xs.push(p[0]); ys.push(logY ? Math.log10(p[1]) : p[1]); } }); });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (!xs.length) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
    if (x1 === x0) { x1 = x0 + 1; }
    if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
    var pad = 0.05 * (y1 - y0), nonNeg = y0 >= 0; y0 -= pad; y1 += pad; if (nonNeg && !logY && y0 < 0) y0 = 0;
    function X(v) { return L + (W - L - R) * (v - x0) / (x1 - x0); }
    function Y(v) { return T + (H - T - B) * (1 - ((logY ? Math.log10(v) : v) - y0) / (y1 - y0)); }
    var g = '<rect x="' + L + '" y="' + T + '" width="' + (W - L - R) + '" height="' + (H - T - B) + '" fill="#fff" stroke="#ddd"/>';
    var ticks = niceTicks(y0, y1, 5);
    for (var i = 0; i < ticks.length; i++) {
      var yv = ticks[i], yy = T + (H - T - B) * (1 - (yv - y0) / (y1 - y0));
      g += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + yy.toFixed(1) + '" y2="' + yy.toFixed(1) + '" stroke="#eee"/>';
      g += '<text x="' + (L - 4) + '" y="' + (yy + 3).toFixed(1) + '" text-anchor="end" class="tick">' + fmt(logY ? Math.pow(10, yv) : yv) + '</text>';
    }
    g += '<text x="' + L + '" y="' + (H - 8) + '" class="tick">' + fmt(x0) + '</text><text x="' + (W - R) + '" y="' + (H - 8) + '" text-anchor="end" class="tick">' + fmt(x1) + '</text>';
    g += '<text x="' + ((L + W - R) / 2) + '" y="' + (H - 8) + '" text-anchor="middle" class="tick">' + esc(opts.x || 'step') + '</text>';
    var legend = '';
    list.forEach(function (s, k) {
      var d = '', n = 0, c = COLORS[k % COLORS.length];
      s.points.forEach(function (p) { if (isFinite(p[0]) && isFinite(p[1]) && (!logY || p[1] > 0)) { d += (n ? 'L' : 'M') + X(p[0]).toFixed(1) + ',' + Y(p[1]).toFixed(1); n++; } });
      g += '<path class="series" data-series="' + esc(s.name) + '" data-n="' + n + '" d="' + d + '" fill="none" stroke="' + c + '" stroke-width="1.6"/>';
      if (n && n <= 60) s.points.forEach(function (p) { if (isFinite(p[1]) && (!logY || p[1] > 0)) g += '<circle cx="' + X(p[0]).toFixed(1) + '" cy="' + Y(p[1]).toFixed(1) + '" r="2.2" fill="' + c + '"/>'; });
      var last = s.points[s.points.length - 1];
      legend += '<span><i style="background:' + c + '"></i>' + esc(s.name) + (last ? ' ' + fmt(last[1]) : '') + '</span>';
    });
    svg.innerHTML = g;
    box.querySelector('.legend').innerHTML = legend;
  }
  function toList(map, keys) { return keys.filter(function (k) { return map[k]; }).map(function (k) { return { name: k, points: map[k] }; }); }
  var dirty = false;
  function schedule() { if (!dirty) { dirty = true; requestAnimationFrame(draw); } }
  function draw() {
    dirty = false;
    $('events-count').textContent = String(S.count);
    var st = $('status');
    var state = S.error ? 'error' : S.end || streamEnded ? 'finished' : S.start || S.count ? 'running' : st.getAttribute('data-state');
    if (closed && !streamEnded && !S.end && !S.error) state = 'closed';
    st.setAttribute('data-state', state);
    st.textContent = state === 'finished' ? (S.end && S.end.interrupted ? 'interrupted' : 'finished') : state === 'error' ? 'error: ' + S.error.message : state;
    if (S.start) {
      $('run').textContent = 'nnsym ' + S.start.command + ' · seed ' + S.start.seed + ' · backend ' + S.start.backend + (S.start.version ? ' · v' + S.start.version : '');
      var cfg = '';
      for (var k in S.start.config) { var v = S.start.config[k]; if (v === null || typeof v !== 'object') cfg += '<tr><th>' + esc(k) + '</th><td>' + esc(fmt(v)) + '</td></tr>'; }
      $('config').innerHTML = cfg;
    }
    var p = S.progress;
    if (p) {
      var f = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      $('bar').style.width = (100 * f).toFixed(1) + '%';
      $('progress').setAttribute('data-done', String(p.done));
      $('progress-text').textContent = (p.label ? p.label + ' · ' : '') + p.done + ' / ' + p.total + ' ' + p.unit + ' (' + (100 * f).toFixed(0) + '%)' + (p.elapsed ? ' · ' + p.elapsed.toFixed(1) + ' s' : '');
    } else if (S.epoch) {
      var ep = S.epoch, fe = (ep.epoch + (ep.type === 'epoch-end' ? 1 : 0)) / ep.epochs;
      $('bar').style.width = (100 * fe).toFixed(1) + '%';
      $('progress-text').textContent = 'epoch ' + (ep.epoch + 1) + ' / ' + ep.epochs;
    }
    var charts = $('charts');
    if (S.loss.length) chart(charts, 'loss', 'Training loss per step', [{ name: 'loss', points: S.loss }], { x: 'step' });
    var el = toList(S.epochs, ['loss', 'testLoss']), ea = toList(S.epochs, ['accuracy', 'testAccuracy']);
    if (el.length) chart(charts, 'epoch-loss', 'Loss per epoch', el, { x: 'epoch' });
    if (ea.length) chart(charts, 'accuracy', 'Accuracy per epoch', ea, { x: 'epoch' });
    for (var name in S.metrics) {
      var keys = Object.keys(S.metrics[name]);
      for (var g0 = 0; g0 < keys.length && g0 < 24; g0 += 8) {
        var grp = keys.slice(g0, g0 + 8);
        chart(charts, 'metric-' + name + '-' + g0, name + (keys.length > 8 ? ' (' + (g0 + 1) + '-' + (g0 + grp.length) + ' of ' + keys.length + ')' : ''), toList(S.metrics[name], grp), { x: 'step' });
      }
    }
    if (S.end) {
      var rows = '';
      for (var s in S.end.summary) { var sv = S.end.summary[s]; if (sv === null || typeof sv !== 'object') rows += '<tr><th>' + esc(s) + '</th><td>' + esc(fmt(sv)) + '</td></tr>'; }
      $('summary').innerHTML = rows;
    }
  }
  var closed = false, streamEnded = false;
  var es = new EventSource('events');
  es.onopen = function () { closed = false; };
  es.addEventListener('reset', function () { reset(); schedule(); });
  es.onmessage = function (m) { var e; try { e = JSON.parse(m.data); } catch (x) { return; } fold(e); schedule(); };
  es.addEventListener('end', function (m) {
    streamEnded = true;
    try { var info = JSON.parse(m.data); if (info.error && !S.error) S.error = { message: info.error }; } catch (x) { /* ignore */ }
    es.close();
    schedule();
  });
  es.onerror = function () { if (es.readyState === 2) { closed = true; schedule(); } };
  window.__nnsymDashboard = { state: function () { return S; } };
})();
`;
