/** The end-of-run table: one column per transport, side by side. Pure: result → text. */
export function renderSummaryTable(result) {
    const ts = result.transports;
    if (ts.length === 0)
        return '(no transport ran)\n';
    const rows = [
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
    if (ts.some((t) => t.check)) {
        rows.push(['lost', (t) => (t.check ? String(t.check.lost) : '-')], ['stuck', (t) => (t.check ? String(t.check.stuck) : '-')], ['duplicates (delivered)', (t) => (t.check ? String(t.check.duplicates) : '-')], ['duplicate side effects', (t) => (t.check ? String(t.check.duplicateEffects) : '-')], ['reordered', (t) => (t.check ? String(t.check.reordered) : '-')], ['invalid transitions', (t) => (t.check ? String(t.check.invalidTransitions) : '-')], ['compensation errors', (t) => (t.check ? String(t.check.compensationErrors) : '-')]);
    }
    const figureNames = [...new Set(ts.flatMap((t) => Object.keys(t.figures)))];
    for (const f of figureNames)
        rows.push([f, (t) => (t.figures[f] === undefined ? '-' : typeof t.figures[f] === 'boolean' ? (t.figures[f] ? 'yes' : 'no') : fmt(t.figures[f]))]);
    if (ts.some((t) => t.thresholds.length > 0)) {
        rows.push(['thresholds', (t) => (t.thresholds.length ? `${t.thresholds.filter((v) => v.ok).length}/${t.thresholds.length} ok` : '-')]);
    }
    const header = ['', ...ts.map((t) => t.label ?? t.name)];
    const body = rows.map(([label, f]) => [label, ...ts.map(f)]);
    const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => (r[i] ?? '').length)));
    const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    const sep = widths.map((w) => '-'.repeat(w)).join('  ');
    const notes = ts
        .filter((t) => t.statusDetail || Object.keys(t.errorsByCode).length)
        .map((t) => `${t.label ?? t.name}: ${t.statusDetail ?? Object.entries(t.errorsByCode).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    return [line(header), sep, ...body.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n';
}
function fmt(n) {
    if (n >= 100)
        return n.toFixed(0);
    if (n >= 10)
        return n.toFixed(1);
    return n.toFixed(2);
}
//# sourceMappingURL=summary-table.js.map