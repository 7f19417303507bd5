/**
 * Each transport's floor on this machine: the calibration a run makes before its load
 * (src/runtime/calibration.ts), with the scenario's default calibration settings and the
 * default transport settings, made `--runs` times; prints the median p50 and p99 and
 * their range. Messaging calibrates on a freshly provisioned run's objects; REST against
 * one inventory service process, as a run starts it.
 *
 * `--scenario NAME` takes the transport and calibration settings of a scenario instead of
 * the defaults (`--scenario broker-failover`: Kafka topics at RF 3, min ISR 2, 3 partitions).
 *
 * Run alone on the machine: `npx tsx scripts/floors.ts [--transports rest,kafka] [--runs 3] [--scenario NAME]`.
 * Exit 104 for an unknown transport; a broker that does not answer is skipped with a note.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brokerEndpoints, brokerOf, pingBroker } from '../src/brokers/index.js';
import { ExitCode } from '../src/contract/error-catalogue.js';
import { TRANSPORT_NAMES, type MessagingRunSpec, type TransportName } from '../src/contract/transport.js';
import type { Calibration } from '../src/result/schema.js';
import { loadMessagingAdapter } from '../src/runtime/adapters.js';
import { calibrateMessaging, calibrateRest, calibrationOptionsOf } from '../src/runtime/calibration.js';
import { ServiceProcess } from '../src/runtime/service-process.js';
import { loadScenario } from '../src/scenario/load.js';
import { messagingSettings, ScenarioSchema } from '../src/scenario/schema.js';
import { machineLines } from './sweep.js';

const { values } = parseArgs({ options: { transports: { type: 'string', default: TRANSPORT_NAMES.join(',') }, runs: { type: 'string', default: '3' }, scenario: { type: 'string' } } });
const asked = values.transports.split(',').map((t) => t.trim()).filter(Boolean);
const unknown = asked.filter((t) => !TRANSPORT_NAMES.includes(t as TransportName));
const runs = Number(values.runs);
if (unknown.length > 0 || !Number.isInteger(runs) || runs < 1) {
  console.error(unknown.length > 0 ? `unknown transport(s): ${unknown.join(', ')} (expected ${TRANSPORT_NAMES.join(', ')})` : `--runs: expected a whole number ≥ 1, got ${values.runs}`);
  process.exit(ExitCode.invalidConfig);
}

const defaults = values.scenario ? loadScenario(values.scenario).scenario : ScenarioSchema.parse({ name: 'floors' });
const opts = calibrationOptionsOf(defaults)!;
const endpoints = brokerEndpoints();

async function floorsOf(t: TransportName): Promise<Calibration[]> {
  const out: Calibration[] = [];
  if (t === 'rest') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-floors-'));
    const p = new ServiceProcess({ transport: 'rest', service: 'inventory', instance: 0, eventsDir: dir, rules: { paymentFailureRatio: 0, seed: 1 }, delayMs: 0, workMs: 0 }, join(dir, 'inventory.log'));
    await p.start();
    try {
      for (let r = 0; r < runs; r++) out.push(await calibrateRest(`http://127.0.0.1:${p.port}`, { ...opts, connections: defaults.transport.rest.downstreamConnections }));
    } finally {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  }
  const adapter = await loadMessagingAdapter(t);
  const spec: MessagingRunSpec = { prefix: `bench-floors${randomBytes(3).toString('hex')}-${t}`, instancesPerService: 1, settings: messagingSettings(defaults, t), endpoints };
  await adapter.provision(spec);
  try {
    for (let r = 0; r < runs; r++) out.push(await calibrateMessaging(adapter, spec, opts));
  } finally {
    await adapter.deprovision(spec);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const range = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

console.log('# Transport floors (calibration before the load)');
console.log('');
for (const line of machineLines()) console.log(line);
console.log(`settings: ${opts.warmup} warm-up round trips, then ${opts.samples} at ${opts.ratePerSec}/s, one at a time; ${values.scenario ? `the transport settings of ${values.scenario}` : 'default transport settings'}; median of ${runs} calibrations`);
console.log('');
console.log('| transport | p50 ms | p99 ms | p50 range | p99 range | one sample |');
console.log('|---|---|---|---|---|---|');
for (const t of TRANSPORT_NAMES.filter((n) => asked.includes(n))) {
  if (t !== 'rest') {
    const ping = await pingBroker(brokerOf(t)!);
    if (!ping.answers) {
      console.log(`| ${t} | | | | | skipped: ${ping.address} not answering |`);
      continue;
    }
  }
  const list = await floorsOf(t);
  const p50 = list.map((c) => c.p50);
  const p99 = list.map((c) => c.p99);
  console.log(`| ${t} | ${median(p50).toFixed(2)} | ${median(p99).toFixed(2)} | ${range(p50)} | ${range(p99)} | ${list[0]!.what} |`);
}
