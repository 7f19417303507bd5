import type { EventEmitter } from 'node:events';
import { SERVICE_NAMES } from '../contract/events.js';
import type { BrokerEndpoints, TransportName } from '../contract/transport.js';
import { nowUs as systemNowUs } from '../metrics/clock.js';
import { ResourceSampler } from '../metrics/resources.js';
import type { Resources, Warning } from '../result/schema.js';
import { brokerPids, type BrokerEndpoint } from './broker-pids.js';
import { resourceWarnings, type ResourceWarningOptions } from './warnings.js';

/**
 * Where one transport's run spent the CPU: the driver (this process), every service
 * instance (`payment#0`) and the broker processes listening on the transport's local
 * endpoints (`kafka#0`, `rabbitmq`), sampled once a second by a ResourceSampler from the
 * start of the driver's warm-up to the end of its run, on a time axis whose zero is the
 * measured window's start. A service or broker that a fault killed and restarted is
 * followed under its new pid.
 */

/** What RunResources needs of a service process: who it is and its pid now (a restart changes it). */
export interface SampledService {
  readonly config: { readonly service: string; readonly instance: number };
  readonly pid: number | undefined;
}

export interface RunResourcesOptions {
  transport: TransportName;
  endpoints: BrokerEndpoints;
  /** the run's service processes; read again each interval, so restarts are followed */
  processes: readonly SampledService[];
  /** time between samples, ms (default 1000) */
  intervalMs?: number;
  /** epoch µs (default: the harness's clock) */
  nowUs?: () => number;
  /** how broker pids are found (tests may replace it) */
  findBrokers?: (endpoints: readonly BrokerEndpoint[]) => Promise<Array<{ name: string; pid: number }>>;
}

/** `host:port` → host and port (IPv6 in brackets); undefined when it is not one. */
function hostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(s.trim());
  if (!m) return undefined;
  return { host: m[1]!, port: Number(m[2]) };
}

function urlHostPort(url: string, defaultPort: number): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : defaultPort };
  } catch {
    return undefined;
  }
}

/**
 * The endpoints a transport's broker processes listen on, each named as its process is
 * reported: Kafka's brokers `kafka#0`, `kafka#1`…; a single server by the transport's
 * name (`rabbitmq`), several NATS servers `nats#0`…. REST has none.
 */
export function brokerEndpointsOf(transport: TransportName, e: BrokerEndpoints): BrokerEndpoint[] {
  const named = (list: Array<{ host: string; port: number } | undefined>, numbered: boolean): BrokerEndpoint[] =>
    list.flatMap((hp, i) => (hp ? [{ name: numbered ? `${transport}#${i}` : transport, ...hp }] : []));
  switch (transport) {
    case 'rest':
      return [];
    case 'kafka':
      return named(e.kafka.brokers.map(hostPort), true);
    case 'rabbitmq':
      return named([urlHostPort(e.rabbitmq.url, e.rabbitmq.url.startsWith('amqps:') ? 5671 : 5672)], false);
    case 'activemq':
      return named([{ host: e.activemq.host, port: e.activemq.port }], false);
    case 'nats':
      return named(e.nats.servers.map((s) => hostPort(s.replace(/^nats:\/\//, ''))), e.nats.servers.length > 1);
    case 'redis':
      return named([urlHostPort(e.redis.url, e.redis.url.startsWith('rediss:') ? 6380 : 6379)], false);
    case 'mqtt':
      return named([urlHostPort(e.mqtt.url, e.mqtt.url.startsWith('mqtts:') ? 8883 : 1883)], false);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class RunResources {
  private readonly sampler: ResourceSampler;
  private readonly nowUs: () => number;
  private readonly brokerEndpoints: BrokerEndpoint[];
  private readonly findBrokers: NonNullable<RunResourcesOptions['findBrokers']>;
  private brokers: Array<{ name: string; pid: number }> = [];
  private follower: NodeJS.Timeout | undefined;
  private lookingForBrokers = false;
  private started = false;

  private constructor(private readonly opts: RunResourcesOptions) {
    this.sampler = new ResourceSampler({ ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}), ...(opts.nowUs ? { nowUs: opts.nowUs } : {}) });
    this.nowUs = opts.nowUs ?? systemNowUs;
    this.brokerEndpoints = brokerEndpointsOf(opts.transport, opts.endpoints);
    this.findBrokers = opts.findBrokers ?? ((e) => brokerPids(e));
  }

  /** Tracks the driver, every service process and the broker processes that can be seen. */
  static async create(opts: RunResourcesOptions): Promise<RunResources> {
    const r = new RunResources(opts);
    r.sampler.track('driver', 'driver', process.pid);
    r.followServices();
    await r.lookForBrokers();
    return r;
  }

  /**
   * Samples from the start of the driver's warm-up (`warmup`, or `start` for a driver
   * that has no such event) and sets the time origin where the measured window begins
   * (`start` carries it). Either event may come first; each is taken once.
   */
  attach(driver: EventEmitter): void {
    driver.once('warmup', () => this.start());
    driver.once('start', (measureFromUs: number) => {
      this.start();
      if (Number.isFinite(measureFromUs)) this.sampler.setOrigin(measureFromUs);
    });
  }

  /** Starts sampling now (again: nothing); `t` counts from now until setOrigin moves it. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.sampler.start(this.nowUs());
    const interval = this.sampler.intervalMs;
    this.follower = setInterval(() => {
      this.followServices();
      // a broker found at the start and gone now was restarted (a fault): found again under its new pid
      if (this.brokers.some((b) => !alive(b.pid))) void this.lookForBrokers();
    }, interval);
    this.follower.unref();
  }

  /** The measured window's start, epoch µs: `t` = 0 there. */
  setOrigin(originUs: number): void {
    this.sampler.setOrigin(originUs);
  }

  stop(): void {
    if (this.follower) clearInterval(this.follower);
    this.follower = undefined;
    this.sampler.stop();
  }

  /** Every sample, in the result's shape; undefined when sampling never started. */
  result(): Resources | undefined {
    return this.started ? this.sampler.result() : undefined;
  }

  /**
   * CPU over the last two samples, for the warm-up's judge: the busiest harness process
   * (the driver or a service; the lower of its two samples, so one busy second is not
   * pinned) and the machine (the lower of its two). Undefined before two samples.
   */
  recentCpu(): { busiestPct: number; busiestName: string; machinePct: number } | undefined {
    if (!this.started) return undefined;
    const r = this.sampler.recent(2.5);
    const lower = (xs: Array<number | null>): number | undefined => {
      const last = xs.slice(-2);
      return last.length === 2 && last.every((x) => x !== null) ? Math.min(...(last as number[])) : undefined;
    };
    const machinePct = lower(r.machine.cpuPct);
    if (machinePct === undefined) return undefined;
    let busiestPct = 0;
    let busiestName = 'driver';
    for (const p of r.processes) {
      if (p.role === 'broker') continue;
      const pct = lower(p.cpuPct);
      if (pct !== undefined && pct > busiestPct) {
        busiestPct = pct;
        busiestName = p.name;
      }
    }
    return { busiestPct, busiestName, machinePct };
  }

  /** PROCESS_CPU_BOUND, MACHINE_SATURATED and CPU_STEAL of the measured window's `measuredS` seconds only. */
  warnings(measuredS: number, thresholds: Omit<ResourceWarningOptions, 'fromS' | 'toS'> = {}): Warning[] {
    const r = this.result();
    if (!r) return [];
    return resourceWarnings(r, { ...thresholds, fromS: 0, toS: measuredS });
  }

  /** Each service process under `<service>#<instance>`, in workflow order; a new pid (a restart) is followed. */
  private followServices(): void {
    const rank = (p: SampledService): number => {
      const i = (SERVICE_NAMES as readonly string[]).indexOf(p.config.service);
      return (i < 0 ? SERVICE_NAMES.length : i) * 1e6 + p.config.instance;
    };
    for (const p of [...this.opts.processes].sort((a, b) => rank(a) - rank(b))) {
      const pid = p.pid;
      if (pid === undefined) continue;
      const name = `${p.config.service}#${p.config.instance}`;
      if (!this.sampler.retrack(name, pid)) this.sampler.track('service', name, pid);
    }
  }

  /** Finds (again) the pids listening on the broker endpoints; a broker restarted by a fault is followed. */
  private async lookForBrokers(): Promise<void> {
    if (this.brokerEndpoints.length === 0 || this.lookingForBrokers) return;
    this.lookingForBrokers = true;
    try {
      const found = await this.findBrokers(this.brokerEndpoints);
      for (const b of found) {
        if (!this.sampler.retrack(b.name, b.pid)) this.sampler.track('broker', b.name, b.pid);
      }
      const known = new Map(this.brokers.map((b) => [b.name, b]));
      for (const b of found) known.set(b.name, b);
      this.brokers = [...known.values()];
    } catch {
      // a broker that cannot be found is simply not sampled
    } finally {
      this.lookingForBrokers = false;
    }
  }
}
