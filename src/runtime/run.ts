import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { TRANSPORT_NAMES, type BrokerEndpoints, type TransportName } from '../contract/transport.js';
import type { Driver } from '../driver/driver.js';
import { validateThresholds } from '../gate/thresholds.js';
import { SCHEMA_VERSION, type Result } from '../result/schema.js';
import { writeResultFile } from '../result/write.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario, Step } from '../scenario/schema.js';
import { markIfKilled, markKilledRuns } from './killed-runs.js';
import { createRunDir, RUNNING_MARKER } from './output-dir.js';
import { failedTransportResult, type StepEntry } from './transport-result.js';
import { runTransport, type TransportRunOptions } from './transport-run.js';
import { environment, REPO_ROOT } from './versions.js';

export interface RunOptions {
  loaded: LoadedScenario;
  /** the scenario after command-line overrides */
  scenario: Scenario;
  overrides: Record<string, unknown>;
  transports: TransportName[];
  endpoints: BrokerEndpoints;
  /** stem of the names the run creates (default `bench`): `<stem>-<run id>-<transport>.<channel>` */
  prefixStem?: string;
  /** per transport, false: the objects named `<prefixStem>.<channel>` exist already; nothing is created or removed */
  provision?: Partial<Record<TransportName, boolean>>;
  /** output directory; default reports/<scenario>/<timestamp> */
  outDir?: string;
  keep?: boolean;
  log?: (line: string) => void;
  onDriver?: (transport: TransportName, driver: Driver) => void;
  /** true once the run should stop (SIGINT/SIGTERM): no further transport starts */
  aborted?: () => boolean;
  /**
   * receives a function that writes what was measured so far, marked aborted: for a
   * second signal, after which the process exits at once
   */
  onAbortWriter?: (write: (detail: string) => void) => void;
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
 * machine) and writes result.json (atomically) after each one, so a run cut short keeps
 * what it measured. Each entry arrives complete from runTransport: figures, check and
 * threshold verdicts included.
 */
export async function runScenario(opts: RunOptions): Promise<RunOutput> {
  const log = opts.log ?? (() => undefined);
  // a bad expression must stop the run before it starts, not after it measured
  // (a map may name any known transport, not only the ones this run selected)
  validateThresholds(opts.scenario.thresholds, TRANSPORT_NAMES);
  const reportsDir = join(REPO_ROOT, 'reports');
  for (const killed of markKilledRuns(reportsDir)) log(`an earlier run's harness was killed before it finished: ${killed} marked killed`);
  if (opts.outDir !== undefined && opts.outDir !== '') markIfKilled(resolve(opts.outDir));
  const runId = newRunId();
  const dir = createRunDir(opts.outDir, reportsDir, opts.scenario.name, runId);
  const resultPath = join(dir, 'result.json');
  const marker = join(dir, RUNNING_MARKER);
  const result: Result = {
    schemaVersion: SCHEMA_VERSION,
    runId,
    status: 'running',
    harness: { pid: process.pid, hostname: hostname() },
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
    writeResultFile(resultPath, result);
  };
  writeFileSync(marker, `${process.pid} ${hostname()}\n`);
  write();
  // a second signal exits at once: what was measured so far is written first, marked aborted
  opts.onAbortWriter?.((detail) => {
    result.status = 'aborted';
    result.statusDetail = detail;
    write();
    rmSync(marker, { force: true });
  });
  try {
    const steps: Array<Step | undefined> = opts.scenario.steps.length ? opts.scenario.steps : [undefined];
    for (const transport of opts.transports) {
      for (const [i, step] of steps.entries()) {
        if (opts.aborted?.()) break;
        const scenario = step ? applyStep(opts.scenario, step) : opts.scenario;
        const entry: StepEntry | undefined = step ? stepEntry(transport, step) : undefined;
        const name = entry?.label ?? transport;
        log(`${name}: starting`);
        const runDir = step ? join(dir, 'steps', String(i + 1)) : dir;
        opts.onTransport?.({ transport, ...(entry ? { label: entry.label } : {}), eventsDir: join(runDir, 'events', transport) });
        try {
          const run = await runTransport({
            transport,
            scenario,
            runId,
            runDir,
            endpoints: opts.endpoints,
            ...(opts.prefixStem !== undefined ? { prefixStem: opts.prefixStem } : {}),
            provision: opts.provision?.[transport] ?? true,
            keep: opts.keep ?? false,
            log,
            onDriver: (d) => opts.onDriver?.(transport, d),
            ...(opts.onFaultInjector ? { onFaultInjector: opts.onFaultInjector } : {}),
            ...(opts.onBacklog ? { onBacklog: opts.onBacklog } : {}),
            ...(entry ? { step: entry } : {}),
          });
          result.transports.push(run.result);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          // a signal to the whole group can end a service while it starts: that is the abort, not a failure
          const stopped = opts.aborted?.() ?? false;
          log(`${name}: ${stopped ? 'stopped' : 'failed'}: ${message}`);
          const entryResult = failedTransportResult(transport, message, scenario, entry);
          if (stopped) Object.assign(entryResult, { status: 'aborted', statusDetail: `stopped by a signal while starting: ${message}` });
          result.transports.push(entryResult);
        }
        write();
      }
    }
    Object.assign(result, finalStatus(result, opts.aborted?.() ?? false));
  } catch (err) {
    result.status = 'failed';
    result.statusDetail = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    write();
    rmSync(marker, { force: true });
  }
  return { result, dir, resultPath };
}

/** `completed` only when every transport ran its whole schedule and the run was not stopped. */
function finalStatus(result: Result, aborted: boolean): Pick<Result, 'status' | 'statusDetail'> {
  const statuses = result.transports.map((t) => t.status);
  if (aborted || statuses.includes('aborted')) return { status: 'aborted', statusDetail: 'stopped by SIGINT or SIGTERM; what was measured until then is kept' };
  const failed = result.transports.filter((t) => t.status === 'failed');
  if (failed.length) return { status: 'failed', statusDetail: `${failed.map((t) => t.label ?? t.name).join(', ')} failed` };
  return { status: 'completed' };
}

/** The scenario with one step's changes applied (instances, partitions, shards, rate, Kafka client). */
export function applyStep(base: Scenario, step: Step): Scenario {
  const s = structuredClone(base);
  if (step.instances !== undefined) s.transport.instances = step.instances;
  if (step.partitions !== undefined) {
    s.transport.kafka.partitions = step.partitions;
    s.transport.nats.partitions = step.partitions;
    s.transport.mqtt.partitions = step.partitions;
  }
  if (step.shards !== undefined) {
    s.transport.rabbitmq.shards = step.shards;
    s.transport.redis.shards = step.shards;
  }
  if (step.rate !== undefined) s.workload.rate = step.rate;
  if (step.kafkaClient !== undefined) s.transport.kafka.client = step.kafkaClient;
  return s;
}

/** How a step's entry is named and what it changed (the step's fields that are set). */
function stepEntry(transport: TransportName, step: Step): StepEntry {
  return {
    label: `${transport} · ${step.label ?? stepLabel(step)}`,
    changes: Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)) as Record<string, string | number>,
  };
}

function stepLabel(step: Step): string {
  const parts: string[] = [];
  if (step.instances !== undefined) parts.push(`×${step.instances}`);
  if (step.partitions !== undefined) parts.push(`${step.partitions}p`);
  if (step.shards !== undefined) parts.push(`${step.shards} shards`);
  if (step.rate !== undefined) parts.push(`${step.rate}/s`);
  if (step.kafkaClient !== undefined) parts.push(step.kafkaClient);
  return parts.join(' ') || 'step';
}
