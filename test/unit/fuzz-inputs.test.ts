import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyOverrides, type RunFlags } from '../../src/cli/run.js';
import { ConfigError } from '../../src/contract/errors.js';
import { scheduleFor } from '../../src/driver/executors/index.js';
import { firstIndex } from '../../src/driver/driver.js';
import { seededRandom } from '../../src/gate/noise.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';

/**
 * Hostile scenario files and flags, generated from a seed: every one is either
 * rejected with ONE line (ConfigError, exit 104) naming the file or flag, or accepted
 * with bounded cost (processes, orders in the schedule, time to plan it).
 * FUZZ_SEED and FUZZ_CASES override the defaults to explore further.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = Number(process.env.FUZZ_CASES ?? 400);
const FILE = '/tmp/fuzz/scenario.yaml';

const HOSTILE: unknown[] = [
  0, -1, -0.5, 1e308, -1e308, 1e12, 99999999999999999999, 0.0001, 2 ** 53, NaN, 'NaN', 'Infinity', '',
  ' ', '\n', 'a\nb', 'x'.repeat(20_000), '\u0000', '..', '../..', '/etc/passwd', '99999999999999999999h', '0ms', '1e12',
  '-5s', '5 s', '1ms', '24h', '25h', 'ten seconds', true, null, [], {}, [1, 2, 3], { nested: { deeper: [null] } }, '😀', '%s%s%n',
];

const FIELDS: Array<string[]> = [
  ['name'], ['description'], ['transports'], ['workload', 'rate'], ['workload', 'duration'], ['workload', 'warmup'],
  ['workload', 'timeout'], ['workload', 'drain'], ['workload', 'maxInFlight'], ['workload', 'executor'], ['workload', 'concurrency'],
  ['workload', 'startRate'], ['workload', 'stages'], ['customers', 'count'], ['customers', 'names'], ['customers', 'burst'],
  ['workflow', 'paymentFailureRatio'], ['workflow', 'serviceDelays', 'payment'], ['workflow', 'serviceWork', 'order'], ['workflow', 'serviceCpu', 'payment'],
  ['transport', 'instances'], ['transport', 'rest', 'requestTimeout'], ['transport', 'kafka', 'partitions'],
  ['transport', 'rabbitmq', 'prefetch'], ['transport', 'activemq', 'prefetch'], ['faults'], ['thresholds'], ['steps'],
  ['slo', 'endToEndP99'], ['labels'],
];

/** Raw YAML that no object mutation produces: aliases, bad syntax, binary. */
const RAW: string[] = [
  'name: bomb\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
  'name: alias\ndescription: *missing\n',
  'name: [unclosed\n',
  'name: a\nname: b\n',
  '\t- tabs\n',
  '- just\n- a list\n',
  'plain text',
  '',
  '\u0000\u0001\u0002binary',
  'name: x\n' + 'workload:\n'.repeat(3),
  'name: &n x\nlabels: {a: *n, b: *n}\n',
  '{' .repeat(500) + '}'.repeat(500),
];

function mutate(rand: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  if (rand() < 0.08) return pick(RAW);
  const doc: Record<string, unknown> = { name: 'fuzz', workload: { duration: '1s', warmup: '0s' } };
  const changes = 1 + Math.floor(rand() * 3);
  for (let c = 0; c < changes; c++) {
    const path = pick(FIELDS);
    let value: unknown = pick(HOSTILE);
    const r = rand();
    if (path[0] === 'faults' && r < 0.5) {
      // many faults, possibly overlapping, possibly out of range
      value = Array.from({ length: 1 + Math.floor(rand() * 300) }, (_, i) => ({ at: `${Math.floor(rand() * 5000)}ms`, duration: pick(['1ms', '100ms', '2s', 5, '99999999h']), action: pick(['kill', 'pause', 'delay', 'explode']), target: pick(['payment', 'order', 'nobody']), instance: i % 3 }));
    } else if (path[0] === 'steps' && r < 0.5) {
      value = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => ({ instances: pick([1, 2, 16, 17, 1_000_000_000]), rate: pick([1, 50, 1e12]) }));
    } else if (path[0] === 'thresholds' && r < 0.5) {
      value = Array.from({ length: 1 + Math.floor(rand() * 150) }, () => pick(['lost == 0', 'endToEnd.p99 < 250ms', 'endToEnd.p99 <\n 250xs', 'x'.repeat(300), 'errors.rate < 1%']));
    } else if (path[0] === 'workload' && path[1] === 'stages' && r < 0.5) {
      value = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => ({ target: pick([10, 1e9, -1]), duration: pick(['1s', '23h', '99999999999999999999h']) }));
    }
    let at = doc;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = value;
  }
  return stringify(doc);
}

/** Service processes a scenario may start on one transport: every step's instances × 4 services. */
const processesOf = (s: Scenario): number => 4 * Math.max(s.transport.instances, ...s.steps.map((st) => st.instances ?? 0));

function expectOneLine(err: unknown, where: string): void {
  expect(err, where).toBeInstanceOf(ConfigError);
  const message = (err as Error).message;
  expect(message.includes('\n'), `two lines: ${message.slice(0, 200)}`).toBe(false);
  expect(message.length, message.slice(0, 200)).toBeLessThan(700);
}

describe(`hostile scenario files (seed ${SEED}, ${CASES} cases)`, () => {
  it('each is rejected in one line naming the file, or accepted with bounded cost', () => {
    const rand = seededRandom(SEED);
    let rejected = 0;
    for (let i = 0; i < CASES; i++) {
      const text = mutate(rand);
      const started = performance.now();
      let scenario: Scenario;
      try {
        scenario = parseScenario(text, FILE).scenario;
      } catch (err) {
        rejected++;
        expectOneLine(err, `case ${i}: ${text.slice(0, 120)}`);
        expect((err as Error).message.startsWith(FILE), (err as Error).message).toBe(true);
        continue;
      }
      // accepted: what it asks of the machine stays within the declared bounds
      expect(processesOf(scenario), `case ${i}`).toBeLessThanOrEqual(64);
      expect(scenario.workload.concurrency).toBeLessThanOrEqual(5_000);
      expect(scenario.faults.length).toBeLessThanOrEqual(100);
      const schedule = scheduleFor(scenario.workload, scenario.slo.endToEndP99);
      expect(schedule.lengthUs, `case ${i}`).toBeLessThanOrEqual(25 * 3_600e6);
      if (schedule.kind === 'open') firstIndex((k) => schedule.at(k) === undefined);
      expect(performance.now() - started, `case ${i} took too long to plan`).toBeLessThan(2_000);
    }
    // the generator must really be hostile, and still let some through
    expect(rejected).toBeGreaterThan(CASES * 0.5);
    expect(rejected).toBeLessThan(CASES);
  });
});

describe(`hostile flags (seed ${SEED})`, () => {
  const base = parseScenario('name: base\n', FILE).scenario;
  const VALUES = ['', ' ', '0', '-1', '1e12', '1e308', 'NaN', 'abc', '17', '16', '1.5', '99999999999999999999h', '1ms', '0s', 'x'.repeat(10_000), 'a\nb', '\u0000'];
  it('each is rejected in one line naming the flag, or within bounds', () => {
    const rand = seededRandom(SEED + 1);
    for (let i = 0; i < 200; i++) {
      const flags: RunFlags = {};
      const key = (['rate', 'duration', 'warmup', 'instances'] as const)[Math.floor(rand() * 4)]!;
      flags[key] = VALUES[Math.floor(rand() * VALUES.length)]!;
      try {
        const { scenario } = applyOverrides(base, flags, FILE);
        expect(scenario.workload.rate).toBeLessThanOrEqual(50_000);
        expect(scenario.workload.duration).toBeLessThanOrEqual(24 * 3_600_000);
        expect(scenario.transport.instances).toBeLessThanOrEqual(16);
      } catch (err) {
        expectOneLine(err, `--${key} ${JSON.stringify(flags[key]).slice(0, 40)}`);
        expect((err as Error).message.startsWith(`--${key}`)).toBe(true);
      }
    }
  });
});
