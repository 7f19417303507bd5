import { decodeSparse } from '../metrics/sparse-histogram.js';
/**
 * The noise method: each second of the measured window is one sample. A bootstrap
 * resamples seconds with replacement (seeded), recomputes the statistic from the
 * resampled seconds (end-to-end latencies: the per-second HDR histograms in
 * `timeline[].h` merged, never averaged percentiles; counts, rates and throughput:
 * the per-second counts summed), and takes the 2.5th and 97.5th percentiles of the
 * relative change as its 95% interval. With several baselines, each resample takes the
 * median of the baselines' statistics.
 */
export const NOISE_METHOD = 'bootstrap over seconds: each second of the measured window is a sample; seconds are resampled with replacement ' +
    '(seeded), end-to-end latency percentiles come from the merged per-second HDR histograms and rates/throughput from ' +
    'summed per-second counts; a difference is beyond noise only if the 95% interval of the relative change excludes the limit ' +
    '(0 for compare, --max-regression for the gate); several baselines compare by their median.';
/** Fewer seconds than this and the bootstrap is not attempted (a point comparison is used). */
export const MIN_SECONDS = 5;
/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const cache = new WeakMap();
/** Decodes a transport's per-second timeline once (cached per result object). */
export function runSeconds(tr) {
    const hit = cache.get(tr);
    if (hit)
        return hit;
    const perSecond = [];
    const values = new Set();
    for (const p of tr.timeline) {
        const m = new Map();
        if (p.h) {
            const sparse = decodeSparse(p.h);
            for (let k = 0; k < sparse.valuesUs.length; k++) {
                const v = sparse.valuesUs[k];
                m.set(v, (m.get(v) ?? 0) + sparse.counts[k]);
                values.add(v);
            }
        }
        perSecond.push(m);
    }
    const gridUs = Float64Array.from([...values].sort((a, b) => a - b));
    const index = new Map();
    gridUs.forEach((v, i) => index.set(v, i));
    const seconds = tr.timeline.map((p, s) => {
        const m = perSecond[s];
        const idx = new Uint32Array(m.size);
        const cnt = new Float64Array(m.size);
        let k = 0;
        for (const [v, c] of m) {
            idx[k] = index.get(v);
            cnt[k++] = c;
        }
        const { attempted, accepted, completed, failed, errors, dropped, timedOut } = p;
        return { attempted, accepted, completed, failed, errors, dropped, timedOut, idx, cnt };
    });
    const out = { seconds, gridUs };
    cache.set(tr, out);
    return out;
}
/** Whether a metric can be recomputed from per-second data. */
export function resamplable(metric) {
    switch (metric.kind) {
        case 'latency':
            return !('hop' in metric) && metric.family === 'endToEnd';
        case 'count':
        case 'rate':
            return true;
        case 'throughput':
            return metric.name !== 'targetPerSec';
        default:
            return false;
    }
}
function sum(run, picks, field) {
    let s = 0;
    for (const i of picks)
        s += run.seconds[i][field];
    return s;
}
/** The metric computed from the chosen seconds (with repetition), or null when undefined (no samples). */
export function statOfSeconds(run, picks, metric, scratch) {
    switch (metric.kind) {
        case 'count':
            return sum(run, picks, metric.name);
        case 'rate': {
            const attempted = sum(run, picks, 'attempted');
            return attempted === 0 ? null : (sum(run, picks, metric.name) / attempted) * 100;
        }
        case 'throughput': {
            if (picks.length === 0)
                return null;
            const n = picks.length;
            if (metric.name === 'completedPerSec')
                return (sum(run, picks, 'completed') + sum(run, picks, 'failed')) / n;
            if (metric.name === 'acceptedPerSec')
                return sum(run, picks, 'accepted') / n;
            if (metric.name === 'attemptedPerSec')
                return sum(run, picks, 'attempted') / n;
            return null;
        }
        case 'latency': {
            const counts = scratch && scratch.length === run.gridUs.length ? scratch.fill(0) : new Float64Array(run.gridUs.length);
            let total = 0;
            for (const i of picks) {
                const s = run.seconds[i];
                for (let k = 0; k < s.idx.length; k++) {
                    counts[s.idx[k]] += s.cnt[k];
                    total += s.cnt[k];
                }
            }
            if (total === 0)
                return null;
            return latencyStat(counts, run.gridUs, total, metric.stat) / 1000;
        }
        default:
            return null;
    }
}
function latencyStat(counts, grid, total, stat) {
    if (stat === 'min') {
        for (let i = 0; i < counts.length; i++)
            if (counts[i] > 0)
                return grid[i];
    }
    if (stat === 'max') {
        for (let i = counts.length - 1; i >= 0; i--)
            if (counts[i] > 0)
                return grid[i];
    }
    if (stat === 'mean' || stat === 'stddev') {
        let s = 0;
        for (let i = 0; i < counts.length; i++)
            s += counts[i] * grid[i];
        const mean = s / total;
        if (stat === 'mean')
            return mean;
        let v = 0;
        for (let i = 0; i < counts.length; i++)
            v += counts[i] * (grid[i] - mean) ** 2;
        return Math.sqrt(v / total);
    }
    const p = stat === 'p999' ? 99.9 : Number(stat.slice(1));
    const target = Math.max(1, Math.ceil((p / 100) * total - 1e-9));
    let acc = 0;
    for (let i = 0; i < counts.length; i++) {
        acc += counts[i];
        if (acc >= target)
            return grid[i];
    }
    return grid[grid.length - 1] ?? 0;
}
/** Relative change from `base` to `value`, in %; ±∞ when the base is 0 and the value is not. */
export function relativeChangePct(base, value) {
    if (base === 0)
        return value === 0 ? 0 : value > 0 ? Infinity : -Infinity;
    return ((value - base) / Math.abs(base)) * 100;
}
export function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank quantile of sorted values, q in [0, 1]. */
function quantile(sorted, q) {
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}
/**
 * 95% bootstrap interval of the relative change of `metric` from the baseline runs
 * (median across them) to the current run; null when the metric has no per-second data
 * or a run has fewer than MIN_SECONDS seconds.
 */
export function bootstrapChange(current, baselines, metric, opts = {}) {
    if (!resamplable(metric) || baselines.length === 0)
        return null;
    const runs = [current, ...baselines].map(runSeconds);
    if (runs.some((r) => r.seconds.length < MIN_SECONDS))
        return null;
    const resamples = opts.resamples ?? 1000;
    const rand = seededRandom(opts.seed ?? 1);
    const scratch = runs.map((r) => new Float64Array(r.gridUs.length));
    const picks = runs.map((r) => new Uint32Array(r.seconds.length));
    const changes = [];
    for (let b = 0; b < resamples; b++) {
        const stats = runs.map((run, r) => {
            const p = picks[r];
            for (let k = 0; k < p.length; k++)
                p[k] = Math.floor(rand() * run.seconds.length);
            return statOfSeconds(run, p, metric, scratch[r]);
        });
        const [c, ...bs] = stats;
        const base = bs.filter((x) => x !== null);
        if (c === null || c === undefined || base.length === 0)
            continue;
        changes.push(relativeChangePct(median(base), c));
    }
    if (changes.length < resamples / 2)
        return null;
    changes.sort((x, y) => x - y);
    return { lowPct: quantile(changes, 0.025), highPct: quantile(changes, 0.975), resamples: changes.length };
}
//# sourceMappingURL=noise.js.map