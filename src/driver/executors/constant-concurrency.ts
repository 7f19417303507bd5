import type { Workload } from '../../scenario/schema.js';
import type { ClosedSchedule } from '../types.js';

/** A closed model: `concurrency` virtual users each start the next order when the last one ends. */
export function constantConcurrency(w: Pick<Workload, 'concurrency' | 'duration'>): ClosedSchedule {
  return { kind: 'closed', concurrency: w.concurrency, lengthUs: w.duration * 1000 };
}
