import type { WarmupSecond } from '../driver/types.js';

/**
 * The warm-up judge: is the run steady enough to start measuring? Pure: the last warm-up
 * seconds in, a verdict and one human line out. Over the last {@link STEADY_WINDOW_S}
 * seconds (fewer when the warm-up has not lasted that long yet):
 *
 * - every second carried (completed + failed) at least 90 % of the warm-up rate, and no
 *   order was dropped, timed out or failed with an error;
 * - p99 has settled: the first and the latest second's p99 are each at most 2 × the
 *   window's lowest + 5 ms (a p99 still falling from the start-up, or climbing at the
 *   end, is not steady; one slow second in between is noise, not a trend);
 * - messaging: the backlog (summed over channels) grew by at most max(10, 20 % of the rate);
 * - when CPU figures are given: the busiest harness process under 90 % of a core and the
 *   machine under 95 % busy.
 */

export const STEADY_WINDOW_S = 3;
/** share of the rate each second must carry */
export const CARRIED_SHARE = 0.9;
/** p99 settled: first and latest ≤ P99_FACTOR × lowest + P99_SLACK_MS */
export const P99_FACTOR = 2;
export const P99_SLACK_MS = 5;
export const PROCESS_CPU_PCT = 90;
export const MACHINE_CPU_PCT = 95;

export type SteadySecond = Pick<WarmupSecond, 't' | 'carried' | 'p99' | 'dropped' | 'timedOut' | 'errors'>;

export interface SteadyInput {
  /** the warm-up's seconds so far, oldest first (only the last few are judged) */
  timeline: readonly SteadySecond[];
  /** the warm-up rate, orders/s; 0 for the closed model (each second then need only carry 90 % of the best) */
  ratePerSec: number;
  /** total backlog sampled in the judged seconds, oldest first (messaging) */
  backlog?: readonly number[];
  /** the judged seconds' highest CPU: the busiest harness process (% of one core) and the machine (% of all cores) */
  cpu?: { busiestPct: number; busiestName?: string; machinePct: number };
}

export interface SteadyVerdict {
  steady: boolean;
  /** one line: what held, or what did not */
  why: string;
}

const fmt = (n: number): string => (Math.abs(n) >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));
const arrows = (values: readonly number[]): string => values.map(fmt).join('→');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function judgeSteady(input: SteadyInput): SteadyVerdict {
  const window = input.timeline.slice(-STEADY_WINDOW_S);
  if (window.length === 0) return { steady: false, why: 'no warm-up second to judge yet' };
  const failures: string[] = [];

  const carried = window.map((s) => s.carried);
  const rate = input.ratePerSec;
  const need = rate > 0 ? CARRIED_SHARE * rate : CARRIED_SHARE * Math.max(...carried);
  if (carried.some((c) => c < need) || carried.every((c) => c === 0)) {
    failures.push(rate > 0 ? `carried ${arrows(carried)} orders/s of ${fmt(rate)}/s` : `carried ${arrows(carried)} orders/s, still climbing`);
  }

  const dropped = sum(window.map((s) => s.dropped));
  const timedOut = sum(window.map((s) => s.timedOut));
  const errors = sum(window.map((s) => s.errors));
  const lost = [dropped ? `${dropped} dropped` : '', timedOut ? `${timedOut} timed out` : '', errors ? plural(errors, 'error') : ''].filter(Boolean);
  if (lost.length > 0) failures.push(lost.join(', '));

  const p99 = window.map((s) => s.p99);
  const low = Math.min(...p99);
  const high = Math.max(...p99);
  const settledBelow = P99_FACTOR * low + P99_SLACK_MS;
  if (p99[0]! > settledBelow) failures.push(`p99 still falling ${arrows(p99)} ms`);
  else if (p99.at(-1)! > settledBelow) failures.push(`p99 climbing ${arrows(p99)} ms`);

  const backlog = input.backlog ?? [];
  const allowed = Math.max(10, 0.2 * (rate > 0 ? rate : Math.max(...carried)));
  if (backlog.length >= 2 && backlog.at(-1)! - backlog[0]! > allowed) failures.push(`backlog grew ${arrows([backlog[0]!, backlog.at(-1)!])}`);

  const cpu = input.cpu;
  if (cpu && cpu.busiestPct >= PROCESS_CPU_PCT) failures.push(`${cpu.busiestName ?? 'a harness process'} at ${Math.round(cpu.busiestPct)} % of a core`);
  if (cpu && cpu.machinePct >= MACHINE_CPU_PCT) failures.push(`machine ${Math.round(cpu.machinePct)} % busy`);

  if (failures.length > 0) return { steady: false, why: failures.join('; ') };
  const parts = [
    `carried ${fmt(Math.min(...carried))}${rate > 0 ? ` of ${fmt(rate)}` : ''} orders/s or more`,
    `p99 ${low === high ? fmt(low) : `${fmt(low)}–${fmt(high)}`} ms`,
    ...(backlog.length >= 2 ? [`backlog ${arrows([backlog[0]!, backlog.at(-1)!])}`] : []),
    ...(cpu ? [`busiest process ${Math.round(cpu.busiestPct)} %, machine ${Math.round(cpu.machinePct)} %`] : []),
  ];
  return { steady: true, why: `${parts.join(', ')} over the last ${plural(window.length, 'second')}` };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
