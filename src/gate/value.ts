import type { TransportResult } from '../result/schema.js';
import type { Metric } from './metric.js';

/** A metric read from a transport's result: a number, or null with the reason why there is none. */
export type MetricValue = { value: number; reason?: undefined } | { value: null; reason: string };

const RATE_LABEL: Record<string, string> = { errors: 'errors', dropped: 'dropped', failed: 'failed', timedOut: 'timed out' };

/** Reads a metric from one transport's result (latencies in ms, rates in %). */
export function metricValue(tr: TransportResult, metric: Metric): MetricValue {
  switch (metric.kind) {
    case 'latency': {
      if ('hop' in metric) {
        const s = tr.latency.hops[metric.hop];
        if (!s) {
          const known = Object.keys(tr.latency.hops);
          return { value: null, reason: `no hop "${metric.hop}" in this result${known.length ? ` (hops: ${known.join(', ')})` : ''}` };
        }
        if (s.count === 0) return { value: null, reason: `no samples for hop "${metric.hop}"` };
        return { value: s[metric.stat] };
      }
      const s = tr.latency[metric.family];
      if (s.count === 0) return { value: null, reason: `no ${metric.family} samples (nothing ended in the measured window)` };
      return { value: s[metric.stat] };
    }
    case 'count':
      return { value: tr.counts[metric.name] };
    case 'rate': {
      const attempted = tr.counts.attempted;
      if (attempted === 0) return { value: null, reason: `no orders attempted, so no ${RATE_LABEL[metric.name]} rate` };
      return { value: (tr.counts[metric.name] / attempted) * 100 };
    }
    case 'throughput':
      return { value: tr.throughput[metric.name] };
    case 'check':
      if (!tr.check) return { value: null, reason: `no order check in this result, so "${metric.name}" is unknown` };
      return { value: tr.check[metric.name] };
    case 'steady':
      if (!tr.steady) return { value: null, reason: 'no steady-state check in this result (no warm-up, or written before the check existed)' };
      return { value: tr.steady.reached ? 1 : 0 };
    case 'warnings':
      return { value: tr.warnings.filter((w) => metric.code === undefined || w.code === metric.code).length };
    case 'figure': {
      const v = tr.figures[metric.name];
      if (v === undefined) {
        const known = Object.keys(tr.figures);
        return { value: null, reason: `no figure "${metric.name}" in this result${known.length ? ` (figures: ${known.join(', ')})` : ''}` };
      }
      // a yes/no figure (kneeReached) compares as 1 or 0
      return { value: typeof v === 'boolean' ? Number(v) : v };
    }
  }
}

/** A metric value for people: `41.2 ms`, `0.5 %`, `512.3/s`, `3`. */
export function formatMetricValue(metric: Metric, value: number | null): string {
  if (value === null) return 'n/a';
  switch (metric.kind) {
    case 'latency':
      return `${formatNumber(value)} ms`;
    case 'rate':
      return `${formatNumber(value)}%`;
    case 'throughput':
      return `${formatNumber(value)}/s`;
    default:
      return formatNumber(value);
  }
}

/** Up to 3 significant decimals for small numbers, one decimal for large ones. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'NaN';
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(1);
  if (abs >= 1) return String(Number(n.toFixed(2)));
  return String(Number(n.toPrecision(3)));
}

/** A signed percentage: `+12.5%`, `-3%`, `+∞%`. */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return p > 0 ? '+∞%' : '-∞%';
  const s = formatNumber(p);
  return `${p > 0 ? '+' : ''}${s}%`;
}
