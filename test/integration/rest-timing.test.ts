import { unreachableEndpoints } from '../contract/endpoints.js';
import { describe, expect, it } from 'vitest';
import { runTransport } from '../../src/runtime/transport-run.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { withoutDefaultCalibration } from '../support/run.js';
import { scenarioOf, tempRunDir } from '../support/scenario.js';

const endpoints = unreachableEndpoints();
const run = (input: Omit<ScenarioInput, 'name'>) => runTransport({ transport: 'rest', scenario: withoutDefaultCalibration(scenarioOf(input)), runId: 't', runDir: tempRunDir(), endpoints });

describe('REST measurements that have a known answer', () => {
  it('an extra 50 ms on the payment service raises the median end-to-end latency by 50 ms ± 5 ms', async () => {
    const workload = { rate: 20, duration: '4s', warmup: '1s', maxWarmup: '1s' };
    const base = await run({ workload });
    const slowed = await run({ workload, workflow: { serviceDelays: { payment: '50ms' } } });
    const delta = slowed.result.latency.endToEnd.p50 - base.result.latency.endToEnd.p50;
    expect(delta).toBeGreaterThan(45);
    expect(delta).toBeLessThan(55);
  });

  it('a 1 s stall shows in the corrected latency and is hidden from the uncorrected one', async () => {
    // two connections from the driver: during the stall new orders queue in the client
    // instead of going out; their wait counts from the intended start only
    const r = (
      await run({
        workload: { rate: 50, duration: '6s', warmup: '1s', maxWarmup: '1s', timeout: '10s' },
        transport: { rest: { connections: 2 } },
        faults: [{ at: '2s', duration: '1s', action: 'pause', target: 'payment' }],
      })
    ).result;
    expect(r.faults).toHaveLength(1);
    expect(r.counts.completed).toBe(r.counts.attempted);
    expect(r.latency.endToEnd.p99).toBeGreaterThanOrEqual(800);
    expect(r.latency.endToEndUncorrected.p99).toBeLessThan(r.latency.endToEnd.p99 / 2);
  });

  it('a delay fault slows one service for its window only, and is recorded with its times', async () => {
    const r = (
      await run({
        workload: { rate: 20, duration: '6s', warmup: '1s', maxWarmup: '1s' },
        faults: [{ at: '2s', duration: '2s', action: 'delay', target: 'shipment', delay: '100ms' }],
      })
    ).result;
    const f = r.faults[0]!;
    expect(f.action).toBe('delay');
    expect(f.endS! - f.startS).toBeGreaterThan(1.8);
    const inside = r.timeline.filter((p) => p.t > f.startS + 0.5 && p.t <= f.endS!);
    const after = r.timeline.filter((p) => p.t > f.endS! + 1);
    expect(Math.min(...inside.map((p) => p.p50))).toBeGreaterThan(100);
    expect(Math.max(...after.map((p) => p.p50))).toBeLessThan(100);
  });
});
