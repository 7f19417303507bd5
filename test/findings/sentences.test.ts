import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/gate/compare.js';
import { compareSentences } from '../../src/findings/compare-sentences.js';
import { rankResult } from '../../src/findings/rank.js';
import { runSentences } from '../../src/findings/sentences.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { syntheticResult } from '../fixtures/synthetic-result.js';

/** Sentence generation and stars on synthetic results whose answers are known by construction. */

const ALL = ['rest', 'kafka', 'rabbitmq', 'activemq'];
const texts = (r: Parameters<typeof runSentences>[0]): string[] => runSentences(r).map((s) => s.text);

describe('a clear winner', () => {
  // REST's profile is 9 ms per order against 13–24 ms for the brokers
  const r = syntheticResult({ transports: ALL, seconds: 40, cleanCheck: true });

  it('names it, with its figure and the others’ range, and says it is beyond noise', () => {
    const s = runSentences(r).find((x) => x.anchor === 'chart-latency-p99')!;
    expect(s.text).toMatch(/^REST had the lowest end-to-end p99: [\d.]+ ms against [\d.]+–[\d.]+ ms for Kafka, RabbitMQ and ActiveMQ \(beyond noise\)\.$/);
  });

  it('stars it in the verdict rows where the bootstrap interval excludes no change', () => {
    const rows = rankResult(r).rows;
    for (const key of ['e2e_p50_ms', 'e2e_p99_ms']) {
      expect(rows.get(key)!.best, key).toEqual([0]);
      const change = rows.get(key)!.change!;
      expect(change.highPct).toBeLessThan(0);
    }
    expect(renderHtml(r)).toMatch(/<td class="best" title="best, beyond noise">/);
  });

  it('stars the only transport with no lost orders (exact counts), and nobody when all have some', () => {
    const withLoss = syntheticResult({ transports: ['rabbitmq', 'activemq'], seconds: 10 });
    expect(rankResult(withLoss).rows.get('lost')!.best).toEqual([0]);
    withLoss.transports[0]!.check!.lost = 2;
    const again = { ...withLoss };
    expect(rankResult(again).rows.get('lost')!.best).toEqual([]);
  });
});

describe('a tie within noise', () => {
  // two transports with the same profile, different random draws: any difference is noise
  const r = syntheticResult({ transports: ['rabbitmq', 'rabbitmq-copy'], seconds: 40, cleanCheck: true });

  it('says "same within noise" and stars nothing, even where the point values differ', () => {
    const ranking = rankResult(r);
    const differing = ['e2e_p50_ms', 'e2e_p90_ms', 'e2e_p99_ms'].filter((k) => {
      const [a, b] = r.transports.map((t) => ranking.rows.get(k) && t.latency.endToEnd[k.split('_')[1] as 'p50']);
      return a !== b;
    });
    expect(differing.length).toBeGreaterThan(0);
    for (const [key, row] of ranking.rows) {
      expect(row.best, key).toEqual([]);
    }
    for (const key of differing) expect(ranking.rows.get(key)!.note).toContain('same within noise');
    expect(renderHtml(r)).not.toContain('class="best"');
    expect(texts(r).join(' ')).toMatch(/All transports had the same end-to-end p99 within noise/);
  });
});

describe('tails tied within noise but far apart', () => {
  it('says they cannot be ranked rather than calling them the same', () => {
    // the ranking (per-second bootstrap) ties them; the whole-run p99s differ 20×, as when
    // one transport's slowest orders all sat in a fault window of a few seconds
    const r = syntheticResult({ transports: ['rabbitmq', 'rabbitmq-copy'], seconds: 40, cleanCheck: true });
    expect(rankResult(r).rows.get('e2e_p99_ms')!.tiedBest).toHaveLength(2);
    r.transports[1]!.latency.endToEnd.p99 = r.transports[0]!.latency.endToEnd.p99 * 20;
    const s = runSentences(r).find((x) => x.anchor === 'chart-latency-p99')!;
    expect(s.text).toMatch(/^All transports: end-to-end p99s of [\d.,]+ ms and [\d.,]+ ms cannot be ranked — the slowest orders came in a few seconds/);
    expect(s.text).not.toMatch(/same end-to-end p99/);
  });
});

describe('a fault where REST fails and messaging does not', () => {
  const r = syntheticResult({ transports: ALL, seconds: 40, faults: true, cleanCheck: true });

  it('leads the findings with what each style did during the fault, with figures', () => {
    const first = runSentences(r)[0]!;
    expect(first.kind).toBe('finding');
    expect(first.anchor).toBe('chart-throughput');
    expect(first.text).toMatch(/^While payment was down for \d+ s, REST failed 86 % of the orders placed meanwhile; Kafka, RabbitMQ and ActiveMQ failed none and drained their backlog [\d–]+ s after the restart\.$/);
  });

  it('names what a network or broker fault did to whom', () => {
    const r2 = syntheticResult({ transports: ALL, seconds: 40, faults: true, cleanCheck: true });
    for (const t of r2.transports) Object.assign(t.faults[0]!, { action: 'blackhole', target: 'network', detail: 'payment: blackhole (nothing answers) on order→payment-0' });
    expect(runSentences(r2)[0]!.text).toMatch(/^While payment's network was cut off for \d+ s, /);
    for (const t of r2.transports) Object.assign(t.faults[0]!, { action: 'kill', target: 'broker', broker: 'rabbitmq', detail: 'SIGKILL rabbitmq' });
    expect(runSentences(r2)[0]!.text).toMatch(/^While the RabbitMQ broker was down for \d+ s, /);
  });

  it('says nothing was lost when the checker found nothing', () => {
    expect(texts(r)).toContainEqual(expect.stringMatching(/^Nothing was lost, duplicated or reordered on any transport/));
  });
});

describe('warnings come first', () => {
  const r = syntheticResult({
    transports: ['rest', 'kafka'],
    seconds: 40,
    ramping: true,
    kneeReached: false,
    warnings: {
      kafka: [{ code: 'NOT_STEADY', message: 'p99 still falling at the end of the 10 s warm-up' }],
      rest: [{ code: 'PROCESS_CPU_BOUND', process: 'driver', message: 'driver at 97 % of a core in seconds 12–30', seconds: [12, 13] }],
    },
  });
  const s = runSentences(r);

  it('knee not reached, not steady and harness-bound are warnings, before any finding', () => {
    const kinds = s.map((x) => x.kind);
    expect(kinds.slice(0, 3)).toEqual(['warning', 'warning', 'warning']);
    expect(kinds.indexOf('finding')).toBeGreaterThan(kinds.lastIndexOf('warning'));
    const all = s.map((x) => x.text).join('\n');
    expect(all).toMatch(/^Harness-bound \(REST\): the load driver ran out of CPU/m);
    expect(all).toMatch(/^Not steady \(Kafka\):/m);
    expect(all).toMatch(/^No transport reached its knee: .* up to 400 orders\/s.* rerun with a higher ramp\.$/m);
    expect(s.find((x) => x.text.startsWith('No transport'))!.anchor).toBe('chart-ramp');
  });

  it('stays between 3 and 6 sentences', () => {
    expect(s.length).toBeGreaterThanOrEqual(3);
    expect(s.length).toBeLessThanOrEqual(6);
  });

  it('lead summary.md and the HTML report, before the verdict', () => {
    const md = renderMarkdown(r);
    expect(md.indexOf('What this run shows')).toBeLessThan(md.indexOf('| transport |'));
    expect(md).toContain('⚠️ Harness-bound (REST)');
    const html = renderHtml(r);
    expect(html.indexOf('id="findings"')).toBeLessThan(html.indexOf('id="verdict"'));
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="settings"'));
    expect(html).toMatch(/<details class="settings">/);
    expect(html).toContain('href="#chart-ramp"');
  });
});

describe('an overloaded machine', () => {
  it('is a warning when every transport finished less than half of what was offered', () => {
    const r = syntheticResult({ transports: ['rest', 'kafka'], seconds: 20, cleanCheck: true });
    for (const t of r.transports) t.throughput.completedPerSec = t.throughput.targetPerSec * 0.2;
    const first = runSentences(r)[0]!;
    expect(first.kind).toBe('warning');
    expect(first.text).toMatch(/^Overloaded: every transport finished less than half of the orders offered \(20 of 100 orders\/s on average\)/);
    r.transports[0]!.throughput.completedPerSec = 100;
    expect(runSentences({ ...r }).some((x) => x.text.startsWith('Overloaded'))).toBe(false);
  });
});

describe('comparisons say what changed beyond noise', () => {
  it('nothing, between a run and itself', () => {
    const a = syntheticResult({ transports: ['rest', 'kafka'], seconds: 20 });
    const said = compareSentences(compareResults(a, a, { resamples: 200 }));
    expect(said.map((s) => s.text)).toEqual(['REST and Kafka: nothing changed beyond noise between a and b.']);
  });

  it('REST’s error rate, when b had the outage', () => {
    const a = syntheticResult({ transports: ['rest', 'kafka'], seconds: 40 });
    const b = syntheticResult({ transports: ['rest', 'kafka'], seconds: 40, faults: true });
    const said = compareSentences(compareResults(a, b, { resamples: 200 })).map((s) => s.text);
    expect(said.find((t) => t.startsWith('REST:'))).toMatch(/error rate rose from 0 ?% to [\d.]+ ?% .*— worse/);
  });
});

describe('a ramp that did not reach its knee', () => {
  it('gives the sustainable throughput as a lower bound', () => {
    const r = syntheticResult({ transports: ['rest', 'kafka'], seconds: 40, ramping: true });
    r.transports[1]!.figures.kneeReached = false;
    const s = runSentences(r).find((x) => x.text.startsWith('Sustainable throughput'))!;
    expect(s.text).toMatch(/Kafka ≥ [\d,.]+\/s \(knee not reached\)/);
    expect(s.text).toMatch(/REST [\d,.]+\/s(,|\.$)/);
  });
});

describe('a knee search', () => {
  const r = syntheticResult({ transports: ['rest', 'kafka'], seconds: 40, ramping: true });
  r.scenario.resolved.workload.executor = 'find-knee';
  Object.assign(r.transports[0]!.figures, { kneeReached: true, kneePerSec: 180, sustainablePerSec: 180, kneeFailedPerSec: 195 });
  Object.assign(r.transports[1]!.figures, { kneeReached: false, kneePerSec: 5000, sustainablePerSec: 5000 });
  r.transports[1]!.warnings = [{ code: 'KNEE_NOT_REACHED', message: 'the search ended at 5000 orders/s (knee.maxRate) without breaking the SLO: the knee is above 5000' }];

  it('gives each knee with the rate that failed above it, or a lower bound', () => {
    const all = texts(r).join('\n');
    expect(all).toMatch(/Sustainable throughput \(p99 under 250 ms, nothing dropped\): Kafka ≥ 5,?000\/s \(knee not reached\), REST knee 180\/s \(failed at 195\/s\)\./);
    expect(all).toMatch(/Kafka did not reach its knee up to 5,?000 orders\/s: .* rerun with a higher knee\.maxRate or knee\.maxDuration\./);
  });

  it('titles the latency-against-throughput chart as a knee search', () => {
    expect(renderHtml(r)).toContain('Latency against throughput (knee search)');
  });
});
