import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServiceApp } from '../../adapters/rest/app.js';
import type { EventRecord, OrderRequest, ServiceName } from '../../src/contract/events.js';
import { routeOf } from '../../src/workflow/routing.js';
import { WorkflowService } from '../../src/workflow/service.js';

/** The REST services in this process: downstream ones listen on loopback, the order service is driven with inject(). */
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function logic(service: ServiceName, log: EventRecord[], ratio = 0) {
  return new WorkflowService({ service, instance: 0, rules: { paymentFailureRatio: ratio, seed: 1 }, nowUs: () => Date.now() * 1000, sink: { write: (r) => log.push(r) } });
}

async function listening(service: ServiceName, log: EventRecord[], ratio = 0): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildServiceApp({ logic: logic(service, log, ratio), route: routeOf });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

const order: OrderRequest = { orderId: 'o0000042', customerId: 'neeraj', customerSeq: 1, intendedAtUs: 0, amountCents: 500, sku: 'sku-2', quantity: 1 };

async function orderApp(log: EventRecord[], downstream: Partial<Record<ServiceName, string[]>>, ratio = 0) {
  const app = buildServiceApp({ logic: logic('order', log, ratio), route: routeOf, downstream, requestTimeoutMs: 500 });
  apps.push(app);
  return app;
}

describe('REST service apps', () => {
  it('a downstream service answers POST /events with what it emitted', async () => {
    const log: EventRecord[] = [];
    const inventory = buildServiceApp({ logic: logic('inventory', log), route: routeOf });
    apps.push(inventory);
    const created = (await logic('order', []).startOrder(order)).emitted[1]!;
    const res = await inventory.inject({ method: 'POST', url: '/events', payload: created });
    expect(res.statusCode).toBe(200);
    expect(res.json().emitted.map((e: { type: string }) => e.type)).toEqual(['inventory_initiated']);
    const wrong = await inventory.inject({ method: 'POST', url: '/events', payload: { ...created, eventId: 'o0000042:shipment_completed', type: 'shipment_completed' } });
    expect(wrong.statusCode).toBe(400);
  });

  it('the order service answers only when the order is terminal, after calling each service in turn', async () => {
    const log: EventRecord[] = [];
    const [inv, pay, ship] = await Promise.all([listening('inventory', log), listening('payment', log), listening('shipment', log)]);
    const app = await orderApp(log, { inventory: [inv!.url], payment: [pay!.url], shipment: [ship!.url] });
    const res = await app.inject({ method: 'POST', url: '/orders', payload: order });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ outcome: 'completed', orderId: 'o0000042' });
    const emitted = log.filter((r) => r.role === 'emitted').sort((a, b) => a.seq - b.seq).map((r) => r.type);
    expect(emitted).toEqual(['order_initiated', 'order_created', 'inventory_initiated', 'payment_initiated', 'payment_completed', 'inventory_locked', 'shipment_initiated', 'shipment_completed', 'order_completed']);
  });

  it('payment unreachable: the order service compensates (stock released, order failed) and answers 502', async () => {
    const log: EventRecord[] = [];
    const [inv, pay, ship] = await Promise.all([listening('inventory', log), listening('payment', log), listening('shipment', log)]);
    await pay!.app.close();
    const app = await orderApp(log, { inventory: [inv!.url], payment: [pay!.url], shipment: [ship!.url] });
    const res = await app.inject({ method: 'POST', url: '/orders', payload: order });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: 'DOWNSTREAM_UNREACHABLE', outcome: 'failed', compensated: true });
    const effects = log.filter((r) => r.role === 'handled').map((r) => r.effect);
    expect(effects).toEqual(['stock_reserved', 'stock_released', 'order_failed']);
  });
});
