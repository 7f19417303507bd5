import type { Workload } from '../../scenario/schema.js';
import type { Schedule } from '../types.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantConcurrency } from './constant-concurrency.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';

/** Executors by name, as a scenario's `workload.executor` names them. */
export const EXECUTORS: Record<Workload['executor'], (w: Workload) => Schedule> = {
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'constant-concurrency': constantConcurrency,
};

export function scheduleFor(w: Workload): Schedule {
  return EXECUTORS[w.executor](w);
}
