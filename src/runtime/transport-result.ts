import type { TransportDescription, TransportName } from '../contract/transport.js';
import type { DriverResult } from '../driver/driver.js';
import type { KneeResult } from '../driver/executors/find-knee.js';
import { evaluateThresholds, thresholdEntries } from '../gate/evaluate.js';
import { encodeHistogram, summarize } from '../metrics/histogram.js';
import type { BacklogPoint, Calibration, CheckResult, FaultEvent, Resources, Steady, TransportResult, Warning } from '../result/schema.js';
import type { Scenario } from '../scenario/schema.js';
import { faultCostFigures } from '../check/fault-cost.js';
import { kneeWarnings, scenarioFigures } from './figures.js';
import { brokerRequestFigures, type ServiceFigures } from './service-figures.js';

/** Which step of a multi-step scenario an entry is. */
export interface StepEntry {
  /** `kafka · 3 instances`: names the entry in reports and gate verdicts */
  label: string;
  /** what the step changed from the base scenario */
  changes: Record<string, string | number>;
}

/**
 * Everything one transport's run measured, before it becomes a TransportResult. To add a
 * figure to the result: add it here as a piece, fill it in where the run measures it
 * (src/runtime/transport-run.ts), and copy or derive it in buildTransportResult.
 */
export interface TransportPieces {
  transport: TransportName;
  /** the scenario as this entry ran it (a step's changes applied) */
  scenario: Scenario;
  description: TransportDescription;
  startedAt: string;
  finishedAt: string;
  /** the load driver's counts, latencies, histograms and timeline */
  driver: DriverResult;
  /** what the service processes counted: events handled, duplicates, hop latencies */
  services: ServiceFigures;
  backlog: BacklogPoint[];
  faults: FaultEvent[];
  /** the checker's verdict on the services' event logs */
  check: CheckResult;
  /** one order's events, for the sequence diagram */
  sample: TransportResult['sample'];
  /** the event logs' total size, bytes */
  eventLogBytes: number;
  /** `payment-0: <why>` for each process whose adapter gave up reconnecting: the entry failed */
  gaveUp: string[];
  step?: StepEntry;
  /** find-knee runs: what the knee search found */
  knee?: KneeResult;
  /** measured beside the load, when the run measures them */
  steady?: Steady;
  calibration?: Calibration;
  resources?: Resources;
  warnings?: Warning[];
}

/**
 * The one place a transport's result is built: measured pieces first, then what is
 * derived from them (scenario figures, then threshold verdicts, which may read those
 * figures). Verdicts come from the gate's own evaluation, so `bench gate` on the written
 * file judges exactly as the run did.
 */
export function buildTransportResult(p: TransportPieces): TransportResult {
  const result = measuredResult(p);
  result.figures = {
    ...result.figures,
    ...scenarioFigures(result, p.scenario, p.knee),
    ...faultCostFigures(result.faults),
    ...brokerRequestFigures(result.services, result.counts.completed + result.counts.failed),
    eventLogBytes: p.eventLogBytes,
  };
  result.warnings = [...result.warnings, ...kneeWarnings(result.figures, p.scenario)];
  return withOwnVerdicts(result, p.scenario);
}

/** The entry with its `thresholds` judged by the gate's evaluation of the scenario's thresholds. */
function withOwnVerdicts(result: TransportResult, scenario: Scenario): TransportResult {
  result.thresholds = thresholdEntries(result, evaluateThresholds([result], scenario.thresholds));
  return result;
}

function measuredResult(p: TransportPieces): TransportResult {
  const d = p.driver;
  const seconds = Math.max(d.measuredMs / 1000, 1e-3);
  const hopSummaries: TransportResult['latency']['hops'] = {};
  const hopEncoded: Record<string, string> = {};
  for (const [hop, h] of Object.entries(p.services.hops)) {
    hopSummaries[hop] = summarize(h);
    hopEncoded[hop] = encodeHistogram(h);
  }
  const c = d.counts;
  const result: TransportResult = {
    name: p.transport,
    ...(p.step ? { label: p.step.label, step: p.step.changes } : {}),
    ...statusOf(p),
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    measuredMs: Math.round(d.measuredMs),
    // the warm-up as it ran: at least the one asked for, longer until the run was steady
    warmupMs: Math.round(p.driver.warmup.ms),
    versions: p.description.server ? { clients: p.description.clients, server: p.description.server } : { clients: p.description.clients },
    delivery: p.description.delivery,
    ...(p.description.address ? { address: p.description.address } : {}),
    counts: c,
    errorsByCode: d.errorsByCode,
    latency: { ...d.latency, hops: hopSummaries },
    throughput: {
      targetPerSec: round2(d.targetPerSec),
      attemptedPerSec: round2(c.attempted / seconds),
      acceptedPerSec: round2(c.accepted / seconds),
      completedPerSec: round2((c.completed + c.failed) / seconds),
    },
    timeline: d.timeline,
    histograms: { ...d.histograms, hops: hopEncoded },
    services: p.services.services,
    check: p.check,
    faults: p.faults,
    backlog: p.backlog,
    figures: d.unfinished > 0 ? { unfinishedAtEnd: d.unfinished } : {},
    ...(p.knee ? { knee: { ended: p.knee.ended, steps: p.knee.steps } } : {}),
    ...(p.steady ? { steady: p.steady } : {}),
    ...(p.calibration ? { calibration: p.calibration } : {}),
    ...(p.resources ? { resources: p.resources } : {}),
    warnings: p.warnings ?? [],
    sample: p.sample,
    thresholds: [],
  };
  return result;
}

/** Completed only when the schedule ran to its end and every process kept its connection. */
function statusOf(p: TransportPieces): Pick<TransportResult, 'status' | 'statusDetail'> {
  const g = p.gaveUp;
  if (g.length > 0) return { status: 'failed', statusDetail: g.length > 1 ? `${g[0]} (and ${g.length - 1} more)` : g[0]! };
  if (p.driver.stopped) return { status: 'aborted', statusDetail: 'stopped by a signal before the schedule ended' };
  return { status: 'completed' };
}

/**
 * The entry of a transport that could not run (or broke mid-run): no figures, one line
 * saying why; each of its thresholds fails, naming that reason.
 */
export function failedTransportResult(name: TransportName, detail: string, scenario: Scenario, step?: StepEntry): TransportResult {
  const empty = { count: 0, min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const now = new Date().toISOString();
  return withOwnVerdicts({
    name,
    ...(step ? { label: step.label, step: step.changes } : {}),
    status: 'failed',
    statusDetail: detail,
    startedAt: now,
    finishedAt: now,
    measuredMs: 0,
    warmupMs: 0,
    versions: { clients: [] },
    delivery: {},
    counts: { attempted: 0, accepted: 0, completed: 0, failed: 0, errors: 0, dropped: 0, timedOut: 0 },
    errorsByCode: {},
    latency: { endToEnd: empty, endToEndUncorrected: empty, acceptance: empty, hops: {} },
    throughput: { targetPerSec: 0, attemptedPerSec: 0, acceptedPerSec: 0, completedPerSec: 0 },
    timeline: [],
    histograms: { endToEnd: '', endToEndUncorrected: '', acceptance: '', hops: {} },
    services: {},
    faults: [],
    backlog: [],
    figures: {},
    warnings: [],
    sample: [],
    thresholds: [],
  }, scenario);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
