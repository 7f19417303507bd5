import { decodeHistogram, mergeHistograms, summarize } from '../metrics/histogram.js';
import { eventLogFiles, readEventLogRecords } from '../runtime/event-log.js';
import { checkRecords } from './checker.js';
/** The window of orders a fault could touch, epoch µs: from one order timeout before it began until it ended. */
function windowUs(fault, originUs, timeoutMs) {
    const endS = fault.endS ?? fault.startS;
    return [originUs + (fault.startS * 1000 - timeoutMs) * 1000, originUs + endS * 1e6];
}
/** The records of a run's event logs whose order falls in some fault's window (read a line at a time, only those kept). */
export function windowRecords(eventsDir, faults, originUs, timeoutMs) {
    const windows = faults.map((f) => windowUs(f, originUs, timeoutMs));
    const out = [];
    for (const file of eventLogFiles(eventsDir)) {
        for (const r of readEventLogRecords(file))
            if (windows.some(([a, b]) => r.intendedAtUs >= a && r.intendedAtUs <= b))
                out.push(r);
    }
    return out;
}
/**
 * What each fault of a run cost, in the manner of OpenChaos's checkers:
 *  - over the orders it could touch (intended from `timeoutMs` before it began, so in
 *    flight then, until it ended): how many, lost (accepted, never terminal),
 *    duplicated deliveries and reordered events, by the same checker as the whole run;
 *  - over the window's seconds: errors and timeouts, and the end-to-end p99 of what
 *    ended then;
 *  - after it: seconds from its end to the first completed order and to a drained backlog.
 * Reordering against orders outside the window is not counted here (the run's check has it).
 */
export function faultCosts(a) {
    const t = { timeline: a.timeline, backlog: a.backlog };
    const totals = backlogTotals(t);
    for (const fault of a.faults) {
        const endS = fault.endS ?? fault.startS;
        const [fromUs, toUs] = windowUs(fault, a.originUs, a.timeoutMs);
        const inWindow = (us) => us >= fromUs && us <= toUs;
        const orders = new Set();
        for (const r of a.records)
            if (inWindow(r.intendedAtUs))
                orders.add(r.orderId);
        const accepted = new Set();
        for (const [id, us] of a.accepted) {
            if (!inWindow(us))
                continue;
            accepted.add(id);
            orders.add(id);
        }
        const check = checkRecords({ records: a.records.filter((r) => orders.has(r.orderId)), accepted, drained: true, drainMs: 0, examples: 0 });
        const seconds = t.timeline.filter((p) => p.t > fault.startS && p.t <= Math.ceil(endS));
        const ended = seconds.filter((p) => p.h);
        const p99 = ended.length ? summarize(mergeHistograms(ended.map((p) => decodeHistogram(p.h)))) : undefined;
        const firstSuccess = t.timeline.find((p) => p.t > endS && p.completed > 0);
        const drained = totals.find((b) => b.t > endS && b.depth === 0);
        fault.cost = {
            orders: orders.size,
            lost: check.lost,
            duplicates: check.duplicates,
            reordered: check.reordered,
            errors: seconds.reduce((n, p) => n + p.errors, 0),
            timedOut: seconds.reduce((n, p) => n + p.timedOut, 0),
            p99InWindowMs: p99 && p99.count > 0 ? p99.p99 : null,
            endToFirstSuccessS: firstSuccess ? round(Math.max(0, firstSuccess.t - 1 - endS) + 0.5) : null,
            endToDrainedS: drained ? round(drained.t - endS) : null,
        };
    }
}
/** The first fault's cost as figures, for thresholds (`figures.lostInFault == 0`). */
export function faultCostFigures(faults) {
    const cost = faults.find((f) => f.cost)?.cost;
    if (!cost)
        return {};
    const figures = { lostInFault: cost.lost, duplicatesInFault: cost.duplicates, errorsAndTimeoutsInFault: cost.errors + cost.timedOut };
    if (cost.p99InWindowMs !== null)
        figures.p99InFaultWindowMs = cost.p99InWindowMs;
    return figures;
}
/** Total backlog over every channel at each sample time. */
function backlogTotals(t) {
    const byT = new Map();
    for (const b of t.backlog)
        byT.set(b.t, (byT.get(b.t) ?? 0) + b.depth);
    return [...byT.entries()].sort((x, y) => x[0] - y[0]).map(([time, depth]) => ({ t: time, depth }));
}
const round = (n) => Math.round(n * 10) / 10;
//# sourceMappingURL=fault-cost.js.map