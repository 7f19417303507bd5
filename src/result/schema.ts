import { z } from 'zod';

/**
 * The result of `bench run`: `reports/<scenario>/<timestamp>/result.json`.
 * Everything else (HTML report, Markdown, CSV, gates, comparisons) reads this.
 * Latencies are milliseconds; histograms are HDR, microseconds, compressed base64.
 * Documented in docs/result-schema.md; bump SCHEMA_VERSION on incompatible change.
 */
export const SCHEMA_VERSION = 1;

export const LatencySummarySchema = z.object({
  count: z.number().int().min(0),
  min: z.number(),
  mean: z.number(),
  stddev: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  /** p99.9 */
  p999: z.number(),
  max: z.number(),
});

export const CountsSchema = z.object({
  attempted: z.number().int().min(0),
  accepted: z.number().int().min(0),
  completed: z.number().int().min(0),
  failed: z.number().int().min(0),
  errors: z.number().int().min(0),
  dropped: z.number().int().min(0),
  timedOut: z.number().int().min(0),
});

export const TimelinePointSchema = z.object({
  t: z.number(),
  attempted: z.number(),
  accepted: z.number(),
  completed: z.number(),
  failed: z.number(),
  errors: z.number(),
  dropped: z.number(),
  timedOut: z.number(),
  inFlight: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  acceptanceP99: z.number(),
  h: z.string(),
});

export const ComponentSchema = z.object({ name: z.string(), version: z.string() });

export const FaultEventSchema = z.object({
  action: z.enum(['kill', 'pause', 'delay']),
  target: z.string(),
  instance: z.number().int().optional(),
  /** seconds since the measured window began */
  startS: z.number(),
  endS: z.number().optional(),
  detail: z.string().optional(),
});

export const BacklogPointSchema = z.object({
  /** seconds since the measured window began */
  t: z.number(),
  /** queue, topic or consumer group */
  name: z.string(),
  channel: z.string(),
  depth: z.number(),
});

export const CheckSchema = z.object({
  drained: z.boolean(),
  drainMs: z.number(),
  lost: z.number().int(),
  stuck: z.number().int(),
  duplicates: z.number().int(),
  duplicateEffects: z.number().int(),
  reordered: z.number().int(),
  invalidTransitions: z.number().int(),
  compensationErrors: z.number().int(),
  redeliveries: z.number().int(),
  /** a few example order ids per non-zero count */
  examples: z.record(z.string(), z.array(z.string())),
});

export const TransportResultSchema = z.object({
  name: z.string(),
  /** for multi-step scenarios: what this entry's step changed, and a label such as `kafka ×2` */
  label: z.string().optional(),
  step: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  status: z.enum(['completed', 'aborted', 'failed']),
  /** one line saying why, when status is not completed */
  statusDetail: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** length of the measured window (warm-up excluded), ms */
  measuredMs: z.number(),
  warmupMs: z.number(),
  versions: z.object({ clients: z.array(ComponentSchema), server: ComponentSchema.optional() }),
  /** every setting that changes delivery guarantees or speed */
  delivery: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  address: z.string().optional(),
  counts: CountsSchema,
  errorsByCode: z.record(z.string(), z.number()),
  latency: z.object({
    /** intended start → terminal outcome (corrected for coordinated omission) */
    endToEnd: LatencySummarySchema,
    /** actual send → terminal outcome */
    endToEndUncorrected: LatencySummarySchema,
    /** intended start → order accepted (2xx) */
    acceptance: LatencySummarySchema,
    /** emitted → handled, per hop (`order→inventory:order_created`) */
    hops: z.record(z.string(), LatencySummarySchema),
  }),
  throughput: z.object({
    /** the schedule's target, orders/s (mean over the measured window) */
    targetPerSec: z.number(),
    attemptedPerSec: z.number(),
    acceptedPerSec: z.number(),
    /** orders that reached a terminal state (completed or failed) per second */
    completedPerSec: z.number(),
  }),
  timeline: z.array(TimelinePointSchema),
  histograms: z.object({
    endToEnd: z.string(),
    endToEndUncorrected: z.string(),
    acceptance: z.string(),
    hops: z.record(z.string(), z.string()),
  }),
  /** per service: events handled, duplicates seen, redeliveries flagged by the broker */
  services: z.record(z.string(), z.object({ handled: z.number(), duplicates: z.number(), redelivered: z.number(), restarts: z.number() })),
  check: CheckSchema.optional(),
  faults: z.array(FaultEventSchema).default([]),
  backlog: z.array(BacklogPointSchema).default([]),
  /** extra figures a scenario reports (time to recover, peak backlog, sustainable throughput, ...) */
  figures: z.record(z.string(), z.number()).default({}),
  /** a sample order's events, in order, for sequence diagrams */
  sample: z
    .array(z.object({ type: z.string(), from: z.string(), to: z.string(), atMs: z.number() }))
    .default([]),
  /** threshold verdicts, when the scenario has thresholds */
  thresholds: z
    .array(z.object({ expression: z.string(), ok: z.boolean(), actual: z.number().nullable(), detail: z.string().optional() }))
    .default([]),
});

export const EnvironmentSchema = z.object({
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number(),
  cpuModel: z.string(),
  totalMemoryMb: z.number(),
  hostname: z.string(),
  gitSha: z.string().nullable(),
  harnessVersion: z.string(),
});

export const ResultSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  status: z.enum(['completed', 'aborted', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string(),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    /** the scenario file's leading comment */
    comment: z.string().default(''),
    file: z.string().nullable(),
    /** the scenario as run, after defaults and command-line overrides */
    resolved: z.record(z.string(), z.unknown()),
    overrides: z.record(z.string(), z.unknown()).default({}),
  }),
  environment: EnvironmentSchema,
  transports: z.array(TransportResultSchema),
});

export type Result = z.output<typeof ResultSchema>;
export type TransportResult = z.output<typeof TransportResultSchema>;
export type LatencySummary = z.output<typeof LatencySummarySchema>;
export type CheckResult = z.output<typeof CheckSchema>;
export type FaultEvent = z.output<typeof FaultEventSchema>;
export type BacklogPoint = z.output<typeof BacklogPointSchema>;

/** Parses a result file's JSON, with one clear line on failure. */
export function parseResult(json: unknown, source: string): Result {
  const parsed = ResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: not a bench result: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}
