import type { EventRecord, EventType, ServiceName } from '../contract/events.js';
import type { CheckResult } from '../result/schema.js';
import { checkSequence, isTerminal, seqOf } from '../workflow/state-machine.js';
import { addDelivery, addEffect, charged, ClosedOrders, type OrderBits, type OrderSummary } from './closed-orders.js';
import { CustomerStreams } from './customer-streams.js';

export interface CheckInput {
  /** every record of every service of one transport's run */
  records: Iterable<EventRecord>;
  /** orders the order service accepted (2xx seen by the driver) */
  accepted: ReadonlySet<string>;
  /** only orders whose intended start is at or after this count (the warm-up is excluded); epoch µs */
  fromUs?: number;
  drained: boolean;
  drainMs: number;
  /** example order ids kept per non-zero count */
  examples?: number;
}

export interface CheckerOptions {
  accepted: ReadonlySet<string>;
  fromUs?: number;
  examples?: number;
  /**
   * How far behind the logs' read position an order that finished, or an event that
   * was handled, is judged and let go (µs; default 30 s). Exact as long as no
   * service writes a handling's line more than this after the handling began.
   */
  windowUs?: number;
  /** each order as it is judged the first time, with its emitted events (the sample) */
  onOrder?: (order: JudgedOrder) => void;
}

/** One emission of an order's event, the earliest of its id. */
export interface Emission {
  /** `<orderId>:<type>` unless set */
  eventId?: string;
  type: EventType;
  seq: number;
  emittedAtUs: number;
  emittedBy: ServiceName;
}

export interface JudgedOrder {
  orderId: string;
  intendedAtUs: number;
  emitted: Emission[];
}

/** An order being read: few objects, as thousands are held at once. */
interface OpenOrder extends OrderBits {
  id: string;
  intendedAtUs: number;
  /** the earliest emission of each event id */
  emitted: Emission[];
  /** latest log time of a line about this order */
  lastUs: number;
  queued: boolean;
  /** what an earlier judgement counted, when a late record reopened the order */
  counted?: { invalid: number; compensation: boolean };
}

const DEFAULT_WINDOW_US = 10_000_000;

/**
 * Checks what the services recorded against the workflow, one record at a time:
 *  - lost: accepted, with no terminal event;
 *  - stuck: started (order_initiated recorded) but never accepted, and not terminal;
 *  - duplicates: extra deliveries of an event to a service (same event id handled again);
 *  - duplicateEffects: a side effect applied more than once (must be zero);
 *  - reordered: per service and customer, an event handled after one that its emitter
 *    emitted later (counted once per late event);
 *  - invalidTransitions: transitions of an order's events not allowed by the state machine
 *    (the REST orchestrator's compensation, payment_failed without payment_initiated, is allowed);
 *  - compensationErrors: payment_failed without inventory_released, order_completed
 *    after payment_failed, or a payment charged for an order that failed (a saga that
 *    compensated a payment call which in fact went through).
 *
 * Memory: records read in log-time order (`advance` tells how far the logs have been
 * read) let an order go once it is terminal and a window has passed with nothing new
 * about it; a let-go order keeps 20 bytes (src/check/closed-orders.ts), so that a
 * redelivery long after still counts exactly. What stays whole is the window's
 * orders and events and every order that never finished.
 */
export class OrderChecker {
  private readonly fromUs: number;
  private readonly keep: number;
  private readonly windowUs: number;
  private readonly open = new Map<string, OpenOrder>();
  private readonly closed = new ClosedOrders<OpenOrder>();
  private queue: OpenOrder[] = [];
  private head = 0;
  private readonly streams: CustomerStreams;
  private readonly examples: Record<string, string[]> = {};
  private duplicates = 0;
  private duplicateEffects = 0;
  private redeliveries = 0;
  private invalidTransitions = 0;
  private compensationErrors = 0;

  constructor(private readonly opts: CheckerOptions) {
    this.fromUs = opts.fromUs ?? 0;
    this.keep = opts.examples ?? 5;
    this.windowUs = opts.windowUs ?? DEFAULT_WINDOW_US;
    this.streams = new CustomerStreams((id) => this.note('reordered', id));
  }

  /** One record; `lineUs` is the log time of the line it came from. */
  add(r: EventRecord, lineUs = r.atUs): void {
    if (r.intendedAtUs < this.fromUs) return;
    const t = this.orderOf(r, lineUs);
    if (lineUs > t.lastUs) t.lastUs = lineUs;
    const regularId = r.eventId === `${r.orderId}:${r.type}`;
    if (r.role === 'emitted') {
      const k = t.emitted.findIndex((e) => (e.eventId === undefined ? regularId && e.type === r.type : e.eventId === r.eventId));
      // the earliest emission of an event stands for it (a second one is a duplicate effect, counted where it was handled)
      if (k < 0 || r.emittedAtUs < t.emitted[k]!.emittedAtUs) {
        const e: Emission = { type: r.type, seq: r.seq, emittedAtUs: r.emittedAtUs, emittedBy: r.emittedBy };
        if (!regularId) e.eventId = r.eventId;
        if (k < 0) t.emitted.push(e);
        else t.emitted[k] = e;
      }
      if (isTerminal(r.type) && !t.queued) {
        t.queued = true;
        this.queue.push(t);
      }
      return;
    }
    if (!addDelivery(t, r.service, r.type, regularId, r.eventId)) {
      this.duplicates++;
      this.note('duplicates', r.orderId);
    }
    if (r.duplicate) this.redeliveries++;
    if (r.effect && !addEffect(t, r.service, r.effect)) {
      this.duplicateEffects++;
      this.note('duplicateEffects', r.orderId);
    }
    if (!r.duplicate) this.streams.add(r.service, r.customerId, r.emittedBy, r.atUs, r.emittedAtUs, r.orderId);
  }

  /** The logs have been read up to `readUs` (log time): judge and let go of what is a window behind. */
  advance(readUs: number): void {
    const untilUs = readUs - this.windowUs;
    this.streams.judge(untilUs);
    while (this.head < this.queue.length) {
      const t = this.queue[this.head]!;
      if (t.lastUs >= untilUs) break;
      this.head++;
      t.queued = false;
      if (this.open.get(t.id) === t) this.close(t);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Orders read and not let go of yet, and events waiting for the ordering check: what the checker holds whole. */
  get holding(): { orders: number; events: number; closed: number } {
    return { orders: this.open.size, events: this.streams.waiting, closed: this.closed.size };
  }

  finish(drained: boolean, drainMs: number): CheckResult {
    this.streams.judge();
    const accepted = this.opts.accepted;
    let stuck = 0;
    for (const t of this.open.values()) {
      const first = !t.counted;
      this.judge(t);
      if (first) this.opts.onOrder?.(judgedOrder(t));
      if (this.started(t) && !this.terminal(t) && !accepted.has(t.id)) {
        stuck++;
        this.note('stuck', t.id);
      }
    }
    let lost = 0;
    for (const id of accepted) {
      const t = this.open.get(id);
      if (t ? !this.terminal(t) : !this.closed.has(id)) {
        lost++;
        this.note('lost', id);
      }
    }
    return {
      drained,
      drainMs: Math.round(drainMs),
      lost,
      stuck,
      duplicates: this.duplicates,
      duplicateEffects: this.duplicateEffects,
      reordered: this.streams.reordered,
      invalidTransitions: this.invalidTransitions,
      compensationErrors: this.compensationErrors,
      redeliveries: this.redeliveries,
      examples: this.examples,
    };
  }

  private orderOf(r: EventRecord, lineUs: number): OpenOrder {
    const t = this.open.get(r.orderId);
    if (t) return t;
    const back = this.closed.take(r.orderId);
    let order: OpenOrder;
    if (back && 'whole' in back) order = back.whole;
    else if (back) order = reopened(r.orderId, back.summary, lineUs);
    else order = { id: r.orderId, intendedAtUs: r.intendedAtUs, emitted: [], deliveredLo: 0, deliveredHi: 0, effectBits: 0, lastUs: lineUs, queued: false };
    if (back && this.terminal(order) && !order.queued) {
      order.queued = true;
      this.queue.push(order);
    }
    this.open.set(r.orderId, order);
    return order;
  }

  private close(t: OpenOrder): void {
    const first = !t.counted;
    const sequence = this.judge(t);
    if (first) this.opts.onOrder?.(judgedOrder(t));
    const counted = t.counted!;
    this.open.delete(t.id);
    const summary: OrderSummary = { sequence, deliveredLo: t.deliveredLo, deliveredHi: t.deliveredHi, effectBits: t.effectBits, invalid: counted.invalid, compensation: counted.compensation };
    if (t.odd) summary.odd = t.odd;
    this.closed.add(t.id, summary, t);
  }

  /** Judges an order's sequence, counting what changed since it was last judged; returns the sequence judged. */
  private judge(t: OpenOrder): OrderSummary['sequence'] {
    const ordered = [...t.emitted].sort((a, b) => a.emittedAtUs - b.emittedAtUs || a.seq - b.seq);
    const sequence = ordered.map((r) => r.type);
    const complete = this.terminal(t);
    // the orchestrator's compensation (payment unreachable → payment_failed emitted by the
    // order service) skips payment_initiated by design: judge it as if payment had begun
    const judged = ordered.flatMap((r) =>
      r.type === 'payment_failed' && r.emittedBy === 'order' && !sequence.includes('payment_initiated') ? (['payment_initiated', r.type] as const) : [r.type],
    );
    // an unfinished order is judged on what it did, not on what it did not get to do
    const verdict = checkSequence(judged);
    const invalid = verdict.invalid.length + (verdict.multipleTerminals ? 1 : 0);
    const types = new Set(sequence);
    const chargedButFailed = charged(t) && types.has('order_failed');
    const compensation = chargedButFailed || (types.has('payment_failed') && ((complete && !types.has('inventory_released')) || types.has('order_completed')));
    const before = t.counted ?? { invalid: 0, compensation: false };
    this.invalidTransitions += invalid - before.invalid;
    this.compensationErrors += Number(compensation) - Number(before.compensation);
    if (invalid > 0) this.note('invalidTransitions', t.id);
    if (compensation) this.note('compensationErrors', t.id);
    t.counted = { invalid, compensation };
    return ordered.map(({ type, emittedBy }) => ({ type, emittedBy }));
  }

  private terminal(t: OpenOrder): boolean {
    for (const e of t.emitted) if (isTerminal(e.type)) return true;
    return false;
  }

  private started(t: OpenOrder): boolean {
    for (const e of t.emitted) if (e.type === 'order_initiated') return true;
    return false;
  }

  private note(kind: string, orderId: string): void {
    const list = (this.examples[kind] ??= []);
    if (list.length < this.keep && !list.includes(orderId)) list.push(orderId);
  }
}

/** A let-go order back from its summary; its emissions keep their order, before any real time. */
function reopened(id: string, s: OrderSummary, lineUs: number): OpenOrder {
  const emitted = s.sequence.map(({ type, emittedBy }, k): Emission => ({ type, seq: seqOf(type), emittedAtUs: Number.MIN_SAFE_INTEGER + k, emittedBy }));
  return {
    id,
    intendedAtUs: Number.NaN,
    emitted,
    deliveredLo: s.deliveredLo,
    deliveredHi: s.deliveredHi,
    effectBits: s.effectBits,
    lastUs: lineUs,
    queued: false,
    counted: { invalid: s.invalid, compensation: s.compensation },
  };
}

function judgedOrder(t: OpenOrder): JudgedOrder {
  return { orderId: t.id, intendedAtUs: t.intendedAtUs, emitted: t.emitted };
}

/** Checks a set of records held in memory (tests, small runs); a run's logs are checked with checkEventLogs. */
export function checkRecords(input: CheckInput): CheckResult {
  const opts: CheckerOptions = { accepted: input.accepted };
  if (input.fromUs !== undefined) opts.fromUs = input.fromUs;
  if (input.examples !== undefined) opts.examples = input.examples;
  const checker = new OrderChecker(opts);
  for (const r of input.records) checker.add(r);
  return checker.finish(input.drained, input.drainMs);
}
