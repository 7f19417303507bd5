import { z } from 'zod';
import { quoteInput } from '../contract/errors.js';
import { formatDurationMs, parseDurationMs } from './duration.js';

/**
 * Every bound on what a scenario file or a flag may ask for, declared once with the
 * reason beside it. The scenario schema and the command-line flags both read this
 * table, so `--rate` and `workload.rate` refuse the same values with the same words.
 * Durations are milliseconds.
 */
export interface Bound {
  min: number;
  max: number;
  /** true: `min` itself is not allowed (a rate of 0) */
  minExclusive?: boolean;
  integer?: boolean;
  duration?: boolean;
  unit?: string;
  why: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const BOUNDS = {
  rate: { min: 0, minExclusive: true, max: 50_000, unit: 'orders/s', why: 'one driver process starts every order; beyond this it cannot keep the schedule and the orders in flight grow without end' },
  stageRate: { min: 0, max: 50_000, unit: 'orders/s', why: 'as for workload.rate' },
  duration: { min: 0, minExclusive: true, max: DAY, duration: true, why: 'the per-second timeline and histograms of the whole run are kept in memory and in result.json' },
  warmup: { min: 0, max: HOUR, duration: true, why: 'a warm-up longer than an hour is a run of its own' },
  maxWarmup: { min: 0, max: HOUR, duration: true, why: 'the warm-up goes on until the run is steady, at most this long; beyond an hour it is a run of its own' },
  timeout: { min: 10, max: HOUR, duration: true, why: 'below 10 ms every order times out; each order holds a timer until its deadline' },
  drain: { min: 0, max: 10 * 60_000, duration: true, why: 'the run waits this long for in-flight orders, also after Ctrl-C' },
  maxInFlight: { min: 1, max: 100_000, integer: true, why: 'each order in flight holds a request, a timer and a record' },
  concurrency: { min: 1, max: 5_000, integer: true, why: 'each virtual user is an order in flight; a million took 2.9 GB' },
  customers: { min: 1, max: 1_000_000, integer: true, why: 'the checker keeps per-customer ordering state' },
  burst: { min: 1, max: 10_000, integer: true, why: 'consecutive orders per customer' },
  serviceTime: { min: 0, max: 60_000, duration: true, why: 'a service delay or work per event beyond a minute stalls every order' },
  serviceCpu: { min: 0, max: 1_000, duration: true, why: 'busy CPU per event: a second of it already holds a core for every event' },
  slo: { min: 0, minExclusive: true, max: HOUR, duration: true, why: 'an end-to-end p99 objective' },
  instances: { min: 1, max: 16, integer: true, why: 'each instance is one OS process per service: 16 means 64 processes on this machine' },
  connections: { min: 1, max: 1_024, integer: true, why: 'keep-alive sockets per pool' },
  requestTimeout: { min: 1, max: 10 * 60_000, duration: true, why: 'deadline of one downstream call' },
  commitInterval: { min: 0, max: 5_000, duration: true, why: 'handled offsets wait this long to be committed; a member that dies unannounced has its uncommitted work redelivered, and its session lasts 6 s' },
  partitions: { min: 1, max: 256, integer: true, why: 'Kafka partitions per topic; each is a file set on the broker' },
  replicas: { min: 1, max: 5, integer: true, why: 'at most the brokers `bench brokers up --kafka-brokers` starts' },
  prefetch: { min: 1, max: 10_000, integer: true, why: 'unacknowledged messages a consumer holds in memory' },
  shards: { min: 1, max: 64, integer: true, why: 'queues per channel, each with its own consumer' },
  kneeStep: { min: 2_000, max: 10 * 60_000, duration: true, why: 'one rate of a knee search: at least a settled second and a judged one' },
  kneeSettle: { min: 0, max: 10 * 60_000, duration: true, why: 'the unjudged start of each step; at least 2 s of the step must remain' },
  kneeFactor: { min: 1, minExclusive: true, max: 10, why: 'the next rate after a step that held, × the last; beyond 10 the search jumps past the knee' },
  kneePrecision: { min: 0.01, max: 1, why: 'the search ends once the failed rate is within this share above the good one' },
  kneeMaxDuration: { min: 10_000, max: DAY, duration: true, why: 'the knee search stops here, found or not' },
  steps: { min: 0, max: 20, integer: true, why: 'each step is a full run of every transport' },
  faults: { min: 0, max: 100, integer: true, why: 'each fault arms timers and may restart processes' },
  faultAt: { min: 0, max: DAY, duration: true, why: 'from the start of the measured window' },
  faultLength: { min: 100, max: DAY, duration: true, why: 'a killed process needs time to restart before the next fault' },
  faultInstance: { min: 0, max: 15, integer: true, why: 'instances are numbered from 0 and capped at 16' },
  thresholds: { min: 0, max: 100, integer: true, why: 'threshold expressions per list' },
  calibrationSamples: { min: 0, max: 10_000, integer: true, why: 'recorded round trips before the load, one at a time; 0 turns the calibration off' },
  calibrationRate: { min: 1, max: 5_000, unit: 'round trips/s', why: 'one round trip at a time: faster than the transport answers only queues them' },
  calibrationWarmup: { min: 0, max: 100_000, integer: true, why: 'unrecorded round trips back to back, within the calibration\'s 30 s bound' },
} satisfies Record<string, Bound>;

/** Longest text fields, characters: long enough for any real use, short enough for one line. */
export const TEXT_MAX = { name: 100, label: 80, description: 4_000, expression: 200, customerName: 64 } as const;

/** `from 1 to 16 (each instance is one OS process …)`: the allowed range and why, for messages. */
export function describeBound(b: Bound): string {
  const f = (n: number): string => (b.duration ? formatDurationMs(n) : String(n));
  const unit = b.unit ? ` ${b.unit}` : '';
  const low = b.minExclusive ? `more than ${f(b.min)}` : `from ${f(b.min)}`;
  return `${low}${b.minExclusive ? ' and at most' : ' to'} ${f(b.max)}${unit} (${b.why})`;
}

export function withinBound(b: Bound, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (b.integer && !Number.isInteger(v)) return false;
  return (b.minExclusive ? v > b.min : v >= b.min) && v <= b.max;
}

const expected = (b: Bound): string => `expected ${b.integer ? 'a whole number ' : ''}${describeBound(b)}`;

/** A number within a bound, for the scenario schema. */
export function boundedNumber(b: Bound) {
  return z.number().refine((v) => withinBound(b, v), { error: (iss) => `${expected(b)}, got ${quoteInput(iss.input)}` });
}

/** A duration (`500ms`, `20s`, `2m`, `1h` or milliseconds) within a bound, as milliseconds. */
export function boundedDuration(b: Bound) {
  return z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const ms = parseDurationMs(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 500ms, 20s or 2m, got ${quoteInput(v)}` });
        return z.NEVER;
      }
      if (!withinBound(b, ms)) {
        ctx.addIssue({ code: 'custom', message: `expected a duration ${describeBound(b)}, got ${quoteInput(v)}` });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ description: `a duration: 500ms, 20s, 2m, 1h, or a number of milliseconds; ${describeBound(b)}` });
}

/** A list of at most `b.max` items. */
export function boundedList<T extends z.ZodType>(item: T, b: Bound) {
  return z.array(item).refine((l) => l.length <= b.max, { error: (iss) => `expected at most ${b.max} entries (${b.why}), got ${(iss.input as unknown[]).length}` });
}
