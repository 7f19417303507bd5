import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServiceApp } from '../../adapters/rest/app.js';
import { BenchError, TimeoutError, UnreachableError } from '../../src/contract/errors.js';
import type { Channel, OrderEvent } from '../../src/contract/events.js';
import type { EventHandler, MessagingAdapter, MessagingConnection, MessagingRunSpec } from '../../src/contract/transport.js';
import { nowUs } from '../../src/metrics/clock.js';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { calibrateMessaging, calibrateRest, calibrationOptionsOf, isCalibrationEvent } from '../../src/runtime/calibration.js';
import { defaultMessagingSettings } from '../../src/scenario/schema.js';
import { routeOf } from '../../src/workflow/routing.js';
import { WorkflowService } from '../../src/workflow/service.js';
import { testEndpoints } from '../contract/endpoints.js';
import { scenarioOf } from '../support/scenario.js';

/**
 * The calibration's own logic over an in-process loopback "broker" (the real brokers are in
 * test/integration/calibration.test.ts): what it publishes where, what it records, its bounds.
 */
interface Loopback {
  adapter: MessagingAdapter;
  published: Array<{ channel: Channel; event: OrderEvent }>;
  members: Array<{ channel: Channel; service: string; instance: number }>;
  /** the spec each connection was opened with */
  specs: MessagingRunSpec[];
  /** connections still open */
  open: Set<MessagingConnection>;
}

function loopback(deliver = true): Loopback {
  const published: Loopback['published'] = [];
  const members: Loopback['members'] = [];
  const open = new Set<MessagingConnection>();
  const specs: MessagingRunSpec[] = [];
  const handlers = new Map<Channel, EventHandler>();
  const connect = async (s: MessagingRunSpec): Promise<MessagingConnection> => {
    specs.push(s);
    const conn: MessagingConnection = {
      publish: async (channel, event) => {
        published.push({ channel, event });
        const h = handlers.get(channel);
        if (deliver && h) setImmediate(() => void h(event, { redelivered: false, source: channel }));
      },
      subscribe: async (channel, member, handler) => {
        members.push({ channel, ...member });
        handlers.set(channel, handler);
        return { close: async () => void handlers.delete(channel) };
      },
      onGaveUp: () => undefined,
      close: async () => void open.delete(conn),
    };
    open.add(conn);
    return conn;
  };
  const unused = async (): Promise<never> => {
    throw new Error('not used by the calibration');
  };
  const adapter = { name: 'kafka', connect, describe: unused, provision: unused, deprovision: unused, cleanupStale: unused, backlog: unused, ping: unused } as unknown as MessagingAdapter;
  return { adapter, published, members, specs, open };
}

const spec: MessagingRunSpec = { prefix: 'bench-unit', instancesPerService: 3, settings: defaultMessagingSettings('kafka'), endpoints: testEndpoints({}) };

describe('calibrating a messaging transport', () => {
  it('publishes calibration events on the observer channel only, as its only member, and records each round trip', async () => {
    const lb = loopback();
    // each clock reading 1.5 ms after the one before: publish start → handler entry is 1.5 ms
    let t = 1_700_000_000_000_000;
    const c = await calibrateMessaging(lb.adapter, spec, { samples: 40, ratePerSec: 2_000, warmup: 10, nowUs: () => (t += 1_500) });
    expect(c).toMatchObject({ what: 'publish → consume of one event, same client and settings', samples: 40, ratePerSec: 2_000, p50: 1.5, p99: 1.5 });
    expect(decodeHistogram(c.h).totalCount).toBe(40);
    expect(lb.published).toHaveLength(50);
    expect(new Set(lb.published.map((p) => p.channel))).toEqual(new Set(['observer']));
    expect(lb.published.every((p) => isCalibrationEvent(p.event))).toBe(true);
    expect(new Set(lb.published.map((p) => p.event.orderId)).size).toBe(50);
    expect(lb.members).toEqual([{ channel: 'observer', service: 'observer', instance: 0 }]);
    // the only member of its channel even when the run has several instances per service
    expect(lb.specs.map((s) => s.instancesPerService)).toEqual([1]);
    expect(lb.open.size).toBe(0);
  });

  it('paces the recorded round trips at the rate, one at a time', async () => {
    const lb = loopback();
    const t0 = performance.now();
    await calibrateMessaging(lb.adapter, spec, { samples: 21, ratePerSec: 100, warmup: 0 });
    // 21 round trips at 100/s: the last starts 200 ms after the first
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
  });

  it('a round trip that never comes back fails in one line naming the transport and address, and closes the connection', async () => {
    const lb = loopback(false);
    const err = await calibrateMessaging(lb.adapter, spec, { samples: 5, ratePerSec: 100, warmup: 2, roundTripTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe('kafka calibration at 127.0.0.1:9092: no answer to warm-up round trip 1 of 2 within 100 ms');
    expect(lb.open.size).toBe(0);
  });

  it('the whole calibration is bounded too', async () => {
    const lb = loopback(false);
    const err = await calibrateMessaging(lb.adapter, spec, { samples: 5, ratePerSec: 100, warmup: 0, timeoutMs: 80 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe('kafka calibration at 127.0.0.1:9092: not done within 80 ms (at round trip 1 of 5)');
  });
});

describe('calibrating REST', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('POST /calibrate answers 204 without handling anything; each round trip is recorded', async () => {
    const handled: unknown[] = [];
    const logic = new WorkflowService({ service: 'inventory', instance: 0, rules: { paymentFailureRatio: 0, seed: 1 }, nowUs: () => Date.now() * 1000, sink: { write: (r) => handled.push(r) } });
    const app = buildServiceApp({ logic, route: routeOf, nowUs });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const c = await calibrateRest(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, { samples: 30, ratePerSec: 1_000, warmup: 5 });
    expect(c.what).toBe('POST /calibrate → the service handles it (one way, the answer awaited), same client and settings');
    expect(decodeHistogram(c.h).totalCount).toBe(30);
    expect(c.p50).toBeGreaterThan(0);
    expect(c.p50).toBeLessThanOrEqual(c.p99);
    expect(handled).toEqual([]);
  });

  it('an origin where nothing listens fails in one line naming it', async () => {
    const err = await calibrateRest('http://127.0.0.1:1', { samples: 5, ratePerSec: 100, warmup: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/^rest calibration at 127\.0\.0\.1:1: /);
  });

  it('a service that is not one of ours (no /calibrate) is refused, not measured', async () => {
    const Fastify = (await import('fastify')).default;
    const other = Fastify();
    apps.push(other);
    await other.listen({ host: '127.0.0.1', port: 0 });
    const err = await calibrateRest(`http://127.0.0.1:${(other.server.address() as { port: number }).port}`, { samples: 5, ratePerSec: 100, warmup: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toMatch(/^rest calibration at 127\.0\.0\.1:\d+: POST \/calibrate answered 404, expected 204$/);
  });

  it('a service on another clock is refused: its handling time would not be comparable', async () => {
    const logic = new WorkflowService({ service: 'payment', instance: 0, rules: { paymentFailureRatio: 0, seed: 1 }, nowUs, sink: { write: () => undefined } });
    const app = buildServiceApp({ logic, route: routeOf, nowUs: () => nowUs() - 60_000_000 });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const err = await calibrateRest(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, { samples: 5, ratePerSec: 100, warmup: 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/its clock is not the harness's/);
  });
});

describe('the scenario asks for it', () => {
  it('300 samples at 100/s after 1000 warm-up round trips by default; samples 0 turns it off', () => {
    expect(scenarioOf({}).calibration).toEqual({ samples: 300, rate: 100, warmup: 1_000 });
    expect(calibrationOptionsOf(scenarioOf({}))).toEqual({ samples: 300, ratePerSec: 100, warmup: 1_000 });
    expect(calibrationOptionsOf(scenarioOf({ calibration: { samples: 0 } }))).toBeUndefined();
  });

  it('refuses values out of bounds, saying the range and why', () => {
    expect(() => scenarioOf({ calibration: { samples: 10_001 } })).toThrow(/from 0 to 10000/);
    expect(() => scenarioOf({ calibration: { rate: 0 } })).toThrow(/from 1 to 5000 round trips\/s/);
    expect(() => scenarioOf({ calibration: { warmup: 1.5 } })).toThrow(/whole number/);
    expect(() => scenarioOf({ calibration: { sample: 3 } as never })).toThrow();
  });
});
