import { unreachableEndpoints } from '../contract/endpoints.js';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/contract/events.js';
import { readEventLogs } from '../../src/runtime/event-log.js';
import { runTransport } from '../../src/runtime/transport-run.js';
import { paymentFails } from '../../src/workflow/payment-decision.js';
import { scenarioOf, tempRunDir } from '../support/scenario.js';

const endpoints = unreachableEndpoints();

describe('REST end to end over real service processes', () => {
  it('takes every accepted order to exactly one terminal state, and the counts add up', async () => {
    const scenario = scenarioOf({
      workload: { rate: 40, duration: '3s', warmup: '1s', maxWarmup: '1s' },
      workflow: { paymentFailureRatio: 0.25, seed: 3 },
      customers: { count: 7, names: ['priya', 'neeraj'] },
      // a short floor: the run measures it once its services are up, before the load
      calibration: { samples: 50, warmup: 50 },
    });
    const run = await runTransport({ transport: 'rest', scenario, runId: 't', runDir: tempRunDir(), endpoints });
    const r = run.result;
    const c = r.counts;
    expect(r.status).toBe('completed');
    expect(c.attempted).toBe(120);
    expect(c.attempted).toBe(c.completed + c.failed + c.errors + c.timedOut + c.dropped);
    expect(c.accepted).toBe(c.completed + c.failed);
    expect(c.errors + c.timedOut + c.dropped).toBe(0);
    expect(r.calibration?.samples).toBe(50);
    expect(r.calibration!.p50).toBeGreaterThan(0);
    expect(r.calibration!.p50).toBeLessThan(r.latency.endToEnd.p50);

    // from the services' own records: one terminal event per order, the right one
    const records = readEventLogs(run.eventsDir);
    const terminals = new Map<string, EventRecord[]>();
    for (const rec of records) {
      if (rec.role !== 'emitted' || (rec.type !== 'order_completed' && rec.type !== 'order_failed')) continue;
      terminals.set(rec.orderId, [...(terminals.get(rec.orderId) ?? []), rec]);
    }
    // warm-up orders are recorded too: 40 orders/s × 4 s
    expect(terminals.size).toBe(160);
    for (const [orderId, list] of terminals) {
      expect(list, orderId).toHaveLength(1);
      expect(list[0]!.type).toBe(paymentFails(orderId, 0.25, 3) ? 'order_failed' : 'order_completed');
    }
    const measured = [...terminals.values()].filter((l) => l[0]!.intendedAtUs >= run.measureFromUs);
    expect(measured.filter((l) => l[0]!.type === 'order_failed')).toHaveLength(c.failed);
    expect(c.failed).toBeGreaterThan(0);

    // nine events per completed order, seven per failed one, each recorded once as emitted
    const emittedPerOrder = new Map<string, number>();
    for (const rec of records) if (rec.role === 'emitted') emittedPerOrder.set(rec.orderId, (emittedPerOrder.get(rec.orderId) ?? 0) + 1);
    for (const [orderId, n] of emittedPerOrder) expect(n, orderId).toBe(paymentFails(orderId, 0.25, 3) ? 7 : 9);

    // every hop was measured, and the figures are in milliseconds
    expect(Object.keys(r.latency.hops).length).toBeGreaterThanOrEqual(5);
    expect(r.latency.endToEnd.p50).toBeGreaterThan(0);
    expect(r.latency.endToEnd.p50).toBeLessThan(1000);
    expect(r.timeline.length).toBeGreaterThanOrEqual(3);
    expect(r.versions.clients[0]?.name).toBe('undici');
  });
});
