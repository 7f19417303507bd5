import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/contract/events.js';
import { EventTail } from '../../src/live/event-tail.js';
import { EventLogFile, eventLogPath } from '../../src/runtime/event-log.js';
import { tempRunDir } from '../support/scenario.js';

/** The live lane follows the services' own event logs as they grow, in the format they write. */

function record(orderId: string, type: EventRecord['type'], seq: number, atUs: number): EventRecord {
  return {
    eventId: `${orderId}-${seq}`,
    orderId,
    customerId: 'priya',
    customerSeq: 1,
    type,
    seq,
    intendedAtUs: 1_700_000_000_000_000,
    emittedAtUs: atUs,
    emittedBy: 'order',
    service: 'order',
    instance: 0,
    role: 'emitted',
    atUs,
  } as EventRecord;
}

describe('EventTail', () => {
  it('returns what was appended since the last read, in the writer’s format', () => {
    const dir = join(tempRunDir(), 'events');
    mkdirSync(dir, { recursive: true });
    const log = new EventLogFile(eventLogPath(dir, 'order', 0));
    const tail = new EventTail(dir);
    const t0 = 1_700_000_000_000_000;
    log.writeAll([record('o-1', 'order_initiated', 1, t0 + 10), record('o-1', 'order_created', 2, t0 + 20)]);
    const first = tail.read();
    expect(first.map((r) => [r.orderId, r.type])).toEqual([
      ['o-1', 'order_initiated'],
      ['o-1', 'order_created'],
    ]);
    expect(tail.read()).toEqual([]);
    log.writeAll([record('o-2', 'order_initiated', 1, t0 + 30)]);
    expect(tail.read().map((r) => r.orderId)).toEqual(['o-2']);
    log.close();
  });
});
