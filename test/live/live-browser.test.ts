import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultSchema } from '../../src/result/schema.js';
import { launchBrowser, type LaunchedBrowser } from '../report/browser.js';
import { tempRunDir } from '../support/scenario.js';

/**
 * `bench run --live` driven in a real browser: a real REST run (no broker needed), the
 * dashboard over server-sent events, a kill button, and the report at the end. Then
 * SIGINT during a live run: partial result, exit 105, port freed.
 */

const BIN = join(process.cwd(), 'bin/bench.js');
let browser: LaunchedBrowser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

interface Live {
  child: ChildProcess;
  url: string;
  out: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

async function startLive(args: string[]): Promise<Live> {
  const out = tempRunDir();
  const child = spawn(process.execPath, [BIN, 'run', ...args, '--no-calibration', '--live', '--port', '0', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no dashboard URL printed: ${stderr}`)), 30_000);
    child.stderr!.on('data', (d) => {
      stderr += String(d);
      const m = /live dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { child, url, out, stdout: () => stdout, exit };
}

function portRefuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('bench run --live', () => {
  it('draws a point a second, injects a kill from the page, shows REST errors, then becomes the report', async () => {
    const live = await startLive(['order-happy-path', '--transport', 'rest', '--warmup', '1s', '--max-warmup', '1s', '--duration', '14s']);
    const page = await browser.newPage();
    const origin = new URL(live.url).origin;
    const foreign: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(origin)) foreign.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(live.url);
    // charts get new points every second
    await page.waitForFunction(() => Number(document.querySelector('#c-p99')?.getAttribute('data-points') ?? 0) >= 2, null, { timeout: 30_000 });
    const before = Number(await page.getAttribute('#c-p99', 'data-points'));
    await page.waitForFunction((n) => Number(document.querySelector('#c-p99')?.getAttribute('data-points') ?? 0) >= n + 2, before, { timeout: 10_000 });

    // kill payment from the page: a fault window opens and REST answers errors
    await page.selectOption('#fault-seconds', '5');
    await page.click('button[data-action="kill"][data-target="payment"]:not([disabled])', { timeout: 10_000 });
    await page.waitForFunction(() => /kill payment at/.test(document.querySelector('#fault-msg')?.textContent ?? ''), null, { timeout: 10_000 });
    await page.waitForFunction(
      () => {
        const card = document.querySelector('.card.current');
        const dts = Array.from(card?.querySelectorAll('dt') ?? []);
        const errors = dts.find((dt) => dt.textContent === 'errors')?.nextElementSibling?.textContent;
        return Number(errors) > 0;
      },
      null,
      { timeout: 15_000 },
    );
    expect(await page.textContent('.card.current')).toMatch(/1 fault\(s\): kill payment at/);
    // the lane shows compensated orders while payment is down
    await page.waitForSelector('#lane tr.compensated, #lane tr.completed', { timeout: 10_000 });

    // the run ends: the final report replaces the live view
    await page.waitForSelector('#findings', { timeout: 60_000 });
    expect(await page.$('#c-p99')).toBeNull();
    expect(await page.textContent('#verdict')).toContain('rest');
    expect(await live.exit).toBe(0);
    expect(foreign).toEqual([]);
    expect(dialogs).toEqual([]);
    const result = ResultSchema.parse(JSON.parse(readFileSync(join(live.out, 'result.json'), 'utf8')));
    const fault = result.transports[0]!.faults[0]!;
    expect(fault).toMatchObject({ action: 'kill', target: 'payment' });
    expect(fault.endS! - fault.startS).toBeGreaterThan(4);
    expect(result.transports[0]!.counts.errors + result.transports[0]!.counts.failed).toBeGreaterThan(0);
    expect(await portRefuses(live.url)).toBe(true);
    await page.close();
  }, 120_000);

  it('SIGINT during a live run: a partial result, exit 105, the port freed', async () => {
    const live = await startLive(['order-happy-path', '--transport', 'rest', '--warmup', '1s', '--max-warmup', '1s', '--duration', '60s']);
    await new Promise((r) => setTimeout(r, 4000));
    live.child.kill('SIGINT');
    expect(await live.exit).toBe(105);
    expect(existsSync(join(live.out, 'result.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(live.out, 'result.json'), 'utf8')).status).toBe('aborted');
    expect(await portRefuses(live.url)).toBe(true);
  }, 90_000);
});
