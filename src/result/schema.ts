import { z } from 'zod';
import { ScenarioSchema } from '../scenario/schema.js';

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

/** What one fault cost: counted over the orders intended from `workload.timeout` before it began until it ended. */
export const FaultCostSchema = z.object({
  /** orders intended in the window (in flight when it began, or started during it) */
  orders: z.number().int(),
  /** accepted (acknowledged) but never terminal */
  lost: z.number().int(),
  /** extra deliveries of events of those orders */
  duplicates: z.number().int(),
  /** events of those orders handled out of their customer's order */
  reordered: z.number().int(),
  /** driver-side errors and timeouts of orders intended inside the fault window itself */
  errors: z.number().int(),
  timedOut: z.number().int(),
  /** end-to-end p99 of orders that ended during the window (seconds start..end), ms; null when none ended */
  p99InWindowMs: z.number().nullable(),
  /** seconds from the fault's end to the first second with a completed order; null when none came */
  endToFirstSuccessS: z.number().nullable(),
  /** seconds from the fault's start until orders completed at half the rate before it again; 0 when they never fell below; null when they never came back (absent in results written before it existed) */
  startToRecoveredS: z.number().nullable().optional(),
  /** seconds from the fault's end to the first backlog sample at 0 (messaging); null when it never drained or there is no backlog */
  endToDrainedS: z.number().nullable(),
});

export const FaultEventSchema = z.object({
  action: z.enum(['kill', 'pause', 'delay', 'latency', 'bandwidth', 'reset', 'blackhole']),
  /** a service name, `broker` or `network` */
  target: z.string(),
  /** target broker: which one (`kafka`, `rabbitmq`, `activemq`) and, for Kafka, the node id */
  broker: z.string().optional(),
  node: z.number().int().optional(),
  instance: z.number().int().optional(),
  /** seconds since the measured window began */
  startS: z.number(),
  endS: z.number().optional(),
  detail: z.string().optional(),
  /** what it cost, once the run is checked */
  cost: FaultCostSchema.optional(),
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
  /** started but never accepted and never beyond the order service: an error the driver counted, not stuck work */
  neverAccepted: z.number().int().optional(),
  duplicates: z.number().int(),
  duplicateEffects: z.number().int(),
  reordered: z.number().int(),
  invalidTransitions: z.number().int(),
  compensationErrors: z.number().int(),
  redeliveries: z.number().int(),
  /** a few example order ids per non-zero count */
  examples: z.record(z.string(), z.array(z.string())),
});

/**
 * Something that makes a transport's figures less trustworthy, found by the harness
 * itself: the run never became steady, a process of the harness was CPU-bound, the
 * machine was saturated, the ramp ended below the knee. Shown first in every summary.
 */
export const WarningSchema = z.object({
  /** NOT_STEADY | PROCESS_CPU_BOUND | MACHINE_SATURATED | CPU_STEAL | KNEE_NOT_REACHED | HARNESS_OVERHEAD */
  code: z.string(),
  /** one line, naming the process and the seconds where it applies */
  message: z.string(),
  /** the process it concerns (`driver`, `payment#0`, `kafka#0`), when one */
  process: z.string().optional(),
  /** seconds of the measured window it concerns (1 = the first second) */
  seconds: z.array(z.number()).optional(),
});

/** A knee search (executor find-knee): how it ended and each step, in the order run (seconds of the measured window). */
export const KneeSchema = z.object({
  /** narrowed (within knee.precision) | max-rate (knee.maxRate held) | max-duration | min-rate (failed even at 1 order/s) */
  ended: z.string(),
  steps: z.array(z.object({ rate: z.number(), ok: z.boolean(), why: z.string(), fromS: z.number(), toS: z.number() })),
});

/** Whether, when and how the warm-up reached steady state before the measured window. */
export const SteadySchema = z.object({
  /** the warm-up's checks all held before the measured window began */
  reached: z.boolean(),
  /** seconds from the first order to the start of the measured window */
  warmupS: z.number(),
  /** the warm-up the scenario asked for, and the bound it may be extended to, seconds */
  requestedWarmupS: z.number(),
  maxWarmupS: z.number(),
  /** seconds spent before the first order waiting until every consumer was assigned its partitions or queues */
  assignmentS: z.number(),
  /** one line: what was checked, or why it never held */
  detail: z.string(),
  /** the last warm-up seconds judged, oldest first */
  checks: z
    .array(z.object({ t: z.number(), completedPerSec: z.number(), p99: z.number(), backlog: z.number().nullable(), cpuBusiestPct: z.number().nullable(), ok: z.boolean(), why: z.string().optional() }))
    .default([]),
});

/** The transport's raw round trip, measured with the same client, settings and broker before the load. */
export const CalibrationSchema = z.object({
  /** what one sample is, e.g. `publish → consume of one event on a calibration topic` */
  what: z.string(),
  samples: z.number().int(),
  ratePerSec: z.number(),
  /** milliseconds */
  p50: z.number(),
  p99: z.number(),
  /** HDR histogram of the samples, µs, encoded */
  h: z.string(),
});

export const ProcessResourcesSchema = z.object({
  role: z.enum(['driver', 'service', 'broker']),
  /** `driver`, `payment#0`, `kafka#0`, `rabbitmq` */
  name: z.string(),
  /** its pid at the end (a broker or service restarted in the run is followed under its new pid) */
  pid: z.number().int(),
  /** per sample: CPU (user+sys) as % of one core; null when the process was not running */
  cpuPct: z.array(z.number().nullable()),
  /** per sample: resident memory, MB */
  rssMb: z.array(z.number().nullable()),
});

/** Where the CPU went: per-second samples from /proc of every process the harness knows, and the machine. */
export const ResourcesSchema = z.object({
  intervalMs: z.number(),
  /** sample times, seconds since the measured window began (negative in the warm-up) */
  t: z.array(z.number()),
  machine: z.object({
    cores: z.number().int(),
    /** busy (everything but idle and iowait) as % of all cores */
    cpuPct: z.array(z.number().nullable()),
    stealPct: z.array(z.number().nullable()),
  }),
  processes: z.array(ProcessResourcesSchema),
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
  /**
   * per service: events handled, duplicates seen, redeliveries flagged by the broker, and
   * (adapters that count them) broker requests sent in the measured window by API name
   */
  services: z.record(
    z.string(),
    z.object({
      handled: z.number(),
      duplicates: z.number(),
      redelivered: z.number(),
      restarts: z.number(),
      brokerRequests: z.record(z.string(), z.number()).optional(),
    }),
  ),
  check: CheckSchema.optional(),
  faults: z.array(FaultEventSchema).default([]),
  backlog: z.array(BacklogPointSchema).default([]),
  /** extra figures a scenario reports (time to recover, peak backlog, sustainable throughput, kneeReached, ...) */
  figures: z.record(z.string(), z.union([z.number(), z.boolean()])).default({}),
  /** find-knee runs: how the search ended and every step it ran */
  knee: KneeSchema.optional(),
  /** steady-state check of the warm-up (absent in results written before it existed) */
  steady: SteadySchema.optional(),
  /** the transport's raw round trip on the same client and broker, the floor under every hop */
  calibration: CalibrationSchema.optional(),
  /** CPU and memory per process and of the machine, per second */
  resources: ResourcesSchema.optional(),
  /** what makes these figures less trustworthy, found by the harness itself */
  warnings: z.array(WarningSchema).default([]),
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
  /**
   * `running` while the run goes on (the file is rewritten after each transport);
   * `completed` only when every transport ran its whole schedule; `aborted` when a
   * signal stopped it; `failed` when a transport could not run; `killed` when a later
   * start found the run's harness gone without a word (SIGKILL, a crash, power loss)
   */
  status: z.enum(['running', 'completed', 'aborted', 'failed', 'killed']),
  /** one line saying why, when status is not completed */
  statusDetail: z.string().optional(),
  /** the process that writes this file, so a later start can tell a live run from a killed one */
  harness: z.object({ pid: z.number().int(), hostname: z.string() }).optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    /** the scenario file's leading comment */
    comment: z.string().default(''),
    file: z.string().nullable(),
    /** the scenario as run, after defaults and command-line overrides (durations in ms) */
    resolved: ScenarioSchema,
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
export type Warning = z.output<typeof WarningSchema>;
export type Steady = z.output<typeof SteadySchema>;
export type Calibration = z.output<typeof CalibrationSchema>;
export type Resources = z.output<typeof ResourcesSchema>;

/** Parses a result file's JSON, with one clear line on failure. */
export function parseResult(json: unknown, source: string): Result {
  const parsed = ResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: not a bench result: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}
