import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/result/schema.js';
import { renderHtml } from '../../src/report/html.js';
import { syntheticResult } from '../fixtures/synthetic-result.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

/** Loads generated reports in headless chromium from disk and checks they draw, offline, with no errors. */

const SCREENSHOTS = resolve('reports/screenshots');
const dir = mkdtempSync(join(tmpdir(), 'bench-report-browser-'));
let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
  charts: Array<{ id: string; kind: string; drawn: boolean }>;
  title: string;
}

async function load(name: string, result: Result): Promise<Loaded> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml(result));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const out: Loaded = { consoleErrors: [], requests: [], dialogs: [], charts: [], title: '' };
  page.on('console', (m) => {
    if (m.type() === 'error') out.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => out.consoleErrors.push(e.message));
  page.on('request', (r) => out.requests.push(r.url()));
  page.on('dialog', (d) => {
    out.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('html[data-charts-ready]', { timeout: 15_000 });
  out.charts = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-chart]')).map((el) => {
      const id = el.dataset['chart'] ?? '?';
      const canvas = el.querySelector('canvas');
      if (canvas) {
        const ctx = canvas.getContext('2d')!;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return { id, kind: 'canvas', drawn: painted > 500 };
      }
      const svg = el.querySelector('svg');
      return { id, kind: 'svg', drawn: !!svg && svg.querySelectorAll('rect, line, path').length > 3 };
    }),
  );
  out.title = (await page.textContent('h1')) ?? '';
  await page.screenshot({ path: join(SCREENSHOTS, `report-${name}.png`), fullPage: true });
  await page.close();
  out.requests = out.requests.filter((r) => r !== url);
  return out;
}

describe('HTML report in a real browser', () => {
  it('draws every chart of a four-transport run with a fault, offline and without errors', async () => {
    const loaded = await load('faults', syntheticResult({ transports: ['rest', 'kafka', 'rabbitmq', 'activemq'], seconds: 120, faults: true }));
    expect(loaded.consoleErrors).toEqual([]);
    expect(loaded.requests).toEqual([]);
    const ids = loaded.charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['latency-p99', 'latency-p50', 'throughput', 'backlog', 'spectrum', 'hops', 'sequence-rest', 'sequence-kafka', 'sequence-rabbitmq', 'sequence-activemq']));
    expect(loaded.charts.filter((c) => !c.drawn)).toEqual([]);
  });

  it('draws the latency-against-throughput chart of a ramping run', async () => {
    const loaded = await load('ramping', syntheticResult({ transports: ['rest', 'kafka', 'rabbitmq', 'activemq'], seconds: 90, ramping: true }));
    expect(loaded.consoleErrors).toEqual([]);
    expect(loaded.requests).toEqual([]);
    expect(loaded.charts.map((c) => c.id)).toContain('ramp');
    expect(loaded.charts.filter((c) => !c.drawn)).toEqual([]);
  });

  it('draws a one-hour run', async () => {
    const loaded = await load('one-hour', syntheticResult({ transports: ['rest', 'kafka', 'rabbitmq', 'activemq'], seconds: 3600, faults: true }));
    expect(loaded.consoleErrors).toEqual([]);
    expect(loaded.charts.filter((c) => !c.drawn)).toEqual([]);
  }, 120_000);

  it('answers on the first screen at 1366×900, fits the width, and prints to PDF', async () => {
    const file = join(dir, 'first-screen.html');
    writeFileSync(file, renderHtml(syntheticResult({ transports: ['rest', 'kafka', 'rabbitmq', 'activemq'], seconds: 60, faults: true, resources: true, cleanCheck: true })));
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForSelector('html[data-charts-ready]', { timeout: 15_000 });
    const layout = await page.evaluate(() => {
      const top = (sel: string): number => document.querySelector(sel)!.getBoundingClientRect().top;
      const sentences = Array.from(document.querySelectorAll('#findings li')).map((li) => li.getBoundingClientRect().bottom);
      return { sentencesBottom: Math.max(...sentences), verdictTop: top('#verdict'), settingsOpen: (document.querySelector('details.settings') as HTMLDetailsElement).open, scrollWidth: document.documentElement.scrollWidth };
    });
    expect(layout.sentencesBottom).toBeLessThan(900);
    expect(layout.verdictTop).toBeLessThan(900);
    expect(layout.settingsOpen).toBe(false);
    expect(layout.scrollWidth).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-first-screen.png') });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // printing unfolds what the screen folds
    expect(await page.evaluate(() => (document.querySelector('details.settings') as HTMLDetailsElement).open)).toBe(true);
    await page.close();
  });

  it('shows a scenario named <script>alert(1)</script> as text; no script runs', async () => {
    const evil = '<script>alert(1)</script>';
    const r = syntheticResult({ transports: ['rest', 'kafka'], seconds: 10, scenarioName: evil });
    r.scenario.description = `<img src=x onerror="alert(2)">`;
    r.transports[1]!.name = `kafka<script>alert(3)</script>`;
    const loaded = await load('xss', r);
    expect(loaded.dialogs).toEqual([]);
    expect(loaded.title).toContain(evil);
    expect(loaded.consoleErrors).toEqual([]);
    expect(loaded.requests).toEqual([]);
  });
});
