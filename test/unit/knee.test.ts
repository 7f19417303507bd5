import { describe, expect, it } from 'vitest';
import { KneeSearch, type KneeSettings } from '../../src/driver/executors/find-knee.js';
import type { ControlSecond } from '../../src/driver/types.js';

const SETTINGS: KneeSettings = { startRate: 20, step: 5_000, settle: 2_000, factor: 1.5, precision: 0.1, maxRate: 5_000, maxDuration: 240_000, sloP99Ms: 250, warmup: 0 };

/**
 * A system that finishes `capacity` orders/s at most, one queue in front: whatever it
 * cannot finish in a second waits, every order waiting adds 1000 / capacity ms to the
 * p99, and orders that would wait more than 5 s time out. Seconds are fed to the search
 * until it is done, as the driver does.
 */
function search(capacity: number, settings: Partial<KneeSettings> = {}) {
  const k = new KneeSearch({ ...SETTINGS, ...settings });
  let queue = 0;
  let t = 0;
  const rates: number[] = [];
  while (!k.done() && t < 10_000) {
    t++;
    const rate = k.rate();
    rates.push(rate);
    const carried = Math.min(queue + rate, capacity);
    queue = queue + rate - carried;
    const timedOut = Math.max(0, queue - capacity * 5);
    queue -= timedOut;
    const p99 = 5 + (queue / capacity) * 1000;
    const second: ControlSecond = { t, targetPerSec: rate, attempted: rate, carried: Math.round(carried), dropped: 0, timedOut: Math.round(timedOut), errors: 0, p99, inFlight: Math.round(queue) };
    k.observe(second);
  }
  return { result: k.result(), seconds: t, rates };
}

describe('the knee search', () => {
  it('narrows a capacity of 100 orders/s to within 10 %', () => {
    const { result, seconds } = search(100);
    expect(result.ended).toBe('narrowed');
    expect(result.reached).toBe(true);
    expect(result.perSec).toBeGreaterThanOrEqual(90);
    expect(result.perSec).toBeLessThanOrEqual(110);
    expect(result.failedPerSec!).toBeGreaterThan(result.perSec);
    expect(result.failedPerSec!).toBeLessThanOrEqual(result.perSec * 1.1);
    // the proof is the judged seconds of the good step, the breach two seconds of the failed one
    expect(result.proof!.toS - result.proof!.fromS).toBe(2);
    expect(result.breach!.toS - result.breach!.fromS).toBe(1);
    const good = result.steps.find((s) => s.ok && s.rate === result.perSec)!;
    expect(good.toS).toBe(result.proof!.toS);
    expect(result.steps.find((s) => !s.ok && s.rate === result.failedPerSec)!.toS).toBe(result.breach!.toS);
    // grows by 1.5 until the first failure: 20, 30, 45, 67.5, 101.3, ...
    expect(result.steps.slice(0, 4).map((s) => s.rate)).toEqual([20, 30, 45, 67.5]);
    expect(seconds).toBeLessThan(240);
  });

  it('runs the first failed rate once more: a passing stall does not cap the search', () => {
    const k = new KneeSearch({ ...SETTINGS, startRate: 50, maxRate: 200 });
    let t = 0;
    // seconds 3 and 4 stall (another process took the CPU); otherwise nothing ever breaks
    while (!k.done() && t < 1000) {
      t++;
      const rate = k.rate();
      const stall = t === 3 || t === 4;
      k.observe({ t, targetPerSec: rate, attempted: rate, carried: stall ? rate / 2 : rate, dropped: 0, timedOut: 0, errors: 0, p99: stall ? 900 : 10, inFlight: 1 });
    }
    const r = k.result();
    expect(r.steps[0]).toMatchObject({ rate: 50, ok: false });
    expect(r.steps[1]).toMatchObject({ rate: 50, ok: true });
    expect(r.ended).toBe('max-rate');
    expect(r.perSec).toBe(200);
    expect(r.failedPerSec).toBeUndefined();
  });

  it('says why a step failed', () => {
    const { result } = search(100);
    const failed = result.steps.filter((s) => !s.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) expect(s.why).toMatch(/p99 \d+ ms > 250 ms|carried \d+ of [\d.]+\/s|in flight \+\d+/);
  });

  it('recovers at half the good rate after a failure, at most 3 s, before the next step', () => {
    const { result, rates } = search(100);
    const firstFail = result.steps.find((s) => !s.ok)!;
    const lastGood = [...result.steps].reverse().find((s) => s.ok && s.toS < firstFail.toS)!;
    const after = rates.slice(firstFail.toS, firstFail.toS + 3);
    expect(after[0]).toBe(lastGood.rate / 2);
    const next = result.steps[result.steps.indexOf(firstFail) + 1]!;
    expect(next.fromS - firstFail.toS - 1).toBeLessThanOrEqual(3);
  });

  it('a system that never fails ends at max-rate with the knee not reached', () => {
    const { result } = search(1e9, { maxRate: 500 });
    expect(result.ended).toBe('max-rate');
    expect(result.reached).toBe(false);
    expect(result.perSec).toBe(500);
    expect(result.failedPerSec).toBeUndefined();
    expect(result.steps.every((s) => s.ok)).toBe(true);
  });

  it('a search that runs out of time ends at max-duration', () => {
    const { result, seconds } = search(1e9, { maxDuration: 20_000 });
    expect(result.ended).toBe('max-duration');
    expect(result.reached).toBe(false);
    expect(seconds).toBeLessThanOrEqual(20);
    expect(result.steps.map((s) => s.rate)).toEqual([20, 30, 45, 67.5]);
  });

  it('a first step far above the capacity descends until one holds, and errs low', () => {
    const { result } = search(100, { startRate: 400 });
    expect(result.steps[0]).toMatchObject({ rate: 400, ok: false });
    // run once more before it counts, then down by the factor
    expect(result.steps[1]).toMatchObject({ rate: 400, ok: false });
    expect(result.steps[2]!.rate).toBeCloseTo(400 / 1.5, 0);
    expect(result.reached).toBe(true);
    // 4 s at 4× the capacity leave a backlog of 5 s that outlasts the 3 s recoveries:
    // the next steps fail on it, so the knee found is low, never high
    expect(result.perSec).toBeGreaterThanOrEqual(60);
    expect(result.perSec).toBeLessThanOrEqual(110);
  });

  it('the settling seconds of a step are not judged', () => {
    const k = new KneeSearch({ ...SETTINGS, startRate: 50 });
    const second = (t: number, p99: number): ControlSecond => ({ t, targetPerSec: 50, attempted: 50, carried: 50, dropped: 0, timedOut: 0, errors: 0, p99, inFlight: 1 });
    k.observe(second(1, 900));
    k.observe(second(2, 900));
    k.observe(second(3, 10));
    k.observe(second(4, 900));
    k.observe(second(5, 10));
    expect(k.result().steps).toEqual([{ rate: 50, ok: true, why: 'held', fromS: 1, toS: 5 }]);
    expect(k.rate()).toBe(75);
  });
});
