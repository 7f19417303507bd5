import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/gate/noise.js';
import { createHistogram, decodeHistogram, encodeHistogram, recordUs } from '../../src/metrics/histogram.js';
import { decodeSparse } from '../../src/metrics/sparse-histogram.js';

type Iterable = { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } };

/** What the library's own decode and recorded-values iterator report. */
function viaLibrary(encoded: string): { values: number[]; counts: number[] } {
  const it = (decodeHistogram(encoded) as unknown as Iterable).recordedValuesIterator;
  const values: number[] = [];
  const counts: number[] = [];
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    values.push(v.valueIteratedTo);
    counts.push(v.countAtValueIteratedTo);
  }
  return { values, counts };
}

describe('decodeSparse', () => {
  it('reads the same values and counts as the library, from 1 µs to an hour', () => {
    const rnd = seededRandom(7);
    for (let k = 0; k < 60; k++) {
      const h = createHistogram();
      const n = 1 + Math.floor(rnd() * 400);
      // log-uniform from 1 µs to ~1 h, with repeats
      for (let i = 0; i < n; i++) recordUs(h, Math.exp(rnd() * 22));
      const encoded = encodeHistogram(h);
      const sparse = decodeSparse(encoded);
      const lib = viaLibrary(encoded);
      expect([...sparse.valuesUs]).toEqual(lib.values);
      expect([...sparse.counts]).toEqual(lib.counts);
      expect(sparse.total).toBe(n);
    }
  });

  it('reads an empty histogram and an empty string as nothing recorded', () => {
    expect(decodeSparse(encodeHistogram(createHistogram())).total).toBe(0);
    expect(decodeSparse('').valuesUs.length).toBe(0);
  });
});
