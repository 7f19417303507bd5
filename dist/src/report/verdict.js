const latencyColumns = (group, prefix, pick) => [
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p999', 'p99.9'],
    ['max', 'max'],
].map(([k, label]) => ({
    key: `${prefix}_${k}_ms`,
    group,
    label,
    unit: 'ms',
    better: 'lower',
    value: (t) => (pick(t).count > 0 ? pick(t)[k] : null),
}));
const checkColumn = (key, label) => ({
    key,
    group: 'Correctness check',
    label,
    unit: 'orders',
    better: 'lower',
    value: (t) => (t.check ? t.check[key] : null),
});
export const VERDICT_COLUMNS = [
    { key: 'completed_per_s', group: 'Throughput', label: 'completed', unit: 'orders/s', better: 'higher', value: (t) => t.throughput.completedPerSec },
    { key: 'target_per_s', group: 'Throughput', label: 'target', unit: 'orders/s', better: null, value: (t) => t.throughput.targetPerSec },
    ...latencyColumns('End-to-end latency', 'e2e', (t) => t.latency.endToEnd),
    ...latencyColumns('Acceptance latency', 'accept', (t) => t.latency.acceptance),
    { key: 'errors', group: 'Failures', label: 'errors', unit: 'orders', better: 'lower', value: (t) => t.counts.errors },
    { key: 'dropped', group: 'Failures', label: 'dropped', unit: 'orders', better: 'lower', value: (t) => t.counts.dropped },
    { key: 'timed_out', group: 'Failures', label: 'timed out', unit: 'orders', better: 'lower', value: (t) => t.counts.timedOut },
    checkColumn('lost', 'lost'),
    checkColumn('duplicates', 'duplicates'),
    checkColumn('reordered', 'reordered'),
    checkColumn('stuck', 'stuck'),
];
/** Indexes of the transports holding the best value of a column; empty when all are equal or the column has no direction. */
export function bestIndexes(result, column) {
    if (column.better === null || result.transports.length < 2)
        return new Set();
    const values = result.transports.map((t) => (t.status === 'completed' ? column.value(t) : null));
    const present = values.filter((v) => v !== null);
    if (present.length < 2)
        return new Set();
    const best = column.better === 'lower' ? Math.min(...present) : Math.max(...present);
    if (present.every((v) => v === best))
        return new Set();
    return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}
/** Threshold verdicts of one transport as `passed/total`, or null without thresholds. */
export function thresholdTally(t) {
    if (t.thresholds.length === 0)
        return null;
    return { passed: t.thresholds.filter((x) => x.ok).length, total: t.thresholds.length };
}
/** A number for a table cell: integers with thousands separators, others to 3 significant digits. */
export function formatNumber(value, unit = '') {
    if (value === null || !Number.isFinite(value))
        return '–';
    let text;
    if (Number.isInteger(value) && unit !== 'ms')
        text = value.toLocaleString('en-US');
    else if (Math.abs(value) >= 100)
        text = Math.round(value).toLocaleString('en-US');
    else if (Math.abs(value) >= 10)
        text = value.toFixed(1);
    else
        text = value.toFixed(2);
    return text;
}
//# sourceMappingURL=verdict.js.map