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

/** One second of a run as a controlled schedule sees it (counts of orders intended in that second). */
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
