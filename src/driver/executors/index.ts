import type { Workload } from '../../scenario/schema.js';
import type { AnySchedule } from '../types.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantConcurrency } from './constant-concurrency.js';
import { findKnee } from './find-knee.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';

/** Executors by name, as a scenario's `workload.executor` names them; a knee search judges seconds against the SLO p99 (ms). */
export const EXECUTORS: Record<Workload['executor'], (w: Workload, sloP99Ms: number) => AnySchedule> = {
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'constant-concurrency': constantConcurrency,
  'find-knee': findKnee,
};

export function scheduleFor(w: Workload, sloP99Ms: number): AnySchedule {
  return EXECUTORS[w.executor](w, sloP99Ms);
}
