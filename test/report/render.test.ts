import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHistogram, mergeHistograms, summarize } from '../../src/metrics/histogram.js';
import { ResultSchema } from '../../src/result/schema.js';
import { compareResults } from '../../src/report/compare.js';
import { renderCsv } from '../../src/report/csv.js';
import { escapeHtml, jsonForScript, markdownCell } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import { writeReports } from '../../src/report/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { chartData } from '../../src/report/series.js';
import { syntheticResult } from '../fixtures/synthetic-result.js';

const ALL = ['rest', 'kafka', 'rabbitmq', 'activemq'];
const tmp = mkdtempSync(join(tmpdir(), 'bench-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The JSON embedded for the charts. */
function embeddedData(html: string): string {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return m![1]!;
}

describe('synthetic results', () => {
  it.each([
    { transports: ALL, seconds: 30 },
    { transports: ['rest', 'kafka'], seconds: 20, ramping: true },
    { transports: ['rabbitmq'], seconds: 10, faults: true, scenarioName: 'x' },
  ])('are schema-valid (%o)', (opts) => {
    const parsed = ResultSchema.safeParse(syntheticResult(opts));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0])).toBe(true);
  });
});

describe('renderHtml', () => {
  const result = syntheticResult({ transports: ALL, seconds: 60, faults: true });
  const html = renderHtml(result);

  it('is one self-contained document: uPlot inlined, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the header, fairness settings and verdict', () => {
    for (const t of ALL) expect(html).toContain(`>${t}</th>`);
    expect(html).toContain('acks');
    expect(html).toContain('publisherConfirms');
    expect(html).toContain('apache-kafka 3.9.0');
    expect(html).toContain('Synthetic CPU');
    expect(html).toContain(result.scenario.description);
    expect(html).toMatch(/class="best"/);
    expect(html).toContain('kill payment');
  });

  it('embeds chart data as JSON without a raw "<" and without per-second histograms', () => {
    const json = embeddedData(html);
    expect(json).not.toContain('<');
    const data = JSON.parse(json) as ReturnType<typeof chartData>;
    expect(data.transports.map((t) => t.name)).toEqual(ALL);
    expect(data.p99?.x.length).toBe(60);
    expect(data.spectrum?.ys).toHaveLength(4);
    expect(data.backlog).not.toBeNull();
    expect(data.ramp).toBeNull();
    expect(data.faults).toHaveLength(1);
    expect(json).not.toContain(result.transports[0]!.timeline[0]!.h);
  });

  it('escapes every user-provided string', () => {
    const evil = '<script>alert(1)</script>';
    const r = syntheticResult({ transports: ['rest'], seconds: 5, scenarioName: evil });
    r.scenario.description = `desc ${evil}`;
    r.scenario.comment = `"quoted" & ${evil}`;
    r.scenario.resolved.labels = { [evil]: evil };
    r.transports[0]!.errorsByCode = { [evil]: 3 };
    r.transports[0]!.delivery = { [evil]: evil };
    r.transports[0]!.sample[0]!.type = evil;
    r.transports[0]!.latency.hops = { [evil]: r.transports[0]!.latency.endToEnd };
    const out = renderHtml(r);
    expect(out).toContain(escapeHtml(evil));
    expect(out.match(/<script\b/gi)).toHaveLength(3); // data, uPlot, charts
    expect(out).not.toContain('alert(1)</script>');
    expect(jsonForScript({ s: '</script><!--' })).toBe('{"s":"\\u003c/script>\\u003c!--"}');
  });

  it('says "no data" rather than drawing empty charts', () => {
    const r = syntheticResult({ transports: ['rest'], seconds: 5 });
    r.transports[0]!.backlog = [];
    r.transports[0]!.latency.hops = {};
    r.transports[0]!.sample = [];
    const out = renderHtml(r);
    expect(out).toContain('No backlog was sampled');
    expect(out).toContain('No per-hop latencies');
    expect(out).toContain('No sample order');
    expect(out).toContain('Only for ramping runs');
  });

  it('shows where the CPU went by role, and calibrated floors beside hop latencies', () => {
    const out = renderHtml(syntheticResult({ transports: ALL, seconds: 20, resources: true, calibration: true }));
    const cpu = /data-chart="cpu">([\s\S]*?)<\/svg>/.exec(out)![1]!;
    for (const part of ['driver', 'order', 'payment', 'kafka', 'rabbitmq']) expect(cpu).toContain(`>${part}</text>`);
    expect(cpu).toMatch(/machine [\d.]+ \/ 2/);
    expect(out).toMatch(/class="floor"/);
    expect(out).toMatch(/× floor\)/);
    expect(out).toContain('calibrated floor');
    expect(renderHtml(syntheticResult({ transports: ['rest'], seconds: 5 }))).toContain('No CPU samples in this run');
  });

  it('plots latency against throughput for ramping runs', () => {
    const data = chartData(syntheticResult({ transports: ['rest', 'kafka'], seconds: 40, ramping: true }));
    expect(data.ramp).not.toBeNull();
    expect(data.ramp!.ys).toHaveLength(2);
  });

  it('renders a one-hour, four-transport run, downsampled, small enough to open', () => {
    const long = syntheticResult({ transports: ALL, seconds: 3600, faults: true });
    const t0 = performance.now();
    const out = renderHtml(long);
    const ms = performance.now() - t0;
    expect(out.trimEnd().endsWith('</html>')).toBe(true);
    const data = JSON.parse(embeddedData(out)) as ReturnType<typeof chartData>;
    expect(data.bucketS).toBe(3);
    expect(data.p99!.x.length).toBeLessThanOrEqual(1200);
    expect(Buffer.byteLength(out)).toBeLessThan(3 * 1024 * 1024);
    expect(ms).toBeLessThan(10_000);
  }, 240_000);
});

describe('summary.md and summary.csv', () => {
  it('neutralises pipes and newlines in Markdown tables', () => {
    const r = syntheticResult({ transports: ['rest', 'kafka'], seconds: 5, scenarioName: 'a|b\nc' });
    r.transports[1]!.name = 'kafka|x\ny';
    const md = renderMarkdown(r);
    expect(md).toContain('a\\|b c');
    expect(md).toContain('| kafka\\|x y |');
    expect(markdownCell('<b>|</b>')).toBe('&lt;b&gt;\\|&lt;/b&gt;');
    const cells = (line: string): number => line.split(/(?<!\\)\|/).length;
    const lines = md.split('\n');
    expect(cells(lines.find((l) => l.startsWith('| kafka'))!)).toBe(cells(lines.find((l) => l.startsWith('| transport'))!));
  });

  it('writes one CSV row per transport under a header row', () => {
    const r = syntheticResult({ transports: ALL, seconds: 5 });
    r.transports[0]!.name = 'rest, "quoted"';
    const lines = renderCsv(r).trimEnd().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]!.startsWith('transport,status,completed_per_s')).toBe(true);
    expect(lines[1]!.startsWith('"rest, ""quoted""",completed,')).toBe(true);
  });

  it('writeReports writes report.html, summary.md and summary.csv', async () => {
    const paths = await writeReports(syntheticResult({ transports: ['rest'], seconds: 5 }), join(tmp, 'run'));
    expect(readFileSync(paths.html, 'utf8')).toContain('<!doctype html>');
    expect(readFileSync(paths.markdown, 'utf8')).toContain('| rest |');
    expect(readFileSync(paths.csv, 'utf8').split('\r\n')[0]).toContain('e2e_p99_ms');
  });
});

describe('compareResults', () => {
  const a = syntheticResult({ transports: ['rest', 'kafka'], seconds: 20 });
  const b = syntheticResult({ transports: ['kafka'], seconds: 30, faults: true });

  it('side by side: every transport of every run, labelled by run', () => {
    const c = compareResults([
      { result: a, label: 'run 1' },
      { result: b, label: 'run 2' },
    ]);
    expect(c.transports.map((t) => t.name)).toEqual(['rest · run 1', 'kafka · run 1', 'kafka · run 2']);
    expect(ResultSchema.safeParse(c).success).toBe(true);
  });

  it('merged: same-named transports pooled by merging histograms, never averaging percentiles', () => {
    const c = compareResults(
      [
        { result: a, label: 'run 1' },
        { result: b, label: 'run 2' },
      ],
      'merge',
    );
    const kafka = c.transports.find((t) => t.name === 'kafka')!;
    const [ka, kb] = [a.transports[1]!, b.transports[0]!];
    const expected = summarize(mergeHistograms([decodeHistogram(ka.histograms.endToEnd), decodeHistogram(kb.histograms.endToEnd)]));
    expect(kafka.latency.endToEnd).toEqual(expected);
    expect(kafka.counts.completed).toBe(ka.counts.completed + kb.counts.completed);
    expect(kafka.timeline).toEqual([]);
    expect(ResultSchema.safeParse(c).success).toBe(true);
  });
});
