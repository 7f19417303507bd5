import { higherIsWorse } from './metric.js';
import { bootstrapChange, median, relativeChangePct } from './noise.js';
import { formatMetricValue, formatPercent, metricValue } from './value.js';
/**
 * Compares chosen metrics of each transport with the baselines (the same transport in
 * each; several baselines compare by their median). A regression fails only when the
 * whole 95% interval of the change lies beyond the limit in the worse direction; without
 * per-second data the point change is compared with the limit.
 */
export function checkRegressions(result, baselines, opts) {
    const limit = opts.maxRegressionPct ?? 10;
    const out = [];
    for (const tr of result.transports) {
        // a stepped scenario compares each step with the same step of the baselines
        const bases = baselines.map((b) => b.transports.find((t) => t.name === tr.name && t.label === tr.label)).filter((t) => t !== undefined);
        for (const metric of opts.metrics)
            out.push(checkOne(tr, bases, metric, limit, opts));
    }
    return out;
}
/** `endToEnd.p99 within +10% of baseline` / `throughput.completedPerSec within -10% of baseline`. */
export function regressionExpression(metric, limitPct) {
    return `${metric.id} within ${higherIsWorse(metric) ? '+' : '-'}${limitPct}% of baseline`;
}
function checkOne(tr, bases, metric, limit, opts) {
    const base = {
        transport: tr.name,
        ...(tr.label ? { step: tr.label } : {}),
        expression: regressionExpression(metric, limit),
        kind: 'regression',
        metric: metric.id,
    };
    if (bases.length === 0) {
        return { ...base, ok: true, skipped: true, actual: null, baseline: null, current: null, interval: null, detail: 'no baseline for this transport; not compared' };
    }
    const cur = metricValue(tr, metric);
    const baseValues = bases.map((b) => metricValue(b, metric));
    const missing = baseValues.find((v) => v.value === null);
    if (cur.value === null || missing) {
        const reason = cur.value === null ? `current: ${cur.reason}` : `baseline: ${missing.reason}`;
        return { ...base, ok: false, skipped: false, actual: null, baseline: null, current: cur.value, interval: null, detail: reason };
    }
    const baseline = median(baseValues.map((v) => v.value));
    const change = relativeChangePct(baseline, cur.value);
    const worse = higherIsWorse(metric);
    const ci = bootstrapChange(tr, bases, metric, opts);
    const beyond = (pct) => (worse ? pct > limit : pct < -limit);
    const regressed = ci ? beyond(worse ? ci.lowPct : ci.highPct) : beyond(change);
    const values = `${formatMetricValue(metric, baseline)} → ${formatMetricValue(metric, cur.value)} (${formatPercent(change)})`;
    const from = bases.length > 1 ? ` (median of ${bases.length} baselines)` : '';
    let detail;
    if (ci) {
        const interval = `95% CI ${formatPercent(ci.lowPct)} … ${formatPercent(ci.highPct)}`;
        const noisy = !regressed && beyond(change) ? ', within noise' : '';
        detail = `${values}, ${interval}${regressed ? `, beyond ${worse ? '+' : '-'}${limit}%` : noisy}${from}`;
    }
    else {
        detail = `${values}, point comparison (no per-second data for ${metric.id}; noise not assessed)${from}`;
    }
    return {
        ...base,
        ok: !regressed,
        skipped: false,
        actual: Number.isFinite(change) ? change : null,
        baseline,
        current: cur.value,
        interval: ci ? [ci.lowPct, ci.highPct] : null,
        detail,
    };
}
//# sourceMappingURL=regression.js.map