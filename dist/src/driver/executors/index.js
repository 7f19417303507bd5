import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantConcurrency } from './constant-concurrency.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
/** Executors by name, as a scenario's `workload.executor` names them. */
export const EXECUTORS = {
    'constant-arrival-rate': constantArrivalRate,
    'ramping-arrival-rate': rampingArrivalRate,
    'constant-concurrency': constantConcurrency,
};
export function scheduleFor(w) {
    return EXECUTORS[w.executor](w);
}
//# sourceMappingURL=index.js.map