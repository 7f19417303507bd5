import { EventLogReader, eventLogBytes, eventLogFiles } from '../runtime/event-log.js';
import { SampleKeeper } from '../runtime/sample.js';
import { OrderChecker } from './checker.js';
/** How many lines between two `advance` calls (letting go is cheap, not free). */
const ADVANCE_EVERY = 2048;
/**
 * Checks a transport's event logs (every service instance's) without loading them:
 * the logs are read together, a chunk at a time, in the order their lines were
 * written (each log is in that order; the reader always takes the earliest line at
 * the head of any log), so the checker can let go of what lies a window behind.
 */
export function checkEventLogs(dir, input) {
    const fromUs = input.fromUs ?? 0;
    const sample = new SampleKeeper(fromUs);
    const opts = { accepted: input.accepted, fromUs, onOrder: (o) => sample.offer(o) };
    if (input.examples !== undefined)
        opts.examples = input.examples;
    if (input.windowUs !== undefined)
        opts.windowUs = input.windowUs;
    const checker = new OrderChecker(opts);
    const files = eventLogFiles(dir);
    const readers = files.map((f) => new EventLogReader(f));
    const heads = readers.map((r) => r.next());
    let lines = 0;
    let peakOrders = 0;
    let peakEvents = 0;
    for (;;) {
        let k = -1;
        for (let i = 0; i < heads.length; i++)
            if (heads[i] && (k < 0 || heads[i].timeUs < heads[k].timeUs))
                k = i;
        if (k < 0)
            break;
        const line = heads[k];
        for (const r of line.records)
            checker.add(r, line.timeUs);
        heads[k] = readers[k].next();
        if (++lines % ADVANCE_EVERY === 0) {
            const h = checker.holding;
            peakOrders = Math.max(peakOrders, h.orders);
            peakEvents = Math.max(peakEvents, h.events);
            checker.advance(line.timeUs);
        }
    }
    const h = checker.holding;
    peakOrders = Math.max(peakOrders, h.orders);
    peakEvents = Math.max(peakEvents, h.events);
    const check = checker.finish(input.drained, input.drainMs);
    const bytes = eventLogBytes(dir);
    return { check, sample: sample.rows(), bytes, lines, peakOrders, peakEvents };
}
//# sourceMappingURL=check-logs.js.map