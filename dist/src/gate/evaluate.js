import { ConfigError } from '../contract/errors.js';
import { compare } from './expression.js';
import { thresholdsFor } from './thresholds.js';
import { formatMetricValue, metricValue } from './value.js';
/** Evaluates one parsed threshold on one transport. A missing value fails, never passes. */
export function evaluateThreshold(tr, t) {
    const base = { transport: tr.name, ...(tr.label ? { step: tr.label } : {}), expression: t.expression, kind: 'threshold' };
    const read = metricValue(tr, t.metric);
    const status = tr.status === 'completed' ? '' : ` (transport ${tr.status}${tr.statusDetail ? `: ${tr.statusDetail}` : ''})`;
    if (read.value === null)
        return { ...base, ok: false, actual: null, detail: read.reason + status };
    const ok = compare(read.value, t.op, t.value);
    const actual = formatMetricValue(t.metric, read.value);
    const bound = formatMetricValue(t.metric, t.value);
    const detail = ok ? `${actual} ${t.op} ${bound}` : `${actual} is not ${t.op} ${bound}`;
    return { ...base, ok, actual: read.value, detail: detail + status };
}
/**
 * Evaluates thresholds on every transport of a result. `thresholds` defaults to the
 * result's own `scenario.resolved.thresholds`. Throws ConfigError on a bad expression.
 */
export function evaluateThresholds(result, thresholds) {
    const transports = Array.isArray(result) ? result : result.transports;
    const spec = thresholds ?? (Array.isArray(result) ? undefined : resultThresholds(result));
    const verdicts = [];
    for (const tr of transports) {
        for (const t of thresholdsFor(spec, tr.name))
            verdicts.push(evaluateThreshold(tr, t));
    }
    return verdicts;
}
/** The thresholds a result was run with (`scenario.resolved.thresholds`, checked when the result was parsed). */
export function resultThresholds(result) {
    return result.scenario.resolved.thresholds;
}
/** What a verdict judged, for display: the step's label (`kafka · 3 instances`) or the transport. */
export function verdictSubject(v) {
    return v.step ?? v.transport;
}
/** True when the verdict judged this entry of a result: same transport, same step (or neither has one). */
export function verdictBelongsTo(v, tr) {
    return v.transport === tr.name && v.step === tr.label;
}
/** An entry's `thresholds` field from the verdicts: its own threshold verdicts only (not regressions). */
export function thresholdEntries(tr, verdicts) {
    return verdicts
        .filter((v) => verdictBelongsTo(v, tr) && (v.kind ?? 'threshold') === 'threshold')
        .map((v) => ({ expression: v.expression, ok: v.ok, actual: v.actual, detail: v.detail }));
}
/** A copy of the result with each transport's `thresholds` set from the verdicts (threshold verdicts only). */
export function withVerdicts(result, verdicts) {
    return { ...result, transports: result.transports.map((tr) => ({ ...tr, thresholds: thresholdEntries(tr, verdicts) })) };
}
//# sourceMappingURL=evaluate.js.map