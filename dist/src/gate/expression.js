import { ConfigError, oneLine, quoteInput } from '../contract/errors.js';
import { MetricNameError, parseMetric } from './metric.js';
export const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'];
const LATENCY_UNITS = { ms: 1, s: 1000, us: 0.001, µs: 0.001 };
function fail(expr, index, message) {
    throw new ConfigError(`invalid threshold ${quoteInput(expr)} at column ${index + 1}: ${oneLine(message, 200)}`);
}
/** Parses one threshold expression; throws ConfigError naming the expression, the column and what was expected. */
export function parseThreshold(input) {
    if (typeof input !== 'string')
        throw new ConfigError(`invalid threshold ${quoteInput(input)}: expected a string such as "endToEnd.p99 < 250ms"`);
    const expr = input.trim();
    let i = 0;
    const skipSpace = () => {
        while (i < expr.length && /\s/.test(expr[i]))
            i++;
    };
    if (expr === '')
        fail(expr, 0, 'empty expression; expected e.g. "endToEnd.p99 < 250ms"');
    const metricStart = i;
    while (i < expr.length && !/[\s<>=!]/.test(expr[i]))
        i++;
    const name = expr.slice(metricStart, i);
    if (name === '')
        fail(expr, i, 'expected a metric name before the operator');
    let metric;
    try {
        metric = parseMetric(name);
    }
    catch (err) {
        if (err instanceof MetricNameError)
            fail(expr, metricStart + err.offset, err.message);
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
    if (i < expr.length)
        fail(expr, unitStart, `unexpected "${expr.slice(unitStart)}" after the bound`);
    const value = convert(expr, metric, raw, unit, unitStart);
    return { expression: expr, metric, op, value, unit };
}
function convert(expr, metric, raw, unit, at) {
    switch (metric.kind) {
        case 'latency': {
            if (unit === null) {
                if (raw === 0)
                    return 0;
                fail(expr, at, `"${metric.id}" is a latency: expected a unit after ${raw} (ms, s or us)`);
            }
            const factor = LATENCY_UNITS[unit];
            if (factor === undefined)
                fail(expr, at, `unknown unit "${unit}" for latency "${metric.id}"; expected ms, s or us`);
            return raw * factor;
        }
        case 'rate':
            if (unit === '%')
                return raw;
            if (unit === null) {
                if (raw === 0)
                    return 0;
                fail(expr, at, `"${metric.id}" is a rate: expected % after ${raw} (e.g. ${raw}%)`);
            }
            fail(expr, at, `unit "${unit}" does not fit rate "${metric.id}"; expected %`);
        case 'throughput':
            if (unit === null || unit === '/s')
                return raw;
            fail(expr, at, `unit "${unit}" does not fit throughput "${metric.id}" (orders per second); expected no unit or /s`);
        default:
            if (unit !== null)
                fail(expr, at, `unit "${unit}" does not fit "${metric.id}" (a ${metric.kind === 'figure' ? 'figure' : 'count'}); expected a plain number`);
            return raw;
    }
}
/** `actual op bound`. */
export function compare(actual, op, bound) {
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
//# sourceMappingURL=expression.js.map