import { describe, expect, it } from 'vitest';
import { Driver, type DriverOptions } from '../../src/driver/driver.js';
import { constantArrivalRate } from '../../src/driver/executors/constant-arrival-rate.js';
import { constantConcurrency } from '../../src/driver/executors/constant-concurrency.js';
import { rampingArrivalRate } from '../../src/driver/executors/ramping-arrival-rate.js';
import { OrderFactory } from '../../src/driver/orders.js';
import { warmupRateOf } from '../../src/driver/executors/index.js';
import type { ControlledSchedule, ControlSecond, OrderOutcome, SubmitOrder, WarmupSecond, WarmupVerdict } from '../../src/driver/types.js';
import { ManualClock, nowUs } from '../../src/metrics/clock.js';

const customers = { count: 10, names: [], burst: 1 };
const NO_WARMUP = { minMs: 0, maxMs: 0, ratePerSec: 0 };

async function runWithManualClock(driver: Driver, clock: ManualClock, totalMs: number): Promise<Awaited<ReturnType<Driver['run']>>> {
  const done = driver.run();
  for (let t = 0; t < totalMs; t++) await clock.advance(1);
  return done;
}

describe('constant-arrival-rate schedule', () => {
  it('places the i-th start at i / rate', () => {
    const s = constantArrivalRate({ rate: 200, duration: 1500 });
    expect(s.at(0)).toBe(0);
    expect(s.at(1)).toBe(5000);
    expect(s.at(299)).toBe(1_495_000);
    expect(s.at(300)).toBeUndefined();
    expect(s.lengthUs).toBe(1_500_000);
  });

  it('starts every order exactly on its intended time, whatever the responses', async () => {
    const clock = new ManualClock();
    const startedAt: Array<{ intended: number; actual: number }> = [];
    const submit: SubmitOrder = async (order) => {
      startedAt.push({ intended: order.intendedAtUs, actual: clock.nowUs() });
      return { outcome: 'completed', sentAtUs: clock.nowUs(), acceptedAtUs: clock.nowUs(), endedAtUs: clock.nowUs() + 3000 };
    };
    const driver = new Driver({
      schedule: constantArrivalRate({ rate: 100, duration: 1000 }),
      submit,
      orders: new OrderFactory(customers),
      warmup: NO_WARMUP,
      maxInFlight: 1000,
      timeoutMs: 10_000,
      drainMs: 100,
      clock,
      leadMs: 0,
    });
    const result = await runWithManualClock(driver, clock, 1100);
    expect(startedAt).toHaveLength(100);
    for (const [i, s] of startedAt.entries()) {
      expect(s.actual).toBe(s.intended);
      expect(s.intended - driver.startUs).toBe(i * 10_000);
    }
    expect(result.counts.attempted).toBe(100);
    expect(result.counts.completed).toBe(100);
    expect(result.counts.dropped).toBe(0);
    expect(result.latency.endToEnd.p50).toBeCloseTo(3, 1);
  });

  it('counts orders that would exceed the in-flight cap as dropped, never delaying them', async () => {
    const clock = new ManualClock();
    let started = 0;
    // orders that never answer until aborted: the cap fills after 5 starts
    const submit: SubmitOrder = (order, deadline) =>
      new Promise<OrderOutcome>((resolve) => {
        started++;
        deadline.addEventListener('abort', () => resolve({ outcome: 'timedOut', sentAtUs: order.intendedAtUs, endedAtUs: clock.nowUs() }));
      });
    const driver = new Driver({
      schedule: constantArrivalRate({ rate: 50, duration: 1000 }),
      submit,
      orders: new OrderFactory(customers),
      warmup: NO_WARMUP,
      maxInFlight: 5,
      timeoutMs: 60_000,
      drainMs: 10,
      clock,
      leadMs: 0,
    });
    const result = await runWithManualClock(driver, clock, 1100);
    expect(started).toBe(5);
    expect(result.counts.attempted).toBe(50);
    expect(result.counts.dropped).toBe(45);
    expect(result.counts.timedOut).toBe(5);
    expect(result.counts.completed).toBe(0);
  });

  it('excludes the warm-up from results', async () => {
    const clock = new ManualClock();
    const submit: SubmitOrder = async () => ({ outcome: 'completed', sentAtUs: clock.nowUs(), endedAtUs: clock.nowUs() + 1000 });
    const driver = new Driver({
      schedule: constantArrivalRate({ rate: 100, duration: 1000 }),
      submit,
      orders: new OrderFactory(customers),
      warmup: { minMs: 500, maxMs: 500, ratePerSec: 100 },
      maxInFlight: 100,
      timeoutMs: 10_000,
      drainMs: 100,
      clock,
      leadMs: 0,
    });
    const result = await runWithManualClock(driver, clock, 1600);
    expect(result.counts.attempted).toBe(100);
    expect(result.targetPerSec).toBeCloseTo(100, 5);
    // the warm-up's 50 orders are in its own timeline, the measured window starts on its next slot
    expect(result.measureFromUs - result.startUs).toBe(500_000);
    expect(result.warmup.ms).toBe(500);
    expect(result.warmup.timeline.reduce((n, p) => n + p.attempted, 0)).toBe(50);
    expect(result.timeline.reduce((n, p) => n + p.attempted, 0)).toBe(100);
  });
});

describe('warm-up', () => {
  const quick = (clock: ManualClock, latencyMs = 2): SubmitOrder => async () => ({ outcome: 'completed', sentAtUs: clock.nowUs(), acceptedAtUs: clock.nowUs(), endedAtUs: clock.nowUs() + latencyMs * 1000 });
  const driverWith = (clock: ManualClock, warmup: DriverOptions['warmup'], schedule: DriverOptions['schedule'] = constantArrivalRate({ rate: 50, duration: 1000 })) =>
    new Driver({ schedule, submit: quick(clock), orders: new OrderFactory(customers), warmup, maxInFlight: 1000, timeoutMs: 10_000, drainMs: 100, clock, leadMs: 0 });

  it('without a minimum or a judge starts measuring at once, synchronously', () => {
    const clock = new ManualClock();
    const driver = driverWith(clock, NO_WARMUP);
    const events: string[] = [];
    driver.on('warmup', () => events.push('warmup'));
    driver.on('start', (from: number) => events.push(`start ${from - clock.nowUs()}`));
    void driver.run();
    expect(events).toEqual(['warmup', 'start 0']);
    driver.stop();
  });

  it('ends at the first second the judge calls steady, no earlier than the minimum', async () => {
    const clock = new ManualClock();
    const judged: WarmupSecond[] = [];
    const judge = (s: WarmupSecond): WarmupVerdict => {
      judged.push(s);
      return s.t >= 3 ? { steady: true, why: 'held' } : { steady: false, why: `second ${s.t} not yet` };
    };
    const driver = driverWith(clock, { minMs: 2000, maxMs: 20_000, ratePerSec: 40, judge });
    let startedAt = 0;
    driver.once('start', () => {
      startedAt = clock.nowUs();
    });
    const result = await runWithManualClock(driver, clock, 4200);
    // judged from the minimum on: seconds 2 and 3, each carrying the warm-up rate
    expect(judged.map((s) => s.t)).toEqual([2, 3]);
    expect(judged.map((s) => s.carried)).toEqual([40, 40]);
    expect(judged[1]!.p99).toBeCloseTo(2, 1);
    expect(result.warmup).toMatchObject({ ms: 3000, steady: true, why: 'held' });
    expect(startedAt - result.startUs).toBe(3_000_000);
    expect(result.warmup.timeline.map((p) => p.attempted)).toEqual([40, 40, 40]);
    // the measured window is the schedule's, from the next warm-up slot on
    expect(result.measureFromUs - result.startUs).toBe(3_000_000);
    expect(result.counts.attempted).toBe(50);
    expect(result.counts.completed).toBe(50);
  });

  it('extends to the longest when the judge never says steady, and says so', async () => {
    const clock = new ManualClock();
    const judged: number[] = [];
    const judge = (s: WarmupSecond): WarmupVerdict => {
      judged.push(s.t);
      return { steady: false, why: `p99 still falling at ${s.t} s` };
    };
    const driver = driverWith(clock, { minMs: 1000, maxMs: 4000, ratePerSec: 50, judge });
    const result = await runWithManualClock(driver, clock, 5200);
    expect(judged).toEqual([1, 2, 3, 4]);
    expect(result.warmup).toMatchObject({ ms: 4000, steady: false, why: 'p99 still falling at 4 s' });
    expect(result.warmup.timeline).toHaveLength(4);
    expect(result.counts.attempted).toBe(50);
  });

  it('warms a closed model up with its own users, then measures for the duration', async () => {
    const clock = new ManualClock();
    const submit: SubmitOrder = async () => {
      const sentAtUs = clock.nowUs();
      await clock.sleep(10);
      return { outcome: 'completed', sentAtUs, endedAtUs: clock.nowUs() };
    };
    const driver = new Driver({
      schedule: constantConcurrency({ concurrency: 2, duration: 1000 }),
      submit,
      orders: new OrderFactory(customers),
      warmup: { minMs: 1000, maxMs: 5000, ratePerSec: 0, judge: (s) => ({ steady: s.t >= 2 }) },
      maxInFlight: 1,
      timeoutMs: 10_000,
      drainMs: 100,
      clock,
      leadMs: 0,
    });
    const result = await runWithManualClock(driver, clock, 3200);
    expect(result.warmup.ms).toBe(2000);
    // an order ending on a second's boundary counts in the next second
    expect(result.warmup.timeline.map((p) => p.completed)).toEqual([198, 200]);
    // 2 users × 1 s / 10 ms each (a user starting on the boundary itself may still count as warm-up)
    expect(result.counts.completed).toBeGreaterThanOrEqual(198);
    expect(result.counts.completed).toBeLessThanOrEqual(200);
  });

  it('warm-up rate per executor', () => {
    const base = { rate: 80, startRate: 0, stages: [{ target: 400, duration: 1000 }] };
    expect(warmupRateOf({ ...base, executor: 'constant-arrival-rate' })).toBe(80);
    expect(warmupRateOf({ ...base, executor: 'ramping-arrival-rate' })).toBe(40);
    expect(warmupRateOf({ ...base, executor: 'ramping-arrival-rate', startRate: 15 })).toBe(15);
    expect(warmupRateOf({ ...base, executor: 'ramping-arrival-rate', stages: [{ target: 5, duration: 1000 }] })).toBe(1);
    expect(warmupRateOf({ ...base, executor: 'constant-concurrency' })).toBe(0);
  });
});

describe('constant-concurrency (closed model)', () => {
  it('keeps exactly N orders in flight, each starting when the last one ends', async () => {
    let inFlight = 0;
    let peak = 0;
    const submit: SubmitOrder = async () => {
      const sentAtUs = nowUs();
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return { outcome: 'completed', sentAtUs, endedAtUs: nowUs() };
    };
    const driver = new Driver({
      schedule: constantConcurrency({ concurrency: 3, duration: 600 }),
      submit,
      orders: new OrderFactory(customers),
      warmup: NO_WARMUP,
      maxInFlight: 1,
      timeoutMs: 5000,
      drainMs: 1000,
      leadMs: 0,
    });
    const result = await driver.run();
    expect(peak).toBe(3);
    expect(result.counts.dropped).toBe(0);
    // 3 users × 600 ms / ~20 ms each: about 90 orders, never more than the time allows
    expect(result.counts.completed).toBeGreaterThan(40);
    expect(result.counts.completed).toBeLessThanOrEqual(93);
    expect(result.targetPerSec).toBe(0);
  });
});

describe('ramping-arrival-rate schedule', () => {
  it('integrates the rate: a ramp 0→100/s over 2 s then 100/s for 1 s starts 200 orders', () => {
    const s = rampingArrivalRate({ startRate: 0, stages: [{ target: 100, duration: 2000 }, { target: 100, duration: 1000 }] });
    let n = 0;
    let prev = -1;
    for (;;) {
      const at = s.at(n);
      if (at === undefined) break;
      expect(at).toBeGreaterThanOrEqual(prev);
      prev = at;
      n++;
    }
    expect(n).toBe(200);
    // the 50th arrival is where t²·25 = 50 → t = √2 s
    expect(s.at(50)! / 1e6).toBeCloseTo(Math.SQRT2, 3);
    expect(s.rateAt(1_000_000)).toBeCloseTo(50, 6);
  });
});

describe('orders', () => {
  it('gives named customers first, in bursts, with per-customer sequence numbers', () => {
    const f = new OrderFactory({ count: 3, names: ['priya', 'neeraj'], burst: 2 });
    const o = Array.from({ length: 8 }, (_, i) => f.make(i, 0));
    expect(o.map((x) => x.customerId)).toEqual(['priya', 'priya', 'neeraj', 'neeraj', 'c0002', 'c0002', 'priya', 'priya']);
    expect(o.map((x) => x.customerSeq)).toEqual([1, 2, 1, 2, 1, 2, 3, 4]);
  });
});

describe('a controlled schedule', () => {
  it('is offered its rate, re-read before each order, and observes each full second of the measured window', async () => {
    const clock = new ManualClock();
    const seen: ControlSecond[] = [];
    const schedule: ControlledSchedule = {
      kind: 'controlled',
      lengthUs: 60e6,
      rate: () => (seen.length === 0 ? 10 : 40),
      observe: (s) => void seen.push(s),
      done: () => seen.length >= 3,
    };
    // each order takes 5 ms; nothing fails
    const submit: SubmitOrder = async (order) => {
      await clock.sleep(5);
      return { outcome: 'completed', sentAtUs: order.intendedAtUs, acceptedAtUs: clock.nowUs(), endedAtUs: clock.nowUs() };
    };
    const driver = new Driver({ schedule, submit, orders: new OrderFactory(customers), warmup: { minMs: 500, maxMs: 500, ratePerSec: 10 }, maxInFlight: 100, timeoutMs: 10_000, drainMs: 100, clock, leadMs: 0 });
    const result = await runWithManualClock(driver, clock, 4000);
    expect(seen.map((s) => s.t)).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.targetPerSec)).toEqual([10, 40, 40]);
    // the warm-up's 5 orders are not counted; each second offers its rate
    expect(seen.map((s) => s.attempted)).toEqual([10, 40, 40]);
    for (const s of seen) {
      expect(s.carried).toBeGreaterThanOrEqual(s.attempted - 1);
      expect(s.p99).toBeCloseTo(5, 0);
      expect(s.dropped + s.timedOut + s.errors).toBe(0);
      expect(s.inFlight).toBeLessThanOrEqual(1);
    }
    // done after the third second: nothing more was offered
    expect(result.counts.attempted).toBe(90);
    expect(result.targetPerSec).toBe(30);
  });
});
