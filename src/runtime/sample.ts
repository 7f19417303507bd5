import type { EventRecord } from '../contract/events.js';
import type { TransportResult } from '../result/schema.js';
import { routeOf } from '../workflow/routing.js';

/**
 * One order's journey for the report's sequence diagram: the first order of the
 * measured window that reached a terminal state, preferring a completed one.
 */
export function sampleOrder(records: EventRecord[], measureFromUs: number): TransportResult['sample'] {
  const emitted = records.filter((r) => r.role === 'emitted' && r.intendedAtUs >= measureFromUs);
  const terminal =
    emitted.filter((r) => r.type === 'order_completed').sort((a, b) => a.intendedAtUs - b.intendedAtUs)[0] ??
    emitted.filter((r) => r.type === 'order_failed').sort((a, b) => a.intendedAtUs - b.intendedAtUs)[0];
  if (!terminal) return [];
  const seen = new Set<string>();
  return emitted
    .filter((r) => r.orderId === terminal.orderId)
    .sort((a, b) => a.seq - b.seq || a.emittedAtUs - b.emittedAtUs)
    .filter((r) => (seen.has(r.eventId) ? false : (seen.add(r.eventId), true)))
    .map((r) => {
      const to = routeOf(r.type);
      return {
        type: r.type,
        from: r.emittedBy,
        to: to === 'local' ? r.emittedBy : to === 'observer' ? 'client' : to,
        atMs: Math.round((r.emittedAtUs - r.intendedAtUs) / 10) / 100,
      };
    });
}
