/**
 * Cost of reading per-second histograms for resampling: hdr-histogram-js (decode, then
 * iterate the recorded values) against the sparse reader (src/metrics/sparse-histogram.ts),
 * on the per-second histograms of a synthetic run. Prints µs per histogram, median of 5.
 * Usage: node --import tsx scripts/histogram-decode-benchmark.ts [seconds]
 */
import { decodeHistogram } from '../src/metrics/histogram.js';
import { decodeSparse } from '../src/metrics/sparse-histogram.js';
import { syntheticResult } from '../test/fixtures/synthetic-result.js';

const seconds = Number(process.argv[2] ?? 600);
const encoded = syntheticResult({ transports: ['kafka'], seconds }).transports[0]!.timeline.map((p) => p.h);
type Iterable = { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): unknown } };

function time(f: (h: string) => void): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (const h of encoded) f(h);
    runs.push(((performance.now() - t0) * 1000) / encoded.length);
  }
  return runs.sort((a, b) => a - b)[2]!;
}

const library = time((h) => {
  const it = (decodeHistogram(h) as unknown as Iterable).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) it.next();
});
const sparse = time((h) => decodeSparse(h));
console.log(`${encoded.length} per-second histograms (~60 values each)`);
console.log(`hdr-histogram-js decode + iterate: ${library.toFixed(0)} µs each`);
console.log(`sparse reader:                     ${sparse.toFixed(0)} µs each (${(library / sparse).toFixed(0)}× faster)`);
