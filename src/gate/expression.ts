import { ConfigError, oneLine, quoteInput } from '../contract/errors.js';
import { MetricNameError, parseMetric, type Metric } from './metric.js';

/**
 * Threshold expressions: `<metric> <op> <number>[unit]`, e.g. `endToEnd.p99 < 250ms`,
 * `errors.rate < 1%`, `lost == 0`, `throughput.completedPerSec > 500`.
 * Latencies take ms, s or us; rates take %; counts, check counts, throughput and
 * figures take no unit. A latency or rate bound other than 0 must name its unit.
 */

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '!=', '<', '>'];

export interface Threshold {
  /** the expression as written (trimmed) */
  expression: string;
  metric: Metric;
  op: Operator;
  /** the bound in the metric's own unit: ms for latencies, % for rates, plain otherwise */
  value: number;
  /** the unit as written, or null */
  unit: string | null;
}

const LATENCY_UNITS: Record<string, number> = { ms: 1, s: 1000, us: 0.001, µs: 0.001 };

function fail(expr: string, index: number, message: string): never {
  throw new ConfigError(`invalid threshold ${quoteInput(expr)} at column ${index + 1}: ${oneLine(message, 200)}`);
}

/** Parses one threshold expression; throws ConfigError naming the expression, the column and what was expected. */
export function parseThreshold(input: string): Threshold {
  if (typeof input !== 'string') throw new ConfigError(`invalid threshold ${quoteInput(input)}: expected a string such as "endToEnd.p99 < 250ms"`);
  const expr = input.trim();
  let i = 0;
  const skipSpace = (): void => {
    while (i < expr.length && /\s/.test(expr[i]!)) i++;
  };
  if (expr === '') fail(expr, 0, 'empty expression; expected e.g. "endToEnd.p99 < 250ms"');

  const metricStart = i;
  while (i < expr.length && !/[\s<>=!]/.test(expr[i]!)) i++;
  const name = expr.slice(metricStart, i);
  if (name === '') fail(expr, i, 'expected a metric name before the operator');
  let metric: Metric;
  try {
    metric = parseMetric(name);
  } catch (err) {
    if (err instanceof MetricNameError) fail(expr, metricStart + err.offset, err.message);
    throw err;
  }

  skipSpace();
  const op = OPERATORS.find((o) => expr.startsWith(o, i));
  if (!op) {
    const found = i < expr.length ? `"${expr.slice(i, i + 2)}"` : 'the end';
    fail(expr, i, `expected an operator (<, <=, >, >=, ==, !=) after "${name}", found ${found}`);
  }
  i += op.length;
  skipSpace();

  const numberMatch = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(expr.slice(i));
  if (!numberMatch) {
    const found = i < expr.length ? `"${expr.slice(i)}"` : 'the end';
    fail(expr, i, `expected a number after "${op}", found ${found}`);
  }
  const raw = Number(numberMatch[0]);
  i += numberMatch[0].length;
  skipSpace();
  const unitStart = i;
  const unitMatch = /^(µs|\/s|[A-Za-z%]+)/.exec(expr.slice(i));
  const unit = unitMatch ? unitMatch[0] : null;
  i += unit?.length ?? 0;
  skipSpace();
  if (i < expr.length) fail(expr, unitStart, `unexpected "${expr.slice(unitStart)}" after the bound`);

  const value = convert(expr, metric, raw, unit, unitStart);
  return { expression: expr, metric, op, value, unit };
}

function convert(expr: string, metric: Metric, raw: number, unit: string | null, at: number): number {
  switch (metric.kind) {
    case 'latency': {
      if (unit === null) {
        if (raw === 0) return 0;
        fail(expr, at, `"${metric.id}" is a latency: expected a unit after ${raw} (ms, s or us)`);
      }
      const factor = LATENCY_UNITS[unit];
      if (factor === undefined) fail(expr, at, `unknown unit "${unit}" for latency "${metric.id}"; expected ms, s or us`);
      return raw * factor;
    }
    case 'rate':
      if (unit === '%') return raw;
      if (unit === null) {
        if (raw === 0) return 0;
        fail(expr, at, `"${metric.id}" is a rate: expected % after ${raw} (e.g. ${raw}%)`);
      }
      fail(expr, at, `unit "${unit}" does not fit rate "${metric.id}"; expected %`);
    case 'throughput':
      if (unit === null || unit === '/s') return raw;
      fail(expr, at, `unit "${unit}" does not fit throughput "${metric.id}" (orders per second); expected no unit or /s`);
    default:
      if (unit !== null) fail(expr, at, `unit "${unit}" does not fit "${metric.id}" (a ${metric.kind === 'figure' ? 'figure' : metric.kind === 'steady' ? 'yes/no figure, 1 or 0' : 'count'}); expected a plain number`);
      return raw;
  }
}

/** `actual op bound`. */
export function compare(actual: number, op: Operator, bound: number): boolean {
  switch (op) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '==':
      return actual === bound;
    case '!=':
      return actual !== bound;
  }
}
