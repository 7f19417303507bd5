import { describe, expect, it } from 'vitest';
import { BenchError, TimeoutError, UnreachableError } from '../../src/contract/errors.js';
import {
  BROKER_RETRY, delayMs, describePolicy, HANDLER_RETRY, isRetriable, maxTotalDelayMs, nominalDelaysMs, retry, RetryGaveUpError,
  type RetryPolicy,
} from '../../src/contract/retry.js';

const POLICY: RetryPolicy = { retries: 4, initialDelayMs: 100, maxDelayMs: 500, multiplier: 2, jitter: 0.2 };

/** A fake clock: sleeping advances it, nothing really waits. */
function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

const retriable = (message: string) => new UnreachableError('127.0.0.1:1', message);

describe('retry', () => {
  it('waits 100, 200, 400, 500 ms nominally (doubling, capped) and gives up after 1 + 4 attempts', async () => {
    expect(nominalDelaysMs(POLICY)).toEqual([100, 200, 400, 500]);
    const clock = fakeClock();
    let calls = 0;
    const err = await retry('reconnecting to x', async () => {
      calls++;
      throw retriable(`refused #${calls}`);
    }, { policy: POLICY, random: () => 0.5, ...clock }).catch((e: unknown) => e);
    expect(calls).toBe(5);
    expect(clock.waits).toEqual([100, 200, 400, 500]);
    expect(err).toBeInstanceOf(RetryGaveUpError);
    const gaveUp = err as RetryGaveUpError;
    expect(gaveUp.message).toBe('gave up on reconnecting to x after 5 attempts in 1.2 s: refused #5');
    expect(gaveUp.code, 'keeps the code of the last error').toBe('UNREACHABLE');
    expect(gaveUp.retriable).toBe(false);
    expect(gaveUp.attempts).toBe(5);
    expect((gaveUp.cause as Error).message).toBe('refused #5');
  });

  it('jitters each wait within ±20 % of its nominal value and never above the cap', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const waits = [0, 1, 2, 3].map((i) => delayMs(POLICY, i, () => r));
      waits.forEach((w, i) => {
        const nominal = nominalDelaysMs(POLICY)[i]!;
        expect(w).toBeGreaterThanOrEqual(Math.round(nominal * 0.8));
        expect(w).toBeLessThanOrEqual(Math.min(500, Math.round(nominal * 1.2)));
      });
    }
    expect(delayMs(POLICY, 0, () => 0)).toBe(80);
    expect(delayMs(POLICY, 0, () => 0.999)).toBe(120);
    // spread: two random sources give different waits (no synchronized retry storms)
    const seen = new Set(Array.from({ length: 50 }, () => delayMs(POLICY, 1)));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('resolves with the first success and retries only what says retriable', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await retry('publishing', async (n) => {
      calls++;
      if (n < 3) throw new TimeoutError('slow');
      return 'ok';
    }, { policy: POLICY, ...clock });
    expect(value).toBe('ok');
    expect(calls).toBe(3);

    for (const notRetriable of [new Error('plain'), new BenchError('TRANSPORT', 'refused the login'), new TypeError('bug')]) {
      let n = 0;
      const err = await retry('connecting', async () => {
        n++;
        throw notRetriable;
      }, { policy: POLICY, ...clock }).catch((e: unknown) => e as RetryGaveUpError);
      expect(n, notRetriable.message).toBe(1);
      expect(err.message).toBe(`gave up on connecting after 1 attempt: not retriable: ${notRetriable.message}`);
    }
    expect(isRetriable(Object.assign(new Error('client error'), { retriable: true }))).toBe(true);
    expect(isRetriable({ retriable: 'yes' })).toBe(false);
  });

  it('tells onRetry each failure and stops when the signal fires', async () => {
    const seen: Array<[number, number]> = [];
    const stop = new AbortController();
    const err = await retry('reconnecting', async () => {
      throw retriable('down');
    }, {
      policy: POLICY,
      random: () => 0.5,
      onRetry: (_e, attempt, wait) => {
        seen.push([attempt, wait]);
        if (attempt === 2) stop.abort();
      },
      signal: stop.signal,
    }).catch((e: unknown) => e as RetryGaveUpError);
    expect(seen).toEqual([[1, 100], [2, 200]]);
    expect(err.message).toMatch(/^gave up on reconnecting after 2 attempts: stopped: down$/);
  });

  it('bounds the shared policies: brokers about 43 s, handlers longer', () => {
    expect(maxTotalDelayMs(BROKER_RETRY)).toBeGreaterThan(40_000);
    expect(maxTotalDelayMs(BROKER_RETRY)).toBeLessThan(60_000);
    expect(maxTotalDelayMs(HANDLER_RETRY)).toBeGreaterThan(maxTotalDelayMs(BROKER_RETRY));
    expect(describePolicy(POLICY)).toBe('4 retries, 100 ms ×2 to 500 ms, ±20 % jitter (≤ 1 s in all)');
  });
});
