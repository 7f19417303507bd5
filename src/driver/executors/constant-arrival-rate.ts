import type { Workload } from '../../scenario/schema.js';
import type { ArrivalSchedule } from '../types.js';

/** Orders start at a fixed rate, whatever the responses (open model), for the measured duration. */
export function constantArrivalRate(w: Pick<Workload, 'rate' | 'duration'>): ArrivalSchedule {
  const intervalUs = 1_000_000 / w.rate;
  const lengthUs = w.duration * 1000;
  const count = Math.floor((lengthUs - 1e-6) / intervalUs) + 1;
  return {
    kind: 'open',
    lengthUs,
    at: (i) => (i < count ? Math.round(i * intervalUs) : undefined),
    rateAt: () => w.rate,
  };
}
