import { EventEmitter } from 'node:events';
import { orderErrorOfFailure } from '../contract/error-catalogue.js';
import { systemClock, type Clock } from '../metrics/clock.js';
import { RunRecorder, type RecorderResult, type RecorderSnapshot, type TimelinePoint } from '../metrics/run-recorder.js';
import type { OrderFactory } from './orders.js';
import type { AnySchedule, ArrivalSchedule, ClosedSchedule, ControlledSchedule, ControlSecond, OrderOutcome, SubmitOrder, WarmupPlan, WarmupSecond, WarmupVerdict } from './types.js';

/** Orders started (or dropped) back to back at most, before the event loop gets a turn. */
const YIELD_EVERY = 256;
/** a first measured slot at most this far past still starts the measured window, µs */
const LATE_SLOT_US = 100_000;
/** warm-up seconds handed to the judge with each new one */
const RECENT_SECONDS = 10;

/** The first index for which `pred` holds, `pred` being false up to some index and true from it on. */
export function firstIndex(pred: (i: number) => boolean): number {
  let hi = 1;
  if (pred(0)) return 0;
  while (!pred(hi)) {
    hi *= 2;
    if (hi > Number.MAX_SAFE_INTEGER / 2) return hi;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface DriverOptions {
  schedule: AnySchedule;
  submit: SubmitOrder;
  orders: OrderFactory;
  /** the warm-up before the schedule: its orders are recorded apart and never measured */
  warmup: WarmupPlan;
  /** open model: orders in flight at most; an order that would exceed it is dropped */
  maxInFlight: number;
  /** deadline of one order from its intended start */
  timeoutMs: number;
  /** after the schedule, how long to wait for orders still in flight */
  drainMs: number;
  clock?: Clock;
  /** delay before the first intended start, so set-up work does not land in the first order's latency */
  leadMs?: number;
}

/** What the warm-up was: how long, whether the judge called it steady, and its seconds. */
export interface WarmupResult {
  /** from the first warm-up slot to the measured window's start, ms */
  ms: number;
  steady: boolean;
  /** the judge's last line */
  why?: string;
  /** the warm-up's own per-second points (t from the warm-up's start) */
  timeline: TimelinePoint[];
}

export interface DriverResult extends RecorderResult {
  /** epoch microseconds */
  startUs: number;
  measureFromUs: number;
  endUs: number;
  /** orders still in flight when the drain ended or the run was stopped */
  unfinished: number;
  stopped: boolean;
  /** the schedule's mean target rate over the measured window, orders/s (0 for closed) */
  targetPerSec: number;
  warmup: WarmupResult;
}

/** One warm-up second as the judge gets it. */
export function warmupSecondOf(p: TimelinePoint): WarmupSecond {
  return { t: p.t, attempted: p.attempted, carried: p.completed + p.failed, dropped: p.dropped, timedOut: p.timedOut, errors: p.errors, p99: p.p99, inFlight: p.inFlight };
}

/**
 * The load driver. Emits `warmup` (startUs) when the warm-up begins, `start`
 * (measureFromUs) when the measured window begins, `tick` (a snapshot each second) and
 * `done`. The warm-up runs at its own rate until the judge calls it steady (or its
 * longest has passed); its orders go to a recorder of their own. The schedule's offsets
 * count from the measured window's start. In the open model it starts orders on the
 * schedule whatever the responses, never waiting for a reply; latency is taken from the
 * intended start.
 */
export class Driver extends EventEmitter {
  private readonly opts: DriverOptions;
  private readonly clock: Clock;
  private warm!: RunRecorder;
  private measured: RunRecorder | undefined;
  private warmTimeline: TimelinePoint[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private stopRequested = false;
  private readonly wakers = new Set<() => void>();
  /** the next order's index (order ids and customers), warm-up and measured alike */
  private index = 0;
  /** closed model: users stop starting orders at this time (known once measuring began) */
  private closedEndUs = Number.POSITIVE_INFINITY;
  private lastEndedUs = 0;
  startUs = 0;
  /** +∞ until the measured window begins: no order counts as measured before */
  measureFromUs = Number.POSITIVE_INFINITY;

  constructor(opts: DriverOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  /** Stops scheduling new orders; in-flight ones get the drain period, then are aborted. */
  stop(): void {
    this.stopRequested = true;
    for (const wake of [...this.wakers]) wake();
  }

  get stopped(): boolean {
    return this.stopRequested;
  }

  /** The measured window's counts so far (the warm-up's while it lasts). */
  snapshot(): RecorderSnapshot {
    return (this.measured ?? this.warm).snapshot();
  }

  async run(): Promise<DriverResult> {
    const { schedule, warmup } = this.opts;
    this.startUs = this.clock.nowUs() + (this.opts.leadMs ?? 20) * 1000;
    this.warm = new RunRecorder({ measureFromUs: this.startUs, nowUs: () => this.clock.nowUs() });
    this.emit('warmup', this.startUs);
    const ticker = setInterval(() => this.emit('tick', this.snapshot()), 1000);
    ticker.unref();
    try {
      const warmsUp = warmup.minMs > 0 || warmup.judge !== undefined;
      let verdict: WarmupVerdict = { steady: true };
      if (!warmsUp) this.beginMeasuring(this.startUs);
      const users = schedule.kind === 'closed' ? this.runClosed(schedule) : undefined;
      if (warmsUp) {
        verdict = await this.runWarmup(schedule.kind === 'closed' ? 0 : warmup.ratePerSec);
        this.beginMeasuring(this.firstMeasuredUs(schedule.kind === 'closed' ? 0 : warmup.ratePerSec));
      }
      if (schedule.kind === 'open') await this.runOpen(schedule);
      else if (schedule.kind === 'controlled') await this.runControlled(schedule);
      else await users;
      const scheduleEndUs = this.clock.nowUs();
      await this.drain();
      const unfinished = this.inFlight.size;
      // the measured window ends with the last order that could end, but not before the schedule did
      const endUs = Math.max(scheduleEndUs, this.lastEndedUs);
      const rec = this.measured!.finish(Math.min(endUs, this.clock.nowUs()));
      const result: DriverResult = {
        ...rec,
        startUs: this.startUs,
        measureFromUs: this.measureFromUs,
        endUs,
        unfinished,
        stopped: this.stopRequested,
        targetPerSec: this.targetPerSec(schedule, rec.measuredMs),
        warmup: {
          ms: (this.measureFromUs - this.startUs) / 1000,
          steady: verdict.steady,
          ...(verdict.why !== undefined ? { why: verdict.why } : {}),
          timeline: this.warmTimeline,
        },
      };
      this.emit('done', result);
      return result;
    } finally {
      clearInterval(ticker);
    }
  }

  private targetPerSec(schedule: AnySchedule, measuredMs: number): number {
    if (schedule.kind === 'closed') return 0;
    if (schedule.kind === 'controlled') return mean(this.controlTargets);
    // orders the schedule intends, by bisection, so a huge schedule costs no time
    return firstIndex((i) => schedule.at(i) === undefined) / (Math.max(1, schedule.lengthUs) / 1e6);
  }

  /** The warm-up is over: measured orders from `fromUs` on go to a recorder of their own. */
  private beginMeasuring(fromUs: number): void {
    this.measureFromUs = fromUs;
    this.measured = new RunRecorder({ measureFromUs: fromUs, nowUs: () => this.clock.nowUs() });
    if (this.opts.schedule.kind === 'closed') this.closedEndUs = fromUs + this.opts.schedule.lengthUs;
    this.warmTimeline = this.warm.finish(fromUs).timeline;
    this.emit('start', fromUs);
  }

  /**
   * The warm-up's next slot (open) or now (closed): where the measured window begins. A
   * next slot a little past (the verdict came a timer's lateness after the second) is
   * kept; one far past (the warm-up fell behind its own schedule) is skipped.
   */
  private firstMeasuredUs(ratePerSec: number): number {
    const now = this.clock.nowUs();
    if (ratePerSec <= 0) return Math.max(now, this.startUs);
    const intervalUs = 1e6 / ratePerSec;
    const nextUs = this.startUs + Math.round(this.warmNext * intervalUs);
    if (nextUs >= now - LATE_SLOT_US) return nextUs;
    return this.startUs + Math.round(Math.ceil((now - this.startUs) / intervalUs - 1e-9) * intervalUs);
  }

  /** the next warm-up slot's index (open model) */
  private warmNext = 0;

  /**
   * The warm-up: orders at `ratePerSec` (none when 0: the closed model's users warm up
   * themselves), and from `minMs` on, at each whole second, the judge's word on the
   * second that just ended, until it says steady or `maxMs` has passed.
   */
  private async runWarmup(ratePerSec: number): Promise<WarmupVerdict> {
    const { minMs, judge } = this.opts.warmup;
    const maxMs = Math.max(minMs, this.opts.warmup.maxMs);
    // without a judge the warm-up simply lasts minMs
    let checkMs = judge ? Math.min(maxMs, Math.max(1000, Math.ceil(minMs / 1000) * 1000)) : minMs;
    let judgedT = 0;
    let verdict: WarmupVerdict | undefined;
    let sinceYield = 0;
    for (;;) {
      if (this.stopRequested) return { steady: false, why: 'stopped during the warm-up' };
      const checkUs = this.startUs + checkMs * 1000;
      const orderUs = ratePerSec > 0 ? this.startUs + Math.round((this.warmNext * 1e6) / ratePerSec) : Number.POSITIVE_INFINITY;
      if (checkUs <= orderUs) {
        // a check comes before the next order: a slot on the check's time belongs to the measured window
        await this.sleepUntil(checkUs);
        if (this.stopRequested) continue;
        if (!judge) return { steady: true };
        const points = this.warm.points();
        const last = points.at(-1);
        if (last && last.t > judgedT) {
          judgedT = last.t;
          verdict = judge(warmupSecondOf(last), points.slice(-RECENT_SECONDS).map(warmupSecondOf));
        }
        if (verdict?.steady) return verdict;
        if (checkMs >= maxMs) return { steady: false, why: verdict?.why ?? 'no warm-up second to judge' };
        checkMs = Math.min(maxMs, (Math.floor(checkMs / 1000) + 1) * 1000);
        continue;
      }
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const waitUs = orderUs - this.clock.nowUs();
      if (waitUs > 500) {
        await this.sleepUnlessStopped(waitUs / 1000);
        continue;
      }
      this.warmNext++;
      if (this.inFlight.size >= this.opts.maxInFlight) this.warm.dropped(orderUs);
      else void this.launch(this.index++, orderUs);
    }
  }

  private async runOpen(schedule: ArrivalSchedule): Promise<void> {
    let sinceYield = 0;
    let slot = 0;
    for (;;) {
      if (this.stopRequested) return;
      // far behind the schedule (or dropping everything) this loop never sleeps: give
      // the event loop a turn now and then, so signals, ticks and answers get through
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const rel = schedule.at(slot);
      if (rel === undefined) return;
      const intendedUs = this.measureFromUs + rel;
      const waitUs = intendedUs - this.clock.nowUs();
      if (waitUs > 500) {
        await this.sleepUnlessStopped(waitUs / 1000);
        continue;
      }
      slot++;
      if (this.inFlight.size >= this.opts.maxInFlight) {
        this.measured!.dropped(intendedUs);
        continue;
      }
      void this.launch(this.index++, intendedUs);
    }
  }

  /** controlled schedules: the rate asked for in each reported second of the measured window */
  private readonly controlTargets: number[] = [];

  /**
   * A controlled schedule (a knee search): orders start at the schedule's rate, re-read
   * before each one, whatever the responses; after each full second of the measured
   * window the schedule observes it (its rate may change then). Ends when the schedule
   * is done or its length has passed.
   */
  private async runControlled(schedule: ControlledSchedule): Promise<void> {
    const endUs = this.measureFromUs + schedule.lengthUs;
    let lastUs: number | undefined;
    let rateFromUs = this.measureFromUs;
    let target = schedule.rate();
    let sinceYield = 0;
    for (;;) {
      if (this.stopRequested || schedule.done()) return;
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      // the recorder buckets each ending by when it ended, each start by when it started
      const closed = this.measured!.closedSeconds();
      if (closed.length > this.controlTargets.length) {
        for (const p of closed.slice(this.controlTargets.length)) {
          schedule.observe(controlSecond(p, target));
          this.controlTargets.push(target);
          target = schedule.rate();
          // a new rate starts with the next second: no order of it is placed before
          rateFromUs = this.measureFromUs + p.t * 1_000_000;
        }
        continue;
      }
      const now = this.clock.nowUs();
      const boundaryUs = this.measureFromUs + (closed.length + 1) * 1_000_000;
      if (now >= endUs) return;
      const rate = schedule.rate();
      const nextUs = lastUs === undefined ? this.measureFromUs : Math.max(rateFromUs, lastUs + 1_000_000 / Math.max(rate, 1e-3));
      if (nextUs - now > 500) {
        await this.sleepUnlessStopped(Math.max(1, (Math.min(nextUs, boundaryUs, endUs) - now) / 1000));
        continue;
      }
      lastUs = nextUs;
      const i = this.index++;
      if (this.inFlight.size >= this.opts.maxInFlight) {
        this.measured!.dropped(nextUs);
        continue;
      }
      void this.launch(i, nextUs);
    }
  }

  private async runClosed(schedule: ClosedSchedule): Promise<void> {
    await this.sleepUntil(this.startUs);
    const user = async (): Promise<void> => {
      let sinceYield = 0;
      while (!this.stopRequested && this.clock.nowUs() < this.closedEndUs) {
        await this.launch(this.index++, this.clock.nowUs());
        // an order that fails at once resolves in a microtask: let timers and signals in
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await new Promise((r) => setImmediate(r));
        }
      }
    };
    await Promise.all(Array.from({ length: schedule.concurrency }, user));
  }

  /** Starts one order, recorded by the warm-up or the measured window by its intended start. */
  private launch(index: number, intendedUs: number): Promise<void> {
    const measured = this.measured !== undefined && intendedUs >= this.measureFromUs;
    const recorder = measured ? this.measured! : this.warm;
    const order = this.opts.orders.make(index, intendedUs);
    const controller = new AbortController();
    this.controllers.add(controller);
    const deadlineMs = Math.max(1, (intendedUs + this.opts.timeoutMs * 1000 - this.clock.nowUs()) / 1000);
    const timer = setTimeout(() => controller.abort(new Error('deadline')), deadlineMs);
    recorder.attempted(intendedUs);
    const p: Promise<void> = this.opts
      .submit(order, controller.signal)
      .catch((err: unknown): OrderOutcome => {
        const now = this.clock.nowUs();
        return { outcome: 'error', sentAtUs: now, endedAtUs: now, errorCode: orderErrorOfFailure(err) };
      })
      .then((o) => {
        clearTimeout(timer);
        this.controllers.delete(controller);
        if (o.acceptedAtUs !== undefined) recorder.accepted(intendedUs, o.acceptedAtUs);
        recorder.ended(intendedUs, o.sentAtUs, o.endedAtUs, o.outcome, o.errorCode);
        if (measured && o.endedAtUs > this.lastEndedUs) this.lastEndedUs = o.endedAtUs;
        this.emit('order', order, o);
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  /** Waits for in-flight orders up to the drain period, then aborts what is left. */
  private async drain(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const all = Promise.all([...this.inFlight]).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(r, this.opts.drainMs);
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (this.inFlight.size > 0) {
      for (const c of this.controllers) c.abort(new Error('drain ended'));
      // submitters must resolve promptly once aborted
      await Promise.race([Promise.all([...this.inFlight]), new Promise((r) => setTimeout(r, 2000))]);
    }
  }

  /** Sleeps until the clock reads `us` (or the driver is stopped). */
  private async sleepUntil(us: number): Promise<void> {
    for (;;) {
      const waitUs = us - this.clock.nowUs();
      if (waitUs <= 0 || this.stopRequested) return;
      await this.sleepUnlessStopped(waitUs / 1000);
    }
  }

  private sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
      void this.clock.sleep(ms).then(done);
    });
  }
}

/** A closed second of the measured window, as a controlled schedule judges it. */
function controlSecond(p: TimelinePoint, targetPerSec: number): ControlSecond {
  return {
    t: p.t,
    targetPerSec,
    attempted: p.attempted,
    carried: p.completed + p.failed,
    dropped: p.dropped,
    timedOut: p.timedOut,
    errors: p.errors,
    p99: p.p99,
    inFlight: p.inFlight,
  };
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
