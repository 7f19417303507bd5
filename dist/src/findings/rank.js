import { decodeSparse } from '../metrics/sparse-histogram.js';
import { VERDICT_COLUMNS } from '../report/verdict.js';
import { changeInterval, intervalOf, RESAMPLED_KEYS, resampleTransport } from './resample.js';
/**
 * Which transport is best in each verdict row, and only where the difference to every
 * other transport is beyond noise. Three rules, by what the result holds:
 *  - bootstrap (throughput, end-to-end latency, errors, dropped, timed out): the gate's
 *    per-second bootstrap (src/findings/resample.ts); beyond noise when the 95%
 *    interval of the relative change excludes 0;
 *  - order statistics (acceptance p50–p99.9, which has no per-second histograms): a
 *    distribution-free 95% interval for the percentile, read from the whole-run
 *    histogram (ranks nq ± 1.96·√(nq(1−q))); beyond noise when two intervals do not
 *    overlap. It treats orders as independent, so it is narrower than a per-second
 *    bootstrap would be: a tie here is certain, a difference less so;
 *  - exact (lost, duplicates, reordered, stuck): the checker counts defects, it does
 *    not sample them; only "none" against "some" is marked.
 * Anything else (maxima without per-second data, runs shorter than 5 s) is not marked.
 */
export const RANK_METHOD = 'A ★ marks the best value in a row only when it beats every other transport beyond noise. Throughput, end-to-end latency, errors, dropped and timed out: ' +
    'the gate\'s bootstrap over seconds (400 resamples; runs over 300 s use 300 evenly spaced seconds); beyond noise when the 95% interval of the relative change excludes 0. ' +
    'Acceptance latency: distribution-free 95% intervals of the percentile from the whole-run histogram; beyond noise when they do not overlap. ' +
    'Correctness counts: only none against some is marked. Intervals in brackets are 95%.';
const ORDER_STAT_Q = { accept_p50_ms: 0.5, accept_p90_ms: 0.9, accept_p99_ms: 0.99, accept_p999_ms: 0.999 };
const EXACT = new Set(['lost', 'duplicates', 'reordered', 'stuck']);
function methodOf(key) {
    if (RESAMPLED_KEYS.includes(key))
        return 'bootstrap';
    if (key in ORDER_STAT_Q)
        return 'order-statistic';
    if (EXACT.has(key))
        return 'exact';
    return 'none';
}
/** Distribution-free 95% interval of the q-quantile of a whole-run histogram, ms. */
export function orderStatInterval(encoded, q) {
    const h = decodeSparse(encoded);
    const n = h.total;
    if (n < 20)
        return null;
    const half = 1.96 * Math.sqrt(n * q * (1 - q));
    const loRank = Math.max(1, Math.floor(n * q - half));
    const hiRank = Math.min(n, Math.ceil(n * q + half) + 1);
    let acc = 0;
    let lo = NaN;
    let hi = NaN;
    for (let i = 0; i < h.valuesUs.length; i++) {
        acc += h.counts[i];
        if (Number.isNaN(lo) && acc >= loRank)
            lo = h.valuesUs[i];
        if (acc >= hiRank) {
            hi = h.valuesUs[i];
            break;
        }
    }
    if (Number.isNaN(hi))
        hi = h.valuesUs[h.valuesUs.length - 1];
    return [lo / 1000, hi / 1000];
}
function rankRow(result, col, names) {
    if (col.better === null)
        return null;
    const ts = result.transports;
    const values = ts.map((t) => (t.status === 'completed' ? col.value(t) : null));
    const candidates = values.flatMap((v, i) => (v === null || !Number.isFinite(v) ? [] : [i]));
    const method = methodOf(col.key);
    const intervals = ts.map(() => null);
    const empty = (note, m = method) => ({ key: col.key, method: m, best: [], tiedBest: [], intervals, change: null, note });
    if (candidates.length < 2)
        return empty('');
    const sign = col.better === 'lower' ? 1 : -1;
    candidates.sort((a, b) => sign * (values[a] - values[b]));
    const bestIndex = candidates[0];
    if (candidates.every((i) => values[i] === values[bestIndex]))
        return empty('all equal');
    let beyond;
    let change = null;
    if (method === 'bootstrap') {
        const key = col.key;
        const res = ts.map((t, i) => (candidates.includes(i) ? resampleTransport(t) : null));
        if (candidates.some((i) => res[i] === null))
            return empty('too short to tell (fewer than 5 s)', 'none');
        for (const i of candidates)
            intervals[i] = intervalOf(res[i][key]);
        const interval = (other) => changeInterval(res[bestIndex][key], res[other][key]);
        beyond = (other) => {
            const ci = interval(other);
            return ci !== null && (col.better === 'lower' ? ci[1] < 0 : ci[0] > 0);
        };
        const runnerUp = candidates[1];
        const ci = interval(runnerUp);
        if (ci)
            change = { best: bestIndex, runnerUp, lowPct: ci[0], highPct: ci[1] };
    }
    else if (method === 'order-statistic') {
        const q = ORDER_STAT_Q[col.key];
        for (const i of candidates)
            intervals[i] = orderStatInterval(ts[i].histograms.acceptance, q);
        beyond = (other) => {
            const a = intervals[bestIndex];
            const b = intervals[other];
            if (!a || !b)
                return false;
            return col.better === 'lower' ? a[1] < b[0] : a[0] > b[1];
        };
    }
    else if (method === 'exact') {
        beyond = (other) => values[bestIndex] === 0 && values[other] > 0;
    }
    else {
        return empty('not ranked: no noise estimate for this row');
    }
    const tied = candidates.slice(1).filter((i) => !beyond(i));
    if (tied.length === 0) {
        const vs = names[candidates[1]];
        const how = change !== null
            ? `${pct(change.lowPct)} … ${pct(change.highPct)} vs ${vs} (95% interval of the change)`
            : method === 'exact'
                ? `the only one with none`
                : `its interval does not overlap ${vs}'s`;
        return { key: col.key, method, best: [bestIndex], tiedBest: [], intervals, change, note: `★ ${names[bestIndex]}: ${how}` };
    }
    const tiedBest = [bestIndex, ...tied];
    const others = candidates.filter((i) => !tiedBest.includes(i));
    const note = `${tiedBest.map((i) => names[i]).join(', ')}: same within noise` + (others.length ? `; ahead of ${others.map((i) => names[i]).join(', ')}` : '');
    return { key: col.key, method, best: [], tiedBest, intervals, change, note };
}
function pct(x) {
    if (!Number.isFinite(x))
        return x > 0 ? '+∞%' : '−∞%';
    const r = Math.abs(x) >= 10 ? Math.round(x) : Math.round(x * 10) / 10;
    return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r)}%`;
}
const rankings = new WeakMap();
/** Every verdict row's ranking (computed once per result object). */
export function rankResult(result) {
    const hit = rankings.get(result);
    if (hit)
        return hit;
    const names = result.transports.map((t) => t.name);
    const rows = new Map();
    for (const col of VERDICT_COLUMNS) {
        const r = rankRow(result, col, names);
        if (r)
            rows.set(col.key, r);
    }
    const ranking = { rows, method: RANK_METHOD };
    rankings.set(result, ranking);
    return ranking;
}
//# sourceMappingURL=rank.js.map