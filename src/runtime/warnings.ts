import type { Resources, Warning } from '../result/schema.js';

/**
 * Warnings from the per-second resource samples: the seconds when the harness, not the
 * transport, set the pace. A driver or service process pinned at a core means orders
 * waited for the harness's own CPU; a saturated machine means every process (brokers
 * too) waited for a CPU; steal means the hypervisor took CPU away. Brokers may use
 * several cores, so a broker above one core is no warning of its own; it is named among
 * the consumers when the machine is saturated. Pure: samples in, warnings out.
 */

export interface ResourceWarningOptions {
  /** the measured window, seconds on the samples' time axis (`t`) */
  fromS: number;
  toS: number;
  /** a driver or service process at or above this % of one core is CPU-bound (default 90) */
  cpuBoundPct?: number;
  /** the machine at or above this % busy is saturated (default 95) */
  machinePct?: number;
  /** steal at or above this % of all cores is reported (default 10) */
  stealPct?: number;
  /** for at least this many seconds of consecutive samples (default 2) */
  minSeconds?: number;
}

/** `[3, 4, 5, 6, 9]` → `3–6 and 9`; `[1, 2, 5, 7, 8]` → `1–2, 5 and 7–8`. */
export function secondsText(seconds: readonly number[]): string {
  const s = [...new Set(seconds)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    runs.push(j > i ? `${s[i]}–${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return runs.length <= 1 ? (runs[0] ?? '') : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
}

/** `97–100 %`, or `100 %` when every value rounds alike. */
function pctRange(values: readonly number[]): string {
  const lo = Math.round(Math.min(...values));
  const hi = Math.round(Math.max(...values));
  return lo === hi ? `${hi} %` : `${lo}–${hi} %`;
}

const secondsPhrase = (seconds: readonly number[]): string =>
  `in second${seconds.length === 1 ? '' : 's'} ${secondsText(seconds)} of the measured window`;

/** Samples inside the window: those whose interval's middle lies in [fromS, toS), with their 1-based second. */
function windowSamples(r: Resources, fromS: number, toS: number): Array<{ i: number; second: number }> {
  const half = r.intervalMs / 2000;
  const out: Array<{ i: number; second: number }> = [];
  r.t.forEach((t, i) => {
    const mid = t - half;
    if (mid >= fromS && mid < toS) out.push({ i, second: Math.floor(mid - fromS) + 1 });
  });
  return out;
}

/**
 * Indices of the in-window samples that belong to a run of at least `minSeconds` of
 * consecutive samples meeting `hot` (a missing sample, null, breaks a run).
 */
function hotRuns(samples: Array<{ i: number }>, values: Array<number | null>, hot: (v: number) => boolean, minSamples: number): number[] {
  const out: number[] = [];
  let run: number[] = [];
  const close = (): void => {
    if (run.length >= minSamples) out.push(...run);
    run = [];
  };
  for (const { i } of samples) {
    const v = values[i];
    if (v !== null && v !== undefined && hot(v)) run.push(i);
    else close();
  }
  close();
  return out;
}

const ROLE_TEXT = { driver: 'the load driver', service: 'service', broker: 'broker' } as const;

/** PROCESS_CPU_BOUND, MACHINE_SATURATED and CPU_STEAL warnings of one transport's samples. */
export function resourceWarnings(resources: Resources, opts: ResourceWarningOptions): Warning[] {
  const cpuBoundPct = opts.cpuBoundPct ?? 90;
  const machinePct = opts.machinePct ?? 95;
  const stealPct = opts.stealPct ?? 10;
  const minSeconds = opts.minSeconds ?? 2;
  const samples = windowSamples(resources, opts.fromS, opts.toS);
  const secondOf = new Map(samples.map((s) => [s.i, s.second]));
  const minSamples = Math.max(1, Math.ceil((minSeconds * 1000) / resources.intervalMs - 1e-9));
  const secondsOf = (idx: number[]): number[] => [...new Set(idx.map((i) => secondOf.get(i)!))].sort((a, b) => a - b);
  const out: Warning[] = [];

  const harness = resources.processes.filter((p) => p.role !== 'broker').sort((a, b) => (a.role === b.role ? 0 : a.role === 'driver' ? -1 : 1));
  for (const p of harness) {
    const idx = hotRuns(samples, p.cpuPct, (v) => v >= cpuBoundPct, minSamples);
    if (idx.length === 0) continue;
    const seconds = secondsOf(idx);
    out.push({
      code: 'PROCESS_CPU_BOUND',
      message: `${p.name} (${ROLE_TEXT[p.role]}) used ${pctRange(idx.map((i) => p.cpuPct[i]!))} of a core ${secondsPhrase(seconds)}: those seconds measure the harness, not the transport`,
      process: p.name,
      seconds,
    });
  }

  const busy = hotRuns(samples, resources.machine.cpuPct, (v) => v >= machinePct, minSamples);
  if (busy.length > 0) {
    const seconds = secondsOf(busy);
    const cores = resources.machine.cores;
    const meanCores = (xs: Array<number | null>): number => busy.reduce((a, i) => a + (xs[i] ?? 0), 0) / busy.length / 100;
    const consumers = resources.processes.map((p) => ({ what: `${p.name} (${ROLE_TEXT[p.role]})`, cores: meanCores(p.cpuPct) }));
    const tracked = consumers.reduce((a, c) => a + c.cores, 0);
    const rest = meanCores(resources.machine.cpuPct) * cores - tracked;
    // what the harness does not track (other programs, the kernel) counts when it is a sizeable share
    if (rest >= Math.max(0.2, 0.1 * cores)) consumers.push({ what: 'everything else on the machine', cores: rest });
    const top = consumers
      .filter((c) => c.cores >= 0.05)
      .sort((a, b) => b.cores - a.cores)
      .slice(0, 3)
      .map((c) => `${c.what} ${(Math.round(c.cores * 10) / 10).toFixed(1)} cores`);
    out.push({
      code: 'MACHINE_SATURATED',
      message: `The machine's ${cores} core${cores === 1 ? ' was' : 's were'} ${pctRange(busy.map((i) => resources.machine.cpuPct[i]!))} busy ${secondsPhrase(seconds)}${top.length ? `; the most CPU went to ${top.join(', ')}` : ''}: every process, brokers too, waited for a CPU in those seconds`,
      seconds,
    });
  }

  const steal = hotRuns(samples, resources.machine.stealPct, (v) => v >= stealPct, minSamples);
  if (steal.length > 0) {
    const seconds = secondsOf(steal);
    out.push({
      code: 'CPU_STEAL',
      message: `The hypervisor took ${pctRange(steal.map((i) => resources.machine.stealPct[i]!))} of the machine's CPU (steal) ${secondsPhrase(seconds)}: latencies in those seconds include waiting for it`,
      seconds,
    });
  }
  return out;
}
