import { seededRandom, MIN_SECONDS } from '../gate/noise.js';
import { decodeSparse } from '../metrics/sparse-histogram.js';
/**
 * The gate's noise method applied to one transport at a time: each second of the
 * measured window is a sample; seconds are resampled with replacement (seeded), and
 * every statistic the verdict ranks is recomputed from each resample (end-to-end
 * percentiles from the merged per-second HDR histograms, throughput and counts from
 * summed per-second counts). Two transports' resamples are independent, so pairing
 * them index by index gives the same interval of the relative change as the gate's
 * bootstrap, while each transport is resampled only once for every row.
 *
 * Runs longer than MAX_SECONDS seconds are resampled over MAX_SECONDS evenly spaced
 * seconds: the interval is then that of a MAX_SECONDS-second run, wider than the full
 * run's, so a difference called beyond noise stays beyond noise (and an hour-long
 * report still renders in well under a second).
 */
export const RESAMPLES = 400;
export const MAX_SECONDS = 300;
/** Statistics recomputed per resample, keyed like the verdict columns. */
export const RESAMPLED_KEYS = ['completed_per_s', 'e2e_p50_ms', 'e2e_p90_ms', 'e2e_p99_ms', 'e2e_p999_ms', 'e2e_max_ms', 'errors', 'dropped', 'timed_out'];
const PERCENTILES = [
    ['e2e_p50_ms', 50],
    ['e2e_p90_ms', 90],
    ['e2e_p99_ms', 99],
    ['e2e_p999_ms', 99.9],
];
const cache = new WeakMap();
/** RESAMPLES values of each statistic for one transport, or null when it has fewer than MIN_SECONDS seconds. */
export function resampleTransport(t) {
    if (cache.has(t))
        return cache.get(t);
    // independent streams per transport, the same every render
    const out = compute(t, seedOf(t.name));
    cache.set(t, out);
    return out;
}
function seedOf(name) {
    let h = 2166136261;
    for (let i = 0; i < name.length; i++)
        h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    return h >>> 0;
}
function compute(t, seed) {
    const n = t.timeline.length;
    if (n < MIN_SECONDS)
        return null;
    const m = Math.min(n, MAX_SECONDS);
    const chosen = Array.from({ length: m }, (_, i) => t.timeline[Math.floor((i * n) / m)]);
    // every value any chosen second recorded, on one grid
    const decoded = chosen.map((p) => decodeSparse(p.h));
    const grid = [...new Set(decoded.flatMap((d) => [...d.valuesUs]))].sort((a, b) => a - b);
    const at = new Map(grid.map((v, i) => [v, i]));
    const idx = decoded.map((d) => Uint32Array.from(d.valuesUs, (v) => at.get(v)));
    const out = Object.fromEntries(RESAMPLED_KEYS.map((k) => [k, new Float64Array(RESAMPLES)]));
    const rand = seededRandom(seed);
    const counts = new Float64Array(grid.length);
    const scale = n / m;
    for (let r = 0; r < RESAMPLES; r++) {
        counts.fill(0);
        let total = 0;
        let ended = 0;
        let errors = 0;
        let dropped = 0;
        let timedOut = 0;
        for (let k = 0; k < m; k++) {
            const s = Math.floor(rand() * m);
            const p = chosen[s];
            ended += p.completed + p.failed;
            errors += p.errors;
            dropped += p.dropped;
            timedOut += p.timedOut;
            const d = decoded[s];
            const ix = idx[s];
            for (let j = 0; j < ix.length; j++) {
                counts[ix[j]] += d.counts[j];
                total += d.counts[j];
            }
        }
        out.completed_per_s[r] = ended / m;
        out.errors[r] = errors * scale;
        out.dropped[r] = dropped * scale;
        out.timed_out[r] = timedOut * scale;
        fillPercentiles(out, r, counts, grid, total);
    }
    return out;
}
/** Nearest-rank percentiles (as HDR reads them) and the max of one resample, in ms; NaN when it recorded nothing. */
function fillPercentiles(out, r, counts, grid, total) {
    if (total === 0) {
        for (const [key] of PERCENTILES)
            out[key][r] = NaN;
        out.e2e_max_ms[r] = NaN;
        return;
    }
    let acc = 0;
    let p = 0;
    const targets = PERCENTILES.map(([, q]) => Math.max(1, Math.ceil((q / 100) * total - 1e-9)));
    for (let i = 0; i < counts.length && p < targets.length; i++) {
        acc += counts[i];
        while (p < targets.length && acc >= targets[p])
            out[PERCENTILES[p++][0]][r] = grid[i] / 1000;
    }
    for (let i = counts.length - 1; i >= 0; i--) {
        if (counts[i] > 0) {
            out.e2e_max_ms[r] = grid[i] / 1000;
            break;
        }
    }
}
/** Nearest-rank quantile of an ascending array, q in [0, 1]. */
export function quantileSorted(sorted, q) {
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}
/** 95% interval of a statistic's resampled values (NaN resamples left out), or null. */
export function intervalOf(values) {
    const v = Float64Array.from(values.filter((x) => Number.isFinite(x))).sort();
    if (v.length < values.length / 2)
        return null;
    return [quantileSorted(v, 0.025), quantileSorted(v, 0.975)];
}
/**
 * 95% interval of the relative change (%) from `base` to `value`, pairing independent
 * resamples index by index; null when too few resamples are defined.
 */
export function changeInterval(value, base) {
    const changes = [];
    for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const b = base[i];
        if (!Number.isFinite(v) || !Number.isFinite(b))
            continue;
        changes.push(b === 0 ? (v === 0 ? 0 : v > 0 ? Infinity : -Infinity) : ((v - b) / Math.abs(b)) * 100);
    }
    if (changes.length < value.length / 2)
        return null;
    changes.sort((a, b) => a - b);
    return [quantileSorted(changes, 0.025), quantileSorted(changes, 0.975)];
}
//# sourceMappingURL=resample.js.map