import { describe, expect, it } from 'vitest';
import { evaluateThresholds, withVerdicts } from '../../src/gate/evaluate.js';
import { ResultSchema } from '../../src/result/schema.js';
import { buildResult } from '../fixtures/gate/builder.js';

describe('evaluateThresholds', () => {
  const result = buildResult({
    thresholds: { all: ['endToEnd.p99 < 250ms', 'errors.rate < 1%'], rest: ['lost == 0'], kafka: ['throughput.completedPerSec > 500'] },
    transports: [
      { name: 'rest', seed: 1, errorsPerSec: 2, check: { lost: 3 } },
      { name: 'kafka', seed: 2, latencyMs: 20 },
    ],
  });

  it("uses the result's own thresholds, per transport", () => {
    const verdicts = evaluateThresholds(result);
    expect(verdicts.map((v) => [v.transport, v.expression, v.ok])).toEqual([
      ['rest', 'endToEnd.p99 < 250ms', true],
      ['rest', 'errors.rate < 1%', false],
      ['rest', 'lost == 0', false],
      ['kafka', 'endToEnd.p99 < 250ms', true],
      ['kafka', 'errors.rate < 1%', true],
      ['kafka', 'throughput.completedPerSec > 500', false],
    ]);
    const rate = verdicts[1]!;
    expect(rate.actual).toBeCloseTo(2, 9);
    expect(rate.detail).toBe('2% is not < 1%');
    expect(verdicts[2]).toMatchObject({ actual: 3, detail: '3 is not == 0' });
    expect(verdicts[3]!.actual).toBe(result.transports[1]!.latency.endToEnd.p99);
  });

  it('fails a check-count threshold when the result has no check, saying why', () => {
    const [v] = evaluateThresholds(result.transports.slice(1), ['duplicates == 0']);
    expect(v).toMatchObject({ transport: 'kafka', ok: false, actual: null });
    expect(v!.detail).toMatch(/no order check in this result/);
  });

  it('fails a latency threshold when nothing ended rather than reading 0', () => {
    const empty = buildResult({ transports: [{ name: 'rest', errorsPerSec: 100 }] });
    const [v] = evaluateThresholds(empty, ['endToEnd.p99 < 250ms']);
    expect(v).toMatchObject({ ok: false, actual: null });
    expect(v!.detail).toMatch(/no endToEnd samples/);
  });

  it('reads figures and reports a missing one', () => {
    const r = buildResult({ transports: [{ name: 'rabbitmq', figures: { recoveryMs: 1200 } }] });
    const verdicts = evaluateThresholds(r, ['figures.recoveryMs < 3000', 'figures.peakBacklog < 10']);
    expect(verdicts.map((v) => v.ok)).toEqual([true, false]);
    expect(verdicts[1]!.detail).toBe('no figure "peakBacklog" in this result (figures: recoveryMs)');
  });

  it('reads steady as 1 or 0 and counts warnings, of all codes or of one', () => {
    const r = buildResult({ transports: [{ name: 'kafka' }, { name: 'rabbitmq' }] });
    const [kafka, rabbit] = r.transports;
    const steady = (reached: boolean) => ({ reached, warmupS: 5, requestedWarmupS: 5, maxWarmupS: 5, assignmentS: 0, detail: 'd', checks: [] });
    kafka!.steady = steady(false);
    kafka!.warnings = [{ code: 'NOT_STEADY', message: 'not steady after 5 s' }, { code: 'MACHINE_SATURATED', message: 'machine 99 % busy' }];
    rabbit!.steady = steady(true);
    const verdicts = evaluateThresholds(r, ['steady >= 1', 'warnings.NOT_STEADY == 0', 'warnings < 2']);
    expect(verdicts.map((v) => [v.transport, v.expression, v.actual, v.ok])).toEqual([
      ['kafka', 'steady >= 1', 0, false],
      ['kafka', 'warnings.NOT_STEADY == 0', 1, false],
      ['kafka', 'warnings < 2', 2, false],
      ['rabbitmq', 'steady >= 1', 1, true],
      ['rabbitmq', 'warnings.NOT_STEADY == 0', 0, true],
      ['rabbitmq', 'warnings < 2', 0, true],
    ]);
    // no warm-up judged: no figure to pass on
    delete rabbit!.steady;
    const [v] = evaluateThresholds([rabbit!], ['steady >= 1']);
    expect(v).toMatchObject({ ok: false, actual: null });
    expect(v!.detail).toMatch(/no steady-state check in this result/);
  });

  it('refuses a bad steady or warnings metric in one line', () => {
    expect(() => evaluateThresholds(result, ['steady.reached >= 1'])).toThrow(/"steady" takes no suffix/);
    expect(() => evaluateThresholds(result, ['warnings.not_steady == 0'])).toThrow(/expected a warning code in capitals after "warnings\.", e\.g\. warnings\.NOT_STEADY, got "not_steady"/);
    expect(() => evaluateThresholds(result, ['steady >= 1ms'])).toThrow(/does not fit "steady" \(a yes\/no figure, 1 or 0\)/);
  });

  it('puts verdicts into transports[].thresholds, still a valid result', () => {
    const updated = withVerdicts(result, evaluateThresholds(result));
    expect(updated.transports[0]!.thresholds).toHaveLength(3);
    expect(updated.transports[1]!.thresholds[2]).toMatchObject({ expression: 'throughput.completedPerSec > 500', ok: false, actual: 100 });
    expect(() => ResultSchema.parse(JSON.parse(JSON.stringify(updated)))).not.toThrow();
    expect(result.transports[0]!.thresholds).toEqual([]);
  });
});

describe('verdicts of a stepped scenario', () => {
  const stepped = buildResult({
    thresholds: ['throughput.completedPerSec > 150'],
    transports: [
      { name: 'kafka', ratePerSec: 100 },
      { name: 'kafka', ratePerSec: 200 },
    ],
  });
  stepped.transports[0]!.label = 'kafka · 1 instance';
  stepped.transports[1]!.label = 'kafka · 3 instances';

  it('carry the step, and each step gets only its own', () => {
    const verdicts = evaluateThresholds(stepped);
    expect(verdicts.map((v) => [v.step, v.ok])).toEqual([
      ['kafka · 1 instance', false],
      ['kafka · 3 instances', true],
    ]);
    const updated = withVerdicts(stepped, verdicts);
    expect(updated.transports.map((t) => t.thresholds.map((x) => x.ok))).toEqual([[false], [true]]);
  });
});
