import type { EventRecord, EventType, OrderEvent, OrderRequest, ServiceName } from '../contract/events.js';
import type { HandleResult, ServiceLogic } from '../contract/transport.js';
import { paymentFails } from './payment-decision.js';
import { hopName } from './routing.js';
import { seqOf } from './state-machine.js';

/** The business settings every transport shares (from the scenario). */
export interface WorkflowRules {
  /** share of orders whose payment fails, 0..1 */
  paymentFailureRatio: number;
  /** seed of the deterministic payment decision */
  seed: number;
}

/** Where a service writes the events it handles and emits. */
export interface EventSink {
  write(record: EventRecord): void;
  /** one handling's records at once (the handled event first, then what it emitted), when the sink can keep them together */
  writeAll?(records: readonly EventRecord[]): void;
}

/** What one processed event (or request) emitted: enough to emit the same events again from a redelivery. */
interface Emitted {
  type: EventType;
  emittedAtUs: number;
}

export interface ServiceOptions {
  service: ServiceName;
  instance: number;
  rules: WorkflowRules;
  /** epoch microseconds */
  nowUs: () => number;
  sink: EventSink;
  /** extra delay before reacting to each event or request, in ms (read on every call, so a fault can change it) */
  delayMs?: () => number;
  /** work per event or request, in ms: done one at a time, so it caps this instance's capacity */
  workMs?: () => number;
  /** busy CPU per event or request, in ms: spun on this process's CPU, not waited for */
  cpuMs?: () => number;
  /** called with each handled event's hop latency (emitted → handled), in microseconds */
  onHop?: (hop: string, latencyUs: number, event: OrderEvent) => void;
}

export type { HandleResult };

/** What one service does when an event reaches it: a side effect and the events it emits. */
interface Reaction {
  effect: string;
  emits: EventType[];
}

/** The workflow's business rules, written once for every transport. */
function react(service: ServiceName, event: OrderEvent, rules: WorkflowRules): Reaction | undefined {
  switch (`${service}:${event.type}`) {
    case 'inventory:order_created':
      return { effect: 'stock_reserved', emits: ['inventory_initiated'] };
    case 'payment:inventory_initiated':
      return paymentFails(event.orderId, rules.paymentFailureRatio, rules.seed)
        ? { effect: 'payment_declined', emits: ['payment_initiated', 'payment_failed'] }
        : { effect: 'payment_charged', emits: ['payment_initiated', 'payment_completed'] };
    case 'inventory:payment_completed':
      return { effect: 'stock_locked', emits: ['inventory_locked'] };
    case 'inventory:payment_failed':
      return { effect: 'stock_released', emits: ['inventory_released'] };
    case 'shipment:inventory_locked':
      return { effect: 'shipment_created', emits: ['shipment_initiated', 'shipment_completed'] };
    case 'order:shipment_completed':
      return { effect: 'order_completed', emits: ['order_completed'] };
    case 'order:inventory_released':
      return { effect: 'order_failed', emits: ['order_failed'] };
    default:
      return undefined;
  }
}

export class UnexpectedEventError extends Error {
  constructor(service: ServiceName, type: EventType) {
    super(`service ${service} does not react to ${type}`);
    this.name = 'UnexpectedEventError';
  }
}

/**
 * One instance of one service. Idempotent: an event it has processed before is
 * recorded as a duplicate, applies no side effect, and yields the same emitted
 * events again (same ids) so that a crash between effect and publish loses nothing.
 */
export class WorkflowService implements ServiceLogic {
  readonly service: ServiceName;
  readonly instance: number;
  private readonly opts: ServiceOptions;
  /**
   * processed event id (or `request:<orderId>`) → what it emitted, as types and times:
   * a redelivery carries the rest, so the events are rebuilt from it rather than kept
   */
  private readonly processed = new Map<string, Emitted[]>();
  private handledCount = 0;
  private duplicateCount = 0;
  private redeliveredCount = 0;

  constructor(opts: ServiceOptions) {
    this.opts = opts;
    this.service = opts.service;
    this.instance = opts.instance;
  }

  /** The order service's entry: a new order becomes order_initiated and order_created. */
  async startOrder(request: OrderRequest): Promise<HandleResult> {
    if (this.service !== 'order') throw new Error(`startOrder called on service ${this.service}`);
    const key = `request:${request.orderId}`;
    const seen = this.processed.get(key);
    if (seen) {
      this.duplicateCount++;
      return { emitted: this.rebuild(request, seen), duplicate: true };
    }
    await this.delay();
    const records: EventRecord[] = [];
    const emitted = [this.emit(request, 'order_initiated', key, records), this.emit(request, 'order_created', key, records)];
    this.write(records);
    this.remember(key, emitted);
    return { emitted, duplicate: false };
  }

  /** Reacts to one event; `redelivered` is the transport's own flag, counted separately. */
  async handle(event: OrderEvent, redelivered = false): Promise<HandleResult> {
    const atUs = this.opts.nowUs();
    this.handledCount++;
    if (redelivered) this.redeliveredCount++;
    this.opts.onHop?.(hopName(event.type), atUs - event.emittedAtUs, event);
    const seen = this.processed.get(event.eventId);
    if (seen) {
      this.duplicateCount++;
      this.write([this.recordOf(event, 'handled', atUs, { duplicate: true })]);
      return { emitted: this.rebuild(event, seen), duplicate: true };
    }
    const reaction = react(this.service, event, this.opts.rules);
    if (!reaction) throw new UnexpectedEventError(this.service, event.type);
    await this.delay();
    const records = [this.recordOf(event, 'handled', atUs, { effect: reaction.effect })];
    const emitted = reaction.emits.map((type) => this.emit(event, type, event.eventId, records));
    this.write(records);
    this.remember(event.eventId, emitted);
    return { emitted, duplicate: false };
  }

  /**
   * The orchestrator's compensation when a call failed for technical reasons: an
   * unreachable payment service is treated as a declined payment, so the stock is
   * released and the order fails (the saga's rule). Other steps have none.
   */
  async compensate(event: OrderEvent): Promise<HandleResult | undefined> {
    if (this.service !== 'order' || event.type !== 'inventory_initiated') return undefined;
    const key = `compensate:${event.eventId}`;
    const seen = this.processed.get(key);
    if (seen) return { emitted: this.rebuild(event, seen), duplicate: true };
    const records: EventRecord[] = [];
    const emitted = [this.emit(event, 'payment_failed', key, records)];
    this.write(records);
    this.remember(key, emitted);
    return { emitted, duplicate: false };
  }

  /** Restores what an earlier life of this service processed, from its event log. */
  restore(records: Iterable<EventRecord>): void {
    for (const r of records) {
      if (r.service !== this.service || r.role !== 'emitted' || !r.cause) continue;
      const list = this.processed.get(r.cause) ?? [];
      if (list.some((e) => e.type === r.type)) continue;
      list.push({ type: r.type, emittedAtUs: r.emittedAtUs });
      this.processed.set(r.cause, list);
    }
  }

  stats(): { handled: number; duplicates: number; redelivered: number } {
    return { handled: this.handledCount, duplicates: this.duplicateCount, redelivered: this.redeliveredCount };
  }

  /** A new event emitted now because of `from`; its record is added to `records`. */
  private emit(from: OrderRequest | OrderEvent, type: EventType, cause: string, records: EventRecord[]): OrderEvent {
    const event = this.eventFrom(from, type, this.opts.nowUs());
    records.push(this.recordOf(event, 'emitted', event.emittedAtUs, { cause }));
    return event;
  }

  private eventFrom(from: OrderRequest | OrderEvent, type: EventType, emittedAtUs: number): OrderEvent {
    return {
      eventId: `${from.orderId}:${type}`,
      orderId: from.orderId,
      customerId: from.customerId,
      customerSeq: from.customerSeq,
      type,
      seq: seqOf(type),
      intendedAtUs: from.intendedAtUs,
      emittedAtUs,
      emittedBy: this.service,
      amountCents: from.amountCents,
      sku: from.sku,
      quantity: from.quantity,
    };
  }

  /** The events a processed request or event emitted, rebuilt from its redelivery (same ids, times and payload). */
  private rebuild(from: OrderRequest | OrderEvent, emitted: readonly Emitted[]): OrderEvent[] {
    return emitted.map((e) => this.eventFrom(from, e.type, e.emittedAtUs));
  }

  private remember(key: string, emitted: readonly OrderEvent[]): void {
    this.processed.set(
      key,
      emitted.map((e) => ({ type: e.type, emittedAtUs: e.emittedAtUs })),
    );
  }

  private recordOf(event: OrderEvent, role: EventRecord['role'], atUs: number, extra: Partial<EventRecord>): EventRecord {
    const { amountCents: _a, sku: _s, quantity: _q, ...envelope } = event;
    return { ...envelope, service: this.service, instance: this.instance, role, atUs, ...extra };
  }

  /** One handling's records, together (before anything is published: a kill after it loses nothing). */
  private write(records: readonly EventRecord[]): void {
    const sink = this.opts.sink;
    if (sink.writeAll) sink.writeAll(records);
    else for (const r of records) sink.write(r);
  }

  /** when the one-at-a-time work queue is free again, epoch microseconds */
  private freeAtUs = 0;

  private async delay(): Promise<void> {
    const ms = this.opts.delayMs?.() ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    const work = this.opts.workMs?.() ?? 0;
    if (work > 0) {
      // each piece ends `work` after the previous one's end (or after now, when idle): a
      // timer that fires late delays one answer, never the pieces queued behind it, so the
      // capacity is exactly 1000 / work per second
      const now = this.opts.nowUs();
      this.freeAtUs = Math.max(now, this.freeAtUs) + work * 1000;
      const waitMs = (this.freeAtUs - now) / 1000;
      await new Promise((r) => setTimeout(r, waitMs));
    }
    const cpu = this.opts.cpuMs?.() ?? 0;
    if (cpu > 0) burnCpu(cpu);
  }
}

/**
 * Spins until this process has used `ms` more milliseconds of CPU (user+sys), blocking
 * its event loop as real computation would. Counted in CPU time, not wall time: on a
 * saturated machine the spin takes longer but still costs what was asked.
 */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const targetUs = ms * 1000;
  for (;;) {
    const d = process.cpuUsage(start);
    if (d.user + d.system >= targetUs) return;
  }
}
