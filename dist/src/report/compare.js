import { decodeHistogram, encodeHistogram, mergeHistograms, summarize } from '../metrics/histogram.js';
/** The worst of several statuses: any that is not `completed` wins, the most severe first. */
const worst = (statuses) => ['killed', 'failed', 'aborted', 'running'].find((s) => statuses.includes(s)) ?? 'completed';
function mergeEncoded(encoded) {
    const present = encoded.filter((e) => e !== '');
    return present.length === 0 ? '' : encodeHistogram(mergeHistograms(present.map(decodeHistogram)));
}
function sumRecords(records) {
    const out = {};
    for (const r of records)
        for (const [k, v] of Object.entries(r))
            out[k] = (out[k] ?? 0) + v;
    return out;
}
/** Pools one transport's runs: histograms merged and re-summarised, counts summed, rates weighted by measured time. */
function mergeTransports(name, runs) {
    const first = runs[0];
    const measuredMs = runs.reduce((a, t) => a + t.measuredMs, 0);
    const rate = (pick) => measuredMs === 0 ? 0 : runs.reduce((a, t) => a + pick(t) * t.measuredMs, 0) / measuredMs;
    const hopNames = [...new Set(runs.flatMap((t) => Object.keys(t.histograms.hops)))];
    const histograms = {
        endToEnd: mergeEncoded(runs.map((t) => t.histograms.endToEnd)),
        endToEndUncorrected: mergeEncoded(runs.map((t) => t.histograms.endToEndUncorrected)),
        acceptance: mergeEncoded(runs.map((t) => t.histograms.acceptance)),
        hops: Object.fromEntries(hopNames.map((h) => [h, mergeEncoded(runs.map((t) => t.histograms.hops[h] ?? ''))])),
    };
    const summary = (encoded) => encoded === '' ? summarize(mergeHistograms([])) : summarize(decodeHistogram(encoded));
    const checks = runs.map((t) => t.check).filter((c) => c !== undefined);
    const sameDelivery = runs.every((t) => JSON.stringify(t.delivery) === JSON.stringify(first.delivery));
    const counts = sumRecords(runs.map((t) => t.counts));
    return {
        ...first,
        name,
        status: worst(runs.map((t) => t.status)),
        statusDetail: `${runs.length} runs pooled${sameDelivery ? '' : '; delivery settings differ between runs (first run shown)'}`,
        startedAt: runs.map((t) => t.startedAt).sort()[0],
        finishedAt: runs.map((t) => t.finishedAt).sort().at(-1),
        measuredMs,
        counts,
        errorsByCode: sumRecords(runs.map((t) => t.errorsByCode)),
        latency: {
            endToEnd: summary(histograms.endToEnd),
            endToEndUncorrected: summary(histograms.endToEndUncorrected),
            acceptance: summary(histograms.acceptance),
            hops: Object.fromEntries(hopNames.map((h) => [h, summary(histograms.hops[h])])),
        },
        throughput: {
            targetPerSec: rate((t) => t.throughput.targetPerSec),
            attemptedPerSec: rate((t) => t.throughput.attemptedPerSec),
            acceptedPerSec: rate((t) => t.throughput.acceptedPerSec),
            completedPerSec: rate((t) => t.throughput.completedPerSec),
        },
        timeline: [],
        histograms,
        check: checks.length === 0
            ? undefined
            : {
                ...sumRecords(checks.map(({ drained: _d, examples: _e, ...numbers }) => numbers)),
                drained: checks.every((c) => c.drained),
                drainMs: Math.max(...checks.map((c) => c.drainMs)),
                examples: {},
            },
        faults: [],
        backlog: [],
        figures: {},
        thresholds: [],
    };
}
export function compareResults(runs, mode = 'side-by-side') {
    if (runs.length === 0)
        throw new Error('compareResults needs at least one result');
    const first = runs[0].result;
    let transports;
    if (mode === 'merge') {
        const names = [...new Set(runs.flatMap((r) => r.result.transports.map((t) => t.name)))];
        transports = names.map((n) => mergeTransports(n, runs.flatMap((r) => r.result.transports.filter((t) => t.name === n))));
    }
    else {
        transports = runs.flatMap((r) => r.result.transports.map((t) => ({ ...t, name: `${t.name} · ${r.label}` })));
    }
    const scenarios = [...new Set(runs.map((r) => r.result.scenario.name))];
    const comment = runs
        .map((r) => {
        const e = r.result.environment;
        return `${r.label}: ${r.result.scenario.name}, run ${r.result.runId}, ${r.result.startedAt}, ${e.cpus} × ${e.cpuModel} on ${e.hostname}${e.gitSha ? `, git ${e.gitSha.slice(0, 12)}` : ''}`;
    })
        .join('\n');
    return {
        schemaVersion: first.schemaVersion,
        runId: `comparison of ${runs.map((r) => r.result.runId).join(', ')}`,
        status: worst(runs.map((r) => r.result.status)),
        startedAt: runs.map((r) => r.result.startedAt).sort()[0],
        finishedAt: runs.map((r) => r.result.finishedAt).sort().at(-1),
        scenario: {
            ...first.scenario,
            name: scenarios.join(' vs '),
            description: mode === 'merge'
                ? `${runs.length} runs pooled per transport: histograms merged, counts summed. Time charts are omitted because the runs do not share a clock.`
                : `${runs.length} runs side by side; each transport is labelled with its run.`,
            comment,
        },
        environment: first.environment,
        transports,
    };
}
//# sourceMappingURL=compare.js.map