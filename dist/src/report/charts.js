import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeHtml } from './escape.js';
/**
 * Chart markup and the in-page script that draws them with uPlot (inlined, so a
 * report opens from disk with no network).
 */
const require = createRequire(import.meta.url);
let uplotAssets;
/** uPlot's minified script and stylesheet, read once. */
export function uplot() {
    if (!uplotAssets) {
        const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
        const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
        uplotAssets = { js: js.replace(/<\/script/gi, '<\\/script'), css };
    }
    return uplotAssets;
}
/** A figure: title, the chart (or a "no data" note), and how to read it. */
export function chartFigure(id, title, howToRead, hasData, noData = 'No data for this chart in this run.') {
    const body = hasData
        ? `<div class="chart" id="chart-${escapeHtml(id)}" data-chart="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(title)}"></div>`
        : `<p class="nodata">${escapeHtml(noData)}</p>`;
    return `<figure class="figure"><figcaption><h3>${escapeHtml(title)}</h3></figcaption>${body}<p class="howto"><strong>How to read this:</strong> ${howToRead}</p></figure>`;
}
/** The in-page script: reads the JSON data block and draws every `.chart` it has data for. */
export const CHART_SCRIPT = String.raw `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var FONT = '600 15px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var LABEL_FONT = '700 16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var TICK_FONT = '14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var INK = '#111', GRID = 'rgba(0,0,0,0.12)';
  var charts = [];

  function fmtMs(v) {
    if (v == null) return '–';
    if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s';
    if (v >= 100) return Math.round(v) + ' ms';
    if (v >= 10) return (+v.toFixed(1)) + ' ms';
    if (v >= 1) return (+v.toFixed(1)) + ' ms';
    return (+v.toFixed(2)) + ' ms';
  }
  function fmtNum(v) { return v == null ? '–' : (v >= 100 ? Math.round(v).toLocaleString('en-US') : (+v.toFixed(1)).toString()); }
  function fmtTime(s) {
    if (s == null) return '';
    if (data.spanS < 180) return s + ' s';
    var m = Math.floor(s / 60), r = Math.round(s % 60);
    return m + ':' + (r < 10 ? '0' : '') + r;
  }
  function fmtPct(x) {
    if (x == null) return '';
    var p = 100 * (1 - 1 / x);
    if (p <= 0) return '0%';
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return p.toFixed(digits) + '%';
  }
  function axis(label, values, extra) {
    var a = { label: label, stroke: INK, font: TICK_FONT, labelFont: LABEL_FONT, labelSize: 34, size: 84,
      grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
    if (values) a.values = values;
    for (var k in extra || {}) a[k] = extra[k];
    return a;
  }

  /** Shades fault windows (hatched grey, labelled) behind the series. */
  function faultPlugin() {
    return { hooks: {
      drawClear: [function (u) {
        if (!data.faults.length) return;
        var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, xmax = u.scales.x.max;
        ctx.save();
        data.faults.forEach(function (f) {
          var x0 = u.valToPos(Math.max(f.startS, u.scales.x.min), 'x', true);
          var x1 = u.valToPos(Math.min(f.endS == null ? xmax : f.endS, xmax), 'x', true);
          if (!(x1 > x0)) x1 = x0 + 3;
          ctx.fillStyle = 'rgba(90,90,90,0.16)';
          ctx.fillRect(x0, top, x1 - x0, h);
          ctx.strokeStyle = 'rgba(60,60,60,0.35)';
          ctx.lineWidth = 1;
          ctx.save(); ctx.beginPath(); ctx.rect(x0, top, x1 - x0, h); ctx.clip();
          ctx.beginPath();
          for (var s = 0; s < (x1 - x0) + h; s += 14) { ctx.moveTo(x0 + s, top); ctx.lineTo(x0 + s - h, top + h); }
          ctx.stroke(); ctx.restore();
        });
        ctx.restore();
      }],
      draw: [function (u) {
        if (!data.faults.length) return;
        var ctx = u.ctx;
        ctx.save();
        ctx.font = FONT.replace('15px', Math.round(14 * devicePixelRatio) + 'px');
        ctx.fillStyle = INK;
        ctx.textBaseline = 'top';
        data.faults.forEach(function (f, i) {
          var x0 = u.valToPos(Math.max(f.startS, u.scales.x.min), 'x', true);
          ctx.fillText('⚡ ' + f.label, x0 + 6, u.bbox.top + 6 + (i % 3) * 20 * devicePixelRatio);
        });
        ctx.restore();
      }],
    } };
  }

  /** Writes each series' name at its last point (nudged apart when lines end close together), so lines are named without relying on colour. */
  function endLabelPlugin() {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, dpr = devicePixelRatio, labels = [];
      ctx.save();
      ctx.font = FONT.replace('15px', Math.round(14 * dpr) + 'px');
      ctx.textBaseline = 'middle';
      for (var si = 1; si < u.series.length; si++) {
        var s = u.series[si], ys = u.data[si];
        if (!s.show) continue;
        for (var i = ys.length - 1; i >= 0; i--) {
          if (ys[i] == null) continue;
          labels.push({ x: u.valToPos(u.data[0][i], 'x', true), y: u.valToPos(ys[i], 'y', true), text: data.transports[si - 1].name, colour: data.transports[si - 1].colour });
          break;
        }
      }
      labels.sort(function (a, b) { return a.y - b.y; });
      var gap = 19 * dpr;
      for (var k = 1; k < labels.length; k++) if (labels[k].y - labels[k - 1].y < gap) labels[k].y = labels[k - 1].y + gap;
      var overflow = labels.length ? labels[labels.length - 1].y - (u.bbox.top + u.bbox.height) : 0;
      if (overflow > 0) labels.forEach(function (l) { l.y -= overflow; });
      labels.forEach(function (l) {
        var w = ctx.measureText(l.text).width, tx = l.x + 8 * dpr;
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(tx - 2, l.y - 9 * dpr, w + 4, 18 * dpr);
        ctx.fillStyle = l.colour;
        ctx.fillText(l.text, tx, l.y);
      });
      ctx.restore();
    }] } };
  }

  function series(points) {
    return data.transports.map(function (t) {
      var s = { label: t.name, stroke: t.colour, width: 2.5, dash: t.dash, spanGaps: false,
        points: points ? { show: true, size: 10, width: 2, stroke: t.colour, fill: t.colour } : { show: false } };
      if (points) s.paths = function () { return null; };
      return s;
    });
  }

  function draw(id, aligned, opts) {
    var el = document.getElementById('chart-' + id);
    if (!el || !aligned) return;
    var width = Math.max(360, el.clientWidth || 900);
    var o = {
      width: width, height: opts.height || 340,
      padding: [16, opts.points ? 24 : 110, 0, 0],
      scales: opts.scales || { x: { time: false } },
      series: [{ label: opts.xName || 'x', value: function (u, v) { return opts.xValue ? opts.xValue(v) : v; } }].concat(series(opts.points)),
      axes: [axis(opts.xLabel, opts.xTicks, opts.xAxis), axis(opts.yLabel, opts.yTicks, opts.yAxis)],
      legend: { show: true, live: true },
      cursor: { points: { size: 8 } },
      plugins: (opts.faults ? [faultPlugin()] : []).concat(opts.points ? [] : [endLabelPlugin()]),
    };
    o.series.slice(1).forEach(function (s) { s.value = function (u, v) { return opts.yValue ? opts.yValue(v) : fmtNum(v); }; });
    var u = new uPlot(o, [aligned.x].concat(aligned.ys), el);
    el.setAttribute('data-drawn', '1');
    charts.push({ u: u, el: el, height: o.height });
  }

  /** Log-scale y axis: a labelled line per power of ten (and at 2 and 5 when the range is narrow). */
  var logY = { space: 28, filter: function (u, splits) {
    var decades = Math.log10(u.scales.y.max / u.scales.y.min);
    return splits.map(function (v) { return (decades > 2.5 ? /^1/ : /^[125]/).test(v.toExponential()) ? v : null; });
  } };
  /** Time axis steps that read as clock time. */
  var timeAxis = { incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200] };
  var msTicks = function (u, vals) { return vals.map(fmtMs); };
  var timeTicks = function (u, vals) { return vals.map(fmtTime); };
  var numTicks = function (u, vals) { return vals.map(fmtNum); };
  var time = { xName: 'time', xLabel: data.bucketS > 1 ? 'time since the measured window began (each point: ' + data.bucketS + ' s)' : 'time since the measured window began', xTicks: timeTicks, xValue: fmtTime, xAxis: timeAxis, faults: true };

  draw('latency-p99', data.p99, Object.assign({}, time, { yLabel: 'p99 end-to-end', yTicks: msTicks, yValue: fmtMs }));
  draw('latency-p50', data.p50, Object.assign({}, time, { yLabel: 'p50 end-to-end', yTicks: msTicks, yValue: fmtMs }));
  draw('throughput', data.rate, Object.assign({}, time, { yLabel: 'orders/s ended', yTicks: numTicks }));
  draw('backlog', data.backlog, Object.assign({}, time, { yLabel: 'messages waiting', yTicks: numTicks }));
  draw('spectrum', data.spectrum, {
    xName: 'percentile', xLabel: 'percentile (log scale: each step to the right is ten times rarer)', xValue: fmtPct, yLabel: 'latency (log scale)', yTicks: msTicks, yValue: fmtMs,
    scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
    xAxis: {
      splits: function () { return [1, 2, 10, 100, 1000, 10000, 100000].filter(function (x) { return x <= data.spectrum.x[data.spectrum.x.length - 1] * 1.0001; }); },
      filter: function (u, splits) { return splits; },
    },
    yAxis: logY,
    xTicks: function (u, vals) { return vals.map(fmtPct); },
  });
  draw('ramp', data.ramp, { xName: 'orders/s', xLabel: 'achieved throughput (orders/s ended)', xValue: fmtNum, xTicks: numTicks, yLabel: 'p99 (log scale)', yTicks: msTicks, yValue: fmtMs, points: true,
    scales: { x: { time: false }, y: { distr: 3, log: 10 } }, yAxis: logY });

  function resize(printing) {
    charts.forEach(function (c) {
      var w = printing ? 680 : Math.max(360, c.el.clientWidth);
      c.u.setSize({ width: w, height: printing ? 260 : c.height });
    });
  }
  var timer;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(function () { resize(false); }, 100); });
  // a printed report shows everything: folded sections open, charts sized to the page
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.setAttribute('open', ''); });
    resize(true);
  });
  window.addEventListener('afterprint', function () { resize(false); });
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;
//# sourceMappingURL=charts.js.map