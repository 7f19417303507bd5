import { describe, expect, it } from 'vitest';
import { checkRecords } from '../../src/check/checker.js';
import type { EventRecord } from '../../src/contract/events.js';
import { runTransport } from '../../src/runtime/transport-run.js';
import { testEndpoints } from '../contract/endpoints.js';
import { withoutDefaultCalibration } from '../support/run.js';
import { scenarioOf, tempRunDir } from '../support/scenario.js';

/**
 * The checker is proven against faults injected into the transport layer: the order
 * service's publishing to the inventory channel drops, duplicates or reorders exactly
 * N events, over a real RabbitMQ, and the checker must report exactly N of each.
 */
const scenario = scenarioOf({
  workload: { rate: 25, duration: '3s', warmup: '0s', timeout: '4s', drain: '3s' },
  // bursts of two orders per customer, so each held-back order_created has a successor
  customers: { count: 5, burst: 2 },
  workflow: { paymentFailureRatio: 0.2, seed: 11 },
});

async function runWith(faults: { drop?: number; duplicate?: number; reorder?: number }) {
  const runDir = tempRunDir();
  const run = await runTransport({
    transport: 'rabbitmq',
    scenario: withoutDefaultCalibration(scenario),
    runId: `chk${Math.random().toString(36).slice(2, 7)}`,
    runDir,
    endpoints: testEndpoints(),
    testFaults: { service: 'order', channel: 'inventory', ...faults },
  });
  return run.result.check!;
}

describe('the checker reports exactly the faults injected', () => {
  it('N dropped messages → N lost orders, and nothing else', async () => {
    const c = await runWith({ drop: 3 });
    expect(c.lost).toBe(3);
    expect(c.examples.lost).toHaveLength(3);
    expect(c.duplicates + c.duplicateEffects + c.reordered + c.invalidTransitions + c.compensationErrors + c.stuck).toBe(0);
  });

  it('N duplicated messages → N duplicates, zero duplicate side effects', async () => {
    const c = await runWith({ duplicate: 4 });
    expect(c.duplicates).toBe(4);
    expect(c.duplicateEffects).toBe(0);
    expect(c.lost + c.reordered + c.invalidTransitions + c.compensationErrors).toBe(0);
  });

  it('N reordered messages → N reordered', async () => {
    const c = await runWith({ reorder: 2 });
    expect(c.reordered).toBe(2);
    expect(c.lost + c.duplicates + c.duplicateEffects + c.invalidTransitions).toBe(0);
  });
});

describe('the checker on hand-made records', () => {
  const base = (over: Partial<EventRecord>): EventRecord => ({
    eventId: 'o1:order_created', orderId: 'o1', customerId: 'priya', customerSeq: 1, type: 'order_created', seq: 2,
    intendedAtUs: 0, emittedAtUs: 10, emittedBy: 'order', amountCents: 1, sku: 's', quantity: 1,
    service: 'order', instance: 0, role: 'emitted', atUs: 10, ...over,
  });
  const emitted = (orderId: string, types: EventRecord['type'][]): EventRecord[] =>
    types.map((type, i) => base({ orderId, eventId: `${orderId}:${type}`, type, emittedAtUs: 100 + i, atUs: 100 + i }));

  it('counts compensation errors and invalid transitions', () => {
    const records = [
      // payment failed but the order completed
      ...emitted('o1', ['order_initiated', 'order_created', 'inventory_initiated', 'payment_initiated', 'payment_failed', 'inventory_locked', 'shipment_initiated', 'shipment_completed', 'order_completed']),
      // a correct failure path
      ...emitted('o2', ['order_initiated', 'order_created', 'inventory_initiated', 'payment_initiated', 'payment_failed', 'inventory_released', 'order_failed']),
    ];
    const c = checkRecords({ records, accepted: new Set(['o1', 'o2']), drained: true, drainMs: 0 });
    expect(c.compensationErrors).toBe(1);
    expect(c.examples.compensationErrors).toEqual(['o1']);
    expect(c.invalidTransitions).toBe(1);
    expect(c.lost).toBe(0);
  });

  it('counts a side effect applied twice', () => {
    const handled = base({ role: 'handled', service: 'inventory', effect: 'stock_reserved' });
    const c = checkRecords({ records: [handled, { ...handled, atUs: 20 }], accepted: new Set(), drained: true, drainMs: 0 });
    expect(c.duplicateEffects).toBe(1);
    expect(c.duplicates).toBe(1);
  });
});
