import { describe, expect, it } from 'vitest';
import { FAILURE_PATH, HAPPY_PATH, type EventRecord, type OrderEvent, type OrderRequest } from '../../src/contract/events.js';
import { paymentFails } from '../../src/workflow/payment-decision.js';
import { routeOf } from '../../src/workflow/routing.js';
import { WorkflowService } from '../../src/workflow/service.js';
import { checkSequence, isAllowedTransition } from '../../src/workflow/state-machine.js';

describe('the workflow state machine', () => {
  it('accepts both paths in full', () => {
    expect(checkSequence(HAPPY_PATH)).toEqual({ invalid: [], terminal: 'order_completed', multipleTerminals: false });
    expect(checkSequence(FAILURE_PATH)).toEqual({ invalid: [], terminal: 'order_failed', multipleTerminals: false });
  });

  it('rejects skipped, swapped and mixed-path transitions', () => {
    expect(checkSequence(['order_initiated', 'inventory_initiated']).invalid).toEqual(['order_initiated→inventory_initiated']);
    expect(isAllowedTransition('payment_failed', 'inventory_locked')).toBe(false);
    expect(isAllowedTransition('payment_initiated', 'payment_failed')).toBe(true);
    const v = checkSequence([...HAPPY_PATH.slice(0, 5), 'inventory_released', 'order_failed']);
    expect(v.invalid).toEqual(['payment_completed→inventory_released']);
  });
});

describe('payment decision', () => {
  it('is deterministic and close to the ratio', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `o${String(i).padStart(7, '0')}`);
    const failing = ids.filter((id) => paymentFails(id, 0.2, 7));
    expect(failing.length / ids.length).toBeGreaterThan(0.18);
    expect(failing.length / ids.length).toBeLessThan(0.22);
    expect(ids.filter((id) => paymentFails(id, 0.2, 7))).toEqual(failing);
    expect(ids.filter((id) => paymentFails(id, 0.2, 8))).not.toEqual(failing);
  });
});

/** The four services in one process, events carried by a plain loop (as a transport would). */
function services(ratio: number) {
  const log: EventRecord[] = [];
  let t = 1_000;
  const make = (service: 'order' | 'inventory' | 'payment' | 'shipment') =>
    new WorkflowService({ service, instance: 0, rules: { paymentFailureRatio: ratio, seed: 1 }, nowUs: () => (t += 10), sink: { write: (r) => log.push(r) } });
  return { log, order: make('order'), inventory: make('inventory'), payment: make('payment'), shipment: make('shipment') };
}

async function carry(s: ReturnType<typeof services>, request: OrderRequest): Promise<string[]> {
  const seen: string[] = [];
  let result = await s.order.startOrder(request);
  for (;;) {
    seen.push(...result.emitted.map((e) => e.type));
    const next = result.emitted.find((e) => routeOf(e.type) !== 'local');
    if (!next) return seen;
    const to = routeOf(next.type);
    if (to === 'observer' || to === 'local') return seen;
    result = await s[to].handle(next);
  }
}

const request: OrderRequest = { orderId: 'o0000001', customerId: 'priya', customerSeq: 1, intendedAtUs: 0, amountCents: 1000, sku: 'sku-1', quantity: 1 };

describe('the four services', () => {
  it('carry the happy path: nine events in order', async () => {
    expect(await carry(services(0), request)).toEqual([...HAPPY_PATH]);
  });

  it('carry the payment failure path with compensation: seven events', async () => {
    expect(await carry(services(1), request)).toEqual([...FAILURE_PATH]);
  });

  it('record every handled and emitted event with order, customer and times', async () => {
    const s = services(0);
    await carry(s, request);
    const emitted = s.log.filter((r) => r.role === 'emitted');
    expect(emitted.map((r) => r.type)).toEqual([...HAPPY_PATH]);
    for (const r of s.log) {
      expect(r.orderId).toBe('o0000001');
      expect(r.customerId).toBe('priya');
      expect(r.atUs).toBeGreaterThan(0);
    }
    expect(s.log.filter((r) => r.role === 'handled').map((r) => r.effect)).toEqual([
      'stock_reserved', 'payment_charged', 'stock_locked', 'shipment_created', 'order_completed',
    ]);
  });

  it('are idempotent: a redelivered event applies no side effect and re-emits the same events', async () => {
    const s = services(0);
    const created = (await s.order.startOrder(request)).emitted[1]!;
    const first = await s.inventory.handle(created);
    const again = await s.inventory.handle(created, true);
    expect(again.duplicate).toBe(true);
    expect(again.emitted.map((e) => e.eventId)).toEqual(first.emitted.map((e) => e.eventId));
    const handled = s.log.filter((r) => r.service === 'inventory' && r.role === 'handled');
    expect(handled.map((r) => [r.effect, r.duplicate])).toEqual([['stock_reserved', undefined], [undefined, true]]);
    expect(s.inventory.stats()).toEqual({ handled: 2, duplicates: 1, redelivered: 1 });
  });

  it('restore what an earlier life processed from its log', async () => {
    const s = services(0);
    const created: OrderEvent = (await s.order.startOrder(request)).emitted[1]!;
    await s.inventory.handle(created);
    const reborn = new WorkflowService({ service: 'inventory', instance: 0, rules: { paymentFailureRatio: 0, seed: 1 }, nowUs: () => 0, sink: { write: () => undefined } });
    reborn.restore(s.log);
    expect((await reborn.handle(created, true)).duplicate).toBe(true);
  });

  it('do serviceWork one piece at a time at exactly 1000 / work per second: late timers do not add up', async () => {
    const worker = new WorkflowService({ service: 'order', instance: 0, rules: { paymentFailureRatio: 0, seed: 1 }, nowUs: () => performance.now() * 1000, sink: { write: () => undefined }, workMs: () => 10 });
    const started = performance.now();
    const ends: number[] = [];
    await Promise.all(Array.from({ length: 50 }, (_, i) => worker.startOrder({ ...request, orderId: `o-${i}` }).then(() => ends.push(performance.now() - started))));
    // 50 pieces of 10 ms: the last ends at 500 ms; with a timer per piece firing ~1 ms late it would be ~550
    expect(Math.max(...ends)).toBeGreaterThanOrEqual(499);
    expect(Math.max(...ends)).toBeLessThan(515);
    // one at a time: the i-th piece ends no sooner than (i + 1) × 10 ms (timers round to whole ms)
    ends.sort((a, b) => a - b);
    for (const [i, end] of ends.entries()) expect(end, `piece ${i}`).toBeGreaterThanOrEqual((i + 1) * 10 - 1.5);
  });

  it('burn serviceCpu on the CPU, blocking the event loop, for each event handled; a duplicate burns none', async () => {
    const s = services(0);
    const created = (await s.order.startOrder(request)).emitted[1]!;
    const busy = new WorkflowService({ service: 'inventory', instance: 0, rules: { paymentFailureRatio: 0, seed: 1 }, nowUs: () => 0, sink: { write: () => undefined }, cpuMs: () => 40 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const before = process.cpuUsage();
    await busy.handle(created);
    const used = process.cpuUsage(before);
    const ticksDuring = ticks;
    clearInterval(timer);
    expect((used.user + used.system) / 1000).toBeGreaterThanOrEqual(40);
    // a spin, not a wait: no 1 ms timer fired while it ran
    expect(ticksDuring).toBeLessThanOrEqual(1);
    const again = process.cpuUsage();
    await busy.handle(created, true);
    const dup = process.cpuUsage(again);
    expect((dup.user + dup.system) / 1000).toBeLessThan(20);
  });
});
