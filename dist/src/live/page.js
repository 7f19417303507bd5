import { uplot } from '../report/charts.js';
import { escapeHtml as esc } from '../report/escape.js';
import { TRANSPORT_COLOURS } from '../report/palette.js';
import { REPORT_CSS } from '../report/style.js';
/**
 * The live dashboard: one self-contained page (uPlot inlined, no network but its own
 * `/events` stream and `/faults`). Everything it shows from the run is set with
 * textContent or drawn on canvas, never parsed as HTML; when the run ends it replaces
 * itself with the final report.
 */
const LIVE_CSS = `
main { max-width: 1500px; }
.live-head { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
#status { font-weight: 700; color: var(--muted); }
.cards { display: flex; gap: .8rem; flex-wrap: wrap; margin: .6rem 0; }
.card { border: 2px solid var(--line); border-radius: 6px; padding: .4rem .7rem; min-width: 13rem; }
.card.current { border-color: var(--ink); }
.card h3 { margin: 0; display: flex; gap: .5rem; align-items: center; }
.phase { font-size: .8rem; padding: 0 .4rem; border-radius: 3px; background: var(--tint); border: 1px solid var(--line); }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .8rem; margin: .3rem 0 0; font-size: .85rem; font-variant-numeric: tabular-nums; }
.card dd { margin: 0; text-align: right; }
.top { display: flex; gap: 1rem; align-items: flex-start; flex-wrap: wrap; }
.top .cards { flex: 1 1 auto; }
.top #faults { flex: 0 0 auto; border: 2px solid var(--line); border-radius: 6px; padding: .2rem .8rem; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: .3rem 1rem; }
.grid .chart { min-height: 190px; }
.panel h3 { font-size: 1rem; }
.panel h3 { margin: .6rem 0 .2rem; }
#faults table td, #faults table th { padding: .2rem .5rem; }
#faults button, #next { font: inherit; font-size: .85rem; padding: .15rem .6rem; cursor: pointer; }
#faults button:disabled { cursor: not-allowed; opacity: .45; }
#fault-msg { min-height: 1.4em; font-weight: 600; }
#lane { width: 100%; border-collapse: collapse; font-size: .8rem; }
#lane td, #lane th { border: 1px solid var(--line); padding: .15rem .3rem; text-align: left; vertical-align: top; }
#lane tr.completed td:first-child { border-left: 6px solid #009E73; }
#lane tr.compensated td:first-child { border-left: 6px solid #E69F00; }
#lane tr.progress td:first-child { border-left: 6px solid #999; }
.chip { display: inline-block; margin: 1px 2px; padding: 0 .3rem; border-radius: 3px; background: var(--tint); white-space: nowrap; }
.chip.bad { background: #ffe2b8; }
.story { border-left: 5px solid #0072B2; padding: .3rem .8rem; background: #eef6fc; }
@media (max-width: 1100px) { .grid { grid-template-columns: 1fr 1fr; } }
`;
const LIVE_SCRIPT = String.raw `
(function () {
  'use strict';
  var COLOURS = JSON.parse(document.getElementById('colours').textContent);
  var SPARE = ['#E69F00', '#56B4E9', '#000000', '#F0E442'];
  var series = {};      // transport -> { t -> point }
  var order = [];       // transports in the order they appeared
  var faults = [];      // fault windows of the current transport
  var charts = {};
  var ticks = 0;
  function colour(name) {
    var base = name.split(' ')[0].toLowerCase();
    return COLOURS[base] || SPARE[order.indexOf(name) % SPARE.length];
  }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = String(text); if (cls) e.className = cls; return e; }

  function faultPlugin() {
    return { hooks: { drawClear: [function (u) {
      var ctx = u.ctx; ctx.save();
      faults.forEach(function (f) {
        var x0 = u.valToPos(f.startS, 'x', true), x1 = u.valToPos(f.endS == null ? u.scales.x.max : f.endS, 'x', true);
        ctx.fillStyle = 'rgba(90,90,90,0.18)'; ctx.fillRect(x0, u.bbox.top, Math.max(3, x1 - x0), u.bbox.height);
      });
      ctx.restore();
    }] } };
  }
  function makeChart(id, yLabel) {
    var host = document.getElementById(id);
    return { host: host, u: null, yLabel: yLabel };
  }
  function build(c, names) {
    if (c.u) c.u.destroy();
    var width = Math.max(320, c.host.clientWidth || 600);
    c.u = new uPlot({ width: width, height: 190, scales: { x: { time: false } }, legend: { show: false },
      series: [{ label: 't (s)' }].concat(names.map(function (n) { return { label: n, stroke: colour(n), width: 2.5, spanGaps: false }; })),
      axes: [{ label: 's since the measured window began', labelSize: 22 }, { label: c.yLabel, size: 60 }],
      plugins: [faultPlugin()] }, [[]].concat(names.map(function () { return []; })), c.host);
    c.names = names.slice();
  }
  function aligned(pick) {
    var xs = {}; order.forEach(function (n) { Object.keys(series[n]).forEach(function (t) { xs[t] = 1; }); });
    var x = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    return [x].concat(order.map(function (n) { return x.map(function (t) { var p = series[n][t]; return p ? pick(p) : null; }); }));
  }
  function redraw() {
    [['c-p99', function (p) { return p.p99; }], ['c-p50', function (p) { return p.p50; }], ['c-rate', function (p) { return p.ended; }],
     ['c-errors', function (p) { return p.errors; }], ['c-backlog', function (p) { return p.backlog; }]].forEach(function (d) {
      var c = charts[d[0]];
      if (!c.u || c.names.length !== order.length) build(c, order);
      var data = aligned(d[1]);
      c.u.setData(data);
      c.host.setAttribute('data-points', String(data[0].length));
    });
  }
  function add(p) {
    if (!series[p.transport]) { series[p.transport] = {}; order.push(p.transport); }
    series[p.transport][p.t] = p;
  }

  function cards(m) {
    var box = document.getElementById('cards'); box.textContent = '';
    m.transports.forEach(function (t) {
      var card = el('div', null, 'card' + (t.name === m.current ? ' current' : ''));
      var h = el('h3'); var sw = el('span', null, 'swatch'); sw.style.background = colour(t.name); h.appendChild(sw);
      h.appendChild(el('span', t.name)); h.appendChild(el('span', t.phase, 'phase')); card.appendChild(h);
      var dl = el('dl'); var c = t.counts || {};
      [['sent', c.attempted], ['completed', c.completed], ['failed (business)', c.failed], ['errors', c.errors], ['timed out', c.timedOut], ['dropped', c.dropped], ['in flight', t.inFlight]].forEach(function (r) {
        dl.appendChild(el('dt', r[0])); dl.appendChild(el('dd', r[1] == null ? '–' : r[1]));
      });
      card.appendChild(dl);
      if (t.faults && t.faults.length) card.appendChild(el('p', t.faults.length + ' fault(s): ' + t.faults.map(function (f) { return f.action + ' ' + f.target + ' at ' + f.startS.toFixed(1) + ' s'; }).join(', '), 'note'));
      box.appendChild(card);
    });
  }
  function lane(m) {
    var body = document.getElementById('lane-body'); body.textContent = '';
    var head = document.getElementById('lane-head'); head.textContent = '';
    head.appendChild(el('th', 'order (customer)'));
    m.services.forEach(function (s) { head.appendChild(el('th', s)); });
    m.orders.slice().reverse().forEach(function (o) {
      var tr = el('tr', null, o.outcome === 'in progress' ? 'progress' : o.outcome);
      tr.appendChild(el('td', o.id + ' (' + o.customer + ') — ' + o.outcome));
      m.services.forEach(function (s) {
        var td = el('td');
        o.events.filter(function (e) { return e.s === s; }).forEach(function (e) {
          td.appendChild(el('span', e.e + ' +' + Math.round(e.ms) + ' ms', 'chip' + (/failed|released/.test(e.e) ? ' bad' : '')));
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function faultButtons(m) {
    var body = document.getElementById('fault-body');
    if (body.getAttribute('data-services') !== m.services.join(',')) {
      body.textContent = ''; body.setAttribute('data-services', m.services.join(','));
      m.services.forEach(function (s) {
        var tr = el('tr'); tr.appendChild(el('th', s, 'row'));
        [['kill', 'kill'], ['pause', 'pause'], ['delay', 'slow +200 ms']].forEach(function (a) {
          var td = el('td'); var b = el('button', a[1]); b.setAttribute('data-action', a[0]); b.setAttribute('data-target', s);
          b.addEventListener('click', function () { inject(a[0], s); }); td.appendChild(b); tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    Array.prototype.forEach.call(body.querySelectorAll('button'), function (b) { b.disabled = !m.canInject; });
  }
  function inject(action, target) {
    var seconds = Number(document.getElementById('fault-seconds').value);
    var msg = document.getElementById('fault-msg');
    msg.textContent = action + ' ' + target + '…';
    fetch('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: action, target: target, seconds: seconds, delayMs: 200 }) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) { msg.textContent = x.ok ? (x.j.event.action + ' ' + x.j.event.target + ' at ' + x.j.event.startS.toFixed(1) + ' s for ' + seconds + ' s (' + (x.j.event.detail || '') + ')') : ('not injected: ' + x.j.error); })
      .catch(function (e) { msg.textContent = 'not injected: ' + e; });
  }

  document.getElementById('next').addEventListener('click', function () {
    this.hidden = true;
    fetch('/next', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  });
  ['c-p99', 'c-p50', 'c-rate', 'c-errors', 'c-backlog'].forEach(function (id, i) {
    charts[id] = makeChart(id, ['p99 ms', 'p50 ms', 'orders/s ended', 'errors/s', 'messages waiting'][i]);
  });
  var es = new EventSource('/events');
  es.addEventListener('history', function (ev) { JSON.parse(ev.data).points.forEach(add); redraw(); });
  es.onmessage = function (ev) {
    var m = JSON.parse(ev.data);
    ticks++;
    if (m.point) add(m.point);
    var cur = m.transports.filter(function (t) { return t.name === m.current; })[0];
    faults = cur ? cur.faults : [];
    document.getElementById('status').textContent = m.current ? (m.current + ': ' + (cur ? cur.phase : '')) : 'waiting for the first transport';
    var story = document.getElementById('story');
    if (m.story && m.story.length) {
      story.hidden = false; story.textContent = '';
      m.story.forEach(function (line) { story.appendChild(el('p', line)); });
    } else story.hidden = true;
    document.getElementById('next').hidden = !m.waitingForNext;
    cards(m); lane(m); faultButtons(m); redraw();
    document.documentElement.setAttribute('data-ticks', String(ticks));
  };
  es.addEventListener('final', function (ev) {
    es.close();
    var html = JSON.parse(ev.data).html;
    document.open(); document.write(html); document.close();
  });
  es.onerror = function () { document.getElementById('status').textContent = 'connection to the run lost (the run may have ended)'; };
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { var c = charts[k]; if (c.u) c.u.setSize({ width: Math.max(320, c.host.clientWidth), height: 190 }); }); });
})();
`;
export function livePage(title) {
    const { js, css } = uplot();
    const chart = (id, heading) => `<div class="panel"><h3>${esc(heading)}</h3><div class="chart" id="${id}" data-chart="${id}"></div></div>`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'">
<title>${esc(title)} — live</title>
<style>${css}</style>
<style>${REPORT_CSS}${LIVE_CSS}</style>
</head>
<body>
<main>
<div class="live-head"><h1>${esc(title)} <span class="badge ok">live</span></h1><span id="status">connecting…</span></div>
<div class="story" id="story" hidden></div>
<p><button id="next" hidden>Next step ▶</button></p>
<div class="top"><div class="cards" id="cards"></div>
<div class="panel" id="faults"><h3>Break something</h3>
<p class="note">On the transport running now; recorded like a scenario's fault.</p>
<label>for <select id="fault-seconds"><option value="5">5 s</option><option value="10" selected>10 s</option><option value="20">20 s</option></select></label>
<table><tbody id="fault-body"></tbody></table>
<p id="fault-msg" role="status"></p></div></div>
<div class="grid">
${chart('c-p99', 'End-to-end p99 (ms), per second')}
${chart('c-rate', 'Orders ended per second')}
${chart('c-backlog', 'Backlog: messages waiting in the broker')}
${chart('c-p50', 'End-to-end p50 (ms), per second')}
${chart('c-errors', 'Errors and time-outs per second')}
</div>
<h3>Recent orders, as the services recorded them</h3>
<p class="note">One row per order, newest first; each chip is an event a service emitted, with the time since the order's first event. Green: completed; orange: compensated (payment failed, stock released); grey: still moving.</p>
<div class="table-wrap"><table id="lane"><thead><tr id="lane-head"></tr></thead><tbody id="lane-body"></tbody></table></div>
</main>
<script type="application/json" id="colours">${JSON.stringify(TRANSPORT_COLOURS)}</script>
<script>${js}</script>
<script>${LIVE_SCRIPT}</script>
</body>
</html>
`;
}
//# sourceMappingURL=page.js.map