import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/contract/errors.js';
import { parseThreshold } from '../../src/gate/expression.js';
import { validateThresholds } from '../../src/gate/thresholds.js';

const TRANSPORTS = ['rest', 'kafka', 'rabbitmq', 'activemq'];

function errorOf(expr: string): string {
  try {
    parseThreshold(expr);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`"${expr.trim()}"`);
    return message;
  }
  throw new Error(`expected "${expr}" to be rejected`);
}

describe('parseThreshold', () => {
  it.each([
    ['endToEnd.p99 < 250ms', 'latency', 'endToEnd.p99', '<', 250],
    ['endToEnd.p99<250ms', 'latency', 'endToEnd.p99', '<', 250],
    ['acceptance.p50 <= 20 ms', 'latency', 'acceptance.p50', '<=', 20],
    ['endToEndUncorrected.max < 2s', 'latency', 'endToEndUncorrected.max', '<', 2000],
    ['endToEnd.p99.9 < 500us', 'latency', 'endToEnd.p999', '<', 0.5],
    ['endToEnd.p999 < 1.5s', 'latency', 'endToEnd.p999', '<', 1500],
    ['endToEnd.p50 > 0', 'latency', 'endToEnd.p50', '>', 0],
    ['lost == 0', 'check', 'lost', '==', 0],
    ['check.duplicates == 0', 'check', 'duplicates', '==', 0],
    ['errors.rate < 1%', 'rate', 'errors.rate', '<', 1],
    ['timedOut.rate <= 0.5%', 'rate', 'timedOut.rate', '<=', 0.5],
    ['dropped == 0', 'count', 'dropped', '==', 0],
    ['counts.errors != 3', 'count', 'errors', '!=', 3],
    ['timedOut == 0', 'count', 'timedOut', '==', 0],
    ['throughput.completedPerSec > 500', 'throughput', 'throughput.completedPerSec', '>', 500],
    ['throughput.acceptedPerSec >= 99.5/s', 'throughput', 'throughput.acceptedPerSec', '>=', 99.5],
    ['figures.recoveryMs < 3000', 'figure', 'figures.recoveryMs', '<', 3000],
    ['hops.order→inventory:order_created.p99 < 10ms', 'latency', 'hops.order→inventory:order_created.p99', '<', 10],
    ['hops.order→inventory:order_created.p99.9 < 10ms', 'latency', 'hops.order→inventory:order_created.p999', '<', 10],
  ])('%s', (expr, kind, id, op, value) => {
    const t = parseThreshold(expr);
    expect(t.metric.kind).toBe(kind);
    expect(t.metric.id).toBe(id);
    expect(t.op).toBe(op);
    expect(t.value).toBeCloseTo(value as number, 9);
    expect(t.expression).toBe(expr.trim());
  });

  it.each([
    ['endToEnd.p98 < 250ms', /column 10: unknown statistic "p98"; expected one of min, mean/],
    ['latency.p99 < 250ms', /column 1: unknown metric "latency.p99"; expected endToEnd\|endToEndUncorrected\|acceptance.<stat>/],
    ['endToEnd < 250ms', /"endToEnd" needs a statistic, e.g. endToEnd.p99/],
    ['endToEnd.p99 < 250', /column 19: "endToEnd.p99" is a latency: expected a unit after 250 \(ms, s or us\)/],
    ['endToEnd.p99 < 250xs', /column 19: unknown unit "xs" for latency "endToEnd.p99"; expected ms, s or us/],
    ['endToEnd.p99 < 25%', /unknown unit "%" for latency/],
    ['errors.rate < 1', /"errors.rate" is a rate: expected % after 1/],
    ['errors.rate < 1ms', /unit "ms" does not fit rate "errors.rate"; expected %/],
    ['lost == 0ms', /column 10: unit "ms" does not fit "lost" \(a count\); expected a plain number/],
    ['dropped < 1%', /unit "%" does not fit "dropped"/],
    ['throughput.completedPerSec > 500ms', /does not fit throughput/],
    ['throughput.p99 > 5', /unknown throughput "p99"; expected one of targetPerSec/],
    ['lost = 0', /column 6: expected an operator \(<, <=, >, >=, ==, !=\) after "lost", found "= "/],
    ['lost =< 0', /expected an operator/],
    ['lost', /column 5: expected an operator .* found the end/],
    ['lost ==', /column 8: expected a number after "==", found the end/],
    ['lost == zero', /column 9: expected a number after "==", found "zero"/],
    ['lost == 0 and more', /column 11: unexpected "and more" after the bound/],
    ['< 5ms', /column 1: expected a metric name before the operator/],
    ['', /empty expression/],
    ['errors.ratio < 1%', /unknown metric "errors.ratio"; expected "errors" or "errors.rate"/],
    ['attempted.rate < 1%', /"attempted" is a count and takes no suffix/],
    ['check.bogus == 0', /unknown check count "bogus"/],
    ['hops.p99 < 1ms', /expected hops.<hop name>.<statistic>/],
    ['figures. < 1', /expected figures.<name>/],
  ])('rejects %j', (expr, message) => {
    expect(errorOf(expr)).toMatch(message);
  });

  it('names the expression and the column in one line', () => {
    expect(errorOf('endToEnd.p99 < 250xs')).toBe(
      'invalid threshold "endToEnd.p99 < 250xs" at column 19: unknown unit "xs" for latency "endToEnd.p99"; expected ms, s or us',
    );
  });
});

describe('validateThresholds', () => {
  it('accepts a list and a map with all and transport names', () => {
    expect(() => validateThresholds(['lost == 0', 'endToEnd.p99 < 1s'], TRANSPORTS)).not.toThrow();
    expect(() => validateThresholds({ all: ['lost == 0'], kafka: ['endToEnd.p99 < 1s'] }, TRANSPORTS)).not.toThrow();
    expect(() => validateThresholds([], TRANSPORTS)).not.toThrow();
    expect(() => validateThresholds(undefined, TRANSPORTS)).not.toThrow();
  });

  it('rejects an unknown transport', () => {
    expect(() => validateThresholds({ kafak: ['lost == 0'] }, TRANSPORTS)).toThrow(
      new ConfigError('thresholds: unknown transport "kafak"; expected all, rest, kafka, rabbitmq, activemq'),
    );
  });

  it('rejects a bad expression anywhere', () => {
    expect(() => validateThresholds({ all: ['lost == 0'], rest: ['lost < 1ms'] }, TRANSPORTS)).toThrow(ConfigError);
    expect(() => validateThresholds(['endToEnd.p99 < 250'], TRANSPORTS)).toThrow(/expected a unit/);
  });
});
