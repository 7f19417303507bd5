import * as hdr from 'hdr-histogram-js';
/** One hour, in microseconds: the highest value tracked before the histogram resizes. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;
export function createHistogram() {
    return hdr.build({
        bitBucketSize: 32,
        lowestDiscernibleValue: 1,
        highestTrackableValue: HIGHEST_TRACKABLE_US,
        numberOfSignificantValueDigits: 3,
        autoResize: true,
        useWebAssembly: false,
    });
}
export function recordUs(h, valueUs) {
    h.recordValue(Math.max(1, Math.round(valueUs)));
}
export function encodeHistogram(h) {
    return hdr.encodeIntoCompressedBase64(h);
}
export function decodeHistogram(encoded) {
    const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
    // re-home into a histogram with our settings so merges never lose range
    const h = createHistogram();
    h.add(decoded);
    return h;
}
/** Merges histograms (never averages percentiles). */
export function mergeHistograms(list) {
    const merged = createHistogram();
    for (const h of list)
        merged.add(h);
    return merged;
}
const usToMs = (us) => Math.round(us) / 1000;
export function summarize(h) {
    if (h.totalCount === 0) {
        return { count: 0, min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    }
    return {
        count: h.totalCount,
        min: usToMs(h.minNonZeroValue),
        mean: usToMs(h.mean),
        stddev: usToMs(h.stdDeviation),
        p50: usToMs(h.getValueAtPercentile(50)),
        p90: usToMs(h.getValueAtPercentile(90)),
        p99: usToMs(h.getValueAtPercentile(99)),
        p999: usToMs(h.getValueAtPercentile(99.9)),
        max: usToMs(h.maxValue),
    };
}
/** Percentile spectrum for HDR-style plots: (percentile, value in ms) pairs. */
export function percentileSpectrum(h) {
    const out = [];
    if (h.totalCount === 0)
        return out;
    const points = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];
    for (const p of points)
        out.push({ percentile: p, ms: usToMs(h.getValueAtPercentile(p)) });
    return out;
}
//# sourceMappingURL=histogram.js.map