import { evaluateThresholds, thresholdEntries } from '../gate/evaluate.js';
import { encodeHistogram, summarize } from '../metrics/histogram.js';
import { faultCostFigures } from '../check/fault-cost.js';
import { scenarioFigures } from './figures.js';
/**
 * The one place a transport's result is built: measured pieces first, then what is
 * derived from them (scenario figures, then threshold verdicts, which may read those
 * figures). Verdicts come from the gate's own evaluation, so `bench gate` on the written
 * file judges exactly as the run did.
 */
export function buildTransportResult(p) {
    const result = measuredResult(p);
    result.figures = { ...result.figures, ...scenarioFigures(result, p.scenario), ...faultCostFigures(result.faults), eventLogBytes: p.eventLogBytes };
    return withOwnVerdicts(result, p.scenario);
}
/** The entry with its `thresholds` judged by the gate's evaluation of the scenario's thresholds. */
function withOwnVerdicts(result, scenario) {
    result.thresholds = thresholdEntries(result, evaluateThresholds([result], scenario.thresholds));
    return result;
}
function measuredResult(p) {
    const d = p.driver;
    const seconds = Math.max(d.measuredMs / 1000, 1e-3);
    const hopSummaries = {};
    const hopEncoded = {};
    for (const [hop, h] of Object.entries(p.services.hops)) {
        hopSummaries[hop] = summarize(h);
        hopEncoded[hop] = encodeHistogram(h);
    }
    const c = d.counts;
    const result = {
        name: p.transport,
        ...(p.step ? { label: p.step.label, step: p.step.changes } : {}),
        ...statusOf(p),
        startedAt: p.startedAt,
        finishedAt: p.finishedAt,
        measuredMs: Math.round(d.measuredMs),
        warmupMs: p.scenario.workload.warmup,
        versions: p.description.server ? { clients: p.description.clients, server: p.description.server } : { clients: p.description.clients },
        delivery: p.description.delivery,
        ...(p.description.address ? { address: p.description.address } : {}),
        counts: c,
        errorsByCode: d.errorsByCode,
        latency: { ...d.latency, hops: hopSummaries },
        throughput: {
            targetPerSec: round2(d.targetPerSec),
            attemptedPerSec: round2(c.attempted / seconds),
            acceptedPerSec: round2(c.accepted / seconds),
            completedPerSec: round2((c.completed + c.failed) / seconds),
        },
        timeline: d.timeline,
        histograms: { ...d.histograms, hops: hopEncoded },
        services: p.services.services,
        check: p.check,
        faults: p.faults,
        backlog: p.backlog,
        figures: d.unfinished > 0 ? { unfinishedAtEnd: d.unfinished } : {},
        ...(p.steady ? { steady: p.steady } : {}),
        ...(p.calibration ? { calibration: p.calibration } : {}),
        ...(p.resources ? { resources: p.resources } : {}),
        warnings: p.warnings ?? [],
        sample: p.sample,
        thresholds: [],
    };
    return result;
}
/** Completed only when the schedule ran to its end and every process kept its connection. */
function statusOf(p) {
    const g = p.gaveUp;
    if (g.length > 0)
        return { status: 'failed', statusDetail: g.length > 1 ? `${g[0]} (and ${g.length - 1} more)` : g[0] };
    if (p.driver.stopped)
        return { status: 'aborted', statusDetail: 'stopped by a signal before the schedule ended' };
    return { status: 'completed' };
}
/**
 * The entry of a transport that could not run (or broke mid-run): no figures, one line
 * saying why; each of its thresholds fails, naming that reason.
 */
export function failedTransportResult(name, detail, scenario, step) {
    const empty = { count: 0, min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const now = new Date().toISOString();
    return withOwnVerdicts({
        name,
        ...(step ? { label: step.label, step: step.changes } : {}),
        status: 'failed',
        statusDetail: detail,
        startedAt: now,
        finishedAt: now,
        measuredMs: 0,
        warmupMs: 0,
        versions: { clients: [] },
        delivery: {},
        counts: { attempted: 0, accepted: 0, completed: 0, failed: 0, errors: 0, dropped: 0, timedOut: 0 },
        errorsByCode: {},
        latency: { endToEnd: empty, endToEndUncorrected: empty, acceptance: empty, hops: {} },
        throughput: { targetPerSec: 0, attemptedPerSec: 0, acceptedPerSec: 0, completedPerSec: 0 },
        timeline: [],
        histograms: { endToEnd: '', endToEndUncorrected: '', acceptance: '', hops: {} },
        services: {},
        faults: [],
        backlog: [],
        figures: {},
        warnings: [],
        sample: [],
        thresholds: [],
    }, scenario);
}
const round2 = (n) => Math.round(n * 100) / 100;
//# sourceMappingURL=transport-result.js.map