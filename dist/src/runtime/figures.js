/**
 * Headline figures a scenario reports, computed from a transport's timeline, faults
 * and backlog (seconds are counted from the start of the measured window):
 *  - with faults: error rate inside the first fault's window, time from the end of the
 *    fault (restart) to the first completed order and to a drained backlog, peak backlog;
 *  - always: peak backlog (messaging);
 *  - for ramping runs, the sustainable throughput: the highest per-second completion
 *    rate among seconds whose p99 met the SLO with nothing dropped, before the first two
 *    consecutive seconds that did not (the knee of the ramp).
 */
export function scenarioFigures(t, scenario) {
    const figures = {};
    const totals = backlogTotals(t);
    if (totals.length)
        figures.peakBacklog = Math.max(...totals.map((b) => b.depth));
    const fault = t.faults[0];
    if (fault) {
        const end = fault.endS ?? fault.startS;
        const inWindow = t.timeline.filter((p) => p.t > fault.startS && p.t <= Math.ceil(end));
        const attempted = inWindow.reduce((n, p) => n + p.attempted, 0);
        const bad = inWindow.reduce((n, p) => n + p.errors + p.timedOut, 0);
        figures.errorsInFaultWindow = bad;
        figures.errorRateInFaultWindowPct = attempted ? round((bad / attempted) * 100) : 0;
        figures.failedInFaultWindow = inWindow.reduce((n, p) => n + p.failed, 0);
        const firstSuccess = t.timeline.find((p) => p.t > end && p.completed > 0);
        if (firstSuccess)
            figures.restartToFirstSuccessS = round(Math.max(0, firstSuccess.t - 1 - end) + 0.5);
        if (totals.length) {
            const peakAfter = totals.filter((b) => b.t >= fault.startS);
            if (peakAfter.length)
                figures.peakBacklogInFault = Math.max(...peakAfter.map((b) => b.depth));
            const drained = totals.find((b) => b.t > end && b.depth === 0);
            if (drained)
                figures.restartToBacklogDrainedS = round(drained.t - end);
        }
    }
    // the knee only means something when the rate climbs
    if (scenario.workload.executor !== 'ramping-arrival-rate')
        return figures;
    const slo = scenario.slo.endToEndP99;
    let sustainable = 0;
    let misses = 0;
    for (const p of t.timeline) {
        const ok = p.dropped === 0 && p.errors === 0 && p.timedOut === 0 && (p.completed + p.failed === 0 || p.p99 <= slo);
        if (ok) {
            misses = 0;
            sustainable = Math.max(sustainable, p.completed + p.failed);
        }
        else if (++misses >= 2)
            break;
    }
    figures.sustainablePerSec = sustainable;
    return figures;
}
/** Total backlog over every channel at each sample time. */
export function backlogTotals(t) {
    const byT = new Map();
    for (const b of t.backlog)
        byT.set(b.t, (byT.get(b.t) ?? 0) + b.depth);
    return [...byT.entries()].sort((a, b) => a[0] - b[0]).map(([time, depth]) => ({ t: time, depth }));
}
const round = (n) => Math.round(n * 10) / 10;
//# sourceMappingURL=figures.js.map