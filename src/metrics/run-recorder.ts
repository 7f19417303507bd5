import type { OrderErrorCode } from '../contract/error-catalogue.js';
import {
  createHistogram,
  encodeHistogram,
  recordUs,
  summarize,
  type Histogram,
  type LatencySummaryMs,
} from './histogram.js';

/** How one order ended, as seen by the load driver. */
export type Outcome = 'completed' | 'failed' | 'error' | 'timedOut';

export interface Counts {
  /** orders whose intended start fell in the measured window */
  attempted: number;
  /** orders the order service accepted (2xx) */
  accepted: number;
  /** orders that reached order_completed */
  completed: number;
  /** business failures: orders that reached order_failed (payment declined, stock released) */
  failed: number;
  /** technical errors: refused connection, 5xx, publish failure */
  errors: number;
  /** orders that could not start because the in-flight cap was reached */
  dropped: number;
  /** orders with no terminal outcome before their deadline */
  timedOut: number;
}

/** One second of the measured window. */
export interface TimelinePoint {
  /** seconds since the measured window began (end of this second) */
  t: number;
  attempted: number;
  accepted: number;
  completed: number;
  failed: number;
  errors: number;
  dropped: number;
  timedOut: number;
  /** orders in flight at the end of the second */
  inFlight: number;
  /** end-to-end latency (corrected) of orders that ended in this second, ms */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** acceptance p99 of orders accepted in this second, ms */
  acceptanceP99: number;
  /** this second's end-to-end histogram, encoded (empty when nothing ended) */
  h: string;
}

export interface RecorderSnapshot {
  counts: Counts;
  inFlight: number;
  /** completed+failed per second over the last full second */
  currentRate: number;
  /** end-to-end p99 so far, ms */
  p99Ms: number;
}

export interface RecorderResult {
  counts: Counts;
  /** by code; `ended()` takes only the catalogue's codes (error-catalogue.ts) */
  errorsByCode: Record<string, number>;
  latency: { endToEnd: LatencySummaryMs; endToEndUncorrected: LatencySummaryMs; acceptance: LatencySummaryMs };
  histograms: { endToEnd: string; endToEndUncorrected: string; acceptance: string };
  timeline: TimelinePoint[];
  /** length of the measured window, ms */
  measuredMs: number;
}

const emptyCounts = (): Counts => ({ attempted: 0, accepted: 0, completed: 0, failed: 0, errors: 0, dropped: 0, timedOut: 0 });

/**
 * Records one transport's run: cumulative HDR histograms (end-to-end corrected and
 * uncorrected, acceptance) and per-second intervals. Only orders whose intended start
 * is inside the measured window count (the warm-up is excluded). Memory is flat: one
 * interval histogram is reused, each closed second becomes a small timeline point.
 */
export class RunRecorder {
  private readonly measureFromUs: number;
  private readonly nowUs: () => number;
  private readonly total = emptyCounts();
  private readonly errorsByCode: Record<string, number> = {};
  private readonly e2e = createHistogram();
  private readonly e2eUncorrected = createHistogram();
  private readonly acceptance = createHistogram();
  private readonly intervalE2e = createHistogram();
  private readonly intervalAcceptance = createHistogram();
  private interval = emptyCounts();
  private intervalIndex = 0;
  private readonly timeline: TimelinePoint[] = [];
  private inFlight = 0;
  private lastRate = 0;
  private endUs: number | undefined;

  constructor(opts: { measureFromUs: number; nowUs: () => number }) {
    this.measureFromUs = opts.measureFromUs;
    this.nowUs = opts.nowUs;
  }

  private counts(intendedAtUs: number): boolean {
    this.roll();
    return intendedAtUs >= this.measureFromUs;
  }

  attempted(intendedAtUs: number): void {
    this.inFlight++;
    if (!this.counts(intendedAtUs)) return;
    this.total.attempted++;
    this.interval.attempted++;
  }

  dropped(intendedAtUs: number): void {
    if (!this.counts(intendedAtUs)) return;
    this.total.attempted++;
    this.interval.attempted++;
    this.total.dropped++;
    this.interval.dropped++;
  }

  accepted(intendedAtUs: number, acceptedAtUs: number): void {
    if (!this.counts(intendedAtUs)) return;
    this.total.accepted++;
    this.interval.accepted++;
    const us = acceptedAtUs - intendedAtUs;
    recordUs(this.acceptance, us);
    recordUs(this.intervalAcceptance, us);
  }

  /** An order ended. Latencies: corrected from the intended start, uncorrected from the actual send. */
  ended(intendedAtUs: number, sentAtUs: number, endedAtUs: number, outcome: Outcome, errorCode?: OrderErrorCode): void {
    this.inFlight--;
    if (!this.counts(intendedAtUs)) return;
    if (outcome === 'completed' || outcome === 'failed') {
      this.total[outcome]++;
      this.interval[outcome]++;
      const corrected = endedAtUs - intendedAtUs;
      recordUs(this.e2e, corrected);
      recordUs(this.intervalE2e, corrected);
      recordUs(this.e2eUncorrected, endedAtUs - sentAtUs);
    } else if (outcome === 'timedOut') {
      this.total.timedOut++;
      this.interval.timedOut++;
    } else {
      this.total.errors++;
      this.interval.errors++;
      // an `error` without a code is a submitter that broke its contract: counted, not lost
      const code = errorCode ?? 'CLIENT_ERROR';
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
    }
  }

  /** Closes every full second that has passed. */
  roll(): void {
    const now = this.endUs ?? this.nowUs();
    while (now >= this.measureFromUs + (this.intervalIndex + 1) * 1_000_000) this.closeInterval();
  }

  /** The seconds of the measured window closed so far (each closes when the clock passes its end). */
  closedSeconds(): readonly TimelinePoint[] {
    this.roll();
    return this.timeline;
  }

  snapshot(): RecorderSnapshot {
    this.roll();
    return {
      counts: { ...this.total },
      inFlight: this.inFlight,
      currentRate: this.lastRate,
      p99Ms: this.e2e.totalCount ? this.e2e.getValueAtPercentile(99) / 1000 : 0,
    };
  }

  /** The seconds closed so far (every full second that has passed), oldest first. */
  points(): readonly TimelinePoint[] {
    this.roll();
    return this.timeline;
  }

  /** Ends the measured window at `endUs` (a partial last second is kept). */
  finish(endUs = this.nowUs()): RecorderResult {
    this.roll();
    this.endUs = endUs;
    const hasPartial = Object.values(this.interval).some((n) => n > 0);
    if (hasPartial && endUs > this.measureFromUs + this.intervalIndex * 1_000_000) this.closeInterval();
    return {
      counts: { ...this.total },
      errorsByCode: { ...this.errorsByCode },
      latency: {
        endToEnd: summarize(this.e2e),
        endToEndUncorrected: summarize(this.e2eUncorrected),
        acceptance: summarize(this.acceptance),
      },
      histograms: {
        endToEnd: encodeHistogram(this.e2e),
        endToEndUncorrected: encodeHistogram(this.e2eUncorrected),
        acceptance: encodeHistogram(this.acceptance),
      },
      timeline: this.timeline,
      measuredMs: Math.max(0, (endUs - this.measureFromUs) / 1000),
    };
  }

  private closeInterval(): void {
    this.intervalIndex++;
    const h: Histogram = this.intervalE2e;
    const any = h.totalCount > 0;
    const ms = (us: number): number => Math.round(us) / 1000;
    this.timeline.push({
      t: this.intervalIndex,
      ...this.interval,
      inFlight: Math.max(0, this.inFlight),
      p50: any ? ms(h.getValueAtPercentile(50)) : 0,
      p90: any ? ms(h.getValueAtPercentile(90)) : 0,
      p99: any ? ms(h.getValueAtPercentile(99)) : 0,
      max: any ? ms(h.maxValue) : 0,
      acceptanceP99: this.intervalAcceptance.totalCount ? ms(this.intervalAcceptance.getValueAtPercentile(99)) : 0,
      h: any ? encodeHistogram(h) : '',
    });
    this.lastRate = this.interval.completed + this.interval.failed;
    this.interval = emptyCounts();
    h.reset();
    this.intervalAcceptance.reset();
  }
}
