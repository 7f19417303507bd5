/**
 * A transport's floor: its raw round trip, measured before the load with the same client,
 * settings and broker (or HTTP stack) the run uses. A hop can never be faster than it, so
 * hop − floor is what the harness and the workflow themselves cost.
 *
 * Messaging: one event published on the run's `observer` channel and consumed from it by a
 * connection of its own, one at a time. That channel is provisioned for every run by every
 * adapter and only the harness's observer reads it, so no service ever sees a calibration
 * event and no adapter needs an object of its own. The calibration subscribes as the
 * observer does, as the channel's only member; it must therefore finish before the run's
 * observer subscribes (a second member of the same group, queue or session would take
 * events from it). Every event it publishes is consumed and acknowledged before it
 * returns, and their order ids start with `calibration-` so that an observer that still
 * met one would know to ignore it (isCalibrationEvent).
 *
 * REST: `POST /calibrate` on a service of the run (204 at once, no work), over a pool
 * with the order service's downstream settings, from the request's start to the service's
 * handler: one way, as a hop is measured.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { BenchError, TimeoutError, UnreachableError } from '../contract/errors.js';
import type { OrderEvent } from '../contract/events.js';
import type { MessagingAdapter, MessagingConnection, MessagingRunSpec, Subscription } from '../contract/transport.js';
import { nowUs as systemNowUs } from '../metrics/clock.js';
import { createHistogram, encodeHistogram, recordUs, summarize, type Histogram } from '../metrics/histogram.js';
import type { Calibration } from '../result/schema.js';
import type { Scenario } from '../scenario/schema.js';
import { addressOf } from '../targets/check.js';

export interface CalibrationOptions {
  /** recorded round trips (at least 1; a scenario's `samples: 0` means no calibration at all) */
  samples: number;
  /** pace of the recorded round trips, one at a time, per second */
  ratePerSec: number;
  /** unrecorded round trips first, back to back (connections, JIT, broker caches) */
  warmup: number;
  /** epoch µs (default: the harness's clock) */
  nowUs?: () => number;
  /** bound of the whole calibration, connecting included, ms (default 30 000) */
  timeoutMs?: number;
  /** bound of one round trip, ms (default 5 000) */
  roundTripTimeoutMs?: number;
}

/** Order ids of calibration events start with this; nothing else's do. */
export const CALIBRATION_ORDER_PREFIX = 'calibration-';
export const isCalibrationEvent = (event: Pick<OrderEvent, 'orderId'>): boolean => event.orderId.startsWith(CALIBRATION_ORDER_PREFIX);

export const DEFAULT_CALIBRATION_TIMEOUT_MS = 30_000;
export const DEFAULT_ROUND_TRIP_TIMEOUT_MS = 5_000;
/** keep-alive connections of the REST pool when the caller does not say (the scenario's default downstreamConnections) */
const DEFAULT_REST_CONNECTIONS = 16;

/** The calibration a scenario asks for, or undefined when it turned it off (`samples: 0`). */
export function calibrationOptionsOf(scenario: Pick<Scenario, 'calibration'>): CalibrationOptions | undefined {
  const c = scenario.calibration;
  return c.samples > 0 ? { samples: c.samples, ratePerSec: c.rate, warmup: c.warmup } : undefined;
}

/**
 * The floor of a messaging transport: `warmup` back-to-back round trips, then `samples`
 * round trips paced at `ratePerSec`, each from the start of the publish to the entry of
 * the consumer's handler, in µs. Opens and closes its own connection.
 */
export async function calibrateMessaging(adapter: MessagingAdapter, spec: MessagingRunSpec, opts: CalibrationOptions): Promise<Calibration> {
  const where = `${adapter.name} calibration at ${addressOf(adapter.name, spec.endpoints)}`;
  const now = opts.nowUs ?? systemNowUs;
  const bound = new Bound(where, opts);
  const tag = `${CALIBRATION_ORDER_PREFIX}${randomBytes(4).toString('hex')}-`;
  /** the waiter of the one event in flight: resolved with the handler's entry time */
  let waiting: { orderId: string; arrived: (atUs: number) => void } | undefined;
  let gaveUp: BenchError | undefined;
  let conn: MessagingConnection | undefined;
  let sub: Subscription | undefined;
  try {
    // the calibration is its channel's only member: with instancesPerService > 1 a member
    // other than the first would own only some partitions or shards at first
    const own: MessagingRunSpec = { ...spec, instancesPerService: 1 };
    conn = await bound.whole(adapter.connect(own, `${spec.prefix}-calibration`), 'connecting', (late) => void late.close().catch(() => undefined));
    conn.onGaveUp((err) => (gaveUp = err));
    sub = await bound.whole(
      conn.subscribe('observer', { service: 'observer', instance: 0 }, async (event) => {
        const atUs = now();
        if (waiting?.orderId === event.orderId) waiting.arrived(atUs);
      }),
      'subscribing to the observer channel',
      (late) => void late.close().catch(() => undefined),
    );
    const c = conn;
    let n = 0;
    const roundTrip = async (): Promise<number> => {
      if (gaveUp) throw gaveUp;
      const orderId = `${tag}${++n}`;
      const consumed = new Promise<number>((arrived) => (waiting = { orderId, arrived }));
      const startUs = now();
      const published = c.publish('observer', calibrationEvent(orderId, n, startUs));
      // both: the next publish starts once this one is confirmed and consumed
      const [atUs] = await Promise.all([consumed, published]);
      return atUs - startUs;
    };
    const h = await measure(roundTrip, opts, bound);
    return calibrationOf('publish → consume of one event, same client and settings', h, opts);
  } catch (err) {
    throw bound.explain(err);
  } finally {
    waiting = undefined;
    await sub?.close().catch(() => undefined);
    await conn?.close().catch(() => undefined);
  }
}

/**
 * The floor of REST: `POST /calibrate` on `origin` (a service the harness started for the
 * run: 204 at once, no work), one request at a time, over a keep-alive pool set up as the
 * order service's pool to its downstream services; from the start of the request to the
 * entry of the service's handler, which the service answers in `x-handled-at-us` on the
 * harness's clock (its children share it). That is the part of a REST hop the transport
 * carries, as the messaging floor is; the next request waits for the answer.
 */
export async function calibrateRest(origin: string, opts: CalibrationOptions & { connections?: number }): Promise<Calibration> {
  const where = `rest calibration at ${origin.replace(/^https?:\/\//, '')}`;
  const now = opts.nowUs ?? systemNowUs;
  const bound = new Bound(where, opts);
  const pool = new Pool(origin, { connections: opts.connections ?? DEFAULT_REST_CONNECTIONS, keepAliveTimeout: 60_000 });
  const tag = `${CALIBRATION_ORDER_PREFIX}${randomBytes(4).toString('hex')}-`;
  let n = 0;
  try {
    const roundTrip = async (): Promise<number> => {
      const orderId = `${tag}${++n}`;
      const startUs = now();
      // as a hop's call: the event as a JSON body
      const res = await pool.request({
        method: 'POST',
        path: '/calibrate',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(calibrationEvent(orderId, n, startUs)),
        signal: AbortSignal.timeout(bound.roundTripMs()),
      });
      await res.body.dump();
      const endUs = now();
      if (res.statusCode !== 204) throw new BenchError('TRANSPORT', `POST /calibrate answered ${res.statusCode}, expected 204`);
      const handledAtUs = Number(res.headers['x-handled-at-us']);
      if (!Number.isFinite(handledAtUs)) throw new BenchError('TRANSPORT', 'POST /calibrate answered without x-handled-at-us (not a service of this harness?)');
      // a time outside the call means the service keeps another clock than this process
      if (handledAtUs < startUs || handledAtUs > endUs) {
        throw new BenchError('TRANSPORT', `the service says it handled the call ${handledAtUs - startUs} µs after it started, outside the ${endUs - startUs} µs the call took: its clock is not the harness's (calibrate a service the harness started)`);
      }
      return handledAtUs - startUs;
    };
    const h = await measure(roundTrip, opts, bound);
    return calibrationOf('POST /calibrate → the service handles it (one way, the answer awaited), same client and settings', h, opts);
  } catch (err) {
    throw bound.explain(err);
  } finally {
    await pool.close().catch(() => undefined);
  }
}

/** Warm-up back to back, then the recorded round trips on a fixed schedule, one at a time. */
async function measure(roundTrip: () => Promise<number>, opts: CalibrationOptions, bound: Bound): Promise<Histogram> {
  if (!(opts.samples >= 1) || !(opts.ratePerSec > 0)) throw new RangeError(`calibration needs samples ≥ 1 and a rate > 0 (got ${opts.samples}, ${opts.ratePerSec}/s)`);
  for (let i = 0; i < opts.warmup; i++) await bound.one(roundTrip(), `warm-up round trip ${i + 1} of ${opts.warmup}`);
  const h = createHistogram();
  const intervalMs = 1000 / opts.ratePerSec;
  const t0 = performance.now();
  for (let i = 0; i < opts.samples; i++) {
    // a round trip slower than the interval delays the next one; none is skipped or bunched
    const waitMs = t0 + i * intervalMs - performance.now();
    if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
    recordUs(h, await bound.one(roundTrip(), `round trip ${i + 1} of ${opts.samples}`));
  }
  return h;
}

function calibrationOf(what: string, h: Histogram, opts: CalibrationOptions): Calibration {
  const s = summarize(h);
  const ms2 = (ms: number): number => Math.round(ms * 100) / 100;
  return { what, samples: h.totalCount, ratePerSec: opts.ratePerSec, p50: ms2(s.p50), p99: ms2(s.p99), h: encodeHistogram(h) };
}

/** A small event of the shape the observer channel carries, under a calibration order id. */
function calibrationEvent(orderId: string, n: number, atUs: number): OrderEvent {
  return {
    eventId: `${orderId}:order_completed`,
    orderId,
    customerId: 'calibration',
    customerSeq: n,
    type: 'order_completed',
    seq: 9,
    intendedAtUs: atUs,
    emittedAtUs: atUs,
    emittedBy: 'order',
    amountCents: 0,
    sku: 'calibration',
    quantity: 1,
  };
}

/** The time bounds of one calibration, and the one-line errors when they are crossed. */
class Bound {
  private readonly deadline: number;
  private readonly totalMs: number;
  private readonly perTripMs: number;

  constructor(
    private readonly where: string,
    opts: CalibrationOptions,
  ) {
    this.totalMs = opts.timeoutMs ?? DEFAULT_CALIBRATION_TIMEOUT_MS;
    this.perTripMs = opts.roundTripTimeoutMs ?? DEFAULT_ROUND_TRIP_TIMEOUT_MS;
    this.deadline = Date.now() + this.totalMs;
  }

  /** what is left of the whole bound, ms */
  private leftMs(): number {
    return this.deadline - Date.now();
  }

  /** the bound of the next round trip: its own, or what is left of the whole if less */
  roundTripMs(): number {
    return Math.max(1, Math.min(this.perTripMs, this.leftMs()));
  }

  /** `p` within what is left of the whole bound; `late` gets what arrives after it */
  whole<T>(p: Promise<T>, doing: string, late: (value: T) => void): Promise<T> {
    return this.race(p, this.leftMs(), () => `${this.where}: ${doing} took longer than the calibration's ${this.totalMs} ms`, late);
  }

  /** one round trip within its own bound (and the whole one) */
  one<T>(p: Promise<T>, what: string): Promise<T> {
    const ms = this.roundTripMs();
    const whole = ms < this.perTripMs;
    return this.race(p, ms, () =>
      whole ? `${this.where}: not done within ${this.totalMs} ms (at ${what})` : `${this.where}: no answer to ${what} within ${this.perTripMs} ms`,
    );
  }

  private race<T>(p: Promise<T>, ms: number, message: () => string, late?: (value: T) => void): Promise<T> {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new TimeoutError(message()));
      }, Math.max(0, ms));
    });
    p.then(
      (v) => timedOut && late?.(v),
      () => undefined,
    );
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  /** Any failure as one line naming the transport and address, under its catalogue code. */
  explain(err: unknown): Error {
    if (err instanceof RangeError || (err instanceof TimeoutError && err.message.startsWith(this.where))) return err;
    const line = `${this.where}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]!}`;
    if (err instanceof BenchError) return new BenchError(err.code, line, { cause: err, retriable: err.retriable });
    if (err instanceof Error && err.name === 'TimeoutError') return new TimeoutError(line, { cause: err });
    const code = String((err as { code?: unknown })?.code ?? '');
    if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|UND_ERR_CONNECT|UND_ERR_SOCKET)/.test(code)) return new UnreachableError(this.where.replace(/^.* at /, ''), line, { cause: err });
    return new BenchError('TRANSPORT', line, { cause: err });
  }
}
