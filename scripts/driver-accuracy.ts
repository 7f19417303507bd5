/**
 * How accurately the load driver keeps a constant arrival rate when the transport
 * costs nothing: the submit function does no I/O, so every shortfall is the driver's
 * own (timers, the event loop, bookkeeping). For each target rate it prints the
 * achieved attempted/s, achieved ÷ target, the scheduling lateness (actual start −
 * intended start, taken inside submit) and the driver's own latency, each the median
 * over the repeats; then the highest rate the driver keeps.
 *
 * Usage: node --import tsx scripts/driver-accuracy.ts [--rates 100,500,…] [--seconds 5]
 *          [--warmup 1] [--repeat 3] [--submit immediate|setimmediate] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { Driver } from '../src/driver/driver.js';
import { constantArrivalRate } from '../src/driver/executors/constant-arrival-rate.js';
import { OrderFactory } from '../src/driver/orders.js';
import type { OrderOutcome, SubmitOrder } from '../src/contract/transport.js';
import { nowUs } from '../src/metrics/clock.js';
import { loadAverage, machine, machineLines, parseSweep } from './sweep.js';

const { rates, seconds, warmupS, json, own } = parseSweep({
  usage: 'node --import tsx scripts/driver-accuracy.ts [--rates 100,1000,…] [--seconds 5] [--warmup 1] [--repeat 3] [--submit immediate|setimmediate] [--json FILE]',
  defaults: { rates: '100,500,1000,2000,5000,10000,20000,50000', seconds: '5', warmup: '1' },
  own: { repeat: { type: 'string', default: '3' }, submit: { type: 'string', default: 'immediate' } },
  check: (o) => (o.submit !== 'immediate' && o.submit !== 'setimmediate' ? 'bad flags: --submit immediate|setimmediate' : undefined),
});
const repeat = Math.max(1, Math.floor(Number(own.repeat)));
const submitMode = own.submit;

interface Trial {
  rate: number;
  attempted: number;
  dropped: number;
  measuredS: number;
  achievedPerSec: number;
  ratio: number;
  /** actual start − intended start, ms (negative: started early, the driver launches up to 0.5 ms ahead) */
  lateP50: number;
  lateP99: number;
  lateMax: number;
  /** the driver's end-to-end latency (from intended start), ms */
  driverP50: number;
  driverP99: number;
}

/** exact percentile of a sorted array (nearest rank) */
function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function trial(rate: number): Promise<Trial> {
  const schedule = constantArrivalRate({ rate, duration: seconds * 1000 });
  // one slot per scheduled order (warm-up included), so recording never allocates
  const lateness = new Float64Array(Math.ceil(rate * (seconds + warmupS)) + 16);
  let n = 0;
  let measureFromUs = Number.POSITIVE_INFINITY;
  const outcome = (): OrderOutcome => {
    const t = nowUs();
    return { outcome: 'completed', sentAtUs: t, acceptedAtUs: t, endedAtUs: t };
  };
  const submit: SubmitOrder = (order) => {
    const late = nowUs() - order.intendedAtUs;
    if (order.intendedAtUs >= measureFromUs && n < lateness.length) lateness[n++] = late;
    if (submitMode === 'immediate') return Promise.resolve(outcome());
    return new Promise((resolve) => setImmediate(() => resolve(outcome())));
  };
  const driver = new Driver({
    schedule,
    submit,
    orders: new OrderFactory({ count: 100, names: [], burst: 1 }),
    warmup: { minMs: warmupS * 1000, maxMs: warmupS * 1000, ratePerSec: rate },
    maxInFlight: 10_000_000,
    timeoutMs: 10_000,
    drainMs: 10_000,
  });
  driver.once('start', (from: number) => {
    measureFromUs = from;
  });
  const r = await driver.run();
  const late = lateness.subarray(0, n).sort();
  const measuredS = r.measuredMs / 1000;
  const achieved = measuredS > 0 ? r.counts.attempted / measuredS : 0;
  return {
    rate,
    attempted: r.counts.attempted,
    dropped: r.counts.dropped,
    measuredS,
    achievedPerSec: achieved,
    ratio: achieved / rate,
    lateP50: pct(late, 50) / 1000,
    lateP99: pct(late, 99) / 1000,
    lateMax: (late.length ? late[late.length - 1]! : 0) / 1000,
    driverP50: r.latency.endToEnd.p50,
    driverP99: r.latency.endToEnd.p99,
  };
}

console.log('# Driver scheduling accuracy (constant-arrival-rate, submit without I/O)');
console.log('');
for (const line of machineLines()) console.log(line);
console.log(`settings: ${seconds} s measured after ${warmupS} s warm-up, ${repeat} repeat(s) per rate, submit=${submitMode}; figures are medians over the repeats`);
console.log('');

const rows: Array<Trial & { trials: Trial[] }> = [];
for (const rate of rates) {
  const trials: Trial[] = [];
  for (let i = 0; i < repeat; i++) {
    trials.push(await trial(rate));
    // let the collector and timers settle between trials
    await new Promise((r) => setTimeout(r, 200));
  }
  const m = (k: keyof Trial): number => median(trials.map((t) => t[k]));
  const row = {
    rate,
    attempted: m('attempted'),
    dropped: m('dropped'),
    measuredS: m('measuredS'),
    achievedPerSec: m('achievedPerSec'),
    ratio: m('ratio'),
    lateP50: m('lateP50'),
    lateP99: m('lateP99'),
    lateMax: m('lateMax'),
    driverP50: m('driverP50'),
    driverP99: m('driverP99'),
    trials,
  };
  rows.push(row);
  process.stderr.write(`  ${rate}/s done (ratio ${row.ratio.toFixed(4)})\n`);
}

const f = (x: number, d = 3): string => x.toFixed(d);
console.log('| target/s | achieved attempted/s | achieved ÷ target | lateness p50 / p99 / max ms | driver latency p50 / p99 ms | dropped |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.rate} | ${f(r.achievedPerSec, 1)} | ${f(r.ratio, 4)} | ${f(r.lateP50)} / ${f(r.lateP99)} / ${f(r.lateMax)} | ${f(r.driverP50)} / ${f(r.driverP99)} | ${r.dropped} |`,
  );
}
console.log('');

const within = rows.filter((r) => Math.abs(r.ratio - 1) <= 0.01);
const both = within.filter((r) => r.lateP99 < 1);
const highest = (list: typeof rows): string => (list.length ? `${Math.max(...list.map((r) => r.rate))}/s` : 'none of the rates tried');
console.log(`highest rate with achieved within 1% of target: ${highest(within)}`);
console.log(`highest rate with achieved within 1% of target and lateness p99 < 1 ms: ${highest(both)}`);
console.log(`load average at end (1/5/15 min): ${loadAverage()}`);

if (json) {
  writeFileSync(json, JSON.stringify({ machine: machine(), seconds, warmup: warmupS, repeat, submit: submitMode, rows }, null, 2) + '\n');
  console.log(`wrote ${json}`);
}
