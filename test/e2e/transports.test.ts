import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/contract/events.js';
import { TRANSPORT_NAMES } from '../../src/contract/transport.js';
import { paymentFails } from '../../src/workflow/payment-decision.js';
import { childProcesses, runChecked, shortened } from '../support/run.js';

/**
 * The same workflow, end to end, on every transport over real brokers: every accepted
 * order ends in exactly one terminal state, the right one, each event is applied once,
 * and nothing is left running.
 */
describe.each(TRANSPORT_NAMES)('%s end to end', (transport) => {
  afterEach(() => {
    expect(childProcesses()).toEqual([]);
  });

  // payment failures take both terminal paths (completed, and failed with compensation);
  // the happy path alone runs over every transport in CI's smoke gate
  for (const name of ['order-payment-failures']) {
    it(`${name}: every accepted order reaches exactly one correct terminal state`, async () => {
      const scenario = shortened(name, (s) => {
        s.workload.rate = 30;
        s.workload.warmup = 1000;
        s.workload.duration = 4000;
      });
      const { result, records, accepted } = await runChecked(transport, scenario);
      const c = result.counts;
      expect(result.status).toBe('completed');
      expect(c.attempted).toBe(120);
      expect(c.errors + c.timedOut + c.dropped).toBe(0);
      expect(c.accepted).toBe(120);
      expect(c.completed + c.failed).toBe(120);
      expect(accepted.size).toBe(120);

      const terminals = new Map<string, EventRecord[]>();
      for (const r of records) {
        if (r.role === 'emitted' && (r.type === 'order_completed' || r.type === 'order_failed')) {
          terminals.set(r.orderId, [...(terminals.get(r.orderId) ?? []), r]);
        }
      }
      const { paymentFailureRatio: ratio, seed } = scenario.workflow;
      for (const orderId of accepted) {
        const list = terminals.get(orderId) ?? [];
        expect(list, orderId).toHaveLength(1);
        expect(list[0]!.type, orderId).toBe(paymentFails(orderId, ratio, seed) ? 'order_failed' : 'order_completed');
      }
      const expectedFailed = [...accepted].filter((id) => paymentFails(id, ratio, seed)).length;
      expect(c.failed).toBe(expectedFailed);
      if (ratio > 0) expect(c.failed).toBeGreaterThan(0);

      const check = result.check!;
      expect(check).toMatchObject({ lost: 0, stuck: 0, duplicateEffects: 0, invalidTransitions: 0, compensationErrors: 0 });
      expect(result.latency.endToEnd.count).toBe(120);
      expect(result.latency.acceptance.p50).toBeLessThanOrEqual(result.latency.endToEnd.p50);
      expect(Object.keys(result.delivery).length).toBeGreaterThan(2);
      if (transport !== 'rest') {
        // messaging: accepted as soon as order_created is durably published
        expect(result.latency.acceptance.p50).toBeLessThan(result.latency.endToEnd.p50);
        expect(result.versions.server?.version).toBeTruthy();
      }
    });
  }
});
