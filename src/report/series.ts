import { faultName } from './fault-costs.js';
import { decodeHistogram } from '../metrics/histogram.js';
import type { Result, TransportResult } from '../result/schema.js';
import { transportStyles, type TransportStyle } from './palette.js';

/**
 * The data behind the report's charts, read from a result: per-second series put on
 * one time axis (downsampled for long runs), the percentile spectrum read from each
 * transport's decoded end-to-end histogram, and fault windows. Percentiles are read,
 * never averaged: when several seconds share one point, the point shows the worst
 * second in it (the highest per-second percentile), so spikes stay visible.
 */

export type Column = Array<number | null>;

/** uPlot's aligned layout: one x column, one y column per series. */
export interface Aligned {
  x: number[];
  ys: Column[];
}

export interface FaultWindow {
  startS: number;
  /** null: the fault never ended inside the measured window */
  endS: number | null;
  label: string;
}

export interface ChartData {
  transports: Array<{ name: string } & TransportStyle>;
  /** seconds per point on time charts (1 unless the run was long) */
  bucketS: number;
  /** seconds of the longest measured window */
  spanS: number;
  p50: Aligned | null;
  p99: Aligned | null;
  /** completed + failed orders per second */
  rate: Aligned | null;
  /** x = 1/(1-p), y = ms */
  spectrum: Aligned | null;
  /** ramping runs and knee searches: x = achieved orders/s, y = p99 ms (points, one series per transport) */
  ramp: Aligned | null;
  /** total backlog (messages) per transport */
  backlog: Aligned | null;
  faults: FaultWindow[];
}

export interface SeriesOptions {
  /** most points per time series; longer runs are bucketed (default 1200) */
  maxPoints?: number;
}

/** Puts per-transport maps of x → y on one ascending x axis. */
function align(maps: Array<Map<number, number>>): Aligned | null {
  const xs = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return { x: xs, ys: maps.map((m) => xs.map((x) => m.get(x) ?? null)) };
}

/** Points of several series as rows sorted by x, one series filled per row (x may repeat: a saturated transport keeps its rate while latency climbs). */
function rows(points: Array<Array<[number, number]>>): Aligned | null {
  const all = points.flatMap((ps, series) => ps.map(([x, y]) => ({ x, y, series })));
  if (all.length === 0) return null;
  all.sort((a, b) => a.x - b.x || a.series - b.series);
  return { x: all.map((p) => p.x), ys: points.map((_, i) => all.map((p) => (p.series === i ? p.y : null))) };
}

interface Bucket {
  x: number;
  seconds: number;
  ended: number;
  p50: number;
  p99: number;
}

/** Groups a timeline into buckets of `bucketS` seconds; x is the bucket's end, in seconds. */
function bucketTimeline(t: TransportResult, bucketS: number): Bucket[] {
  const buckets = new Map<number, Bucket>();
  for (const point of t.timeline) {
    const index = Math.max(0, Math.ceil(point.t / bucketS) - 1);
    const x = (index + 1) * bucketS;
    let b = buckets.get(index);
    if (!b) {
      b = { x, seconds: 0, ended: 0, p50: 0, p99: 0 };
      buckets.set(index, b);
    }
    b.seconds += 1;
    b.ended += point.completed + point.failed;
    // a second in which nothing ended has no latency; it must not pull the line to 0
    if (point.completed + point.failed > 0) {
      b.p50 = Math.max(b.p50, point.p50);
      b.p99 = Math.max(b.p99, point.p99);
    }
  }
  return [...buckets.values()].sort((a, b) => a.x - b.x);
}

/** Spectrum grid: x = 1/(1-p) from 1 (p0) to 10^5 (p99.999), 12 points a decade. */
const SPECTRUM_X = Array.from({ length: 61 }, (_, k) => 10 ** (k / 12));

function spectrumOf(t: TransportResult): Map<number, number> {
  const out = new Map<number, number>();
  if (t.latency.endToEnd.count === 0 || t.histograms.endToEnd === '') return out;
  let h;
  try {
    h = decodeHistogram(t.histograms.endToEnd);
  } catch {
    return out;
  }
  if (h.totalCount === 0) return out;
  for (const x of SPECTRUM_X) {
    // beyond 1/count the histogram has nothing new to say: the last point is the max
    if (x > h.totalCount * 10) break;
    out.set(x, h.getValueAtPercentile(100 * (1 - 1 / x)) / 1000);
  }
  return out;
}

function backlogOf(t: TransportResult, bucketS: number): Map<number, number> {
  const totalPerSecond = new Map<number, number>();
  for (const p of t.backlog) {
    const s = Math.round(p.t);
    totalPerSecond.set(s, (totalPerSecond.get(s) ?? 0) + p.depth);
  }
  const out = new Map<number, number>();
  for (const [s, depth] of totalPerSecond) {
    const x = Math.max(1, Math.ceil(s / bucketS)) * bucketS;
    out.set(x, Math.max(out.get(x) ?? 0, depth));
  }
  return out;
}

function faultLabel(f: TransportResult['faults'][number]): string {
  return `${faultName(f)}${f.detail ? ` (${f.detail})` : ''}`;
}

/** Whether the scenario ramped its arrival rate or searched for the knee (latency-against-throughput chart). */
export function isRamping(result: Result): boolean {
  const e = result.scenario.resolved.workload.executor;
  return e === 'ramping-arrival-rate' || e === 'find-knee';
}

/** Whether the scenario searched for the knee step by step (executor find-knee). */
export function isKneeSearch(result: Result): boolean {
  return result.scenario.resolved.workload.executor === 'find-knee';
}

export function chartData(result: Result, options: SeriesOptions = {}): ChartData {
  const maxPoints = options.maxPoints ?? 1200;
  const ts = result.transports;
  const styles = transportStyles(ts.map((t) => t.name));
  const spanS = Math.max(0, ...ts.flatMap((t) => [t.measuredMs / 1000, ...t.timeline.map((p) => p.t)]));
  const bucketS = Math.max(1, Math.ceil(spanS / maxPoints));
  const buckets = ts.map((t) => bucketTimeline(t, bucketS));

  const p50 = align(buckets.map((bs) => new Map(bs.filter((b) => b.ended > 0).map((b) => [b.x, b.p50]))));
  const p99 = align(buckets.map((bs) => new Map(bs.filter((b) => b.ended > 0).map((b) => [b.x, b.p99]))));
  const rate = align(buckets.map((bs) => new Map(bs.map((b) => [b.x, b.ended / b.seconds]))));
  const spectrum = align(ts.map(spectrumOf));
  const ramp = isRamping(result)
    ? rows(buckets.map((bs) => bs.filter((b) => b.ended > 0).map((b): [number, number] => [Math.round((b.ended / b.seconds) * 100) / 100, b.p99])))
    : null;
  const backlogMaps = ts.map((t) => backlogOf(t, bucketS));
  const backlog = backlogMaps.some((m) => m.size > 0) ? align(backlogMaps) : null;

  const faults = new Map<string, FaultWindow>();
  for (const t of ts) {
    for (const f of t.faults) {
      const w = { startS: f.startS, endS: f.endS ?? null, label: faultLabel(f) };
      faults.set(`${w.startS}|${w.endS}|${w.label}`, w);
    }
  }

  return {
    transports: ts.map((t, i) => ({ name: t.name, ...styles[i]! })),
    bucketS,
    spanS,
    p50: p50 && p50.ys.some((c) => c.some((v) => v !== null)) ? p50 : null,
    p99: p99 && p99.ys.some((c) => c.some((v) => v !== null)) ? p99 : null,
    rate,
    spectrum,
    ramp,
    backlog,
    faults: [...faults.values()].sort((a, b) => a.startS - b.startS),
  };
}
