export type { OrderOutcome, SubmitOrder } from '../contract/transport.js';

/**
 * An arrival schedule: the intended start of the i-th order, in microseconds from the
 * schedule's start, or undefined once the schedule has ended.
 */
export interface ArrivalSchedule {
  kind: 'open';
  at(index: number): number | undefined;
  /** total length, microseconds */
  lengthUs: number;
  /** target rate at a time offset (microseconds from start), orders/s */
  rateAt(offsetUs: number): number;
}

/** A closed model: this many virtual users, each with one order in flight, for this long. */
export interface ClosedSchedule {
  kind: 'closed';
  concurrency: number;
  lengthUs: number;
}

export type Schedule = ArrivalSchedule | ClosedSchedule;

/** One second of a run as a controlled schedule sees it (orders counted in the second they ended). */
export interface ControlSecond {
  /** seconds since the measured window began, 1 = the first second */
  t: number;
  /** the rate the schedule asked for in that second, orders/s */
  targetPerSec: number;
  attempted: number;
  /** orders that reached a terminal state (completed or failed) in that second */
  carried: number;
  dropped: number;
  timedOut: number;
  errors: number;
  /** end-to-end p99 of the orders that ended in that second, ms (0 when none did) */
  p99: number;
  /** orders in flight at the end of the second */
  inFlight: number;
}

/**
 * A schedule that decides its rate as it goes (a knee search): the driver asks `rate()`
 * before each order, reports every finished second with `observe`, and stops once
 * `done()` holds or `lengthUs` has passed.
 */
export interface ControlledSchedule {
  kind: 'controlled';
  /** orders/s to offer now */
  rate(): number;
  observe(second: ControlSecond): void;
  done(): boolean;
  /** the longest it may run, microseconds */
  lengthUs: number;
}

export type AnySchedule = Schedule | ControlledSchedule;

/** One second of the warm-up, as the warm-up judge sees it: `t` counts from the warm-up's start; `inFlight` is warm-up orders. */
export type WarmupSecond = Omit<ControlSecond, 'targetPerSec'>;

/** The judge's word on the warm-up so far: `why` is one human line (what held, or what did not). */
export interface WarmupVerdict {
  steady: boolean;
  why?: string;
}

/** How the driver warms up before it measures. */
export interface WarmupPlan {
  /** the warm-up lasts at least this long, ms */
  minMs: number;
  /** and at most this long, steady or not, ms */
  maxMs: number;
  /** the open model's warm-up rate, orders/s; 0 = no separate rate (the closed model's users warm up themselves) */
  ratePerSec: number;
  /**
   * asked once per finished second from `minMs` on, with that second and the warm-up's
   * last seconds (oldest first, that second last); absent: the warm-up lasts `minMs`
   */
  judge?: (second: WarmupSecond, recent: readonly WarmupSecond[]) => WarmupVerdict;
}
