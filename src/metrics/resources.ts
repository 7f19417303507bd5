import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Resources } from '../result/schema.js';
import { nowUs as systemNowUs } from './clock.js';

/**
 * Where the CPU went during a run: every `intervalMs` one sample of each process the
 * harness knows (driver, service instances, brokers) from /proc/<pid>/stat (user+sys
 * CPU as % of one core, resident memory) and of the whole machine from /proc/stat (busy
 * and steal as % of all cores). Samples are kept in memory and returned in the result's
 * `resources` shape; the time axis is relative to an origin that may move (the measured
 * window's start is known only once the warm-up ends).
 *
 * Each sample reads one small file per process with synchronous reads into one buffer:
 * asynchronous reads would cost more in promises and thread-pool hops than the reads
 * themselves. `scripts/resources-cost.ts` measures what a sample costs.
 */

export type ProcessRole = 'driver' | 'service' | 'broker';

export interface ResourceSamplerOptions {
  /** time between samples, ms (default 1000) */
  intervalMs?: number;
  /** epoch µs (default: the harness's clock) */
  nowUs?: () => number;
}

interface Tracked {
  role: ProcessRole;
  name: string;
  pid: number;
  /** the process's start time in clock ticks since boot: a reused pid has another */
  startTicks: string | undefined;
  /** user+sys ticks at the last reading, and when it was read (µs) */
  last: { ticks: number; atUs: number } | undefined;
  cpuPct: Array<number | null>;
  rssMb: Array<number | null>;
}

interface MachineTicks {
  busy: number;
  steal: number;
  total: number;
}

/** The last `seconds` of samples, in the result's shape (`t` relative to the current origin). */
export type RecentResources = Resources;

let sysconf: { clockTicks: number; pageBytes: number } | undefined;
/** USER_HZ and the page size, asked of getconf once per process (100 and 4096 when it cannot answer). */
function systemConstants(): { clockTicks: number; pageBytes: number } {
  if (sysconf) return sysconf;
  const ask = (name: string, fallback: number): number => {
    try {
      const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return Number.isFinite(v) && v > 0 ? v : fallback;
    } catch {
      return fallback;
    }
  };
  sysconf = { clockTicks: ask('CLK_TCK', 100), pageBytes: ask('PAGESIZE', 4096) };
  return sysconf;
}

const buffer = Buffer.alloc(64 * 1024);
/** A /proc file's text, or null when it cannot be read (the process is gone). */
function readProc(path: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buffer, n, buffer.length - n, null);
      if (got === 0 || n + got >= buffer.length) return buffer.toString('latin1', 0, n + got);
      n += got;
    }
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

interface ProcStat {
  ticks: number;
  startTicks: string;
  rssPages: number;
}

/**
 * Fields of /proc/<pid>/stat (proc(5)): utime 14, stime 15, starttime 22, rss 24 (pages,
 * the same counter as VmRSS in /proc/<pid>/status, which would be a second read). The
 * command name (field 2) may hold spaces and parentheses, so fields count from the last
 * `)`. A zombie has exited: null.
 */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state)
  if (f.length < 22 || f[0] === 'Z' || f[0] === 'X') return null;
  const ticks = Number(f[11]) + Number(f[12]);
  const rssPages = Number(f[21]);
  if (!Number.isFinite(ticks) || !Number.isFinite(rssPages)) return null;
  return { ticks, startTicks: f[19]!, rssPages };
}

/** The machine's first /proc/stat line: busy = everything but idle and iowait (guest time is already in user). */
export function parseMachineStat(text: string): { ticks: MachineTicks; cores: number } | null {
  const end = text.indexOf('\n');
  const first = text.slice(0, end < 0 ? undefined : end);
  if (!first.startsWith('cpu ')) return null;
  const v = first.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [number, number, number, number, number, number, number, number];
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  const cores = text.match(/^cpu\d+ /gm)?.length ?? 1;
  return { ticks: { busy: total - idle - iowait, steal, total }, cores };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export class ResourceSampler {
  readonly intervalMs: number;
  private readonly nowUs: () => number;
  private readonly clockTicks: number;
  private readonly pageMb: number;
  private originUs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly tracked: Tracked[] = [];
  /** sample times, epoch µs */
  private readonly times: number[] = [];
  private machineLast: MachineTicks | undefined;
  private cores: number;
  private readonly machineCpu: Array<number | null> = [];
  private readonly machineSteal: Array<number | null> = [];

  constructor(opts: ResourceSamplerOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.nowUs = opts.nowUs ?? systemNowUs;
    const c = systemConstants();
    this.clockTicks = c.clockTicks;
    this.pageMb = c.pageBytes / (1024 * 1024);
    this.cores = parseMachineStat(readProc('/proc/stat') ?? '')?.cores ?? 1;
  }

  /**
   * Samples `pid` from now on under `name`. Tracking a pid already tracked does nothing;
   * tracking a known name under another pid is a `retrack` (a restarted process).
   */
  track(role: ProcessRole, name: string, pid: number): void {
    if (this.tracked.some((p) => p.pid === pid)) return;
    if (this.tracked.some((p) => p.name === name)) {
      this.retrack(name, pid);
      return;
    }
    const p: Tracked = { role, name, pid, startTicks: undefined, last: undefined, cpuPct: [], rssMb: [] };
    // samples taken before it was known: not running as far as we can tell
    for (let i = 0; i < this.times.length; i++) {
      p.cpuPct.push(null);
      p.rssMb.push(null);
    }
    this.baseline(p);
    this.tracked.push(p);
  }

  /** The process known as `name` now runs as `pid` (a broker or service restarted); false when no such name. */
  retrack(name: string, pid: number): boolean {
    const p = this.tracked.find((x) => x.name === name);
    if (!p) return false;
    if (p.pid === pid) return true;
    p.pid = pid;
    p.startTicks = undefined;
    this.baseline(p);
    return true;
  }

  /** Samples every interval from now on; `t` counts from `originUs` (moved later with `setOrigin`). */
  start(originUs: number): void {
    this.originUs = originUs;
    if (this.timer) return;
    const m = parseMachineStat(readProc('/proc/stat') ?? '');
    this.machineLast = m?.ticks;
    if (m) this.cores = m.cores;
    for (const p of this.tracked) this.baseline(p);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves the time origin: `t` of every sample, taken or to come, counts from here. */
  setOrigin(originUs: number): void {
    this.originUs = originUs;
  }

  /** Takes one sample now (the timer calls this; tests and the cost script too). */
  sample(): void {
    const now = this.nowUs();
    const m = parseMachineStat(readProc('/proc/stat') ?? '');
    const prev = this.machineLast;
    if (m && prev && m.ticks.total > prev.total) {
      const total = m.ticks.total - prev.total;
      this.machineCpu.push(round1(((m.ticks.busy - prev.busy) / total) * 100));
      this.machineSteal.push(round1(((m.ticks.steal - prev.steal) / total) * 100));
    } else {
      this.machineCpu.push(null);
      this.machineSteal.push(null);
    }
    this.machineLast = m?.ticks;
    for (const p of this.tracked) {
      const s = this.read(p);
      if (!s) {
        p.cpuPct.push(null);
        p.rssMb.push(null);
        p.last = undefined;
        continue;
      }
      const last = p.last;
      const seconds = last ? (now - last.atUs) / 1e6 : 0;
      p.cpuPct.push(last && seconds > 0 ? round1(((s.ticks - last.ticks) / this.clockTicks / seconds) * 100) : null);
      p.rssMb.push(round1(s.rssPages * this.pageMb));
      p.last = { ticks: s.ticks, atUs: now };
    }
    this.times.push(now);
  }

  /** Every sample so far, in the result's shape. */
  result(): Resources {
    return this.slice(0);
  }

  /** The samples of the last `seconds` (by the clock), per process and of the machine: "was anything CPU-pinned just now". */
  recent(seconds: number): RecentResources {
    const from = this.nowUs() - seconds * 1e6;
    let i = this.times.length;
    while (i > 0 && this.times[i - 1]! > from) i--;
    return this.slice(i);
  }

  private slice(from: number): Resources {
    return {
      intervalMs: this.intervalMs,
      t: this.times.slice(from).map((us) => Math.round((us - this.originUs) / 1000) / 1000),
      machine: { cores: this.cores, cpuPct: this.machineCpu.slice(from), stealPct: this.machineSteal.slice(from) },
      processes: this.tracked.map((p) => ({ role: p.role, name: p.name, pid: p.pid, cpuPct: p.cpuPct.slice(from), rssMb: p.rssMb.slice(from) })),
    };
  }

  /** This process's stat now; null when it is gone or its pid now belongs to another process. */
  private read(p: Tracked): ProcStat | null {
    const text = readProc(`/proc/${p.pid}/stat`);
    const s = text === null ? null : parseProcStat(text);
    if (!s) return null;
    if (p.startTicks === undefined) p.startTicks = s.startTicks;
    return s.startTicks === p.startTicks ? s : null;
  }

  /** A first reading, so that the next sample has a difference to work with. */
  private baseline(p: Tracked): void {
    const s = this.read(p);
    p.last = s ? { ticks: s.ticks, atUs: this.nowUs() } : undefined;
  }
}
