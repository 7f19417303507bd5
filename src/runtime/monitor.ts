import type { MessagingAdapter, MessagingRunSpec } from '../contract/transport.js';
import type { Driver, DriverResult } from '../driver/driver.js';
import type { WarmupSecond, WarmupVerdict } from '../driver/types.js';
import { nowUs as systemNowUs } from '../metrics/clock.js';
import type { BacklogPoint, Steady, Warning } from '../result/schema.js';
import { judgeSteady, STEADY_WINDOW_S, type SteadyInput } from './steady.js';

/** judged warm-up seconds kept for the result */
const CHECKS_KEPT = 10;

export interface RunMonitorOptions {
  /** the warm-up rate, orders/s (0: closed model) */
  ratePerSec: number;
  /** the warm-up asked for and its longest, ms */
  requestedMs: number;
  maxMs: number;
  /** messaging: where the backlog is sampled each second */
  backlog?: { adapter: MessagingAdapter; spec: MessagingRunSpec };
  /** the measured window's backlog points land here (t from the measured window's start) */
  into: BacklogPoint[];
  /** each measured backlog sample as it is taken */
  onBacklog?: (points: BacklogPoint[]) => void;
  /** CPU of the harness's processes and the machine between two times (epoch µs), when sampled */
  cpu?: (fromUs: number, toUs: number) => SteadyInput['cpu'];
  nowUs?: () => number;
}

type Check = Steady['checks'][number];

/**
 * Watches one transport's run: from the warm-up's start it samples the backlog each
 * second (messaging), judges each warm-up second the driver hands it (src/runtime/steady.ts),
 * and once the measured window began, keeps the backlog points on that window's time axis.
 * Afterwards it says whether and when the run became steady.
 */
export class RunMonitor {
  private readonly opts: RunMonitorOptions;
  private readonly nowUs: () => number;
  private readonly checks: Check[] = [];
  private readonly warmBacklog: Array<{ atUs: number; total: number }> = [];
  private startUs = 0;
  private measureFromUs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** why the warm-up went on past the time asked for: the first second judged not steady */
  private firstWhy: string | undefined;

  constructor(opts: RunMonitorOptions) {
    this.opts = opts;
    this.nowUs = opts.nowUs ?? systemNowUs;
  }

  attach(driver: Driver): void {
    driver.once('warmup', (startUs: number) => {
      this.startUs = startUs;
      if (this.opts.backlog) this.sampleBacklog(this.opts.backlog.adapter, this.opts.backlog.spec);
    });
    driver.once('start', (measureFromUs: number) => {
      this.measureFromUs = measureFromUs;
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The driver's warm-up judge: the warm-up's last seconds, their backlog and CPU, judged. */
  readonly judge = (second: WarmupSecond, recent: readonly WarmupSecond[]): WarmupVerdict => {
    const window = recent.slice(-STEADY_WINDOW_S);
    const fromUs = this.startUs + (window[0]!.t - 1) * 1e6;
    const toUs = this.startUs + second.t * 1e6;
    const samples = this.warmBacklog.filter((b) => b.atUs > fromUs && b.atUs <= toUs).map((b) => b.total);
    const cpu = this.opts.cpu?.(fromUs, toUs);
    const v = judgeSteady({ timeline: recent, ratePerSec: this.opts.ratePerSec, ...(this.opts.backlog ? { backlog: samples } : {}), ...(cpu ? { cpu } : {}) });
    if (!v.steady) this.firstWhy ??= v.why;
    this.checks.push({ t: second.t, completedPerSec: second.carried, p99: second.p99, backlog: samples.at(-1) ?? null, cpuBusiestPct: cpu ? Math.round(cpu.busiestPct) : null, ok: v.steady, why: v.why });
    if (this.checks.length > CHECKS_KEPT) this.checks.shift();
    return v;
  };

  /** `warm-up extended to 9 s (p99 still falling 228→48→25 ms)`, when it lasted longer than asked. */
  extension(d: DriverResult): string | undefined {
    if (d.warmup.ms <= this.opts.requestedMs + 500 || d.stopped) return undefined;
    return `warm-up extended to ${secondsOf(d.warmup.ms)} s (${this.firstWhy ?? d.warmup.why ?? 'not judged'})`;
  }

  /** The result's `steady`: reached or not, how long, and the last seconds judged. */
  steady(d: DriverResult): Steady {
    const warmupS = secondsOf(d.warmup.ms);
    const maxS = secondsOf(this.opts.maxMs);
    const why = d.warmup.why ?? 'not judged';
    const reached = d.warmup.steady;
    return {
      reached,
      warmupS,
      requestedWarmupS: secondsOf(this.opts.requestedMs),
      maxWarmupS: maxS,
      assignmentS: 0,
      detail: reached ? `steady after ${warmupS} s: ${why}` : `not steady after ${warmupS} s of warm-up (at most ${maxS} s): ${why}`,
      checks: [...this.checks],
    };
  }

  /** NOT_STEADY when the warm-up ended unsteady, unless the run was stopped. */
  warnings(d: DriverResult, steady: Steady): Warning[] {
    if (steady.reached || d.stopped) return [];
    return [{ code: 'NOT_STEADY', message: steady.detail }];
  }

  private sampleBacklog(adapter: MessagingAdapter, spec: MessagingRunSpec): void {
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const atUs = this.nowUs();
      const from = this.measureFromUs;
      adapter
        .backlog(spec)
        .then((samples) => {
          if (from === undefined || atUs < from) {
            this.warmBacklog.push({ atUs, total: samples.reduce((n, s) => n + s.depth, 0) });
            return;
          }
          const t = Math.round((atUs - from) / 1e5) / 10;
          const points = samples.map((s) => ({ t, name: s.name, channel: s.channel, depth: s.depth }));
          this.opts.into.push(...points);
          this.opts.onBacklog?.(points);
        })
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, 1000);
    this.timer.unref();
  }
}

const secondsOf = (ms: number): number => Math.round(ms) / 1000;
