import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { childProcesses, runChecked } from '../support/run.js';

/** Network faults through the harness's TCP fault proxy, shortened, over the shared brokers (nothing is killed). */

const skip = process.env.BENCH_SKIP_BROKERS === '1';

describe.skipIf(skip)('network faults', () => {
  it('network-latency over REST: +20 ms one way on every link adds ~10 × 20 ms to an order (5 calls, both ways)', async () => {
    const s = structuredClone(loadScenario('network-latency').scenario);
    s.workload.rate = 10;
    s.workload.warmup = 1000;
    s.workload.duration = 8000;
    s.faults = [{ at: 3000, duration: 4000, action: 'latency', target: 'network', party: 'all', latency: 20 }];
    const { result: t } = await runChecked('rest', s);
    expect(childProcesses()).toEqual([]);
    expect(t.delivery['network.proxy']).toMatch(/driver→order-0 via 127\.0\.0\.1:\d+/);
    expect(t.delivery['network.proxy']).toMatch(/order→payment-0 via 127\.0\.0\.1:\d+/);
    expect(t.delivery['network.proxyIdleOverheadMs'] as number).toBeLessThan(2);
    const fault = t.faults[0]!;
    expect(fault.detail).toMatch(/^all: \+20 ms one way on .*driver→order-0/);
    // orders that ended inside the window crossed 5 proxied calls: 10 one-way legs of +20 ms
    // the first second opens connections: compare with the two before the window
    const outside = t.timeline.filter((p) => p.t >= 2 && p.t <= 3 && p.completed > 0).map((p) => p.p50);
    const inside = t.timeline.filter((p) => p.t >= 5 && p.t <= 7 && p.completed > 0).map((p) => p.p50);
    const added = Math.min(...inside) - Math.max(...outside);
    expect(added, `p50 outside ${outside.join(', ')}; inside ${inside.join(', ')}`).toBeGreaterThan(170);
    expect(Math.min(...inside)).toBeLessThan(Math.max(...outside) + 300);
    expect(t.check!.lost).toBe(0);
  });

  it('network-partition: REST compensates payment timeouts inside the window; ActiveMQ queues, drains and loses nothing', async () => {
    const s = structuredClone(loadScenario('network-partition').scenario);
    s.workload.rate = 15;
    s.workload.warmup = 1000;
    s.workload.duration = 9000;
    s.faults = [{ at: 2000, duration: 3000, action: 'blackhole', target: 'network', party: 'payment' }];
    const rest = (await runChecked('rest', s)).result;
    expect(rest.faults[0]!.detail).toMatch(/^payment: blackhole \(nothing answers\) on order→payment-0$/);
    expect(rest.errorsByCode.DOWNSTREAM_TIMEOUT, JSON.stringify(rest.errorsByCode)).toBeGreaterThan(0);
    expect(rest.check!.compensationErrors).toBe(0);
    const mq = (await runChecked('activemq', s)).result;
    expect(childProcesses()).toEqual([]);
    expect(mq.status, mq.statusDetail).toBe('completed');
    expect(mq.faults[0]!.detail).toMatch(/^payment: blackhole \(nothing answers\) on payment#0→activemq$/);
    expect(mq.check!.lost).toBe(0);
    expect(mq.faults[0]!.cost!.lost).toBe(0);
    expect(mq.figures.peakBacklogInFault, 'payment events queued during the partition').toBeGreaterThan(0);
    expect(mq.faults[0]!.cost!.endToFirstSuccessS).not.toBeNull();
  });
});
