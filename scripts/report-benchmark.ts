/**
 * Render time and file size of the HTML report for a long run: a synthetic one-hour,
 * four-transport result with faults and CPU samples, rendered a few times (each from a
 * fresh copy, so the noise ranking is computed every time); prints the median.
 * Usage: node --import tsx scripts/report-benchmark.ts [seconds] [runs]
 */
import { renderHtml } from '../src/report/html.js';
import { syntheticResult } from '../test/fixtures/synthetic-result.js';

const seconds = Number(process.argv[2] ?? 3600);
const runs = Number(process.argv[3] ?? 5);

const built = performance.now();
const result = syntheticResult({ transports: ["rest", "kafka", "rabbitmq", "activemq"], seconds, faults: true, resources: true });
const buildMs = performance.now() - built;
const resultBytes = Buffer.byteLength(JSON.stringify(result));

const times: number[] = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  // a fresh copy each time: the noise ranking is cached per result object, and a report is rendered once
  const fresh = structuredClone(result);
  const t0 = performance.now();
  const html = renderHtml(fresh);
  times.push(performance.now() - t0);
  bytes = Buffer.byteLength(html);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(`synthetic result: ${seconds} s × 4 transports, result.json ${mb(resultBytes)} (built in ${(buildMs / 1000).toFixed(1)} s)`);
console.log(`render time: median ${median.toFixed(0)} ms over ${runs} runs (min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms)`);
console.log(`report.html: ${mb(bytes)}`);
console.log(`targets: under 1000 ms ${median < 1000 ? 'ok' : 'MISSED'}, under 3 MB ${bytes < 3 * 1024 * 1024 ? 'ok' : 'MISSED'}`);
