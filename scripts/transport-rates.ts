/**
 * Orders per second and latency per transport at a few constant arrival rates, over
 * the real runtime (service processes, real brokers), with the order-happy-path
 * scenario shortened to the given rate, duration and warm-up. Each run's event logs
 * go through the checker, so lost orders are counted as `bench run` counts them.
 * Rates are the outer loop and transports the inner one, so slow drift of the machine
 * falls on every transport alike.
 *
 * Usage: node --import tsx scripts/transport-rates.ts [--transports rest,kafka,rabbitmq,activemq]
 *          [--rates 50,200,500] [--seconds 10] [--warmup 3] [--json FILE] [--keep-logs]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { brokerEndpoints, brokerOf, pingBroker } from '../src/brokers/index.js';
import { ExitCode } from '../src/contract/error-catalogue.js';
import { TRANSPORT_NAMES, type TransportName } from '../src/contract/transport.js';
import { newRunId } from '../src/runtime/run.js';
import { runTransport } from '../src/runtime/transport-run.js';
import { loadScenario } from '../src/scenario/load.js';
import { loadAverage, machine, machineLines, parseSweep } from './sweep.js';

const { rates, seconds, warmupS, json, own } = parseSweep({
  usage: 'node --import tsx scripts/transport-rates.ts [--transports rest,kafka,rabbitmq,activemq] [--rates 50,200,500] [--seconds 10] [--warmup 3] [--json FILE] [--keep-logs]',
  defaults: { rates: '50,200,500', seconds: '10', warmup: '3' },
  own: { transports: { type: 'string' }, 'keep-logs': { type: 'boolean', default: false } },
  check: (o) => {
    const unknown = names(o.transports).filter((t) => !TRANSPORT_NAMES.includes(t as TransportName));
    return unknown.length ? `unknown transport(s): ${unknown.join(', ')} (expected ${TRANSPORT_NAMES.join(', ')})` : undefined;
  },
});
const asked = names(own.transports);

function names(list: string | undefined): string[] {
  return (list ?? TRANSPORT_NAMES.join(',')).split(',').map((t) => t.trim()).filter(Boolean);
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const loadAtStart = loadAverage();

console.log('# Transport rates (order-happy-path, constant arrival rate)');
console.log('');
for (const line of machineLines()) console.log(line);

// skip brokers that do not answer, with a note, rather than failing the whole run
const transports: TransportName[] = [];
for (const t of TRANSPORT_NAMES.filter((n) => asked.includes(n))) {
  if (t === 'rest') {
    transports.push(t);
    continue;
  }
  const ping = await pingBroker(brokerOf(t)!);
  if (ping.answers) transports.push(t);
  else console.log(`note: skipping ${t}: ${ping.address} is not answering (${ping.error ?? 'no answer'}); start it with: npx bench brokers up --only ${t}`);
}
console.log(`settings: ${seconds} s measured after ${warmupS} s warm-up per run; transports ${transports.join(', ') || 'none'}; rates ${rates.join(', ')} orders/s`);
console.log('');
if (transports.length === 0) {
  console.log('nothing to run');
  process.exit(ExitCode.unreachable);
}

interface Row {
  transport: TransportName;
  targetPerSec: number;
  status: string;
  completedPerSec: number;
  attempted: number;
  dropped: number;
  errors: number;
  timedOut: number;
  acceptanceP50Ms: number;
  acceptanceP99Ms: number;
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  lost: number | null;
  drained: boolean | null;
  error?: string;
}

const base = loadScenario('order-happy-path').scenario;
const endpoints = brokerEndpoints();
const rows: Row[] = [];
for (const rate of rates) {
  for (const transport of transports) {
    const scenario = structuredClone(base);
    scenario.workload.rate = rate;
    scenario.workload.duration = seconds * 1000;
    scenario.workload.warmup = warmupS * 1000;
    const runDir = mkdtempSync(join(os.tmpdir(), 'bench-rates-'));
    log(`${transport} at ${rate}/s: starting (${runDir})`);
    try {
      const run = await runTransport({ transport, scenario, runId: newRunId(), runDir, endpoints, log });
      const r = run.result;
      const check = r.check!;
      rows.push({
        transport,
        targetPerSec: rate,
        status: r.status,
        completedPerSec: r.throughput.completedPerSec,
        attempted: r.counts.attempted,
        dropped: r.counts.dropped,
        errors: r.counts.errors,
        timedOut: r.counts.timedOut,
        acceptanceP50Ms: r.latency.acceptance.p50,
        acceptanceP99Ms: r.latency.acceptance.p99,
        endToEndP50Ms: r.latency.endToEnd.p50,
        endToEndP99Ms: r.latency.endToEnd.p99,
        lost: check.lost,
        drained: check.drained,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`${transport} at ${rate}/s: failed: ${message}`);
      rows.push({
        transport,
        targetPerSec: rate,
        status: 'failed',
        completedPerSec: 0,
        attempted: 0,
        dropped: 0,
        errors: 0,
        timedOut: 0,
        acceptanceP50Ms: 0,
        acceptanceP99Ms: 0,
        endToEndP50Ms: 0,
        endToEndP99Ms: 0,
        lost: null,
        drained: null,
        error: message,
      });
    } finally {
      if (own['keep-logs']) log(`${transport} at ${rate}/s: logs kept in ${runDir}`);
      else rmSync(runDir, { recursive: true, force: true });
    }
  }
}

const ms = (x: number): string => x.toFixed(2);
const order = (t: TransportName): number => TRANSPORT_NAMES.indexOf(t);
rows.sort((a, b) => order(a.transport) - order(b.transport) || a.targetPerSec - b.targetPerSec);
console.log('| transport | target/s | completed/s | dropped | errors | timed out | acceptance p50 / p99 ms | end-to-end p50 / p99 ms | lost |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  if (r.error !== undefined) {
    console.log(`| ${r.transport} | ${r.targetPerSec} | failed: ${r.error.replace(/\|/g, '\\|').split('\n')[0]} | | | | | | |`);
    continue;
  }
  const lost = `${r.lost}${r.drained === false ? ' (not drained)' : ''}`;
  console.log(
    `| ${r.transport} | ${r.targetPerSec} | ${r.completedPerSec.toFixed(1)} | ${r.dropped} | ${r.errors} | ${r.timedOut} | ${ms(r.acceptanceP50Ms)} / ${ms(r.acceptanceP99Ms)} | ${ms(r.endToEndP50Ms)} / ${ms(r.endToEndP99Ms)} | ${lost} |`,
  );
}
console.log('');
const loadAtEnd = loadAverage();
console.log(`load average at end (1/5/15 min): ${loadAtEnd}`);

if (json) {
  writeFileSync(json, JSON.stringify({ machine: machine(), loadAverage: { start: loadAtStart, end: loadAtEnd }, seconds, warmup: warmupS, rates, transports, rows }, null, 2) + '\n');
  console.log(`wrote ${json}`);
}
