import { hopNames } from '../report/hops.js';
import type { Result, TransportResult } from '../result/schema.js';

/** The end-of-run table: one column per transport, side by side. Pure: result → text. */
export function renderSummaryTable(result: Result): string {
  const ts = result.transports;
  if (ts.length === 0) return '(no transport ran)\n';
  const rows: Array<[string, (t: TransportResult) => string]> = [
    ['status', (t) => t.status],
    ['orders/s (terminal)', (t) => fmt(t.throughput.completedPerSec)],
    ['target orders/s', (t) => fmt(t.throughput.targetPerSec)],
    ['attempted', (t) => String(t.counts.attempted)],
    ['completed', (t) => String(t.counts.completed)],
    ['failed (business)', (t) => String(t.counts.failed)],
    ['errors', (t) => String(t.counts.errors)],
    ['timed out', (t) => String(t.counts.timedOut)],
    ['dropped', (t) => String(t.counts.dropped)],
    ['end-to-end p50 ms', (t) => fmt(t.latency.endToEnd.p50)],
    ['end-to-end p90 ms', (t) => fmt(t.latency.endToEnd.p90)],
    ['end-to-end p99 ms', (t) => fmt(t.latency.endToEnd.p99)],
    ['end-to-end p99.9 ms', (t) => fmt(t.latency.endToEnd.p999)],
    ['end-to-end max ms', (t) => fmt(t.latency.endToEnd.max)],
    ['uncorrected p99 ms', (t) => fmt(t.latency.endToEndUncorrected.p99)],
    ['acceptance p50 ms', (t) => fmt(t.latency.acceptance.p50)],
    ['acceptance p99 ms', (t) => fmt(t.latency.acceptance.p99)],
  ];
  if (ts.some((t) => t.calibration)) rows.push(['floor p50/p99 ms', (t) => (t.calibration ? `${fmt(t.calibration.p50)}/${fmt(t.calibration.p99)}` : '-')]);
  // each hop's median, and how many times the transport's floor it took
  for (const hop of hopNames(result)) rows.push([`${hop} p50 ms`, (t) => hopCell(t, hop)]);
  if (ts.some((t) => t.check)) {
    rows.push(
      ['lost', (t) => (t.check ? String(t.check.lost) : '-')],
      ['stuck', (t) => (t.check ? String(t.check.stuck) : '-')],
      ['duplicates (delivered)', (t) => (t.check ? String(t.check.duplicates) : '-')],
      ['duplicate side effects', (t) => (t.check ? String(t.check.duplicateEffects) : '-')],
      ['reordered', (t) => (t.check ? String(t.check.reordered) : '-')],
      ['invalid transitions', (t) => (t.check ? String(t.check.invalidTransitions) : '-')],
      ['compensation errors', (t) => (t.check ? String(t.check.compensationErrors) : '-')],
    );
  }
  const figureNames = [...new Set(ts.flatMap((t) => Object.keys(t.figures)))];
  for (const f of figureNames) rows.push([f, (t) => (t.figures[f] === undefined ? '-' : typeof t.figures[f] === 'boolean' ? (t.figures[f] ? 'yes' : 'no') : fmt(t.figures[f] as number))]);
  if (ts.some((t) => t.thresholds.length > 0)) {
    rows.push(['thresholds', (t) => (t.thresholds.length ? `${t.thresholds.filter((v) => v.ok).length}/${t.thresholds.length} ok` : '-')]);
  }
  const header = ['', ...ts.map((t) => t.label ?? t.name)];
  const body = rows.map(([label, f]) => [label, ...ts.map(f)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = ts
    .filter((t) => t.statusDetail || Object.keys(t.errorsByCode).length)
    .map((t) => `${t.label ?? t.name}: ${t.statusDetail ?? Object.entries(t.errorsByCode).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  // what makes the figures less trustworthy comes last, under everything else
  const warnings = ts.flatMap((t) => t.warnings.map((w) => `${t.label ?? t.name}: ${w.code}: ${w.message}`));
  return [line(header), sep, ...body.map(line), ...(notes.length ? ['', ...notes] : []), ...(warnings.length ? ['', 'warnings:', ...warnings] : [])].join('\n') + '\n';
}

/** `1.42 (×1.9 floor)`: a hop's p50, and its ratio to the calibrated floor's p50 when there is one. */
export function hopCell(t: TransportResult, hop: string): string {
  const s = t.latency.hops[hop];
  if (!s || s.count === 0) return '-';
  const floor = t.calibration?.p50;
  return floor && floor > 0 ? `${fmt(s.p50)} (×${(s.p50 / floor).toFixed(1)} floor)` : fmt(s.p50);
}

function fmt(n: number): string {
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
