import type { EventRecord } from '../contract/events.js';
import { decodeHistogram, mergeHistograms, summarize } from '../metrics/histogram.js';
import type { FaultEvent, TransportResult } from '../result/schema.js';
import { eventLogFiles, readEventLogRecords } from '../runtime/event-log.js';
import { checkRecords } from './checker.js';

/** The window of orders a fault could touch, epoch µs: from one order timeout before it began until it ended. */
function windowUs(fault: FaultEvent, originUs: number, timeoutMs: number): [number, number] {
  const endS = fault.endS ?? fault.startS;
  return [originUs + (fault.startS * 1000 - timeoutMs) * 1000, originUs + endS * 1e6];
}

/** The records of a run's event logs whose order falls in some fault's window (read a line at a time, only those kept). */
export function windowRecords(eventsDir: string, faults: readonly FaultEvent[], originUs: number, timeoutMs: number): EventRecord[] {
  const windows = faults.map((f) => windowUs(f, originUs, timeoutMs));
  const out: EventRecord[] = [];
  for (const file of eventLogFiles(eventsDir)) {
    for (const r of readEventLogRecords(file)) if (windows.some(([a, b]) => r.intendedAtUs >= a && r.intendedAtUs <= b)) out.push(r);
  }
  return out;
}

/**
 * What each fault of a run cost, in the manner of OpenChaos's checkers:
 *  - over the orders it could touch (intended from `timeoutMs` before it began, so in
 *    flight then, until it ended): how many, lost (accepted, never terminal),
 *    duplicated deliveries and reordered events, by the same checker as the whole run;
 *  - over the window's seconds: errors and timeouts, and the end-to-end p99 of what
 *    ended then;
 *  - how long the outage lasted: from its start until orders completed at half the rate
 *    of before again (while it still went on: failover; after it: the restart);
 *  - after it: seconds from its end to the first completed order and to a drained backlog.
 * Reordering against orders outside the window is not counted here (the run's check has it).
 */
export function faultCosts(a: {
  faults: FaultEvent[];
  timeline: TransportResult['timeline'];
  backlog: TransportResult['backlog'];
  records: readonly EventRecord[];
  /** accepted orders of the measured window, with their intended start, epoch µs */
  accepted: ReadonlyMap<string, number>;
  /** start of the measured window, epoch µs */
  originUs: number;
  timeoutMs: number;
}): void {
  const t = { timeline: a.timeline, backlog: a.backlog };
  const totals = backlogTotals(t);
  for (const fault of a.faults) {
    const endS = fault.endS ?? fault.startS;
    const [fromUs, toUs] = windowUs(fault, a.originUs, a.timeoutMs);
    const inWindow = (us: number): boolean => us >= fromUs && us <= toUs;
    const orders = new Set<string>();
    for (const r of a.records) if (inWindow(r.intendedAtUs)) orders.add(r.orderId);
    const accepted = new Set<string>();
    for (const [id, us] of a.accepted) {
      if (!inWindow(us)) continue;
      accepted.add(id);
      orders.add(id);
    }
    const check = checkRecords({ records: a.records.filter((r) => orders.has(r.orderId)), accepted, drained: true, drainMs: 0, examples: 0 });
    const seconds = t.timeline.filter((p) => p.t > fault.startS && p.t <= Math.ceil(endS));
    const ended = seconds.filter((p) => p.h);
    const p99 = ended.length ? summarize(mergeHistograms(ended.map((p) => decodeHistogram(p.h)))) : undefined;
    const firstSuccess = t.timeline.find((p) => p.t > endS && p.completed > 0);
    const recovered = startToRecovered(t.timeline, fault.startS);
    const drained = totals.find((b) => b.t > endS && b.depth === 0);
    fault.cost = {
      orders: orders.size,
      lost: check.lost,
      duplicates: check.duplicates,
      reordered: check.reordered,
      errors: seconds.reduce((n, p) => n + p.errors, 0),
      timedOut: seconds.reduce((n, p) => n + p.timedOut, 0),
      p99InWindowMs: p99 && p99.count > 0 ? p99.p99 : null,
      endToFirstSuccessS: firstSuccess ? round(Math.max(0, firstSuccess.t - 1 - endS) + 0.5) : null,
      startToRecoveredS: recovered,
      endToDrainedS: drained ? round(drained.t - endS) : null,
    };
  }
}

/**
 * Seconds from a fault's start until orders completed again at half the rate of the
 * seconds before it (their median), counted to the middle of the first such second after
 * the first one below it: how long the outage was, whether failover or the restart ended
 * it. 0 when completions never fell below half; null when they never came back in the run
 * or there were fewer than 3 seconds before the fault to compare with.
 */
export function startToRecovered(timeline: TransportResult['timeline'], startS: number): number | null {
  const before = timeline.filter((p) => p.t <= startS).map((p) => p.completed).sort((x, y) => x - y);
  if (before.length < 3) return null;
  const half = before[Math.floor(before.length / 2)]! / 2;
  const after = timeline.filter((p) => p.t > startS);
  const down = after.findIndex((p) => p.completed < half);
  if (down < 0) return 0;
  const back = after.slice(down).find((p) => p.completed >= half);
  return back ? round(back.t - 1 - startS + 0.5) : null;
}

/** The first fault's cost as figures, for thresholds (`figures.lostInFault == 0`). */
export function faultCostFigures(faults: readonly FaultEvent[]): Record<string, number> {
  const cost = faults.find((f) => f.cost)?.cost;
  if (!cost) return {};
  const figures: Record<string, number> = { lostInFault: cost.lost, duplicatesInFault: cost.duplicates, errorsAndTimeoutsInFault: cost.errors + cost.timedOut };
  if (cost.p99InWindowMs !== null) figures.p99InFaultWindowMs = cost.p99InWindowMs;
  if (cost.startToRecoveredS !== null && cost.startToRecoveredS !== undefined) figures.startToRecoveredS = cost.startToRecoveredS;
  return figures;
}

/** Total backlog over every channel at each sample time. */
function backlogTotals(t: { backlog: TransportResult['backlog'] }): Array<{ t: number; depth: number }> {
  const byT = new Map<number, number>();
  for (const b of t.backlog) byT.set(b.t, (byT.get(b.t) ?? 0) + b.depth);
  return [...byT.entries()].sort((x, y) => x[0] - y[0]).map(([time, depth]) => ({ t: time, depth }));
}

const round = (n: number): number => Math.round(n * 10) / 10;
