import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES, type OrderEvent, type ServiceName } from '../contract/events.js';
import type {
  BrokerEndpoints,
  MessagingAdapter,
  MessagingConnection,
  MessagingRunSpec,
  Subscription,
  TransportDescription,
  TransportName,
} from '../contract/transport.js';
import { Driver, type DriverResult } from '../driver/driver.js';
import { scheduleFor } from '../driver/executors/index.js';
import { OrderFactory } from '../driver/orders.js';
import { nowUs } from '../metrics/clock.js';
import { decodeHistogram, encodeHistogram, mergeHistograms, summarize, type Histogram } from '../metrics/histogram.js';
import type { BacklogPoint, TransportResult } from '../result/schema.js';
import { messagingSettings, type Scenario } from '../scenario/schema.js';
import { loadMessagingAdapter } from './adapters.js';
import { FaultInjector } from './faults.js';
import { OrderClient, type AwaitTerminal } from './order-client.js';
import type { ServiceConfig } from './service-config.js';
import { ServiceProcess } from './service-process.js';
import type { TestFaults } from './test-faults.js';
import { packageVersion } from './versions.js';

export interface TransportRunOptions {
  transport: TransportName;
  scenario: Scenario;
  runId: string;
  /** the run's output directory */
  runDir: string;
  endpoints: BrokerEndpoints;
  /** keep topics and queues after the run */
  keep?: boolean;
  log?: (line: string) => void;
  /** test-only: faults in one service's publishing, to prove the checker */
  testFaults?: { service: ServiceName } & TestFaults;
  /** called once the driver exists (progress display, SIGINT handling) */
  onDriver?: (driver: Driver) => void;
  /** called once the fault injector exists (faults injected by hand from the live dashboard) */
  onFaultInjector?: (faults: FaultInjector) => void;
  /** each backlog sample as it is taken (the live dashboard) */
  onBacklog?: (points: BacklogPoint[]) => void;
}

/** What one transport's run leaves behind besides the result: where its event logs are. */
export interface TransportRun {
  result: TransportResult;
  eventsDir: string;
  /** measured window start, epoch µs */
  measureFromUs: number;
  /** orders the order service accepted */
  accepted: Set<string>;
  /** every accepted order was seen terminal before the drain ended */
  drained: boolean;
  /** how long the post-run drain took, ms */
  drainMs: number;
}

const delayOf = (scenario: Scenario, service: string): number =>
  scenario.workflow.serviceDelays[service as ServiceName] ?? 0;

/**
 * Runs one scenario over one transport: starts the services as processes (and the
 * broker objects for messaging), drives the load, injects faults, samples backlog,
 * collects every figure, and stops everything it started, whatever happens.
 */
export async function runTransport(opts: TransportRunOptions): Promise<TransportRun> {
  const { transport, scenario } = opts;
  const log = opts.log ?? (() => undefined);
  const eventsDir = join(opts.runDir, 'events', transport);
  const logsDir = join(opts.runDir, 'logs', transport);
  mkdirSync(eventsDir, { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const rules = { paymentFailureRatio: scenario.workflow.paymentFailureRatio, seed: scenario.workflow.seed };
  const processes: ServiceProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let adapter: MessagingAdapter | undefined;
  let spec: MessagingRunSpec | undefined;
  let description: TransportDescription;
  let faults: FaultInjector | undefined;
  const backlog: BacklogPoint[] = [];
  const observerGaveUp: string[] = [];
  let backlogTimer: NodeJS.Timeout | undefined;

  const makeProcess = (service: ServiceName, instance: number, extra: Partial<ServiceConfig>): ServiceProcess => {
    const config: ServiceConfig = {
      transport,
      service,
      instance,
      eventsDir,
      rules,
      delayMs: delayOf(scenario, service),
      workMs: scenario.workflow.serviceWork[service] ?? 0,
      ...extra,
    };
    if (opts.testFaults?.service === service) config.testFaults = opts.testFaults;
    const p = new ServiceProcess(config, join(logsDir, `${service}-${instance}.log`));
    processes.push(p);
    return p;
  };

  try {
    let origins: string[];
    let awaitTerminal: AwaitTerminal | undefined;
    let waitForTerminals: ((ids: Set<string>, timeoutMs: number) => Promise<boolean>) | undefined;
    if (transport === 'rest') {
      const rest = scenario.transport.rest;
      description = restDescription(scenario);
      // REST scales out too: several instances of each service, called round-robin
      const n = scenario.transport.instances;
      const downstream: Partial<Record<ServiceName, string[]>> = {};
      const others = SERVICE_NAMES.filter((s) => s !== 'order').flatMap((s) => Array.from({ length: n }, (_, i) => makeProcess(s, i, {})));
      await Promise.all(others.map((p) => p.start()));
      for (const p of others) (downstream[p.config.service] ??= []).push(`http://127.0.0.1:${p.port}`);
      const orders = Array.from({ length: n }, (_, i) =>
        makeProcess('order', i, {
          downstream,
          rest: { downstreamConnections: rest.downstreamConnections, requestTimeoutMs: rest.requestTimeout },
        }),
      );
      await Promise.all(orders.map((p) => p.start()));
      origins = orders.map((p) => `http://127.0.0.1:${p.port}`);
    } else {
      adapter = await loadMessagingAdapter(transport);
      spec = {
        prefix: `bench-${opts.runId}-${transport}`,
        instancesPerService: scenario.transport.instances,
        settings: messagingSettings(scenario, transport),
        endpoints: opts.endpoints,
      };
      const a = adapter;
      const s = spec;
      await a.provision(s);
      if (!opts.keep) cleanups.push(() => a.deprovision(s));
      description = await a.describe(s);
      const observer = await startObserver(a, s, (err) => observerGaveUp.push(err.message));
      cleanups.unshift(() => observer.close());
      awaitTerminal = observer.awaitTerminal;
      waitForTerminals = observer.waitForTerminals;
      for (const service of SERVICE_NAMES) {
        for (let i = 0; i < scenario.transport.instances; i++) makeProcess(service, i, { messaging: s });
      }
      await Promise.all(processes.map((p) => p.start()));
      origins = processes.filter((p) => p.config.service === 'order').map((p) => `http://127.0.0.1:${p.port}`);
    }
    log(`${transport}: ${processes.length} service processes ready`);

    const client = new OrderClient({ origins, connections: scenario.transport.rest.connections, nowUs });
    cleanups.unshift(() => client.close());
    const w = scenario.workload;
    const driver = new Driver({
      schedule: scheduleFor(w),
      submit: (order, deadline) => client.submit(order, deadline, awaitTerminal),
      orders: new OrderFactory(scenario.customers),
      warmupMs: w.warmup,
      maxInFlight: w.maxInFlight,
      timeoutMs: w.timeout,
      drainMs: w.drain,
      leadMs: 50,
    });
    faults = new FaultInjector(scenario.faults, processes, nowUs, (s) => delayOf(scenario, s), log);
    const f = faults;
    driver.once('start', (measureFromUs: number) => {
      for (const p of processes) p.measureFrom(measureFromUs);
      f.arm(measureFromUs);
      if (adapter && spec) backlogTimer = sampleBacklog(adapter, spec, measureFromUs, backlog, opts.onBacklog);
    });
    const accepted = new Set<string>();
    driver.on('order', (order: { orderId: string; intendedAtUs: number }, outcome: { acceptedAtUs?: number }) => {
      // the warm-up is excluded from the check as from every other figure
      if (outcome.acceptedAtUs !== undefined && order.intendedAtUs >= driver.measureFromUs) accepted.add(order.orderId);
    });
    opts.onDriver?.(driver);
    opts.onFaultInjector?.(f);
    const d = await driver.run();
    await faults.restore();
    // bounded drain: accepted orders the driver stopped waiting for may still finish
    const drainStart = Date.now();
    const drained = waitForTerminals ? await waitForTerminals(accepted, driver.stopped ? 2000 : w.drain) : true;
    const drainMs = Date.now() - drainStart;
    if (backlogTimer) clearInterval(backlogTimer);
    const hops = await collectHops(processes);
    const result = buildResult({ transport, scenario, description, startedAt, d, processes, hops, backlog, faults: faults.events });
    // a service or the observer whose adapter gave up could not recover: the run failed
    const gaveUp = [
      ...processes.filter((p) => p.gaveUp).map((p) => `${p.name}: ${p.gaveUp}`),
      ...(observerGaveUp.length > 0 ? [`observer: ${observerGaveUp[0]}`] : []),
    ];
    if (gaveUp.length > 0 && result.status === 'completed') {
      result.status = 'failed';
      result.statusDetail = gaveUp.length > 1 ? `${gaveUp[0]} (and ${gaveUp.length - 1} more)` : gaveUp[0];
      log(`${transport}: failed: ${result.statusDetail}`);
    }
    return { result, eventsDir, measureFromUs: d.measureFromUs, accepted, drained, drainMs };
  } finally {
    if (backlogTimer) clearInterval(backlogTimer);
    await faults?.restore().catch(() => undefined);
    // services first: a consumer group with live members cannot be deleted
    await Promise.all(processes.map((p) => p.stop()));
    for (const c of cleanups) await c().catch((err: unknown) => log(`${transport}: clean-up: ${String(err)}`));
  }
}

export function restDescription(scenario: Scenario): TransportDescription {
  const rest = scenario.transport.rest;
  return {
    name: 'rest',
    clients: [packageVersion('undici')],
    server: { name: 'fastify', version: packageVersion('fastify').version },
    delivery: {
      style: 'synchronous orchestration',
      'http.keepAlive': true,
      'driver.connections': rest.connections,
      'downstream.connections': rest.downstreamConnections,
      'downstream.timeoutMs': rest.requestTimeout,
      'downstream.retries': 0,
      instancesPerService: scenario.transport.instances,
      compensation: 'payment unreachable → stock released, order failed',
      persistence: 'none (in-memory services)',
    },
    address: '127.0.0.1 (one process per service)',
  };
}

/** The harness's subscription to terminal events, resolving each order's waiter. */
async function startObserver(
  adapter: MessagingAdapter,
  spec: MessagingRunSpec,
  onGaveUp: (err: Error) => void,
): Promise<{ awaitTerminal: AwaitTerminal; waitForTerminals: (ids: Set<string>, timeoutMs: number) => Promise<boolean>; close: () => Promise<void> }> {
  const conn: MessagingConnection = await adapter.connect(spec, `${spec.prefix}-observer`);
  conn.onGaveUp(onGaveUp);
  const waiters = new Map<string, (e: { outcome: 'completed' | 'failed'; atUs: number }) => void>();
  /** terminal events that arrived before their waiter (202 slower than the whole workflow) */
  const early = new Map<string, { outcome: 'completed' | 'failed'; atUs: number }>();
  /** every order seen terminal, for the post-run drain */
  const terminal = new Set<string>();
  const sub: Subscription = await conn.subscribe('observer', { service: 'observer', instance: 0 }, async (event: OrderEvent) => {
    const t = { outcome: event.type === 'order_completed' ? ('completed' as const) : ('failed' as const), atUs: nowUs() };
    if (terminal.has(event.orderId)) return;
    terminal.add(event.orderId);
    const w = waiters.get(event.orderId);
    if (w) {
      waiters.delete(event.orderId);
      w(t);
    } else early.set(event.orderId, t);
  });
  const awaitTerminal: AwaitTerminal = (orderId, signal) => {
    const seen = early.get(orderId);
    if (seen) {
      early.delete(orderId);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        waiters.delete(orderId);
        reject(signal.reason ?? new Error('aborted'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.set(orderId, (t) => {
        signal.removeEventListener('abort', onAbort);
        resolve(t);
      });
    });
  };
  const waitForTerminals = async (ids: Set<string>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let missing = 0;
      for (const id of ids) if (!terminal.has(id)) missing++;
      if (missing === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    awaitTerminal,
    waitForTerminals,
    close: async () => {
      await sub.close();
      await conn.close();
    },
  };
}

function sampleBacklog(adapter: MessagingAdapter, spec: MessagingRunSpec, originUs: number, into: BacklogPoint[], onSample?: (points: BacklogPoint[]) => void): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = Math.round((nowUs() - originUs) / 1e5) / 10;
    adapter
      .backlog(spec)
      .then((samples) => {
        const points = samples.map((s) => ({ t, name: s.name, channel: s.channel, depth: s.depth }));
        into.push(...points);
        onSample?.(points);
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 1000);
  timer.unref();
  return timer;
}

interface ServiceFigures {
  hops: Record<string, Histogram>;
  services: TransportResult['services'];
}

async function collectHops(processes: ServiceProcess[]): Promise<ServiceFigures> {
  const byHop = new Map<string, Histogram[]>();
  const services: TransportResult['services'] = {};
  for (const p of processes) {
    const all = await p.stats();
    const s = (services[p.config.service] ??= { handled: 0, duplicates: 0, redelivered: 0, restarts: 0 });
    s.restarts += p.restarts;
    for (const st of all) {
      s.handled += st.handled;
      s.duplicates += st.duplicates;
      s.redelivered += st.redelivered;
      for (const [hop, enc] of Object.entries(st.hops)) {
        const list = byHop.get(hop) ?? [];
        list.push(decodeHistogram(enc));
        byHop.set(hop, list);
      }
    }
  }
  const hops: Record<string, Histogram> = {};
  for (const [hop, list] of byHop) hops[hop] = mergeHistograms(list);
  return { hops, services };
}

function buildResult(a: {
  transport: TransportName;
  scenario: Scenario;
  description: TransportDescription;
  startedAt: string;
  d: DriverResult;
  processes: ServiceProcess[];
  hops: ServiceFigures;
  backlog: BacklogPoint[];
  faults: TransportResult['faults'];
}): TransportResult {
  const { d } = a;
  const seconds = Math.max(d.measuredMs / 1000, 1e-3);
  const hopSummaries: Record<string, ReturnType<typeof summarize>> = {};
  const hopEncoded: Record<string, string> = {};
  for (const [hop, h] of Object.entries(a.hops.hops)) {
    hopSummaries[hop] = summarize(h);
    hopEncoded[hop] = encodeHistogram(h);
  }
  const c = d.counts;
  const result: TransportResult = {
    name: a.transport,
    status: d.stopped ? 'aborted' : 'completed',
    startedAt: a.startedAt,
    finishedAt: new Date().toISOString(),
    measuredMs: Math.round(d.measuredMs),
    warmupMs: a.scenario.workload.warmup,
    versions: a.description.server ? { clients: a.description.clients, server: a.description.server } : { clients: a.description.clients },
    delivery: a.description.delivery,
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
    services: a.hops.services,
    faults: a.faults,
    backlog: a.backlog,
    figures: {},
    warnings: [],
    sample: [],
    thresholds: [],
  };
  if (a.description.address) result.address = a.description.address;
  if (d.unfinished > 0) result.figures.unfinishedAtEnd = d.unfinished;
  return result;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
