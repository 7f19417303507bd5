import type { Workload } from '../../scenario/schema.js';
import type { ArrivalSchedule } from '../types.js';

interface Segment {
  startUs: number;
  lengthUs: number;
  fromRate: number;
  toRate: number;
  /** arrivals before this segment */
  before: number;
}

/**
 * The rate moves linearly through stages from the start rate (k6's ramping-arrival-rate);
 * the driver's warm-up comes before, at its own rate. The i-th arrival is where the
 * integral of the rate reaches i.
 */
export function rampingArrivalRate(w: Pick<Workload, 'startRate' | 'stages'>): ArrivalSchedule {
  const segments: Segment[] = [];
  let t = 0;
  let before = 0;
  let rate = w.startRate;
  const push = (lengthUs: number, toRate: number): void => {
    if (lengthUs <= 0) return;
    segments.push({ startUs: t, lengthUs, fromRate: rate, toRate, before });
    before += ((rate + toRate) / 2) * (lengthUs / 1_000_000);
    t += lengthUs;
    rate = toRate;
  };
  for (const s of w.stages) push(s.duration * 1000, s.target);
  const total = before;

  const at = (i: number): number | undefined => {
    if (i >= total - 1e-9) return undefined;
    const seg = segments.find((s, k) => k === segments.length - 1 || segments[k + 1]!.before > i)!;
    const n = i - seg.before;
    const D = seg.lengthUs / 1_000_000;
    const r0 = seg.fromRate;
    const a = (seg.toRate - r0) / (2 * D);
    let s: number;
    if (Math.abs(a) < 1e-12) s = r0 > 0 ? n / r0 : D;
    else s = (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * n))) / (2 * a);
    return Math.round(seg.startUs + Math.min(s, D) * 1_000_000);
  };
  const rateAt = (offsetUs: number): number => {
    const seg = segments.find((s) => offsetUs < s.startUs + s.lengthUs) ?? segments[segments.length - 1];
    if (!seg) return 0;
    const f = Math.min(1, Math.max(0, (offsetUs - seg.startUs) / seg.lengthUs));
    return seg.fromRate + (seg.toRate - seg.fromRate) * f;
  };
  return { kind: 'open', lengthUs: t, at, rateAt };
}
