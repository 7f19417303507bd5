import { EventEmitter } from 'node:events';
import { orderErrorOfFailure } from '../contract/error-catalogue.js';
import { systemClock, type Clock } from '../metrics/clock.js';
import { RunRecorder, type RecorderResult, type RecorderSnapshot } from '../metrics/run-recorder.js';
import type { OrderFactory } from './orders.js';
import type { AnySchedule, ArrivalSchedule, ClosedSchedule, ControlledSchedule, ControlSecond, OrderOutcome, SubmitOrder } from './types.js';
import type { TimelinePoint } from '../metrics/run-recorder.js';

/** Orders started (or dropped) back to back at most, before the event loop gets a turn. */
const YIELD_EVERY = 256;

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
  warmupMs: number;
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
}

/**
 * The load driver. Emits `start` (measureFromUs), `tick` (a snapshot each second) and
 * `done`. In the open model it starts orders on the schedule whatever the responses,
 * never waiting for a reply; latency is taken from the intended start.
 */
export class Driver extends EventEmitter {
  private readonly opts: DriverOptions;
  private readonly clock: Clock;
  private recorder!: RunRecorder;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private stopRequested = false;
  private wakeStop: (() => void) | undefined;
  private index = 0;
  startUs = 0;
  measureFromUs = 0;

  constructor(opts: DriverOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  /** Stops scheduling new orders; in-flight ones get the drain period, then are aborted. */
  stop(): void {
    this.stopRequested = true;
    this.wakeStop?.();
  }

  get stopped(): boolean {
    return this.stopRequested;
  }

  snapshot(): RecorderSnapshot {
    return this.recorder.snapshot();
  }

  async run(): Promise<DriverResult> {
    const { schedule } = this.opts;
    this.startUs = this.clock.nowUs() + (this.opts.leadMs ?? 20) * 1000;
    this.measureFromUs = this.startUs + this.opts.warmupMs * 1000;
    this.recorder = new RunRecorder({ measureFromUs: this.measureFromUs, nowUs: () => this.clock.nowUs() });
    this.emit('start', this.measureFromUs);
    const ticker = setInterval(() => this.emit('tick', this.recorder.snapshot()), 1000);
    ticker.unref();
    try {
      if (schedule.kind === 'open') await this.runOpen(schedule);
      else if (schedule.kind === 'controlled') await this.runControlled(schedule);
      else await this.runClosed(schedule);
      const scheduleEndUs = this.clock.nowUs();
      await this.drain();
      const unfinished = this.inFlight.size;
      // the measured window ends with the last order that could end, but not before the schedule did
      const endUs = Math.max(scheduleEndUs, this.lastEndedUs);
      const rec = this.recorder.finish(Math.min(endUs, this.clock.nowUs()));
      const measuredUs = Math.max(1, schedule.lengthUs - this.opts.warmupMs * 1000);
      const targetPerSec =
        schedule.kind === 'open' ? this.targetCount(schedule) / (measuredUs / 1e6) : schedule.kind === 'controlled' ? mean(this.controlTargets) : 0;
      const result: DriverResult = {
        ...rec,
        startUs: this.startUs,
        measureFromUs: this.measureFromUs,
        endUs,
        unfinished,
        stopped: this.stopRequested,
        targetPerSec,
      };
      this.emit('done', result);
      return result;
    } finally {
      clearInterval(ticker);
    }
  }

  private lastEndedUs = 0;

  /** Orders the schedule intends inside the measured window; by bisection, so a huge schedule costs no time. */
  private targetCount(schedule: ArrivalSchedule): number {
    const fromUs = this.opts.warmupMs * 1000;
    const end = firstIndex((i) => schedule.at(i) === undefined);
    const measuredFrom = firstIndex((i) => {
      const at = schedule.at(i);
      return at === undefined || at >= fromUs;
    });
    return end - measuredFrom;
  }

  private async runOpen(schedule: ArrivalSchedule): Promise<void> {
    let sinceYield = 0;
    for (;;) {
      if (this.stopRequested) return;
      // far behind the schedule (or dropping everything) this loop never sleeps: give
      // the event loop a turn now and then, so signals, ticks and answers get through
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const rel = schedule.at(this.index);
      if (rel === undefined) return;
      const intendedUs = this.startUs + rel;
      const waitUs = intendedUs - this.clock.nowUs();
      if (waitUs > 500) {
        await this.sleepUnlessStopped(waitUs / 1000);
        continue;
      }
      const i = this.index++;
      if (this.inFlight.size >= this.opts.maxInFlight) {
        this.recorder.dropped(intendedUs);
        continue;
      }
      this.launch(i, intendedUs);
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
    const endUs = this.startUs + schedule.lengthUs;
    let lastUs: number | undefined;
    let rateFromUs = this.startUs;
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
      const closed = this.recorder.closedSeconds();
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
      const nextUs = lastUs === undefined ? this.startUs : Math.max(rateFromUs, lastUs + 1_000_000 / Math.max(rate, 1e-3));
      if (nextUs - now > 500) {
        await this.sleepUnlessStopped(Math.max(1, (Math.min(nextUs, boundaryUs, endUs) - now) / 1000));
        continue;
      }
      lastUs = nextUs;
      const i = this.index++;
      if (this.inFlight.size >= this.opts.maxInFlight) {
        this.recorder.dropped(nextUs);
        continue;
      }
      this.launch(i, nextUs);
    }
  }

  private async runClosed(schedule: ClosedSchedule): Promise<void> {
    const endUs = this.startUs + schedule.lengthUs;
    const wait = this.startUs - this.clock.nowUs();
    if (wait > 0) await this.sleepUnlessStopped(wait / 1000);
    const user = async (): Promise<void> => {
      let sinceYield = 0;
      while (!this.stopRequested && this.clock.nowUs() < endUs) {
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

  private launch(index: number, intendedUs: number): Promise<void> {
    const order = this.opts.orders.make(index, intendedUs);
    const controller = new AbortController();
    this.controllers.add(controller);
    const deadlineMs = Math.max(1, (intendedUs + this.opts.timeoutMs * 1000 - this.clock.nowUs()) / 1000);
    const timer = setTimeout(() => controller.abort(new Error('deadline')), deadlineMs);
    this.recorder.attempted(intendedUs);
    const p: Promise<void> = this.opts
      .submit(order, controller.signal)
      .catch((err: unknown): OrderOutcome => {
        const now = this.clock.nowUs();
        return { outcome: 'error', sentAtUs: now, endedAtUs: now, errorCode: orderErrorOfFailure(err) };
      })
      .then((o) => {
        clearTimeout(timer);
        this.controllers.delete(controller);
        if (o.acceptedAtUs !== undefined) this.recorder.accepted(intendedUs, o.acceptedAtUs);
        this.recorder.ended(intendedUs, o.sentAtUs, o.endedAtUs, o.outcome, o.errorCode);
        if (o.endedAtUs > this.lastEndedUs) this.lastEndedUs = o.endedAtUs;
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

  private sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.wakeStop = undefined;
        resolve();
      };
      this.wakeStop = done;
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
