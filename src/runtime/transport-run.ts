import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkEventLogs } from '../check/check-logs.js';
import { SERVICE_NAMES, type ServiceName } from '../contract/events.js';
import type { BrokerEndpoints, MessagingAdapter, MessagingRunSpec, TransportDescription, TransportName } from '../contract/transport.js';
import { Driver, type DriverResult } from '../driver/driver.js';
import { KneeSearch } from '../driver/executors/find-knee.js';
import { scheduleFor, warmupRateOf } from '../driver/executors/index.js';
import { OrderFactory } from '../driver/orders.js';
import { nowUs } from '../metrics/clock.js';
import type { BacklogPoint, Calibration, TransportResult } from '../result/schema.js';
import { maxWarmupOf, messagingSettings, type Scenario } from '../scenario/schema.js';
import { loadMessagingAdapter } from './adapters.js';
import { resolveSettings, type BrokerSettings } from '../brokers/settings.js';
import { faultCosts, windowRecords } from '../check/fault-cost.js';
import { assertBrokerFaultsOwned } from './broker-faults.js';
import { FaultInjector } from './faults.js';
import { hasNetworkFaults, proxyIdleOverheadMs, RunNetwork } from './network.js';
import { RunMonitor } from './monitor.js';
import { startObserver } from './observer.js';
import { OrderClient, type AwaitTerminal } from './order-client.js';
import type { ServiceConfig } from './service-config.js';
import { collectServiceFigures } from './service-figures.js';
import { ServiceProcess } from './service-process.js';
import type { TestFaults } from './test-faults.js';
import { buildTransportResult, type StepEntry, type TransportPieces } from './transport-result.js';
import { calibrateMessaging, calibrateRest, calibrationOptionsOf } from './calibration.js';
import { RunResources } from './run-resources.js';
import { packageVersion } from './versions.js';

export interface TransportRunOptions {
  transport: TransportName;
  scenario: Scenario;
  runId: string;
  /** the run's output directory */
  runDir: string;
  endpoints: BrokerEndpoints;
  /** stem of the run's names (default `bench`) */
  prefixStem?: string;
  /** false: the objects named `<prefixStem>.<channel>` exist already; they are checked, used, and left as they are */
  provision?: boolean;
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
  /** which step of a multi-step scenario this run is */
  step?: StepEntry;
  /** where broker faults find bench's brokers (default: the environment's state directory and ports) */
  brokerSettings?: BrokerSettings;
}

/** What one transport's run leaves behind: its result, and where the event logs it was checked on are. */
export interface TransportRun {
  result: TransportResult;
  eventsDir: string;
  /** measured window start, epoch µs */
  measureFromUs: number;
  /** orders the order service accepted */
  accepted: Set<string>;
  /** the intended start of each accepted order, epoch µs */
  acceptedIntendedUs: Map<string, number>;
  /** every accepted order was seen terminal before the drain ended */
  drained: boolean;
  /** how long the post-run drain took, ms */
  drainMs: number;
}

const delayOf = (scenario: Scenario, service: string): number =>
  scenario.workflow.serviceDelays[service as ServiceName] ?? 0;

/**
 * Runs one scenario over one transport and builds its result: measures (below), then
 * checks the services' event logs, which are complete only once the services stopped.
 */
export async function runTransport(opts: TransportRunOptions): Promise<TransportRun> {
  const { pieces, ...m } = await measureTransport(opts);
  const logs = checkEventLogs(m.eventsDir, { accepted: m.accepted, fromUs: m.measureFromUs, drained: m.drained, drainMs: m.drainMs });
  if (pieces.faults.length > 0) {
    // what each fault cost, from the records of the orders it could touch
    const records = windowRecords(m.eventsDir, pieces.faults, m.measureFromUs, opts.scenario.workload.timeout);
    faultCosts({ faults: pieces.faults, timeline: pieces.driver.timeline, backlog: pieces.backlog, records, accepted: m.acceptedIntendedUs, originUs: m.measureFromUs, timeoutMs: opts.scenario.workload.timeout });
  }
  const result = buildTransportResult({ ...pieces, check: logs.check, sample: logs.sample, eventLogBytes: logs.bytes, ...(opts.step ? { step: opts.step } : {}) });
  return { result, ...m };
}

type Measured = Omit<TransportRun, 'result'> & { pieces: Omit<TransportPieces, 'check' | 'sample' | 'eventLogBytes' | 'step'> };

/**
 * Starts the services as processes (and the broker objects for messaging), drives the
 * load, injects faults, samples backlog, collects the services' figures, and stops
 * everything it started, whatever happens.
 */
async function measureTransport(opts: TransportRunOptions): Promise<Measured> {
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
  let calibration: Calibration | undefined;
  let resources: RunResources | undefined;
  let monitor: RunMonitor | undefined;

  const makeProcess = (service: ServiceName, instance: number, extra: Partial<ServiceConfig>): ServiceProcess => {
    const config: ServiceConfig = {
      transport,
      runId: opts.runId,
      service,
      instance,
      eventsDir,
      rules,
      delayMs: delayOf(scenario, service),
      // after a signal the harness drains in-flight orders, then collects figures and stops services
      signalGraceMs: scenario.workload.drain + 15_000,
      workMs: scenario.workflow.serviceWork[service] ?? 0,
      cpuMs: scenario.workflow.serviceCpu[service] ?? 0,
      ...extra,
    };
    if (opts.testFaults?.service === service) config.testFaults = opts.testFaults;
    const p = new ServiceProcess(config, join(logsDir, `${service}-${instance}.log`));
    processes.push(p);
    return p;
  };

  // with network faults every link of the run goes through a fault proxy of the harness
  const network = hasNetworkFaults(scenario) ? new RunNetwork(transport) : undefined;
  if (network) cleanups.push(() => network.close());
  const driverOrigin = (p: ServiceProcess): Promise<string> | string =>
    network ? network.linkUrl('order', `driver→${p.name}`, `http://127.0.0.1:${p.port}`) : `http://127.0.0.1:${p.port}`;
  // a broker fault runs only against a broker bench started (the CLI refused others already)
  const brokerSettings = opts.brokerSettings ?? resolveSettings();
  assertBrokerFaultsOwned(scenario.faults, [transport], brokerSettings, opts.endpoints, 'scenario');
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
      for (const p of others) {
        const url = `http://127.0.0.1:${p.port}`;
        (downstream[p.config.service] ??= []).push(network ? await network.linkUrl(p.config.service, `order→${p.name}`, url) : url);
      }
      const orders = Array.from({ length: n }, (_, i) =>
        makeProcess('order', i, {
          downstream,
          rest: { downstreamConnections: rest.downstreamConnections, requestTimeoutMs: rest.requestTimeout },
        }),
      );
      await Promise.all(orders.map((p) => p.start()));
      origins = await Promise.all(orders.map((p) => driverOrigin(p)));
      // the floor: a service of the run, called as the order service calls it, before the load
      const inventory = others.find((p) => p.config.service === 'inventory')!;
      calibration = await measureFloor(transport, scenario, log, (o) => calibrateRest(`http://127.0.0.1:${inventory.port}`, { ...o, connections: rest.downstreamConnections }));
    } else {
      const settings = messagingSettings(scenario, transport);
      adapter = await loadMessagingAdapter(transport, settings);
      const provision = opts.provision ?? true;
      spec = {
        prefix: provision ? `${opts.prefixStem ?? 'bench'}-${opts.runId}-${transport}` : (opts.prefixStem ?? 'bench'),
        instancesPerService: scenario.transport.instances,
        settings,
        endpoints: opts.endpoints,
      };
      const a = adapter;
      const s = spec;
      if (provision) {
        await a.provision(s);
        if (!opts.keep) cleanups.push(() => a.deprovision(s));
      } else if (a.verify) {
        await a.verify(s);
      }
      description = await a.describe(s);
      // the floor, on the observer channel: before the run's observer subscribes to it
      calibration = await measureFloor(transport, scenario, log, (o) => calibrateMessaging(a, s, o));
      const observer = await startObserver(a, s, (err) => observerGaveUp.push(err.message));
      cleanups.unshift(() => observer.close());
      awaitTerminal = observer.awaitTerminal;
      waitForTerminals = observer.waitForTerminals;
      for (const service of SERVICE_NAMES) {
        for (let i = 0; i < scenario.transport.instances; i++) {
          // with network faults, each process reaches the broker through a proxy of its own
          const endpoints = network ? await network.brokerEndpoints(service, `${service}#${i}`, s.endpoints) : s.endpoints;
          makeProcess(service, i, { messaging: { ...s, endpoints } });
        }
      }
      await Promise.all(processes.map((p) => p.start()));
      origins = await Promise.all(processes.filter((p) => p.config.service === 'order').map((p) => driverOrigin(p)));
    }
    log(`${transport}: ${processes.length} service processes ready`);
    // where the CPU went: the driver, every service and the broker, from the warm-up on
    resources = await RunResources.create({ transport, endpoints: opts.endpoints, processes });
    if (network) {
      description.delivery['network.proxy'] = network.describe();
      description.delivery['network.proxyIdleOverheadMs'] = await proxyIdleOverheadMs();
    }

    const client = new OrderClient({ origins, connections: scenario.transport.rest.connections, nowUs, onUnclassified: log });
    cleanups.unshift(() => client.close());
    const w = scenario.workload;
    const schedule = scheduleFor(w, scenario.slo.endToEndP99);
    // the warm-up lasts at least `warmup`, then goes on until the judge calls the run steady (at most `maxWarmup`)
    const warmupRate = warmupRateOf(w);
    monitor = new RunMonitor({
      ratePerSec: warmupRate,
      requestedMs: w.warmup,
      maxMs: maxWarmupOf(w),
      ...(adapter && spec ? { backlog: { adapter, spec } } : {}),
      into: backlog,
      ...(opts.onBacklog ? { onBacklog: opts.onBacklog } : {}),
      // a harness process or the machine pinned is no steady state
      cpu: () => resources?.recentCpu(),
    });
    const driver = new Driver({
      schedule,
      submit: (order, deadline) => client.submit(order, deadline, awaitTerminal),
      orders: new OrderFactory(scenario.customers),
      warmup: { minMs: w.warmup, maxMs: maxWarmupOf(w), ratePerSec: warmupRate, ...(w.warmup > 0 ? { judge: monitor.judge } : {}) },
      maxInFlight: w.maxInFlight,
      timeoutMs: w.timeout,
      drainMs: w.drain,
      leadMs: 50,
    });
    monitor.attach(driver);
    faults = new FaultInjector(scenario.faults, processes, nowUs, (s) => delayOf(scenario, s), log, {
      transport,
      settings: brokerSettings,
      kafkaBrokers: opts.endpoints.kafka.brokers,
      prefix: spec?.prefix ?? '',
    }, network);
    const f = faults;
    driver.once('start', (measureFromUs: number) => {
      for (const p of processes) p.measureFrom(measureFromUs);
      f.arm(measureFromUs);
    });
    const accepted = new Set<string>();
    const acceptedIntendedUs = new Map<string, number>();
    driver.on('order', (order: { orderId: string; intendedAtUs: number }, outcome: { acceptedAtUs?: number }) => {
      // the warm-up is excluded from the check as from every other figure
      if (outcome.acceptedAtUs !== undefined && order.intendedAtUs >= driver.measureFromUs) {
        accepted.add(order.orderId);
        if (scenario.faults.length > 0) acceptedIntendedUs.set(order.orderId, order.intendedAtUs);
      }
    });
    resources.attach(driver);
    opts.onDriver?.(driver);
    opts.onFaultInjector?.(f);
    const d = await driver.run();
    resources.setOrigin(d.measureFromUs);
    resources.stop();
    await faults.restore();
    // bounded drain: accepted orders the driver stopped waiting for may still finish
    const drainStart = Date.now();
    const drained = waitForTerminals ? await waitForTerminals(accepted, driver.stopped ? 2000 : w.drain) : true;
    const drainMs = Date.now() - drainStart;
    monitor.stop();
    const steadyPieces = steadyOf(transport, w.warmup, d, monitor, log);
    const services = await collectServiceFigures(processes);
    // a service or the observer whose adapter gave up could not recover: the run failed
    const gaveUp = [
      ...processes.filter((p) => p.gaveUp).map((p) => `${p.name}: ${p.gaveUp}`),
      ...(observerGaveUp.length > 0 ? [`observer: ${observerGaveUp[0]}`] : []),
    ];
    if (gaveUp.length > 0) log(`${transport}: failed: ${gaveUp[0]}${gaveUp.length > 1 ? ` (and ${gaveUp.length - 1} more)` : ''}`);
    const knee = schedule instanceof KneeSearch ? { knee: schedule.result() } : {};
    const beside = measuredBeside(d, calibration, resources);
    const warnings = [...(steadyPieces.warnings ?? []), ...(beside.warnings ?? [])];
    const pieces = { transport, scenario, description, startedAt, finishedAt: new Date().toISOString(), driver: d, services, backlog, faults: faults.events, gaveUp, ...beside, ...steadyPieces, warnings, ...knee };
    return { pieces, eventsDir, measureFromUs: d.measureFromUs, accepted, acceptedIntendedUs, drained, drainMs };
  } finally {
    resources?.stop();
    monitor?.stop();
    await faults?.restore().catch(() => undefined);
    // services first: a consumer group with live members cannot be deleted
    await Promise.all(processes.map((p) => p.stop()));
    for (const c of cleanups) await c().catch((err: unknown) => log(`${transport}: clean-up: ${String(err)}`));
  }
}

/**
 * The transport's floor before the load, when the scenario asks for one; logged in one
 * line. A floor that cannot be measured leaves the run without one (said in the log),
 * never without its figures.
 */
async function measureFloor(
  transport: TransportName,
  scenario: Scenario,
  log: (line: string) => void,
  calibrate: (o: NonNullable<ReturnType<typeof calibrationOptionsOf>>) => Promise<Calibration>,
): Promise<Calibration | undefined> {
  const o = calibrationOptionsOf(scenario);
  if (!o) return undefined;
  try {
    const c = await calibrate(o);
    log(`${transport}: floor p50 ${c.p50} ms, p99 ${c.p99} ms (${c.samples} samples)`);
    return c;
  } catch (err) {
    log(`${transport}: no floor: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** The calibration, the resource samples and their warnings (none for a run stopped by a signal: its window is cut short). */
function measuredBeside(d: DriverResult, calibration: Calibration | undefined, resources: RunResources): Pick<TransportPieces, 'calibration' | 'resources' | 'warnings'> {
  const samples = resources.result();
  return {
    ...(calibration ? { calibration } : {}),
    ...(samples ? { resources: samples } : {}),
    warnings: d.stopped ? [] : resources.warnings(d.measuredMs / 1000),
  };
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

/** The result's `steady` and its NOT_STEADY warning (none without a warm-up); logs an extended warm-up. */
function steadyOf(transport: TransportName, warmupMs: number, d: DriverResult, monitor: RunMonitor, log: (line: string) => void): Pick<TransportPieces, 'steady' | 'warnings'> {
  if (warmupMs <= 0) return {};
  const extended = monitor.extension(d);
  if (extended) log(`${transport}: ${extended}`);
  const steady = monitor.steady(d);
  return { steady, warnings: monitor.warnings(d, steady) };
}
