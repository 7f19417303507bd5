import type { Result, TransportResult } from '../result/schema.js';
import { forDisplay } from './display.js';
import { CHART_SCRIPT, chartFigure, uplot } from './charts.js';
import { escapeHtml as esc, jsonForScript } from './escape.js';
import { faultCostsSection } from './fault-costs.js';
import { hopsSvg } from './hops.js';
import { transportStyles } from './palette.js';
import { sequenceSvg } from './sequence.js';
import { chartData, isKneeSearch, isRamping, type SeriesOptions } from './series.js';
import { REPORT_CSS } from './style.js';
import { VERDICT_COLUMNS, formatNumber, thresholdTally } from './verdict.js';
import { rankResult } from '../findings/rank.js';
import { runSentences, type Sentence } from '../findings/sentences.js';
import { cpuSvg } from './cpu.js';
import { findingsSection } from './html-findings.js';
import { settingsSection } from './html-settings.js';

/**
 * The run report: one self-contained HTML file (uPlot, styles and data inlined; no
 * network), rendered from a result. Pure: the same result gives the same text.
 */

export interface HtmlOptions extends SeriesOptions {
  /** the page title (default: the scenario name) */
  title?: string;
  /** a line under the title, e.g. which runs a comparison holds */
  subtitle?: string;
  /** the sentences to lead with, instead of those generated from the result (comparisons) */
  sentences?: Sentence[];
  /** their heading (default "What this run shows") */
  sentencesHeading?: string;
}

const swatch = (colour: string): string => `<span class="swatch" style="background:${colour}"></span>`;

function transportHeads(result: Result): string {
  const styles = transportStyles(result.transports.map((t) => t.name));
  return result.transports.map((t, i) => `<th scope="col">${swatch(styles[i]!.colour)}${esc(t.name)}</th>`).join('');
}


function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function header(result: Result, opts: HtmlOptions): string {
  const env = result.environment;
  const title = opts.title ?? result.scenario.name;
  const ok = result.status === 'completed';
  const line = `${esc(result.startedAt.slice(0, 16).replace('T', ' '))} UTC · ${esc(`${env.cpus} × ${env.cpuModel}`)} · Node ${esc(env.node)}${env.gitSha ? ` · git ${esc(env.gitSha.slice(0, 12))}` : ''}`;
  return `<header>
<h1>${esc(title)} <span class="badge ${ok ? 'ok' : 'bad'}">${esc(result.status)}</span></h1>
${opts.subtitle ? `<p class="lead">${esc(opts.subtitle)}</p>` : ''}
${result.scenario.description ? `<p class="lead">${esc(result.scenario.description)}</p>` : ''}
<p class="runline">${line}</p>
${ok ? '' : `<p class="status-banner">This run did not complete (${esc(result.status)}); figures cover only what was measured before it stopped.</p>`}
</header>`;
}

/** The run's facts and the scenario's own comment, folded: they matter, but after the answer. */
function aboutSection(result: Result): string {
  const env = result.environment;
  const labels = Object.entries(result.scenario.resolved.labels);
  const facts: Array<[string, string]> = [
    ['Date', `${esc(result.startedAt)} → ${esc(result.finishedAt)}`],
    ['Run', esc(result.runId)],
    ['Transports', result.transports.map((t) => esc(t.name)).join(', ')],
    ['Machine', esc(`${env.cpus} × ${env.cpuModel}, ${formatNumber(env.totalMemoryMb)} MB RAM, ${env.platform}/${env.arch}, Node ${env.node}, host ${env.hostname}`)],
    ['Harness', esc(`${env.harnessVersion}${env.gitSha ? ` (git ${env.gitSha.slice(0, 12)})` : ''}`)],
  ];
  if (result.scenario.file) facts.push(['Scenario file', esc(result.scenario.file)]);
  if (Object.keys(result.scenario.overrides).length > 0) facts.push(['Overrides', esc(JSON.stringify(result.scenario.overrides))]);
  return `<section id="about"><details class="about" open><summary>About this run: the scenario, the machine, the harness</summary>
${result.scenario.comment ? `<div class="comment">${esc(result.scenario.comment)}</div>` : ''}
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>
${labels.length > 0 ? `<p class="labels">${labels.map(([k, v]) => `<span>${esc(k)}: ${esc(v)}</span>`).join('')}</p>` : ''}
</details></section>`;
}

function intervalText(iv: [number, number] | null, unit: string): string {
  if (!iv) return '';
  return `<span class="ci" title="95% interval">${esc(formatNumber(iv[0], unit))}–${esc(formatNumber(iv[1], unit))}</span>`;
}

function verdict(result: Result): string {
  const ts = result.transports;
  const ranking = rankResult(result);
  const rows: string[] = [];
  let group = '';
  for (const col of VERDICT_COLUMNS) {
    if (col.group !== group) {
      group = col.group;
      rows.push(`<tr class="group"><th colspan="${ts.length + 2}">${esc(group)}</th></tr>`);
    }
    const rank = ranking.rows.get(col.key);
    const best = new Set(rank?.best ?? []);
    const tied = new Set(rank?.tiedBest ?? []);
    const direction = col.better === 'lower' ? ' (lower is better)' : col.better === 'higher' ? ' (higher is better)' : '';
    rows.push(
      `<tr><th scope="row" class="row" title="${esc(col.unit + direction)}">${esc(col.label)} <span class="note">${esc(col.unit)}</span></th>${ts
        .map((t, i) => {
          const v = col.value(t);
          const cls = best.has(i) ? ' class="best" title="best, beyond noise"' : tied.has(i) ? ' class="tied" title="same as the best within noise"' : '';
          return `<td${cls}>${esc(formatNumber(v, col.unit))}${intervalText(rank?.intervals[i] ?? null, col.unit)}</td>`;
        })
        .join('')}<td class="noise">${esc(rank?.note ?? '')}</td></tr>`,
    );
  }
  rows.push(`<tr class="group"><th colspan="${ts.length + 2}">Thresholds</th></tr>`);
  rows.push(
    `<tr><th scope="row" class="row">passed</th>${ts
      .map((t) => {
        const tally = thresholdTally(t);
        if (!tally) return '<td>–</td>';
        const ok = tally.passed === tally.total;
        return `<td class="${ok ? '' : 'fail'}">${ok ? '✔' : '✘'} ${tally.passed} / ${tally.total}</td>`;
      })
      .join('')}<td class="noise"></td></tr>`,
  );
  const expressions = [...new Set(ts.flatMap((t) => t.thresholds.map((x) => x.expression)))];
  const thresholdTable =
    expressions.length > 0
      ? `<h3>Threshold verdicts</h3><div class="table-wrap"><table><thead><tr><th>threshold</th>${transportHeads(result)}</tr></thead><tbody>${expressions
          .map(
            (e) =>
              `<tr><th scope="row" class="row"><code>${esc(e)}</code></th>${ts
                .map((t) => {
                  const x = t.thresholds.find((y) => y.expression === e);
                  if (!x) return '<td>–</td>';
                  const actual = x.actual !== null ? ` <span class="note">(${esc(formatNumber(x.actual))})</span>` : '';
                  const detail = x.detail ? ` title="${esc(x.detail)}"` : '';
                  return `<td${detail}><span class="${x.ok ? 'pass' : 'failv'}">${x.ok ? '✔ pass' : '✘ FAIL'}</span>${actual}</td>`;
                })
                .join('')}</tr>`,
          )
          .join('')}</tbody></table></div>`
      : '';
  const errors = ts
    .filter((t) => Object.keys(t.errorsByCode).length > 0)
    .map((t) => `<li><strong>${esc(t.name)}</strong>: ${Object.entries(t.errorsByCode).map(([code, n]) => `${esc(code)} × ${esc(formatNumber(n))}`).join(', ')}</li>`)
    .join('');
  const figureKeys = [...new Set(ts.flatMap((t) => Object.keys(t.figures)))].sort();
  const figures =
    figureKeys.length > 0
      ? `<h3>Figures this scenario reports</h3><div class="table-wrap"><table><thead><tr><th></th>${transportHeads(result)}</tr></thead><tbody>${figureKeys
          .map((k) => `<tr><th scope="row" class="row">${esc(k)}</th>${ts.map((t) => `<td>${esc(typeof t.figures[k] === 'boolean' ? (t.figures[k] ? 'yes' : 'no') : formatNumber(t.figures[k] ?? null))}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`
      : '';
  return `<section id="verdict"><h2>Verdict</h2>
<p class="note">★ marks the best value in a row only when it is better than every other transport beyond noise; a dotted cell is the same as the best within noise. Small figures under a value are its 95% interval. Latencies are in milliseconds; end-to-end starts at the order's intended time, so queueing in the load driver counts.</p>
<div class="table-wrap"><table class="verdict"><thead><tr><th></th>${transportHeads(result)}<th class="noise">difference beyond noise?</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
${thresholdTable}
${errors ? `<h3>Errors by code</h3><ul>${errors}</ul>` : ''}
${figures}
<p class="note method">${esc(ranking.method)}</p></section>`;
}

const RAMP_HOWTO = "one point per second: how many orders per second the transport actually finished (across) against that second's p99 (up, on a log scale). The knee, where points turn upwards, is the most the transport sustains at acceptable latency.";
const KNEE_SEARCH_HOWTO =
  "one point per second of the search: how many orders per second the transport actually finished (across) against that second's p99 (up, on a log scale). The search holds one rate per step and narrows on the highest that kept p99 under the SLO with nothing dropped, timed out or piling up; points of a failed step and of the short recovery after it sit up and to the left. The knee and the rate that failed are in the findings above.";

function charts(result: Result, data: ReturnType<typeof chartData>): string {
  const bucket = data.bucketS > 1 ? ` Each point covers ${data.bucketS} seconds and shows the worst second in it.` : '';
  const shade = data.faults.length > 0 ? ' Hatched grey bands are fault windows (⚡ names the fault).' : '';
  const ramping = isRamping(result);
  return `<section id="charts"><h2>Over time</h2>
${chartFigure('latency-p99', 'End-to-end latency over time: p99', `one line per transport; each point is the 99th percentile of the orders that finished in that second. Flat and low is good; a rising line means work is queueing.${bucket}${shade}`, data.p99 !== null)}
${chartFigure('latency-p50', 'End-to-end latency over time: p50 (median)', `the typical order. A gap between this chart and the p99 chart is the tail: a few orders waiting much longer than most.${bucket}${shade}`, data.p50 !== null)}
${chartFigure('throughput', 'Throughput over time', `orders that reached a terminal state (completed or failed) per second. It should track the target rate; a dip during a fault followed by a spike is the backlog being worked off.${bucket}${shade}`, data.rate !== null)}
${chartFigure('backlog', 'Backlog over time', `messages waiting in queues and topics (consumer lag for Kafka), summed per transport; the peak within each point is shown. A backlog that does not return to zero means consumers cannot keep up.${shade}`, data.backlog !== null, 'No backlog was sampled in this run (REST has no queues; messaging transports report it when sampling is on).')}
</section>
<section id="distribution"><h2>Distribution</h2>
${chartFigure('spectrum', 'Percentile spectrum (end-to-end)', 'read from each transport\'s whole-run histogram. Left is the typical order, right the rare slow ones: 90% means 1 in 10 orders was slower, 99.9% means 1 in 1,000. Lines that climb steeply at the right have a long tail.', data.spectrum !== null)}
${chartFigure('ramp', isKneeSearch(result) ? 'Latency against throughput (knee search)' : 'Latency against throughput (ramping load)', isKneeSearch(result) ? KNEE_SEARCH_HOWTO : RAMP_HOWTO, data.ramp !== null, ramping ? 'No completed orders were recorded, so there is nothing to plot.' : 'Only for ramping runs and knee searches (executor ramping-arrival-rate or find-knee); this run used a fixed rate.')}
</section>`;
}

function cpuSection(result: Result): string {
  const svg = cpuSvg(result);
  return `<section id="cpu"><h2>Where the CPU went</h2>
<figure class="figure">${svg ? `<div class="svg-wrap chart-svg" data-chart="cpu">${svg}</div>` : '<p class="nodata">No CPU samples in this run (results written before per-process sampling existed, or sampling was off).</p>'}
<p class="howto"><strong>How to read this:</strong> one bar per transport: the cores each process used on average over the measured window (100 % of one core = 1), split by role: the load driver, each service (all its instances), each broker. The black tick is the whole machine's average; the gap between the bar's end and the tick is other processes. A driver near one full core means the harness, not the transport, set the pace.</p></figure></section>`;
}

function floorsTable(result: Result): string {
  const withFloor = result.transports.filter((t) => t.calibration);
  if (withFloor.length === 0) return '';
  return `<div class="table-wrap"><table><thead><tr><th>calibrated floor</th><th>what one sample is</th><th>samples</th><th>p50 ms</th><th>p99 ms</th></tr></thead><tbody>${withFloor
    .map((t) => {
      const c = t.calibration!;
      return `<tr><th scope="row" class="row">${esc(t.name)}</th><td class="text">${esc(c.what)}</td><td>${esc(formatNumber(c.samples))}</td><td>${esc(formatNumber(c.p50, 'ms'))}</td><td>${esc(formatNumber(c.p99, 'ms'))}</td></tr>`;
    })
    .join('')}</tbody></table></div>`;
}

function hopsSection(result: Result): string {
  const svg = hopsSvg(result);
  return `<section id="hops"><h2>Where the time goes: per hop</h2>
<figure class="figure">${svg ? `<div class="svg-wrap chart-svg" data-chart="hops">${svg}</div>` : '<p class="nodata">No per-hop latencies were recorded in this run.</p>'}
<p class="howto"><strong>How to read this:</strong> each hop is one event travelling from the service that emitted it to the one that handled it (emitted → handled). The bar is the median (p50); the whisker reaches the p99. Long bars show where an order spends its time. Where the transport was calibrated, a dashed tick marks its floor — the raw round trip of the same client on the same broker before the load (p50) — and the label says how many times the floor each hop took.</p>${floorsTable(result)}</figure></section>`;
}

function sequenceSection(result: Result): string {
  const styles = transportStyles(result.transports.map((t) => t.name));
  const blocks = result.transports.map((t, i) => {
    const body =
      t.sample.length > 0
        ? `<div class="svg-wrap chart-svg" data-chart="sequence-${esc(t.name)}">${sequenceSvg(t.sample, styles[i]!.colour, `sample order over ${t.name}`)}</div>`
        : '<p class="nodata">No sample order was recorded for this transport.</p>';
    return `<figure class="figure"><figcaption><h3>${swatch(styles[i]!.colour)}${esc(t.name)}</h3></figcaption>${body}</figure>`;
  });
  return `<section id="sequence"><h2>One sample order, step by step</h2>
<p class="howto"><strong>How to read this:</strong> time runs downwards; each arrow is one event of the order workflow, from the service that emitted it to the one that reacted. The left column is the time since the order's first event.</p>
${blocks.join('')}</section>`;
}

export function renderHtml(input: Result, opts: HtmlOptions = {}): string {
  const result = forDisplay(input);
  const data = chartData(result, opts);
  const { js, css } = uplot();
  const title = opts.title ?? result.scenario.name;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)} — bench report</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${header(result, opts)}
${findingsSection(opts.sentences ?? runSentences(result), opts.sentencesHeading)}
<nav class="toc"><a href="#verdict">Verdict</a><a href="#settings">Settings</a><a href="#charts">Over time</a><a href="#cpu">CPU</a><a href="#distribution">Distribution</a><a href="#hops">Per hop</a><a href="#sequence">Sample order</a><a href="#about">About</a></nav>
${verdict(result)}
${settingsSection(result, transportHeads(result))}
${charts(result, data)}
${cpuSection(result)}
${faultCostsSection(result)}
${hopsSection(result)}
${sequenceSection(result)}
${aboutSection(result)}
<footer>Rendered by the bench harness from result.json (schema ${esc(result.schemaVersion)}, run ${esc(result.runId)}). Percentiles come from HDR histograms; they are never averaged.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
