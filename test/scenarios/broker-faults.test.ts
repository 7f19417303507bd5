import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerAnswers, brokerTarget } from '../../src/brokers/control.js';
import { REPO_ROOT } from '../../src/brokers/settings.js';
import type { BrokerName } from '../../src/brokers/types.js';
import type { Result } from '../../src/result/schema.js';
import { loadScenario } from '../../src/scenario/load.js';
import { startOwnBroker, type OwnBroker } from '../contract/own-broker.js';
import { childProcesses, runChecked } from '../support/run.js';
import { tempRunDir } from '../support/scenario.js';

/**
 * Broker faults over real brokers of the tests' own (never the shared ones): a kill and
 * restart under load per messaging transport (broker-restart, shortened), the refusal of
 * a broker bench did not start, and an interrupted run that leaves its broker running.
 */

const skip = process.env.BENCH_SKIP_BROKERS === '1';
const BIN = join(REPO_ROOT, 'bin/bench.js');
const owned = new Map<BrokerName, OwnBroker>();

afterAll(async () => {
  for (const b of owned.values()) await b.stop();
  owned.clear();
}, 180_000);

/** broker-restart shortened: 20 orders/s for 14 s, the broker down from 3 s to 6 s. */
function shortRestart() {
  const s = structuredClone(loadScenario('broker-restart').scenario);
  s.workload.rate = 20;
  s.workload.warmup = 2000;
  s.workload.duration = 14_000;
  s.faults = [{ at: 3000, duration: 3000, action: 'kill', target: 'broker' }];
  return s;
}

describe.skipIf(skip)('broker faults', () => {
  it('refuse, before anything starts, a broker bench did not start: one line, exit 104', () => {
    const empty = mkdtempSync(join(tmpdir(), 'bench-notours-'));
    try {
      for (const transport of ['rabbitmq', 'activemq'] as const) {
        const r = spawnSync(process.execPath, [BIN, 'run', 'broker-restart', '--transport', transport, '--no-report', '--out', tempRunDir()], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, BENCH_STATE_DIR: empty },
        });
        expect(r.status, r.stderr).toBe(104);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`broker-restart\\.yaml: faults\\[0\\] \\(kill broker\\): ${transport} at 127\\.0\\.0\\.1:\\d+ was not started by bench`));
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  // the scenario's two brokers; Kafka's restart is covered by its contract case, its failover by broker-failover (by hand)
  for (const name of ['activemq', 'rabbitmq'] as const) {
    it(`${name}: a broker killed and restarted under load loses nothing acknowledged, and the fault's cost is counted`, async () => {
      const own = await startOwnBroker(name);
      owned.set(name, own);
      const run = await runChecked(name, shortRestart(), own);
      const t = run.result;
      expect(childProcesses()).toEqual([]);
      expect(t.status, t.statusDetail).toBe('completed');
      const fault = t.faults[0]!;
      expect(fault).toMatchObject({ action: 'kill', target: 'broker', broker: name });
      expect(fault.detail).toMatch(/^SIGKILL .*pid \d+.*; answered again [\d.]+ s after the restart$/);
      expect(fault.endS! - fault.startS).toBeGreaterThanOrEqual(2.9);
      expect(t.check!.lost, 'accepted orders never terminal').toBe(0);
      expect(t.check!.duplicateEffects).toBe(0);
      expect(fault.cost, 'the fault cost is counted').toBeDefined();
      expect(fault.cost!.lost).toBe(0);
      expect(fault.cost!.orders).toBeGreaterThan(0);
      expect(fault.cost!.endToFirstSuccessS, 'orders complete again after the restart').not.toBeNull();
      // the broker runs again, under a new pid recorded where `bench brokers status` and the sampler find it
      const now = brokerTarget(name, own.settings);
      await brokerAnswers(now, own.settings, 10_000);
      expect(fault.detail).not.toContain(`pid ${now.pid}`);
      console.log(`[${name}] broker restart: ${JSON.stringify({ counts: t.counts, check: { lost: t.check!.lost, duplicates: t.check!.duplicates }, cost: fault.cost, detail: fault.detail })}`);
    }, 300_000);
  }

  it('an interrupted run (SIGINT while the broker is killed) leaves the broker running again, exit 105', async () => {
    const own = owned.get('activemq') ?? (await startOwnBroker('activemq'));
    owned.set('activemq', own);
    const dir = tempRunDir();
    const file = join(dir, 'long-kill.yaml');
    writeFileSync(file, 'name: long-kill\ntransports: [activemq]\nworkload: { rate: 10, warmup: 1s, maxWarmup: 1s, duration: 60s, drain: 2s }\ncalibration: { samples: 0 }\nfaults:\n  - { at: 1s, duration: 60s, action: kill, target: broker }\n');
    const before = brokerTarget('activemq', own.settings).pid;
    const child = spawn(process.execPath, [BIN, 'run', file, '--no-report', '--out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...own.env } });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fault never began: ${stderr}`)), 90_000);
      child.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/fault: kill activemq at/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(105);
    expect(stderr).toMatch(/fault: kill activemq undone/);
    const after = brokerTarget('activemq', own.settings);
    expect(after.pid).not.toBe(before);
    await brokerAnswers(after, own.settings, 30_000);
    const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as Result;
    expect(result.status).toBe('aborted');
    expect(result.transports[0]!.faults[0]!.endS).toBeDefined();
  }, 240_000);
});
