import type { Result, TransportResult } from '../result/schema.js';
import type { Verdict } from './evaluate.js';
import { higherIsWorse, type Metric } from './metric.js';
import { bootstrapChange, median, relativeChangePct, type BootstrapOptions } from './noise.js';
import { formatMetricValue, formatPercent, metricValue } from './value.js';

export interface RegressionOptions extends BootstrapOptions {
  metrics: readonly Metric[];
  /** the largest tolerated change for the worse, % (default 10) */
  maxRegressionPct?: number;
}

/** A regression check's verdict: `actual` is the relative change in % (positive: the value went up). */
export interface RegressionVerdict extends Verdict {
  kind: 'regression';
  metric: string;
  /** baseline value (median over baselines) and current value, in the metric's unit */
  baseline: number | null;
  current: number | null;
  /** 95% bootstrap interval of the relative change, %; null when compared by point values */
  interval: [number, number] | null;
  /** no baseline has this transport: not compared */
  skipped: boolean;
}

/**
 * Compares chosen metrics of each transport with the baselines (the same transport in
 * each; several baselines compare by their median). A regression fails only when the
 * whole 95% interval of the change lies beyond the limit in the worse direction; without
 * per-second data the point change is compared with the limit.
 */
export function checkRegressions(result: Result, baselines: readonly Result[], opts: RegressionOptions): RegressionVerdict[] {
  const limit = opts.maxRegressionPct ?? 10;
  const out: RegressionVerdict[] = [];
  for (const tr of result.transports) {
    // a stepped scenario compares each step with the same step of the baselines
    const bases = baselines.map((b) => b.transports.find((t) => t.name === tr.name && t.label === tr.label)).filter((t): t is TransportResult => t !== undefined);
    for (const metric of opts.metrics) out.push(checkOne(tr, bases, metric, limit, opts));
  }
  return out;
}

/** `endToEnd.p99 within +10% of baseline` / `throughput.completedPerSec within -10% of baseline`. */
export function regressionExpression(metric: Metric, limitPct: number): string {
  return `${metric.id} within ${higherIsWorse(metric) ? '+' : '-'}${limitPct}% of baseline`;
}

function checkOne(tr: TransportResult, bases: TransportResult[], metric: Metric, limit: number, opts: BootstrapOptions): RegressionVerdict {
  const base = {
    transport: tr.name,
    ...(tr.label ? { step: tr.label } : {}),
    expression: regressionExpression(metric, limit),
    kind: 'regression' as const,
    metric: metric.id,
  };
  if (bases.length === 0) {
    return { ...base, ok: true, skipped: true, actual: null, baseline: null, current: null, interval: null, detail: 'no baseline for this transport; not compared' };
  }
  const cur = metricValue(tr, metric);
  const baseValues = bases.map((b) => metricValue(b, metric));
  const missing = baseValues.find((v) => v.value === null);
  if (cur.value === null || missing) {
    const reason = cur.value === null ? `current: ${cur.reason}` : `baseline: ${missing!.reason}`;
    return { ...base, ok: false, skipped: false, actual: null, baseline: null, current: cur.value, interval: null, detail: reason };
  }
  const baseline = median(baseValues.map((v) => v.value!));
  const change = relativeChangePct(baseline, cur.value);
  const worse = higherIsWorse(metric);
  const ci = bootstrapChange(tr, bases, metric, opts);
  const beyond = (pct: number): boolean => (worse ? pct > limit : pct < -limit);
  const regressed = ci ? beyond(worse ? ci.lowPct : ci.highPct) : beyond(change);
  const values = `${formatMetricValue(metric, baseline)} → ${formatMetricValue(metric, cur.value)} (${formatPercent(change)})`;
  const from = bases.length > 1 ? ` (median of ${bases.length} baselines)` : '';
  let detail: string;
  if (ci) {
    const interval = `95% CI ${formatPercent(ci.lowPct)} … ${formatPercent(ci.highPct)}`;
    const noisy = !regressed && beyond(change) ? ', within noise' : '';
    detail = `${values}, ${interval}${regressed ? `, beyond ${worse ? '+' : '-'}${limit}%` : noisy}${from}`;
  } else {
    detail = `${values}, point comparison (no per-second data for ${metric.id}; noise not assessed)${from}`;
  }
  return {
    ...base,
    ok: !regressed,
    skipped: false,
    actual: Number.isFinite(change) ? change : null,
    baseline,
    current: cur.value,
    interval: ci ? [ci.lowPct, ci.highPct] : null,
    detail,
  };
}
