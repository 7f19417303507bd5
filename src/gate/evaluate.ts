import { ConfigError } from '../contract/errors.js';
import type { Result, TransportResult } from '../result/schema.js';
import { compare, type Threshold } from './expression.js';
import { thresholdsFor, type ThresholdSpec } from './thresholds.js';
import { formatMetricValue, metricValue } from './value.js';

/** The outcome of one check (a threshold, or a regression against a baseline) on one transport. */
export interface Verdict {
  transport: string;
  /**
   * For a multi-step scenario, the label of the step's entry (`kafka · 3 instances`):
   * a verdict belongs to that entry alone, never to the transport's other steps.
   */
  step?: string;
  expression: string;
  ok: boolean;
  /** the measured value in the metric's unit (ms, %, plain); for a regression, the relative change in % */
  actual: number | null;
  /** one line: the comparison made, or why it could not be made */
  detail: string;
  kind?: 'threshold' | 'regression';
}

/** Evaluates one parsed threshold on one transport. A missing value fails, never passes. */
export function evaluateThreshold(tr: TransportResult, t: Threshold): Verdict {
  const base = { transport: tr.name, ...(tr.label ? { step: tr.label } : {}), expression: t.expression, kind: 'threshold' as const };
  const read = metricValue(tr, t.metric);
  const status = tr.status === 'completed' ? '' : ` (transport ${tr.status}${tr.statusDetail ? `: ${tr.statusDetail}` : ''})`;
  if (read.value === null) return { ...base, ok: false, actual: null, detail: read.reason + status };
  const ok = compare(read.value, t.op, t.value);
  const actual = formatMetricValue(t.metric, read.value);
  const bound = formatMetricValue(t.metric, t.value);
  const detail = ok ? `${actual} ${t.op} ${bound}` : `${actual} is not ${t.op} ${bound}`;
  return { ...base, ok, actual: read.value, detail: detail + status };
}

/**
 * Evaluates thresholds on every transport of a result. `thresholds` defaults to the
 * result's own `scenario.resolved.thresholds`. Throws ConfigError on a bad expression.
 */
export function evaluateThresholds(result: Result | TransportResult[], thresholds?: ThresholdSpec): Verdict[] {
  const transports = Array.isArray(result) ? result : result.transports;
  const spec = thresholds ?? (Array.isArray(result) ? undefined : resultThresholds(result));
  const verdicts: Verdict[] = [];
  for (const tr of transports) {
    for (const t of thresholdsFor(spec, tr.name)) verdicts.push(evaluateThreshold(tr, t));
  }
  return verdicts;
}

/** The thresholds a result was run with (`scenario.resolved.thresholds`, checked when the result was parsed). */
export function resultThresholds(result: Result): ThresholdSpec | undefined {
  return result.scenario.resolved.thresholds;
}

/** What a verdict judged, for display: the step's label (`kafka · 3 instances`) or the transport. */
export function verdictSubject(v: Verdict): string {
  return v.step ?? v.transport;
}

/** True when the verdict judged this entry of a result: same transport, same step (or neither has one). */
export function verdictBelongsTo(v: Verdict, tr: TransportResult): boolean {
  return v.transport === tr.name && v.step === tr.label;
}

/** An entry's `thresholds` field from the verdicts: its own threshold verdicts only (not regressions). */
export function thresholdEntries(tr: TransportResult, verdicts: readonly Verdict[]): TransportResult['thresholds'] {
  return verdicts
    .filter((v) => verdictBelongsTo(v, tr) && (v.kind ?? 'threshold') === 'threshold')
    .map((v) => ({ expression: v.expression, ok: v.ok, actual: v.actual, detail: v.detail }));
}

/** A copy of the result with each transport's `thresholds` set from the verdicts (threshold verdicts only). */
export function withVerdicts(result: Result, verdicts: readonly Verdict[]): Result {
  return { ...result, transports: result.transports.map((tr) => ({ ...tr, thresholds: thresholdEntries(tr, verdicts) })) };
}
