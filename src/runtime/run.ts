import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrokerEndpoints, TransportName } from '../contract/transport.js';
import type { Driver } from '../driver/driver.js';
import { SCHEMA_VERSION, type Result, type TransportResult } from '../result/schema.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario, Step } from '../scenario/schema.js';
import { scenarioFigures } from './figures.js';
import { checkEventLogs } from '../check/check-logs.js';
import { runTransport, type TransportRunOptions } from './transport-run.js';
import { environment, REPO_ROOT } from './versions.js';

export interface RunOptions {
  loaded: LoadedScenario;
  /** the scenario after command-line overrides */
  scenario: Scenario;
  overrides: Record<string, unknown>;
  transports: TransportName[];
  endpoints: BrokerEndpoints;
  /** output directory; default reports/<scenario>/<timestamp> */
  outDir?: string;
  keep?: boolean;
  log?: (line: string) => void;
  onDriver?: (transport: TransportName, driver: Driver) => void;
  /** true once the run should stop (SIGINT/SIGTERM): no further transport starts */
  aborted?: () => boolean;
  /** called as each transport (or step) starts, with where its services write their event logs */
  onTransport?: (info: { transport: TransportName; label?: string; eventsDir: string }) => void;
  /** passed to each transport's run (the live dashboard) */
  onFaultInjector?: TransportRunOptions['onFaultInjector'];
  onBacklog?: TransportRunOptions['onBacklog'];
}

export interface RunOutput {
  result: Result;
  dir: string;
  resultPath: string;
}

export function newRunId(now = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Runs a scenario over each transport in turn (never at once: they would share the
 * machine) and writes result.json after each one, so a run cut short keeps what it
 * measured.
 */
export async function runScenario(opts: RunOptions): Promise<RunOutput> {
  const log = opts.log ?? (() => undefined);
  const runId = newRunId();
  const dir = resolve(opts.outDir ?? join(REPO_ROOT, 'reports', opts.scenario.name, runId.slice(0, 15)));
  mkdirSync(dir, { recursive: true });
  const resultPath = join(dir, 'result.json');
  const result: Result = {
    schemaVersion: SCHEMA_VERSION,
    runId,
    status: 'completed',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    scenario: {
      name: opts.scenario.name,
      description: opts.scenario.description,
      comment: opts.loaded.comment,
      file: opts.loaded.file,
      resolved: opts.scenario,
      overrides: opts.overrides,
    },
    environment: environment(),
    transports: [],
  };
  const write = (): void => {
    result.finishedAt = new Date().toISOString();
    writeFileSync(resultPath, JSON.stringify(result, null, 1));
  };
  write();
  const steps: Array<Step | undefined> = opts.scenario.steps.length ? opts.scenario.steps : [undefined];
  for (const transport of opts.transports) {
    for (const step of steps) {
      if (opts.aborted?.()) break;
      const scenario = step ? applyStep(opts.scenario, step) : opts.scenario;
      const label = step ? `${transport} · ${step.label ?? stepLabel(step)}` : undefined;
      log(`${label ?? transport}: starting`);
      const runDir = step ? join(dir, 'steps', String(steps.indexOf(step) + 1)) : dir;
      opts.onTransport?.({ transport, ...(label ? { label } : {}), eventsDir: join(runDir, 'events', transport) });
      try {
        const run = await runTransport({
          transport,
          scenario,
          runId,
          runDir,
          endpoints: opts.endpoints,
          keep: opts.keep ?? false,
          log,
          onDriver: (d) => opts.onDriver?.(transport, d),
          ...(opts.onFaultInjector ? { onFaultInjector: opts.onFaultInjector } : {}),
          ...(opts.onBacklog ? { onBacklog: opts.onBacklog } : {}),
        });
        const t = run.result;
        const logs = checkEventLogs(run.eventsDir, { accepted: run.accepted, fromUs: run.measureFromUs, drained: run.drained, drainMs: run.drainMs });
        t.sample = logs.sample;
        t.check = logs.check;
        t.figures = { ...t.figures, ...scenarioFigures(t, scenario), eventLogBytes: logs.bytes };
        if (label && step) {
          t.label = label;
          t.step = Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
        }
        result.transports.push(t);
        if (t.status === 'aborted') result.status = 'aborted';
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`${label ?? transport}: failed: ${message}`);
        const failed = failedTransport(transport, message);
        if (label) failed.label = label;
        result.transports.push(failed);
        if (result.status === 'completed') result.status = 'failed';
      }
      write();
    }
  }
  if (opts.aborted?.()) result.status = 'aborted';
  write();
  return { result, dir, resultPath };
}

function failedTransport(name: TransportName, detail: string): TransportResult {
  const empty = { count: 0, min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const now = new Date().toISOString();
  return {
    name,
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
  };
}

/** The scenario with one step's changes applied (instances, partitions, shards, rate). */
export function applyStep(base: Scenario, step: Step): Scenario {
  const s = structuredClone(base);
  if (step.instances !== undefined) s.transport.instances = step.instances;
  if (step.partitions !== undefined) s.transport.kafka.partitions = step.partitions;
  if (step.shards !== undefined) s.transport.rabbitmq.shards = step.shards;
  if (step.rate !== undefined) s.workload.rate = step.rate;
  return s;
}

function stepLabel(step: Step): string {
  const parts: string[] = [];
  if (step.instances !== undefined) parts.push(`×${step.instances}`);
  if (step.partitions !== undefined) parts.push(`${step.partitions}p`);
  if (step.shards !== undefined) parts.push(`${step.shards} shards`);
  if (step.rate !== undefined) parts.push(`${step.rate}/s`);
  return parts.join(' ') || 'step';
}
