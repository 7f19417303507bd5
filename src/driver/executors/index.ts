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

/**
 * The warm-up's rate, orders/s: the constant rate; a ramp's start rate (a tenth of its
 * first target, at least 1, when it starts from 0); a knee search's start rate; 0 for the
 * closed model, whose users warm up themselves.
 */
export function warmupRateOf(w: Pick<Workload, 'executor' | 'rate' | 'startRate' | 'stages'>): number {
  switch (w.executor) {
    case 'constant-arrival-rate':
      return w.rate;
    case 'constant-concurrency':
      return 0;
    case 'ramping-arrival-rate':
      return w.startRate > 0 ? w.startRate : Math.max(1, (w.stages[0]?.target ?? 0) / 10);
    case 'find-knee':
      // the search's first step
      return Math.max(1, w.startRate);
    default: {
      // a new executor says here how it warms up
      const unknown: never = w.executor;
      throw new Error(`no warm-up rate for executor ${String(unknown)}`);
    }
  }
}
