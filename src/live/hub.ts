import { EventEmitter } from 'node:events';
import type { EventRecord, OrderRequest } from '../contract/events.js';
import type { OrderOutcome } from '../contract/transport.js';
import type { Driver } from '../driver/driver.js';
import type { RecorderSnapshot } from '../metrics/run-recorder.js';
import type { BacklogPoint, FaultEvent } from '../result/schema.js';
import type { FaultInjector } from '../runtime/faults.js';
import { EventTail } from './event-tail.js';

/**
 * The live view of a run, fed only by what the run already emits: the driver's
 * `start`/`tick`/`order`/`done` events, the backlog samples, the fault injector's
 * records and the services' event logs. Once a second it emits one `second` message
 * (what the dashboard draws); `final` carries the rendered report when the run ends.
 */

export type Phase = 'waiting' | 'starting' | 'warm-up' | 'measuring' | 'draining' | 'checking' | 'done';

export interface TransportView {
  name: string;
  phase: Phase;
  counts: RecorderSnapshot['counts'] | null;
  inFlight: number;
  faults: FaultEvent[];
}

export interface SecondPoint {
  transport: string;
  /** seconds since the transport's measured window began (negative in the warm-up) */
  t: number;
  p50: number | null;
  p99: number | null;
  /** orders that ended (completed or failed) this second */
  ended: number;
  /** errors and time-outs this second */
  errors: number;
  /** messages waiting in the broker at the last sample, or null (REST) */
  backlog: number | null;
}

export interface LaneOrder {
  id: string;
  customer: string;
  outcome: 'completed' | 'compensated' | 'in progress';
  /** events in order: service, event type, ms since the order's first event */
  events: Array<{ s: string; e: string; ms: number }>;
}

export interface LiveMessage {
  type: 'second';
  at: string;
  current: string | null;
  transports: TransportView[];
  point: SecondPoint | null;
  orders: LaneOrder[];
  services: string[];
  canInject: boolean;
  /** what to watch, for guided demos */
  story: string[];
  /** a guided demo waits for the room: the page shows a "next step" button */
  waitingForNext: boolean;
}

const LANE_ORDERS = 12;
const COMPENSATION = new Set(['payment_failed', 'inventory_released', 'order_failed']);

export class LiveHub extends EventEmitter {
  readonly transports: TransportView[];
  readonly history: SecondPoint[] = [];
  private current: TransportView | null = null;
  private driver: Driver | null = null;
  private injector: FaultInjector | null = null;
  private tail: EventTail | null = null;
  private measureFromUs = 0;
  private latencies: number[] = [];
  private ended = 0;
  private errors = 0;
  private backlog: number | null = null;
  private readonly orders = new Map<string, { customer: string; events: EventRecord[] }>();
  private timer: NodeJS.Timeout | undefined;
  private lastMessage: LiveMessage | null = null;
  finalHtml: string | null = null;
  /** sentences shown above the charts (bench demo) */
  story: string[] = [];
  /** set by a guided demo while it waits between steps */
  waitingForNext = false;

  constructor(
    names: string[],
    readonly services: string[],
    private readonly nowUs: () => number = () => Date.now() * 1000,
  ) {
    super();
    this.transports = names.map((name) => ({ name, phase: 'waiting', counts: null, inFlight: 0, faults: [] }));
  }

  /** Starts the once-a-second message; `stop()` ends it. */
  start(): void {
    this.timer = setInterval(() => this.second(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A transport (or one step of it) is starting; its services will log into `eventsDir`. */
  transportStarting(name: string, eventsDir: string): void {
    if (this.current && this.current.phase !== 'done') this.current.phase = 'done';
    this.current = this.transports.find((t) => t.name === name && t.phase === 'waiting') ?? this.addView(name);
    this.current.phase = 'starting';
    this.tail = new EventTail(eventsDir);
    this.measureFromUs = 0;
    this.orders.clear();
    this.backlog = null;
    this.injector = null;
  }

  private addView(name: string): TransportView {
    const view: TransportView = { name, phase: 'waiting', counts: null, inFlight: 0, faults: [] };
    this.transports.push(view);
    return view;
  }

  attachDriver(driver: Driver): void {
    const view = this.current;
    if (!view) return;
    this.driver = driver;
    driver.once('warmup', () => {
      view.phase = 'warm-up';
    });
    driver.once('start', (measureFromUs: number) => {
      this.measureFromUs = measureFromUs;
    });
    driver.on('tick', (s: RecorderSnapshot) => {
      view.counts = s.counts;
      view.inFlight = s.inFlight;
      if (view.phase === 'warm-up' && this.measureFromUs > 0 && this.nowUs() >= this.measureFromUs) view.phase = 'measuring';
    });
    driver.on('order', (_order: OrderRequest, o: OrderOutcome) => {
      if (o.outcome === 'completed' || o.outcome === 'failed') {
        this.ended++;
        this.latencies.push((o.endedAtUs - _order.intendedAtUs) / 1000);
      } else this.errors++;
    });
    driver.once('done', () => {
      view.phase = 'checking';
      this.driver = null;
    });
  }

  attachInjector(injector: FaultInjector): void {
    this.injector = injector;
    if (this.current) this.current.faults = injector.events;
  }

  backlogSample(points: BacklogPoint[]): void {
    this.backlog = points.reduce((n, p) => n + p.depth, 0);
  }

  /** Injects a fault on the running transport, recorded like a scenario's. */
  async inject(fault: { action: 'kill' | 'pause' | 'delay'; target: string; durationMs: number; delayMs?: number }): Promise<FaultEvent> {
    if (!this.injector || !this.driver || !this.current || this.measureFromUs === 0) throw new Error('no transport is running right now');
    if (!this.services.includes(fault.target)) throw new Error(`unknown service "${fault.target}" (expected ${this.services.join(', ')})`);
    return this.injector.inject({ action: fault.action, target: fault.target as never, duration: fault.durationMs, ...(fault.action === 'delay' ? { delay: fault.delayMs ?? 200 } : {}) });
  }

  /** The run is over: every view done, the report sent to every page. */
  finish(html: string): void {
    for (const t of this.transports) if (t.phase !== 'waiting') t.phase = 'done';
    this.finalHtml = html;
    this.second();
    this.emit('final', html);
  }

  /** Sends a message now (after the story or the waiting state changed). */
  refresh(): void {
    this.second();
  }

  snapshot(): LiveMessage | null {
    return this.lastMessage;
  }

  private second(): void {
    const view = this.current;
    let point: SecondPoint | null = null;
    if (view && this.measureFromUs > 0 && (view.phase === 'warm-up' || view.phase === 'measuring')) {
      const sorted = this.latencies.sort((a, b) => a - b);
      const at = (q: number): number | null => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!) : null);
      point = { transport: view.name, t: Math.round((this.nowUs() - this.measureFromUs) / 1e6), p50: at(0.5), p99: at(0.99), ended: this.ended, errors: this.errors, backlog: this.backlog };
      this.history.push(point);
    }
    this.latencies = [];
    this.ended = 0;
    this.errors = 0;
    if (this.tail) for (const r of this.tail.read()) this.record(r);
    const msg: LiveMessage = {
      type: 'second',
      at: new Date().toISOString(),
      current: view?.name ?? null,
      transports: this.transports,
      point,
      orders: this.lane(),
      services: this.services,
      // faults are timed from the measured window's start, known once the driver started
      canInject: this.injector !== null && this.driver !== null && this.measureFromUs > 0,
      story: this.story,
      waitingForNext: this.waitingForNext,
    };
    this.lastMessage = msg;
    this.emit('second', msg);
  }

  private record(r: EventRecord): void {
    if (r.role !== 'emitted') return;
    const o = this.orders.get(r.orderId) ?? { customer: r.customerId, events: [] };
    o.events.push(r);
    this.orders.set(r.orderId, o);
    // keep the most recent orders only
    if (this.orders.size > LANE_ORDERS * 4) this.orders.delete(this.orders.keys().next().value!);
  }

  private lane(): LaneOrder[] {
    return [...this.orders.entries()].slice(-LANE_ORDERS).map(([id, o]) => {
      const events = [...o.events].sort((a, b) => a.atUs - b.atUs);
      const first = events[0]?.atUs ?? 0;
      const types = new Set(events.map((e) => e.type));
      const outcome = types.has('order_completed') ? 'completed' : [...types].some((t) => COMPENSATION.has(t)) ? 'compensated' : 'in progress';
      return { id, customer: o.customer, outcome, events: events.map((e) => ({ s: e.service, e: e.type, ms: round((e.atUs - first) / 1000) })) };
    });
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;
