import { describe, expect, it } from 'vitest';
import { bootstrapChange } from '../../src/gate/noise.js';
import { parseMetric } from '../../src/gate/metric.js';
import { runGate } from '../../src/gate/run-gate.js';
import { buildResult } from '../fixtures/gate/builder.js';

const base = buildResult({ transports: [{ name: 'kafka', seed: 11, secondNoise: 0.05 }, { name: 'rest', seed: 12, secondNoise: 0.05 }] });

describe('runGate', () => {
  it('passes when every threshold holds', () => {
    const r = buildResult({ thresholds: ['endToEnd.p99 < 250ms', 'errors.rate < 1%', 'dropped == 0'], transports: [{ name: 'kafka', check: {} }] });
    const out = runGate(r);
    expect(out.exitCode).toBe(0);
    expect(out.passed).toBe(true);
    expect(out.lines[0]).toMatch(/^✓ kafka {2}endToEnd\.p99 < 250ms {2}actual \d+(\.\d+)? ms$/);
    expect(out.lines.at(-1)).toBe('gate passed: 3 checks');
  });

  it('fails with 99 when a threshold fails, one line per verdict', () => {
    const r = buildResult({ thresholds: { rest: ['lost == 0'] }, transports: [{ name: 'rest', check: { lost: 3 } }] });
    const out = runGate(r);
    expect(out.exitCode).toBe(99);
    expect(out.lines[0]).toBe('✗ rest  lost == 0  actual 3  (3 is not == 0)');
  });

  it('gives 104 for a bad expression or transport, without throwing', () => {
    const r = buildResult({ transports: [{ name: 'rest' }] });
    const bad = runGate(r, { thresholds: ['endToEnd.p99 < 250'] });
    expect(bad.exitCode).toBe(104);
    expect(bad.lines).toEqual(['bench gate: invalid threshold "endToEnd.p99 < 250" at column 19: "endToEnd.p99" is a latency: expected a unit after 250 (ms, s or us)']);
    expect(runGate(r, { thresholds: { resty: ['lost == 0'] } }).exitCode).toBe(104);
    expect(runGate(r, { baselines: [base], metrics: ['endToEnd.p98'] }).exitCode).toBe(104);
  });

  it('fails a transport that did not complete', () => {
    const r = buildResult({ transports: [{ name: 'rest', status: 'aborted' }] });
    const out = runGate(r);
    expect(out.exitCode).toBe(99);
    expect(out.verdicts[0]).toMatchObject({ expression: 'status == completed', ok: false });
  });

  it('flags a regression beyond noise', () => {
    const worse = buildResult({ transports: [{ name: 'kafka', seed: 21, latencyMs: 60, secondNoise: 0.05 }, { name: 'rest', seed: 22, secondNoise: 0.05 }] });
    const out = runGate(worse, { baselines: [base] });
    expect(out.exitCode).toBe(99);
    const p99 = out.regressions.find((v) => v.transport === 'kafka' && v.metric === 'endToEnd.p99')!;
    expect(p99.ok).toBe(false);
    expect(p99.interval![0]).toBeGreaterThan(10);
    expect(p99.detail).toMatch(/beyond \+10%/);
    expect(out.regressions.filter((v) => v.transport === 'rest').every((v) => v.ok)).toBe(true);
    expect(out.noiseMethod).toMatch(/bootstrap/);
    expect(out.lines.some((l) => l.startsWith('noise: bootstrap'))).toBe(true);
  });

  it('does not fail a difference that is within noise, even when the point change exceeds the limit', () => {
    // very noisy seconds: the point change of p50 is beyond 10% but its interval is not
    const noisyBase = buildResult({ transports: [{ name: 'rest', seed: 31, secondNoise: 0.5 }] });
    const noisy = buildResult({ transports: [{ name: 'rest', seed: 32, latencyMs: 46, secondNoise: 0.5 }] });
    const out = runGate(noisy, { baselines: [noisyBase], metrics: ['endToEnd.p50'] });
    const [v] = out.regressions;
    expect(Math.abs(v!.actual!)).toBeGreaterThan(10);
    expect(v!.interval![0]).toBeLessThan(10);
    expect(v!.ok).toBe(true);
    expect(v!.detail).toMatch(/within noise/);
    expect(out.exitCode).toBe(0);
  });

  it('treats a throughput drop as the worse direction', () => {
    const slower = buildResult({ transports: [{ name: 'kafka', seed: 41, ratePerSec: 70 }] });
    const out = runGate(slower, { baselines: [base], metrics: ['throughput.completedPerSec'] });
    expect(out.regressions[0]).toMatchObject({ expression: 'throughput.completedPerSec within -10% of baseline', ok: false, actual: -30 });
  });

  it('compares several baselines by their median', () => {
    const b2 = buildResult({ transports: [{ name: 'kafka', seed: 51, latencyMs: 80 }] });
    const b3 = buildResult({ transports: [{ name: 'kafka', seed: 52, latencyMs: 42 }] });
    const cur = buildResult({ transports: [{ name: 'kafka', seed: 53, latencyMs: 41 }] });
    const out = runGate(cur, { baselines: [base, b2, b3], metrics: ['endToEnd.p50'] });
    const [v] = out.regressions;
    expect(v!.ok).toBe(true);
    expect(v!.baseline).toBeGreaterThan(39);
    expect(v!.baseline).toBeLessThan(44);
    expect(v!.detail).toMatch(/median of 3 baselines/);
  });

  it('skips a transport missing from the baseline and says so', () => {
    const cur = buildResult({ transports: [{ name: 'activemq' }] });
    const out = runGate(cur, { baselines: [base], metrics: ['endToEnd.p99'] });
    expect(out.regressions[0]).toMatchObject({ ok: true, skipped: true, detail: 'no baseline for this transport; not compared' });
    expect(out.lines[0]).toMatch(/^– activemq/);
  });

  it('is deterministic for a seed', () => {
    const cur = buildResult({ transports: [{ name: 'kafka', seed: 61, latencyMs: 44 }] });
    const m = parseMetric('endToEnd.p99');
    const a = bootstrapChange(cur.transports[0]!, [base.transports[0]!], m, { seed: 5 });
    const b = bootstrapChange(cur.transports[0]!, [base.transports[0]!], m, { seed: 5 });
    expect(a).toEqual(b);
  });
});
