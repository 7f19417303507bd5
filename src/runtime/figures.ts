import type { KneeResult } from '../driver/executors/find-knee.js';
import type { TimelinePoint } from '../metrics/run-recorder.js';
import type { TransportResult, Warning } from '../result/schema.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * Headline figures a scenario reports, computed from a transport's timeline, faults
 * and backlog (seconds are counted from the start of the measured window):
 *  - with faults: error rate inside the first fault's window, time from the end of the
 *    fault (restart) to the first completed order and to a drained backlog, peak backlog;
 *  - always: peak backlog (messaging);
 *  - for ramping runs, the sustainable throughput (see `rampKnee`) and whether the ramp
 *    reached its knee at all;
 *  - for knee searches (find-knee), what the search found (see `kneeSearchFigures`).
 */
export function scenarioFigures(t: TransportResult, scenario: Scenario, knee?: KneeResult): Record<string, number | boolean> {
  const figures: Record<string, number | boolean> = {};
  const totals = backlogTotals(t);
  if (totals.length) figures.peakBacklog = Math.max(...totals.map((b) => b.depth));

  const fault = t.faults[0];
  if (fault) {
    const end = fault.endS ?? fault.startS;
    const inWindow = t.timeline.filter((p) => p.t > fault.startS && p.t <= Math.ceil(end));
    const attempted = inWindow.reduce((n, p) => n + p.attempted, 0);
    const bad = inWindow.reduce((n, p) => n + p.errors + p.timedOut, 0);
    figures.errorsInFaultWindow = bad;
    figures.errorRateInFaultWindowPct = attempted ? round((bad / attempted) * 100) : 0;
    figures.failedInFaultWindow = inWindow.reduce((n, p) => n + p.failed, 0);
    const firstSuccess = t.timeline.find((p) => p.t > end && p.completed > 0);
    if (firstSuccess) figures.restartToFirstSuccessS = round(Math.max(0, firstSuccess.t - 1 - end) + 0.5);
    if (totals.length) {
      const peakAfter = totals.filter((b) => b.t >= fault.startS);
      if (peakAfter.length) figures.peakBacklogInFault = Math.max(...peakAfter.map((b) => b.depth));
      const drained = totals.find((b) => b.t > end && b.depth === 0);
      if (drained) figures.restartToBacklogDrainedS = round(drained.t - end);
    }
  }

  if (knee) return { ...figures, ...kneeSearchFigures(knee) };
  // the knee only means something when the rate climbs
  if (scenario.workload.executor !== 'ramping-arrival-rate') return figures;
  const ramp = rampKnee(t.timeline, scenario.slo.endToEndP99);
  figures.sustainablePerSec = ramp.sustainablePerSec;
  figures.kneeReached = ramp.reached;
  return figures;
}

/**
 * The knee of a ramp: the highest per-second rate among good seconds (p99 within the SLO,
 * nothing dropped, no errors or time-outs) before the first two consecutive bad ones.
 * A good second counts at most the orders offered in it, so a second that catches up on
 * an earlier backlog never shows more than the ramp asked for. `reached` is false when
 * the ramp ended without two consecutive bad seconds: the knee lies above it.
 */
export function rampKnee(timeline: readonly TimelinePoint[], sloP99Ms: number): { sustainablePerSec: number; reached: boolean } {
  let sustainable = 0;
  let misses = 0;
  for (const p of timeline) {
    const ended = p.completed + p.failed;
    const ok = p.dropped === 0 && p.errors === 0 && p.timedOut === 0 && (ended === 0 || p.p99 <= sloP99Ms);
    if (ok) {
      misses = 0;
      sustainable = Math.max(sustainable, Math.min(ended, p.attempted));
    } else if (++misses >= 2) return { sustainablePerSec: sustainable, reached: true };
  }
  return { sustainablePerSec: sustainable, reached: false };
}

/**
 * A knee search's figures: the knee (the highest rate whose step held, also given as
 * sustainablePerSec), the lowest rate that failed, the judged seconds that prove the
 * knee and the two that broke the failed step, and how many steps it took.
 */
export function kneeSearchFigures(k: KneeResult): Record<string, number | boolean> {
  return {
    kneeReached: k.reached,
    kneePerSec: k.perSec,
    sustainablePerSec: k.perSec,
    ...(k.failedPerSec !== undefined ? { kneeFailedPerSec: k.failedPerSec } : {}),
    ...(k.proof ? { kneeProofFromS: k.proof.fromS, kneeProofToS: k.proof.toS } : {}),
    ...(k.breach ? { kneeBreachFromS: k.breach.fromS, kneeBreachToS: k.breach.toS } : {}),
    kneeSteps: k.steps.length,
  };
}

/** KNEE_NOT_REACHED when the figures say the load never found the knee. */
export function kneeWarnings(figures: Record<string, number | boolean>, scenario: Scenario): Warning[] {
  if (figures.kneeReached !== false) return [];
  if (scenario.workload.executor === 'find-knee') {
    const good = Number(figures.kneePerSec ?? 0);
    const failed = figures.kneeFailedPerSec;
    if (good === 0 && typeof failed === 'number') {
      return [{ code: 'KNEE_NOT_REACHED', message: `no step held, down to ${failed} orders/s: the knee is below ${failed}` }];
    }
    const limit = good >= scenario.workload.knee.maxRate ? ' (knee.maxRate)' : ' (knee.maxDuration)';
    return [{ code: 'KNEE_NOT_REACHED', message: `the search ended at ${good} orders/s${limit} without breaking the SLO: the knee is above ${good}` }];
  }
  const peak = Math.max(0, ...(scenario.workload.stages ?? []).map((s) => s.target));
  return [{ code: 'KNEE_NOT_REACHED', message: `the ramp ended at ${peak} orders/s without breaking the SLO: the knee is above ${peak}` }];
}

/** Total backlog over every channel at each sample time. */
export function backlogTotals(t: TransportResult): Array<{ t: number; depth: number }> {
  const byT = new Map<number, number>();
  for (const b of t.backlog) byT.set(b.t, (byT.get(b.t) ?? 0) + b.depth);
  return [...byT.entries()].sort((a, b) => a[0] - b[0]).map(([time, depth]) => ({ t: time, depth }));
}

const round = (n: number): number => Math.round(n * 10) / 10;
