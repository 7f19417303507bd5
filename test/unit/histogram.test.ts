import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistograms, recordUs, summarize } from '../../src/metrics/histogram.js';
import { RunRecorder } from '../../src/metrics/run-recorder.js';

describe('HDR histograms', () => {
  it('survive encode/decode with the same counts and percentiles', () => {
    const h = createHistogram();
    for (let i = 1; i <= 10_000; i++) recordUs(h, i * 10);
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(10_000);
    expect(back.getValueAtPercentile(99)).toBe(h.getValueAtPercentile(99));
    const [a, b] = [summarize(h), summarize(back)];
    expect(b.p50).toBe(a.p50);
    expect(b.p999).toBe(a.p999);
    // 3 significant digits: a bucket's values are equivalent within 0.1%
    expect(Math.abs(b.max - a.max) / a.max).toBeLessThan(0.001);
  });

  it('merge by adding counts, never by averaging percentiles', () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 0; i < 900; i++) recordUs(fast, 1_000); // 1 ms
    for (let i = 0; i < 100; i++) recordUs(slow, 100_000); // 100 ms
    const merged = mergeHistograms([decodeHistogram(encodeHistogram(fast)), decodeHistogram(encodeHistogram(slow))]);
    expect(merged.totalCount).toBe(1000);
    const s = summarize(merged);
    expect(s.p50).toBeCloseTo(1, 1);
    // the average of the two p99s would be ~50 ms; the merged p99 is the slow population's
    expect(s.p99).toBeCloseTo(100, 0);
    expect(s.p90).toBeCloseTo(1, 1);
  });

  it('keep microsecond detail below a millisecond', () => {
    const h = createHistogram();
    recordUs(h, 250);
    expect(summarize(h).p50).toBeCloseTo(0.25, 3);
  });
});

describe('RunRecorder', () => {
  it('keeps per-second intervals and cumulative figures, ignoring the warm-up', () => {
    let now = 0;
    const r = new RunRecorder({ measureFromUs: 1_000_000, nowUs: () => now });
    now = 500_000;
    r.attempted(400_000); // warm-up: ignored
    r.ended(400_000, 400_000, 500_000, 'completed');
    for (let s = 0; s < 3; s++) {
      for (let k = 0; k < 10; k++) {
        const intended = 1_000_000 + s * 1_000_000 + k * 100_000;
        now = intended;
        r.attempted(intended);
        now = intended + 2_000 * (s + 1);
        r.ended(intended, intended, now, 'completed');
      }
    }
    const out = r.finish(4_000_000);
    expect(out.counts.attempted).toBe(30);
    expect(out.counts.completed).toBe(30);
    expect(out.timeline).toHaveLength(3);
    expect(out.timeline.map((p) => p.completed)).toEqual([10, 10, 10]);
    const p50s = out.timeline.map((p) => p.p50);
    [2, 4, 6].forEach((ms, i) => expect(p50s[i]).toBeCloseTo(ms, 2));
    expect(decodeHistogram(out.timeline[1]!.h).totalCount).toBe(10);
    expect(out.measuredMs).toBe(3000);
  });
});
