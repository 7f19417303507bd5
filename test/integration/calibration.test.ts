/**
 * The calibrated floor on real brokers (and a real REST service process): each transport's
 * raw round trip is measured on a run's provisioned objects, within a bound a loaded
 * machine keeps, and nothing of it reaches the run's services or is left for its observer.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type OrderEvent } from '../../src/contract/events.js';
import type { MessagingRunSpec, MessagingTransportName } from '../../src/contract/transport.js';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import type { Calibration } from '../../src/result/schema.js';
import { loadMessagingAdapter } from '../../src/runtime/adapters.js';
import { calibrateMessaging, calibrateRest } from '../../src/runtime/calibration.js';
import { ServiceProcess } from '../../src/runtime/service-process.js';
import { defaultMessagingSettings } from '../../src/scenario/schema.js';
import { testEndpoints } from '../contract/endpoints.js';
import { tempRunDir } from '../support/scenario.js';

const OPTS = { samples: 100, ratePerSec: 200, warmup: 100 };
const MESSAGING: MessagingTransportName[] = ['kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mqtt'];
/** how long the run's observer is given to receive anything calibration left behind */
const LEFTOVER_WAIT_MS = 700;

function expectFloor(c: Calibration): void {
  expect(c.samples).toBe(100);
  expect(decodeHistogram(c.h).totalCount).toBe(100);
  expect(c.ratePerSec).toBe(200);
  expect(c.p50).toBeGreaterThan(0);
  expect(c.p50).toBeLessThanOrEqual(c.p99);
  expect(c.p99).toBeLessThan(100);
}

describe('calibrated floors', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('rest: POST /calibrate on a service process of the run, which handles nothing', async () => {
    const dir = tempRunDir();
    dirs.push(dir);
    const p = new ServiceProcess({ transport: 'rest', service: 'inventory', instance: 0, eventsDir: dir, rules: { paymentFailureRatio: 0, seed: 1 }, delayMs: 0, workMs: 0 }, join(dir, 'inventory.log'));
    await p.start();
    try {
      const c = await calibrateRest(`http://127.0.0.1:${p.port}`, { ...OPTS, connections: 16 });
      expectFloor(c);
      const [stats] = await p.stats();
      expect(stats?.handled).toBe(0);
    } finally {
      await p.stop();
    }
  });

  for (const transport of MESSAGING) {
    it(`${transport}: publish → consume on the observer channel; no service sees it, the run's observer finds nothing left`, async () => {
      const adapter = await loadMessagingAdapter(transport);
      const spec: MessagingRunSpec = {
        prefix: `bench-cal${randomBytes(3).toString('hex')}-${transport}`,
        instancesPerService: 2,
        settings: defaultMessagingSettings(transport),
        endpoints: testEndpoints(),
      };
      await adapter.provision(spec);
      const services = await adapter.connect(spec, `${spec.prefix}-services`);
      try {
        // the run's services, subscribed as they are during a run
        const seenByServices: OrderEvent[] = [];
        const subs = await Promise.all(SERVICE_NAMES.map((s) => services.subscribe(s, { service: s, instance: 0 }, async (e) => void seenByServices.push(e))));
        const c = await calibrateMessaging(adapter, spec, OPTS);
        expectFloor(c);
        // the run's observer subscribes after the calibration: nothing may be waiting for it
        const leftForObserver: OrderEvent[] = [];
        subs.push(await services.subscribe('observer', { service: 'observer', instance: 0 }, async (e) => void leftForObserver.push(e)));
        await new Promise((r) => setTimeout(r, LEFTOVER_WAIT_MS));
        expect(seenByServices).toEqual([]);
        expect(leftForObserver).toEqual([]);
        await Promise.all(subs.map((s) => s.close()));
      } finally {
        await services.close();
        await adapter.deprovision(spec);
      }
    });
  }
});
