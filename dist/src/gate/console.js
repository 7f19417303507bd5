import { verdictSubject } from './evaluate.js';
import { parseThreshold } from './expression.js';
import { formatMetricValue, formatNumber, formatPercent } from './value.js';
/** `41.2 ms` for a threshold verdict (the unit from its expression), the plain number otherwise. */
export function formatActual(v) {
    if (v.actual === null)
        return 'n/a';
    if ((v.kind ?? 'threshold') !== 'threshold')
        return formatPercent(v.actual);
    try {
        return formatMetricValue(parseThreshold(v.expression).metric, v.actual);
    }
    catch {
        return formatNumber(v.actual);
    }
}
export function isSkipped(v) {
    return v.skipped === true;
}
/** One line per verdict: `✓ kafka  endToEnd.p99 < 250ms  actual 41.2 ms`, aligned. */
export function verdictLines(verdicts) {
    const tw = Math.max(0, ...verdicts.map((v) => verdictSubject(v).length));
    const ew = Math.max(0, ...verdicts.map((v) => v.expression.length));
    return verdicts.map((v) => {
        const mark = isSkipped(v) ? '–' : v.ok ? '✓' : '✗';
        const head = `${mark} ${verdictSubject(v).padEnd(tw)}  ${v.expression.padEnd(ew)}  `;
        if ((v.kind ?? 'threshold') === 'regression')
            return head + v.detail;
        const actual = `actual ${formatActual(v)}`;
        return v.ok ? head + actual : `${head}${actual}  (${v.detail})`;
    });
}
/** Rows of text as an aligned table (first row is the header). */
export function alignTable(rows) {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}
/** The `bench compare` console output: one aligned table per transport. */
export function compareLines(cmp) {
    const lines = [`${cmp.a.label}: ${cmp.a.scenario} ${cmp.a.runId}`, `${cmp.b.label}: ${cmp.b.scenario} ${cmp.b.runId}`];
    for (const t of cmp.transports) {
        lines.push('', t.name);
        const rows = [['metric', cmp.a.label, cmp.b.label, 'Δ', 'Δ%', '95% CI', 'noise']];
        for (const r of t.rows)
            rows.push(compareCells(r));
        lines.push(...alignTable(rows).map((l) => `  ${l}`));
    }
    if (cmp.onlyInA.length)
        lines.push('', `only in ${cmp.a.label}: ${cmp.onlyInA.join(', ')}`);
    if (cmp.onlyInB.length)
        lines.push('', `only in ${cmp.b.label}: ${cmp.onlyInB.join(', ')}`);
    lines.push('', `noise: ${cmp.noiseMethod}`);
    return lines;
}
/** metric, a, b, Δ, Δ%, interval, noise verdict: the cells of one comparison row. */
export function compareCells(r) {
    const noise = r.noise === 'beyond' ? `beyond noise (${r.better} better)` : r.noise === 'within' ? 'within noise' : 'n/a';
    const delta = r.delta === null ? 'n/a' : `${r.delta > 0 ? '+' : ''}${formatMetricValue(r.metric, r.delta)}`;
    return [
        r.metric.id,
        formatMetricValue(r.metric, r.a),
        formatMetricValue(r.metric, r.b),
        delta,
        r.deltaPct === null ? 'n/a' : formatPercent(r.deltaPct),
        r.interval ? `${formatPercent(r.interval[0])} … ${formatPercent(r.interval[1])}` : '–',
        noise,
    ];
}
//# sourceMappingURL=console.js.map