import { appendFileSync, mkdirSync } from 'node:fs';
import type { EventRecord, EventType, ServiceName } from '../../src/contract/events.js';
import type { CheckResult } from '../../src/result/schema.js';
import { encodeHandling, headerLine } from '../../src/runtime/event-line.js';
import { eventLogPath } from '../../src/runtime/event-log.js';
import { seqOf } from '../../src/workflow/state-machine.js';

/**
 * A run's event logs made up, at 200 orders/s over 50 customers, with known faults in
 * every block of 1000 orders (by the order's number modulo 1000):
 *   7 lost (accepted, nothing delivered after the request), 69 never accepted (the same, not
 *   accepted: nothing beyond the order service, so not stuck),
 *   13 a redelivery (duplicate), 21 an event processed twice (a duplicate and a duplicate effect),
 *   45 a redelivery 45 s after the order finished (beyond the checker's window),
 *   33 an order_created handled after its customer's next one (reordered),
 *   57 a failed payment followed by the happy path (an invalid transition and a compensation error).
 * Every fifth order's payment fails. Inventory and payment run two instances (customers
 * split between them), so the checker reads six logs, in the services' line format and,
 * as services write them, each log's lines in time order (written in large appends: a
 * service's line-at-a-time writes would make the test slow, not different).
 */
export interface SyntheticLog {
  dir: string;
  accepted: Set<string>;
  fromUs: number;
  expected: Omit<CheckResult, 'drained' | 'drainMs' | 'examples'>;
}

const BASE_US = 1_718_000_000_000_000;
const INTERVAL_US = 5_000;
const CUSTOMERS = 50;

interface Handling {
  lineUs: number;
  file: string;
  records: EventRecord[];
}

export function writeSyntheticLog(dir: string, orders: number): SyntheticLog {
  if (orders % 1000 !== 0) throw new Error('orders must be a multiple of 1000');
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, BufferedLog>();
  const fileOf = (service: ServiceName, instance: number): string => {
    const path = eventLogPath(dir, service, instance);
    if (!files.has(path)) files.set(path, new BufferedLog(path, service, instance));
    return path;
  };
  const heap = new MinHeap<Handling>((a, b) => a.lineUs - b.lineUs);
  const flush = (beforeUs: number): void => {
    while (heap.size > 0 && heap.peek()!.lineUs < beforeUs) {
      const h = heap.pop()!;
      files.get(h.file)!.writeAll(h.records);
    }
  };
  const accepted = new Set<string>();

  for (let i = 0; i < orders; i++) {
    const fault = i % 1000;
    const c = i % CUSTOMERS;
    const intendedAtUs = BASE_US + i * INTERVAL_US;
    const order = { orderId: `o${String(i).padStart(7, '0')}`, customerId: `c${String(c).padStart(4, '0')}`, customerSeq: Math.floor(i / CUSTOMERS) + 1, intendedAtUs };
    const record = (service: ServiceName, role: EventRecord['role'], type: EventType, emittedRel: number, atRel: number, emittedBy: ServiceName, extra: Partial<EventRecord> = {}): EventRecord => ({
      eventId: `${order.orderId}:${type}`,
      ...order,
      type,
      seq: seqOf(type),
      emittedAtUs: intendedAtUs + emittedRel,
      emittedBy,
      service,
      instance: service === 'inventory' || service === 'payment' ? c % 2 : 0,
      role,
      atUs: intendedAtUs + atRel,
      ...extra,
    });
    /** one handling: `service` handled `handled` (emitted by its owner at `emittedRel`) at `atRel`, applied `effect`, emitted `emits` */
    const handle = (service: ServiceName, handled: { type: EventType; rel: number; by: ServiceName } | undefined, atRel: number, effect: string | undefined, emits: [EventType, number][]): void => {
      const records: EventRecord[] = [];
      let cause = `request:${order.orderId}`;
      if (handled) {
        const extra: Partial<EventRecord> = effect ? { effect } : { duplicate: true };
        records.push(record(service, 'handled', handled.type, handled.rel, atRel, handled.by, extra));
        cause = `${order.orderId}:${handled.type}`;
      }
      for (const [type, rel] of emits) records.push(record(service, 'emitted', type, rel, rel, service, { cause }));
      const lineUs = Math.max(...records.map((r) => r.atUs));
      heap.push({ lineUs, file: fileOf(service, records[0]!.instance), records });
    };

    if (fault !== 69) accepted.add(order.orderId);
    handle('order', undefined, 100, undefined, [['order_initiated', 100], ['order_created', 110]]);
    if (fault === 7 || fault === 69) {
      flush(intendedAtUs - 60_000_000);
      continue;
    }
    // the reordered order's chain starts after its customer's next order's
    const d = fault === 33 ? CUSTOMERS * INTERVAL_US + 1_000 : 0;
    const fails = i % 5 === 4 || fault === 57;
    handle('inventory', { type: 'order_created', rel: 110, by: 'order' }, d + 1_000, 'stock_reserved', [['inventory_initiated', d + 1_050]]);
    const paid: EventType = fails ? 'payment_failed' : 'payment_completed';
    handle('payment', { type: 'inventory_initiated', rel: d + 1_050, by: 'inventory' }, d + 2_000, fails ? 'payment_declined' : 'payment_charged', [['payment_initiated', d + 2_050], [paid, d + 2_060]]);
    if (fault === 21) {
      handle('payment', { type: 'inventory_initiated', rel: d + 1_050, by: 'inventory' }, d + 2_500, 'payment_charged', [['payment_initiated', d + 2_550], [paid, d + 2_560]]);
    }
    if (fails && fault !== 57) {
      handle('inventory', { type: 'payment_failed', rel: d + 2_060, by: 'payment' }, d + 3_000, 'stock_released', [['inventory_released', d + 3_050]]);
      handle('order', { type: 'inventory_released', rel: d + 3_050, by: 'inventory' }, d + 4_000, 'order_failed', [['order_failed', d + 4_050]]);
    } else {
      handle('inventory', { type: paid, rel: d + 2_060, by: 'payment' }, d + 3_000, 'stock_locked', [['inventory_locked', d + 3_050]]);
      handle('shipment', { type: 'inventory_locked', rel: d + 3_050, by: 'inventory' }, d + 4_000, 'shipment_created', [['shipment_initiated', d + 4_050], ['shipment_completed', d + 4_060]]);
      if (fault === 13) handle('shipment', { type: 'inventory_locked', rel: d + 3_050, by: 'inventory' }, d + 4_500, undefined, []);
      if (fault === 45) handle('shipment', { type: 'inventory_locked', rel: d + 3_050, by: 'inventory' }, d + 45_000_000, undefined, []);
      handle('order', { type: 'shipment_completed', rel: d + 4_060, by: 'shipment' }, d + 5_000, 'order_completed', [['order_completed', d + 5_050]]);
    }
    flush(intendedAtUs - 60_000_000);
  }
  flush(Infinity);
  for (const f of files.values()) f.flush();
  const blocks = orders / 1000;
  return {
    dir,
    accepted,
    fromUs: BASE_US,
    expected: {
      lost: blocks,
      stuck: 0,
      neverAccepted: blocks,
      duplicates: 3 * blocks,
      duplicateEffects: blocks,
      reordered: blocks,
      invalidTransitions: blocks,
      compensationErrors: blocks,
      redeliveries: 2 * blocks,
    },
  };
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** A log written in the services' format, a megabyte at a time. */
class BufferedLog {
  private text: string;
  constructor(
    private readonly path: string,
    service: ServiceName,
    instance: number,
  ) {
    this.text = headerLine(service, instance, BASE_US) + '\n';
  }
  writeAll(records: EventRecord[]): void {
    const line = encodeHandling(records, BASE_US);
    if (!line) throw new Error(`not a compact line: ${JSON.stringify(records)}`);
    this.text += line + '\n';
    if (this.text.length > 1 << 20) this.flush();
  }
  flush(): void {
    appendFileSync(this.path, this.text);
    this.text = '';
  }
}
