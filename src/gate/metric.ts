/**
 * The metrics a threshold or a regression check can name, and how to read them from a
 * transport's result. Kept free of heavy imports: the scenario loader validates
 * thresholds through this module.
 */
import { ConfigError } from '../contract/errors.js';

export const LATENCY_FAMILIES = ['endToEnd', 'endToEndUncorrected', 'acceptance'] as const;
export const LATENCY_STATS = ['min', 'mean', 'stddev', 'p50', 'p90', 'p99', 'p999', 'max'] as const;
export const COUNT_NAMES = ['attempted', 'accepted', 'completed', 'failed', 'errors', 'dropped', 'timedOut'] as const;
export const RATE_NAMES = ['errors', 'dropped', 'failed', 'timedOut'] as const;
export const THROUGHPUT_NAMES = ['targetPerSec', 'attemptedPerSec', 'acceptedPerSec', 'completedPerSec'] as const;
export const CHECK_NAMES = [
  'lost',
  'stuck',
  'duplicates',
  'duplicateEffects',
  'reordered',
  'invalidTransitions',
  'compensationErrors',
  'redeliveries',
] as const;

export type LatencyFamily = (typeof LATENCY_FAMILIES)[number];
export type LatencyStat = (typeof LATENCY_STATS)[number];
export type CountName = (typeof COUNT_NAMES)[number];
export type RateName = (typeof RATE_NAMES)[number];
export type ThroughputName = (typeof THROUGHPUT_NAMES)[number];
export type CheckName = (typeof CHECK_NAMES)[number];

/** What a metric measures decides the units it accepts and how its values print. */
export type MetricKind = 'latency' | 'count' | 'rate' | 'throughput' | 'check' | 'figure' | 'steady' | 'warnings';

export type Metric =
  | { kind: 'latency'; id: string; family: LatencyFamily; stat: LatencyStat }
  | { kind: 'latency'; id: string; hop: string; stat: LatencyStat }
  | { kind: 'count'; id: string; name: CountName }
  | { kind: 'rate'; id: string; name: RateName }
  | { kind: 'throughput'; id: string; name: ThroughputName }
  | { kind: 'check'; id: string; name: CheckName }
  | { kind: 'figure'; id: string; name: string }
  /** 1 when the warm-up reached steady state before the measured window, 0 when not */
  | { kind: 'steady'; id: 'steady' }
  /** how many warnings the result carries, of one code or of all */
  | { kind: 'warnings'; id: string; code?: string };

/** Higher values are worse for every metric except throughput and steadiness. */
export function higherIsWorse(metric: Metric): boolean {
  return metric.kind !== 'throughput' && metric.kind !== 'steady';
}

const includes = <T extends string>(list: readonly T[], s: string): s is T => (list as readonly string[]).includes(s);

/** Where a metric name went wrong: the offset inside the name and what was expected there. */
export class MetricNameError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function parseStat(s: string, offset: number): LatencyStat {
  const stat = s === 'p99.9' ? 'p999' : s;
  if (includes(LATENCY_STATS, stat)) return stat;
  throw new MetricNameError(offset, `unknown statistic "${s}"; expected one of ${LATENCY_STATS.join(', ')} (or p99.9)`);
}

const ALL_NAMES =
  'endToEnd|endToEndUncorrected|acceptance.<stat>, hops.<hop>.<stat>, a count (' +
  COUNT_NAMES.join(', ') +
  '), <count>.rate, throughput.<' +
  THROUGHPUT_NAMES.join('|') +
  '>, a check count (' +
  CHECK_NAMES.join(', ') +
  '), figures.<name>, steady, warnings or warnings.<CODE>';

/**
 * Parses a metric name: `endToEnd.p99`, `acceptance.p99.9`, `hops.<name>.p99`,
 * `errors`, `counts.errors`, `errors.rate`, `throughput.completedPerSec`, `lost`,
 * `check.lost`, `figures.<name>`. Throws MetricNameError.
 */
export function parseMetric(name: string): Metric {
  if (name === '') throw new MetricNameError(0, `expected a metric: ${ALL_NAMES}`);
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const rest = dot < 0 ? '' : name.slice(dot + 1);
  const restAt = dot + 1;
  if (includes(LATENCY_FAMILIES, head)) {
    if (rest === '') throw new MetricNameError(name.length, `"${head}" needs a statistic, e.g. ${head}.p99`);
    const stat = parseStat(rest, restAt);
    return { kind: 'latency', id: `${head}.${stat}`, family: head, stat };
  }
  if (head === 'hops') {
    const last = rest.endsWith('.p99.9') ? rest.length - 6 : rest.lastIndexOf('.');
    if (last <= 0) throw new MetricNameError(restAt, 'expected hops.<hop name>.<statistic>, e.g. hops.order→inventory:order_created.p99');
    const hop = rest.slice(0, last);
    const stat = parseStat(rest.slice(last + 1), restAt + last + 1);
    return { kind: 'latency', id: `hops.${hop}.${stat}`, hop, stat };
  }
  if (head === 'counts') {
    if (!includes(COUNT_NAMES, rest)) throw new MetricNameError(restAt, `unknown count "${rest}"; expected one of ${COUNT_NAMES.join(', ')}`);
    return { kind: 'count', id: rest, name: rest };
  }
  if (includes(COUNT_NAMES, head) && rest === '') return { kind: 'count', id: head, name: head };
  if (includes(RATE_NAMES, head) && rest === 'rate') return { kind: 'rate', id: `${head}.rate`, name: head };
  if (includes(COUNT_NAMES, head)) {
    const hint = includes(RATE_NAMES, head) ? `; expected "${head}" or "${head}.rate"` : `; "${head}" is a count and takes no suffix`;
    throw new MetricNameError(restAt, `unknown metric "${name}"${hint}`);
  }
  if (head === 'throughput') {
    if (!includes(THROUGHPUT_NAMES, rest)) {
      throw new MetricNameError(restAt, `unknown throughput "${rest}"; expected one of ${THROUGHPUT_NAMES.join(', ')}`);
    }
    return { kind: 'throughput', id: `throughput.${rest}`, name: rest };
  }
  if (head === 'check') {
    if (!includes(CHECK_NAMES, rest)) throw new MetricNameError(restAt, `unknown check count "${rest}"; expected one of ${CHECK_NAMES.join(', ')}`);
    return { kind: 'check', id: rest, name: rest };
  }
  if (includes(CHECK_NAMES, head) && rest === '') return { kind: 'check', id: head, name: head };
  if (head === 'steady') {
    if (rest !== '') throw new MetricNameError(restAt, '"steady" takes no suffix (1 when the run was steady, 0 when not)');
    return { kind: 'steady', id: 'steady' };
  }
  if (head === 'warnings') {
    if (rest === '') return { kind: 'warnings', id: 'warnings' };
    if (!/^[A-Z][A-Z0-9_]*$/.test(rest)) throw new MetricNameError(restAt, `expected a warning code in capitals after "warnings.", e.g. warnings.NOT_STEADY, got "${rest}"`);
    return { kind: 'warnings', id: `warnings.${rest}`, code: rest };
  }
  if (head === 'figures') {
    if (rest === '') throw new MetricNameError(restAt, 'expected figures.<name>');
    return { kind: 'figure', id: `figures.${rest}`, name: rest };
  }
  throw new MetricNameError(0, `unknown metric "${name}"; expected ${ALL_NAMES}`);
}

/** Parses `--metric` names; throws ConfigError naming the metric. */
export function parseMetrics(names: readonly string[]): Metric[] {
  return names.map((n) => {
    try {
      return parseMetric(n.trim());
    } catch (err) {
      if (err instanceof MetricNameError) throw new ConfigError(`--metric "${n}": ${err.message}`);
      throw err;
    }
  });
}

