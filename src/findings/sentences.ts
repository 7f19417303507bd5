import type { Result, TransportResult } from '../result/schema.js';
import { rankResult, type Ranking } from './rank.js';
import { displayName, listOf, num, plural, rangeOf } from './words.js';

/**
 * "What this run shows": a few plain sentences generated from a result, never written
 * per scenario. Warnings that make the figures less trustworthy come first; then what
 * the run found, most telling first. Every sentence carries its figure and names the
 * chart or table (an element id of the HTML report) that proves it.
 */

export interface Sentence {
  kind: 'warning' | 'finding';
  text: string;
  /** id of the report element that backs it (`chart-latency-p99`, `verdict`, ...) */
  anchor: string;
}

const MAX_SENTENCES = 6;
const MAX_WARNINGS = 3;

const ranked = (t: TransportResult): boolean => t.status === 'completed';
const dn = (t: TransportResult): string => displayName(t.label ?? t.name);

function fig(t: TransportResult, key: string): number | undefined {
  const v = t.figures[key];
  return typeof v === 'number' ? v : undefined;
}

function executorOf(result: Result): unknown {
  const w = result.scenario.resolved['workload'];
  return typeof w === 'object' && w !== null ? (w as Record<string, unknown>)['executor'] : undefined;
}

/** A ramp or a knee search: the load climbs until latency turns upward. */
function isRamping(result: Result): boolean {
  const e = executorOf(result);
  return e === 'ramping-arrival-rate' || e === 'find-knee';
}

// ---------------------------------------------------------------- warnings

/** Per warning code: a title, and what it means for the figures (no subject, so it reads for one transport or several). */
const WARNING_WORDS: Record<string, [string, string]> = {
  NOT_STEADY: ['Not steady', 'the warm-up never settled, so the figures include start-up effects'],
  PROCESS_CPU_BOUND: ['CPU-bound', 'a process ran out of CPU, so those seconds measure that process rather than the transport'],
  MACHINE_SATURATED: ['Machine saturated', 'every core was busy, so latencies include waiting for a CPU'],
  CPU_STEAL: ['CPU steal', 'the hypervisor took CPU time away, which inflates latencies'],
  HARNESS_OVERHEAD: ['Harness-bound', 'the harness itself was the limit, so the figures measure the harness, not the transport'],
};
const DRIVER_BOUND: [string, string] = ['Harness-bound', 'the load driver ran out of CPU, so the figures measure the harness, not the transport'];

function warningSentences(result: Result): Sentence[] {
  const out: Sentence[] = [];
  const resourcesAnchor = result.transports.some((t) => t.resources) ? 'cpu' : 'verdict';
  // one sentence per reason, naming every transport it stopped (log paths differ per transport: left out)
  const stopped = new Map<string, TransportResult[]>();
  for (const t of result.transports) {
    if (t.status === 'completed') continue;
    const why = `${t.status}${t.statusDetail ? `: ${t.statusDetail.replace(/\s*\(log: [^)]*\)/g, '')}` : ''}`;
    stopped.set(why, [...(stopped.get(why) ?? []), t]);
  }
  for (const [why, list] of stopped) {
    const one = list.length === 1;
    out.push({ kind: 'warning', text: `${listOf(list.map(dn))} did not complete (${why}); ${one ? 'its' : 'their'} figures cover only what was measured before ${one ? 'it' : 'they'} stopped.`, anchor: 'verdict' });
  }
  // one sentence per warning code, naming every transport it concerns
  const byCode = new Map<string, Array<{ t: TransportResult; message: string; process?: string }>>();
  for (const t of result.transports) {
    for (const w of t.warnings) {
      if (w.code === 'KNEE_NOT_REACHED') continue;
      const list = byCode.get(w.code) ?? [];
      list.push({ t, message: w.message, ...(w.process ? { process: w.process } : {}) });
      byCode.set(w.code, list);
    }
    if (t.steady && !t.steady.reached && !t.warnings.some((w) => w.code === 'NOT_STEADY')) {
      const list = byCode.get('NOT_STEADY') ?? [];
      list.push({ t, message: t.steady.detail });
      byCode.set('NOT_STEADY', list);
    }
  }
  for (const [code, list] of byCode) {
    const who = listOf([...new Set(list.map((x) => dn(x.t)))]);
    const [title, meaning] = code === 'PROCESS_CPU_BOUND' && list.some((x) => x.process === 'driver') ? DRIVER_BOUND : (WARNING_WORDS[code] ?? [code, 'the harness flagged these figures']);
    out.push({ kind: 'warning', text: `${title} (${who}): ${meaning}. ${list[0]!.message.replace(/\.?$/, '.')}`, anchor: code === 'NOT_STEADY' ? 'verdict' : resourcesAnchor });
  }
  const knee = kneeSentence(result);
  if (knee) out.push(knee);
  const overload = overloadSentence(result);
  if (overload) out.push(overload);
  return out;
}

/**
 * Every transport finished less than half of what was offered: when all of them fail
 * together, the common part (the machine, the driver) is the likelier limit.
 */
function overloadSentence(result: Result): Sentence | null {
  const ts = result.transports.filter((t) => ranked(t) && t.throughput.targetPerSec > 0);
  if (ts.length === 0 || !ts.every((t) => t.throughput.completedPerSec < 0.5 * t.throughput.targetPerSec)) return null;
  const done = ts.map((t) => t.throughput.completedPerSec);
  const anchor = result.transports.some((t) => t.resources) ? 'cpu' : 'chart-throughput';
  return {
    kind: 'warning',
    text: `Overloaded: ${ts.length > 1 ? 'every transport' : dn(ts[0]!)} finished less than half of the orders offered (${rangeOf(done, '')} of ${rangeOf(ts.map((t) => t.throughput.targetPerSec), 'orders/s')} on average), so the limit may be the machine or the load driver rather than the transports; check where the CPU went and rerun on a quieter machine or at a lower rate.`,
    anchor,
  };
}

const kneeMissed = (t: TransportResult): boolean => t.figures['kneeReached'] === false || t.warnings.some((w) => w.code === 'KNEE_NOT_REACHED');

function kneeSentence(result: Result): Sentence | null {
  const ts = result.transports.filter(ranked);
  const notReached = ts.filter(kneeMissed);
  if (notReached.length === 0) return null;
  const search = executorOf(result) === 'find-knee';
  const peak = search ? Math.max(0, ...notReached.map((t) => fig(t, 'kneePerSec') ?? 0)) : peakTarget(result);
  const upTo = peak ? ` up to ${num(peak)} orders/s` : '';
  const rerun = search ? 'rerun with a higher knee.maxRate or knee.maxDuration' : 'rerun with a higher ramp';
  if (notReached.length === ts.length) {
    return { kind: 'warning', text: `No transport reached its knee: latency stayed acceptable all the way${upTo}, so this run cannot say which one saturates first; ${rerun}.`, anchor: 'chart-ramp' };
  }
  return { kind: 'warning', text: `${listOf(notReached.map(dn))} did not reach ${notReached.length > 1 ? 'their knees' : 'its knee'}${upTo}: ${notReached.length > 1 ? 'their' : 'its'} sustainable throughput is a lower bound; ${rerun}.`, anchor: 'chart-ramp' };
}

function peakTarget(result: Result): number | null {
  const w = result.scenario.resolved['workload'] as Record<string, unknown> | undefined;
  const stages = w?.['stages'];
  if (Array.isArray(stages) && stages.length) return Math.max(...stages.map((s) => Number((s as Record<string, unknown>)['target']) || 0));
  return null;
}

// ---------------------------------------------------------------- findings

/** what a fault did to its target, after "While <target>" */
const FAULT_VERB: Record<string, string> = {
  kill: 'was down',
  pause: 'was paused',
  delay: 'was slowed',
  latency: 'was slowed',
  bandwidth: 'was throttled',
  reset: 'had its connections reset',
  blackhole: 'was cut off',
};

/** "payment", "the RabbitMQ broker", "the network", "payment's network" */
function faultSubject(f: TransportResult['faults'][number]): string {
  if (f.target === 'broker') return f.broker ? `the ${displayName(f.broker)} broker` : 'the broker';
  if (f.target !== 'network') return f.target;
  const party = /^(\w+):/.exec(f.detail ?? '')?.[1];
  return party && party !== 'all' ? `${party}'s network` : 'the network';
}

function faultSentence(result: Result): Sentence | null {
  const ts = result.transports.filter((t) => ranked(t) && t.faults.length > 0);
  if (ts.length === 0) return null;
  const f = ts[0]!.faults[0]!;
  const lengthS = f.endS !== undefined ? f.endS - f.startS : undefined;
  const forS = lengthS !== undefined ? ` for ${num(Math.round(lengthS * 10) / 10)} s` : '';
  const what = `${faultSubject(f)} ${FAULT_VERB[f.action] ?? 'was slowed'}${forS}`;
  const rate = (t: TransportResult): number => fig(t, 'errorRateInFaultWindowPct') ?? 0;
  const failing = ts.filter((t) => rate(t) >= 1);
  const fine = ts.filter((t) => rate(t) < 1);
  const parts: string[] = [];
  if (failing.length) {
    // errors of orders placed before the fault also land in its window: above 100 % a share means nothing, the count does
    const what = (t: TransportResult): string =>
      rate(t) <= 100
        ? `${dn(t)} failed ${num(rate(t))} % of the orders placed meanwhile`
        : `${dn(t)} answered ${plural(fig(t, 'errorsInFaultWindow') ?? 0, 'error')} and time-outs, more than the orders placed meanwhile (earlier orders failed too)`;
    parts.push(failing.map(what).join(', '));
  }
  if (fine.length) {
    const drains = fine.map((t) => fig(t, 'restartToBacklogDrainedS')).filter((x): x is number => x !== undefined);
    const drained = drains.length === fine.length && drains.length > 0 ? ` and drained ${fine.length > 1 ? 'their' : 'its'} backlog ${rangeOf(drains, 's')} after the restart` : '';
    parts.push(`${listOf(fine.map(dn))} failed none${drained}`);
  }
  return { kind: 'finding', text: `While ${what}, ${parts.join('; ')}.`, anchor: 'chart-throughput' };
}

function correctnessSentence(result: Result): Sentence | null {
  const ts = result.transports.filter((t) => t.check);
  if (ts.length === 0) return null;
  const problems: string[] = [];
  for (const t of ts) {
    const c = t.check!;
    const bits: string[] = [];
    if (c.lost) bits.push(`lost ${plural(c.lost, 'order')}`);
    if (c.stuck) bits.push(`left ${plural(c.stuck, 'order')} unfinished`);
    if (c.duplicates) bits.push(`delivered ${plural(c.duplicates, 'duplicate')}${c.duplicateEffects === 0 ? ' (no effect applied twice)' : ''}`);
    if (c.duplicateEffects) bits.push(`applied ${plural(c.duplicateEffects, 'side effect')} twice`);
    if (c.reordered) bits.push(`handled ${c.reordered === 1 ? "1 order's" : `${num(c.reordered)} orders'`} events out of order`);
    if (c.invalidTransitions || c.compensationErrors) bits.push(`had ${plural(c.invalidTransitions + c.compensationErrors, 'invalid step')}`);
    if (bits.length) problems.push(`${dn(t)} ${listOf(bits)}`);
  }
  const clean = ts.filter((t) => {
    const c = t.check!;
    return !c.lost && !c.stuck && !c.duplicates && !c.duplicateEffects && !c.reordered && !c.invalidTransitions && !c.compensationErrors;
  });
  const orders = ts.reduce((n, t) => n + t.counts.accepted, 0);
  if (problems.length === 0) {
    return { kind: 'finding', text: `Nothing was lost, duplicated or reordered on ${ts.length > 1 ? 'any transport' : dn(ts[0]!)}: the checker followed every accepted order's events (${num(orders)} orders).`, anchor: 'verdict' };
  }
  const rest = clean.length ? `; ${listOf(clean.map(dn))} had none of these` : '';
  return { kind: 'finding', text: `The checker found ${problems.join('; ')}${rest}.`, anchor: 'verdict' };
}

/** A sentence on the row's ranking: one best beyond noise, a tie, or everyone equal. */
function latencySentence(result: Result, ranking: Ranking): Sentence | null {
  const row = ranking.rows.get('e2e_p99_ms');
  const ts = result.transports;
  const values = ts.map((t) => (ranked(t) && t.latency.endToEnd.count > 0 ? t.latency.endToEnd.p99 : null));
  const present = values.flatMap((v, i) => (v === null ? [] : [i]));
  if (present.length === 0) return null;
  const scope = isRamping(result) ? ' over the whole ramp' : '';
  const anchor = 'chart-latency-p99';
  if (present.length === 1) {
    const t = ts[present[0]!]!;
    return { kind: 'finding', text: `${dn(t)}'s end-to-end latency${scope} was ${num(t.latency.endToEnd.p50)} ms at the median and ${num(t.latency.endToEnd.p99)} ms at p99.`, anchor };
  }
  if (!row) return null;
  const ms = (i: number): number => values[i]!;
  if (row.best.length === 1) {
    const b = row.best[0]!;
    const others = present.filter((i) => i !== b);
    return {
      kind: 'finding',
      text: `${dn(ts[b]!)} had the lowest end-to-end p99${scope}: ${num(ms(b))} ms against ${rangeOf(others.map(ms), 'ms')} for ${listOf(others.map((i) => dn(ts[i]!)))} (beyond noise).`,
      anchor,
    };
  }
  if (row.tiedBest.length > 0) {
    const tied = row.tiedBest;
    const others = present.filter((i) => !tied.includes(i));
    const slower = others.length ? `; ${listOf(others.map((i) => dn(ts[i]!)))} ${others.length > 1 ? 'were' : 'was'} slower than ${dn(ts[tied[0]!]!)} beyond noise (${rangeOf(others.map(ms), 'ms')})` : '';
    const who = tied.length === present.length ? 'All transports' : listOf(tied.map((i) => dn(ts[i]!)));
    const lo = Math.min(...tied.map(ms));
    const hi = Math.max(...tied.map(ms));
    // far apart yet within noise: the tail sits in a few seconds, and resampling them moves it a lot
    if (hi > 10 * lo) {
      return { kind: 'finding', text: `${who}: end-to-end p99s of ${listOf(tied.map((i) => `${num(ms(i))} ms`))}${scope} cannot be ranked — the slowest orders came in a few seconds (a fault or a stall), so which seconds are counted decides the p99; compare the latency chart second by second${slower}.`, anchor };
    }
    if (hi > 1.25 * lo) {
      return { kind: 'finding', text: `${who}: end-to-end p99s of ${listOf(tied.map((i) => `${num(ms(i))} ms`))}${scope} look different but are not beyond noise — the slowest orders came in a few seconds${slower}.`, anchor };
    }
    return { kind: 'finding', text: `${who} had the same end-to-end p99 within noise${scope} (${rangeOf(tied.map(ms), 'ms')})${slower}.`, anchor };
  }
  if (row.note === 'all equal') return { kind: 'finding', text: `All transports had the same end-to-end p99${scope}: ${num(ms(present[0]!))} ms.`, anchor };
  return null;
}

/** `REST 180/s`, `Kafka knee 420/s (failed at 460/s)`, or a lower bound `RabbitMQ ≥ 400/s (knee not reached)`. */
function sustainableText(t: TransportResult): string {
  const perSec = fig(t, 'sustainablePerSec')!;
  if (kneeMissed(t)) return `${dn(t)} ≥ ${num(perSec)}/s (knee not reached)`;
  const failed = fig(t, 'kneeFailedPerSec');
  if (failed !== undefined) return `${dn(t)} knee ${num(perSec)}/s (failed at ${num(failed)}/s)`;
  return `${dn(t)} ${num(perSec)}/s`;
}

function throughputSentence(result: Result): Sentence | null {
  const ts = result.transports.filter(ranked);
  if (ts.length === 0) return null;
  if (isRamping(result)) {
    const with_ = ts.filter((t) => fig(t, 'sustainablePerSec') !== undefined);
    if (with_.length === 0) return null;
    const slo = (result.scenario.resolved['slo'] as Record<string, unknown> | undefined)?.['endToEndP99'];
    const sloText = typeof slo === 'number' ? `p99 under ${num(slo)} ms` : 'p99 within the SLO';
    const sorted = [...with_].sort((a, b) => fig(b, 'sustainablePerSec')! - fig(a, 'sustainablePerSec')!);
    return {
      kind: 'finding',
      text: `Sustainable throughput (${sloText}, nothing dropped): ${sorted.map(sustainableText).join(', ')}.`,
      anchor: 'chart-ramp',
    };
  }
  const behind = ts.filter((t) => t.throughput.targetPerSec > 0 && (t.throughput.completedPerSec < 0.95 * t.throughput.targetPerSec || t.counts.dropped > 0));
  if (behind.length === 0) {
    const targets = ts.map((t) => t.throughput.targetPerSec).filter((x) => x > 0);
    if (targets.length === 0) return null;
    return {
      kind: 'finding',
      text: `${ts.length > 1 ? 'Every transport' : dn(ts[0]!)} kept up with the target of ${rangeOf(targets, 'orders/s')} (${rangeOf(ts.map((t) => t.throughput.completedPerSec), '')} finished per second, nothing dropped).`,
      anchor: 'chart-throughput',
    };
  }
  const parts = behind.map((t) => `${dn(t)} finished ${num(t.throughput.completedPerSec)} of ${num(t.throughput.targetPerSec)} orders/s${t.counts.dropped ? ` and dropped ${plural(t.counts.dropped, 'order')}` : ''}`);
  return { kind: 'finding', text: `Not every transport kept up: ${parts.join('; ')}.`, anchor: 'chart-throughput' };
}

function acceptanceSentence(result: Result): Sentence | null {
  const ts = result.transports.filter((t) => ranked(t) && t.latency.acceptance.count > 0 && t.latency.endToEnd.count > 0);
  const early = ts.filter((t) => t.latency.acceptance.p50 < 0.5 * t.latency.endToEnd.p50);
  if (early.length === 0) return null;
  const acc = early.map((t) => t.latency.acceptance.p50);
  const e2e = early.map((t) => t.latency.endToEnd.p50);
  // REST's answer is the outcome: its acceptance and end-to-end latencies coincide
  const sync = ts.filter((t) => !early.includes(t) && t.latency.acceptance.p50 >= 0.99 * t.latency.endToEnd.p50);
  const syncText = sync.length ? `; ${listOf(sync.map(dn))} answered only once the order was finished (${rangeOf(sync.map((t) => t.latency.endToEnd.p50), 'ms')})` : '';
  return {
    kind: 'finding',
    text: `${listOf(early.map(dn))} answered the client before the work was done: orders were accepted in ${rangeOf(acc, 'ms')} and finished in ${rangeOf(e2e, 'ms')} (medians)${syncText}.`,
    anchor: 'verdict',
  };
}

/** The sentences of "What this run shows", warnings first; 3–6 when the result has that much to say. */
export function runSentences(result: Result): Sentence[] {
  const ranking = rankResult(result);
  const warnings = warningSentences(result).slice(0, MAX_WARNINGS);
  const findings = [faultSentence(result), latencySentence(result, ranking), throughputSentence(result), correctnessSentence(result), acceptanceSentence(result)].filter(
    (s): s is Sentence => s !== null,
  );
  return [...warnings, ...findings].slice(0, MAX_SENTENCES);
}
