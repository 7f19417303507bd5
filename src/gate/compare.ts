import type { Result, TransportResult } from '../result/schema.js';
import { higherIsWorse, parseMetrics, type Metric } from './metric.js';
import { bootstrapChange, NOISE_METHOD, relativeChangePct, type BootstrapOptions } from './noise.js';
import { metricValue } from './value.js';

/** The metrics `bench compare` shows by default. */
export const COMPARE_METRICS = [
  'endToEnd.p50',
  'endToEnd.p90',
  'endToEnd.p99',
  'endToEnd.p999',
  'endToEnd.max',
  'acceptance.p50',
  'acceptance.p99',
  'throughput.completedPerSec',
  'errors.rate',
  'dropped',
  'timedOut',
  'lost',
  'duplicates',
];

export interface CompareRow {
  metric: Metric;
  /** values in the metric's unit (ms, %, plain); null when a result lacks it */
  a: number | null;
  b: number | null;
  /** b − a, and relative to a in % */
  delta: number | null;
  deltaPct: number | null;
  /** 95% bootstrap interval of the relative change a → b, % */
  interval: [number, number] | null;
  /** beyond: the interval excludes 0; within: it does not; n/a: no per-second data */
  noise: 'beyond' | 'within' | 'n/a';
  /** which run is better on this metric, when the difference is beyond noise */
  better: 'a' | 'b' | null;
}

export interface Comparison {
  a: { runId: string; scenario: string; label: string };
  b: { runId: string; scenario: string; label: string };
  transports: Array<{ name: string; rows: CompareRow[] }>;
  /** transports present in only one of the results */
  onlyInA: string[];
  onlyInB: string[];
  noiseMethod: string;
}

export interface CompareOptions extends BootstrapOptions {
  metrics?: readonly string[];
  labels?: [string, string];
}

/** Compares two results transport by transport (same names), with the gate's noise method. */
export function compareResults(a: Result, b: Result, opts: CompareOptions = {}): Comparison {
  const metrics = parseMetrics(opts.metrics ?? COMPARE_METRICS);
  const names = a.transports.map((t) => t.name).filter((n) => b.transports.some((t) => t.name === n));
  return {
    a: { runId: a.runId, scenario: a.scenario.name, label: opts.labels?.[0] ?? 'a' },
    b: { runId: b.runId, scenario: b.scenario.name, label: opts.labels?.[1] ?? 'b' },
    transports: names.map((name) => {
      const ta = a.transports.find((t) => t.name === name)!;
      const tb = b.transports.find((t) => t.name === name)!;
      return { name, rows: metrics.map((m) => compareRow(ta, tb, m, opts)) };
    }),
    onlyInA: a.transports.map((t) => t.name).filter((n) => !names.includes(n)),
    onlyInB: b.transports.map((t) => t.name).filter((n) => !names.includes(n)),
    noiseMethod: NOISE_METHOD,
  };
}

function compareRow(ta: TransportResult, tb: TransportResult, metric: Metric, opts: BootstrapOptions): CompareRow {
  const a = metricValue(ta, metric).value;
  const b = metricValue(tb, metric).value;
  if (a === null || b === null) return { metric, a, b, delta: null, deltaPct: null, interval: null, noise: 'n/a', better: null };
  const ci = bootstrapChange(tb, [ta], metric, opts);
  const beyond = ci !== null && (ci.lowPct > 0 || ci.highPct < 0);
  const bIsWorse = higherIsWorse(metric) ? b > a : b < a;
  return {
    metric,
    a,
    b,
    delta: b - a,
    deltaPct: relativeChangePct(a, b),
    interval: ci ? [ci.lowPct, ci.highPct] : null,
    noise: ci === null ? 'n/a' : beyond ? 'beyond' : 'within',
    better: beyond ? (bIsWorse ? 'a' : 'b') : null,
  };
}
