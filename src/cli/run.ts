import net from 'node:net';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { ConfigError, quoteInput, UnreachableError } from '../contract/errors.js';
import { TRANSPORT_NAMES, type TransportName } from '../contract/transport.js';
import { loadScenario } from '../scenario/load.js';
import { formatDurationMs, parseDurationMs } from '../scenario/duration.js';
import { BOUNDS, describeBound, withinBound, type Bound } from '../scenario/bounds.js';
import { maxWarmupOf, type Scenario } from '../scenario/schema.js';
import { runScenario } from '../runtime/run.js';
import { validateThresholds } from '../gate/thresholds.js';
import { makeDirectory } from '../runtime/output-dir.js';
import { onInterrupt } from './interrupt.js';
import { attachProgress } from './progress.js';
import { renderSummaryTable } from './summary-table.js';
import type { Driver } from '../driver/driver.js';
import type { Result } from '../result/schema.js';
import { parseLiveFlags, startLive, type LiveSession } from './live.js';
import type { BrokerEndpoints } from '../contract/endpoints.js';
import type { LoadedTarget } from '../targets/load.js';

export interface RunFlags {
  transport?: string;
  rate?: string;
  duration?: string;
  warmup?: string;
  maxWarmup?: string;
  instances?: string;
  /** false (`--no-calibration`): no floor measured before the load */
  calibration?: boolean;
  out?: string;
  keep?: boolean;
  gate?: boolean;
  report?: boolean;
  live?: boolean;
  port?: string;
  bind?: string;
  open?: boolean;
  target?: string;
}

/** Signals this close to the first are the same request (sent to the process and to its group). */
const SAME_SIGNAL_MS = 1_000;

export function command(): Command {
  return new Command('run')
    .description('run a scenario over one or more transports and write result.json and a report')
    .argument('<scenario>', 'a scenario name from scenarios/ or a path to a .yaml file')
    .option('-t, --transport <list>', `comma-separated transports (${TRANSPORT_NAMES.join(', ')}) or "all"`)
    .option('-r, --rate <orders/s>', 'override the arrival rate (constant-arrival-rate scenarios)')
    .option('-d, --duration <duration>', 'override the measured duration, e.g. 30s')
    .option('--warmup <duration>', 'override the warm-up (the least it lasts), e.g. 3s')
    .option('--max-warmup <duration>', 'the longest the warm-up may go on until the run is steady (default 60s, or the warm-up when longer)')
    .option('--instances <n>', 'consumer instances per service (messaging)')
    .option('--no-calibration', 'skip measuring each transport’s floor (a few seconds before its load)')
    .option('-o, --out <dir>', 'output directory (default reports/<scenario>/<runId>, new for every run)')
    .option('--keep', 'keep the run’s topics and queues afterwards')
    .option('--gate', 'check the scenario’s thresholds and exit 99 if one fails')
    .option('--no-report', 'write result.json only')
    .option('--live', 'serve a live dashboard while the run goes on (charts, orders, fault buttons), then the report')
    .option('--port <n>', 'port of the live dashboard (default 8090, or any free one if it is taken; 0 = any)')
    .option('--bind <address>', 'address the live dashboard listens on (default 127.0.0.1; anything else is reachable by others and warns)')
    .option('--open', 'open the live dashboard in a browser')
    .option('--target <file>', 'where the brokers are and how to connect (a target file, or a name from targets/); default: the local brokers')
    .action(async (name: string, flags: RunFlags) => {
      try {
        process.exitCode = await runCommand(name, flags);
      } finally {
        exitIfHeld();
      }
    });
}

/** how long a finished run may take to let go of its last handles before it is ended */
const LINGER_MS = 5_000;

/**
 * Everything of a run is written and every clean-up awaited when its action returns; a
 * client library that still holds a socket or a timer (a Kafka client after its broker was
 * killed under it has done so for minutes) must not keep the command from ending. The
 * check's timer is unreferenced: when nothing else holds the process, it simply exits.
 */
function exitIfHeld(): void {
  setTimeout(() => {
    const held = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
    const counts = new Map<string, number>();
    for (const r of held) counts.set(r, (counts.get(r) ?? 0) + 1);
    const what = [...counts].map(([r, n]) => `${n} ${r}`).join(', ') + socketPeers();
    process.stderr.write(`bench run: ended ${LINGER_MS / 1000} s after the run finished; still held open: ${what || 'timers'}\n`);
    process.exit(process.exitCode ?? 0);
  }, LINGER_MS).unref();
}

/** where the sockets still open lead, e.g. " (sockets to 127.0.0.1:9094 ×12, 127.0.0.1:9092 ×6)" */
function socketPeers(): string {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  const peers = new Map<string, number>();
  for (const h of handles) {
    if (!(h instanceof net.Socket) || h === process.stdout || h === process.stderr || h === process.stdin) continue;
    const peer = h.remoteAddress ? `${h.remoteAddress}:${h.remotePort}` : h.connecting ? 'connecting' : 'unconnected';
    peers.set(peer, (peers.get(peer) ?? 0) + 1);
  }
  if (peers.size === 0) return '';
  return ` (sockets to ${[...peers].map(([p, n]) => (n > 1 ? `${p} ×${n}` : p)).join(', ')})`;
}

/** Applies command-line overrides to a scenario; errors name the flag and what was expected. */
export function applyOverrides(scenario: Scenario, flags: RunFlags, file: string): { scenario: Scenario; overrides: Record<string, unknown> } {
  const s = structuredClone(scenario);
  const overrides: Record<string, unknown> = {};
  if (flags.rate !== undefined) {
    const rate = flagNumber('--rate', flags.rate, BOUNDS.rate);
    if (s.workload.executor !== 'constant-arrival-rate') {
      throw new ConfigError(`--rate: applies to constant-arrival-rate scenarios; ${file} uses workload.executor "${s.workload.executor}"`);
    }
    s.workload.rate = rate;
    overrides.rate = rate;
  }
  for (const [key, flag] of [['duration', '--duration'], ['warmup', '--warmup'], ['maxWarmup', '--max-warmup']] as const) {
    const v = flags[key];
    if (v === undefined) continue;
    const ms = parseDurationMs(v);
    if (ms === undefined) throw new ConfigError(`${flag}: expected a duration such as 500ms, 20s or 2m, got ${quoteInput(v)}`);
    if (!withinBound(BOUNDS[key], ms)) throw new ConfigError(`${flag}: expected a duration ${describeBound(BOUNDS[key])}, got ${quoteInput(v)}`);
    s.workload[key] = ms;
    overrides[key] = v;
  }
  // the longest warm-up is at least the warm-up, whichever of the file and the flags set them
  const w = s.workload;
  if (w.maxWarmup !== undefined && w.maxWarmup < w.warmup) {
    if (flags.maxWarmup !== undefined) throw new ConfigError(`--max-warmup: expected at least the warm-up (${formatDurationMs(w.warmup)}), got ${quoteInput(flags.maxWarmup)}`);
    throw new ConfigError(`--warmup: expected at most workload.maxWarmup of ${file} (${formatDurationMs(w.maxWarmup)}), got ${quoteInput(flags.warmup ?? '')}; add --max-warmup`);
  }
  if (flags.instances !== undefined) {
    const n = flagNumber('--instances', flags.instances, BOUNDS.instances);
    s.transport.instances = n;
    overrides.instances = n;
  }
  if (flags.calibration === false) {
    s.calibration.samples = 0;
    overrides.calibration = false;
  }
  return { scenario: s, overrides };
}

/** A numeric flag within the same bound as its scenario field. */
function flagNumber(flag: string, value: string, b: Bound): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!withinBound(b, n)) throw new ConfigError(`${flag}: expected ${b.integer ? 'a whole number ' : ''}${describeBound(b)}, got ${quoteInput(value)}`);
  return n;
}

export function parseTransports(flag: string | undefined, scenario: Scenario): TransportName[] {
  if (flag === undefined) return [...scenario.transports];
  if (flag.trim() === 'all') return [...TRANSPORT_NAMES];
  const list = flag.split(',').map((t) => t.trim()).filter(Boolean);
  if (list.length === 0) throw new ConfigError(`--transport: expected a comma-separated list of ${TRANSPORT_NAMES.join(', ')} or "all"`);
  for (const t of list) {
    if (!(TRANSPORT_NAMES as readonly string[]).includes(t)) {
      throw new ConfigError(`--transport: unknown transport ${quoteInput(t)}, expected ${TRANSPORT_NAMES.join(', ')} or "all"`);
    }
  }
  return [...new Set(list)] as TransportName[];
}

async function runCommand(name: string, flags: RunFlags): Promise<number> {
  const loaded = loadScenario(name);
  const { scenario, overrides } = applyOverrides(loaded.scenario, flags, loaded.file);
  let transports = parseTransports(flags.transport, scenario);
  parseLiveFlags(flags);
  // a bad --out is found before anything starts (runScenario uses the directory made here)
  if (flags.out !== undefined) makeDirectory(flags.out, '--out');
  // a map may name any known transport, not only the ones this run selected
  validateThresholds(scenario.thresholds, TRANSPORT_NAMES);
  const { brokerEndpoints, brokerOf, pingBroker } = await import('../brokers/index.js');
  let messaging = transports.filter((t) => t !== 'rest');
  let endpoints: BrokerEndpoints = brokerEndpoints();
  let target: LoadedTarget | undefined;
  if (flags.target !== undefined) {
    const { loadTarget } = await import('../targets/load.js');
    const { checkTransport } = await import('../targets/check.js');
    target = loadTarget(flags.target);
    if (flags.transport?.trim() === 'all') {
      // "all" with a target means every transport it names a broker for (and REST); the others are named and left out
      const unnamed = messaging.filter((t) => !target!.endpoints[t]);
      if (unnamed.length > 0) {
        process.stderr.write(`bench run: ${unnamed.join(', ')} left out of --transport all: --target ${relative(process.cwd(), target.file)} names no broker for ${unnamed.length > 1 ? 'them' : 'it'}\n`);
      }
      const left = new Set<TransportName>(unnamed);
      transports = transports.filter((t) => !left.has(t));
      messaging = messaging.filter((t) => !left.has(t));
    }
    for (const t of messaging) {
      if (!target.endpoints[t]) {
        throw new ConfigError(`--target ${relative(process.cwd(), target.file)}: names no ${t} (it has ${Object.keys(target.endpoints).join(', ') || 'no broker'}); run the others with --transport`);
      }
    }
    endpoints = { ...endpoints, ...target.endpoints };
    overrides.target = relative(process.cwd(), target.file) || target.file;
    // one connection each, TLS and login included: a wrong password fails here, in one line
    for (const t of messaging) await checkTransport(t, endpoints);
  } else {
    const pings = await Promise.all(messaging.map((t) => pingBroker(brokerOf(t)!)));
    if (flags.transport?.trim() === 'all') {
      // "all" means every transport whose broker answers now; the others are named and left out
      const skipped = new Set<TransportName>();
      messaging.forEach((t, i) => {
        if (pings[i]!.answers) return;
        skipped.add(t);
        process.stderr.write(`bench run: ${t} left out of --transport all: ${pings[i]!.address} is not answering\n`);
      });
      transports = transports.filter((t) => !skipped.has(t));
      messaging = messaging.filter((t) => !skipped.has(t));
    }
    const down = flags.transport?.trim() === 'all' ? undefined : pings.find((p) => !p.answers);
    if (down) {
      throw new UnreachableError(down.address, `${down.name} at ${down.address} is not answering (${down.error ?? 'no answer'}); start it with: npx bench brokers up --only ${down.name}`);
    }
  }
  if (flags.transport !== undefined) overrides.transports = transports;
  // an optional client the scenario asks for is there, or one line says how to install it
  if (transports.includes('kafka')) {
    const { assertClientsInstalled } = await import('../runtime/adapters.js');
    await assertClientsInstalled([scenario.transport.kafka.client, ...scenario.steps.map((s) => s.kafkaClient)]);
  }

  // broker faults only against brokers bench started: refused here, before anything starts (exit 104)
  const { assertBrokerFaultsOwned } = await import('../runtime/broker-faults.js');
  const { resolveSettings } = await import('../brokers/settings.js');
  assertBrokerFaultsOwned(scenario.faults, transports, resolveSettings(), brokerEndpoints(), loaded.file);

  let aborted = false;
  let current: Driver | undefined;
  let writeAborted: ((detail: string) => void) | undefined;
  let firstSignalAt = 0;
  const offInterrupt = onInterrupt((signal) => {
    // `timeout` and some CI runners signal the child and then its whole group: the same
    // stop request arrives twice within moments, and must not count as an impatient second one
    if (aborted && Date.now() - firstSignalAt < SAME_SIGNAL_MS) return;
    if (aborted) {
      process.stderr.write(`\n${signal} again: writing what was measured so far, then stopping now\n`);
      try {
        writeAborted?.(`stopped by a second ${signal} before the current transport finished; its figures are lost`);
      } finally {
        process.exit(ExitCode.aborted);
      }
    }
    aborted = true;
    firstSignalAt = Date.now();
    process.stderr.write(`\n${signal}: no new orders; finishing in-flight ones (up to ${scenario.workload.drain} ms), then writing a partial result\n`);
    current?.stop();
  });
  const log = (line: string): void => {
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}${line}\n`);
  };
  let detach: (() => void) | undefined;
  let live: LiveSession | undefined;
  try {
    // a stepped scenario names its entries by step (kafka · 3 instances): those views appear as they start
    if (flags.live) live = await startLive(scenario.name, scenario.steps.length ? [] : transports, flags, log);
    log(`bench run ${scenario.name} over ${transports.join(', ')}: ${describeWorkload(scenario)}`);
    const runOpts: Parameters<typeof runScenario>[0] = {
      loaded,
      scenario,
      overrides,
      transports,
      endpoints,
      ...(target ? { prefixStem: target.prefix, provision: target.provision } : {}),
      keep: flags.keep === true,
      log,
      aborted: () => aborted,
      onAbortWriter: (w) => (writeAborted = w),
      ...(live ? live.hooks : {}),
      onDriver: (t, d) => {
        current = d;
        live?.attachDriver(d);
        if (aborted) d.stop();
        detach?.();
        detach = attachProgress(t, d);
        d.once('done', () => detach?.());
      },
    };
    if (flags.out !== undefined) runOpts.outDir = flags.out;
    const out = await runScenario(runOpts);
    detach?.();
    let code: number = ExitCode.ok;
    if (flags.gate) {
      // the very gate `bench gate result.json` runs, on the result as written
      const { runGate } = await import('../gate/run-gate.js');
      const outcome = runGate(out.result);
      process.stdout.write(outcome.lines.join('\n') + '\n');
      code = outcome.exitCode;
    }
    process.stdout.write('\n' + renderSummaryTable(out.result));
    process.stdout.write(`\nresult: ${relative(process.cwd(), out.resultPath) || out.resultPath}\n`);
    const logBytes = out.result.transports.reduce((n, t) => n + ((t.figures.eventLogBytes as number | undefined) ?? 0), 0);
    process.stdout.write(`event logs: ${(logBytes / 1e6).toFixed(1)} MB in ${relative(process.cwd(), join(out.dir, 'events')) || join(out.dir, 'events')}\n`);
    if (flags.report !== false) {
      const html = await writeRunReports(out.result, out.dir);
      process.stdout.write(`report: ${relative(process.cwd(), html) || html}\n`);
      if (live) live.finish(out.result, (await import('node:fs')).readFileSync(html, 'utf8'));
    } else if (live) live.finish(out.result, (await import('../report/html.js')).renderHtml(out.result));
    // the answer comes last, where the eye lands when the run ends
    process.stdout.write('\n' + (await import('../findings/console.js')).sentencesText(out.result));
    if (out.result.status === 'aborted' || aborted) return ExitCode.aborted;
    if (out.result.status === 'failed') return ExitCode.failure;
    return code;
  } finally {
    detach?.();
    await live?.close();
    offInterrupt();
  }
}

function describeWorkload(s: Scenario): string {
  const w = s.workload;
  const base =
    w.executor === 'constant-arrival-rate'
      ? `${w.rate} orders/s for ${w.duration / 1000} s`
      : w.executor === 'ramping-arrival-rate'
        ? `ramping ${w.startRate}→${w.stages.map((st) => st.target).join('→')} orders/s`
        : w.executor === 'find-knee'
          ? `knee search from ${w.startRate} orders/s in steps of ${w.knee.step / 1000} s (up to ${w.knee.maxRate} orders/s, ${w.knee.maxDuration / 1000} s at most)`
          : `${w.concurrency} concurrent users for ${w.duration / 1000} s`;
  const steps = s.steps.length ? `, in ${s.steps.length} steps (${s.steps.map((st) => st.label ?? (st.rate !== undefined ? `${st.rate}/s` : 'step')).join(', ')})` : '';
  const warmup = w.warmup > 0 ? `a ${w.warmup / 1000} s warm-up (up to ${maxWarmupOf(w) / 1000} s until steady)` : 'no warm-up';
  return `${base} after ${warmup}${steps}`;
}

async function writeRunReports(result: Result, dir: string): Promise<string> {
  const { writeReports } = await import('../report/index.js');
  return (await writeReports(result, dir)).html;
}
