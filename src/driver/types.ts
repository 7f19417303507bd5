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
