/**
 * A service process: one instance of one workflow service on one transport. Started
 * by the harness (src/runtime/service-process.ts) with its configuration in
 * BENCH_SERVICE_CONFIG; talks to the harness over IPC.
 */
// first: signals to the process group must not kill a service that is still loading
import { takeOverSignals } from './service-signals.js';
import type { FastifyInstance } from 'fastify';
import { ExitCode } from '../contract/error-catalogue.js';
import type { MessagingConnection, Subscription } from '../contract/transport.js';
import { createHistogram, encodeHistogram, recordUs, type Histogram } from '../metrics/histogram.js';
import { nowUs } from '../metrics/clock.js';
import { routeOf } from '../workflow/routing.js';
import { WorkflowService } from '../workflow/service.js';
import { loadMessagingAdapter } from './adapters.js';
import { EventLogFile, eventLogPath, readEventLogRecords } from './event-log.js';
import { buildOrderEntryApp } from './order-entry-app.js';
import { SiblingLedger } from './sibling-ledger.js';
import { withTestFaults } from './test-faults.js';
import type { HarnessMessage, HostMessage, ServiceConfig } from './service-config.js';

const config = JSON.parse(process.env.BENCH_SERVICE_CONFIG ?? '{}') as ServiceConfig;
// `ps` and `top` show who is who: `bench payment#0 kafka 20261202-101500-k3x9`
process.title = `bench ${config.service}#${config.instance} ${config.transport}${config.runId ? ` ${config.runId}` : ''}`;
const send = (m: HostMessage): void => {
  if (process.send && process.connected) process.send(m);
};

const hops = new Map<string, Histogram>();
/** hop latencies of warm-up orders are not kept (epoch µs; set by the harness, and kept across a restart) */
let measureFromUs = config.measureFromUs ?? Number.POSITIVE_INFINITY;
let delayMs = config.delayMs;
const sink = new EventLogFile(eventLogPath(config.eventsDir, config.service, config.instance));
const logic = new WorkflowService({
  service: config.service,
  instance: config.instance,
  rules: config.rules,
  nowUs,
  sink,
  delayMs: () => delayMs,
  workMs: () => config.workMs,
  cpuMs: () => config.cpuMs ?? 0,
  onHop: (hop, us, event) => {
    if (event.intendedAtUs < measureFromUs) return;
    let h = hops.get(hop);
    if (!h) hops.set(hop, (h = createHistogram()));
    recordUs(h, us);
  },
});
// an earlier life of this service (killed and restarted) already processed these
const ownLog = eventLogPath(config.eventsDir, config.service, config.instance);
// (read a line at a time: a long run's logs need not fit in memory)
logic.restore(readEventLogRecords(ownLog));
// and the other instances of this service keep processing: follow their logs too
const siblings = new SiblingLedger(config.eventsDir, config.service, ownLog);
logic.restore(siblings.poll());
const siblingTimer = setInterval(() => logic.restore(siblings.poll()), 100);
siblingTimer.unref();

let app: FastifyInstance | undefined;
let connection: MessagingConnection | undefined;
let subscription: Subscription | undefined;
/** ids of events this process has published (the broker acknowledged them) */
const published = new Set<string>();

async function start(): Promise<number | undefined> {
  if (config.transport === 'rest') {
    const { buildServiceApp } = await import('../../adapters/rest/app.js');
    const appOpts: Parameters<typeof buildServiceApp>[0] = { logic, route: routeOf, nowUs };
    if (config.downstream) appOpts.downstream = config.downstream;
    if (config.rest) {
      appOpts.downstreamConnections = config.rest.downstreamConnections;
      appOpts.requestTimeoutMs = config.rest.requestTimeoutMs;
    }
    app = buildServiceApp(appOpts);
    await app.listen({ host: '127.0.0.1', port: config.port ?? 0 });
    return (app.server.address() as { port: number }).port;
  }
  const spec = config.messaging;
  if (!spec) throw new Error('messaging transport without a messaging spec');
  const adapter = await loadMessagingAdapter(config.transport, spec.settings);
  const conn = await adapter.connect(spec, `${spec.prefix}-${config.service}-${config.instance}`);
  connection = conn;
  // the adapter's retries ran out: this instance cannot recover, so it says why and stops
  conn.onGaveUp((err) => {
    process.stderr.write(`${config.service}-${config.instance}: ${err.message}\n`);
    send({ type: 'fatal', message: err.message });
    void shutdown(1);
  });
  const publish = withTestFaults((to, e) => conn.publish(to, e), config.testFaults);
  // a process restarted in the window counts its requests from its start
  markWindowStart();
  subscription = await conn.subscribe(config.service, { service: config.service, instance: config.instance }, async (event, delivery) => {
    const result = await logic.handle(event, delivery.redelivered);
    for (const e of result.emitted) {
      const to = routeOf(e.type);
      if (to === 'local') continue;
      // a redelivered event re-publishes only what this process never got out (a crash
      // between effect and publish); what it did publish is not sent again
      if (result.duplicate && published.has(e.eventId)) continue;
      await publish(to, e);
      published.add(e.eventId);
    }
  });
  if (config.service === 'order') {
    app = buildOrderEntryApp({ logic, route: routeOf, publish });
    await app.listen({ host: '127.0.0.1', port: config.port ?? 0 });
    return (app.server.address() as { port: number }).port;
  }
  return undefined;
}

/** the connection's request counts when the measured window began */
let requestsAtWindowStart: Record<string, number> | undefined;
let windowTimer: NodeJS.Timeout | undefined;
/** Takes the request counts at the start of the measured window (now, if it began already). */
function markWindowStart(): void {
  clearTimeout(windowTimer);
  const take = (): void => {
    requestsAtWindowStart = connection?.brokerRequests?.();
  };
  const inMs = (measureFromUs - nowUs()) / 1000;
  if (!Number.isFinite(inMs)) return;
  if (inMs <= 0) take();
  else windowTimer = setTimeout(take, inMs);
}

/** Broker requests since the measured window began, by API; undefined before it or where not counted. */
function windowRequests(): Record<string, number> | undefined {
  const now = connection?.brokerRequests?.();
  if (!now || !requestsAtWindowStart) return undefined;
  const since: Record<string, number> = {};
  for (const [api, n] of Object.entries(now)) {
    const d = n - (requestsAtWindowStart[api] ?? 0);
    if (d > 0) since[api] = d;
  }
  return since;
}

function stats(): HostMessage {
  const encoded: Record<string, string> = {};
  for (const [k, h] of hops) encoded[k] = encodeHistogram(h);
  const brokerRequests = windowRequests();
  return { type: 'stats', hops: encoded, ...logic.stats(), ...(brokerRequests ? { brokerRequests } : {}) };
}

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  clearInterval(siblingTimer);
  clearTimeout(windowTimer);
  const timer = setTimeout(() => process.exit(code), 5000);
  timer.unref();
  try {
    await subscription?.close();
    await app?.close();
    await connection?.close();
  } catch {
    // closing anyway
  }
  sink.close();
  process.exit(code);
}

process.on('message', (m: HarnessMessage) => {
  if (m.type === 'stats') send(stats());
  else if (m.type === 'delay') delayMs = m.ms;
  else if (m.type === 'measure') {
    measureFromUs = m.fromUs;
    markWindowStart();
  }
  else if (m.type === 'shutdown') void shutdown(ExitCode.ok);
});
// Ctrl-C, `timeout` or a CI cancel signals the whole process group: the harness got the
// same signal and will, after the drain, ask for this process's figures and then for a
// shutdown over IPC. Dying at once would lose the figures and fail in-flight orders. A
// process without its harness (or one the harness never gets to) shuts down alone.
const onSignal = (): void => {
  if (!process.connected) return void shutdown(ExitCode.ok);
  setTimeout(() => void shutdown(ExitCode.ok), config.signalGraceMs ?? 30_000).unref();
};
takeOverSignals(onSignal);
process.on('disconnect', () => void shutdown(ExitCode.ok));

start().then(
  (port) => {
    process.stdout.write(`${config.service}-${config.instance} ready: pid ${process.pid}${port === undefined ? '' : `, port ${port}`}\n`);
    send(port === undefined ? { type: 'ready', pid: process.pid } : { type: 'ready', port, pid: process.pid });
  },
  (err: unknown) => {
    send({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    process.stderr.write(`${config.service}-${config.instance}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    setTimeout(() => process.exit(ExitCode.failure), 100);
  },
);
