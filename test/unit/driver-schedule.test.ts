import { describe, expect, it } from 'vitest';
import { Driver } from '../../src/driver/driver.js';
import { constantArrivalRate } from '../../src/driver/executors/constant-arrival-rate.js';
import { constantConcurrency } from '../../src/driver/executors/constant-concurrency.js';
import { rampingArrivalRate } from '../../src/driver/executors/ramping-arrival-rate.js';
import { OrderFactory } from '../../src/driver/orders.js';
import type { ControlledSchedule, ControlSecond, OrderOutcome, SubmitOrder } from '../../src/driver/types.js';
import { ManualClock, nowUs } from '../../src/metrics/clock.js';

const customers = { count: 10, names: [], burst: 1 };

async function runWithManualClock(driver: Driver, clock: ManualClock, totalMs: number): Promise<Awaited<ReturnType<Driver['run']>>> {
  const done = driver.run();
  for (let t = 0; t < totalMs; t++) await clock.advance(1);
  return done;
}

describe('constant-arrival-rate schedule', () => {
  it('places the i-th start at i / rate', () => {
    const s = constantArrivalRate({ rate: 200, duration: 1000, warmup: 500 });
    expect(s.at(0)).toBe(0);
    expect(s.at(1)).toBe(5000);
    expect(s.at(299)).toBe(1_495_000);
    expect(s.at(300)).toBeUndefined();
  });

  it('starts every order exactly on its intended time, whatever the responses', async () => {
    const clock = new ManualClock();
    const startedAt: Array<{ intended: number; actual: number }> = [];
    const submit: SubmitOrder = async (order) => {
      startedAt.push({ intended: order.intendedAtUs, actual: clock.nowUs() });
      return { outcome: 'completed', sentAtUs: clock.nowUs(), acceptedAtUs: clock.nowUs(), endedAtUs: clock.nowUs() + 3000 };
    };
    const driver = new Driver({
      schedule: constantArrivalRate({ rate: 100, duration: 1000, warmup: 0 }),
      submit,
      orders: new OrderFactory(customers),
      warmupMs: 0,
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
      schedule: constantArrivalRate({ rate: 50, duration: 1000, warmup: 0 }),
      submit,
      orders: new OrderFactory(customers),
      warmupMs: 0,
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
      schedule: constantArrivalRate({ rate: 100, duration: 1000, warmup: 500 }),
      submit,
      orders: new OrderFactory(customers),
      warmupMs: 500,
      maxInFlight: 100,
      timeoutMs: 10_000,
      drainMs: 100,
      clock,
      leadMs: 0,
    });
    const result = await runWithManualClock(driver, clock, 1600);
    expect(result.counts.attempted).toBe(100);
    expect(result.targetPerSec).toBeCloseTo(100, 5);
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
      schedule: constantConcurrency({ concurrency: 3, duration: 600, warmup: 0 }),
      submit,
      orders: new OrderFactory(customers),
      warmupMs: 0,
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
    const s = rampingArrivalRate({ startRate: 0, warmup: 0, stages: [{ target: 100, duration: 2000 }, { target: 100, duration: 1000 }] });
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
    const driver = new Driver({ schedule, submit, orders: new OrderFactory(customers), warmupMs: 500, maxInFlight: 100, timeoutMs: 10_000, drainMs: 100, clock, leadMs: 0 });
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
