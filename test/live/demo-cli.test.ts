import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../../src/demo/steps.js';
import { loadScenario } from '../../src/scenario/load.js';

const BIN = join(process.cwd(), 'bin/bench.js');
const bench = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('bench demo', () => {
  it('--list names every step with its scenario and transports', () => {
    const r = bench('demo', '--list');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(DEMO_STEPS.length);
    expect(lines[0]).toMatch(/^1\. happy-path +One order, nine events/);
    expect(r.stdout).toContain('payment-outage');
  });

  it('an unknown step: exit 104 and one line naming the steps', () => {
    const r = bench('demo', 'no-such-step');
    expect(r.status).toBe(104);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown step "no-such-step"; expected one of happy-path, sequential, payment-outage, slow-consumer');
  });

  it('every step shortens a shipped scenario to about a minute and keeps its point', () => {
    for (const step of DEMO_STEPS) {
      const s = structuredClone(loadScenario(step.scenario).scenario);
      step.shorten(s);
      const steps = Math.max(1, s.steps.length);
      expect(((s.workload.warmup + s.workload.duration) * steps * step.transports.length) / 1000, step.name).toBeLessThan(70);
      expect(step.watch.length, step.name).toBeGreaterThanOrEqual(2);
    }
    const outage = structuredClone(loadScenario('payment-outage').scenario);
    DEMO_STEPS.find((s) => s.name === 'payment-outage')!.shorten(outage);
    expect(outage.faults[0]).toMatchObject({ action: 'kill', target: 'payment', at: 4000, duration: 6000 });
    expect(outage.faults[0]!.at + outage.faults[0]!.duration).toBeLessThan(outage.workload.duration);
  });
});
