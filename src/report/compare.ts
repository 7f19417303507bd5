import { decodeHistogram, encodeHistogram, mergeHistograms, summarize } from '../metrics/histogram.js';
import type { Result, TransportResult } from '../result/schema.js';

/**
 * One result out of several runs, for a comparison report. Side by side (default):
 * every transport of every run, labelled by run, each with its own histograms and
 * timelines. Merged: same-named transports pooled across runs, their histograms
 * merged (never percentiles averaged), counts summed; timelines are dropped because
 * runs do not share a clock.
 */

export interface LabelledResult {
  result: Result;
  /** shown after the transport name, e.g. `run 2` */
  label: string;
}

export type CompareMode = 'side-by-side' | 'merge';

/** The worst of several statuses: any that is not `completed` wins, the most severe first. */
const worst = <S extends Result['status']>(statuses: S[]): S =>
  (['killed', 'failed', 'aborted', 'running'] as S[]).find((s) => statuses.includes(s)) ?? ('completed' as S);

function mergeEncoded(encoded: string[]): string {
  const present = encoded.filter((e) => e !== '');
  return present.length === 0 ? '' : encodeHistogram(mergeHistograms(present.map(decodeHistogram)));
}

function sumRecords(records: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Pools one transport's runs: histograms merged and re-summarised, counts summed, rates weighted by measured time. */
function mergeTransports(name: string, runs: TransportResult[]): TransportResult {
  const first = runs[0]!;
  const measuredMs = runs.reduce((a, t) => a + t.measuredMs, 0);
  const rate = (pick: (t: TransportResult) => number): number =>
    measuredMs === 0 ? 0 : runs.reduce((a, t) => a + pick(t) * t.measuredMs, 0) / measuredMs;
  const hopNames = [...new Set(runs.flatMap((t) => Object.keys(t.histograms.hops)))];
  const histograms = {
    endToEnd: mergeEncoded(runs.map((t) => t.histograms.endToEnd)),
    endToEndUncorrected: mergeEncoded(runs.map((t) => t.histograms.endToEndUncorrected)),
    acceptance: mergeEncoded(runs.map((t) => t.histograms.acceptance)),
    hops: Object.fromEntries(hopNames.map((h) => [h, mergeEncoded(runs.map((t) => t.histograms.hops[h] ?? ''))])),
  };
  const summary = (encoded: string): TransportResult['latency']['endToEnd'] =>
    encoded === '' ? summarize(mergeHistograms([])) : summarize(decodeHistogram(encoded));
  const checks = runs.map((t) => t.check).filter((c): c is NonNullable<TransportResult['check']> => c !== undefined);
  const sameDelivery = runs.every((t) => JSON.stringify(t.delivery) === JSON.stringify(first.delivery));
  const counts = sumRecords(runs.map((t) => t.counts)) as TransportResult['counts'];
  return {
    ...first,
    name,
    status: worst(runs.map((t) => t.status)),
    statusDetail: `${runs.length} runs pooled${sameDelivery ? '' : '; delivery settings differ between runs (first run shown)'}`,
    startedAt: runs.map((t) => t.startedAt).sort()[0]!,
    finishedAt: runs.map((t) => t.finishedAt).sort().at(-1)!,
    measuredMs,
    counts,
    errorsByCode: sumRecords(runs.map((t) => t.errorsByCode)),
    latency: {
      endToEnd: summary(histograms.endToEnd),
      endToEndUncorrected: summary(histograms.endToEndUncorrected),
      acceptance: summary(histograms.acceptance),
      hops: Object.fromEntries(hopNames.map((h) => [h, summary(histograms.hops[h]!)])),
    },
    throughput: {
      targetPerSec: rate((t) => t.throughput.targetPerSec),
      attemptedPerSec: rate((t) => t.throughput.attemptedPerSec),
      acceptedPerSec: rate((t) => t.throughput.acceptedPerSec),
      completedPerSec: rate((t) => t.throughput.completedPerSec),
    },
    timeline: [],
    histograms,
    check:
      checks.length === 0
        ? undefined
        : {
            ...(sumRecords(checks.map(({ drained: _d, examples: _e, ...numbers }) => numbers)) as Omit<NonNullable<TransportResult['check']>, 'drained' | 'examples'>),
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

export function compareResults(runs: LabelledResult[], mode: CompareMode = 'side-by-side'): Result {
  if (runs.length === 0) throw new Error('compareResults needs at least one result');
  const first = runs[0]!.result;
  let transports: TransportResult[];
  if (mode === 'merge') {
    const names = [...new Set(runs.flatMap((r) => r.result.transports.map((t) => t.name)))];
    transports = names.map((n) => mergeTransports(n, runs.flatMap((r) => r.result.transports.filter((t) => t.name === n))));
  } else {
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
    startedAt: runs.map((r) => r.result.startedAt).sort()[0]!,
    finishedAt: runs.map((r) => r.result.finishedAt).sort().at(-1)!,
    scenario: {
      ...first.scenario,
      name: scenarios.join(' vs '),
      description:
        mode === 'merge'
          ? `${runs.length} runs pooled per transport: histograms merged, counts summed. Time charts are omitted because the runs do not share a clock.`
          : `${runs.length} runs side by side; each transport is labelled with its run.`,
      comment,
    },
    environment: first.environment,
    transports,
  };
}
