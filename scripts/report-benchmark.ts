/**
 * Render time and file size of the HTML report for a long run: a synthetic one-hour,
 * four-transport result with faults, rendered a few times; prints the median.
 * Usage: node --import tsx scripts/report-benchmark.ts [seconds] [runs]
 */
import { renderHtml } from '../src/report/html.js';
import { syntheticResult } from '../test/fixtures/synthetic-result.js';

const seconds = Number(process.argv[2] ?? 3600);
const runs = Number(process.argv[3] ?? 5);

const built = performance.now();
const result = syntheticResult({ transports: ['rest', 'kafka', 'rabbitmq', 'activemq'], seconds, faults: true });
const buildMs = performance.now() - built;
const resultBytes = Buffer.byteLength(JSON.stringify(result));

const times: number[] = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const html = renderHtml(result);
  times.push(performance.now() - t0);
  bytes = Buffer.byteLength(html);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(`synthetic result: ${seconds} s × 4 transports, result.json ${mb(resultBytes)} (built in ${(buildMs / 1000).toFixed(1)} s)`);
console.log(`render time: median ${median.toFixed(0)} ms over ${runs} runs (min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms)`);
console.log(`report.html: ${mb(bytes)}`);
console.log(`targets: under 2000 ms ${median < 2000 ? 'ok' : 'MISSED'}, under 3 MB ${bytes < 3 * 1024 * 1024 ? 'ok' : 'MISSED'}`);
