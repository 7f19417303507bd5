import type { Workload } from '../../scenario/schema.js';
import type { ControlledSchedule, ControlSecond } from '../types.js';

/** How the search ended: the knee bracketed within `precision`, the rate cap passed, or time ran out. */
export type KneeEnd = 'narrowed' | 'max-rate' | 'max-duration' | 'min-rate';

/** Seconds of the measured window, both ends included (1 = its first second). */
export interface SecondSpan {
  fromS: number;
  toS: number;
}

export interface KneeStep extends SecondSpan {
  /** orders/s offered */
  rate: number;
  ok: boolean;
  /** `held` for a step that passed; what broke it otherwise (`p99 312 ms > 250 ms`) */
  why: string;
}

export interface KneeResult {
  /** a rate passed and a higher one failed: the knee lies between them */
  reached: boolean;
  /** the highest rate whose step passed, orders/s (0 when none did) */
  perSec: number;
  /** the lowest rate whose step failed, orders/s */
  failedPerSec?: number;
  /** judged seconds of the step at `perSec` */
  proof?: SecondSpan;
  /** the two consecutive breaching seconds of the step at `failedPerSec` */
  breach?: SecondSpan;
  ended: KneeEnd;
  steps: KneeStep[];
}

export interface KneeSettings {
  /** orders/s of the first step */
  startRate: number;
  /** length of one step, ms */
  step: number;
  /** first part of each step that is not judged, ms */
  settle: number;
  /** a step that passed is followed by one at `factor` × its rate (until the first failure) */
  factor: number;
  /** the search ends once failed ≤ good × (1 + precision) */
  precision: number;
  /** the highest rate tried, orders/s */
  maxRate: number;
  /** the longest the search may run, ms (measured window) */
  maxDuration: number;
  /** end-to-end p99 a judged second must stay under, ms */
  sloP99Ms: number;
  /** warm-up before the measured window, ms (at the first step's rate) */
  warmup: number;
}

/** Longest recovery at half the good rate after a failed step, seconds. */
const RECOVERY_S = 3;
/** A second breaches when it carried less than this share of the rate. */
const CARRIED_SHARE = 0.9;
/** Below this rate the search stops descending: the system fails at almost nothing. */
const MIN_RATE = 1;

/**
 * Finds the highest arrival rate a system sustains (OpenMessaging Benchmark's rate
 * controller is the model, with a judged verdict per step): steps of `step` at one rate
 * each, the first `settle` of each not judged. A judged second breaches when it has
 * drops, time-outs or errors, p99 above the SLO, carried less than 90 % of the rate, or
 * in-flight orders grew by more than max(10, 0.2 × rate) during it; two breaching
 * seconds in a row fail the step at once. After a pass the rate grows by `factor` until
 * the first failure, then the search bisects (geometric mean of the good and the bad
 * rate). After a failure it runs at half the good rate (before any step held: half of
 * what the failed step carried) until a clean second (3 s at most), so the failed step's
 * backlog does not spill into the next one. The first rate that fails runs once more
 * before it counts (a passing stall must not cap the whole search). A first step that
 * fails twice is followed by one at its rate / `factor`, and so on down to 1 order/s.
 * Pure: driven by
 * `observe`, no clock of its own.
 */
export class KneeSearch implements ControlledSchedule {
  readonly kind = 'controlled' as const;
  readonly lengthUs: number;
  private readonly s: KneeSettings;
  private readonly stepS: number;
  private readonly settleS: number;
  private readonly maxS: number;
  private readonly steps: KneeStep[] = [];
  private current: number;
  private phase: 'step' | 'recover' | 'done' = 'step';
  /** the last second before the current step (or recovery) began */
  private sinceS = 0;
  private breaching = 0;
  private prevInFlight = 0;
  private good: { rate: number; proof: SecondSpan } | undefined;
  private bad: { rate: number; breach: SecondSpan } | undefined;
  private ended: KneeEnd | undefined;
  private carriedAtFailure = 0;
  /** the current step runs the first failed rate again */
  private retrying = false;

  constructor(settings: KneeSettings) {
    this.s = settings;
    this.stepS = Math.max(2, Math.ceil(settings.step / 1000));
    this.settleS = Math.min(this.stepS - 1, Math.ceil(settings.settle / 1000));
    this.maxS = Math.ceil(settings.maxDuration / 1000);
    this.lengthUs = (settings.warmup + this.maxS * 1000) * 1000;
    this.current = roundRate(Math.min(settings.startRate, settings.maxRate));
  }

  rate(): number {
    // with no good rate yet, what the failed step still carried is the best guess of the capacity
    return this.phase === 'recover' ? roundRate(Math.max(MIN_RATE, (this.good?.rate ?? this.carriedAtFailure) / 2)) : this.current;
  }

  done(): boolean {
    return this.phase === 'done';
  }

  observe(second: ControlSecond): void {
    const growth = second.inFlight - this.prevInFlight;
    this.prevInFlight = second.inFlight;
    if (this.phase === 'done') return;
    const t = second.t;
    if (this.phase === 'recover') {
      if (this.clean(second) || t - this.sinceS >= RECOVERY_S) this.startStep(t);
    } else {
      const k = t - this.sinceS;
      if (k > this.settleS) {
        const why = this.breachOf(second, growth);
        this.breaching = why ? this.breaching + 1 : 0;
        if (why && this.breaching >= 2) this.fail(t, why, second.carried);
        else if (k >= this.stepS) this.pass(t);
      }
    }
    if (!this.done() && t >= this.maxS) this.end('max-duration');
  }

  result(): KneeResult {
    return {
      reached: this.good !== undefined && this.bad !== undefined,
      perSec: this.good?.rate ?? 0,
      ...(this.bad ? { failedPerSec: this.bad.rate, breach: this.bad.breach } : {}),
      ...(this.good ? { proof: this.good.proof } : {}),
      ended: this.ended ?? 'max-duration',
      steps: this.steps.map((st) => ({ ...st })),
    };
  }

  /** Why a judged second breaches at the current rate, or '' when it holds. */
  private breachOf(p: ControlSecond, growth: number): string {
    const rate = this.current;
    const bits: string[] = [];
    if (p.dropped) bits.push(`${p.dropped} dropped`);
    if (p.timedOut) bits.push(`${p.timedOut} timed out`);
    if (p.errors) bits.push(`${p.errors} errors`);
    if (p.p99 > this.s.sloP99Ms) bits.push(`p99 ${Math.round(p.p99)} ms > ${this.s.sloP99Ms} ms`);
    if (p.carried < CARRIED_SHARE * rate) bits.push(`carried ${p.carried} of ${rate}/s`);
    if (growth > Math.max(10, 0.2 * rate)) bits.push(`in flight +${growth}`);
    return bits.join(', ');
  }

  /** Recovered: nothing lost or late, and no more in flight than the SLO allows at the recovery rate (Little's law). */
  private clean(p: ControlSecond): boolean {
    const rate = this.rate();
    return p.dropped === 0 && p.timedOut === 0 && p.errors === 0 && p.p99 <= this.s.sloP99Ms && p.inFlight <= Math.max(10, (rate * this.s.sloP99Ms) / 1000);
  }

  private pass(t: number): void {
    this.retrying = false;
    const proof = { fromS: this.sinceS + this.settleS + 1, toS: t };
    this.steps.push({ rate: this.current, ok: true, why: 'held', fromS: this.sinceS + 1, toS: t });
    if (!this.good || this.current > this.good.rate) this.good = { rate: this.current, proof };
    const good = this.good.rate;
    if (this.bad) {
      if (this.narrowed()) return this.end('narrowed');
      this.current = roundRate(Math.sqrt(good * this.bad.rate));
    } else {
      if (good >= this.s.maxRate) return this.end('max-rate');
      this.current = roundRate(Math.min(good * this.s.factor, this.s.maxRate));
    }
    this.startStep(t);
  }

  private fail(t: number, why: string, carried: number): void {
    this.carriedAtFailure = carried;
    this.steps.push({ rate: this.current, ok: false, why, fromS: this.sinceS + 1, toS: t });
    // the first failure caps the rest of the search: a passing stall (another process, a
    // collection) must not, so that rate runs once more before it counts
    if (!this.bad && !this.retrying) {
      this.retrying = true;
      return this.recover(t);
    }
    this.retrying = false;
    if (!this.bad || this.current < this.bad.rate) this.bad = { rate: this.current, breach: { fromS: t - 1, toS: t } };
    const bad = this.bad.rate;
    if (this.good) {
      if (this.narrowed()) return this.end('narrowed');
      this.current = roundRate(Math.sqrt(this.good.rate * bad));
    } else {
      if (bad <= MIN_RATE) return this.end('min-rate');
      this.current = roundRate(Math.max(MIN_RATE, bad / this.s.factor));
    }
    this.recover(t);
  }

  private recover(t: number): void {
    this.phase = 'recover';
    this.sinceS = t;
    this.breaching = 0;
  }

  private narrowed(): boolean {
    return this.good !== undefined && this.bad !== undefined && this.bad.rate <= this.good.rate * (1 + this.s.precision);
  }

  /** The next step begins after second `t`, unless it could not finish before the time runs out. */
  private startStep(t: number): void {
    this.breaching = 0;
    this.sinceS = t;
    this.phase = 'step';
    if (t + this.stepS > this.maxS) this.end('max-duration');
  }

  private end(why: KneeEnd): void {
    this.phase = 'done';
    this.ended = why;
  }
}

/** Rates read well: a tenth below 100/s, whole orders above. */
function roundRate(r: number): number {
  return r >= 100 ? Math.round(r) : Math.round(r * 10) / 10;
}

/** The knee search a scenario's workload asks for. */
export function findKnee(w: Pick<Workload, 'startRate' | 'knee' | 'warmup'>, sloP99Ms: number): KneeSearch {
  return new KneeSearch({ startRate: w.startRate, ...w.knee, sloP99Ms, warmup: w.warmup });
}
