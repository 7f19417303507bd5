import { describe, expect, it } from 'vitest';
import { checkRecords } from '../../src/check/checker.js';
import { faultCostFigures, faultCosts, startToRecovered } from '../../src/check/fault-cost.js';
import type { EventRecord, EventType, ServiceName } from '../../src/contract/events.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/metrics/histogram.js';
import type { TransportResult } from '../../src/result/schema.js';

const ORIGIN_US = 1_000_000_000;

function rec(orderId: string, intendedS: number, type: EventType, service: ServiceName, role: 'handled' | 'emitted', n = 1): EventRecord {
  const us = ORIGIN_US + intendedS * 1e6;
  return {
    eventId: `${orderId}:${type}`, orderId, customerId: `c-${orderId}`, customerSeq: 1, type, seq: n, intendedAtUs: us, emittedAtUs: us + n,
    emittedBy: service, amountCents: 1, sku: 's', quantity: 1, service, instance: 0, role, atUs: us + n + 1,
  };
}

/** An order that completed: emitted by order, handled downstream, terminal. */
function completed(orderId: string, intendedS: number): EventRecord[] {
  return [
    rec(orderId, intendedS, 'order_initiated', 'order', 'emitted', 1),
    rec(orderId, intendedS, 'order_created', 'order', 'emitted', 2),
    rec(orderId, intendedS, 'order_created', 'inventory', 'handled', 2),
    rec(orderId, intendedS, 'order_completed', 'order', 'emitted', 9),
  ];
}

function second(t: number, fields: Partial<TransportResult['timeline'][number]> = {}, latenciesMs: number[] = []): TransportResult['timeline'][number] {
  const h = createHistogram();
  for (const ms of latenciesMs) recordUs(h, ms * 1000);
  return { t, attempted: 10, accepted: 10, completed: 10, failed: 0, errors: 0, dropped: 0, timedOut: 0, inFlight: 0, p50: 0, p90: 0, p99: 0, max: 0, acceptanceP99: 0, h: latenciesMs.length ? encodeHistogram(h) : '', ...fields };
}

describe('checker: an order never accepted', () => {
  it('is not stuck when it never left the order service (its publish failed): counted as neverAccepted', () => {
    const records = [
      rec('o1', 1, 'order_initiated', 'order', 'emitted'), // publish of order_created failed: nothing else
      rec('o2', 1, 'order_initiated', 'order', 'emitted'),
      rec('o2', 1, 'order_created', 'order', 'emitted', 2),
      rec('o2', 1, 'order_created', 'inventory', 'handled', 2), // went on downstream, never terminal: stuck
    ];
    const c = checkRecords({ records, accepted: new Set(), drained: true, drainMs: 0 });
    expect(c.stuck).toBe(1);
    expect(c.examples.stuck).toEqual(['o2']);
    expect(c.neverAccepted).toBe(1);
    expect(c.lost).toBe(0);
  });
});

describe('fault costs', () => {
  it('counts lost, duplicates, errors, p99 and recovery times of the orders one fault could touch', () => {
    // a broker fault from 10 s to 14 s; orders time out after 2 s, so orders intended from 8 s to 14 s count
    const records = [
      ...completed('before', 5), // long before: not counted
      ...completed('inflight', 9),
      ...completed('during', 12),
      rec('lostone', 11, 'order_initiated', 'order', 'emitted'),
      rec('lostone', 11, 'order_created', 'order', 'emitted', 2),
      rec('during', 12, 'order_created', 'inventory', 'handled', 2), // delivered twice
      ...completed('after', 20),
    ];
    const accepted = new Map<string, number>(
      [['before', 5], ['inflight', 9], ['during', 12], ['lostone', 11], ['after', 20]].map(([id, s]) => [id as string, ORIGIN_US + (s as number) * 1e6]),
    );
    const timeline = [
      ...Array.from({ length: 10 }, (_, i) => second(i + 1, {}, [5])),
      second(11, { completed: 0, errors: 3 }, []),
      second(12, { completed: 0, timedOut: 2 }, [900]),
      second(13, { completed: 0 }, []),
      second(14, { completed: 0 }, []),
      second(15, { completed: 0 }, []),
      second(16, {}, [2000]),
    ];
    const backlog = [10, 14, 15, 16, 17].map((t, i) => ({ t, name: 'q', channel: 'inventory', depth: [0, 40, 20, 5, 0][i]! }));
    const result = { faults: [{ action: 'kill', target: 'broker', broker: 'rabbitmq', startS: 10, endS: 14 }], timeline, backlog } as unknown as TransportResult;
    faultCosts({ faults: result.faults, timeline, backlog, records, accepted, originUs: ORIGIN_US, timeoutMs: 2000 });
    expect(result.faults[0]!.cost).toEqual({
      orders: 3,
      lost: 1,
      duplicates: 1,
      reordered: 0,
      errors: 3,
      timedOut: 2,
      p99InWindowMs: expect.closeTo(900, 0) as unknown as number,
      endToFirstSuccessS: 1.5,
      startToRecoveredS: 5.5,
      endToDrainedS: 3,
    });
    expect(faultCostFigures(result.faults)).toMatchObject({ lostInFault: 1, duplicatesInFault: 1, errorsAndTimeoutsInFault: 5, startToRecoveredS: 5.5 });
  });
});

describe('how long the outage lasted (start → back to half the rate)', () => {
  const run = (completed: number[]) => completed.map((n, i) => second(i + 1, { completed: n }));
  it('ends inside the window when the system recovered while the fault went on (failover)', () => {
    // 50/s before; the fault begins at 5 s and lasts 20 s; nothing completes for 11 s, then a catch-up
    expect(startToRecovered(run([50, 50, 50, 50, 50, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 140, 60, 50, 50]), 5)).toBe(11.5);
  });
  it('is 0 when completions never fell below half, null when they never came back', () => {
    expect(startToRecovered(run([50, 50, 50, 50, 50, 30, 40, 50]), 5)).toBe(0);
    expect(startToRecovered(run([50, 50, 50, 50, 50, 0, 0, 0]), 5)).toBeNull();
    expect(startToRecovered(run([50, 50, 0, 0]), 2), 'fewer than 3 seconds before the fault').toBeNull();
  });
});
