import { describe, expect, it } from 'vitest';
import { judgeSteady, type SteadySecond } from '../../src/runtime/steady.js';

const second = (t: number, carried: number, p99: number, more: Partial<SteadySecond> = {}): SteadySecond => ({ t, carried, p99, dropped: 0, timedOut: 0, errors: 0, ...more });
const steadySeconds = [second(1, 20, 400), second(2, 100, 4), second(3, 99, 3.5), second(4, 100, 4.2)];

describe('judgeSteady', () => {
  it('is steady when the last 3 seconds carry the rate with a settled p99 and a flat backlog', () => {
    const v = judgeSteady({ timeline: steadySeconds, ratePerSec: 100, backlog: [3, 5, 4] });
    expect(v.steady).toBe(true);
    expect(v.why).toBe('carried 99 of 100 orders/s or more, p99 3.5–4.2 ms, backlog 3→4 over the last 3 seconds');
  });

  it('judges only the last 3 seconds: a slow first second no longer counts', () => {
    expect(judgeSteady({ timeline: steadySeconds, ratePerSec: 100 }).steady).toBe(true);
    expect(judgeSteady({ timeline: steadySeconds.slice(0, 3), ratePerSec: 100 }).steady).toBe(false);
  });

  it('is not steady while a second carries less than 90 % of the rate', () => {
    const v = judgeSteady({ timeline: [second(1, 100, 4), second(2, 89, 4), second(3, 100, 4)], ratePerSec: 100 });
    expect(v).toEqual({ steady: false, why: 'carried 100→89→100 orders/s of 100/s' });
  });

  it('is not steady while p99 still falls steeply', () => {
    const v = judgeSteady({ timeline: [second(1, 30, 228), second(2, 30, 48), second(3, 30, 25)], ratePerSec: 30 });
    expect(v).toEqual({ steady: false, why: 'p99 still falling 228→48→25 ms' });
    // within 2 × the lowest + 5 ms is settled
    expect(judgeSteady({ timeline: [second(1, 30, 24.9), second(2, 30, 12), second(3, 30, 10)], ratePerSec: 30 }).steady).toBe(true);
    expect(judgeSteady({ timeline: [second(1, 30, 25.1), second(2, 30, 12), second(3, 30, 10)], ratePerSec: 30 }).steady).toBe(false);
  });

  it('calls a p99 climbing at the end unsteady, but takes one slow second in between as noise', () => {
    expect(judgeSteady({ timeline: [second(1, 30, 3), second(2, 30, 9), second(3, 30, 40)], ratePerSec: 30 }).why).toBe('p99 climbing 3→9→40 ms');
    expect(judgeSteady({ timeline: [second(1, 30, 34), second(2, 30, 23), second(3, 30, 55)], ratePerSec: 30 }).why).toBe('p99 climbing 34→23→55 ms');
    expect(judgeSteady({ timeline: [second(1, 30, 23), second(2, 30, 55), second(3, 30, 39)], ratePerSec: 30 })).toEqual({
      steady: true,
      why: 'carried 30 of 30 orders/s or more, p99 23–55 ms over the last 3 seconds',
    });
  });

  it('is not steady with drops, timeouts or errors in the window', () => {
    const v = judgeSteady({ timeline: [second(1, 100, 4, { dropped: 2 }), second(2, 100, 4, { timedOut: 1 }), second(3, 100, 4, { errors: 1 })], ratePerSec: 100 });
    expect(v).toEqual({ steady: false, why: '2 dropped, 1 timed out, 1 error' });
  });

  it('is not steady while the backlog grows by more than max(10, 20 % of the rate)', () => {
    const timeline = [second(1, 100, 4), second(2, 100, 4), second(3, 100, 4)];
    expect(judgeSteady({ timeline, ratePerSec: 100, backlog: [245, 280, 310] })).toEqual({ steady: false, why: 'backlog grew 245→310' });
    expect(judgeSteady({ timeline, ratePerSec: 100, backlog: [245, 250, 265] }).steady).toBe(true);
    expect(judgeSteady({ timeline: timeline.map((s) => ({ ...s, carried: 20 })), ratePerSec: 20, backlog: [0, 5, 11] }).steady).toBe(false);
    expect(judgeSteady({ timeline: timeline.map((s) => ({ ...s, carried: 20 })), ratePerSec: 20, backlog: [0, 5, 10] }).steady).toBe(true);
  });

  it('is not steady when a harness process or the machine is saturated', () => {
    const timeline = [second(1, 100, 4), second(2, 100, 4), second(3, 100, 4)];
    expect(judgeSteady({ timeline, ratePerSec: 100, cpu: { busiestPct: 97, busiestName: 'payment#0', machinePct: 60 } }).why).toBe('payment#0 at 97 % of a core');
    expect(judgeSteady({ timeline, ratePerSec: 100, cpu: { busiestPct: 50, machinePct: 96 } }).why).toBe('machine 96 % busy');
    expect(judgeSteady({ timeline, ratePerSec: 100, cpu: { busiestPct: 89, machinePct: 94 } }).steady).toBe(true);
  });

  it('names every failing check in one line', () => {
    const v = judgeSteady({ timeline: [second(1, 10, 900, { timedOut: 5 }), second(2, 40, 300), second(3, 60, 80)], ratePerSec: 100, backlog: [100, 400] });
    expect(v.steady).toBe(false);
    expect(v.why).toBe('carried 10→40→60 orders/s of 100/s; 5 timed out; p99 still falling 900→300→80 ms; backlog grew 100→400');
  });

  it('judges a closed model against its own best second', () => {
    expect(judgeSteady({ timeline: [second(1, 200, 4), second(2, 400, 4), second(3, 410, 4)], ratePerSec: 0 }).why).toBe('carried 200→400→410 orders/s, still climbing');
    expect(judgeSteady({ timeline: [second(2, 400, 4), second(3, 410, 4), second(4, 405, 4)], ratePerSec: 0 }).steady).toBe(true);
  });

  it('has nothing to judge without a second', () => {
    expect(judgeSteady({ timeline: [], ratePerSec: 100 })).toEqual({ steady: false, why: 'no warm-up second to judge yet' });
  });
});
